/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-cfg.h"

#include "ic/step.h"

#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_cfg);

/* What the handshake remembers between passes. */
struct sync_cfg {
    int64_t pass_cfg;           /* IC-NB's nb_ic_cfg when the pass began. */
    int64_t converged_cfg;      /* nb_ic_cfg this zone has caught up with,
                                 * or -1 if it has not converged yet. */
};

static void *
sync_cfg_create(void)
{
    struct sync_cfg *cfg = xzalloc(sizeof *cfg);
    cfg->converged_cfg = -1;
    return cfg;
}

static void
sync_cfg_destroy(void *cfg)
{
    free(cfg);
}

/* Remembers IC_NB_Global.nb_ic_cfg (0 if there is none) as the pass
 * begins. */
static void
sync_cfg_pass_start(void *cfg_, struct ovsdb_idl *idls[IC_N_DBS])
{
    struct sync_cfg *cfg = cfg_;
    struct ovsdb_idl *icnb_idl = idls[IC_DB_ICNB];
    const struct icnbrec_ic_nb_global *g
        = icnbrec_ic_nb_global_first(icnb_idl);
    cfg->pass_cfg
        = g && icnbrec_server_has_ic_nb_global_table_col_nb_ic_cfg(icnb_idl)
          ? g->nb_ic_cfg : 0;
}

/* After a quiet pass the zone reflects IC-NB as of the pass's start: run
 * the step to report it, if that is news. */
static bool
sync_cfg_quiet_pass(void *cfg_)
{
    struct sync_cfg *cfg = cfg_;
    if (cfg->pass_cfg > cfg->converged_cfg) {
        cfg->converged_cfg = cfg->pass_cfg;
        return true;
    }
    return false;
}

/* Creates the global rows when they are missing. */
static bool
sync_globals_run(struct ic_step_ctx *ctx)
{
    if (!icnbrec_ic_nb_global_first(ic_step_idl(ctx, IC_DB_ICNB))) {
        icnbrec_ic_nb_global_insert(ic_step_txn(ctx, IC_DB_ICNB));
    }
    if (!icsbrec_ic_sb_global_first(ic_step_idl(ctx, IC_DB_ICSB))) {
        icsbrec_ic_sb_global_insert(ic_step_txn(ctx, IC_DB_ICSB));
    }
    return true;
}

static bool
sync_cfg_run(struct ic_step_ctx *ctx)
{
    const struct sync_cfg *cfg = ic_step_state(ctx);
    struct ovsdb_idl *icnb_idl = ic_step_idl(ctx, IC_DB_ICNB);
    struct ovsdb_idl *icsb_idl = ic_step_idl(ctx, IC_DB_ICSB);
    const struct icsbrec_availability_zone *zone = ic_step_az(ctx);
    const struct icnbrec_ic_nb_global *inb
        = icnbrec_ic_nb_global_first(icnb_idl);
    const struct icsbrec_ic_sb_global *isb
        = icsbrec_ic_sb_global_first(icsb_idl);

    if (!icnbrec_server_has_ic_nb_global_table_col_sb_ic_cfg(icnb_idl)
        || !icsbrec_server_has_availability_zone_table_col_nb_ic_cfg(
               icsb_idl)) {
        VLOG_WARN_ONCE("the IC databases run schemas older than IC-NB 1.1.0 "
                       "and IC-SB 1.2.0, without nb_ic_cfg: the --wait=sb "
                       "handshake is off; everything else works");
        return true;
    }
    if (!inb || !isb) {
        return true;
    }

    if (zone && cfg->converged_cfg > zone->nb_ic_cfg) {
        icsbrec_availability_zone_set_nb_ic_cfg(zone, cfg->converged_cfg);
    }

    /* The slowest zone decides. */
    int64_t min_cfg = INT64_MAX;
    const struct icsbrec_availability_zone *az;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (az, icsb_idl) {
        min_cfg = MIN(min_cfg, az->nb_ic_cfg);
    }
    if (min_cfg == INT64_MAX || min_cfg > inb->nb_ic_cfg) {
        return true;
    }
    if (isb->nb_ic_cfg < min_cfg
        && icsbrec_server_has_ic_sb_global_table_col_nb_ic_cfg(icsb_idl)) {
        icsbrec_ic_sb_global_set_nb_ic_cfg(isb, min_cfg);
    }
    if (inb->sb_ic_cfg < min_cfg) {
        icnbrec_ic_nb_global_set_sb_ic_cfg(inb, min_cfg);
    }
    return true;
}

const struct ic_step sync_globals_step = {
    .name = "globals",
    .description = "create the IC_NB_Global and IC_SB_Global rows",
    .global_writer = true,
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_ic_nb_global,
          .ignore = { &icnbrec_ic_nb_global_col_nb_ic_cfg,
                      &icnbrec_ic_nb_global_col_sb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_ic_sb_global,
          .ignore = { &icsbrec_ic_sb_global_col_nb_ic_cfg } },
    },
    .writes = {
        { IC_DB_ICNB, &icnbrec_table_ic_nb_global },
        { IC_DB_ICSB, &icsbrec_table_ic_sb_global },
    },
    .run = sync_globals_run,
};

const struct ic_step sync_cfg_step = {
    .name = "cfg",
    .description = "nb_ic_cfg handshake for --wait=sb",
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_ic_nb_global },
        { IC_DB_ICSB, &icsbrec_table_ic_sb_global },
        { IC_DB_ICSB, &icsbrec_table_availability_zone },
    },
    .writes = {
        { IC_DB_ICNB, &icnbrec_table_ic_nb_global,
          .columns = { &icnbrec_ic_nb_global_col_sb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_ic_sb_global,
          .columns = { &icsbrec_ic_sb_global_col_nb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .columns = { &icsbrec_availability_zone_col_nb_ic_cfg } },
    },
    .create = sync_cfg_create,
    .destroy = sync_cfg_destroy,
    .run = sync_cfg_run,
    .on_pass_start = sync_cfg_pass_start,
    .on_quiet_pass = sync_cfg_quiet_pass,
};

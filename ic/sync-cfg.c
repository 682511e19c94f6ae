/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-cfg.h"

#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "openvswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(sync_cfg);

/* Returns IC_NB_Global.nb_ic_cfg, or 0 if there is none. */
int64_t
sync_cfg_current(struct ovsdb_idl *icnb_idl)
{
    const struct icnbrec_ic_nb_global *g
        = icnbrec_ic_nb_global_first(icnb_idl);
    return g && icnbrec_server_has_ic_nb_global_table_col_nb_ic_cfg(icnb_idl)
           ? g->nb_ic_cfg : 0;
}

bool
sync_cfg_run(const struct sync_cfg_ctx *ctx)
{
    const struct icnbrec_ic_nb_global *inb
        = icnbrec_ic_nb_global_first(ctx->icnb_idl);
    const struct icsbrec_ic_sb_global *isb
        = icsbrec_ic_sb_global_first(ctx->icsb_idl);

    if (ctx->create_globals) {
        if (!inb) {
            inb = icnbrec_ic_nb_global_insert(ctx->icnb_txn);
        }
        if (!isb) {
            isb = icsbrec_ic_sb_global_insert(ctx->icsb_txn);
        }
    }
    if (!icnbrec_server_has_ic_nb_global_table_col_sb_ic_cfg(ctx->icnb_idl)
        || !icsbrec_server_has_availability_zone_table_col_nb_ic_cfg(
               ctx->icsb_idl)) {
        VLOG_WARN_ONCE("the IC databases run schemas older than IC-NB 1.1.0 "
                       "and IC-SB 1.2.0, without nb_ic_cfg: the --wait=sb "
                       "handshake is off; everything else works");
        return true;
    }
    if (!inb || !isb) {
        return true;
    }

    if (ctx->az && ctx->converged_cfg > ctx->az->nb_ic_cfg) {
        icsbrec_availability_zone_set_nb_ic_cfg(ctx->az,
                                                ctx->converged_cfg);
    }

    /* The slowest zone decides. */
    int64_t min_cfg = INT64_MAX;
    const struct icsbrec_availability_zone *az;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (az, ctx->icsb_idl) {
        min_cfg = MIN(min_cfg, az->nb_ic_cfg);
    }
    if (min_cfg == INT64_MAX || min_cfg > inb->nb_ic_cfg) {
        return true;
    }
    if (isb->nb_ic_cfg < min_cfg
        && icsbrec_server_has_ic_sb_global_table_col_nb_ic_cfg(
               ctx->icsb_idl)) {
        icsbrec_ic_sb_global_set_nb_ic_cfg(isb, min_cfg);
    }
    if (inb->sb_ic_cfg < min_cfg) {
        icnbrec_ic_nb_global_set_sb_ic_cfg(inb, min_cfg);
    }
    return true;
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* The route step's entry point: its public API (ic/sync-route.h), the
 * tables it tracks, and each run: incremental if it can be, full
 * otherwise, then the writes.  The work is done by
 *
 *   ic/route-state.c        the state kept between runs, and its indexes;
 *   ic/route-advertise.c    what this zone advertises in IC-SB;
 *   ic/route-learn.c        what its routers learn from IC-SB;
 *   ic/route-overlap.c      which learnable routes overlap and are refused;
 *   ic/route-incremental.c  the incremental path over tracked changes;
 *   lib/route-rules.c       the rules on plain values (unit-tested);
 *   lib/route-filter.c      prefixes, filters and the prefix index. */

#include <config.h>

#include "ic/sync-route.h"

#include "ic/route-advertise.h"
#include "ic/route-incremental.h"
#include "ic/route-learn.h"
#include "ic/route-state.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_route);

struct sync_route_state *
sync_route_state_create(void)
{
    struct sync_route_state *st = xmalloc(sizeof *st);
    route_state_init(st);
    return st;
}

void
sync_route_state_destroy(struct sync_route_state *st)
{
    if (st) {
        route_state_destroy(st);
        free(st);
    }
}

/* Makes the next run a full one. */
void
sync_route_state_invalidate(struct sync_route_state *st)
{
    st->valid = false;
}

/* The tables an incremental run reads changes of. */
static const struct ovsdb_idl_table_class *const tracked_tables[] = {
    &nbrec_table_nb_global,
    &nbrec_table_logical_router,
    &nbrec_table_logical_router_static_route,
    &icsbrec_table_route,
    &icsbrec_table_availability_zone,
};

void
sync_route_track(struct ovsdb_idl *nb_idl, struct ovsdb_idl *icsb_idl)
{
    for (size_t i = 0; i < ARRAY_SIZE(tracked_tables); i++) {
        const struct ovsdb_idl_table_class *tc = tracked_tables[i];
        if (tc == &icsbrec_table_availability_zone) {
            /* Only the name: a change to a tracked column also tracks
             * every row that refers to the row, and every zone's
             * nb_ic_cfg moves on each --wait=sb handshake. */
            ovsdb_idl_track_add_column(icsb_idl,
                                       &icsbrec_availability_zone_col_name);
            continue;
        }
        struct ovsdb_idl *idl = tc == &icsbrec_table_route ? icsb_idl
                                                            : nb_idl;
        for (size_t j = 0; j < tc->n_columns; j++) {
            ovsdb_idl_track_add_column(idl, &tc->columns[j]);
        }
    }
}

bool
sync_route_is_tracked(const struct ovsdb_idl_table_class *tc)
{
    for (size_t i = 0; i < ARRAY_SIZE(tracked_tables); i++) {
        if (tracked_tables[i] == tc) {
            return true;
        }
    }
    return false;
}

/* Runs the route step: an incremental run over the tracked changes if the
 * state is valid and they allow it, a full run otherwise, then the writes
 * both kinds wrote down.  Returns true: the step is complete, and waits on
 * no other party. */
bool
sync_route_run(const struct sync_route_ctx *ctx)
{
    struct sync_route_state *st = ctx->state;
    st->ctx = ctx;

    bool full = ctx->recompute || !st->valid;
    if (!full && !route_incremental_run(st)) {
        VLOG_DBG("these route changes need a full run");
        full = true;
    }
    if (full) {
        route_state_reset(st);
        st->ctx = ctx;
        route_state_build(st, ctx);
        adv_full(st);
        learn_full(st);
        st->valid = true;
        ctx->stats->full_runs++;
    } else {
        ctx->stats->incremental_runs++;
    }
    adv_write(st);
    learn_write(st);

    ctx->stats->advertised = hmap_count(&st->advertised);
    ctx->stats->learned = st->n_learned;
    ctx->stats->refused = st->n_refused;
    if (st->n_advertised_now || st->n_withdrawn_now) {
        VLOG_INFO("advertised %"PRIuSIZE" new routes, withdrew %"PRIuSIZE
                  "; %"PRIuSIZE" advertised in all", st->n_advertised_now,
                  st->n_withdrawn_now, ctx->stats->advertised);
    }
    if (st->n_learned_now || st->n_unlearned_now) {
        VLOG_INFO("learned %"PRIuSIZE" new routes, removed %"PRIuSIZE
                  "; %"PRIuSIZE" learned in all", st->n_learned_now,
                  st->n_unlearned_now, ctx->stats->learned);
    }
    route_state_end_run(st);
    return true;
}

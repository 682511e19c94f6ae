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
 *   ic/route-overlap.c      which learnable routes overlap;
 *   ic/route-dynamic.c      routes from dynamic routing (SB Learned_Route);
 *   ic/route-incremental.c  the incremental path over tracked changes;
 *   lib/route-rules.c       the rules on plain values (unit-tested);
 *   lib/route-filter.c      prefixes, filters and the prefix index. */

#include <config.h>

#include "ic/sync-route.h"

#include "ic/route-advertise.h"
#include "ic/route-incremental.h"
#include "ic/route-learn.h"
#include "ic/route-owners.h"
#include "ic/route-state.h"
#include "ic/step.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_route);

/* The tables an incremental run reads changes of (the first
 * N_INCREMENTAL_TABLES); a change to any other table the step reads makes
 * a full run, except that the rest of these are those of which
 * route_structure_signature() hashes what the structure takes: if only
 * they changed, and the signature did not, the run may still be
 * incremental. */
static const struct ic_table_ref incremental_tables[] = {
    { IC_DB_NB, &nbrec_table_nb_global },
    { IC_DB_NB, &nbrec_table_logical_router },
    { IC_DB_NB, &nbrec_table_logical_router_static_route },
    { IC_DB_SB, &sbrec_table_learned_route },
    { IC_DB_ICSB, &icsbrec_table_route },
    { IC_DB_ICSB, &icsbrec_table_availability_zone },
#define N_INCREMENTAL_TABLES 6
    { IC_DB_NB, &nbrec_table_logical_switch },
    { IC_DB_NB, &nbrec_table_logical_switch_port },
    { IC_DB_ICSB, &icsbrec_table_port_binding },
    { IC_DB_SB, &sbrec_table_datapath_binding },
};

/* What the step keeps between runs, and what the last run found. */
struct route_step {
    struct sync_route_state state;
    struct sync_route_stats stats;
    struct route_owners *owners;        /* The daemon's (the controller
                                         * creates it before the engine). */
};

static void *
route_step_create(void)
{
    struct route_step *rs = xzalloc(sizeof *rs);
    route_state_init(&rs->state);
    rs->owners = route_owners_default();
    return rs;
}

/* The step runs when the index of routers' static routes changes or its
 * transaction completes, and waits while that transaction is in flight or
 * the index is not in sync. */
static unsigned int
route_step_own_seqno(const void *rs_)
{
    const struct route_step *rs = rs_;
    return rs->owners ? route_owners_seqno(rs->owners) : 0;
}

static bool
route_step_own_busy(const void *rs_)
{
    const struct route_step *rs = rs_;
    return (!rs->owners || !route_owners_is_ready(rs->owners)
            || route_owners_txn_in_flight(rs->owners));
}

static void
route_step_destroy(void *rs_)
{
    struct route_step *rs = rs_;
    if (rs) {
        route_state_destroy(&rs->state);
        free(rs);
    }
}

/* Runs the route step: an incremental run over the tracked changes if the
 * state is valid and they allow it, a full run otherwise, then the writes
 * both kinds wrote down.  Returns true: the step is complete, and waits on
 * no other party. */
static bool
sync_route_run(struct ic_step_ctx *step)
{
    struct route_step *rs = ic_step_state(step);
    struct sync_route_state *st = &rs->state;
    const struct sync_route_ctx ctx_ = {
        .state = st,
        .az = ic_step_az(step),
        .nb_idl = ic_step_idl(step, IC_DB_NB),
        .nb_txn = ic_step_txn(step, IC_DB_NB),
        .owners = rs->owners,
        .sb_idl = ic_step_idl(step, IC_DB_SB),
        .icnb_idl = ic_step_idl(step, IC_DB_ICNB),
        .icsb_idl = ic_step_idl(step, IC_DB_ICSB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
        .stats = &rs->stats,
    };
    const struct sync_route_ctx *ctx = &ctx_;
    st->ctx = ctx;

    /* The learned routes' last transaction, and what the index saw. */
    bool txn_ok = true;
    if (route_owners_txn_done(rs->owners)) {
        struct uuid *uuids;
        size_t n;
        bool ok = route_owners_txn_take_result(rs->owners, &uuids, &n);
        txn_ok = learn_txn_result(st, ok, uuids, n);
        free(uuids);
    }
    bool owners_reset;
    struct route_owner_change *changes = route_owners_take_changes(
        rs->owners, &st->n_owner_changes, &owners_reset);
    st->owner_changes = changes;

    bool full = (!txn_ok || owners_reset
                 || ic_step_recompute(step) || !st->valid
                 || !ic_step_changed_only(step, incremental_tables,
                                          N_INCREMENTAL_TABLES));
    bool signed_skip = false;
    if (full && !ic_step_recompute(step) && st->valid
        && ic_step_changed_only(step, incremental_tables,
                                ARRAY_SIZE(incremental_tables))
        && route_structure_signature(ctx) == st->signature) {
        /* Switches, ports, port bindings or datapaths changed, but not in
         * a way the structure sees. */
        full = false;
        signed_skip = true;
    }
    if (!full && !route_incremental_run(st)) {
        VLOG_DBG("these route changes need a full run");
        full = true;
    }
    if (!full && signed_skip) {
        ctx->stats->signature_skips++;
    }
    if (full) {
        size_t n_transit;
        struct learn_transit *transit = learn_transit_save(st, &n_transit);
        route_state_reset(st);
        st->ctx = ctx;
        route_state_build(st, ctx);
        st->signature = route_structure_signature(ctx);
        adv_full(st);
        learn_full(st);
        learn_transit_restore(st, transit, n_transit);
        st->valid = true;
        ctx->stats->full_runs++;
    } else {
        ctx->stats->incremental_runs++;
    }
    free(changes);
    st->owner_changes = NULL;
    st->n_owner_changes = 0;
    adv_write(st);
    learn_write(st);
    bool sent = route_owners_txn_commit(rs->owners);

    ctx->stats->advertised = hmap_count(&st->advertised);
    ctx->stats->learned = st->n_learned;
    ctx->stats->overlapping = st->n_overlapping;
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

    /* Complete once the learned routes' transaction is done: the step runs
     * again then. */
    return !sent;
}

static void
route_step_format_status(const void *rs_, struct ds *out)
{
    const struct route_step *rs = rs_;
    const struct sync_route_stats *st = &rs->stats;
    ds_put_format(out, "routes: %"PRIuSIZE" advertised, %"PRIuSIZE
                  " learned, %"PRIuSIZE" overlapping, %"PRIuSIZE" refused; "
                  "%"PRIu64" full runs, %"PRIu64" incremental\n",
                  st->advertised, st->learned, st->overlapping, st->refused,
                  st->full_runs, st->incremental_runs);
    ds_put_format(out, "route runs kept incremental when switches, ports "
                  "or bindings changed: %"PRIu64"\n", st->signature_skips);
}

static void
route_step_render_metrics(const void *rs_, struct metrics *m)
{
    const struct route_step *rs = rs_;
    const struct sync_route_stats *st = &rs->stats;
    metrics_family(m, "ovn_ic_routes", METRIC_GAUGE,
                   "Routes this zone advertises and learns; learnable "
                   "routes that overlap a connected network or another "
                   "owner's prefix, and those of them refused "
                   "(ic-route-deny-overlap).");
    metrics_sample(m, "ovn_ic_routes", "kind", "advertised", st->advertised);
    metrics_sample(m, "ovn_ic_routes", "kind", "learned", st->learned);
    metrics_sample(m, "ovn_ic_routes", "kind", "overlapping",
                   st->overlapping);
    metrics_sample(m, "ovn_ic_routes", "kind", "refused", st->refused);
    metrics_family(m, "ovn_ic_route_runs_total", METRIC_COUNTER,
                   "Runs of the route step: full recomputes, and "
                   "incremental runs that handled only what changed.");
    metrics_sample(m, "ovn_ic_route_runs_total", "kind", "full",
                   st->full_runs);
    metrics_sample(m, "ovn_ic_route_runs_total", "kind", "incremental",
                   st->incremental_runs);
}

const struct ic_step sync_route_step = {
    .name = "route",
    .description = "advertise and learn routes over transit switches",
    .needs_az = true,
    .tracks_changes = true,
    .own_columns = {
        { IC_DB_NB, &nbrec_logical_router_col_static_routes },
    },
    .own_seqno = route_step_own_seqno,
    .own_busy = route_step_own_busy,
    .reads = {
        { IC_DB_NB, &nbrec_table_nb_global },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        { IC_DB_NB, &nbrec_table_logical_switch },
        { IC_DB_NB, &nbrec_table_logical_switch_port },
        { IC_DB_NB, &nbrec_table_logical_router },
        { IC_DB_NB, &nbrec_table_logical_router_port },
        { IC_DB_NB, &nbrec_table_logical_router_static_route },
        { IC_DB_NB, &nbrec_table_load_balancer },
        { IC_DB_NB, &nbrec_table_load_balancer_group },
        { IC_DB_SB, &sbrec_table_datapath_binding },
        { IC_DB_SB, &sbrec_table_learned_route },
        { IC_DB_ICSB, &icsbrec_table_port_binding },
        { IC_DB_ICSB, &icsbrec_table_route },
        /* Scopes (lib/ts-scope.h); a change makes a full run. */
        { IC_DB_ICNB, &icnbrec_table_transit_switch,
          .ignore = { &icnbrec_transit_switch_col_ports,
                      &icnbrec_transit_switch_col_external_ids } },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_router_static_route },
        { IC_DB_NB, &nbrec_table_logical_router,
          .columns = { &nbrec_logical_router_col_static_routes } },
        { IC_DB_ICSB, &icsbrec_table_route },
    },
    /* The "loadbalancer" origin came with Service_Monitor (IC-SB 2.2.0). */
    .probes = {
        { IC_DB_ICSB, &icsbrec_table_service_monitor },
    },
    .create = route_step_create,
    .destroy = route_step_destroy,
    .run = sync_route_run,
    .format_status = route_step_format_status,
    .render_metrics = route_step_render_metrics,
};

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/step.h"
#include "ic/sync-route.h"

#include "lib/metrics.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

/* The route step's state: what it keeps between runs and what it found. */
struct route_step {
    struct sync_route_state *state;
    struct sync_route_stats stats;
};

static void *
route_step_create(void)
{
    struct route_step *rs = xzalloc(sizeof *rs);
    rs->state = sync_route_state_create();
    return rs;
}

static void
route_step_destroy(void *rs_)
{
    struct route_step *rs = rs_;
    if (rs) {
        sync_route_state_destroy(rs->state);
        free(rs);
    }
}

static bool
route_step_run(struct ic_step_ctx *step)
{
    struct route_step *rs = ic_step_state(step);

    /* The route step handles changes to the tables it tracks on its own;
     * a change to any other table it reads means a full run. */
    bool recompute = ic_step_recompute(step);
    for (size_t i = 0; i < IC_MAX_READS && step->step->reads[i].table; i++) {
        if (step->changed & (1u << i)
            && !sync_route_is_tracked(step->step->reads[i].table)) {
            recompute = true;
        }
    }
    if (recompute) {
        sync_route_state_invalidate(rs->state);
    }

    struct sync_route_ctx ctx = {
        .state = rs->state,
        .recompute = recompute,
        .az = ic_step_az(step),
        .nb_idl = ic_step_idl(step, IC_DB_NB),
        .nb_txn = ic_step_txn(step, IC_DB_NB),
        .icsb_idl = ic_step_idl(step, IC_DB_ICSB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
        .stats = &rs->stats,
    };
    return sync_route_run(&ctx);
}

static void
route_step_format_status(const void *rs_, struct ds *out)
{
    const struct route_step *rs = rs_;
    const struct sync_route_stats *st = &rs->stats;
    ds_put_format(out, "routes: %"PRIuSIZE" advertised, %"PRIuSIZE
                  " learned, %"PRIuSIZE" refused; %"PRIu64" full runs, "
                  "%"PRIu64" incremental\n", st->advertised, st->learned,
                  st->refused, st->full_runs, st->incremental_runs);
}

static void
route_step_render_metrics(const void *rs_, struct metrics *m)
{
    const struct route_step *rs = rs_;
    const struct sync_route_stats *st = &rs->stats;
    metrics_family(m, "ovn_ic_routes", METRIC_GAUGE,
                   "Routes this zone advertises, learns, and refuses to "
                   "learn because they overlap.");
    metrics_sample(m, "ovn_ic_routes", "kind", "advertised", st->advertised);
    metrics_sample(m, "ovn_ic_routes", "kind", "learned", st->learned);
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
        { IC_DB_ICSB, &icsbrec_table_port_binding },
        { IC_DB_ICSB, &icsbrec_table_route },
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
    .run = route_step_run,
    .format_status = route_step_format_status,
    .render_metrics = route_step_render_metrics,
};

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/controller.h"

#include "ic/engine.h"
#include "ic/sync-az.h"
#include "ic/sync-cfg.h"
#include "ic/sync-datapath.h"
#include "ic/sync-gateway.h"
#include "ic/sync-port.h"
#include "ic/sync-route.h"
#include "lib/ic-db.h"
#include "lib/key-alloc.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(controller);

#define ZONE_LOCK "ovn_ic"          /* On the zone's SB. */
#define GLOBAL_LOCK "ovn_ic_sb"     /* On IC-SB. */

struct ic_controller {
    struct ic_db *dbs[IC_N_DBS];
    struct ic_engine *engine;
    struct problem_set problems;

    /* Per-object state that survives between passes. */
    struct sync_az az;
    uint32_t dp_key_hint;
    uint32_t dp_vxlan_key_hint;
    struct sync_route_stats route_stats;
    struct sync_route_state *route_state;

    /* Valid during a pass. */
    const struct icsbrec_availability_zone *az_row;
    int64_t converged_cfg;

    bool paused;
    bool exiting;
    bool was_active;
    bool was_global_writer;
};

static struct ovsdb_idl *
idl(const struct ic_controller *c, enum ic_db_id id)
{
    return c->dbs[id]->idl;
}

static struct ovsdb_idl_txn *
txn(const struct ic_controller *c, enum ic_db_id id)
{
    return ic_db_txn(c->dbs[id]);
}

/* The steps.  Each adapter hands its module only what the step declares. */

static bool
step_az(void *c_, const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    struct sync_az_ctx ctx = {
        .nb_global = nbrec_nb_global_first(idl(c, IC_DB_NB)),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .icsb_txn = txn(c, IC_DB_ICSB),
        .problems = &c->problems,
    };
    bool complete = sync_az_run(&c->az, &ctx);
    c->az_row = sync_az_get(&c->az, idl(c, IC_DB_ICSB));
    return complete;
}

static bool
step_datapath_keys(void *c_, const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    struct sync_datapath_keys_ctx ctx = {
        .icnb_idl = idl(c, IC_DB_ICNB),
        .icsb_idl = idl(c, IC_DB_ICSB_GLOBAL),
        .icsb_txn = txn(c, IC_DB_ICSB_GLOBAL),
        .vxlan_mode = sync_datapath_vxlan_mode(idl(c, IC_DB_ICNB),
                                               idl(c, IC_DB_ICSB)),
        .key_hint = &c->dp_key_hint,
        .vxlan_key_hint = &c->dp_vxlan_key_hint,
        .problems = &c->problems,
    };
    return sync_datapath_keys_run(&ctx);
}

static bool
step_transit_switches(void *c_,
                      const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    if (!c->az_row) {
        return true;
    }
    struct sync_datapath_switches_ctx ctx = {
        .vxlan_mode = sync_datapath_vxlan_mode(idl(c, IC_DB_ICNB),
                                               idl(c, IC_DB_ICSB)),
        .icnb_idl = idl(c, IC_DB_ICNB),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .nb_idl = idl(c, IC_DB_NB),
        .nb_txn = txn(c, IC_DB_NB),
        .problems = &c->problems,
    };
    return sync_datapath_switches_run(&ctx);
}

static bool
step_gateways(void *c_, const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    if (!c->az_row) {
        return true;
    }
    struct sync_gateway_ctx ctx = {
        .az = c->az_row,
        .sb_idl = idl(c, IC_DB_SB),
        .sb_txn = txn(c, IC_DB_SB),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .icsb_txn = txn(c, IC_DB_ICSB),
        .problems = &c->problems,
    };
    return sync_gateway_run(&ctx);
}

static bool
step_ports(void *c_, const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    if (!c->az_row) {
        return true;
    }
    struct sync_port_ctx ctx = {
        .az = c->az_row,
        .icnb_idl = idl(c, IC_DB_ICNB),
        .global_writer = c->was_global_writer,
        .nb_idl = idl(c, IC_DB_NB),
        .nb_txn = txn(c, IC_DB_NB),
        .sb_idl = idl(c, IC_DB_SB),
        .sb_txn = txn(c, IC_DB_SB),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .icsb_txn = txn(c, IC_DB_ICSB),
        .problems = &c->problems,
    };
    return sync_port_run(&ctx);
}

static bool
step_routes(void *c_, const struct ic_step_changes *changes)
{
    struct ic_controller *c = c_;
    if (!c->az_row) {
        /* The changes tracked meanwhile are dropped unseen. */
        sync_route_state_invalidate(c->route_state);
        return true;
    }

    /* The route step handles changes to the tables it tracks on its own;
     * a change to any other input means a full run. */
    bool recompute = changes->recompute;
    for (size_t i = 0; i < IC_MAX_INPUTS && changes->step->inputs[i].table;
         i++) {
        if (changes->inputs & (1u << i)
            && !sync_route_is_tracked(changes->step->inputs[i].table)) {
            recompute = true;
        }
    }

    struct sync_route_ctx ctx = {
        .state = c->route_state,
        .recompute = recompute,
        .az = c->az_row,
        .nb_idl = idl(c, IC_DB_NB),
        .nb_txn = txn(c, IC_DB_NB),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .icsb_txn = txn(c, IC_DB_ICSB),
        .problems = &c->problems,
        .stats = &c->route_stats,
    };
    return sync_route_run(&ctx);
}

static bool
step_cfg(void *c_, const struct ic_step_changes *changes OVS_UNUSED)
{
    struct ic_controller *c = c_;
    struct sync_cfg_ctx ctx = {
        .az = c->az_row,
        .icnb_idl = idl(c, IC_DB_ICNB),
        .icnb_txn = txn(c, IC_DB_ICNB),
        .icsb_idl = idl(c, IC_DB_ICSB),
        .icsb_txn = txn(c, IC_DB_ICSB),
        .create_globals = ic_db_has_lock(c->dbs[IC_DB_ICSB_GLOBAL]),
        .converged_cfg = c->converged_cfg,
    };
    return sync_cfg_run(&ctx);
}

/* The order matters only for speed (see ic/engine.h): the AZ first, since
 * every other step needs it; keys before switches; gateways before ports,
 * since remote ports bind to the remote gateways' chassis. */
static const struct ic_step steps[] = {
    {
        .name = "az",
        .description = "register this zone in IC-SB",
        .run = step_az,
        .inputs = {
            { IC_DB_NB, &nbrec_table_nb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone,
              .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        },
        .outputs = IC_OUT(IC_DB_ICSB),
    },
    {
        .name = "datapath-keys",
        .description = "allocate transit switch keys (global writer only)",
        .run = step_datapath_keys,
        .inputs = {
            { IC_DB_ICNB, &icnbrec_table_transit_switch },
            { IC_DB_ICSB_GLOBAL, &icsbrec_table_datapath_binding },
            { IC_DB_ICNB, &icnbrec_table_ic_nb_global,
              .ignore = { &icnbrec_ic_nb_global_col_nb_ic_cfg,
                          &icnbrec_ic_nb_global_col_sb_ic_cfg } },
            { IC_DB_ICSB, &icsbrec_table_encap },
        },
        .outputs = IC_OUT(IC_DB_ICSB_GLOBAL),
    },
    {
        .name = "transit-switch",
        .description = "transit switches to NB logical switches",
        .run = step_transit_switches,
        .inputs = {
            { IC_DB_NB, &nbrec_table_nb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone,
              .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
            { IC_DB_ICNB, &icnbrec_table_transit_switch },
            { IC_DB_ICSB, &icsbrec_table_datapath_binding },
            { IC_DB_NB, &nbrec_table_logical_switch },
            { IC_DB_ICNB, &icnbrec_table_ic_nb_global,
              .ignore = { &icnbrec_ic_nb_global_col_nb_ic_cfg,
                          &icnbrec_ic_nb_global_col_sb_ic_cfg } },
            { IC_DB_ICSB, &icsbrec_table_encap },
        },
        .outputs = IC_OUT(IC_DB_NB),
    },
    {
        .name = "gateway",
        .description = "local gateways to IC-SB, remote ones to SB",
        .run = step_gateways,
        .inputs = {
            { IC_DB_NB, &nbrec_table_nb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone,
              .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
            { IC_DB_SB, &sbrec_table_chassis },
            { IC_DB_SB, &sbrec_table_encap },
            { IC_DB_ICSB, &icsbrec_table_gateway },
            { IC_DB_ICSB, &icsbrec_table_encap },
        },
        .outputs = IC_OUT(IC_DB_SB) | IC_OUT(IC_DB_ICSB),
    },
    {
        .name = "port",
        .description = "transit switch ports, both directions",
        .run = step_ports,
        .inputs = {
            { IC_DB_NB, &nbrec_table_nb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone,
              .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
            { IC_DB_NB, &nbrec_table_logical_switch },
            { IC_DB_NB, &nbrec_table_logical_switch_port },
            /* Learned routes change routers all day; the port step reads
             * routers only for their ports. */
            { IC_DB_NB, &nbrec_table_logical_router,
              .ignore = { &nbrec_logical_router_col_static_routes } },
            { IC_DB_NB, &nbrec_table_logical_router_port },
            { IC_DB_SB, &sbrec_table_port_binding },
            { IC_DB_SB, &sbrec_table_chassis },
            { IC_DB_ICSB, &icsbrec_table_port_binding },
            { IC_DB_ICNB, &icnbrec_table_transit_switch },
            { IC_DB_ICNB, &icnbrec_table_transit_switch_port },
        },
        .outputs = IC_OUT(IC_DB_NB) | IC_OUT(IC_DB_SB) | IC_OUT(IC_DB_ICSB),
    },
    {
        .name = "route",
        .description = "advertise and learn routes over transit switches",
        .run = step_routes,
        .tracks_changes = true,
        .inputs = {
            { IC_DB_NB, &nbrec_table_nb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone },
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
        .outputs = IC_OUT(IC_DB_NB) | IC_OUT(IC_DB_ICSB),
    },
    {
        .name = "cfg",
        .description = "nb_ic_cfg handshake for --wait=sb",
        .run = step_cfg,
        .inputs = {
            { IC_DB_ICNB, &icnbrec_table_ic_nb_global },
            { IC_DB_ICSB, &icsbrec_table_ic_sb_global },
            { IC_DB_ICSB, &icsbrec_table_availability_zone },
        },
        .outputs = IC_OUT(IC_DB_ICNB) | IC_OUT(IC_DB_ICSB),
    },
};

/* unixctl commands. */

static const char *
controller_status(const struct ic_controller *c)
{
    return c->paused ? "paused"
           : ic_db_has_lock(c->dbs[IC_DB_SB]) ? "active" : "standby";
}

static void
cmd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
         const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
cmd_pause(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->paused = true;
    unixctl_command_reply(conn, NULL);
}

static void
cmd_resume(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->paused = false;
    ic_engine_force_recompute(c->engine, "resumed");
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
cmd_is_paused(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    unixctl_command_reply(conn, c->paused ? "true" : "false");
}

static void
cmd_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "Status: %s", controller_status(c));
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_connection_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *db_)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ic_db_format_status(db_, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
format_engine(const struct ic_controller *c, struct ds *s)
{
    ds_put_format(s, "status: %s\n", controller_status(c));
    ds_put_format(s, "global writer: %s\n",
                  ic_db_has_lock(c->dbs[IC_DB_ICSB_GLOBAL]) ? "yes" : "no");
    for (int i = 0; i < IC_N_DBS; i++) {
        const struct ic_db *db = c->dbs[i];
        ds_put_format(s, "%s: %s, commits=%"PRIu64" failures=%"PRIu64
                      " reconnects=%"PRIu64"%s%s\n", ic_db_id_name(i),
                      ic_db_is_connected(db) ? "connected" : "not connected",
                      db->n_commits, db->n_failures, db->n_reconnects,
                      db->last_error ? ", last error: " : "",
                      db->last_error ? db->last_error : "");
    }
    ic_engine_format(c->engine, s);
}

static void
cmd_engine_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    format_engine(c, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_status_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ds reason = DS_EMPTY_INITIALIZER;
    bool healthy = ic_controller_is_healthy(c, &reason);
    ds_put_format(&s, "health: %s\n", healthy ? "ok" : ds_cstr(&reason));
    format_engine(c, &s);
    const struct sync_route_stats *rs = &c->route_stats;
    ds_put_format(&s, "routes: %"PRIuSIZE" advertised, %"PRIuSIZE" learned, "
                  "%"PRIuSIZE" refused; %"PRIu64" full runs, %"PRIu64
                  " incremental\n", rs->advertised, rs->learned, rs->refused,
                  rs->full_runs, rs->incremental_runs);
    ds_put_format(&s, "problems: %"PRIuSIZE"\n",
                  problems_count(&c->problems));
    problems_format(&c->problems, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&reason);
    ds_destroy(&s);
}

static void
cmd_engine_recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    ic_engine_force_recompute(c->engine, "requested by unixctl");
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
cmd_problems_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    problems_format(&c->problems, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Creation. */

/* The global writer's session replicates only what it allocates from. */
static void
monitor_global_writer_tables(struct ovsdb_idl *global)
{
    ovsdb_idl_add_table(global, &icsbrec_table_datapath_binding);
    for (size_t i = 0; i < ICSBREC_DATAPATH_BINDING_N_COLUMNS; i++) {
        ovsdb_idl_add_column(global, &icsbrec_datapath_binding_columns[i]);
    }
}

struct ic_controller *
ic_controller_create(const struct ic_controller_options *opts,
                     struct unixctl_server *unixctl)
{
    struct ic_controller *c = xzalloc(sizeof *c);

    c->dbs[IC_DB_NB] = ic_db_create("NB", opts->nb_remote,
                                    &nbrec_idl_class, true);
    c->dbs[IC_DB_SB] = ic_db_create("SB", opts->sb_remote,
                                    &sbrec_idl_class, true);
    c->dbs[IC_DB_ICNB] = ic_db_create("IC-NB", opts->icnb_remote,
                                      &icnbrec_idl_class, true);
    c->dbs[IC_DB_ICSB] = ic_db_create("IC-SB", opts->icsb_remote,
                                      &icsbrec_idl_class, true);
    c->dbs[IC_DB_ICSB_GLOBAL] = ic_db_create("IC-SB global",
                                             opts->icsb_remote,
                                             &icsbrec_idl_class, false);
    monitor_global_writer_tables(c->dbs[IC_DB_ICSB_GLOBAL]->idl);
    sync_route_track(c->dbs[IC_DB_NB]->idl, c->dbs[IC_DB_ICSB]->idl);
    c->route_state = sync_route_state_create();
    ic_db_set_lock(c->dbs[IC_DB_SB], ZONE_LOCK);

    problems_init(&c->problems);
    sync_az_init(&c->az);
    c->converged_cfg = -1;
    /* Like upstream, hand out IC_DP_KEY_MIN + 1 first. */
    c->dp_key_hint = IC_DP_KEY_MIN;
    c->dp_vxlan_key_hint = IC_DP_VXLAN_KEY_MIN;
    c->engine = ic_engine_create(steps, ARRAY_SIZE(steps), c->dbs, c);

    unixctl_command_register("exit", "", 0, 0, cmd_exit, c);
    unixctl_command_register("pause", "", 0, 0, cmd_pause, c);
    unixctl_command_register("resume", "", 0, 0, cmd_resume, c);
    unixctl_command_register("is-paused", "", 0, 0, cmd_is_paused, c);
    unixctl_command_register("status", "", 0, 0, cmd_status, c);
    unixctl_command_register("nb-connection-status", "", 0, 0,
                             cmd_connection_status, c->dbs[IC_DB_NB]);
    unixctl_command_register("sb-connection-status", "", 0, 0,
                             cmd_connection_status, c->dbs[IC_DB_SB]);
    unixctl_command_register("ic-nb-connection-status", "", 0, 0,
                             cmd_connection_status, c->dbs[IC_DB_ICNB]);
    unixctl_command_register("ic-sb-connection-status", "", 0, 0,
                             cmd_connection_status, c->dbs[IC_DB_ICSB]);
    unixctl_command_register("engine/show", "", 0, 0, cmd_engine_show, c);
    unixctl_command_register("engine/recompute", "", 0, 0,
                             cmd_engine_recompute, c);
    unixctl_command_register("problems/show", "", 0, 0, cmd_problems_show,
                             c);
    unixctl_command_register("status/show", "", 0, 0, cmd_status_show, c);
    (void) unixctl;
    return c;
}

void
ic_controller_destroy(struct ic_controller *c)
{
    if (c) {
        ic_engine_destroy(c->engine);
        sync_az_destroy(&c->az);
        sync_route_state_destroy(c->route_state);
        problems_destroy(&c->problems);
        for (int i = 0; i < IC_N_DBS; i++) {
            ic_db_destroy(c->dbs[i]);
        }
        free(c);
    }
}

/* Probe intervals come from the databases themselves (upstream's keys):
 * NB_Global.options:ic_probe_interval for the zone's sessions and
 * IC_NB_Global.options:ic_probe_interval for the IC sessions, in ms. */
static void
update_probe_intervals(struct ic_controller *c)
{
    const struct nbrec_nb_global *nb = nbrec_nb_global_first(idl(c,
                                                                 IC_DB_NB));
    const struct icnbrec_ic_nb_global *icnb
        = icnbrec_ic_nb_global_first(idl(c, IC_DB_ICNB));
    int zone = nb ? smap_get_int(&nb->options, "ic_probe_interval", -1) : -1;
    int ic = icnb ? smap_get_int(&icnb->options, "ic_probe_interval", -1)
                  : -1;
    for (int i = 0; i < IC_N_DBS; i++) {
        int ms = i == IC_DB_NB || i == IC_DB_SB ? zone : ic;
        if (ms >= 0) {
            ic_db_set_probe_interval(c->dbs[i], ms && ms < 1000 ? 1000 : ms);
        }
    }
}

/* Takes or releases the locks according to the daemon's state: the zone
 * lock unless paused, the global lock only while active. */
static void
update_locks(struct ic_controller *c)
{
    struct ic_db *sb = c->dbs[IC_DB_SB];
    struct ic_db *global = c->dbs[IC_DB_ICSB_GLOBAL];

    ic_db_set_lock(sb, c->paused ? NULL : ZONE_LOCK);
    bool active = !c->paused && ic_db_has_lock(sb);
    ic_db_set_lock(global, active ? GLOBAL_LOCK : NULL);

    bool global_writer = active && ic_db_has_lock(global);
    if (active != c->was_active) {
        VLOG_INFO("%s", active ? "this daemon is now active for the zone"
                               : "this daemon is no longer active");
        if (active) {
            ic_engine_force_recompute(c->engine, "became active");
        }
    }
    if (global_writer != c->was_global_writer) {
        VLOG_INFO("%s", global_writer
                  ? "this daemon is now the global writer"
                  : "this daemon is no longer the global writer");
        if (global_writer) {
            ic_engine_force_recompute(c->engine, "became global writer");
        }
    }
    c->was_active = active;
    c->was_global_writer = global_writer;
}

void
ic_controller_run(struct ic_controller *c)
{
    for (int i = 0; i < IC_N_DBS; i++) {
        ic_db_run(c->dbs[i]);
        if (c->dbs[i]->needs_recompute) {
            c->dbs[i]->needs_recompute = false;
            ic_engine_force_recompute(c->engine, "session reconnected or "
                                      "a transaction failed");
        }
    }
    update_probe_intervals(c);
    update_locks(c);

    bool ready = c->was_active;
    for (int i = 0; i < IC_N_DBS; i++) {
        ready = ready && (i == IC_DB_ICSB_GLOBAL
                          || ic_db_has_ever_connected(c->dbs[i]));
    }
    if (ready) {
        uint32_t disabled = c->was_global_writer
                            ? 0 : IC_OUT(IC_DB_ICSB_GLOBAL);
        uint32_t writable = 0;
        for (int i = 0; i < IC_N_DBS; i++) {
            if (!(disabled & IC_OUT(i)) && ic_db_begin(c->dbs[i])) {
                writable |= IC_OUT(i);
            }
        }
        int64_t cfg = sync_cfg_current(idl(c, IC_DB_ICNB));

        c->az_row = sync_az_get(&c->az, idl(c, IC_DB_ICSB));
        uint32_t written = ic_engine_run(c->engine, writable, disabled);

        /* A pass in which every step was complete and no session had
         * anything to write means the zone reflects IC-NB as of 'cfg'. */
        bool wrote = false;
        for (int i = 0; i < IC_N_DBS; i++) {
            ic_db_commit(c->dbs[i], written & IC_OUT(i));
            wrote = wrote || c->dbs[i]->pass_wrote;
        }
        if (ic_engine_is_converged(c->engine) && !wrote
            && cfg > c->converged_cfg) {
            c->converged_cfg = cfg;
            ic_engine_force_step(c->engine, "cfg");
            poll_immediate_wake();
        }
    } else {
        ic_engine_idle(c->engine);
    }
}

void
ic_controller_wait(const struct ic_controller *c)
{
    for (int i = 0; i < IC_N_DBS; i++) {
        ic_db_wait(c->dbs[i]);
    }
}

bool
ic_controller_is_exiting(const struct ic_controller *c)
{
    return c->exiting;
}

/* Makes the sessions count the rows each transaction writes, for the
 * metrics.  This costs a walk over the database's rows per transaction that
 * writes, so it is on only when something reads the counts. */
void
ic_controller_count_rows_written(struct ic_controller *c)
{
    for (int i = 0; i < IC_N_DBS; i++) {
        c->dbs[i]->count_rows = true;
    }
}

/* Returns true if every session is connected and, when active, the last
 * pass converged.  Otherwise stores the reason in 'reason'. */
bool
ic_controller_is_healthy(const struct ic_controller *c, struct ds *reason)
{
    for (int i = 0; i < IC_N_DBS; i++) {
        if (i == IC_DB_ICSB_GLOBAL) {
            continue;
        }
        if (!ic_db_is_connected(c->dbs[i])) {
            ds_put_format(reason, "not connected to %s", ic_db_id_name(i));
            return false;
        }
    }
    if (c->was_active && !ic_engine_is_converged(c->engine)) {
        ds_put_cstr(reason, "not converged");
        return false;
    }
    return true;
}

/* Renders every metric into 'm'. */
void
ic_controller_render_metrics(const struct ic_controller *c,
                             struct metrics *m)
{
    metrics_clear(m);

    metrics_family(m, "ovn_ic_db_connected", METRIC_GAUGE,
                   "Whether the session with the database is connected.");
    for (int i = 0; i < IC_N_DBS; i++) {
        metrics_sample(m, "ovn_ic_db_connected", "db", ic_db_id_name(i),
                       ic_db_is_connected(c->dbs[i]));
    }
    metrics_family(m, "ovn_ic_db_commits_total", METRIC_COUNTER,
                   "Transactions that changed the database.");
    for (int i = 0; i < IC_N_DBS; i++) {
        metrics_sample(m, "ovn_ic_db_commits_total", "db", ic_db_id_name(i),
                       c->dbs[i]->n_commits);
    }
    metrics_family(m, "ovn_ic_db_failures_total", METRIC_COUNTER,
                   "Transactions that failed or had to be retried.");
    for (int i = 0; i < IC_N_DBS; i++) {
        metrics_sample(m, "ovn_ic_db_failures_total", "db",
                       ic_db_id_name(i), c->dbs[i]->n_failures);
    }
    metrics_family(m, "ovn_ic_db_reconnects_total", METRIC_COUNTER,
                   "Times the session connected again after a loss.");
    for (int i = 0; i < IC_N_DBS; i++) {
        metrics_sample(m, "ovn_ic_db_reconnects_total", "db",
                       ic_db_id_name(i), c->dbs[i]->n_reconnects);
    }

    metrics_family(m, "ovn_ic_rows_written_total", METRIC_COUNTER,
                   "Rows this daemon inserted, updated or deleted.");
    for (int i = 0; i < IC_N_DBS; i++) {
        const struct ic_db *db = c->dbs[i];
        for (size_t j = 0; j < db->class->n_tables; j++) {
            if (db->rows_written[j]) {
                metrics_sample2(m, "ovn_ic_rows_written_total",
                                "db", ic_db_id_name(i),
                                "table", db->class->tables[j].name,
                                db->rows_written[j]);
            }
        }
    }

    metrics_family(m, "ovn_ic_lock_held", METRIC_GAUGE,
                   "Whether this daemon holds the lock: ovn_ic makes it "
                   "active in its zone, ovn_ic_sb the global writer.");
    metrics_sample(m, "ovn_ic_lock_held", "lock", ZONE_LOCK,
                   ic_db_has_lock(c->dbs[IC_DB_SB]));
    metrics_sample(m, "ovn_ic_lock_held", "lock", GLOBAL_LOCK,
                   ic_db_has_lock(c->dbs[IC_DB_ICSB_GLOBAL]));
    metrics_family(m, "ovn_ic_paused", METRIC_GAUGE,
                   "Whether the daemon is paused.");
    metrics_sample(m, "ovn_ic_paused", NULL, NULL, c->paused);

    ic_engine_render_metrics(c->engine, m);

    metrics_family(m, "ovn_ic_routes", METRIC_GAUGE,
                   "Routes this zone advertises, learns, and refuses to "
                   "learn because they overlap.");
    metrics_sample(m, "ovn_ic_routes", "kind", "advertised",
                   c->route_stats.advertised);
    metrics_sample(m, "ovn_ic_routes", "kind", "learned",
                   c->route_stats.learned);
    metrics_sample(m, "ovn_ic_routes", "kind", "refused",
                   c->route_stats.refused);
    metrics_family(m, "ovn_ic_route_runs_total", METRIC_COUNTER,
                   "Runs of the route step: full recomputes, and "
                   "incremental runs that handled only what changed.");
    metrics_sample(m, "ovn_ic_route_runs_total", "kind", "full",
                   c->route_stats.full_runs);
    metrics_sample(m, "ovn_ic_route_runs_total", "kind", "incremental",
                   c->route_stats.incremental_runs);

    metrics_family(m, "ovn_ic_problems", METRIC_GAUGE,
                   "Bad input set aside, see problems/show.");
    metrics_sample(m, "ovn_ic_problems", NULL, NULL,
                   problems_count(&c->problems));
}

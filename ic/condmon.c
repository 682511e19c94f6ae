/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/condmon.h"

#include <string.h>

#include "ic/engine.h"
#include "lib/ic-db.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ts-scope.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(condmon);

/* The tables whose rows are chosen by a condition. */
enum cond_id {
    C_PORT_BINDING,
    C_ROUTE,
    C_DATAPATH_BINDING,
    C_GATEWAY,
    C_ENCAP,
    C_SERVICE_MONITOR,
    C_ADDRESS_SET,
    C_GLOBAL_SB_GLOBAL,
    C_GLOBAL_DATAPATH_BINDING,
    C_GLOBAL_ENCAP,
    N_CONDS
};

static const struct {
    int session;
    const struct ovsdb_idl_table_class *table;

    /* Not in every IC-SB schema: conditioned only once the server is known
     * to have it, since a condition on a table the server lacks would make
     * it refuse the whole monitor request. */
    bool optional;
} conds[N_CONDS] = {
    [C_PORT_BINDING] = { IC_DB_ICSB, &icsbrec_table_port_binding, false },
    [C_ROUTE] = { IC_DB_ICSB, &icsbrec_table_route, false },
    [C_DATAPATH_BINDING] = { IC_DB_ICSB, &icsbrec_table_datapath_binding,
                             false },
    [C_GATEWAY] = { IC_DB_ICSB, &icsbrec_table_gateway, false },
    [C_ENCAP] = { IC_DB_ICSB, &icsbrec_table_encap, false },
    [C_SERVICE_MONITOR] = { IC_DB_ICSB, &icsbrec_table_service_monitor,
                            true },
    [C_ADDRESS_SET] = { IC_DB_ICSB, &icsbrec_table_address_set, true },
    [C_GLOBAL_SB_GLOBAL] = { IC_SESSION_GLOBAL,
                             &icsbrec_table_ic_sb_global, false },
    [C_GLOBAL_DATAPATH_BINDING] = { IC_SESSION_GLOBAL,
                                    &icsbrec_table_datapath_binding, false },
    [C_GLOBAL_ENCAP] = { IC_SESSION_GLOBAL, &icsbrec_table_encap, false },
};

/* What the conditions are computed from: when none of it moved and every
 * session is settled, there is nothing to do. */
struct condmon_inputs {
    bool loaded;                /* NB, IC-NB and IC-SB replicas arrived. */
    unsigned int seqnos[5];
    struct uuid az;
    bool global_writer;
    bool has_optional[N_CONDS];
};

/* How long a session may wait for the server to apply its conditions
 * before the daemon says so. */
#define UNSETTLED_WARN_MS 10000

struct ic_condmon {
    bool monitor_all;
    bool started;
    struct condmon_inputs inputs;
    uint32_t unsettled;                 /* Bitmap of sessions. */
    unsigned int expected[IC_N_SESSIONS]; /* Condition seqno to reach. */
    char *desc[N_CONDS];                /* For replica/show, or NULL. */
    uint64_t n_changes;                 /* Rounds that changed a condition. */
    long long int unsettled_since;      /* time_msec(), or 0. */
    bool warned;                        /* About this long wait. */

    /* The IDL sends a condition change that had to wait (for a new
     * connection's monitor reply, say) only when it runs next, and nothing
     * may wake the daemon for that: an unsettled session whose replica
     * moved gets one more round at once. */
    unsigned int seen_seqno[IC_N_SESSIONS];
    bool wake;
};

struct ic_condmon *
ic_condmon_create(bool monitor_all)
{
    struct ic_condmon *cm = xzalloc(sizeof *cm);
    cm->monitor_all = monitor_all;
    return cm;
}

void
ic_condmon_destroy(struct ic_condmon *cm)
{
    if (cm) {
        for (size_t i = 0; i < N_CONDS; i++) {
            free(cm->desc[i]);
        }
        free(cm);
    }
}

/* The zone as the conditions see it: its name in NB_Global, and the name
 * and row the engine uses (they differ while the zone is being renamed;
 * both count). */
struct zone_view {
    const char *name;                   /* NB_Global.name, may be "". */
    const char *old_name;               /* The engine's AZ name, or NULL. */
    struct uuid uuids[2];
    size_t n_uuids;
};

static void
zone_view_init(struct zone_view *z, struct ovsdb_idl *nb,
               struct ovsdb_idl *icsb,
               const struct icsbrec_availability_zone *az)
{
    const struct nbrec_nb_global *g = nbrec_nb_global_first(nb);
    memset(z, 0, sizeof *z);
    z->name = g ? g->name : "";
    if (az) {
        z->old_name = az->name;
        z->uuids[z->n_uuids++] = az->header_.uuid;
    }
    const struct icsbrec_availability_zone *row;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (row, icsb) {
        if (z->name[0] && !strcmp(row->name, z->name)
            && (!az || !uuid_equals(&row->header_.uuid, &az->header_.uuid))) {
            z->uuids[z->n_uuids++] = row->header_.uuid;
            break;
        }
    }
}

static bool
zone_in_scope(const struct zone_view *z, const struct ts_scope *scope)
{
    return (z->name[0] && ts_scope_includes(scope, z->name))
           || (z->old_name && ts_scope_includes(scope, z->old_name));
}

static bool
zones_share(const struct zone_view *z, const struct ts_scopes *scopes,
            const char *other)
{
    return (z->name[0] && ts_scopes_share(scopes, z->name, other))
           || (z->old_name && ts_scopes_share(scopes, z->old_name, other));
}

static char *
describe(const struct ovsdb_idl_condition *cond)
{
    if (ovsdb_idl_condition_is_true(cond)) {
        return xstrdup("all rows");
    }
    size_t n = hmap_count(&cond->clauses);
    return n ? xasprintf("%"PRIuSIZE" clause%s", n, n == 1 ? "" : "s")
             : xstrdup("no rows");
}

/* Sends 'cond' (if it changed) as the condition 'id', and takes its
 * expected condition seqno into account. */
static void
set_cond(struct ic_condmon *cm, struct ic_db *const sessions[],
         enum cond_id id, struct ovsdb_idl_condition *cond)
{
    struct ovsdb_idl *idl = ic_db_idl(sessions[conds[id].session]);
    unsigned int before = ovsdb_idl_get_condition_seqno(idl);
    unsigned int seqno = ovsdb_idl_set_condition(idl, conds[id].table, cond);
    unsigned int *expected = &cm->expected[conds[id].session];
    if ((int) (seqno - *expected) > 0) {
        *expected = seqno;
    }

    char *desc = describe(cond);
    if (!cm->desc[id] || strcmp(desc, cm->desc[id]) || seqno != before) {
        VLOG_DBG("%s %s: %s (condition seqno %u, now %u)",
                 ic_session_name(conds[id].session), conds[id].table->name,
                 desc, seqno, before);
    }
    free(cm->desc[id]);
    cm->desc[id] = desc;
    ovsdb_idl_condition_destroy(cond);
}

/* The conditions of the zone's IC-SB session (see ic/condmon.h). */
static void
update_zone(struct ic_condmon *cm, struct ic_db *const sessions[],
            const struct icsbrec_availability_zone *az)
{
    struct ovsdb_idl *nb = ic_db_idl(sessions[IC_DB_NB]);
    struct ovsdb_idl *icnb = ic_db_idl(sessions[IC_DB_ICNB]);
    struct ovsdb_idl *icsb = ic_db_idl(sessions[IC_DB_ICSB]);
    if (!cm->inputs.loaded) {
        /* Until the zone's name, the scopes and the zones are known, ask
         * for nothing rather than for everything: the first rows come once
         * the real conditions are known. */
        for (int id = C_PORT_BINDING; id <= C_ENCAP; id++) {
            struct ovsdb_idl_condition none;
            ovsdb_idl_condition_init(&none);
            set_cond(cm, sessions, id, &none);
        }
        return;
    }

    struct zone_view z;
    zone_view_init(&z, nb, icsb, az);

    /* The switches and routers the zone is attached to, and the scopes
     * that tell which zones share one with it, as the gateway step counts
     * them: a router is in every zone. */
    struct sset attached = SSET_INITIALIZER(&attached);
    struct ts_scopes scopes;
    ts_scopes_init(&scopes);
    bool all_attached = true;
    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, icnb) {
        struct ts_scope scope;
        ts_scope_from_config(&scope, &ts->other_config);
        if (zone_in_scope(&z, &scope)) {
            sset_add(&attached, ts->name);
        } else {
            all_attached = false;
        }
        ts_scope_destroy(&scope);
        ts_scopes_add(&scopes, smap_get(&ts->other_config, TS_SCOPE_KEY));
    }
    const struct icnbrec_transit_router *tr;
    ICNBREC_TRANSIT_ROUTER_FOR_EACH (tr, icnb) {
        sset_add(&attached, tr->name);
        ts_scopes_add(&scopes, NULL);
    }

    /* Port_Binding, Route, Datapath_Binding. */
    struct ovsdb_idl_condition pb, route, dp;
    ovsdb_idl_condition_init(&pb);
    ovsdb_idl_condition_init(&route);
    ovsdb_idl_condition_init(&dp);
    if (all_attached) {
        ovsdb_idl_condition_add_clause_true(&pb);
        ovsdb_idl_condition_add_clause_true(&route);
        ovsdb_idl_condition_add_clause_true(&dp);
    } else {
        const char *name;
        SSET_FOR_EACH (name, &attached) {
            icsbrec_port_binding_add_clause_transit_switch(&pb, OVSDB_F_EQ,
                                                           name);
            icsbrec_route_add_clause_transit_switch(&route, OVSDB_F_EQ,
                                                    name);
            icsbrec_datapath_binding_add_clause_transit_switch(
                &dp, OVSDB_F_EQ, name);
        }
        /* A transit router's binding names no switch (its type, which
         * says so, is not in every IC-SB schema). */
        icsbrec_datapath_binding_add_clause_transit_switch(&dp, OVSDB_F_EQ,
                                                           "");
        for (size_t i = 0; i < z.n_uuids; i++) {
            icsbrec_port_binding_add_clause_availability_zone(
                &pb, OVSDB_F_EQ, &z.uuids[i]);
            icsbrec_route_add_clause_availability_zone(&route, OVSDB_F_EQ,
                                                       &z.uuids[i]);
        }
    }
    set_cond(cm, sessions, C_PORT_BINDING, &pb);
    set_cond(cm, sessions, C_ROUTE, &route);
    set_cond(cm, sessions, C_DATAPATH_BINDING, &dp);

    /* Gateway: of the zones that share a switch with this one, and its
     * own. */
    struct ovsdb_idl_condition gw;
    ovsdb_idl_condition_init(&gw);
    bool all_gateways = true;
    const struct icsbrec_availability_zone *other;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (other, icsb) {
        if (zones_share(&z, &scopes, other->name)) {
            icsbrec_gateway_add_clause_availability_zone(
                &gw, OVSDB_F_EQ, &other->header_.uuid);
        } else {
            all_gateways = false;
        }
    }
    if (all_gateways) {
        ovsdb_idl_condition_add_clause_true(&gw);
    } else {
        for (size_t i = 0; i < z.n_uuids; i++) {
            icsbrec_gateway_add_clause_availability_zone(&gw, OVSDB_F_EQ,
                                                         &z.uuids[i]);
        }
    }
    set_cond(cm, sessions, C_GATEWAY, &gw);

    /* Encap: of the gateways replicated now (a gateway that the condition
     * adds brings its encapsulations in the next round, before the session
     * settles), and every VXLAN one. */
    struct ovsdb_idl_condition encap;
    ovsdb_idl_condition_init(&encap);
    if (all_gateways) {
        ovsdb_idl_condition_add_clause_true(&encap);
    } else {
        icsbrec_encap_add_clause_type(&encap, OVSDB_F_EQ, "vxlan");
        const struct icsbrec_gateway *g;
        ICSBREC_GATEWAY_FOR_EACH (g, icsb) {
            icsbrec_encap_add_clause_gateway_name(&encap, OVSDB_F_EQ,
                                                  g->name);
        }
    }
    set_cond(cm, sessions, C_ENCAP, &encap);

    /* Service_Monitor: to or from this zone. */
    if (cm->inputs.has_optional[C_SERVICE_MONITOR]) {
        struct ovsdb_idl_condition sm;
        ovsdb_idl_condition_init(&sm);
        const char *names[2] = { z.name[0] ? z.name : NULL, z.old_name };
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
            if (names[i]) {
                icsbrec_service_monitor_add_clause_source_availability_zone(
                    &sm, OVSDB_F_EQ, names[i]);
                icsbrec_service_monitor_add_clause_target_availability_zone(
                    &sm, OVSDB_F_EQ, names[i]);
            }
        }
        set_cond(cm, sessions, C_SERVICE_MONITOR, &sm);
    }

    /* Address_Set: every zone's while learning, else this zone's. */
    if (cm->inputs.has_optional[C_ADDRESS_SET]) {
        struct ovsdb_idl_condition as;
        ovsdb_idl_condition_init(&as);
        const struct nbrec_nb_global *g = nbrec_nb_global_first(nb);
        if (g && smap_get_bool(&g->options, "ic-as-learn", false)) {
            ovsdb_idl_condition_add_clause_true(&as);
        } else {
            for (size_t i = 0; i < z.n_uuids; i++) {
                icsbrec_address_set_add_clause_availability_zone(
                    &as, OVSDB_F_EQ, &z.uuids[i]);
            }
        }
        set_cond(cm, sessions, C_ADDRESS_SET, &as);
    }

    sset_destroy(&attached);
    ts_scopes_destroy(&scopes);
}

/* The global writer's session: everything while this daemon holds the
 * lock, nothing otherwise. */
static void
update_global(struct ic_condmon *cm, struct ic_db *const sessions[],
              bool global_writer)
{
    for (int id = C_GLOBAL_SB_GLOBAL; id <= C_GLOBAL_ENCAP; id++) {
        struct ovsdb_idl_condition cond;
        ovsdb_idl_condition_init(&cond);
        if (global_writer) {
            ovsdb_idl_condition_add_clause_true(&cond);
        }
        set_cond(cm, sessions, id, &cond);
    }
}

static void
get_inputs(struct condmon_inputs *in, struct ic_db *const sessions[],
           const struct icsbrec_availability_zone *az, bool global_writer)
{
    struct ovsdb_idl *nb = ic_db_idl(sessions[IC_DB_NB]);
    struct ovsdb_idl *icnb = ic_db_idl(sessions[IC_DB_ICNB]);
    struct ovsdb_idl *icsb = ic_db_idl(sessions[IC_DB_ICSB]);

    memset(in, 0, sizeof *in);
    in->loaded = (ic_db_has_ever_connected(sessions[IC_DB_NB])
                  && ic_db_has_ever_connected(sessions[IC_DB_ICNB])
                  && ic_db_has_ever_connected(sessions[IC_DB_ICSB]));
    in->seqnos[0] = ovsdb_idl_table_get_seqno(nb, &nbrec_table_nb_global);
    in->seqnos[1] = ovsdb_idl_table_get_seqno(icnb,
                                              &icnbrec_table_transit_switch);
    in->seqnos[2] = ovsdb_idl_table_get_seqno(icnb,
                                              &icnbrec_table_transit_router);
    in->seqnos[3] = ovsdb_idl_table_get_seqno(
        icsb, &icsbrec_table_availability_zone);
    in->seqnos[4] = ovsdb_idl_table_get_seqno(icsb, &icsbrec_table_gateway);
    if (az) {
        in->az = az->header_.uuid;
    }
    in->global_writer = global_writer;
    for (size_t i = 0; i < N_CONDS; i++) {
        in->has_optional[i] = conds[i].optional
            && ovsdb_idl_server_has_table(
                   ic_db_idl(sessions[conds[i].session]), conds[i].table);
    }
}

uint32_t
ic_condmon_run(struct ic_condmon *cm, struct ic_db *const sessions[],
               const struct icsbrec_availability_zone *az,
               bool global_writer)
{
    if (cm->monitor_all) {
        return 0;
    }

    struct condmon_inputs in;
    get_inputs(&in, sessions, az, global_writer);
    if (!cm->started || cm->unsettled
        || memcmp(&in, &cm->inputs, sizeof in)) {
        /* While a session is unsettled the conditions are sent again each
         * round, unchanged: what ovsdb_idl_set_condition() returns then
         * is the seqno to wait for as things stand now, which also covers
         * a condition that a new connection took without a change request
         * (the IDL then never counts it). */
        cm->started = true;
        cm->inputs = in;
        for (int s = 0; s < IC_N_SESSIONS; s++) {
            cm->expected[s] = ovsdb_idl_get_condition_seqno(
                ic_db_idl(sessions[s]));
        }
        update_zone(cm, sessions, az);
        update_global(cm, sessions, global_writer);
    }

    uint32_t unsettled = 0;
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        if (ovsdb_idl_get_condition_seqno(ic_db_idl(sessions[s]))
            != cm->expected[s]) {
            unsettled |= 1u << s;
        }
    }
    if (unsettled && !cm->unsettled) {
        cm->n_changes++;
        cm->unsettled_since = time_msec();
        cm->warned = false;
    } else if (unsettled && !cm->warned
               && time_msec() - cm->unsettled_since >= UNSETTLED_WARN_MS) {
        /* A server that cannot apply conditions never acknowledges them:
         * say why nothing moves. */
        VLOG_WARN("IC-SB has not applied new monitor conditions for 10 s; "
                  "the sync steps that use it wait for it (--ic-monitor-all "
                  "does without conditions)");
        cm->warned = true;
    }
    cm->unsettled = unsettled;

    cm->wake = false;
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        unsigned int seqno = ovsdb_idl_get_seqno(ic_db_idl(sessions[s]));
        if ((unsettled & (1u << s)) && seqno != cm->seen_seqno[s]) {
            cm->wake = true;
        }
        cm->seen_seqno[s] = seqno;
    }
    return unsettled;
}

void
ic_condmon_wait(const struct ic_condmon *cm)
{
    if (cm->wake) {
        poll_immediate_wake();
    } else if (cm->unsettled && !cm->warned) {
        poll_timer_wait_until(cm->unsettled_since + UNSETTLED_WARN_MS);
    }
}

static size_t
count_rows(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *tc)
{
    size_t n = 0;
    for (const struct ovsdb_idl_row *row = ovsdb_idl_first_row(idl, tc);
         row; row = ovsdb_idl_next_row(row)) {
        n++;
    }
    return n;
}

static const char *
cond_desc(const struct ic_condmon *cm, int session,
          const struct ovsdb_idl_table_class *tc)
{
    for (size_t i = 0; i < N_CONDS; i++) {
        if (conds[i].session == session && conds[i].table == tc) {
            return cm->desc[i];
        }
    }
    return NULL;
}

/* Renders the rows each session replicates, per table, and whether it
 * waits for new conditions, into 'm'. */
void
ic_condmon_render_metrics(const struct ic_condmon *cm,
                          struct ic_db *const sessions[], struct metrics *m)
{
    metrics_family(m, "ovn_ic_replica_rows", METRIC_GAUGE,
                   "Rows the daemon replicates, per database session and "
                   "table (IC-SB narrowed by monitor conditions).");
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        struct ovsdb_idl *idl = ic_db_idl(sessions[s]);
        const struct ovsdb_idl_class *class = ovsdb_idl_get_class(idl);
        for (size_t t = 0; t < class->n_tables; t++) {
            const struct ovsdb_idl_table_class *tc = &class->tables[t];
            size_t n = count_rows(idl, tc);
            if (n || cond_desc(cm, s, tc)) {
                metrics_sample2(m, "ovn_ic_replica_rows", "db",
                                ic_session_name(s), "table", tc->name, n);
            }
        }
    }
    metrics_family(m, "ovn_ic_monitor_conditions_pending", METRIC_GAUGE,
                   "Database sessions waiting for the server to apply new "
                   "monitor conditions; the steps that use them wait.");
    metrics_sample(m, "ovn_ic_monitor_conditions_pending", NULL, NULL,
                   count_1bits(cm->unsettled));
}

void
ic_condmon_format(const struct ic_condmon *cm, struct ic_db *const sessions[],
                  struct ds *out)
{
    ds_put_format(out, "conditional monitoring: %s, condition changes: "
                  "%"PRIu64"\n",
                  cm->monitor_all ? "off (--ic-monitor-all)" : "on",
                  cm->n_changes);
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        struct ovsdb_idl *idl = ic_db_idl(sessions[s]);
        const struct ovsdb_idl_class *class = ovsdb_idl_get_class(idl);
        size_t total = 0;
        struct ds tables = DS_EMPTY_INITIALIZER;
        for (size_t t = 0; t < class->n_tables; t++) {
            const struct ovsdb_idl_table_class *tc = &class->tables[t];
            size_t n = count_rows(idl, tc);
            const char *desc = cond_desc(cm, s, tc);
            if (!n && !desc) {
                /* Not replicated, or empty. */
                continue;
            }
            total += n;
            ds_put_format(&tables, "  %s: %"PRIuSIZE" rows%s%s%s\n",
                          tc->name, n, desc ? " (" : "", desc ? desc : "",
                          desc ? ")" : "");
        }
        ds_put_format(out, "%s: %"PRIuSIZE" rows, %s\n%s",
                      ic_session_name(s), total,
                      cm->unsettled & (1u << s)
                      ? "waiting for the server to apply new conditions"
                      : "settled", ds_cstr(&tables));
        ds_destroy(&tables);
    }
}

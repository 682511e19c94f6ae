/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-port.h"

#include "ic/step.h"

#include <string.h>

#include "ic/sync-az.h"
#include "ic/sync-port-view.h"
#include "lib/key-alloc.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "lib/remote-input.h"
#include "lib/ts-scope.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(sync_port);

/* True if transit switch 'ts' is in zone 'zone' (lib/ts-scope.h). */
bool
port_view_in_scope(const struct port_view *v, const char *ts, const char *zone)
{
    const struct ts_scope *scope = shash_find_data(&v->scopes, ts);
    return !scope || ts_scope_includes(scope, zone);
}

static void
port_view_init(struct port_view *v, const struct sync_port_ctx *ctx)
{
    v->ctx = ctx;
    shash_init(&v->scopes);
    shash_init(&v->transit_switches);
    shash_init(&v->sb_ports);
    shash_init(&v->chassis);
    shash_init(&v->router_of_port);
    shash_init(&v->switch_of_port);
    shash_init(&v->isb_ports);
    shash_init(&v->ts_keys);
    shash_init(&v->tsps);
    shash_init(&v->nb_ports);
    shash_init(&v->nb_switches);
    v->has_pb_type
        = icsbrec_server_has_port_binding_table_col_type(ctx->icsb_idl);
    v->has_lsp_peer
        = nbrec_server_has_logical_switch_port_table_col_peer(ctx->nb_idl);

    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->icnb_idl) {
        for (size_t i = 0; i < ts->n_ports; i++) {
            shash_add_once(&v->tsps, ts->ports[i]->name, ts->ports[i]);
        }
        if (smap_get(&ts->other_config, TS_SCOPE_KEY)
            && !shash_find(&v->scopes, ts->name)) {
            struct ts_scope *scope = xmalloc(sizeof *scope);
            ts_scope_from_config(scope, &ts->other_config);
            shash_add(&v->scopes, ts->name, scope);
        }
    }
    /* A transit switch out of this zone's scope is not here, even while
     * the transit-switch step's deletion of its logical switch is in
     * flight. */
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->nb_idl) {
        const char *ts_name = smap_get(&ls->other_config, "interconn-ts");
        if (ts_name && port_view_in_scope(v, ts_name, ctx->az->name)) {
            shash_add_once(&v->transit_switches, ts_name, ls);
        }
        shash_add_once(&v->nb_switches, ls->name, ls);
    }
    /* Port names are unique in NB: a mirror needs its name free. */
    const struct nbrec_logical_switch_port *lsp;
    NBREC_LOGICAL_SWITCH_PORT_FOR_EACH (lsp, ctx->nb_idl) {
        shash_add_once(&v->nb_ports, lsp->name, lsp);
    }
    const struct sbrec_port_binding *pb;
    SBREC_PORT_BINDING_FOR_EACH (pb, ctx->sb_idl) {
        shash_add_once(&v->sb_ports, pb->logical_port, pb);
    }
    const struct sbrec_chassis *ch;
    SBREC_CHASSIS_FOR_EACH (ch, ctx->sb_idl) {
        shash_add_once(&v->chassis, ch->name, ch);
    }
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_ports; i++) {
            shash_add_once(&v->router_of_port, lr->ports[i]->name, lr);
        }
    }
    const struct icsbrec_port_binding *isb;
    ICSBREC_PORT_BINDING_FOR_EACH (isb, ctx->icsb_idl) {
        if (v->has_pb_type && isb->type
            && strcmp(isb->type, "transit-switch-port")) {
            continue;           /* A transit router's port. */
        }
        shash_add_once(&v->isb_ports, isb->logical_port, isb);
        struct key_space *ks = shash_find_data(&v->ts_keys,
                                               isb->transit_switch);
        if (!ks) {
            ks = xmalloc(sizeof *ks);
            key_space_init(ks, IC_PORT_KEY_MIN, IC_PORT_KEY_MAX);
            shash_add(&v->ts_keys, isb->transit_switch, ks);
        }
        key_space_reserve(ks, isb->tunnel_key);
    }
}

static void
port_view_destroy(struct port_view *v)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->ts_keys) {
        key_space_destroy(node->data);
        free(node->data);
    }
    SHASH_FOR_EACH (node, &v->scopes) {
        ts_scope_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&v->scopes);
    shash_destroy(&v->ts_keys);
    shash_destroy(&v->tsps);
    shash_destroy(&v->nb_ports);
    shash_destroy(&v->nb_switches);
    shash_destroy(&v->isb_ports);
    shash_destroy(&v->router_of_port);
    shash_destroy(&v->switch_of_port);
    shash_destroy(&v->sb_ports);
    shash_destroy(&v->chassis);
    shash_destroy(&v->transit_switches);
}

struct key_space *
port_view_key_space(struct port_view *v, const char *ts)
{
    struct key_space *ks = shash_find_data(&v->ts_keys, ts);
    if (!ks) {
        ks = xmalloc(sizeof *ks);
        key_space_init(ks, IC_PORT_KEY_MIN, IC_PORT_KEY_MAX);
        shash_add(&v->ts_keys, ts, ks);
    }
    return ks;
}

/* Returns the NB logical switch that has the port called 'name', or NULL.
 * Only "switch" ports need this, so the index is built on first use. */
static const struct nbrec_logical_switch *
switch_of_port(struct port_view *v, const char *name)
{
    if (shash_is_empty(&v->switch_of_port)) {
        const struct nbrec_logical_switch *ls;
        NBREC_LOGICAL_SWITCH_FOR_EACH (ls, v->ctx->nb_idl) {
            for (size_t i = 0; i < ls->n_ports; i++) {
                shash_add_once(&v->switch_of_port, ls->ports[i]->name, ls);
            }
        }
    }
    return shash_find_data(&v->switch_of_port, name);
}

/* True if a switch port of type 'type' on a transit switch, created in
 * NB by the CMS, is published: a router's port, or (upstream 25.03 and
 * later, for spine-leaf topologies) a port to another logical switch. */
static bool
is_published_type(const char *type)
{
    return !strcmp(type, "router") || !strcmp(type, "switch");
}

/* True if 'lsp' mirrors an IC-NB Transit_Switch_Port. */
bool
sync_port_is_tsp_mirror(const struct nbrec_logical_switch_port *lsp)
{
    return smap_get(&lsp->options, "interconn-tsp") != NULL;
}

/* Sets 'lsp''s options:requested-tnl-key to 'key' unless it already is. */
void
sync_port_set_requested_tnl_key(const struct nbrec_logical_switch_port *lsp,
                                int64_t key)
{
    char s[24];
    snprintf(s, sizeof s, "%"PRId64, key);
    const char *cur = smap_get(&lsp->options, "requested-tnl-key");
    if (!cur || strcmp(cur, s)) {
        nbrec_logical_switch_port_update_options_setkey(
            lsp, "requested-tnl-key", s);
    }
}

/* The values a local port publishes. */
struct local_port {
    const char *address;        /* Peer router port's SB "mac", or "". */
    const char *gateway;        /* Chassis of "cr-<peer>", or "". */
    char router_id[UUID_LEN + 1]; /* NB UUID of the peer router, or "". */
};

static void
set_router_id(struct local_port *lp, const struct uuid *uuid)
{
    if (uuid) {
        snprintf(lp->router_id, sizeof lp->router_id, UUID_FMT,
                 UUID_ARGS(uuid));
    } else {
        lp->router_id[0] = '\0';
    }
}

/* A "switch" port joins the transit switch to another logical switch, as
 * upstream publishes it: its address is "unknown" (a switch has any
 * address behind it, and a binding holds one), its gateway the chassis
 * that claimed it (the one its options:requested-chassis names), and its
 * "router-id" the NB UUID of the switch its peer port is on, as upstream
 * finds it through the peer's datapath. */
static void
switch_port_collect(struct port_view *v,
                    const struct nbrec_logical_switch_port *lsp,
                    struct local_port *lp)
{
    const struct sbrec_port_binding *pb
        = shash_find_data(&v->sb_ports, lsp->name);
    lp->address = "unknown";
    lp->gateway = pb && pb->chassis ? pb->chassis->name : "";

    const struct nbrec_logical_switch *peer_ls
        = (v->has_lsp_peer && lsp->peer
           ? switch_of_port(v, lsp->peer) : NULL);
    set_router_id(lp, peer_ls ? &peer_ls->header_.uuid : NULL);
}

static void
local_port_collect(struct port_view *v,
                   const struct nbrec_logical_switch_port *lsp,
                   struct local_port *lp)
{
    if (!strcmp(lsp->type, "switch")) {
        switch_port_collect(v, lsp, lp);
        return;
    }

    const char *peer = smap_get_def(&lsp->options, "router-port", "");

    const struct sbrec_port_binding *peer_pb
        = shash_find_data(&v->sb_ports, peer);
    lp->address = peer_pb && peer_pb->n_mac ? peer_pb->mac[0] : "";

    char *cr_name = xasprintf("cr-%s", peer);
    const struct sbrec_port_binding *cr_pb
        = shash_find_data(&v->sb_ports, cr_name);
    free(cr_name);
    lp->gateway = cr_pb && cr_pb->chassis ? cr_pb->chassis->name : "";

    const struct nbrec_logical_router *lr
        = shash_find_data(&v->router_of_port, peer);
    set_router_id(lp, lr ? &lr->header_.uuid : NULL);
}

static void
publish_local_port(struct port_view *v, const char *ts,
                   const struct nbrec_logical_switch_port *lsp,
                   struct shash *stale)
{
    const struct sync_port_ctx *ctx = v->ctx;
    const struct icsbrec_port_binding *isb
        = shash_find_data(&v->isb_ports, lsp->name);

    if (isb && ROW_AZ(isb) != ctx->az) {
        problems_report(ctx->problems, SYNC_PORT_OWNER, lsp->name,
                        "port name already published by availability zone "
                        "%s; not published",
                        az_name(ROW_AZ(isb)));
        return;
    }
    if (isb && strcmp(isb->transit_switch, ts)) {
        /* The port moved to another transit switch: its key belongs to the
         * old one, so publish it afresh.  (Not stale any more: deleted.) */
        VLOG_INFO("port %s moved from transit switch %s to %s", lsp->name,
                  isb->transit_switch, ts);
        icsbrec_port_binding_delete(isb);
        shash_find_and_delete(stale, lsp->name);
        shash_find_and_delete(&v->isb_ports, lsp->name);
        isb = NULL;
    }
    if (!shash_find(&v->sb_ports, lsp->name)) {
        return;                 /* Not yet seen by northd. */
    }

    struct local_port lp;
    local_port_collect(v, lsp, &lp);

    if (!isb) {
        struct key_space *ks = port_view_key_space(v, ts);
        uint32_t hint = 0;
        uint32_t key;
        if (!key_parse(smap_get(&lsp->options, "requested-tnl-key"), &key)
            || !key_space_reserve(ks, key)) {
            key = key_space_allocate(ks, &hint);
        }
        if (!key) {
            problems_report(ctx->problems, SYNC_PORT_OWNER, lsp->name,
                            "no free port key on transit switch %s", ts);
            return;
        }
        VLOG_INFO("publishing port %s on transit switch %s (key %"PRIu32")",
                  lsp->name, ts, key);
        isb = sync_port_insert_binding(v, lsp->name, ts, key);
    } else {
        shash_find_and_delete(stale, lsp->name);
    }

    if (strcmp(isb->address, lp.address)) {
        icsbrec_port_binding_set_address(isb, lp.address);
    }
    if (strcmp(isb->gateway, lp.gateway)) {
        icsbrec_port_binding_set_gateway(isb, lp.gateway);
    }
    const char *rid = smap_get_def(&isb->external_ids, "router-id", "");
    if (strcmp(rid, lp.router_id)) {
        if (lp.router_id[0]) {
            icsbrec_port_binding_update_external_ids_setkey(
                isb, "router-id", lp.router_id);
        } else {
            icsbrec_port_binding_update_external_ids_delkey(isb,
                                                            "router-id");
        }
    }

    sync_port_set_requested_tnl_key(lsp, isb->tunnel_key);
}

/* Returns false if some local port still waits for northd. */
static bool
sync_local_ports(struct port_view *v)
{
    const struct sync_port_ctx *ctx = v->ctx;
    bool complete = true;

    /* This zone's bindings; those not matched below are stale. */
    struct shash stale = SHASH_INITIALIZER(&stale);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->isb_ports) {
        const struct icsbrec_port_binding *isb = node->data;
        if (ROW_AZ(isb) == ctx->az
            && !shash_find(&v->tsps, node->name)) {
            shash_add(&stale, node->name, isb);
        }
    }

    SHASH_FOR_EACH (node, &v->transit_switches) {
        const struct nbrec_logical_switch *ls = node->data;
        for (size_t i = 0; i < ls->n_ports; i++) {
            const struct nbrec_logical_switch_port *lsp = ls->ports[i];
            if (!is_published_type(lsp->type) || sync_port_is_tsp_mirror(lsp)
                || shash_find(&v->tsps, lsp->name)) {
                continue;       /* A transit switch port, or its name. */
            }
            publish_local_port(v, node->name, lsp, &stale);
            if (!shash_find(&v->sb_ports, lsp->name)) {
                complete = false;
            }
        }
    }

    SHASH_FOR_EACH (node, &stale) {
        const struct icsbrec_port_binding *isb = node->data;
        VLOG_INFO("withdrawing port %s from transit switch %s",
                  isb->logical_port, isb->transit_switch);
        icsbrec_port_binding_delete(isb);
        shash_find_and_delete(&v->isb_ports, node->name);
    }
    shash_destroy(&stale);
    return complete;
}

/* Inserts this zone's IC-SB Port_Binding of port 'name' on transit switch
 * 'ts' with tunnel key 'key', and returns it. */
const struct icsbrec_port_binding *
sync_port_insert_binding(const struct port_view *v, const char *name,
                         const char *ts, uint32_t key)
{
    const struct sync_port_ctx *ctx = v->ctx;
    const struct icsbrec_port_binding *isb
        = icsbrec_port_binding_insert(ctx->icsb_txn);
    icsbrec_port_binding_set_logical_port(isb, name);
    icsbrec_port_binding_set_transit_switch(isb, ts);
    icsbrec_port_binding_set_availability_zone(isb, ctx->az);
    row_set_zone_name(&isb->header_,
                      &icsbrec_port_binding_col_availability_zone_name,
                      ctx->az);
    icsbrec_port_binding_set_tunnel_key(isb, key);
    if (v->has_pb_type) {
        icsbrec_port_binding_set_type(isb, "transit-switch-port");
    }
    return isb;
}

/* Other zones' ports -> NB remote switch ports and SB bindings. */

bool
sync_port_chassis_is_remote(const struct sbrec_chassis *ch)
{
    return smap_get_bool(&ch->other_config, "is-remote", false);
}

/* Returns true if 'pb' is the SB binding of a remote port on a transit
 * switch, on transit switch 'ts' if it is nonnull: of type "remote", on
 * the datapath that northd made for the transit switch (its
 * external_ids:interconn-ts names it). */
static bool
sb_binding_is_remote_on(const struct sbrec_port_binding *pb, const char *ts)
{
    const char *dp_ts = (pb->datapath
                         ? smap_get(&pb->datapath->external_ids,
                                    "interconn-ts")
                         : NULL);
    return (!strcmp(pb->type, "remote") && dp_ts
            && (!ts || !strcmp(dp_ts, ts)));
}

/* Returns why the other zone's binding 'isb' must not be mirrored here, or
 * NULL.  'mirror' is the remote port this step already made for it, if
 * any, on this transit switch or (it moved) on another.  A binding is
 * refused if a field this zone would copy is malformed (see
 * lib/remote-input.h), or if its name is taken by anything of this zone
 * that is not such a mirror: a switch port, a router port, a switch, a
 * chassis, or an SB binding that is not a remote port of a transit switch.
 * Mirroring it would rename nothing and bind the local port to the other
 * zone's gateway. */
static const char *
remote_port_refusal(const struct port_view *v,
                    const struct icsbrec_port_binding *isb,
                    const struct nbrec_logical_switch_port *mirror)
{
    const char *error = ROW_AZ_REFUSAL(isb);
    if (!error) {
        error = remote_input_check_name(isb->logical_port);
    }
    if (!error && isb->gateway[0]) {
        error = remote_input_check_name(isb->gateway);
    }
    if (!error) {
        error = remote_input_check_port_address(isb->address);
    }
    if (!error) {
        error = remote_input_check_tunnel_key(isb->tunnel_key,
                                              IC_PORT_KEY_MIN,
                                              IC_PORT_KEY_MAX);
    }
    if (error) {
        return error;
    }
    const struct sbrec_chassis *gw = shash_find_data(&v->chassis,
                                                     isb->gateway);
    if (gw && !sync_port_chassis_is_remote(gw)) {
        return "its gateway is a chassis of this zone";
    }

    const char *name = isb->logical_port;
    const struct nbrec_logical_switch_port *lsp
        = shash_find_data(&v->nb_ports, name);
    if (lsp && lsp != mirror) {
        return "its name is a local switch port's";
    }
    if (shash_find(&v->router_of_port, name)) {
        return "its name is a local router port's";
    }
    if (shash_find(&v->nb_switches, name)) {
        return "its name is a local logical switch's";
    }
    if (shash_find(&v->chassis, name)) {
        return "its name is a chassis'";
    }
    const struct sbrec_port_binding *pb = shash_find_data(&v->sb_ports, name);
    if (pb && !sb_binding_is_remote_on(pb, NULL)) {
        return "its name is a local port binding's";
    }
    return NULL;
}

/* Reports that 'isb', another zone's binding on a scoped transit switch
 * whose scope does not name its zone, is refused. */
void
port_view_refuse_out_of_scope(const struct port_view *v,
                              const struct icsbrec_port_binding *isb)
{
    char *object = remote_input_row_name(isb->logical_port, "Port_Binding",
                                         &isb->header_.uuid);
    problems_refuse(v->ctx->problems, SYNC_PORT_OWNER, object,
                    "port of availability zone %s on transit switch %s "
                    "refused: the switch's scope (other_config:%s) does "
                    "not include that zone",
                    az_name(ROW_AZ(isb)), isb->transit_switch,
                    TS_SCOPE_KEY);
    free(object);
}

void
port_view_bind_remote(struct port_view *v,
                      const struct nbrec_logical_switch_port *lsp,
                      const struct icsbrec_port_binding *isb)
{
    if (smap_get(&lsp->options, "requested-chassis")
        && !sync_port_is_tsp_mirror(lsp)) {
        return;                 /* The CMS binds it; northd honours that. */
    }
    const struct sbrec_port_binding *pb
        = shash_find_data(&v->sb_ports, lsp->name);
    if (!pb || !sb_binding_is_remote_on(pb, isb->transit_switch)) {
        /* northd has not created it yet, or the name is another port's:
         * a binding that is not a remote port of the transit switch is
         * never this step's to bind. */
        return;
    }
    const struct sbrec_chassis *chassis
        = isb->gateway[0] ? shash_find_data(&v->chassis, isb->gateway) : NULL;
    if (chassis && !sync_port_chassis_is_remote(chassis)) {
        return;                 /* A remote port is bound to a remote one. */
    }
    if (pb->chassis != chassis) {
        sbrec_port_binding_set_chassis(pb, chassis);
    }
}

/* Fills 'ports' (name -> struct ts_lsp) with the ports of transit
 * switches that 'select' picks, one per name. */
void
port_view_collect_ts_lsps(
    const struct port_view *v, struct shash *ports,
    bool (*select)(const struct nbrec_logical_switch_port *))
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->transit_switches) {
        const struct nbrec_logical_switch *ls = node->data;
        for (size_t i = 0; i < ls->n_ports; i++) {
            const struct nbrec_logical_switch_port *lsp = ls->ports[i];
            if (select(lsp)) {
                struct ts_lsp *rp = xmalloc(sizeof *rp);
                *rp = (struct ts_lsp) { lsp, ls };
                if (!shash_add_once(ports, lsp->name, rp)) {
                    free(rp);
                }
            }
        }
    }
}

/* Takes the port called 'name' out of 'ports' and returns it, if it is on
 * 'ls'; a port on another switch stays, to be deleted. */
const struct nbrec_logical_switch_port *
ts_lsps_take(struct shash *ports, const char *name,
             const struct nbrec_logical_switch *ls)
{
    struct shash_node *node = shash_find(ports, name);
    if (!node || ((struct ts_lsp *) node->data)->ls != ls) {
        return NULL;
    }
    struct ts_lsp *rp = node->data;
    const struct nbrec_logical_switch_port *lsp = rp->lsp;
    shash_delete(ports, node);
    free(rp);
    return lsp;
}

/* Deletes the ports left in 'ports', which nothing wants, and empties it. */
void
ts_lsps_delete(struct shash *ports, const char *why)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, ports) {
        struct ts_lsp *rp = node->data;
        VLOG_INFO("removing switch port %s: %s", rp->lsp->name, why);
        nbrec_logical_switch_update_ports_delvalue(rp->ls, rp->lsp);
        nbrec_logical_switch_port_delete(rp->lsp);
        free(rp);
    }
    shash_destroy(ports);
}

static bool
is_legacy_remote_port(const struct nbrec_logical_switch_port *lsp)
{
    return !sync_port_is_tsp_mirror(lsp) && !strcmp(lsp->type, "remote");
}

static void
sync_remote_ports(struct port_view *v)
{
    const struct sync_port_ctx *ctx = v->ctx;

    /* Remote ports present now, by name; those not matched are stale. */
    struct shash stale = SHASH_INITIALIZER(&stale);
    port_view_collect_ts_lsps(v, &stale, is_legacy_remote_port);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->isb_ports) {
        const struct icsbrec_port_binding *isb = node->data;
        if (ROW_AZ(isb) == ctx->az
            || shash_find(&v->tsps, node->name)
            || smap_get(&isb->external_ids, "interconn-tsp")) {
            continue;           /* Ours, or a transit switch port's. */
        }
        const struct nbrec_logical_switch *ls
            = shash_find_data(&v->transit_switches, isb->transit_switch);
        if (!ls) {
            continue;
        }
        if (!port_view_in_scope(v, isb->transit_switch,
                         az_name(ROW_AZ(isb)))) {
            /* Refused, and its mirror, if any, goes with the stale ones:
             * the zone is not (or no longer) on the switch. */
            port_view_refuse_out_of_scope(v, isb);
            continue;
        }

        /* A remote port that moved to another transit switch is recreated
         * on the right one. */
        const struct nbrec_logical_switch_port *lsp
            = ts_lsps_take(&stale, isb->logical_port, ls);
        const struct ts_lsp *moved = shash_find_data(&stale,
                                                     isb->logical_port);
        const char *refusal = remote_port_refusal(
            v, isb, lsp ? lsp : moved ? moved->lsp : NULL);
        if (refusal) {
            /* Refused: its mirror, if any, stays as it was. */
            char *object = remote_input_row_name(isb->logical_port,
                                                 "Port_Binding",
                                                 &isb->header_.uuid);
            problems_refuse(ctx->problems, SYNC_PORT_OWNER, object,
                            "port of availability zone %s on transit "
                            "switch %s refused: %s",
                            az_name(ROW_AZ(isb)),
                            isb->transit_switch, refusal);
            free(object);
            continue;
        }
        if (!lsp) {
            VLOG_INFO("adding remote port %s on transit switch %s",
                      isb->logical_port, isb->transit_switch);
            lsp = nbrec_logical_switch_port_insert(ctx->nb_txn);
            nbrec_logical_switch_port_set_name(lsp, isb->logical_port);
            nbrec_logical_switch_port_set_type(lsp, "remote");
            nbrec_logical_switch_update_ports_addvalue(ls, lsp);
        }

        bool want_address = isb->address[0] != '\0';
        if (want_address != (lsp->n_addresses == 1)
            || (want_address && strcmp(lsp->addresses[0], isb->address))) {
            const char *address = isb->address;
            nbrec_logical_switch_port_set_addresses(lsp, &address,
                                                    want_address);
        }
        sync_port_set_requested_tnl_key(lsp, isb->tunnel_key);
        port_view_bind_remote(v, lsp, isb);
    }

    ts_lsps_delete(&stale, "its zone withdrew it");
}

static bool
sync_port_run(struct ic_step_ctx *step)
{
    struct sync_port_ctx ctx_ = {
        .az = ic_step_az(step),
        .icnb_idl = ic_step_idl(step, IC_DB_ICNB),
        .global_writer = step->global_writer,
        .nb_idl = ic_step_idl(step, IC_DB_NB),
        .nb_txn = ic_step_txn(step, IC_DB_NB),
        .sb_idl = ic_step_idl(step, IC_DB_SB),
        .sb_txn = ic_step_txn(step, IC_DB_SB),
        .icsb_idl = ic_step_idl(step, IC_DB_ICSB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
    };
    const struct sync_port_ctx *ctx = &ctx_;
    struct port_view v;
    port_view_init(&v, ctx);
    problems_begin(ctx->problems, SYNC_PORT_OWNER);

    bool complete = sync_port_tsp(&v);
    complete = sync_local_ports(&v) && complete;
    sync_remote_ports(&v);

    problems_end(ctx->problems, SYNC_PORT_OWNER);
    port_view_destroy(&v);
    return complete;
}

const struct ic_step sync_port_step = {
    .name = "port",
    .description = "transit switch ports, both directions",
    .needs_az = true,
    .reads = {
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
        /* For the transit switch that a binding's datapath belongs to. */
        { IC_DB_SB, &sbrec_table_datapath_binding },
        { IC_DB_SB, &sbrec_table_chassis },
        { IC_DB_ICSB, &icsbrec_table_port_binding },
        { IC_DB_ICNB, &icnbrec_table_transit_switch },
        { IC_DB_ICNB, &icnbrec_table_transit_switch_port },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_switch_port },
        { IC_DB_NB, &nbrec_table_logical_switch,
          .columns = { &nbrec_logical_switch_col_ports } },
        { IC_DB_SB, &sbrec_table_port_binding,
          .columns = { &sbrec_port_binding_col_chassis } },
        /* Transit routers' ports are another step's. */
        { IC_DB_ICSB, &icsbrec_table_port_binding,
          .rows = "type=transit-switch-port" },
    },
    .run = sync_port_run,
};

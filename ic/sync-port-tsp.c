/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* The port step's share for transit switch ports managed in IC-NB
 * (Transit_Switch_Port, "ovn-ic-nbctl tsp-add"): see ic/sync-port.h for
 * what it does and ic/sync-port-view.h for how it shares the step's pass
 * with ic/sync-port.c. */

#include <config.h>

#include "ic/sync-port-view.h"

#include <string.h>

#include "ic/sync-az.h"
#include "lib/key-alloc.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "lib/ts-scope.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

/* Logs as "sync_port", which ic/sync-port.c defines. */
extern struct vlog_module *VLM_sync_port;
#define this_module (*VLM_sync_port)

/* Who publishes a transit switch port's IC-SB binding. */
enum tsp_owner {
    TSP_GLOBAL,                 /* No chassis: the global writer. */
    TSP_LOCAL,                  /* A chassis of this zone: this zone. */
    TSP_REMOTE,                 /* A chassis of another zone: that zone. */
};

/* A chassis that this zone does not know at all (its ovn-controller
 * stopped and removed it, or it is not up yet) leaves the port where it
 * is: published by this zone if it was, else another zone's. */
static enum tsp_owner
tsp_owner(const struct port_view *v,
          const struct icnbrec_transit_switch_port *tsp,
          const struct icsbrec_port_binding *isb)
{
    if (!tsp->chassis[0]) {
        return TSP_GLOBAL;
    }
    const struct sbrec_chassis *ch = shash_find_data(&v->chassis,
                                                     tsp->chassis);
    if (!ch) {
        return isb && ROW_AZ(isb) == v->ctx->az
               ? TSP_LOCAL : TSP_REMOTE;
    }
    return sync_port_chassis_is_remote(ch) ? TSP_REMOTE : TSP_LOCAL;
}

/* Publishes 'tsp' of 'ts' in IC-SB, owned by 'owner', or brings its
 * binding 'isb' up to date.  Returns the binding, or NULL. */
static const struct icsbrec_port_binding *
publish_tsp(struct port_view *v, const struct icnbrec_transit_switch *ts,
            const struct icnbrec_transit_switch_port *tsp,
            enum tsp_owner owner, const struct icsbrec_port_binding *isb)
{
    const struct sync_port_ctx *ctx = v->ctx;
    if (isb && ROW_AZ(isb) != ctx->az && owner == TSP_LOCAL) {
        /* Another zone still holds it (the chassis moved here); it lets go
         * when it sees the move.  A port without a chassis belongs to
         * whichever daemon is the global writer, whatever the zone of the
         * one that published it. */
        problems_report(ctx->problems, SYNC_PORT_OWNER, tsp->name,
                        "its chassis %s is in this zone, but availability "
                        "zone %s still publishes it; waiting for that zone "
                        "to let go", tsp->chassis,
                        az_name(ROW_AZ(isb)));
        return NULL;
    }
    if (!isb) {
        uint32_t hint = 0;
        uint32_t key = key_space_allocate(port_view_key_space(v, ts->name),
                                          &hint);
        if (!key) {
            problems_report(ctx->problems, SYNC_PORT_OWNER, tsp->name,
                            "no free port key on transit switch %s",
                            ts->name);
            return NULL;
        }
        VLOG_INFO("publishing transit switch port %s on %s (key %"PRIu32")",
                  tsp->name, ts->name, key);
        isb = sync_port_insert_binding(v, tsp->name, ts->name, key);
        if (icsbrec_server_has_port_binding_table_col_nb_ic_uuid(
                ctx->icsb_idl)) {
            icsbrec_port_binding_set_nb_ic_uuid(isb, &ts->header_.uuid, 1);
        }
        shash_replace(&v->isb_ports, tsp->name, isb);
    }
    if (!smap_get(&isb->external_ids, "interconn-tsp")) {
        /* Tells other zones that it is not a port created in NB, even
         * after the transit switch port is gone. */
        icsbrec_port_binding_update_external_ids_setkey(isb, "interconn-tsp",
                                                        tsp->name);
    }
    const char *address = tsp->n_addresses ? tsp->addresses[0] : "";
    if (strcmp(isb->address, address)) {
        icsbrec_port_binding_set_address(isb, address);
    }
    if (strcmp(isb->gateway, tsp->chassis)) {
        icsbrec_port_binding_set_gateway(isb, tsp->chassis);
    }
    return isb;
}

static void
set_option(const struct nbrec_logical_switch_port *lsp, const char *key,
           const char *value)
{
    const char *cur = smap_get(&lsp->options, key);
    if (value && value[0]) {
        if (!cur || strcmp(cur, value)) {
            nbrec_logical_switch_port_update_options_setkey(lsp, key, value);
        }
    } else if (cur) {
        nbrec_logical_switch_port_update_options_delkey(lsp, key);
    }
}

static bool
same_addresses(const struct nbrec_logical_switch_port *lsp,
               const struct icnbrec_transit_switch_port *tsp)
{
    if (lsp->n_addresses != tsp->n_addresses) {
        return false;
    }
    for (size_t i = 0; i < lsp->n_addresses; i++) {
        if (strcmp(lsp->addresses[i], tsp->addresses[i])) {
            return false;
        }
    }
    return true;
}

/* Names 'tsp''s peer on its mirror 'lsp', as upstream does in every zone,
 * whatever the mirror's own type: a router's port in options:router-port,
 * any other type's in the "peer" column (NB 7.11.0, OVN 25.03), clearing
 * the other one. */
static void
mirror_tsp_peer(struct port_view *v,
                const struct icnbrec_transit_switch_port *tsp,
                const struct nbrec_logical_switch_port *lsp)
{
    bool router = !strcmp(tsp->type, "router");
    set_option(lsp, "router-port", router ? tsp->peer : NULL);
    if (!v->has_lsp_peer) {
        if (!router && tsp->peer[0]) {
            problems_report(v->ctx->problems, SYNC_PORT_OWNER, tsp->name,
                            "peer %s not set: this zone's NB has no "
                            "Logical_Switch_Port.peer column (OVN 25.03 "
                            "or later has it)", tsp->peer);
        }
        return;
    }
    const char *peer = router ? "" : tsp->peer;
    const char *cur = lsp->peer ? lsp->peer : "";
    if (strcmp(cur, peer)) {
        nbrec_logical_switch_port_set_peer(lsp, peer[0] ? peer : NULL);
    }
}

/* Brings 'lsp', the NB mirror of 'tsp', in line with it. */
static void
mirror_tsp(struct port_view *v, const struct icnbrec_transit_switch_port *tsp,
           enum tsp_owner owner, const struct icsbrec_port_binding *isb,
           const struct nbrec_logical_switch_port *lsp)
{
    const char *type = owner == TSP_REMOTE ? "remote" : tsp->type;
    if (strcmp(lsp->type, type)) {
        nbrec_logical_switch_port_set_type(lsp, type);
    }
    if (!same_addresses(lsp, tsp)) {
        nbrec_logical_switch_port_set_addresses(
            lsp, (const char **) tsp->addresses, tsp->n_addresses);
    }
    set_option(lsp, "requested-chassis", tsp->chassis);
    sync_port_set_requested_tnl_key(lsp, isb->tunnel_key);
    mirror_tsp_peer(v, tsp, lsp);
    if (owner == TSP_REMOTE) {
        port_view_bind_remote(v, lsp, isb);
    }
}

/* The ports of transit switch 'ts', which is out of this zone's scope: the
 * global writer publishes those without a chassis all the same (in-scope
 * zones mirror them), and this zone withdraws any other binding it
 * published.  Nothing is mirrored here.  Returns false if a port waits
 * for a key. */
static bool
sync_tsp_out_of_scope(struct port_view *v,
                      const struct icnbrec_transit_switch *ts)
{
    const struct sync_port_ctx *ctx = v->ctx;
    bool complete = true;
    for (size_t i = 0; i < ts->n_ports; i++) {
        const struct icnbrec_transit_switch_port *tsp = ts->ports[i];
        const struct icsbrec_port_binding *isb
            = shash_find_data(&v->isb_ports, tsp->name);
        if (isb && strcmp(isb->transit_switch, ts->name)) {
            continue;           /* Moving: the in-scope zones see to it. */
        }
        enum tsp_owner owner = tsp_owner(v, tsp, isb);
        if (owner == TSP_GLOBAL && ctx->global_writer) {
            complete = publish_tsp(v, ts, tsp, owner, isb) && complete;
            continue;
        }
        if (owner == TSP_LOCAL) {
            problems_report(ctx->problems, SYNC_PORT_OWNER, tsp->name,
                            "its chassis %s is in this zone, which the "
                            "scope of transit switch %s does not include; "
                            "not published", tsp->chassis, ts->name);
        }
        if (isb && ROW_AZ(isb) == ctx->az
            && owner != TSP_GLOBAL) {
            VLOG_INFO("withdrawing transit switch port %s: transit switch "
                      "%s is scoped to other availability zones",
                      tsp->name, ts->name);
            icsbrec_port_binding_delete(isb);
            shash_find_and_delete(&v->isb_ports, tsp->name);
        }
    }
    return complete;
}

/* IC-NB Transit_Switch_Port -> IC-SB Port_Binding and NB switch ports
 * marked options:interconn-tsp.  Returns false if some port waits. */
bool
sync_port_tsp(struct port_view *v)
{
    const struct sync_port_ctx *ctx = v->ctx;
    bool complete = true;

    /* The switch ports that mirror one now; those not matched go. */
    struct shash stale = SHASH_INITIALIZER(&stale);
    port_view_collect_ts_lsps(v, &stale, sync_port_is_tsp_mirror);

    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->icnb_idl) {
        const struct nbrec_logical_switch *ls
            = shash_find_data(&v->transit_switches, ts->name);
        if (!ls && !port_view_in_scope(v, ts->name, ctx->az->name)) {
            complete = sync_tsp_out_of_scope(v, ts) && complete;
            continue;
        } else if (!ls) {
            complete = complete && !ts->n_ports;
            continue;
        }
        for (size_t i = 0; i < ts->n_ports; i++) {
            const struct icnbrec_transit_switch_port *tsp = ts->ports[i];
            const struct nbrec_logical_switch_port *other
                = shash_find_data(&v->nb_ports, tsp->name);
            if (other && !sync_port_is_tsp_mirror(other)) {
                problems_report(ctx->problems, SYNC_PORT_OWNER, tsp->name,
                                "transit switch port name is taken by a "
                                "switch port of this zone; not mirrored");
                continue;
            }
            const struct icsbrec_port_binding *isb
                = shash_find_data(&v->isb_ports, tsp->name);
            enum tsp_owner owner = tsp_owner(v, tsp, isb);
            bool ours = (owner == TSP_LOCAL
                         || (owner == TSP_GLOBAL && ctx->global_writer));
            if (isb && strcmp(isb->transit_switch, ts->name)) {
                if (ROW_AZ(isb) != ctx->az
                    && !(owner == TSP_GLOBAL && ctx->global_writer)) {
                    continue;   /* Its owner moves it. */
                }
                /* Moved to another transit switch: its key belongs to the
                 * old one, so publish it afresh. */
                VLOG_INFO("transit switch port %s moved from %s to %s",
                          tsp->name, isb->transit_switch, ts->name);
                icsbrec_port_binding_delete(isb);
                shash_find_and_delete(&v->isb_ports, tsp->name);
                isb = NULL;
            }

            if (ours) {
                isb = publish_tsp(v, ts, tsp, owner, isb);
                /* This zone has to publish it and cannot yet. */
                complete = complete && isb;
            } else if (owner == TSP_REMOTE && isb
                       && ROW_AZ(isb) == ctx->az) {
                /* Its chassis moved to another zone. */
                VLOG_INFO("transit switch port %s moved to another zone",
                          tsp->name);
                icsbrec_port_binding_delete(isb);
                shash_find_and_delete(&v->isb_ports, tsp->name);
                isb = NULL;
            }
            if (!isb) {
                continue;       /* Until its owner publishes it. */
            }
            if (owner == TSP_REMOTE
                && !port_view_in_scope(v, ts->name,
                                az_name(ROW_AZ(isb)))) {
                port_view_refuse_out_of_scope(v, isb);
                continue;       /* Its mirror, if any, goes. */
            }

            const struct nbrec_logical_switch_port *lsp
                = ts_lsps_take(&stale, tsp->name, ls);
            if (!lsp) {
                VLOG_INFO("adding switch port %s for transit switch port %s",
                          tsp->name, ts->name);
                lsp = nbrec_logical_switch_port_insert(ctx->nb_txn);
                nbrec_logical_switch_port_set_name(lsp, tsp->name);
                nbrec_logical_switch_port_update_options_setkey(
                    lsp, "interconn-tsp", tsp->name);
                nbrec_logical_switch_update_ports_addvalue(ls, lsp);
            }
            mirror_tsp(v, tsp, owner, isb, lsp);
        }
    }

    ts_lsps_delete(&stale, "its transit switch port is gone");

    /* A port without a chassis that is gone: its binding is the global
     * writer's to withdraw, whichever zone published it.  (A zone
     * withdraws its own bindings of gone ports with its stale ones.) */
    if (ctx->global_writer) {
        struct shash_node *node, *next;
        SHASH_FOR_EACH_SAFE (node, next, &v->isb_ports) {
            const struct icsbrec_port_binding *isb = node->data;
            if (ROW_AZ(isb) != ctx->az && !isb->gateway[0]
                && smap_get(&isb->external_ids, "interconn-tsp")
                && !shash_find(&v->tsps, node->name)) {
                VLOG_INFO("withdrawing transit switch port %s: it is gone",
                          isb->logical_port);
                icsbrec_port_binding_delete(isb);
                shash_delete(&v->isb_ports, node);
            }
        }
    }
    return complete;
}

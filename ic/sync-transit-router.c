/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-transit-router.h"

#include "ic/step.h"
#include "ic/sync-az.h"
#include "ic/sync-datapath.h"

#include <string.h>

#include "lib/key-alloc.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_transit_router);

#define OWNER "transit-router"
#define PORT_TYPE "transit-router-port"

/* One transit router, as one pass sees it. */
struct tr_entry {
    const struct icnbrec_transit_router *tr;
    const struct icsbrec_datapath_binding *dp;  /* NULL until keyed. */
    const struct nbrec_logical_router *lr;      /* Its NB router. */
    struct key_space port_keys;                 /* Keys on the router. */
};

/* What one pass knows about the world, indexed once. */
struct tr_view {
    const struct icsbrec_availability_zone *az;
    bool global_writer;
    bool rbac;                  /* IC-SB has RBAC roles: another zone's
                                 * rows are not ours to write. */
    struct ovsdb_idl_txn *nb_txn;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;

    struct shash routers;       /* TR name -> struct tr_entry. */
    struct shash trps;          /* Port name -> IC-NB Transit_Router_Port. */
    struct shash marked_lrs;    /* TR name -> marked NB Logical_Router. */
    struct shash lrps;          /* Name -> NB Logical_Router_Port. */
    struct shash chassis;       /* Name -> SB Chassis. */
    struct shash isb_ports;     /* logical_port -> router port binding. */
    struct sset claimed;        /* Bindings that some port still needs. */
};

static bool
is_marked(const struct smap *options)
{
    return smap_get(options, "interconn-tr") != NULL;
}

static void
tr_view_init(struct tr_view *v, struct ic_step_ctx *step)
{
    struct ovsdb_idl *icnb = ic_step_idl(step, IC_DB_ICNB);
    struct ovsdb_idl *icsb = ic_step_idl(step, IC_DB_ICSB);
    struct ovsdb_idl *nb = ic_step_idl(step, IC_DB_NB);
    struct ovsdb_idl *sb = ic_step_idl(step, IC_DB_SB);

    v->az = ic_step_az(step);
    v->global_writer = step->global_writer;
    v->rbac = icsbrec_rbac_role_first(icsb) != NULL;
    v->nb_txn = ic_step_txn(step, IC_DB_NB);
    v->icsb_txn = ic_step_txn(step, IC_DB_ICSB);
    v->problems = ic_step_problems(step);
    shash_init(&v->routers);
    shash_init(&v->trps);
    shash_init(&v->marked_lrs);
    shash_init(&v->lrps);
    shash_init(&v->chassis);
    shash_init(&v->isb_ports);
    sset_init(&v->claimed);

    const struct icnbrec_transit_router *tr;
    ICNBREC_TRANSIT_ROUTER_FOR_EACH (tr, icnb) {
        if (!transit_switch_name_is_valid(tr->name)) {
            problems_report(v->problems, OWNER, tr->name,
                            "invalid transit router name (empty, or with "
                            "white space, quotes or control characters); "
                            "not created");
            continue;
        }
        struct tr_entry *e = xzalloc(sizeof *e);
        e->tr = tr;
        key_space_init(&e->port_keys, IC_PORT_KEY_MIN, IC_PORT_KEY_MAX);
        shash_add(&v->routers, tr->name, e);
    }
    const struct icnbrec_transit_router_port *trp;
    ICNBREC_TRANSIT_ROUTER_PORT_FOR_EACH (trp, icnb) {
        shash_add_once(&v->trps, trp->name, trp);
    }

    /* A router's binding is found by its IC-NB row; with several, the
     * lowest key, as the global writer keeps. */
    const struct icsbrec_datapath_binding *dp;
    ICSBREC_DATAPATH_BINDING_FOR_EACH (dp, icsb) {
        if (!dp->type || strcmp(dp->type, "transit-router")
            || !dp->nb_ic_uuid) {
            continue;
        }
        const struct icnbrec_transit_router *owner
            = icnbrec_transit_router_get_for_uuid(icnb, dp->nb_ic_uuid);
        struct tr_entry *e = (owner
                              ? shash_find_data(&v->routers, owner->name)
                              : NULL);
        if (e && e->tr == owner
            && (!e->dp || dp->tunnel_key < e->dp->tunnel_key)) {
            e->dp = dp;
        }
    }

    /* Port keys are unique per name in IC-SB's index, whatever the
     * binding's type. */
    const struct icsbrec_port_binding *pb;
    ICSBREC_PORT_BINDING_FOR_EACH (pb, icsb) {
        struct tr_entry *e = shash_find_data(&v->routers,
                                             pb->transit_switch);
        if (e) {
            key_space_reserve(&e->port_keys, pb->tunnel_key);
        }
        if (pb->type && !strcmp(pb->type, PORT_TYPE)) {
            shash_add_once(&v->isb_ports, pb->logical_port, pb);
        }
    }

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, nb) {
        const char *name = smap_get(&lr->options, "interconn-tr");
        if (name && !shash_add_once(&v->marked_lrs, name, lr)) {
            VLOG_INFO("deleting duplicate logical router for transit router "
                      "%s", name);
            nbrec_logical_router_delete(lr);
        }
    }
    const struct nbrec_logical_router_port *lrp;
    NBREC_LOGICAL_ROUTER_PORT_FOR_EACH (lrp, nb) {
        shash_add_once(&v->lrps, lrp->name, lrp);
    }
    const struct sbrec_chassis *ch;
    SBREC_CHASSIS_FOR_EACH (ch, sb) {
        shash_add_once(&v->chassis, ch->name, ch);
    }
}

static void
tr_view_destroy(struct tr_view *v)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->routers) {
        struct tr_entry *e = node->data;
        key_space_destroy(&e->port_keys);
        free(e);
    }
    shash_destroy(&v->routers);
    shash_destroy(&v->trps);
    shash_destroy(&v->marked_lrs);
    shash_destroy(&v->lrps);
    shash_destroy(&v->chassis);
    shash_destroy(&v->isb_ports);
    sset_destroy(&v->claimed);
}

/* IC-NB Transit_Router + IC-SB key -> NB Logical_Router.  Returns false if
 * a router waits for its key. */
static bool
sync_routers(struct tr_view *v)
{
    bool complete = true;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->routers) {
        struct tr_entry *e = node->data;
        e->lr = shash_find_and_delete(&v->marked_lrs, node->name);
        if (!e->lr) {
            VLOG_INFO("creating logical router for transit router %s",
                      node->name);
            struct nbrec_logical_router *lr
                = nbrec_logical_router_insert(v->nb_txn);
            nbrec_logical_router_set_name(lr, node->name);
            nbrec_logical_router_update_options_setkey(lr, "interconn-tr",
                                                       node->name);
            e->lr = lr;
        }
        if (!e->dp) {
            complete = false;   /* The global writer has not keyed it. */
            continue;
        }
        char key[16];
        snprintf(key, sizeof key, "%"PRId64, e->dp->tunnel_key);
        const char *cur = smap_get(&e->lr->options, "requested-tnl-key");
        if (!cur || strcmp(cur, key)) {
            nbrec_logical_router_update_options_setkey(
                e->lr, "requested-tnl-key", key);
        }
    }

    SHASH_FOR_EACH (node, &v->marked_lrs) {
        VLOG_INFO("transit router %s is gone: deleting its logical router",
                  node->name);
        nbrec_logical_router_delete(node->data);
    }
    shash_clear(&v->marked_lrs);
    return complete;
}

enum trp_owner {
    TRP_GLOBAL,                 /* No chassis: the global writer. */
    TRP_LOCAL,                  /* A chassis of this zone. */
    TRP_REMOTE,                 /* A chassis of another zone. */
};

static enum trp_owner
trp_owner(const struct tr_view *v,
          const struct icnbrec_transit_router_port *trp,
          const struct icsbrec_port_binding *isb)
{
    if (!trp->chassis[0]) {
        return TRP_GLOBAL;
    }
    const struct sbrec_chassis *ch = shash_find_data(&v->chassis,
                                                     trp->chassis);
    if (ch) {
        return (smap_get_bool(&ch->other_config, "is-remote", false)
                ? TRP_REMOTE : TRP_LOCAL);
    }
    /* Unknown here: it stays where it is. */
    return isb && ROW_AZ(isb) == v->az ? TRP_LOCAL : TRP_REMOTE;
}

/* Publishes 'trp' of 'e' in IC-SB for this zone, or brings its binding
 * 'isb' up to date.  Returns the binding, or NULL if no key is free. */
static const struct icsbrec_port_binding *
publish_port(struct tr_view *v, struct tr_entry *e,
             const struct icnbrec_transit_router_port *trp,
             const struct icsbrec_port_binding *isb)
{
    if (!isb) {
        /* The lowest free key, as upstream hands them out. */
        uint32_t hint = 0;
        uint32_t key = key_space_allocate(&e->port_keys, &hint);
        if (!key) {
            problems_report(v->problems, OWNER, trp->name,
                            "no free port key on transit router %s",
                            e->tr->name);
            return NULL;
        }
        VLOG_INFO("publishing transit router port %s of %s (key %"PRIu32")",
                  trp->name, e->tr->name, key);
        struct icsbrec_port_binding *pb
            = icsbrec_port_binding_insert(v->icsb_txn);
        icsbrec_port_binding_set_logical_port(pb, trp->name);
        icsbrec_port_binding_set_transit_switch(pb, e->tr->name);
        icsbrec_port_binding_set_availability_zone(pb, v->az);
        row_set_zone_name(&pb->header_,
                          &icsbrec_port_binding_col_availability_zone_name,
                          v->az);
        icsbrec_port_binding_set_tunnel_key(pb, key);
        icsbrec_port_binding_set_type(pb, PORT_TYPE);
        icsbrec_port_binding_set_nb_ic_uuid(pb, &e->tr->header_.uuid, 1);
        shash_replace(&v->isb_ports, trp->name, pb);
        isb = pb;
    }
    if (strcmp(isb->address, trp->mac)) {
        icsbrec_port_binding_set_address(isb, trp->mac);
    }
    return isb;
}

/* Deletes this zone's binding 'isb' of port 'name'. */
static void
withdraw_port(struct tr_view *v, const char *name,
              const struct icsbrec_port_binding *isb, const char *why)
{
    VLOG_INFO("withdrawing transit router port %s: %s", name, why);
    icsbrec_port_binding_delete(isb);
    shash_find_and_delete(&v->isb_ports, name);
}

/* Brings 'lrp', the NB router port of 'trp', in line with it and with its
 * binding 'isb'.  Networks listed twice appear once. */
static void
mirror_port(const struct icnbrec_transit_router_port *trp,
            const struct icsbrec_port_binding *isb,
            const struct nbrec_logical_router_port *lrp)
{
    if (strcmp(lrp->mac, trp->mac)) {
        nbrec_logical_router_port_set_mac(lrp, trp->mac);
    }

    struct sset networks = SSET_INITIALIZER(&networks);
    for (size_t i = 0; i < trp->n_networks; i++) {
        sset_add(&networks, trp->networks[i]);
    }
    bool same = lrp->n_networks == sset_count(&networks);
    for (size_t i = 0; same && i < lrp->n_networks; i++) {
        same = sset_contains(&networks, lrp->networks[i]);
    }
    if (!same) {
        const char **array = sset_array(&networks);
        nbrec_logical_router_port_set_networks(lrp, array,
                                               sset_count(&networks));
        free(array);
    }
    sset_destroy(&networks);

    /* No chassis, no requested-chassis. */
    if (strcmp(smap_get_def(&lrp->options, "requested-chassis", ""),
               trp->chassis)) {
        if (trp->chassis[0]) {
            nbrec_logical_router_port_update_options_setkey(
                lrp, "requested-chassis", trp->chassis);
        } else {
            nbrec_logical_router_port_update_options_delkey(
                lrp, "requested-chassis");
        }
    }
    char key[16];
    snprintf(key, sizeof key, "%"PRId64, isb->tunnel_key);
    if (strcmp(smap_get_def(&lrp->options, "requested-tnl-key", ""), key)) {
        nbrec_logical_router_port_update_options_setkey(
            lrp, "requested-tnl-key", key);
    }
}

/* The ports of transit router 'e': IC-SB bindings of this zone's, and NB
 * router ports of those that have a binding.  Returns false if a port this
 * zone must publish cannot be. */
static bool
sync_router_ports(struct tr_view *v, struct tr_entry *e)
{
    const struct nbrec_logical_router *lr = e->lr;
    bool complete = true;

    /* The router's marked ports; those not matched go. */
    struct shash stale = SHASH_INITIALIZER(&stale);
    for (size_t i = 0; i < lr->n_ports; i++) {
        if (is_marked(&lr->ports[i]->options)) {
            shash_add_once(&stale, lr->ports[i]->name, lr->ports[i]);
        }
    }

    for (size_t i = 0; i < e->tr->n_ports; i++) {
        const struct icnbrec_transit_router_port *trp = e->tr->ports[i];
        const struct nbrec_logical_router_port *other
            = shash_find_data(&v->lrps, trp->name);
        if (other && !is_marked(&other->options)) {
            problems_report(v->problems, OWNER, trp->name,
                            "transit router port name is taken by a router "
                            "port of this zone; not mirrored");
            continue;
        }

        const struct icsbrec_port_binding *isb
            = shash_find_data(&v->isb_ports, trp->name);
        enum trp_owner owner = trp_owner(v, trp, isb);
        bool ours = (owner == TRP_LOCAL
                     || (owner == TRP_GLOBAL && v->global_writer));
        if (isb && strcmp(isb->transit_switch, e->tr->name)) {
            if (!ours || ROW_AZ(isb) != v->az) {
                continue;       /* Its owner moves it. */
            }
            /* Moved to another router: its key belongs to the old one. */
            withdraw_port(v, trp->name, isb, "it moved to another router");
            isb = NULL;
        }

        if (ours && isb && owner == TRP_GLOBAL && v->rbac
            && ROW_AZ(isb) != v->az) {
            /* Published by an earlier global writer of another zone:
             * under RBAC only that zone (or the operator) may change it,
             * and trying would fail this zone's transaction. */
        } else if (ours && isb && owner == TRP_LOCAL
                   && ROW_AZ(isb) != v->az) {
            /* The chassis moved here; the other zone lets go when it sees
             * the move. */
            problems_report(v->problems, OWNER, trp->name,
                            "its chassis %s is in this zone, but another "
                            "zone still publishes it; waiting for that zone "
                            "to let go", trp->chassis);
        } else if (ours) {
            isb = publish_port(v, e, trp, isb);
            complete = complete && isb;
        } else if (owner == TRP_REMOTE && isb
                   && ROW_AZ(isb) == v->az) {
            withdraw_port(v, trp->name, isb, "its chassis is another zone's");
            isb = NULL;
        }
        if (!isb) {
            continue;           /* Until its owner publishes it. */
        }
        sset_add(&v->claimed, trp->name);

        const struct nbrec_logical_router_port *lrp
            = shash_find_and_delete(&stale, trp->name);
        if (!lrp) {
            VLOG_INFO("adding router port %s for transit router %s",
                      trp->name, e->tr->name);
            struct nbrec_logical_router_port *new
                = nbrec_logical_router_port_insert(v->nb_txn);
            nbrec_logical_router_port_set_name(new, trp->name);
            nbrec_logical_router_port_update_options_setkey(
                new, "interconn-tr", trp->name);
            nbrec_logical_router_update_ports_addvalue(lr, new);
            lrp = new;
        }
        mirror_port(trp, isb, lrp);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &stale) {
        VLOG_INFO("deleting router port %s of transit router %s: its "
                  "transit router port or binding is gone", node->name,
                  e->tr->name);
        nbrec_logical_router_update_ports_delvalue(lr, node->data);
        nbrec_logical_router_port_delete(node->data);
    }
    shash_destroy(&stale);
    return complete;
}

/* Withdraws the bindings that no port needs any more: this zone's, and,
 * in the global writer, any zone's whose port is gone from IC-NB. */
static void
withdraw_unclaimed(struct tr_view *v)
{
    struct shash_node *node, *next;
    SHASH_FOR_EACH_SAFE (node, next, &v->isb_ports) {
        const struct icsbrec_port_binding *isb = node->data;
        if (sset_contains(&v->claimed, node->name)) {
            continue;
        }
        if (ROW_AZ(isb) == v->az) {
            withdraw_port(v, node->name, isb, "no port of this zone");
        } else if (v->global_writer && !v->rbac
                   && !shash_find(&v->trps, node->name)) {
            /* (Under RBAC, another zone's rows are left to that zone or
             * the operator.) */
            withdraw_port(v, node->name, isb, "the port is gone");
        }
    }
}

static bool
sync_transit_router_run(struct ic_step_ctx *step)
{
    struct ovsdb_idl *icnb = ic_step_idl(step, IC_DB_ICNB);
    struct ovsdb_idl *icsb = ic_step_idl(step, IC_DB_ICSB);
    if (!icnbrec_server_has_transit_router_table(icnb)
        || !icnbrec_server_has_transit_router_port_table(icnb)
        || !icsbrec_server_has_port_binding_table_col_type(icsb)
        || !icsbrec_server_has_port_binding_table_col_nb_ic_uuid(icsb)
        || !icsbrec_server_has_datapath_binding_table_col_type(icsb)) {
        VLOG_INFO_ONCE("the IC databases run schemas older than IC-NB "
                       "1.3.0 and IC-SB 2.4.0, without transit routers: "
                       "transit routers are off");
        return true;
    }

    struct tr_view v;
    tr_view_init(&v, step);
    problems_begin(v.problems, OWNER);

    bool complete = sync_routers(&v);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v.routers) {
        complete = sync_router_ports(&v, node->data) && complete;
    }
    withdraw_unclaimed(&v);

    problems_end(v.problems, OWNER);
    tr_view_destroy(&v);
    return complete;
}

const struct ic_step sync_transit_router_step = {
    .name = "transit-router",
    .description = "transit routers and their ports, both directions",
    .needs_az = true,
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_transit_router },
        { IC_DB_ICNB, &icnbrec_table_transit_router_port },
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
        { IC_DB_ICSB, &icsbrec_table_port_binding },
        /* Learned routes change routers all day; this step reads routers
         * only for their options and ports. */
        { IC_DB_NB, &nbrec_table_logical_router,
          .ignore = { &nbrec_logical_router_col_static_routes } },
        { IC_DB_NB, &nbrec_table_logical_router_port },
        { IC_DB_SB, &sbrec_table_chassis },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_router,
          .rows = "options:interconn-tr" },
        { IC_DB_NB, &nbrec_table_logical_router_port,
          .rows = "options:interconn-tr" },
        /* Transit switches' ports are the port step's. */
        { IC_DB_ICSB, &icsbrec_table_port_binding, .rows = "type=" PORT_TYPE },
    },
    .probes = {
        { IC_DB_ICSB, &icsbrec_table_rbac_role },
    },
    .run = sync_transit_router_run,
};

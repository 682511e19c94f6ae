/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* The route step's state: building its structure from NB and IC-SB (the
 * transit switch ports, their routers, connected networks, VIPs and local
 * static routes), its indexes, and clearing it. */

#include <config.h>

#include "ic/route-state.h"

#include <string.h>

#include "hash.h"
#include "ic/route-dynamic.h"
#include "ic/route-learn.h"
#include "ic/route-owners.h"
#include "ic/sync-az.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/ts-scope.h"
#include "smap.h"

static bool
lr_is_enabled(const struct nbrec_logical_router *lr)
{
    return !lr->n_enabled || lr->enabled[0];
}

struct ic_router *
route_router_find(const struct sync_route_state *st,
                  const struct nbrec_logical_router *lr)
{
    struct ic_router *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, uuid_hash(&lr->header_.uuid),
                             &st->routers) {
        if (r->lr == lr) {
            return r;
        }
    }
    return NULL;
}

/* Returns the router whose NB row has 'uuid', or NULL. */
struct ic_router *
route_router_find_uuid(const struct sync_route_state *st,
                       const struct uuid *uuid)
{
    struct ic_router *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, uuid_hash(uuid), &st->routers) {
        if (uuid_equals(&r->lr->header_.uuid, uuid)) {
            return r;
        }
    }
    return NULL;
}

void
uuid_node_insert(struct hmap *map, struct uuid_node *n,
                 const struct uuid *uuid)
{
    n->uuid = *uuid;
    hmap_insert(map, &n->node, uuid_hash(uuid));
}

/* Returns the entry that holds the struct uuid_node with 'uuid' in 'map',
 * at 'offset' in it, or NULL.  UUID_NODE_FIND gives the types. */
void *
uuid_node_find__(const struct hmap *map, const struct uuid *uuid,
                 size_t offset)
{
    struct uuid_node *n;
    HMAP_FOR_EACH_WITH_HASH (n, node, uuid_hash(uuid), map) {
        if (uuid_equals(&n->uuid, uuid)) {
            return (char *) n - offset;
        }
    }
    return NULL;
}

static uint32_t
net_key_hash(const char *route_table, const struct route_prefix *p)
{
    struct route_prefix net = { .plen = p->plen };
    route_prefix_network(p, &net.addr);
    return route_prefix_hash(&net, hash_string(route_table, 0));
}

struct net_key *
net_key_find(const struct hmap *keys, const char *route_table,
             const struct route_prefix *p)
{
    struct net_key *k;
    HMAP_FOR_EACH_WITH_HASH (k, node, net_key_hash(route_table, p), keys) {
        if (!strcmp(k->route_table, route_table)
            && route_prefix_same_network(&k->prefix, p)) {
            return k;
        }
    }
    return NULL;
}

/* Returns true if a local static route of 'r' keeps a learnable route to
 * 'p' in 'route_table' from being learned (see route_static_hides()). */
bool
local_statics_hide(const struct ic_router *r, const char *route_table,
                   const struct route_prefix *p, bool override_connected)
{
    struct net_key *k;
    HMAP_FOR_EACH_WITH_HASH (k, node, net_key_hash(route_table, p),
                             &r->statics) {
        if (!strcmp(k->route_table, route_table)
            && route_static_hides(&k->prefix, p, override_connected)) {
            return true;
        }
    }
    return false;
}

void
shadowing_add(struct ic_router *r, const char *route_table,
              const struct route_prefix *p)
{
    if (!net_key_find(&r->shadowing, route_table, p)) {
        struct net_key *k = xmalloc(sizeof *k);
        k->route_table = xstrdup(route_table);
        k->prefix = *p;
        hmap_insert(&r->shadowing, &k->node, net_key_hash(route_table, p));
    }
}

struct local_static *
local_static_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    return UUID_NODE_FIND(&st->statics, uuid, struct local_static, by_uuid);
}

/* Records local static route 'sr' of 'r', whose prefix is '*prefix', or
 * which has none that parses if 'prefix' is NULL. */
void
local_static_add(struct sync_route_state *st, struct ic_router *r,
                 const struct nbrec_logical_router_static_route *sr,
                 const struct route_prefix *prefix)
{
    struct local_static *ls = xzalloc(sizeof *ls);
    ls->router = r;
    uuid_node_insert(&st->statics, &ls->by_uuid, &sr->header_.uuid);
    if (prefix) {
        ls->has_key = true;
        ls->key.route_table = xstrdup(sr->route_table);
        ls->key.prefix = *prefix;
        hmap_insert(&r->statics, &ls->key.node,
                    net_key_hash(sr->route_table, prefix));
    }
}

void
local_static_remove(struct sync_route_state *st, struct local_static *ls)
{
    hmap_remove(&st->statics, &ls->by_uuid.node);
    if (ls->has_key) {
        hmap_remove(&ls->router->statics, &ls->key.node);
    }
    free(ls->key.route_table);
    free(ls);
}

/* Building and clearing the state. */

static void
ts_port_init_policy(struct route_policy *p, const struct sync_route_state *st,
                    const struct nbrec_logical_router *lr,
                    const struct nbrec_logical_router_port *lrp,
                    const char *allow_key, const char *deny_key)
{
    route_policy_init(p);
    route_policy_add_allow(p, smap_get(&lrp->options, allow_key));
    route_policy_add_allow(p, smap_get(&lr->options, allow_key));
    route_policy_add_deny(p, smap_get(&lrp->options, deny_key));
    route_policy_add_deny(p, smap_get(&lr->options, deny_key));
    for (size_t i = 0; i < st->denylist.n; i++) {
        route_prefix_list_add(&p->deny, &st->denylist.prefixes[i]);
    }
}

static void
router_add_lb_vips(struct ic_router *r, const struct nbrec_load_balancer *lb)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, &lb->vips) {
        struct route_prefix vip;
        if (route_lb_vip_parse(node->key, &vip.addr)) {
            vip.plen = route_addr_is_ipv4(&vip.addr) ? 32 : 128;
            route_prefix_list_add(&r->vips, &vip);
        }
    }
}

static struct ic_router *
router_create(struct sync_route_state *st,
              const struct nbrec_logical_router *lr)
{
    struct ic_router *r = xzalloc(sizeof *r);
    r->lr = lr;
    r->advertises = st->adv && lr_is_enabled(lr);
    r->learns = st->learn && lr_is_enabled(lr);
    hmap_init(&r->candidates);
    prefix_index_init(&r->idx);
    hmap_init(&r->statics);
    hmap_init(&r->shadowing);
    hmap_init(&r->dyn);
    route_prefix_list_init(&r->vips);
    hmap_insert(&st->routers, &r->node, uuid_hash(&lr->header_.uuid));

    /* Connected networks; the transit switch ports are the transport, not
     * local networks. */
    size_t n = 0;
    for (size_t i = 0; i < lr->n_ports; i++) {
        n += lr->ports[i]->n_networks;
    }
    r->conns = xmalloc((n ? n : 1) * sizeof *r->conns);
    for (size_t i = 0; i < lr->n_ports; i++) {
        const struct nbrec_logical_router_port *lrp = lr->ports[i];
        if (sset_contains(&st->ts_lrps, lrp->name)) {
            continue;
        }
        for (size_t j = 0; j < lrp->n_networks; j++) {
            struct connected *c = &r->conns[r->n_conns];
            if (route_prefix_parse(lrp->networks[j], &c->prefix)) {
                c->lrp = lrp;
                c->network = lrp->networks[j];
                r->n_conns++;
            }
        }
    }

    for (size_t i = 0; i < lr->n_load_balancer; i++) {
        router_add_lb_vips(r, lr->load_balancer[i]);
    }
    for (size_t i = 0; i < lr->n_load_balancer_group; i++) {
        const struct nbrec_load_balancer_group *g = lr->load_balancer_group[i];
        for (size_t j = 0; j < g->n_load_balancer; j++) {
            router_add_lb_vips(r, g->load_balancer[j]);
        }
    }

    const struct owned_route *o;
    ROUTE_OWNED_FOR_EACH (o, route_owners_of_router(st->ctx->owners,
                                                    &lr->header_.uuid)) {
        const struct nbrec_logical_router_static_route *sr
            = route_static_row(st->ctx, &o->route);
        struct route_prefix prefix;
        if (sr && !smap_get(&sr->external_ids, "ic-learned-route")) {
            local_static_add(st, r, sr,
                             route_prefix_parse(sr->ip_prefix, &prefix)
                             ? &prefix : NULL);
        }
    }
    return r;
}

static void
router_destroy(struct ic_router *r)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_POP (c, node, &r->candidates) {
        learn_candidate_free(c);
    }
    hmap_destroy(&r->candidates);
    prefix_index_destroy(&r->idx);
    hmap_destroy(&r->statics);      /* Its entries are in st->statics. */
    struct net_key *k;
    HMAP_FOR_EACH_POP (k, node, &r->shadowing) {
        free(k->route_table);
        free(k);
    }
    hmap_destroy(&r->shadowing);
    dyn_router_destroy(r);
    route_prefix_list_destroy(&r->vips);
    free(r->conns);
    free(r->ports.p);
    free(r);
}

static void
add_ts_port(struct sync_route_state *st, const char *ts,
            const struct nbrec_logical_switch_port *lsp)
{
    const struct icsbrec_port_binding *pb = shash_find_data(&st->local_pbs,
                                                            lsp->name);
    const char *peer = smap_get(&lsp->options, "router-port");
    const struct nbrec_logical_router_port *lrp
        = peer ? shash_find_data(&st->lrps, peer) : NULL;
    const struct nbrec_logical_router *lr
        = peer ? shash_find_data(&st->lr_of_lrp, peer) : NULL;
    if (!pb || strcmp(pb->transit_switch, ts) || !lrp || !lr
        || !route_ts_in_scope(st, ts, st->ctx->az->name)) {
        /* Not published (yet), no router, or the switch is scoped to
         * other zones (its logical switch is on its way out). */
        return;
    }

    struct ptr_array *on_ts = shash_find_data(&st->ports_by_ts, ts);
    if (!on_ts) {
        on_ts = xzalloc(sizeof *on_ts);
        shash_add(&st->ports_by_ts, ts, on_ts);
    }

    struct ts_port *p = xzalloc(sizeof *p);
    /* The state's own copy of the name, which outlives changes to the
     * logical switch's other_config (see route_structure_signature()). */
    p->ts = shash_find(&st->ports_by_ts, ts)->name;
    p->lrp = lrp;
    p->pb = pb;
    route_prefix_list_init(&p->addrs);
    p->addrs_ok = pb->address[0]
                  && route_port_networks_parse(pb->address, &p->addrs);
    route_prefix_list_init(&p->networks);
    for (size_t i = 0; i < lrp->n_networks; i++) {
        route_prefix_list_parse(&p->networks, lrp->networks[i]);
    }
    p->route_table = smap_get_def(&lrp->options, "route_table", "");
    p->route_tag = smap_get_def(&lrp->options, "ic-route-tag", "");
    p->filter_tag = smap_get_def(&lrp->options, "ic-route-filter-tag", "");
    /* Upstream main's: the router's option, which its port overrides. */
    p->ipv4_over_ipv6 = smap_get_bool(
        &lrp->options, "ic-route-ipv4-next-hop-ipv6",
        smap_get_bool(&lr->options, "ic-route-ipv4-next-hop-ipv6", false));
    ts_port_init_policy(&p->adv, st, lr, lrp, "ic-route-filter-adv",
                        "ic-route-deny-adv");
    ts_port_init_policy(&p->learn, st, lr, lrp, "ic-route-filter-learn",
                        "ic-route-deny-learn");
    ptr_array_push(&st->ports, p);
    ptr_array_push(on_ts, p);

    struct ic_router *r = route_router_find(st, lr);
    if (!r) {
        r = router_create(st, lr);
    }
    p->router = r;
    ptr_array_push(&r->ports, p);
}

/* True if transit switch 'ts' is in zone 'zone' (lib/ts-scope.h): routes
 * are neither learned from nor advertised to a zone out of a switch's
 * scope. */
bool
route_ts_in_scope(const struct sync_route_state *st, const char *ts,
                  const char *zone)
{
    const struct ts_scope *scope = shash_find_data(&st->scopes, ts);
    return !scope || ts_scope_includes(scope, zone);
}

/* Returns this zone's IC-SB port bindings on transit switches, by
 * logical port, in 'pbs' (which the caller destroys with shash_destroy()),
 * as route_state_build() selects them. */
static void
collect_local_pbs(const struct sync_route_ctx *ctx, struct shash *pbs)
{
    bool has_pb_type
        = icsbrec_server_has_port_binding_table_col_type(ctx->icsb_idl);
    const struct icsbrec_port_binding *pb;
    ICSBREC_PORT_BINDING_FOR_EACH (pb, ctx->icsb_idl) {
        if (ROW_AZ(pb) == ctx->az
            && (!has_pb_type || !pb->type || !pb->type[0]
                || !strcmp(pb->type, "transit-switch-port"))) {
            shash_add_once(pbs, pb->logical_port, pb);
        }
    }
}

/* Returns a hash of what the structure takes from NB Logical_Switch and
 * Logical_Switch_Port, IC-SB Port_Binding and SB Datapath_Binding: every
 * router port on a transit switch with its switch, peer, and this zone's
 * port binding (row and address), and which router each SB datapath
 * stands for.  Independent of the order of the rows.  Changes to those
 * tables that leave it unchanged (other zones' port bindings, remote
 * ports, switch keys, datapath keys: most of what a cold start writes)
 * do not need a full run; ic/sync-route.c compares it. */
/* Hashes one router port on a transit switch into 32 bits, from
 * 'basis'. */
static uint32_t
ts_lsp_hash(const char *ts, const struct nbrec_logical_switch_port *lsp,
            const struct icsbrec_port_binding *pb, uint32_t basis)
{
    const char *peer = smap_get(&lsp->options, "router-port");
    uint32_t h = hash_string(ts, basis);
    h = hash_string(lsp->name, h);
    h = hash_string(peer ? peer : "", h);
    if (pb) {
        h = hash_bytes(&pb->header_.uuid, sizeof pb->header_.uuid, h);
        h = hash_string(pb->address, h);
        h = hash_string(pb->transit_switch, h);
    }
    return h;
}

/* Returns a hash of what the structure takes from NB Logical_Switch and
 * Logical_Switch_Port, IC-SB Port_Binding and SB Datapath_Binding: every
 * router port on a transit switch with its switch, peer, and this zone's
 * port binding (row and address), and which router each SB datapath
 * stands for.  Independent of the order of the rows (a sum of 64-bit
 * hashes).  Changes to those tables that leave it unchanged (other zones'
 * port bindings, remote ports, switch and datapath keys: most of what a
 * cold start writes) need no full run; ic/sync-route.c compares it. */
uint64_t
route_structure_signature(const struct sync_route_ctx *ctx)
{
    struct shash pbs = SHASH_INITIALIZER(&pbs);
    collect_local_pbs(ctx, &pbs);

    uint64_t sig = 0;
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->nb_idl) {
        const char *ts = smap_get(&ls->other_config, "interconn-ts");
        for (size_t i = 0; ts && i < ls->n_ports; i++) {
            const struct nbrec_logical_switch_port *lsp = ls->ports[i];
            if (!strcmp(lsp->type, "router")) {
                const struct icsbrec_port_binding *pb
                    = shash_find_data(&pbs, lsp->name);
                sig += ((uint64_t) ts_lsp_hash(ts, lsp, pb, 0) << 32)
                       | ts_lsp_hash(ts, lsp, pb, 0x9e3779b9);
            }
        }
    }
    shash_destroy(&pbs);

    if (sbrec_server_has_learned_route_table(ctx->sb_idl)) {
        const struct sbrec_datapath_binding *dp;
        SBREC_DATAPATH_BINDING_FOR_EACH (dp, ctx->sb_idl) {
            struct uuid lr_uuid;
            if (!dyn_datapath_router(ctx->sb_idl, dp, &lr_uuid)) {
                continue;
            }
            uint32_t h = hash_bytes(&lr_uuid, sizeof lr_uuid, 1);
            h = hash_bytes(&dp->header_.uuid, sizeof dp->header_.uuid, h);
            sig += ((uint64_t) h << 32)
                   | hash_bytes(&dp->header_.uuid, sizeof dp->header_.uuid,
                                hash_bytes(&lr_uuid, sizeof lr_uuid, 2));
        }
    }
    return sig;
}

void
route_state_build(struct sync_route_state *st,
                  const struct sync_route_ctx *ctx)
{
    const struct icnbrec_transit_switch *its;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (its, ctx->icnb_idl) {
        if (smap_get(&its->other_config, TS_SCOPE_KEY)
            && !shash_find(&st->scopes, its->name)) {
            struct ts_scope *scope = xmalloc(sizeof *scope);
            ts_scope_from_config(scope, &its->other_config);
            shash_add(&st->scopes, its->name, scope);
        }
    }

    const struct nbrec_nb_global *nb = nbrec_nb_global_first(ctx->nb_idl);
    static struct smap empty = SMAP_INITIALIZER(&empty);
    const struct smap *options = nb ? &nb->options : &empty;
    st->adv = smap_get_bool(options, "ic-route-adv", false);
    st->adv_default = smap_get_bool(options, "ic-route-adv-default", false);
    /* IC-SB schemas before 2.2.0 (Debian's is 1.1.1) have no
     * "loadbalancer" origin; Service_Monitor came with it. */
    st->adv_lb = smap_get_bool(options, "ic-route-adv-lb", false)
                 && icsbrec_server_has_service_monitor_table(ctx->icsb_idl);
    st->learn = smap_get_bool(options, "ic-route-learn", false);
    st->learn_default = smap_get_bool(options, "ic-route-learn-default",
                                      false);
    st->learn_lb = smap_get_bool(options, "ic-route-learn-lb", false);
    st->deny_overlap = smap_get_bool(options, "ic-route-deny-overlap",
                                     false);
    /* Upstream main's override-connected (IC-SB 2.6.0). */
    st->route_options = icsbrec_server_has_route_table_col_options(
        ctx->icsb_idl);
    route_prefix_list_parse(&st->denylist, route_global_denylist(options));

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_ports; i++) {
            shash_add_once(&st->lrps, lr->ports[i]->name, lr->ports[i]);
            shash_add_once(&st->lr_of_lrp, lr->ports[i]->name, lr);
        }
    }

    collect_local_pbs(ctx, &st->local_pbs);

    /* Transit switch ports, in two passes: every router port on a transit
     * switch must be known before any router's connected networks are. */
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->nb_idl) {
        if (!smap_get(&ls->other_config, "interconn-ts")) {
            continue;
        }
        for (size_t i = 0; i < ls->n_ports; i++) {
            const char *peer = smap_get(&ls->ports[i]->options,
                                        "router-port");
            if (!strcmp(ls->ports[i]->type, "router") && peer) {
                sset_add(&st->ts_lrps, peer);
            }
        }
    }
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->nb_idl) {
        const char *ts = smap_get(&ls->other_config, "interconn-ts");
        if (!ts) {
            continue;
        }
        for (size_t i = 0; i < ls->n_ports; i++) {
            if (!strcmp(ls->ports[i]->type, "router")) {
                add_ts_port(st, ts, ls->ports[i]);
            }
        }
    }

    dyn_build(st, ctx);

    const struct nbrec_logical_router_static_route *sr;
    NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH (sr, ctx->nb_idl) {
        const struct uuid *router;
        if (!route_owners_count(ctx->owners, &sr->header_.uuid, &router)) {
            route_orphan_add(st, &sr->header_.uuid);
        }
    }
}

/* Returns the main NB replica's static route 'uuid', or NULL if it does not
 * have it (yet, or any more). */
const struct nbrec_logical_router_static_route *
route_static_row(const struct sync_route_ctx *ctx, const struct uuid *uuid)
{
    return nbrec_logical_router_static_route_get_for_uuid(ctx->nb_idl, uuid);
}

void
route_orphan_add(struct sync_route_state *st, const struct uuid *uuid)
{
    if (!UUID_NODE_FIND(&st->orphans, uuid, struct uuid_node, node)) {
        uuid_node_insert(&st->orphans, xmalloc(sizeof(struct uuid_node)),
                         uuid);
    }
}

/* Forgets orphan 'uuid'.  Returns true if it was one. */
bool
route_orphan_remove(struct sync_route_state *st, const struct uuid *uuid)
{
    struct uuid_node *n = UUID_NODE_FIND(&st->orphans, uuid,
                                         struct uuid_node, node);
    if (n) {
        hmap_remove(&st->orphans, &n->node);
        free(n);
    }
    return n != NULL;
}

void
route_state_init(struct sync_route_state *st)
{
    memset(st, 0, sizeof *st);
    route_prefix_list_init(&st->denylist);
    shash_init(&st->lrps);
    shash_init(&st->lr_of_lrp);
    sset_init(&st->ts_lrps);
    shash_init(&st->local_pbs);
    shash_init(&st->ports_by_ts);
    shash_init(&st->scopes);
    hmap_init(&st->routers);
    hmap_init(&st->routers_by_dp);
    hmap_init(&st->dyn_rows);
    hmap_init(&st->advertised);
    hmap_init(&st->adv_by_row);
    hmap_init(&st->adv_feeds);
    hmap_init(&st->statics);
    hmap_init(&st->route_refs);
    hmap_init(&st->cand_by_nb);
    hmapx_init(&st->dirty_adv);
    hmapx_init(&st->dirty_learned);
    hmapx_init(&st->icsb_deletes);
    hmapx_init(&st->nb_deleted);
    hmapx_init(&st->withdrawn);
    hmap_init(&st->nb_deleting);
    hmap_init(&st->orphans);
    hmap_init(&st->in_transit);
}

void
route_state_destroy(struct sync_route_state *st)
{
    for (size_t i = 0; i < st->ports.n; i++) {
        struct ts_port *p = CONST_CAST(struct ts_port *, st->ports.p[i]);
        route_prefix_list_destroy(&p->addrs);
        route_prefix_list_destroy(&p->networks);
        route_policy_destroy(&p->adv);
        route_policy_destroy(&p->learn);
        free(p);
    }
    free(st->ports.p);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &st->ports_by_ts) {
        struct ptr_array *a = node->data;
        free(a->p);
        free(a);
    }
    shash_destroy(&st->ports_by_ts);
    SHASH_FOR_EACH (node, &st->scopes) {
        ts_scope_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&st->scopes);

    struct local_static *ls;
    HMAP_FOR_EACH_POP (ls, by_uuid.node, &st->statics) {
        free(ls->key.route_table);
        free(ls);
    }
    hmap_destroy(&st->statics);
    struct ic_router *r;
    HMAP_FOR_EACH_POP (r, node, &st->routers) {
        router_destroy(r);
    }
    hmap_destroy(&st->routers);
    hmap_destroy(&st->routers_by_dp);   /* Its entries were routers. */
    dyn_rows_destroy(st);
    hmap_destroy(&st->cand_by_nb);  /* Its entries were the candidates. */
    struct route_ref *ref;
    HMAP_FOR_EACH_POP (ref, by_uuid.node, &st->route_refs) {
        free(ref->candidates.p);
        free(ref);
    }
    hmap_destroy(&st->route_refs);

    struct adv_route *a;
    HMAP_FOR_EACH_POP (a, node, &st->advertised) {
        free(a->sources);
        free(a);
    }
    hmap_destroy(&st->advertised);
    hmap_destroy(&st->adv_by_row);  /* Its entries were in 'adv'. */
    struct adv_feed *f;
    HMAP_FOR_EACH_POP (f, by_nb.node, &st->adv_feeds) {
        free(f->routes.p);
        free(f);
    }
    hmap_destroy(&st->adv_feeds);

    hmapx_destroy(&st->dirty_adv);
    hmapx_destroy(&st->dirty_learned);
    hmapx_destroy(&st->icsb_deletes);
    hmapx_destroy(&st->nb_deleted);
    hmapx_destroy(&st->withdrawn);
    struct nb_deleting *d;
    HMAP_FOR_EACH_POP (d, by_uuid.node, &st->nb_deleting) {
        free(d);
    }
    hmap_destroy(&st->nb_deleting);
    struct uuid_node *un;
    HMAP_FOR_EACH_POP (un, node, &st->orphans) {
        free(un);
    }
    hmap_destroy(&st->orphans);
    hmap_destroy(&st->in_transit);  /* Its entries were candidates. */
    free(st->inserting.p);
    free(st->nb_deletes);
    shash_destroy(&st->local_pbs);
    sset_destroy(&st->ts_lrps);
    shash_destroy(&st->lr_of_lrp);
    shash_destroy(&st->lrps);
    route_prefix_list_destroy(&st->denylist);
}

/* Forgets everything, for a full run. */
void
route_state_reset(struct sync_route_state *st)
{
    route_state_destroy(st);
    route_state_init(st);
}

/* Empties 'map' and gives back its buckets: after a full run it may have
 * held every route, and walking an empty map walks its buckets. */
static void
hmapx_clear_shrink(struct hmapx *map)
{
    hmapx_clear(map);
    hmap_shrink(&map->map);
}

/* Forgets what the last run wrote down to do. */
void
route_state_end_run(struct sync_route_state *st)
{
    st->ctx = NULL;
    hmapx_clear_shrink(&st->dirty_adv);
    hmapx_clear_shrink(&st->dirty_learned);
    hmapx_clear_shrink(&st->icsb_deletes);
    hmapx_clear_shrink(&st->nb_deleted);
    hmapx_clear_shrink(&st->withdrawn);
    st->n_nb_deletes = 0;
    st->n_advertised_now = st->n_withdrawn_now = 0;
    st->n_learned_now = st->n_unlearned_now = 0;
}

/* The hash of an advertised route's key, or (with 'ts' "") of a learned
 * one's. */
uint32_t
route_key_hash(const char *ts, const char *route_table,
               const struct route_prefix *prefix,
               const struct in6_addr *nexthop)
{
    uint32_t hash = hash_string(ts, 0);
    hash = hash_string(route_table, hash);
    hash = route_prefix_hash(prefix, hash);
    return hash_bytes(nexthop, sizeof *nexthop, hash);
}

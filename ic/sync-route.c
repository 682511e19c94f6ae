/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-route.h"

#include <string.h>

#include "hash.h"
#include "hmapx.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "lib/route-filter.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(sync_route);

#define OWNER "route"

/* A growable array of pointers. */
struct ptr_array {
    const void **p;
    size_t n, allocated;
};

static void
ptr_array_push(struct ptr_array *a, const void *p)
{
    if (a->n >= a->allocated) {
        a->p = x2nrealloc(a->p, &a->allocated, sizeof *a->p);
    }
    a->p[a->n++] = p;
}

/* One of this zone's ports on a transit switch, with what routing needs of
 * it, parsed once per run. */
struct ts_port {
    const char *ts;
    const struct nbrec_logical_router_port *lrp;
    const struct icsbrec_port_binding *pb;
    struct route_prefix_list addrs;     /* From the IC-SB address. */
    bool addrs_ok;
    struct route_prefix_list networks;  /* The router port's networks. */
    const char *route_table;
    const char *route_tag;              /* options:ic-route-tag. */
    const char *filter_tag;             /* options:ic-route-filter-tag. */
    struct route_policy adv;
    struct route_policy learn;
};

/* A local router, found through a label or its transit switch ports. */
struct ic_router {
    struct hmap_node node;              /* In route_view.routers. */
    const struct nbrec_logical_router *lr;
    struct ptr_array ports;             /* struct ts_port *. */
    struct hmap candidates;             /* struct learn_candidate. */
};

struct route_view {
    const struct sync_route_ctx *ctx;
    const struct smap *nb_options;
    bool adv, adv_default, adv_lb;
    bool learn, learn_default, learn_lb;
    struct route_prefix_list denylist;

    struct shash lrps;                  /* name -> NB LRP. */
    struct shash lr_of_lrp;             /* LRP name -> NB LR. */
    struct sset ts_lrps;                /* Router ports on transit switches. */
    struct shash local_pbs;             /* logical_port -> this zone's PB. */
    struct shash routes_by_ts;          /* TS -> struct ptr_array of Route. */
    struct ptr_array own_routes;        /* This zone's IC-SB Routes. */
    struct hmapx withdrawn;             /* Own Routes deleted this run. */
    struct hmap routers;                /* struct ic_router, by LR uuid. */
    size_t n_learned;                   /* NB routes added this run. */
    size_t n_unlearned;                 /* NB routes removed this run. */
    struct ptr_array ports;             /* Every struct ts_port. */
};

static bool
lr_is_enabled(const struct nbrec_logical_router *lr)
{
    return !lr->n_enabled || lr->enabled[0];
}

static struct ic_router *
router_find(const struct route_view *v, const struct nbrec_logical_router *lr)
{
    struct ic_router *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, uuid_hash(&lr->header_.uuid),
                             &v->routers) {
        if (r->lr == lr) {
            return r;
        }
    }
    return NULL;
}

static void
ts_port_init_policy(struct route_policy *p, const struct route_view *v,
                    const struct nbrec_logical_router *lr,
                    const struct nbrec_logical_router_port *lrp,
                    const char *allow_key, const char *deny_key)
{
    route_policy_init(p);
    route_policy_add_allow(p, smap_get(&lrp->options, allow_key));
    route_policy_add_allow(p, smap_get(&lr->options, allow_key));
    route_policy_add_deny(p, smap_get(&lrp->options, deny_key));
    route_policy_add_deny(p, smap_get(&lr->options, deny_key));
    for (size_t i = 0; i < v->denylist.n; i++) {
        route_prefix_list_add(&p->deny, &v->denylist.prefixes[i]);
    }
}

static void
add_ts_port(struct route_view *v, const char *ts,
            const struct nbrec_logical_switch_port *lsp)
{
    const struct icsbrec_port_binding *pb = shash_find_data(&v->local_pbs,
                                                            lsp->name);
    const char *peer = smap_get(&lsp->options, "router-port");
    const struct nbrec_logical_router_port *lrp
        = peer ? shash_find_data(&v->lrps, peer) : NULL;
    const struct nbrec_logical_router *lr
        = peer ? shash_find_data(&v->lr_of_lrp, peer) : NULL;
    if (!pb || strcmp(pb->transit_switch, ts) || !lrp || !lr) {
        return;                 /* Not published (yet), or no router. */
    }

    struct ts_port *p = xzalloc(sizeof *p);
    p->ts = ts;
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
    ts_port_init_policy(&p->adv, v, lr, lrp, "ic-route-filter-adv",
                        "ic-route-deny-adv");
    ts_port_init_policy(&p->learn, v, lr, lrp, "ic-route-filter-learn",
                        "ic-route-deny-learn");
    ptr_array_push(&v->ports, p);

    struct ic_router *r = router_find(v, lr);
    if (!r) {
        r = xzalloc(sizeof *r);
        r->lr = lr;
        hmap_init(&r->candidates);
        hmap_insert(&v->routers, &r->node, uuid_hash(&lr->header_.uuid));
    }
    ptr_array_push(&r->ports, p);
}

static void
route_view_init(struct route_view *v, const struct sync_route_ctx *ctx)
{
    memset(v, 0, sizeof *v);
    v->ctx = ctx;
    shash_init(&v->lrps);
    shash_init(&v->lr_of_lrp);
    sset_init(&v->ts_lrps);
    shash_init(&v->local_pbs);
    shash_init(&v->routes_by_ts);
    hmap_init(&v->routers);
    hmapx_init(&v->withdrawn);
    route_prefix_list_init(&v->denylist);

    const struct nbrec_nb_global *nb = nbrec_nb_global_first(ctx->nb_idl);
    static struct smap empty = SMAP_INITIALIZER(&empty);
    v->nb_options = nb ? &nb->options : &empty;
    v->adv = smap_get_bool(v->nb_options, "ic-route-adv", false);
    v->adv_default = smap_get_bool(v->nb_options, "ic-route-adv-default",
                                   false);
    /* IC-SB schemas before 2.2.0 (Debian's is 1.1.1) have no
     * "loadbalancer" origin; Service_Monitor came with it. */
    v->adv_lb = smap_get_bool(v->nb_options, "ic-route-adv-lb", false)
                && icsbrec_server_has_service_monitor_table(ctx->icsb_idl);
    v->learn = smap_get_bool(v->nb_options, "ic-route-learn", false);
    v->learn_default = smap_get_bool(v->nb_options,
                                     "ic-route-learn-default", false);
    v->learn_lb = smap_get_bool(v->nb_options, "ic-route-learn-lb", false);
    route_prefix_list_parse(&v->denylist,
                            route_global_denylist(v->nb_options));

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_ports; i++) {
            shash_add_once(&v->lrps, lr->ports[i]->name, lr->ports[i]);
            shash_add_once(&v->lr_of_lrp, lr->ports[i]->name, lr);
        }
    }

    bool has_pb_type
        = icsbrec_server_has_port_binding_table_col_type(ctx->icsb_idl);
    const struct icsbrec_port_binding *pb;
    ICSBREC_PORT_BINDING_FOR_EACH (pb, ctx->icsb_idl) {
        if (pb->availability_zone == ctx->az
            && (!has_pb_type || !pb->type || !pb->type[0]
                || !strcmp(pb->type, "transit-switch-port"))) {
            shash_add_once(&v->local_pbs, pb->logical_port, pb);
        }
    }

    const struct icsbrec_route *route;
    ICSBREC_ROUTE_FOR_EACH (route, ctx->icsb_idl) {
        if (route->availability_zone == ctx->az) {
            ptr_array_push(&v->own_routes, route);
        }
        struct ptr_array *a = shash_find_data(&v->routes_by_ts,
                                              route->transit_switch);
        if (!a) {
            a = xzalloc(sizeof *a);
            shash_add(&v->routes_by_ts, route->transit_switch, a);
        }
        ptr_array_push(a, route);
    }

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
                sset_add(&v->ts_lrps, peer);
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
                add_ts_port(v, ts, ls->ports[i]);
            }
        }
    }
}

static void learn_candidates_clear(struct hmap *);

static void
route_view_destroy(struct route_view *v)
{
    for (size_t i = 0; i < v->ports.n; i++) {
        struct ts_port *p = CONST_CAST(struct ts_port *, v->ports.p[i]);
        route_prefix_list_destroy(&p->addrs);
        route_prefix_list_destroy(&p->networks);
        route_policy_destroy(&p->adv);
        route_policy_destroy(&p->learn);
        free(p);
    }
    free(v->ports.p);
    struct ic_router *r;
    HMAP_FOR_EACH_POP (r, node, &v->routers) {
        learn_candidates_clear(&r->candidates);
        hmap_destroy(&r->candidates);
        free(r->ports.p);
        free(r);
    }
    hmap_destroy(&v->routers);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &v->routes_by_ts) {
        struct ptr_array *a = node->data;
        free(a->p);
        free(a);
    }
    shash_destroy(&v->routes_by_ts);
    free(v->own_routes.p);
    hmapx_destroy(&v->withdrawn);
    shash_destroy(&v->local_pbs);
    sset_destroy(&v->ts_lrps);
    shash_destroy(&v->lr_of_lrp);
    shash_destroy(&v->lrps);
    route_prefix_list_destroy(&v->denylist);
}

/* Advertisement. */

/* A route this zone wants in IC-SB.  The key is IC-SB's unique index:
 * transit switch, route table, prefix and next hop. */
struct adv_route {
    struct hmap_node node;
    const char *ts;
    const char *route_table;
    struct route_prefix prefix;
    struct in6_addr nexthop;
    const char *origin;
    struct uuid nb_id;          /* Static route, router port or LB. */
    struct uuid lr_id;
    const char *route_tag;
    bool matched;               /* An IC-SB row already holds it. */
};

static uint32_t
route_key_hash(const char *ts, const char *route_table,
               const struct route_prefix *prefix,
               const struct in6_addr *nexthop)
{
    uint32_t hash = hash_string(ts, 0);
    hash = hash_string(route_table, hash);
    hash = route_prefix_hash(prefix, hash);
    return hash_bytes(nexthop, sizeof *nexthop, hash);
}

static struct adv_route *
adv_find(const struct hmap *routes, const char *ts, const char *route_table,
         const struct route_prefix *prefix, const struct in6_addr *nexthop)
{
    struct adv_route *a;
    HMAP_FOR_EACH_WITH_HASH (a, node,
                             route_key_hash(ts, route_table, prefix, nexthop),
                             routes) {
        if (route_prefix_equals(&a->prefix, prefix)
            && !memcmp(&a->nexthop, nexthop, sizeof *nexthop)
            && !strcmp(a->ts, ts) && !strcmp(a->route_table, route_table)) {
            return a;
        }
    }
    return NULL;
}

/* The source of an advertised route, for the duplicate warning. */
struct adv_source {
    const char *kind;           /* "static route", "router port", ... */
    const char *name;           /* Its name, or NULL. */
    const struct uuid *uuid;
};

static bool
need_advertise(const struct route_view *v, const struct ts_port *p,
               const struct route_prefix *prefix)
{
    return (prefix->plen || v->adv_default)
           && !route_prefix_is_link_local(prefix)
           && route_policy_permits(&p->adv, prefix);
}

static void
adv_add(struct route_view *v, struct hmap *routes, const struct ts_port *p,
        const struct nbrec_logical_router *lr,
        const struct route_prefix *prefix, const char *origin,
        const char *route_table, const struct adv_source *src)
{
    if (!need_advertise(v, p, prefix)) {
        return;
    }
    struct in6_addr nexthop;
    if (!route_select_nexthop(&p->addrs, route_prefix_is_ipv4(prefix),
                              &nexthop)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        struct ds s = DS_EMPTY_INITIALIZER;
        route_prefix_format(prefix, &s);
        VLOG_DBG_RL(&rl, "not advertising %s on transit switch %s: port %s "
                    "has no usable %s address", ds_cstr(&s), p->ts,
                    p->pb->logical_port,
                    route_prefix_is_ipv4(prefix) ? "IPv4" : "IPv6");
        ds_destroy(&s);
        return;
    }
    if (adv_find(routes, p->ts, route_table, prefix, &nexthop)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);
        struct ds s = DS_EMPTY_INITIALIZER;
        route_prefix_format(prefix, &s);
        VLOG_WARN_RL(&rl, "duplicate %s route advertisement of %s on transit "
                     "switch %s suppressed (from %s %s "UUID_FMT")", origin,
                     ds_cstr(&s), p->ts, src->kind,
                     src->name ? src->name : "", UUID_ARGS(src->uuid));
        ds_destroy(&s);
        return;
    }
    struct adv_route *a = xzalloc(sizeof *a);
    a->ts = p->ts;
    a->route_table = route_table;
    a->prefix = *prefix;
    a->nexthop = nexthop;
    a->origin = origin;
    a->nb_id = *src->uuid;
    a->lr_id = lr->header_.uuid;
    a->route_tag = p->route_tag;
    hmap_insert(routes, &a->node,
                route_key_hash(p->ts, route_table, prefix, &nexthop));
}

static void
collect_statics(struct route_view *v, struct hmap *routes,
                const struct ts_port *p, const struct nbrec_logical_router *lr)
{
    for (size_t i = 0; i < lr->n_static_routes; i++) {
        const struct nbrec_logical_router_static_route *sr
            = lr->static_routes[i];
        if (smap_get(&sr->external_ids, "ic-learned-route")
            || strcmp(sr->route_table, p->route_table)
            || (sr->policy && !strcmp(sr->policy, "src-ip"))) {
            continue;
        }
        struct route_prefix prefix, nexthop;
        if (!route_prefix_parse(sr->ip_prefix, &prefix)) {
            continue;
        }
        /* A "discard" route is advertised with this zone as its next hop,
         * as any other; a link-local next hop makes no sense elsewhere. */
        if (strcmp(sr->nexthop, "discard")
            && (!route_prefix_parse(sr->nexthop, &nexthop)
                || route_addr_is_lla(&nexthop.addr))) {
            continue;
        }
        struct adv_source src = { "static route", NULL, &sr->header_.uuid };
        adv_add(v, routes, p, lr, &prefix, "static", sr->route_table, &src);
    }
}

static void
collect_connected(struct route_view *v, struct hmap *routes,
                  const struct ts_port *p,
                  const struct nbrec_logical_router *lr)
{
    for (size_t i = 0; i < lr->n_ports; i++) {
        const struct nbrec_logical_router_port *lrp = lr->ports[i];
        if (sset_contains(&v->ts_lrps, lrp->name)) {
            continue;
        }
        for (size_t j = 0; j < lrp->n_networks; j++) {
            struct route_prefix prefix;
            if (route_prefix_parse(lrp->networks[j], &prefix)) {
                struct adv_source src = { "router port", lrp->name,
                                          &lrp->header_.uuid };
                adv_add(v, routes, p, lr, &prefix, "connected", "", &src);
            }
        }
    }
}

static void
collect_lb(struct route_view *v, struct hmap *routes, const struct ts_port *p,
           const struct nbrec_logical_router *lr,
           const struct nbrec_load_balancer *lb)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, &lb->vips) {
        struct route_prefix prefix;
        if (route_lb_vip_parse(node->key, &prefix.addr)) {
            prefix.plen = route_addr_is_ipv4(&prefix.addr) ? 32 : 128;
            struct adv_source src = { "load balancer", lb->name,
                                      &lb->header_.uuid };
            adv_add(v, routes, p, lr, &prefix, "loadbalancer", "", &src);
        }
    }
}

static void
collect_advertised(struct route_view *v, struct hmap *routes)
{
    if (!v->adv) {
        return;
    }
    for (size_t i = 0; i < v->ports.n; i++) {
        const struct ts_port *p = v->ports.p[i];
        const struct nbrec_logical_router *lr
            = shash_find_data(&v->lr_of_lrp, p->lrp->name);
        if (!p->addrs_ok || !lr_is_enabled(lr)) {
            continue;
        }
        collect_statics(v, routes, p, lr);
        collect_connected(v, routes, p, lr);
        if (v->adv_lb) {
            for (size_t j = 0; j < lr->n_load_balancer; j++) {
                collect_lb(v, routes, p, lr, lr->load_balancer[j]);
            }
            for (size_t j = 0; j < lr->n_load_balancer_group; j++) {
                const struct nbrec_load_balancer_group *g
                    = lr->load_balancer_group[j];
                for (size_t k = 0; k < g->n_load_balancer; k++) {
                    collect_lb(v, routes, p, lr, g->load_balancer[k]);
                }
            }
        }
    }
}

static void
set_external_id(const struct icsbrec_route *route, const char *key,
                const char *value)
{
    const char *cur = smap_get(&route->external_ids, key);
    if (value && value[0]) {
        if (!cur || strcmp(cur, value)) {
            icsbrec_route_update_external_ids_setkey(route, key, value);
        }
    } else if (cur) {
        icsbrec_route_update_external_ids_delkey(route, key);
    }
}

static void
write_adv_route(const struct icsbrec_route *route, const struct adv_route *a)
{
    char nb_id[UUID_LEN + 1], lr_id[UUID_LEN + 1];
    snprintf(nb_id, sizeof nb_id, UUID_FMT, UUID_ARGS(&a->nb_id));
    snprintf(lr_id, sizeof lr_id, UUID_FMT, UUID_ARGS(&a->lr_id));
    if (strcmp(route->origin, a->origin)) {
        icsbrec_route_set_origin(route, a->origin);
    }
    set_external_id(route, "nb-id", nb_id);
    set_external_id(route, "lr-id", lr_id);
    set_external_id(route, "ic-route-tag", a->route_tag);
}

static void
sync_advertised(struct route_view *v)
{
    const struct sync_route_ctx *ctx = v->ctx;
    struct hmap routes = HMAP_INITIALIZER(&routes);
    collect_advertised(v, &routes);
    ctx->stats->advertised = hmap_count(&routes);
    size_t n_added = 0, n_withdrawn = 0;

    for (size_t i = 0; i < v->own_routes.n; i++) {
        const struct icsbrec_route *route = v->own_routes.p[i];
        struct route_prefix prefix, nexthop;
        struct adv_route *a = NULL;
        if (route_prefix_parse(route->ip_prefix, &prefix)
            && route_prefix_parse(route->nexthop, &nexthop)) {
            a = adv_find(&routes, route->transit_switch, route->route_table,
                         &prefix, &nexthop.addr);
        }
        if (a && !a->matched) {
            a->matched = true;
            write_adv_route(route, a);
        } else {
            n_withdrawn++;
            VLOG_DBG("withdrawing route %s via %s (%s) from transit switch "
                      "%s", route->ip_prefix, route->nexthop, route->origin,
                      route->transit_switch);
            hmapx_add(&v->withdrawn, CONST_CAST(void *, route));
            icsbrec_route_delete(route);
        }
    }

    struct ds prefix = DS_EMPTY_INITIALIZER;
    struct ds nexthop = DS_EMPTY_INITIALIZER;
    struct adv_route *a;
    HMAP_FOR_EACH_POP (a, node, &routes) {
        if (!a->matched) {
            ds_clear(&prefix);
            ds_clear(&nexthop);
            route_prefix_format(&a->prefix, &prefix);
            route_addr_format(&a->nexthop, &nexthop);
            n_added++;
            VLOG_DBG("advertising route %s via %s (%s) on transit switch %s",
                      ds_cstr(&prefix), ds_cstr(&nexthop), a->origin, a->ts);
            const struct icsbrec_route *route
                = icsbrec_route_insert(ctx->icsb_txn);
            icsbrec_route_set_transit_switch(route, a->ts);
            icsbrec_route_set_availability_zone(route, ctx->az);
            icsbrec_route_set_route_table(route, a->route_table);
            icsbrec_route_set_ip_prefix(route, ds_cstr(&prefix));
            icsbrec_route_set_nexthop(route, ds_cstr(&nexthop));
            write_adv_route(route, a);
        }
        free(a);
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
    hmap_destroy(&routes);
    if (n_added || n_withdrawn) {
        VLOG_INFO("advertised %"PRIuSIZE" new routes, withdrew %"PRIuSIZE
                  "; %"PRIuSIZE" advertised in all", n_added, n_withdrawn,
                  ctx->stats->advertised);
    }
}

/* Learning. */

/* An IC-SB route a router would learn.  The key is what the NB static route
 * would hold: route table, prefix and next hop. */
struct learn_candidate {
    struct hmap_node node;      /* In ic_router.candidates. */
    const struct icsbrec_route *route;
    const struct ts_port *port;
    struct route_prefix prefix;
    struct in6_addr nexthop;
    const char *route_table;
    const char *lr_id;          /* Owner: route->availability_zone + this. */
    bool shadowed;              /* A local LB VIP lies inside: skip. */
    char *conflict;             /* Why it overlaps, if it does. */
    bool installed;             /* An NB route already holds it. */
};

static void
learn_candidates_clear(struct hmap *candidates)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_POP (c, node, candidates) {
        free(c->conflict);
        free(c);
    }
}

static uint32_t
learn_key_hash(const char *route_table, const struct route_prefix *prefix,
               const struct in6_addr *nexthop)
{
    return route_key_hash("", route_table, prefix, nexthop);
}

static struct learn_candidate *
learn_find(const struct hmap *candidates, const char *route_table,
           const struct route_prefix *prefix, const struct in6_addr *nexthop)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_WITH_HASH (c, node,
                             learn_key_hash(route_table, prefix, nexthop),
                             candidates) {
        if (route_prefix_equals(&c->prefix, prefix)
            && !memcmp(&c->nexthop, nexthop, sizeof *nexthop)
            && !strcmp(c->route_table, route_table)) {
            return c;
        }
    }
    return NULL;
}

/* A local static route's (route table, network): it shadows learning. */
struct local_static {
    struct hmap_node node;
    const char *route_table;
    struct route_prefix prefix;
};

static uint32_t
local_static_hash(const char *route_table, const struct route_prefix *p)
{
    struct route_prefix net = { .plen = p->plen };
    route_prefix_network(p, &net.addr);
    return route_prefix_hash(&net, hash_string(route_table, 0));
}

static bool
local_static_exists(const struct hmap *statics, const char *route_table,
                    const struct route_prefix *p)
{
    const struct local_static *s;
    HMAP_FOR_EACH_WITH_HASH (s, node, local_static_hash(route_table, p),
                             statics) {
        if (!strcmp(s->route_table, route_table)
            && route_prefix_same_network(&s->prefix, p)) {
            return true;
        }
    }
    return false;
}

static bool
route_from_this_router(const struct route_view *v,
                       const struct nbrec_logical_router *lr,
                       const struct icsbrec_route *route)
{
    const char *lr_id = smap_get(&route->external_ids, "lr-id");
    if (lr_id) {
        struct uuid uuid;
        return !uuid_from_string(&uuid, lr_id)
               || uuid_equals(&uuid, &lr->header_.uuid);
    }
    /* Zones that predate lr-id (Debian's 23.03) are learned from only if
     * they are other zones. */
    return route->availability_zone == v->ctx->az;
}

static void
consider_route(const struct route_view *v, struct ic_router *r,
               const struct ts_port *p, const struct hmap *statics,
               const struct icsbrec_route *route)
{
    if (route_from_this_router(v, r->lr, route)
        || hmapx_contains(&v->withdrawn, route)) {
        return;
    }
    const char *tag = smap_get(&route->external_ids, "ic-route-tag");
    if (p->filter_tag[0] && tag && !strcmp(tag, p->filter_tag)) {
        return;
    }
    if (route->route_table[0] && strcmp(route->route_table, p->route_table)) {
        return;
    }
    struct route_prefix prefix, nexthop;
    if (!route_prefix_parse(route->ip_prefix, &prefix)
        || !route_prefix_parse(route->nexthop, &nexthop)
        || route_addr_is_lla(&nexthop.addr)) {
        return;
    }
    if ((!prefix.plen && !v->learn_default)
        || (!strcmp(route->origin, "loadbalancer") && !v->learn_lb)
        || route_prefix_is_link_local(&prefix)
        || !route_policy_permits(&p->learn, &prefix)
        || local_static_exists(statics, route->route_table, &prefix)
        || !route_networks_contain_addr(&p->networks, &nexthop.addr)) {
        return;
    }

    /* Identical NB routes from several IC-SB routes (the same prefix and
     * next hop via two transit switches with the same subnet) collapse
     * into one, from the IC-SB route with the smallest UUID, so the choice
     * does not flip between runs. */
    struct learn_candidate *c = learn_find(&r->candidates, route->route_table,
                                           &prefix, &nexthop.addr);
    if (c) {
        if (uuid_compare_3way(&route->header_.uuid,
                              &c->route->header_.uuid) < 0) {
            c->route = route;
            c->port = p;
            c->lr_id = smap_get(&route->external_ids, "lr-id");
        }
        return;
    }
    c = xzalloc(sizeof *c);
    c->route = route;
    c->port = p;
    c->prefix = prefix;
    c->nexthop = nexthop.addr;
    c->route_table = route->route_table;
    c->lr_id = smap_get(&route->external_ids, "lr-id");
    hmap_insert(&r->candidates, &c->node,
                learn_key_hash(route->route_table, &prefix, &nexthop.addr));
}

static bool
same_owner(const struct learn_candidate *a, const struct learn_candidate *b)
{
    return a->route->availability_zone == b->route->availability_zone
           && !strcmp(a->lr_id ? a->lr_id : "", b->lr_id ? b->lr_id : "");
}

static void
format_owner(const struct learn_candidate *c, struct ds *s)
{
    const struct icsbrec_availability_zone *az = c->route->availability_zone;
    ds_put_format(s, "zone %s", az ? az->name : "(none)");
    if (c->lr_id) {
        ds_put_format(s, " router %s", c->lr_id);
    }
    ds_put_format(s, " on %s", c->route->transit_switch);
}

static void
set_conflict(struct learn_candidate *c, char *why)
{
    if (!c->conflict) {
        c->conflict = why;
    } else {
        free(why);
    }
}

static void
candidates_conflict(struct learn_candidate *a, struct learn_candidate *b)
{
    for (int i = 0; i < 2; i++) {
        struct learn_candidate *x = i ? b : a, *y = i ? a : b;
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_format(&s, "overlaps %s from ", y->route->ip_prefix);
        format_owner(y, &s);
        set_conflict(x, ds_steal_cstr(&s));
    }
}

/* A connected network of the router. */
struct connected {
    const struct nbrec_logical_router_port *lrp;
    const char *network;
};

struct covering_aux {
    struct learn_candidate *c;  /* The candidate looked up, or NULL. */
    const struct connected *n;  /* The connected network looked up. */
    const struct nbrec_logical_router *lr;
};

static void
connected_conflict(struct learn_candidate *c, const struct connected *n,
                   const struct nbrec_logical_router *lr)
{
    set_conflict(c, xasprintf("overlaps connected network %s of router port "
                              "%s of router %s", n->network, n->lrp->name,
                              lr->name));
}

/* 'e' is a candidate that contains or equals candidate 'aux->c'. */
static bool
candidate_vs_candidate(const struct prefix_index_entry *e, void *aux_)
{
    struct covering_aux *aux = aux_;
    struct learn_candidate *other = e->data;
    if (other != aux->c
        && !route_prefix_same_network(&other->prefix, &aux->c->prefix)
        && !same_owner(other, aux->c)) {
        candidates_conflict(aux->c, other);
    }
    return true;
}

/* 'e' is a connected network that contains or equals candidate 'aux->c'. */
static bool
candidate_in_connected(const struct prefix_index_entry *e, void *aux_)
{
    struct covering_aux *aux = aux_;
    connected_conflict(aux->c, e->data, aux->lr);
    return false;
}

/* 'e' is a candidate that contains connected network 'aux->n'. */
static bool
connected_in_candidate(const struct prefix_index_entry *e, void *aux_)
{
    struct covering_aux *aux = aux_;
    connected_conflict(e->data, aux->n, aux->lr);
    return true;
}

static bool
vip_in_candidate(const struct prefix_index_entry *e, void *aux OVS_UNUSED)
{
    struct learn_candidate *c = e->data;
    c->shadowed = true;
    return true;
}

static void
shadow_by_lb(const struct prefix_index *idx,
             const struct nbrec_load_balancer *lb)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, &lb->vips) {
        struct route_prefix vip;
        if (route_lb_vip_parse(node->key, &vip.addr)) {
            vip.plen = route_addr_is_ipv4(&vip.addr) ? 32 : 128;
            prefix_index_for_each_covering(idx, &vip, vip_in_candidate, NULL);
        }
    }
}

/* Marks the candidates of 'r' that a local load balancer VIP shadows (as
 * upstream does), then those that overlap a connected network of the router
 * or a different prefix from another owner.  Default routes are exempt from
 * the overlap checks: they overlap everything by design. */
static void
check_candidates(struct ic_router *r, const struct sset *ts_lrps)
{
    const struct nbrec_logical_router *lr = r->lr;
    struct learn_candidate *c;

    if (lr->n_load_balancer || lr->n_load_balancer_group) {
        struct prefix_index all;
        prefix_index_init(&all);
        HMAP_FOR_EACH (c, node, &r->candidates) {
            prefix_index_insert(&all, &c->prefix, c);
        }
        for (size_t i = 0; i < lr->n_load_balancer; i++) {
            shadow_by_lb(&all, lr->load_balancer[i]);
        }
        for (size_t i = 0; i < lr->n_load_balancer_group; i++) {
            const struct nbrec_load_balancer_group *g
                = lr->load_balancer_group[i];
            for (size_t j = 0; j < g->n_load_balancer; j++) {
                shadow_by_lb(&all, g->load_balancer[j]);
            }
        }
        prefix_index_destroy(&all);
    }

    struct prefix_index cands;
    prefix_index_init(&cands);
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->prefix.plen && !c->shadowed) {
            prefix_index_insert(&cands, &c->prefix, c);
        }
    }
    if (!prefix_index_count(&cands)) {
        prefix_index_destroy(&cands);
        return;
    }

    /* Connected networks, and the candidates that contain them. */
    struct prefix_index connected;
    prefix_index_init(&connected);
    size_t n_conn = 0;
    for (size_t i = 0; i < lr->n_ports; i++) {
        n_conn += lr->ports[i]->n_networks;
    }
    struct connected *conns = xmalloc((n_conn ? n_conn : 1) * sizeof *conns);
    n_conn = 0;
    for (size_t i = 0; i < lr->n_ports; i++) {
        const struct nbrec_logical_router_port *lrp = lr->ports[i];
        if (sset_contains(ts_lrps, lrp->name)) {
            continue;           /* The transport, not a local network. */
        }
        for (size_t j = 0; j < lrp->n_networks; j++) {
            struct route_prefix p;
            if (route_prefix_parse(lrp->networks[j], &p)) {
                struct connected *n = &conns[n_conn++];
                n->lrp = lrp;
                n->network = lrp->networks[j];
                prefix_index_insert(&connected, &p, n);
                struct covering_aux aux = { NULL, n, lr };
                prefix_index_for_each_covering(&cands, &p,
                                               connected_in_candidate, &aux);
            }
        }
    }

    /* Candidates inside a connected network or inside another owner's
     * candidate (which also marks the latter). */
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->prefix.plen && !c->shadowed) {
            struct covering_aux aux = { c, NULL, lr };
            prefix_index_for_each_covering(&connected, &c->prefix,
                                           candidate_in_connected, &aux);
            prefix_index_for_each_covering(&cands, &c->prefix,
                                           candidate_vs_candidate, &aux);
        }
    }

    prefix_index_destroy(&connected);
    free(conns);
    prefix_index_destroy(&cands);
}

/* Gathers what each router would learn. */
static void
collect_candidates(struct route_view *v)
{
    struct ic_router *r;
    HMAP_FOR_EACH (r, node, &v->routers) {
        if (!v->learn || !lr_is_enabled(r->lr)) {
            continue;
        }
        struct hmap statics = HMAP_INITIALIZER(&statics);
        for (size_t i = 0; i < r->lr->n_static_routes; i++) {
            const struct nbrec_logical_router_static_route *sr
                = r->lr->static_routes[i];
            struct route_prefix prefix;
            if (!smap_get(&sr->external_ids, "ic-learned-route")
                && route_prefix_parse(sr->ip_prefix, &prefix)) {
                struct local_static *ls = xmalloc(sizeof *ls);
                ls->route_table = sr->route_table;
                ls->prefix = prefix;
                hmap_insert(&statics, &ls->node,
                            local_static_hash(sr->route_table, &prefix));
            }
        }

        for (size_t i = 0; i < r->ports.n; i++) {
            const struct ts_port *p = r->ports.p[i];
            const struct ptr_array *routes
                = shash_find_data(&v->routes_by_ts, p->ts);
            if (!routes || !p->addrs_ok) {
                continue;
            }
            for (size_t j = 0; j < routes->n; j++) {
                consider_route(v, r, p, &statics, routes->p[j]);
            }
        }

        struct local_static *ls;
        HMAP_FOR_EACH_POP (ls, node, &statics) {
            free(ls);
        }
        hmap_destroy(&statics);

        check_candidates(r, &v->ts_lrps);
    }
}

static void
report_conflicts(const struct route_view *v, const struct ic_router *r)
{
    const struct learn_candidate *c;
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->conflict && !c->shadowed) {
            char *object = xasprintf("%s: %s via %s", r->lr->name,
                                     c->route->ip_prefix, c->route->nexthop);
            struct ds owner = DS_EMPTY_INITIALIZER;
            format_owner(c, &owner);
            problems_report(v->ctx->problems, OWNER, object,
                            "route from %s %s; not learned",
                            ds_cstr(&owner), c->conflict);
            ds_destroy(&owner);
            free(object);
        }
    }
}

static void
write_learned_route(const struct nbrec_logical_router_static_route *sr,
                    const struct learn_candidate *c)
{
    char uuid[UUID_LEN + 1];
    snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&c->route->header_.uuid));
    const char *cur = smap_get(&sr->external_ids, "ic-learned-route");
    if (!cur || strcmp(cur, uuid)) {
        nbrec_logical_router_static_route_update_external_ids_setkey(
            sr, "ic-learned-route", uuid);
    }
    cur = smap_get(&sr->options, "origin");
    if (!cur || strcmp(cur, c->route->origin)) {
        nbrec_logical_router_static_route_update_options_setkey(
            sr, "origin", c->route->origin);
    }
}

/* Brings the learned static routes of 'lr' in line with the candidates of
 * 'r' (NULL if the router learns nothing). */
static void
sync_router_learned(struct route_view *v,
                    const struct nbrec_logical_router *lr,
                    struct ic_router *r)
{
    for (size_t i = 0; i < lr->n_static_routes; i++) {
        const struct nbrec_logical_router_static_route *sr
            = lr->static_routes[i];
        if (!smap_get(&sr->external_ids, "ic-learned-route")) {
            continue;
        }
        struct route_prefix prefix, nexthop;
        struct learn_candidate *c = NULL;
        if (r && route_prefix_parse(sr->ip_prefix, &prefix)
            && route_prefix_parse(sr->nexthop, &nexthop)) {
            c = learn_find(&r->candidates, sr->route_table, &prefix,
                           &nexthop.addr);
        }
        if (c && !c->installed && !c->conflict && !c->shadowed) {
            c->installed = true;
            write_learned_route(sr, c);
        } else {
            v->n_unlearned++;
            VLOG_DBG("router %s: removing learned route %s via %s",
                      lr->name, sr->ip_prefix, sr->nexthop);
            nbrec_logical_router_update_static_routes_delvalue(lr, sr);
        }
    }
    if (!r) {
        return;
    }

    struct ds prefix = DS_EMPTY_INITIALIZER;
    struct ds nexthop = DS_EMPTY_INITIALIZER;
    struct learn_candidate *c;
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->conflict && !c->shadowed) {
            v->ctx->stats->refused++;
        }
        if (c->installed || c->conflict || c->shadowed) {
            v->ctx->stats->learned += c->installed;
            continue;
        }
        v->ctx->stats->learned++;
        ds_clear(&prefix);
        ds_clear(&nexthop);
        route_prefix_format(&c->prefix, &prefix);
        route_addr_format(&c->nexthop, &nexthop);
        v->n_learned++;
        VLOG_DBG("router %s: learning route %s via %s from transit switch "
                  "%s", lr->name, ds_cstr(&prefix), ds_cstr(&nexthop),
                  c->route->transit_switch);
        const struct nbrec_logical_router_static_route *sr
            = nbrec_logical_router_static_route_insert(v->ctx->nb_txn);
        nbrec_logical_router_static_route_set_ip_prefix(sr, ds_cstr(&prefix));
        nbrec_logical_router_static_route_set_nexthop(sr, ds_cstr(&nexthop));
        nbrec_logical_router_static_route_set_route_table(sr,
                                                          c->route_table);
        write_learned_route(sr, c);
        nbrec_logical_router_update_static_routes_addvalue(lr, sr);
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
}

static void
sync_learned(struct route_view *v)
{
    collect_candidates(v);
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, v->ctx->nb_idl) {
        struct ic_router *r = router_find(v, lr);
        if (r) {
            report_conflicts(v, r);
        }
        sync_router_learned(v, lr, r);
    }
    if (v->n_learned || v->n_unlearned) {
        VLOG_INFO("learned %"PRIuSIZE" new routes, removed %"PRIuSIZE
                  "; %"PRIuSIZE" learned in all", v->n_learned,
                  v->n_unlearned, v->ctx->stats->learned);
    }
}

bool
sync_route_run(const struct sync_route_ctx *ctx)
{
    struct route_view v;
    route_view_init(&v, ctx);
    problems_begin(ctx->problems, OWNER);
    memset(ctx->stats, 0, sizeof *ctx->stats);

    sync_advertised(&v);
    sync_learned(&v);

    problems_end(ctx->problems, OWNER);
    route_view_destroy(&v);
    return true;
}

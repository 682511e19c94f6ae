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
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
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

/* The structure: what routing needs of the zone's routers, router ports,
 * transit switches and options.  A full run builds it; any change to it
 * makes the next run a full one. */

struct ic_router;

/* One of this zone's ports on a transit switch, with what routing needs of
 * it. */
struct ts_port {
    const char *ts;
    struct ic_router *router;
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

/* A connected network of a router: one network of a router port that is
 * not on a transit switch. */
struct connected {
    const struct nbrec_logical_router_port *lrp;
    const char *network;
    struct route_prefix prefix;
};

/* A (route table, network) pair, for local static routes. */
struct net_key {
    struct hmap_node node;
    char *route_table;
    struct route_prefix prefix;
};

/* A local router with at least one port on a transit switch. */
struct ic_router {
    struct hmap_node node;              /* In route_state.routers. */
    const struct nbrec_logical_router *lr;
    struct ptr_array ports;             /* struct ts_port *. */
    bool advertises;                    /* Advertising on, router enabled. */
    bool learns;                        /* Learning on, router enabled. */
    struct connected *conns;
    size_t n_conns;
    struct route_prefix_list vips;      /* Its load balancers' VIPs. */

    /* Learning. */
    struct hmap candidates;             /* struct learn_candidate. */
    struct prefix_index idx;            /* Every candidate, by prefix. */
    struct hmap statics;                /* struct local_static.key. */
    struct hmap shadowing;              /* struct net_key: statics that kept
                                         * an IC-SB route from learning. */

    /* The size of the router's static route set at the end of the last
     * run, and what this run saw come and go: a set that changed by
     * something else moved a route between routers, which needs a full
     * run. */
    size_t n_statics;
    size_t n_statics_new;
    size_t n_statics_gone;
};

/* A local (not learned) static route of an ic_router.  It keeps IC-SB
 * routes to the same network and table from being learned, if its prefix
 * parses. */
struct local_static {
    struct hmap_node uuid_node;         /* In route_state.statics. */
    struct uuid uuid;
    struct ic_router *router;
    bool has_key;                       /* Its prefix parsed. */
    struct net_key key;                 /* In ic_router.statics if so. */
};

/* Advertisement: a route this zone wants in IC-SB.  The key is IC-SB's
 * unique index: transit switch, route table, prefix and next hop.  Several
 * sources (static routes, router ports, load balancers) may want the same
 * route; the one with the smallest UUID gives its external_ids, so that the
 * choice does not depend on the order in which they were found. */
struct adv_source {
    struct uuid nb_id;
    const char *origin;
    struct uuid lr_id;
    const char *route_tag;
};

struct adv_route {
    struct hmap_node node;              /* In route_state.advertised. */
    struct hmap_node row_node;          /* In route_state.adv_by_row. */
    const char *ts;
    const char *route_table;
    struct route_prefix prefix;
    struct in6_addr nexthop;
    struct adv_source *sources;
    size_t n_sources, allocated;
    const struct icsbrec_route *row;    /* The IC-SB row holding it. */
    bool pending;                       /* Inserted, not yet seen back. */
};

/* The advertised routes that one static route feeds. */
struct adv_feed {
    struct hmap_node node;              /* In route_state.adv_feeds. */
    struct uuid nb_id;
    struct ptr_array routes;            /* struct adv_route *. */
};

/* Learning: an IC-SB route a router would learn.  The key is what the NB
 * static route holds: route table, prefix and next hop. */
struct learn_candidate {
    struct hmap_node node;              /* In ic_router.candidates. */
    struct hmap_node nb_node;           /* In route_state.cand_by_nb. */
    struct ic_router *router;
    const struct icsbrec_route *route;  /* The smallest UUID, if several. */
    const struct ts_port *port;
    size_t n_routes;                    /* IC-SB routes that give it. */
    struct route_prefix prefix;
    struct in6_addr nexthop;
    char *route_table;          /* Copies: writing to an IDL row, or its */
    char *lr_id;                /* update, re-parses the row's strings. */
                                /* Owner: route->availability_zone + lr_id. */
    bool shadowed;              /* A local LB VIP lies inside: skip. */
    char *conflict;             /* Why it overlaps, if it does. */
    const struct nbrec_logical_router_static_route *nb_row;
    bool pending;               /* Inserted, not yet seen back. */
};

/* The candidates one IC-SB route gives (one per learning router). */
struct route_ref {
    struct hmap_node node;              /* In route_state.route_refs. */
    struct uuid uuid;
    struct ptr_array candidates;        /* struct learn_candidate *. */
};

struct nb_deleting {
    struct hmap_node node;              /* In route_state.nb_deleting. */
    struct uuid uuid;
    const struct nbrec_logical_router *lr;
};

/* A learned NB route to delete from its router. */
struct nb_delete {
    const struct nbrec_logical_router *lr;
    const struct nbrec_logical_router_static_route *sr;
};

struct sync_route_state {
    bool valid;                 /* False until a full run built it. */

    /* The structure. */
    bool adv, adv_default, adv_lb;
    bool learn, learn_default, learn_lb;
    struct route_prefix_list denylist;
    struct shash lrps;                  /* name -> NB LRP. */
    struct shash lr_of_lrp;             /* LRP name -> NB LR. */
    struct sset ts_lrps;                /* Router ports on transit switches. */
    struct shash local_pbs;             /* logical_port -> this zone's PB. */
    struct ptr_array ports;             /* Every struct ts_port. */
    struct shash ports_by_ts;           /* TS -> struct ptr_array of ports. */
    struct hmap routers;                /* struct ic_router, by LR uuid. */

    /* Advertisement. */
    struct hmap advertised;             /* struct adv_route, by key. */
    struct hmap adv_by_row;             /* struct adv_route, by row UUID. */
    struct hmap adv_feeds;              /* struct adv_feed, by NB UUID. */

    /* Learning. */
    struct hmap statics;                /* struct local_static, by UUID. */
    struct hmap route_refs;             /* struct route_ref, by UUID. */
    struct hmap cand_by_nb;             /* struct learn_candidate, by the
                                         * UUID of its NB route. */
    size_t n_learned;                   /* Candidates that are installed. */
    size_t n_refused;                   /* Candidates refused as overlaps. */

    /* Rows inserted and not yet seen back ('pending' advertised routes and
     * candidates).  An incremental run must see every one of them back,
     * since the engine runs the step only once its transactions are done;
     * one still pending means the row came and went unseen. */
    size_t n_pending;

    /* Learned NB routes this daemon deleted and has not seen go yet, with
     * their routers, for the count of each router's static routes. */
    struct hmap nb_deleting;            /* struct nb_deleting, by UUID. */

    /* Valid during a run. */
    const struct sync_route_ctx *ctx;
    struct hmapx dirty_adv;             /* struct adv_route to write. */
    struct hmapx dirty_learned;         /* struct learn_candidate to write. */
    struct hmapx icsb_deletes;          /* IC-SB Routes to delete. */
    struct hmapx nb_deleted;            /* NB routes in 'nb_deletes'. */
    struct nb_delete *nb_deletes;
    size_t n_nb_deletes, allocated_nb_deletes;
    struct hmapx withdrawn;             /* Own IC-SB routes deleted. */
    size_t n_advertised_now, n_withdrawn_now;
    size_t n_learned_now, n_unlearned_now;
};

static bool
lr_is_enabled(const struct nbrec_logical_router *lr)
{
    return !lr->n_enabled || lr->enabled[0];
}

static struct ic_router *
router_find(const struct sync_route_state *st,
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

static uint32_t
net_key_hash(const char *route_table, const struct route_prefix *p)
{
    struct route_prefix net = { .plen = p->plen };
    route_prefix_network(p, &net.addr);
    return route_prefix_hash(&net, hash_string(route_table, 0));
}

static struct net_key *
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

static void
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

static struct local_static *
local_static_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    struct local_static *ls;
    HMAP_FOR_EACH_WITH_HASH (ls, uuid_node, uuid_hash(uuid), &st->statics) {
        if (uuid_equals(&ls->uuid, uuid)) {
            return ls;
        }
    }
    return NULL;
}

/* Records local static route 'sr' of 'r', whose prefix is '*prefix', or
 * which has none that parses if 'prefix' is NULL. */
static void
local_static_add(struct sync_route_state *st, struct ic_router *r,
                 const struct nbrec_logical_router_static_route *sr,
                 const struct route_prefix *prefix)
{
    struct local_static *ls = xzalloc(sizeof *ls);
    ls->uuid = sr->header_.uuid;
    ls->router = r;
    hmap_insert(&st->statics, &ls->uuid_node, uuid_hash(&ls->uuid));
    if (prefix) {
        ls->has_key = true;
        ls->key.route_table = xstrdup(sr->route_table);
        ls->key.prefix = *prefix;
        hmap_insert(&r->statics, &ls->key.node,
                    net_key_hash(sr->route_table, prefix));
    }
}

static void
local_static_remove(struct sync_route_state *st, struct local_static *ls)
{
    hmap_remove(&st->statics, &ls->uuid_node);
    if (ls->has_key) {
        hmap_remove(&ls->router->statics, &ls->key.node);
    }
    free(ls->key.route_table);
    free(ls);
}

/* Building and clearing the state. */

static void learn_candidate_free(struct learn_candidate *);

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
    route_prefix_list_init(&r->vips);
    r->n_statics = lr->n_static_routes;
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

    for (size_t i = 0; i < lr->n_static_routes; i++) {
        const struct nbrec_logical_router_static_route *sr
            = lr->static_routes[i];
        struct route_prefix prefix;
        if (!smap_get(&sr->external_ids, "ic-learned-route")) {
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
    ts_port_init_policy(&p->adv, st, lr, lrp, "ic-route-filter-adv",
                        "ic-route-deny-adv");
    ts_port_init_policy(&p->learn, st, lr, lrp, "ic-route-filter-learn",
                        "ic-route-deny-learn");
    ptr_array_push(&st->ports, p);

    struct ptr_array *on_ts = shash_find_data(&st->ports_by_ts, ts);
    if (!on_ts) {
        on_ts = xzalloc(sizeof *on_ts);
        shash_add(&st->ports_by_ts, ts, on_ts);
    }
    ptr_array_push(on_ts, p);

    struct ic_router *r = router_find(st, lr);
    if (!r) {
        r = router_create(st, lr);
    }
    p->router = r;
    ptr_array_push(&r->ports, p);
}

static void
route_state_build(struct sync_route_state *st,
                  const struct sync_route_ctx *ctx)
{
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
    route_prefix_list_parse(&st->denylist, route_global_denylist(options));

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_ports; i++) {
            shash_add_once(&st->lrps, lr->ports[i]->name, lr->ports[i]);
            shash_add_once(&st->lr_of_lrp, lr->ports[i]->name, lr);
        }
    }

    bool has_pb_type
        = icsbrec_server_has_port_binding_table_col_type(ctx->icsb_idl);
    const struct icsbrec_port_binding *pb;
    ICSBREC_PORT_BINDING_FOR_EACH (pb, ctx->icsb_idl) {
        if (pb->availability_zone == ctx->az
            && (!has_pb_type || !pb->type || !pb->type[0]
                || !strcmp(pb->type, "transit-switch-port"))) {
            shash_add_once(&st->local_pbs, pb->logical_port, pb);
        }
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
}

static void
route_state_init(struct sync_route_state *st)
{
    memset(st, 0, sizeof *st);
    route_prefix_list_init(&st->denylist);
    shash_init(&st->lrps);
    shash_init(&st->lr_of_lrp);
    sset_init(&st->ts_lrps);
    shash_init(&st->local_pbs);
    shash_init(&st->ports_by_ts);
    hmap_init(&st->routers);
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
}

static void
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

    struct local_static *ls;
    HMAP_FOR_EACH_POP (ls, uuid_node, &st->statics) {
        free(ls->key.route_table);
        free(ls);
    }
    hmap_destroy(&st->statics);
    struct ic_router *r;
    HMAP_FOR_EACH_POP (r, node, &st->routers) {
        router_destroy(r);
    }
    hmap_destroy(&st->routers);
    hmap_destroy(&st->cand_by_nb);  /* Its entries were the candidates. */
    struct route_ref *ref;
    HMAP_FOR_EACH_POP (ref, node, &st->route_refs) {
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
    HMAP_FOR_EACH_POP (f, node, &st->adv_feeds) {
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
    HMAP_FOR_EACH_POP (d, node, &st->nb_deleting) {
        free(d);
    }
    hmap_destroy(&st->nb_deleting);
    free(st->nb_deletes);
    shash_destroy(&st->local_pbs);
    sset_destroy(&st->ts_lrps);
    shash_destroy(&st->lr_of_lrp);
    shash_destroy(&st->lrps);
    route_prefix_list_destroy(&st->denylist);
}

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

/* Forgets everything, for a full run. */
static void
route_state_reset(struct sync_route_state *st)
{
    route_state_destroy(st);
    route_state_init(st);
}

/* Advertisement. */

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
adv_find(const struct sync_route_state *st, const char *ts,
         const char *route_table, const struct route_prefix *prefix,
         const struct in6_addr *nexthop)
{
    struct adv_route *a;
    HMAP_FOR_EACH_WITH_HASH (a, node,
                             route_key_hash(ts, route_table, prefix, nexthop),
                             &st->advertised) {
        if (route_prefix_equals(&a->prefix, prefix)
            && !memcmp(&a->nexthop, nexthop, sizeof *nexthop)
            && !strcmp(a->ts, ts) && !strcmp(a->route_table, route_table)) {
            return a;
        }
    }
    return NULL;
}

/* The source that gives 'a' its external_ids. */
static const struct adv_source *
adv_winner(const struct adv_route *a)
{
    const struct adv_source *best = &a->sources[0];
    for (size_t i = 1; i < a->n_sources; i++) {
        if (uuid_compare_3way(&a->sources[i].nb_id, &best->nb_id) < 0) {
            best = &a->sources[i];
        }
    }
    return best;
}

static struct adv_feed *
adv_feed_find(const struct sync_route_state *st, const struct uuid *nb_id)
{
    struct adv_feed *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, uuid_hash(nb_id), &st->adv_feeds) {
        if (uuid_equals(&f->nb_id, nb_id)) {
            return f;
        }
    }
    return NULL;
}

/* Where an advertised route comes from, for the duplicate warning. */
struct adv_origin {
    const char *origin;         /* "static", "connected", "loadbalancer". */
    const char *kind;           /* "static route", "router port", ... */
    const char *name;           /* Its name, or NULL. */
    const struct uuid *uuid;
    bool feeds;                 /* Record it in route_state.adv_feeds. */
};

static bool
need_advertise(const struct sync_route_state *st, const struct ts_port *p,
               const struct route_prefix *prefix)
{
    return (prefix->plen || st->adv_default)
           && !route_prefix_is_link_local(prefix)
           && route_policy_permits(&p->adv, prefix);
}

/* Makes port 'p' advertise 'prefix' in 'route_table' on behalf of 'src'. */
static void
adv_add(struct sync_route_state *st, const struct ts_port *p,
        const struct route_prefix *prefix, const char *route_table,
        const struct adv_origin *src)
{
    if (!need_advertise(st, p, prefix)) {
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

    struct adv_route *a = adv_find(st, p->ts, route_table, prefix, &nexthop);
    if (a) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);
        struct ds s = DS_EMPTY_INITIALIZER;
        route_prefix_format(prefix, &s);
        VLOG_WARN_RL(&rl, "duplicate %s route advertisement of %s on transit "
                     "switch %s suppressed (from %s %s "UUID_FMT")",
                     src->origin, ds_cstr(&s), p->ts, src->kind,
                     src->name ? src->name : "", UUID_ARGS(src->uuid));
        ds_destroy(&s);
    } else {
        a = xzalloc(sizeof *a);
        a->ts = p->ts;
        a->route_table = route_table;
        a->prefix = *prefix;
        a->nexthop = nexthop;
        hmap_insert(&st->advertised, &a->node,
                    route_key_hash(p->ts, route_table, prefix, &nexthop));
    }
    if (a->n_sources >= a->allocated) {
        a->sources = x2nrealloc(a->sources, &a->allocated,
                                sizeof *a->sources);
    }
    a->sources[a->n_sources++] = (struct adv_source) {
        .nb_id = *src->uuid,
        .origin = src->origin,
        .lr_id = p->router->lr->header_.uuid,
        .route_tag = p->route_tag,
    };
    hmapx_add(&st->dirty_adv, a);

    if (src->feeds) {
        struct adv_feed *f = adv_feed_find(st, src->uuid);
        if (!f) {
            f = xzalloc(sizeof *f);
            f->nb_id = *src->uuid;
            hmap_insert(&st->adv_feeds, &f->node, uuid_hash(src->uuid));
        }
        ptr_array_push(&f->routes, a);
    }
}

static bool route_unlearn(struct sync_route_state *,
                          const struct icsbrec_route *);

/* Withdraws 'a' and frees it.  Returns false if that needs a full run. */
static bool
adv_withdraw(struct sync_route_state *st, struct adv_route *a)
{
    bool ok = true;
    if (a->row) {
        const struct icsbrec_route *row = a->row;
        hmap_remove(&st->adv_by_row, &a->row_node);
        if (!icsbrec_route_is_deleted(row)) {
            hmapx_add(&st->icsb_deletes, CONST_CAST(void *, row));
            hmapx_add(&st->withdrawn, CONST_CAST(void *, row));
            st->n_withdrawn_now++;
        }
        /* This zone's other routers that learned it forget it now, as in
         * a full run. */
        ok = route_unlearn(st, row);
    }
    st->n_pending -= a->pending;
    hmapx_find_and_delete(&st->dirty_adv, a);
    hmap_remove(&st->advertised, &a->node);
    free(a->sources);
    free(a);
    return ok;
}

/* Static route 'sr' of router 'r', on every port of 'r'. */
static void
adv_static(struct sync_route_state *st, const struct ic_router *r,
           const struct nbrec_logical_router_static_route *sr)
{
    if (smap_get(&sr->external_ids, "ic-learned-route")
        || (sr->policy && !strcmp(sr->policy, "src-ip"))) {
        return;
    }
    struct route_prefix prefix, nexthop;
    if (!route_prefix_parse(sr->ip_prefix, &prefix)) {
        return;
    }
    /* A "discard" route is advertised with this zone as its next hop, as
     * any other; a link-local next hop makes no sense elsewhere. */
    if (strcmp(sr->nexthop, "discard")
        && (!route_prefix_parse(sr->nexthop, &nexthop)
            || route_addr_is_lla(&nexthop.addr))) {
        return;
    }
    struct adv_origin src = { "static", "static route", NULL,
                              &sr->header_.uuid, true };
    for (size_t i = 0; i < r->ports.n; i++) {
        const struct ts_port *p = r->ports.p[i];
        if (p->addrs_ok && !strcmp(sr->route_table, p->route_table)) {
            adv_add(st, p, &prefix, p->route_table, &src);
        }
    }
}

static void
adv_connected(struct sync_route_state *st, const struct ic_router *r)
{
    for (size_t i = 0; i < r->n_conns; i++) {
        const struct connected *c = &r->conns[i];
        struct adv_origin src = { "connected", "router port", c->lrp->name,
                                  &c->lrp->header_.uuid, false };
        for (size_t j = 0; j < r->ports.n; j++) {
            const struct ts_port *p = r->ports.p[j];
            if (p->addrs_ok) {
                adv_add(st, p, &c->prefix, "", &src);
            }
        }
    }
}

static void
adv_lb(struct sync_route_state *st, const struct ic_router *r,
       const struct nbrec_load_balancer *lb)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, &lb->vips) {
        struct route_prefix prefix;
        if (route_lb_vip_parse(node->key, &prefix.addr)) {
            prefix.plen = route_addr_is_ipv4(&prefix.addr) ? 32 : 128;
            struct adv_origin src = { "loadbalancer", "load balancer",
                                      lb->name, &lb->header_.uuid, false };
            for (size_t i = 0; i < r->ports.n; i++) {
                const struct ts_port *p = r->ports.p[i];
                if (p->addrs_ok) {
                    adv_add(st, p, &prefix, "", &src);
                }
            }
        }
    }
}

/* Links 'row', one of this zone's IC-SB routes, to what it advertises, or
 * withdraws it if nothing wants it (or another row holds it already). */
static void
adv_link_row(struct sync_route_state *st, const struct icsbrec_route *row)
{
    struct route_prefix prefix, nexthop;
    struct adv_route *a = NULL;
    if (route_prefix_parse(row->ip_prefix, &prefix)
        && route_prefix_parse(row->nexthop, &nexthop)) {
        a = adv_find(st, row->transit_switch, row->route_table, &prefix,
                     &nexthop.addr);
    }
    if (a && a->row == row) {
        return;                 /* Linked already. */
    }
    if (a && !a->row) {
        a->row = row;
        st->n_pending -= a->pending;
        a->pending = false;
        hmap_insert(&st->adv_by_row, &a->row_node,
                    uuid_hash(&row->header_.uuid));
        hmapx_add(&st->dirty_adv, a);
    } else {
        VLOG_DBG("withdrawing route %s via %s (%s) from transit switch %s",
                 row->ip_prefix, row->nexthop, row->origin,
                 row->transit_switch);
        hmapx_add(&st->icsb_deletes, CONST_CAST(void *, row));
        hmapx_add(&st->withdrawn, CONST_CAST(void *, row));
        st->n_withdrawn_now++;
    }
}

static struct adv_route *
adv_find_by_row(const struct sync_route_state *st,
                const struct icsbrec_route *row)
{
    struct adv_route *a;
    HMAP_FOR_EACH_WITH_HASH (a, row_node, uuid_hash(&row->header_.uuid),
                             &st->adv_by_row) {
        if (uuid_equals(&a->row->header_.uuid, &row->header_.uuid)) {
            return a;
        }
    }
    return NULL;
}

/* Full run: everything this zone advertises, then its IC-SB rows. */
static void
adv_full(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    if (st->adv) {
        struct ic_router *r;
        HMAP_FOR_EACH (r, node, &st->routers) {
            if (!r->advertises) {
                continue;
            }
            for (size_t i = 0; i < r->lr->n_static_routes; i++) {
                adv_static(st, r, r->lr->static_routes[i]);
            }
            adv_connected(st, r);
            if (st->adv_lb) {
                const struct nbrec_logical_router *lr = r->lr;
                for (size_t i = 0; i < lr->n_load_balancer; i++) {
                    adv_lb(st, r, lr->load_balancer[i]);
                }
                for (size_t i = 0; i < lr->n_load_balancer_group; i++) {
                    const struct nbrec_load_balancer_group *g
                        = lr->load_balancer_group[i];
                    for (size_t j = 0; j < g->n_load_balancer; j++) {
                        adv_lb(st, r, g->load_balancer[j]);
                    }
                }
            }
        }
    }

    const struct icsbrec_route *row;
    ICSBREC_ROUTE_FOR_EACH (row, ctx->icsb_idl) {
        if (row->availability_zone == ctx->az) {
            adv_link_row(st, row);
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
    const struct adv_source *src = adv_winner(a);
    char nb_id[UUID_LEN + 1], lr_id[UUID_LEN + 1];
    snprintf(nb_id, sizeof nb_id, UUID_FMT, UUID_ARGS(&src->nb_id));
    snprintf(lr_id, sizeof lr_id, UUID_FMT, UUID_ARGS(&src->lr_id));
    if (strcmp(route->origin, src->origin)) {
        icsbrec_route_set_origin(route, src->origin);
    }
    set_external_id(route, "nb-id", nb_id);
    set_external_id(route, "lr-id", lr_id);
    set_external_id(route, "ic-route-tag", src->route_tag);
}

/* Writes what changed in the advertised routes. */
static void
adv_write(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    struct hmapx_node *node;
    HMAPX_FOR_EACH (node, &st->icsb_deletes) {
        icsbrec_route_delete(node->data);
    }

    struct ds prefix = DS_EMPTY_INITIALIZER;
    struct ds nexthop = DS_EMPTY_INITIALIZER;
    HMAPX_FOR_EACH (node, &st->dirty_adv) {
        struct adv_route *a = node->data;
        if (a->row) {
            write_adv_route(a->row, a);
        } else if (!a->pending) {
            ds_clear(&prefix);
            ds_clear(&nexthop);
            route_prefix_format(&a->prefix, &prefix);
            route_addr_format(&a->nexthop, &nexthop);
            VLOG_DBG("advertising route %s via %s (%s) on transit switch %s",
                     ds_cstr(&prefix), ds_cstr(&nexthop),
                     adv_winner(a)->origin, a->ts);
            const struct icsbrec_route *row
                = icsbrec_route_insert(ctx->icsb_txn);
            icsbrec_route_set_transit_switch(row, a->ts);
            icsbrec_route_set_availability_zone(row, ctx->az);
            icsbrec_route_set_route_table(row, a->route_table);
            icsbrec_route_set_ip_prefix(row, ds_cstr(&prefix));
            icsbrec_route_set_nexthop(row, ds_cstr(&nexthop));
            write_adv_route(row, a);
            a->pending = true;
            st->n_pending++;
            st->n_advertised_now++;
        }
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
}

/* Learning. */

static uint32_t
learn_key_hash(const char *route_table, const struct route_prefix *prefix,
               const struct in6_addr *nexthop)
{
    return route_key_hash("", route_table, prefix, nexthop);
}

static struct learn_candidate *
learn_find(const struct ic_router *r, const char *route_table,
           const struct route_prefix *prefix, const struct in6_addr *nexthop)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_WITH_HASH (c, node,
                             learn_key_hash(route_table, prefix, nexthop),
                             &r->candidates) {
        if (route_prefix_equals(&c->prefix, prefix)
            && !memcmp(&c->nexthop, nexthop, sizeof *nexthop)
            && !strcmp(c->route_table, route_table)) {
            return c;
        }
    }
    return NULL;
}

static void
learn_candidate_free(struct learn_candidate *c)
{
    free(c->route_table);
    free(c->lr_id);
    free(c->conflict);
    free(c);
}

/* Makes 'route' the IC-SB route that gives candidate 'c'. */
static void
candidate_set_route(struct learn_candidate *c,
                    const struct icsbrec_route *route)
{
    const char *lr_id = smap_get(&route->external_ids, "lr-id");
    c->route = route;
    free(c->route_table);
    c->route_table = xstrdup(route->route_table);
    free(c->lr_id);
    c->lr_id = nullable_xstrdup(lr_id);
}

/* True if 'c' should have an NB route. */
static bool
candidate_wanted(const struct learn_candidate *c)
{
    return !c->conflict && !c->shadowed;
}

/* True if 'c' takes part in the overlap checks: default routes overlap
 * everything by design, and a shadowed candidate is not installed. */
static bool
candidate_checked(const struct learn_candidate *c)
{
    return c->prefix.plen && !c->shadowed;
}

static struct route_ref *
route_ref_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    struct route_ref *ref;
    HMAP_FOR_EACH_WITH_HASH (ref, node, uuid_hash(uuid), &st->route_refs) {
        if (uuid_equals(&ref->uuid, uuid)) {
            return ref;
        }
    }
    return NULL;
}

static void
route_ref_add(struct sync_route_state *st, const struct icsbrec_route *route,
              struct learn_candidate *c)
{
    struct route_ref *ref = route_ref_find(st, &route->header_.uuid);
    if (!ref) {
        ref = xzalloc(sizeof *ref);
        ref->uuid = route->header_.uuid;
        hmap_insert(&st->route_refs, &ref->node,
                    uuid_hash(&route->header_.uuid));
    }
    ptr_array_push(&ref->candidates, c);
}

static struct learn_candidate *
candidate_find_by_nb(const struct sync_route_state *st,
                     const struct uuid *uuid)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_WITH_HASH (c, nb_node, uuid_hash(uuid), &st->cand_by_nb) {
        if (uuid_equals(&c->nb_row->header_.uuid, uuid)) {
            return c;
        }
    }
    return NULL;
}

static struct nb_deleting *
nb_deleting_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    struct nb_deleting *d;
    HMAP_FOR_EACH_WITH_HASH (d, node, uuid_hash(uuid), &st->nb_deleting) {
        if (uuid_equals(&d->uuid, uuid)) {
            return d;
        }
    }
    return NULL;
}

static bool
route_from_this_router(const struct sync_route_state *st,
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
    return route->availability_zone == st->ctx->az;
}

/* Returns true if router 'r' would learn 'route' through port 'p', with
 * the parsed prefix and next hop in '*prefix' and '*nexthop'.  Records the
 * local static routes that keep it from doing so. */
static bool
route_learnable(const struct sync_route_state *st, struct ic_router *r,
                const struct ts_port *p, const struct icsbrec_route *route,
                struct route_prefix *prefix, struct in6_addr *nexthop)
{
    if (route_from_this_router(st, r->lr, route)
        || hmapx_contains(&st->withdrawn, route)) {
        return false;
    }
    const char *tag = smap_get(&route->external_ids, "ic-route-tag");
    if (p->filter_tag[0] && tag && !strcmp(tag, p->filter_tag)) {
        return false;
    }
    if (route->route_table[0] && strcmp(route->route_table, p->route_table)) {
        return false;
    }
    struct route_prefix nh;
    if (!route_prefix_parse(route->ip_prefix, prefix)
        || !route_prefix_parse(route->nexthop, &nh)
        || route_addr_is_lla(&nh.addr)) {
        return false;
    }
    *nexthop = nh.addr;
    if ((!prefix->plen && !st->learn_default)
        || (!strcmp(route->origin, "loadbalancer") && !st->learn_lb)
        || route_prefix_is_link_local(prefix)
        || !route_policy_permits(&p->learn, prefix)
        || !route_networks_contain_addr(&p->networks, nexthop)) {
        return false;
    }
    if (net_key_find(&r->statics, route->route_table, prefix)) {
        shadowing_add(r, route->route_table, prefix);
        return false;
    }
    return true;
}

static struct learn_candidate *
candidate_create(struct sync_route_state *st, struct ic_router *r,
                 const struct ts_port *p, const struct icsbrec_route *route,
                 const struct route_prefix *prefix,
                 const struct in6_addr *nexthop)
{
    struct learn_candidate *c = xzalloc(sizeof *c);
    c->router = r;
    c->port = p;
    c->n_routes = 1;
    c->prefix = *prefix;
    c->nexthop = *nexthop;
    candidate_set_route(c, route);
    hmap_insert(&r->candidates, &c->node,
                learn_key_hash(route->route_table, prefix, nexthop));
    prefix_index_insert(&r->idx, prefix, c);
    route_ref_add(st, route, c);
    hmapx_add(&st->dirty_learned, c);
    return c;
}

/* Deletes learned NB route 'sr' of 'lr', which nothing wants. */
static void
nb_delete(struct sync_route_state *st, const struct nbrec_logical_router *lr,
          const struct nbrec_logical_router_static_route *sr)
{
    if (hmapx_add(&st->nb_deleted, CONST_CAST(void *, sr))) {
        if (st->n_nb_deletes >= st->allocated_nb_deletes) {
            st->nb_deletes = x2nrealloc(st->nb_deletes,
                                        &st->allocated_nb_deletes,
                                        sizeof *st->nb_deletes);
        }
        st->nb_deletes[st->n_nb_deletes++] = (struct nb_delete) { lr, sr };
        st->n_unlearned_now++;
    }
}

/* Forgets candidate 'c', and removes its NB route if it has one. */
static void
candidate_remove(struct sync_route_state *st, struct learn_candidate *c)
{
    struct ic_router *r = c->router;
    if (c->nb_row) {
        if (nbrec_logical_router_static_route_is_deleted(c->nb_row)) {
            /* Gone already, in this batch of changes. */
            r->n_statics_gone++;
        } else {
            nb_delete(st, r->lr, c->nb_row);
        }
        hmap_remove(&st->cand_by_nb, &c->nb_node);
    }
    if (candidate_wanted(c)) {
        st->n_learned--;
    }
    st->n_pending -= c->pending;
    hmapx_find_and_delete(&st->dirty_learned, c);
    prefix_index_remove(&r->idx, &c->prefix, c);
    hmap_remove(&r->candidates, &c->node);
    learn_candidate_free(c);
}

static bool
same_owner(const struct learn_candidate *a, const struct learn_candidate *b)
{
    return a->route->availability_zone == b->route->availability_zone
           && !strcmp(a->lr_id ? a->lr_id : "", b->lr_id ? b->lr_id : "");
}

/* True if 'a' and 'b' may not both be installed: different networks from
 * different owners, one inside the other. */
static bool
candidates_clash(const struct learn_candidate *a,
                 const struct learn_candidate *b)
{
    return a != b && candidate_checked(a) && candidate_checked(b)
           && !route_prefix_same_network(&a->prefix, &b->prefix)
           && !same_owner(a, b);
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
mark_clash(struct learn_candidate *a, struct learn_candidate *b)
{
    for (int i = 0; i < 2; i++) {
        struct learn_candidate *x = i ? b : a, *y = i ? a : b;
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_format(&s, "overlaps %s from ", y->route->ip_prefix);
        format_owner(y, &s);
        set_conflict(x, ds_steal_cstr(&s));
    }
}

static void
mark_connected_conflict(struct learn_candidate *c, const struct connected *n)
{
    set_conflict(c, xasprintf("overlaps connected network %s of router port "
                              "%s of router %s", n->network, n->lrp->name,
                              c->router->lr->name));
}

/* prefix_index callbacks.  'aux' is the candidate looked up. */
static bool
mark_if_clash(const struct prefix_index_entry *e, void *c_)
{
    struct learn_candidate *other = e->data, *c = c_;
    if (candidates_clash(c, other)) {
        mark_clash(c, other);
    }
    return true;
}

static bool
found_clash(const struct prefix_index_entry *e, void *found_)
{
    const struct learn_candidate *other = e->data;
    const struct learn_candidate **found = found_;
    if (candidates_clash(*found, other)) {
        *found = other;
        return false;
    }
    return true;
}

static bool
shadow_candidate(const struct prefix_index_entry *e, void *aux OVS_UNUSED)
{
    struct learn_candidate *c = e->data;
    c->shadowed = true;
    return true;
}

static bool
mark_connected_if_checked(const struct prefix_index_entry *e, void *n_)
{
    struct learn_candidate *c = e->data;
    if (candidate_checked(c)) {
        mark_connected_conflict(c, n_);
    }
    return true;
}

static bool
mark_in_connected(const struct prefix_index_entry *e, void *c_)
{
    mark_connected_conflict(c_, e->data);
    return false;
}

/* Full run: marks the candidates of 'r' that a local load balancer VIP
 * shadows (as upstream does), then those that overlap a connected network
 * of the router or a different prefix from another owner. */
static void
check_candidates(struct ic_router *r)
{
    for (size_t i = 0; i < r->vips.n; i++) {
        prefix_index_for_each_covering(&r->idx, &r->vips.prefixes[i],
                                       shadow_candidate, NULL);
    }

    /* Candidates around a connected network. */
    struct prefix_index connected;
    prefix_index_init(&connected);
    for (size_t i = 0; i < r->n_conns; i++) {
        struct connected *n = &r->conns[i];
        prefix_index_insert(&connected, &n->prefix, n);
        prefix_index_for_each_covering(&r->idx, &n->prefix,
                                       mark_connected_if_checked, n);
    }

    /* Candidates inside a connected network or inside another owner's
     * candidate (which marks both: the pairs the other way round are found
     * from the inner one). */
    struct learn_candidate *c;
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (candidate_checked(c)) {
            prefix_index_for_each_covering(&connected, &c->prefix,
                                           mark_in_connected, c);
            prefix_index_for_each_covering(&r->idx, &c->prefix,
                                           mark_if_clash, c);
        }
    }
    prefix_index_destroy(&connected);
}

/* Incremental run: true if new candidate 'c' of 'r' (already in the
 * indexes, where the lookups skip it) overlaps nothing that
 * check_candidates() would mark. */
static bool
candidate_is_clear(const struct ic_router *r, const struct learn_candidate *c)
{
    if (!candidate_checked(c)) {
        return true;
    }
    for (size_t i = 0; i < r->n_conns; i++) {
        if (route_prefixes_overlap(&r->conns[i].prefix, &c->prefix)) {
            return false;
        }
    }
    const struct learn_candidate *found = c;
    prefix_index_for_each_covering(&r->idx, &c->prefix, found_clash, &found);
    if (found == c) {
        prefix_index_for_each_inside(&r->idx, &c->prefix, found_clash,
                                     &found);
    }
    return found == c;
}

static bool
vip_inside(const struct ic_router *r, const struct route_prefix *prefix)
{
    for (size_t i = 0; i < r->vips.n; i++) {
        if (route_prefix_contains(prefix, &r->vips.prefixes[i])) {
            return true;
        }
    }
    return false;
}

static void
report_conflicts(const struct sync_route_state *st, const struct ic_router *r)
{
    const struct learn_candidate *c;
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->conflict && !c->shadowed) {
            char *object = xasprintf("%s: %s via %s", r->lr->name,
                                     c->route->ip_prefix, c->route->nexthop);
            struct ds owner = DS_EMPTY_INITIALIZER;
            format_owner(c, &owner);
            problems_report(st->ctx->problems, OWNER, object,
                            "route from %s %s; not learned",
                            ds_cstr(&owner), c->conflict);
            ds_destroy(&owner);
            free(object);
        }
    }
}

/* Links learned NB route 'sr' of 'lr' to the candidate it installs, or
 * deletes it if no candidate wants it (or another route installs it). */
static void
learned_link_row(struct sync_route_state *st,
                 const struct nbrec_logical_router *lr,
                 const struct nbrec_logical_router_static_route *sr)
{
    struct ic_router *r = router_find(st, lr);
    struct route_prefix prefix, nexthop;
    struct learn_candidate *c = NULL;
    if (r && route_prefix_parse(sr->ip_prefix, &prefix)
        && route_prefix_parse(sr->nexthop, &nexthop)) {
        c = learn_find(r, sr->route_table, &prefix, &nexthop.addr);
    }
    if (c && c->nb_row == sr) {
        return;                 /* Linked already. */
    }
    if (c && !c->nb_row && candidate_wanted(c)) {
        c->nb_row = sr;
        st->n_pending -= c->pending;
        c->pending = false;
        hmap_insert(&st->cand_by_nb, &c->nb_node,
                    uuid_hash(&sr->header_.uuid));
        hmapx_add(&st->dirty_learned, c);
    } else {
        VLOG_DBG("router %s: removing learned route %s via %s", lr->name,
                 sr->ip_prefix, sr->nexthop);
        nb_delete(st, lr, sr);
    }
}

/* Full run: what each router would learn, then the NB routes. */
static void
learn_full(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    const struct icsbrec_route *route;
    ICSBREC_ROUTE_FOR_EACH (route, ctx->icsb_idl) {
        const struct ptr_array *ports
            = shash_find_data(&st->ports_by_ts, route->transit_switch);
        for (size_t i = 0; ports && i < ports->n; i++) {
            const struct ts_port *p = ports->p[i];
            struct ic_router *r = p->router;
            struct route_prefix prefix;
            struct in6_addr nexthop;
            if (!r->learns || !p->addrs_ok
                || !route_learnable(st, r, p, route, &prefix, &nexthop)) {
                continue;
            }
            /* Identical NB routes from several IC-SB routes (the same
             * prefix and next hop via two transit switches with the same
             * subnet) collapse into one, from the IC-SB route with the
             * smallest UUID, so the choice does not flip between runs. */
            struct learn_candidate *c = learn_find(r, route->route_table,
                                                   &prefix, &nexthop);
            if (!c) {
                candidate_create(st, r, p, route, &prefix, &nexthop);
                continue;
            }
            c->n_routes++;
            route_ref_add(st, route, c);
            if (uuid_compare_3way(&route->header_.uuid,
                                  &c->route->header_.uuid) < 0) {
                candidate_set_route(c, route);
                c->port = p;
            }
        }
    }

    problems_begin(ctx->problems, OWNER);
    st->n_learned = st->n_refused = 0;
    struct ic_router *r;
    HMAP_FOR_EACH (r, node, &st->routers) {
        check_candidates(r);
        report_conflicts(st, r);
        struct learn_candidate *c;
        HMAP_FOR_EACH (c, node, &r->candidates) {
            st->n_learned += candidate_wanted(c);
            st->n_refused += c->conflict && !c->shadowed;
        }
    }
    problems_end(ctx->problems, OWNER);

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_static_routes; i++) {
            const struct nbrec_logical_router_static_route *sr
                = lr->static_routes[i];
            if (smap_get(&sr->external_ids, "ic-learned-route")) {
                learned_link_row(st, lr, sr);
            }
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

/* Writes what changed in the learned routes. */
static void
learn_write(struct sync_route_state *st)
{
    for (size_t i = 0; i < st->n_nb_deletes; i++) {
        const struct nb_delete *d = &st->nb_deletes[i];
        if (nbrec_logical_router_static_route_is_deleted(d->sr)) {
            continue;
        }
        nbrec_logical_router_update_static_routes_delvalue(d->lr, d->sr);
        if (!nb_deleting_find(st, &d->sr->header_.uuid)) {
            struct nb_deleting *nd = xmalloc(sizeof *nd);
            nd->uuid = d->sr->header_.uuid;
            nd->lr = d->lr;
            hmap_insert(&st->nb_deleting, &nd->node, uuid_hash(&nd->uuid));
        }
    }

    struct ds prefix = DS_EMPTY_INITIALIZER;
    struct ds nexthop = DS_EMPTY_INITIALIZER;
    struct hmapx_node *node;
    HMAPX_FOR_EACH (node, &st->dirty_learned) {
        struct learn_candidate *c = node->data;
        if (!candidate_wanted(c)) {
            continue;
        }
        if (c->nb_row) {
            write_learned_route(c->nb_row, c);
            continue;
        }
        if (c->pending) {
            continue;
        }
        ds_clear(&prefix);
        ds_clear(&nexthop);
        route_prefix_format(&c->prefix, &prefix);
        route_addr_format(&c->nexthop, &nexthop);
        VLOG_DBG("router %s: learning route %s via %s from transit switch "
                 "%s", c->router->lr->name, ds_cstr(&prefix),
                 ds_cstr(&nexthop), c->route->transit_switch);
        const struct nbrec_logical_router_static_route *sr
            = nbrec_logical_router_static_route_insert(st->ctx->nb_txn);
        nbrec_logical_router_static_route_set_ip_prefix(sr, ds_cstr(&prefix));
        nbrec_logical_router_static_route_set_nexthop(sr, ds_cstr(&nexthop));
        nbrec_logical_router_static_route_set_route_table(sr,
                                                          c->route_table);
        write_learned_route(sr, c);
        nbrec_logical_router_update_static_routes_addvalue(c->router->lr, sr);
        c->pending = true;
        st->n_pending++;
        st->n_learned_now++;
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
}

/* Incremental runs.
 *
 * An incremental run reads the IDL's tracked changes to Logical_Router,
 * Logical_Router_Static_Route and NB_Global in NB and to Route in IC-SB,
 * and handles what the daemon and its peers do all day: static routes and
 * IC-SB routes that come and go.  It first updates the state, without
 * writing; whatever it cannot handle locally (the structure changed, a row
 * was modified in place, a new route overlaps another one or shares an NB
 * route with one, a route that was in conflict goes away, a local static
 * route starts or stops hiding a learnable one) abandons it for a full run,
 * which rebuilds the state from scratch.  Only then does either kind write,
 * from the same lists of what changed. */

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

/* True if a column of tracked row 'row' changed.  A row that merely
 * refers to a changed row is tracked too, with no column changed. */
static bool
row_changed(const struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table_class *tc = row->table->class_;
    for (size_t i = 0; i < tc->n_columns; i++) {
        if (ovsdb_idl_track_is_updated(row, &tc->columns[i])) {
            return true;
        }
    }
    return false;
}

/* True if NB_Global, Logical_Router and Availability_Zone changed only in
 * ways an incremental run handles (routers' static route sets, columns
 * routes do not use: routers' external_ids, zones' nb_ic_cfg), and no
 * static route or IC-SB route was modified in place (or modified, then
 * deleted).  Checked before anything else, since
 * the state keeps pointers into those rows. */
static bool
structure_unchanged(const struct sync_route_ctx *ctx)
{
    const struct icsbrec_availability_zone *az;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH_TRACKED (az, ctx->icsb_idl) {
        if (icsbrec_availability_zone_is_new(az)
            || icsbrec_availability_zone_is_deleted(az)
            || icsbrec_availability_zone_is_updated(
                az, ICSBREC_AVAILABILITY_ZONE_COL_NAME)) {
            return false;
        }
    }
    const struct nbrec_logical_router_static_route *sr;
    NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
        if (!nbrec_logical_router_static_route_is_new(sr)
            && row_changed(&sr->header_)) {
            return false;
        }
    }
    const struct icsbrec_route *route;
    ICSBREC_ROUTE_FOR_EACH_TRACKED (route, ctx->icsb_idl) {
        if (!icsbrec_route_is_new(route) && row_changed(&route->header_)) {
            return false;
        }
    }
    const struct nbrec_nb_global *nb;
    NBREC_NB_GLOBAL_FOR_EACH_TRACKED (nb, ctx->nb_idl) {
        if (nbrec_nb_global_is_new(nb) || nbrec_nb_global_is_deleted(nb)
            || nbrec_nb_global_is_updated(nb, NBREC_NB_GLOBAL_COL_OPTIONS)) {
            return false;
        }
    }
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH_TRACKED (lr, ctx->nb_idl) {
        if (nbrec_logical_router_is_new(lr)
            || nbrec_logical_router_is_deleted(lr)) {
            return false;
        }
        for (int i = 0; i < NBREC_LOGICAL_ROUTER_N_COLUMNS; i++) {
            if (i != NBREC_LOGICAL_ROUTER_COL_STATIC_ROUTES
                && i != NBREC_LOGICAL_ROUTER_COL_EXTERNAL_IDS
                && nbrec_logical_router_is_updated(lr, i)) {
                return false;
            }
        }
    }
    return true;
}

/* Returns true if 'lr' holds 'sr'.  The IDL keeps a set column in the
 * order of the set, by UUID, so a binary search finds it without walking
 * all of a router's routes. */
static bool
router_holds_static(const struct nbrec_logical_router *lr,
                    const struct nbrec_logical_router_static_route *sr)
{
    size_t lo = 0, hi = lr->n_static_routes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = uuid_compare_3way(&lr->static_routes[mid]->header_.uuid,
                                    &sr->header_.uuid);
        if (!cmp) {
            return lr->static_routes[mid] == sr;
        } else if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

/* Returns the router that holds new static route 'sr', one of the routers
 * whose static route set changed, or NULL. */
static const struct nbrec_logical_router *
static_route_owner(const struct sync_route_ctx *ctx,
                   const struct nbrec_logical_router_static_route *sr)
{
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH_TRACKED (lr, ctx->nb_idl) {
        if (nbrec_logical_router_is_updated(
                lr, NBREC_LOGICAL_ROUTER_COL_STATIC_ROUTES)
            && router_holds_static(lr, sr)) {
            return lr;
        }
    }

    /* In case the order is ever not so. */
    NBREC_LOGICAL_ROUTER_FOR_EACH_TRACKED (lr, ctx->nb_idl) {
        for (size_t i = 0; i < lr->n_static_routes; i++) {
            if (lr->static_routes[i] == sr) {
                static struct vlog_rate_limit rl
                    = VLOG_RATE_LIMIT_INIT(1, 60);
                VLOG_WARN_RL(&rl, "static routes of router %s are not in "
                             "UUID order", lr->name);
                return lr;
            }
        }
    }
    return NULL;
}

struct same_net_aux {
    const char *route_table;
    const struct route_prefix *prefix;
    bool found;
};

static bool
find_same_net(const struct prefix_index_entry *e, void *aux_)
{
    struct same_net_aux *aux = aux_;
    const struct learn_candidate *c = e->data;
    if (route_prefix_same_network(&c->prefix, aux->prefix)
        && !strcmp(c->route_table, aux->route_table)) {
        aux->found = true;
        return false;
    }
    return true;
}

static bool
static_route_new(struct sync_route_state *st,
                 const struct nbrec_logical_router *lr,
                 const struct nbrec_logical_router_static_route *sr)
{
    if (!lr) {
        return true;            /* In no router: the database drops it. */
    }
    struct ic_router *r = router_find(st, lr);
    if (r) {
        r->n_statics_new++;
    }
    if (smap_get(&sr->external_ids, "ic-learned-route")) {
        learned_link_row(st, lr, sr);
        return true;
    }
    if (!r) {
        return true;
    }
    struct route_prefix prefix;
    if (route_prefix_parse(sr->ip_prefix, &prefix)) {
        /* It would hide a candidate (this needs the candidates' IC-SB
         * routes again). */
        struct same_net_aux aux = { sr->route_table, &prefix, false };
        prefix_index_for_each_covering(&r->idx, &prefix, find_same_net,
                                       &aux);
        if (aux.found) {
            return false;
        }
        local_static_add(st, r, sr, &prefix);
    } else {
        local_static_add(st, r, sr, NULL);
    }
    if (r->advertises) {
        adv_static(st, r, sr);
    }
    return true;
}

static bool
static_route_gone(struct sync_route_state *st,
                  const struct nbrec_logical_router_static_route *sr)
{
    /* By UUID, not by what the row says it is: that may have changed. */
    const struct uuid *uuid = &sr->header_.uuid;
    struct learn_candidate *c = candidate_find_by_nb(st, uuid);
    if (c) {
        /* Someone else deleted it: put it back. */
        c->router->n_statics_gone++;
        hmap_remove(&st->cand_by_nb, &c->nb_node);
        c->nb_row = NULL;
        hmapx_add(&st->dirty_learned, c);
        return true;
    }
    struct nb_deleting *d = nb_deleting_find(st, uuid);
    if (d) {
        struct ic_router *r = router_find(st, d->lr);
        if (r) {
            r->n_statics_gone++;
        }
        hmap_remove(&st->nb_deleting, &d->node);
        free(d);
        return true;
    }

    bool ok = true;
    struct local_static *ls = local_static_find(st, uuid);
    if (ls) {
        if (ls->has_key
            && net_key_find(&ls->router->shadowing, ls->key.route_table,
                            &ls->key.prefix)) {
            return false;       /* It hid a learnable route. */
        }
        ls->router->n_statics_gone++;
        local_static_remove(st, ls);
    }

    struct adv_feed *f = adv_feed_find(st, uuid);
    if (f) {
        struct hmapx routes = HMAPX_INITIALIZER(&routes);
        for (size_t i = 0; i < f->routes.n; i++) {
            hmapx_add(&routes, CONST_CAST(void *, f->routes.p[i]));
        }
        struct hmapx_node *node;
        HMAPX_FOR_EACH (node, &routes) {
            struct adv_route *a = node->data;
            size_t n = 0;
            for (size_t i = 0; i < a->n_sources; i++) {
                if (!uuid_equals(&a->sources[i].nb_id, uuid)) {
                    a->sources[n++] = a->sources[i];
                }
            }
            a->n_sources = n;
            if (!n) {
                ok = adv_withdraw(st, a) && ok;
            } else {
                hmapx_add(&st->dirty_adv, a);
            }
        }
        hmapx_destroy(&routes);
        hmap_remove(&st->adv_feeds, &f->node);
        free(f->routes.p);
        free(f);
    }
    return ok;
}

static bool
route_new(struct sync_route_state *st, const struct icsbrec_route *route)
{
    if (route->availability_zone == st->ctx->az) {
        adv_link_row(st, route);
    }
    const struct ptr_array *ports
        = shash_find_data(&st->ports_by_ts, route->transit_switch);
    for (size_t i = 0; ports && i < ports->n; i++) {
        const struct ts_port *p = ports->p[i];
        struct ic_router *r = p->router;
        struct route_prefix prefix;
        struct in6_addr nexthop;
        if (!r->learns || !p->addrs_ok
            || !route_learnable(st, r, p, route, &prefix, &nexthop)) {
            continue;
        }
        if (learn_find(r, route->route_table, &prefix, &nexthop)) {
            return false;       /* A second IC-SB route for one NB route. */
        }
        struct learn_candidate *c = candidate_create(st, r, p, route,
                                                     &prefix, &nexthop);
        c->shadowed = vip_inside(r, &prefix);
        if (!candidate_is_clear(r, c)) {
            return false;
        }
        st->n_learned += candidate_wanted(c);
    }
    return true;
}

static bool
route_gone(struct sync_route_state *st, const struct icsbrec_route *route)
{
    if (route->availability_zone == st->ctx->az) {
        struct adv_route *a = adv_find_by_row(st, route);
        if (a) {
            /* Someone else deleted it: put it back. */
            hmap_remove(&st->adv_by_row, &a->row_node);
            a->row = NULL;
            hmapx_add(&st->dirty_adv, a);
        }
    }

    return route_unlearn(st, route);
}

/* Forgets the candidates that IC-SB route 'route' gives.  Returns false if
 * that needs a full run. */
static bool
route_unlearn(struct sync_route_state *st, const struct icsbrec_route *route)
{
    struct route_ref *ref = route_ref_find(st, &route->header_.uuid);
    if (!ref) {
        return true;
    }
    for (size_t i = 0; i < ref->candidates.n; i++) {
        const struct learn_candidate *c = ref->candidates.p[i];
        if (c->n_routes > 1 || c->conflict) {
            return false;
        }
    }
    for (size_t i = 0; i < ref->candidates.n; i++) {
        candidate_remove(st, CONST_CAST(struct learn_candidate *,
                                        ref->candidates.p[i]));
    }
    hmap_remove(&st->route_refs, &ref->node);
    free(ref->candidates.p);
    free(ref);
    return true;
}

/* True if every router's static route set changed by what this run saw
 * come and go, and not otherwise (a route moved between routers, or added
 * to a second one, changes no static route row).  Then takes the new sizes
 * as the reference for the next run. */
static bool
static_route_counts_add_up(struct sync_route_state *st)
{
    struct ic_router *r;
    HMAP_FOR_EACH (r, node, &st->routers) {
        if (r->lr->n_static_routes
            != r->n_statics + r->n_statics_new - r->n_statics_gone) {
            return false;
        }
    }
    HMAP_FOR_EACH (r, node, &st->routers) {
        r->n_statics = r->lr->n_static_routes;
        r->n_statics_new = r->n_statics_gone = 0;
    }
    return true;
}

/* Updates the state from the tracked changes.  Returns false if a full run
 * is needed instead. */
static bool
run_incremental(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    if (!structure_unchanged(ctx)) {
        return false;
    }

    /* NB before IC-SB, and in each deletions before insertions, so that a
     * row replaced by another with the same key is settled without a full
     * run.  Rows that came and went unseen are skipped; if one of them was
     * ours, the pending count below tells. */
    for (int pass = 0; pass < 2; pass++) {
        const struct nbrec_logical_router_static_route *sr;
        NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
            bool is_new = nbrec_logical_router_static_route_is_new(sr);
            bool is_deleted
                = nbrec_logical_router_static_route_is_deleted(sr);
            if (pass == 0 ? is_deleted && !is_new
                            && !static_route_gone(st, sr)
                : is_new && !is_deleted
                  && !static_route_new(st, static_route_owner(ctx, sr),
                                       sr)) {
                return false;
            }
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        const struct icsbrec_route *route;
        ICSBREC_ROUTE_FOR_EACH_TRACKED (route, ctx->icsb_idl) {
            bool is_new = icsbrec_route_is_new(route);
            bool is_deleted = icsbrec_route_is_deleted(route);
            if (pass == 0 ? is_deleted && !is_new && !route_gone(st, route)
                : is_new && !is_deleted && !route_new(st, route)) {
                return false;
            }
        }
    }

    /* Every row inserted by an earlier run must have been seen back. */
    return !st->n_pending && static_route_counts_add_up(st);
}

/* Forgets what the last run wrote down to do. */
static void
route_state_end_run(struct sync_route_state *st)
{
    st->ctx = NULL;
    hmapx_clear(&st->dirty_adv);
    hmapx_clear(&st->dirty_learned);
    hmapx_clear(&st->icsb_deletes);
    hmapx_clear(&st->nb_deleted);
    hmapx_clear(&st->withdrawn);
    st->n_nb_deletes = 0;
    st->n_advertised_now = st->n_withdrawn_now = 0;
    st->n_learned_now = st->n_unlearned_now = 0;
}

bool
sync_route_run(const struct sync_route_ctx *ctx)
{
    struct sync_route_state *st = ctx->state;
    st->ctx = ctx;

    bool full = ctx->recompute || !st->valid;
    if (!full && !run_incremental(st)) {
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

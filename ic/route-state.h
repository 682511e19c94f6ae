/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_STATE_H
#define ROUTE_STATE_H 1

/* The route step's state, kept between runs, and its indexes.  Internal
 * to the route step (ic/sync-route.h is its public face); every route-*.c
 * file in ic/ works on it.
 *
 * The state has three parts, each built by a full run and updated by the
 * incremental runs that follow (ic/route-incremental.c):
 *
 *   - the structure (ic/route-state.c): the zone's transit switch ports,
 *     with their routers, connected networks, load balancer VIPs, local
 *     static routes, route tables, tags and filters, from NB and IC-SB;
 *   - the advertisement (ic/route-advertise.c): what the zone wants in
 *     IC-SB, with each route's sources and the IC-SB row that holds it;
 *   - the learning (ic/route-learn.c, ic/route-overlap.c): what each
 *     router would learn, with a prefix index, and the NB rows that
 *     install it.
 *
 * During a run it also holds the lists of what to write; both kinds of
 * run fill them, and ic/sync-route.c writes them at the end. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmapx.h"
#include "lib/route-filter.h"
#include "lib/route-rules.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/uuid.h"
#include "sset.h"
#include "util.h"

struct icsbrec_port_binding;
struct icsbrec_route;
struct nbrec_logical_router;
struct nbrec_logical_router_port;
struct nbrec_logical_router_static_route;
struct route_owner_change;
struct sync_route_ctx;

/* The owner name under which the route step reports problems. */
#define ROUTE_PROBLEMS_OWNER "route"

/* Upstream main's key, in NB static routes' and IC-SB routes' options, for
 * a route that wins over a connected network of the router (east-west
 * routing through another zone). */
#define ROUTE_OVERRIDE_CONNECTED "override-connected"

/* A growable array of pointers. */
struct ptr_array {
    const void **p;
    size_t n, allocated;
};

static inline void
ptr_array_push(struct ptr_array *a, const void *p)
{
    if (a->n >= a->allocated) {
        a->p = x2nrealloc(a->p, &a->allocated, sizeof *a->p);
    }
    a->p[a->n++] = p;
}

/* An entry of a hash map whose entries are found by a UUID: that of the
 * row the entry stands for, holds or comes from. */
struct uuid_node {
    struct hmap_node node;
    struct uuid uuid;
};

void uuid_node_insert(struct hmap *, struct uuid_node *,
                      const struct uuid *);
void *uuid_node_find__(const struct hmap *, const struct uuid *,
                       size_t offset);

/* Returns the TYPE in 'HMAP' whose struct uuid_node 'MEMBER' has 'UUID',
 * or NULL. */
#define UUID_NODE_FIND(HMAP, UUID, TYPE, MEMBER) \
    ((TYPE *) uuid_node_find__(HMAP, UUID, offsetof(TYPE, MEMBER)))

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
    bool ipv4_over_ipv6;                /* ic-route-ipv4-next-hop-ipv6. */
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

    /* Dynamic routing (ic/route-dynamic.c). */
    struct uuid_node by_dp;             /* In route_state.routers_by_dp, if
                                         * 'has_dp': by its SB datapath. */
    bool has_dp;
    struct hmap dyn;                    /* struct dyn_prefix. */
};

/* A local (not learned) static route of an ic_router.  It keeps IC-SB
 * routes to the same network and table from being learned, if its prefix
 * parses. */
struct local_static {
    struct uuid_node by_uuid;           /* In route_state.statics. */
    struct ic_router *router;
    bool has_key;                       /* Its prefix parsed. */
    struct net_key key;                 /* In ic_router.statics if so. */
};

/* A prefix that dynamic routing (BGP) learned for a router: one or more
 * SB Learned_Route rows of its datapath.  The router advertises it as its
 * own, and never learns it from IC-SB. */
struct dyn_prefix {
    struct hmap_node node;              /* In ic_router.dyn. */
    struct route_prefix prefix;
    size_t n_rows;                      /* Learned_Route rows that give it. */
    bool hides;                         /* It kept an IC-SB route from
                                         * being learned. */
    struct ptr_array routes;            /* struct adv_route * it feeds. */
};

/* An SB Learned_Route row of a router's datapath. */
struct dyn_row {
    struct uuid_node by_uuid;           /* In route_state.dyn_rows. */
    struct ic_router *router;
    struct dyn_prefix *prefix;
};

/* Advertisement: a route this zone wants in IC-SB.  The key is IC-SB's
 * unique index: transit switch, route table, prefix and next hop.  Several
 * sources (static routes, router ports, load balancers) may want the same
 * route; route_sources_winner() says which gives its external_ids. */
struct adv_route {
    struct hmap_node node;              /* In route_state.advertised. */
    struct uuid_node by_row;            /* In route_state.adv_by_row. */
    const char *ts;
    const char *route_table;
    struct route_prefix prefix;
    struct in6_addr nexthop;
    struct route_source *sources;
    size_t n_sources, allocated;
    const struct icsbrec_route *row;    /* The IC-SB row holding it. */
    bool pending;                       /* Inserted, not yet seen back. */
};

/* The advertised routes that one static route feeds. */
struct adv_feed {
    struct uuid_node by_nb;             /* In route_state.adv_feeds. */
    struct ptr_array routes;            /* struct adv_route *. */
};

/* Learning: an IC-SB route a router would learn.  The key is what the NB
 * static route holds: route table, prefix and next hop. */
struct learn_candidate {
    struct hmap_node node;              /* In ic_router.candidates. */
    struct uuid_node by_nb;             /* In route_state.cand_by_nb. */
    struct ic_router *router;
    const struct icsbrec_route *route;  /* The smallest UUID, if several. */
    const struct ts_port *port;
    struct route_prefix prefix;
    struct in6_addr nexthop;
    char *route_table;          /* Copies: writing to an IDL row, or its */
    char *lr_id;                /* update, re-parses the row's strings. */
                                /* Owner: route->availability_zone + lr_id. */
    bool shadowed;              /* A local LB VIP lies inside: skip. */
    char *conflict;             /* Why it overlaps, if it does. */
    bool refused;               /* In conflict, and ic-route-deny-overlap
                                 * refuses it. */
    const struct nbrec_logical_router_static_route *nb_row;
    bool pending;               /* Inserted, not yet seen back. */
    bool in_transit;            /* 'transit' is in route_state.in_transit:
                                 * inserted and in its router, but not yet
                                 * in the main NB replica. */
    struct uuid_node transit;   /* By the UUID of the row inserted. */
};

/* The candidates one IC-SB route gives (one per learning router). */
struct route_ref {
    struct uuid_node by_uuid;           /* In route_state.route_refs. */
    struct ptr_array candidates;        /* struct learn_candidate *. */
};

struct nb_deleting {
    struct uuid_node by_uuid;           /* In route_state.nb_deleting. */
    const struct nbrec_logical_router *lr;
};

/* A learned NB route to delete from its router. */
struct nb_delete {
    const struct nbrec_logical_router *lr;
    const struct nbrec_logical_router_static_route *sr;
};

struct sync_route_state {
    bool valid;                 /* False until a full run built it. */
    uint64_t signature;         /* route_structure_signature() of the
                                 * databases the last full run read. */

    /* The structure. */
    bool adv, adv_default, adv_lb;
    bool learn, learn_default, learn_lb;
    bool deny_overlap;                  /* ic-route-deny-overlap. */
    bool route_options;                 /* IC-SB has Route.options
                                         * (override-connected). */
    struct route_prefix_list denylist;
    struct shash lrps;                  /* name -> NB LRP. */
    struct shash lr_of_lrp;             /* LRP name -> NB LR. */
    struct sset ts_lrps;                /* Router ports on transit switches. */
    struct shash local_pbs;             /* logical_port -> this zone's PB. */
    struct ptr_array ports;             /* Every struct ts_port. */
    struct shash ports_by_ts;           /* TS -> struct ptr_array of ports. */
    struct hmap routers;                /* struct ic_router, by LR uuid. */
    struct shash scopes;                /* TS name -> struct ts_scope *, of
                                         * scoped transit switches. */

    /* Dynamic routing (ic/route-dynamic.c). */
    bool dyn_ok;                        /* SB has Learned_Route. */
    const char *dyn_origin;             /* The origin its routes take. */
    struct hmap routers_by_dp;          /* struct ic_router, by SB
                                         * datapath UUID. */
    struct hmap dyn_rows;               /* struct dyn_row, by UUID. */

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
    size_t n_overlapping;               /* Candidates in conflict. */
    size_t n_refused;                   /* Those not installed for it. */

    /* IC-SB routes inserted and not yet seen back ('pending' advertised
     * routes).  An incremental run must see every one of them back, since
     * the engine runs the step only once its IC-SB transaction is done;
     * one still pending means the row came and went unseen.  (Learned
     * routes are written over the index's session and may legitimately
     * arrive later: see 'in_transit'.) */
    size_t n_pending;

    /* Learned NB routes this daemon deleted and has not seen go yet, with
     * their routers. */
    struct hmap nb_deleting;            /* struct nb_deleting, by UUID. */

    /* Which router holds a static route comes from the index of
     * ic/route-owners.h, and what the route says from the main NB replica;
     * either may see a change first.  'orphans' are the static routes that
     * the main replica has and the index puts in no router (yet, or any
     * more); 'in_transit' the learned routes this daemon inserted that the
     * index puts in their router and the main replica does not have yet
     * (struct learn_candidate, by 'transit'). */
    struct hmap orphans;                /* struct uuid_node, by UUID. */
    struct hmap in_transit;
    struct ptr_array inserting;         /* struct learn_candidate * of the
                                         * transaction in flight, in the
                                         * order of its insertions. */

    /* Valid during a run. */
    const struct sync_route_ctx *ctx;
    const struct route_owner_change *owner_changes; /* What the index of
                                                     * routers' static
                                                     * routes saw since
                                                     * the last run. */
    size_t n_owner_changes;
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


/* Building and clearing the state (ic/route-state.c). */
void route_state_init(struct sync_route_state *);
void route_state_destroy(struct sync_route_state *);
void route_state_reset(struct sync_route_state *);
uint64_t route_structure_signature(const struct sync_route_ctx *);
void route_state_build(struct sync_route_state *,
                       const struct sync_route_ctx *);
void route_state_end_run(struct sync_route_state *);
const struct nbrec_logical_router_static_route *route_static_row(
    const struct sync_route_ctx *, const struct uuid *);
bool route_orphan_remove(struct sync_route_state *, const struct uuid *);
void route_orphan_add(struct sync_route_state *, const struct uuid *);
bool route_ts_in_scope(const struct sync_route_state *, const char *ts,
                       const char *zone);

/* Notes that a row the state marked '*pending' (inserted, not yet seen
 * back) is seen back. */
static inline void
route_state_seen_back(struct sync_route_state *st, bool *pending)
{
    st->n_pending -= *pending;
    *pending = false;
}

/* Indexes. */
struct ic_router *route_router_find(const struct sync_route_state *,
                                    const struct nbrec_logical_router *);
struct ic_router *route_router_find_uuid(const struct sync_route_state *,
                                         const struct uuid *);
uint32_t route_key_hash(const char *ts, const char *route_table,
                        const struct route_prefix *,
                        const struct in6_addr *nexthop);
struct net_key *net_key_find(const struct hmap *keys, const char *route_table,
                             const struct route_prefix *);
bool local_statics_hide(const struct ic_router *, const char *route_table,
                        const struct route_prefix *,
                        bool override_connected);
void shadowing_add(struct ic_router *, const char *route_table,
                   const struct route_prefix *);
struct local_static *local_static_find(const struct sync_route_state *,
                                       const struct uuid *);
void local_static_add(struct sync_route_state *, struct ic_router *,
                      const struct nbrec_logical_router_static_route *,
                      const struct route_prefix *);
void local_static_remove(struct sync_route_state *, struct local_static *);

#endif /* ic/route-state.h */

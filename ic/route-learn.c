/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Learning: which IC-SB routes each router would learn (its candidates,
 * indexed by NB key and by prefix), the NB static routes that install
 * them, the local static routes that hide them, and the writes that make
 * NB match.  Overlaps between candidates are ic/route-overlap.c's. */

#include <config.h>

#include "ic/route-learn.h"

#include <string.h>

#include "ic/route-dynamic.h"
#include "ic/route-log.h"
#include "ic/route-overlap.h"
#include "ic/route-owners.h"
#include "ic/route-state.h"
#include "ic/sync-az.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "lib/remote-input.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "hash.h"
#include "smap.h"
#include "uuid.h"

/* A candidate's key: what its NB route holds (route table, prefix, next
 * hop) and the IC-SB route it comes from (external_ids:ic-learned-route),
 * so that two IC-SB routes that read the same, via two transit switches
 * or from two zones, give two NB routes, as upstream's do. */
static uint32_t
learn_key_hash(const char *route_table, const struct route_prefix *prefix,
               const struct in6_addr *nexthop, const struct uuid *route)
{
    return hash_add(route_key_hash("", route_table, prefix, nexthop),
                    uuid_hash(route));
}

static struct learn_candidate *
learn_find(const struct ic_router *r, const char *route_table,
           const struct route_prefix *prefix, const struct in6_addr *nexthop,
           const struct uuid *route)
{
    struct learn_candidate *c;
    HMAP_FOR_EACH_WITH_HASH (c, node,
                             learn_key_hash(route_table, prefix, nexthop,
                                            route),
                             &r->candidates) {
        if (uuid_equals(&c->route->header_.uuid, route)
            && route_prefix_equals(&c->prefix, prefix)
            && !memcmp(&c->nexthop, nexthop, sizeof *nexthop)
            && !strcmp(c->route_table, route_table)) {
            return c;
        }
    }
    return NULL;
}

void
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
    return !c->refused && !c->shadowed;
}

static struct route_ref *
route_ref_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    return UUID_NODE_FIND(&st->route_refs, uuid, struct route_ref, by_uuid);
}

static void
route_ref_add(struct sync_route_state *st, const struct icsbrec_route *route,
              struct learn_candidate *c)
{
    struct route_ref *ref = route_ref_find(st, &route->header_.uuid);
    if (!ref) {
        ref = xzalloc(sizeof *ref);
        uuid_node_insert(&st->route_refs, &ref->by_uuid,
                         &route->header_.uuid);
    }
    ptr_array_push(&ref->candidates, c);
}

static struct nb_deleting *
nb_deleting_find(const struct sync_route_state *st, const struct uuid *uuid)
{
    return UUID_NODE_FIND(&st->nb_deleting, uuid, struct nb_deleting,
                          by_uuid);
}

/* True if IC-SB route 'route' is marked override-connected (an IC-SB
 * schema without Route.options leaves it empty). */
static bool
route_is_override_connected(const struct icsbrec_route *route)
{
    return smap_get_bool(&route->options, ROUTE_OVERRIDE_CONNECTED, false);
}

/* Reports that another zone's 'route', malformed because of 'why' (see
 * lib/remote-input.h), is refused.  Upstream's rate-limited warning goes
 * with it, in upstream's words. */
static void
route_refuse(const struct sync_route_state *st,
             const struct icsbrec_route *route, const char *why)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 1);
    VLOG_WARN_RL(&rl, "Bad route format in IC-SB: %s -> %s. Ignored. "
                 "(availability zone %s: %s)", route->ip_prefix,
                 route->nexthop, az_name(ROW_AZ(route)), why);

    char *object = remote_input_row_namef("Route", &route->header_.uuid,
                                          "%s via %s", route->ip_prefix,
                                          route->nexthop);
    problems_refuse(st->ctx->problems, ROUTE_PROBLEMS_OWNER, object,
                    "route of availability zone %s on transit switch %s "
                    "refused: %s", az_name(ROW_AZ(route)),
                    route->transit_switch, why);
    free(object);
}

/* Returns true if router 'r' would learn 'route' through port 'p', with
 * the parsed prefix and next hop in '*prefix' and '*nexthop'.  Records the
 * local static routes that keep it from doing so. */
static bool
route_learnable(const struct sync_route_state *st, struct ic_router *r,
                const struct ts_port *p, const struct icsbrec_route *route,
                struct route_prefix *prefix, struct in6_addr *nexthop)
{
    bool from_this_zone = ROW_AZ(route) == st->ctx->az;
    if (route_is_from_router(smap_get(&route->external_ids, "lr-id"),
                             &r->lr->header_.uuid, from_this_zone)
        || hmapx_contains(&st->withdrawn, route)) {
        return false;
    }
    const char *bad = ROW_AZ_REFUSAL(route);
    if (!bad) {
        bad = remote_input_check_route(route->ip_prefix, route->nexthop);
    }
    if (bad) {
        route_refuse(st, route, bad);
        return false;
    }
    const struct route_learn_filter filter = {
        .route_table = p->route_table,
        .filter_tag = p->filter_tag,
        .policy = &p->learn,
        .networks = &p->networks,
        .learn_default = st->learn_default,
        .learn_lb = st->learn_lb,
    };
    const struct route_offer offer = {
        .ip_prefix = route->ip_prefix,
        .nexthop = route->nexthop,
        .route_table = route->route_table,
        .origin = route->origin,
        .route_tag = smap_get(&route->external_ids, "ic-route-tag"),
    };
    if (!route_offer_is_learnable(&filter, &offer, prefix, nexthop)) {
        return false;
    }
    if (local_statics_hide(r, route->route_table, prefix,
                           route_is_override_connected(route))) {
        shadowing_add(r, route->route_table, prefix);
        return false;
    }
    struct dyn_prefix *dp = dyn_prefix_find(r, prefix);
    if (dp) {
        /* Dynamic routing has a path to it already. */
        dp->hides = true;
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
    c->prefix = *prefix;
    c->nexthop = *nexthop;
    candidate_set_route(c, route);
    hmap_insert(&r->candidates, &c->node,
                learn_key_hash(route->route_table, prefix, nexthop,
                               &route->header_.uuid));
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

/* Takes 'c' out of the routes in transit, if it is in. */
static void
candidate_leave_transit(struct sync_route_state *st,
                        struct learn_candidate *c)
{
    if (c->in_transit) {
        hmap_remove(&st->in_transit, &c->transit.node);
        c->in_transit = false;
    }
}

/* Forgets candidate 'c', and removes its NB route if it has one. */
static void
candidate_remove(struct sync_route_state *st, struct learn_candidate *c)
{
    struct ic_router *r = c->router;
    if (c->nb_row) {
        if (!nbrec_logical_router_static_route_is_deleted(c->nb_row)) {
            nb_delete(st, r->lr, c->nb_row);
        }
        hmap_remove(&st->cand_by_nb, &c->by_nb.node);
    }
    candidate_leave_transit(st, c);
    if (candidate_wanted(c)) {
        st->n_learned--;
    }
    hmapx_find_and_delete(&st->dirty_learned, c);
    prefix_index_remove(&r->idx, &c->prefix, c);
    hmap_remove(&r->candidates, &c->node);
    learn_candidate_free(c);
}

/* Links learned NB route 'sr' of 'lr' to the candidate it installs, or
 * deletes it if no candidate wants it (or another route installs it). */
void
learned_link_row(struct sync_route_state *st,
                 const struct nbrec_logical_router *lr,
                 const struct nbrec_logical_router_static_route *sr)
{
    struct ic_router *r = route_router_find(st, lr);
    struct route_prefix prefix, nexthop;
    struct uuid route;
    struct learn_candidate *c = NULL;
    if (r && route_prefix_parse(sr->ip_prefix, &prefix)
        && route_prefix_parse(sr->nexthop, &nexthop)
        && uuid_from_string(&route, smap_get_def(&sr->external_ids,
                                                 "ic-learned-route", ""))) {
        c = learn_find(r, sr->route_table, &prefix, &nexthop.addr, &route);
    }
    if (c && c->nb_row == sr) {
        return;                 /* Linked already. */
    }
    if (c && !c->nb_row && candidate_wanted(c)) {
        c->nb_row = sr;
        c->pending = false;
        candidate_leave_transit(st, c);
        uuid_node_insert(&st->cand_by_nb, &c->by_nb, &sr->header_.uuid);
        hmapx_add(&st->dirty_learned, c);
    } else {
        VLOG_DBG("router %s: removing learned route %s via %s", lr->name,
                 sr->ip_prefix, sr->nexthop);
        nb_delete(st, lr, sr);
    }
}

/* What to do with 'route', which port 'p' would learn as 'prefix' via
 * 'nexthop'.  Returns false to stop, if that needs a full run. */
typedef bool learn_visit_func(struct sync_route_state *,
                              const struct ts_port *p,
                              const struct icsbrec_route *route,
                              const struct route_prefix *prefix,
                              const struct in6_addr *nexthop);

/* Calls 'visit' for each port of a learning router on the transit switch
 * of 'route' that would learn it, until 'visit' returns false.  Returns
 * false if one did. */
static bool
for_each_learning_port(struct sync_route_state *st,
                       const struct icsbrec_route *route,
                       learn_visit_func *visit)
{
    const struct ptr_array *ports
        = shash_find_data(&st->ports_by_ts, route->transit_switch);
    if (ports && !route_ts_in_scope(st, route->transit_switch,
                                    az_name(ROW_AZ(route)))) {
        return true;            /* From a zone out of the switch's scope. */
    }
    for (size_t i = 0; ports && i < ports->n; i++) {
        const struct ts_port *p = ports->p[i];
        struct route_prefix prefix;
        struct in6_addr nexthop;
        if (p->router->learns && p->addrs_ok
            && route_learnable(st, p->router, p, route, &prefix, &nexthop)
            && !visit(st, p, route, &prefix, &nexthop)) {
            return false;
        }
    }
    return true;
}

/* Adds 'route' to the candidates of the router of 'p', unless the
 * router has it already through another port on the same transit switch.
 * Identical NB routes from several IC-SB routes (the same prefix and next
 * hop via two transit switches with the same subnet, or from two zones)
 * stay several, one per IC-SB route, as upstream's: each is the
 * advertisement of one zone over one switch.  Never needs a full run. */
static bool
candidate_add_route(struct sync_route_state *st, const struct ts_port *p,
                    const struct icsbrec_route *route,
                    const struct route_prefix *prefix,
                    const struct in6_addr *nexthop)
{
    struct ic_router *r = p->router;
    if (!learn_find(r, route->route_table, prefix, nexthop,
                    &route->header_.uuid)) {
        struct learn_candidate *c = candidate_create(st, r, p, route, prefix,
                                                     nexthop);
        c->shadowed = route_vip_shadows(&r->vips, prefix);
    }
    return true;
}

/* Full run: what each router would learn, then the NB routes. */
void
learn_full(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    /* Refused routes are reported while the candidates are collected. */
    problems_begin(ctx->problems, ROUTE_PROBLEMS_OWNER);
    const struct icsbrec_route *route;
    ICSBREC_ROUTE_FOR_EACH (route, ctx->icsb_idl) {
        for_each_learning_port(st, route, candidate_add_route);
    }

    st->n_learned = st->n_overlapping = st->n_refused = 0;
    struct ic_router *r;
    HMAP_FOR_EACH (r, node, &st->routers) {
        overlap_check_candidates(r);
        overlap_report_conflicts(st, r);
        struct learn_candidate *c;
        HMAP_FOR_EACH (c, node, &r->candidates) {
            bool overlapping = c->conflict && !c->shadowed;
            c->refused = overlapping && st->deny_overlap;
            st->n_learned += candidate_wanted(c);
            st->n_overlapping += overlapping;
            st->n_refused += c->refused;
        }
    }
    problems_end(ctx->problems, ROUTE_PROBLEMS_OWNER);

    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->nb_idl) {
        const struct owned_route *o;
        ROUTE_OWNED_FOR_EACH (o, route_owners_of_router(ctx->owners,
                                                        &lr->header_.uuid)) {
            const struct nbrec_logical_router_static_route *sr
                = route_static_row(ctx, &o->route);
            if (sr && smap_get(&sr->external_ids, "ic-learned-route")) {
                learned_link_row(st, lr, sr);
            }
        }
    }
}

/* Returns the columns of a new NB static route for candidate 'c', to
 * 'prefix' via 'nexthop', as the JSON of an OVSDB row. */
static struct json *
learned_route_json(const struct learn_candidate *c, const char *prefix,
                   const char *nexthop)
{
    char uuid[UUID_LEN + 1];
    snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&c->route->header_.uuid));

    struct json *row = json_object_create();
    json_object_put_string(row, "ip_prefix", prefix);
    json_object_put_string(row, "nexthop", nexthop);
    if (c->route_table[0]) {
        json_object_put_string(row, "route_table", c->route_table);
    }
    struct json *ids = json_array_create_empty();
    json_array_add(ids, json_array_create_2(
                       json_string_create("ic-learned-route"),
                       json_string_create(uuid)));
    json_object_put(row, "external_ids", json_array_create_2(
                        json_string_create("map"), ids));
    struct json *options = json_array_create_empty();
    json_array_add(options, json_array_create_2(
                       json_string_create("origin"),
                       json_string_create(c->route->origin)));
    if (route_is_override_connected(c->route)) {
        json_array_add(options, json_array_create_2(
                           json_string_create(ROUTE_OVERRIDE_CONNECTED),
                           json_string_create("true")));
    }
    json_object_put(row, "options", json_array_create_2(
                        json_string_create("map"), options));
    return row;
}

/* Writes what candidate 'c' says into its NB static route 'sr'. */
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
    cur = smap_get(&sr->options, ROUTE_OVERRIDE_CONNECTED);
    if (route_is_override_connected(c->route)) {
        if (!cur || strcmp(cur, "true")) {
            nbrec_logical_router_static_route_update_options_setkey(
                sr, ROUTE_OVERRIDE_CONNECTED, "true");
        }
    } else if (cur) {
        nbrec_logical_router_static_route_update_options_delkey(
            sr, ROUTE_OVERRIDE_CONNECTED);
    }
}

/* Writes what changed in the learned routes. */
void
learn_write(struct sync_route_state *st)
{
    struct route_owners *owners = st->ctx->owners;
    for (size_t i = 0; i < st->n_nb_deletes; i++) {
        const struct nb_delete *d = &st->nb_deletes[i];
        if (nbrec_logical_router_static_route_is_deleted(d->sr)) {
            continue;
        }
        route_owners_txn_remove(owners, &d->lr->header_.uuid,
                                &d->sr->header_.uuid);
        if (!nb_deleting_find(st, &d->sr->header_.uuid)) {
            struct nb_deleting *nd = xmalloc(sizeof *nd);
            nd->lr = d->lr;
            uuid_node_insert(&st->nb_deleting, &nd->by_uuid,
                             &d->sr->header_.uuid);
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
        size_t i = route_owners_txn_insert(
            owners, &c->router->lr->header_.uuid,
            learned_route_json(c, ds_cstr(&prefix), ds_cstr(&nexthop)));
        ovs_assert(i == st->inserting.n);
        ptr_array_push(&st->inserting, c);
        c->pending = true;
        st->n_learned_now++;
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
}

/* Incremental runs. */

/* Forgets the candidates that IC-SB route 'route' gives.  Returns false if
 * that needs a full run. */
bool
route_unlearn(struct sync_route_state *st, const struct icsbrec_route *route)
{
    struct route_ref *ref = route_ref_find(st, &route->header_.uuid);
    if (!ref) {
        return true;
    }
    for (size_t i = 0; i < ref->candidates.n; i++) {
        const struct learn_candidate *c = ref->candidates.p[i];
        if (c->conflict) {
            return false;
        }
    }
    for (size_t i = 0; i < ref->candidates.n; i++) {
        candidate_remove(st, CONST_CAST(struct learn_candidate *,
                                        ref->candidates.p[i]));
    }
    hmap_remove(&st->route_refs, &ref->by_uuid.node);
    free(ref->candidates.p);
    free(ref);
    return true;
}

/* Incremental run: adds new IC-SB route 'route' to the candidates of the
 * router of 'p'.  Returns false if that needs a full run: an overlap. */
static bool
candidate_add_new_route(struct sync_route_state *st, const struct ts_port *p,
                        const struct icsbrec_route *route,
                        const struct route_prefix *prefix,
                        const struct in6_addr *nexthop)
{
    struct ic_router *r = p->router;
    size_t n = hmap_count(&r->candidates);
    candidate_add_route(st, p, route, prefix, nexthop);
    if (hmap_count(&r->candidates) == n) {
        return true;            /* Seen through another port already. */
    }
    struct learn_candidate *c = learn_find(r, route->route_table, prefix,
                                           nexthop, &route->header_.uuid);
    if (!overlap_candidate_is_clear(r, c)) {
        return false;
    }
    st->n_learned += candidate_wanted(c);
    return true;
}

/* Incremental run: new IC-SB route 'route' becomes a candidate of every
 * router that would learn it.  Returns false if that needs a full run. */
bool
learn_route_new(struct sync_route_state *st,
                const struct icsbrec_route *route)
{
    return for_each_learning_port(st, route, candidate_add_new_route);
}

/* Incremental run: NB static route 'uuid' is gone.  Returns true if it
 * was a learned route this step knows: one that installed a candidate (it
 * is put back) or one this step deleted. */
bool
learn_nb_route_gone(struct sync_route_state *st, const struct uuid *uuid)
{
    struct learn_candidate *c = UUID_NODE_FIND(&st->cand_by_nb, uuid,
                                               struct learn_candidate, by_nb);
    if (c) {
        /* Someone else deleted it: put it back. */
        hmap_remove(&st->cand_by_nb, &c->by_nb.node);
        c->nb_row = NULL;
        hmapx_add(&st->dirty_learned, c);
        return true;
    }
    struct nb_deleting *d = nb_deleting_find(st, uuid);
    if (d) {
        hmap_remove(&st->nb_deleting, &d->by_uuid.node);
        free(d);
        return true;
    }
    return false;
}

/* What find_candidate() looks for: a candidate to the same network as
 * 'prefix' in 'route_table', or, if 'route_table' is NULL, a candidate to
 * 'prefix' itself (host bits included) in any table. */
struct find_candidate_aux {
    const char *route_table;
    const struct route_prefix *prefix;
    bool found;
};

static bool
find_candidate(const struct prefix_index_entry *e, void *aux_)
{
    struct find_candidate_aux *aux = aux_;
    const struct learn_candidate *c = e->data;
    if (aux->route_table
        ? (route_prefix_same_network(&c->prefix, aux->prefix)
           && !strcmp(c->route_table, aux->route_table))
        : route_prefix_equals(&c->prefix, aux->prefix)) {
        aux->found = true;
        return false;
    }
    return true;
}

/* Returns true if 'r' would learn a route to 'prefix' (host bits
 * included) in any route table. */
bool
learn_router_has_prefix(const struct ic_router *r,
                        const struct route_prefix *prefix)
{
    struct find_candidate_aux aux = { NULL, prefix, false };
    prefix_index_for_each_covering(&r->idx, prefix, find_candidate, &aux);
    return aux.found;
}

/* Incremental run: new local static route 'sr' of 'r'.  Returns false if
 * it would hide a candidate, which needs a full run (and the candidates'
 * IC-SB routes again). */
bool
learn_local_static_new(struct sync_route_state *st, struct ic_router *r,
                       const struct nbrec_logical_router_static_route *sr)
{
    struct route_prefix prefix;
    if (route_prefix_parse(sr->ip_prefix, &prefix)) {
        struct find_candidate_aux aux = { sr->route_table, &prefix, false };
        prefix_index_for_each_covering(&r->idx, &prefix, find_candidate,
                                       &aux);
        if (aux.found) {
            return false;
        }
        local_static_add(st, r, sr, &prefix);
    } else {
        local_static_add(st, r, sr, NULL);
    }
    return true;
}

/* Incremental run: local static route 'uuid' is gone, if it was one.
 * Returns false if it hid a learnable route, which needs a full run. */
bool
learn_local_static_gone(struct sync_route_state *st, const struct uuid *uuid)
{
    struct local_static *ls = local_static_find(st, uuid);
    if (ls) {
        if (ls->has_key
            && net_key_find(&ls->router->shadowing, ls->key.route_table,
                            &ls->key.prefix)) {
            return false;       /* It hid a learnable route. */
        }
        local_static_remove(st, ls);
    }
    return true;
}

/* The learned routes in transit. */

/* Takes the outcome of the transaction that inserted the candidates in
 * 'st->inserting': 'ok', with the UUIDs of the rows, in order, if it
 * succeeded.  Returns false if that needs a full run: the transaction
 * failed. */
bool
learn_txn_result(struct sync_route_state *st, bool ok,
                 const struct uuid *uuids, size_t n)
{
    const struct sync_route_ctx *ctx = st->ctx;
    size_t n_inserting = st->inserting.n;
    st->inserting.n = 0;
    if (!ok || n != n_inserting) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        struct learn_candidate *c
            = CONST_CAST(struct learn_candidate *, st->inserting.p[i]);
        const struct uuid *router;
        if (!c->pending || c->nb_row) {
            continue;
        }
        if (route_owners_count(ctx->owners, &uuids[i], &router)) {
            uuid_node_insert(&st->in_transit, &c->transit, &uuids[i]);
            c->in_transit = true;
        } else {
            /* Gone already, or its router was: insert it again, if still
             * wanted. */
            c->pending = false;
            hmapx_add(&st->dirty_learned, c);
        }
    }
    return true;
}

/* Incremental run: the index took static route 'uuid' out of a router.  If
 * it is a learned route in transit, it will never be seen: insert it again,
 * if still wanted. */
void
learn_route_left(struct sync_route_state *st, const struct uuid *uuid)
{
    struct learn_candidate *c = UUID_NODE_FIND(&st->in_transit, uuid,
                                               struct learn_candidate,
                                               transit);
    if (c) {
        candidate_leave_transit(st, c);
        c->pending = false;
        hmapx_add(&st->dirty_learned, c);
    }
}

/* A learned route in transit, kept over a full run. */
struct learn_transit {
    struct uuid row;
    struct uuid router;
    struct uuid route;                  /* The IC-SB route. */
    char *route_table;
    struct route_prefix prefix;
    struct in6_addr nexthop;
};

/* Saves the learned routes in transit, before a full run forgets them. */
struct learn_transit *
learn_transit_save(const struct sync_route_state *st, size_t *n)
{
    struct learn_transit *saved = xmalloc(
        (hmap_count(&st->in_transit) + 1) * sizeof *saved);
    *n = 0;
    const struct learn_candidate *c;
    HMAP_FOR_EACH (c, transit.node, &st->in_transit) {
        saved[(*n)++] = (struct learn_transit) {
            .row = c->transit.uuid,
            .router = c->router->lr->header_.uuid,
            .route = c->route->header_.uuid,
            .route_table = xstrdup(c->route_table),
            .prefix = c->prefix,
            .nexthop = c->nexthop,
        };
    }
    return saved;
}

/* After a full run: the candidates that the routes in transit install, if
 * there are any still, wait for them instead of inserting them again.
 * Frees 'saved'. */
void
learn_transit_restore(struct sync_route_state *st,
                      struct learn_transit *saved, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct learn_transit *t = &saved[i];
        struct ic_router *r = route_router_find_uuid(st, &t->router);
        struct learn_candidate *c
            = r ? learn_find(r, t->route_table, &t->prefix, &t->nexthop,
                             &t->route)
                : NULL;
        if (c && !c->nb_row && !c->pending && candidate_wanted(c)) {
            c->pending = true;
            uuid_node_insert(&st->in_transit, &c->transit, &t->row);
            c->in_transit = true;
        }
        free(saved[i].route_table);
    }
    free(saved);
}

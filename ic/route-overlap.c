/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Overlaps between what a router would learn and what it has: candidates
 * shadowed by a local load balancer VIP, candidates that overlap a
 * connected network of the router or a different prefix from another
 * owner (reported as problems; learned as upstream learns them, or refused
 * with NB_Global options:ic-route-deny-overlap=true), found through the
 * router's prefix index.  The rules themselves are lib/route-rules.c's. */

#include <config.h>

#include "ic/route-overlap.h"

#include "ic/route-state.h"
#include "ic/sync-az.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "openvswitch/dynamic-string.h"

/* True if 'c' takes part in the overlap checks. */
static bool
candidate_checked(const struct learn_candidate *c)
{
    return route_overlap_is_checked(&c->prefix, c->shadowed);
}

static struct route_owner
candidate_owner(const struct learn_candidate *c)
{
    return (struct route_owner) { ROW_AZ(c->route), c->lr_id };
}

/* True if 'a' and 'b' may not both be installed: different networks from
 * different owners, one inside the other. */
static bool
candidates_clash(const struct learn_candidate *a,
                 const struct learn_candidate *b)
{
    if (a == b || !candidate_checked(a) || !candidate_checked(b)) {
        return false;
    }
    struct route_owner owner_a = candidate_owner(a);
    struct route_owner owner_b = candidate_owner(b);
    return route_overlap_is_refused(&a->prefix, &owner_a, &b->prefix,
                                    &owner_b);
}

static void
format_owner(const struct learn_candidate *c, struct ds *s)
{
    const struct icsbrec_availability_zone *az = ROW_AZ(c->route);
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
void
overlap_check_candidates(struct ic_router *r)
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
 * overlap_check_candidates() would mark. */
bool
overlap_candidate_is_clear(const struct ic_router *r,
                           const struct learn_candidate *c)
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

void
overlap_report_conflicts(const struct sync_route_state *st,
                         const struct ic_router *r)
{
    const struct learn_candidate *c;
    HMAP_FOR_EACH (c, node, &r->candidates) {
        if (c->conflict && !c->shadowed) {
            char *object = xasprintf("%s: %s via %s", r->lr->name,
                                     c->route->ip_prefix, c->route->nexthop);
            struct ds owner = DS_EMPTY_INITIALIZER;
            format_owner(c, &owner);
            problems_report(st->ctx->problems, ROUTE_PROBLEMS_OWNER, object,
                            "route from %s %s; %s",
                            ds_cstr(&owner), c->conflict,
                            st->deny_overlap
                            ? "not learned (ic-route-deny-overlap)"
                            : "learned anyway");
            ds_destroy(&owner);
            free(object);
        }
    }
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Incremental runs.
 *
 * An incremental run reads the IDL's tracked changes to Logical_Router,
 * Logical_Router_Static_Route and NB_Global in NB, to Learned_Route in SB
 * and to Route in IC-SB, and handles what the daemon and its peers do all
 * day: static routes, routes from dynamic routing and IC-SB routes that
 * come and go.  It first updates the state, without
 * writing; whatever it cannot handle locally (the structure changed, a row
 * was modified in place, a new route overlaps another one, a route that
 * was in conflict goes away, a local static route starts or stops hiding
 * a learnable one) abandons it for a full run, which rebuilds the state
 * from scratch.  Only then does either kind write,
 * from the same lists of what changed. */

#include <config.h>

#include "ic/route-incremental.h"

#include <string.h>

#include "hash.h"

#include "ic/route-advertise.h"
#include "ic/route-dynamic.h"
#include "ic/route-learn.h"
#include "ic/route-log.h"
#include "ic/route-state.h"
#include "ic/sync-az.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/remote-input.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "smap.h"
#include "uuid.h"

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
 * routes do not use: routers' external_ids, zones' nb_ic_cfg; new zones),
 * and no
 * static route or IC-SB route was modified in place (or modified, then
 * deleted).  Checked before anything else, since
 * the state keeps pointers into those rows. */
static bool
structure_unchanged(const struct sync_route_ctx *ctx)
{
    const struct icsbrec_availability_zone *az;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH_TRACKED (az, ctx->icsb_idl) {
        /* A new zone is not: nothing refers to it yet, and its routes
         * come as new IC-SB routes (zones join one by one at a cold
         * start). */
        if (icsbrec_availability_zone_is_deleted(az)
            || (!icsbrec_availability_zone_is_new(az)
                && icsbrec_availability_zone_is_updated(
                    az, ICSBREC_AVAILABILITY_ZONE_COL_NAME))) {
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
    const struct sbrec_learned_route *lrt;
    SBREC_LEARNED_ROUTE_FOR_EACH_TRACKED (lrt, ctx->sb_idl) {
        if (!sbrec_learned_route_is_new(lrt) && row_changed(&lrt->header_)) {
            return false;
        }
    }
    if (dyn_support_changed(ctx->state, ctx)) {
        return false;
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

/* Finds the owners of new static routes among the routers whose static
 * route set changed in this run.  With few new routes, a binary search in
 * each such router; with many (a cold start learns tens of thousands of
 * routes over a thousand routers in one run), a search in every router
 * for every route would be quadratic, so the routers' routes are hashed
 * once instead. */
struct owner_finder {
    const struct sync_route_ctx *ctx;
    struct ptr_array routers;           /* Their static_routes changed. */
    struct hmap by_route;               /* struct owner_node, if built. */
    bool hashed;
};

struct owner_node {
    struct hmap_node node;              /* By the route row's address. */
    const struct nbrec_logical_router_static_route *sr;
    const struct nbrec_logical_router *lr;
};

static void
owner_finder_init(struct owner_finder *of, const struct sync_route_ctx *ctx)
{
    of->ctx = ctx;
    memset(&of->routers, 0, sizeof of->routers);
    hmap_init(&of->by_route);
    of->hashed = false;

    size_t n_routes = 0;
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH_TRACKED (lr, ctx->nb_idl) {
        if (nbrec_logical_router_is_updated(
                lr, NBREC_LOGICAL_ROUTER_COL_STATIC_ROUTES)) {
            ptr_array_push(&of->routers, lr);
            n_routes += lr->n_static_routes;
        }
    }
    size_t n_new = 0;
    const struct nbrec_logical_router_static_route *sr;
    NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
        n_new += nbrec_logical_router_static_route_is_new(sr);
    }

    /* About 16 comparisons per binary search. */
    if (n_new * of->routers.n * 16 > 2 * n_routes) {
        of->hashed = true;
        for (size_t i = 0; i < of->routers.n; i++) {
            const struct nbrec_logical_router *r = of->routers.p[i];
            for (size_t j = 0; j < r->n_static_routes; j++) {
                struct owner_node *on = xmalloc(sizeof *on);
                on->sr = r->static_routes[j];
                on->lr = r;
                hmap_insert(&of->by_route, &on->node,
                            hash_pointer(on->sr, 0));
            }
        }
    }
}

static void
owner_finder_destroy(struct owner_finder *of)
{
    struct owner_node *on;
    HMAP_FOR_EACH_POP (on, node, &of->by_route) {
        free(on);
    }
    hmap_destroy(&of->by_route);
    free(of->routers.p);
}

/* Returns the router that holds new static route 'sr', one of the routers
 * whose static route set changed, or NULL. */
static const struct nbrec_logical_router *
static_route_owner(const struct owner_finder *of,
                   const struct nbrec_logical_router_static_route *sr)
{
    if (of->hashed) {
        const struct owner_node *on;
        HMAP_FOR_EACH_WITH_HASH (on, node, hash_pointer(sr, 0),
                                 &of->by_route) {
            if (on->sr == sr) {
                return on->lr;
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < of->routers.n; i++) {
        if (router_holds_static(of->routers.p[i], sr)) {
            return of->routers.p[i];
        }
    }

    /* In case the order is ever not so. */
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH_TRACKED (lr, of->ctx->nb_idl) {
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

static bool
static_route_new(struct sync_route_state *st,
                 const struct nbrec_logical_router *lr,
                 const struct nbrec_logical_router_static_route *sr)
{
    if (!lr) {
        return true;            /* In no router: the database drops it. */
    }
    struct ic_router *r = route_router_find(st, lr);
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
    if (!learn_local_static_new(st, r, sr)) {
        return false;
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
    if (learn_nb_route_gone(st, uuid)) {
        return true;
    }
    return learn_local_static_gone(st, uuid) && adv_static_gone(st, uuid);
}

static bool
route_new(struct sync_route_state *st, const struct icsbrec_route *route)
{
    if (ROW_AZ(route) == st->ctx->az) {
        adv_link_row(st, route);
    }
    return learn_route_new(st, route);
}

static bool
route_gone(struct sync_route_state *st, const struct icsbrec_route *route)
{
    if (ROW_AZ(route) == st->ctx->az) {
        adv_row_gone(st, route);
    } else if (remote_input_check_route(route->ip_prefix, route->nexthop)) {
        return false;           /* Refused: a full run lists what is left. */
    }
    return route_unlearn(st, route);
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
bool
route_incremental_run(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    if (!structure_unchanged(ctx)) {
        return false;
    }

    /* NB before IC-SB, and in each deletions before insertions, so that a
     * row replaced by another with the same key is settled without a full
     * run.  Rows that came and went unseen are skipped; if one of them was
     * ours, the pending count below tells. */
    struct owner_finder of;
    owner_finder_init(&of, ctx);
    for (int pass = 0; pass < 2; pass++) {
        const struct nbrec_logical_router_static_route *sr;
        NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
            bool is_new = nbrec_logical_router_static_route_is_new(sr);
            bool is_deleted
                = nbrec_logical_router_static_route_is_deleted(sr);
            if (pass == 0 ? is_deleted && !is_new
                            && !static_route_gone(st, sr)
                : is_new && !is_deleted
                  && !static_route_new(st, static_route_owner(&of, sr),
                                       sr)) {
                owner_finder_destroy(&of);
                return false;
            }
        }
    }
    owner_finder_destroy(&of);
    for (int pass = 0; pass < 2; pass++) {
        const struct sbrec_learned_route *row;
        SBREC_LEARNED_ROUTE_FOR_EACH_TRACKED (row, ctx->sb_idl) {
            bool is_new = sbrec_learned_route_is_new(row);
            bool is_deleted = sbrec_learned_route_is_deleted(row);
            if (pass == 0 ? is_deleted && !is_new
                            && !dyn_row_gone(st, &row->header_.uuid)
                : is_new && !is_deleted && !dyn_row_new(st, row)) {
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

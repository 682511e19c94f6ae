/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Incremental runs.
 *
 * An incremental run reads the IDL's tracked changes to Logical_Router,
 * Logical_Router_Static_Route and NB_Global in NB, to Learned_Route in SB
 * and to Route in IC-SB, and the changes to routers' static route sets
 * that the index of ic/route-owners.h saw, and handles what the daemon and
 * its peers do all day: static routes, routes from dynamic routing and
 * IC-SB routes that come and go.  It first updates the state, without
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
#include "hmapx.h"

#include "ic/route-advertise.h"
#include "ic/route-dynamic.h"
#include "ic/route-learn.h"
#include "ic/route-log.h"
#include "ic/route-owners.h"
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
 * ways an incremental run handles (columns routes do not use: routers'
 * external_ids, zones' nb_ic_cfg; new zones; routers' static route sets
 * are not in this replica, see ic/route-owners.h),
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
            if (i != NBREC_LOGICAL_ROUTER_COL_EXTERNAL_IDS
                && nbrec_logical_router_is_updated(lr, i)) {
                return false;
            }
        }
    }
    return true;
}

/* Finds the router of new static route 'sr' in the index.  Returns false
 * if several routers hold it, which needs a full run; otherwise '*lr' is
 * its router, or NULL if the index or the main replica does not know it
 * yet. */
static bool
static_route_owner(const struct sync_route_state *st,
                   const struct nbrec_logical_router_static_route *sr,
                   const struct nbrec_logical_router **lr)
{
    const struct uuid *router;
    size_t n = route_owners_count(st->ctx->owners, &sr->header_.uuid,
                                  &router);
    *lr = n == 1 ? nbrec_logical_router_get_for_uuid(st->ctx->nb_idl,
                                                     router)
                 : NULL;
    return n <= 1;
}

static bool
static_route_new(struct sync_route_state *st,
                 const struct nbrec_logical_router *lr,
                 const struct nbrec_logical_router_static_route *sr)
{
    if (!lr) {
        /* In no router, or not one known yet: wait for the index. */
        route_orphan_add(st, &sr->header_.uuid);
        return true;
    }
    struct ic_router *r = route_router_find(st, lr);
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
    if (route_orphan_remove(st, uuid)) {
        return true;
    }
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

/* Handles a change the index of routers' static routes saw.  'new_rows'
 * holds the static routes new in this run, which have been handled.
 * Returns false if the change needs a full run. */
static bool
owner_change(struct sync_route_state *st, const struct route_owner_change *c,
             const struct hmapx *new_rows)
{
    const struct sync_route_ctx *ctx = st->ctx;
    const struct nbrec_logical_router_static_route *sr
        = route_static_row(ctx, &c->route);
    bool present = (sr && !nbrec_logical_router_static_route_is_deleted(sr)
                    && !hmapx_contains(new_rows, sr));
    if (!c->added) {
        learn_route_left(st, &c->route);
        const struct uuid *router;
        /* Still in another router: taken out of one of several. */
        return !(present && !UUID_NODE_FIND(&st->orphans, &c->route,
                                                 struct uuid_node, node)
                 && route_owners_count(ctx->owners, &c->route, &router));
    }
    if (!present) {
        return true;            /* The row will come, as a new one. */
    }
    if (!route_orphan_remove(st, &c->route)) {
        return false;           /* Moved, or added to a second router. */
    }
    const struct nbrec_logical_router *lr;
    return static_route_owner(st, sr, &lr) && static_route_new(st, lr, sr);
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
     * run.  Rows that came and went unseen are skipped (if one was a
     * learned route of ours, the index tells: learn_route_left()).  Then
     * what the index of routers' static routes saw: the new rows found
     * their routers in it already, if it had them. */
    struct hmapx new_rows = HMAPX_INITIALIZER(&new_rows);
    bool ok = true;
    const struct nbrec_logical_router_static_route *sr;
    NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
        if (nbrec_logical_router_static_route_is_deleted(sr)
            && !nbrec_logical_router_static_route_is_new(sr)
            && !static_route_gone(st, sr)) {
            ok = false;
            break;
        }
    }
    NBREC_LOGICAL_ROUTER_STATIC_ROUTE_FOR_EACH_TRACKED (sr, ctx->nb_idl) {
        if (!ok) {
            break;
        }
        if (nbrec_logical_router_static_route_is_new(sr)
            && !nbrec_logical_router_static_route_is_deleted(sr)) {
            const struct nbrec_logical_router *lr;
            hmapx_add(&new_rows, CONST_CAST(void *, sr));
            ok = static_route_owner(st, sr, &lr)
                 && static_route_new(st, lr, sr);
        }
    }
    for (size_t i = 0; ok && i < st->n_owner_changes; i++) {
        ok = owner_change(st, &st->owner_changes[i], &new_rows);
    }
    hmapx_destroy(&new_rows);
    if (!ok) {
        return false;
    }
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

    /* Every IC-SB route inserted by an earlier run must have been seen
     * back. */
    return !st->n_pending;
}

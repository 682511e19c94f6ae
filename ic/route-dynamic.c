/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Routes from dynamic routing, as upstream has them since 26.03.
 *
 * ovn-controller writes the routes that a router's dynamic routing (BGP)
 * learned into SB Learned_Route, one row per datapath, port, prefix and
 * next hop.  Each prefix that one of a router's rows holds is
 *
 *   - advertised by the router like a connected network (main route table,
 *     the transit switch port's address as next hop, external_ids:nb-id the
 *     router's UUID), with origin "connected-dynamic" where the IC-SB
 *     schema has it and "connected" before;
 *   - never learned from IC-SB by that router: the router has a better
 *     path to it.
 *
 * The router's SB datapath is the Datapath_Binding whose nb_uuid is the
 * router's UUID, or, with SB schemas before 26.03, whose
 * external_ids:logical-router says so.  Several rows with one prefix (two
 * BGP peers) give one route. */

#include <config.h>

#include "ic/route-dynamic.h"

#include "ic/route-advertise.h"
#include "ic/route-learn.h"
#include "ic/route-log.h"
#include "ic/route-state.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "smap.h"

/* "connected-dynamic" came with IC-SB 2.5.0, the last version without
 * Route.options (2.6.0); no release has 2.5.0, so Route.options tells. */
static const char *
dyn_origin(const struct sync_route_ctx *ctx)
{
    return (icsbrec_server_has_route_table_col_options(ctx->icsb_idl)
            ? "connected-dynamic" : "connected");
}

static uint32_t
dyn_prefix_hash(const struct route_prefix *prefix)
{
    return route_prefix_hash(prefix, 0);
}

/* Returns the prefix of 'r' that dynamic routing learned and that equals
 * 'prefix' (host bits included, as upstream compares the strings), or
 * NULL. */
struct dyn_prefix *
dyn_prefix_find(const struct ic_router *r, const struct route_prefix *prefix)
{
    struct dyn_prefix *dp;
    HMAP_FOR_EACH_WITH_HASH (dp, node, dyn_prefix_hash(prefix), &r->dyn) {
        if (route_prefix_equals(&dp->prefix, prefix)) {
            return dp;
        }
    }
    return NULL;
}

static struct ic_router *
dyn_router_of_row(const struct sync_route_state *st,
                  const struct sbrec_learned_route *row)
{
    return (row->datapath
            ? UUID_NODE_FIND(&st->routers_by_dp, &row->datapath->header_.uuid,
                             struct ic_router, by_dp)
            : NULL);
}

/* Records Learned_Route 'row'.  Returns the prefix it gives its router if
 * that is new, otherwise (a prefix the router has already, or a row of a
 * datapath that is no router of ours) NULL. */
static struct dyn_prefix *
dyn_row_add(struct sync_route_state *st,
            const struct sbrec_learned_route *row)
{
    struct ic_router *r = dyn_router_of_row(st, row);
    struct route_prefix prefix;
    if (!r || !route_prefix_parse(row->ip_prefix, &prefix)) {
        return NULL;
    }

    struct dyn_prefix *dp = dyn_prefix_find(r, &prefix);
    bool is_new = !dp;
    if (is_new) {
        dp = xzalloc(sizeof *dp);
        dp->prefix = prefix;
        hmap_insert(&r->dyn, &dp->node, dyn_prefix_hash(&prefix));
    }
    dp->n_rows++;

    struct dyn_row *dr = xmalloc(sizeof *dr);
    dr->router = r;
    dr->prefix = dp;
    uuid_node_insert(&st->dyn_rows, &dr->by_uuid, &row->header_.uuid);
    return is_new ? dp : NULL;
}

/* Full run: the routers' datapaths, and their Learned_Route rows.  Called
 * once the routers are known. */
/* Returns true if SB datapath 'dp' is a logical router's, with the
 * router's NB UUID in '*lr_uuid'. */
bool
dyn_datapath_router(struct ovsdb_idl *sb,
                    const struct sbrec_datapath_binding *dp,
                    struct uuid *lr_uuid)
{
    if (sbrec_server_has_datapath_binding_table_col_nb_uuid(sb)
        && dp->nb_uuid) {
        *lr_uuid = *dp->nb_uuid;
        return true;
    }
    return smap_get_uuid(&dp->external_ids, "logical-router", lr_uuid);
}

void
dyn_build(struct sync_route_state *st, const struct sync_route_ctx *ctx)
{
    struct ovsdb_idl *sb = ctx->sb_idl;
    st->dyn_ok = sbrec_server_has_learned_route_table(sb);
    st->dyn_origin = dyn_origin(ctx);
    if (!st->dyn_ok) {
        VLOG_INFO_ONCE("the SB database has no Learned_Route table (OVN "
                       "before 25.03): no routes from dynamic routing to "
                       "advertise");
        return;
    }

    const struct sbrec_datapath_binding *dp;
    SBREC_DATAPATH_BINDING_FOR_EACH (dp, sb) {
        struct uuid lr_uuid;
        if (!dyn_datapath_router(sb, dp, &lr_uuid)) {
            continue;
        }
        struct ic_router *r = route_router_find_uuid(st, &lr_uuid);
        if (r && !r->has_dp) {
            r->has_dp = true;
            uuid_node_insert(&st->routers_by_dp, &r->by_dp,
                             &dp->header_.uuid);
        }
    }

    const struct sbrec_learned_route *row;
    SBREC_LEARNED_ROUTE_FOR_EACH (row, sb) {
        dyn_row_add(st, row);
    }
}

void
dyn_router_destroy(struct ic_router *r)
{
    struct dyn_prefix *dp;
    HMAP_FOR_EACH_POP (dp, node, &r->dyn) {
        free(dp->routes.p);
        free(dp);
    }
    hmap_destroy(&r->dyn);
}

void
dyn_rows_destroy(struct sync_route_state *st)
{
    struct dyn_row *dr;
    HMAP_FOR_EACH_POP (dr, by_uuid.node, &st->dyn_rows) {
        free(dr);
    }
    hmap_destroy(&st->dyn_rows);
}

/* Incremental runs. */

/* True if what the databases support changed since the last full run (a
 * session reconnected to another server makes a full run anyway). */
bool
dyn_support_changed(const struct sync_route_state *st,
                    const struct sync_route_ctx *ctx)
{
    return (st->dyn_ok != sbrec_server_has_learned_route_table(ctx->sb_idl)
            || strcmp(st->dyn_origin, dyn_origin(ctx)));
}

/* New Learned_Route 'row'.  Returns false if that needs a full run: its
 * prefix is new to a router that would learn it from IC-SB. */
bool
dyn_row_new(struct sync_route_state *st,
            const struct sbrec_learned_route *row)
{
    if (!st->dyn_ok) {
        return true;
    }
    struct ic_router *r = dyn_router_of_row(st, row);
    struct route_prefix prefix;
    if (r && r->learns && route_prefix_parse(row->ip_prefix, &prefix)
        && !dyn_prefix_find(r, &prefix)
        && learn_router_has_prefix(r, &prefix)) {
        return false;
    }
    struct dyn_prefix *dp = dyn_row_add(st, row);
    if (dp && r->advertises) {
        adv_dynamic(st, r, dp);
    }
    return true;
}

/* Learned_Route 'uuid' is gone.  Returns false if that needs a full run:
 * its prefix, gone from its router, kept an IC-SB route from being
 * learned. */
bool
dyn_row_gone(struct sync_route_state *st, const struct uuid *uuid)
{
    struct dyn_row *dr = UUID_NODE_FIND(&st->dyn_rows, uuid, struct dyn_row,
                                        by_uuid);
    if (!dr) {
        return true;
    }
    struct ic_router *r = dr->router;
    struct dyn_prefix *dp = dr->prefix;
    hmap_remove(&st->dyn_rows, &dr->by_uuid.node);
    free(dr);
    if (--dp->n_rows) {
        return true;
    }
    if (dp->hides) {
        return false;
    }
    bool ok = adv_dynamic_gone(st, r, dp);
    hmap_remove(&r->dyn, &dp->node);
    free(dp->routes.p);
    free(dp);
    return ok;
}

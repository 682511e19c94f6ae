/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* What this zone advertises in IC-SB: its routers' static routes,
 * connected networks and load balancer VIPs, per transit switch port, each
 * linked to the IC-SB Route row that holds it; and the writes that make
 * IC-SB match. */

#include <config.h>

#include "ic/route-advertise.h"

#include <string.h>

#include "ic/route-learn.h"
#include "ic/route-log.h"
#include "ic/route-owners.h"
#include "ic/route-state.h"
#include "ic/sync-az.h"
#include "ic/sync-route.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "uuid.h"

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

/* Where an advertised route comes from, for the duplicate warning. */
struct adv_origin {
    const char *origin;         /* "static", "connected", "loadbalancer",
                                 * "connected-dynamic". */
    const char *kind;           /* Its NB table in upstream's words, for
                                 * the warning: "route", "lrp",
                                 * "loadbalancer", "lr". */
    const char *name;           /* Its name, or NULL. */
    const struct uuid *uuid;
    bool feeds;                 /* Record it in route_state.adv_feeds. */
    struct ptr_array *fed;      /* If nonnull, record the route here. */
    bool override_connected;    /* Mark it options:override-connected. */
};

/* Makes port 'p' advertise 'prefix' in 'route_table' on behalf of 'src'. */
static void
adv_add(struct sync_route_state *st, const struct ts_port *p,
        const struct route_prefix *prefix, const char *route_table,
        const struct adv_origin *src)
{
    if (!route_prefix_is_advertisable(prefix, st->adv_default, &p->adv)) {
        return;
    }
    struct in6_addr nexthop;
    if (!route_adv_nexthop(&p->addrs, prefix, p->ipv4_over_ipv6, &nexthop)) {
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
        /* Upstream's words first: its tests look for them. */
        VLOG_WARN_RL(&rl, "Duplicate %s route advertisement was suppressed! "
                     "NB %s uuid: "UUID_FMT" (%s%s%s on transit switch %s)",
                     src->origin, src->kind, UUID_ARGS(src->uuid),
                     ds_cstr(&s), src->name ? " from " : "",
                     src->name ? src->name : "", p->ts);
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
    a->sources[a->n_sources++] = (struct route_source) {
        .nb_id = *src->uuid,
        .origin = src->origin,
        .lr_id = p->router->lr->header_.uuid,
        .route_tag = p->route_tag,
        .override_connected = src->override_connected,
    };
    hmapx_add(&st->dirty_adv, a);

    if (src->feeds) {
        struct adv_feed *f = UUID_NODE_FIND(&st->adv_feeds, src->uuid,
                                            struct adv_feed, by_nb);
        if (!f) {
            f = xzalloc(sizeof *f);
            uuid_node_insert(&st->adv_feeds, &f->by_nb, src->uuid);
        }
        ptr_array_push(&f->routes, a);
    }
    if (src->fed) {
        ptr_array_push(src->fed, a);
    }
}

/* Withdraws 'a' and frees it.  Returns false if that needs a full run. */
static bool
adv_withdraw(struct sync_route_state *st, struct adv_route *a)
{
    bool ok = true;
    if (a->row) {
        const struct icsbrec_route *row = a->row;
        hmap_remove(&st->adv_by_row, &a->by_row.node);
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
void
adv_static(struct sync_route_state *st, const struct ic_router *r,
           const struct nbrec_logical_router_static_route *sr)
{
    struct route_prefix prefix;
    bool learned = smap_get(&sr->external_ids, "ic-learned-route") != NULL;
    if (!route_static_is_advertisable(sr->ip_prefix, sr->nexthop, sr->policy,
                                      learned, &prefix)) {
        return;
    }
    struct adv_origin src = {
        .origin = "static", .kind = "route", .uuid = &sr->header_.uuid,
        .feeds = true,
        .override_connected = (st->route_options
                               && smap_get_bool(&sr->options,
                                                ROUTE_OVERRIDE_CONNECTED,
                                                false)),
    };
    for (size_t i = 0; i < r->ports.n; i++) {
        const struct ts_port *p = r->ports.p[i];
        if (p->addrs_ok && !strcmp(sr->route_table, p->route_table)) {
            adv_add(st, p, &prefix, p->route_table, &src);
        }
    }
}

/* Network 'prefix' of router 'r' (a connected network, or a prefix from
 * dynamic routing) on behalf of 'src', on every port of 'r', in the main
 * route table.  With upstream main's IC-SB schema (Route.options), a port
 * with a route table also advertises it there, as "connected" marked
 * override-connected, as upstream main does: traffic that the other zones
 * route in that table reaches the router's networks through the port
 * reserved for it. */
static void
adv_network(struct sync_route_state *st, const struct ic_router *r,
            const struct route_prefix *prefix, const struct adv_origin *src)
{
    struct adv_origin in_table = *src;
    in_table.origin = "connected";
    in_table.override_connected = true;
    for (size_t i = 0; i < r->ports.n; i++) {
        const struct ts_port *p = r->ports.p[i];
        if (p->addrs_ok) {
            adv_add(st, p, prefix, "", src);
            if (st->route_options && p->route_table[0]) {
                adv_add(st, p, prefix, p->route_table, &in_table);
            }
        }
    }
}

static void
adv_connected(struct sync_route_state *st, const struct ic_router *r)
{
    for (size_t i = 0; i < r->n_conns; i++) {
        const struct connected *c = &r->conns[i];
        struct adv_origin src = {
            .origin = "connected", .kind = "lrp", .name = c->lrp->name,
            .uuid = &c->lrp->header_.uuid,
        };
        adv_network(st, r, &c->prefix, &src);
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
            struct adv_origin src = {
                .origin = "loadbalancer", .kind = "loadbalancer",
                .name = lb->name, .uuid = &lb->header_.uuid,
            };
            for (size_t i = 0; i < r->ports.n; i++) {
                const struct ts_port *p = r->ports.p[i];
                if (p->addrs_ok) {
                    adv_add(st, p, &prefix, "", &src);
                }
            }
        }
    }
}

/* A prefix 'dp' that dynamic routing learned for 'r', on every port of
 * 'r', in the main route table, on behalf of the router itself. */
void
adv_dynamic(struct sync_route_state *st, const struct ic_router *r,
            struct dyn_prefix *dp)
{
    struct adv_origin src = {
        .origin = st->dyn_origin, .kind = "lr", .name = r->lr->name,
        .uuid = &r->lr->header_.uuid, .fed = &dp->routes,
    };
    adv_network(st, r, &dp->prefix, &src);
}

/* Links 'row', one of this zone's IC-SB routes, to what it advertises, or
 * withdraws it if nothing wants it (or another row holds it already). */
void
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
        route_state_seen_back(st, &a->pending);
        uuid_node_insert(&st->adv_by_row, &a->by_row, &row->header_.uuid);
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

/* Full run: everything this zone advertises, then its IC-SB rows. */
void
adv_full(struct sync_route_state *st)
{
    const struct sync_route_ctx *ctx = st->ctx;
    if (st->adv) {
        struct ic_router *r;
        HMAP_FOR_EACH (r, node, &st->routers) {
            if (!r->advertises) {
                continue;
            }
            const struct owned_route *o;
            ROUTE_OWNED_FOR_EACH (o, route_owners_of_router(
                                      ctx->owners, &r->lr->header_.uuid)) {
                const struct nbrec_logical_router_static_route *sr
                    = route_static_row(ctx, &o->route);
                if (sr) {
                    adv_static(st, r, sr);
                }
            }
            adv_connected(st, r);
            struct dyn_prefix *dp;
            HMAP_FOR_EACH (dp, node, &r->dyn) {
                adv_dynamic(st, r, dp);
            }
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
        if (ROW_AZ(row) == ctx->az) {
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

/* Writes what 'a' says into IC-SB route 'route', which is 'new_row' if
 * this transaction inserts it: then whole columns, since key updates of a
 * new row cost the transaction one more operation per row (the IDL sends
 * them as a "mutate" after the "insert"). */
static void
write_adv_route(const struct sync_route_state *st,
                const struct icsbrec_route *route, const struct adv_route *a,
                bool new_row)
{
    const struct route_source *src = route_sources_winner(a->sources,
                                                          a->n_sources);
    char nb_id[UUID_LEN + 1], lr_id[UUID_LEN + 1];
    snprintf(nb_id, sizeof nb_id, UUID_FMT, UUID_ARGS(&src->nb_id));
    snprintf(lr_id, sizeof lr_id, UUID_FMT, UUID_ARGS(&src->lr_id));
    if (new_row) {
        icsbrec_route_set_origin(route, src->origin);
        struct smap ids = SMAP_INITIALIZER(&ids);
        smap_add(&ids, "nb-id", nb_id);
        smap_add(&ids, "lr-id", lr_id);
        if (src->route_tag && src->route_tag[0]) {
            smap_add(&ids, "ic-route-tag", src->route_tag);
        }
        icsbrec_route_set_external_ids(route, &ids);
        smap_destroy(&ids);
        if (st->route_options && src->override_connected) {
            const struct smap options = SMAP_CONST1(
                &options, ROUTE_OVERRIDE_CONNECTED, "true");
            icsbrec_route_set_options(route, &options);
        }
        return;
    }
    if (strcmp(route->origin, src->origin)) {
        icsbrec_route_set_origin(route, src->origin);
    }
    set_external_id(route, "nb-id", nb_id);
    set_external_id(route, "lr-id", lr_id);
    set_external_id(route, "ic-route-tag", src->route_tag);
    if (st->route_options) {
        const char *cur = smap_get(&route->options,
                                   ROUTE_OVERRIDE_CONNECTED);
        if (src->override_connected) {
            if (!cur || strcmp(cur, "true")) {
                icsbrec_route_update_options_setkey(
                    route, ROUTE_OVERRIDE_CONNECTED, "true");
            }
        } else if (cur) {
            icsbrec_route_update_options_delkey(route,
                                                ROUTE_OVERRIDE_CONNECTED);
        }
    }
}

/* Writes what changed in the advertised routes. */
void
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
            write_adv_route(st, a->row, a, false);
        } else if (!a->pending) {
            ds_clear(&prefix);
            ds_clear(&nexthop);
            route_prefix_format(&a->prefix, &prefix);
            route_addr_format(&a->nexthop, &nexthop);
            VLOG_DBG("advertising route %s via %s (%s) on transit switch %s",
                     ds_cstr(&prefix), ds_cstr(&nexthop),
                     route_sources_winner(a->sources, a->n_sources)->origin,
                     a->ts);
            const struct icsbrec_route *row
                = icsbrec_route_insert(ctx->icsb_txn);
            icsbrec_route_set_transit_switch(row, a->ts);
            icsbrec_route_set_availability_zone(row, ctx->az);
            row_set_zone_name(&row->header_,
                              &icsbrec_route_col_availability_zone_name,
                              ctx->az);
            icsbrec_route_set_route_table(row, a->route_table);
            icsbrec_route_set_ip_prefix(row, ds_cstr(&prefix));
            icsbrec_route_set_nexthop(row, ds_cstr(&nexthop));
            write_adv_route(st, row, a, true);
            a->pending = true;
            st->n_pending++;
            st->n_advertised_now++;
        }
    }
    ds_destroy(&prefix);
    ds_destroy(&nexthop);
}

/* Incremental run: the routes in 'routes' lose the sources whose NB row is
 * 'uuid', and those left with none are withdrawn.  Returns false if that
 * needs a full run. */
static bool
adv_sources_gone(struct sync_route_state *st, const struct ptr_array *routes,
                 const struct uuid *uuid)
{
    bool ok = true;
    struct hmapx unique = HMAPX_INITIALIZER(&unique);
    for (size_t i = 0; i < routes->n; i++) {
        hmapx_add(&unique, CONST_CAST(void *, routes->p[i]));
    }
    struct hmapx_node *node;
    HMAPX_FOR_EACH (node, &unique) {
        struct adv_route *a = node->data;
        a->n_sources = route_sources_remove(a->sources, a->n_sources, uuid);
        if (!a->n_sources) {
            ok = adv_withdraw(st, a) && ok;
        } else {
            hmapx_add(&st->dirty_adv, a);
        }
    }
    hmapx_destroy(&unique);
    return ok;
}

/* Incremental run: static route 'uuid' is gone.  The advertised routes it
 * fed lose it as a source, and those left with none are withdrawn.
 * Returns false if that needs a full run. */
bool
adv_static_gone(struct sync_route_state *st, const struct uuid *uuid)
{
    struct adv_feed *f = UUID_NODE_FIND(&st->adv_feeds, uuid,
                                        struct adv_feed, by_nb);
    if (!f) {
        return true;
    }

    bool ok = adv_sources_gone(st, &f->routes, uuid);
    hmap_remove(&st->adv_feeds, &f->by_nb.node);
    free(f->routes.p);
    free(f);
    return ok;
}

/* Incremental run: prefix 'dp' of router 'r' that dynamic routing learned
 * is gone.  Returns false if that needs a full run. */
bool
adv_dynamic_gone(struct sync_route_state *st, const struct ic_router *r,
                 struct dyn_prefix *dp)
{
    bool ok = adv_sources_gone(st, &dp->routes, &r->lr->header_.uuid);
    dp->routes.n = 0;
    return ok;
}

/* Incremental run: 'row', one of this zone's IC-SB routes, is gone.  If
 * something else deleted it, it is put back. */
void
adv_row_gone(struct sync_route_state *st, const struct icsbrec_route *row)
{
    struct adv_route *a = UUID_NODE_FIND(&st->adv_by_row, &row->header_.uuid,
                                         struct adv_route, by_row);
    if (a) {
        hmap_remove(&st->adv_by_row, &a->by_row.node);
        a->row = NULL;
        hmapx_add(&st->dirty_adv, a);
    }
}

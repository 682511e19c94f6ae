/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Which router holds each static route (see ic/route-owners.h). */

#include <config.h>

#include "ic/route-owners.h"

#include <string.h>

#include "jsonrpc.h"
#include "lib/ovn-nb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-cs.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(route_owners);

#define NB_DB "OVN_Northbound"
#define ROUTER_TABLE "Logical_Router"
#define ROUTE_TABLE "Logical_Router_Static_Route"
#define ROUTES_COLUMN "static_routes"

/* OVS 3.1's json.h has no accessors for arrays' elements. */
static size_t
json_array_size(const struct json *json)
{
    return json_array(json)->n;
}

static const struct json *
json_array_at(const struct json *json, size_t i)
{
    return json_array(json)->elems[i];
}

/* Never changes: iterated for a router that holds no route. */
struct hmap route_owned_empty = HMAP_INITIALIZER(&route_owned_empty);

/* A router's mutation in the transaction being built. */
struct router_mutation {
    struct hmap_node node;              /* By router UUID. */
    struct uuid router;
    struct json *inserts;               /* Array of ["named-uuid", ...]. */
    struct json *removes;               /* Array of ["uuid", ...]. */
};

struct route_owners {
    struct ovsdb_cs *cs;

    struct hmap routers;                /* struct owned_route_set. */
    struct hmap owners;                 /* struct owned_route, by_route. */
    size_t n_owners;
    bool ready;                         /* Holds the server's contents. */
    unsigned int seqno;

    /* Changes since the last take, unless 'reset'. */
    struct route_owner_change *changes;
    size_t n_changes, allocated_changes;
    bool reset;

    /* The transaction being built. */
    struct json *ops;                   /* NULL if none. */
    size_t n_inserts;
    struct hmap mutations;              /* struct router_mutation. */

    /* The transaction in flight, or done and not taken. */
    struct json *request_id;            /* In flight. */
    size_t n_inserts_sent;
    bool done;
    bool succeeded;
    struct uuid *inserted;
    size_t n_inserted;

    /* For status. */
    unsigned long long int n_updates, n_txns, n_txn_failures;
};

static struct route_owners *default_owners;

void
route_owners_set_default(struct route_owners *ro)
{
    default_owners = ro;
}

struct route_owners *
route_owners_default(void)
{
    return default_owners;
}

/* The index. */

static struct owned_route_set *
set_find(const struct route_owners *ro, const struct uuid *router)
{
    struct owned_route_set *set;
    HMAP_FOR_EACH_WITH_HASH (set, node, uuid_hash(router), &ro->routers) {
        if (uuid_equals(&set->router, router)) {
            return set;
        }
    }
    return NULL;
}

const struct owned_route_set *
route_owners_of_router(const struct route_owners *ro,
                       const struct uuid *router)
{
    return ro ? set_find(ro, router) : NULL;
}

/* Returns how many routers hold 'route', and one of them in '*router' if
 * any. */
size_t
route_owners_count(const struct route_owners *ro, const struct uuid *route,
                   const struct uuid **router)
{
    size_t n = 0;
    *router = NULL;
    const struct owned_route *o;
    HMAP_FOR_EACH_WITH_HASH (o, by_route, uuid_hash(route), &ro->owners) {
        if (uuid_equals(&o->route, route)) {
            *router = &o->router->router;
            n++;
        }
    }
    return n;
}

static struct owned_route *
owner_find(const struct owned_route_set *set, const struct uuid *route)
{
    struct owned_route *o;
    HMAP_FOR_EACH_WITH_HASH (o, in_router, uuid_hash(route), &set->routes) {
        if (uuid_equals(&o->route, route)) {
            return o;
        }
    }
    return NULL;
}

static void
log_change(struct route_owners *ro, const struct uuid *route,
           const struct uuid *router, bool added)
{
    if (ro->reset) {
        return;                 /* The taker reads everything anyway. */
    }
    if (ro->n_changes >= ro->allocated_changes) {
        ro->changes = x2nrealloc(ro->changes, &ro->allocated_changes,
                                 sizeof *ro->changes);
    }
    ro->changes[ro->n_changes++] = (struct route_owner_change) {
        .route = *route, .router = *router, .added = added,
    };
}

static void
owner_add(struct route_owners *ro, struct owned_route_set *set,
          const struct uuid *route)
{
    struct owned_route *o = xmalloc(sizeof *o);
    o->route = *route;
    o->router = set;
    hmap_insert(&set->routes, &o->in_router, uuid_hash(route));
    hmap_insert(&ro->owners, &o->by_route, uuid_hash(route));
    ro->n_owners++;
    log_change(ro, route, &set->router, true);
}

static void
owner_remove(struct route_owners *ro, struct owned_route *o)
{
    log_change(ro, &o->route, &o->router->router, false);
    hmap_remove(&o->router->routes, &o->in_router);
    hmap_remove(&ro->owners, &o->by_route);
    ro->n_owners--;
    free(o);
}

static struct owned_route_set *
set_create(struct route_owners *ro, const struct uuid *router)
{
    struct owned_route_set *set = xmalloc(sizeof *set);
    set->router = *router;
    hmap_init(&set->routes);
    hmap_insert(&ro->routers, &set->node, uuid_hash(router));
    return set;
}

static void
set_destroy(struct route_owners *ro, struct owned_route_set *set)
{
    struct owned_route *o;
    HMAP_FOR_EACH_SAFE (o, in_router, &set->routes) {
        owner_remove(ro, o);
    }
    hmap_destroy(&set->routes);
    hmap_remove(&ro->routers, &set->node);
    free(set);
}

static void
index_clear(struct route_owners *ro)
{
    struct owned_route_set *set;
    HMAP_FOR_EACH_SAFE (set, node, &ro->routers) {
        set_destroy(ro, set);
    }
}

/* Applies one row update of Logical_Router. */
static void
apply_row_update(struct route_owners *ro,
                 const struct ovsdb_cs_row_update *ru)
{
    struct owned_route_set *set = set_find(ro, &ru->row_uuid);
    if (ru->type == OVSDB_CS_ROW_DELETE) {
        if (set) {
            set_destroy(ro, set);
        }
        return;
    }

    const struct json *column = ru->columns
                                ? shash_find_data(ru->columns, ROUTES_COLUMN)
                                : NULL;
    if (!set) {
        set = set_create(ro, &ru->row_uuid);
    }
    if (!column) {
        return;                 /* Unchanged. */
    }
    const struct ovsdb_type *type
        = &nbrec_logical_router_col_static_routes.type;
    struct ovsdb_datum routes;
    struct ovsdb_error *error = ovsdb_datum_from_json(&routes, type, column,
                                                      NULL);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        char *s = ovsdb_error_to_string_free(error);
        VLOG_WARN_RL(&rl, "router "UUID_FMT": cannot parse static_routes: "
                     "%s", UUID_ARGS(&ru->row_uuid), s);
        free(s);
        ovsdb_cs_flag_inconsistency(ro->cs);
        return;
    }

    if (ru->type != OVSDB_CS_ROW_XOR) {
        /* A new row, or the whole new value (monitor version 1): its
         * difference from what the index holds, applied as a diff. */
        struct ovsdb_datum old, diff;
        ovsdb_datum_init_empty(&old);
        const struct owned_route *o;
        HMAP_FOR_EACH (o, in_router, &set->routes) {
            union ovsdb_atom atom = { .uuid = o->route };
            ovsdb_datum_add_unsafe(&old, &atom, NULL, type, NULL);
        }
        ovsdb_datum_sort_assert(&old, type);
        ovsdb_datum_diff(&diff, &old, &routes, type);
        ovsdb_datum_destroy(&old, type);
        ovsdb_datum_swap(&routes, &diff);
        ovsdb_datum_destroy(&diff, type);
    }
    for (size_t i = 0; i < routes.n; i++) {
        /* An element that came or went. */
        struct owned_route *o = owner_find(set, &routes.keys[i].uuid);
        if (o) {
            owner_remove(ro, o);
        } else {
            owner_add(ro, set, &routes.keys[i].uuid);
        }
    }
    ovsdb_datum_destroy(&routes, type);
}

static void
apply_update(struct route_owners *ro,
             const struct ovsdb_cs_update_event *update)
{
    if (update->clear) {
        ro->reset = true;
        ro->n_changes = 0;
        index_clear(ro);
    }
    struct ovsdb_cs_db_update *du;
    struct ovsdb_error *error = ovsdb_cs_parse_db_update(
        update->table_updates, update->version, &du);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        char *s = ovsdb_error_to_string_free(error);
        VLOG_WARN_RL(&rl, "cannot parse NB update: %s", s);
        free(s);
        ovsdb_cs_flag_inconsistency(ro->cs);
        return;
    }
    for (size_t i = 0; i < du->n; i++) {
        const struct ovsdb_cs_table_update *tu = &du->table_updates[i];
        if (strcmp(tu->table_name, ROUTER_TABLE)) {
            continue;
        }
        for (size_t j = 0; j < tu->n; j++) {
            apply_row_update(ro, &tu->row_updates[j]);
        }
    }
    ovsdb_cs_db_update_destroy(du);
    if (update->monitor_reply) {
        ro->ready = true;
    }
    ro->n_updates++;
}

/* For the unit tests: applies 'table_updates', the JSON text of a
 * <table-updates> of monitor version 'version', as an update from the
 * server would be applied ('clear': the first after a reconnection that
 * could not resume). */
void
route_owners_apply_for_test(struct route_owners *ro,
                            const char *table_updates, int version,
                            bool clear)
{
    struct ovsdb_cs_update_event update = {
        .clear = clear,
        .monitor_reply = clear,
        .table_updates = json_from_string(table_updates),
        .version = version,
    };
    apply_update(ro, &update);
    json_destroy(update.table_updates);
}

/* The session. */

static struct json *
compose_monitor_requests(const struct json *schema OVS_UNUSED,
                         void *aux OVS_UNUSED)
{
    struct json *request = json_object_create();
    json_object_put(request, "columns",
                    json_array_create_1(json_string_create(ROUTES_COLUMN)));
    struct json *requests = json_object_create();
    json_object_put(requests, ROUTER_TABLE, json_array_create_1(request));
    return requests;
}

static const struct ovsdb_cs_ops cs_ops = {
    .compose_monitor_requests = compose_monitor_requests,
};

struct route_owners *
route_owners_create(const char *nb_remote)
{
    struct route_owners *ro = xzalloc(sizeof *ro);
    ro->cs = ovsdb_cs_create(NB_DB, 3, &cs_ops, ro);
    ovsdb_cs_set_remote(ro->cs, nb_remote, true);
    hmap_init(&ro->routers);
    hmap_init(&ro->owners);
    hmap_init(&ro->mutations);
    ro->reset = true;
    return ro;
}

static void txn_discard(struct route_owners *);

void
route_owners_destroy(struct route_owners *ro)
{
    if (ro) {
        if (default_owners == ro) {
            default_owners = NULL;
        }
        txn_discard(ro);
        json_destroy(ro->request_id);
        free(ro->inserted);
        index_clear(ro);
        hmap_destroy(&ro->routers);
        hmap_destroy(&ro->owners);
        hmap_destroy(&ro->mutations);
        free(ro->changes);
        ovsdb_cs_destroy(ro->cs);
        free(ro);
    }
}

/* Records the outcome of the transaction in flight. */
static void
txn_finish(struct route_owners *ro, const struct jsonrpc_msg *reply)
{
    json_destroy(ro->request_id);
    ro->request_id = NULL;
    ro->done = true;
    ro->succeeded = false;
    free(ro->inserted);
    ro->inserted = NULL;
    ro->n_inserted = 0;

    const struct json *result = reply ? reply->result : NULL;
    if (!reply || reply->type != JSONRPC_REPLY || !result
        || result->type != JSON_ARRAY
        || json_array_size(result) < ro->n_inserts_sent) {
        goto failed;
    }
    for (size_t i = 0; i < json_array_size(result); i++) {
        const struct json *r = json_array_at(result, i);
        if (r->type == JSON_OBJECT && shash_find(json_object(r), "error")) {
            goto failed;
        }
    }
    ro->inserted = xmalloc((ro->n_inserts_sent ? ro->n_inserts_sent : 1)
                           * sizeof *ro->inserted);
    static const struct ovsdb_base_type uuid_type = OVSDB_BASE_UUID_INIT;
    for (size_t i = 0; i < ro->n_inserts_sent; i++) {
        const struct json *r = json_array_at(result, i);
        const struct json *u = r->type == JSON_OBJECT
                               ? shash_find_data(json_object(r), "uuid")
                               : NULL;
        union ovsdb_atom atom;
        struct ovsdb_error *error
            = u ? ovsdb_atom_from_json(&atom, &uuid_type, u, NULL) : NULL;
        if (!u || error) {
            ovsdb_error_destroy(error);
            free(ro->inserted);
            ro->inserted = NULL;
            goto failed;
        }
        ro->inserted[i] = atom.uuid;
    }
    ro->n_inserted = ro->n_inserts_sent;
    ro->succeeded = true;
    return;

failed:
    ro->n_txn_failures++;
    if (reply) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        char *s = reply->result ? json_to_string(reply->result, 0)
                  : reply->error ? json_to_string(reply->error, 0)
                  : xstrdup("no result");
        VLOG_WARN_RL(&rl, "learned route transaction failed: %.512s", s);
        free(s);
    }
}

void
route_owners_run(struct route_owners *ro)
{
    struct ovs_list events;
    ovsdb_cs_run(ro->cs, &events);
    struct ovsdb_cs_event *event;
    LIST_FOR_EACH_POP (event, list_node, &events) {
        switch (event->type) {
        case OVSDB_CS_EVENT_TYPE_RECONNECT:
            ro->ready = false;
            if (ro->request_id) {
                txn_finish(ro, NULL);
            }
            break;
        case OVSDB_CS_EVENT_TYPE_LOCKED:
            break;
        case OVSDB_CS_EVENT_TYPE_UPDATE:
            apply_update(ro, &event->update);
            break;
        case OVSDB_CS_EVENT_TYPE_TXN_REPLY:
            if (ro->request_id
                && json_equal(ro->request_id, event->txn_reply->id)) {
                txn_finish(ro, event->txn_reply);
            }
            break;
        }
        ovsdb_cs_event_destroy(event);
        ro->seqno++;
    }
}

void
route_owners_wait(struct route_owners *ro)
{
    ovsdb_cs_wait(ro->cs);
}

void
route_owners_set_probe_interval(struct route_owners *ro, int ms)
{
    ovsdb_cs_set_probe_interval(ro->cs, ms);
}

bool
route_owners_is_ready(const struct route_owners *ro)
{
    return ro->ready && ovsdb_cs_is_connected(ro->cs);
}

unsigned int
route_owners_seqno(const struct route_owners *ro)
{
    return ro->seqno;
}

struct route_owner_change *
route_owners_take_changes(struct route_owners *ro, size_t *n, bool *reset)
{
    struct route_owner_change *changes = ro->changes;
    *n = ro->n_changes;
    *reset = ro->reset;
    ro->changes = NULL;
    ro->n_changes = ro->allocated_changes = 0;
    ro->reset = false;
    return changes;
}

void
route_owners_format_status(const struct route_owners *ro, struct ds *out)
{
    ds_put_format(out, "NB route owners: %s, %s; %"PRIuSIZE" routers, "
                  "%"PRIuSIZE" routes; %llu updates, %llu transactions "
                  "(%llu failed)\n",
                  ovsdb_cs_is_connected(ro->cs) ? "connected"
                  : "not connected",
                  ro->ready ? "in sync" : "loading",
                  hmap_count(&ro->routers), ro->n_owners, ro->n_updates,
                  ro->n_txns, ro->n_txn_failures);
}

/* Transactions. */

bool
route_owners_txn_in_flight(const struct route_owners *ro)
{
    return ro->request_id != NULL;
}

static struct router_mutation *
mutation_get(struct route_owners *ro, const struct uuid *router)
{
    struct router_mutation *m;
    HMAP_FOR_EACH_WITH_HASH (m, node, uuid_hash(router), &ro->mutations) {
        if (uuid_equals(&m->router, router)) {
            return m;
        }
    }
    m = xzalloc(sizeof *m);
    m->router = *router;
    hmap_insert(&ro->mutations, &m->node, uuid_hash(router));
    return m;
}

static void
txn_start(struct route_owners *ro)
{
    if (!ro->ops) {
        ro->ops = json_array_create_1(json_string_create(NB_DB));
        ro->n_inserts = 0;
    }
}

static struct json *
uuid_json(const char *kind, const char *name)
{
    return json_array_create_2(json_string_create(kind),
                               json_string_create(name));
}

size_t
route_owners_txn_insert(struct route_owners *ro, const struct uuid *router,
                        struct json *row)
{
    txn_start(ro);
    char name[32];
    snprintf(name, sizeof name, "route%"PRIuSIZE, ro->n_inserts);

    struct json *op = json_object_create();
    json_object_put_string(op, "op", "insert");
    json_object_put_string(op, "table", ROUTE_TABLE);
    json_object_put(op, "row", row);
    json_object_put_string(op, "uuid-name", name);
    json_array_add(ro->ops, op);

    struct router_mutation *m = mutation_get(ro, router);
    if (!m->inserts) {
        m->inserts = json_array_create_empty();
    }
    json_array_add(m->inserts, uuid_json("named-uuid", name));
    return ro->n_inserts++;
}

void
route_owners_txn_remove(struct route_owners *ro, const struct uuid *router,
                        const struct uuid *route)
{
    txn_start(ro);
    struct router_mutation *m = mutation_get(ro, router);
    if (!m->removes) {
        m->removes = json_array_create_empty();
    }
    char s[UUID_LEN + 1];
    snprintf(s, sizeof s, UUID_FMT, UUID_ARGS(route));
    json_array_add(m->removes, uuid_json("uuid", s));
}

static struct json *
mutation_json(const char *mutator, struct json *elems)
{
    return json_array_create_3(
        json_string_create(ROUTES_COLUMN), json_string_create(mutator),
        json_array_create_2(json_string_create("set"), elems));
}

static void
txn_discard(struct route_owners *ro)
{
    json_destroy(ro->ops);
    ro->ops = NULL;
    ro->n_inserts = 0;
    struct router_mutation *m;
    HMAP_FOR_EACH_POP (m, node, &ro->mutations) {
        json_destroy(m->inserts);
        json_destroy(m->removes);
        free(m);
    }
}

bool
route_owners_txn_commit(struct route_owners *ro)
{
    if (!ro->ops) {
        return false;
    }
    ovs_assert(!ro->request_id && !ro->done);

    /* Insertions first, so that the reply's first results are theirs. */
    struct router_mutation *m;
    HMAP_FOR_EACH (m, node, &ro->mutations) {
        char s[UUID_LEN + 1];
        snprintf(s, sizeof s, UUID_FMT, UUID_ARGS(&m->router));
        struct json *where = json_array_create_1(json_array_create_3(
            json_string_create("_uuid"), json_string_create("=="),
            uuid_json("uuid", s)));
        struct json *mutations = json_array_create_empty();
        if (m->removes) {
            json_array_add(mutations, mutation_json("delete", m->removes));
            m->removes = NULL;
        }
        if (m->inserts) {
            json_array_add(mutations, mutation_json("insert", m->inserts));
            m->inserts = NULL;
        }
        struct json *op = json_object_create();
        json_object_put_string(op, "op", "mutate");
        json_object_put_string(op, "table", ROUTER_TABLE);
        json_object_put(op, "where", where);
        json_object_put(op, "mutations", mutations);
        json_array_add(ro->ops, op);
    }

    struct json *ops = ro->ops;
    size_t n_inserts = ro->n_inserts;
    ro->ops = NULL;
    txn_discard(ro);
    ro->request_id = ovsdb_cs_send_transaction(ro->cs, ops);
    ro->n_inserts_sent = n_inserts;
    ro->n_txns++;
    if (!ro->request_id) {
        /* Not connected: as if it failed. */
        txn_finish(ro, NULL);
    }
    return true;
}

bool
route_owners_txn_done(const struct route_owners *ro)
{
    return ro->done;
}

bool
route_owners_txn_take_result(struct route_owners *ro, struct uuid **uuids,
                             size_t *n)
{
    bool ok = ro->succeeded;
    *uuids = ro->inserted;
    *n = ro->n_inserted;
    ro->inserted = NULL;
    ro->n_inserted = 0;
    ro->done = false;
    ro->succeeded = false;
    return ok;
}

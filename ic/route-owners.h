/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_OWNERS_H
#define ROUTE_OWNERS_H 1

/* Which router holds each static route: the zone NB's
 * Logical_Router.static_routes, replicated over a session of its own.
 *
 * The OVS IDL re-parses a whole set column whenever one element of it
 * changes: a router with 100,000 static routes costs every client that
 * replicates the column about 100 ms of CPU per route added or removed.
 * So the main NB session leaves that column out, and this session
 * replicates only it, as an index from route UUID to router UUID that
 * each update changes in proportion to the update (OVSDB's update2 and
 * update3 carry a set column's change as the elements that come and go).
 *
 * The session also carries the route step's writes of learned routes: a
 * new NB static route and its router's reference to it must go in one
 * transaction (the route table is not a root table), and the main IDL
 * cannot add an element to a column it does not replicate.  Every update
 * that a transaction causes arrives before its reply (ovsdb-server sends
 * pending updates before any reply), so when a reply arrives the index
 * already shows what the transaction did.
 *
 * The index and the main NB session see a change at different moments.
 * The index is the authority on which router holds a route; the main
 * session on what the route row says.  The changes the index saw since
 * the route step last took them are kept for it, in order. */

#include <stdbool.h>
#include <stddef.h>

#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

struct ds;
struct json;
struct route_owners;

struct route_owners *route_owners_create(const char *nb_remote);
void route_owners_destroy(struct route_owners *);
void route_owners_run(struct route_owners *);
void route_owners_wait(struct route_owners *);
void route_owners_set_probe_interval(struct route_owners *, int ms);
void route_owners_format_status(const struct route_owners *, struct ds *);

/* The one index of this daemon, which the route step reads (the controller
 * creates it with the NB session). */
void route_owners_set_default(struct route_owners *);
struct route_owners *route_owners_default(void);

/* True once the index holds the server's contents, and while it is
 * connected. */
bool route_owners_is_ready(const struct route_owners *);

/* Changes whenever the index changes or a transaction completes. */
unsigned int route_owners_seqno(const struct route_owners *);

/* Lookups. */

/* One (route, router) pair. */
struct owned_route {
    struct hmap_node by_route;          /* In the index, by route UUID. */
    struct hmap_node in_router;         /* In its router's set. */
    struct uuid route;
    struct owned_route_set *router;
};

/* The static routes of one router. */
struct owned_route_set {
    struct hmap_node node;              /* By router UUID. */
    struct uuid router;
    struct hmap routes;                 /* struct owned_route, in_router. */
};

const struct owned_route_set *route_owners_of_router(
    const struct route_owners *, const struct uuid *router);
size_t route_owners_count(const struct route_owners *,
                          const struct uuid *route,
                          const struct uuid **router);

/* Iterates the routes of 'SET', which may be NULL. */
#define ROUTE_OWNED_FOR_EACH(OWNER, SET)                                  \
    HMAP_FOR_EACH (OWNER, in_router,                                      \
                   (SET) ? &(SET)->routes : &route_owned_empty)
extern struct hmap route_owned_empty;

/* Changes since the last take. */
struct route_owner_change {
    struct uuid route;
    struct uuid router;
    bool added;                         /* Else removed. */
};

/* Returns the changes the index saw since the last call, and clears them.
 * '*reset' is true if the index was reloaded from scratch meanwhile (a
 * reconnection that could not resume): then the changes are meaningless
 * and everything must be read again. */
struct route_owner_change *route_owners_take_changes(struct route_owners *,
                                                     size_t *n,
                                                     bool *reset);

/* Transactions: one at a time. */

/* True if a transaction is in flight. */
bool route_owners_txn_in_flight(const struct route_owners *);

/* Adds to the transaction being built an insertion of a Logical_Router_
 * Static_Route with the columns of 'row' (a JSON object, taken), referred
 * to by router 'router'.  Returns the insertion's index among this
 * transaction's insertions. */
size_t route_owners_txn_insert(struct route_owners *,
                               const struct uuid *router, struct json *row);

/* Adds to the transaction being built the removal of 'route' from
 * 'router' (the database then deletes the route row, if nothing else
 * refers to it). */
void route_owners_txn_remove(struct route_owners *,
                             const struct uuid *router,
                             const struct uuid *route);

/* Sends the transaction being built, if it has any operation.  Returns
 * true if it sent one. */
bool route_owners_txn_commit(struct route_owners *);

/* The outcome of the last transaction, once its reply came: true if it
 * succeeded; then '*uuids' (the caller frees it) holds the UUIDs of the
 * insertions, in order, '*n' of them.  Returns false with '*n' 0 if it
 * failed or the session dropped before the reply.  Call only when
 * route_owners_txn_done() is true; clears it. */
bool route_owners_txn_done(const struct route_owners *);
bool route_owners_txn_take_result(struct route_owners *,
                                  struct uuid **uuids, size_t *n);

/* For the unit tests. */
void route_owners_apply_for_test(struct route_owners *,
                                 const char *table_updates, int version,
                                 bool clear);

#endif /* ic/route-owners.h */

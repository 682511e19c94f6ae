/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_LEARN_H
#define ROUTE_LEARN_H 1

/* Learning: what each router would learn, kept in the route state (struct
 * learn_candidate, by NB key, by prefix, by IC-SB route and by the NB row
 * that installs it).  Reads IC-SB Route rows on the transit switches the
 * state's ports are on, and NB static routes; writes NB static routes
 * marked external_ids:ic-learned-route, and Logical_Router.static_routes.
 * The rules on plain values are lib/route-rules.c's. */

#include <stdbool.h>
#include <stddef.h>

struct ic_router;
struct icsbrec_route;
struct learn_candidate;
struct nbrec_logical_router;
struct nbrec_logical_router_static_route;
struct route_prefix;
struct sync_route_state;
struct uuid;

/* A full run: each router's candidates, their overlaps and problems, then
 * links the learned NB routes to them (or deletes them). */
void learn_full(struct sync_route_state *);

/* Writes what the run changed: NB routes to insert, update, delete. */
void learn_write(struct sync_route_state *);

void learn_candidate_free(struct learn_candidate *);
void learned_link_row(struct sync_route_state *,
                      const struct nbrec_logical_router *,
                      const struct nbrec_logical_router_static_route *);
bool route_unlearn(struct sync_route_state *, const struct icsbrec_route *);

/* For the incremental runs.  Those that return bool return false if the
 * change needs a full run, except learn_nb_route_gone(). */
bool learn_route_new(struct sync_route_state *, const struct icsbrec_route *);
bool learn_nb_route_gone(struct sync_route_state *, const struct uuid *);
bool learn_txn_result(struct sync_route_state *, bool ok,
                      const struct uuid *uuids, size_t n);
void learn_route_left(struct sync_route_state *, const struct uuid *);

/* The learned routes in transit (see route_state.in_transit), kept over a
 * full run. */
struct learn_transit;
struct learn_transit *learn_transit_save(const struct sync_route_state *,
                                         size_t *n);
void learn_transit_restore(struct sync_route_state *,
                           struct learn_transit *, size_t n);
bool learn_local_static_new(struct sync_route_state *, struct ic_router *,
                            const struct nbrec_logical_router_static_route *);
bool learn_local_static_gone(struct sync_route_state *, const struct uuid *);
bool learn_router_has_prefix(const struct ic_router *,
                             const struct route_prefix *);

#endif /* ic/route-learn.h */

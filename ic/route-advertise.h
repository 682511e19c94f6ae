/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_ADVERTISE_H
#define ROUTE_ADVERTISE_H 1

/* Advertisement: what this zone wants in IC-SB, kept in the route state
 * (struct adv_route, by IC-SB's unique key, with its sources and the
 * IC-SB row that holds it).  Reads NB static routes, router ports and
 * load balancers through the state's routers, and this zone's IC-SB Route
 * rows; writes IC-SB Route rows of this zone only.  The rules on plain
 * values are lib/route-rules.c's. */

#include <stdbool.h>

struct dyn_prefix;
struct icsbrec_route;
struct ic_router;
struct nbrec_logical_router_static_route;
struct sync_route_state;
struct uuid;

/* A full run: everything the state's routers advertise, then links this
 * zone's IC-SB routes to it (or withdraws them). */
void adv_full(struct sync_route_state *);

/* Writes what the run changed: IC-SB rows to insert, update, delete. */
void adv_write(struct sync_route_state *);

/* For the incremental runs. */
void adv_static(struct sync_route_state *, const struct ic_router *,
                const struct nbrec_logical_router_static_route *);
void adv_link_row(struct sync_route_state *, const struct icsbrec_route *);
bool adv_static_gone(struct sync_route_state *, const struct uuid *);
void adv_dynamic(struct sync_route_state *, const struct ic_router *,
                 struct dyn_prefix *);
bool adv_dynamic_gone(struct sync_route_state *, const struct ic_router *,
                      struct dyn_prefix *);
void adv_row_gone(struct sync_route_state *, const struct icsbrec_route *);

#endif /* ic/route-advertise.h */

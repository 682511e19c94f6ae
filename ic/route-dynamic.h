/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_DYNAMIC_H
#define ROUTE_DYNAMIC_H 1

/* Routes from dynamic routing: the prefixes that SB Learned_Route holds
 * for a router's datapath (OVN 25.03+, where ovn-controller learns them
 * over BGP).  Internal to the route step (see ic/route-state.h). */

#include <stdbool.h>

struct dyn_prefix;
struct ovsdb_idl;
struct ic_router;
struct route_prefix;
struct sbrec_datapath_binding;
struct sbrec_learned_route;
struct sync_route_ctx;
struct sync_route_state;
struct uuid;

void dyn_build(struct sync_route_state *, const struct sync_route_ctx *);
bool dyn_datapath_router(struct ovsdb_idl *,
                         const struct sbrec_datapath_binding *,
                         struct uuid *lr_uuid);
void dyn_router_destroy(struct ic_router *);
void dyn_rows_destroy(struct sync_route_state *);

struct dyn_prefix *dyn_prefix_find(const struct ic_router *,
                                   const struct route_prefix *);

bool dyn_support_changed(const struct sync_route_state *,
                         const struct sync_route_ctx *);
bool dyn_row_new(struct sync_route_state *,
                 const struct sbrec_learned_route *);
bool dyn_row_gone(struct sync_route_state *, const struct uuid *);

#endif /* ic/route-dynamic.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_INCREMENTAL_H
#define ROUTE_INCREMENTAL_H 1

/* The route step's incremental path: it reads the IDL's tracked changes
 * to the tables ic/sync-route.c handles incrementally and updates the
 * route state from them, without writing. */

#include <stdbool.h>

struct sync_route_state;

/* Updates the state of the run under way ('st->ctx') from the tracked
 * changes.  Returns false if they need a full run instead; the state is
 * then to be rebuilt from scratch. */
bool route_incremental_run(struct sync_route_state *);

#endif /* ic/route-incremental.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_OVERLAP_H
#define ROUTE_OVERLAP_H 1

/* Overlaps among a router's learning candidates: a candidate that
 * overlaps a connected network of the router, or a different prefix from
 * another owner, is in conflict (learn_candidate.conflict says why) and
 * reported; it is still learned, as upstream learns it, unless NB_Global
 * options:ic-route-deny-overlap=true refuses it.  One with a local load
 * balancer VIP inside is shadowed.  Reads and writes only the route
 * state. */

#include <stdbool.h>

struct ic_router;
struct learn_candidate;
struct sync_route_state;

/* Full run: marks the candidates of a router that are shadowed or in
 * conflict. */
void overlap_check_candidates(struct ic_router *);

/* Incremental run: true if a new candidate overlaps nothing. */
bool overlap_candidate_is_clear(const struct ic_router *,
                                const struct learn_candidate *);

/* Full run: reports the router's candidates in conflict as problems,
 * saying whether they are learned anyway or refused. */
void overlap_report_conflicts(const struct sync_route_state *,
                              const struct ic_router *);

#endif /* ic/route-overlap.h */

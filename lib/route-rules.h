/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_RULES_H
#define ROUTE_RULES_H 1

/* The rules of route exchange: the decisions of the route step that need
 * no database, taken on plain values.
 *
 *   - Advertising: which static routes and prefixes a transit switch port
 *     advertises, and which of several sources of one advertised route
 *     gives it its external_ids.
 *   - Learning: which IC-SB routes a transit switch port learns, and which
 *     of several IC-SB routes that give one NB route installs it.
 *   - Overlaps: which learnable prefixes are checked for overlaps, which
 *     overlaps are conflicts (reported, and refused only with
 *     ic-route-deny-overlap), and which a local load balancer VIP
 *     shadows.
 *
 * ic/route-advertise.c, ic/route-learn.c and ic/route-overlap.c apply them
 * to rows.  The unit tests are in tests/unit/test-route-rules.c. */

#include <stdbool.h>
#include <stddef.h>

#include "lib/route-filter.h"
#include "openvswitch/uuid.h"

/* Ties.  Where several rows could give one result, the one with the
 * smallest UUID does, so that the choice does not depend on the order in
 * which they were found and does not flip between runs. */
bool route_uuid_wins(const struct uuid *challenger,
                     const struct uuid *holder);

/* Advertising. */

bool route_static_is_advertisable(const char *ip_prefix, const char *nexthop,
                                  const char *policy, bool learned,
                                  struct route_prefix *prefix);
bool route_prefix_is_advertisable(const struct route_prefix *,
                                  bool adv_default,
                                  const struct route_policy *adv);
bool route_adv_nexthop(const struct route_prefix_list *port_addrs,
                       const struct route_prefix *, bool ipv4_over_ipv6,
                       struct in6_addr *nexthop);

/* One of the things that want a route advertised. */
struct route_source {
    struct uuid nb_id;          /* Its NB row: static route, router port or
                                 * load balancer. */
    const char *origin;         /* "static", "connected", "loadbalancer". */
    struct uuid lr_id;          /* The router that advertises it. */
    const char *route_tag;      /* The port's options:ic-route-tag. */
    bool override_connected;    /* options:override-connected. */
};

const struct route_source *route_sources_winner(const struct route_source *,
                                                size_t n);
size_t route_sources_remove(struct route_source *, size_t n,
                            const struct uuid *nb_id);

/* Learning. */

bool route_is_from_router(const char *lr_id, const struct uuid *router,
                          bool from_this_zone);

/* What one transit switch port learns. */
struct route_learn_filter {
    const char *route_table;    /* The port's options:route_table. */
    const char *filter_tag;     /* options:ic-route-filter-tag, or "". */
    const struct route_policy *policy;  /* -learn allow and deny lists. */
    const struct route_prefix_list *networks; /* The router port's. */
    bool learn_default;         /* NB_Global ic-route-learn-default. */
    bool learn_lb;              /* NB_Global ic-route-learn-lb. */
};

/* An IC-SB route as another router offers it. */
struct route_offer {
    const char *ip_prefix;
    const char *nexthop;
    const char *route_table;
    const char *origin;
    const char *route_tag;      /* external_ids:ic-route-tag, or NULL. */
};

bool route_offer_is_learnable(const struct route_learn_filter *,
                              const struct route_offer *,
                              struct route_prefix *prefix,
                              struct in6_addr *nexthop);
bool route_static_hides(const struct route_prefix *local,
                        const struct route_prefix *offer,
                        bool override_connected);

/* Overlaps. */

/* Who advertised a learnable route: its zone and, if it says, its
 * router. */
struct route_owner {
    const void *zone;           /* Compared by identity only. */
    const char *lr_id;          /* external_ids:lr-id, or NULL. */
};

bool route_owner_equals(const struct route_owner *,
                        const struct route_owner *);
bool route_overlap_is_checked(const struct route_prefix *, bool shadowed);
bool route_overlap_is_refused(const struct route_prefix *a,
                              const struct route_owner *owner_a,
                              const struct route_prefix *b,
                              const struct route_owner *owner_b);
bool route_vip_shadows(const struct route_prefix_list *vips,
                       const struct route_prefix *);

#endif /* lib/route-rules.h */

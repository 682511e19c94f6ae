/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* The rules of route exchange, on plain values: what is advertised, what is
 * learned, which row wins a tie, which overlaps are refused. */

#include <config.h>

#include "lib/route-rules.h"

#include <string.h>

#include "uuid.h"

/* Returns true if a row with UUID 'challenger' takes over from the one
 * with UUID 'holder': the smallest UUID wins. */
bool
route_uuid_wins(const struct uuid *challenger, const struct uuid *holder)
{
    return uuid_compare_3way(challenger, holder) < 0;
}

/* Advertising. */

/* Returns true if a static route with these columns is advertised, with
 * its parsed prefix in '*prefix'.  'learned' says whether it carries
 * external_ids:ic-learned-route: learned routes are never passed on, nor
 * are source-IP policy routes, nor routes with a link-local next hop,
 * which makes no sense elsewhere.  A "discard" route is advertised, with
 * this zone as its next hop, as any other. */
bool
route_static_is_advertisable(const char *ip_prefix, const char *nexthop,
                             const char *policy, bool learned,
                             struct route_prefix *prefix)
{
    if (learned || (policy && !strcmp(policy, "src-ip"))) {
        return false;
    }
    if (!route_prefix_parse(ip_prefix, prefix)) {
        return false;
    }
    struct route_prefix nh;
    return !strcmp(nexthop, "discard")
           || (route_prefix_parse(nexthop, &nh)
               && !route_addr_is_lla(&nh.addr));
}

/* Returns true if a port with advertising policy 'adv' advertises
 * 'prefix': not link-local, not a default route unless 'adv_default', and
 * permitted by the policy. */
bool
route_prefix_is_advertisable(const struct route_prefix *prefix,
                             bool adv_default, const struct route_policy *adv)
{
    return (prefix->plen || adv_default)
           && !route_prefix_is_link_local(prefix)
           && route_policy_permits(adv, prefix);
}

/* Returns true if a port with addresses 'port_addrs' has a next hop to
 * advertise 'prefix' with, in '*nexthop': route_select_nexthop()'s, except
 * that with 'ipv4_over_ipv6' (upstream main's router or router port
 * options:ic-route-ipv4-next-hop-ipv6) an IPv4 prefix takes the port's
 * IPv6 address, if it has one that is usable, and its IPv4 address
 * otherwise. */
bool
route_adv_nexthop(const struct route_prefix_list *port_addrs,
                  const struct route_prefix *prefix, bool ipv4_over_ipv6,
                  struct in6_addr *nexthop)
{
    bool ipv4 = route_prefix_is_ipv4(prefix);
    return ((ipv4 && ipv4_over_ipv6
             && route_select_nexthop(port_addrs, false, nexthop))
            || route_select_nexthop(port_addrs, ipv4, nexthop));
}

/* Returns the source among the 'n' (at least one) in 'sources' that gives
 * an advertised route its external_ids. */
const struct route_source *
route_sources_winner(const struct route_source *sources, size_t n)
{
    const struct route_source *best = &sources[0];
    for (size_t i = 1; i < n; i++) {
        if (route_uuid_wins(&sources[i].nb_id, &best->nb_id)) {
            best = &sources[i];
        }
    }
    return best;
}

/* Removes from the 'n' 'sources' those whose NB row is 'nb_id', keeping
 * the others in order.  Returns how many are left. */
size_t
route_sources_remove(struct route_source *sources, size_t n,
                     const struct uuid *nb_id)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!uuid_equals(&sources[i].nb_id, nb_id)) {
            sources[kept++] = sources[i];
        }
    }
    return kept;
}

/* Learning. */

/* Returns true if a route with external_ids:lr-id 'lr_id' (NULL if it has
 * none) comes from router 'router', which never learns its own routes.  A
 * malformed lr-id counts as the router's own, so it is not learned.  Zones
 * that predate lr-id (Debian's 23.03) are learned from only if they are
 * other zones: 'from_this_zone' says whether the route is this zone's. */
bool
route_is_from_router(const char *lr_id, const struct uuid *router,
                     bool from_this_zone)
{
    if (lr_id) {
        struct uuid uuid;
        return !uuid_from_string(&uuid, lr_id) || uuid_equals(&uuid, router);
    }
    return from_this_zone;
}

/* Returns true if a port with filter 'f' learns 'offer', with the parsed
 * prefix and next hop in '*prefix' and '*nexthop'.  The offer must not
 * carry the port's filter tag, must be in the main route table or the
 * port's, must have a next hop inside the port's networks that is not
 * link-local, and a prefix that is not link-local, is a default route
 * only with learn_default, comes from a load balancer only with learn_lb,
 * and passes the port's policy. */
bool
route_offer_is_learnable(const struct route_learn_filter *f,
                         const struct route_offer *offer,
                         struct route_prefix *prefix,
                         struct in6_addr *nexthop)
{
    if (f->filter_tag[0] && offer->route_tag
        && !strcmp(offer->route_tag, f->filter_tag)) {
        return false;
    }
    if (offer->route_table[0]
        && strcmp(offer->route_table, f->route_table)) {
        return false;
    }
    struct route_prefix nh;
    if (!route_prefix_parse(offer->ip_prefix, prefix)
        || !route_prefix_parse(offer->nexthop, &nh)
        || route_addr_is_lla(&nh.addr)) {
        return false;
    }
    *nexthop = nh.addr;
    return !((!prefix->plen && !f->learn_default)
             || (!strcmp(offer->origin, "loadbalancer") && !f->learn_lb)
             || route_prefix_is_link_local(prefix)
             || !route_policy_permits(f->policy, prefix)
             || !route_networks_contain_addr(f->networks, nexthop));
}

/* Returns true if a local static route to 'local' keeps a learnable route
 * to 'offer' in the same route table from being learned: the same network,
 * or, for a route marked override-connected (upstream main's east-west
 * routing, whose setups keep a local and a learned route to one network
 * side by side), the same prefix as written, host bits included, as
 * upstream compares them. */
bool
route_static_hides(const struct route_prefix *local,
                   const struct route_prefix *offer, bool override_connected)
{
    return (override_connected
            ? route_prefix_equals(local, offer)
            : route_prefix_same_network(local, offer));
}

/* Overlaps. */

/* Returns true if 'a' and 'b' are the same owner.  No lr-id and an empty
 * one are the same. */
bool
route_owner_equals(const struct route_owner *a, const struct route_owner *b)
{
    return a->zone == b->zone
           && !strcmp(a->lr_id ? a->lr_id : "", b->lr_id ? b->lr_id : "");
}

/* Returns true if a learnable route to 'prefix' takes part in the overlap
 * checks: default routes overlap everything by design, and a 'shadowed'
 * one is not installed. */
bool
route_overlap_is_checked(const struct route_prefix *prefix, bool shadowed)
{
    return prefix->plen && !shadowed;
}

/* Returns true if learnable routes to 'a' and 'b', one inside the other
 * and both checked, are in conflict: they are different networks from
 * different owners.  Both are reported, and both are refused when
 * NB_Global options:ic-route-deny-overlap is true (upstream learns them).
 * The same network from several owners is ECMP, and one owner's nested
 * prefixes are its own business. */
bool
route_overlap_is_refused(const struct route_prefix *a,
                         const struct route_owner *owner_a,
                         const struct route_prefix *b,
                         const struct route_owner *owner_b)
{
    return !route_prefix_same_network(a, b)
           && !route_owner_equals(owner_a, owner_b);
}

/* Returns true if one of the local load balancer VIPs 'vips' lies inside
 * learnable 'prefix', which is then not learned (as upstream does). */
bool
route_vip_shadows(const struct route_prefix_list *vips,
                  const struct route_prefix *prefix)
{
    for (size_t i = 0; i < vips->n; i++) {
        if (route_prefix_contains(prefix, &vips->prefixes[i])) {
            return true;
        }
    }
    return false;
}

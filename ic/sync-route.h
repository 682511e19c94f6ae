/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_ROUTE_H
#define SYNC_ROUTE_H 1

/* Route exchange over transit switches: advertise and learn.
 *
 * The step is sync_route_step (see ic/steps.def); what it reads and writes
 * is declared with it in ic/sync-route.c.  This header holds what the
 * route files (ic/route-*.c) share with the step's entry point.
 *
 * A "transit switch port" here is a router-type switch port on a transit
 * switch that this zone has published in IC-SB (the port step's job).  Its
 * peer router port gives the router, the route table (options:route_table),
 * the route tag and the filters; its IC-SB address gives the next hop.
 *
 * Advertise (NB_Global options:ic-route-adv): for each transit switch port,
 * the router's static routes (not learned, policy not src-ip, in the port's
 * route table; "discard" routes too), the networks of its router ports that
 * are not on a transit switch (origin "connected", host bits kept, main
 * table) and, with ic-route-adv-lb, its load balancers' VIPs (origin
 * "loadbalancer").  The next hop is the port's first IPv4 address for IPv4
 * prefixes and its first non-link-local IPv6 address for IPv6 ones; a
 * prefix without one is not advertised (upstream invents a link-local next
 * hop that it then rejects, and churns).  Link-local prefixes, /0 without
 * ic-route-adv-default, and prefixes the global deny list
 * (ic-route-denylist, else ic-route-blacklist) or the port's and router's
 * ic-route-deny-adv / ic-route-filter-adv refuse are left out.  Each IC-SB
 * Route carries external_ids nb-id, lr-id and ic-route-tag.  Anything this
 * zone has in IC-SB that is not wanted is withdrawn.
 *
 * Dynamic routing (ic/route-dynamic.c): a router also advertises the
 * prefixes that SB Learned_Route holds for its datapath, as upstream 26.03
 * does, and does not learn them.
 *
 * East-west routing, as upstream main has it, where IC-SB has Route.options
 * (2.6.0): a static route's options:override-connected goes to IC-SB and
 * back into the routes learned from it; a port with a route table also
 * advertises the router's connected networks and dynamic-routing prefixes
 * into it, as "connected" marked override-connected; and a local static
 * route hides a learnable route marked so only if it has the same prefix
 * as written, not merely the same network.  With the router's (or the
 * port's) options:ic-route-ipv4-next-hop-ipv6, IPv4 prefixes take the
 * port's IPv6 address as next hop, where it has a usable one.
 *
 * Learn (ic-route-learn): for each transit switch port, every IC-SB route
 * on the same transit switch from another router (lr-id), or from another
 * zone when it has no lr-id (Debian's 23.03 writes none), in the main table
 * or the port's table, with a next hop inside the port's networks that is
 * not link-local, passing the same kinds of filters (-learn), the
 * ic-route-filter-tag, ic-route-learn-default and ic-route-learn-lb, and
 * not shadowed by a local static route to the same network and table or by
 * a local load balancer VIP.  It becomes an NB static route marked
 * external_ids:ic-learned-route=<IC-SB uuid> with options:origin, one per
 * IC-SB route as upstream's: two IC-SB routes that read the same (one
 * prefix and next hop via two transit switches, or from two zones) give
 * two identical NB routes, which northd merges.
 *
 * Beyond upstream: a learnable prefix that overlaps a connected network of
 * the router, or a different prefix from another owner (zone and router)
 * learned by the same router, is reported as a problem naming both owners.
 * It is learned all the same, as upstream learns it, unless NB_Global
 * options:ic-route-deny-overlap=true, which refuses it.  The same network
 * from several owners is ECMP and no overlap; default routes (/0) are
 * exempt.
 *
 * Cost: a full run indexes the rows once in hash maps, so no part of it is
 * quadratic in the number of routes, but it is linear in all of them.  The
 * state it builds (what is advertised, with its sources and IC-SB rows;
 * each router's candidates, with a prefix index, and their NB rows) is
 * kept between runs, and the runs that follow are incremental: they read
 * the IDL's tracked changes to static routes and IC-SB routes and cost
 * time in proportion to the changes, not to the routes.  Anything else
 * that changed (router ports, options, transit switches, load balancers,
 * a row modified in place) or anything an incremental run cannot settle
 * locally (a new overlap, a conflict going away) makes a full run.  A new
 * static route's router is found by a binary search in the static_routes
 * column of the routers whose set changed.  A static route moved from one
 * router to another changes no static route row; each router's count of
 * static routes must add up with what the run saw come and go, or a full run
 * follows.  One case escapes: a transaction that swaps static route rows
 * between routers, keeping every count (no tool does that; ovn-nbctl creates
 * new rows).  It is settled at the next full run, or by "ovn-appctl
 * engine/recompute".  */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct icsbrec_availability_zone;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct problem_set;
struct route_owners;

/* What the last run found, for metrics. */
struct sync_route_stats {
    size_t advertised;          /* Routes this zone advertises. */
    size_t learned;             /* Routes this zone's routers learn. */
    size_t overlapping;         /* Learnable routes that overlap. */
    size_t refused;             /* Those refused (ic-route-deny-overlap). */
    uint64_t full_runs;         /* Runs that recomputed everything. */
    uint64_t incremental_runs;  /* Runs that handled tracked changes. */
    uint64_t signature_skips;   /* Of those, runs after changes to
                                 * structural tables that left the
                                 * structure as it was. */
};

/* What one run sees, built by the step for the route files. */
struct sync_route_ctx {
    struct sync_route_state *state;
    const struct icsbrec_availability_zone *az;
    struct ovsdb_idl *nb_idl;
    struct ovsdb_idl_txn *nb_txn;
    struct route_owners *owners;        /* Routers of static routes, and
                                         * learned routes' writes. */
    struct ovsdb_idl *sb_idl;           /* Read only. */
    struct ovsdb_idl *icnb_idl;         /* Read only: switches' scopes. */
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
    struct sync_route_stats *stats; /* Output. */
};


#endif /* ic/sync-route.h */

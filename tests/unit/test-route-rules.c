/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of lib/route-rules: what is advertised, what is
 * learned, which row wins a tie, which overlaps are refused. */

#include <config.h>

#include <string.h>

#include "lib/route-rules.h"
#include "openvswitch/dynamic-string.h"
#include "tests/unit/tap.h"
#include "util.h"
#include "uuid.h"

/* Returns the UUID whose last part is 'n'. */
static struct uuid
uuid_n(uint32_t n)
{
    return (struct uuid) { .parts = { 0, 0, 0, n } };
}

/* Makes 'policy' from a port's allow and deny lists. */
static void
policy_from(struct route_policy *policy, const char *allow, const char *deny)
{
    route_policy_init(policy);
    route_policy_add_allow(policy, allow);
    route_policy_add_deny(policy, deny);
}

/* Which static routes are advertised. */
struct static_case {
    const char *ip_prefix, *nexthop, *policy;
    bool learned;
    bool expect;
};

static const struct static_case static_cases[] = {
    { "10.1.0.0/16", "169.254.100.1", NULL, false, true },
    { "10.1.0.0/16", "169.254.100.1", "dst-ip", false, true },
    { "10.1.0.0/16", "169.254.100.1", "src-ip", false, false },
    { "10.1.0.0/16", "169.254.100.1", NULL, true, false },  /* Learned. */
    { "10.1.0.0/16", "discard", NULL, false, true },
    { "2001:db8::/32", "fe80::1", NULL, false, false },     /* LLA hop. */
    { "2001:db8::/32", "2001:db8:ff::1", NULL, false, true },
    { "10.1.0.0/16", "nowhere", NULL, false, false },
    { "10.1.0.0/33", "169.254.100.1", NULL, false, false },
    { "0.0.0.0/0", "169.254.100.1", NULL, false, true },   /* See below. */
};

static void
test_static_advertisable(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(static_cases); i++) {
        const struct static_case *c = &static_cases[i];
        struct route_prefix prefix;
        bool got = route_static_is_advertisable(c->ip_prefix, c->nexthop,
                                                c->policy, c->learned,
                                                &prefix);
        tap_result(got == c->expect, "static advertisable: %s via %s%s%s%s",
                   c->ip_prefix, c->nexthop, c->policy ? " policy " : "",
                   c->policy ? c->policy : "", c->learned ? " learned" : "");
    }
}

/* Which prefixes a port advertises. */
struct adv_prefix_case {
    const char *prefix;
    bool adv_default;
    const char *allow, *deny;
    bool expect;
};

static const struct adv_prefix_case adv_prefix_cases[] = {
    { "10.1.0.0/16", false, NULL, NULL, true },
    { "0.0.0.0/0", false, NULL, NULL, false },
    { "0.0.0.0/0", true, NULL, NULL, true },
    { "::/0", true, NULL, NULL, true },
    { "169.254.10.0/24", false, NULL, NULL, false },        /* Link-local. */
    { "fe80::/64", false, NULL, NULL, false },
    { "10.1.0.0/16", false, "10.0.0.0/8", NULL, true },
    { "10.1.0.0/16", false, "192.168.0.0/16", NULL, false },
    { "10.1.0.0/16", false, "10.0.0.0/8", "10.1.0.0/16", false },
    { "10.2.0.0/16", false, "10.0.0.0/8", "10.1.0.0/16", true },
    { "10.1.0.0/16", false, "bogus", NULL, false },  /* Allow set: none. */
};

static void
test_prefix_advertisable(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(adv_prefix_cases); i++) {
        const struct adv_prefix_case *c = &adv_prefix_cases[i];
        struct route_policy policy;
        struct route_prefix prefix;
        policy_from(&policy, c->allow, c->deny);
        bool ok = route_prefix_parse(c->prefix, &prefix)
                  && route_prefix_is_advertisable(&prefix, c->adv_default,
                                                  &policy) == c->expect;
        tap_result(ok, "prefix advertisable: %s%s allow %s deny %s",
                   c->prefix, c->adv_default ? " (adv-default)" : "",
                   c->allow ? c->allow : "-", c->deny ? c->deny : "-");
        route_policy_destroy(&policy);
    }
}

/* Which next hop a port advertises a prefix with. */
struct nexthop_case {
    const char *port_addrs;
    const char *prefix;
    bool ipv4_over_ipv6;
    const char *expect;         /* NULL: none. */
};

static const struct nexthop_case nexthop_cases[] = {
    { "169.254.100.1/24 2001:db8:1::1/64", "10.1.0.0/16", false,
      "169.254.100.1" },
    { "169.254.100.1/24 2001:db8:1::1/64", "10.1.0.0/16", true,
      "2001:db8:1::1" },
    { "169.254.100.1/24", "10.1.0.0/16", true, "169.254.100.1" },
    { "169.254.100.1/24 fe80::1/64", "10.1.0.0/16", true,
      "169.254.100.1" },                        /* No usable IPv6. */
    { "169.254.100.1/24 2001:db8:1::1/64", "2001:db8:9::/48", true,
      "2001:db8:1::1" },
    { "169.254.100.1/24", "2001:db8:9::/48", false, NULL },
    { "2001:db8:1::1/64", "10.1.0.0/16", false, NULL },
    { "2001:db8:1::1/64", "10.1.0.0/16", true, "2001:db8:1::1" },
};

static void
test_adv_nexthop(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(nexthop_cases); i++) {
        const struct nexthop_case *c = &nexthop_cases[i];
        struct route_prefix_list addrs;
        struct route_prefix prefix;
        struct in6_addr nexthop;
        route_prefix_list_init(&addrs);
        route_prefix_list_parse(&addrs, c->port_addrs);
        bool ok = route_prefix_parse(c->prefix, &prefix);
        if (ok && route_adv_nexthop(&addrs, &prefix, c->ipv4_over_ipv6,
                                    &nexthop)) {
            struct ds s = DS_EMPTY_INITIALIZER;
            route_addr_format(&nexthop, &s);
            ok = c->expect && !strcmp(ds_cstr(&s), c->expect);
            ds_destroy(&s);
        } else {
            ok = ok && !c->expect;
        }
        tap_result(ok, "next hop: %s via %s%s", c->prefix, c->port_addrs,
                   c->ipv4_over_ipv6 ? " (IPv4 over IPv6)" : "");
        route_prefix_list_destroy(&addrs);
    }
}

/* Which source of an advertised route wins, and what is left when one
 * goes.  Sources are given by the last part of their NB UUID. */
struct sources_case {
    uint32_t ids[4];
    size_t n;
    uint32_t winner;
    uint32_t remove;
    size_t n_left;
};

static const struct sources_case sources_cases[] = {
    { { 7 }, 1, 7, 7, 0 },
    { { 7, 3, 9 }, 3, 3, 3, 2 },
    { { 3, 7, 9 }, 3, 3, 5, 3 },
    { { 9, 7, 3 }, 3, 3, 9, 2 },
    { { 5, 5, 2, 5 }, 4, 2, 5, 1 },     /* One source, several ports. */
};

static void
test_sources(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(sources_cases); i++) {
        const struct sources_case *c = &sources_cases[i];
        struct route_source sources[ARRAY_SIZE(c->ids)];
        for (size_t j = 0; j < c->n; j++) {
            sources[j] = (struct route_source) { .nb_id = uuid_n(c->ids[j]) };
        }
        struct uuid winner = uuid_n(c->winner);
        struct uuid gone = uuid_n(c->remove);
        bool ok = uuid_equals(&route_sources_winner(sources, c->n)->nb_id,
                              &winner);
        size_t n_left = route_sources_remove(sources, c->n, &gone);
        ok = ok && n_left == c->n_left;
        for (size_t j = 0; j < n_left; j++) {
            ok = ok && !uuid_equals(&sources[j].nb_id, &gone);
        }
        tap_result(ok, "sources: case %"PRIuSIZE" wins %"PRIu32
                   ", %"PRIuSIZE" left without %"PRIu32,
                   i, c->winner, c->n_left, c->remove);
    }
}

/* Whose routes a router does not learn. */
struct from_router_case {
    const char *lr_id;
    bool from_this_zone;
    bool expect;
};

#define ROUTER_UUID "00000000-0000-0000-0000-00000000000a"

static const struct from_router_case from_router_cases[] = {
    { ROUTER_UUID, false, true },
    { ROUTER_UUID, true, true },
    { "00000000-0000-0000-0000-00000000000b", true, false },
    { "00000000-0000-0000-0000-00000000000b", false, false },
    { "not-a-uuid", false, true },      /* Malformed: not learned. */
    { NULL, true, true },               /* No lr-id (23.03): by zone. */
    { NULL, false, false },
};

static void
test_from_router(void)
{
    struct uuid router;
    uuid_from_string(&router, ROUTER_UUID);
    for (size_t i = 0; i < ARRAY_SIZE(from_router_cases); i++) {
        const struct from_router_case *c = &from_router_cases[i];
        bool got = route_is_from_router(c->lr_id, &router, c->from_this_zone);
        tap_result(got == c->expect, "from router: lr-id %s, %s zone",
                   c->lr_id ? c->lr_id : "(none)",
                   c->from_this_zone ? "this" : "another");
    }
}

/* Which IC-SB routes a port learns.  The port is on 169.254.100.0/24 and
 * 2001:db8:100::/64, in route table "rtb" with filter tag "blue", unless a
 * case says otherwise. */
struct learn_case {
    struct route_offer offer;
    bool learn_default, learn_lb;
    const char *allow, *deny;
    bool expect;
};

#define OFFER(PREFIX, NEXTHOP, TABLE, ORIGIN, TAG) \
    { PREFIX, NEXTHOP, TABLE, ORIGIN, TAG }

static const struct learn_case learn_cases[] = {
    { OFFER("10.2.0.0/16", "169.254.100.2", "", "static", NULL),
      false, false, NULL, NULL, true },
    { OFFER("10.2.0.0/16", "169.254.100.2", "rtb", "static", NULL),
      false, false, NULL, NULL, true },
    { OFFER("10.2.0.0/16", "169.254.100.2", "other", "static", NULL),
      false, false, NULL, NULL, false },
    { OFFER("10.2.0.0/16", "169.254.100.2", "", "static", "blue"),
      false, false, NULL, NULL, false },
    { OFFER("10.2.0.0/16", "169.254.100.2", "", "static", "red"),
      false, false, NULL, NULL, true },
    { OFFER("10.2.0.0/16", "169.254.200.2", "", "static", NULL),
      false, false, NULL, NULL, false },        /* Hop outside the port. */
    { OFFER("2001:db8:2::/48", "2001:db8:100::2", "", "static", NULL),
      false, false, NULL, NULL, true },
    { OFFER("2001:db8:2::/48", "fe80::2", "", "static", NULL),
      false, false, NULL, NULL, false },
    { OFFER("0.0.0.0/0", "169.254.100.2", "", "static", NULL),
      false, false, NULL, NULL, false },
    { OFFER("0.0.0.0/0", "169.254.100.2", "", "static", NULL),
      true, false, NULL, NULL, true },
    { OFFER("10.2.0.10/32", "169.254.100.2", "", "loadbalancer", NULL),
      false, false, NULL, NULL, false },
    { OFFER("10.2.0.10/32", "169.254.100.2", "", "loadbalancer", NULL),
      false, true, NULL, NULL, true },
    { OFFER("169.254.7.0/24", "169.254.100.2", "", "connected", NULL),
      false, false, NULL, NULL, false },
    { OFFER("10.2.0.0/16", "169.254.100.2", "", "static", NULL),
      false, false, "10.0.0.0/8", "10.2.0.0/16", false },
    { OFFER("10.3.0.0/16", "169.254.100.2", "", "static", NULL),
      false, false, "10.0.0.0/8", "10.2.0.0/16", true },
    { OFFER("bogus", "169.254.100.2", "", "static", NULL),
      false, false, NULL, NULL, false },
    { OFFER("10.2.0.0/16", "bogus", "", "static", NULL),
      false, false, NULL, NULL, false },
};

static void
test_learnable(void)
{
    struct route_prefix_list networks;
    route_prefix_list_init(&networks);
    route_prefix_list_parse(&networks,
                            "169.254.100.1/24 2001:db8:100::1/64");
    for (size_t i = 0; i < ARRAY_SIZE(learn_cases); i++) {
        const struct learn_case *c = &learn_cases[i];
        struct route_policy policy;
        policy_from(&policy, c->allow, c->deny);
        const struct route_learn_filter filter = {
            .route_table = "rtb",
            .filter_tag = "blue",
            .policy = &policy,
            .networks = &networks,
            .learn_default = c->learn_default,
            .learn_lb = c->learn_lb,
        };
        struct route_prefix prefix;
        struct in6_addr nexthop;
        bool got = route_offer_is_learnable(&filter, &c->offer, &prefix,
                                            &nexthop);
        bool ok = got == c->expect;
        if (ok && got) {
            /* The parsed next hop is the offer's. */
            struct ds s = DS_EMPTY_INITIALIZER;
            route_addr_format(&nexthop, &s);
            ok = !strcmp(ds_cstr(&s), c->offer.nexthop);
            ds_destroy(&s);
        }
        tap_result(ok, "learnable: %s via %s table \"%s\" %s tag %s "
                   "allow %s deny %s%s%s", c->offer.ip_prefix,
                   c->offer.nexthop, c->offer.route_table, c->offer.origin,
                   c->offer.route_tag ? c->offer.route_tag : "-",
                   c->allow ? c->allow : "-", c->deny ? c->deny : "-",
                   c->learn_default ? " (learn-default)" : "",
                   c->learn_lb ? " (learn-lb)" : "");
        route_policy_destroy(&policy);
    }
    route_prefix_list_destroy(&networks);
}

/* Overlaps between two learnable routes.  Zones are numbers. */
struct overlap_case {
    const char *a;
    int zone_a;
    const char *lr_a;
    const char *b;
    int zone_b;
    const char *lr_b;
    bool refused;
};

static const struct overlap_case overlap_cases[] = {
    { "10.0.0.0/8", 1, NULL, "10.1.0.0/16", 2, NULL, true },
    { "10.0.0.0/8", 1, NULL, "10.1.0.0/16", 1, NULL, false },  /* Owner. */
    { "10.0.0.0/8", 1, "r1", "10.1.0.0/16", 1, "r2", true },
    { "10.0.0.0/8", 1, "r1", "10.1.0.0/16", 1, "r1", false },
    { "10.0.0.0/8", 1, "", "10.1.0.0/16", 1, NULL, false },    /* "" = no. */
    { "10.1.0.0/16", 1, NULL, "10.1.0.0/16", 2, NULL, false }, /* ECMP. */
    { "10.1.0.1/16", 1, NULL, "10.1.0.0/16", 2, NULL, false },
    { "2001:db8::/32", 1, NULL, "2001:db8:1::/48", 2, NULL, true },
};

static void
test_overlaps(void)
{
    /* Zones are compared by identity: any distinct addresses do. */
    static const char zones[3];
    for (size_t i = 0; i < ARRAY_SIZE(overlap_cases); i++) {
        const struct overlap_case *c = &overlap_cases[i];
        struct route_prefix a, b;
        struct route_owner owner_a = { &zones[c->zone_a], c->lr_a };
        struct route_owner owner_b = { &zones[c->zone_b], c->lr_b };
        bool ok = route_prefix_parse(c->a, &a) && route_prefix_parse(c->b, &b)
                  && route_overlap_is_refused(&a, &owner_a, &b, &owner_b)
                     == c->refused
                  && route_overlap_is_refused(&b, &owner_b, &a, &owner_a)
                     == c->refused;
        tap_result(ok, "overlap: %s from %d/%s vs %s from %d/%s",
                   c->a, c->zone_a, c->lr_a ? c->lr_a : "-",
                   c->b, c->zone_b, c->lr_b ? c->lr_b : "-");
    }
}

/* Which learnable routes take part in the overlap checks, and which a
 * local load balancer VIP shadows (VIPs 10.2.0.10 and 2001:db8:2::10). */
struct checked_case {
    const char *prefix;
    bool shadowed;
    bool checked;
    bool vip_inside;
};

static const struct checked_case checked_cases[] = {
    { "10.1.0.0/16", false, true, false },
    { "10.1.0.0/16", true, false, false },
    { "0.0.0.0/0", false, false, true },        /* Defaults are exempt. */
    { "::/0", false, false, true },
    { "10.2.0.0/16", false, true, true },
    { "10.2.0.10/32", false, true, true },
    { "10.2.0.11/32", false, true, false },
    { "2001:db8:2::/64", false, true, true },
    { "2001:db8:3::/64", false, true, false },
};

static void
test_checked_and_shadowed(void)
{
    struct route_prefix_list vips;
    route_prefix_list_init(&vips);
    route_prefix_list_parse(&vips, "10.2.0.10/32 2001:db8:2::10/128");
    for (size_t i = 0; i < ARRAY_SIZE(checked_cases); i++) {
        const struct checked_case *c = &checked_cases[i];
        struct route_prefix p;
        bool ok = route_prefix_parse(c->prefix, &p)
                  && route_overlap_is_checked(&p, c->shadowed) == c->checked
                  && route_vip_shadows(&vips, &p) == c->vip_inside;
        tap_result(ok, "checked and shadowed: %s%s", c->prefix,
                   c->shadowed ? " (shadowed)" : "");
    }
    route_prefix_list_destroy(&vips);
}

/* Which local static routes hide a learnable route in their table. */
struct hides_case {
    const char *local, *offer;
    bool override_connected;
    bool hides;
};

static const struct hides_case hides_cases[] = {
    { "10.1.0.0/24", "10.1.0.0/24", false, true },
    { "10.1.0.0/24", "10.1.0.1/24", false, true },  /* Same network. */
    { "10.1.0.0/24", "10.1.0.0/25", false, false },
    { "10.1.0.0/24", "10.1.0.0/24", true, true },
    { "10.1.0.0/24", "10.1.0.1/24", true, false },  /* Not as written. */
    { "2001:db8::/64", "2001:db8::1/64", false, true },
    { "2001:db8::/64", "2001:db8::1/64", true, false },
    { "2001:db8::/64", "2001:db8::/64", true, true },
};

static void
test_static_hides(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(hides_cases); i++) {
        const struct hides_case *c = &hides_cases[i];
        struct route_prefix local, offer;
        bool ok = route_prefix_parse(c->local, &local)
                  && route_prefix_parse(c->offer, &offer)
                  && route_static_hides(&local, &offer, c->override_connected)
                     == c->hides;
        tap_result(ok, "static hides: %s vs %s%s", c->local, c->offer,
                   c->override_connected ? " (override-connected)" : "");
    }
}

/* Ties between rows. */
static void
test_ties(void)
{
    struct uuid small = uuid_n(1), large = uuid_n(2);
    tap_result(route_uuid_wins(&small, &large), "ties: smaller wins");
    tap_result(!route_uuid_wins(&large, &small), "ties: larger loses");
    tap_result(!route_uuid_wins(&small, &small), "ties: holder keeps");
}

int
main(void)
{
    test_ties();
    test_static_advertisable();
    test_prefix_advertisable();
    test_adv_nexthop();
    test_sources();
    test_from_router();
    test_learnable();
    test_static_hides();
    test_overlaps();
    test_checked_and_shadowed();
    return tap_done();
}

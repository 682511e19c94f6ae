/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Fuzz target: lib/route-rules, what decides whether a route another zone
 * offers in IC-SB is learned, whether a local route is advertised, and
 * with which next hop.
 *
 * Input: up to eleven fields, one per line (see fuzz-util.h):
 *   1-5. the offer, as IC-SB Route has it: ip_prefix, nexthop,
 *        route_table, origin, external_ids:ic-route-tag (an empty field
 *        is an unset tag);
 *   6.   the learning port's options:ic-route-filter-tag;
 *   7.   the learning port's options:route_table;
 *   8.   its learn allow list (an option value);
 *   9.   the port's networks, as the router port has them, one list;
 *   10.  external_ids:lr-id of the offer;
 *   11.  a static route's policy;
 * and the first byte's bits pick the booleans. */

#include <config.h>

#include <string.h>

#include "lib/route-filter.h"
#include "lib/route-rules.h"
#include "tests/fuzz/fuzz-util.h"
#include "util.h"
#include "uuid.h"

static void
check_learn(const struct fuzz_fields *ff, uint8_t bits,
            const struct route_prefix_list *networks)
{
    struct route_policy policy;
    route_policy_init(&policy);
    route_policy_add_allow(&policy, ff->f[7][0] ? ff->f[7] : NULL);

    const struct route_learn_filter filter = {
        .route_table = ff->f[6],
        .filter_tag = ff->f[5],
        .policy = &policy,
        .networks = networks,
        .learn_default = bits & 1,
        .learn_lb = bits & 2,
    };
    const struct route_offer offer = {
        .ip_prefix = ff->f[0],
        .nexthop = ff->f[1],
        .route_table = ff->f[2],
        .origin = ff->f[3],
        .route_tag = ff->f[4][0] ? ff->f[4] : NULL,
    };
    struct route_prefix prefix;
    struct in6_addr nexthop;
    if (route_offer_is_learnable(&filter, &offer, &prefix, &nexthop)) {
        struct route_prefix p2;
        FUZZ_ASSERT(route_prefix_parse(offer.ip_prefix, &p2));
        FUZZ_ASSERT(route_prefix_equals(&prefix, &p2));
        FUZZ_ASSERT(prefix.plen || filter.learn_default);
        FUZZ_ASSERT(!route_prefix_is_link_local(&prefix));
        FUZZ_ASSERT(!route_addr_is_lla(&nexthop));
        FUZZ_ASSERT(route_policy_permits(&policy, &prefix));
        FUZZ_ASSERT(route_networks_contain_addr(networks, &nexthop));
        FUZZ_ASSERT(!offer.route_table[0]
                    || !strcmp(offer.route_table, filter.route_table));

        /* A local static route of the same prefix hides it. */
        FUZZ_ASSERT(route_static_hides(&prefix, &prefix, bits & 4));
    }
    route_policy_destroy(&policy);
}

static void
check_advertise(const struct fuzz_fields *ff, uint8_t bits,
                const struct route_prefix_list *networks)
{
    struct route_prefix prefix;
    bool learned = bits & 8;
    const char *policy = ff->f[10][0] ? ff->f[10] : NULL;
    if (!route_static_is_advertisable(ff->f[0], ff->f[1], policy, learned,
                                      &prefix)) {
        return;
    }
    FUZZ_ASSERT(!learned);
    FUZZ_ASSERT(prefix.plen <= (route_prefix_is_ipv4(&prefix) ? 32 : 128));

    /* An IPv6 prefix is never advertised with an IPv4 next hop. */
    struct in6_addr nexthop;
    if (route_adv_nexthop(networks, &prefix, bits & 16, &nexthop)) {
        FUZZ_ASSERT(route_prefix_is_ipv4(&prefix)
                    || !route_addr_is_ipv4(&nexthop));
        FUZZ_ASSERT(!route_addr_is_lla(&nexthop));
    }

    struct route_policy adv;
    route_policy_init(&adv);
    route_policy_add_deny(&adv, ff->f[7]);
    if (route_prefix_is_advertisable(&prefix, bits & 1, &adv)) {
        FUZZ_ASSERT(!route_prefix_is_link_local(&prefix));
        FUZZ_ASSERT(!route_prefix_list_covers(&adv.deny, &prefix));
    }
    route_policy_destroy(&adv);
}

static void
check_owner(const struct fuzz_fields *ff, uint8_t bits)
{
    struct uuid router;
    uuid_zero(&router);
    router.parts[0] = bits;
    const char *lr_id = ff->f[9][0] ? ff->f[9] : NULL;
    bool from = route_is_from_router(lr_id, &router, bits & 32);
    struct uuid parsed;
    if (lr_id && uuid_from_string(&parsed, lr_id)
        && uuid_equals(&parsed, &router)) {
        FUZZ_ASSERT(from);
    }
    if (!lr_id) {
        FUZZ_ASSERT(from == !!(bits & 32));
    }

    /* Overlap between two prefixes of other zones' routes. */
    struct route_prefix a, b;
    if (route_prefix_parse(ff->f[0], &a) && route_prefix_parse(ff->f[1], &b)) {
        int zone_a, zone_b;
        struct route_owner oa = { &zone_a, lr_id };
        struct route_owner ob = { bits & 64 ? &zone_a : &zone_b, ff->f[2] };
        bool refused = route_overlap_is_refused(&a, &oa, &b, &ob);
        FUZZ_ASSERT(refused == route_overlap_is_refused(&b, &ob, &a, &oa));
        FUZZ_ASSERT(!route_overlap_is_refused(&a, &oa, &a, &oa));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) {
        return 0;
    }
    uint8_t bits = data[0];
    struct fuzz_fields ff;
    fuzz_fields_init(&ff, data + 1, size - 1, 11);

    struct route_prefix_list networks;
    route_prefix_list_init(&networks);
    route_prefix_list_parse(&networks, ff.f[8]);

    check_learn(&ff, bits, &networks);
    check_advertise(&ff, bits, &networks);
    check_owner(&ff, bits);

    route_prefix_list_destroy(&networks);
    fuzz_fields_destroy(&ff);
    return 0;
}

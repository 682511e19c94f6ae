/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Fuzz target: lib/route-filter, the parsers of addresses, prefixes,
 * prefix lists (IC-SB routes, ports' networks, the allow and deny lists of
 * option values), load balancer VIPs, and the prefix index.
 *
 * Input: five fields, one per line (see fuzz-util.h):
 *   1. an address or prefix (a route's ip_prefix or nexthop);
 *   2. a prefix list, as an option value: the allow list, and the
 *      entries of a prefix index;
 *   3. another prefix list: the deny list;
 *   4. a port address, "MAC ADDR/LEN...";
 *   5. a load balancer VIP key.
 * Besides not crashing: what parses formats back to itself, a list counts
 * every entry, a policy does what its header says, and the index finds
 * exactly what a scan of its entries finds. */

#include <config.h>

#include <string.h>

#include "lib/route-filter.h"
#include "openvswitch/dynamic-string.h"
#include "tests/fuzz/fuzz-util.h"
#include "util.h"

/* Index entries beyond this many are left out, to keep each run short. */
#define MAX_ENTRIES 64

static void
check_addr(const char *s)
{
    struct in6_addr a, b;
    if (!route_addr_parse(s, &a)) {
        return;
    }
    struct ds out = DS_EMPTY_INITIALIZER;
    route_addr_format(&a, &out);
    FUZZ_ASSERT(route_addr_parse(ds_cstr(&out), &b));
    FUZZ_ASSERT(!memcmp(&a, &b, sizeof a));
    ds_destroy(&out);
}

static void
check_prefix(const struct route_prefix *p)
{
    FUZZ_ASSERT(p->plen <= (route_prefix_is_ipv4(p) ? 32 : 128));

    struct ds out = DS_EMPTY_INITIALIZER;
    struct route_prefix q;
    route_prefix_format(p, &out);
    FUZZ_ASSERT(route_prefix_parse(ds_cstr(&out), &q));
    FUZZ_ASSERT(route_prefix_equals(p, &q));
    FUZZ_ASSERT(route_prefix_hash(p, 0) == route_prefix_hash(&q, 0));
    ds_destroy(&out);

    /* A prefix contains itself, its network and its own address. */
    struct route_prefix net = { .plen = p->plen };
    route_prefix_network(p, &net.addr);
    FUZZ_ASSERT(route_prefix_contains(p, p));
    FUZZ_ASSERT(route_prefix_contains(p, &net));
    FUZZ_ASSERT(route_prefix_contains(&net, p));
    FUZZ_ASSERT(route_prefix_same_network(p, &net));
    FUZZ_ASSERT(route_prefix_contains_addr(p, &p->addr));
    FUZZ_ASSERT(route_prefixes_overlap(p, &net));
}

struct found {
    bool hit[MAX_ENTRIES];
    unsigned int last_plen;
    bool ordered;
};

static bool
found_cb(const struct prefix_index_entry *e, void *found_)
{
    struct found *found = found_;
    uintptr_t i = (uintptr_t) e->data;
    FUZZ_ASSERT(i < MAX_ENTRIES && !found->hit[i]);
    found->hit[i] = true;
    if (e->prefix.plen < found->last_plen) {
        found->ordered = false;
    }
    found->last_plen = e->prefix.plen;
    return true;
}

/* Checks the index of the prefixes of 'list' against a scan of them, for
 * the query 'q'. */
static void
check_index(const struct route_prefix_list *list, const struct route_prefix *q)
{
    size_t n = MIN(list->n, MAX_ENTRIES);
    struct prefix_index idx;
    prefix_index_init(&idx);
    for (size_t i = 0; i < n; i++) {
        prefix_index_insert(&idx, &list->prefixes[i], (void *) (uintptr_t) i);
    }
    FUZZ_ASSERT(prefix_index_count(&idx) == n);

    if (q) {
        struct found covering = { .ordered = true };
        prefix_index_for_each_covering(&idx, q, found_cb, &covering);
        FUZZ_ASSERT(covering.ordered);
        struct found inside = { .ordered = true };
        prefix_index_for_each_inside(&idx, q, found_cb, &inside);
        for (size_t i = 0; i < n; i++) {
            const struct route_prefix *e = &list->prefixes[i];
            FUZZ_ASSERT(covering.hit[i] == route_prefix_contains(e, q));
            FUZZ_ASSERT(inside.hit[i] == route_prefix_contains(q, e));
        }
    }

    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(prefix_index_remove(&idx, &list->prefixes[i],
                                        (void *) (uintptr_t) i));
    }
    FUZZ_ASSERT(!prefix_index_count(&idx));
    if (n) {
        FUZZ_ASSERT(!prefix_index_remove(&idx, &list->prefixes[0],
                                         (void *) (uintptr_t) 0));
    }
    prefix_index_destroy(&idx);
}

static void
check_list(const char *s, struct route_prefix_list *list)
{
    size_t n_bad = route_prefix_list_parse(list, s);
    FUZZ_ASSERT(list->n + n_bad == list->n_tokens);
    for (size_t i = 0; i < list->n; i++) {
        check_prefix(&list->prefixes[i]);
    }
}

static void
check_policy(const char *allow, const char *deny, const struct route_prefix *q)
{
    struct route_policy policy;
    route_policy_init(&policy);
    route_policy_add_allow(&policy, allow[0] ? allow : NULL);
    route_policy_add_deny(&policy, deny);
    bool permits = route_policy_permits(&policy, q);
    if (route_prefix_list_covers(&policy.deny, q)) {
        FUZZ_ASSERT(!permits);
    } else if (!policy.allow.n_tokens) {
        FUZZ_ASSERT(permits);
    } else {
        FUZZ_ASSERT(permits == route_prefix_list_covers(&policy.allow, q));
    }
    route_policy_destroy(&policy);
}

static void
check_port_address(const char *s)
{
    struct route_prefix_list networks;
    route_prefix_list_init(&networks);
    if (route_port_networks_parse(s, &networks)) {
        struct in6_addr hop;
        for (int ipv4 = 0; ipv4 < 2; ipv4++) {
            if (route_select_nexthop(&networks, ipv4, &hop)) {
                FUZZ_ASSERT(route_addr_is_ipv4(&hop) == ipv4);
                FUZZ_ASSERT(!route_addr_is_lla(&hop));
                FUZZ_ASSERT(route_networks_contain_addr(&networks, &hop));
            }
        }
    }
    route_prefix_list_destroy(&networks);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_fields ff;
    fuzz_fields_init(&ff, data, size, 5);

    check_addr(ff.f[0]);
    struct route_prefix q;
    bool have_q = route_prefix_parse(ff.f[0], &q);
    if (have_q) {
        check_prefix(&q);
    }

    struct route_prefix_list list;
    route_prefix_list_init(&list);
    check_list(ff.f[1], &list);
    check_index(&list, have_q ? &q : NULL);
    if (have_q) {
        check_policy(ff.f[1], ff.f[2], &q);
    }
    route_prefix_list_destroy(&list);

    check_port_address(ff.f[3]);

    struct in6_addr vip;
    if (route_lb_vip_parse(ff.f[4], &vip)) {
        struct ds out = DS_EMPTY_INITIALIZER;
        struct in6_addr again;
        route_addr_format(&vip, &out);
        FUZZ_ASSERT(route_lb_vip_parse(ds_cstr(&out), &again));
        FUZZ_ASSERT(!memcmp(&vip, &again, sizeof vip));
        ds_destroy(&out);
    }

    fuzz_fields_destroy(&ff);
    return 0;
}

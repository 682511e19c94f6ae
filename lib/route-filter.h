/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_FILTER_H
#define ROUTE_FILTER_H 1

/* Prefix policy for route exchange: with lib/route-rules, the pure part
 * of the route step (ic/sync-route.c and ic/route-*.c).
 *
 * A prefix is an IPv4 or IPv6 address with a length.  IPv4 is held as a
 * v4-mapped IPv6 address, with its length counted in IPv4 bits (0..32).  A
 * prefix keeps the host bits it was written with ("192.168.1.1/24" stays
 * so), because that is how OVN writes connected routes into IC-SB; where
 * two prefixes are compared as networks, the host bits are masked off.
 *
 * Nothing here talks to a database.  The unit tests are in
 * tests/unit/test-route-filter.c. */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/hmap.h"

struct skiplist;

struct ds;
struct smap;

struct route_prefix {
    struct in6_addr addr;       /* As written, host bits kept. */
    unsigned int plen;          /* 0..32 for IPv4, 0..128 for IPv6. */
};

/* Addresses. */
bool route_addr_parse(const char *, struct in6_addr *);
bool route_addr_is_ipv4(const struct in6_addr *);
bool route_addr_is_lla(const struct in6_addr *);
void route_addr_format(const struct in6_addr *, struct ds *);

/* Prefixes. */
bool route_prefix_parse(const char *, struct route_prefix *);
bool route_prefix_is_ipv4(const struct route_prefix *);
void route_prefix_format(const struct route_prefix *, struct ds *);
void route_prefix_network(const struct route_prefix *, struct in6_addr *);
bool route_prefix_same_network(const struct route_prefix *,
                               const struct route_prefix *);
bool route_prefix_contains(const struct route_prefix *outer,
                           const struct route_prefix *inner);
bool route_prefix_contains_addr(const struct route_prefix *,
                                const struct in6_addr *);
bool route_prefixes_overlap(const struct route_prefix *,
                            const struct route_prefix *);
bool route_prefix_is_link_local(const struct route_prefix *);
uint32_t route_prefix_hash(const struct route_prefix *, uint32_t basis);
bool route_prefix_equals(const struct route_prefix *,
                         const struct route_prefix *);

/* A list of prefixes, e.g. a comma-separated option value. */
struct route_prefix_list {
    struct route_prefix *prefixes;
    size_t n;
    size_t allocated;
    size_t n_tokens;            /* Entries seen, including invalid ones. */
};

void route_prefix_list_init(struct route_prefix_list *);
void route_prefix_list_destroy(struct route_prefix_list *);
void route_prefix_list_add(struct route_prefix_list *,
                           const struct route_prefix *);
size_t route_prefix_list_parse(struct route_prefix_list *, const char *);
bool route_prefix_list_covers(const struct route_prefix_list *,
                              const struct route_prefix *);
bool route_port_networks_parse(const char *address,
                               struct route_prefix_list *);
bool route_select_nexthop(const struct route_prefix_list *networks,
                          bool ipv4, struct in6_addr *nexthop);
bool route_networks_contain_addr(const struct route_prefix_list *,
                                 const struct in6_addr *);
bool route_lb_vip_parse(const char *vip_key, struct in6_addr *vip);

/* Allow and deny lists for one direction (advertise or learn) of one
 * transit switch port. */
struct route_policy {
    struct route_prefix_list allow; /* Only these pass, if configured. */
    struct route_prefix_list deny;  /* These never pass. */
};

void route_policy_init(struct route_policy *);
void route_policy_destroy(struct route_policy *);
void route_policy_add_allow(struct route_policy *, const char *list);
void route_policy_add_deny(struct route_policy *, const char *list);
bool route_policy_permits(const struct route_policy *,
                          const struct route_prefix *);
const char *route_global_denylist(const struct smap *nb_options);

/* An index of prefixes by network.  It finds every indexed prefix that
 * covers a given one in time proportional to the number of distinct prefix
 * lengths indexed, and every indexed prefix inside a given one in time
 * logarithmic in the number of prefixes plus the number found; neither
 * grows linearly with the number of prefixes.  Several entries may have
 * the same prefix; an entry is identified by its prefix and 'data'. */
struct prefix_index {
    struct hmap entries;        /* Contains "struct prefix_index_entry"s. */
    struct skiplist *by_network; /* The same entries, by network. */
    size_t n_plen[2][129];      /* [is_ipv4][plen]: entries with it. */
};

struct prefix_index_entry {
    struct hmap_node node;
    struct route_prefix prefix; /* As given. */
    struct in6_addr network;    /* Host bits masked off. */
    void *data;
};

void prefix_index_init(struct prefix_index *);
void prefix_index_destroy(struct prefix_index *);
void prefix_index_insert(struct prefix_index *, const struct route_prefix *,
                         void *data);
bool prefix_index_remove(struct prefix_index *, const struct route_prefix *,
                         const void *data);
size_t prefix_index_count(const struct prefix_index *);

/* Calls 'cb' for every entry whose network contains 'prefix' (equal
 * networks included), shortest first; stops early if 'cb' returns false. */
void prefix_index_for_each_covering(
    const struct prefix_index *, const struct route_prefix *,
    bool (*cb)(const struct prefix_index_entry *, void *aux), void *aux);

/* Calls 'cb' for every entry whose network lies inside 'prefix' (equal
 * networks included), in address order; stops early if 'cb' returns
 * false. */
void prefix_index_for_each_inside(
    const struct prefix_index *, const struct route_prefix *,
    bool (*cb)(const struct prefix_index_entry *, void *aux), void *aux);

#endif /* lib/route-filter.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/route-filter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "skiplist.h"
#include "smap.h"
#include "util.h"

/* Addresses. */

static bool
addr_is_v4mapped(const struct in6_addr *a)
{
    static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };
    return !memcmp(a->s6_addr, prefix, sizeof prefix);
}

/* Parses 's', an IPv4 or IPv6 address without a length, into 'addr' (IPv4
 * as v4-mapped).  Returns false if 's' is not an address. */
bool
route_addr_parse(const char *s, struct in6_addr *addr)
{
    struct in_addr v4;
    if (strchr(s, ':')) {
        return inet_pton(AF_INET6, s, addr) == 1;
    } else if (inet_pton(AF_INET, s, &v4) == 1) {
        memset(addr, 0, sizeof *addr);
        addr->s6_addr[10] = addr->s6_addr[11] = 0xff;
        memcpy(&addr->s6_addr[12], &v4, 4);
        return true;
    }
    return false;
}

bool
route_addr_is_ipv4(const struct in6_addr *a)
{
    return addr_is_v4mapped(a);
}

/* Returns true if 'a' is a link-local next hop as upstream tells them:
 * an IPv6 address in fe80::/64, the prefix of the addresses routers make
 * up from their MAC.  Upstream neither advertises nor learns routes via
 * one.  The rest of fe80::/10 (fe80:10::2, say) is an ordinary next hop
 * there, and upstream's tests number transit switch ports so; prefixes
 * use all of fe80::/10 (route_prefix_is_link_local()).  IPv4 addresses
 * never are: 169.254/16 next hops are ordinary on transit switches. */
bool
route_addr_is_lla(const struct in6_addr *a)
{
    static const uint8_t fe80_64[8] = { 0xfe, 0x80 };
    return !addr_is_v4mapped(a)
           && !memcmp(a->s6_addr, fe80_64, sizeof fe80_64);
}

/* Appends 'a' to 's' in canonical form: dotted quad for IPv4, RFC 5952
 * for IPv6. */
void
route_addr_format(const struct in6_addr *a, struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    if (addr_is_v4mapped(a)) {
        inet_ntop(AF_INET, &a->s6_addr[12], buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, a, buf, sizeof buf);
    }
    ds_put_cstr(s, buf);
}

/* Prefixes. */

static unsigned int
max_plen(const struct in6_addr *a)
{
    return addr_is_v4mapped(a) ? 32 : 128;
}

/* Returns 'a' with every bit past the first 'bits' cleared. */
static struct in6_addr
mask_bits(const struct in6_addr *a, unsigned int bits)
{
    struct in6_addr m = *a;
    for (unsigned int i = 0; i < 16; i++) {
        if (bits >= 8) {
            bits -= 8;
        } else {
            m.s6_addr[i] &= (uint8_t) (0xff00 >> bits);
            bits = 0;
        }
    }
    return m;
}

/* Returns 'a' with every bit past 'plen' (in the family's own bits)
 * cleared. */
static struct in6_addr
mask_addr(const struct in6_addr *a, unsigned int plen)
{
    return mask_bits(a, addr_is_v4mapped(a) ? plen + 96 : plen);
}

/* Parses 's', "ADDR/LEN" or a bare "ADDR" (a host prefix), into 'p'.
 * Host bits are kept.  Returns false if 's' is not a prefix. */
bool
route_prefix_parse(const char *s, struct route_prefix *p)
{
    char buf[INET6_ADDRSTRLEN + 8];
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t) (slash - s) : strlen(s);
    if (!len || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!route_addr_parse(buf, &p->addr)) {
        return false;
    }
    unsigned int max = max_plen(&p->addr);
    if (!slash) {
        p->plen = max;
        return true;
    }
    const char *digits = slash + 1;
    if (!*digits || strlen(digits) > 3) {
        return false;
    }
    for (const char *c = digits; *c; c++) {
        if (!isdigit((unsigned char) *c)) {
            return false;
        }
    }
    p->plen = atoi(digits);
    return p->plen <= max;
}

bool
route_prefix_is_ipv4(const struct route_prefix *p)
{
    return addr_is_v4mapped(&p->addr);
}

/* Appends 'p' to 's' as "ADDR/LEN", canonical, host bits kept. */
void
route_prefix_format(const struct route_prefix *p, struct ds *s)
{
    route_addr_format(&p->addr, s);
    ds_put_format(s, "/%u", p->plen);
}

void
route_prefix_network(const struct route_prefix *p, struct in6_addr *network)
{
    *network = mask_addr(&p->addr, p->plen);
}

bool
route_prefix_same_network(const struct route_prefix *a,
                          const struct route_prefix *b)
{
    if (a->plen != b->plen
        || route_prefix_is_ipv4(a) != route_prefix_is_ipv4(b)) {
        return false;
    }
    struct in6_addr na = mask_addr(&a->addr, a->plen);
    struct in6_addr nb = mask_addr(&b->addr, b->plen);
    return !memcmp(&na, &nb, sizeof na);
}

/* Returns true if every address of 'inner' is in 'outer'. */
bool
route_prefix_contains(const struct route_prefix *outer,
                      const struct route_prefix *inner)
{
    if (route_prefix_is_ipv4(outer) != route_prefix_is_ipv4(inner)
        || outer->plen > inner->plen) {
        return false;
    }
    struct in6_addr a = mask_addr(&outer->addr, outer->plen);
    struct in6_addr b = mask_addr(&inner->addr, outer->plen);
    return !memcmp(&a, &b, sizeof a);
}

bool
route_prefix_contains_addr(const struct route_prefix *p,
                           const struct in6_addr *addr)
{
    struct route_prefix host = { *addr, max_plen(addr) };
    return route_prefix_contains(p, &host);
}

bool
route_prefixes_overlap(const struct route_prefix *a,
                       const struct route_prefix *b)
{
    return route_prefix_contains(a, b) || route_prefix_contains(b, a);
}

/* Returns true if 'p' lies within 169.254.0.0/16 or fe80::/10. */
bool
route_prefix_is_link_local(const struct route_prefix *p)
{
    const uint8_t *a = p->addr.s6_addr;
    if (route_prefix_is_ipv4(p)) {
        return p->plen >= 16 && a[12] == 169 && a[13] == 254;
    }
    return p->plen >= 10 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* Hash and equality of prefixes as written (host bits count). */
uint32_t
route_prefix_hash(const struct route_prefix *p, uint32_t basis)
{
    return hash_int(p->plen, hash_bytes(&p->addr, sizeof p->addr, basis));
}

bool
route_prefix_equals(const struct route_prefix *a,
                    const struct route_prefix *b)
{
    return a->plen == b->plen && !memcmp(&a->addr, &b->addr, sizeof a->addr);
}

/* Prefix lists. */

void
route_prefix_list_init(struct route_prefix_list *l)
{
    memset(l, 0, sizeof *l);
}

void
route_prefix_list_destroy(struct route_prefix_list *l)
{
    if (l) {
        free(l->prefixes);
        memset(l, 0, sizeof *l);
    }
}

void
route_prefix_list_add(struct route_prefix_list *l,
                      const struct route_prefix *p)
{
    if (l->n >= l->allocated) {
        l->prefixes = x2nrealloc(l->prefixes, &l->allocated,
                                 sizeof *l->prefixes);
    }
    l->prefixes[l->n++] = *p;
    l->n_tokens++;
}

/* Adds the prefixes of 'list', separated by commas and/or white space, to
 * 'l'.  Invalid entries are skipped but still counted in 'n_tokens'.
 * Returns the number of invalid entries. */
size_t
route_prefix_list_parse(struct route_prefix_list *l, const char *list)
{
    size_t n_bad = 0;
    char *copy = xstrdup(list ? list : "");
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", \t\n", &save); tok;
         tok = strtok_r(NULL, ", \t\n", &save)) {
        struct route_prefix p;
        if (route_prefix_parse(tok, &p)) {
            route_prefix_list_add(l, &p);
        } else {
            l->n_tokens++;
            n_bad++;
        }
    }
    free(copy);
    return n_bad;
}

/* Returns true if some prefix in 'l' contains 'p'. */
bool
route_prefix_list_covers(const struct route_prefix_list *l,
                         const struct route_prefix *p)
{
    for (size_t i = 0; i < l->n; i++) {
        if (route_prefix_contains(&l->prefixes[i], p)) {
            return true;
        }
    }
    return false;
}

/* Parses a port's address as IC-SB Port_Binding.address and SB
 * Port_Binding.mac hold it, "MAC ADDR/LEN ADDR/LEN...", into the networks
 * 'l' (which the caller initialized).  Returns false if the address has no
 * MAC or a network is invalid. */
bool
route_port_networks_parse(const char *address, struct route_prefix_list *l)
{
    char *copy = xstrdup(address ? address : "");
    char *save = NULL;
    char *tok = strtok_r(copy, " ", &save);
    bool ok = tok && strlen(tok) == 17 && tok[2] == ':';
    if (ok) {
        while ((tok = strtok_r(NULL, " ", &save))) {
            struct route_prefix p;
            if (!route_prefix_parse(tok, &p)) {
                ok = false;
                break;
            }
            route_prefix_list_add(l, &p);
        }
    }
    free(copy);
    return ok;
}

/* Picks the next hop a zone advertises its routes with on a transit switch
 * port with 'networks': the port's first IPv4 address for an IPv4 prefix
 * ('ipv4'), its first IPv6 address that is not a link-local next hop
 * (route_addr_is_lla()) for an IPv6 prefix.  A link-local next hop would
 * be refused by every zone that learns, so a route without a usable next
 * hop is not advertised at all (upstream takes the first IPv6 address,
 * or makes one up from the MAC, and then deletes what it advertised and
 * advertises it again, forever).  Returns false if there is none. */
bool
route_select_nexthop(const struct route_prefix_list *networks, bool ipv4,
                     struct in6_addr *nexthop)
{
    for (size_t i = 0; i < networks->n; i++) {
        const struct in6_addr *a = &networks->prefixes[i].addr;
        if (route_addr_is_ipv4(a) == ipv4 && !route_addr_is_lla(a)) {
            *nexthop = *a;
            return true;
        }
    }
    return false;
}

/* Returns true if 'addr' is inside one of 'networks'. */
bool
route_networks_contain_addr(const struct route_prefix_list *networks,
                            const struct in6_addr *addr)
{
    for (size_t i = 0; i < networks->n; i++) {
        if (route_prefix_contains_addr(&networks->prefixes[i], addr)) {
            return true;
        }
    }
    return false;
}

/* Parses the address of a load balancer's VIP key, "ADDR", "ADDR:PORT",
 * "[ADDR6]" or "[ADDR6]:PORT", into 'vip'.  Returns false if invalid. */
bool
route_lb_vip_parse(const char *vip_key, struct in6_addr *vip)
{
    char buf[INET6_ADDRSTRLEN + 8];
    const char *start = vip_key;
    size_t len;
    if (*start == '[') {
        const char *end = strchr(++start, ']');
        if (!end || (end[1] && end[1] != ':')) {
            return false;
        }
        len = end - start;
    } else {
        const char *colon = strchr(start, ':');
        if (colon && strchr(colon + 1, ':')) {
            len = strlen(start);            /* A bare IPv6 address. */
        } else {
            len = colon ? (size_t) (colon - start) : strlen(start);
        }
    }
    if (!len || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, start, len);
    buf[len] = '\0';
    return route_addr_parse(buf, vip);
}

/* Policies. */

void
route_policy_init(struct route_policy *p)
{
    route_prefix_list_init(&p->allow);
    route_prefix_list_init(&p->deny);
}

void
route_policy_destroy(struct route_policy *p)
{
    if (p) {
        route_prefix_list_destroy(&p->allow);
        route_prefix_list_destroy(&p->deny);
    }
}

void
route_policy_add_allow(struct route_policy *p, const char *list)
{
    if (list) {
        route_prefix_list_parse(&p->allow, list);
    }
}

void
route_policy_add_deny(struct route_policy *p, const char *list)
{
    if (list) {
        route_prefix_list_parse(&p->deny, list);
    }
}

/* Returns true if 'prefix' passes 'p': no deny entry contains it and, if an
 * allow list is configured (even one whose entries are all invalid), one of
 * its entries contains it.  Deny beats allow. */
bool
route_policy_permits(const struct route_policy *p,
                     const struct route_prefix *prefix)
{
    if (route_prefix_list_covers(&p->deny, prefix)) {
        return false;
    }
    return !p->allow.n_tokens || route_prefix_list_covers(&p->allow, prefix);
}

/* Returns the global deny list of NB_Global 'nb_options':
 * "ic-route-denylist", or the older "ic-route-blacklist" if the former is
 * unset or empty; NULL if neither is set. */
const char *
route_global_denylist(const struct smap *nb_options)
{
    const char *list = smap_get(nb_options, "ic-route-denylist");
    if (!list || !list[0]) {
        list = smap_get(nb_options, "ic-route-blacklist");
    }
    return list && list[0] ? list : NULL;
}

/* Prefix index. */

static uint32_t
network_hash(const struct in6_addr *network, unsigned int plen)
{
    return hash_int(plen, hash_bytes(network, sizeof *network, 0));
}

/* Orders entries by family, network, length and then 'data', so that
 * every entry has its own place and the entries inside a prefix are
 * contiguous. */
static int
prefix_index_entry_cmp(const void *a_, const void *b_,
                       const void *conf OVS_UNUSED)
{
    const struct prefix_index_entry *a = a_, *b = b_;
    int cmp = memcmp(&a->network, &b->network, sizeof a->network);
    if (cmp) {
        return cmp;
    }
    if (a->prefix.plen != b->prefix.plen) {
        return a->prefix.plen < b->prefix.plen ? -1 : 1;
    }
    uintptr_t da = (uintptr_t) a->data, db = (uintptr_t) b->data;
    return da < db ? -1 : da > db;
}

void
prefix_index_init(struct prefix_index *idx)
{
    hmap_init(&idx->entries);
    idx->by_network = skiplist_create(prefix_index_entry_cmp, NULL);
    memset(idx->n_plen, 0, sizeof idx->n_plen);
}

void
prefix_index_destroy(struct prefix_index *idx)
{
    if (idx) {
        skiplist_destroy(idx->by_network, NULL);
        struct prefix_index_entry *e;
        HMAP_FOR_EACH_POP (e, node, &idx->entries) {
            free(e);
        }
        hmap_destroy(&idx->entries);
    }
}

void
prefix_index_insert(struct prefix_index *idx, const struct route_prefix *p,
                    void *data)
{
    struct prefix_index_entry *e = xmalloc(sizeof *e);
    e->prefix = *p;
    e->network = mask_addr(&p->addr, p->plen);
    e->data = data;
    hmap_insert(&idx->entries, &e->node, network_hash(&e->network, p->plen));
    skiplist_insert(idx->by_network, e);
    idx->n_plen[route_prefix_is_ipv4(p)][p->plen]++;
}

/* Removes the entry for 'p' and 'data'.  Returns false if there is none. */
bool
prefix_index_remove(struct prefix_index *idx, const struct route_prefix *p,
                    const void *data)
{
    struct in6_addr network = mask_addr(&p->addr, p->plen);
    struct prefix_index_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, network_hash(&network, p->plen),
                             &idx->entries) {
        if (e->data == data && route_prefix_equals(&e->prefix, p)) {
            skiplist_delete(idx->by_network, e);
            hmap_remove(&idx->entries, &e->node);
            idx->n_plen[route_prefix_is_ipv4(p)][p->plen]--;
            free(e);
            return true;
        }
    }
    return false;
}

size_t
prefix_index_count(const struct prefix_index *idx)
{
    return hmap_count(&idx->entries);
}

void
prefix_index_for_each_covering(
    const struct prefix_index *idx, const struct route_prefix *p,
    bool (*cb)(const struct prefix_index_entry *, void *aux), void *aux)
{
    bool ipv4 = route_prefix_is_ipv4(p);
    for (unsigned int len = 0; len <= p->plen; len++) {
        if (!idx->n_plen[ipv4][len]) {
            continue;
        }
        struct in6_addr network = mask_addr(&p->addr, len);
        const struct prefix_index_entry *e;
        HMAP_FOR_EACH_WITH_HASH (e, node, network_hash(&network, len),
                                 &idx->entries) {
            if (e->prefix.plen == len
                && route_prefix_is_ipv4(&e->prefix) == ipv4
                && !memcmp(&e->network, &network, sizeof network)
                && !cb(e, aux)) {
                return;
            }
        }
    }
}

void
prefix_index_for_each_inside(
    const struct prefix_index *idx, const struct route_prefix *p,
    bool (*cb)(const struct prefix_index_entry *, void *aux), void *aux)
{
    bool ipv4 = route_prefix_is_ipv4(p);
    unsigned int bits = ipv4 ? p->plen + 96 : p->plen;
    struct prefix_index_entry first = {
        .prefix = { .plen = 0 },
        .network = mask_bits(&p->addr, bits),
        .data = NULL,
    };

    /* The entries inside 'p' are contiguous, from its network on: stop at
     * the first whose network, masked to 'p''s length, is not 'p''s.  IPv4
     * entries lie in the IPv6 space (v4-mapped) and are skipped for IPv6
     * queries, and vice versa. */
    struct skiplist_node *node = skiplist_forward_to(idx->by_network, &first);
    for (; node; node = skiplist_next(node)) {
        const struct prefix_index_entry *e = skiplist_get_data(node);
        struct in6_addr masked = mask_bits(&e->network, bits);
        if (memcmp(&masked, &first.network, sizeof masked)) {
            return;
        }
        if (route_prefix_is_ipv4(&e->prefix) == ipv4
            && e->prefix.plen >= p->plen && !cb(e, aux)) {
            return;
        }
    }
}

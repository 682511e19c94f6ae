/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of lib/route-filter. */

#include <config.h>

#include <string.h>

#include "lib/route-filter.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "tests/unit/tap.h"
#include "util.h"

/* Parsing and canonical formatting; NULL 'expect' means invalid. */
struct parse_case {
    const char *in;
    const char *expect;
};

static const struct parse_case parse_cases[] = {
    { "192.168.1.0/24", "192.168.1.0/24" },
    { "192.168.1.1/24", "192.168.1.1/24" },     /* Host bits kept. */
    { "10.0.0.1", "10.0.0.1/32" },
    { "0.0.0.0/0", "0.0.0.0/0" },
    { "2001:DB8:0:0::1/64", "2001:db8::1/64" },
    { "2001:db8::", "2001:db8::/128" },
    { "::/0", "::/0" },
    { "10.0.0.0/33", NULL },
    { "2001:db8::/129", NULL },
    { "10.0.0.0/", NULL },
    { "10.0.0.0/8x", NULL },
    { "10.0.0/8", NULL },
    { "/8", NULL },
    { "", NULL },
    { "discard", NULL },
    { "10.0.0.0/-1", NULL },
};

static void
test_parse(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct route_prefix p;
        bool ok = route_prefix_parse(c->in, &p);
        bool pass;
        if (!c->expect) {
            pass = !ok;
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            if (ok) {
                route_prefix_format(&p, &s);
            }
            pass = ok && !strcmp(ds_cstr(&s), c->expect);
            if (!pass) {
                printf("# %s: got %s\n", c->in, ok ? ds_cstr(&s) : "error");
            }
            ds_destroy(&s);
        }
        tap_result(pass, "parse: \"%s\"", c->in);
    }
}

/* Relations between two prefixes. */
struct relation_case {
    const char *a, *b;
    bool a_contains_b;
    bool overlap;
    bool same_network;
};

static const struct relation_case relation_cases[] = {
    { "10.0.0.0/8", "10.1.0.0/16", true, true, false },
    { "10.1.0.0/16", "10.0.0.0/8", false, true, false },
    { "10.0.0.0/8", "11.0.0.0/8", false, false, false },
    { "192.168.1.1/24", "192.168.1.0/24", true, true, true },
    { "192.168.1.1/24", "192.168.1.77/32", true, true, false },
    { "0.0.0.0/0", "1.2.3.4/32", true, true, false },
    { "10.0.0.0/8", "::a00:0/104", false, false, false },  /* Families. */
    { "::/0", "10.0.0.0/8", false, false, false },
    { "2001:db8::/32", "2001:db8:1::/48", true, true, false },
    { "2001:db8:1::/48", "2001:db8:2::/48", false, false, false },
    { "2001:db8:1::1/64", "2001:db8:1::/64", true, true, true },
    { "192.168.0.0/23", "192.168.1.1/24", true, true, false },
    { "192.168.0.0/23", "192.168.2.1/24", false, false, false },
};

static void
test_relations(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(relation_cases); i++) {
        const struct relation_case *c = &relation_cases[i];
        struct route_prefix a, b;
        bool ok = route_prefix_parse(c->a, &a) && route_prefix_parse(c->b, &b)
                  && route_prefix_contains(&a, &b) == c->a_contains_b
                  && route_prefixes_overlap(&a, &b) == c->overlap
                  && route_prefixes_overlap(&b, &a) == c->overlap
                  && route_prefix_same_network(&a, &b) == c->same_network;
        tap_result(ok, "relation: %s vs %s", c->a, c->b);
    }
}

struct link_local_case {
    const char *prefix;
    bool link_local;
};

static const struct link_local_case link_local_cases[] = {
    { "169.254.0.0/16", true },
    { "169.254.100.0/24", true },
    { "169.254.100.1/24", true },
    { "169.0.0.0/8", false },
    { "169.255.0.0/16", false },
    { "fe80::/10", true },
    { "fe80::1/64", true },
    { "febf::/16", true },
    { "fec0::/10", false },
    { "fe00::/8", false },
    { "2001:db8::/32", false },
    { "0.0.0.0/0", false },
};

static void
test_link_local(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(link_local_cases); i++) {
        const struct link_local_case *c = &link_local_cases[i];
        struct route_prefix p;
        bool ok = route_prefix_parse(c->prefix, &p)
                  && route_prefix_is_link_local(&p) == c->link_local;
        tap_result(ok, "link-local prefix: %s", c->prefix);
    }
    struct in6_addr a;
    tap_result(route_addr_parse("fe80::1", &a) && route_addr_is_lla(&a),
               "link-local next hop: fe80::1");
    tap_result(route_addr_parse("169.254.100.1", &a) && !route_addr_is_lla(&a),
               "link-local next hop: IPv4 169.254 is an ordinary next hop");
    tap_result(route_addr_parse("2001:db8::1", &a) && !route_addr_is_lla(&a),
               "link-local next hop: global IPv6 is not");
    tap_result(route_addr_parse("fe80::a8aa:aaff:feaa:aa01", &a)
               && route_addr_is_lla(&a),
               "link-local next hop: one made up from a MAC");
    /* Upstream's tests number transit ports in fe80:10::/64. */
    tap_result(route_addr_parse("fe80:10::2", &a) && !route_addr_is_lla(&a),
               "link-local next hop: fe80:10::2 is an ordinary one");
    tap_result(route_addr_parse("febf::1", &a) && !route_addr_is_lla(&a),
               "link-local next hop: febf::1 is an ordinary one");
}

/* Allow and deny lists.  'allow'/'deny' NULL means unset. */
struct policy_case {
    const char *name;
    const char *allow;
    const char *deny;
    const char *prefix;
    bool permitted;
};

static const struct policy_case policy_cases[] = {
    { "no lists", NULL, NULL, "10.0.0.0/8", true },
    { "allowed", "10.0.0.0/8", NULL, "10.1.0.0/16", true },
    { "not in allow list", "10.0.0.0/8", NULL, "11.0.0.0/16", false },
    { "shorter than entry", "10.1.0.0/16", NULL, "10.0.0.0/8", false },
    { "several entries", "192.168.0.0/16, 10.0.0.0/8", NULL, "10.2.0.0/16",
      true },
    { "invalid entry ignored", "bogus,10.0.0.0/8", NULL, "10.2.0.0/16",
      true },
    { "only invalid entries allow nothing", "bogus", NULL, "10.2.0.0/16",
      false },
    { "denied", NULL, "10.0.0.0/8", "10.1.0.0/16", false },
    { "deny beats allow", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", false },
    { "allow and not denied", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16",
      true },
    { "deny host bits of entry ignored", NULL, "10.1.2.3/16", "10.1.9.0/24",
      false },
    /* 23.03 matched any IPv6 prefix at least as long as any IPv6 entry. */
    { "IPv6 deny only covers its own range", NULL, "2001:db8:11::/48",
      "2001:db8:1::/64", true },
    { "IPv6 deny covers", NULL, "2001:db8:11::/48", "2001:db8:11:5::/64",
      false },
    { "IPv6 deny of other family", NULL, "10.0.0.0/8", "2001:db8::/64",
      true },
    { "IPv4 deny by IPv6 entry", NULL, "::/0", "10.0.0.0/8", true },
    { "IPv6 allow", "2001:db8::/32", NULL, "2001:db9::/48", false },
};

static void
test_policy(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(policy_cases); i++) {
        const struct policy_case *c = &policy_cases[i];
        struct route_policy p;
        route_policy_init(&p);
        route_policy_add_allow(&p, c->allow);
        route_policy_add_deny(&p, c->deny);
        struct route_prefix prefix;
        bool ok = route_prefix_parse(c->prefix, &prefix)
                  && route_policy_permits(&p, &prefix) == c->permitted;
        tap_result(ok, "policy: %s", c->name);
        route_policy_destroy(&p);
    }
}

struct denylist_case {
    const char *name;
    const char *denylist, *blacklist;
    const char *expect;
};

static const struct denylist_case denylist_cases[] = {
    { "neither", NULL, NULL, NULL },
    { "denylist", "10.0.0.0/8", NULL, "10.0.0.0/8" },
    { "blacklist fallback", NULL, "11.0.0.0/8", "11.0.0.0/8" },
    { "denylist wins", "10.0.0.0/8", "11.0.0.0/8", "10.0.0.0/8" },
    { "empty denylist falls back", "", "11.0.0.0/8", "11.0.0.0/8" },
};

static void
test_denylist_keys(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(denylist_cases); i++) {
        const struct denylist_case *c = &denylist_cases[i];
        struct smap o = SMAP_INITIALIZER(&o);
        if (c->denylist) {
            smap_add(&o, "ic-route-denylist", c->denylist);
        }
        if (c->blacklist) {
            smap_add(&o, "ic-route-blacklist", c->blacklist);
        }
        const char *got = route_global_denylist(&o);
        tap_result(c->expect ? got && !strcmp(got, c->expect) : !got,
                   "global deny list: %s", c->name);
        smap_destroy(&o);
    }
}

/* Next hop selection from a port address; NULL 'v4'/'v6' means none. */
struct nexthop_case {
    const char *address;
    bool valid;
    const char *v4, *v6;
};

static const struct nexthop_case nexthop_cases[] = {
    { "aa:aa:aa:aa:aa:01 169.254.100.1/24", true, "169.254.100.1", NULL },
    { "aa:aa:aa:aa:aa:01 169.254.100.1/24 2001:db8:100::1/64", true,
      "169.254.100.1", "2001:db8:100::1" },
    { "aa:aa:aa:aa:aa:01 2001:db8:100::1/64 10.0.0.1/24 10.0.0.2/24", true,
      "10.0.0.1", "2001:db8:100::1" },
    /* A link-local IPv6 next hop would be refused by every learner. */
    { "aa:aa:aa:aa:aa:01 10.0.0.1/24 fe80::1/64", true, "10.0.0.1", NULL },
    { "aa:aa:aa:aa:aa:01 fe80::1/64 2001:db8::5/64", true, NULL,
      "2001:db8::5" },
    /* As upstream: outside fe80::/64, fe80::/10 is an ordinary next hop. */
    { "aa:aa:aa:aa:ab:02 169.254.101.2/24 fe80:10::2/64", true,
      "169.254.101.2", "fe80:10::2" },
    { "aa:aa:aa:aa:aa:01", true, NULL, NULL },
    { "", false, NULL, NULL },
    { "10.0.0.1/24", false, NULL, NULL },
    { "aa:aa:aa:aa:aa:01 bogus", false, NULL, NULL },
};

static bool
check_nexthop(const struct route_prefix_list *l, bool ipv4, const char *want)
{
    struct in6_addr nh;
    bool found = route_select_nexthop(l, ipv4, &nh);
    if (!want) {
        return !found;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    if (found) {
        route_addr_format(&nh, &s);
    }
    bool ok = found && !strcmp(ds_cstr(&s), want);
    ds_destroy(&s);
    return ok;
}

static void
test_nexthop(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(nexthop_cases); i++) {
        const struct nexthop_case *c = &nexthop_cases[i];
        struct route_prefix_list l;
        route_prefix_list_init(&l);
        bool valid = route_port_networks_parse(c->address, &l);
        bool ok = valid == c->valid
                  && (!valid || (check_nexthop(&l, true, c->v4)
                                 && check_nexthop(&l, false, c->v6)));
        tap_result(ok, "next hop: \"%s\"", c->address);
        route_prefix_list_destroy(&l);
    }

    struct route_prefix_list l;
    route_prefix_list_init(&l);
    route_prefix_list_parse(&l, "169.254.100.1/24,2001:db8:100::1/64");
    struct in6_addr a, b, c;
    route_addr_parse("169.254.100.7", &a);
    route_addr_parse("169.254.101.7", &b);
    route_addr_parse("2001:db8:100::99", &c);
    tap_result(route_networks_contain_addr(&l, &a)
               && !route_networks_contain_addr(&l, &b)
               && route_networks_contain_addr(&l, &c),
               "next hop inside the transit port's subnets");
    route_prefix_list_destroy(&l);
}

struct vip_case {
    const char *key;
    const char *expect;
};

static const struct vip_case vip_cases[] = {
    { "10.0.0.5", "10.0.0.5" },
    { "10.0.0.5:80", "10.0.0.5" },
    { "[2001:db8::5]:80", "2001:db8::5" },
    { "[2001:db8::5]", "2001:db8::5" },
    { "2001:db8::5", "2001:db8::5" },
    { "[2001:db8::5", NULL },
    { "bogus:80", NULL },
    { "", NULL },
};

static void
test_lb_vips(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(vip_cases); i++) {
        const struct vip_case *c = &vip_cases[i];
        struct in6_addr vip;
        bool ok = route_lb_vip_parse(c->key, &vip);
        if (c->expect && ok) {
            struct ds s = DS_EMPTY_INITIALIZER;
            route_addr_format(&vip, &s);
            ok = !strcmp(ds_cstr(&s), c->expect);
            ds_destroy(&s);
        } else {
            ok = ok == !!c->expect;
        }
        tap_result(ok, "load balancer VIP: \"%s\"", c->key);
    }
}

/* Overlap detection through the prefix index: the entries covering a
 * query, as a space-separated list in the order the index yields them. */
struct covering_case {
    const char *query;
    const char *expect;
};

static const char *index_entries[] = {
    "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.0.5/16", "10.1.2.0/24",
    "192.168.1.1/24", "2001:db8::/32", "2001:db8:1::1/64",
};

static const struct covering_case covering_cases[] = {
    { "10.1.2.0/24", "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.0.5/16 "
                     "10.1.2.0/24" },
    { "10.1.3.0/24", "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.0.5/16" },
    { "10.0.0.0/8", "0.0.0.0/0 10.0.0.0/8" },
    { "11.0.0.0/8", "0.0.0.0/0" },
    { "192.168.1.200/32", "0.0.0.0/0 192.168.1.1/24" },
    { "192.168.0.0/16", "0.0.0.0/0" },
    { "2001:db8:1::/48", "2001:db8::/32" },
    { "2001:db8:1::77/128", "2001:db8::/32 2001:db8:1::1/64" },
    { "2001:db9::/32", "" },
};

/* The entries inside a query, in address order. */
static const struct covering_case inside_cases[] = {
    { "10.0.0.0/8", "10.0.0.0/8 10.1.0.0/16 10.1.0.5/16 10.1.2.0/24" },
    { "10.1.0.0/16", "10.1.0.0/16 10.1.0.5/16 10.1.2.0/24" },
    { "10.1.2.0/23", "10.1.2.0/24" },
    { "10.1.3.0/24", "" },
    { "0.0.0.0/0", "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.0.5/16 "
                   "10.1.2.0/24 192.168.1.1/24" },
    { "192.168.0.0/16", "192.168.1.1/24" },
    { "192.168.1.7/32", "" },
    { "::/0", "2001:db8::/32 2001:db8:1::1/64" },
    { "2001:db8::/31", "2001:db8::/32 2001:db8:1::1/64" },
    { "2001:db8:1::/48", "2001:db8:1::1/64" },
    { "4000::/2", "" },
};

static bool
collect_entry(const struct prefix_index_entry *e, void *s_)
{
    struct ds *s = s_;
    if (s->length) {
        ds_put_char(s, ' ');
    }
    ds_put_cstr(s, e->data);
    return true;
}

/* Runs 'lookup' for each of the 'n' cases and checks what it yields. */
static void
check_index_cases(const struct prefix_index *idx,
                  const struct covering_case *cases, size_t n,
                  void (*lookup)(const struct prefix_index *,
                                 const struct route_prefix *,
                                 bool (*)(const struct prefix_index_entry *,
                                          void *),
                                 void *),
                  const char *name)
{
    for (size_t i = 0; i < n; i++) {
        const struct covering_case *c = &cases[i];
        struct route_prefix q;
        struct ds s = DS_EMPTY_INITIALIZER;
        bool ok = route_prefix_parse(c->query, &q);
        if (ok) {
            lookup(idx, &q, collect_entry, &s);
            ok = !strcmp(ds_cstr(&s), c->expect);
            if (!ok) {
                printf("# %s: got [%s]\n", c->query, ds_cstr(&s));
            }
        }
        tap_result(ok, "prefix index: %s %s", name, c->query);
        ds_destroy(&s);
    }
}

static void
test_prefix_index(void)
{
    struct prefix_index idx;
    prefix_index_init(&idx);
    for (size_t i = 0; i < ARRAY_SIZE(index_entries); i++) {
        struct route_prefix p;
        route_prefix_parse(index_entries[i], &p);
        prefix_index_insert(&idx, &p, CONST_CAST(char *, index_entries[i]));
    }
    tap_result(prefix_index_count(&idx) == ARRAY_SIZE(index_entries),
               "prefix index: counts entries");
    check_index_cases(&idx, covering_cases, ARRAY_SIZE(covering_cases),
                      prefix_index_for_each_covering, "covering");
    check_index_cases(&idx, inside_cases, ARRAY_SIZE(inside_cases),
                      prefix_index_for_each_inside, "inside");

    /* Removal takes the entry out of both lookups, and only that entry. */
    struct route_prefix p;
    route_prefix_parse("10.1.0.0/16", &p);
    bool removed = prefix_index_remove(&idx, &p, "not the data");
    removed = !removed && prefix_index_remove(&idx, &p, index_entries[2]);
    struct ds covering = DS_EMPTY_INITIALIZER, inside = DS_EMPTY_INITIALIZER;
    route_prefix_parse("10.1.2.0/24", &p);
    prefix_index_for_each_covering(&idx, &p, collect_entry, &covering);
    route_prefix_parse("10.0.0.0/8", &p);
    prefix_index_for_each_inside(&idx, &p, collect_entry, &inside);
    tap_result(removed
               && prefix_index_count(&idx) == ARRAY_SIZE(index_entries) - 1
               && !strcmp(ds_cstr(&covering), "0.0.0.0/0 10.0.0.0/8 "
                          "10.1.0.5/16 10.1.2.0/24")
               && !strcmp(ds_cstr(&inside), "10.0.0.0/8 10.1.0.5/16 "
                          "10.1.2.0/24"),
               "prefix index: remove");
    ds_destroy(&covering);
    ds_destroy(&inside);
    prefix_index_destroy(&idx);
}

static bool
count_entry(const struct prefix_index_entry *e OVS_UNUSED, void *n_)
{
    size_t *n = n_;
    (*n)++;
    return true;
}

/* The index answers 12,000 lookups among 12,000 prefixes without a
 * quadratic scan (a regression guard, not a benchmark). */
static void
test_prefix_index_scale(void)
{
    struct prefix_index idx;
    prefix_index_init(&idx);
    enum { N = 12000 };
    struct route_prefix *ps = xmalloc(N * sizeof *ps);
    for (int i = 0; i < N; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "10.%d.%d.0/24", i / 256, i % 256);
        route_prefix_parse(buf, &ps[i]);
        prefix_index_insert(&idx, &ps[i], &ps[i]);
    }
    size_t hits = 0;
    for (int i = 0; i < N; i++) {
        prefix_index_for_each_covering(&idx, &ps[i], count_entry, &hits);
    }
    tap_result(hits == N, "prefix index: 12000 distinct /24s cover only "
               "themselves");
    hits = 0;
    for (int i = 0; i < N; i++) {
        prefix_index_for_each_inside(&idx, &ps[i], count_entry, &hits);
    }
    tap_result(hits == N, "prefix index: 12000 distinct /24s hold only "
               "themselves");
    for (int i = 0; i < N; i += 2) {
        prefix_index_remove(&idx, &ps[i], &ps[i]);
    }
    struct route_prefix all;
    route_prefix_parse("10.0.0.0/8", &all);
    hits = 0;
    prefix_index_for_each_inside(&idx, &all, count_entry, &hits);
    tap_result(hits == N / 2 && prefix_index_count(&idx) == N / 2,
               "prefix index: half removed, half left");
    free(ps);
    prefix_index_destroy(&idx);
}

int
main(void)
{
    test_parse();
    test_relations();
    test_link_local();
    test_policy();
    test_denylist_keys();
    test_nexthop();
    test_lb_vips();
    test_prefix_index();
    test_prefix_index_scale();
    return tap_done();
}

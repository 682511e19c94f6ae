/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Fuzz target: lib/remote-input, the checks that every IC-SB row another
 * zone wrote passes before this zone copies any of it.
 *
 * Input: fields, one per line (see fuzz-util.h): two strings A and B, a
 * third C, then options "KEY=VALUE", one a line.  Every check runs on
 * them: names, a port address, an encapsulation (type A, IP B) and its
 * options, a route (prefix A, next hop B), an options column, a health
 * check (port A, backend B, source C) and the name a refused row is listed
 * under; the first 24 bytes also make a tunnel key and its range, and a
 * monitor's port and protocol.  Besides not crashing, whatever a check
 * accepts must be what the rest of the daemon can parse, the way the
 * check's header says. */

#include <config.h>

#include <ctype.h>
#include <string.h>

#include "lib/remote-input.h"
#include "lib/route-filter.h"
#include "smap.h"
#include "tests/fuzz/fuzz-util.h"
#include "util.h"
#include "uuid.h"

static void
check_name(const char *s)
{
    if (!remote_input_check_name(s)) {
        size_t len = strlen(s);
        FUZZ_ASSERT(len && len <= REMOTE_NAME_MAX);
        for (size_t i = 0; i < len; i++) {
            FUZZ_ASSERT(!iscntrl((unsigned char) s[i]));
        }
    }
}

/* An accepted port address is what the route step parses as a port's
 * networks: a MAC, then one network per remaining field. */
static void
check_port_address(const char *s)
{
    if (remote_input_check_port_address(s)
        || !s[0] || !strcmp(s, "unknown")) {
        return;
    }
    FUZZ_ASSERT(strlen(s) <= REMOTE_ADDRESS_MAX);

    size_t n_spaces = 0;
    for (const char *p = s; *p; p++) {
        n_spaces += *p == ' ';
    }
    struct route_prefix_list networks;
    route_prefix_list_init(&networks);
    FUZZ_ASSERT(route_port_networks_parse(s, &networks));
    FUZZ_ASSERT(networks.n == n_spaces);

    /* Each network is of the family it is written in. */
    const char *field = strchr(s, ' ');
    for (size_t i = 0; i < networks.n; i++) {
        FUZZ_ASSERT(field);
        field++;
        const char *next = strchr(field, ' ');
        size_t len = next ? (size_t) (next - field) : strlen(field);
        bool colon = memchr(field, ':', len) != NULL;
        FUZZ_ASSERT(route_prefix_is_ipv4(&networks.prefixes[i]) == !colon);
        field = next;
    }
    route_prefix_list_destroy(&networks);
}

static void
check_encap(const char *type, const char *ip)
{
    if (!remote_input_check_encap(type, ip)) {
        struct in6_addr addr;
        FUZZ_ASSERT(!strcmp(type, "geneve") || !strcmp(type, "vxlan")
                    || !strcmp(type, "stt"));
        FUZZ_ASSERT(route_addr_parse(ip, &addr));
    }
}

/* An accepted route parses, its families fit, and each of its two
 * addresses is of the family it is written in: the daemon writes a learned
 * route back in canonical form, which must mean what the other zone
 * wrote. */
static void
check_route(const char *ip_prefix, const char *nexthop)
{
    if (remote_input_check_route(ip_prefix, nexthop)) {
        return;
    }
    struct route_prefix prefix, hop;
    FUZZ_ASSERT(route_prefix_parse(ip_prefix, &prefix));
    FUZZ_ASSERT(route_prefix_parse(nexthop, &hop));
    FUZZ_ASSERT(route_prefix_is_ipv4(&prefix) || !route_prefix_is_ipv4(&hop));
    FUZZ_ASSERT(route_prefix_is_ipv4(&prefix) == !strchr(ip_prefix, ':'));
    FUZZ_ASSERT(route_prefix_is_ipv4(&hop) == !strchr(nexthop, ':'));
}

static void
check_tunnel_key(const uint8_t *data, size_t size)
{
    int64_t v[3] = { 0, 0, 0 };
    memcpy(v, data, MIN(size, sizeof v));
    bool in = v[0] >= v[1] && v[0] <= v[2];
    FUZZ_ASSERT(!remote_input_check_tunnel_key(v[0], v[1], v[2]) == in);
}

static void
check_row_name(const char *name)
{
    struct uuid uuid;
    uuid_zero(&uuid);
    uuid.parts[0] = strlen(name);
    char *row = remote_input_row_name(name, "Port_Binding", &uuid);
    FUZZ_ASSERT(!remote_input_check_name(row));
    FUZZ_ASSERT(!strcmp(row, name) == !remote_input_check_name(name));
    free(row);
}

/* Every option of a column that remote_input_check_options() accepts is
 * within its limits. */
static void
check_options(const struct smap *options)
{
    if (remote_input_check_options(options)) {
        return;
    }
    FUZZ_ASSERT(smap_count(options) <= REMOTE_OPTIONS_MAX);
    const struct smap_node *node;
    SMAP_FOR_EACH (node, options) {
        check_name(node->key);
        FUZZ_ASSERT(!remote_input_check_name(node->key));
        FUZZ_ASSERT(strlen(node->value) <= REMOTE_NAME_MAX);
        for (const char *p = node->value; *p; p++) {
            FUZZ_ASSERT(!iscntrl((unsigned char) *p));
        }
    }
}

/* Returns true if 's' is a decimal integer in 'min'..'max'. */
static bool
is_int_in(const char *s, long long int min, long long int max)
{
    size_t len = strlen(s);
    if (!len || len > 18 || strspn(s, "0123456789") != len) {
        return false;
    }
    long long int value = atoll(s);
    return value >= min && value <= max;
}

static void
check_encap_options(const struct smap *options)
{
    if (remote_input_check_encap_options(options)) {
        return;
    }
    FUZZ_ASSERT(!remote_input_check_options(options));
    const char *csum = smap_get(options, "csum");
    const char *is_default = smap_get(options, "is_default");
    const char *dst_port = smap_get(options, "dst_port");
    FUZZ_ASSERT(!csum || !strcmp(csum, "true") || !strcmp(csum, "false"));
    FUZZ_ASSERT(!is_default || !strcmp(is_default, "true")
                || !strcmp(is_default, "false"));
    FUZZ_ASSERT(!dst_port || is_int_in(dst_port, 1, 65535));
}

static void
check_monitor(const char *port, const char *ip, const char *src_ip,
              const struct smap *options, const uint8_t *data, size_t size)
{
    static const char *const protocols[] = { NULL, "tcp", "udp", "sctp" };
    int32_t n = 0;
    memcpy(&n, data, MIN(size, sizeof n));
    const struct remote_monitor m = {
        .logical_port = port,
        .ip = ip,
        .port = n >> 2,
        .protocol = protocols[n & 3],
        .src_ip = src_ip,
        .options = options,
    };
    if (remote_input_check_monitor(&m)) {
        return;
    }
    struct in6_addr a, b;
    FUZZ_ASSERT(!remote_input_check_name(port));
    FUZZ_ASSERT(route_addr_parse(ip, &a) && route_addr_parse(src_ip, &b));
    FUZZ_ASSERT(route_addr_is_ipv4(&a) == route_addr_is_ipv4(&b));
    FUZZ_ASSERT(m.port >= 0 && m.port <= 65535);
    FUZZ_ASSERT((n & 3) != 3);
    FUZZ_ASSERT(!remote_input_check_options(options));
    const char *keys[] = { "interval", "timeout" };
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *value = smap_get(options, keys[i]);
        FUZZ_ASSERT(!value || is_int_in(value, 1, 86400));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_fields ff;
    fuzz_fields_init(&ff, data, size, FUZZ_MAX_FIELDS);
    const char *a = ff.f[0], *b = ff.f[1], *c = ff.f[2];

    struct smap options = SMAP_INITIALIZER(&options);
    for (size_t i = 3; i < ff.n; i++) {
        const char *eq = strchr(ff.f[i], '=');
        char *key = (eq ? xmemdup0(ff.f[i], eq - ff.f[i])
                     : xstrdup(ff.f[i]));
        smap_replace(&options, key, eq ? eq + 1 : "");
        free(key);
    }
    check_options(&options);
    check_encap_options(&options);
    check_monitor(a, b, c, &options, data, size);

    struct uuid uuid;
    uuid_zero(&uuid);
    char *route = remote_input_row_namef("Route", &uuid, "%s via %s", a, b);
    FUZZ_ASSERT(!remote_input_check_name(route));
    free(route);
    smap_destroy(&options);

    check_name(a);
    check_name(b);
    check_port_address(a);
    check_port_address(b);
    check_encap(a, b);
    check_route(a, b);
    check_tunnel_key(data, size);
    check_row_name(a);

    fuzz_fields_destroy(&ff);
    return 0;
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Fuzz target: lib/remote-input, the checks that every IC-SB row another
 * zone wrote passes before this zone copies any of it.
 *
 * Input: two fields, one per line (see fuzz-util.h).  Every check runs on
 * them: names, a port address, an encapsulation (type, IP), a route
 * (prefix, next hop) and the name a refused row is listed under; the first
 * 24 bytes also make a tunnel key and its range.  Besides not crashing,
 * whatever a check accepts must be what the rest of the daemon can parse,
 * the way the check's header says. */

#include <config.h>

#include <ctype.h>
#include <string.h>

#include "lib/remote-input.h"
#include "lib/route-filter.h"
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_fields ff;
    fuzz_fields_init(&ff, data, size, 2);
    const char *a = ff.f[0], *b = ff.f[1];

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

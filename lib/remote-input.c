/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/remote-input.h"

#include <ctype.h>
#include <string.h>

#include "lib/route-filter.h"
#include "util.h"
#include "uuid.h"

const char *
remote_input_check_name(const char *name)
{
    if (!name[0]) {
        return "empty name";
    }
    size_t len = strnlen(name, REMOTE_NAME_MAX + 1);
    if (len > REMOTE_NAME_MAX) {
        return "name too long";
    }
    for (size_t i = 0; i < len; i++) {
        if (iscntrl((unsigned char) name[i])) {
            return "control character in name";
        }
    }
    return NULL;
}

static int
hex_value(char c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

/* Checks that the 'len' bytes at 's' are a unicast MAC address in the
 * usual form, six pairs of hex digits separated by colons. */
static const char *
check_mac(const char *s, size_t len)
{
    if (len != 17) {
        return "bad MAC address";
    }
    uint8_t octets[6];
    for (size_t i = 0; i < 6; i++) {
        const char *p = &s[i * 3];
        int hi = hex_value(p[0]), lo = hex_value(p[1]);
        if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':')) {
            return "bad MAC address";
        }
        octets[i] = hi * 16 + lo;
    }
    if (octets[0] & 1) {
        return "multicast MAC address";
    }
    static const uint8_t zero[6];
    if (!memcmp(octets, zero, sizeof zero)) {
        return "all-zero MAC address";
    }
    return NULL;
}

/* Checks that the 'len' bytes at 's' are an IPv4 or IPv6 address with an
 * optional prefix length. */
static const char *
check_ip_with_len(const char *s, size_t len)
{
    char buf[64];
    struct route_prefix prefix;
    if (len >= sizeof buf) {
        return "bad IP address";
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return route_prefix_parse(buf, &prefix) ? NULL : "bad IP address";
}

const char *
remote_input_check_port_address(const char *address)
{
    size_t total = strnlen(address, REMOTE_ADDRESS_MAX + 1);
    if (!total || !strcmp(address, "unknown")) {
        return NULL;
    }
    if (total > REMOTE_ADDRESS_MAX) {
        return "address too long";
    }

    /* Tokens separated by single spaces, none empty. */
    const char *s = address;
    for (size_t i = 0; ; i++) {
        size_t len = strcspn(s, " ");
        if (!len) {
            return "empty field in address";
        }
        const char *error = (i ? check_ip_with_len(s, len)
                             : check_mac(s, len));
        if (error) {
            return error;
        }
        if (!s[len]) {
            return NULL;
        }
        s += len + 1;
    }
}

const char *
remote_input_check_encap(const char *type, const char *ip)
{
    if (strcmp(type, "geneve") && strcmp(type, "vxlan")
        && strcmp(type, "stt")) {
        return "unknown encapsulation type";
    }
    struct in6_addr addr;
    if (strnlen(ip, 64) >= 64 || !route_addr_parse(ip, &addr)) {
        return "bad encapsulation IP address";
    }
    return NULL;
}

const char *
remote_input_check_tunnel_key(int64_t key, int64_t min, int64_t max)
{
    return key < min || key > max ? "tunnel key out of range" : NULL;
}

const char *
remote_input_check_route(const char *ip_prefix, const char *nexthop)
{
    struct route_prefix prefix, hop;
    if (!route_prefix_parse(ip_prefix, &prefix)) {
        return "bad prefix";
    }
    if (!route_prefix_parse(nexthop, &hop)) {
        return "bad next hop";
    }
    if (!route_prefix_is_ipv4(&prefix) && route_prefix_is_ipv4(&hop)) {
        return "IPv6 prefix with an IPv4 next hop";
    }
    return NULL;
}

char *
remote_input_row_name(const char *name, const char *table,
                      const struct uuid *uuid)
{
    return (!remote_input_check_name(name) ? xstrdup(name)
            : xasprintf("%s "UUID_FMT, table, UUID_ARGS(uuid)));
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/remote-input.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "lib/route-filter.h"
#include "smap.h"
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

/* Parses 's', an IPv4 or IPv6 address with an optional prefix length,
 * into 'p'.  Returns NULL if it is one, else what is wrong with it, using
 * 'bad' for anything that does not parse.
 *
 * An IPv4-mapped IPv6 address ("::ffff:10.0.0.0/8") is refused: the route
 * step holds IPv4 as v4-mapped, so it would take it for IPv4 and write it
 * back into NB as "10.0.0.0/8", which is not what the other zone wrote
 * (OVN reads it as an IPv6 prefix). */
static const char *
parse_ip(const char *s, struct route_prefix *p, const char *bad)
{
    if (!route_prefix_parse(s, p)) {
        return bad;
    }
    if (route_prefix_is_ipv4(p) && strchr(s, ':')) {
        return "IPv4-mapped IPv6 address";
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
    return parse_ip(buf, &prefix, "bad IP address");
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

/* What an option's value must be. */
enum option_kind {
    OPT_BOOL,                   /* "true" or "false". */
    OPT_INT,                    /* A decimal integer in min..max. */
    OPT_NAME,                   /* A name (remote_input_check_name()). */
};

/* A known option of some column. */
struct option_rule {
    const char *key;
    enum option_kind kind;
    long long int min, max;     /* OPT_INT only. */
    const char *error;          /* What is wrong with a bad value. */
};

/* Returns true if 's' is a decimal integer in min..max: digits only, at
 * most 18 of them, so that it cannot overflow. */
static bool
int_in_range(const char *s, long long int min, long long int max)
{
    size_t len = strnlen(s, 20);
    if (!len || len > 18 || strspn(s, "0123456789") != len) {
        return false;
    }
    long long int value = 0;
    for (size_t i = 0; i < len; i++) {
        value = value * 10 + (s[i] - '0');
    }
    return value >= min && value <= max;
}

/* Checks 'options' against the general limits (see
 * remote_input_check_options()) and against 'rules', 'n_rules' of them,
 * for the keys they name. */
static const char *
check_options(const struct smap *options, const struct option_rule *rules,
              size_t n_rules)
{
    if (smap_count(options) > REMOTE_OPTIONS_MAX) {
        return "too many options";
    }
    const struct smap_node *node;
    SMAP_FOR_EACH (node, options) {
        if (remote_input_check_name(node->key)) {
            return "bad option name";
        }
        size_t len = strnlen(node->value, REMOTE_NAME_MAX + 1);
        if (len > REMOTE_NAME_MAX) {
            return "option value too long";
        }
        for (size_t i = 0; i < len; i++) {
            if (iscntrl((unsigned char) node->value[i])) {
                return "control character in option value";
            }
        }
        for (size_t i = 0; i < n_rules; i++) {
            const struct option_rule *r = &rules[i];
            if (strcmp(node->key, r->key)) {
                continue;
            }
            bool ok = (r->kind == OPT_BOOL
                       ? (!strcmp(node->value, "true")
                          || !strcmp(node->value, "false"))
                       : r->kind == OPT_INT
                       ? int_in_range(node->value, r->min, r->max)
                       : !remote_input_check_name(node->value));
            if (!ok) {
                return r->error;
            }
        }
    }
    return NULL;
}

const char *
remote_input_check_options(const struct smap *options)
{
    return check_options(options, NULL, 0);
}

const char *
remote_input_check_encap_options(const struct smap *options)
{
    static const struct option_rule rules[] = {
        { "csum", OPT_BOOL, 0, 0, "bad encapsulation option csum" },
        { "is_default", OPT_BOOL, 0, 0,
          "bad encapsulation option is_default" },
        { "dst_port", OPT_INT, 1, 65535,
          "bad encapsulation option dst_port" },
    };
    return check_options(options, rules, ARRAY_SIZE(rules));
}

const char *
remote_input_check_monitor(const struct remote_monitor *m)
{
    static const struct option_rule rules[] = {
        { "interval", OPT_INT, 1, 86400, "bad monitor option interval" },
        { "timeout", OPT_INT, 1, 86400, "bad monitor option timeout" },
        { "success_count", OPT_INT, 1, 1000000,
          "bad monitor option success_count" },
        { "failure_count", OPT_INT, 1, 1000000,
          "bad monitor option failure_count" },
        { "az-name", OPT_NAME, 0, 0, "bad monitor option az-name" },
    };

    const char *error = remote_input_check_name(m->logical_port);
    if (error) {
        return error;
    }
    struct in6_addr ip, src_ip;
    if (strnlen(m->ip, 64) >= 64 || !route_addr_parse(m->ip, &ip)) {
        return "bad monitor IP address";
    }
    if (m->port < 0 || m->port > 65535) {
        return "bad monitor port";
    }
    if (m->protocol && strcmp(m->protocol, "tcp")
        && strcmp(m->protocol, "udp")) {
        return "bad monitor protocol";
    }
    if (strnlen(m->src_ip, 64) >= 64
        || !route_addr_parse(m->src_ip, &src_ip)) {
        return "bad monitor source IP address";
    }
    if (route_addr_is_ipv4(&ip) != route_addr_is_ipv4(&src_ip)) {
        return "monitor source and backend IP addresses of different "
               "families";
    }
    return check_options(m->options, rules, ARRAY_SIZE(rules));
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
    const char *error = parse_ip(ip_prefix, &prefix, "bad prefix");
    if (!error) {
        error = parse_ip(nexthop, &hop, "bad next hop");
    }
    if (error) {
        return error;
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

char *
remote_input_row_namef(const char *table, const struct uuid *uuid,
                       const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *name = xvasprintf(format, args);
    va_end(args);
    char *row_name = remote_input_row_name(name, table, uuid);
    free(name);
    return row_name;
}

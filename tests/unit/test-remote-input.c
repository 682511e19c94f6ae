/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of lib/remote-input: what another zone may write
 * that this zone copies. */

#include <config.h>

#include <ctype.h>
#include <string.h>

#include "lib/remote-input.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "tests/unit/tap.h"
#include "util.h"
#include "uuid.h"

/* Returns a string of 'n' copies of 'c', which the caller frees. */
static char *
repeat(char c, size_t n)
{
    char *s = xmalloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Returns 's' with control characters escaped, for a TAP line, in a
 * buffer that the next call reuses. */
static const char *
printable(const char *s)
{
    static struct ds out = DS_EMPTY_INITIALIZER;
    ds_clear(&out);
    for (; *s; s++) {
        if (iscntrl((unsigned char) *s)) {
            ds_put_format(&out, "\\x%02x", (unsigned char) *s);
        } else {
            ds_put_char(&out, *s);
        }
    }
    return ds_cstr(&out);
}

struct string_case {
    const char *input;
    bool valid;
};

static const struct string_case address_cases[] = {
    { "", true },                               /* No address yet. */
    { "unknown", true },                        /* A "switch" port. */
    { "aa:aa:aa:aa:aa:01", true },
    { "aa:aa:aa:aa:aa:01 169.254.100.1/24", true },
    { "AA:aa:aa:aa:aa:01 169.254.100.1", true },
    { "aa:aa:aa:aa:aa:01 169.254.100.1/24 2001:db8::1/64", true },
    { "aa:aa:aa:aa:aa:01 fe80::a8aa:aaff:feaa:aa01/64", true },
    { "zzz", false },
    { " ", false },
    { "aa:aa:aa:aa:aa:01 ", false },            /* Empty field. */
    { "aa:aa:aa:aa:aa:01  169.254.100.1/24", false },
    { " aa:aa:aa:aa:aa:01", false },
    { "aa:aa:aa:aa:aa", false },
    { "aa:aa:aa:aa:aa:0g", false },
    { "aa-aa-aa-aa-aa-01", false },
    { "aa:aa:aa:aa:aa:01:02", false },
    { "a:aa:aa:aa:aa:01", false },
    { "01:00:5e:00:00:01 10.0.0.1", false },    /* Multicast. */
    { "ff:ff:ff:ff:ff:ff", false },             /* Broadcast. */
    { "00:00:00:00:00:00", false },
    { "aa:aa:aa:aa:aa:01 not-an-ip", false },
    { "aa:aa:aa:aa:aa:01 169.254.100.1/33", false },
    { "aa:aa:aa:aa:aa:01 2001:db8::1/129", false },
    { "aa:aa:aa:aa:aa:01 169.254.100.256", false },
    { "aa:aa:aa:aa:aa:01 unknown", false },
    { "unknown aa:aa:aa:aa:aa:01", false },
    { "169.254.100.1/24", false },              /* No MAC. */
    { "aa:aa:aa:aa:aa:01\t169.254.100.1", false },
    /* IPv4-mapped IPv6: IPv4 to the route step, IPv6 to OVN. */
    { "aa:aa:aa:aa:aa:01 ::ffff:169.254.100.1/24", false },
    { "aa:aa:aa:aa:aa:01 ::ffff:a9fe:6401", false },
    { "aa:aa:aa:aa:aa:01 ::fffe:a9fe:6401/64", true },
    { "aa:aa:aa:aa:aa:01\n", false },
};

static void
test_port_addresses(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(address_cases); i++) {
        const struct string_case *c = &address_cases[i];
        const char *error = remote_input_check_port_address(c->input);
        tap_result(!error == c->valid, "address \"%s\": %s",
                   printable(c->input), error ? error : "valid");
    }

    /* Over-long: 10 kB of garbage, and a well-formed but huge list. */
    char *s = repeat('a', 10 * 1024);
    tap_result(remote_input_check_port_address(s) != NULL,
               "address of 10 kB refused");
    free(s);

    struct ds big = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&big, "aa:aa:aa:aa:aa:01");
    while (big.length < 4000) {
        ds_put_cstr(&big, " 10.0.0.1/24");
    }
    tap_result(remote_input_check_port_address(ds_cstr(&big)) != NULL,
               "well-formed address of %"PRIuSIZE" bytes refused",
               big.length);
    ds_destroy(&big);
}

static void
test_names(void)
{
    static const struct string_case cases[] = {
        { "lsp-ts1-router_west", true },
        { "gw_east", true },
        { "with space", true },
        { "", false },
        { "a\nb", false },
        { "tab\there", false },
        { "del\x7f", false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *error = remote_input_check_name(cases[i].input);
        tap_result(!error == cases[i].valid, "name \"%s\": %s",
                   printable(cases[i].input), error ? error : "valid");
    }
    char *s = repeat('n', REMOTE_NAME_MAX);
    tap_result(!remote_input_check_name(s), "name of the maximum length");
    free(s);
    s = repeat('n', REMOTE_NAME_MAX + 1);
    tap_result(remote_input_check_name(s) != NULL, "name one byte too long");
    free(s);
}

static void
test_encaps(void)
{
    static const struct {
        const char *type, *ip;
        bool valid;
    } cases[] = {
        { "geneve", "192.168.0.1", true },
        { "vxlan", "192.168.0.1", true },
        { "stt", "192.168.0.1", true },
        { "geneve", "2001:db8::1", true },
        { "gre", "192.168.0.1", false },
        { "", "192.168.0.1", false },
        { "Geneve", "192.168.0.1", false },
        { "geneve", "not-an-ip", false },
        { "geneve", "", false },
        { "geneve", "192.168.0.1/24", false },
        { "geneve", "192.168.0.256", false },
        { "geneve", " 192.168.0.1", false },
        { "geneve", "2001:db8::1::2", false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *error = remote_input_check_encap(cases[i].type,
                                                     cases[i].ip);
        tap_result(!error == cases[i].valid, "encap %s \"%s\": %s",
                   cases[i].type, cases[i].ip, error ? error : "valid");
    }
    char *s = repeat('1', 10 * 1024);
    tap_result(remote_input_check_encap("geneve", s) != NULL,
               "encap IP of 10 kB refused");
    free(s);
}

/* Fills 'options' from 'spec', "key=value,key=value" (no commas in
 * values). */
static void
parse_options(struct smap *options, const char *spec)
{
    smap_init(options);
    char *copy = xstrdup(spec);
    char *save = NULL;
    for (char *kv = strtok_r(copy, ",", &save); kv;
         kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        ovs_assert(eq);
        *eq = '\0';
        smap_replace(options, kv, eq + 1);
    }
    free(copy);
}

static const struct string_case encap_option_cases[] = {
    { "", true },
    { "csum=true", true },
    { "csum=false", true },
    { "csum=true,dst_port=6081", true },
    { "dst_port=1", true },
    { "dst_port=65535", true },
    { "is_default=true", true },
    { "some_future_key=anything goes", true },  /* Unknown: a name. */
    { "key=", true },                           /* Empty value. */
    { "csum=yes", false },
    { "csum=", false },
    { "csum=TRUE", false },
    { "is_default=1", false },
    { "dst_port=0", false },
    { "dst_port=65536", false },
    { "dst_port=-1", false },
    { "dst_port=+6081", false },
    { "dst_port= 6081", false },
    { "dst_port=6081x", false },
    { "dst_port=99999999999999999999999", false },
    { "dst_port=", false },
    { "bad\tkey=1", false },
    { "key=bad\nvalue", false },
};

static void
test_encap_options(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(encap_option_cases); i++) {
        const struct string_case *c = &encap_option_cases[i];
        struct smap options;
        parse_options(&options, c->input);
        const char *error = remote_input_check_encap_options(&options);
        tap_result(!error == c->valid, "encap options \"%s\": %s",
                   printable(c->input), error ? error : "valid");
        smap_destroy(&options);
    }

    /* Too many keys, and an over-long value. */
    struct smap options = SMAP_INITIALIZER(&options);
    for (int i = 0; i <= REMOTE_OPTIONS_MAX; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        smap_add_format(&options, key, "%d", i);
    }
    tap_result(remote_input_check_encap_options(&options) != NULL,
               "%d encap options refused", REMOTE_OPTIONS_MAX + 1);
    smap_clear(&options);
    char *s = repeat('v', REMOTE_NAME_MAX + 1);
    smap_add(&options, "k", s);
    tap_result(remote_input_check_options(&options) != NULL,
               "option value of %d bytes refused", REMOTE_NAME_MAX + 1);
    free(s);
    smap_destroy(&options);
}

static void
test_monitors(void)
{
    static const struct {
        const char *logical_port, *ip;
        int64_t port;
        const char *protocol, *src_ip, *options;
        bool valid;
    } cases[] = {
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254", "", true },
        { "lport1", "10.0.0.5", 53, "udp", "10.0.0.254", "", true },
        { "lport1", "10.0.0.5", 80, NULL, "10.0.0.254", "", true },
        { "lport1", "10.0.0.5", 0, "tcp", "10.0.0.254", "", true },
        { "lport1", "10.0.0.5", 65535, "tcp", "10.0.0.254", "", true },
        { "lport1", "2001:db8::5", 80, "tcp", "2001:db8::fe", "", true },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254",
          "interval=5,timeout=3,success_count=1,failure_count=3,"
          "az-name=az1", true },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254",
          "interval=86400,failure_count=1000000", true },
        { "", "10.0.0.5", 80, "tcp", "10.0.0.254", "", false },
        { "lp\n", "10.0.0.5", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "not-an-ip", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5/24", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.256", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", -1, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", 65536, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", 80, "sctp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", 80, "", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", 80, "tcp", "", "", false },
        { "lport1", "10.0.0.5", 80, "tcp", "junk", "", false },
        { "lport1", "10.0.0.5", 80, "tcp", "2001:db8::fe", "", false },
        { "lport1", "2001:db8::5", 80, "tcp", "10.0.0.254", "", false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254", "interval=0",
          false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254", "interval=86401",
          false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254", "timeout=x",
          false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254",
          "success_count=0", false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254",
          "failure_count=2147483648000", false },
        { "lport1", "10.0.0.5", 80, "tcp", "10.0.0.254", "az-name=",
          false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct smap options;
        parse_options(&options, cases[i].options);
        const struct remote_monitor m = {
            .logical_port = cases[i].logical_port,
            .ip = cases[i].ip,
            .port = cases[i].port,
            .protocol = cases[i].protocol,
            .src_ip = cases[i].src_ip,
            .options = &options,
        };
        const char *error = remote_input_check_monitor(&m);
        tap_result(!error == cases[i].valid,
                   "monitor %s %s:%"PRId64" %s from %s [%s]: %s",
                   printable(cases[i].logical_port), cases[i].ip,
                   cases[i].port,
                   cases[i].protocol ? cases[i].protocol : "(none)",
                   cases[i].src_ip, cases[i].options,
                   error ? error : "valid");
        smap_destroy(&options);
    }
}

static void
test_tunnel_keys(void)
{
    static const struct {
        int64_t key, min, max;
        bool valid;
    } cases[] = {
        { 1, 1, 32767, true },
        { 32767, 1, 32767, true },
        { 0, 1, 32767, false },
        { -1, 1, 32767, false },
        { 32768, 1, 32767, false },
        { INT64_MAX, 1, 32767, false },
        { INT64_MIN, 1, 32767, false },
        { 16711681, 1, 16777215, true },
        { 16777216, 1, 16777215, false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *error = remote_input_check_tunnel_key(
            cases[i].key, cases[i].min, cases[i].max);
        tap_result(!error == cases[i].valid,
                   "key %"PRId64" in %"PRId64"..%"PRId64": %s", cases[i].key,
                   cases[i].min, cases[i].max, error ? error : "valid");
    }
}

static void
test_routes(void)
{
    static const struct {
        const char *prefix, *nexthop;
        bool valid;
    } cases[] = {
        { "10.1.0.0/16", "169.254.100.1", true },
        { "10.1.0.0/16", "169.254.100.1/24", true },   /* As upstream. */
        { "0.0.0.0/0", "169.254.100.1", true },
        { "2001:db8::/32", "2001:db8:ff::1", true },
        { "::/0", "2001:db8:ff::1", true },
        { "10.1.0.0/16", "2001:db8:ff::1", true },     /* IPv4 over IPv6. */
        { "2001:db8::/32", "169.254.100.1", false },   /* Family. */
        { "10.1.0.0/33", "169.254.100.1", false },
        { "2001:db8::/129", "2001:db8:ff::1", false },
        { "zzz", "169.254.100.1", false },
        { "", "169.254.100.1", false },
        { "10.1.0.0/16", "", false },
        { "10.1.0.0/16", "not-an-ip", false },
        { "10.1.0.0/16", "discard", false },
        { "10.1.0.0/", "169.254.100.1", false },
        { "10.1.0.0/16 ", "169.254.100.1", false },
        /* IPv4-mapped IPv6 (found by tests/fuzz/fuzz-remote-input): it
         * would be learned as the IPv4 route 10.0.0.0/8. */
        { "::ffff:10.0.0.0/8", "169.254.100.1", false },
        { "::ffff:0.0.0.0", "69.24.0.3", false },
        { "10.0.0.0/8", "::ffff:169.254.100.1", false },
        { "2001:db8::/32", "::ffff:169.254.100.1", false },
        { "::ffff:0:0:0/96", "2001:db8:ff::1", true },  /* Not mapped. */
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *error = remote_input_check_route(cases[i].prefix,
                                                     cases[i].nexthop);
        tap_result(!error == cases[i].valid, "route %s via %s: %s",
                   cases[i].prefix, cases[i].nexthop,
                   error ? error : "valid");
    }
}

static void
test_row_names(void)
{
    struct uuid uuid = { .parts = { 1, 2, 3, 4 } };
    char *name = remote_input_row_name("vm1", "Port_Binding", &uuid);
    tap_result(!strcmp(name, "vm1"), "a valid name names the row");
    free(name);
    name = remote_input_row_name("a\nb", "Port_Binding", &uuid);
    tap_result(!strcmp(name, "Port_Binding "
                       "00000001-0000-0002-0000-000300000004"),
               "an invalid name is replaced by the row's UUID: %s", name);
    free(name);
    name = remote_input_row_namef("Route", &uuid, "%s via %s",
                                  "10.0.0.0/8", "169.254.100.1");
    tap_result(!strcmp(name, "10.0.0.0/8 via 169.254.100.1"),
               "fields make a name: %s", name);
    free(name);
    char *long_field = repeat('x', REMOTE_NAME_MAX);
    name = remote_input_row_namef("Route", &uuid, "%s via %s", long_field,
                                  "169.254.100.1");
    tap_result(!strcmp(name, "Route 00000001-0000-0002-0000-000300000004"),
               "fields too long for a name: the row's UUID: %s", name);
    free(name);
    free(long_field);
    name = remote_input_row_namef("Route", &uuid, "%s via %s", "10.0.0.0/8",
                                  "a\tb");
    tap_result(!strcmp(name, "Route 00000001-0000-0002-0000-000300000004"),
               "a control character in a field: the row's UUID: %s", name);
    free(name);
}

int
main(void)
{
    test_row_names();
    test_port_addresses();
    test_names();
    test_encaps();
    test_encap_options();
    test_monitors();
    test_tunnel_keys();
    test_routes();
    return tap_done();
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef REMOTE_INPUT_H
#define REMOTE_INPUT_H 1

/* Checks of what other zones write into IC-SB before any of it is copied
 * into this zone's databases.
 *
 * Every row of IC-SB that another availability zone wrote is input from
 * outside the zone, to be treated like network input: a port address, a
 * gateway's encapsulation, a tunnel key or a route that this zone would
 * mirror must be well formed, or the row is refused (and only that row:
 * never a neighbour).  Each check returns NULL if the value is fine, else a
 * short, static description of what is wrong with it, for a log line and
 * problems/show.  Nothing here talks to a database. */

#include <stdint.h>

#include "openvswitch/compiler.h"

struct smap;
struct uuid;

/* The longest name or address string accepted from another zone.  Real
 * ones are far shorter; the limits keep a hostile zone from filling NB and
 * SB with megabytes. */
#define REMOTE_NAME_MAX 1024
#define REMOTE_ADDRESS_MAX 2048

/* A port, gateway or chassis name: not empty, at most REMOTE_NAME_MAX
 * bytes, no control characters. */
const char *remote_input_check_name(const char *name);

/* A transit switch port's address, as a zone publishes it: empty (no
 * address yet), "unknown", or a unicast MAC followed by any number of IPv4
 * or IPv6 addresses, each with an optional prefix length, separated by
 * single spaces: "aa:aa:aa:aa:aa:01 169.254.100.1/24 2001:db8::1/64".
 * IPv4-mapped IPv6 addresses ("::ffff:169.254.100.1") are refused here and
 * in routes: this daemon would read them as IPv4, OVN as IPv6. */
const char *remote_input_check_port_address(const char *address);

/* A gateway's encapsulation: type "geneve", "vxlan" or "stt" (what SB's
 * Encap accepts) and an IPv4 or IPv6 address. */
const char *remote_input_check_encap(const char *type, const char *ip);

/* A gateway encapsulation's options, as SB's Encap documents them:
 * "csum" and "is_default" "true" or "false", "dst_port" a UDP port
 * (1..65535).  Other keys pass if they are names (see
 * remote_input_check_options()). */
const char *remote_input_check_encap_options(const struct smap *options);

/* The limits of any options column copied from another zone: at most
 * REMOTE_OPTIONS_MAX keys, each a name, with a value of at most
 * REMOTE_NAME_MAX bytes and no control characters (it may be empty). */
#define REMOTE_OPTIONS_MAX 64
const char *remote_input_check_options(const struct smap *options);

/* The fields of a load balancer health check (IC-SB Service_Monitor) that
 * another zone asks this one to run, which go into SB for ovn-controller
 * to probe. */
struct remote_monitor {
    const char *logical_port;   /* A name. */
    const char *ip;             /* The backend: an IPv4 or IPv6 address. */
    int64_t port;               /* 0..65535. */
    const char *protocol;       /* NULL (TCP), "tcp" or "udp". */
    const char *src_ip;         /* Probes' source: an address of ip's
                                 * family. */
    const struct smap *options; /* "interval" and "timeout" in seconds
                                 * (1..86400), "success_count" and
                                 * "failure_count" 1..1000000, "az-name" a
                                 * name; see remote_input_check_options()
                                 * for the rest. */
};
const char *remote_input_check_monitor(const struct remote_monitor *);

/* A tunnel key: in min..max. */
const char *remote_input_check_tunnel_key(int64_t key, int64_t min,
                                          int64_t max);

/* A route: a valid IPv4 or IPv6 prefix and a next hop address (an optional
 * prefix length is allowed, as upstream parses them).  An IPv6 prefix needs
 * an IPv6 next hop; an IPv4 prefix may have an IPv6 next hop ("IPv4 over
 * IPv6", which upstream's ic-route-ipv4-next-hop-ipv6 advertises). */
const char *remote_input_check_route(const char *ip_prefix,
                                     const char *nexthop);

/* Returns the name to list a refused row under, which the caller frees:
 * 'name' if it passes remote_input_check_name(), else 'table' and the
 * row's 'uuid', since a name that is empty, huge or full of control
 * characters would garble problems/show and the log. */
char *remote_input_row_name(const char *name, const char *table,
                            const struct uuid *uuid);

/* Like remote_input_row_name(), for a name made of several of the row's
 * fields with 'format' (printf-like), e.g. "%s via %s" for a route: the
 * whole name must pass remote_input_check_name(). */
char *remote_input_row_namef(const char *table, const struct uuid *uuid,
                             const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);

#endif /* lib/remote-input.h */

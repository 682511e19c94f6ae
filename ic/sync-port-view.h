/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_PORT_VIEW_H
#define SYNC_PORT_VIEW_H 1

/* Private to the port step (ic/sync-port.h), which is two files:
 * ic/sync-port.c runs the step and syncs the switch ports created in NB
 * (this zone's published, other zones' mirrored as "remote" ports), and
 * ic/sync-port-tsp.c the transit switch ports managed in IC-NB.  Both work
 * on one struct port_view per pass, built by ic/sync-port.c, and share
 * the helpers below.
 *
 * The two files log as one module, "sync_port", as they did when they
 * were one file (ic/sync-port-tsp.c points the logging macros at the
 * module, as ic/route-log.h does for the route step), and report problems
 * under one owner, SYNC_PORT_OWNER, so that one pass's problems_begin()
 * and problems_end() cover both. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/shash.h"

struct icnbrec_transit_switch_port;
struct icsbrec_availability_zone;
struct icsbrec_port_binding;
struct key_space;
struct nbrec_logical_switch;
struct nbrec_logical_switch_port;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct problem_set;
struct sbrec_chassis;

/* The owner of the step's problems (lib/problems.h). */
#define SYNC_PORT_OWNER "port"

struct sync_port_ctx {
    const struct icsbrec_availability_zone *az;
    struct ovsdb_idl *icnb_idl;
    bool global_writer;         /* This daemon holds the IC-SB lock. */
    struct ovsdb_idl *nb_idl;
    struct ovsdb_idl_txn *nb_txn;
    struct ovsdb_idl *sb_idl;
    struct ovsdb_idl_txn *sb_txn;
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
};

/* What one pass knows about the world, indexed once. */
struct port_view {
    const struct sync_port_ctx *ctx;
    struct shash scopes;           /* TS name -> struct ts_scope *, for
                                    * scoped transit switches only. */
    struct shash transit_switches; /* TS name -> NB Logical_Switch. */
    struct shash sb_ports;         /* logical_port -> SB Port_Binding. */
    struct shash chassis;          /* name -> SB Chassis. */
    struct shash router_of_port;   /* LRP name -> NB Logical_Router. */
    struct shash switch_of_port;   /* LSP name -> NB Logical_Switch, filled
                                    * on first use by switch_of_port(). */
    struct shash isb_ports;        /* logical_port -> IC-SB Port_Binding. */
    struct shash ts_keys;          /* TS name -> struct key_space *. */
    struct shash tsps;             /* IC-NB Transit_Switch_Port by name. */
    struct shash nb_ports;         /* NB switch ports by name. */
    struct shash nb_switches;      /* NB logical switches by name. */
    bool has_pb_type;              /* IC-SB Port_Binding has 'type'. */
    bool has_lsp_peer;             /* NB Logical_Switch_Port has 'peer'
                                    * (OVN 25.03 and later). */
};

/* A switch port and the transit switch it is on. */
struct ts_lsp {
    const struct nbrec_logical_switch_port *lsp;
    const struct nbrec_logical_switch *ls;
};

/* Scopes and keys. */
bool port_view_in_scope(const struct port_view *, const char *ts,
                        const char *zone);
struct key_space *port_view_key_space(struct port_view *, const char *ts);

/* Other zones' bindings. */
void port_view_refuse_out_of_scope(const struct port_view *,
                                   const struct icsbrec_port_binding *);
void port_view_bind_remote(struct port_view *,
                           const struct nbrec_logical_switch_port *,
                           const struct icsbrec_port_binding *);

/* Sets of switch ports on transit switches, name -> struct ts_lsp. */
void port_view_collect_ts_lsps(
    const struct port_view *, struct shash *ports,
    bool (*select)(const struct nbrec_logical_switch_port *));
const struct nbrec_logical_switch_port *ts_lsps_take(
    struct shash *ports, const char *name,
    const struct nbrec_logical_switch *);
void ts_lsps_delete(struct shash *ports, const char *why);

bool sync_port_is_tsp_mirror(const struct nbrec_logical_switch_port *);
void sync_port_set_requested_tnl_key(
    const struct nbrec_logical_switch_port *, int64_t key);
bool sync_port_chassis_is_remote(const struct sbrec_chassis *);
const struct icsbrec_port_binding *sync_port_insert_binding(
    const struct port_view *, const char *name, const char *ts,
    uint32_t key);

/* IC-NB Transit_Switch_Port -> IC-SB Port_Binding and NB switch ports
 * marked options:interconn-tsp (ic/sync-port-tsp.c).  Returns false if
 * some port waits. */
bool sync_port_tsp(struct port_view *);

#endif /* ic/sync-port-view.h */

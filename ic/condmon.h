/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_CONDMON_H
#define IC_CONDMON_H 1

/* Conditional monitoring of IC-SB: a zone replicates only the rows it uses.
 *
 * The engine makes each session replicate only the tables the steps
 * declare.  This module narrows the IC-SB sessions further, row by row,
 * with OVSDB monitor conditions ("monitor_cond"), so that a zone's memory
 * grows with the transit switches it is attached to, not with the whole
 * federation.  A zone is attached to a transit switch that is in its scope
 * (lib/ts-scope.h): to every unscoped switch and to every transit router.
 *
 * The zone's IC-SB session replicates:
 *
 *   - Port_Binding and Route: the rows of the switches and routers the zone
 *     is attached to, and every row of its own zone (which it must see to
 *     delete them once they are stale, for example after it left a
 *     switch's scope).
 *   - Datapath_Binding: those of the switches it is attached to, and
 *     every transit router's (whose bindings name no switch).
 *   - Gateway: those of the zones it shares a transit switch with, as the
 *     gateway step decides (lib/ts-scope.h), and its own.
 *   - Encap: those of the replicated gateways, and every VXLAN one (VXLAN
 *     mode depends on whether any gateway of the federation uses VXLAN).
 *   - Service_Monitor: the rows whose source or target is the zone.
 *   - Address_Set: every zone's while the zone learns address sets
 *     (NB_Global options:ic-as-learn), else only its own.
 *   - Availability_Zone, IC_SB_Global: every row (one per zone).
 *
 * IC-NB is replicated whole: its transit switches and routers are what the
 * scopes are computed from.
 *
 * As long as no transit switch is scoped away from the zone, every
 * condition but those of Service_Monitor and Address_Set is "all rows",
 * exactly as without conditions.
 *
 * The global writer's IC-SB session (the one with the lock) replicates its
 * tables whole while this daemon holds the lock, since allocating keys
 * needs every Datapath_Binding, and nothing at all otherwise.
 *
 * Conditions follow the replica: when a switch's scope, the zone's name or
 * the set of gateways changes, the new conditions are sent, and until the
 * server has acknowledged them (and sent the rows they add) the session is
 * "unsettled": ic_condmon_run() returns it, and the engine postpones every
 * step that reads or writes it, so that no step acts on a partial view, for
 * example deleting rows as stale while the rows that replace them are
 * still on their way.
 *
 * Until the NB, IC-NB and IC-SB replicas have arrived (the zone's name, the
 * scopes, the zones), the conditioned tables replicate nothing rather than
 * everything, so that a daemon never holds the whole federation, not even
 * while it starts.  A server that keeps a session unsettled for 10 s is
 * logged.
 *
 * With 'monitor_all' (--ic-monitor-all) no condition is ever set. */

#include <stdbool.h>
#include <stdint.h>

struct ds;
struct ic_db;
struct metrics;
struct icsbrec_availability_zone;

struct ic_condmon *ic_condmon_create(bool monitor_all);
void ic_condmon_destroy(struct ic_condmon *);

/* Updates the conditions of the sessions in 'sessions' (indexed as the
 * engine's sessions, see ic/engine.h) from their replicas.  'az' is the
 * zone's row as the engine last found it, or NULL.  Returns the bitmap of
 * sessions whose conditions the server has not acknowledged yet. */
uint32_t ic_condmon_run(struct ic_condmon *,
                        struct ic_db *const sessions[],
                        const struct icsbrec_availability_zone *az,
                        bool global_writer);

/* Arranges to run again at once if a session that waits for the server
 * has a replica that moved (the IDL may have a condition change to send),
 * and otherwise to wake up when a session has been unsettled long enough
 * to be worth a warning. */
void ic_condmon_wait(const struct ic_condmon *);

/* For "replica/show": the conditions and the rows each session holds. */
void ic_condmon_format(const struct ic_condmon *,
                       struct ic_db *const sessions[],
                       struct ds *);

/* For the metrics endpoint: ovn_ic_replica_rows{db,table} and
 * ovn_ic_monitor_conditions_pending. */
void ic_condmon_render_metrics(const struct ic_condmon *,
                               struct ic_db *const sessions[],
                               struct metrics *);

#endif /* ic/condmon.h */

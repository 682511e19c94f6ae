/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_TRANSIT_ROUTER_H
#define SYNC_TRANSIT_ROUTER_H 1

/* Transit routers (IC-NB Transit_Router and Transit_Router_Port, made with
 * "ovn-ic-nbctl tr-add" and "trp-add"), in every zone.
 *
 * The step: sync_transit_router_step (see ic/steps.def).  The routers'
 * IC-SB datapath bindings and keys are the global writer's, in
 * sync_datapath_keys_step (ic/sync-datapath.c).
 *
 * Routers.  Every transit router appears in the zone's NB as a logical
 * router of the same name marked options:interconn-tr=<name>, with
 * options:requested-tnl-key set to its IC-SB key once the global writer
 * allocated it.  Marked routers whose transit router is gone are deleted,
 * with their ports.
 *
 * Ports.  A transit router port belongs to the zone of its chassis: the
 * zone whose SB knows the chassis and not as a remote gateway (a chassis
 * the SB does not know at all leaves the port where it is, so that an
 * ovn-controller restarting does not move it).  That zone publishes it as
 * an IC-SB Port_Binding of type "transit-router-port", with
 * transit_switch=<router name>, a tunnel key unique on the router, the
 * router's IC-NB row as nb_ic_uuid and the port's MAC as address.  A port
 * without a chassis is published by the global writer, through the per-zone
 * IC-SB session as the port step does (see ic/sync-port.h).  Once the
 * binding exists, every zone gives the router a port of the same name
 * marked options:interconn-tr=<port name>, with the port's MAC and
 * networks, options:requested-chassis=<chassis> (northd 25.03 and later
 * make it a remote port where the chassis is another zone's) and
 * options:requested-tnl-key=<key>.  Marked ports without a transit router
 * port, or whose binding is gone, are deleted; router ports added by hand
 * (no marker) are left alone.  A zone withdraws its bindings of ports that
 * are gone or moved to another zone, and the global writer withdraws any
 * binding whose port no longer exists in IC-NB.
 *
 * Older IC schemas (Debian's 23.03: no IC-NB Transit_Router, no IC-SB
 * Port_Binding type) turn all of this off, with one log line. */

#endif /* ic/sync-transit-router.h */

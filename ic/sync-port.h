/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_PORT_H
#define SYNC_PORT_H 1

/* Ports on transit switches, in both directions.
 *
 * Local: a switch port of type "router" on a transit switch is published as
 * an IC-SB Port_Binding of this zone, with a tunnel key unique on the
 * switch across all zones, the address of its peer router port (the SB
 * "mac" column: "MAC IP/len ..."), the gateway chassis its chassis-redirect
 * port is bound to, and external_ids:router-id naming the NB router.  The
 * key is written back to the switch port as options:requested-tnl-key.
 *
 * Remote: every other zone's Port_Binding on a transit switch appears in
 * the local NB as a switch port of type "remote" with the same name,
 * address and key, and its SB Port_Binding is bound to the remote gateway's
 * chassis (unless the CMS set options:requested-chassis, which northd
 * then honours).  Only ports of type "remote" are ever deleted here.
 *
 * Managed in IC-NB (Transit_Switch_Port, "ovn-ic-nbctl tsp-add"): a port
 * whose chassis is in this zone is published by this zone, one without a
 * chassis by the global writer, with the port's first address and its
 * chassis as gateway.  Every zone mirrors the port as a switch port of the
 * same name marked options:interconn-tsp, with its addresses,
 * options:requested-chassis, the IC-SB key, and options:router-port=<peer>
 * for type "router"; its type is the port's, or "remote" where the chassis
 * is another zone's (bound to that chassis in SB, for northd before 23.09).
 * Marked switch ports without a port are deleted.  Such ports and the
 * switch ports above coexist on one transit switch.  A chassis is another
 * zone's if the local SB knows it as a remote gateway; one it does not know
 * at all (its ovn-controller stopped) leaves the port where it is, so the
 * chassis of such a port should be an interconnection gateway.
 *
 * Scopes (lib/ts-scope.h): a transit switch whose scope does not name this
 * zone is not here: no port is published or mirrored on it, and this
 * zone's bindings on it are withdrawn, except the global writer's of ports
 * without a chassis.  Another zone's binding on a switch whose scope does
 * not name that zone is refused (problems/show), and its mirror goes. */

/* The step: sync_port_step (see ic/steps.def).
 *
 * Global writes.  The global writer's share of this step (publishing and
 * withdrawing the bindings of ports without a chassis) goes through the
 * per-zone IC-SB session, not the locked one: two daemons that both
 * believe they are the global writer for a moment (the lock changing
 * hands) cannot make a duplicate, because IC-SB's indexes make a
 * binding's logical_port, and its key on its transit switch, unique.  The
 * loser's transaction fails, and its next pass finds the winner's row and
 * adopts it.  tests/ic-daemon.sh starts two zones at once to show it. */

#endif /* ic/sync-port.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_SERVICE_MONITOR_H
#define SYNC_SERVICE_MONITOR_H 1

/* Load-balancer health checks across zones (SB and IC-SB Service_Monitor).
 *
 * A load balancer's backend may live in another zone: northd (25.09+) then
 * creates an SB Service_Monitor with remote=true and options:az-name set to
 * that zone.  This step publishes each such monitor as an IC-SB
 * Service_Monitor from this zone to the target zone, and copies the
 * IC-SB row's status back into SB, where northd uses it to pick backends.
 *
 * In the target zone, every IC-SB monitor aimed at it whose logical port is
 * a local SB Port_Binding (one that northd has initialised, its 'up' set)
 * becomes an SB Service_Monitor with remote=false and ic_learned=true, bound
 * to the port's chassis and sending from the zone's own svc_monitor_mac, so
 * that ovn-controller probes the backend; its status goes back to IC-SB.
 * Where northd already monitors the same backend (same logical port, IP,
 * port and protocol, the SB table's index) the step uses that row's status
 * and leaves the row alone: northd owns it, and may also take over a learned
 * row by clearing ic_learned.
 *
 * The step deletes only what it owns: IC-SB monitors whose source is this
 * zone and SB monitors with ic_learned=true that no longer match.  It
 * writes a column only when its value differs, so it never fights northd.
 * It does nothing until SB_Global has options:svc_monitor_mac, nor against
 * servers whose schemas predate the feature (SB before OVN 25.09, IC-SB
 * before 2.2.0). */

/* The step: sync_service_monitor_step (see ic/steps.def). */

#endif /* ic/sync-service-monitor.h */

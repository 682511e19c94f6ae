/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_GATEWAY_H
#define SYNC_GATEWAY_H 1

/* Gateways, in both directions.
 *
 * A local chassis with other_config:is-interconn=true is published as an
 * IC-SB Gateway of this zone with its hostname and encapsulations.  Every
 * other zone's gateway appears in the local SB as a Chassis marked
 * other_config:is-remote=true with the same encapsulations, which is what
 * ovn-controller needs to build tunnels to it.  The step deletes only rows
 * it owns: IC-SB gateways of this zone and SB chassis marked is-remote.
 *
 * While some transit switch is scoped to zones (lib/ts-scope.h), only the
 * gateways of zones that share a transit switch with this one are
 * mirrored; an unscoped switch or a transit router is shared by all. */

/* The step: sync_gateway_step (see ic/steps.def). */

#endif /* ic/sync-gateway.h */

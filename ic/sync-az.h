/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_AZ_H
#define SYNC_AZ_H 1

/* Availability-zone registration.
 *
 * The zone's name is NB_Global.name; while it is empty the zone has no AZ
 * and no other step runs.  The AZ row is created when missing.  When the
 * name changes while the daemon runs, the row is renamed in place, so that
 * the zone's gateways and ports keep pointing at it; when the name is
 * cleared, the row is deleted.  Other zones' rows are never touched. */

struct icsbrec_availability_zone;

/* The step: sync_az_step (see ic/steps.def).  It finds the zone's row for
 * the engine, which hands it to the zone steps. */

const char *az_name(const struct icsbrec_availability_zone *);

#endif /* ic/sync-az.h */

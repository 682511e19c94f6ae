/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_AZ_H
#define SYNC_AZ_H 1

/* Availability-zone registration.
 *
 * Reads:  NB NB_Global.name; IC-SB Availability_Zone.
 * Writes: IC-SB Availability_Zone.
 *
 * The zone's name is NB_Global.name; while it is empty the zone has no AZ
 * and no other step runs.  The AZ row is created when missing.  When the
 * name changes while the daemon runs, the row is renamed in place, so that
 * the zone's gateways and ports keep pointing at it; when the name is
 * cleared, the row is deleted.  Other zones' rows are never touched. */

#include <stdbool.h>

struct icsbrec_availability_zone;
struct nbrec_nb_global;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct problem_set;

struct sync_az {
    char *name;                 /* Name registered last, or NULL. */
};

struct sync_az_ctx {
    const struct nbrec_nb_global *nb_global; /* May be NULL. */
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
};

void sync_az_init(struct sync_az *);
void sync_az_destroy(struct sync_az *);
bool sync_az_run(struct sync_az *, const struct sync_az_ctx *);
const struct icsbrec_availability_zone *sync_az_get(
    const struct sync_az *, struct ovsdb_idl *icsb_idl);
const char *az_name(const struct icsbrec_availability_zone *);

#endif /* ic/sync-az.h */

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
 * the zone's gateways and ports keep pointing at it (and the names they
 * carry follow, see row_zone() below); when the name is
 * cleared, the row is deleted.  Other zones' rows are never touched. */

struct icsbrec_availability_zone;
struct ovsdb_idl_column;
struct ovsdb_idl_row;

/* The step: sync_az_step (see ic/steps.def).  It finds the zone's row for
 * the engine, which hands it to the zone steps. */

const char *az_name(const struct icsbrec_availability_zone *);

/* Zone ownership of IC-SB rows.
 *
 * A Gateway, Encap, Port_Binding, Route or Address_Set row refers to its
 * zone's Availability_Zone row, and our schema adds the zone's name as a
 * string, availability_zone_name, which is what ovsdb-server's RBAC can
 * compare with a client certificate's common name (see README.md, "Per-zone
 * RBAC").  RBAC checks the name only, so a zone could insert a row under its
 * own name that refers to another zone's Availability_Zone.  Such a row
 * belongs to no zone: row_zone() returns NULL for it, so no daemon takes it
 * for its own (and tries to update or delete it, which RBAC would refuse)
 * and no daemon mirrors it as the other zone's.  A row with an empty name
 * (written by upstream's daemon, or on a schema without the column) belongs
 * to the zone it refers to. */
const struct icsbrec_availability_zone *row_zone(
    const struct icsbrec_availability_zone *az, const char *name);

/* The zone of IC-SB row 'ROW', which has columns availability_zone and
 * availability_zone_name. */
#define ROW_AZ(ROW) \
    row_zone((ROW)->availability_zone, (ROW)->availability_zone_name)

/* Sets column 'column' (availability_zone_name) of 'row', a row this zone
 * inserts into IC-SB, to 'az''s name, if the server's schema has the
 * column (upstream's has not). */
void row_set_zone_name(const struct ovsdb_idl_row *row,
                       const struct ovsdb_idl_column *column,
                       const struct icsbrec_availability_zone *az);

/* Returns a description of what is wrong with 'ROW''s zone, for a refusal,
 * or NULL if it has one. */
#define ROW_AZ_REFUSAL(ROW)                                             \
    (ROW_AZ(ROW) ? NULL                                                 \
     : "its availability_zone_name is not the name of its availability zone")

#endif /* ic/sync-az.h */

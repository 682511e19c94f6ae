/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_DATAPATH_H
#define SYNC_DATAPATH_H 1

/* Transit switches: global datapath keys and the zone's logical switches.
 *
 * Two steps, because they have different writers:
 *
 * sync_datapath_keys_step runs only in the one daemon, across all zones,
 * that holds the IC-SB lock "ovn_ic_sb" (the global writer).
 *   Reads:  IC-NB Transit_Switch; IC-SB Datapath_Binding.
 *   Writes: IC-SB Datapath_Binding.
 *   Every transit switch gets exactly one Datapath_Binding with a tunnel key
 *   from the interconnection range, allocated once.  In VXLAN mode (see
 *   sync_datapath_vxlan_mode()) the range is IC_DP_VXLAN_KEY_MIN..MAX, and
 *   a switch whose key is outside the current mode's range gets a new one
 *   when the mode changes.  A switch may ask for a
 *   key with other_config:requested-tnl-key; a request that is invalid or
 *   held by another switch is reported and not honoured.  Bindings of
 *   deleted switches, and duplicates, are removed.
 *   Reads:  IC-NB Transit_Router too.
 *   Every transit router gets one binding of type "transit-router" whose
 *   nb_ic_uuid is the router's IC-NB row, with a key from the same range
 *   (never the VXLAN one); bindings of deleted routers go (one without
 *   nb_ic_uuid names no router and is left alone).  Older IC
 *   schemas without transit routers leave this part out.
 *
 * sync_transit_switch_step runs in every zone.
 *   Reads:  IC-NB Transit_Switch; IC-SB Datapath_Binding;
 *           NB Logical_Switch.
 *   Writes: NB Logical_Switch.
 *   Every transit switch appears in the zone's NB as a logical switch of
 *   the same name, marked other_config:interconn-ts=<name>, with
 *   other_config:requested-tnl-key set to the global key once it exists,
 *   and other_config:ic-vxlan_mode=true in VXLAN mode (northd 25.03 and
 *   later then keep the zone's own keys below the transit switches').  The
 *   key is set to "false" when the mode goes off, and never written while
 *   it is off, as 23.03's daemon does not write it.
 *   Marked switches whose transit switch is gone are deleted.
 *   Scopes (lib/ts-scope.h): a transit switch whose
 *   other_config:availability-zones does not name this zone is not
 *   created here, and the logical switch made for it before is deleted
 *   (its ports go with it). */

#include <stdbool.h>

struct ovsdb_idl;

struct icnbrec_transit_switch;

bool transit_switch_name_is_valid(const char *name);

/* True if 'ts' exists in zone 'zone': it is unscoped, or its scope names
 * the zone (lib/ts-scope.h). */
bool transit_switch_in_zone(const struct icnbrec_transit_switch *ts,
                            const char *zone);

/* Reads:  IC-NB IC_NB_Global.options; IC-SB Encap. */
bool sync_datapath_vxlan_mode(struct ovsdb_idl *icnb_idl,
                              struct ovsdb_idl *icsb_idl);

#endif /* ic/sync-datapath.h */

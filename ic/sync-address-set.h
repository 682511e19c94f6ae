/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_ADDRESS_SET_H
#define SYNC_ADDRESS_SET_H 1

/* Address sets shared between zones, as upstream's newest ovn-ic does.
 *
 * The step: sync_address_set_step (see ic/steps.def).  Two switches in
 * NB_Global options, both off by default:
 *
 * Advertising (options:ic-as-adv=true).  An NB Address_Set with
 * options:ic-adv=true, which ovn-northd copies into the SB Address_Set's
 * options (northd newer than 26.03; SB 21.11.0), is published as an IC-SB
 * Address_Set of the same name, with its addresses as they are, owned by
 * this zone's availability zone (IC-SB indexes name and zone together, so
 * several zones may publish one name).  This zone's IC-SB sets that are no
 * longer advertised, or all of them when ic-as-adv is off, are withdrawn.
 * Against an SB without Address_Set.options the step cannot tell which
 * sets to advertise: it says so once and leaves this zone's IC-SB sets as
 * they are.
 *
 * Learning (options:ic-as-learn=true).  The IC-SB sets of other zones
 * become NB Address_Sets marked external_ids:ic-learnt=true.  Sets of one
 * name from several zones are merged into one NB set holding all their
 * addresses.  A set of that name that this zone made itself (no marker)
 * wins: it is never overwritten, and nothing is learned for that name.
 * Learned sets whose name no zone publishes any more, or all of them when
 * ic-as-learn is off, are deleted.  An address from another zone that is
 * not something an address set can hold (see address_set_entry_is_valid())
 * is left out of the learned set, and the set is listed in problems/show;
 * the rest of the set is learned.
 *
 * Against an IC-SB older than 2.7.0 (no Address_Set table) the step says
 * so once and does nothing. */

#include <stdbool.h>

/* Returns true if 'entry' is something an OVN address set can hold, a
 * constant that OVN's expression lexer reads as one integer, optionally
 * masked: an IPv4 or IPv6 address, with a prefix length or a mask of the
 * same family; an Ethernet address, optionally with an Ethernet mask; or a
 * decimal or hexadecimal integer, optionally with a mask.  Nothing before
 * or after it, not even white space. */
bool address_set_entry_is_valid(const char *entry);

#endif /* ic/sync-address-set.h */

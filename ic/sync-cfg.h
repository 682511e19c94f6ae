/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_CFG_H
#define SYNC_CFG_H 1

/* The nb_ic_cfg handshake behind "ovn-ic-nbctl --wait=sb".
 *
 * Reads:  IC-NB IC_NB_Global.nb_ic_cfg; IC-SB Availability_Zone.nb_ic_cfg,
 *         IC_SB_Global.nb_ic_cfg.
 * Writes: IC-SB Availability_Zone.nb_ic_cfg and IC_SB_Global.nb_ic_cfg;
 *         IC-NB IC_NB_Global.sb_ic_cfg; the two global rows when missing.
 *
 * 1. A client increments IC_NB_Global.nb_ic_cfg to N and waits for
 *    IC_NB_Global.sb_ic_cfg to reach N.
 * 2. Each zone's daemon copies N to its Availability_Zone.nb_ic_cfg only
 *    after a pass that started with IC-NB at N (or later) in which every
 *    step was complete and no transaction changed anything: by then the
 *    zone's NB, SB and IC-SB reflect IC-NB as of N.
 * 3. Once every zone reports at least N, any daemon sets
 *    IC_SB_Global.nb_ic_cfg and IC_NB_Global.sb_ic_cfg to the smallest
 *    value reported.  Writing the same value twice is harmless, so no lock
 *    is needed.
 * Servers that run IC schemas older than the handshake lack these columns;
 * the step then does nothing. */

#include <stdbool.h>
#include <stdint.h>

struct icsbrec_availability_zone;
struct ovsdb_idl;
struct ovsdb_idl_txn;

struct sync_cfg_ctx {
    const struct icsbrec_availability_zone *az;
    struct ovsdb_idl *icnb_idl;
    struct ovsdb_idl_txn *icnb_txn;
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    bool create_globals;        /* This daemon is the global writer. */
    int64_t converged_cfg;      /* nb_ic_cfg this zone has caught up with,
                                 * or -1 if it has not converged. */
};

bool sync_cfg_run(const struct sync_cfg_ctx *);
int64_t sync_cfg_current(struct ovsdb_idl *icnb_idl);

#endif /* ic/sync-cfg.h */

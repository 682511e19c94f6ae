/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef SYNC_CFG_H
#define SYNC_CFG_H 1

/* The global rows and the nb_ic_cfg handshake behind
 * "ovn-ic-nbctl --wait=sb": steps sync_globals_step and sync_cfg_step.
 *
 * The global writer creates IC_NB_Global and IC_SB_Global when they are
 * missing.  Two zones cannot both create them: the IC-SB row is created
 * only through the session that holds the IC-SB lock, and both tables hold
 * at most one row, so a racing insert of IC_NB_Global by a daemon that
 * just lost the lock fails and is retried, finding the row.
 *
 * The handshake:
 * 1. A client increments IC_NB_Global.nb_ic_cfg to N and waits for
 *    IC_NB_Global.sb_ic_cfg to reach N.
 * 2. Each zone's daemon copies N to its Availability_Zone.nb_ic_cfg only
 *    after a pass that started with IC-NB at N (or later) in which every
 *    step was complete and no transaction changed anything (a "quiet"
 *    pass, see ic/engine.h): by then the zone's NB, SB and IC-SB reflect
 *    IC-NB as of N.
 * 3. Once every zone reports at least N, any daemon sets
 *    IC_SB_Global.nb_ic_cfg and IC_NB_Global.sb_ic_cfg to the smallest
 *    value reported.  Writing the same value twice is harmless, so no lock
 *    is needed.
 * Servers that run IC schemas older than the handshake lack these columns;
 * the step then does nothing. */

#endif /* ic/sync-cfg.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_CONTROLLER_H
#define IC_CONTROLLER_H 1

/* The interconnection controller of one zone: its database sessions, its
 * locks, the sync engine and its unixctl commands.
 *
 * Locks.  Several daemons may serve one zone; the one holding the zone SB's
 * lock "ovn_ic" is active and the others stand by.  Across all zones, the
 * active daemon that also holds the IC-SB lock "ovn_ic_sb" (on a second,
 * narrow IC-SB session) is the global writer, the only one that creates
 * and deletes transit switch datapath bindings, so that two zones adding
 * the same switch at the same moment still end up with one binding and one
 * key.  Upstream's newest ovn-ic uses the same lock name, so mixed
 * deployments agree on a single global writer. */

#include <stdbool.h>
#include <stdint.h>

struct ic_controller;

struct ic_controller_options {
    const char *nb_remote;
    const char *sb_remote;
    const char *icnb_remote;
    const char *icsb_remote;

    /* Replicate every row of the tables the steps use, without monitor
     * conditions (--ic-monitor-all, see ic/condmon.h). */
    bool monitor_all;
};

struct ic_controller *ic_controller_create(
    const struct ic_controller_options *);
void ic_controller_destroy(struct ic_controller *);

void ic_controller_run(struct ic_controller *);
void ic_controller_wait(const struct ic_controller *);
bool ic_controller_is_exiting(const struct ic_controller *);

struct ds;
struct metrics;
void ic_controller_count_rows_written(struct ic_controller *);
void ic_controller_render_metrics(const struct ic_controller *,
                                  struct metrics *);
bool ic_controller_is_healthy(const struct ic_controller *,
                              struct ds *reason);

/* For tests that drive a controller in-process. */
struct ic_engine *ic_controller_engine(const struct ic_controller *);
uint64_t ic_controller_n_commits(const struct ic_controller *);

#endif /* ic/controller.h */

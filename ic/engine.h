/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_ENGINE_H
#define IC_ENGINE_H 1

/* The sync engine: runs the steps of ic/steps.def (see ic/step.h), each
 * only when its inputs changed, and owns the pass.
 *
 * A pass, ic_engine_run():
 *   1. opens a transaction on every session that a step which may run now
 *      writes;
 *   2. asks the zone step for the zone's row and calls every step's
 *      on_pass_start hook;
 *   3. runs, in order, each step whose inputs moved since it last ran (or
 *      all of them when a recompute is forced): the engine compares each
 *      read table's change sequence number with the one it saw when the
 *      step last ran.  A global-writer step is skipped unless this daemon
 *      is the global writer; a zone step is skipped while the zone has no
 *      AZ; a step is postponed, not dropped, while one of the sessions it
 *      writes has no open transaction (one is still in flight), or one of
 *      the sessions it reads or writes waits for the server to apply new
 *      monitor conditions (ic_engine_set_unsettled(), ic/condmon.h);
 *   4. commits every open transaction without blocking;
 *   5. decides convergence: a pass in which every step was complete, none
 *      was postponed and no transaction changed anything is "quiet", and
 *      the steps' on_quiet_pass hooks are called (the --wait=sb handshake
 *      reports progress only then).
 *
 * A step may read rows that an earlier step wrote in the same pass: the
 * IDL shows a transaction's own writes.  What a later step writes reaches
 * an earlier one through the database on the next pass, so the order of
 * ic/steps.def is only an optimisation, never a correctness condition.
 *
 * The engine reaches the databases only through 'struct ic_engine_io', so
 * the unit tests can drive it with changes of their own.  The controller
 * (ic/controller.c) keeps the sessions, the locks and the unixctl commands,
 * and decides whether a pass runs at all (the daemon is active and
 * connected) or the engine idles. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ic/step.h"

struct ds;
struct icsbrec_availability_zone;
struct metrics;
struct ovsdb_idl_txn;
struct problem_set;

/* The sessions the engine talks to: one per database, and a second IC-SB
 * session that holds the global writer's lock. */
#define IC_SESSION_GLOBAL IC_N_DBS
#define IC_N_SESSIONS (IC_N_DBS + 1)

const char *ic_session_name(int session);

/* How the engine reaches the sessions. */
struct ic_engine_io {
    void *aux;

    /* At creation: replicate all columns of 'table', and track changes to
     * 'column' (see ovsdb_idl_track_add_column()). */
    void (*monitor)(void *aux, int session,
                    const struct ovsdb_idl_table_class *table);
    void (*track)(void *aux, int session,
                  const struct ovsdb_idl_column *column);

    /* At creation, after 'monitor' and 'track': do not replicate 'column'
     * (see ovsdb_idl_omit()). */
    void (*omit)(void *aux, int session,
                 const struct ovsdb_idl_column *column);

    /* The session's IDL, handed to the steps. */
    struct ovsdb_idl *(*idl)(void *aux, int session);

    /* The change sequence number of 'read''s table, and whether its
     * tracked changes touch more than the read's ignored columns. */
    unsigned int (*seqno)(void *aux, int session,
                          const struct ovsdb_idl_table_class *);
    bool (*changed_beyond_ignored)(void *aux, int session,
                                   const struct ic_read *);
    void (*clear_tracking)(void *aux, int session);

    /* Opens a transaction, or returns NULL if the session cannot take one
     * now.  Commits it without blocking and returns true if it sent
     * changes; 'count' asks for the rows written to be counted. */
    struct ovsdb_idl_txn *(*begin)(void *aux, int session);
    bool (*commit)(void *aux, int session, bool count);
};

struct ic_engine *ic_engine_create(const struct ic_step *const steps[],
                                   size_t n_steps,
                                   const struct ic_engine_io *,
                                   struct problem_set *);
struct ic_engine *ic_engine_create_default(const struct ic_engine_io *,
                                           struct problem_set *);
bool ic_engine_dump_graph(const char *node, struct ds *);
size_t ic_step_n_reads(const struct ic_step *);
void ic_engine_destroy(struct ic_engine *);

void ic_engine_force_recompute(struct ic_engine *, const char *reason);
void ic_engine_set_unsettled(struct ic_engine *, uint32_t sessions);
const struct icsbrec_availability_zone *ic_engine_get_az(
    const struct ic_engine *);
bool ic_engine_force_step(struct ic_engine *, const char *name);
void ic_engine_run(struct ic_engine *, bool global_writer);
void ic_engine_idle(struct ic_engine *);

bool ic_engine_is_converged(const struct ic_engine *);
void ic_engine_format(const struct ic_engine *, struct ds *);
void ic_engine_format_status(const struct ic_engine *, struct ds *);
void ic_engine_render_metrics(const struct ic_engine *, struct metrics *);

/* For the unit tests. */
uint64_t ic_engine_step_runs(const struct ic_engine *, const char *name);
bool ic_engine_step_recomputed(const struct ic_engine *, const char *name);

#endif /* ic/engine.h */

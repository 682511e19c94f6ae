/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_ENGINE_H
#define IC_ENGINE_H 1

/* The sync engine: an ordered table of steps, each run only when its inputs
 * changed.
 *
 * A step declares the tables it reads ('inputs') and the databases it
 * writes ('outputs').  On every pass the engine compares each input table's
 * change sequence number with the one it saw when the step last ran; a step
 * whose inputs did not move is skipped.  A step also runs when a recompute
 * is forced (a session reconnected, a commit failed, a lock was gained, the
 * daemon resumed), and it is postponed, not dropped, while one of its output
 * databases has no open transaction.
 *
 * Steps run in table order.  A step may read rows that an earlier step wrote
 * in the same pass: the IDL shows a transaction's own writes.  What a later
 * step writes reaches an earlier one through the database on the next pass,
 * so the table order is only an optimisation, never a correctness condition.
 *
 * A step reports whether it is complete: false means it is waiting for
 * another party (for example a datapath key that only the global writer may
 * allocate).  The nb_ic_cfg handshake reports progress only after a pass in
 * which every step was complete and nothing was written. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ic-db.h"

struct ds;
struct ovsdb_idl_table_class;

enum ic_db_id {
    IC_DB_NB,                   /* The zone's OVN_Northbound. */
    IC_DB_SB,                   /* The zone's OVN_Southbound. */
    IC_DB_ICNB,                 /* OVN_IC_Northbound. */
    IC_DB_ICSB,                 /* OVN_IC_Southbound, per-zone writes. */
    IC_DB_ICSB_GLOBAL,          /* OVN_IC_Southbound, global writer. */
    IC_N_DBS
};

const char *ic_db_id_name(enum ic_db_id);

#define IC_MAX_IGNORED 3

struct ic_input {
    enum ic_db_id db;
    const struct ovsdb_idl_table_class *table;

    /* Optional: changes to the table that touch only these columns do not
     * count (rows inserted or deleted always do).  The engine turns on
     * change tracking for the table's other columns to tell. */
    const struct ovsdb_idl_column *ignore[IC_MAX_IGNORED];
};

#define IC_MAX_INPUTS 16

struct ic_engine;

/* What a step is told about its inputs when it runs. */
struct ic_step_changes {
    const struct ic_step *step; /* The step that runs. */

    /* True if the step must recompute everything: a recompute was forced,
     * the step never ran, or (for a step that tracks changes) some of the
     * IDL's tracked changes were dropped before the step saw them. */
    bool recompute;

    /* Bit i is set if inputs[i]'s table changed since the step last ran. */
    uint32_t inputs;
};

struct ic_step {
    const char *name;
    const char *description;    /* One line, for engine/show. */

    /* Runs the step with 'aux' from ic_engine_create().  Returns true if the
     * step is complete, false if it waits on another party. */
    bool (*run)(void *aux, const struct ic_step_changes *);

    struct ic_input inputs[IC_MAX_INPUTS];
    uint32_t outputs;           /* Bitmap of 1 << enum ic_db_id. */

    /* True if the step reads the IDL's change tracking of its input
     * databases.  The engine clears a database's tracked changes after a
     * pass only if no such step still has to see them, and tells the step
     * to recompute if they were lost (see ic_engine_idle()). */
    bool tracks_changes;
};

#define IC_OUT(DB) (1u << (DB))

struct ic_engine *ic_engine_create(const struct ic_step *, size_t n_steps,
                                   struct ic_db *dbs[IC_N_DBS], void *aux);
void ic_engine_destroy(struct ic_engine *);

void ic_engine_force_recompute(struct ic_engine *, const char *reason);
uint32_t ic_engine_run(struct ic_engine *, uint32_t writable_dbs,
                       uint32_t disabled_dbs);
void ic_engine_force_step(struct ic_engine *, const char *name);
void ic_engine_idle(struct ic_engine *);

bool ic_engine_is_converged(const struct ic_engine *);
uint64_t ic_engine_n_passes(const struct ic_engine *);
void ic_engine_format(const struct ic_engine *, struct ds *);

struct metrics;
void ic_engine_render_metrics(const struct ic_engine *, struct metrics *);

#endif /* ic/engine.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_STEP_H
#define IC_STEP_H 1

/* The contract between the sync engine and a reconciled object.
 *
 * Each module in ic/ that reconciles one kind of object declares one or
 * more steps, next to its code:
 *
 *     const struct ic_step sync_gateway_step = {
 *         .name = "gateway",
 *         .description = "local gateways to IC-SB, remote ones to SB",
 *         .needs_az = true,
 *         .reads = {
 *             { IC_DB_SB, &sbrec_table_chassis },
 *             ...
 *         },
 *         .writes = {
 *             { IC_DB_SB, &sbrec_table_chassis },
 *             ...
 *         },
 *         .run = sync_gateway_run,
 *     };
 *
 * and adds one line, IC_STEP(sync_gateway_step), to ic/steps.def.  That is
 * all the engine needs: it monitors the tables that some step reads or
 * writes and no others, so a read that is not declared finds an empty
 * table; it runs a step only when one of its inputs changed; it opens a
 * transaction on a database only for the steps that write it; and it hands
 * a step nothing but the databases it declared (ic_step_idl() and
 * ic_step_txn() assert it).
 *
 * Writers.  Every table that some step writes has exactly one owner, the
 * step that declares it in 'writes' without columns: it inserts and deletes
 * the rows (or several owners of named, disjoint sets of rows, see struct
 * ic_write).  Another step may write named columns of a table it does not
 * own (a 'writes' entry with 'columns'), and each column has one writer.
 * The engine checks this when it starts and aborts on a violation, so two
 * steps can never fight over a row.
 *
 * Global-writer steps.  A step with 'global_writer' runs only in the one
 * daemon, across all zones, that holds the IC-SB lock "ovn_ic_sb".  Its
 * IC-SB reads and writes go through the second IC-SB session, the one that
 * holds the lock, so that every transaction it commits is conditional on
 * the lock: a daemon that lost the lock while its transaction was in
 * flight cannot write anything.  The global session replicates only the
 * tables that global-writer steps declare, and its writers are counted
 * apart from the per-zone session's.
 *
 * Zone steps ('needs_az') run only once this zone is registered in IC-SB;
 * ic_step_az() returns the zone's Availability_Zone row. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct icsbrec_availability_zone;
struct metrics;
struct ovsdb_idl;
struct ovsdb_idl_column;
struct ovsdb_idl_table_class;
struct ovsdb_idl_txn;
struct problem_set;

enum ic_db_id {
    IC_DB_NB,                   /* The zone's OVN_Northbound. */
    IC_DB_SB,                   /* The zone's OVN_Southbound. */
    IC_DB_ICNB,                 /* OVN_IC_Northbound. */
    IC_DB_ICSB,                 /* OVN_IC_Southbound. */
    IC_N_DBS
};

const char *ic_db_id_name(enum ic_db_id);

#define IC_MAX_COLUMNS 3        /* Per 'ignore' or 'columns' list. */
#define IC_MAX_READS 16
#define IC_MAX_WRITES 8

/* A table a step reads. */
struct ic_read {
    enum ic_db_id db;
    const struct ovsdb_idl_table_class *table;

    /* Optional: changes that touch only these columns do not count (rows
     * inserted or deleted always do).  The engine tracks the table's other
     * columns to tell. */
    const struct ovsdb_idl_column *ignore[IC_MAX_COLUMNS];
};

/* A table a step writes: all of it (no 'columns'), or only the named
 * columns of rows that another step owns.
 *
 * 'rows', if set, says that the owner owns only some of the table's rows,
 * for example "type=transit-router-port": then every owner of the table
 * must name its rows, and the sets must be disjoint (the engine checks
 * that the names differ; the steps keep to them). */
struct ic_write {
    enum ic_db_id db;
    const struct ovsdb_idl_table_class *table;
    const struct ovsdb_idl_column *columns[IC_MAX_COLUMNS];
    const char *rows;
};

/* A table, for probes and ic_step_changed_only(). */
struct ic_table_ref {
    enum ic_db_id db;
    const struct ovsdb_idl_table_class *table;
};

#define IC_MAX_PROBES 2

/* A column of a database. */
struct ic_column_ref {
    enum ic_db_id db;
    const struct ovsdb_idl_column *column;
};

struct ic_step_ctx;

struct ic_step {
    const char *name;
    const char *description;    /* One line, for engine/show. */

    struct ic_read reads[IC_MAX_READS];
    struct ic_write writes[IC_MAX_WRITES];

    /* Tables the step only asks about (does the server's schema have
     * them? ovsdb_idl_server_has_table() knows only for replicated
     * tables): replicated, but their changes never make the step run. */
    struct ic_table_ref probes[IC_MAX_PROBES];

    /* Optional: a session of the step's own, beside the engine's (the
     * route step's, ic/route-owners.h, is the one there is).  The engine's
     * sessions leave 'own_columns' out of their replicas: the step's own
     * session replicates and writes them instead, and no step may use
     * them through the engine.  The step runs when 'own_seqno' changes,
     * and waits while 'own_busy' is true, as for an engine session that
     * cannot take a transaction (tracked changes are kept for it). */
    struct ic_column_ref own_columns[IC_MAX_COLUMNS];
    unsigned int (*own_seqno)(const void *state);
    bool (*own_busy)(const void *state);

    bool needs_az;              /* Runs only once the zone has its AZ. */
    bool global_writer;         /* Runs only in the global writer. */

    /* True if the step reads the IDL's change tracking of the tables it
     * reads (see ic_step_changed()): the engine then keeps a database's
     * tracked changes until the step has seen them, and makes it recompute
     * if they were dropped. */
    bool tracks_changes;

    /* Optional: per-step state, created when the engine starts and
     * destroyed with it; ic_step_state() returns it. */
    void *(*create)(void);
    void (*destroy)(void *state);

    /* Runs the step.  Returns true if the step is complete, false if it
     * waits on another party (for example a key that only the global
     * writer may allocate). */
    bool (*run)(struct ic_step_ctx *);

    /* Optional hooks, all given the step's state. */

    /* The step whose 'find_az' is set registers the zone: the engine asks
     * it for the zone's row before each pass. */
    const struct icsbrec_availability_zone *(*find_az)(
        void *state, struct ovsdb_idl *icsb);

    /* Called at the start of every pass that may run steps, and after a
     * pass in which every step was complete and nothing was written
     * ("quiet").  'on_quiet_pass' returns true to have the step run in
     * the next pass whatever changed (see ic/sync-cfg.c). */
    void (*on_pass_start)(void *state, struct ovsdb_idl *idls[IC_N_DBS]);
    bool (*on_quiet_pass)(void *state);

    /* For status/show and the metrics endpoint. */
    void (*format_status)(const void *state, struct ds *);
    void (*render_metrics)(const void *state, struct metrics *);
};

/* What a running step may see.  Use the accessors; they check the step's
 * declaration. */
struct ic_step_ctx {
    const struct ic_step *step;
    void *state;

    /* The databases the step declared, NULL for the others.  For a
     * global-writer step, IC_DB_ICSB is the global writer's session. */
    struct ovsdb_idl *idls[IC_N_DBS];
    struct ovsdb_idl_txn *txns[IC_N_DBS];

    const struct icsbrec_availability_zone *az;
    bool recompute;             /* Everything must be recomputed. */
    uint32_t changed;           /* Bit i: reads[i] changed; bit
                                 * IC_MAX_READS: 'own_seqno' did. */
    bool global_writer;         /* This daemon holds the IC-SB lock. */
    struct problem_set *problems;
};

struct ovsdb_idl *ic_step_idl(const struct ic_step_ctx *, enum ic_db_id);
struct ovsdb_idl_txn *ic_step_txn(const struct ic_step_ctx *,
                                  enum ic_db_id);
const struct icsbrec_availability_zone *ic_step_az(
    const struct ic_step_ctx *);
void *ic_step_state(const struct ic_step_ctx *);
struct problem_set *ic_step_problems(const struct ic_step_ctx *);

/* True if the step must recompute everything: a recompute was forced, the
 * step never ran, or tracked changes were dropped before it saw them. */
bool ic_step_recompute(const struct ic_step_ctx *);

/* True if 'table' of 'db', which the step must read, changed since the
 * step last ran. */
bool ic_step_changed(const struct ic_step_ctx *, enum ic_db_id,
                     const struct ovsdb_idl_table_class *);

/* True if every table the step reads that changed since it last ran is
 * one of the 'n' in 'tables': for a step that handles changes to some
 * tables incrementally and recomputes for the others. */
bool ic_step_changed_only(const struct ic_step_ctx *,
                          const struct ic_table_ref tables[], size_t n);

/* ic/steps.def lists every step, in the order the engine runs them. */
#define IC_STEP(NAME) extern const struct ic_step NAME;
#include "ic/steps.def"
#undef IC_STEP

#endif /* ic/step.h */

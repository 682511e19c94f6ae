/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Tests of ic/engine: which steps run after which changes, postponed and
 * skipped steps, dropped change tracking, quiet passes, the check that
 * every table has one writer, and what the sessions replicate.
 *
 * The engine reaches the databases only through struct ic_engine_io, so
 * these tests hand it a fake one: a change source whose table seqnos and
 * tracked changes the test sets, and sessions whose transactions the test
 * makes available or busy.  The steps are fake too; they record how they
 * were run. */

#include <config.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ic/engine.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "tests/unit/tap.h"
#include "util.h"

/* The fake world. */

#define MAX_TABLES 16

struct fake_table {
    int session;
    const struct ovsdb_idl_table_class *table;
    unsigned int seqno;
    bool beyond_ignored;        /* Tracked changes touch more columns. */
    bool monitored;
    size_t n_tracked;           /* Columns tracked. */
};

static struct fake_world {
    struct fake_table tables[MAX_TABLES];
    size_t n_tables;
    bool busy[IC_N_SESSIONS];   /* A transaction is in flight. */
    bool wrote[IC_N_SESSIONS];  /* Set by a step, read by commit. */
    int n_begins[IC_N_SESSIONS];
    int n_commits[IC_N_SESSIONS];
    int n_clears[IC_N_SESSIONS];
    bool track_before_monitor;  /* A column tracked, then monitored. */
    const struct ovsdb_idl_column *omitted;   /* The last column omitted. */
    int omitted_session;
    bool omit_before_track;     /* A column omitted before all tracking. */
} world;

static struct fake_table *
fake_table(int session, const struct ovsdb_idl_table_class *table)
{
    for (size_t i = 0; i < world.n_tables; i++) {
        struct fake_table *t = &world.tables[i];
        if (t->session == session && t->table == table) {
            return t;
        }
    }
    ovs_assert(world.n_tables < MAX_TABLES);
    struct fake_table *t = &world.tables[world.n_tables++];
    memset(t, 0, sizeof *t);
    t->session = session;
    t->table = table;
    return t;
}

/* Makes 'table' of 'session' change; 'beyond' tells whether the change
 * touches more than the ignored columns. */
static void
change(int session, const struct ovsdb_idl_table_class *table, bool beyond)
{
    struct fake_table *t = fake_table(session, table);
    t->seqno++;
    t->beyond_ignored = beyond;
}

static void
io_monitor(void *aux OVS_UNUSED, int session,
           const struct ovsdb_idl_table_class *table)
{
    struct fake_table *t = fake_table(session, table);
    if (t->n_tracked) {
        world.track_before_monitor = true;
    }
    t->monitored = true;
}

static void
io_track(void *aux OVS_UNUSED, int session,
         const struct ovsdb_idl_column *column)
{
    for (size_t i = 0; i < world.n_tables; i++) {
        struct fake_table *t = &world.tables[i];
        if (t->session == session && column >= t->table->columns
            && column < t->table->columns + t->table->n_columns) {
            t->n_tracked++;
            return;
        }
    }
    OVS_NOT_REACHED();
}

static void
io_omit(void *aux OVS_UNUSED, int session,
        const struct ovsdb_idl_column *column)
{
    /* The engine tracks before it omits: the table of an own column that a
     * tracking step reads has its columns tracked by now. */
    for (size_t i = 0; i < world.n_tables; i++) {
        const struct fake_table *t = &world.tables[i];
        if (t->session == session && column >= t->table->columns
            && column < t->table->columns + t->table->n_columns
            && !t->n_tracked) {
            world.omit_before_track = true;
        }
    }
    world.omitted = column;
    world.omitted_session = session;
}

static struct ovsdb_idl *
io_idl(void *aux OVS_UNUSED, int session OVS_UNUSED)
{
    return NULL;
}

static unsigned int
io_seqno(void *aux OVS_UNUSED, int session,
         const struct ovsdb_idl_table_class *table)
{
    return fake_table(session, table)->seqno;
}

static bool
io_changed_beyond_ignored(void *aux OVS_UNUSED, int session,
                          const struct ic_read *read)
{
    return fake_table(session, read->table)->beyond_ignored;
}

static void
io_clear_tracking(void *aux OVS_UNUSED, int session)
{
    world.n_clears[session]++;
    for (size_t i = 0; i < world.n_tables; i++) {
        if (world.tables[i].session == session) {
            world.tables[i].beyond_ignored = false;
        }
    }
}

static struct ovsdb_idl_txn *
io_begin(void *aux OVS_UNUSED, int session)
{
    /* Any nonnull pointer will do: the fake steps never use it. */
    static int dummy;
    world.n_begins[session]++;
    return world.busy[session] ? NULL : (struct ovsdb_idl_txn *) &dummy;
}

static bool
io_commit(void *aux OVS_UNUSED, int session, bool count OVS_UNUSED)
{
    world.n_commits[session]++;
    bool wrote = world.wrote[session];
    world.wrote[session] = false;
    return wrote;
}

static const struct ic_engine_io fake_io = {
    .monitor = io_monitor,
    .track = io_track,
    .omit = io_omit,
    .idl = io_idl,
    .seqno = io_seqno,
    .changed_beyond_ignored = io_changed_beyond_ignored,
    .clear_tracking = io_clear_tracking,
    .begin = io_begin,
    .commit = io_commit,
};

/* The fake steps: each records its last run. */

struct step_record {
    int runs;
    bool recompute;
    uint32_t changed;
    bool saw_az;
    bool complete;              /* What the next run returns. */
    int write_session;          /* Written on each run, or -1. */
};

static struct step_record rec_a, rec_b, rec_global, rec_zone, rec_cfg;

static bool
record(struct step_record *r, struct ic_step_ctx *ctx)
{
    r->runs++;
    r->recompute = ic_step_recompute(ctx);
    r->changed = ctx->changed;
    r->saw_az = ic_step_az(ctx) != NULL;
    if (r->write_session >= 0) {
        world.wrote[r->write_session] = true;
    }
    return r->complete;
}

static bool run_a(struct ic_step_ctx *ctx) { return record(&rec_a, ctx); }
static bool run_b(struct ic_step_ctx *ctx) { return record(&rec_b, ctx); }
static bool run_global(struct ic_step_ctx *ctx)
{
    return record(&rec_global, ctx);
}
static bool run_zone(struct ic_step_ctx *ctx)
{
    return record(&rec_zone, ctx);
}
static bool run_cfg(struct ic_step_ctx *ctx) { return record(&rec_cfg, ctx); }

/* The zone: a pointer, or NULL while the zone has none. */
static const struct icsbrec_availability_zone *the_az;

static const struct icsbrec_availability_zone *
find_az(void *state OVS_UNUSED, struct ovsdb_idl *icsb OVS_UNUSED)
{
    return the_az;
}

static int n_quiet_passes;
static bool quiet_wants_run;

static bool
on_quiet_pass(void *state OVS_UNUSED)
{
    n_quiet_passes++;
    bool wants = quiet_wants_run;
    quiet_wants_run = false;
    return wants;
}

/* "a" reads NB Logical_Switch and IC-NB Transit_Switch (ignoring its
 * external_ids) and owns NB Logical_Switch_Port; it finds the zone. */
static const struct ic_step step_a = {
    .name = "a",
    .reads = {
        { IC_DB_NB, &nbrec_table_logical_switch },
        { IC_DB_ICNB, &icnbrec_table_transit_switch,
          .ignore = { &icnbrec_transit_switch_col_external_ids } },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_switch_port },
    },
    .run = run_a,
    .find_az = find_az,
};

/* "b" tracks changes: it reads NB Logical_Switch_Port and IC-SB Route,
 * owns IC-SB Route and writes NB Logical_Switch's ports column. */
static const struct ic_step step_b = {
    .name = "b",
    .tracks_changes = true,
    .reads = {
        { IC_DB_NB, &nbrec_table_logical_switch_port },
        { IC_DB_ICSB, &icsbrec_table_route },
    },
    .writes = {
        { IC_DB_ICSB, &icsbrec_table_route },
        { IC_DB_NB, &nbrec_table_logical_switch,
          .columns = { &nbrec_logical_switch_col_ports } },
    },
    .run = run_b,
};

/* A global-writer step: it reads and writes IC-SB Datapath_Binding
 * through the global session. */
static const struct ic_step step_global = {
    .name = "global",
    .global_writer = true,
    .reads = {
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
    },
    .writes = {
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
    },
    .run = run_global,
};

/* A zone step that writes nothing. */
static const struct ic_step step_zone = {
    .name = "zone",
    .needs_az = true,
    .reads = {
        { IC_DB_ICSB, &icsbrec_table_gateway },
    },
    .run = run_zone,
};

/* A step with a quiet-pass hook, like the --wait=sb handshake. */
static const struct ic_step step_cfg = {
    .name = "cfg",
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_ic_nb_global },
    },
    .run = run_cfg,
    .on_quiet_pass = on_quiet_pass,
};

static const struct ic_step *const all_steps[] = {
    &step_a, &step_b, &step_global, &step_zone, &step_cfg,
};

static void
reset_world(void)
{
    memset(&world, 0, sizeof world);
    struct step_record *recs[] = {
        &rec_a, &rec_b, &rec_global, &rec_zone, &rec_cfg
    };
    for (size_t i = 0; i < ARRAY_SIZE(recs); i++) {
        memset(recs[i], 0, sizeof *recs[i]);
        recs[i]->complete = true;
        recs[i]->write_session = -1;
    }
    the_az = NULL;
    n_quiet_passes = 0;
    quiet_wants_run = false;
}

static struct ic_engine *
engine_create(struct problem_set *problems)
{
    reset_world();
    return ic_engine_create(all_steps, ARRAY_SIZE(all_steps), &fake_io,
                            problems);
}

/* Runs one pass and returns a bitmap of the steps that ran, in the order
 * of all_steps[]. */
static unsigned int
pass(struct ic_engine *e, bool global_writer)
{
    int before[] = {
        rec_a.runs, rec_b.runs, rec_global.runs, rec_zone.runs, rec_cfg.runs
    };
    ic_engine_run(e, global_writer);
    int after[] = {
        rec_a.runs, rec_b.runs, rec_global.runs, rec_zone.runs, rec_cfg.runs
    };
    unsigned int ran = 0;
    for (size_t i = 0; i < ARRAY_SIZE(before); i++) {
        ran |= (after[i] != before[i]) << i;
    }
    return ran;
}

#define A 1u
#define B 2u
#define GLOBAL 4u
#define ZONE 8u
#define CFG 16u

static void
test_monitoring(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);

    bool all_monitored = true;
    for (size_t i = 0; i < world.n_tables; i++) {
        all_monitored = all_monitored && world.tables[i].monitored;
    }
    tap_result(all_monitored && world.n_tables == 7,
               "monitors exactly the tables the steps read and write "
               "(%"PRIuSIZE")", world.n_tables);
    tap_result(fake_table(IC_SESSION_GLOBAL,
                          &icsbrec_table_datapath_binding)->monitored
               && !fake_table(IC_DB_ICSB,
                              &icsbrec_table_datapath_binding)->monitored,
               "a global-writer step's IC-SB tables go to the global "
               "session");
    const struct fake_table *ts = fake_table(IC_DB_ICNB,
                                             &icnbrec_table_transit_switch);
    tap_result(ts->n_tracked == ts->table->n_columns - 1,
               "a read with ignored columns tracks the other columns");
    const struct fake_table *route = fake_table(IC_DB_ICSB,
                                                &icsbrec_table_route);
    const struct fake_table *ls = fake_table(IC_DB_NB,
                                             &nbrec_table_logical_switch);
    tap_result(route->n_tracked == route->table->n_columns
               && !ls->n_tracked,
               "a tracking step tracks what it reads, and nothing else "
               "is tracked");
    tap_result(!world.track_before_monitor,
               "every table is monitored before any column is tracked");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

static void
test_runs_on_change(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);

    unsigned int ran = pass(e, false);
    tap_result(ran == (A | B | CFG) && rec_a.recompute && rec_b.recompute,
               "the first pass runs every step that applies, recomputing "
               "(ran %#x)", ran);
    tap_result(pass(e, false) == 0, "nothing changed, nothing runs");

    change(IC_DB_NB, &nbrec_table_logical_switch, true);
    ran = pass(e, false);
    tap_result(ran == A && !rec_a.recompute && rec_a.changed == 1,
               "a change runs only the steps that read the table, "
               "incrementally (ran %#x)", ran);

    change(IC_DB_ICNB, &icnbrec_table_transit_switch, false);
    tap_result(pass(e, false) == 0,
               "a change to ignored columns only runs nothing");
    change(IC_DB_ICNB, &icnbrec_table_transit_switch, true);
    tap_result(pass(e, false) == A && rec_a.changed == 2,
               "a change beyond the ignored columns runs the step");

    ic_engine_force_recompute(e, "test");
    ran = pass(e, false);
    tap_result(ran == (A | B | CFG) && rec_a.recompute && rec_b.recompute
               && rec_cfg.recompute, "a forced recompute runs every step "
               "(ran %#x)", ran);
    tap_result(ic_engine_force_step(e, "b") && pass(e, false) == B
               && rec_b.recompute, "a forced step runs alone, recomputing");
    tap_result(!ic_engine_force_step(e, "nonesuch"),
               "forcing an unknown step says so");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

static void
test_postponed_and_idle(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);
    pass(e, false);

    /* IC-SB busy: "b", which writes it, waits; the change is kept. */
    world.busy[IC_DB_ICSB] = true;
    change(IC_DB_ICSB, &icsbrec_table_route, true);
    int clears = world.n_clears[IC_DB_ICSB];
    int other_clears = world.n_clears[IC_DB_SB];
    tap_result(pass(e, false) == 0 && !ic_engine_is_converged(e),
               "a step whose session is busy is postponed, and the engine "
               "has not converged");
    world.busy[IC_DB_ICSB] = false;
    tap_result(world.n_clears[IC_DB_ICSB] == clears
               && world.n_clears[IC_DB_SB] == other_clears + 1,
               "the tracked changes a postponed tracking step reads are "
               "kept, the others cleared");
    unsigned int ran = pass(e, false);
    tap_result(ran == B && !rec_b.recompute && rec_b.changed == 2
               && ic_engine_is_converged(e),
               "once the session is free the step runs with the changes "
               "it missed (ran %#x)", ran);

    /* Standby: changes are dropped, so the steps that read tracked
     * changes must recompute; the others run on their seqnos. */
    change(IC_DB_NB, &nbrec_table_logical_switch_port, true);
    change(IC_DB_ICNB, &icnbrec_table_ic_nb_global, true);
    ic_engine_idle(e);
    ran = pass(e, false);
    tap_result(ran == (B | CFG) && rec_b.recompute && !rec_cfg.recompute,
               "after idling, a tracking step recomputes and the others "
               "run incrementally (ran %#x)", ran);
    change(IC_DB_NB, &nbrec_table_logical_switch, true);
    ic_engine_idle(e);
    tap_result(pass(e, false) == A && rec_a.recompute,
               "so does a step that ignores columns, which needs tracked "
               "changes to tell");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

/* A session waiting for new monitor conditions (ic/condmon.h): the steps
 * that use it wait for the server, as for a busy session, and keep their
 * tracked changes; the others run. */
static void
test_unsettled(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);
    pass(e, false);

    ic_engine_set_unsettled(e, 1u << IC_DB_ICSB);
    change(IC_DB_ICSB, &icsbrec_table_route, true);
    change(IC_DB_NB, &nbrec_table_logical_switch, true);
    int clears = world.n_clears[IC_DB_ICSB];
    unsigned int ran = pass(e, false);
    tap_result(ran == A && !ic_engine_is_converged(e),
               "while IC-SB waits for new conditions, the step that uses "
               "it is postponed and the others run (ran %#x)", ran);
    tap_result(world.n_clears[IC_DB_ICSB] == clears,
               "and the tracked changes it reads are kept");
    tap_result(pass(e, false) == 0, "it stays postponed until settled");
    ic_engine_set_unsettled(e, 0);
    ran = pass(e, false);
    tap_result(ran == B && !rec_b.recompute && rec_b.changed == 2
               && ic_engine_is_converged(e),
               "once settled it runs with the changes it missed (ran %#x)",
               ran);

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

static void
test_global_and_zone(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);

    unsigned int ran = pass(e, false);
    tap_result(!(ran & (GLOBAL | ZONE)) && !world.n_begins[IC_SESSION_GLOBAL],
               "without the lock and the zone, the global and zone steps "
               "do not run and the global session stays closed");
    tap_result(ic_engine_is_converged(e), "skipped steps count as complete");

    ran = pass(e, true);
    tap_result(ran == GLOBAL && rec_global.recompute
               && world.n_begins[IC_SESSION_GLOBAL] == 1,
               "becoming the global writer runs the global step, "
               "recomputing, in a transaction on the global session");
    change(IC_SESSION_GLOBAL, &icsbrec_table_datapath_binding, true);
    tap_result(pass(e, true) == GLOBAL && !rec_global.recompute,
               "it follows changes read through the global session");
    change(IC_DB_ICSB, &icsbrec_table_datapath_binding, true);
    tap_result(pass(e, true) == 0, "the per-zone session's copy of the "
               "same table does not wake it");

    static int dummy_az;
    the_az = (const struct icsbrec_availability_zone *) &dummy_az;
    ran = pass(e, true);
    tap_result(ran == ZONE && rec_zone.saw_az && rec_zone.recompute,
               "a zone step runs once the zone exists, and sees it");
    the_az = NULL;
    change(IC_DB_ICSB, &icsbrec_table_gateway, true);
    tap_result(pass(e, true) == 0, "a zone step waits while the zone is "
               "gone");
    pass(e, false);
    change(IC_SESSION_GLOBAL, &icsbrec_table_datapath_binding, true);
    tap_result(pass(e, true) == GLOBAL && rec_global.recompute,
               "a global step that was skipped recomputes when it runs "
               "again");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

static void
test_quiet_pass(void)
{
    struct problem_set problems;
    problems_init(&problems);
    struct ic_engine *e = engine_create(&problems);

    rec_b.write_session = IC_DB_ICSB;
    pass(e, false);
    tap_result(n_quiet_passes == 0, "a pass that wrote is not quiet");
    rec_b.write_session = -1;

    rec_a.complete = false;
    change(IC_DB_NB, &nbrec_table_logical_switch, true);
    pass(e, false);
    tap_result(n_quiet_passes == 0 && !ic_engine_is_converged(e),
               "a pass with a waiting step is not quiet");
    rec_a.complete = true;
    change(IC_DB_NB, &nbrec_table_logical_switch, true);
    quiet_wants_run = true;
    pass(e, false);
    tap_result(n_quiet_passes == 1 && ic_engine_is_converged(e),
               "a pass where all are complete and nothing was written is "
               "quiet");
    tap_result(pass(e, false) == CFG, "a quiet-pass hook that asks for a "
               "run gets one in the next pass");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

/* Returns true if creating an engine over 'steps' aborts. */
static bool
create_aborts(const struct ic_step *const steps[], size_t n)
{
    fflush(stdout);
    pid_t pid = fork();
    if (!pid) {
        if (!freopen("/dev/null", "w", stderr)) {
            _exit(2);
        }
        struct problem_set problems;
        problems_init(&problems);
        reset_world();
        ic_engine_create(steps, n, &fake_io, &problems);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static const struct ic_step owner2 = {
    .name = "owner2",
    .writes = { { IC_DB_NB, &nbrec_table_logical_switch_port } },
    .run = run_a,
};

static const struct ic_step ports_too = {
    .name = "ports-too",
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_switch,
          .columns = { &nbrec_logical_switch_col_name,
                       &nbrec_logical_switch_col_ports } },
    },
    .run = run_a,
};

static const struct ic_step other_column = {
    .name = "other-column",
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_switch,
          .columns = { &nbrec_logical_switch_col_name } },
    },
    .run = run_a,
};

static const struct ic_step switch_ports = {
    .name = "switch-ports",
    .writes = { { IC_DB_NB, &nbrec_table_logical_switch_port,
                  .rows = "type=router" } },
    .run = run_a,
};

static const struct ic_step other_ports = {
    .name = "other-ports",
    .writes = { { IC_DB_NB, &nbrec_table_logical_switch_port,
                  .rows = "type=remote" } },
    .run = run_a,
};

static const struct ic_step same_ports = {
    .name = "same-ports",
    .writes = { { IC_DB_NB, &nbrec_table_logical_switch_port,
                  .rows = "type=router" } },
    .run = run_a,
};

static const struct ic_step zone_without_az = {
    .name = "zone-without-az",
    .needs_az = true,
    .run = run_a,
};

static void
test_writer_check(void)
{
    const struct ic_step *two_owners[] = { &step_a, &owner2 };
    tap_result(create_aborts(two_owners, 2),
               "two steps owning one table abort the start");
    const struct ic_step *one_column[] = { &step_b, &ports_too };
    tap_result(create_aborts(one_column, 2),
               "two steps writing one column abort the start");
    const struct ic_step *columns[] = { &step_a, &step_b, &other_column };
    tap_result(!create_aborts(columns, 3),
               "an owner and writers of distinct columns are fine");
    const struct ic_step *global[] = { &step_global, &step_global };
    tap_result(create_aborts(global, 2), "the global session's tables "
               "have one owner too");
    const struct ic_step *split[] = { &switch_ports, &other_ports };
    tap_result(!create_aborts(split, 2),
               "two owners of named, different rows of one table are fine");
    const struct ic_step *same[] = { &switch_ports, &same_ports };
    tap_result(create_aborts(same, 2),
               "two owners naming the same rows abort the start");
    const struct ic_step *half[] = { &step_a, &other_ports };
    tap_result(create_aborts(half, 2), "an owner of all rows and an owner "
               "of some abort the start");
    const struct ic_step *no_az[] = { &zone_without_az };
    tap_result(create_aborts(no_az, 1),
               "a zone step without a step that finds the zone aborts");
    tap_result(!create_aborts(all_steps, ARRAY_SIZE(all_steps)),
               "the test's own steps pass the check");
}

/* A step with a session of its own (ic/route-owners.h's kind): its own
 * column is left out of the engine's replica, it runs when its session's
 * seqno moves, and waits while the session is busy. */
static struct own_session {
    unsigned int seqno;
    bool busy;
} own_session;
static struct step_record rec_own;

static void *
own_create(void)
{
    return &own_session;
}

static unsigned int
own_seqno(const void *state)
{
    return ((const struct own_session *) state)->seqno;
}

static bool
own_busy(const void *state)
{
    return ((const struct own_session *) state)->busy;
}

static bool
run_own(struct ic_step_ctx *ctx)
{
    static const struct ic_table_ref routes[] = {
        { IC_DB_NB, &nbrec_table_logical_router_static_route },
    };
    record(&rec_own, ctx);
    /* Its own session's changes are the step's to handle: they never
     * count against an incremental run. */
    rec_own.complete = ic_step_changed_only(ctx, routes, 1);
    return true;
}

static const struct ic_step step_own = {
    .name = "own",
    .tracks_changes = true,
    .reads = {
        { IC_DB_NB, &nbrec_table_logical_router },
        { IC_DB_NB, &nbrec_table_logical_router_static_route },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_router_static_route },
    },
    .own_columns = {
        { IC_DB_NB, &nbrec_logical_router_col_static_routes },
    },
    .own_seqno = own_seqno,
    .own_busy = own_busy,
    .create = own_create,
    .run = run_own,
};

static void
test_own_session(void)
{
    struct problem_set problems;
    problems_init(&problems);
    reset_world();
    memset(&rec_own, 0, sizeof rec_own);
    memset(&own_session, 0, sizeof own_session);
    const struct ic_step *steps[] = { &step_own };
    struct ic_engine *e = ic_engine_create(steps, 1, &fake_io, &problems);

    tap_result(world.omitted == &nbrec_logical_router_col_static_routes
               && world.omitted_session == IC_DB_NB
               && !world.omit_before_track,
               "a step's own column is left out of the engine's replica, "
               "after tracking (which would replicate it again)");

    ic_engine_run(e, false);
    tap_result(rec_own.runs == 1 && rec_own.recompute,
               "the first pass runs it, recomputing");
    ic_engine_run(e, false);
    tap_result(rec_own.runs == 1, "nothing changed, it does not run");

    own_session.seqno++;
    ic_engine_run(e, false);
    tap_result(rec_own.runs == 2 && !rec_own.recompute
               && rec_own.changed == 1u << IC_MAX_READS && rec_own.complete,
               "its own session's seqno runs it, incrementally, and that "
               "change counts as its own");

    own_session.busy = true;
    own_session.seqno++;
    change(IC_DB_NB, &nbrec_table_logical_router_static_route, true);
    int clears = world.n_clears[IC_DB_NB];
    ic_engine_run(e, false);
    tap_result(rec_own.runs == 2 && !ic_engine_is_converged(e)
               && world.n_clears[IC_DB_NB] == clears,
               "while its session is busy it is postponed, keeping its "
               "tracked changes");
    own_session.busy = false;
    ic_engine_run(e, false);
    tap_result(rec_own.runs == 3 && !rec_own.recompute
               && rec_own.changed == (2u | 1u << IC_MAX_READS)
               && ic_engine_is_converged(e),
               "once free it runs with both changes it missed");

    ic_engine_destroy(e);
    problems_destroy(&problems);
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);

    test_monitoring();
    test_runs_on_change();
    test_postponed_and_idle();
    test_unsettled();
    test_global_and_zone();
    test_quiet_pass();
    test_writer_check();
    test_own_session();
    return tap_done();
}

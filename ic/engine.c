/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/engine.h"

#include <string.h>

#include "lib/metrics.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(engine);

struct ic_step_state {
    const struct ic_step *step;
    void *state;                /* From the step's 'create'. */
    unsigned int seqnos[IC_MAX_READS]; /* Read seqnos at the last run. */
    unsigned int own_seqno;     /* 'own_seqno' at the last run. */
    bool ever_ran;              /* False also after a skipped pass. */
    bool complete;              /* Result of the last run. */
    bool lost_changes;          /* Tracked changes were cleared unseen. */
    bool last_recompute;        /* The last run recomputed. */
    uint64_t n_runs;
    long long int last_duration_us;
    unsigned long long int total_us;    /* Time in all runs. */
};

struct ic_engine {
    struct ic_step_state *steps;
    size_t n_steps;
    struct ic_engine_io io;
    struct problem_set *problems;
    const struct ic_step_state *az_step;    /* The one with 'find_az'. */

    uint32_t unsettled;         /* Sessions whose view is incomplete. */
    bool force;                 /* Run every step on the next pass. */
    const char *force_reason;
    bool converged;             /* Last pass: all complete, none waiting. */
    long long int last_pass_ms; /* Duration of the last pass that ran. */
    uint64_t n_passes;          /* Passes that ran at least one step. */
    uint64_t n_recomputes;
};

static const char *session_names[IC_N_SESSIONS] = {
    [IC_DB_NB] = "NB",
    [IC_DB_SB] = "SB",
    [IC_DB_ICNB] = "IC-NB",
    [IC_DB_ICSB] = "IC-SB",
    [IC_SESSION_GLOBAL] = "IC-SB (global writer)",
};

const char *
ic_session_name(int session)
{
    return session >= 0 && session < IC_N_SESSIONS
           ? session_names[session] : "unknown";
}

const char *
ic_db_id_name(enum ic_db_id id)
{
    return ic_session_name(id);
}

/* The session through which 'step' reaches database 'db'. */
static int
step_session(const struct ic_step *step, enum ic_db_id db)
{
    return db == IC_DB_ICSB && step->global_writer ? IC_SESSION_GLOBAL : db;
}

/* Returns how many tables 'step' reads. */
size_t
ic_step_n_reads(const struct ic_step *step)
{
    size_t n = 0;
    while (n < IC_MAX_READS && step->reads[n].table) {
        n++;
    }
    return n;
}

static size_t
n_writes(const struct ic_step *step)
{
    size_t n = 0;
    while (n < IC_MAX_WRITES && step->writes[n].table) {
        n++;
    }
    return n;
}

/* Bitmap of the sessions 'step' reads (or, if 'writes', writes). */
static uint32_t
step_sessions(const struct ic_step *step, bool writes)
{
    uint32_t sessions = 0;
    size_t n = writes ? n_writes(step) : ic_step_n_reads(step);
    for (size_t i = 0; i < n; i++) {
        enum ic_db_id db = writes ? step->writes[i].db : step->reads[i].db;
        sessions |= 1u << step_session(step, db);
    }
    return sessions;
}

static bool
column_in(const struct ovsdb_idl_column *const list[IC_MAX_COLUMNS],
          const struct ovsdb_idl_column *column)
{
    for (size_t i = 0; i < IC_MAX_COLUMNS && list[i]; i++) {
        if (list[i] == column) {
            return true;
        }
    }
    return false;
}

/* True if writes 'a' of step 'sa' and 'b' of step 'sb' claim the same
 * rows or columns: two owners of one table, or two writers of one
 * column. */
static bool
writes_collide(const struct ic_step *sa, const struct ic_write *a,
               const struct ic_step *sb, const struct ic_write *b)
{
    if (a->table != b->table
        || step_session(sa, a->db) != step_session(sb, b->db)) {
        return false;
    }
    if (!a->columns[0] || !b->columns[0]) {
        /* Two owners collide unless both name their rows, and differently
         * (one owner that names its rows and one that does not collide). */
        return !a->columns[0] && !b->columns[0]
               && (!a->rows || !b->rows || !strcmp(a->rows, b->rows));
    }
    for (size_t i = 0; i < IC_MAX_COLUMNS && a->columns[i]; i++) {
        if (column_in(b->columns, a->columns[i])) {
            return true;
        }
    }
    return false;
}

/* Aborts unless every table has one owner and every column one writer,
 * and the steps that need the zone have a step that finds it. */
static void
check_steps(const struct ic_step *const steps[], size_t n_steps)
{
    size_t n_az = 0;
    bool needs_az = false;
    for (size_t i = 0; i < n_steps; i++) {
        const struct ic_step *si = steps[i];
        n_az += si->find_az != NULL;
        needs_az = needs_az || si->needs_az;
        for (size_t j = i; j < n_steps; j++) {
            const struct ic_step *sj = steps[j];
            for (size_t a = 0; a < n_writes(si); a++) {
                for (size_t b = i == j ? a + 1 : 0; b < n_writes(sj); b++) {
                    if (writes_collide(si, &si->writes[a],
                                       sj, &sj->writes[b])) {
                        VLOG_FATAL("steps %s and %s both write %s %s",
                                   si->name, sj->name,
                                   ic_session_name(step_session(
                                       si, si->writes[a].db)),
                                   si->writes[a].table->name);
                    }
                }
            }
        }
    }
    if (n_az > 1 || (needs_az && !n_az)) {
        VLOG_FATAL("%"PRIuSIZE" steps find the zone's AZ; one must", n_az);
    }
}

/* Tracks the columns of 'read' that are not ignored. */
static void
track_read(const struct ic_engine_io *io, int session,
           const struct ic_read *read)
{
    for (size_t k = 0; k < read->table->n_columns; k++) {
        const struct ovsdb_idl_column *column = &read->table->columns[k];
        if (!column_in(read->ignore, column)) {
            io->track(io->aux, session, column);
        }
    }
}

/* Replicates what 'step' reads, writes and probes. */
static void
monitor_step(const struct ic_engine_io *io, const struct ic_step *step)
{
    for (size_t i = 0; i < IC_MAX_PROBES && step->probes[i].table; i++) {
        io->monitor(io->aux, step_session(step, step->probes[i].db),
                    step->probes[i].table);
    }
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        io->monitor(io->aux, step_session(step, step->reads[i].db),
                    step->reads[i].table);
    }
    for (size_t i = 0; i < n_writes(step); i++) {
        io->monitor(io->aux, step_session(step, step->writes[i].db),
                    step->writes[i].table);
    }
}

/* Tracks the changes 'step' needs to see.  Must follow every
 * monitor_step(), since replicating a column again turns its tracking
 * off (see ovsdb_idl_add_column()). */
static void
track_step(const struct ic_engine_io *io, const struct ic_step *step)
{
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        const struct ic_read *read = &step->reads[i];
        if (step->tracks_changes || read->ignore[0]) {
            track_read(io, step_session(step, read->db), read);
        }
    }
}

/* Creates an engine over 'steps', which must outlive it, reaching the
 * databases through 'io' and reporting bad input into 'problems'. */
struct ic_engine *
ic_engine_create(const struct ic_step *const steps[], size_t n_steps,
                 const struct ic_engine_io *io, struct problem_set *problems)
{
    check_steps(steps, n_steps);

    struct ic_engine *e = xzalloc(sizeof *e);
    e->steps = xcalloc(n_steps, sizeof *e->steps);
    e->n_steps = n_steps;
    e->io = *io;
    e->problems = problems;
    for (size_t i = 0; i < n_steps; i++) {
        struct ic_step_state *st = &e->steps[i];
        st->step = steps[i];
        st->state = steps[i]->create ? steps[i]->create() : NULL;
        if (steps[i]->find_az) {
            e->az_step = st;
        }
        monitor_step(io, steps[i]);
    }
    for (size_t i = 0; i < n_steps; i++) {
        track_step(io, steps[i]);
    }
    /* Last, since tracking a column replicates it. */
    for (size_t i = 0; i < n_steps; i++) {
        const struct ic_step *step = steps[i];
        for (size_t j = 0; j < IC_MAX_COLUMNS && step->own_columns[j].column;
             j++) {
            io->omit(io->aux, step_session(step, step->own_columns[j].db),
                     step->own_columns[j].column);
        }
    }
    e->force = true;
    e->force_reason = "start";
    return e;
}

void
ic_engine_destroy(struct ic_engine *e)
{
    if (e) {
        for (size_t i = 0; i < e->n_steps; i++) {
            if (e->steps[i].step->destroy) {
                e->steps[i].step->destroy(e->steps[i].state);
            }
        }
        free(e->steps);
        free(e);
    }
}

/* Tells the engine which sessions' replicas are incomplete for now (see
 * ic/condmon.h): until they are not, every step that reads or writes one
 * of them is postponed, as if it could not write. */
void
ic_engine_set_unsettled(struct ic_engine *e, uint32_t sessions)
{
    if (sessions != e->unsettled) {
        VLOG_DBG("sessions waiting for new monitor conditions: %#"PRIx32,
                 sessions);
    }
    e->unsettled = sessions;
}

/* Returns the zone's Availability_Zone row as the zone step finds it now,
 * or NULL. */
const struct icsbrec_availability_zone *
ic_engine_get_az(const struct ic_engine *e)
{
    return e->az_step
           ? e->az_step->step->find_az(e->az_step->state,
                                       e->io.idl(e->io.aux, IC_DB_ICSB))
           : NULL;
}

/* Makes the next pass run every step, whatever changed. */
void
ic_engine_force_recompute(struct ic_engine *e, const char *reason)
{
    if (!e->force) {
        VLOG_DBG("full recompute requested: %s", reason);
    }
    e->force = true;
    e->force_reason = reason;
}

static struct ic_step_state *find_step(const struct ic_engine *,
                                      const char *name);

/* Makes the next pass run the step called 'name' as if it never ran: it
 * recomputes, whatever changed.  Returns false if there is no such
 * step. */
bool
ic_engine_force_step(struct ic_engine *e, const char *name)
{
    struct ic_step_state *st = find_step(e, name);
    if (st) {
        st->ever_ran = false;
    }
    return st != NULL;
}

/* Reads the current seqnos of 'st''s reads into 'seqnos' and returns a
 * bitmap of the reads whose seqno differs from what the step saw when it
 * last ran.  A read whose changes touch only its ignored columns is not in
 * the bitmap, and counts as seen. */
static uint32_t
reads_changed(const struct ic_engine *e, struct ic_step_state *st,
              unsigned int seqnos[IC_MAX_READS])
{
    const struct ic_step *step = st->step;
    uint32_t changed = 0;
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        const struct ic_read *read = &step->reads[i];
        int session = step_session(step, read->db);
        seqnos[i] = e->io.seqno(e->io.aux, session, read->table);
        if (seqnos[i] != st->seqnos[i]) {
            if (read->ignore[0] && st->ever_ran && !st->lost_changes
                && !e->io.changed_beyond_ignored(e->io.aux, session,
                                                 read)) {
                st->seqnos[i] = seqnos[i];
            } else {
                changed |= 1u << i;
            }
        }
    }
    return changed;
}

/* True if 'step' reads the IDL's change tracking, itself or through a
 * read with ignored columns. */
static bool
step_tracks_changes(const struct ic_step *step)
{
    if (step->tracks_changes) {
        return true;
    }
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        if (step->reads[i].ignore[0]) {
            return true;
        }
    }
    return false;
}

/* Marks 'st' as not having run, so that it recomputes when it next runs,
 * with its tracked changes lost. */
static void
skip_step(struct ic_step_state *st)
{
    st->ever_ran = false;
    if (step_tracks_changes(st->step)) {
        st->lost_changes = true;
    }
}

/* Clears the tracked changes of every session not in 'keep'. */
static void
clear_tracking(struct ic_engine *e, uint32_t keep)
{
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        if (!(keep & (1u << s))) {
            e->io.clear_tracking(e->io.aux, s);
        }
    }
}

/* For a pass that the daemon does not run (it is standby or paused, or not
 * connected yet): drops the tracked changes, which no step will see, and
 * makes the steps that track changes recompute when they next run. */
void
ic_engine_idle(struct ic_engine *e)
{
    for (size_t i = 0; i < e->n_steps; i++) {
        if (step_tracks_changes(e->steps[i].step)) {
            e->steps[i].lost_changes = true;
        }
    }
    clear_tracking(e, 0);
}

static void
log_step_run(const struct ic_step_ctx *ctx)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    for (size_t j = 0; j < ic_step_n_reads(ctx->step); j++) {
        if (ctx->changed & (1u << j)) {
            ds_put_format(&s, " %s:%s",
                          ic_db_id_name(ctx->step->reads[j].db),
                          ctx->step->reads[j].table->name);
        }
    }
    VLOG_DBG("running step %s (%s%s)", ctx->step->name,
             ctx->recompute ? "recompute; changed:" : "changed:",
             s.length ? ds_cstr(&s) : " nothing");
    ds_destroy(&s);
}

/* Builds what 'st' may see in this pass. */
static void
step_ctx_init(struct ic_step_ctx *ctx, const struct ic_engine *e,
              const struct ic_step_state *st,
              struct ovsdb_idl_txn *txns[IC_N_SESSIONS],
              const struct icsbrec_availability_zone *az, bool global_writer)
{
    const struct ic_step *step = st->step;
    memset(ctx, 0, sizeof *ctx);
    ctx->step = step;
    ctx->state = st->state;
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        enum ic_db_id db = step->reads[i].db;
        ctx->idls[db] = e->io.idl(e->io.aux, step_session(step, db));
    }
    for (size_t i = 0; i < n_writes(step); i++) {
        enum ic_db_id db = step->writes[i].db;
        int session = step_session(step, db);
        ctx->idls[db] = e->io.idl(e->io.aux, session);
        ctx->txns[db] = txns[session];
    }
    ctx->az = az;
    ctx->global_writer = global_writer;
    ctx->problems = e->problems;
}

/* Runs every step that must run in this pass.  Returns in '*ran' the
 * sessions written by steps that ran, and tells whether every step is
 * complete and none was postponed. */
static bool
run_steps(struct ic_engine *e, struct ovsdb_idl_txn *txns[IC_N_SESSIONS],
          bool global_writer, uint32_t *ran, uint32_t *keep_tracking,
          bool *postponed)
{
    bool forced = e->force;
    bool all_complete = true;
    const struct icsbrec_availability_zone *az = NULL;
    if (e->az_step) {
        az = e->az_step->step->find_az(
            e->az_step->state, e->io.idl(e->io.aux, IC_DB_ICSB));
    }

    for (size_t i = 0; i < e->n_steps; i++) {
        struct ic_step_state *st = &e->steps[i];
        const struct ic_step *step = st->step;
        unsigned int seqnos[IC_MAX_READS];
        uint32_t changed = reads_changed(e, st, seqnos);
        unsigned int own_seqno = (step->own_seqno
                                  ? step->own_seqno(st->state) : 0);
        if (own_seqno != st->own_seqno) {
            changed |= 1u << IC_MAX_READS;
        }

        if ((step->global_writer && !global_writer)
            || (step->needs_az && !az)) {
            skip_step(st);
            continue;
        }
        if (!forced && !changed && st->ever_ran) {
            all_complete = all_complete && st->complete;
            continue;
        }
        uint32_t writes = step_sessions(step, true);
        bool writable = true;
        for (int s = 0; s < IC_N_SESSIONS; s++) {
            writable = writable && (!(writes & (1u << s)) || txns[s]);
        }
        /* A step that reads or writes a session whose replica is still
         * changing to new monitor conditions waits like one that cannot
         * write: it would see a partial view. */
        if ((writes | step_sessions(step, false)) & e->unsettled) {
            writable = false;
        }
        if (step->own_busy && step->own_busy(st->state)) {
            writable = false;
        }
        if (!writable) {
            /* Keep the old seqnos, so that the step runs when it can, and
             * the tracked changes, so that a step that reads them sees them
             * then.  Kept changes would be seen twice by a step that runs
             * meanwhile, so a step that only ignores columns gives up on
             * ignoring them instead. */
            if (step->tracks_changes) {
                *keep_tracking |= step_sessions(step, false);
            } else if (step_tracks_changes(step)) {
                st->lost_changes = true;
            }
            *postponed = true;
            all_complete = false;
            continue;
        }

        struct ic_step_ctx ctx;
        step_ctx_init(&ctx, e, st, txns, az, global_writer);
        ctx.recompute = forced || !st->ever_ran || st->lost_changes;
        ctx.changed = changed;
        if (VLOG_IS_DBG_ENABLED()) {
            log_step_run(&ctx);
        }

        long long int start = time_usec();
        st->complete = step->run(&ctx);
        st->last_recompute = ctx.recompute;
        st->lost_changes = false;
        st->last_duration_us = time_usec() - start;
        st->total_us += st->last_duration_us;
        st->n_runs++;
        st->ever_ran = true;
        memcpy(st->seqnos, seqnos, sizeof st->seqnos);
        st->own_seqno = own_seqno;
        all_complete = all_complete && st->complete;
        *ran |= writes;
        if (step->find_az) {
            /* The zone's row may have been created or renamed. */
            az = step->find_az(st->state, e->io.idl(e->io.aux, IC_DB_ICSB));
        }
    }
    return all_complete;
}

/* Runs one pass (see ic/engine.h).  'global_writer' tells whether this
 * daemon holds the IC-SB lock. */
void
ic_engine_run(struct ic_engine *e, bool global_writer)
{
    long long int pass_start = time_msec();

    /* Open a transaction on each session that a step may write now. */
    struct ovsdb_idl_txn *txns[IC_N_SESSIONS] = { NULL };
    uint32_t wanted = 0;
    for (size_t i = 0; i < e->n_steps; i++) {
        if (global_writer || !e->steps[i].step->global_writer) {
            wanted |= step_sessions(e->steps[i].step, true);
        }
    }
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        if (wanted & (1u << s)) {
            txns[s] = e->io.begin(e->io.aux, s);
        }
    }

    struct ovsdb_idl *idls[IC_N_SESSIONS];
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        idls[s] = e->io.idl(e->io.aux, s);
    }
    for (size_t i = 0; i < e->n_steps; i++) {
        if (e->steps[i].step->on_pass_start) {
            e->steps[i].step->on_pass_start(e->steps[i].state, idls);
        }
    }

    if (e->force) {
        e->n_recomputes++;
        VLOG_DBG("full recompute: %s", e->force_reason);
    }
    uint32_t ran = 0, keep_tracking = 0;
    bool postponed = false;
    bool complete = run_steps(e, txns, global_writer, &ran, &keep_tracking,
                              &postponed);
    if (!postponed) {
        e->force = false;
    }
    clear_tracking(e, keep_tracking);

    bool wrote = false;
    for (int s = 0; s < IC_N_SESSIONS; s++) {
        if (txns[s]) {
            wrote |= e->io.commit(e->io.aux, s, ran & (1u << s));
        }
    }
    if (ran) {
        e->n_passes++;
        e->last_pass_ms = time_msec() - pass_start;
    }

    e->converged = complete && !postponed;
    if (e->converged && !wrote) {
        for (size_t i = 0; i < e->n_steps; i++) {
            struct ic_step_state *st = &e->steps[i];
            if (st->step->on_quiet_pass
                && st->step->on_quiet_pass(st->state)) {
                st->ever_ran = false;
                poll_immediate_wake();
            }
        }
    }
}

/* Returns true if the last pass found every step complete and none
 * postponed. */
bool
ic_engine_is_converged(const struct ic_engine *e)
{
    return e->converged;
}

static void
format_write(const struct ic_step *step, const struct ic_write *w,
             struct ds *out)
{
    ds_put_format(out, " %s:%s", ic_session_name(step_session(step, w->db)),
                  w->table->name);
    if (w->rows) {
        ds_put_format(out, "[%s]", w->rows);
    }
    for (size_t k = 0; k < IC_MAX_COLUMNS && w->columns[k]; k++) {
        ds_put_format(out, "%c%s", k ? ',' : '(', w->columns[k]->name);
        if (k + 1 == IC_MAX_COLUMNS || !w->columns[k + 1]) {
            ds_put_char(out, ')');
        }
    }
}

/* Describes every step for "ovn-appctl engine/show". */
void
ic_engine_format(const struct ic_engine *e, struct ds *out)
{
    ds_put_format(out, "passes: %"PRIu64", full recomputes: %"PRIu64
                  ", converged: %s\n", e->n_passes, e->n_recomputes,
                  e->converged ? "yes" : "no");
    for (size_t i = 0; i < e->n_steps; i++) {
        const struct ic_step_state *st = &e->steps[i];
        const struct ic_step *step = st->step;
        ds_put_format(out, "%-14s runs=%-6"PRIu64" last=%lldus total=%lluus "
                      "%s  %s%s\n", step->name, st->n_runs,
                      st->last_duration_us, st->total_us,
                      !st->ever_ran ? "never-ran"
                      : st->complete ? "complete" : "waiting",
                      step->description,
                      step->global_writer ? " (global writer)" : "");
        ds_put_cstr(out, "    reads:");
        for (size_t j = 0; j < ic_step_n_reads(step); j++) {
            ds_put_format(out, " %s:%s",
                          ic_session_name(step_session(step,
                                                       step->reads[j].db)),
                          step->reads[j].table->name);
        }
        ds_put_cstr(out, "\n    writes:");
        for (size_t j = 0; j < n_writes(step); j++) {
            format_write(step, &step->writes[j], out);
        }
        ds_put_char(out, '\n');
    }
}

/* Appends the steps' own status lines, for status/show. */
void
ic_engine_format_status(const struct ic_engine *e, struct ds *out)
{
    for (size_t i = 0; i < e->n_steps; i++) {
        if (e->steps[i].step->format_status) {
            e->steps[i].step->format_status(e->steps[i].state, out);
        }
    }
}

static double
step_runs(const struct ic_step_state *st)
{
    return st->n_runs;
}

static double
step_last_seconds(const struct ic_step_state *st)
{
    return st->last_duration_us / 1e6;
}

static double
step_total_seconds(const struct ic_step_state *st)
{
    return st->total_us / 1e6;
}

static double
step_complete(const struct ic_step_state *st)
{
    return st->complete;
}

/* The metric families with a sample per step. */
static const struct {
    const char *name;
    enum metric_type type;
    const char *help;
    double (*value)(const struct ic_step_state *);
} step_families[] = {
    { "ovn_ic_step_runs_total", METRIC_COUNTER,
      "Times each sync step ran.", step_runs },
    { "ovn_ic_step_last_duration_seconds", METRIC_GAUGE,
      "Duration of each step's last run.", step_last_seconds },
    { "ovn_ic_step_seconds_total", METRIC_COUNTER,
      "Time each sync step spent in all its runs.", step_total_seconds },
    { "ovn_ic_step_complete", METRIC_GAUGE,
      "Whether each step's last run was complete.", step_complete },
};

/* Renders the engine's metrics, and the steps' own, into 'm'. */
void
ic_engine_render_metrics(const struct ic_engine *e, struct metrics *m)
{
    metrics_family(m, "ovn_ic_sync_passes_total", METRIC_COUNTER,
                   "Sync passes that ran at least one step.");
    metrics_sample(m, "ovn_ic_sync_passes_total", NULL, NULL, e->n_passes);
    metrics_family(m, "ovn_ic_sync_recomputes_total", METRIC_COUNTER,
                   "Passes that ran every step.");
    metrics_sample(m, "ovn_ic_sync_recomputes_total", NULL, NULL,
                   e->n_recomputes);
    metrics_family(m, "ovn_ic_sync_converged", METRIC_GAUGE,
                   "Whether the last pass found every step complete.");
    metrics_sample(m, "ovn_ic_sync_converged", NULL, NULL, e->converged);
    metrics_family(m, "ovn_ic_sync_last_duration_seconds", METRIC_GAUGE,
                   "Duration of the last pass that ran a step.");
    metrics_sample(m, "ovn_ic_sync_last_duration_seconds", NULL, NULL,
                   e->last_pass_ms / 1000.0);

    for (size_t f = 0; f < ARRAY_SIZE(step_families); f++) {
        metrics_family(m, step_families[f].name, step_families[f].type,
                       step_families[f].help);
        for (size_t i = 0; i < e->n_steps; i++) {
            metrics_sample(m, step_families[f].name, "step",
                           e->steps[i].step->name,
                           step_families[f].value(&e->steps[i]));
        }
    }

    for (size_t i = 0; i < e->n_steps; i++) {
        if (e->steps[i].step->render_metrics) {
            e->steps[i].step->render_metrics(e->steps[i].state, m);
        }
    }
}

static struct ic_step_state *
find_step(const struct ic_engine *e, const char *name)
{
    for (size_t i = 0; i < e->n_steps; i++) {
        if (!strcmp(e->steps[i].step->name, name)) {
            return &e->steps[i];
        }
    }
    return NULL;
}

uint64_t
ic_engine_step_runs(const struct ic_engine *e, const char *name)
{
    const struct ic_step_state *st = find_step(e, name);
    return st ? st->n_runs : 0;
}

bool
ic_engine_step_recomputed(const struct ic_engine *e, const char *name)
{
    const struct ic_step_state *st = find_step(e, name);
    return st && st->last_recompute;
}

/* The accessors of ic/step.h. */

/* Returns the index of 'db''s 'table' in 'step''s reads, or SIZE_MAX. */
static size_t
read_index(const struct ic_step *step, enum ic_db_id db,
           const struct ovsdb_idl_table_class *table)
{
    for (size_t i = 0; i < ic_step_n_reads(step); i++) {
        if (step->reads[i].db == db && step->reads[i].table == table) {
            return i;
        }
    }
    return SIZE_MAX;
}

struct ovsdb_idl *
ic_step_idl(const struct ic_step_ctx *ctx, enum ic_db_id db)
{
    ovs_assert(db < IC_N_DBS && ctx->idls[db]);
    return ctx->idls[db];
}

struct ovsdb_idl_txn *
ic_step_txn(const struct ic_step_ctx *ctx, enum ic_db_id db)
{
    ovs_assert(db < IC_N_DBS && ctx->txns[db]);
    return ctx->txns[db];
}

const struct icsbrec_availability_zone *
ic_step_az(const struct ic_step_ctx *ctx)
{
    return ctx->az;
}

void *
ic_step_state(const struct ic_step_ctx *ctx)
{
    return ctx->state;
}

struct problem_set *
ic_step_problems(const struct ic_step_ctx *ctx)
{
    return ctx->problems;
}

bool
ic_step_recompute(const struct ic_step_ctx *ctx)
{
    return ctx->recompute;
}

bool
ic_step_changed(const struct ic_step_ctx *ctx, enum ic_db_id db,
                const struct ovsdb_idl_table_class *table)
{
    size_t i = read_index(ctx->step, db, table);
    ovs_assert(i != SIZE_MAX);
    return ctx->changed & (1u << i);
}

bool
ic_step_changed_only(const struct ic_step_ctx *ctx,
                     const struct ic_table_ref tables[], size_t n)
{
    uint32_t allowed = 1u << IC_MAX_READS;  /* The step's own session. */
    for (size_t i = 0; i < n; i++) {
        size_t j = read_index(ctx->step, tables[i].db, tables[i].table);
        ovs_assert(j != SIZE_MAX);
        allowed |= 1u << j;
    }
    return !(ctx->changed & ~allowed);
}

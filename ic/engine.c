/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/engine.h"

#include "lib/metrics.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include <string.h>

#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(engine);

struct ic_step_state {
    const struct ic_step *step;
    unsigned int seqnos[IC_MAX_INPUTS]; /* Input seqnos at the last run. */
    bool ever_ran;
    bool complete;              /* Result of the last run. */
    bool lost_changes;          /* Tracked changes were cleared unseen. */
    uint64_t n_runs;
    long long int last_duration_us;
    unsigned long long int total_us;    /* Time in all runs. */
};

struct ic_engine {
    struct ic_step_state *steps;
    size_t n_steps;
    struct ic_db **dbs;
    void *aux;

    bool force;                 /* Run every step on the next pass. */
    const char *force_reason;
    bool converged;             /* Last pass: all complete, nothing new. */
    long long int last_pass_ms; /* Duration of the last pass that ran. */
    uint64_t n_passes;          /* Passes that ran at least one step. */
    uint64_t n_recomputes;
};

static const char *db_names[IC_N_DBS] = {
    [IC_DB_NB] = "NB",
    [IC_DB_SB] = "SB",
    [IC_DB_ICNB] = "IC-NB",
    [IC_DB_ICSB] = "IC-SB",
    [IC_DB_ICSB_GLOBAL] = "IC-SB (global writer)",
};

const char *
ic_db_id_name(enum ic_db_id id)
{
    return id < IC_N_DBS ? db_names[id] : "unknown";
}

/* True if changes to 'column' do not count for input 'in'. */
static bool
input_ignores(const struct ic_input *in, const struct ovsdb_idl_column *column)
{
    for (size_t i = 0; i < IC_MAX_IGNORED && in->ignore[i]; i++) {
        if (in->ignore[i] == column) {
            return true;
        }
    }
    return false;
}

/* Creates an engine over 'steps', which must outlive it.  'dbs' gives the
 * session for each database; 'aux' is passed to every step. */
struct ic_engine *
ic_engine_create(const struct ic_step *steps, size_t n_steps,
                 struct ic_db *dbs[IC_N_DBS], void *aux)
{
    struct ic_engine *e = xzalloc(sizeof *e);
    e->steps = xcalloc(n_steps, sizeof *e->steps);
    e->n_steps = n_steps;
    for (size_t i = 0; i < n_steps; i++) {
        e->steps[i].step = &steps[i];
        for (size_t j = 0; j < IC_MAX_INPUTS && steps[i].inputs[j].table;
             j++) {
            const struct ic_input *in = &steps[i].inputs[j];
            if (in->ignore[0]) {
                /* Not the ignored columns: a change to a tracked column
                 * also tracks every row that refers to the row. */
                for (size_t k = 0; k < in->table->n_columns; k++) {
                    if (!input_ignores(in, &in->table->columns[k])) {
                        ovsdb_idl_track_add_column(dbs[in->db]->idl,
                                                   &in->table->columns[k]);
                    }
                }
            }
        }
    }
    e->dbs = dbs;
    e->aux = aux;
    e->force = true;
    e->force_reason = "start";
    return e;
}

void
ic_engine_destroy(struct ic_engine *e)
{
    if (e) {
        free(e->steps);
        free(e);
    }
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

static size_t
n_inputs(const struct ic_step *step)
{
    size_t n = 0;
    while (n < IC_MAX_INPUTS && step->inputs[n].table) {
        n++;
    }
    return n;
}

/* Returns true if the tracked changes to 'in''s table touch something
 * other than its ignored columns. */
static bool
changes_beyond_ignored_column(const struct ic_engine *e,
                              const struct ic_input *in)
{
    const struct ovsdb_idl_row *row;
    for (row = ovsdb_idl_track_get_first(e->dbs[in->db]->idl, in->table);
         row; row = ovsdb_idl_track_get_next(row)) {
        if (ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
            || ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE)) {
            return true;
        }
        for (size_t i = 0; i < in->table->n_columns; i++) {
            const struct ovsdb_idl_column *column = &in->table->columns[i];
            if (!input_ignores(in, column)
                && ovsdb_idl_track_is_updated(row, column)) {
                return true;
            }
        }
    }
    return false;
}

/* Reads the current seqnos of 'st''s inputs into 'seqnos' and returns a
 * bitmap of the inputs whose seqno differs from what the step saw when it
 * last ran.  An input whose changes touch only its ignored columns is not
 * in the bitmap, and counts as seen. */
static uint32_t
inputs_changed(const struct ic_engine *e, struct ic_step_state *st,
               unsigned int seqnos[IC_MAX_INPUTS])
{
    uint32_t changed = 0;
    size_t n = n_inputs(st->step);
    for (size_t i = 0; i < n; i++) {
        const struct ic_input *in = &st->step->inputs[i];
        seqnos[i] = ovsdb_idl_table_get_seqno(e->dbs[in->db]->idl,
                                              in->table);
        if (seqnos[i] != st->seqnos[i]) {
            if (in->ignore[0] && st->ever_ran && !st->lost_changes
                && !changes_beyond_ignored_column(e, in)) {
                st->seqnos[i] = seqnos[i];
            } else {
                changed |= 1u << i;
            }
        }
    }
    return changed;
}

/* True if 'step' reads the IDL's change tracking, itself or through an
 * input with ignored columns. */
static bool
step_tracks_changes(const struct ic_step *step)
{
    if (step->tracks_changes) {
        return true;
    }
    for (size_t i = 0; i < n_inputs(step); i++) {
        if (step->inputs[i].ignore[0]) {
            return true;
        }
    }
    return false;
}

/* Returns the bitmap of the databases 'step' reads. */
static uint32_t
input_dbs(const struct ic_step *step)
{
    uint32_t dbs = 0;
    size_t n = n_inputs(step);
    for (size_t i = 0; i < n; i++) {
        dbs |= IC_OUT(step->inputs[i].db);
    }
    return dbs;
}

/* Clears the tracked changes of every database not in 'keep'. */
static void
clear_tracking(struct ic_engine *e, uint32_t keep)
{
    for (int db = 0; db < IC_N_DBS; db++) {
        if (!(keep & IC_OUT(db)) && e->dbs[db]) {
            ovsdb_idl_track_clear(e->dbs[db]->idl);
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

/* Makes the next pass run the step called 'name', whatever changed.  For
 * steps with an input that is not a table. */
void
ic_engine_force_step(struct ic_engine *e, const char *name)
{
    for (size_t i = 0; i < e->n_steps; i++) {
        if (!strcmp(e->steps[i].step->name, name)) {
            e->steps[i].ever_ran = false;
            return;
        }
    }
    OVS_NOT_REACHED();
}

/* Runs one pass.  'writable_dbs' is a bitmap of the databases that have an
 * open transaction the daemon may write to.  Steps that write to one of
 * 'disabled_dbs' do not apply to this daemon now (the global writer's steps
 * in any other daemon) and count as complete.  Returns the outputs of the
 * steps that ran: the databases this pass may have written to. */
uint32_t
ic_engine_run(struct ic_engine *e, uint32_t writable_dbs,
              uint32_t disabled_dbs)
{
    bool forced = e->force;
    bool any_ran = false;
    uint32_t outputs = 0;
    bool all_complete = true;
    bool any_postponed = false;

    uint32_t keep_tracking = 0;
    long long int pass_start = time_msec();
    if (forced) {
        e->n_recomputes++;
        VLOG_DBG("full recompute: %s", e->force_reason);
    }
    for (size_t i = 0; i < e->n_steps; i++) {
        struct ic_step_state *st = &e->steps[i];
        unsigned int seqnos[IC_MAX_INPUTS];
        uint32_t changed = inputs_changed(e, st, seqnos);

        if (st->step->outputs & disabled_dbs) {
            if (step_tracks_changes(st->step)) {
                st->lost_changes = true;
            }
            continue;
        }
        if (!forced && !changed && st->ever_ran) {
            all_complete = all_complete && st->complete;
            continue;
        }
        if ((st->step->outputs & writable_dbs) != st->step->outputs) {
            /* Keep the old seqnos, so that the step runs when it can, and
             * the tracked changes, so that a step that reads them sees them
             * then.  Kept changes would be seen twice by a step that runs
             * meanwhile, so a step that only ignores columns gives up on
             * ignoring them instead. */
            if (st->step->tracks_changes) {
                keep_tracking |= input_dbs(st->step);
            } else if (step_tracks_changes(st->step)) {
                st->lost_changes = true;
            }
            any_postponed = true;
            all_complete = false;
            continue;
        }

        struct ic_step_changes changes = {
            .step = st->step,
            .recompute = forced || !st->ever_ran || st->lost_changes,
            .inputs = changed,
        };
        if (VLOG_IS_DBG_ENABLED()) {
            struct ds s = DS_EMPTY_INITIALIZER;
            for (size_t j = 0; j < n_inputs(st->step); j++) {
                if (changed & (1u << j)) {
                    ds_put_format(&s, " %s:%s",
                                  ic_db_id_name(st->step->inputs[j].db),
                                  st->step->inputs[j].table->name);
                }
            }
            VLOG_DBG("running step %s (%s%s)", st->step->name,
                     changes.recompute ? "recompute; changed:" : "changed:",
                     s.length ? ds_cstr(&s) : " nothing");
            ds_destroy(&s);
        }
        long long int start = time_usec();
        st->complete = st->step->run(e->aux, &changes);
        st->lost_changes = false;
        st->last_duration_us = time_usec() - start;
        st->total_us += st->last_duration_us;
        st->n_runs++;
        st->ever_ran = true;
        memcpy(st->seqnos, seqnos, sizeof st->seqnos);
        all_complete = all_complete && st->complete;
        any_ran = true;
        outputs |= st->step->outputs;
    }

    if (!any_postponed) {
        e->force = false;
    }
    clear_tracking(e, keep_tracking);
    if (any_ran) {
        e->n_passes++;
        e->last_pass_ms = time_msec() - pass_start;
    }
    e->converged = all_complete && !any_postponed;
    return outputs;
}

/* Returns true if the last pass found every step complete and none
 * postponed.  Whether it also wrote nothing is for the caller to tell from
 * the sessions' commit counters. */
bool
ic_engine_is_converged(const struct ic_engine *e)
{
    return e->converged;
}

uint64_t
ic_engine_n_passes(const struct ic_engine *e)
{
    return e->n_passes;
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
                      "%s  %s\n", step->name, st->n_runs,
                      st->last_duration_us, st->total_us,
                      !st->ever_ran ? "never-ran"
                      : st->complete ? "complete" : "waiting",
                      step->description);
        ds_put_cstr(out, "    reads:");
        size_t n = n_inputs(step);
        for (size_t j = 0; j < n; j++) {
            ds_put_format(out, " %s:%s", ic_db_id_name(step->inputs[j].db),
                          step->inputs[j].table->name);
        }
        ds_put_cstr(out, "\n    writes:");
        for (int db = 0; db < IC_N_DBS; db++) {
            if (step->outputs & IC_OUT(db)) {
                ds_put_format(out, " %s", ic_db_id_name(db));
            }
        }
        ds_put_char(out, '\n');
    }
}

/* Renders the engine's metrics into 'm'. */
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

    metrics_family(m, "ovn_ic_step_runs_total", METRIC_COUNTER,
                   "Times each sync step ran.");
    for (size_t i = 0; i < e->n_steps; i++) {
        metrics_sample(m, "ovn_ic_step_runs_total", "step",
                       e->steps[i].step->name, e->steps[i].n_runs);
    }
    metrics_family(m, "ovn_ic_step_last_duration_seconds", METRIC_GAUGE,
                   "Duration of each step's last run.");
    for (size_t i = 0; i < e->n_steps; i++) {
        metrics_sample(m, "ovn_ic_step_last_duration_seconds", "step",
                       e->steps[i].step->name,
                       e->steps[i].last_duration_us / 1e6);
    }
    metrics_family(m, "ovn_ic_step_seconds_total", METRIC_COUNTER,
                   "Time each sync step spent in all its runs.");
    for (size_t i = 0; i < e->n_steps; i++) {
        metrics_sample(m, "ovn_ic_step_seconds_total", "step",
                       e->steps[i].step->name, e->steps[i].total_us / 1e6);
    }
    metrics_family(m, "ovn_ic_step_complete", METRIC_GAUGE,
                   "Whether each step's last run was complete.");
    for (size_t i = 0; i < e->n_steps; i++) {
        metrics_sample(m, "ovn_ic_step_complete", "step",
                       e->steps[i].step->name, e->steps[i].complete);
    }
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/controller.h"

#include "ic/condmon.h"
#include "ic/engine.h"
#include "ic/route-owners.h"
#include "lib/ic-db.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(controller);

#define ZONE_LOCK "ovn_ic"          /* On the zone's SB. */
#define COMMIT_OWNER "commit"       /* Problems: sessions backing off. */
#define GLOBAL_LOCK "ovn_ic_sb"     /* On IC-SB. */

struct ic_controller {
    struct ic_db *sessions[IC_N_SESSIONS];
    struct ic_engine *engine;
    struct ic_condmon *condmon;
    struct route_owners *route_owners;  /* The route step's NB session. */
    struct problem_set problems;

    bool paused;
    bool exiting;
    bool was_paused;            /* As last logged by log_role_change(). */
    bool was_active;
    bool was_global_writer;
};

/* The engine reaches the sessions through these (see ic/engine.h). */

static struct ic_db *
session(void *c_, int s)
{
    struct ic_controller *c = c_;
    return c->sessions[s];
}

static void
io_monitor(void *c, int s, const struct ovsdb_idl_table_class *table)
{
    ic_db_monitor_table(session(c, s), table);
}

static void
io_track(void *c, int s, const struct ovsdb_idl_column *column)
{
    ovsdb_idl_track_add_column(ic_db_idl(session(c, s)), column);
}

static void
io_omit(void *c, int s, const struct ovsdb_idl_column *column)
{
    ovsdb_idl_omit(ic_db_idl(session(c, s)), column);
}

static struct ovsdb_idl *
io_idl(void *c, int s)
{
    return ic_db_idl(session(c, s));
}

static unsigned int
io_seqno(void *c, int s, const struct ovsdb_idl_table_class *table)
{
    return ovsdb_idl_table_get_seqno(ic_db_idl(session(c, s)), table);
}

static bool
io_changed_beyond_ignored(void *c, int s, const struct ic_read *read)
{
    return ic_db_table_changed(session(c, s), read->table, read->ignore,
                               IC_MAX_COLUMNS);
}

static void
io_clear_tracking(void *c, int s)
{
    ovsdb_idl_track_clear(ic_db_idl(session(c, s)));
}

static struct ovsdb_idl_txn *
io_begin(void *c, int s)
{
    return ic_db_begin(session(c, s));
}

static bool
io_commit(void *c, int s, bool count)
{
    return ic_db_commit(session(c, s), count);
}

/* unixctl commands. */

static const char *
controller_status(const struct ic_controller *c)
{
    return c->paused ? "paused"
           : ic_db_has_lock(c->sessions[IC_DB_SB]) ? "active" : "standby";
}

static void
cmd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
         const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->exiting = true;
    /* The main loop checks for exiting before it blocks again; without a
     * wake-up it would sleep until some database spoke. */
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
cmd_pause(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->paused = true;
    poll_immediate_wake();      /* Releases the locks now, not later. */
    unixctl_command_reply(conn, NULL);
}

static void
cmd_resume(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    c->paused = false;
    ic_engine_force_recompute(c->engine, "resumed");
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
cmd_is_paused(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    unixctl_command_reply(conn, c->paused ? "true" : "false");
}

static void
cmd_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "Status: %s", controller_status(c));
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_connection_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *db_)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ic_db_format_status(db_, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
format_engine(const struct ic_controller *c, struct ds *s)
{
    ds_put_format(s, "status: %s\n", controller_status(c));
    ds_put_format(s, "global writer: %s\n",
                  ic_db_has_lock(c->sessions[IC_SESSION_GLOBAL])
                  ? "yes" : "no");
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        const struct ic_db *db = c->sessions[i];
        ds_put_format(s, "%s: %s, ", ic_session_name(i),
                      ic_db_is_connected(db) ? "connected" : "not connected");
        ic_db_format_counters(db, s);
        ds_put_char(s, '\n');
    }
    ic_engine_format(c->engine, s);
}

static void
cmd_engine_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    format_engine(c, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_status_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ds reason = DS_EMPTY_INITIALIZER;
    bool healthy = ic_controller_is_healthy(c, &reason);
    ds_put_format(&s, "health: %s\n", healthy ? "ok" : ds_cstr(&reason));
    format_engine(c, &s);
    ic_engine_format_status(c->engine, &s);
    route_owners_format_status(c->route_owners, &s);
    ds_put_format(&s, "problems: %"PRIuSIZE"\n",
                  problems_count(&c->problems));
    problems_format(&c->problems, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&reason);
    ds_destroy(&s);
}

static void
cmd_engine_recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    ic_engine_force_recompute(c->engine, "requested by unixctl");
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
cmd_problems_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    problems_format(&c->problems, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_replica_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *c_)
{
    struct ic_controller *c = c_;
    struct ds s = DS_EMPTY_INITIALIZER;
    ic_condmon_format(c->condmon, c->sessions, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Creation. */

struct ic_controller *
ic_controller_create(const struct ic_controller_options *opts)
{
    struct ic_controller *c = xzalloc(sizeof *c);

    /* The sessions replicate only what the steps declare. */
    c->sessions[IC_DB_NB] = ic_db_create("NB", opts->nb_remote,
                                         &nbrec_idl_class, false);
    c->sessions[IC_DB_SB] = ic_db_create("SB", opts->sb_remote,
                                         &sbrec_idl_class, false);
    c->sessions[IC_DB_ICNB] = ic_db_create("IC-NB", opts->icnb_remote,
                                           &icnbrec_idl_class, false);
    c->sessions[IC_DB_ICSB] = ic_db_create("IC-SB", opts->icsb_remote,
                                           &icsbrec_idl_class, false);
    c->sessions[IC_SESSION_GLOBAL] = ic_db_create("IC-SB global",
                                                  opts->icsb_remote,
                                                  &icsbrec_idl_class, false);
    ic_db_set_lock(c->sessions[IC_DB_SB], ZONE_LOCK);

    problems_init(&c->problems);
    static const struct ic_engine_io io = {
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
    struct ic_engine_io this_io = io;
    this_io.aux = c;
    c->route_owners = route_owners_create(opts->nb_remote);
    route_owners_set_default(c->route_owners);
    c->engine = ic_engine_create_default(&this_io, &c->problems);
    c->condmon = ic_condmon_create(opts->monitor_all);

    unixctl_command_register("exit", "", 0, 0, cmd_exit, c);
    unixctl_command_register("pause", "", 0, 0, cmd_pause, c);
    unixctl_command_register("resume", "", 0, 0, cmd_resume, c);
    unixctl_command_register("is-paused", "", 0, 0, cmd_is_paused, c);
    unixctl_command_register("status", "", 0, 0, cmd_status, c);
    unixctl_command_register("nb-connection-status", "", 0, 0,
                             cmd_connection_status, c->sessions[IC_DB_NB]);
    unixctl_command_register("sb-connection-status", "", 0, 0,
                             cmd_connection_status, c->sessions[IC_DB_SB]);
    unixctl_command_register("ic-nb-connection-status", "", 0, 0,
                             cmd_connection_status,
                             c->sessions[IC_DB_ICNB]);
    unixctl_command_register("ic-sb-connection-status", "", 0, 0,
                             cmd_connection_status,
                             c->sessions[IC_DB_ICSB]);
    unixctl_command_register("engine/show", "", 0, 0, cmd_engine_show, c);
    unixctl_command_register("engine/recompute", "", 0, 0,
                             cmd_engine_recompute, c);
    unixctl_command_register("problems/show", "", 0, 0, cmd_problems_show,
                             c);
    unixctl_command_register("status/show", "", 0, 0, cmd_status_show, c);
    unixctl_command_register("replica/show", "", 0, 0, cmd_replica_show, c);
    return c;
}

void
ic_controller_destroy(struct ic_controller *c)
{
    if (c) {
        ic_engine_destroy(c->engine);
        route_owners_destroy(c->route_owners);
        ic_condmon_destroy(c->condmon);
        problems_destroy(&c->problems);
        for (int i = 0; i < IC_N_SESSIONS; i++) {
            ic_db_destroy(c->sessions[i]);
        }
        free(c);
    }
}

/* Probe intervals come from the databases themselves (upstream's keys; the
 * az and cfg steps replicate both tables):
 * NB_Global.options:ic_probe_interval for the zone's sessions and
 * IC_NB_Global.options:ic_probe_interval for the IC sessions, in ms. */
static void
update_probe_intervals(struct ic_controller *c)
{
    const struct nbrec_nb_global *nb
        = nbrec_nb_global_first(ic_db_idl(c->sessions[IC_DB_NB]));
    const struct icnbrec_ic_nb_global *icnb = icnbrec_ic_nb_global_first(
        ic_db_idl(c->sessions[IC_DB_ICNB]));
    int zone = nb ? smap_get_int(&nb->options, "ic_probe_interval", -1) : -1;
    int ic = icnb ? smap_get_int(&icnb->options, "ic_probe_interval", -1)
                  : -1;
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        int ms = i == IC_DB_NB || i == IC_DB_SB ? zone : ic;
        if (ms >= 0) {
            ic_db_set_probe_interval(c->sessions[i],
                                     ms && ms < 1000 ? 1000 : ms);
        }
    }
    if (zone >= 0) {
        route_owners_set_probe_interval(c->route_owners,
                                        zone && zone < 1000 ? 1000 : zone);
    }
}

/* Logs a change of the daemon's role in upstream's words, which scripts
 * and upstream's own tests grep for ("OVN ISB lock acquired"), followed on
 * the same line by what it means here. */
static void
log_role_change(const struct ic_controller *c, bool active,
                bool global_writer)
{
    if (c->paused && !c->was_paused) {
        if (c->was_active) {
            VLOG_INFO("This ovn-ic instance is now paused. Removing IC-SB "
                      "lock.  The zone's lock is released too, for a "
                      "standby to take over.");
        }
        VLOG_INFO("This ovn-ic instance is now paused.");
    }
    if (active && !c->was_active) {
        VLOG_INFO("ovn-ic lock acquired. This ovn-ic instance is now "
                  "active.  Acquiring OVN ISB lock.");
    } else if (!active && c->was_active && !c->paused) {
        VLOG_INFO("ovn-ic lock lost. This ovn-ic instance is now on "
                  "standby.  The IC-SB lock is released.");
    }
    if (global_writer && !c->was_global_writer) {
        VLOG_INFO("OVN ISB lock acquired. This ovn-ic instance is now "
                  "active.  It is the global writer of IC-SB.");
    } else if (!global_writer && c->was_global_writer) {
        VLOG_INFO("OVN ISB lock lost.  This daemon is no longer the global "
                  "writer of IC-SB.");
    }
}

/* Takes or releases the locks according to the daemon's state: the zone
 * lock unless paused, the global lock only while active.  (Upstream asks
 * for the global lock even on standby; a standby never writes, so holding
 * it there would only keep the active daemon of another zone from
 * writing.) */
static void
update_locks(struct ic_controller *c)
{
    struct ic_db *sb = c->sessions[IC_DB_SB];
    struct ic_db *global = c->sessions[IC_SESSION_GLOBAL];

    ic_db_set_lock(sb, c->paused ? NULL : ZONE_LOCK);
    bool active = !c->paused && ic_db_has_lock(sb);
    ic_db_set_lock(global, active ? GLOBAL_LOCK : NULL);

    bool global_writer = active && ic_db_has_lock(global);
    log_role_change(c, active, global_writer);
    if (active && !c->was_active) {
        ic_engine_force_recompute(c->engine, "became active");
    }
    if (global_writer && !c->was_global_writer) {
        ic_engine_force_recompute(c->engine, "became global writer");
    }
    c->was_active = active;
    c->was_global_writer = global_writer;
    c->was_paused = c->paused;
}

/* Lists in problems/show every session that backs off after commits that
 * failed for the same reason (see lib/ic-db.h), so that a write that can
 * never succeed is seen, and logged once, without spinning. */
static void
report_backoffs(struct ic_controller *c)
{
    problems_begin(&c->problems, COMMIT_OWNER);
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        struct ic_db_backoff b;
        if (ic_db_get_backoff(c->sessions[i], &b)) {
            problems_report(&c->problems, COMMIT_OWNER, ic_session_name(i),
                            "transactions keep failing (%s); retrying with "
                            "back-off, at most every %d ms", b.reason,
                            IC_DB_MAX_BACKOFF_MS);
        }
    }
    problems_end(&c->problems, COMMIT_OWNER);
}

void
ic_controller_run(struct ic_controller *c)
{
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        ic_db_run(c->sessions[i]);
        if (ic_db_take_recompute(c->sessions[i])) {
            ic_engine_force_recompute(c->engine, "session reconnected or "
                                      "a transaction failed");
        }
    }
    route_owners_run(c->route_owners);
    update_probe_intervals(c);
    update_locks(c);
    ic_engine_set_unsettled(c->engine,
                            ic_condmon_run(c->condmon, c->sessions,
                                           ic_engine_get_az(c->engine),
                                           c->was_global_writer));

    bool ready = c->was_active;
    for (int i = 0; i < IC_N_DBS; i++) {
        ready = ready && ic_db_has_ever_connected(c->sessions[i]);
    }
    if (ready) {
        ic_engine_run(c->engine, c->was_global_writer);
    } else {
        ic_engine_idle(c->engine);
    }
    report_backoffs(c);
}

void
ic_controller_wait(const struct ic_controller *c)
{
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        ic_db_wait(c->sessions[i]);
    }
    route_owners_wait(c->route_owners);
    ic_condmon_wait(c->condmon);
}

bool
ic_controller_is_exiting(const struct ic_controller *c)
{
    return c->exiting;
}

/* Makes the sessions count the rows each transaction writes, for the
 * metrics.  This costs a walk over the database's rows per transaction that
 * writes, so it is on only when something reads the counts. */
void
ic_controller_count_rows_written(struct ic_controller *c)
{
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        ic_db_count_rows(c->sessions[i]);
    }
}

/* Returns true if every session is connected and, when active, the last
 * pass converged.  Otherwise stores the reason in 'reason'. */
bool
ic_controller_is_healthy(const struct ic_controller *c, struct ds *reason)
{
    for (int i = 0; i < IC_N_DBS; i++) {
        if (!ic_db_is_connected(c->sessions[i])) {
            ds_put_format(reason, "not connected to %s", ic_db_id_name(i));
            return false;
        }
    }
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        struct ic_db_backoff b;
        if (ic_db_get_backoff(c->sessions[i], &b)) {
            ds_put_format(reason, "transactions on %s keep failing: %s",
                          ic_session_name(i), b.reason);
            return false;
        }
    }
    if (c->was_active && !ic_engine_is_converged(c->engine)) {
        ds_put_cstr(reason, "not converged");
        return false;
    }
    return true;
}

static uint64_t
db_connected(const struct ic_db *db)
{
    return ic_db_is_connected(db);
}

static uint64_t
db_commits(const struct ic_db *db)
{
    struct ic_db_counters counters;
    ic_db_get_counters(db, &counters);
    return counters.n_commits;
}

static uint64_t
db_failures(const struct ic_db *db)
{
    struct ic_db_counters counters;
    ic_db_get_counters(db, &counters);
    return counters.n_failures;
}

static uint64_t
db_backoff_ms(const struct ic_db *db)
{
    struct ic_db_backoff b;
    return ic_db_get_backoff(db, &b) ? b.delay_ms : 0;
}

static uint64_t
db_reconnects(const struct ic_db *db)
{
    struct ic_db_counters counters;
    ic_db_get_counters(db, &counters);
    return counters.n_reconnects;
}

/* The metric families with a sample per session. */
static const struct {
    const char *name;
    enum metric_type type;
    const char *help;
    uint64_t (*value)(const struct ic_db *);
} session_families[] = {
    { "ovn_ic_db_connected", METRIC_GAUGE,
      "Whether the session with the database is connected.", db_connected },
    { "ovn_ic_db_commits_total", METRIC_COUNTER,
      "Transactions that changed the database.", db_commits },
    { "ovn_ic_db_failures_total", METRIC_COUNTER,
      "Transactions that failed or had to be retried.", db_failures },
    { "ovn_ic_db_reconnects_total", METRIC_COUNTER,
      "Times the session connected again after a loss.", db_reconnects },
    { "ovn_ic_db_commit_backoff_milliseconds", METRIC_GAUGE,
      "Delay between tries while transactions keep failing for the same "
      "reason, 0 if they do not.", db_backoff_ms },
};

/* Renders every metric into 'm'. */
void
ic_controller_render_metrics(const struct ic_controller *c,
                             struct metrics *m)
{
    metrics_clear(m);

    for (size_t f = 0; f < ARRAY_SIZE(session_families); f++) {
        metrics_family(m, session_families[f].name, session_families[f].type,
                       session_families[f].help);
        for (int i = 0; i < IC_N_SESSIONS; i++) {
            metrics_sample(m, session_families[f].name, "db",
                           ic_session_name(i),
                           session_families[f].value(c->sessions[i]));
        }
    }

    metrics_family(m, "ovn_ic_rows_written_total", METRIC_COUNTER,
                   "Rows this daemon inserted, updated or deleted.");
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        const struct ovsdb_idl_class *class;
        size_t n;
        const uint64_t *rows = ic_db_rows_written(c->sessions[i], &n,
                                                  &class);
        for (size_t j = 0; j < n; j++) {
            if (rows[j]) {
                metrics_sample2(m, "ovn_ic_rows_written_total",
                                "db", ic_session_name(i),
                                "table", class->tables[j].name, rows[j]);
            }
        }
    }

    metrics_family(m, "ovn_ic_lock_held", METRIC_GAUGE,
                   "Whether this daemon holds the lock: ovn_ic makes it "
                   "active in its zone, ovn_ic_sb the global writer.");
    metrics_sample(m, "ovn_ic_lock_held", "lock", ZONE_LOCK,
                   ic_db_has_lock(c->sessions[IC_DB_SB]));
    metrics_sample(m, "ovn_ic_lock_held", "lock", GLOBAL_LOCK,
                   ic_db_has_lock(c->sessions[IC_SESSION_GLOBAL]));
    metrics_family(m, "ovn_ic_paused", METRIC_GAUGE,
                   "Whether the daemon is paused.");
    metrics_sample(m, "ovn_ic_paused", NULL, NULL, c->paused);

    ic_engine_render_metrics(c->engine, m);
    ic_condmon_render_metrics(c->condmon, c->sessions, m);

    metrics_family(m, "ovn_ic_problems", METRIC_GAUGE,
                   "Bad input set aside, see problems/show.");
    metrics_sample(m, "ovn_ic_problems", NULL, NULL,
                   problems_count(&c->problems));

    /* The steps that copy other zones' rows. */
    static const char *const copiers[] = { "port", "gateway", "route",
                                           "service-monitor",
                                           "address-set" };
    metrics_family(m, "ovn_ic_remote_rows_refused", METRIC_GAUGE,
                   "Rows of other zones refused as invalid or colliding "
                   "with local names, see problems/show.");
    for (size_t i = 0; i < ARRAY_SIZE(copiers); i++) {
        metrics_sample(m, "ovn_ic_remote_rows_refused", "step", copiers[i],
                       problems_count_refused(&c->problems, copiers[i]));
    }
}

struct ic_engine *
ic_controller_engine(const struct ic_controller *c)
{
    return c->engine;
}

/* Returns the number of transactions that changed a database, over every
 * session. */
uint64_t
ic_controller_n_commits(const struct ic_controller *c)
{
    uint64_t n = 0;
    for (int i = 0; i < IC_N_SESSIONS; i++) {
        n += db_commits(c->sessions[i]);
    }
    return n;
}

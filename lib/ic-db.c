/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/ic-db.h"

#include <ctype.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ic_db);

struct ic_db {
    char *label;                /* For logs: "NB", "SB", "IC-NB", ... */
    char *remote;
    struct ovsdb_idl *idl;

    struct ovsdb_idl_txn *open_txn;       /* Open for writes this pass. */
    struct ovsdb_idl_txn *committing_txn; /* Sent, awaiting the reply. */

    bool was_connected;         /* Connected at the previous ic_db_run(). */
    bool needs_recompute;       /* Reconnected or a commit failed. */
    bool awaiting_data;         /* Connected, the server's data not seen. */
    unsigned int connect_seqno; /* The IDL's seqno when it connected. */
    unsigned int skip_seqno;    /* Do not open a txn until seqno moves. */

    struct ic_db_counters counters;
    char *last_error;           /* Last transaction error, or NULL. */

    /* Back-off (see ic_db_commit()).  'fail_reason' is the normalized
     * reason of the last failed commit, 'n_same_failures' how many commits
     * in a row failed for it.  From the second, no transaction opens
     * before 'retry_at'. */
    char *fail_reason;
    unsigned int n_same_failures;
    int backoff_ms;             /* Current delay, 0 if not backing off. */
    long long int retry_at;     /* time_msec() of the next try, or 0. */

    /* Rows inserted, updated or deleted by this daemon's transactions, per
     * table, indexed like the IDL class's 'tables'.  Counted only while
     * 'count_rows' is true, since counting walks every row (see
     * count_writes()). */
    bool count_rows;
    const struct ovsdb_idl_class *class;
    uint64_t *rows_written;
    uint64_t *pending_writes;        /* Of the transaction being sent. */
    struct ovsdb_idl_table **tables; /* Found lazily, see count_writes(). */
};

/* Creates a session labelled 'label' with the database at 'remote'
 * described by 'class'.  If 'monitor_everything' is false, the caller must
 * register the columns it wants with ovsdb_idl_add_column() and friends on
 * 'idl' before the first ic_db_run().  With a Raft cluster, sessions talk to
 * its leader only (the IDL's default, as upstream's daemon has it): each
 * member keeps its own OVSDB locks, so two daemons connected to two members
 * could both hold the zone's lock or the global writer's. */
struct ic_db *
ic_db_create(const char *label, const char *remote,
             const struct ovsdb_idl_class *class, bool monitor_everything)
{
    struct ic_db *db = xzalloc(sizeof *db);
    db->label = xstrdup(label);
    db->remote = xstrdup(remote);
    db->idl = ovsdb_idl_create(remote, class, monitor_everything, true);
    db->class = class;
    db->rows_written = xcalloc(class->n_tables, sizeof *db->rows_written);
    db->pending_writes = xcalloc(class->n_tables,
                                 sizeof *db->pending_writes);
    db->tables = xcalloc(class->n_tables, sizeof *db->tables);
    return db;
}

void
ic_db_destroy(struct ic_db *db)
{
    if (db) {
        /* OVS's ovsdb_idl_txn_destroy() does not take a null pointer. */
        if (db->open_txn) {
            ovsdb_idl_txn_destroy(db->open_txn);
        }
        if (db->committing_txn) {
            ovsdb_idl_txn_destroy(db->committing_txn);
        }
        ovsdb_idl_destroy(db->idl);
        free(db->last_error);
        free(db->fail_reason);
        free(db->rows_written);
        free(db->pending_writes);
        free(db->tables);
        free(db->remote);
        free(db->label);
        free(db);
    }
}

static void commit_succeeded(struct ic_db *);

/* Processes updates from the database and polls the commit in flight. */
void
ic_db_run(struct ic_db *db)
{
    ovsdb_idl_run(db->idl);

    bool connected = ovsdb_idl_is_connected(db->idl);
    if (db->awaiting_data
        && ovsdb_idl_get_seqno(db->idl) != db->connect_seqno) {
        /* The server's reply to the new connection, which may replace the
         * replica wholesale and drop the change tracking with it: the
         * recompute at connection time came before it. */
        db->awaiting_data = false;
        db->needs_recompute = true;
    }
    if (connected && !db->was_connected) {
        /* A fresh connection replaces the replica wholesale: whatever the
         * daemon derived from the old one must be recomputed. */
        if (ovsdb_idl_has_ever_connected(db->idl)) {
            db->counters.n_reconnects++;
        }
        VLOG_INFO("%s: connected to %s", db->label, db->remote);
        commit_succeeded(db);   /* A new connection, a fresh start. */
        db->needs_recompute = true;
        db->awaiting_data = true;
        db->connect_seqno = ovsdb_idl_get_seqno(db->idl);
    } else if (!connected && db->was_connected) {
        VLOG_WARN("%s: connection to %s lost, retrying", db->label,
                  db->remote);
    }
    db->was_connected = connected;

    if (db->committing_txn) {
        ic_db_commit(db, false);
    }
}

/* Opens a transaction for this pass if the session can take one, and
 * returns it, or NULL. */
struct ovsdb_idl_txn *
ic_db_begin(struct ic_db *db)
{
    if (!db->open_txn && !db->committing_txn
        && ovsdb_idl_is_connected(db->idl)
        && ovsdb_idl_has_ever_connected(db->idl)
        && ovsdb_idl_get_seqno(db->idl) != db->skip_seqno
        && time_msec() >= db->retry_at) {
        db->open_txn = ovsdb_idl_txn_create(db->idl);
    }
    return db->open_txn;
}

struct ovsdb_idl *
ic_db_idl(const struct ic_db *db)
{
    return db->idl;
}

/* Replicates every column of 'table' (for a session created without
 * 'monitor_everything'). */
void
ic_db_monitor_table(struct ic_db *db, const struct ovsdb_idl_table_class *tc)
{
    ovsdb_idl_add_table(db->idl, tc);
    for (size_t i = 0; i < tc->n_columns; i++) {
        ovsdb_idl_add_column(db->idl, &tc->columns[i]);
    }
}

static bool
column_ignored(const struct ovsdb_idl_column *column,
               const struct ovsdb_idl_column *const ignore[],
               size_t n_ignore)
{
    for (size_t i = 0; i < n_ignore && ignore[i]; i++) {
        if (ignore[i] == column) {
            return true;
        }
    }
    return false;
}

/* Returns true if the tracked changes to 'tc' insert or delete a row or
 * touch a column other than the 'n_ignore' in 'ignore' (which may end
 * early with a null pointer).  The columns that count must be tracked. */
bool
ic_db_table_changed(const struct ic_db *db,
                    const struct ovsdb_idl_table_class *tc,
                    const struct ovsdb_idl_column *const ignore[],
                    size_t n_ignore)
{
    const struct ovsdb_idl_row *row;
    for (row = ovsdb_idl_track_get_first(db->idl, tc); row;
         row = ovsdb_idl_track_get_next(row)) {
        if (ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
            || ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE)) {
            return true;
        }
        for (size_t i = 0; i < tc->n_columns; i++) {
            const struct ovsdb_idl_column *column = &tc->columns[i];
            if (!column_ignored(column, ignore, n_ignore)
                && ovsdb_idl_track_is_updated(row, column)) {
                return true;
            }
        }
    }
    return false;
}

/* Returns true, once, if the session reconnected or a transaction failed
 * since the last call: what was derived from the replica must be
 * recomputed. */
bool
ic_db_take_recompute(struct ic_db *db)
{
    bool recompute = db->needs_recompute;
    db->needs_recompute = false;
    return recompute;
}

/* Makes the session count the rows each transaction writes (see
 * count_writes()). */
void
ic_db_count_rows(struct ic_db *db)
{
    db->count_rows = true;
}

/* Counts, per table, the rows that the transaction being committed
 * inserts, updates or deletes.  The IDL keeps a transaction's rows in a list
 * of its own that it does not expose, so this walks every row of every
 * table, comparing the committed and the new data: a cost in the number of
 * rows, paid only by transactions that change something.  A table is
 * reached through its rows (struct ovsdb_idl_row's 'table'); one that had
 * no row yet cannot have had one deleted. */
static void
count_writes(struct ic_db *db)
{
    for (size_t i = 0; i < db->class->n_tables; i++) {
        if (!db->tables[i]) {
            const struct ovsdb_idl_row *row
                = ovsdb_idl_first_row(db->idl, &db->class->tables[i]);
            if (!row) {
                continue;
            }
            db->tables[i] = row->table;
        }
        const struct ovsdb_idl_row *row;
        HMAP_FOR_EACH (row, hmap_node, &db->tables[i]->rows) {
            if (row->new_datum != row->old_datum) {
                db->pending_writes[i]++;
            }
        }
    }
}

static void
ic_db_set_error(struct ic_db *db, const char *error)
{
    free(db->last_error);
    db->last_error = error ? xstrdup(error) : NULL;
}

/* Copies 'reason' with every UUID in it replaced by "*": an error about a
 * row this daemon inserts names a fresh UUID each time, and is still the
 * same error. */
static char *
normalize_reason(const char *reason)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    const char *p = reason;
    while (*p) {
        struct uuid uuid;
        if (isxdigit((unsigned char) *p)
            && (p == reason || !isxdigit((unsigned char) p[-1]))
            && uuid_from_string_prefix(&uuid, p)) {
            ds_put_char(&out, '*');
            p += UUID_LEN;
        } else {
            ds_put_char(&out, *p++);
        }
    }
    return ds_steal_cstr(&out);
}

/* Records a commit that failed for 'reason'.  The first failure for a
 * reason is retried at once, as a race or a transient error deserves.  A
 * second one in a row for the same reason will fail again: the session
 * backs off, opening no transaction for 100 ms, then twice as long after
 * each further failure, up to IC_DB_MAX_BACKOFF_MS; the controller lists
 * it in problems/show, which logs it once.
 * Returns true if the session backs off.  (A transaction that failed to
 * verify, or lost its lock, is not retried with back-off: it can fail
 * again only after the database or the lock changed.) */
static bool
commit_failed(struct ic_db *db, const char *reason_)
{
    char *reason = normalize_reason(reason_);
    if (db->fail_reason && !strcmp(db->fail_reason, reason)) {
        db->n_same_failures++;
        free(reason);
    } else {
        free(db->fail_reason);
        db->fail_reason = reason;
        db->n_same_failures = 1;
        db->backoff_ms = 0;
    }
    if (db->n_same_failures < 2) {
        db->retry_at = 0;
        return false;
    }
    if (!db->backoff_ms) {
        VLOG_DBG("%s: transactions keep failing (%s); retrying with "
                 "back-off, at most every %d ms, until one succeeds",
                 db->label, reason_, IC_DB_MAX_BACKOFF_MS);
    }
    db->backoff_ms = (db->backoff_ms
                      ? MIN(db->backoff_ms * 2, IC_DB_MAX_BACKOFF_MS)
                      : IC_DB_MIN_BACKOFF_MS);
    db->retry_at = time_msec() + db->backoff_ms;
    return true;
}

/* Records a commit that did not fail: any back-off ends. */
static void
commit_succeeded(struct ic_db *db)
{
    if (db->backoff_ms) {
        VLOG_DBG("%s: transactions succeed again after %u failures",
                 db->label, db->n_same_failures);
    }
    free(db->fail_reason);
    db->fail_reason = NULL;
    db->n_same_failures = 0;
    db->backoff_ms = 0;
    db->retry_at = 0;
}

/* Commits the open transaction, or polls the one in flight.  If 'count' is
 * true, the rows the transaction writes are counted per table first (see
 * count_writes()); callers pass false when they know nothing was written,
 * to save the walk.  Returns true if a transaction opened this pass sent
 * changes. */
bool
ic_db_commit(struct ic_db *db, bool count)
{
    bool fresh = db->open_txn != NULL;
    if (fresh) {
        /* The IDL forgets which rows a transaction touched as soon as it is
         * sent, so count them now. */
        memset(db->pending_writes, 0,
               db->class->n_tables * sizeof *db->pending_writes);
        if (count && db->count_rows) {
            count_writes(db);
        }
        ovs_assert(!db->committing_txn);
        db->committing_txn = db->open_txn;
        db->open_txn = NULL;
    }
    if (!db->committing_txn) {
        return false;
    }

    unsigned int precommit_seqno = ovsdb_idl_get_seqno(db->idl);
    enum ovsdb_idl_txn_status status
        = ovsdb_idl_txn_commit(db->committing_txn);
    bool wrote = fresh && status != TXN_UNCHANGED;
    switch (status) {
    case TXN_INCOMPLETE:
        return wrote;

    case TXN_UNCHANGED:
        /* Whatever failed before is no longer wanted. */
        commit_succeeded(db);
        break;

    case TXN_SUCCESS:
        db->counters.n_commits++;
        for (size_t i = 0; i < db->class->n_tables; i++) {
            db->rows_written[i] += db->pending_writes[i];
        }
        ic_db_set_error(db, NULL);
        commit_succeeded(db);
        /* The database echoes the change back; wake up to see it. */
        poll_immediate_wake();
        break;

    case TXN_TRY_AGAIN:
        /* Someone else changed what we verified.  Open the next transaction
         * only once the replica has moved past what this one was built on,
         * then recompute. */
        db->counters.n_failures++;
        db->skip_seqno = precommit_seqno;
        db->needs_recompute = true;
        poll_immediate_wake();
        break;

    case TXN_ABORTED:
    case TXN_NOT_LOCKED:
    case TXN_ERROR:
    default: {
        const char *error = ovsdb_idl_txn_get_error(db->committing_txn);
        db->counters.n_failures++;
        ic_db_set_error(db, error ? error
                        : ovsdb_idl_txn_status_to_string(status));
        char *reason = xasprintf("%s: %s",
                                 ovsdb_idl_txn_status_to_string(status),
                                 error ? error : "no details");
        /* A transaction that lost its lock on the way is not retried
         * with back-off: the controller sees the lock go and stops
         * writing. */
        if (status == TXN_NOT_LOCKED || !commit_failed(db, reason)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: transaction failed (%s): %s", db->label,
                         ovsdb_idl_txn_status_to_string(status),
                         error ? error : "no details");
            poll_immediate_wake();
        }
        free(reason);
        db->needs_recompute = true;
        break;
    }
    }

    ovsdb_idl_txn_destroy(db->committing_txn);
    db->committing_txn = NULL;
    return wrote;
}

void
ic_db_wait(const struct ic_db *db)
{
    ovsdb_idl_wait(db->idl);
    if (db->committing_txn) {
        ovsdb_idl_txn_wait(db->committing_txn);
    }
    if (db->retry_at && !db->open_txn) {
        poll_timer_wait_until(db->retry_at);
    }
}

bool
ic_db_is_connected(const struct ic_db *db)
{
    return ovsdb_idl_is_connected(db->idl);
}

bool
ic_db_has_ever_connected(const struct ic_db *db)
{
    return ovsdb_idl_has_ever_connected(db->idl);
}

/* Requests the OVSDB lock 'lock_name', or releases any lock if it is NULL.
 * While a lock is set, every transaction asserts it. */
void
ic_db_set_lock(struct ic_db *db, const char *lock_name)
{
    ovsdb_idl_set_lock(db->idl, lock_name);
}

bool
ic_db_has_lock(const struct ic_db *db)
{
    return ovsdb_idl_has_lock(db->idl);
}

void
ic_db_set_probe_interval(struct ic_db *db, int probe_interval_ms)
{
    ovsdb_idl_set_probe_interval(db->idl, probe_interval_ms);
}

/* Appends a one-line description of 'db''s connection to 'out', as the
 * *-connection-status commands print it. */
void
ic_db_format_status(const struct ic_db *db, struct ds *out)
{
    ds_put_cstr(out, ovsdb_idl_is_connected(db->idl)
                     ? "connected" : "not connected");
}

void
ic_db_get_counters(const struct ic_db *db, struct ic_db_counters *c)
{
    *c = db->counters;
}

const char *
ic_db_last_error(const struct ic_db *db)
{
    return db->last_error;
}

/* Returns true if the session backs off after commits that failed for the
 * same reason, and then stores in '*b' how. */
bool
ic_db_get_backoff(const struct ic_db *db, struct ic_db_backoff *b)
{
    if (!db->backoff_ms) {
        return false;
    }
    b->reason = db->fail_reason;
    b->n_failures = db->n_same_failures;
    b->delay_ms = db->backoff_ms;
    return true;
}

/* Appends "commits=N failures=N reconnects=N in-flight=yes|no" and the last
 * error.  "in-flight=yes" means that a transaction has been sent and its
 * reply has not come yet. */
void
ic_db_format_counters(const struct ic_db *db, struct ds *out)
{
    ds_put_format(out, "commits=%"PRIu64" failures=%"PRIu64
                  " reconnects=%"PRIu64" in-flight=%s",
                  db->counters.n_commits, db->counters.n_failures,
                  db->counters.n_reconnects,
                  db->committing_txn ? "yes" : "no");
    if (db->last_error) {
        ds_put_format(out, ", last error: %s", db->last_error);
    }
}

const uint64_t *
ic_db_rows_written(const struct ic_db *db, size_t *n,
                   const struct ovsdb_idl_class **class)
{
    *n = db->class->n_tables;
    *class = db->class;
    return db->rows_written;
}

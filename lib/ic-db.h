/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_DB_H
#define IC_DB_H 1

/* One session with one OVSDB database.
 *
 * The daemon talks to four databases (the zone's NB and SB, IC-NB and IC-SB)
 * and, for globally unique allocations, holds a second IC-SB session with a
 * lock.  Every session has the same life cycle, so it lives here once:
 *
 *   - ic_db_run() processes updates and polls the transaction in flight.
 *
 *   - ic_db_begin() opens a transaction for this pass and returns it, or
 *     NULL if one is still in flight, the session is disconnected or has
 *     not loaded its replica yet.  A session that holds no lock
 *     it asked for cannot commit even an empty transaction, so the caller
 *     begins only the sessions it means to write to.
 *
 *   - ic_db_commit() commits the open transaction without blocking,
 *     records the outcome (commits that changed something, commits that
 *     failed) and tells whether it sent changes.  A failure or a fresh
 *     connection means the caller must recompute what it derived from the
 *     replica: ic_db_take_recompute() tells, once.
 *
 *   - ic_db_wait() arranges for poll_block() to wake up for this session.
 *
 * A commit that fails is retried at once, but one that fails twice in a row
 * for the same reason would only fail again: the session then backs off,
 * opening no transaction for a growing delay (100 ms, doubling, at most
 * IC_DB_MAX_BACKOFF_MS), logs it once and reports it through
 * ic_db_get_backoff(), until a commit succeeds or nothing fails any more.
 *
 * A session never blocks and never gives up: a database that goes away is
 * retried by the IDL with back-off, and the daemon keeps running. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_class;
struct ovsdb_idl_column;
struct ovsdb_idl_table_class;
struct ovsdb_idl_txn;

struct ic_db *ic_db_create(const char *label, const char *remote,
                           const struct ovsdb_idl_class *,
                           bool monitor_everything);
void ic_db_destroy(struct ic_db *);

void ic_db_run(struct ic_db *);
struct ovsdb_idl_txn *ic_db_begin(struct ic_db *);
bool ic_db_commit(struct ic_db *, bool count);
void ic_db_wait(const struct ic_db *);

struct ovsdb_idl *ic_db_idl(const struct ic_db *);
void ic_db_monitor_table(struct ic_db *,
                         const struct ovsdb_idl_table_class *);
bool ic_db_table_changed(const struct ic_db *,
                         const struct ovsdb_idl_table_class *,
                         const struct ovsdb_idl_column *const ignore[],
                         size_t n_ignore);
bool ic_db_take_recompute(struct ic_db *);
void ic_db_count_rows(struct ic_db *);

bool ic_db_is_connected(const struct ic_db *);
bool ic_db_has_ever_connected(const struct ic_db *);
void ic_db_set_lock(struct ic_db *, const char *lock_name);
bool ic_db_has_lock(const struct ic_db *);
void ic_db_set_probe_interval(struct ic_db *, int probe_interval_ms);
void ic_db_format_status(const struct ic_db *, struct ds *);
void ic_db_format_counters(const struct ic_db *, struct ds *);

/* Counters, for status and metrics. */
struct ic_db_counters {
    uint64_t n_commits;         /* Transactions that changed the database. */
    uint64_t n_failures;        /* Transactions that failed or must retry. */
    uint64_t n_reconnects;
};
void ic_db_get_counters(const struct ic_db *, struct ic_db_counters *);
const char *ic_db_last_error(const struct ic_db *);

#define IC_DB_MIN_BACKOFF_MS 100
#define IC_DB_MAX_BACKOFF_MS 5000

struct ic_db_backoff {
    const char *reason;         /* Why the commits fail. */
    unsigned int n_failures;    /* Commits in a row that failed for it. */
    int delay_ms;               /* The current delay between tries. */
};
bool ic_db_get_backoff(const struct ic_db *, struct ic_db_backoff *);

/* Rows this session's transactions wrote, per table ('n' of the IDL
 * class's tables), counted since ic_db_count_rows(). */
const uint64_t *ic_db_rows_written(const struct ic_db *, size_t *n,
                                   const struct ovsdb_idl_class **);

#endif /* lib/ic-db.h */

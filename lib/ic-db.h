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
 *   - ic_db_begin() opens a transaction for this pass, unless one is still
 *     in flight, the session is disconnected or has not loaded its replica
 *     yet; ic_db_txn() returns it, or NULL.  A session that holds no lock
 *     it asked for cannot commit even an empty transaction, so the caller
 *     begins only the sessions it means to write to.
 *
 *   - ic_db_commit() commits the open transaction without blocking and
 *     records the outcome: commits that changed something, commits that
 *     failed, and whether the session (re)connected.  A failure or a fresh
 *     connection sets the 'needs_recompute' flag, which the caller clears.
 *
 *   - ic_db_wait() arranges for poll_block() to wake up for this session.
 *
 * A session never blocks and never gives up: a database that goes away is
 * retried by the IDL with back-off, and the daemon keeps running. */

#include <stdbool.h>
#include <stdint.h>

struct ovsdb_idl;
struct ovsdb_idl_class;
struct ovsdb_idl_txn;
struct ds;

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
    bool pass_wrote;            /* The last ic_db_commit() sent changes. */
    unsigned int skip_seqno;    /* Do not open a txn until seqno moves. */

    /* Counters, for status and metrics. */
    uint64_t n_commits;         /* Transactions that changed the database. */
    uint64_t n_failures;        /* Transactions that failed or must retry. */
    uint64_t n_reconnects;
    char *last_error;           /* Last transaction error, or NULL. */

    /* Rows inserted, updated or deleted by this daemon's transactions, per
     * table, indexed like the IDL class's 'tables'.  Counted only while
     * 'count_rows' is true, since counting walks every row (see
     * count_writes() in ic-db.c). */
    bool count_rows;
    const struct ovsdb_idl_class *class;
    uint64_t *rows_written;
    uint64_t *pending_writes;        /* Of the transaction being sent. */
    struct ovsdb_idl_table **tables; /* Found lazily, see count_writes(). */
};

struct ic_db *ic_db_create(const char *label, const char *remote,
                           const struct ovsdb_idl_class *,
                           bool monitor_everything);
void ic_db_destroy(struct ic_db *);

void ic_db_run(struct ic_db *);
struct ovsdb_idl_txn *ic_db_begin(struct ic_db *);
struct ovsdb_idl_txn *ic_db_txn(const struct ic_db *);
void ic_db_commit(struct ic_db *, bool count);
void ic_db_wait(const struct ic_db *);

bool ic_db_is_connected(const struct ic_db *);
bool ic_db_has_ever_connected(const struct ic_db *);
void ic_db_set_lock(struct ic_db *, const char *lock_name);
bool ic_db_has_lock(const struct ic_db *);
void ic_db_set_probe_interval(struct ic_db *, int probe_interval_ms);
void ic_db_format_status(const struct ic_db *, struct ds *);

#endif /* lib/ic-db.h */

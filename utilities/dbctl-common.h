/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef UTILITIES_DBCTL_COMMON_H
#define UTILITIES_DBCTL_COMMON_H 1

/* The part of ovn-ic-nbctl and ovn-ic-sbctl that does not depend on the
 * database: option parsing, usage text, the transaction loop and output.
 *
 * A tool is nothing but its description: it defines 'dbctl_program',
 * naming its database, tables and commands, and links with this module,
 * whose main() does the rest.
 *
 * A tool whose database carries a pair of configuration sequence numbers
 * (IC_NB_Global's nb_ic_cfg, which clients bump, and sb_ic_cfg, which the
 * daemons raise once they have applied it) sets 'cfg_table', 'nb_cfg' and
 * 'sb_cfg'.  The tool then accepts --wait=sb and --no-wait and has a "sync"
 * command.
 *
 * Both IC databases carry the same Connection and SSL tables, pointed to by
 * their global row.  A tool that sets 'conn' gets the get-connection,
 * del-connection, set-connection, get-ssl, del-ssl and set-ssl commands,
 * which work on the columns 'conn' names.
 *
 * The tools work against older versions of their database's schema, such
 * as Debian 12's OVN 23.03, whose tables and columns are a subset of ours.
 * They monitor only what the server has, so that a command that does not
 * need the rest does not hear of it.  A command of the tool's own that
 * needs a table or column the server may lack says so in its
 * prerequisites with dbctl_require_table() or dbctl_require_column(),
 * which fail the command with one clear message.  db-ctl-base's generic
 * commands ("list", "get", ...) monitor what they name, and the IDL warns
 * once about each missing table or column they name. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "table.h"

struct ctl_command_syntax;
struct ctl_context;
struct ctl_table_class;
struct ovsdb_idl_class;
struct ovsdb_idl_column;
struct ovsdb_idl_table_class;
struct vlog_module;

/* Global options, parsed from the command line. */
struct dbctl_options {
    char *db;                   /* --db, or the default remote. */
    bool oneline;               /* --oneline. */
    bool dry_run;               /* --dry-run. */
    bool wait_sb;               /* --wait=sb. */
    bool force_wait;            /* Wait even if nothing changed ("sync"). */
    unsigned int timeout;       /* -t, --timeout, in seconds; 0 for none. */
    int leader_only;            /* False with --no-leader-only. */
    struct table_style table_style;  /* --format, --columns, ... */
};

/* The Connection and SSL columns of a database, and the global row's
 * references to them. */
struct dbctl_conn_schema {
    const struct ovsdb_idl_column *global_connections;
    const struct ovsdb_idl_column *global_ssl;

    const struct ovsdb_idl_table_class *connection_table;
    const struct ovsdb_idl_column *connection_target;
    const struct ovsdb_idl_column *connection_inactivity_probe;
    const struct ovsdb_idl_column *connection_role;   /* Or NULL. */

    const struct ovsdb_idl_table_class *ssl_table;
    const struct ovsdb_idl_column *ssl_private_key;
    const struct ovsdb_idl_column *ssl_certificate;
    const struct ovsdb_idl_column *ssl_ca_cert;
    const struct ovsdb_idl_column *ssl_bootstrap_ca_cert;
    const struct ovsdb_idl_column *ssl_protocols;
    const struct ovsdb_idl_column *ssl_ciphers;
    const struct ovsdb_idl_column *ssl_ciphersuites;
};

/* The 'struct dbctl_conn_schema' of a database whose IDL prefix is 'PREFIX'
 * and whose global table is 'GLOBAL', in lower case, for example
 * DBCTL_CONN_SCHEMA(icnbrec, ic_nb_global).  Both IC databases name these
 * tables and columns alike.  DBCTL_CONN_SCHEMA_FIELDS() is the same without
 * the braces, for a database that adds a column (such as the Connection
 * role of our IC-SB schema). */
#define DBCTL_CONN_SCHEMA(PREFIX, GLOBAL)                                   \
    { DBCTL_CONN_SCHEMA_FIELDS(PREFIX, GLOBAL) }
#define DBCTL_CONN_SCHEMA_FIELDS(PREFIX, GLOBAL)                            \
    .global_connections = &PREFIX##_##GLOBAL##_col_connections,             \
    .global_ssl = &PREFIX##_##GLOBAL##_col_ssl,                             \
    .connection_table = &PREFIX##_table_connection,                         \
    .connection_target = &PREFIX##_connection_col_target,                   \
    .connection_inactivity_probe                                            \
        = &PREFIX##_connection_col_inactivity_probe,                        \
    .ssl_table = &PREFIX##_table_ssl,                                       \
    .ssl_private_key = &PREFIX##_ssl_col_private_key,                       \
    .ssl_certificate = &PREFIX##_ssl_col_certificate,                       \
    .ssl_ca_cert = &PREFIX##_ssl_col_ca_cert,                               \
    .ssl_bootstrap_ca_cert = &PREFIX##_ssl_col_bootstrap_ca_cert,           \
    .ssl_protocols = &PREFIX##_ssl_col_ssl_protocols,                       \
    .ssl_ciphers = &PREFIX##_ssl_col_ssl_ciphers,                           \
    .ssl_ciphersuites = &PREFIX##_ssl_col_ssl_ciphersuites

struct dbctl_program {
    const struct ovsdb_idl_class *idl_class;

    /* For db-ctl-base: how rows of each table are named on the command
     * line (an array indexed like 'idl_class->tables', with as many
     * elements), and the tool's own commands, terminated by one with a
     * null name. */
    const struct ctl_table_class *ctl_tables;
    const struct ctl_command_syntax *commands;

    struct vlog_module *vlog_module;  /* For "Called as" and --no-syslog. */
    const char *description;    /* One line, for --help. */
    const char *commands_usage; /* The tool's own commands, for --help. */
    const char *db_env;         /* Variable naming the default remote. */
    const char *db_socket;      /* Socket in $OVN_RUNDIR, failing that. */
    const char *(*get_db_version)(void);

    /* The table with the single global row, created by any transaction
     * that finds it missing. */
    const struct ovsdb_idl_table_class *global_table;

    /* Columns of 'global_table' for --wait=sb, or NULL. */
    const struct ovsdb_idl_column *nb_cfg;
    const struct ovsdb_idl_column *sb_cfg;

    /* Connection and SSL columns, or NULL. */
    const struct dbctl_conn_schema *conn;
};

/* Defined by each tool. */
extern const struct dbctl_program dbctl_program;

void dbctl_require_table(struct ctl_context *,
                         const struct ovsdb_idl_table_class *);
void dbctl_require_column(struct ctl_context *,
                          const struct ovsdb_idl_column *);

#endif /* utilities/dbctl-common.h */

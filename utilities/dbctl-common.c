/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "utilities/dbctl-common.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "db-ctl-base.h"
#include "fatal-signal.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/version.h"
#include "openvswitch/vlog.h"
#include "ovsdb-cs.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "process.h"
#include "sset.h"
#include "stream.h"
#include "stream-ssl.h"
#include "svec.h"
#include "table.h"
#include "util.h"

/* Log messages go to the tool's own module, so that they read and filter
 * as the tool's. */
#define DBCTL_LOG(LEVEL, ...) vlog(program->vlog_module, LEVEL, __VA_ARGS__)

/* Probe interval for remotes that need probes.  A ctl tool's session is
 * short, so a generous interval only matters on a busy server. */
#define DBCTL_PROBE_INTERVAL_MSEC (120 * 1000)

static const struct dbctl_program *const program = &dbctl_program;
static struct dbctl_options options = {
    .leader_only = true,
    .table_style = TABLE_STYLE_DEFAULT,
};

/* The IDL and the transaction in flight, for dbctl_exit() only. */
static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

/* The server's schema: table names mapped to the 'struct sset' of their
 * column names, as ovsdb_cs_parse_schema() returns it. */
static struct shash *server_schema;

static bool
program_can_wait(void)
{
    return program->nb_cfg && program->sb_cfg;
}

/* Returns the remote to use without --db, as a malloc'd string. */
static char *
default_db(void)
{
    const char *env = getenv(program->db_env);
    if (env && env[0]) {
        return xstrdup(env);
    }

    const char *rundir = getenv("OVN_RUNDIR");
    if (!rundir || !rundir[0]) {
        rundir = "/var/run/ovn";
    }
    return xasprintf("unix:%s/%s", rundir, program->db_socket);
}

OVS_NO_RETURN static void
usage(void)
{
    char *db = default_db();

    printf("%s: %s\n\nusage: %s [OPTIONS] COMMAND [ARG...]\n\n%s",
           program_name, program->description, program_name,
           program->commands_usage);
    if (program->conn) {
        printf("\n\
Connection commands:\n\
  get-connection              print the connections\n\
  del-connection              delete the connections\n\
  [--inactivity-probe=MSECS]\n\
  set-connection TARGET...    set the list of connections to TARGET...\n\
\n\
SSL/TLS commands:\n\
  get-ssl                     print the SSL/TLS configuration\n\
  del-ssl                     delete the SSL/TLS configuration\n\
  [--bootstrap] set-ssl PRIV-KEY CERT CA-CERT [PROTOS [CIPHERS [SUITES]]]\n\
                              set the SSL/TLS configuration\n");
    }
    printf("\n%s%s", ctl_get_db_cmd_usage(), ctl_list_db_tables_usage());
    if (program_can_wait()) {
        printf("\nSynchronization command (use with --wait=sb):\n"
               "  sync                        wait even for earlier changes "
               "to take effect\n");
    }
    printf("\nOptions:\n"
           "  --db=DATABASE               connect to DATABASE\n"
           "                              (default: %s)\n", db);
    if (program_can_wait()) {
        printf("  --no-wait, --wait=none      do not wait for OVN "
               "reconfiguration (default)\n"
               "  --wait=sb                   wait until every availability "
               "zone applied\n"
               "                              the changes\n");
    }
    printf("  --no-leader-only            accept any cluster member, not "
           "just the leader\n"
           "  -t, --timeout=SECS          wait at most SECS seconds\n"
           "  --dry-run                   do not commit changes to database\n"
           "  --oneline                   print exactly one line of output "
           "per command\n");
    table_usage();
    vlog_usage();
    printf("  --no-syslog             equivalent to "
           "--verbose=%s:syslog:warn\n", program->vlog_module->name);
    printf("\nOther options:\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n");
    stream_usage("database", true, true, true);
    free(db);
    exit(EXIT_SUCCESS);
}

/* Parses the global options in 'argc' and 'argv' into 'options', and the
 * options that belong to commands ("--may-exist", ...) into
 * 'local_options'.  Exits on error. */
static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_NO_SYSLOG,
        OPT_NO_WAIT,
        OPT_WAIT,
        OPT_DRY_RUN,
        OPT_LOCAL,
        OPT_COMMANDS,
        OPT_OPTIONS,
        OPT_BOOTSTRAP_CA_CERT,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option common_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"no-syslog", no_argument, NULL, OPT_NO_SYSLOG},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"commands", no_argument, NULL, OPT_COMMANDS},
        {"options", no_argument, NULL, OPT_OPTIONS},
        {"leader-only", no_argument, &options.leader_only, true},
        {"no-leader-only", no_argument, &options.leader_only, false},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA_CERT},
        TABLE_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    static const struct option wait_options[] = {
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"wait", required_argument, NULL, OPT_WAIT},
    };

    /* The global options are the common ones and, if the database
     * supports them, the --wait options.  The commands' own options
     * ("--may-exist", ...) follow them in 'long_options'. */
    size_t n_global = ARRAY_SIZE(common_options) - 1;
    struct option *global_options
        = xmalloc((n_global + ARRAY_SIZE(wait_options) + 1)
                  * sizeof *global_options);
    memcpy(global_options, common_options, n_global * sizeof *global_options);
    if (program_can_wait()) {
        memcpy(&global_options[n_global], wait_options, sizeof wait_options);
        n_global += ARRAY_SIZE(wait_options);
    }
    memset(&global_options[n_global], 0, sizeof *global_options);

    size_t n_options = n_global;
    size_t allocated = n_global + 1;
    struct option *long_options
        = xmemdup(global_options, allocated * sizeof *long_options);
    ctl_add_cmd_options(&long_options, &n_options, &allocated, OPT_LOCAL);

    /* The leading '+' stops parsing at the first command. */
    char *tmp = ovs_cmdl_long_options_to_short_options(global_options);
    char *short_options = xasprintf("+%s", tmp);
    free(tmp);

    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, long_options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            free(options.db);
            options.db = xstrdup(optarg);
            break;

        case OPT_ONELINE:
            options.oneline = true;
            break;

        case OPT_NO_SYSLOG:
            vlog_set_levels(program->vlog_module, VLF_SYSLOG, VLL_WARN);
            break;

        case OPT_DRY_RUN:
            options.dry_run = true;
            break;

        case OPT_NO_WAIT:
            options.wait_sb = false;
            break;

        case OPT_WAIT:
            if (!strcmp(optarg, "none")) {
                options.wait_sb = false;
            } else if (!strcmp(optarg, "sb")) {
                options.wait_sb = true;
            } else {
                ctl_fatal("argument to --wait must be \"none\" or \"sb\"");
            }
            break;

        case OPT_LOCAL: {
            char *name = xasprintf("--%s", long_options[idx].name);
            if (shash_find(local_options, name)) {
                ctl_fatal("'%s' option specified multiple times", name);
            }
            shash_add_nocopy(local_options, name, nullable_xstrdup(optarg));
            break;
        }

        case 'h':
            usage();

        case OPT_COMMANDS:
            ctl_print_commands();
            /* fall through */

        case OPT_OPTIONS:
            ctl_print_options(global_options);
            /* fall through */

        case 'V':
            printf("%s (ovn-interconnect) %s\n", program_name,
                   PACKAGE_VERSION);
            printf("Open vSwitch Library %s\n", OVS_PACKAGE_VERSION);
            printf("DB Schema %s\n", program->get_db_version());
            exit(EXIT_SUCCESS);

        case 't':
            if (!str_to_uint(optarg, 10, &options.timeout)
                || !options.timeout) {
                ctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&options.table_style)
        STREAM_SSL_OPTION_HANDLERS

        case OPT_BOOTSTRAP_CA_CERT:
            stream_ssl_set_ca_cert_file(optarg, true);
            break;

        case '?':
            exit(EXIT_FAILURE);

        case 0:
            break;

        default:
            ovs_abort(0, "internal error when parsing option %d", c);
        }
    }
    free(short_options);

    if (!options.db) {
        options.db = default_db();
    }

    for (size_t i = n_global; long_options[i].name; i++) {
        free(CONST_CAST(char *, long_options[i].name));
    }
    free(long_options);
    free(global_options);
}

/* The server's schema.
 *
 * Our schemas are newer than some servers' (Debian 12's OVN 23.03 lacks,
 * for example, Transit_Switch_Port and IC_NB_Global's nb_ic_cfg).  An IDL
 * asked to monitor a table or column that the server lacks warns about it
 * on every run, whether or not the command needs it.  So the tool first
 * fetches the server's schema and monitors only what the server has;
 * commands that need more say so in their prerequisites. */

/* Fetches the schema of the tool's database from 'remote', one of the
 * remotes in --db, into '*schemap'.  Returns 0 if successful, otherwise a
 * positive errno value, with an error message in '*errorp' if the server
 * answered with one (the caller frees it). */
static int
fetch_schema_from(const char *remote, struct shash **schemap,
                  char **errorp)
{
    struct stream *stream;
    int error = stream_open_block(jsonrpc_stream_open(remote, &stream,
                                                      DSCP_DEFAULT),
                                  -1, &stream);
    if (error) {
        return error;
    }

    struct jsonrpc *rpc = jsonrpc_open(stream);
    struct jsonrpc_msg *request = jsonrpc_create_request(
        "get_schema",
        json_array_create_1(json_string_create(program->idl_class->database)),
        NULL);
    struct jsonrpc_msg *reply;
    error = jsonrpc_transact_block(rpc, request, &reply);
    if (!error) {
        if (reply->error) {
            *errorp = json_to_string(reply->error, 0);
            error = EPROTO;
        } else {
            *schemap = ovsdb_cs_parse_schema(reply->result);
            error = *schemap ? 0 : EPROTO;
        }
        jsonrpc_msg_destroy(reply);
    }
    jsonrpc_close(rpc);
    return error;
}

/* Fetches the schema of the tool's database from the first of the
 * comma-separated remotes in 'db' that answers.  Exits on failure. */
static struct shash *
fetch_server_schema(const char *db)
{
    char *remotes = xstrdup(db);
    char *save_ptr = NULL;
    struct shash *schema = NULL;
    char *message = NULL;
    int error = EINVAL;

    for (char *remote = strtok_r(remotes, ",", &save_ptr); remote;
         remote = strtok_r(NULL, ",", &save_ptr)) {
        error = fetch_schema_from(remote, &schema, &message);
        if (!error || message) {
            break;
        }
    }
    free(remotes);

    if (message) {
        ctl_fatal("%s: cannot read the %s schema (%s)", db,
                  program->idl_class->database, message);
    } else if (error) {
        ctl_fatal("%s: database connection failed (%s)", db,
                  ovs_retval_to_string(error));
    }
    return schema;
}

static const struct sset *
server_table_columns(const struct ovsdb_idl_table_class *table)
{
    return shash_find_data(server_schema, table->name);
}

static bool
server_has_column(const struct ovsdb_idl_table_class *table,
                  const struct ovsdb_idl_column *column)
{
    const struct sset *columns = server_table_columns(table);
    return columns && sset_contains(columns, column->name);
}

/* Returns the table class of the tool's database that 'column' belongs
 * to. */
static const struct ovsdb_idl_table_class *
table_of_column(const struct ovsdb_idl_column *column)
{
    const struct ovsdb_idl_class *class = program->idl_class;

    for (size_t i = 0; i < class->n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &class->tables[i];
        if (column >= tc->columns && column < &tc->columns[tc->n_columns]) {
            return tc;
        }
    }
    OVS_NOT_REACHED();
}

/* Makes 'idl', which monitors everything by default, leave alone the
 * tables and columns that the server lacks. */
static void
omit_missing(struct ovsdb_idl *idl)
{
    const struct ovsdb_idl_class *class = program->idl_class;

    for (size_t i = 0; i < class->n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &class->tables[i];
        for (size_t j = 0; j < tc->n_columns; j++) {
            if (!server_has_column(tc, &tc->columns[j])) {
                ovsdb_idl_omit(idl, &tc->columns[j]);
            }
        }
    }
}

/* Fails the command in 'ctx' if the server lacks 'table'.  For the
 * prerequisites of commands that need it. */
void
dbctl_require_table(struct ctl_context *ctx,
                    const struct ovsdb_idl_table_class *table)
{
    if (!ctx->error && !server_table_columns(table)) {
        ctl_error(ctx, "%s: the %s database lacks the %s table (database "
                  "needs upgrade?)", ctx->argv[0],
                  program->idl_class->database, table->name);
    }
}

/* Fails the command in 'ctx' if the server lacks 'column'.  For the
 * prerequisites of commands that need it. */
void
dbctl_require_column(struct ctl_context *ctx,
                     const struct ovsdb_idl_column *column)
{
    const struct ovsdb_idl_table_class *table = table_of_column(column);

    if (!ctx->error && !server_has_column(table, column)) {
        ctl_error(ctx, "%s: the %s table of the %s database lacks the %s "
                  "column (database needs upgrade?)", ctx->argv[0],
                  table->name, program->idl_class->database, column->name);
    }
}

/* "sync": changes nothing, but makes --wait=sb wait anyway, so that it
 * waits for earlier transactions too. */
static void
pre_cmd_sync(struct ctl_context *ctx)
{
    dbctl_require_column(ctx, program->nb_cfg);
    options.force_wait = true;
}

static const struct ctl_command_syntax sync_commands[] = {
    {"sync", 0, 0, "", pre_cmd_sync, NULL, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Returns the integer in 'column' of 'row'. */
static int64_t
read_integer(const struct ovsdb_idl_row *row,
             const struct ovsdb_idl_column *column)
{
    const struct ovsdb_datum *datum = ovsdb_idl_read(row, column);
    return datum->n ? datum->keys[0].integer : 0;
}

/* Returns the global row, inserting it into 'txn' if there is none: every
 * tool creates it on demand, so that commands that point to it (such as
 * set-connection) work on a fresh database. */
static const struct ovsdb_idl_row *
get_global_row(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
    const struct ovsdb_idl_row *row
        = ovsdb_idl_first_row(idl, program->global_table);
    return row ? row : ovsdb_idl_txn_insert(txn, program->global_table,
                                            NULL);
}

/* Connection and SSL/TLS commands.
 *
 * Both IC databases have the same Connection and SSL tables, so these
 * commands work on the columns that 'program->conn' names, through the
 * IDL's generic interface. */

static const char *
read_string(const struct ovsdb_idl_row *row,
            const struct ovsdb_idl_column *column)
{
    const struct ovsdb_datum *datum = ovsdb_idl_read(row, column);
    return datum->n ? json_string(datum->keys[0].s) : "";
}

static bool
read_bool(const struct ovsdb_idl_row *row,
          const struct ovsdb_idl_column *column)
{
    const struct ovsdb_datum *datum = ovsdb_idl_read(row, column);
    return datum->n && datum->keys[0].boolean;
}

/* Writes 'n' atoms 'keys' (malloc'd, or NULL if 'n' is 0, and taken over
 * by the IDL) to 'column' of 'row'. */
static void
write_atoms(const struct ovsdb_idl_row *row,
            const struct ovsdb_idl_column *column,
            union ovsdb_atom *keys, size_t n)
{
    struct ovsdb_datum datum = { .n = n, .keys = keys };
    ovsdb_idl_txn_write(row, column, &datum);
}

/* Writes the single 'atom' to 'column' of 'row'. */
static void
write_atom(const struct ovsdb_idl_row *row,
           const struct ovsdb_idl_column *column, union ovsdb_atom atom)
{
    write_atoms(row, column, xmemdup(&atom, sizeof atom), 1);
}

static void
write_string(const struct ovsdb_idl_row *row,
             const struct ovsdb_idl_column *column, const char *s)
{
    write_atom(row, column, (union ovsdb_atom) {
                   .s = ovsdb_atom_string_create(s) });
}

/* Makes 'column' of 'row' refer to the 'n' rows in 'refs'. */
static void
write_refs(const struct ovsdb_idl_row *row,
           const struct ovsdb_idl_column *column,
           const struct ovsdb_idl_row **refs, size_t n)
{
    union ovsdb_atom *keys = n ? xmalloc(n * sizeof *keys) : NULL;
    for (size_t i = 0; i < n; i++) {
        keys[i].uuid = refs[i]->uuid;
    }
    write_atoms(row, column, keys, n);
}

/* Makes the transaction fail, and the commands rerun, if the connections
 * change before it commits. */
static void
verify_connections(struct ctl_context *ctx, const struct ovsdb_idl_row *global)
{
    const struct dbctl_conn_schema *cs = program->conn;

    ovsdb_idl_txn_verify(global, cs->global_connections);
    for (const struct ovsdb_idl_row *row
             = ovsdb_idl_first_row(ctx->idl, cs->connection_table);
         row; row = ovsdb_idl_next_row(row)) {
        ovsdb_idl_txn_verify(row, cs->connection_target);
    }
}

static void
cmd_get_connection(struct ctl_context *ctx)
{
    const struct dbctl_conn_schema *cs = program->conn;
    struct svec targets = SVEC_EMPTY_INITIALIZER;

    verify_connections(ctx, get_global_row(ctx->idl, ctx->txn));
    for (const struct ovsdb_idl_row *row
             = ovsdb_idl_first_row(ctx->idl, cs->connection_table);
         row; row = ovsdb_idl_next_row(row)) {
        const char *target = read_string(row, cs->connection_target);
        const char *role = (cs->connection_role
                            && server_has_column(cs->connection_table,
                                                 cs->connection_role)
                            ? read_string(row, cs->connection_role) : "");
        if (role[0]) {
            /* As ovn-sbctl shows it. */
            char *s = xasprintf("role=\"%s\" %s", role, target);
            svec_add_nocopy(&targets, s);
        } else {
            svec_add(&targets, target);
        }
    }

    /* Sorted, for reproducible output. */
    svec_sort_unique(&targets);
    for (size_t i = 0; i < targets.n; i++) {
        ds_put_format(&ctx->output, "%s\n", targets.names[i]);
    }
    svec_destroy(&targets);
}

static void
delete_connections(struct ctl_context *ctx,
                   const struct ovsdb_idl_row *global)
{
    const struct dbctl_conn_schema *cs = program->conn;
    const struct ovsdb_idl_row *row, *next;

    for (row = ovsdb_idl_first_row(ctx->idl, cs->connection_table); row;
         row = next) {
        next = ovsdb_idl_next_row(row);
        ovsdb_idl_txn_delete(row);
    }
    write_refs(global, cs->global_connections, NULL, 0);
}

static void
cmd_del_connection(struct ctl_context *ctx)
{
    const struct ovsdb_idl_row *global = get_global_row(ctx->idl, ctx->txn);

    verify_connections(ctx, global);
    delete_connections(ctx, global);
}

/* "role=ROLE" among set-connection's targets (as ovn-sbctl takes it) gives
 * the targets after it that RBAC role; it needs the Connection table's role
 * column, which only our IC-SB schema has. */
static void
pre_cmd_set_connection(struct ctl_context *ctx)
{
    for (int i = 1; i < ctx->argc; i++) {
        if (!strncmp(ctx->argv[i], "role=", 5)) {
            if (!program->conn->connection_role) {
                ctl_error(ctx, "%s: this database's connections have no "
                          "role", ctx->argv[0]);
            } else {
                dbctl_require_column(ctx, program->conn->connection_role);
            }
            return;
        }
    }
}

static void
cmd_set_connection(struct ctl_context *ctx)
{
    const struct dbctl_conn_schema *cs = program->conn;
    const char *probe = shash_find_data(&ctx->options, "--inactivity-probe");
    long long int probe_msec = 0;

    if (probe && (!str_to_llong(probe, 10, &probe_msec) || probe_msec < 0)) {
        ctl_error(ctx, "--inactivity-probe: \"%s\" is not a number of "
                  "milliseconds", probe);
        return;
    }

    const struct ovsdb_idl_row *global = get_global_row(ctx->idl, ctx->txn);
    verify_connections(ctx, global);
    delete_connections(ctx, global);

    const char *role = NULL;
    size_t n = 0;
    const struct ovsdb_idl_row **rows = xmalloc(ctx->argc * sizeof *rows);
    for (size_t i = 1; i < ctx->argc; i++) {
        const char *target = ctx->argv[i];
        if (!strncmp(target, "role=", 5)) {
            role = target + 5;
            continue;
        }
        if (stream_verify_name(target) && pstream_verify_name(target)) {
            DBCTL_LOG(VLL_WARN, "target type \"%s\" is possibly erroneous",
                      target);
        }

        const struct ovsdb_idl_row *row
            = ovsdb_idl_txn_insert(ctx->txn, cs->connection_table, NULL);
        write_string(row, cs->connection_target, target);
        if (probe) {
            write_atom(row, cs->connection_inactivity_probe,
                       (union ovsdb_atom) { .integer = probe_msec });
        }
        if (role) {
            write_string(row, cs->connection_role, role);
        }
        rows[n++] = row;
    }
    write_refs(global, cs->global_connections, rows, n);
    free(rows);
}

static void
cmd_get_ssl(struct ctl_context *ctx)
{
    const struct dbctl_conn_schema *cs = program->conn;
    const struct ovsdb_idl_row *global = get_global_row(ctx->idl, ctx->txn);
    const struct ovsdb_idl_row *ssl = ovsdb_idl_first_row(ctx->idl,
                                                          cs->ssl_table);

    ovsdb_idl_txn_verify(global, cs->global_ssl);
    if (ssl) {
        ovsdb_idl_txn_verify(ssl, cs->ssl_private_key);
        ovsdb_idl_txn_verify(ssl, cs->ssl_certificate);
        ovsdb_idl_txn_verify(ssl, cs->ssl_ca_cert);
        ovsdb_idl_txn_verify(ssl, cs->ssl_bootstrap_ca_cert);

        ds_put_format(&ctx->output, "Private key: %s\n",
                      read_string(ssl, cs->ssl_private_key));
        ds_put_format(&ctx->output, "Certificate: %s\n",
                      read_string(ssl, cs->ssl_certificate));
        ds_put_format(&ctx->output, "CA Certificate: %s\n",
                      read_string(ssl, cs->ssl_ca_cert));
        ds_put_format(&ctx->output, "Bootstrap: %s\n",
                      read_bool(ssl, cs->ssl_bootstrap_ca_cert)
                      ? "true" : "false");
    }
}

static void
cmd_del_ssl(struct ctl_context *ctx)
{
    const struct dbctl_conn_schema *cs = program->conn;
    const struct ovsdb_idl_row *global = get_global_row(ctx->idl, ctx->txn);
    const struct ovsdb_idl_row *ssl = ovsdb_idl_first_row(ctx->idl,
                                                          cs->ssl_table);

    if (ssl) {
        ovsdb_idl_txn_verify(global, cs->global_ssl);
        ovsdb_idl_txn_delete(ssl);
        write_refs(global, cs->global_ssl, NULL, 0);
    }
}

static void
pre_cmd_set_ssl(struct ctl_context *ctx)
{
    if (ctx->argc > 6) {
        dbctl_require_column(ctx, program->conn->ssl_ciphersuites);
    }
}

static void
cmd_set_ssl(struct ctl_context *ctx)
{
    const struct dbctl_conn_schema *cs = program->conn;
    bool bootstrap = shash_find(&ctx->options, "--bootstrap") != NULL;
    const struct ovsdb_idl_row *global = get_global_row(ctx->idl, ctx->txn);
    const struct ovsdb_idl_row *ssl = ovsdb_idl_first_row(ctx->idl,
                                                          cs->ssl_table);

    ovsdb_idl_txn_verify(global, cs->global_ssl);
    if (ssl) {
        ovsdb_idl_txn_delete(ssl);
    }

    ssl = ovsdb_idl_txn_insert(ctx->txn, cs->ssl_table, NULL);
    write_string(ssl, cs->ssl_private_key, ctx->argv[1]);
    write_string(ssl, cs->ssl_certificate, ctx->argv[2]);
    write_string(ssl, cs->ssl_ca_cert, ctx->argv[3]);
    write_atom(ssl, cs->ssl_bootstrap_ca_cert,
               (union ovsdb_atom) { .boolean = bootstrap });
    if (ctx->argc > 4) {
        write_string(ssl, cs->ssl_protocols, ctx->argv[4]);
    }
    if (ctx->argc > 5) {
        write_string(ssl, cs->ssl_ciphers, ctx->argv[5]);
    }
    if (ctx->argc > 6) {
        write_string(ssl, cs->ssl_ciphersuites, ctx->argv[6]);
    }
    write_refs(global, cs->global_ssl, &ssl, 1);
}

static const struct ctl_command_syntax conn_commands[] = {
    {"get-connection", 0, 0, "", NULL, cmd_get_connection, NULL, "", RO},
    {"del-connection", 0, 0, "", NULL, cmd_del_connection, NULL, "", RW},
    {"set-connection", 1, INT_MAX, "TARGET...", pre_cmd_set_connection,
     cmd_set_connection, NULL, "--inactivity-probe=", RW},
    {"get-ssl", 0, 0, "", NULL, cmd_get_ssl, NULL, "", RO},
    {"del-ssl", 0, 0, "", NULL, cmd_del_ssl, NULL, "", RW},
    {"set-ssl", 3, 6,
     "PRIVATE-KEY CERTIFICATE CA-CERT [SSL-PROTOS [SSL-CIPHERS "
     "[SSL-CIPHERSUITES]]]",
     pre_cmd_set_ssl, cmd_set_ssl, NULL, "--bootstrap", RW},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        if (!c->syntax->prerequisites) {
            continue;
        }

        struct ctl_context ctx;
        ds_init(&c->output);
        c->table = NULL;
        ctl_context_init(&ctx, c, idl, NULL, NULL, NULL);
        c->syntax->prerequisites(&ctx);
        if (ctx.error) {
            ctl_fatal("%s", ctx.error);
        }
        ctl_context_done(&ctx, c);
        ovs_assert(!c->output.string);
        ovs_assert(!c->table);
    }
}

/* Arranges for 'txn' to bump the configuration sequence number in 'row'.
 * The increment becomes part of the transaction only if something else
 * changes, unless a command asked to wait regardless. */
static void
add_cfg_increment(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row)
{
    if (read_integer(row, program->nb_cfg) == INT64_MAX) {
        /* Wrap around instead of letting the server overflow. */
        struct ovsdb_datum datum = {
            .n = 1,
            .keys = xzalloc(sizeof *datum.keys),
        };
        ovsdb_idl_txn_write(row, program->nb_cfg, &datum);
    }
    ovsdb_idl_txn_increment(txn, row, program->nb_cfg, options.force_wait);
}

/* Blocks until the daemons report, through the global row's 'sb_cfg'
 * column, that they applied configuration 'next_cfg'.  -t bounds the wait
 * as it bounds the whole run. */
static void
wait_for_cfg(struct ovsdb_idl *idl, int64_t next_cfg)
{
    ovsdb_idl_enable_reconnect(idl);
    for (;;) {
        ovsdb_idl_run(idl);

        const struct ovsdb_idl_row *row
            = ovsdb_idl_first_row(idl, program->global_table);
        if (row) {
            int64_t cur_cfg = read_integer(row, program->sb_cfg);
            /* After 'nb_cfg' wrapped around, an 'sb_cfg' still far ahead
             * from before the wrap has not caught up. */
            if (cur_cfg >= next_cfg && cur_cfg - next_cfg < INT32_MAX) {
                return;
            }
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }
}

/* Prints the output of the commands, one after the other. */
static void
print_output(struct ctl_command *commands, size_t n_commands)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        struct ds *ds = &c->output;

        if (c->table) {
            table_print(c->table, &options.table_style);
        } else if (options.oneline) {
            ds_chomp(ds, '\n');
            for (size_t i = 0; i < ds->length; i++) {
                char ch = ds->string[i];
                if (ch == '\n') {
                    fputs("\\n", stdout);
                } else if (ch == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(ch);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(ds), stdout);
        }
    }
    fflush(stdout);
}

static void
free_outputs(struct ctl_command *commands, size_t n_commands)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        c->table = NULL;
    }
}

/* Runs the commands in one transaction against the current contents of
 * 'idl'.  Returns true if done; false if the transaction must be retried
 * once the IDL has caught up with the database.  Exits on error. */
static bool
do_commands(const char *args, struct ctl_command *commands, size_t n_commands,
            struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (options.dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }
    ovsdb_idl_txn_add_comment(txn, "%s: %s", program_name, args);

    const struct ovsdb_idl_row *global = get_global_row(idl, txn);
    if (options.wait_sb) {
        add_cfg_increment(txn, global);
    }

    struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }

    struct ctl_context ctx;
    bool try_again = false;
    ctl_context_init(&ctx, NULL, idl, txn, symtab, NULL);
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        ctl_context_init_command(&ctx, c, c == &commands[n_commands - 1]);
        if (c->syntax->run) {
            c->syntax->run(&ctx);
        }
        if (ctx.error) {
            ctl_fatal("%s", ctx.error);
        }
        ctl_context_done_command(&ctx, c);
        if (ctx.try_again) {
            try_again = true;
            break;
        }
    }
    ctl_context_done(&ctx, NULL);
    if (try_again) {
        goto try_again;
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_fatal("row id \"%s\" is referenced but never created (e.g. "
                      "with \"-- --id=%s create ...\")",
                      node->name, node->name);
        }
        if (!symbol->strong_ref) {
            DBCTL_LOG(VLL_WARN, "row id \"%s\" was created but %s, so it "
                      "will not actually appear in the database", node->name,
                      symbol->weak_ref
                      ? "only a weak reference to it was inserted"
                      : "no reference to it was inserted");
        }
    }

    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit_block(txn);
    int64_t next_cfg = 0;
    if (options.wait_sb && status == TXN_SUCCESS) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }

    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (struct ctl_command *c = commands; c < &commands[n_commands];
             c++) {
            if (c->syntax->postprocess) {
                ctl_context_init(&ctx, c, idl, txn, symtab, NULL);
                c->syntax->postprocess(&ctx);
                if (ctx.error) {
                    ctl_fatal("%s", ctx.error);
                }
                ctl_context_done(&ctx, c);
            }
        }
    }

    switch (status) {
    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s", ovsdb_idl_txn_get_error(txn));

    case TXN_ABORTED:
        /* Nothing here aborts a transaction. */
        ctl_fatal("transaction aborted");

    case TXN_NOT_LOCKED:
        /* Nothing here asks for a lock. */
        ctl_fatal("database not locked");

    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
    default:
        OVS_NOT_REACHED();
    }

    ovsdb_symbol_table_destroy(symtab);
    print_output(commands, n_commands);
    free_outputs(commands, n_commands);

    if (options.wait_sb) {
        if (status == TXN_SUCCESS && !options.dry_run) {
            wait_for_cfg(idl, next_cfg);
        }
    } else if (options.force_wait) {
        DBCTL_LOG(VLL_INFO, "\"sync\" command has no effect without --wait");
    }

    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;
    return true;

try_again:
    /* The database changed under us, or a command needs data that has not
     * arrived yet.  Start over once the IDL has caught up. */
    ovsdb_idl_txn_abort(txn);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;
    ovsdb_symbol_table_destroy(symtab);
    free_outputs(commands, n_commands);
    return false;
}

static void
free_commands(struct ctl_command *commands, size_t n_commands)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        shash_destroy_free_data(&c->options);
    }
    free(commands);
}

/* Frees the transaction in flight and the IDL, then exits with 'status'.
 * This is the exit function for db-ctl-base's ctl_fatal(). */
OVS_NO_RETURN static void
dbctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
        the_idl_txn = NULL;
    }
    ovsdb_idl_destroy(the_idl);
    the_idl = NULL;
    if (server_schema) {
        ovsdb_cs_free_schema(server_schema);
        server_schema = NULL;
    }
    exit(status);
}

/* The main() of every tool: runs the tool that 'dbctl_program'
 * describes. */
int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    /* "show" is each tool's own, so db-ctl-base gets no show tables. */
    ctl_init__(program->idl_class, program->ctl_tables, NULL, dbctl_exit);
    ctl_register_commands(program->commands);
    if (program_can_wait()) {
        ctl_register_commands(sync_commands);
    }
    if (program->conn) {
        ctl_register_commands(conn_commands);
    }

    /* Parse the command line. */
    char *args = process_escape_args(argv);
    struct shash local_options = SHASH_INITIALIZER(&local_options);
    parse_options(argc, argv, &local_options);

    struct ctl_command *commands;
    size_t n_commands;
    char *error = ctl_parse_commands(argc - optind, argv + optind,
                                     &local_options, &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    DBCTL_LOG(ctl_might_write_to_db(commands, n_commands)
              ? VLL_INFO : VLL_DBG, "Called as %s", args);

    ctl_timeout_setup(options.timeout);

    /* Monitor all of the database that the server has: the tools'
     * databases are small, and so every command, generic or not, sees
     * every column. */
    server_schema = fetch_server_schema(options.db);
    if (options.wait_sb && !server_has_column(program->global_table,
                                              program->nb_cfg)) {
        ctl_fatal("--wait=sb: the %s table of the %s database lacks the %s "
                  "column (database needs upgrade?)",
                  program->global_table->name, program->idl_class->database,
                  program->nb_cfg->name);
    }
    struct ovsdb_idl *idl = the_idl
        = ovsdb_idl_create_unconnected(program->idl_class, true);
    omit_missing(idl);
    ovsdb_idl_set_remote(idl, options.db, false);
    ovsdb_idl_set_db_change_aware(idl, false);
    ovsdb_idl_set_leader_only(idl, options.leader_only);
    if (stream_or_pstream_needs_probes(options.db) == 1) {
        ovsdb_idl_set_probe_interval(idl, DBCTL_PROBE_INTERVAL_MSEC);
    }

    run_prerequisites(commands, n_commands, idl);

    /* There is no point in running the commands twice against the same
     * contents: a transaction that failed did so because the database
     * changed, so wait for the change before trying again. */
    unsigned int seqno = ovsdb_idl_get_seqno(idl);
    for (;;) {
        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            int retval = ovsdb_idl_get_last_error(idl);
            ctl_fatal("%s: database connection failed (%s)",
                      options.db, ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(idl)) {
            seqno = ovsdb_idl_get_seqno(idl);
            if (do_commands(args, commands, n_commands, idl)) {
                break;
            }
        }

        if (seqno == ovsdb_idl_get_seqno(idl)) {
            ovsdb_idl_wait(idl);
            poll_block();
        }
    }

    free_commands(commands, n_commands);
    free(args);
    free(options.db);
    dbctl_exit(EXIT_SUCCESS);
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ic/engine.h"
#include "openvswitch/dynamic-string.h"
#include "command-line.h"
#include "daemon.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "stream-ssl.h"
#include "stream.h"
#include "openvswitch/version.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(options);

/* Returns OVN's run directory: $OVN_RUNDIR or /var/run/ovn. */
const char *
ic_rundir(void)
{
    const char *dir = getenv("OVN_RUNDIR");
    return dir && dir[0] ? dir : "/var/run/ovn";
}

static char *
default_remote(const char *env, const char *socket)
{
    const char *remote = getenv(env);
    return remote && remote[0] ? xstrdup(remote)
           : xasprintf("unix:%s/%s", ic_rundir(), socket);
}

static void
usage(void)
{
    printf("\
%s: OVN interconnection controller (ovn-interconnect %s)\n\
usage: %s [OPTIONS]\n\
\n\
Keeps a zone's OVN Northbound and Southbound databases and the\n\
interconnection databases IC-NB and IC-SB reconciled.\n\
\n\
Options:\n\
  --ovnnb-db=DATABASE       zone NB database (default: %s)\n\
  --ovnsb-db=DATABASE       zone SB database (default: %s)\n\
  --ic-nb-db=DATABASE       IC-NB database (default: %s)\n\
  --ic-sb-db=DATABASE       IC-SB database (default: %s)\n\
  --unixctl=SOCKET          override the default control socket\n\
  --metrics-address=IP:PORT serve /metrics and /healthz over HTTP (off)\n\
  --ic-monitor-all          replicate every IC-SB row of the tables used,\n\
                            not only the rows this zone needs\n\
  -h, --help                display this help message\n\
  --dump-inc-proc-graph[=NODE]\n\
                            print the sync steps and the tables that make\n\
                            them run (or only NODE's part) as a Graphviz\n\
                            digraph, and exit\n\
  -o, --options             list available options\n\
  -V, --version             display version information\n",
           program_name, PACKAGE_VERSION, program_name,
           "$OVN_NB_DB or unix:$OVN_RUNDIR/ovnnb_db.sock",
           "$OVN_SB_DB or unix:$OVN_RUNDIR/ovnsb_db.sock",
           "$OVN_IC_NB_DB or unix:$OVN_RUNDIR/ovn_ic_nb_db.sock",
           "$OVN_IC_SB_DB or unix:$OVN_RUNDIR/ovn_ic_sb_db.sock");
    daemon_usage();
    vlog_usage();
    stream_usage("database", true, true, false);
    printf("\
  --ssl-ciphersuites=SUITES accepted as upstream's; this build logs that\n\
                            it cannot set TLS 1.3 cipher suites\n\
  --ssl-server-name=NAME    accepted as upstream's; this build logs that\n\
                            it cannot override SNI\n");
    exit(EXIT_SUCCESS);
}

/* --dump-inc-proc-graph[=NODE], as upstream 26.03 has it; upstream's graph
 * has one node that every table feeds, ours a node per sync step. */
static void
dump_graph(const char *node)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    if (!ic_engine_dump_graph(node, &ds)) {
        ovs_fatal(0, "%s: no such step or table (a table is named as in "
                  "\"NB_Logical_Switch\")", node);
    }
    fputs(ds_cstr(&ds), stdout);
    ds_destroy(&ds);
    exit(EXIT_SUCCESS);
}

void
ic_cli_parse(int argc, char *argv[], struct ic_cli *cli)
{
    enum {
        OPT_OVNNB_DB = UCHAR_MAX + 1,
        OPT_OVNSB_DB,
        OPT_ICNB_DB,
        OPT_ICSB_DB,
        OPT_UNIXCTL,
        OPT_METRICS_ADDRESS,
        OPT_SSL_PRIVATE_KEY,
        OPT_SSL_CERTIFICATE,
        OPT_SSL_CA_CERT,
        OPT_SSL_PROTOCOLS_,
        OPT_SSL_CIPHERS_,
        OPT_SSL_CIPHERSUITES_,
        OPT_SSL_SERVER_NAME_,
        OPT_DUMP_GRAPH,
        OPT_IC_MONITOR_ALL,
        DAEMON_OPTION_ENUMS,
        VLOG_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"ovnnb-db", required_argument, NULL, OPT_OVNNB_DB},
        {"ovnsb-db", required_argument, NULL, OPT_OVNSB_DB},
        {"ic-nb-db", required_argument, NULL, OPT_ICNB_DB},
        {"ic-sb-db", required_argument, NULL, OPT_ICSB_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"metrics-address", required_argument, NULL, OPT_METRICS_ADDRESS},
        {"help", no_argument, NULL, 'h'},
        {"options", no_argument, NULL, 'o'},
        {"version", no_argument, NULL, 'V'},
        {"private-key", required_argument, NULL, 'p'},
        {"certificate", required_argument, NULL, 'c'},
        {"ca-cert", required_argument, NULL, 'C'},
        {"ssl-protocols", required_argument, NULL, OPT_SSL_PROTOCOLS_},
        {"ssl-ciphers", required_argument, NULL, OPT_SSL_CIPHERS_},
        {"ssl-ciphersuites", required_argument, NULL,
         OPT_SSL_CIPHERSUITES_},
        {"ssl-server-name", required_argument, NULL, OPT_SSL_SERVER_NAME_},
        {"dump-inc-proc-graph", optional_argument, NULL, OPT_DUMP_GRAPH},
        {"ic-monitor-all", no_argument, NULL, OPT_IC_MONITOR_ALL},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    memset(cli, 0, sizeof *cli);
    char *nb = NULL, *sb = NULL, *icnb = NULL, *icsb = NULL;
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        DAEMON_OPTION_HANDLERS;
        VLOG_OPTION_HANDLERS;

        case OPT_OVNNB_DB:
            free(nb);
            nb = xstrdup(optarg);
            break;
        case OPT_OVNSB_DB:
            free(sb);
            sb = xstrdup(optarg);
            break;
        case OPT_ICNB_DB:
            free(icnb);
            icnb = xstrdup(optarg);
            break;
        case OPT_ICSB_DB:
            free(icsb);
            icsb = xstrdup(optarg);
            break;
        case OPT_UNIXCTL:
            free(cli->unixctl_path);
            cli->unixctl_path = xstrdup(optarg);
            break;
        case OPT_METRICS_ADDRESS:
            free(cli->metrics_address);
            cli->metrics_address = xstrdup(optarg);
            break;
        case 'p':
            free(cli->ssl_private_key);
            cli->ssl_private_key = xstrdup(optarg);
            break;
        case 'c':
            free(cli->ssl_certificate);
            cli->ssl_certificate = xstrdup(optarg);
            break;
        case 'C':
            free(cli->ssl_ca_cert);
            cli->ssl_ca_cert = xstrdup(optarg);
            break;
        case OPT_SSL_PROTOCOLS_:
            stream_ssl_set_protocols(optarg);
            break;
        case OPT_SSL_CIPHERS_:
            stream_ssl_set_ciphers(optarg);
            break;
        case OPT_SSL_CIPHERSUITES_:
            free(cli->ssl_ciphersuites);
            cli->ssl_ciphersuites = xstrdup(optarg);
            break;
        case OPT_SSL_SERVER_NAME_:
            free(cli->ssl_server_name);
            cli->ssl_server_name = xstrdup(optarg);
            break;
        case OPT_DUMP_GRAPH:
            dump_graph(optarg);
            OVS_NOT_REACHED();
        case OPT_IC_MONITOR_ALL:
            cli->dbs.monitor_all = true;
            break;
        case 'h':
            usage();
            OVS_NOT_REACHED();
        case 'o':
            ovs_cmdl_print_options(long_options);
            exit(EXIT_SUCCESS);
        case 'V':
            printf("%s (ovn-interconnect) %s\n", program_name,
                   PACKAGE_VERSION);
            printf("Open vSwitch Library %s\n", OVS_PACKAGE_VERSION);
            exit(EXIT_SUCCESS);
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);
    if (optind < argc) {
        ovs_fatal(0, "non-option argument \"%s\" not allowed; use --help "
                  "for usage", argv[optind]);
    }

    cli->dbs.nb_remote = nb ? nb : default_remote("OVN_NB_DB",
                                                  "ovnnb_db.sock");
    cli->dbs.sb_remote = sb ? sb : default_remote("OVN_SB_DB",
                                                  "ovnsb_db.sock");
    cli->dbs.icnb_remote = icnb ? icnb : default_remote("OVN_IC_NB_DB",
                                                        "ovn_ic_nb_db.sock");
    cli->dbs.icsb_remote = icsb ? icsb : default_remote("OVN_IC_SB_DB",
                                                        "ovn_ic_sb_db.sock");
}

/* Reads the SSL key, certificate and CA certificate again, so that rotated
 * files take effect without a restart.  Cheap when nothing changed. */
/* Upstream's daemon (25.03 and later) takes --ssl-ciphersuites and
 * --ssl-server-name, so deployments pass them; the Open vSwitch 3.1 library
 * this is built on can set neither (it leaves TLS 1.3 cipher suites at
 * OpenSSL's defaults and sends the host name of an "ssl:" remote, when it
 * is a name, as SNI).  The options are accepted and each is logged once,
 * after the log file is open, instead of refusing to start. */
static void
log_unsupported_ssl_options(const struct ic_cli *cli)
{
    if (cli->ssl_ciphersuites) {
        VLOG_WARN_ONCE("--ssl-ciphersuites=%s is not supported by this build "
                       "(Open vSwitch library %s): TLS 1.3 connections use "
                       "OpenSSL's default cipher suites",
                       cli->ssl_ciphersuites, OVS_PACKAGE_VERSION);
    }
    if (cli->ssl_server_name) {
        VLOG_WARN_ONCE("--ssl-server-name=%s is not supported by this build "
                       "(Open vSwitch library %s): SNI carries the host name "
                       "of each ssl: remote, when it is a name",
                       cli->ssl_server_name, OVS_PACKAGE_VERSION);
    }
}

void
ic_cli_refresh_ssl(const struct ic_cli *cli)
{
    log_unsupported_ssl_options(cli);
    if (cli->ssl_private_key && cli->ssl_certificate) {
        stream_ssl_set_key_and_cert(cli->ssl_private_key,
                                    cli->ssl_certificate);
    }
    if (cli->ssl_ca_cert) {
        stream_ssl_set_ca_cert_file(cli->ssl_ca_cert, false);
    }
}

void
ic_cli_destroy(struct ic_cli *cli)
{
    free(CONST_CAST(char *, cli->dbs.nb_remote));
    free(CONST_CAST(char *, cli->dbs.sb_remote));
    free(CONST_CAST(char *, cli->dbs.icnb_remote));
    free(CONST_CAST(char *, cli->dbs.icsb_remote));
    free(cli->unixctl_path);
    free(cli->metrics_address);
    free(cli->ssl_private_key);
    free(cli->ssl_certificate);
    free(cli->ssl_ca_cert);
    free(cli->ssl_ciphersuites);
    free(cli->ssl_server_name);
}

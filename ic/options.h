/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef IC_OPTIONS_H
#define IC_OPTIONS_H 1

/* The daemon's command line, compatible with upstream ovn-ic's.
 *
 * Database locations come from --ovnnb-db, --ovnsb-db, --ic-nb-db and
 * --ic-sb-db, else from $OVN_NB_DB, $OVN_SB_DB, $OVN_IC_NB_DB and
 * $OVN_IC_SB_DB, else from the unix sockets in $OVN_RUNDIR (default
 * /var/run/ovn).  The daemon, vlog and SSL options are Open vSwitch's. */

#include "ic/controller.h"

struct ic_cli {
    struct ic_controller_options dbs;
    char *unixctl_path;         /* --unixctl, or NULL. */
    char *metrics_address;      /* --metrics-address, or NULL. */
    char *ssl_private_key;
    char *ssl_certificate;
    char *ssl_ca_cert;
    char *ssl_ciphersuites;     /* Accepted, not supported by OVS 3.1. */
    char *ssl_server_name;      /* Accepted, not supported by OVS 3.1. */
};

void ic_cli_parse(int argc, char *argv[], struct ic_cli *);
void ic_cli_refresh_ssl(const struct ic_cli *);
void ic_cli_destroy(struct ic_cli *);
const char *ic_rundir(void);

#endif /* ic/options.h */

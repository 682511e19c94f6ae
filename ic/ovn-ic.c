/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* ovn-ic: the interconnection controller of one OVN zone.  Everything but
 * start-up lives in ic/controller.c and the sync modules. */

#include <config.h>

#include <stdlib.h>

#include "daemon.h"
#include "fatal-signal.h"
#include "ic/controller.h"
#include "ic/options.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

int
main(int argc, char *argv[])
{
    struct ic_cli cli;

    set_program_name(argv[0]);
    /* Pidfile and control socket live in OVN's run directory, where
     * ovn-appctl looks for them. */
    setenv("OVS_RUNDIR", ic_rundir(), 1);
    ovs_cmdl_proctitle_init(argc, argv);
    fatal_ignore_sigpipe();
    ic_cli_parse(argc, argv, &cli);

    daemonize_start(false);
    struct unixctl_server *unixctl;
    int error = unixctl_server_create(cli.unixctl_path, &unixctl);
    if (error) {
        exit(EXIT_FAILURE);
    }
    struct ic_controller *c = ic_controller_create(&cli.dbs, unixctl);
    daemonize_complete();

    while (!ic_controller_is_exiting(c)) {
        ic_cli_refresh_ssl(&cli);
        ic_controller_run(c);
        unixctl_server_run(unixctl);
        ic_controller_wait(c);
        unixctl_server_wait(unixctl);
        poll_block();
    }

    ic_controller_destroy(c);
    unixctl_server_destroy(unixctl);
    ic_cli_destroy(&cli);
    service_stop();
    return 0;
}

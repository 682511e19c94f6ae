/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* ovn-ic: the interconnection controller of one OVN zone.  Everything but
 * start-up lives in ic/controller.c and the sync modules. */

#include <config.h>

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "command-line.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "ic/controller.h"
#include "ic/options.h"
#include "lib/metrics-http.h"
#include "lib/metrics.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(main);


/* Starts the HTTP metrics endpoint if 'address' is nonnull.  A port that
 * is taken is logged; the daemon goes on syncing without the endpoint. */
static struct metrics_http *
start_metrics(const char *address)
{
    if (!address) {
        return NULL;
    }
    char *error = NULL;
    struct metrics_http *http = metrics_http_start(address, &error);
    if (http) {
        VLOG_INFO("serving metrics on %s (port %d)", address,
                  metrics_http_port(http));
    } else {
        VLOG_ERR("metrics endpoint disabled: %s", error);
        free(error);
    }
    return http;
}

static void
publish_metrics(const struct ic_controller *c, struct metrics_http *http,
                struct metrics *metrics)
{
    struct ds reason = DS_EMPTY_INITIALIZER;
    bool healthy = ic_controller_is_healthy(c, &reason);
    ic_controller_render_metrics(c, metrics);
    metrics_http_publish(http, ds_cstr(&metrics->text), healthy,
                         ds_cstr(&reason));
    ds_destroy(&reason);
}

int
main(int argc, char *argv[])
{
    struct ic_cli cli;

    set_program_name(argv[0]);
#if defined(__GLIBC__) && defined(M_MXFAST)
    /* No fastbins.  The IDL and JSON code free hundreds of thousands of
     * small blocks at a time (a big update or transaction), and glibc then
     * consolidates all of its fastbins whenever a block of 1 kB or more is
     * asked for or one of 64 kB is freed: 20% of a cold start's CPU went
     * to malloc_consolidate() and unlink_chunk() (tests/perf/README.md).
     * GLIBC_TUNABLES=glibc.malloc.mxfast=N still overrides this. */
    if (!getenv("GLIBC_TUNABLES")) {
        mallopt(M_MXFAST, 0);
    }
#endif
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
    struct ic_controller *c = ic_controller_create(&cli.dbs);
    struct metrics_http *http = start_metrics(cli.metrics_address);
    if (http) {
        ic_controller_count_rows_written(c);
    }
    daemonize_complete();

    struct metrics metrics;
    metrics_init(&metrics);
    while (!ic_controller_is_exiting(c)) {
        ic_cli_refresh_ssl(&cli);
        ic_controller_run(c);
        unixctl_server_run(unixctl);
        if (http) {
            publish_metrics(c, http, &metrics);
        }
        ic_controller_wait(c);
        unixctl_server_wait(unixctl);
        poll_block();
    }

    metrics_http_stop(http);
    metrics_destroy(&metrics);
    ic_controller_destroy(c);
    unixctl_server_destroy(unixctl);
    ic_cli_destroy(&cli);
    service_stop();
    return 0;
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Tests that every sync step is idempotent: once the system has converged,
 * a step run again on the same input writes nothing.
 *
 * No database is mocked.  The test starts, in a private directory, real
 * ovsdb-servers for IC-NB, IC-SB and two zones' NB and SB, and ovn-northd
 * for each zone.  Zone west runs our built ovn-ic as a separate process;
 * zone east runs in this process, through ic_controller_create(), so that
 * the test can force its steps and read its commit counter.  East starts
 * first and so becomes the global writer, which makes every step,
 * datapath-keys included, run in east.
 *
 * The test builds the README's reference topology (gateways, transit
 * switch ts1, a router per zone with a port on ts1 and one on a LAN, route
 * advertisement and learning, a static route, a transit switch port
 * managed in IC-NB, a transit router, address sets learned from a zone
 * that exists only in IC-SB), waits through the nb_ic_cfg handshake until both
 * zones agree, and checks that they really synced.  Then, for each step of
 * ic/steps.def and once for all of them together, it forces the step to
 * recompute and checks that the step ran and that no transaction changed
 * a database.
 *
 * The outcome of a forced run is known only once its transactions have
 * completed.  So every forced run is followed by a second one: the engine
 * runs a step only while none of the sessions it writes has a transaction
 * in flight, so when the second run has happened, the first run's writes,
 * if any, have been counted.
 *
 * Every wait is on state, with a deadline of WAIT_MS.  Daemons are started
 * with pidfiles in the private directory and stopped through them by a
 * parent process that only supervises the test, so they are stopped
 * whether the test passes, fails, crashes or hangs (see main()). */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ic/controller.h"
#include "ic/engine.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-nb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "tests/unit/tap.h"
#include "timeval.h"
#include "util.h"

#define WAIT_MS 30000           /* Deadline of every wait. */
#define CHECK_INTERVAL_MS 50    /* Between shell checks while waiting. */
#define WATCHDOG_S 300          /* The whole test, however it hangs. */

static const char *const step_names[] = {
    "az", "globals", "datapath-keys", "transit-switch", "gateway", "port",
    "transit-router", "route", "service-monitor", "address-set", "cfg",
};

static char dir[] = "/tmp/ic-test-steps.XXXXXX";
static bool dir_created;
static const char *top_srcdir;
static const char *top_builddir;
static const char *ovn_schemas;

static struct ic_controller *east;  /* Zone east, in-process. */
static struct ovsdb_idl *icnb;      /* Our own view of IC-NB. */

/* Shell commands. */

/* Runs the shell command formatted from 'format', with its output on our
 * standard error (the runner's log), and returns its exit status. */
static int OVS_PRINTF_FORMAT(1, 2)
sh(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *cmd = xvasprintf(format, args);
    va_end(args);

    fprintf(stderr, "+ %s\n", cmd);
    fflush(stderr);
    char *full = xasprintf("exec 1>&2; %s", cmd);
    int status = system(full);
    free(full);
    free(cmd);
    return status == -1 ? -1
           : WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Runs the shell command formatted from 'format' and returns its standard
 * output without trailing white space, or NULL if the command failed.  The
 * caller frees the string. */
static char * OVS_PRINTF_FORMAT(1, 2)
sh_out(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *cmd = xvasprintf(format, args);
    va_end(args);

    fflush(stderr);
    FILE *stream = popen(cmd, "r");
    if (!stream) {
        free(cmd);
        return NULL;
    }
    struct ds out = DS_EMPTY_INITIALIZER;
    int c;
    while ((c = getc(stream)) != EOF) {
        ds_put_char(&out, c);
    }
    int status = pclose(stream);
    ds_chomp(&out, '\n');
    while (out.length && strchr(" \t\n", out.string[out.length - 1])) {
        out.length--;
    }
    fprintf(stderr, "+ %s => %s\n", cmd, ds_cstr(&out));
    free(cmd);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        ds_destroy(&out);
        return NULL;
    }
    return ds_steal_cstr(&out);
}

/* Ends the test: reports 'reason' as a failed case and exits.  The parent
 * process stops the daemons (see main()). */
static void OVS_PRINTF_FORMAT(1, 2) OVS_NO_RETURN
bail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *reason = xvasprintf(format, args);
    va_end(args);

    tap_result(false, "%s", reason);
    fprintf(stderr, "test-steps: %s\n", reason);
    free(reason);
    tap_done();
    exit(EXIT_FAILURE);
}

/* Runs the command formatted from 'format' and bails out if it fails. */
#define MUST(...)                                                       \
    do {                                                                \
        if (sh(__VA_ARGS__)) {                                          \
            bail("command failed: " __VA_ARGS__);                       \
        }                                                               \
    } while (0)

/* The databases and daemons. */

static char *
db_remote(const char *name)
{
    return xasprintf("unix:%s/%s.sock", dir, name);
}

static void
start_db(const char *name, const char *schema)
{
    MUST("ovsdb-tool create %s/%s.db %s", dir, name, schema);
    MUST("ovsdb-server --detach --no-chdir --pidfile=%s/%s.pid "
         "--log-file=%s/%s.log --unixctl=%s/%s.ctl "
         "--remote=punix:%s/%s.sock %s/%s.db",
         dir, name, dir, name, dir, name, dir, name, dir, name);
}

/* Returns the pid that 'name''s pidfile holds, or 0. */
static pid_t
read_pidfile(const char *name)
{
    char *pidfile = xasprintf("%s/%s.pid", dir, name);
    FILE *f = fopen(pidfile, "r");
    free(pidfile);
    if (!f) {
        return 0;
    }
    long pid = 0;
    bool ok = fscanf(f, "%ld", &pid) == 1 && pid > 1;
    fclose(f);
    return ok ? pid : 0;
}

/* True if process 'pid' is gone or a zombie, whose parent (init, for a
 * detached daemon) has yet to reap it. */
static bool
is_gone(pid_t pid)
{
    char *path = xasprintf("/proc/%ld/stat", (long) pid);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) {
        return true;
    }
    char state = '?';
    bool ok = fscanf(f, "%*d (%*[^)]) %c", &state) == 1;
    fclose(f);
    return ok && state == 'Z';
}

/* Stops the daemons named 'names' (by their pidfiles) at once, and waits
 * until they are gone, for at most 5 s; then kills the rest. */
static void
stop_daemons(const char *const names[], size_t n)
{
    pid_t pids[16];
    ovs_assert(n <= ARRAY_SIZE(pids));
    for (size_t i = 0; i < n; i++) {
        pids[i] = read_pidfile(names[i]);
        if (pids[i] && kill(pids[i], SIGTERM)) {
            pids[i] = 0;
        }
    }
    for (int tries = 0; tries < 100; tries++) {
        bool all_gone = true;
        for (size_t i = 0; i < n; i++) {
            all_gone = all_gone && (!pids[i] || is_gone(pids[i]));
        }
        if (all_gone) {
            return;
        }
        usleep(50 * 1000);
    }
    for (size_t i = 0; i < n; i++) {
        if (pids[i] && !is_gone(pids[i])) {
            fprintf(stderr, "test-steps: killing %s\n", names[i]);
            kill(pids[i], SIGKILL);
        }
    }
}

/* Stops every daemon of the test, the daemons before the databases they
 * use, and removes the private directory unless $KEEP is set. */
static void
cleanup(void)
{
    if (!dir_created) {
        return;
    }
    static const char *const daemons[] = {
        "west-ic", "east-northd", "west-northd",
    };
    static const char *const dbs[] = {
        "east-nb", "east-sb", "west-nb", "west-sb", "icnb", "icsb",
    };
    stop_daemons(daemons, ARRAY_SIZE(daemons));
    stop_daemons(dbs, ARRAY_SIZE(dbs));
    if (getenv("KEEP")) {
        fprintf(stderr, "test-steps: kept %s\n", dir);
    } else {
        char *cmd = xasprintf("rm -rf %s", dir);
        if (system(cmd)) {
            fprintf(stderr, "test-steps: cannot remove %s\n", dir);
        }
        free(cmd);
    }
    dir_created = false;
}

static void
zone_start(const char *zone)
{
    char *name = xasprintf("%s-nb", zone);
    char *schema = xasprintf("%s/ovn-nb.ovsschema", ovn_schemas);
    start_db(name, schema);
    free(name);
    free(schema);

    name = xasprintf("%s-sb", zone);
    schema = xasprintf("%s/ovn-sb.ovsschema", ovn_schemas);
    start_db(name, schema);
    free(name);
    free(schema);

    MUST("ovn-nbctl --db=unix:%s/%s-nb.sock init -- "
         "set NB_Global . name=%s options:ic-route-adv=true "
         "options:ic-route-learn=true options:ic-as-adv=true "
         "options:ic-as-learn=true", dir, zone, zone);
    MUST("ovn-sbctl --db=unix:%s/%s-sb.sock init", dir, zone);
    MUST("ovn-northd --detach --no-chdir --pidfile=%s/%s-northd.pid "
         "--log-file=%s/%s-northd.log --unixctl=%s/%s-northd.ctl "
         "--ovnnb-db=unix:%s/%s-nb.sock --ovnsb-db=unix:%s/%s-sb.sock",
         dir, zone, dir, zone, dir, zone, dir, zone, dir, zone);
}

/* Adds a chassis to 'zone''s SB that stands in for an interconnection
 * gateway. */
static void
fake_gateway(const char *zone, const char *name, const char *ip)
{
    MUST("ovn-sbctl --db=unix:%s/%s-sb.sock chassis-add %s geneve %s -- "
         "set Chassis %s other_config:is-interconn=true hostname=%s",
         dir, zone, name, ip, name, name);
}

static void
west_start(void)
{
    MUST("%s/ic/ovn-ic --detach --no-chdir --pidfile=%s/west-ic.pid "
         "--log-file=%s/west-ic.log --unixctl=%s/west-ic.ctl "
         "--ovnnb-db=unix:%s/west-nb.sock --ovnsb-db=unix:%s/west-sb.sock "
         "--ic-nb-db=unix:%s/icnb.sock --ic-sb-db=unix:%s/icsb.sock "
         "-vconsole:off -vfile:info",
         top_builddir, dir, dir, dir, dir, dir, dir, dir);
}

/* Driving the in-process zone. */

/* Runs one iteration of east's main loop, and of our IC-NB view.  Never
 * blocks for more than 'max_ms'. */
static void
drive(long long int max_ms)
{
    ic_controller_run(east);
    ovsdb_idl_run(icnb);
    ic_controller_wait(east);
    ovsdb_idl_wait(icnb);
    poll_timer_wait(max_ms);
    poll_block();
}

/* Keeps east running until 'cond' returns true, for at most WAIT_MS.
 * 'cond' is checked at least every CHECK_INTERVAL_MS, and at most that
 * often if 'costly' (it runs shell commands).  Returns true if 'cond'
 * came true. */
static bool
wait_until(bool (*cond)(const void *aux), const void *aux, bool costly)
{
    long long int deadline = time_msec() + WAIT_MS;
    long long int next_check = 0;
    for (;;) {
        long long int now = time_msec();
        if (!costly || now >= next_check) {
            if (cond(aux)) {
                return true;
            }
            next_check = now + CHECK_INTERVAL_MS;
        }
        if (now >= deadline) {
            return false;
        }
        drive(CHECK_INTERVAL_MS);
    }
}

static bool
shell_succeeds(const void *cmd)
{
    char *out = sh_out("%s", (const char *) cmd);
    bool ok = out != NULL;
    free(out);
    return ok;
}

/* Keeps east running until the command formatted from 'format' succeeds,
 * and bails out at the deadline. */
static void OVS_PRINTF_FORMAT(1, 2)
wait_for_shell(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *cmd = xvasprintf(format, args);
    va_end(args);

    if (!wait_until(shell_succeeds, cmd, true)) {
        bail("timed out after %d ms waiting for `%s' to succeed", WAIT_MS,
             cmd);
    }
    free(cmd);
}

static bool
is_global_writer(const struct ic_controller *c)
{
    struct metrics m;
    metrics_init(&m);
    ic_controller_render_metrics(c, &m);
    bool held = strstr(ds_cstr(&m.text),
                       "ovn_ic_lock_held{lock=\"ovn_ic_sb\"} 1\n") != NULL;
    metrics_destroy(&m);
    return held;
}

static bool
east_converged(const void *aux OVS_UNUSED)
{
    return ic_engine_is_converged(ic_controller_engine(east));
}

static bool
east_ready(const void *aux OVS_UNUSED)
{
    return is_global_writer(east)
           && ic_engine_is_converged(ic_controller_engine(east));
}

/* The nb_ic_cfg handshake behind "ovn-ic-nbctl --wait=sb" (see
 * ic/sync-cfg.h). */

static bool
sb_ic_cfg_reached(const void *target_)
{
    const int64_t *target = target_;
    const struct icnbrec_ic_nb_global *g = icnbrec_ic_nb_global_first(icnb);
    return g && g->sb_ic_cfg >= *target;
}

/* Bumps IC_NB_Global.nb_ic_cfg and keeps east running until every zone
 * has caught up.  Returns false at the deadline. */
static bool
ic_sync(void)
{
    char *out = sh_out("ovsdb-client transact unix:%s/icnb.sock "
                       "'[\"OVN_IC_Northbound\", {\"op\": \"mutate\", "
                       "\"table\": \"IC_NB_Global\", \"where\": [], "
                       "\"mutations\": [[\"nb_ic_cfg\", \"+=\", 1]]}, "
                       "{\"op\": \"select\", \"table\": \"IC_NB_Global\", "
                       "\"where\": [], \"columns\": [\"nb_ic_cfg\"]}]'",
                       dir);
    const char *p = out ? strstr(out, "\"nb_ic_cfg\":") : NULL;
    if (!p) {
        bail("cannot bump IC_NB_Global.nb_ic_cfg: %s", out ? out : "");
    }
    int64_t target = strtoll(p + strlen("\"nb_ic_cfg\":"), NULL, 10);
    free(out);

    if (!wait_until(sb_ic_cfg_reached, &target, false)) {
        fprintf(stderr, "test-steps: sb_ic_cfg did not reach %"PRId64"\n",
                target);
        return false;
    }
    return true;
}

/* The reference topology. */

/* Gives router 'lr' of 'zone' (created if missing) a port on transit
 * switch ts1 with 'mac' and 'network', whose chassis-redirect port is bound
 * to 'gw', as tests/lib.sh's ts_router_port does. */
static void
ts_router_port(const char *zone, const char *lr, const char *mac,
               const char *network, const char *gw)
{
    char *nbctl = xasprintf("ovn-nbctl --db=unix:%s/%s-nb.sock", dir, zone);
    char *sbctl = xasprintf("ovn-sbctl --db=unix:%s/%s-sb.sock", dir, zone);

    MUST("%s --may-exist lr-add %s -- lrp-add %s lrp-%s-ts1 %s %s -- "
         "lrp-set-gateway-chassis lrp-%s-ts1 %s",
         nbctl, lr, lr, lr, mac, network, lr, gw);
    MUST("%s lsp-add ts1 lsp-ts1-%s -- lsp-set-addresses lsp-ts1-%s router "
         "-- lsp-set-type lsp-ts1-%s router -- "
         "lsp-set-options lsp-ts1-%s router-port=lrp-%s-ts1",
         nbctl, lr, lr, lr, lr, lr);
    MUST("%s --timeout=%d --wait=sb sync", nbctl,
         WAIT_MS / 1000);

    /* Stand in for ovn-controller's claim of the chassis-redirect port. */
    wait_for_shell("%s --bare --columns=_uuid find Port_Binding "
                   "logical_port=cr-lrp-%s-ts1 | grep -q .", sbctl, lr);
    MUST("%s lsp-bind cr-lrp-%s-ts1 %s", sbctl, lr, gw);
    free(nbctl);
    free(sbctl);
}

static void
reference_topology(void)
{
    const char *icnbctl_fmt = "%s/utilities/ovn-ic-nbctl "
                              "--db=unix:%s/icnb.sock";
    char *icnbctl = xasprintf(icnbctl_fmt, top_builddir, dir);

    MUST("%s ts-add ts1", icnbctl);
    wait_for_shell("ovn-nbctl --db=unix:%s/east-nb.sock get "
                   "Logical_Switch ts1 other_config:requested-tnl-key", dir);
    wait_for_shell("ovn-nbctl --db=unix:%s/west-nb.sock get "
                   "Logical_Switch ts1 other_config:requested-tnl-key", dir);

    ts_router_port("east", "router_east", "aa:aa:aa:aa:aa:01",
                   "169.254.100.1/24", "gw_east");
    ts_router_port("west", "router_west", "aa:aa:aa:aa:aa:02",
                   "169.254.100.2/24", "gw_west");

    /* The LANs behind the routers, whose networks are advertised as
     * connected routes, and a static route. */
    MUST("ovn-nbctl --db=unix:%s/east-nb.sock lrp-add router_east "
         "lrp-east-lan aa:aa:aa:aa:bb:01 192.168.1.1/24 -- "
         "lr-route-add router_east 10.10.0.0/16 192.168.1.10", dir);
    MUST("ovn-nbctl --db=unix:%s/west-nb.sock lrp-add router_west "
         "lrp-west-lan aa:aa:aa:aa:bb:02 192.168.2.1/24", dir);

    /* A transit switch port managed in IC-NB, on east's gateway. */
    MUST("%s tsp-add ts1 tsp1 type=router chassis=gw_east peer=lrp-tsp1",
         icnbctl);
    MUST("%s tsp-set-addr tsp1 \"aa:aa:aa:aa:aa:11 169.254.100.11/24\"",
         icnbctl);

    /* A transit router with a port on west's gateway. */
    MUST("%s tr-add tr1", icnbctl);
    MUST("%s trp-add tr1 trp1 aa:aa:aa:aa:cc:01 10.99.0.1/24 "
         "chassis=gw_west", icnbctl);
    free(icnbctl);

    /* Address sets of a zone without a daemon (far ahead in the handshake,
     * so that it never holds it back), one with an invalid address, one
     * of a name that east has a set of its own. */
    MUST("%s/utilities/ovn-ic-sbctl --db=unix:%s/icsb.sock "
         "--id=@az create Availability_Zone name=north nb_ic_cfg=1000000 -- "
         "create Address_Set name=as_north availability_zone=@az "
         "addresses='\"10.50.0.1\",\"10.50.0.2\",\"bad\"' -- "
         "create Address_Set name=as_east availability_zone=@az "
         "addresses='\"10.60.0.1\"'", top_builddir, dir);
    MUST("ovn-nbctl --db=unix:%s/east-nb.sock create Address_Set "
         "name=as_east addresses='\"10.40.0.1\"'", dir);
}

/* What the converged system must show, each checked by a shell command. */
struct expectation {
    const char *name;
    const char *cmd;            /* A format with one %s, the directory. */
    const char *expected;
};

static const struct expectation expectations[] = {
    {
        "east's NB has west's port on ts1, as a remote port",
        "ovn-nbctl --db=unix:%s/east-nb.sock --bare "
        "--columns=type,addresses find Logical_Switch_Port "
        "name=lsp-ts1-router_west | paste -sd' '",
        "remote aa:aa:aa:aa:aa:02 169.254.100.2/24",
    },
    {
        "west's NB has east's port on ts1, as a remote port",
        "ovn-nbctl --db=unix:%s/west-nb.sock --bare "
        "--columns=type,addresses find Logical_Switch_Port "
        "name=lsp-ts1-router_east | paste -sd' '",
        "remote aa:aa:aa:aa:aa:01 169.254.100.1/24",
    },
    {
        "east learned west's LAN through router_west's port on ts1",
        "ovn-nbctl --db=unix:%s/east-nb.sock --bare --columns=ip_prefix "
        "find Logical_Router_Static_Route nexthop='\"169.254.100.2\"' "
        "external_ids:ic-learned-route!='\"\"' | grep . | sort | "
        "paste -sd' '",
        "192.168.2.1/24",
    },
    {
        "west learned east's static route and LAN",
        "ovn-nbctl --db=unix:%s/west-nb.sock --bare --columns=ip_prefix "
        "find Logical_Router_Static_Route nexthop='\"169.254.100.1\"' "
        "external_ids:ic-learned-route!='\"\"' | grep . | sort | "
        "paste -sd' '",
        "10.10.0.0/16 192.168.1.1/24",
    },
    {
        "tsp1 from IC-NB is a router port in east, its chassis' zone",
        "ovn-nbctl --db=unix:%s/east-nb.sock get Logical_Switch_Port tsp1 "
        "type",
        "router",
    },
    {
        "trp1, published by west, is a port of tr1 in east",
        "ovn-nbctl --db=unix:%s/east-nb.sock --bare --columns=mac "
        "find Logical_Router_Port name=trp1 options:requested-chassis=gw_west",
        "aa:aa:aa:aa:cc:01",
    },
    {
        "east learned north's address set, without its invalid address",
        "ovn-nbctl --db=unix:%s/east-nb.sock --bare "
        "--columns=addresses,external_ids find Address_Set name=as_north "
        "| paste -sd' '",
        "10.50.0.1 10.50.0.2 ic-learnt=true",
    },
    {
        "east's own address set is not overwritten by north's",
        "ovn-nbctl --db=unix:%s/east-nb.sock --bare "
        "--columns=addresses,external_ids find Address_Set name=as_east",
        "10.40.0.1",
    },
    {
        "tsp1 from IC-NB is a remote port in west",
        "ovn-nbctl --db=unix:%s/west-nb.sock get Logical_Switch_Port tsp1 "
        "type",
        "remote",
    },
};

static bool
expectation_holds(const struct expectation *x)
{
    char *cmd = xasprintf(x->cmd, dir);
    char *out = sh_out("%s", cmd);
    bool holds = out && !strcmp(out, x->expected);
    if (!holds) {
        fprintf(stderr, "test-steps: %s: expected [%s], got [%s]\n",
                x->name, x->expected, out ? out : "(command failed)");
    }
    free(out);
    free(cmd);
    return holds;
}

static bool
all_expectations_hold(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(expectations); i++) {
        if (!expectation_holds(&expectations[i])) {
            return false;
        }
    }
    return true;
}

/* Runs handshakes until the topology has synced (a route advertised in one
 * round is learned in the next), then one more, so that both zones and
 * northd are idle, and checks the result. */
static void
converge(void)
{
    long long int deadline = time_msec() + WAIT_MS;
    for (;;) {
        MUST("ovn-nbctl --db=unix:%s/east-nb.sock --timeout=%d "
             "--wait=sb sync", dir, WAIT_MS / 1000);
        MUST("ovn-nbctl --db=unix:%s/west-nb.sock --timeout=%d "
             "--wait=sb sync", dir, WAIT_MS / 1000);
        bool synced = ic_sync();
        if (synced && all_expectations_hold()) {
            break;
        }
        if (time_msec() >= deadline) {
            break;
        }
    }
    tap_result(ic_sync() && wait_until(east_converged, NULL, false),
               "the handshake completes and east converges");
    for (size_t i = 0; i < ARRAY_SIZE(expectations); i++) {
        tap_result(expectation_holds(&expectations[i]), "%s",
                   expectations[i].name);
    }
    tap_result(is_global_writer(east), "east is the global writer");
}

/* Idempotence. */

struct runs_target {
    const char *name;           /* A step, or NULL for every step. */
    uint64_t min_runs[ARRAY_SIZE(step_names)];
};

static bool
ran_and_converged(const void *target_)
{
    const struct runs_target *target = target_;
    const struct ic_engine *e = ic_controller_engine(east);
    for (size_t i = 0; i < ARRAY_SIZE(step_names); i++) {
        if ((!target->name || !strcmp(target->name, step_names[i]))
            && ic_engine_step_runs(e, step_names[i]) < target->min_runs[i]) {
            return false;
        }
    }
    return ic_engine_is_converged(e);
}

/* Forces step 'name' (every step, if 'name' is NULL) to recompute and keeps
 * east running until it ran and the engine converged.  Returns false at
 * the deadline. */
static bool
force_and_run(const char *name)
{
    struct ic_engine *e = ic_controller_engine(east);
    struct runs_target target = { .name = name };
    for (size_t i = 0; i < ARRAY_SIZE(step_names); i++) {
        target.min_runs[i] = ic_engine_step_runs(e, step_names[i]) + 1;
    }
    if (name) {
        ovs_assert(ic_engine_force_step(e, name));
    } else {
        ic_engine_force_recompute(e, "idempotence test");
    }
    poll_immediate_wake();
    return wait_until(ran_and_converged, &target, false);
}

static void
log_engine(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ic_engine_format(ic_controller_engine(east), &s);
    fprintf(stderr, "%s", ds_cstr(&s));
    ds_destroy(&s);
}

/* Checks that step 'name' (every step, if NULL) writes nothing when run
 * again on the same input. */
static void
check_idempotent(const char *name)
{
    const char *what = name ? name : "all steps";
    uint64_t commits = ic_controller_n_commits(east);

    /* The second run is the barrier described at the top of the file. */
    bool ran = force_and_run(name) && force_and_run(name);
    uint64_t after = ic_controller_n_commits(east);
    if (!ran || after != commits) {
        fprintf(stderr, "test-steps: %s: %s; commits %"PRIu64" -> %"PRIu64
                "\n", what, ran ? "ran" : "timed out", commits, after);
        log_engine();
    }
    tap_result(ran, "%s: runs again when forced, and converges", what);
    tap_result(after == commits, "%s: a second run on the same input "
               "writes nothing", what);
}

/* Set-up. */

static void
find_dirs(void)
{
    static char exe_top[PATH_MAX];

    top_srcdir = getenv("TOP_SRCDIR");
    top_builddir = getenv("TOP_BUILDDIR");
    if (!top_srcdir || !top_builddir) {
        /* The program is tests/unit/test-steps in the build tree. */
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) {
            bail("cannot find the source directory; set TOP_SRCDIR");
        }
        exe[n] = '\0';
        char *bin_dir = dir_name(exe);
        snprintf(exe_top, sizeof exe_top, "%s/../..", bin_dir);
        free(bin_dir);
        top_srcdir = top_srcdir ? top_srcdir : exe_top;
        top_builddir = top_builddir ? top_builddir : exe_top;
    }
    ovn_schemas = getenv("OVN_SCHEMAS");
    ovn_schemas = ovn_schemas ? ovn_schemas : "/usr/share/ovn";
}

/* The test proper, run in a child process (see main()).  Returns the exit
 * status. */
static int
run_test(void)
{
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);

    /* The IC databases, with this repository's schemas. */
    char *schema = xasprintf("%s/ovsdb-schemas/ovn-ic-nb.ovsschema",
                             top_srcdir);
    start_db("icnb", schema);
    free(schema);
    schema = xasprintf("%s/ovsdb-schemas/ovn-ic-sb.ovsschema", top_srcdir);
    start_db("icsb", schema);
    free(schema);
    MUST("%s/utilities/ovn-ic-nbctl --db=unix:%s/icnb.sock init",
         top_builddir, dir);
    MUST("%s/utilities/ovn-ic-sbctl --db=unix:%s/icsb.sock init",
         top_builddir, dir);

    /* The zones, each with a gateway. */
    zone_start("east");
    zone_start("west");
    fake_gateway("east", "gw_east", "192.168.0.1");
    fake_gateway("west", "gw_west", "192.168.0.2");

    /* East in-process, first, so that it becomes the global writer. */
    char *remotes[4] = {
        db_remote("east-nb"), db_remote("east-sb"),
        db_remote("icnb"), db_remote("icsb"),
    };
    struct ic_controller_options opts = {
        .nb_remote = remotes[0],
        .sb_remote = remotes[1],
        .icnb_remote = remotes[2],
        .icsb_remote = remotes[3],
    };
    east = ic_controller_create(&opts);
    icnb = ovsdb_idl_create(remotes[2], &icnbrec_idl_class, true, true);
    if (!wait_until(east_ready, NULL, false)) {
        bail("east did not become the global writer and converge");
    }
    west_start();

    reference_topology();
    converge();

    /* The handshake's last writes (east, the global writer, reports the
     * handshake's end in IC-NB and IC-SB) may still be in flight: a
     * recompute of every step, twice, waits them out before the commit
     * counter is read.  A step that is not idempotent still shows below,
     * when it is forced again. */
    if (!force_and_run(NULL) || !force_and_run(NULL)) {
        log_engine();
        bail("east did not settle after the handshake");
    }

    for (size_t i = 0; i < ARRAY_SIZE(step_names); i++) {
        check_idempotent(step_names[i]);
    }
    check_idempotent(NULL);

    ic_controller_destroy(east);
    ovsdb_idl_destroy(icnb);
    for (size_t i = 0; i < ARRAY_SIZE(remotes); i++) {
        free(remotes[i]);
    }
    return tap_done();
}

static volatile pid_t child_pid;

/* In the parent: passes a terminating signal on to the test, and kills it
 * when the watchdog fires. */
static void
forward_signal(int sig)
{
    if (child_pid > 0) {
        kill(child_pid, sig == SIGALRM ? SIGKILL : sig);
    }
}

/* The parent only supervises: whatever becomes of the test (it passes,
 * fails, crashes or hangs past the watchdog), the parent stops every
 * daemon and removes the private directory. */
int
main(int argc OVS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    find_dirs();

    if (!mkdtemp(dir)) {
        bail("mkdtemp: %s", ovs_strerror(errno));
    }
    dir_created = true;
    setenv("OVS_RUNDIR", dir, 1);
    setenv("OVS_LOGDIR", dir, 1);
    setenv("OVS_DBDIR", dir, 1);
    setenv("OVN_RUNDIR", dir, 1);

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        cleanup();
        bail("fork: %s", ovs_strerror(errno));
    } else if (!pid) {
        dir_created = false;    /* The parent cleans up. */
        exit(run_test());
    }

    child_pid = pid;
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };
    for (size_t i = 0; i < ARRAY_SIZE(signals); i++) {
        signal(signals[i], forward_signal);
    }
    alarm(WATCHDOG_S);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    alarm(0);
    cleanup();

    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    printf("not ok - the test died with signal %d%s\n", WTERMSIG(status),
           WTERMSIG(status) == SIGKILL ? " (watchdog or killed)" : "");
    return EXIT_FAILURE;
}

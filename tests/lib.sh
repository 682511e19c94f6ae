# Helpers for end-to-end tests against real ovsdb-server and ovn-northd.
#
# Sourced by tests/run-tests.sh before each test function runs, in a
# subshell of its own with a private directory $T.  Every daemon is started
# with a pidfile under $T and stopped through it, never by name, so that
# other OVS/OVN instances on the machine are left alone.
#
# Waiting is always on state: wait_until polls a condition,
# ic_sync waits on the nb_ic_cfg handshake, and "ovn-nbctl --wait=sb"
# waits on northd.  Nothing sleeps for a fixed time.

: "${TOP_BUILDDIR:?}" "${TOP_SRCDIR:?}"
IC_DAEMON=${IC_DAEMON:-$TOP_BUILDDIR/ic/ovn-ic}
IC_NBCTL=${IC_NBCTL:-$TOP_BUILDDIR/utilities/ovn-ic-nbctl}
IC_SBCTL=${IC_SBCTL:-$TOP_BUILDDIR/utilities/ovn-ic-sbctl}
UPSTREAM_IC=${UPSTREAM_IC:-/usr/bin/ovn-ic}
SCHEMAS=$TOP_SRCDIR/ovsdb-schemas
OVN_SCHEMAS=${OVN_SCHEMAS:-/usr/share/ovn}
# Debian 12's own schemas (OVN 23.03), for tests of older databases
# whichever OVN runs the rest.
DEBIAN_OVN_SCHEMAS=/usr/share/ovn

# TEST_OVN=current runs the tests against the OVN and Open vSwitch that
# tests/upstream/build-ovn.sh built (26.03 and 4.0) instead of Debian 12's
# packages: their ovsdb-server, ovn-northd, ovn-controller, ctl tools and
# schemas, and their ovn-ic as the "upstream" daemon of mixed zones.
TEST_OVN=${TEST_OVN:-debian}
if [ "$TEST_OVN" = current ]; then
    OVN_CURRENT_STAMP=${OVN_CURRENT_CACHE:-/var/cache/ovn-interconnect/ovn-current}/.built
    [ -f "$OVN_CURRENT_STAMP" ] ||
        { echo "TEST_OVN=current: run tests/upstream/build-ovn.sh first"; exit 1; }
    # shellcheck source=/dev/null
    . "$OVN_CURRENT_STAMP"
    # shellcheck disable=SC2154
    PATH=$ovn_dir/northd:$ovn_dir/controller:$ovn_dir/utilities:$ovs_dir/ovsdb:$ovs_dir/vswitchd:$ovs_dir/utilities:$PATH
    OVN_SCHEMAS=$ovn_dir
    UPSTREAM_IC=$ovn_dir/ic/ovn-ic
    # The data-plane lab (utilities/ovn-ic-lab.sh) too.
    LAB_OVN_SCHEMAS=$ovn_dir
    LAB_OVS_SCHEMA=$ovs_dir/vswitchd/vswitch.ovsschema
    LAB_UPSTREAM_IC=$UPSTREAM_IC
    export PATH LAB_OVN_SCHEMAS LAB_OVS_SCHEMA LAB_UPSTREAM_IC
fi

# needs_ovn VERSION: ends the test as skipped (status 77), saying so,
# unless the OVN under test is at least VERSION (a feature that needs a
# newer northd; TEST_OVN=current runs it).
needs_ovn() {
    if [ "$TEST_OVN" != current ]; then
        echo "skipped: needs OVN $1 or newer (TEST_OVN=current)"
        exit 77
    fi
}
WAIT_SECONDS=${WAIT_SECONDS:-30}

export OVS_RUNDIR=$T OVS_LOGDIR=$T OVS_DBDIR=$T OVN_RUNDIR=$T

# fail MESSAGE: ends the test as failed.
fail() {
    echo "FAILED: $*" >&2
    exit 1
}

# check COMMAND...: runs COMMAND and fails the test if it fails.
check() {
    "$@" || fail "command failed: $*"
}

# check_eq EXPECTED COMMAND...: COMMAND's output must equal EXPECTED.
check_eq() {
    local expected=$1 actual
    shift
    actual=$("$@" 2>&1) || fail "command failed: $* (output: $actual)"
    [ "$actual" = "$expected" ] ||
        fail "$*: expected [$expected], got [$actual]"
}

# wait_until COMMAND...: polls COMMAND until it succeeds, for at most
# $WAIT_SECONDS.  Polls fast at first, then every 100 ms.
wait_until() {
    local deadline=$(( $(date +%s) + WAIT_SECONDS )) i=0
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] ||
            fail "timed out waiting for: $*"
        i=$((i + 1))
        if [ $i -lt 20 ]; then sleep 0.01; else sleep 0.1; fi
    done
}

# wait_eq EXPECTED COMMAND...: waits until COMMAND prints EXPECTED.
wait_eq() {
    local expected=$1
    shift
    local deadline=$(( $(date +%s) + WAIT_SECONDS )) actual i=0
    while :; do
        actual=$("$@" 2>&1) && [ "$actual" = "$expected" ] && return 0
        if [ "$(date +%s)" -ge "$deadline" ]; then
            fail "$*: expected [$expected], still [$actual]"
        fi
        i=$((i + 1))
        if [ $i -lt 20 ]; then sleep 0.01; else sleep 0.1; fi
    done
}

# start_db NAME SCHEMA: starts an ovsdb-server for one database on
# unix:$T/NAME.sock.
start_db() {
    local name=$1 schema=$2
    ovsdb-tool create "$T/$name.db" "$schema" ||
        fail "ovsdb-tool create $name"
    serve_db "$name"
}

# serve_db NAME [OPTION...]: starts an ovsdb-server for the existing
# $T/NAME.db on unix:$T/NAME.sock, with any extra OPTIONs.
serve_db() {
    local name=$1
    shift
    # shellcheck disable=SC2046
    ovsdb-server --detach --no-chdir --pidfile="$T/$name.pid" \
        --log-file="$T/$name.log" --unixctl="$T/$name.ctl" \
        --remote=punix:"$T/$name.sock" "$@" \
        $([ "$name" = icsb ] && rbac_server_args) "$T/$name.db" ||
        fail "cannot start ovsdb-server for $name"
}

# pid_gone PID: waits up to 5 s for PID to be gone (a zombie counts as
# gone); fails if it is still there.
pid_gone() {
    local i
    for i in $(seq 100); do
        case $(ps -o stat= -p "$1" 2>/dev/null) in
            ""|Z*) return 0 ;;
        esac
        sleep 0.05
    done
    return 1
}

# stop_pidfile FILE: stops the daemon whose pid FILE holds, and waits until
# it is gone.
#
# With IC_EXIT_CLEANLY set (tests/check-sanitizers.sh sets it), an ovn-ic
# with a control socket next to FILE is first asked to exit, so that it
# returns from main() and LeakSanitizer checks it; one killed by a signal
# is not checked.
stop_pidfile() {
    local pid ctl=${1%.pid}.ctl
    [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null) || return 0
    case $1 in
        *-ic*.pid)
            if [ -n "${IC_EXIT_CLEANLY:-}" ] && [ -S "$ctl" ] &&
               ovs-appctl -t "$ctl" exit >/dev/null 2>&1 &&
               pid_gone "$pid"; then
                return 0
            fi
            ;;
    esac
    kill "$pid" 2>/dev/null || return 0
    pid_gone "$pid" || kill -9 "$pid" 2>/dev/null
}

# ic_dbs_start [SCHEMA_DIR]: starts IC-NB and IC-SB, by default with our
# schemas, and creates their global rows.
ic_dbs_start() {
    local dir=${1:-$SCHEMAS}
    start_db icnb "$dir/ovn-ic-nb.ovsschema"
    rbac_init "$dir"
    start_db icsb "$dir/ovn-ic-sb.ovsschema"
    export OVN_IC_NB_DB=unix:$T/icnb.sock OVN_IC_SB_DB=unix:$T/icsb.sock
    check icnbctl init
    check icsbctl init
    rbac_setup
}

# zone_start ZONE: starts a zone's NB and SB databases and ovn-northd, and
# names the zone.
zone_start() {
    local z=$1
    start_db "$z-nb" "$OVN_SCHEMAS/ovn-nb.ovsschema"
    start_db "$z-sb" "$OVN_SCHEMAS/ovn-sb.ovsschema"
    nbctl "$z" init
    sbctl "$z" init
    nbctl "$z" set NB_Global . name="$z"
    ovn-northd --detach --no-chdir --pidfile="$T/$z-northd.pid" \
        --log-file="$T/$z-northd.log" --unixctl="$T/$z-northd.ctl" \
        --ovnnb-db=unix:"$T/$z-nb.sock" --ovnsb-db=unix:"$T/$z-sb.sock" ||
        fail "cannot start ovn-northd for $z"
}

nbctl() {
    local z=$1
    shift
    ovn-nbctl --db=unix:"$T/$z-nb.sock" "$@"
}

sbctl() {
    local z=$1
    shift
    ovn-sbctl --db=unix:"$T/$z-sb.sock" "$@"
}

icnbctl() {
    "$IC_NBCTL" --db="$OVN_IC_NB_DB" "$@"
}

icsbctl() {
    "$IC_SBCTL" --db="$OVN_IC_SB_DB" "$@"
}

# ic_start ZONE [ours|upstream] [INSTANCE]: starts an interconnection
# daemon for ZONE.  INSTANCE tells several daemons of one zone apart.
# $IC_EXTRA_ARGS, if set, adds options.
ic_start() {
    local z=$1 kind=${2:-ours} inst=${3:-}
    local name=$z-ic$inst bin=$IC_DAEMON
    [ "$kind" = upstream ] && bin=$UPSTREAM_IC
    # shellcheck disable=SC2046
    "$bin" --detach --no-chdir --pidfile="$T/$name.pid" \
        --log-file="$T/$name.log" --unixctl="$T/$name.ctl" \
        --ovnnb-db=unix:"$T/$z-nb.sock" --ovnsb-db=unix:"$T/$z-sb.sock" \
        --ic-nb-db="$OVN_IC_NB_DB" $(rbac_client_args "$z" "$kind") \
        -vconsole:off -vfile:info ${IC_EXTRA_ARGS:-} ||
        fail "cannot start $kind ovn-ic for $z"
}

# IC_RBAC=1 runs a test with per-zone RBAC on IC-SB (see README.md): IC-SB
# also listens on SSL, on a connection with the role that "ovn-ic-sbctl
# init-rbac" creates, and each daemon of ours connects there with a
# certificate whose common name is its zone's name.  The unix socket stays
# role-less, for the test's own reads and writes.  Upstream's daemons, and
# IC databases with other schemas than ours, stay on the unix socket.

# rbac_init SCHEMA-DIR: the CA and the server's certificate, if RBAC is
# on and SCHEMA-DIR has our schemas.
rbac_init() {
    RBAC_PKI=
    [ "${IC_RBAC:-}" = 1 ] && [ "$1" = "$SCHEMAS" ] || return 0
    RBAC_PKI=$T/pki
    # A test that builds its lab twice keeps the first lab's CA.
    [ -d "$RBAC_PKI/switchca" ] ||
        ovs-pki -B 2048 --dir="$RBAC_PKI" init >/dev/null 2>&1 ||
        fail "ovs-pki init"
    rbac_cert icsb
}

# rbac_server_args: IC-SB's extra ovsdb-server options (serve_db adds
# them).
rbac_server_args() {
    [ -n "${RBAC_PKI:-}" ] || return 0
    echo --remote=db:OVN_IC_Southbound,IC_SB_Global,connections \
        --private-key="$RBAC_PKI/icsb-privkey.pem" \
        --certificate="$RBAC_PKI/icsb-cert.pem" \
        --ca-cert="$RBAC_PKI/switchca/cacert.pem"
}

# rbac_cert NAME: a key and certificate with common name NAME.
rbac_cert() {
    [ -f "$RBAC_PKI/$1-cert.pem" ] ||
        (cd "$RBAC_PKI" && ovs-pki -u -B 2048 --dir="$RBAC_PKI" \
             req+sign "$1" switch >/dev/null 2>&1) ||
        fail "ovs-pki req+sign $1"
}

# rbac_setup: the role and the SSL connection, once IC-SB runs.
rbac_setup() {
    [ -n "${RBAC_PKI:-}" ] || return 0
    RBAC_PORT=$(python3 -c 'import socket; s = socket.socket(); \
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Our ovn-ic-sbctl, even where a test runs Debian's tools.
    local sbctl=$TOP_BUILDDIR/utilities/ovn-ic-sbctl
    check "$sbctl" --db="$OVN_IC_SB_DB" init-rbac
    check "$sbctl" --db="$OVN_IC_SB_DB" set-connection role=ovn-ic \
        pssl:"$RBAC_PORT":127.0.0.1
    wait_until rbac_bound
}

rbac_bound() {
    icsbctl --bare --columns=status list Connection | grep -q bound_port
}

# rbac_client_args ZONE KIND: a daemon's IC-SB options.
rbac_client_args() {
    if [ -n "${RBAC_PKI:-}" ] && [ "$2" = ours ]; then
        rbac_cert "$1"
        echo --ic-sb-db=ssl:127.0.0.1:"$RBAC_PORT" \
            --private-key="$RBAC_PKI/$1-privkey.pem" \
            --certificate="$RBAC_PKI/$1-cert.pem" \
            --ca-cert="$RBAC_PKI/switchca/cacert.pem"
    else
        echo --ic-sb-db="$OVN_IC_SB_DB"
    fi
}

# ic_ctl ZONE[INSTANCE] COMMAND...: talks to a zone's daemon.
ic_ctl() {
    local name=$1
    shift
    ovn-appctl -t "$T/$name-ic.ctl" "$@"
}

# ic_ctl_inst ZONE INSTANCE COMMAND...
ic_ctl_inst() {
    local z=$1 inst=$2
    shift 2
    ovn-appctl -t "$T/$z-ic$inst.ctl" "$@"
}

# bump_nb_ic_cfg: increments IC_NB_Global.nb_ic_cfg and prints its new
# value.
bump_nb_ic_cfg() {
    local out
    out=$(ovsdb-client transact "$OVN_IC_NB_DB" '["OVN_IC_Northbound",
        {"op": "mutate", "table": "IC_NB_Global", "where": [],
         "mutations": [["nb_ic_cfg", "+=", 1]]},
        {"op": "select", "table": "IC_NB_Global", "where": [],
         "columns": ["nb_ic_cfg"]}]') || fail "cannot bump nb_ic_cfg"
    echo "$out" | sed 's/.*"nb_ic_cfg":\([0-9]*\).*/\1/'
}

# ic_sync: bumps IC_NB_Global.nb_ic_cfg and waits until every zone has
# caught up (IC_NB_Global.sb_ic_cfg reaches the new value), the handshake
# that ovn-ic-nbctl --wait=sb uses.
ic_sync() {
    local cfg
    cfg=$(bump_nb_ic_cfg)
    ovsdb-client transact "$OVN_IC_NB_DB" '["OVN_IC_Northbound",
        {"op": "wait", "table": "IC_NB_Global", "timeout": '$((WAIT_SECONDS * 1000))',
         "where": [["sb_ic_cfg", ">=", '"$cfg"']], "columns": ["sb_ic_cfg"],
         "until": "!=", "rows": []}]' > "$T/sync.out" ||
        fail "ic_sync: transact failed"
    grep -q '"error"' "$T/sync.out" &&
        fail "ic_sync: zones did not reach nb_ic_cfg $cfg: $(cat "$T/sync.out")"
    return 0
}

# count_rows CTL list TABLE [ARGS...] or CTL find TABLE CONDITION...: prints
# the number of rows, e.g. "count_rows icsbctl find Route origin=static".
count_rows() {
    local cmd=("$1")
    shift
    case ${cmd[0]} in
        nbctl|sbctl) cmd+=("$1"); shift ;;
    esac
    "${cmd[@]}" --bare --columns=_uuid "$@" | awk 'NF {n++} END {print n + 0}'
}

# sorted_values CTL COLUMN TABLE [CTL-OPTIONS...]: prints the distinct
# non-empty values of COLUMN in TABLE, sorted, one per line.
sorted_values() {
    local ctl=$1 column=$2 table=$3
    shift 3
    "$ctl" "$@" --bare --columns="$column" list "$table" | grep . | sort -u
}

# count_distinct CTL COLUMN TABLE [CTL-OPTIONS...]: prints how many
# distinct non-empty values COLUMN has in TABLE.
count_distinct() {
    sorted_values "$@" | awk 'END {print NR}'
}

# zone_sync ZONE: waits until northd has processed the zone's NB.
zone_sync() {
    nbctl "$1" --wait=sb sync
}

# ic_commits ZONE: prints the total number of transactions the zone's
# daemon committed with changes, over all its sessions.
ic_commits() {
    ic_ctl "$1" engine/show |
        sed -n 's/.*commits=\([0-9]*\).*/\1/p' | paste -sd+ | bc
}

# fake_gateway ZONE NAME IP: adds a chassis to the zone's SB that stands in
# for an interconnection gateway run by ovn-controller.
fake_gateway() {
    local z=$1 name=$2 ip=$3
    sbctl "$z" chassis-add "$name" geneve "$ip"
    sbctl "$z" set Chassis "$name" other_config:is-interconn=true \
        hostname="$name"
}

# ts_router_port ZONE ROUTER MAC TS GATEWAY NETWORK...: gives ROUTER
# (created if missing) a port on transit switch TS with MAC and the given
# networks, whose chassis-redirect port is bound to GATEWAY.
ts_router_port() {
    local z=$1 lr=$2 mac=$3 ts=$4 gw=$5
    shift 5
    local lrp=lrp-$lr-$ts lsp=lsp-$ts-$lr
    nbctl "$z" --may-exist lr-add "$lr"
    nbctl "$z" lrp-add "$lr" "$lrp" "$mac" "$@"
    nbctl "$z" lrp-set-gateway-chassis "$lrp" "$gw"
    nbctl "$z" lsp-add "$ts" "$lsp" -- \
        lsp-set-addresses "$lsp" router -- \
        lsp-set-type "$lsp" router -- \
        lsp-set-options "$lsp" router-port="$lrp"
    nbctl "$z" --wait=sb sync
    # Stand in for ovn-controller's claim of the chassis-redirect port.
    wait_until sbctl "$z" --bare --columns=_uuid find Port_Binding \
        logical_port=cr-"$lrp"
    sbctl "$z" lsp-bind cr-"$lrp" "$gw"
}

# zone_router ZONE ROUTER TS_PORT_MAC TS_PORT_NET TS GATEWAY: creates the
# reference router of a zone attached to transit switch TS.
zone_router() {
    ts_router_port "$1" "$2" "$3" "$5" "$6" "$4"
}

# Topology builders, shared by the test files.

# gateway_zones ZONE...: starts the IC databases and, for each ZONE, its
# databases, ovn-northd, an interconnection daemon (Debian's if
# $IC_KIND_<ZONE> is "upstream", else ours) and a gateway gw_ZONE at
# 192.168.0.N, N being the zone's position in the list.
gateway_zones() {
    ic_dbs_start
    local z i=1
    for z in "$@"; do
        zone_start "$z"
        ic_start "$z" "$(eval echo "\${IC_KIND_$z:-ours}")"
        fake_gateway "$z" "gw_$z" "192.168.0.$i"
        i=$((i + 1))
    done
}

# transit_switch_add TS ZONE...: creates transit switch TS in IC-NB and
# waits until every ZONE has it, with its key.  Works with Debian's
# daemons too, which know nothing of the --wait=sb handshake.
transit_switch_add() {
    local ts=$1 z
    shift
    icnbctl ts-add "$ts"
    for z in "$@"; do
        wait_until nbctl "$z" get Logical_Switch "$ts" \
            other_config:requested-tnl-key
    done
}

# ts_zone_routers TS ZONE...: gives each ZONE a router r_ZONE with a port
# on TS, MAC aa:aa:aa:aa:aa:0N and network 169.254.100.N/24 (N the zone's
# position in the list), bound to the zone's gateway gw_ZONE.
ts_zone_routers() {
    local ts=$1 z i=1
    shift
    for z in "$@"; do
        zone_router "$z" "r_$z" "aa:aa:aa:aa:aa:0$i" "169.254.100.$i/24" \
            "$ts" "gw_$z"
        i=$((i + 1))
    done
}

# reference_topology: the README's reference scenario: zones east and west,
# each with a gateway (gw_east, gw_west) and a router (router_east,
# router_west) on transit switch ts1.  $EAST_IC and $WEST_IC choose each
# zone's daemon: "ours" (the default) or "upstream".
reference_topology() {
    IC_KIND_east=${EAST_IC:-ours} IC_KIND_west=${WEST_IC:-ours} \
        gateway_zones east west
    transit_switch_add ts1 east west
    zone_router east router_east aa:aa:aa:aa:aa:01 169.254.100.1/24 ts1 gw_east
    zone_router west router_west aa:aa:aa:aa:aa:02 169.254.100.2/24 ts1 gw_west
}

# wait_reference_ports: waits until each zone of reference_topology sees
# the other's port.
wait_reference_ports() {
    wait_eq '["aa:aa:aa:aa:aa:02 169.254.100.2/24"]' \
        nbctl east get Logical_Switch_Port lsp-ts1-router_west addresses
    wait_eq '["aa:aa:aa:aa:aa:01 169.254.100.1/24"]' \
        nbctl west get Logical_Switch_Port lsp-ts1-router_east addresses
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# cpu_ticks PIDFILE: the CPU time (user + system, in clock ticks) used so
# far by the daemon whose pid PIDFILE holds.
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$(cat "$1")/stat"
}

# check_cpu_bounded PIDFILE: fails if the daemon uses more than 10% of a
# core over 3 s.  It measures a bound on spinning, not speed: a daemon
# that retries a failing write at once uses a whole core.
check_cpu_bounded() {
    local hz before after used
    hz=$(getconf CLK_TCK)
    before=$(cpu_ticks "$1")
    sleep 3
    after=$(cpu_ticks "$1")
    used=$((after - before))
    echo "CPU over 3 s: $used ticks of $((3 * hz))"
    [ $((used * 10)) -lt $((3 * hz)) ] ||
        fail "the daemon used $used of $((3 * hz)) clock ticks in 3 s"
}

# sb_chassis_of ZONE PORT: the name of the chassis PORT is bound to.
sb_chassis_of() {
    local ch
    ch=$(sbctl "$1" --bare --columns=chassis find Port_Binding \
         logical_port="$2")
    [ -z "$ch" ] || sbctl "$1" --bare --columns=name list Chassis "$ch"
}

# lsp_option ZONE PORT KEY: an option of a switch port, unquoted.
lsp_option() {
    nbctl "$1" get Logical_Switch_Port "$2" options:"$3" | tr -d '"'
}

# isb_pb PORT COLUMN: a column of the IC-SB binding of PORT.
isb_pb() {
    icsbctl --bare --columns="$2" find Port_Binding logical_port="$1"
}

# step_runs ZONE STEP: how many times the zone's daemon ran STEP.
step_runs() {
    ic_ctl "$1" engine/show | sed -n "s/^$2 *runs=\([0-9]*\) .*/\1/p"
}

# start_cluster NAME SCHEMA: starts a three-member Raft cluster for one
# database on unix:$T/NAME1.sock .. NAME3.sock and prints the remote list.
start_cluster() {
    local name=$1 schema=$2 i db
    db=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['name'])" "$schema")
    ovsdb-tool create-cluster "$T/${name}1.db" "$schema" \
        unix:"$T/${name}1.raft" || fail "create-cluster"
    for i in 2 3; do
        ovsdb-tool join-cluster "$T/$name$i.db" "$db" unix:"$T/$name$i.raft" \
            unix:"$T/${name}1.raft" || fail "join-cluster"
    done
    for i in 1 2 3; do
        ovsdb-server --detach --no-chdir --pidfile="$T/$name$i.pid" \
            --log-file="$T/$name$i.log" --unixctl="$T/$name$i.ctl" \
            --remote=punix:"$T/$name$i.sock" "$T/$name$i.db" ||
            fail "cannot start cluster member $i"
    done
    echo "unix:$T/${name}1.sock,unix:$T/${name}2.sock,unix:$T/${name}3.sock"
}

# cluster_leader NAME DB: prints the member number (1-3) that leads.
cluster_leader() {
    local i
    for i in 1 2 3; do
        ovs-appctl -t "$T/$1$i.ctl" cluster/status "$2" 2>/dev/null |
            grep -q "^Role: leader" && { echo $i; return 0; }
    done
    return 1
}

# Transit switches scoped to zones (tests/ic-scope.sh, tests/ic-condmon.sh).

SCOPE_KEY=other_config:availability-zones

# scoped_ts_add TS ZONES: creates transit switch TS scoped to ZONES (a
# comma-separated list) in one transaction, so that no zone ever sees it
# unscoped.
scoped_ts_add() {
    icnbctl ts-add "$1" -- set Transit_Switch "$1" "$SCOPE_KEY=\"$2\""
}

# wait_ts TS ZONE...: waits until every ZONE has TS, with its key.
wait_ts() {
    local ts=$1 z
    shift
    for z in "$@"; do
        wait_until nbctl "$z" get Logical_Switch "$ts" \
            other_config:requested-tnl-key
    done
}

# ts_scope TS ZONES: changes the scope of TS.
ts_scope() {
    icnbctl set Transit_Switch "$1" "$SCOPE_KEY=\"$2\""
}

# has_ls ZONE TS: 1 if the zone's NB has the logical switch of TS, else 0.
has_ls() {
    count_rows nbctl "$1" find Logical_Switch "other_config:interconn-ts=$2"
}

# has_chassis ZONE NAME: 1 if the zone's SB has chassis NAME, else 0.
has_chassis() {
    count_rows sbctl "$1" find Chassis "name=$2"
}

# learned ZONE: the prefixes the zone's routers learned, sorted, on one
# line.
learned() {
    nbctl "$1" --format=csv --data=bare --no-headings \
        --columns=ip_prefix,external_ids list Logical_Router_Static_Route |
        awk -F, '/ic-learned-route=/ { print $1 }' | LC_ALL=C sort |
        paste -sd' '
}

# route_zones_learning ZONES...: turns route advertisement and learning on
# in every ZONE.
route_zones_learning() {
    local z
    for z in "$@"; do
        nbctl "$z" set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
    done
}

# diagnose: prints, for a test that failed, what its daemons say of
# themselves and the last lines of their logs, before teardown stops them.
diagnose() {
    local ctl log
    for ctl in "$T"/*-ic*.ctl; do
        [ -S "$ctl" ] || continue
        echo "--- $(basename "$ctl" .ctl): status/show"
        timeout 5 ovn-appctl -t "$ctl" status/show 2>&1 | head -n 40
        echo "--- $(basename "$ctl" .ctl): problems/show"
        timeout 5 ovn-appctl -t "$ctl" problems/show 2>&1 | head -n 20
    done
    for log in "$T"/*-ic*.log; do
        [ -f "$log" ] || continue
        echo "--- last lines of $(basename "$log")"
        tail -n 25 "$log"
    done
}

# teardown: stops every daemon of the test, daemons before databases.
teardown() {
    local f
    for f in "$T"/*-ic*.pid "$T"/*-northd.pid; do
        [ -e "$f" ] && stop_pidfile "$f"
    done
    for f in "$T"/*.pid; do
        [ -e "$f" ] && stop_pidfile "$f"
    done
    return 0
}

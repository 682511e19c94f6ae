# Faults (issue #10): daemons killed, databases restarted, stopped and
# clustered, in the middle of bulk changes.  After each fault the test waits
# until the IC-SB, NB and SB contents are exactly what a clean run of the
# same changes gives (tests/faults_state.py: every row once, none lost,
# none duplicated, none extra) and prints the time that took as
#
#     reconverge: <test> <seconds> s
#
# (also appended to tests/results/reconverge.log, which outlives the logs
# of tests that pass), and prints what it found when it fails.
#
# counted from the fault (or from its end, where it says so).  The
# workload: zones east (1) and west (2), each with a gateway, route
# exchange, a router router_Z on transit switch ts0 with a LAN
# 192.168.Z.0/24; each "round" adds, each in one transaction, transit
# switches rR-tsK, static routes 10.R.K.0/24 (west: 10.R+100.K.0/24) on
# router_Z, and ports of a router pr_Z on the first switches of the round
# (their networks 100.64+R.K.Z/24 are on the zones' ic-route-denylist, so
# that they add ports and no routes).

FAULTS_STATE=$TOP_SRCDIR/tests/faults_state.py
FAULT_ZONES="east west"

# fault_now: the current Unix time, in seconds with a fraction.
fault_now() {
    date +%s.%N
}

# fault_zone_args: the zones' database sockets, as faults_state.py takes
# them.
fault_zone_args() {
    local z
    for z in $FAULT_ZONES; do
        printf '%s=%s,%s ' "$z" "$T/$z-nb.sock" "$T/$z-sb.sock"
    done
}

# fault_icsb_sock: the unix socket through which the test reads IC-SB
# ($FAULT_ICSB_SOCK, for a cluster member, or the plain server's).
fault_icsb_sock() {
    echo "${FAULT_ICSB_SOCK:-$T/icsb.sock}"
}

# converged NAME SINCE: waits until the databases hold exactly what a clean
# run of the workload gives, prints "reconverge: NAME SECONDS s" (seconds
# since SINCE), and fails with what is lost or duplicated if that takes
# more than $WAIT_SECONDS, or 60 s (bulk changes on a busy machine take
# their time).  Then every zone's daemon must answer the nb_ic_cfg
# handshake.
converged() {
    local name=$1 since=$2 secs limit=$WAIT_SECONDS
    [ "$limit" -ge 60 ] || limit=60
    # shellcheck disable=SC2046
    secs=$(python3 "$FAULTS_STATE" wait "$T/workload" "$since" \
           "$limit" "$(fault_icsb_sock)" $(fault_zone_args)) ||
        fail "$name: not converged"
    echo "reconverge: $name $secs s"
    # And no daemon is stuck: every zone answers the handshake.
    ic_sync
    [ "$name" = setup ] || echo "reconverge: $name $secs s (TEST_OVN=$TEST_OVN)" \
        >> "$TOP_BUILDDIR/tests/results/reconverge.log"
}

# fault_start_daemons ZONE N: starts N daemons for ZONE (instances "", 2,
# ...), the first of which takes the zone's lock.
fault_start_daemons() {
    local z=$1 n=$2 i
    ic_start "$z" ours ""
    wait_eq "Status: active" ic_ctl_inst "$z" "" status
    for i in $(seq 2 "$n"); do
        ic_start "$z" ours "$i"
        wait_eq "Status: standby" ic_ctl_inst "$z" "$i" status
    done
}

# fault_zones [DAEMONS]: the IC databases (unless $OVN_IC_NB_DB is set
# already), and for each zone its databases, northd, DAEMONS daemons (1 by
# default), gateway, route exchange and router on ts0; waits until the
# zones have converged.
fault_zones() {
    local n=${1:-1} z i=1
    [ -n "${OVN_IC_NB_DB:-}" ] || ic_dbs_start
    : > "$T/workload"
    for z in $FAULT_ZONES; do
        zone_start "$z"
        fake_gateway "$z" "gw_$z" "192.168.0.$i"
        nbctl "$z" set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true \
            options:ic-route-denylist=100.64.0.0/10
        fault_start_daemons "$z" "$n"
        echo "zone $z $i" >> "$T/workload"
        i=$((i + 1))
    done
    icnbctl ts-add ts0
    i=1
    for z in $FAULT_ZONES; do
        wait_until nbctl "$z" get Logical_Switch ts0 \
            other_config:requested-tnl-key
        ts_router_port "$z" "router_$z" "aa:aa:aa:aa:aa:0$i" ts0 "gw_$z" \
            "169.254.100.$i/24"
        nbctl "$z" lrp-add "router_$z" "lrp-$z-lan" "aa:aa:aa:aa:bb:0$i" \
            "192.168.$i.1/24"
        i=$((i + 1))
    done
    converged setup "$(fault_now)" > /dev/null
}

# bulk_switches R N: adds transit switches rR-ts1..N in one transaction.
bulk_switches() {
    local r=$1 n=$2 k args=()
    for k in $(seq 1 "$n"); do
        args+=(-- ts-add "r$r-ts$k")
    done
    icnbctl "${args[@]}"
}

# bulk_routes ZONE R N: adds N static routes to router_ZONE in one
# transaction.
bulk_routes() {
    local z=$1 r=$2 n=$3 i k args=()
    i=$(zone_index "$z")
    [ "$i" = 1 ] || r=$((r + 100))
    for k in $(seq 1 "$n"); do
        args+=(-- lr-route-add "router_$z" "10.$r.$k.0/24" "192.168.$i.10")
    done
    nbctl "$z" "${args[@]}"
}

# zone_index ZONE: the zone's number in the workload.
zone_index() {
    awk -v z="$1" '$1 == "zone" && $2 == z {print $3}' "$T/workload"
}

# bulk_ports ZONE R N: gives router pr_ZONE a port on each of the switches
# rR-ts1..N (which must exist in the zone) in one transaction, and binds
# their chassis-redirect ports to the zone's gateway in another, as
# ovn-controller would.
bulk_ports() {
    local z=$1 r=$2 n=$3 i k ts lrp mac net args=()
    i=$(zone_index "$z")
    args=(--may-exist lr-add "pr_$z")
    for k in $(seq 1 "$n"); do
        ts=r$r-ts$k
        lrp=lrp-$ts-pr_$z
        mac=$(printf 'aa:bb:%02x:%02x:%02x:%02x' "$r" $((k >> 8)) \
              $((k & 255)) "$i")
        net=100.$((64 + r)).$k.$i/24
        args+=(-- lrp-add "pr_$z" "$lrp" "$mac" "$net"
               -- lrp-set-gateway-chassis "$lrp" "gw_$z"
               -- lsp-add "$ts" "lsp-$ts-pr_$z"
               -- lsp-set-type "lsp-$ts-pr_$z" router
               -- lsp-set-addresses "lsp-$ts-pr_$z" router
               -- lsp-set-options "lsp-$ts-pr_$z" router-port="$lrp")
    done
    nbctl "$z" "${args[@]}"
    bind_crs "$z" "$r" "$n"
}

# bind_crs ZONE R N: once northd has made the chassis-redirect ports of
# bulk_ports, binds them in one transaction.
bind_crs() {
    local z=$1 r=$2 n=$3 k args=()
    for k in $(seq 1 "$n"); do
        args+=(-- lsp-bind "cr-lrp-r$r-ts$k-pr_$z" "gw_$z")
    done
    wait_eq "$n" cr_ports "$z" "$r"
    sbctl "$z" "${args[@]}"
}

# cr_ports ZONE R: how many chassis-redirect ports of round R the zone's SB
# has.
cr_ports() {
    sbctl "$1" --bare --columns=logical_port find Port_Binding \
        type=chassisredirect | grep -c "^cr-lrp-r$2-ts.*-pr_$1$"
}

# zone_has_switches ZONE R N: true once the zone's NB has rR-ts1..N.
zone_has_switches() {
    [ "$(nbctl "$1" --bare --columns=name list Logical_Switch |
         grep -c "^r$2-ts")" = "$3" ]
}

# workload_round R SWITCHES PORTS ROUTES: records (or updates) what round R
# has added so far.
workload_round() {
    sed -i "/^round $1 /d" "$T/workload"
    echo "round $*" >> "$T/workload"
}

# round R SWITCHES PORTS ROUTES: a bulk change in every zone: switches,
# routes, and, once the zones have the switches, ports; recorded in the
# workload.
round() {
    local r=$1 nts=$2 nports=$3 nroutes=$4 z
    workload_round "$r" "$nts" "$nports" "$nroutes"
    bulk_switches "$r" "$nts"
    for z in $FAULT_ZONES; do
        bulk_routes "$z" "$r" "$nroutes"
    done
    for z in $FAULT_ZONES; do
        wait_until zone_has_switches "$z" "$r" "$nts"
        bulk_ports "$z" "$r" "$nports"
    done
}

# active_instance ZONE: the instance ("" or 2) of the zone's active daemon.
active_instance() {
    local i
    for i in "" 2; do
        [ "$(ic_ctl_inst "$1" "$i" status 2>/dev/null)" = "Status: active" ] &&
            { echo "$i"; return 0; }
    done
    return 1
}

# kill9 PIDFILE: kills the daemon at once, as a crash would.
kill9() {
    local pid
    pid=$(cat "$1")
    kill -9 "$pid"
    wait_until test ! -d "/proc/$pid"
    rm -f "$1"
}

# The same bulk changes as below without a fault, to compare the times
# with: from the commit of the switches to convergence, and from the
# binding of east's ports (after west's) to convergence.
test_bulk_change_without_faults() {
    fault_zones 2
    local t
    workload_round 1 200 0 200
    t=$(fault_now)
    bulk_switches 1 200
    bulk_routes east 1 200
    bulk_routes west 1 200
    converged baseline-bulk-switches-routes "$t"
    workload_round 1 200 200 200
    bulk_ports west 1 200
    bulk_ports east 1 200
    t=$(fault_now)
    converged baseline-bulk-ports "$t"
    t=$(fault_now)
    delete_round 1 200
    converged baseline-bulk-delete "$t"
}

# in_flight ZONE INSTANCE SESSION: true while the daemon has a transaction
# on SESSION ("NB", "IC-SB", ...) sent and not yet answered.
in_flight() {
    ic_ctl_inst "$1" "$2" engine/show | grep -q "^$3: .* in-flight=yes"
}

# delete_round R N: deletes round R's N switches, N routes a zone and
# router pr_ZONE, each in one transaction.
delete_round() {
    local r=$1 n=$2 k z i rr args=()
    echo "gone $r" >> "$T/workload"
    for k in $(seq 1 "$n"); do
        args+=(-- ts-del "r$r-ts$k")
    done
    icnbctl "${args[@]}"
    for z in $FAULT_ZONES; do
        i=$(zone_index "$z")
        rr=$r
        [ "$i" = 1 ] || rr=$((r + 100))
        args=(-- --if-exists lr-del "pr_$z")
        for k in $(seq 1 "$n"); do
            args+=(-- lr-route-del "router_$z" "10.$rr.$k.0/24")
        done
        nbctl "$z" "${args[@]}"
    done
}

# kill_in_flight DB SESSION VICTIM HEIR COMMAND...: stops the database DB
# (SIGSTOP), runs COMMAND (a bulk change), waits until east's daemon
# VICTIM (an instance, "" or 2) has a transaction on SESSION on its way,
# kills it (SIGKILL), lets DB go on, and waits until east's daemon HEIR
# is active.  $FAULT_T is the time of the kill.
kill_in_flight() {
    local db=$1 session=$2 victim=$3 heir=$4
    shift 4
    kill -STOP "$(cat "$T/$db.pid")"
    "$@"
    wait_until in_flight east "$victim" "$session"
    FAULT_T=$(fault_now)
    kill9 "$T/east-ic$victim.pid"
    kill -CONT "$(cat "$T/$db.pid")"
    wait_eq "Status: active" ic_ctl_inst east "$heir" status
}

# standby_again INSTANCE: starts east's daemon INSTANCE again, as the
# standby.
standby_again() {
    ic_start east ours "$1"
    wait_eq "Status: standby" ic_ctl_inst east "$1" status
}

# A bulk change: 200 switches, 200 routes a zone and then 200 ports a zone,
# each in one transaction.  East's active daemon is killed with SIGKILL
# while its transaction is on the way: east's NB (then IC-SB) is stopped
# before the change, the daemon sends its transaction into it, dies, and
# only then the database goes on, and may still apply what the dead daemon
# sent.  Each time the standby takes over and finishes the job, with
# nothing lost and nothing written twice.  The second time it is the
# daemon that took over first that dies, and the first one, restarted,
# takes over.  The third time everything goes again in one bulk delete,
# and nothing must be left behind.
test_kill_active_daemon_during_bulk_change() {
    fault_zones 2
    local a b
    a=$(active_instance east)
    b=2
    [ -z "$a" ] || b=

    workload_round 1 200 0 200
    kill_in_flight east-nb NB "$a" "$b" bulk_switches 1 200
    bulk_routes east 1 200
    bulk_routes west 1 200
    converged kill-9-bulk-switches-routes "$FAULT_T"
    standby_again "$a"

    workload_round 1 200 200 200
    bulk_ports west 1 200
    kill_in_flight icsb IC-SB "$b" "$a" bulk_ports east 1 200
    converged kill-9-bulk-ports "$FAULT_T"
    standby_again "$b"

    kill_in_flight icsb IC-SB "$a" "$b" delete_round 1 200
    converged kill-9-bulk-delete "$FAULT_T"
}

# switches_everywhere R N: waits until every zone has switches rR-ts1..N.
switches_everywhere() {
    local z
    for z in $FAULT_ZONES; do
        wait_until zone_has_switches "$z" "$1" "$2"
    done
}

# restart_db NAME: stops the ovsdb-server of $T/NAME.db and starts it again
# on the same file and socket.
restart_db() {
    stop_pidfile "$T/$1.pid"
    serve_db "$1"
}

# restart_in_round R DB STATUS NAME: commits 50 switches of round R, stops
# the database DB right after, adds 50 routes in each zone while it is
# down, waits until west's daemon says (ovn-appctl STATUS) that it is not
# connected, starts DB again, and waits for convergence.
restart_in_round() {
    local r=$1 db=$2 status=$3 name=$4 t
    workload_round "$r" 50 0 50
    bulk_switches "$r" 50
    stop_pidfile "$T/$db.pid"
    bulk_routes east "$r" 50
    bulk_routes west "$r" 50
    wait_eq "not connected" ic_ctl west "$status"
    serve_db "$db"
    t=$(fault_now)
    switches_everywhere "$r" 50
    converged "$name" "$t"
}

# IC-SB and then IC-NB restarted, each in the middle of a bulk change, with
# more changes made while it is down; then IC-SB again while ports are
# published.
test_ic_databases_restarted() {
    fault_zones
    local t
    restart_in_round 1 icsb ic-sb-connection-status ic-sb-restart
    restart_in_round 2 icnb ic-nb-connection-status ic-nb-restart

    # IC-SB goes again while the zones publish 50 ports each.
    workload_round 1 50 50 50
    bulk_ports east 1 50
    stop_pidfile "$T/icsb.pid"
    bulk_ports west 1 50
    serve_db icsb
    t=$(fault_now)
    converged ic-sb-restart-ports "$t"
}

# A zone's NB and then a zone's SB restarted in the middle of bulk
# changes.
test_zone_databases_restarted() {
    fault_zones
    local t
    # East's NB goes right after 50 switches are committed in IC-NB, so
    # that east's daemon cannot create them; routes come meanwhile in west.
    workload_round 1 50 0 50
    bulk_switches 1 50
    stop_pidfile "$T/east-nb.pid"
    bulk_routes west 1 50
    wait_eq "not connected" ic_ctl east nb-connection-status
    serve_db east-nb
    t=$(fault_now)
    bulk_routes east 1 50
    switches_everywhere 1 50
    converged zone-nb-restart "$t"

    # West's SB goes right after west's 50 ports are bound; east adds its
    # ports meanwhile.  West's daemon loses its lock with it.
    workload_round 1 50 50 50
    bulk_ports west 1 50
    stop_pidfile "$T/west-sb.pid"
    bulk_ports east 1 50
    wait_eq "not connected" ic_ctl west sb-connection-status
    serve_db west-sb
    t=$(fault_now)
    wait_eq "Status: active" ic_ctl west status
    converged zone-sb-restart "$t"
}

# cpu_ticks_of PIDFILE: the CPU time (user + system, clock ticks) that the
# daemon whose pid PIDFILE holds has used so far.
cpu_ticks_of() {
    awk '{print $14 + $15}' "/proc/$(cat "$1")/stat"
}

# stop_icsb_for SECONDS LABEL: stops IC-SB (SIGSTOP) for SECONDS, the
# length of the fault, once both daemons are waiting on it with a
# transaction, and checks that neither used more than 5% of a core
# meanwhile.
stop_icsb_for() {
    local secs=$1 label=$2 z before=() after used hz i=0
    hz=$(getconf CLK_TCK)
    for z in $FAULT_ZONES; do
        wait_until in_flight "$z" "" IC-SB
        before+=("$(cpu_ticks_of "$T/$z-ic.pid")")
    done
    sleep "$secs"
    for z in $FAULT_ZONES; do
        after=$(cpu_ticks_of "$T/$z-ic.pid")
        used=$((after - before[i]))
        i=$((i + 1))
        echo "cpu: $label $z $used of $((secs * hz)) ticks while IC-SB was stopped"
        [ $((used * 20)) -le $((secs * hz)) ] ||
            fail "$z's daemon used $used ticks in $secs s with IC-SB stopped"
    done
}

# IC-SB stopped (SIGSTOP) for a while, as a hung server or host would be,
# while the zones change: the daemons wait without spinning, and catch up
# when it goes on.  First with unix sockets and no inactivity probes (the
# daemons simply wait), then with IC_NB_Global options:ic_probe_interval
# at 1 s, so that the daemons drop the silent connection and try again
# and again.
test_ic_sb_stopped() {
    fault_zones
    local t pid
    pid=$(cat "$T/icsb.pid")
    workload_round 1 50 0 50
    kill -STOP "$pid"
    bulk_switches 1 50
    bulk_routes east 1 50
    bulk_routes west 1 50
    stop_icsb_for 3 sigstop
    kill -CONT "$pid"
    t=$(fault_now)
    converged sigstop-ic-sb "$t"

    icnbctl set IC_NB_Global . options:ic_probe_interval=1000
    local reconnects
    reconnects=$(ic_ctl east engine/show |
                 sed -n 's/^IC-SB: .*reconnects=\([0-9]*\).*/\1/p')
    workload_round 2 50 0 50
    kill -STOP "$pid"
    bulk_switches 2 50
    bulk_routes east 2 50
    bulk_routes west 2 50
    stop_icsb_for 5 sigstop-probed
    kill -CONT "$pid"
    t=$(fault_now)
    converged sigstop-ic-sb-probed "$t"
    local now
    now=$(ic_ctl east engine/show |
          sed -n 's/^IC-SB: .*reconnects=\([0-9]*\).*/\1/p')
    echo "east's IC-SB reconnects while stopped with probes: $((now - reconnects))"
    [ "$now" -gt "$reconnects" ] || fail "east never dropped the connection"
}

# raft_member_sock NAME N: the unix socket of cluster member N.
raft_member_sock() {
    echo "$T/$1$2.sock"
}

# in_cluster NAME DB N: true if member N is up and in the cluster (a leader
# or follower).
in_cluster() {
    [ -f "$T/$1$3.pid" ] &&
        ovs-appctl -t "$T/$1$3.ctl" cluster/status "$2" 2>/dev/null |
        grep -q "^Role: \(leader\|follower\)"
}

# raft_other NAME DB N: a member of the cluster, other than N, that is up
# and in the cluster.
raft_other() {
    local i
    for i in 1 2 3; do
        [ "$i" != "$3" ] && in_cluster "$1" "$2" "$i" &&
            { echo "$i"; return 0; }
    done
    return 1
}

# one_leader NAME DB: true if exactly one member of the cluster leads.
one_leader() {
    local i n=0
    for i in 1 2 3; do
        ovs-appctl -t "$T/$1$i.ctl" cluster/status "$2" 2>/dev/null |
            grep -q "^Role: leader" && n=$((n + 1))
    done
    [ $n = 1 ]
}

# raft_restart NAME N: starts member N again on its own file.
raft_restart() {
    ovsdb-server --detach --no-chdir --pidfile="$T/$1$2.pid" \
        --log-file="$T/$1$2.log" --unixctl="$T/$1$2.ctl" \
        --remote=punix:"$T/$1$2.sock" "$T/$1$2.db" ||
        fail "cannot restart cluster member $2"
}

# raft_ic_dbs [nb]: IC-SB as a three-member Raft cluster (and IC-NB too,
# with "nb"), with their global rows, and an inactivity probe of 1 s on
# the daemons' IC sessions (IC_NB_Global options:ic_probe_interval), so
# that a daemon whose member hangs moves to another one within seconds.
raft_ic_dbs() {
    if [ "${1:-}" = nb ]; then
        OVN_IC_NB_DB=$(start_cluster icnb "$SCHEMAS/ovn-ic-nb.ovsschema")
        wait_until cluster_leader icnb OVN_IC_Northbound
    else
        start_db icnb "$SCHEMAS/ovn-ic-nb.ovsschema"
        OVN_IC_NB_DB=unix:$T/icnb.sock
    fi
    OVN_IC_SB_DB=$(start_cluster icsb "$SCHEMAS/ovn-ic-sb.ovsschema")
    export OVN_IC_NB_DB OVN_IC_SB_DB
    FAULT_ICSB_SOCK=$(raft_member_sock icsb 1)
    wait_until cluster_leader icsb OVN_IC_Southbound
    check icnbctl init
    check icsbctl init
    icnbctl set IC_NB_Global . options:ic_probe_interval=1000
}

# IC-SB as a three-member Raft cluster.  Its leader is killed (SIGKILL)
# while east's daemon has a transaction of a bulk change on its way: the
# daemons go on with the other two members.  Then the member east's daemon uses is cut off (SIGSTOP,
# as a partition would leave it: it neither answers nor steps down) while
# the zones change: the two others (electing a leader if it led) keep
# working, the daemon moves to one of them, and everything converges; once
# the member comes back, it catches up, and there is one leader.
test_raft_ic_sb_leader_killed_and_partitioned() {
    # After a leader change the daemons find the new leader with the IDL's
    # reconnect back-off (1 s doubling to 8 s), which may take a while.
    local WAIT_SECONDS=60
    raft_ic_dbs
    fault_zones
    local t leader
    leader=$(cluster_leader icsb OVN_IC_Southbound)
    workload_round 1 100 0 100
    # The leader hangs first, so that the daemons' transactions are on
    # their way to it when it dies.
    kill -STOP "$(cat "$T/icsb$leader.pid")"
    bulk_switches 1 100
    bulk_routes east 1 100
    bulk_routes west 1 100
    wait_until in_flight east "" IC-SB
    t=$(fault_now)
    kill9 "$T/icsb$leader.pid"
    FAULT_ICSB_SOCK=$(raft_member_sock icsb \
                      "$(raft_other icsb OVN_IC_Southbound "$leader")")
    switches_everywhere 1 100
    converged raft-ic-sb-leader-killed "$t"
    raft_restart icsb "$leader"
    wait_until in_cluster icsb OVN_IC_Southbound "$leader"

    # The daemons talk to the leader: it is the member to cut off.
    local pid member
    member=$(cluster_leader icsb OVN_IC_Southbound)
    pid=$(cat "$T/icsb$member.pid")
    workload_round 2 50 0 50
    kill -STOP "$pid"
    t=$(fault_now)
    bulk_switches 2 50
    bulk_routes east 2 50
    bulk_routes west 2 50
    FAULT_ICSB_SOCK=$(raft_member_sock icsb \
                      "$(raft_other icsb OVN_IC_Southbound "$member")")
    switches_everywhere 2 50
    converged raft-ic-sb-member-partitioned "$t"
    kill -CONT "$pid"
    t=$(fault_now)
    wait_until one_leader icsb OVN_IC_Southbound
    FAULT_ICSB_SOCK=$(raft_member_sock icsb "$member")
    converged raft-ic-sb-partition-healed "$t"
}

# IC-NB as a Raft cluster too: its leader killed right after a bulk change.
test_raft_ic_nb_leader_killed() {
    # After a leader change the daemons find the new leader with the IDL's
    # reconnect back-off (1 s doubling to 8 s), which may take a while.
    local WAIT_SECONDS=60
    raft_ic_dbs nb
    fault_zones
    local t leader
    leader=$(cluster_leader icnb OVN_IC_Northbound)
    workload_round 1 100 0 100
    bulk_switches 1 100
    t=$(fault_now)
    kill9 "$T/icnb$leader.pid"
    bulk_routes east 1 100
    bulk_routes west 1 100
    switches_everywhere 1 100
    converged raft-ic-nb-leader-killed "$t"
}

# actives ZONE: how many of the zone's two daemons say they are active.
actives() {
    local i n=0
    for i in "" 2; do
        [ "$(ic_ctl_inst "$1" "$i" status)" = "Status: active" ] &&
            n=$((n + 1))
    done
    echo $n
}

# global_writers: how many daemons (two a zone) say they are the global
# writer.
global_writers() {
    local z i
    for z in $FAULT_ZONES; do
        for i in "" 2; do
            ic_ctl_inst "$z" "$i" engine/show
        done
    done | grep -c "^global writer: yes"
}

# OVSDB locks are kept by each server of a Raft cluster on its own: two
# clients connected to two members can both hold "the" lock.  So the
# daemons must talk to the leader (as upstream's do, by default), or a
# zone whose SB is clustered has two active daemons, and a clustered IC-SB
# two global writers.  East's SB and IC-SB are clustered here, with two
# daemons a zone, restarted five times (each daemon picks a member at
# random): always exactly one active daemon in east and one global writer.
test_raft_locks_keep_one_writer() {
    raft_ic_dbs
    local sb round i
    start_db east-nb "$OVN_SCHEMAS/ovn-nb.ovsschema"
    sb=$(start_cluster east-sb "$OVN_SCHEMAS/ovn-sb.ovsschema")
    wait_until cluster_leader east-sb OVN_Southbound
    nbctl east init
    nbctl east set NB_Global . name=east
    ovn-sbctl --db="$sb" init
    zone_start west
    ic_start west ours ""
    ic_start west ours 2
    for round in 1 2 3 4 5; do
        for i in "" 2; do
            IC_EXTRA_ARGS="--ovnsb-db=$sb" ic_start east ours "$i"
        done
        wait_until test "$(actives east)" -ge 1
        icnbctl ts-add "ts$round"
        ic_sync
        check_eq 1 actives east
        check_eq 1 global_writers
        check_eq 1 count_rows icsbctl find Datapath_Binding \
            transit_switch="ts$round"
        for i in "" 2; do
            stop_pidfile "$T/east-ic$i.pid"
        done
    done
}

# Network namespaces made by a test go with its daemons.
if declare -f teardown > /dev/null; then
    eval "lib_teardown() $(declare -f teardown | sed 1d)"
    teardown() {
        lib_teardown
        local ns
        if [ -f "$T/netns" ]; then
            while read -r ns; do
                ip netns del "$ns" 2>/dev/null
            done < "$T/netns"
            ip link del "$(netns_prefix)br" 2>/dev/null
        fi
        return 0
    }
fi

# netns_prefix: a prefix for this test's namespaces and links, unique on
# the machine (from $T).
netns_prefix() {
    echo "icf${T##*.}"
}

# raft_netns_cluster: IC-SB as a three-member Raft cluster whose members
# run in network namespaces of their own, joined by veth links to a bridge,
# and talk Raft over TCP (10.255.0.N:6648); clients reach them through unix
# sockets in $T as always, which no link cut touches.  Cutting member N's
# link (netns_cut N) thus partitions it from the other members only.
raft_netns_cluster() {
    local p i db=OVN_IC_Southbound schema=$SCHEMAS/ovn-ic-sb.ovsschema
    p=$(netns_prefix)
    ip link add "${p}br" type bridge || fail "cannot add a bridge"
    ip link set "${p}br" up
    for i in 1 2 3; do
        ip netns add "${p}n$i" || fail "cannot add a namespace"
        echo "${p}n$i" >> "$T/netns"
        ip link add "${p}v$i" type veth peer name eth0 netns "${p}n$i" ||
            fail "cannot add a veth pair"
        ip link set "${p}v$i" master "${p}br" up
        ip -n "${p}n$i" addr add "10.255.0.$i/24" dev eth0
        ip -n "${p}n$i" link set eth0 up
        ip -n "${p}n$i" link set lo up
    done
    ovsdb-tool create-cluster "$T/icsb1.db" "$schema" tcp:10.255.0.1:6648 ||
        fail "create-cluster"
    for i in 2 3; do
        ovsdb-tool join-cluster "$T/icsb$i.db" $db tcp:10.255.0.$i:6648 \
            tcp:10.255.0.1:6648 || fail "join-cluster"
    done
    for i in 1 2 3; do
        ip netns exec "${p}n$i" ovsdb-server --detach --no-chdir \
            --pidfile="$T/icsb$i.pid" --log-file="$T/icsb$i.log" \
            --unixctl="$T/icsb$i.ctl" --remote=punix:"$T/icsb$i.sock" \
            "$T/icsb$i.db" || fail "cannot start cluster member $i"
    done
    start_db icnb "$SCHEMAS/ovn-ic-nb.ovsschema"
    OVN_IC_NB_DB=unix:$T/icnb.sock
    OVN_IC_SB_DB=unix:$T/icsb1.sock,unix:$T/icsb2.sock,unix:$T/icsb3.sock
    export OVN_IC_NB_DB OVN_IC_SB_DB
    FAULT_ICSB_SOCK=$(raft_member_sock icsb 1)
    wait_until cluster_leader icsb $db
    wait_until one_leader_of_three icsb $db
    check icnbctl init
    check icsbctl init
}

# one_leader_of_three NAME DB: true if one member leads and the two others
# follow it.
one_leader_of_three() {
    one_leader "$1" "$2" && in_cluster "$1" "$2" 1 &&
        in_cluster "$1" "$2" 2 && in_cluster "$1" "$2" 3
}

# netns_cut N, netns_heal N: takes member N's link down, or up again.
netns_cut() {
    ip link set "$(netns_prefix)v$1" down
}
netns_heal() {
    ip link set "$(netns_prefix)v$1" up
}

# A real partition of the Raft IC-SB: the leader's link to the other
# members is cut while the daemons still reach it (through its unix
# socket) and the zones change.  The leader, cut off from the majority,
# steps down; the other two elect a leader; the daemons move to it and
# converge.  Healed, the old leader follows again and catches up.
test_raft_ic_sb_network_partition() {
    if [ "$(id -u)" != 0 ]; then
        echo "skipped: network namespaces need root"
        exit 77
    fi
    local WAIT_SECONDS=60
    raft_netns_cluster
    fault_zones
    local t leader other
    leader=$(cluster_leader icsb OVN_IC_Southbound)
    workload_round 1 50 0 50
    t=$(fault_now)
    netns_cut "$leader"
    bulk_switches 1 50
    bulk_routes east 1 50
    bulk_routes west 1 50
    wait_until sh -c "[ \"\$(ovs-appctl -t $T/icsb$leader.ctl cluster/status \
        OVN_IC_Southbound | sed -n 's/^Role: //p')\" != leader ]"
    echo "the cut-off leader stepped down after" \
        "$(awk -v a="$t" -v b="$(fault_now)" 'BEGIN {printf "%.2f", b - a}') s"
    other=$(cluster_leader icsb OVN_IC_Southbound)
    [ "$other" != "$leader" ] || fail "no new leader"
    FAULT_ICSB_SOCK=$(raft_member_sock icsb "$other")
    switches_everywhere 1 50
    converged raft-ic-sb-network-partition "$t"
    netns_heal "$leader"
    t=$(fault_now)
    wait_until one_leader_of_three icsb OVN_IC_Southbound
    FAULT_ICSB_SOCK=$(raft_member_sock icsb "$leader")
    converged raft-ic-sb-network-partition-healed "$t"
}

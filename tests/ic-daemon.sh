# The daemon itself: locks, pause, idleness, connections, bad input.

# ic_passes ZONE: the number of engine passes that ran a step.
ic_passes() {
    ic_ctl "$1" engine/show | sed -n 's/^passes: \([0-9]*\),.*/\1/p'
}

test_converged_system_commits_nothing() {
    reference_topology
    ic_sync
    wait_reference_ports
    ic_sync
    local east west passes
    east=$(ic_commits east)
    west=$(ic_commits west)
    passes=$(ic_passes east)

    # Changes that touch every step's inputs but change nothing the
    # daemons derive, and forced full recomputes.
    nbctl east set NB_Global . external_ids:touch=1
    sbctl east set Chassis gw_east external_ids:touch=1
    icnbctl set Transit_Switch ts1 external_ids:touch=1
    ic_ctl east engine/recompute
    ic_ctl west engine/recompute
    wait_until test "$(ic_passes east)" -gt "$passes"
    # Wait until both daemons are idle again: a recompute request answered
    # after the last change means the change was processed.
    ic_ctl east engine/recompute
    ic_ctl west engine/recompute
    ic_ctl east engine/show > /dev/null
    ic_ctl west engine/show > /dev/null

    check_eq "$east" ic_commits east
    check_eq "$west" ic_commits west
}

test_active_standby_in_one_zone() {
    ic_dbs_start
    zone_start east
    ic_start east ours ""
    wait_eq "Status: active" ic_ctl east status
    ic_start east ours 2
    wait_eq "Status: standby" ic_ctl_inst east 2 status

    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch

    # The standby takes over when the active daemon goes away.
    stop_pidfile "$T/east-ic.pid"
    wait_eq "Status: active" ic_ctl_inst east 2 status
    icnbctl ts-add ts2
    ic_sync
    check_eq 2 count_rows nbctl east list Logical_Switch
}

test_pause_and_resume() {
    ic_dbs_start
    zone_start east
    ic_start east
    wait_eq "Status: active" ic_ctl east status
    ic_ctl east pause
    check_eq "Status: paused" ic_ctl east status
    check_eq true ic_ctl east is-paused
    icnbctl ts-add ts1
    # While paused nothing is written, so the handshake cannot complete.
    (WAIT_SECONDS=1 ic_sync) && fail "ic_sync completed while paused"
    check_eq 0 count_rows nbctl east list Logical_Switch
    ic_ctl east resume
    check_eq false ic_ctl east is-paused
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch
}

test_connection_status_commands() {
    ic_dbs_start
    zone_start east
    ic_start east
    wait_eq "Status: active" ic_ctl east status
    for db in nb sb ic-nb ic-sb; do
        check_eq connected ic_ctl east $db-connection-status
    done
}

test_database_goes_away_and_comes_back() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    icnbctl ts-add ts1
    ic_sync

    # IC-SB goes away: the daemons keep running and say so.
    stop_pidfile "$T/icsb.pid"
    wait_eq "not connected" ic_ctl east ic-sb-connection-status
    icnbctl ts-add ts2
    check_eq "Status: active" ic_ctl east status

    # It comes back with its data: the daemons catch up.
    serve_db icsb
    wait_eq connected ic_ctl east ic-sb-connection-status
    ic_sync
    check_eq 2 count_rows icsbctl list Datapath_Binding
    check_eq 2 count_rows nbctl west list Logical_Switch
    # Under IC_RBAC=1 the daemons reach IC-SB over SSL.
    grep -Eq "connection to .*(icsb.sock|ssl:.*) lost" "$T/east-ic.log" ||
        fail "no log line for the lost connection"
}

test_one_global_writer_and_unique_keys() {
    ic_dbs_start
    for z in z1 z2 z3; do
        zone_start $z
        ic_start $z
    done
    # Many switches at once, in one transaction.
    local args=() i
    for i in $(seq 1 30); do
        args+=(-- ts-add ts$i)
    done
    icnbctl "${args[@]}"
    ic_sync
    check_eq 30 count_rows icsbctl list Datapath_Binding
    check_eq 30 count_distinct icsbctl tunnel_key Datapath_Binding
    local writers=0
    for z in z1 z2 z3; do
        check_eq 30 count_rows nbctl $z list Logical_Switch
        if ic_ctl $z engine/show | grep -q "global writer: yes"; then
            writers=$((writers + 1))
        fi
    done
    [ $writers = 1 ] || fail "$writers global writers, expected 1"
}

test_duplicate_bindings_from_a_race_are_merged() {
    ic_dbs_start
    zone_start east
    icnbctl ts-add ts1
    # Two bindings for ts1, as two racing pre-lock daemons would leave.
    icsbctl create Datapath_Binding transit_switch=ts1 tunnel_key=16711690
    icsbctl create Datapath_Binding transit_switch=ts1 tunnel_key=16711685
    ic_start east
    ic_sync
    check_eq 16711685 icsbctl --bare --columns=tunnel_key list \
        Datapath_Binding
    check_eq '"16711685"' nbctl east get Logical_Switch ts1 \
        other_config:requested-tnl-key
}

test_invalid_switch_name_is_reported() {
    ic_dbs_start
    zone_start east
    ic_start east
    icnbctl ts-add "bad name" -- ts-add good
    ic_sync
    check_eq good nbctl east --bare --columns=name list Logical_Switch
    check_eq 1 count_rows icsbctl list Datapath_Binding
    grep -q "bad name: invalid transit switch name" "$T/east-ic.log" ||
        fail "no log line"
    ic_ctl east problems/show | grep -q "bad name" || fail "not listed"
    # Fixing it clears the problem.
    icnbctl ts-del "bad name"
    ic_sync
    check_eq "" ic_ctl east problems/show
}

test_requested_key_conflict_is_reported() {
    ic_dbs_start
    zone_start east
    ic_start east
    icnbctl ts-add ts1 -- set Transit_Switch ts1 \
        other_config:requested-tnl-key=16711700
    ic_sync
    check_eq 16711700 icsbctl --bare --columns=tunnel_key find \
        Datapath_Binding transit_switch=ts1
    # ts2 asks for the same key: it gets another one, and it is reported.
    icnbctl ts-add ts2 -- set Transit_Switch ts2 \
        other_config:requested-tnl-key=16711700
    icnbctl ts-add ts3 -- set Transit_Switch ts3 \
        other_config:requested-tnl-key=12
    ic_sync
    check_eq 16711700 icsbctl --bare --columns=tunnel_key find \
        Datapath_Binding transit_switch=ts1
    local other
    other=$(icsbctl --bare --columns=tunnel_key find Datapath_Binding \
            transit_switch=ts2)
    [ -n "$other" ] && [ "$other" != 16711700 ] ||
        fail "ts2 has key [$other]"
    ic_ctl east problems/show > "$T/problems"
    grep -q "ts2: requested-tnl-key 16711700 is held" "$T/problems" ||
        fail "conflict not listed"
    grep -q "ts3: requested-tnl-key \"12\" is not a key" "$T/problems" ||
        fail "bad key not listed"
    # ts3's bad request is ignored; it gets a key of its own.
    check_eq 1 count_rows icsbctl find Datapath_Binding transit_switch=ts3
    # Releasing the key lets ts2 move to it.
    icnbctl ts-del ts1
    ic_sync
    check_eq 16711700 icsbctl --bare --columns=tunnel_key find \
        Datapath_Binding transit_switch=ts2
}

test_exhausted_key_space_is_reported() {
    ic_dbs_start
    zone_start east
    # Fill the whole interconnection key range with transit-router
    # bindings, which the switch sync leaves alone.
    python3 - "$T/icsb.sock" <<'PY' || fail "cannot fill the key space"
import json, socket, sys
ops = ["OVN_IC_Southbound"]
for key in range(16711681, 16777216):
    ops.append({"op": "insert", "table": "Datapath_Binding",
                "row": {"type": "transit-router", "tunnel_key": key}})
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"method": "transact", "params": ops, "id": 1}).encode())
buf = b""
while True:
    buf += s.recv(1 << 20)
    try:
        reply = json.loads(buf)
        break
    except ValueError:
        continue
sys.exit(1 if reply.get("error") or any("error" in r for r in reply["result"]) else 0)
PY
    ic_start east
    icnbctl ts-add ts1
    wait_until grep -q "ts1: no free datapath key" "$T/east-ic.log"
    check_eq "Status: active" ic_ctl east status
    # One key freed: the switch gets it.
    icsbctl destroy Datapath_Binding \
        "$(icsbctl --bare --columns=_uuid find Datapath_Binding \
           tunnel_key=16711999)"
    ic_sync
    check_eq 16711999 icsbctl --bare --columns=tunnel_key find \
        Datapath_Binding transit_switch=ts1
}

test_default_paths_reach_ovn_appctl() {
    ic_dbs_start
    zone_start east
    # No --unixctl and a bare --pidfile: the daemon must put both where
    # "ovn-appctl -t ovn-ic" looks, in $OVN_RUNDIR; the databases come from
    # the environment.
    OVN_NB_DB=unix:$T/east-nb.sock OVN_SB_DB=unix:$T/east-sb.sock \
        "$IC_DAEMON" --detach --no-chdir --pidfile --log-file="$T/east-ic.log"
    check test -f "$T/ovn-ic.pid"
    wait_eq "Status: active" ovn-appctl -t ovn-ic status
    check_eq connected ovn-appctl -t ovn-ic ic-sb-connection-status
    ovn-appctl -t ovn-ic exit
    stop_pidfile "$T/ovn-ic.pid"
    "$IC_DAEMON" --help | grep -q -- "--ic-sb-db" || fail "no --help"
    "$IC_DAEMON" -V | grep -q "Open vSwitch Library" || fail "no -V"
    "$IC_DAEMON" --bogus 2>/dev/null && fail "accepted a bad option"
    return 0
}

test_raft_clustered_ic_databases() {
    # The clusters are served without the SSL connection that IC_RBAC=1
    # sets up (tests/ic-rbac.sh covers RBAC): this test runs without it.
    local IC_RBAC=0
    local nb sb
    nb=$(start_cluster icnb "$SCHEMAS/ovn-ic-nb.ovsschema")
    sb=$(start_cluster icsb "$SCHEMAS/ovn-ic-sb.ovsschema")
    export OVN_IC_NB_DB=$nb OVN_IC_SB_DB=$sb
    wait_until cluster_leader icsb OVN_IC_Southbound
    check ovn-ic-nbctl --db="$nb" --no-leader-only init
    check ovn-ic-sbctl --db="$sb" --no-leader-only init
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows nbctl west list Logical_Switch

    # The IC-SB leader dies: the daemons carry on with the other members.
    local leader
    leader=$(cluster_leader icsb OVN_IC_Southbound)
    stop_pidfile "$T/icsb$leader.pid"
    icnbctl ts-add ts2
    # Finding the new leader takes OVS's reconnect back-off (1 s doubling
    # to 8 s per member tried), as tests/ic-faults.sh measures: up to 60 s.
    WAIT_SECONDS=60 ic_sync
    check_eq 2 count_rows nbctl east list Logical_Switch
    check_eq 2 count_rows nbctl west list Logical_Switch
    check_eq 2 count_distinct icsbctl tunnel_key Datapath_Binding \
        --no-leader-only
}

test_ssl_to_ic_databases() {
    local pki=$T/pki
    ovs-pki --dir="$pki" --log="$T/pki.log" init >/dev/null || fail "pki init"
    (cd "$T" && ovs-pki --dir="$pki" --log="$T/pki.log" req+sign server \
        switch >/dev/null && ovs-pki --dir="$pki" --log="$T/pki.log" \
        req+sign client switch >/dev/null) || fail "pki sign"
    local ca=$pki/switchca/cacert.pem
    ovsdb-tool create "$T/icnb.db" "$SCHEMAS/ovn-ic-nb.ovsschema"
    ovsdb-tool create "$T/icsb.db" "$SCHEMAS/ovn-ic-sb.ovsschema"
    local db
    for db in icnb icsb; do
        serve_db $db --remote=pssl:0:127.0.0.1 \
            --private-key="$T/server-privkey.pem" \
            --certificate="$T/server-cert.pem" --ca-cert="$ca"
    done
    local nbport sbport
    nbport=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/icnb.log")
    sbport=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/icsb.log")
    [ -n "$nbport" ] && [ -n "$sbport" ] || fail "no SSL ports"
    export OVN_IC_NB_DB=unix:$T/icnb.sock OVN_IC_SB_DB=unix:$T/icsb.sock
    icnbctl init
    icsbctl init
    zone_start east
    "$IC_DAEMON" --detach --no-chdir --pidfile="$T/east-ic.pid" \
        --log-file="$T/east-ic.log" --unixctl="$T/east-ic.ctl" \
        --ovnnb-db=unix:"$T/east-nb.sock" --ovnsb-db=unix:"$T/east-sb.sock" \
        --ic-nb-db=ssl:127.0.0.1:$nbport --ic-sb-db=ssl:127.0.0.1:$sbport \
        --private-key="$T/client-privkey.pem" \
        --certificate="$T/client-cert.pem" --ca-cert="$ca" ||
        fail "cannot start ovn-ic with SSL"
    wait_eq connected ic_ctl east ic-sb-connection-status
    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch
}

test_pause_hands_over_to_the_standby() {
    ic_dbs_start
    zone_start east
    ic_start east ours ""
    wait_eq "Status: active" ic_ctl east status
    ic_start east ours 2
    wait_eq "Status: standby" ic_ctl_inst east 2 status
    # Pausing releases the zone's lock: the standby takes over and syncs.
    ic_ctl east pause
    wait_eq "Status: active" ic_ctl_inst east 2 status
    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch
    # Resumed, the first daemon waits for the lock behind the second.
    ic_ctl east resume
    wait_eq "Status: standby" ic_ctl east status
    check_eq "Status: active" ic_ctl_inst east 2 status
}

test_pausing_the_global_writer_moves_the_role() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    wait_until sh -c "ovn-appctl -t $T/east-ic.ctl engine/show |
        grep -q 'global writer: yes'"
    ic_start west
    ic_sync
    ic_ctl west engine/show | grep -q "global writer: no" ||
        fail "two global writers"
    # East pauses: west becomes the global writer and keys new switches.
    ic_ctl east pause
    wait_until sh -c "ovn-appctl -t $T/west-ic.ctl engine/show |
        grep -q 'global writer: yes'"
    icnbctl ts-add ts1
    wait_eq 1 count_rows icsbctl find Datapath_Binding transit_switch=ts1
    wait_until nbctl west get Logical_Switch ts1 \
        other_config:requested-tnl-key
    check_eq 0 count_rows nbctl east list Logical_Switch
    ic_ctl east resume
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch
}

# Two zones' daemons started at the same moment on IC databases without
# their global rows: each global row, each transit switch's binding and key,
# and the binding of a port without a chassis exist exactly once, however
# the race goes.  The global writer's rows are written only through the
# session that holds the IC-SB lock, or into tables whose indexes refuse a
# second copy (see ic/sync-cfg.h and ic/sync-port.h).  Three rounds.
test_two_zones_started_at_once() {
    # Each round destroys IC_SB_Global, and with it the connections that
    # IC_RBAC=1 configures there: this test runs without RBAC.
    local IC_RBAC=0
    ic_dbs_start
    zone_start east
    zone_start west
    fake_gateway east gw_east 192.168.0.1
    fake_gateway west gw_west 192.168.0.2
    local i round
    for i in 1 2 3 4 5; do
        icnbctl ts-add ts$i
    done
    icnbctl tsp-add ts1 tsp-free
    for round in 1 2 3; do
        icsbctl destroy IC_SB_Global .
        icnbctl destroy IC_NB_Global .
        icsbctl --all destroy Datapath_Binding
        icsbctl --all destroy Port_Binding
        ic_start east &
        ic_start west &
        wait
        wait_eq 1 count_rows icnbctl list IC_NB_Global
        ic_sync
        check_eq 1 count_rows icsbctl list IC_SB_Global
        check_eq 1 count_rows icnbctl list IC_NB_Global
        check_eq 5 count_rows icsbctl list Datapath_Binding
        check_eq 5 count_distinct icsbctl tunnel_key Datapath_Binding
        check_eq 1 count_rows icsbctl find Port_Binding \
            logical_port=tsp-free
        check_eq 5 count_rows nbctl east list Logical_Switch
        check_eq 5 count_rows nbctl west list Logical_Switch
        check_eq 1 sh -c "for z in east west; do
            ovn-appctl -t $T/\$z-ic.ctl engine/show; done |
            grep -c 'global writer: yes'"
        stop_pidfile "$T/east-ic.pid"
        stop_pidfile "$T/west-ic.pid"
    done
}

# "ovn-appctl exit" ends the daemon with status 0: tearing down sessions
# with no transaction open once crashed it.
test_exit_is_clean() {
    ic_dbs_start
    zone_start east
    "$IC_DAEMON" --no-chdir --unixctl="$T/east-ic.ctl" \
        --log-file="$T/east-ic.log" -vconsole:off \
        --ovnnb-db=unix:"$T/east-nb.sock" --ovnsb-db=unix:"$T/east-sb.sock" \
        --ic-nb-db="$OVN_IC_NB_DB" --ic-sb-db="$OVN_IC_SB_DB" &
    local pid=$! rc=0
    wait_eq "Status: active" ic_ctl east status
    ic_ctl east exit
    wait "$pid" || rc=$?
    check_eq 0 echo "$rc"
}

# The lock and pause log lines are upstream's words, which its tests and
# scripts grep for (the "pause" group of OVN main's ovn-ic.at): a resumed
# daemon says "OVN ISB lock acquired" again.
test_lock_log_lines_are_upstreams() {
    ic_dbs_start
    zone_start east
    ic_start east
    local log=$T/east-ic.log active="This ovn-ic instance is now active."
    wait_until grep -q "ovn-ic lock acquired. $active" "$log"
    wait_until grep -q "OVN ISB lock acquired. $active" "$log"
    ic_ctl east pause
    wait_until grep -q \
        "This ovn-ic instance is now paused. Removing IC-SB lock." "$log"
    check grep -q "This ovn-ic instance is now paused.$" "$log"
    check_eq 1 grep -c "OVN ISB lock acquired" "$log"
    ic_ctl east resume
    wait_eq 2 grep -c "OVN ISB lock acquired" "$log"

    # A standby that loses nothing says nothing; the active one that is
    # stopped hands over, and the standby says it is active.
    ic_start east ours 2
    wait_eq "Status: standby" ic_ctl_inst east 2 status
    stop_pidfile "$T/east-ic.pid"
    wait_until grep -q "OVN ISB lock acquired" "$T/east-ic2.log"
}

# Upstream's newer SSL options are accepted; the OVS 3.1 library cannot
# apply them, which is logged once each.
test_newer_ssl_options_are_accepted() {
    ic_dbs_start
    zone_start east
    local suites=TLS_AES_256_GCM_SHA384
    IC_EXTRA_ARGS="--ssl-ciphersuites=$suites --ssl-server-name=ic.example" \
        ic_start east
    wait_eq "Status: active" ic_ctl east status
    ic_sync
    check_eq 1 grep -c "ssl-ciphersuites=$suites is not supported" \
        "$T/east-ic.log"
    check_eq 1 grep -c "ssl-server-name=ic.example is not supported" \
        "$T/east-ic.log"
    "$IC_DAEMON" --help | grep -q -- --ssl-server-name ||
        fail "--help does not list --ssl-server-name"
}

# --dump-inc-proc-graph, as upstream 26.03 has it: a digraph of the steps
# and the tables that make them run, or one node's part; an unknown node
# is an error.
test_dump_inc_proc_graph() {
    "$IC_DAEMON" --dump-inc-proc-graph > "$T/all.dot" ||
        fail "the whole graph failed"
    check grep -q '^digraph ' "$T/all.dot"
    check grep -q '"NB_Logical_Switch_Port" -> "port";' "$T/all.dot"
    check grep -q '"IC-SB_Route" -> "route";' "$T/all.dot"
    "$IC_DAEMON" --dump-inc-proc-graph=gateway > "$T/gw.dot" ||
        fail "the gateway step's graph failed"
    check grep -q '"SB_Chassis" -> "gateway";' "$T/gw.dot"
    ! grep -q '"route"' "$T/gw.dot" || fail "another step in a node's graph"
    ! "$IC_DAEMON" --dump-inc-proc-graph=no-such-step > /dev/null 2>&1 ||
        fail "an unknown node was accepted"
}

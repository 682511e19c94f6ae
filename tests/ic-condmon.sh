# Conditional monitoring of IC-SB (issue #11, ic/condmon.h): a zone
# replicates only the rows of the transit switches it is attached to, the
# gateways of the zones it shares one with, and its own rows.  Conditions
# follow scope changes, and no step acts before the server has sent what
# the new conditions add.  Zones east, west and north, switches scoped with
# other_config:availability-zones as in tests/ic-scope.sh.

# replica_rows DAEMON SESSION TABLE: the rows of TABLE that the daemon's
# session replicates, from replica/show.  DAEMON is the name of the unixctl
# socket without ".ctl" ("east-ic", "east-ic2").
replica_rows() {
    ovn-appctl -t "$T/$1.ctl" replica/show |
        awk -v s="$2: " -v t="$3:" '
            substr($0, 1, 1) != " " { in_s = index($0, s) == 1 }
            in_s && $1 == t { print $2 }'
}

# settled DAEMON: succeeds if no session of the daemon waits for new
# conditions.
settled() {
    ! ovn-appctl -t "$T/$1.ctl" replica/show | grep -q waiting
}

# zone_port ZONE N TS: gives ZONE a router r_ZONE_TS on TS with MAC
# aa:aa:aa:aa:N:MM and network 169.254.N.MM/24 (MM from the switch), and
# an internal network 10.N.MM.0/24 that it advertises.
zone_port() {
    local z=$1 n=$2 ts=$3 m=${3#ts}
    zone_router "$z" "r_${z}_$ts" "aa:aa:aa:aa:0$n:0$m" \
        "169.254.$m.$n/24" "$ts" "gw_$z"
    nbctl "$z" lrp-add "r_${z}_$ts" "lrp-r_${z}_$ts-int" \
        "aa:aa:aa:aa:1$n:0$m" "10.$n.$m.1/24"
}

# The shape the tests share: ts1 scoped to east and west, ts2 to west and
# north, every zone with a router on each switch in its scope and route
# learning on.
two_scoped_switches() {
    route_zones_learning east west north
    scoped_ts_add ts1 east,west
    scoped_ts_add ts2 west,north
    wait_until nbctl east get Logical_Switch ts1 \
        other_config:requested-tnl-key
    wait_until nbctl north get Logical_Switch ts2 \
        other_config:requested-tnl-key
    zone_port east 1 ts1
    zone_port west 2 ts1
    zone_port west 2 ts2
    zone_port north 3 ts2
    wait_eq "10.2.1.1/24" learned east
    wait_eq "10.2.2.1/24" learned north
    wait_eq "10.1.1.1/24 10.3.2.1/24" learned west
}

# Each zone's replica holds the rows of its switches only; a standby of
# east started with --ic-monitor-all holds every row, and so does IC-SB.
test_replica_holds_only_attached_rows() {
    gateway_zones east west north
    # A standby: east's first daemon holds the zone's lock first.
    wait_eq "Status: active" ic_ctl east status
    IC_EXTRA_ARGS=--ic-monitor-all ic_start east ours 2
    two_scoped_switches
    ic_sync

    check_eq 4 count_rows icsbctl list Port_Binding
    # east: its port and west's on ts1; north: both on ts2; west: all.
    check_eq 2 replica_rows east-ic IC-SB Port_Binding
    check_eq 2 replica_rows north-ic IC-SB Port_Binding
    check_eq 4 replica_rows west-ic IC-SB Port_Binding
    check_eq 4 replica_rows east-ic2 IC-SB Port_Binding
    # Datapath bindings of the zone's switches, gateways and their
    # encapsulations of the zones it shares one with.
    check_eq 1 replica_rows east-ic IC-SB Datapath_Binding
    check_eq 2 replica_rows east-ic2 IC-SB Datapath_Binding
    check_eq 2 replica_rows east-ic IC-SB Gateway
    check_eq 2 replica_rows east-ic IC-SB Encap
    check_eq 3 replica_rows west-ic IC-SB Gateway
    check_eq 3 replica_rows east-ic2 IC-SB Gateway
    # Routes: one per router port network and internal network, per zone
    # and switch.
    local all east_rows
    all=$(count_rows icsbctl list Route)
    east_rows=$(replica_rows east-ic IC-SB Route)
    [ "$east_rows" -lt "$all" ] ||
        fail "east replicates $east_rows of $all routes"
    check_eq "$all" replica_rows east-ic2 IC-SB Route
    # Every zone's row.
    check_eq 3 replica_rows east-ic IC-SB Availability_Zone
    # The global writer's session holds Datapath_Binding whole in the one
    # daemon that has the lock, and nothing in the others.
    local writer
    for z in east west north; do
        if ic_ctl "$z" engine/show | grep -q "^global writer: yes"; then
            writer=$z
        else
            check_eq 0 replica_rows "$z-ic" "IC-SB (global writer)" \
                Datapath_Binding
        fi
    done
    check_eq 2 replica_rows "$writer-ic" "IC-SB (global writer)" \
        Datapath_Binding
    # The standby with --ic-monitor-all says so.
    ovn-appctl -t "$T/east-ic2.ctl" replica/show |
        grep -q "^conditional monitoring: off" ||
        fail "replica/show: $(ovn-appctl -t "$T/east-ic2.ctl" replica/show)"
    # Nothing keeps changing.
    settled east-ic || fail "east not settled"
}

# A zone added to a switch's scope gets its rows and creates the switch;
# the other zones see its port and routes, and it learns theirs.
test_attach() {
    gateway_zones east west north
    two_scoped_switches
    ic_sync
    check_eq 0 has_ls north ts1
    check_eq 0 has_chassis north gw_east

    ts_scope ts1 east,west,north
    wait_eq 1 has_ls north ts1
    wait_eq 1 has_chassis north gw_east
    wait_eq 1 has_chassis east gw_north
    zone_port north 3 ts1
    wait_eq "10.1.1.1/24 10.2.1.1/24 10.2.2.1/24" learned north
    wait_eq "10.2.1.1/24 10.3.1.1/24" learned east
    wait_eq '["aa:aa:aa:aa:01:01 169.254.1.1/24"]' \
        nbctl north get Logical_Switch_Port lsp-ts1-r_east_ts1 addresses
    ic_sync
    check_eq 5 replica_rows north-ic IC-SB Port_Binding
    check_eq 3 replica_rows east-ic IC-SB Port_Binding
    check_eq 3 replica_rows east-ic IC-SB Gateway
}

# A zone dropped from a switch's scope loses the switch's rows from its
# replica and removes what it made for the switch: the logical switch, its
# published port and the routes it learned there.  Nothing else moves: its
# other switch, the other zones' routes on it, and the routes the two
# remaining zones learn from each other.
test_detach() {
    gateway_zones east west north
    two_scoped_switches
    ts_scope ts1 east,west,north
    wait_eq 1 has_ls north ts1
    zone_port north 3 ts1
    wait_eq "10.1.1.1/24 10.2.1.1/24 10.2.2.1/24" learned north
    ic_sync
    check_eq 5 replica_rows north-ic IC-SB Port_Binding
    local ts2_routes
    ts2_routes=$(count_rows icsbctl find Route transit_switch=ts2)

    ts_scope ts1 east,west
    wait_eq 0 has_ls north ts1
    wait_eq "" isb_pb lsp-ts1-r_north_ts1 _uuid
    wait_eq 0 count_rows icsbctl find Route transit_switch=ts1 \
        "availability_zone=$(icsbctl --bare --columns=_uuid find \
            Availability_Zone name=north)"
    wait_eq "10.2.2.1/24" learned north
    wait_eq "10.2.1.1/24" learned east
    ic_sync
    check_eq 2 replica_rows north-ic IC-SB Port_Binding
    check_eq "$ts2_routes" replica_rows north-ic IC-SB Route
    check_eq 1 has_ls north ts2
    check_eq 0 has_chassis north gw_east
    check_eq "10.1.1.1/24 10.3.2.1/24" learned west
    check_eq '["aa:aa:aa:aa:03:02 169.254.2.3/24"]' \
        nbctl west get Logical_Switch_Port lsp-ts2-r_north_ts2 addresses
    # The router and its port stay: only what the daemon made goes.
    check_eq '["169.254.1.3/24"]' \
        nbctl north get Logical_Router_Port lrp-r_north_ts1-ts1 networks
}

# A zone that starts after the others converged gets the rows of its
# switches, and only those.
test_zone_joining_late() {
    ic_dbs_start
    local z i=1
    for z in east west; do
        zone_start "$z"
        ic_start "$z"
        fake_gateway "$z" "gw_$z" "192.168.0.$i"
        i=$((i + 1))
    done
    route_zones_learning east west
    scoped_ts_add ts1 east,west
    scoped_ts_add ts2 west,north
    wait_until nbctl east get Logical_Switch ts1 \
        other_config:requested-tnl-key
    zone_port east 1 ts1
    zone_port west 2 ts1
    zone_port west 2 ts2
    wait_eq "10.2.1.1/24" learned east
    ic_sync

    zone_start north
    fake_gateway north gw_north 192.168.0.3
    route_zones_learning north
    ic_start north
    wait_until nbctl north get Logical_Switch ts2 \
        other_config:requested-tnl-key
    check_eq 0 has_ls north ts1
    zone_port north 3 ts2
    wait_eq "10.2.2.1/24" learned north
    wait_eq "10.1.1.1/24 10.3.2.1/24" learned west
    wait_eq 1 has_chassis north gw_west
    ic_sync
    check_eq 0 has_chassis north gw_east
    check_eq 2 replica_rows north-ic IC-SB Port_Binding
    check_eq 1 replica_rows north-ic IC-SB Datapath_Binding
    check_eq 2 replica_rows north-ic IC-SB Gateway
    check_eq "10.2.1.1/24" learned east
}

# Without any scoped switch the conditions take every row: the zone
# replicates what it did without them.
test_unscoped_replicates_everything() {
    reference_topology
    wait_reference_ports
    ic_sync
    check_eq 2 replica_rows east-ic IC-SB Port_Binding
    check_eq 2 replica_rows east-ic IC-SB Gateway
    ovn-appctl -t "$T/east-ic.ctl" replica/show |
        grep -q "^  Port_Binding: 2 rows (all rows)" ||
        fail "replica/show: $(ovn-appctl -t "$T/east-ic.ctl" replica/show)"
}

# The key allocator's session replicates Datapath_Binding only in the
# global writer; a daemon that takes over the lock loads them all before
# it allocates (it must not reuse a key it has not seen yet).
test_global_writer_takeover() {
    gateway_zones east west
    scoped_ts_add ts1 east
    scoped_ts_add ts2 west
    wait_ts ts1 east
    wait_ts ts2 west
    local writer other
    if ic_ctl east engine/show | grep -q "^global writer: yes"; then
        writer=east other=west
    else
        writer=west other=east
    fi
    check_eq 2 replica_rows "$writer-ic" "IC-SB (global writer)" \
        Datapath_Binding
    check_eq 0 replica_rows "$other-ic" "IC-SB (global writer)" \
        Datapath_Binding
    stop_pidfile "$T/$writer-ic.pid"
    wait_until sh -c "ovn-appctl -t '$T/$other-ic.ctl' engine/show |
        grep -q '^global writer: yes'"
    scoped_ts_add ts3 "$other"
    wait_ts ts3 "$other"
    check_eq 3 replica_rows "$other-ic" "IC-SB (global writer)" \
        Datapath_Binding
    # Three different keys.
    check_eq 3 count_distinct icsbctl tunnel_key Datapath_Binding
}

# A transit router is in every zone: with a scoped switch that leaves west
# out, west still replicates the router's datapath and port bindings and
# mirrors east's router port; the scoped switch's rows stay out.
test_transit_router_with_scoped_switch() {
    gateway_zones east west
    scoped_ts_add ts1 east
    wait_ts ts1 east
    check icnbctl tr-add tr1
    check icnbctl trp-add tr1 p_west 00:00:00:11:22:02 10.0.0.2/24 \
        chassis=gw_west
    check icnbctl trp-add tr1 p_east 00:00:00:11:22:01 10.0.0.1/24 \
        chassis=gw_east
    ic_sync
    check_eq 1 replica_rows west-ic IC-SB Datapath_Binding
    check_eq 2 replica_rows west-ic IC-SB Port_Binding
    check_eq 2 replica_rows east-ic IC-SB Datapath_Binding
    check_eq gw_east nbctl west get Logical_Router_Port p_east \
        options:requested-chassis
    check_eq gw_west nbctl east get Logical_Router_Port p_west \
        options:requested-chassis
}

# The IC-SB server comes back while the daemon has work for it and nothing
# else happens: the daemon gets the lock back before the reply to its new
# monitor request, so the global session's conditions change while that
# reply is awaited.  The IDL sends that change only when it runs again, and
# the daemon must not sleep until something else wakes it (it used to,
# until the 10 s warning's timer or a test's teardown did).
test_conditions_sent_after_reconnect_while_idle() {
    ic_dbs_start
    zone_start east
    ic_start east
    icnbctl ts-add ts1
    ic_sync
    # Which of the daemon's two IC-SB sessions gets its reply last varies:
    # three rounds.
    local n
    for n in 2 3 4; do
        stop_pidfile "$T/icsb.pid"
        wait_eq "not connected" ic_ctl east ic-sb-connection-status
        icnbctl ts-add "ts$n"
        wait_eq "$n" replica_rows east-ic IC-NB Transit_Switch
        serve_db icsb
        ic_sync
        check_eq "$n" count_rows nbctl east list Logical_Switch
    done
    if grep -q "has not applied new monitor conditions" "$T/east-ic.log"
    then
        fail "the daemon waited for its own condition change"
    fi
}

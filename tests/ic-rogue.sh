# Rows that another zone writes into IC-SB are input from outside the zone:
# a rogue or broken zone must not hurt this one (issue #10).  Each test
# writes rogue rows straight into IC-SB, as a hostile zone would, next to
# real zones, and checks that they are refused, that nothing local is
# touched and that the daemon does not spin.

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

# rogue_az NAME: creates an availability zone that no daemon runs, as a
# rogue zone would, and prints its UUID.
rogue_az() {
    icsbctl create Availability_Zone name="$1"
}

# nb_failures_at_least ZONE N: true if the zone's daemon has had at least
# N failed NB transactions.
nb_failures_at_least() {
    local n
    n=$(ic_ctl "$1" engine/show |
        sed -n 's/^NB: .*failures=\([0-9]*\).*/\1/p')
    [ "${n:-0}" -ge "$2" ]
}

# A write that can never succeed (east's daemon reaches its NB through a
# read-only connection, and a transit switch needs a logical switch there)
# is retried with a growing delay: the daemon stays near idle, lists the
# failure in problems/show, is unhealthy, and logs it once.
test_failing_commit_backs_off() {
    ic_dbs_start
    zone_start east
    # ovsdb-server reads read-only remotes from a Connection table with a
    # read_only column, which NB lacks: a scratch database with SB's
    # schema, served next to east's NB, holds the remote.
    ovsdb-tool create "$T/east-ro.db" "$OVN_SCHEMAS/ovn-sb.ovsschema"
    ovs-appctl -t "$T/east-nb.ctl" ovsdb-server/add-db "$T/east-ro.db"
    ovn-sbctl --db=unix:"$T/east-nb.sock" init
    ovn-sbctl --db=unix:"$T/east-nb.sock" set-connection read-only \
        punix:"$T/east-nb-ro.sock"
    ovs-appctl -t "$T/east-nb.ctl" ovsdb-server/add-remote \
        db:OVN_Southbound,SB_Global,connections
    wait_until test -S "$T/east-nb-ro.sock"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$IC_DAEMON" --metrics-address=127.0.0.1:"$port" --detach --no-chdir --pidfile="$T/east-ic.pid" \
        --log-file="$T/east-ic.log" --unixctl="$T/east-ic.ctl" \
        --ovnnb-db=unix:"$T/east-nb-ro.sock" \
        --ovnsb-db=unix:"$T/east-sb.sock" \
        --ic-nb-db="$OVN_IC_NB_DB" --ic-sb-db="$OVN_IC_SB_DB" \
        -vconsole:off -vfile:info || fail "cannot start east's daemon"
    icnbctl ts-add ts1

    wait_until nb_failures_at_least east 3
    check_cpu_bounded "$T/east-ic.pid"
    ic_ctl east problems/show |
        grep -q "^commit: NB: transactions keep failing" ||
        fail "problems/show lacks the failing NB: $(ic_ctl east problems/show)"
    ic_ctl east status/show |
        grep -q "^health: transactions on NB keep failing" ||
        fail "status/show: $(ic_ctl east status/show | head -1)"
    local n
    n=$(grep -c "transactions keep failing" "$T/east-ic.log")
    [ "$n" = 1 ] || fail "logged $n times"
    curl -s "http://127.0.0.1:$port/healthz" |
        grep -q "transactions on NB keep failing" || fail "/healthz is ok"
    curl -s "http://127.0.0.1:$port/metrics" > "$T/metrics"
    grep -q '^ovn_ic_db_failures_total{db="NB"} [1-9]' "$T/metrics" ||
        fail "no failed NB commits in the metrics"
    grep -q '^ovn_ic_db_commit_backoff_milliseconds{db="NB"} [1-9]' \
        "$T/metrics" || fail "no NB back-off in the metrics"

    # Once nothing needs writing, the back-off ends.
    icnbctl ts-del ts1
    wait_until sh -c "! ovn-appctl -t '$T/east-ic.ctl' problems/show |
                      grep -q '^commit:'"
}

# rogue_gateway AZ NAME IP [TYPE]: publishes a gateway of zone AZ (a UUID)
# with one encapsulation, straight into IC-SB.
rogue_gateway() {
    icsbctl -- --id=@e create Encap type="${4:-geneve}" ip="$3" \
        gateway_name="$2" -- create Gateway name="$2" \
        availability_zone="$1" hostname="$2" encaps=@e > /dev/null
}

# rogue_port AZ NAME KEY GATEWAY ADDRESS: publishes a port of zone AZ on
# ts1, straight into IC-SB.
rogue_port() {
    icsbctl create Port_Binding logical_port="$2" transit_switch=ts1 \
        availability_zone="$1" tunnel_key="$3" gateway="$4" \
        address="\"$5\"" type=transit-switch-port > /dev/null
}

# refused ZONE OBJECT: true if the zone's daemon lists OBJECT among the
# ports it refused, naming the rogue zone.
refused() {
    ic_ctl "$1" problems/show |
        grep -q "^port: $2: port of availability zone rogue on transit switch ts1 refused"
}

# sb_chassis_of ZONE PORT: the name of the chassis PORT is bound to.
sb_chassis_of() {
    local ch
    ch=$(sbctl "$1" --bare --columns=chassis find Port_Binding \
         logical_port="$2")
    [ -z "$ch" ] || sbctl "$1" --bare --columns=name list Chassis "$ch"
}

# Finding 1: an IC-SB port binding from another zone named like a local
# VIF (or router port, switch, chassis or SB-only binding), or bound to a
# chassis of this zone rather than to a remote gateway, is refused: the
# local port keeps its chassis, NB gets no second port, the refusal is
# logged once, listed and counted, and the daemon does not spin.  (The
# old code bound east's vm1 to the rogue gateway and retried the
# duplicate NB port about 5,000 times a second.)
test_rogue_port_named_like_local_vif() {
    reference_topology
    ic_sync
    wait_reference_ports
    # East's daemon again, with the metrics endpoint.
    stop_pidfile "$T/east-ic.pid"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east

    # East's VM vm1 on its own switch, bound to its hypervisor.
    nbctl east ls-add sw0
    nbctl east lsp-add sw0 vm1
    nbctl east lsp-set-addresses vm1 "00:00:00:00:01:11 192.168.1.11"
    sbctl east chassis-add hv_east geneve 192.168.0.11
    zone_sync east
    sbctl east lsp-bind vm1 hv_east
    ic_sync

    local az
    az=$(rogue_az rogue)
    rogue_gateway "$az" gw_rogue 192.168.0.66
    rogue_port "$az" vm1 100 gw_rogue "aa:aa:aa:aa:aa:66 169.254.100.66/24"
    rogue_port "$az" lrp-router_east-ts1 101 gw_rogue ""
    rogue_port "$az" cr-lrp-router_east-ts1 102 gw_rogue ""
    rogue_port "$az" sw0 103 gw_rogue ""
    rogue_port "$az" hv_east 104 gw_rogue ""
    # A port of its own, bound to east's hypervisor.
    rogue_port "$az" rogue_hv 106 hv_east "aa:aa:aa:aa:aa:68"
    # A well-formed port of the same zone is mirrored: the row is refused,
    # never the zone.
    rogue_port "$az" rogue_ok 105 gw_rogue "aa:aa:aa:aa:aa:67 169.254.100.67/24"

    wait_until sbctl east get Chassis gw_rogue name
    wait_eq '["aa:aa:aa:aa:aa:67 169.254.100.67/24"]' \
        nbctl east get Logical_Switch_Port rogue_ok addresses
    local p
    for p in vm1 lrp-router_east-ts1 cr-lrp-router_east-ts1 sw0 hv_east \
             rogue_hv; do
        wait_until refused east "$p"
    done
    ic_ctl east problems/show | grep -q "^port: vm1: .*local switch port" ||
        fail "vm1: $(ic_ctl east problems/show | grep vm1)"

    # Nothing local touched.
    check_eq hv_east sb_chassis_of east vm1
    check_eq gw_east sb_chassis_of east cr-lrp-router_east-ts1
    check_eq 1 count_rows nbctl east find Logical_Switch_Port name=vm1
    check_eq '""' nbctl east get Logical_Switch_Port vm1 type
    check_eq 1 count_rows nbctl east find Logical_Switch name=sw0
    check_eq 0 count_rows nbctl east find Logical_Switch_Port name=rogue_hv
    check_eq router nbctl east get Logical_Switch_Port lsp-ts1-router_east type
    check_cpu_bounded "$T/east-ic.pid"
    local n
    n=$(grep -c "vm1" "$T/east-ic.log")
    [ "$n" = 1 ] || fail "vm1 logged $n times: $(grep vm1 "$T/east-ic.log")"
    curl -s "http://127.0.0.1:$port/metrics" |
        grep -q '^ovn_ic_remote_rows_refused{step="port"} 6$' ||
        fail "metrics: $(curl -s "http://127.0.0.1:$port/metrics" |
                         grep refused)"

    # The rogue rows go: vm1 keeps its chassis, the refusals are resolved.
    for p in vm1 lrp-router_east-ts1 cr-lrp-router_east-ts1 sw0 hv_east \
             rogue_hv rogue_ok; do
        icsbctl destroy Port_Binding "$(isb_pb "$p" _uuid)"
    done
    wait_until sh -c "! ovn-appctl -t '$T/east-ic.ctl' problems/show |
                      grep -q '^port:'"
    check_eq hv_east sb_chassis_of east vm1
    wait_reference_ports
}

# dp_key TS: prints the keys of TS's datapath bindings; fails if none.
dp_key() {
    local keys
    keys=$(icsbctl --bare --columns=tunnel_key find Datapath_Binding \
           transit_switch="$1")
    [ -n "$keys" ] && echo "$keys"
}

# Finding 2: a duplicate datapath binding for a transit switch with a lower
# key (a rogue zone's, or two global writers that raced) is deleted; the
# binding with the key the switch uses stays, so the switch keeps its key
# in every zone.  (The old code kept the lowest key and re-keyed the
# switch everywhere, breaking its data plane.)
test_rogue_datapath_binding_does_not_rekey() {
    gateway_zones east west
    # A switch keyed before ts1 and deleted, so that a lower key is free.
    icnbctl ts-add tspad
    wait_until dp_key tspad
    transit_switch_add ts1 east west
    zone_router east router_east aa:aa:aa:aa:aa:01 169.254.100.1/24 ts1 gw_east
    zone_router west router_west aa:aa:aa:aa:aa:02 169.254.100.2/24 ts1 gw_west
    ic_sync
    wait_reference_ports
    local key pad
    key=$(dp_key ts1)
    pad=$(dp_key tspad)
    icnbctl ts-del tspad
    ic_sync
    [ "$pad" -lt "$key" ] || fail "tspad's key $pad is not below ts1's $key"

    local z
    for z in east west; do
        check_eq "\"$key\"" nbctl $z get Logical_Switch ts1 \
            other_config:requested-tnl-key
    done
    icsbctl create Datapath_Binding transit_switch=ts1 tunnel_key="$pad" \
        type=transit-switch > /dev/null
    wait_eq "$key" dp_key ts1
    ic_sync
    check_eq "$key" dp_key ts1
    for z in east west; do
        check_eq "\"$key\"" nbctl $z get Logical_Switch ts1 \
            other_config:requested-tnl-key
    done
    grep -q "deleting duplicate datapath binding of transit switch ts1 (key $pad), keeping key $key" \
        "$T"/*-ic.log || fail "the deletion is not logged"
    wait_reference_ports
}

# rogue_route AZ PREFIX NEXTHOP: advertises a route of zone AZ on ts1,
# straight into IC-SB.
rogue_route() {
    icsbctl create Route transit_switch=ts1 availability_zone="$1" \
        ip_prefix="\"$2\"" nexthop="\"$3\"" origin=static \
        route_table='""' > /dev/null
}

# learned_prefixes ZONE ROUTER: the prefixes of the routes ROUTER learned.
learned_prefixes() {
    nbctl "$1" --bare --columns=ip_prefix find Logical_Router_Static_Route \
        external_ids:ic-learned-route!=x | sort | paste -sd' '
}

# Finding 3: garbage from another zone is refused row by row, never
# mirrored: port addresses that are no addresses, bad MACs, 10 kB strings;
# a gateway encapsulation with a bad IP (IC-SB's schema checks the type);
# an IPv6 prefix via an
# IPv4 next hop.  The zone's well-formed rows are copied all the same.
test_rogue_garbage_refused_row_by_row() {
    reference_topology
    nbctl east set NB_Global . options:ic-route-learn=true
    ic_sync
    wait_reference_ports

    local az long
    az=$(rogue_az rogue)
    long=$(head -c 10240 /dev/zero | tr '\0' a)
    rogue_gateway "$az" gw_rogue 192.168.0.66
    rogue_gateway "$az" gw_badip not-an-ip
    rogue_port "$az" rogue_zzz 200 gw_rogue "zzz"
    rogue_port "$az" rogue_blank 201 gw_rogue " "
    rogue_port "$az" rogue_long 202 gw_rogue "$long"
    rogue_port "$az" rogue_mac 203 gw_rogue "aa:aa:aa:aa:aa 169.254.100.68/24"
    rogue_port "$az" rogue_ip 204 gw_rogue "aa:aa:aa:aa:aa:69 169.254.100.300"
    rogue_port "$az" rogue_ok 205 gw_rogue "aa:aa:aa:aa:aa:66 169.254.100.66/24"
    rogue_route "$az" 2001:db8::/32 169.254.100.66
    rogue_route "$az" 10.66.0.0/16 169.254.100.66

    # The well-formed rows are copied.
    wait_until sbctl east get Chassis gw_rogue name
    wait_eq '["aa:aa:aa:aa:aa:66 169.254.100.66/24"]' \
        nbctl east get Logical_Switch_Port rogue_ok addresses
    wait_eq "10.66.0.0/16" learned_prefixes east router_east

    # The others are refused, each listed with its zone and reason.
    local p
    for p in rogue_zzz rogue_blank rogue_long rogue_mac rogue_ip; do
        wait_until refused east $p
        check_eq 0 count_rows nbctl east find Logical_Switch_Port name=$p
    done
    ic_ctl east problems/show > "$T/problems"
    grep -q "^port: rogue_zzz: .*: bad MAC address$" "$T/problems" ||
        fail "rogue_zzz: $(cat "$T/problems")"
    grep -q "^port: rogue_long: .*: address too long$" "$T/problems" ||
        fail "rogue_long: $(cat "$T/problems")"
    grep -q "^port: rogue_ip: .*: bad IP address$" "$T/problems" ||
        fail "rogue_ip: $(cat "$T/problems")"
    grep -q "^gateway: gw_badip: gateway of availability zone rogue refused: bad encapsulation IP address$" \
        "$T/problems" || fail "gw_badip: $(cat "$T/problems")"
    check_eq 0 count_rows sbctl east find Chassis name=gw_badip
    check_eq 0 count_rows sbctl east find Encap ip=not-an-ip
    wait_until grep -q "Bad route format in IC-SB: 2001:db8::/32 -> 169.254.100.66. Ignored. (availability zone rogue: IPv6 prefix with an IPv4 next hop)" \
        "$T/east-ic.log"
    check_eq "10.66.0.0/16" learned_prefixes east router_east

    # West refuses them too, and the zones still see each other.
    wait_until refused west rogue_zzz
    wait_reference_ports
}

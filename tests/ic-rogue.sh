# Rows that another zone writes into IC-SB are input from outside the zone:
# a rogue or broken zone must not hurt this one (issue #10).  Each test
# writes rogue rows straight into IC-SB, as a hostile zone would, next to
# real zones, and checks that they are refused, that nothing local is
# touched and that the daemon does not spin.

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
    port=$(free_port)
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
    port=$(free_port)
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
    # Listed too, and gone with its row.
    local bad_route="^route: 2001:db8::/32 via 169.254.100.66: route of availability zone rogue on transit switch ts1 refused: IPv6 prefix with an IPv4 next hop$"
    ic_ctl east problems/show | grep -q "$bad_route" ||
        fail "bad route: $(ic_ctl east problems/show)"
    check_eq "10.66.0.0/16" learned_prefixes east router_east

    # West refuses them too, and the zones still see each other.
    wait_until refused west rogue_zzz
    wait_reference_ports

    icsbctl destroy Route "$(icsbctl --bare --columns=_uuid find Route \
                             ip_prefix='"2001:db8::/32"')"
    wait_until sh -c "! ovn-appctl -t '$T/east-ic.ctl' problems/show |
                      grep -q '$bad_route'"
}

# rogue_gateway_options AZ NAME IP OPTION...: publishes a gateway of zone
# AZ with one geneve encapsulation whose options are OPTION... (key=value),
# straight into IC-SB.
rogue_gateway_options() {
    local az=$1 name=$2 ip=$3 opts=() o
    shift 3
    for o in "$@"; do
        opts+=("options:$o")
    done
    icsbctl -- --id=@e create Encap type=geneve ip="$ip" \
        gateway_name="$name" "${opts[@]}" -- create Gateway name="$name" \
        availability_zone="$az" hostname="$name" encaps=@e > /dev/null
}

# refused_metric PORT STEP: the daemon's count of refused rows of STEP, from
# its metrics endpoint on PORT.
refused_metric() {
    curl -s "http://127.0.0.1:$1/metrics" |
        sed -n "s/^ovn_ic_remote_rows_refused{step=\"$2\"} //p"
}

# Finding 3, encapsulation options: another zone's are checked too
# ("csum" and "is_default" booleans, "dst_port" a UDP port, every key and
# value a bounded name): a gateway with bad options is refused, listed
# and counted, its well-formed neighbours are mirrored with their options.
test_rogue_encap_options_refused() {
    ic_dbs_start
    zone_start east
    local port
    port=$(free_port)
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    fake_gateway east gw_east 192.168.0.1
    transit_switch_add ts1 east

    local az long
    az=$(rogue_az rogue)
    long=$(head -c 2000 /dev/zero | tr '\0' v)
    rogue_gateway_options "$az" gw_ok 192.168.0.66 csum=true dst_port=6081
    rogue_gateway_options "$az" gw_csum 192.168.0.67 csum=maybe
    rogue_gateway_options "$az" gw_port 192.168.0.68 dst_port=70000
    rogue_gateway_options "$az" gw_long 192.168.0.69 "future=$long"

    wait_eq '{csum="true", dst_port="6081"}' \
        sbctl east get Encap "$(sbctl east --bare --columns=_uuid find Encap \
                                chassis_name=gw_ok)" options
    wait_eq 3 refused_metric "$port" gateway
    ic_ctl east problems/show > "$T/problems"
    grep -q "^gateway: gw_csum: gateway of availability zone rogue refused: bad encapsulation option csum$" \
        "$T/problems" || fail "gw_csum: $(cat "$T/problems")"
    grep -q "^gateway: gw_port: .*: bad encapsulation option dst_port$" \
        "$T/problems" || fail "gw_port: $(cat "$T/problems")"
    grep -q "^gateway: gw_long: .*: option value too long$" \
        "$T/problems" || fail "gw_long: $(cat "$T/problems")"
    local gw
    for gw in gw_csum gw_port gw_long; do
        check_eq 0 count_rows sbctl east find Chassis name=$gw
        check_eq 1 grep -c "gateway: $gw: gateway of availability zone rogue refused" \
            "$T/east-ic.log"
    done
    check_cpu_bounded "$T/east-ic.pid"

    # A gateway fixed by its zone is mirrored; gone ones leave no trace.
    icsbctl set Encap "$(icsbctl --bare --columns=_uuid find Encap \
                         gateway_name=gw_csum)" options:csum=false
    wait_until sbctl east get Chassis gw_csum name
    for gw in gw_ok gw_csum gw_port gw_long; do
        icsbctl destroy Gateway "$(icsbctl --bare --columns=_uuid find \
                                   Gateway name=$gw)"
    done
    wait_eq 0 refused_metric "$port" gateway
    wait_eq 1 count_rows sbctl east list Chassis
    check_eq 1 count_rows sbctl east list Encap
}

# rogue_monitor ZONE LPORT IP PORT SRC_IP [COLUMN=VALUE...]: another
# zone's ("rogue") health check of ZONE's port LPORT, straight into IC-SB.
rogue_monitor() {
    local z=$1 lport=$2 ip=$3 port=$4 src=$5
    shift 5
    icsbctl create Service_Monitor logical_port="\"$lport\"" ip="\"$ip\"" \
        port="$port" protocol=tcp src_ip="\"$src\"" \
        src_mac='"11:11:11:11:11:11"' target_availability_zone="$z" \
        source_availability_zone=rogue "$@" > /dev/null
}

# Finding 3, health checks: another zone's aimed at this zone (IC-SB
# Service_Monitor: ip, port, protocol, logical port, source IP, options)
# are checked before they go into SB, where ovn-controller would probe
# with them: bad ones are refused row by row, listed and counted; the
# zone's good ones are learned all the same.
test_rogue_service_monitors_refused() {
    needs_ovn 25.09
    ic_dbs_start
    zone_start east
    local port
    port=$(free_port)
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    nbctl east set NB_Global . options:svc_monitor_mac='"22:22:22:22:22:22"'
    nbctl east ls-add ls_e
    nbctl east --wait=sb lsp-add ls_e vm_e
    sbctl east chassis-add ch_e geneve 192.168.0.9
    sbctl east lsp-bind vm_e ch_e

    rogue_monitor east vm_e 10.1.0.5 8080 10.1.0.9 options:interval=5
    rogue_monitor east vm_e 10.1.0.6 8080 junk
    rogue_monitor east vm_e 10.1.0.7 8080 10.1.0.9 options:interval=0
    rogue_monitor east vm_e 10.1.0.8 8080 10.1.0.9 \
        options:failure_count=99999999999
    rogue_monitor east vm_e 2001:db8::8 8080 10.1.0.9
    rogue_monitor east vm_e not-an-ip 8080 10.1.0.9
    rogue_monitor east "$(printf 'vm\te')" 10.1.0.5 8080 10.1.0.9

    wait_eq "true 10.1.0.5 8080 10.1.0.9 22:22:22:22:22:22 ch_e" \
        sm_row east 10.1.0.5 ic_learned ip port src_ip src_mac chassis_name
    wait_eq 6 refused_metric "$port" service-monitor
    check_eq 1 count_rows sbctl east list Service_Monitor
    ic_ctl east problems/show > "$T/problems"
    local line
    for line in \
        "vm_e 10.1.0.6:8080: monitor of availability zone rogue refused: bad monitor source IP address" \
        "vm_e 10.1.0.7:8080: .*: bad monitor option interval" \
        "vm_e 10.1.0.8:8080: .*: bad monitor option failure_count" \
        "vm_e 2001:db8::8:8080: .*: monitor source and backend IP addresses of different families" \
        "vm_e not-an-ip:8080: .*: bad monitor IP address" \
        "Service_Monitor [0-9a-f-]*: .*: control character in name"; do
        grep -q "^service-monitor: $line$" "$T/problems" ||
            fail "no [$line] in $(cat "$T/problems")"
    done
    check_cpu_bounded "$T/east-ic.pid"

    # The rogue rows go: nothing is left, the refusals are resolved.
    icsbctl --all destroy Service_Monitor
    wait_eq 0 refused_metric "$port" service-monitor
    wait_eq 0 count_rows sbctl east list Service_Monitor
}

# sm_row ZONE IP COLUMN...: columns of the zone's SB monitor of IP.
sm_row() {
    local z=$1 ip=$2 c out=()
    shift 2
    for c in "$@"; do
        out+=("$(sbctl "$z" --bare --columns="$c" find Service_Monitor \
                 ip="$ip")")
    done
    echo "${out[*]}"
}

# Finding 3, address sets: another zone's set with a name that is empty,
# over 1 kB or has control characters is refused whole (it would be
# garbage in NB), and one with invalid addresses is learned without them;
# both count as refused rows.
test_rogue_address_set_refused() {
    ic_dbs_start
    zone_start east
    local port
    port=$(free_port)
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    nbctl east set NB_Global . options:ic-as-learn=true
    local az
    az=$(rogue_az rogue)
    icsbctl create Address_Set name=rg_ok availability_zone="$az" \
        addresses='"10.0.0.1","not-an-address"' > /dev/null
    icsbctl create Address_Set name='"bad\nname"' availability_zone="$az" \
        addresses='"10.0.0.2"' > /dev/null
    wait_eq '["10.0.0.1"]' nbctl east get Address_Set rg_ok addresses
    wait_eq 2 refused_metric "$port" address-set
    ic_ctl east problems/show > "$T/problems"
    grep -q '^address-set: Address_Set [0-9a-f-]*: address set of availability zone rogue refused: control character in name$' \
        "$T/problems" || fail "bad name: $(cat "$T/problems")"
    grep -q '^address-set: rg_ok from availability zone rogue: 1 invalid address left out' \
        "$T/problems" || fail "rg_ok: $(cat "$T/problems")"
    check_eq 1 count_rows nbctl east list Address_Set
}

# A rogue zone next to two real ones (issue #10): while zones east and west
# run our daemons with a transit switch, ports, VMs and routes, a third
# "zone" writes random valid and invalid rows straight into IC-SB
# (tests/rogue-zone.py, a fixed seed, a bounded number of rows over a
# bounded time).  Every row must be handled as its kind calls for, the
# daemons must stay up and never spin, and once the rogue rows are gone
# the real zones' NB and SB must be exactly what they were before.

ROGUE_ZONE="python3 $TOP_SRCDIR/tests/rogue-zone.py"
ROGUE_SEED=${ROGUE_SEED:-20261201}
ROGUE_ROWS=${ROGUE_ROWS:-300}
ROGUE_SECONDS=${ROGUE_SECONDS:-15}

# zones_sync ZONE...: ic_sync for the named zones only.  ic_sync waits for
# every zone registered in IC-SB, and a rogue zone that registers one and
# never answers the handshake stalls it for all (as upstream's does): so
# this bumps IC_NB_Global.nb_ic_cfg and waits for the named zones'
# Availability_Zone.nb_ic_cfg, which each daemon sets after a quiet pass.
zones_sync() {
    local cfg z
    cfg=$(bump_nb_ic_cfg)
    for z in "$@"; do
        wait_until zone_cfg_at_least "$z" "$cfg"
    done
}

# zone_cfg_at_least ZONE N: true if the zone reported nb_ic_cfg N or more.
zone_cfg_at_least() {
    local n
    n=$(icsbctl --bare --columns=nb_ic_cfg find Availability_Zone \
        name="$1")
    [ "${n:-0}" -ge "$2" ]
}

# snapshot ZONE: the zone's NB and SB tables that other zones' rows can
# touch, without UUIDs (see tests/rogue-zone.py).
snapshot() {
    $ROGUE_ZONE snapshot "$T/$1-nb.sock" "$T/$1-sb.sock"
}

# same_as_before ZONE: true if the zone's snapshot is the one taken before
# the storm.
same_as_before() {
    snapshot "$1" > "$T/$1.after" && cmp -s "$T/$1.before" "$T/$1.after"
}

# tally [--quiet]: what the zones did with the rogue rows (exits 1 while
# some row is not handled yet as it should be).
tally() {
    $ROGUE_ZONE tally "$T/manifest.json" "$T/icsb.sock" \
        east="$T/east-nb.sock,$T/east-sb.sock,$T/east-ic.ctl" \
        west="$T/west-nb.sock,$T/west-sb.sock,$T/west-ic.ctl" "$@"
}

# zone_with_vm ZONE N: a zone of the scenario on transit switch ts1,
# which must exist: gateway gw_ZONE, router router_ZONE on it
# (169.254.100.N/24) and on an internal switch ls_ZONE (10.10.N.1/24) with
# a static route, a VM vm_ZONE on ls_ZONE bound to hypervisor hv_ZONE,
# route advertisement and learning and address set learning on, and the
# daemon's metrics endpoint on a free port (in $T/ZONE.port).
zone_with_vm() {
    local z=$1 n=$2 port
    zone_start "$z"
    port=$(free_port)
    echo "$port" > "$T/$z.port"
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start "$z"
    fake_gateway "$z" "gw_$z" "192.168.0.$n"
    nbctl "$z" set NB_Global . options:ic-route-adv=true \
        options:ic-route-learn=true options:ic-as-learn=true \
        options:svc_monitor_mac='"22:22:22:22:22:2'"$n"'"'
    wait_until nbctl "$z" get Logical_Switch ts1 \
        other_config:requested-tnl-key
    zone_router "$z" "router_$z" "aa:aa:aa:aa:aa:0$n" "169.254.100.$n/24" \
        ts1 "gw_$z"
    nbctl "$z" ls-add "ls_$z"
    nbctl "$z" lrp-add "router_$z" "lrp-$z-int" "00:00:00:00:10:0$n" \
        "10.10.$n.1/24"
    nbctl "$z" lsp-add "ls_$z" "lsp-$z-int" -- \
        lsp-set-type "lsp-$z-int" router -- \
        lsp-set-addresses "lsp-$z-int" router -- \
        lsp-set-options "lsp-$z-int" router-port="lrp-$z-int"
    nbctl "$z" lr-route-add "router_$z" "10.20.$n.0/24" "10.10.$n.254"
    nbctl "$z" lsp-add "ls_$z" "vm_$z"
    nbctl "$z" lsp-set-addresses "vm_$z" "00:00:00:00:01:0$n 10.10.$n.11"
    sbctl "$z" chassis-add "hv_$z" geneve "192.168.1.$n"
    zone_sync "$z"
    sbctl "$z" lsp-bind "vm_$z" "hv_$z"
}

# local_names ZONE OTHER: the names that ZONE holds and that a port
# binding of another zone must not take: its VM, hypervisor, switches,
# router ports and their SB bindings, and both gateways (the other zone's
# is a chassis here too).
local_names() {
    local z=$1 o=$2
    echo "vm_$z,hv_$z,gw_$z,gw_$o,ts1,ls_$z,lrp-router_$z-ts1,\
cr-lrp-router_$z-ts1,lrp-$z-int,lsp-$z-int"
}

# learned ZONE: the prefixes the zone's router learned, sorted.
learned() {
    nbctl "$1" --bare --columns=ip_prefix find Logical_Router_Static_Route \
        external_ids:ic-learned-route!=x | grep . | sort | paste -sd' '
}

test_rogue_zone_storm() {
    ic_dbs_start
    icnbctl ts-add ts1
    zone_with_vm east 1
    zone_with_vm west 2
    wait_reference_ports
    # A connected network is advertised as the router port has it.
    wait_eq "10.10.2.1/24 10.20.2.0/24" learned east
    wait_eq "10.10.1.1/24 10.20.1.0/24" learned west
    ic_sync

    # The clean state.
    local z
    for z in east west; do
        wait_until sbctl "$z" --bare --columns=chassis find Port_Binding \
            logical_port="lsp-ts1-router_$( [ $z = east ] && echo west ||
                                            echo east)"
        snapshot "$z" > "$T/$z.before"
    done
    grep -q '"logical_port": "vm_east"' "$T/east.before" ||
        fail "the snapshot lacks vm_east: $(head -5 "$T/east.before")"

    # The storm.
    local svcmon=
    [ "$TEST_OVN" = current ] && svcmon=--svcmon
    local hz t0 t1 c0_east c0_west c1_east c1_west
    hz=$(getconf CLK_TCK)
    c0_east=$(cpu_ticks "$T/east-ic.pid")
    c0_west=$(cpu_ticks "$T/west-ic.pid")
    t0=$(date +%s.%N)
    $ROGUE_ZONE storm "$T/icsb.sock" "$T/manifest.json" "$ROGUE_SEED" \
        "$ROGUE_ROWS" "$ROGUE_SECONDS" $svcmon \
        east="$(local_names east west)" west="$(local_names west east)" ||
        fail "the rogue zone failed"
    zones_sync east west
    if ! (wait_until tally --quiet); then
        tally || true
        fail "rogue rows mishandled"
    fi
    t1=$(date +%s.%N)
    c1_east=$(cpu_ticks "$T/east-ic.pid")
    c1_west=$(cpu_ticks "$T/west-ic.pid")

    # The daemons are up, did not spin during the storm (a generous bound:
    # half a core; a spinning daemon takes a whole one), and are idle
    # after it.
    local wall used
    wall=$(echo "($t1 - $t0) * $hz" | bc | cut -d. -f1)
    for z in east west; do
        kill -0 "$(cat "$T/$z-ic.pid")" || fail "$z's daemon is gone"
        eval used=\$\(\( c1_$z - c0_$z \)\)
        echo "$z: $used CPU ticks of $wall during the storm"
        [ $((used * 2)) -lt "$wall" ] ||
            fail "$z's daemon used $used of $wall clock ticks in the storm"
        check_cpu_bounded "$T/$z-ic.pid"
    done
    # Nothing local was taken over meanwhile.
    check_eq hv_east sb_chassis_of east vm_east
    check_eq hv_west sb_chassis_of west vm_west

    # What was tried and refused, for the closing note of issue #10.
    local kinds
    kinds=$(tally) || fail "tally: $kinds"
    echo "$kinds"
    echo "$kinds" > "${RESULTS:-$T}/rogue-kinds.txt"
    for z in east west; do
        curl -s "http://127.0.0.1:$(cat "$T/$z.port")/metrics" |
            grep '^ovn_ic_remote_rows_refused' | sed "s/^/$z: /"
    done

    # The rogue zone goes: both zones are exactly as before, with no
    # problem left.
    $ROGUE_ZONE clean "$T/icsb.sock" || fail "cannot remove the rogue rows"
    ic_sync
    for z in east west; do
        if ! (wait_until same_as_before "$z"); then
            diff "$T/$z.before" "$T/$z.after" || true
            fail "$z is not as it was before the storm"
        fi
        wait_until sh -c "! ovn-appctl -t '$T/$z-ic.ctl' problems/show |
                          grep -q ."
        kill -0 "$(cat "$T/$z-ic.pid")" || fail "$z's daemon is gone"
    done
}

# Transit switches scoped to zones (issue #11): a transit switch with
# other_config:availability-zones=Z1,Z2 exists only in the zones it names,
# and a zone mirrors only the gateways of the zones it shares a transit
# switch with.  Three zones: east, west and north.

# route_zones: the zones that advertise routes on ts1, sorted, on one line.
route_zones() {
    local az
    for az in $(icsbctl --bare --columns=availability_zone find Route \
                    transit_switch=ts1); do
        icsbctl --bare --columns=name list Availability_Zone "$az"
    done | sort -u | paste -sd' '
}

# internal_networks ZONE...: gives each zone's router r_ZONE an internal
# network 10.0.N.0/24 (N the zone's position in the list).
internal_networks() {
    local z i=1
    for z in "$@"; do
        nbctl "$z" lrp-add "r_$z" "lrp-r_$z-int" "aa:aa:aa:aa:bb:0$i" \
            "10.0.$i.1/24"
        i=$((i + 1))
    done
}

# A scoped switch appears only in the zones it names: the zone outside it
# neither creates the logical switch nor holds it up (the --wait=sb
# handshake completes, which needs every step of every zone complete).
test_scoped_switch_only_in_named_zones() {
    gateway_zones east west north
    scoped_ts_add ts1 east,west
    icnbctl ts-add ts2
    wait_ts ts1 east west
    wait_eq 1 has_ls north ts2
    ic_sync
    check_eq 0 has_ls north ts1
    check_eq 1 has_ls east ts1
    check_eq 1 has_ls west ts1
    ts_zone_routers ts1 east west
    wait_eq '["aa:aa:aa:aa:aa:02 169.254.100.2/24"]' \
        nbctl east get Logical_Switch_Port lsp-ts1-r_west addresses
    ic_sync
    check_eq 0 has_ls north ts1
    check_eq 0 count_rows nbctl north find Logical_Switch_Port type=remote
    # Widening the scope brings it to north.
    ts_scope ts1 east,west,north
    wait_eq 1 has_ls north ts1
    wait_eq '["aa:aa:aa:aa:aa:01 169.254.100.1/24"]' \
        nbctl north get Logical_Switch_Port lsp-ts1-r_east addresses
    # A scope that names no zone is in none, and listed.
    ts_scope ts2 " , "
    wait_eq 0 has_ls east ts2
    wait_until grep -q "ts2: other_config:availability-zones names no" \
        "$T/east-ic.log"
    ic_ctl east problems/show | grep -q "^transit-switch: ts2:" ||
        fail "problems/show: $(ic_ctl east problems/show)"
    # Dropping the key makes it unscoped: everywhere again.
    icnbctl remove Transit_Switch ts2 other_config availability-zones
    wait_eq 1 has_ls east ts2
    wait_eq 1 has_ls north ts2
}

# Narrowing the scope takes the switch away from the dropped zone: its
# logical switch, its published port, the remote ports and routes it
# learned, and, in the other zones, its port and the routes learned from
# it.
test_narrowing_scope_removes_zone() {
    gateway_zones east west north
    route_zones_learning east west north
    scoped_ts_add ts1 east,west,north
    wait_ts ts1 east west north
    ts_zone_routers ts1 east west north
    internal_networks east west north
    wait_eq "10.0.2.1/24 10.0.3.1/24" learned east
    wait_eq "10.0.1.1/24 10.0.2.1/24" learned north
    wait_eq "east north west" route_zones

    ts_scope ts1 east,west
    wait_eq 0 has_ls north ts1
    wait_eq "" isb_pb lsp-ts1-r_north _uuid
    wait_eq 0 count_rows nbctl east find Logical_Switch_Port \
        name=lsp-ts1-r_north
    wait_eq "10.0.2.1/24" learned east
    wait_eq "10.0.1.1/24" learned west
    wait_eq "" learned north
    wait_eq "east west" route_zones
    ic_sync
    check_eq "10.0.2.1/24" learned east
    check_eq "" learned north
    # The router port stays: only what the daemon made goes.
    check_eq '["169.254.100.3/24"]' \
        nbctl north get Logical_Router_Port lrp-r_north-ts1 networks
}

# A port that a zone outside the scope binds on the switch is refused:
# not mirrored, logged once and listed in problems/show.  Its zone is a
# rogue one that no daemon runs, as in tests/ic-rogue.sh.
test_out_of_scope_port_refused() {
    gateway_zones east west
    scoped_ts_add ts1 east,west
    wait_ts ts1 east west
    ts_zone_routers ts1 east west
    local rogue
    rogue=$(icsbctl create Availability_Zone name=rogue)
    icsbctl create Port_Binding logical_port=lsp-rogue transit_switch=ts1 \
        availability_zone="$rogue" tunnel_key=77 gateway=gw_rogue \
        address='"aa:aa:aa:aa:aa:77 169.254.100.77/24"' \
        type=transit-switch-port > /dev/null
    for z in east west; do
        wait_until sh -c "ovn-appctl -t '$T/$z-ic.ctl' problems/show |
            grep -q '^port: lsp-rogue: port of availability zone rogue on transit switch ts1 refused: the switch.s scope'"
    done
    # The pass that listed it would have mirrored it.  (No ic_sync here:
    # the rogue zone, which no daemon runs, never answers the handshake.)
    check_eq 0 count_rows nbctl east find Logical_Switch_Port name=lsp-rogue
    check_eq 0 count_rows nbctl west find Logical_Switch_Port name=lsp-rogue
    check_eq 1 grep -c "lsp-rogue.*refused" "$T/east-ic.log"
    # The same port on an unscoped switch is mirrored as usual.
    transit_switch_add ts2 east west
    icsbctl set Port_Binding "$(isb_pb lsp-rogue _uuid)" transit_switch=ts2
    wait_eq 1 count_rows nbctl east find Logical_Switch_Port name=lsp-rogue
    wait_until sh -c "! ovn-appctl -t '$T/east-ic.ctl' problems/show |
        grep -q lsp-rogue"
}

# A zone mirrors the gateways of the zones it shares a transit switch with,
# and only those, while some switch is scoped; with no switch, or with an
# unscoped one, every zone mirrors every other's (upstream's full mesh).
test_remote_chassis_only_for_sharing_zones() {
    gateway_zones east west north
    # No switch at all: the full mesh, as upstream.
    wait_eq 1 has_chassis east gw_north
    wait_eq 1 has_chassis north gw_east
    wait_eq 1 has_chassis west gw_east

    scoped_ts_add ts1 east,west
    scoped_ts_add ts2 west,north
    wait_eq 0 has_chassis east gw_north
    wait_eq 0 has_chassis north gw_east
    ic_sync
    check_eq 1 has_chassis east gw_west
    check_eq 1 has_chassis west gw_east
    check_eq 1 has_chassis west gw_north
    check_eq 1 has_chassis north gw_west
    check_eq 0 has_chassis east gw_north
    check_eq 0 has_chassis north gw_east
    # Each keeps its own gateway.
    check_eq 1 has_chassis east gw_east
    check_eq 1 has_chassis north gw_north

    # An unscoped switch restores the full mesh...
    icnbctl ts-add ts3
    wait_eq 1 has_chassis east gw_north
    wait_eq 1 has_chassis north gw_east
    # ...until it goes.
    icnbctl ts-del ts3
    wait_eq 0 has_chassis east gw_north
    wait_eq 0 has_chassis north gw_east

    # Scoping ts2 to every zone shares it between east and north too.
    ts_scope ts2 west,north,east
    wait_eq 1 has_chassis east gw_north
    wait_eq 1 has_chassis north gw_east
}

# A zone that runs Debian's daemon knows nothing of scopes: it creates the
# switch and publishes its port, and the zones inside the scope refuse the
# port while they mirror each other's.
test_upstream_zone_outside_scope_refused() {
    IC_KIND_north=upstream gateway_zones east west north
    scoped_ts_add ts1 east,west
    wait_ts ts1 east west north
    ts_zone_routers ts1 east west north
    wait_eq '["aa:aa:aa:aa:aa:02 169.254.100.2/24"]' \
        nbctl east get Logical_Switch_Port lsp-ts1-r_west addresses
    wait_until test -n "$(isb_pb lsp-ts1-r_north _uuid)"
    for z in east west; do
        wait_until sh -c "ovn-appctl -t '$T/$z-ic.ctl' problems/show |
            grep -q '^port: lsp-ts1-r_north: port of availability zone north on transit switch ts1 refused'"
        check_eq 0 count_rows nbctl "$z" find Logical_Switch_Port \
            name=lsp-ts1-r_north
        check_eq 0 has_chassis "$z" gw_north
    done
    check_eq 1 has_chassis west gw_east
    # Debian's daemon mirrors every port and every gateway.
    wait_eq '["aa:aa:aa:aa:aa:01 169.254.100.1/24"]' \
        nbctl north get Logical_Switch_Port lsp-ts1-r_east addresses
}

# Transit switch ports managed in IC-NB on a scoped switch: one without a
# chassis is published (by the global writer, whichever zone it is in) and
# mirrored in the zones of the scope; one whose chassis is in a zone
# outside the scope is not published, and that zone lists it.
test_transit_switch_ports_on_scoped_switch() {
    # North starts first, so that its daemon is likely the global writer.
    gateway_zones north east west
    scoped_ts_add ts1 east,west
    wait_ts ts1 east west
    icnbctl tsp-add ts1 tsp0 type=router
    icnbctl tsp-add ts1 tspe type=router chassis=gw_east
    icnbctl tsp-add ts1 tspn type=router chassis=gw_north
    wait_eq transit-switch-port isb_pb tsp0 type
    wait_eq gw_east isb_pb tspe gateway
    local z
    for z in east west; do
        wait_eq tsp0 lsp_option "$z" tsp0 interconn-tsp
    done
    wait_eq remote nbctl west get Logical_Switch_Port tspe type
    wait_until sh -c "ovn-appctl -t '$T/north-ic.ctl' problems/show |
        grep -q '^port: tspn: its chassis gw_north is in this zone, which the scope of transit switch ts1 does not include'"
    ic_sync
    check_eq "" isb_pb tspn _uuid
    check_eq 0 has_ls north ts1
    check_eq 0 count_rows nbctl north list Logical_Switch_Port
    # In scope again, north publishes it.
    ts_scope ts1 east,west,north
    wait_eq gw_north isb_pb tspn gateway
    wait_eq remote nbctl east get Logical_Switch_Port tspn type
    # Out again, north withdraws it.
    ts_scope ts1 east,west
    wait_eq "" isb_pb tspn _uuid
    wait_eq 0 count_rows nbctl east find Logical_Switch_Port name=tspn
    ic_sync
}

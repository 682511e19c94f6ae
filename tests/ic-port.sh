# Transit switch ports: the reference scenario's port bindings.  The
# topology builders (reference_topology, gateway_zones, ...) are in
# tests/lib.sh.

test_reference_ports() {
    reference_topology
    ic_sync
    wait_reference_ports

    # IC-SB holds both ports with their address, gateway and zone.
    check_eq "aa:aa:aa:aa:aa:01 169.254.100.1/24" icsbctl --bare \
        --columns=address find Port_Binding logical_port=lsp-ts1-router_east
    check_eq gw_east icsbctl --bare --columns=gateway find Port_Binding \
        logical_port=lsp-ts1-router_east
    check_eq gw_west icsbctl --bare --columns=gateway find Port_Binding \
        logical_port=lsp-ts1-router_west
    local lr
    lr=$(nbctl east --bare --columns=_uuid find Logical_Router \
         name=router_east)
    check_eq "\"$lr\"" icsbctl get Port_Binding \
        "$(icsbctl --bare --columns=_uuid find Port_Binding \
           logical_port=lsp-ts1-router_east)" external_ids:router-id

    # East sees west's port as a remote port with the same key.
    check_eq remote nbctl east get Logical_Switch_Port lsp-ts1-router_west type
    local key
    key=$(icsbctl --bare --columns=tunnel_key find Port_Binding \
          logical_port=lsp-ts1-router_west)
    check_eq "\"$key\"" nbctl west get Logical_Switch_Port \
        lsp-ts1-router_west options:requested-tnl-key
    check_eq "\"$key\"" nbctl east get Logical_Switch_Port \
        lsp-ts1-router_west options:requested-tnl-key
    # Keys differ between the two ports of one switch.
    check_eq 2 count_distinct icsbctl tunnel_key Port_Binding

    # The remote port is bound to the remote gateway's chassis.
    zone_sync east
    local gw
    gw=$(sbctl east --bare --columns=_uuid find Chassis name=gw_west)
    wait_eq "$gw" sbctl east --bare --columns=chassis find Port_Binding \
        logical_port=lsp-ts1-router_west

    # ovn-ic-sbctl show lists both zones with their gateway and port.
    icsbctl show > "$T/show"
    grep -q "availability-zone east" "$T/show" || fail "no east in show"
    grep -q "availability-zone west" "$T/show" || fail "no west in show"
    grep -q "port lsp-ts1-router_west" "$T/show" || fail "no port in show"
    nbctl east show | grep -q 'addresses: \["aa:aa:aa:aa:aa:02 169.254.100.2/24"\]' ||
        fail "east's ovn-nbctl show lacks the remote address"
}

test_port_changes_propagate_and_withdraw() {
    reference_topology
    ic_sync
    wait_reference_ports

    # A new MAC and network on the router port reach the other zone.
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        mac='"aa:aa:aa:aa:aa:22"' networks='"169.254.100.22/24"'
    zone_sync west
    ic_sync
    check_eq '["aa:aa:aa:aa:aa:22 169.254.100.22/24"]' \
        nbctl east get Logical_Switch_Port lsp-ts1-router_west addresses

    # Moving the gateway rebinds the remote port.
    fake_gateway west gw_west2 192.168.0.3
    sbctl west lsp-unbind cr-lrp-router_west-ts1
    sbctl west lsp-bind cr-lrp-router_west-ts1 gw_west2
    ic_sync
    check_eq gw_west2 icsbctl --bare --columns=gateway find Port_Binding \
        logical_port=lsp-ts1-router_west
    local gw
    gw=$(sbctl east --bare --columns=_uuid find Chassis name=gw_west2)
    wait_eq "$gw" sbctl east --bare --columns=chassis find Port_Binding \
        logical_port=lsp-ts1-router_west

    # Deleting the switch port withdraws it from IC-SB and from east.
    nbctl west lsp-del lsp-ts1-router_west
    ic_sync
    check_eq 0 count_rows icsbctl find Port_Binding \
        logical_port=lsp-ts1-router_west
    check_eq 0 count_rows nbctl east find Logical_Switch_Port \
        name=lsp-ts1-router_west

    # Deleting the transit switch removes the remaining port binding.
    icnbctl ts-del ts1
    ic_sync
    check_eq 0 count_rows icsbctl list Port_Binding
}

test_remote_port_with_requested_chassis_left_to_northd() {
    reference_topology
    ic_sync
    wait_reference_ports
    nbctl east set Logical_Switch_Port lsp-ts1-router_west \
        options:requested-chassis=gw_west
    zone_sync east
    sbctl east lsp-unbind lsp-ts1-router_west
    ic_sync
    # The daemon leaves it alone.  Northd 23.09 and later bind it to the
    # requested chassis themselves; 23.03's leaves it unbound.
    local expected=""
    [ "$TEST_OVN" = current ] &&
        expected=$(sbctl east --bare --columns=_uuid find Chassis name=gw_west)
    wait_eq "$expected" sbctl east --bare --columns=chassis find \
        Port_Binding logical_port=lsp-ts1-router_west
}

test_three_zones_see_each_other() {
    gateway_zones z1 z2 z3
    transit_switch_add ts1 z1 z2 z3
    ts_zone_routers ts1 z1 z2 z3
    ic_sync
    local z
    check_eq 3 count_rows icsbctl list Port_Binding
    check_eq 3 count_distinct icsbctl tunnel_key Port_Binding
    for z in z1 z2 z3; do
        check_eq 2 count_rows nbctl $z find Logical_Switch_Port type=remote
        check_eq 2 count_rows sbctl $z find Chassis \
            other_config:is-remote=true
    done
    check_eq '["aa:aa:aa:aa:aa:03 169.254.100.3/24"]' \
        nbctl z1 get Logical_Switch_Port lsp-ts1-r_z3 addresses
}

# Transit switch ports managed in IC-NB ("ovn-ic-nbctl tsp-add"): the zone
# of the port's chassis publishes it (the global writer one without a
# chassis), and every zone mirrors it, as "remote" where the chassis is
# another zone's.  They live alongside ports created in NB.
test_transit_switch_ports_from_ic_nb() {
    reference_topology
    ic_sync
    wait_reference_ports

    icnbctl tsp-add ts1 tsp1 type=router chassis=gw_east peer=lrp-tsp1
    icnbctl tsp-set-addr tsp1 "aa:aa:aa:aa:aa:11 169.254.100.11/24"
    wait_eq gw_east isb_pb tsp1 gateway
    local east_az
    east_az=$(icsbctl --bare --columns=_uuid find Availability_Zone \
              name=east)
    check_eq "$east_az" isb_pb tsp1 availability_zone
    check_eq "aa:aa:aa:aa:aa:11 169.254.100.11/24" isb_pb tsp1 address
    check_eq transit-switch-port isb_pb tsp1 type
    local key
    key=$(isb_pb tsp1 tunnel_key)
    wait_eq remote nbctl west get Logical_Switch_Port tsp1 type
    check_eq router nbctl east get Logical_Switch_Port tsp1 type
    local z
    for z in east west; do
        check_eq tsp1 lsp_option $z tsp1 interconn-tsp
        check_eq gw_east lsp_option $z tsp1 requested-chassis
        check_eq "$key" lsp_option $z tsp1 requested-tnl-key
        check_eq '["aa:aa:aa:aa:aa:11 169.254.100.11/24"]' \
            nbctl $z get Logical_Switch_Port tsp1 addresses
    done
    check_eq lrp-tsp1 lsp_option east tsp1 router-port
    # West binds it to the gateway (northd 23.03 does not for remote
    # ports with requested-chassis).
    zone_sync west
    local gw
    gw=$(sbctl west --bare --columns=_uuid find Chassis name=gw_east)
    wait_eq "$gw" sbctl west --bare --columns=chassis find Port_Binding \
        logical_port=tsp1
    # The ports created in NB are still published, with distinct keys.
    check_eq gw_east isb_pb lsp-ts1-router_east gateway
    check_eq 3 count_distinct icsbctl tunnel_key Port_Binding

    # An address change reaches IC-SB and both mirrors.
    icnbctl tsp-set-addr tsp1 "aa:aa:aa:aa:aa:12 169.254.100.12/24"
    wait_eq "aa:aa:aa:aa:aa:12 169.254.100.12/24" isb_pb tsp1 address
    wait_eq '["aa:aa:aa:aa:aa:12 169.254.100.12/24"]' \
        nbctl west get Logical_Switch_Port tsp1 addresses

    # A port without a chassis: the global writer publishes it with no
    # gateway, and both zones mirror it with its own type.
    icnbctl tsp-add ts1 tsp2
    icnbctl tsp-set-addr tsp2 "aa:aa:aa:aa:aa:21 169.254.100.21/24"
    wait_eq "aa:aa:aa:aa:aa:21 169.254.100.21/24" isb_pb tsp2 address
    check_eq "" isb_pb tsp2 gateway
    for z in east west; do
        wait_eq '""' nbctl $z get Logical_Switch_Port tsp2 type
        check_eq '["aa:aa:aa:aa:aa:21 169.254.100.21/24"]' \
            nbctl $z get Logical_Switch_Port tsp2 addresses
    done

    # Its chassis moves to west: west publishes it, east mirrors it.
    icnbctl set Transit_Switch_Port tsp1 chassis=gw_west
    local west_az
    west_az=$(icsbctl --bare --columns=_uuid find Availability_Zone \
              name=west)
    wait_eq "$west_az" isb_pb tsp1 availability_zone
    wait_eq gw_west isb_pb tsp1 gateway
    wait_eq remote nbctl east get Logical_Switch_Port tsp1 type
    wait_eq router nbctl west get Logical_Switch_Port tsp1 type

    # Moved back while west's daemon is paused: east reports that west
    # still holds it, and takes it once west lets go.
    ic_ctl west pause
    icnbctl set Transit_Switch_Port tsp1 chassis=gw_east
    wait_until eval 'ic_ctl east problems/show | grep -q "tsp1.*zone west still publishes"'
    ic_ctl west resume
    wait_eq "$east_az" isb_pb tsp1 availability_zone
    wait_until eval '! ic_ctl east problems/show | grep -q tsp1'

    # A transit switch port named like a port created in NB is reported
    # and not mirrored; the NB port is still published.
    icnbctl tsp-add ts1 lsp-ts1-router_east chassis=gw_east
    ic_sync
    wait_until eval 'ic_ctl east problems/show | grep -q "lsp-ts1-router_east.*taken"'
    check_eq gw_east isb_pb lsp-ts1-router_east gateway
    check_eq router nbctl east get Logical_Switch_Port lsp-ts1-router_east \
        type
    icnbctl tsp-del lsp-ts1-router_east

    # Deleted: its binding and both mirrors go; the switch stays.
    icnbctl tsp-del tsp1
    icnbctl tsp-del tsp2
    ic_sync
    wait_eq "" isb_pb tsp1 _uuid
    wait_eq "" isb_pb tsp2 _uuid
    for z in east west; do
        wait_eq "" nbctl $z --bare --columns=name find Logical_Switch_Port \
            options:interconn-tsp!=x
    done
    check_eq ts1 nbctl east --bare --columns=name find Logical_Switch \
        name=ts1
    check_eq 2 count_rows icsbctl list Port_Binding
}

# The --wait=sb handshake moves every zone's nb_ic_cfg; the steps that
# read zones only for their names do not run for it.
test_handshake_runs_no_sync_step() {
    reference_topology
    ic_sync
    wait_reference_ports
    ic_sync
    local before after s
    before=$(for s in transit-switch gateway port; do
                 step_runs east $s; done | paste -sd' ')
    ic_sync
    ic_sync
    after=$(for s in transit-switch gateway port; do
                step_runs east $s; done | paste -sd' ')
    check_eq "$before" echo "$after"
}

# A port created in NB moves to another transit switch in one transaction:
# its binding is published afresh on the new switch (the daemon deleted the
# old one twice and aborted before).
test_port_moved_to_another_transit_switch() {
    reference_topology
    ic_sync
    wait_reference_ports
    icnbctl ts-add ts2
    wait_until nbctl east get Logical_Switch ts2 other_config:requested-tnl-key
    wait_until nbctl west get Logical_Switch ts2 other_config:requested-tnl-key
    local lsp pid
    lsp=$(nbctl east --bare --columns=_uuid find Logical_Switch_Port \
          name=lsp-ts1-router_east)
    nbctl east -- remove Logical_Switch ts1 ports "$lsp" \
        -- add Logical_Switch ts2 ports "$lsp"
    wait_eq ts2 isb_pb lsp-ts1-router_east transit_switch
    pid=$(cat "$T/east-ic.pid")
    kill -0 "$pid" || fail "east's daemon died"
    ic_sync
    check_eq 1 count_rows icsbctl find Port_Binding \
        logical_port=lsp-ts1-router_east
    wait_until eval 'nbctl west show ts2 | grep -q lsp-ts1-router_east'
    check_eq remote nbctl west get Logical_Switch_Port lsp-ts1-router_east \
        type
}

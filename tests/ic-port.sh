# Transit switch ports: the reference scenario's port bindings.

# reference_topology: east and west, each with a gateway and a router on
# ts1, as in the README's reference scenario.
reference_topology() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east "${EAST_IC:-ours}"
    ic_start west "${WEST_IC:-ours}"
    fake_gateway east gw_east 192.168.0.1
    fake_gateway west gw_west 192.168.0.2
    icnbctl ts-add ts1
    wait_until nbctl east get Logical_Switch ts1 other_config:requested-tnl-key
    wait_until nbctl west get Logical_Switch ts1 other_config:requested-tnl-key
    zone_router east router_east aa:aa:aa:aa:aa:01 169.254.100.1/24 ts1 gw_east
    zone_router west router_west aa:aa:aa:aa:aa:02 169.254.100.2/24 ts1 gw_west
}

# wait_reference_ports: waits until each zone sees the other's port.
wait_reference_ports() {
    wait_eq '["aa:aa:aa:aa:aa:02 169.254.100.2/24"]' \
        nbctl east get Logical_Switch_Port lsp-ts1-router_west addresses
    wait_eq '["aa:aa:aa:aa:aa:01 169.254.100.1/24"]' \
        nbctl west get Logical_Switch_Port lsp-ts1-router_east addresses
}

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
    check_eq "" sbctl east --bare --columns=chassis find Port_Binding \
        logical_port=lsp-ts1-router_west
}

test_three_zones_see_each_other() {
    ic_dbs_start
    local z i=1
    for z in z1 z2 z3; do
        zone_start $z
        ic_start $z
        fake_gateway $z gw_$z 192.168.0.$i
        i=$((i + 1))
    done
    icnbctl ts-add ts1
    ic_sync
    i=1
    for z in z1 z2 z3; do
        zone_router $z r_$z aa:aa:aa:aa:aa:0$i 169.254.100.$i/24 ts1 gw_$z
        i=$((i + 1))
    done
    ic_sync
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

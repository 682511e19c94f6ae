# Transit routers (IC-NB Transit_Router and Transit_Router_Port): the
# global writer's keys, every zone's NB routers and ports, and the owning
# zone's IC-SB port bindings.  Debian's 23.03 northd does not make remote
# router ports, so these tests stay at the database level.

# tr_dp COLUMN: a column of the IC-SB binding of the only transit router.
tr_dp() {
    icsbctl --bare --columns="$1" find Datapath_Binding type=transit-router
}

# lrp_get ZONE PORT COLUMN: a column of a router port, unquoted.
lrp_get() {
    nbctl "$1" get Logical_Router_Port "$2" "$3" | tr -d '"'
}

test_transit_router_keys_and_routers() {
    gateway_zones east west
    check icnbctl ts-add ts1
    check icnbctl tr-add tr1
    ic_sync

    # One binding, of the router's IC-NB row, with a key of the global
    # range that the transit switch does not hold.
    check_eq 1 count_rows icsbctl find Datapath_Binding type=transit-router
    check_eq "$(icnbctl --bare --columns=_uuid find Transit_Router \
                name=tr1)" tr_dp nb_ic_uuid
    local key ts_key
    key=$(tr_dp tunnel_key)
    ts_key=$(icsbctl --bare --columns=tunnel_key find Datapath_Binding \
             transit_switch=ts1)
    [ "$key" -ge 16711681 ] && [ "$key" -le 16777215 ] ||
        fail "router key $key is not in the global range"
    [ "$key" != "$ts_key" ] || fail "router and switch share key $key"

    # Each zone has the router, marked, with the key.
    local z
    for z in east west; do
        check_eq tr1 nbctl "$z" get Logical_Router tr1 options:interconn-tr
        check_eq "\"$key\"" nbctl "$z" get Logical_Router tr1 \
            options:requested-tnl-key
    done
    zone_sync east
    check_eq "$key" sbctl east --bare --columns=tunnel_key find \
        Datapath_Binding external_ids:name=tr1

    # A router made by hand, and a marked router whose transit router is
    # gone.
    check nbctl east lr-add r_hand
    check nbctl east create Logical_Router name=stale \
        options:interconn-tr=stale
    ic_sync
    check_eq 1 count_rows nbctl east find Logical_Router name=r_hand
    check_eq 0 count_rows nbctl east find Logical_Router name=stale

    # Deleting the transit router releases its key and its routers.
    check icnbctl tr-del tr1
    ic_sync
    check_eq 0 count_rows icsbctl find Datapath_Binding type=transit-router
    check_eq 1 count_rows icsbctl list Datapath_Binding
    for z in east west; do
        check_eq 0 count_rows nbctl "$z" find Logical_Router name=tr1
    done
    check_eq 1 count_rows nbctl east find Logical_Router name=r_hand
}

test_transit_router_ports() {
    gateway_zones east west
    check icnbctl tr-add tr1
    check icnbctl trp-add tr1 p_west 00:00:00:11:22:02 10.0.0.2/24 \
        10.0.1.2/24 10.0.0.2/24 chassis=gw_west
    check icnbctl trp-add tr1 p_east 00:00:00:11:22:01 10.0.0.1/24 \
        chassis=gw_east
    ic_sync

    # Each port is published by the zone of its chassis.
    check_eq west icsbctl --bare --columns=name list Availability_Zone \
        "$(isb_pb p_west availability_zone)"
    check_eq east icsbctl --bare --columns=name list Availability_Zone \
        "$(isb_pb p_east availability_zone)"
    check_eq transit-router-port isb_pb p_west type
    check_eq tr1 isb_pb p_west transit_switch
    check_eq 00:00:00:11:22:02 isb_pb p_west address
    check_eq "$(icnbctl --bare --columns=_uuid find Transit_Router \
                name=tr1)" isb_pb p_west nb_ic_uuid
    check_eq 2 count_distinct icsbctl tunnel_key Port_Binding

    # Both zones have both ports, with MAC, networks once each, chassis
    # and key.
    local z key
    key=$(isb_pb p_west tunnel_key)
    for z in east west; do
        check_eq p_west lrp_get "$z" p_west options:interconn-tr
        check_eq gw_west lrp_get "$z" p_west options:requested-chassis
        check_eq "$key" lrp_get "$z" p_west options:requested-tnl-key
        check_eq 00:00:00:11:22:02 lrp_get "$z" p_west mac
        check_eq '[10.0.0.2/24, 10.0.1.2/24]' lrp_get "$z" p_west networks
        check_eq 2 count_rows nbctl "$z" list Logical_Router_Port
    done

    # Changes to the port reach every zone.
    check icnbctl set Transit_Router_Port p_west mac='"00:00:00:11:22:22"' \
        networks='"10.0.2.2/24"'
    ic_sync
    check_eq 00:00:00:11:22:22 isb_pb p_west address
    for z in east west; do
        check_eq 00:00:00:11:22:22 lrp_get "$z" p_west mac
        check_eq '[10.0.2.2/24]' lrp_get "$z" p_west networks
    done

    # Router ports added by hand are left alone; a port whose name such a
    # port holds is not mirrored, and is listed as a problem.
    check nbctl east lrp-add tr1 lrp-hand 00:00:00:00:00:99 10.9.9.9/24
    check nbctl east lr-add r_hand -- \
        lrp-add r_hand p_taken 00:00:00:00:00:98 10.9.8.9/24
    check icnbctl trp-add tr1 p_taken 00:00:00:11:22:03 10.0.0.3/24 \
        chassis=gw_east
    ic_sync
    check_eq 00:00:00:00:00:99 lrp_get east lrp-hand mac
    check_eq 00:00:00:00:00:98 lrp_get east p_taken mac
    ic_ctl east problems/show | grep -q "p_taken" ||
        fail "no problem listed for p_taken"

    # Deleting a port withdraws its binding and its router ports.
    check icnbctl trp-del p_west
    ic_sync
    check_eq 0 count_rows icsbctl find Port_Binding logical_port=p_west
    for z in east west; do
        check_eq 0 count_rows nbctl "$z" find Logical_Router_Port \
            name=p_west
    done
    check_eq 1 count_rows nbctl east find Logical_Router_Port name=lrp-hand

    # Deleting the router withdraws every binding of its ports.
    check icnbctl tr-del tr1
    ic_sync
    check_eq 0 count_rows icsbctl find Port_Binding type=transit-router-port
    check_eq 0 count_rows nbctl west list Logical_Router
    check_eq 1 count_rows nbctl east find Logical_Router name=r_hand
}

test_transit_router_remote_port_waits_for_its_owner() {
    gateway_zones east west
    check icnbctl tr-add tr1
    ic_sync
    # A chassis no zone knows: nobody publishes the port, so no zone has
    # it.
    check icnbctl trp-add tr1 p1 00:00:00:11:22:01 10.0.0.1/24 \
        chassis=nowhere
    ic_sync
    check_eq 0 count_rows icsbctl find Port_Binding logical_port=p1
    check_eq 0 count_rows nbctl east find Logical_Router_Port name=p1
    # Once it is a gateway of west, west publishes it and both have it.
    fake_gateway west nowhere 192.168.0.9
    ic_sync
    wait_eq west eval 'icsbctl --bare --columns=name list Availability_Zone \
        "$(isb_pb p1 availability_zone)"'
    ic_sync
    check_eq nowhere lrp_get east p1 options:requested-chassis
    check_eq nowhere lrp_get west p1 options:requested-chassis
}

test_transit_router_port_moves_between_zones() {
    gateway_zones east west
    check icnbctl tr-add tr1
    check icnbctl trp-add tr1 p1 00:00:00:11:22:01 10.0.0.1/24 \
        chassis=gw_west
    ic_sync
    local uuid
    uuid=$(isb_pb p1 _uuid)
    [ -n "$uuid" ] || fail "p1 not published"

    # The chassis moves to east: west withdraws, east publishes.
    check icnbctl set Transit_Router_Port p1 chassis=gw_east
    ic_sync
    wait_eq east eval 'icsbctl --bare --columns=name list Availability_Zone \
        "$(isb_pb p1 availability_zone)"'
    ic_sync
    check_eq 1 count_rows icsbctl find Port_Binding logical_port=p1
    local z key
    key=$(isb_pb p1 tunnel_key)
    for z in east west; do
        check_eq gw_east lrp_get "$z" p1 options:requested-chassis
        check_eq "$key" lrp_get "$z" p1 options:requested-tnl-key
    done
}

test_transit_router_port_without_chassis() {
    gateway_zones east west
    check icnbctl tr-add tr1
    check icnbctl trp-add tr1 p1 00:00:00:11:22:01 10.0.0.1/24 \
        chassis=gw_east
    check icnbctl set Transit_Router_Port p1 chassis='""'
    ic_sync
    # The global writer's zone publishes it, once.
    check_eq 1 count_rows icsbctl find Port_Binding logical_port=p1
    local z
    for z in east west; do
        check_eq 1 count_rows nbctl "$z" find Logical_Router_Port name=p1
        nbctl "$z" get Logical_Router_Port p1 options |
            grep -q requested-chassis && fail "p1 has a chassis in $z"
    done
    check icnbctl trp-del p1
    ic_sync
    check_eq 0 count_rows icsbctl find Port_Binding logical_port=p1
}

test_transit_router_keys_in_vxlan_mode() {
    ic_dbs_start
    zone_start east
    ic_start east
    check sbctl east chassis-add gw_east vxlan 192.168.0.1
    check sbctl east set Chassis gw_east other_config:is-interconn=true
    check icnbctl set IC_NB_Global . options:vxlan_mode=true
    check icnbctl ts-add ts1
    check icnbctl tr-add tr1
    ic_sync
    # Switch keys move to the VXLAN range; router keys never do.
    local ts_key key
    ts_key=$(icsbctl --bare --columns=tunnel_key find Datapath_Binding \
             transit_switch=ts1)
    key=$(tr_dp tunnel_key)
    [ "$ts_key" -le 4095 ] || fail "switch key $ts_key not in VXLAN range"
    [ "$key" -ge 16711681 ] || fail "router key $key in the VXLAN range"
}

test_transit_routers_off_with_debians_ic_schemas() {
    ic_dbs_start "$DEBIAN_OVN_SCHEMAS"
    zone_start east
    ic_start east
    check nbctl east create Logical_Router name=tr1 options:interconn-tr=tr1
    check icnbctl ts-add ts1
    wait_until nbctl east get Logical_Switch ts1 \
        other_config:requested-tnl-key
    wait_until grep -q "transit routers are off" "$T/east-ic.log"
    [ "$(grep -c "transit routers are off" "$T/east-ic.log")" = 1 ] ||
        fail "more than one log line"
    check_eq 1 count_rows nbctl east find Logical_Router name=tr1
    check_eq "Status: active" ic_ctl east status
}

# Gateways: local is-interconn chassis to IC-SB, other zones' to SB.

test_gateways_mirrored_both_ways() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    fake_gateway east gw_east 192.168.0.1
    fake_gateway west gw_west 192.168.0.2
    sbctl east chassis-add worker_east geneve 192.168.0.11
    ic_sync

    check_eq "gw_east
gw_west" sorted_values icsbctl name Gateway
    check_eq '"true"' sbctl east get Chassis gw_west other_config:is-remote
    check_eq "192.168.0.2" sbctl east --bare --columns=ip find Encap \
        chassis_name=gw_west
    check_eq "geneve" sbctl east --bare --columns=type find Encap \
        chassis_name=gw_west
    check_eq '"true"' sbctl west get Chassis gw_east other_config:is-remote
    # A chassis that is not a gateway stays local.
    check_eq 0 count_rows sbctl west find Chassis name=worker_east

    # Encap changes propagate.
    sbctl east chassis-del gw_east
    sbctl east chassis-add gw_east vxlan 192.168.0.99
    sbctl east set Chassis gw_east other_config:is-interconn=true \
        hostname=gw_east
    ic_sync
    check_eq "192.168.0.99" sbctl west --bare --columns=ip find Encap \
        chassis_name=gw_east
    check_eq "vxlan" sbctl west --bare --columns=type find Encap \
        chassis_name=gw_east

    # Withdrawing is-interconn withdraws the gateway everywhere.
    sbctl east remove Chassis gw_east other_config is-interconn
    ic_sync
    check_eq 0 count_rows icsbctl find Gateway name=gw_east
    check_eq 0 count_rows sbctl west find Chassis name=gw_east
}

test_remote_chassis_removed_when_zone_gateway_goes() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    fake_gateway west gw_west 192.168.0.2
    ic_sync
    check_eq 1 count_rows sbctl east find Chassis name=gw_west
    sbctl west chassis-del gw_west
    ic_sync
    check_eq 0 count_rows sbctl east find Chassis name=gw_west
    check_eq 0 count_rows sbctl east find Encap chassis_name=gw_west
}

test_gateway_name_clash_is_reported_not_mirrored() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    # A local, non-gateway chassis in east has the name of west's gateway.
    sbctl east chassis-add gw_west geneve 10.0.0.5
    fake_gateway west gw_west 192.168.0.2
    ic_sync
    check_eq 10.0.0.5 sbctl east --bare --columns=ip find Encap \
        chassis_name=gw_west
    wait_until grep -q "gw_west.*name of a local chassis" "$T/east-ic.log"
    ic_ctl east problems/show | grep -q "gateway: gw_west" ||
        fail "problem not listed"
}

# Transit switches: NB logical switches and global datapath keys.

test_ts_add_creates_switch_in_every_zone() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west

    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows icsbctl list Datapath_Binding
    local key
    key=$(icsbctl --bare --columns=tunnel_key find Datapath_Binding \
          transit_switch=ts1)
    [ "$key" = 16711682 ] || fail "first key is $key, expected 16711682"
    for z in east west; do
        check_eq ts1 nbctl $z --bare --columns=name find Logical_Switch \
            other_config:interconn-ts=ts1
        check_eq "\"$key\"" nbctl $z get Logical_Switch ts1 \
            other_config:requested-tnl-key
        zone_sync $z
        check_eq "$key" sbctl $z --bare --columns=tunnel_key \
            find Datapath_Binding external_ids:name=ts1
    done

    icnbctl ts-del ts1
    ic_sync
    check_eq "" icsbctl --bare --columns=_uuid list Datapath_Binding
    for z in east west; do
        check_eq "" nbctl $z --bare --columns=name list Logical_Switch
    done
}

# ts_key TS: the transit switch's key in IC-SB.
ts_key() {
    icsbctl --bare --columns=tunnel_key find Datapath_Binding \
        transit_switch="$1"
}

# VXLAN mode (IC_NB_Global options:vxlan_mode=true with a VXLAN gateway
# somewhere) moves transit switch keys to 1024..4095, and back when it goes
# off; the zones' switches follow, with other_config:ic-vxlan_mode.
test_vxlan_mode() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    fake_gateway east gw_east 192.168.0.1
    icnbctl ts-add ts1
    ic_sync
    check_eq 16711682 ts_key ts1
    # Written on creation, "false" included, as upstream does (25.03+).
    local z
    for z in east west; do
        check_eq '"false"' nbctl $z get Logical_Switch ts1 \
            other_config:ic-vxlan_mode
    done

    # Asked for, but no gateway has a VXLAN encapsulation yet.
    icnbctl set IC_NB_Global . options:vxlan_mode=true
    ic_sync
    check_eq 16711682 ts_key ts1

    sbctl west chassis-add gw_west vxlan 192.168.0.2
    sbctl west set Chassis gw_west other_config:is-interconn=true
    ic_sync
    ic_sync
    check_eq 1025 ts_key ts1
    icnbctl ts-add ts2
    ic_sync
    check_eq 1026 ts_key ts2
    for z in east west; do
        check_eq '"1025"' nbctl $z get Logical_Switch ts1 \
            other_config:requested-tnl-key
        check_eq '"true"' nbctl $z get Logical_Switch ts2 \
            other_config:ic-vxlan_mode
        zone_sync $z
        check_eq 1025 sbctl $z --bare --columns=tunnel_key \
            find Datapath_Binding external_ids:name=ts1
    done

    # A requested key must be in the VXLAN range now.
    icnbctl set Transit_Switch ts2 other_config:requested-tnl-key=16711690
    ic_sync
    ic_ctl east problems/show | grep -q "ts2.*not a key in 1024..4095" ||
        ic_ctl west problems/show | grep -q "ts2.*not a key in 1024..4095" ||
        fail "out-of-range request not reported"
    icnbctl remove Transit_Switch ts2 other_config requested-tnl-key

    # Off again: keys back in the interconnection range.
    icnbctl remove IC_NB_Global . options vxlan_mode
    ic_sync
    ic_sync
    # The lowest free keys, as upstream allocates them: the same ones as
    # before VXLAN mode.
    check_eq "16711682 16711683" echo $(printf '%s\n' "$(ts_key ts1)" \
        "$(ts_key ts2)" | sort -n)
    check_eq '"false"' nbctl east get Logical_Switch ts1 \
        other_config:ic-vxlan_mode
    check_eq "\"$(ts_key ts2)\"" nbctl west get Logical_Switch ts2 \
        other_config:requested-tnl-key

    # A freed key is handed out again, as upstream does.
    local freed
    freed=$(ts_key ts1)
    icnbctl ts-del ts1
    ic_sync
    icnbctl ts-add ts3
    ic_sync
    check_eq "$freed" ts_key ts3
}

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

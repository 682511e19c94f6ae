# Availability zones: registration, rename in place, removal.

test_az_register_rename_clear() {
    ic_dbs_start
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    ic_sync
    check_eq "east
west" sorted_values icsbctl name Availability_Zone

    # A gateway keeps pointing at the same row through a rename.
    fake_gateway east gw_east 192.168.0.1
    ic_sync
    local az
    az=$(icsbctl --bare --columns=_uuid find Availability_Zone name=east)
    if [ "${IC_RBAC:-}" = 1 ]; then
        # With per-zone RBAC a zone's certificate names it: RBAC refuses
        # the rename (README: a renamed zone needs a new certificate), and
        # the daemon keeps the zone's rows as they were.
        nbctl east set NB_Global . name=east2
        wait_until grep -q "RBAC rules for client" "$T/east-ic.log"
        check_eq "$az" icsbctl --bare --columns=_uuid find \
            Availability_Zone name=east
        check_eq 1 count_rows icsbctl find Gateway name=gw_east
        return
    fi
    nbctl east set NB_Global . name=east2
    ic_sync
    check_eq "$az" icsbctl --bare --columns=_uuid find Availability_Zone \
        name=east2
    check_eq 0 count_rows icsbctl find Availability_Zone name=east
    check_eq "$az" icsbctl --bare --columns=availability_zone find Gateway \
        name=gw_east

    # Clearing the name removes the zone's row and nothing else.
    sbctl east chassis-del gw_east
    ic_sync
    nbctl east set NB_Global . name='""'
    wait_eq 0 count_rows icsbctl find Availability_Zone name=east2
    check_eq 1 count_rows icsbctl find Availability_Zone name=west
}

test_zone_without_name_does_nothing() {
    ic_dbs_start
    zone_start east
    nbctl east set NB_Global . name='""'
    ic_start east
    icnbctl ts-add ts1
    fake_gateway east gw_east 192.168.0.1
    wait_until grep -q "now active" "$T/east-ic.log"
    # Give the daemon a full pass over the new rows: a recompute it
    # acknowledges on the control socket runs after they arrived.
    ic_ctl east engine/recompute
    ic_ctl east engine/show > /dev/null
    check_eq 0 count_rows icsbctl list Availability_Zone
    check_eq 0 count_rows icsbctl list Gateway
    check_eq 0 count_rows nbctl east list Logical_Switch

    nbctl east set NB_Global . name=east
    ic_sync
    check_eq 1 count_rows icsbctl list Gateway
    check_eq 1 count_rows nbctl east list Logical_Switch
}

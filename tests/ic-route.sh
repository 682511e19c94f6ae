# Route exchange: advertising into IC-SB Route and learning into NB static
# routes, with upstream's option keys, plus the upstream bugs we must not
# have, the overlap reports we add and the refusal that
# options:ic-route-deny-overlap=true adds.

# lan ZONE ROUTER NAME MAC NETWORK...: a router port that is not on a
# transit switch, whose networks are "connected" routes.
lan() {
    local z=$1 lr=$2 name=$3 mac=$4
    shift 4
    nbctl "$z" lrp-add "$lr" "$name" "$mac" "$@"
}

# route_zones ZONE...: IC databases, and per zone its databases, northd,
# our daemon, a gateway, and route exchange switched on.  $ROUTE_IC_SCHEMAS,
# if set, is the directory of the IC schemas (ours otherwise).
route_zones() {
    ic_dbs_start "${ROUTE_IC_SCHEMAS:-}"
    local z i=1
    for z in "$@"; do
        zone_start "$z"
        ic_start "$z" "$(eval echo \${IC_KIND_$z:-ours})"
        fake_gateway "$z" "gw_$z" "192.168.0.$i"
        nbctl "$z" set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
        i=$((i + 1))
    done
}

# ts_add TS: a transit switch, present in every zone named in $ZONES.
ts_add() {
    icnbctl ts-add "$1"
    local z
    for z in $ZONES; do
        wait_until nbctl "$z" get Logical_Switch "$1" \
            other_config:requested-tnl-key
    done
}

# east_west: the reference scenario with LANs, dual-stack transit ports:
# east 192.168.1.0/24 + 2001:db8:1::/64, west 192.168.2.0/24 +
# 2001:db8:2::/64.
east_west() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_router_port east router_east aa:aa:aa:aa:aa:01 ts1 gw_east \
        169.254.100.1/24 2001:db8:100::1/64
    ts_router_port west router_west aa:aa:aa:aa:aa:02 ts1 gw_west \
        169.254.100.2/24 2001:db8:100::2/64
    lan east router_east lrp-east-lan aa:aa:aa:aa:bb:01 \
        192.168.1.1/24 2001:db8:1::1/64
    lan west router_west lrp-west-lan aa:aa:aa:aa:bb:02 \
        192.168.2.1/24 2001:db8:2::1/64
}

# route_sync: twice the handshake, so that what one zone advertised in the
# first round has been learned by every other zone in the second.
route_sync() {
    ic_sync
    ic_sync
}

# learned ZONE ROUTER: the router's learned routes, "PREFIX>NEXTHOP" plus
# "@TABLE" if not the main table, sorted, space-separated.
learned() {
    local z=$1 lr=$2 ids
    ids=$(nbctl "$z" get Logical_Router "$lr" static_routes | tr -d '[],')
    [ -n "$ids" ] || return 0
    nbctl "$z" --format=csv --data=bare --no-headings \
        --columns=_uuid,ip_prefix,nexthop,route_table,external_ids \
        list Logical_Router_Static_Route |
        awk -F, -v ids=" $ids " '
            index(ids, " " $1 " ") && /ic-learned-route=/ {
                s = $2 ">" $3; if ($4 != "") s = s "@" $4; print s
            }' | LC_ALL=C sort | paste -sd' '
}

# advertised ZONE: the zone's IC-SB routes, "TS:PREFIX>NEXTHOP:ORIGIN" plus
# "@TABLE" if not the main table, sorted, space-separated.
advertised() {
    local az
    az=$(icsbctl --bare --columns=_uuid find Availability_Zone name="$1")
    [ -n "$az" ] || return 0
    icsbctl --format=csv --data=bare --no-headings \
        --columns=transit_switch,ip_prefix,nexthop,origin,route_table \
        find Route availability_zone="$az" |
        awk -F, '{ s = $1 ":" $2 ">" $3 ":" $4; if ($5 != "") s = s "@" $5;
                   print s }' | LC_ALL=C sort | paste -sd' '
}

# passes ZONE: the number of engine passes of the zone's daemon.
passes() {
    ic_ctl "$1" engine/show | sed -n 's/^passes: \([0-9]*\),.*/\1/p'
}

# settled ZONE...: forces a full recompute in each zone, waits until the
# daemon is idle again, and prints the zones' commit counters.  A converged
# system prints the same counters every time.
settled() {
    local z p
    for z in "$@"; do
        p=$(passes "$z")
        ic_ctl "$z" engine/recompute
        wait_until test "$(passes "$z")" -gt "$p"
        # A recompute answered after the last one means it was processed.
        ic_ctl "$z" engine/recompute
        ic_ctl "$z" engine/show > /dev/null
    done
    for z in "$@"; do
        ic_commits "$z"
    done | paste -sd' '
}

EAST_V4="ts1:192.168.1.1/24>169.254.100.1:connected"
EAST_V6="ts1:2001:db8:1::1/64>2001:db8:100::1:connected"
WEST_V4="ts1:192.168.2.1/24>169.254.100.2:connected"
WEST_V6="ts1:2001:db8:2::1/64>2001:db8:100::2:connected"

test_connected_and_static_v4_v6() {
    east_west
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    nbctl east lr-route-add router_east 2001:db8:10::/48 2001:db8:1::10
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4 ts1:2001:db8:10::/48>2001:db8:100::1:static $EAST_V6" \
        advertised east
    check_eq "$WEST_V4 $WEST_V6" advertised west
    check_eq "10.10.0.0/16>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:10::/48>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    check_eq "192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east

    # The learned route names its IC-SB route and origin; the IC-SB route
    # names its source and router.
    local isb sr lr lrp
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=10.10.0.0/16)
    sr=$(nbctl west --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.10.0.0/16)
    check_eq "\"$isb\"" nbctl west get Logical_Router_Static_Route "$sr" \
        external_ids:ic-learned-route
    check_eq static nbctl west get Logical_Router_Static_Route "$sr" \
        options:origin
    lr=$(nbctl east --bare --columns=_uuid find Logical_Router \
         name=router_east)
    check_eq "\"$lr\"" icsbctl get Route "$isb" external_ids:lr-id
    lrp=$(nbctl east --bare --columns=_uuid find Logical_Router_Port \
          name=lrp-east-lan)
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=192.168.1.1/24)
    check_eq "\"$lrp\"" icsbctl get Route "$isb" external_ids:nb-id

    # Learned routes are not advertised back.
    check_eq "$WEST_V4 $WEST_V6" advertised west

    # Withdrawal: the static route and the LAN go, so do their routes.
    nbctl east lr-route-del router_east 10.10.0.0/16
    nbctl east lrp-del lrp-east-lan
    route_sync
    check_eq "ts1:2001:db8:10::/48>2001:db8:100::1:static" advertised east
    check_eq "2001:db8:10::/48>2001:db8:100::1" learned west router_west

    # A converged system writes nothing.
    local before
    before=$(settled east west)
    check_eq "$before" settled east west
}

test_toggles_and_defaults() {
    east_west
    nbctl east lr-route-add router_east 0.0.0.0/0 192.168.1.254
    route_sync
    check_eq "$EAST_V4 $EAST_V6" advertised east

    nbctl east set NB_Global . options:ic-route-adv-default=true
    route_sync
    check_eq "ts1:0.0.0.0/0>169.254.100.1:static $EAST_V4 $EAST_V6" \
        advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    nbctl west set NB_Global . options:ic-route-learn-default=true
    route_sync
    check_eq "0.0.0.0/0>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west

    # Learning off withdraws what was learned; advertising off withdraws
    # what was advertised.
    nbctl west set NB_Global . options:ic-route-learn=false
    route_sync
    check_eq "" learned west router_west
    check_eq "$WEST_V4 $WEST_V6" advertised west
    nbctl west set NB_Global . options:ic-route-adv=false
    route_sync
    check_eq "" advertised west
    check_eq "" learned east router_east
    nbctl west set NB_Global . options:ic-route-learn=true
    route_sync
    check_eq "0.0.0.0/0>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
}

test_denylist_both_keys_and_ipv6() {
    east_west
    lan east router_east lrp-east-lan2 aa:aa:aa:aa:bb:11 10.1.0.1/24 \
        2001:db8:11::1/64
    # The old key, on the advertising side; 23.03 denies every IPv6 prefix
    # at least as long as a v6 entry, we deny only what the entry covers.
    nbctl east set NB_Global . options:ic-route-blacklist="10.0.0.0/8,2001:db8:11::/48"
    route_sync
    check_eq "$EAST_V4 $EAST_V6" advertised east

    # The new key wins over the old one; on the learning side too.
    nbctl east set NB_Global . options:ic-route-denylist="2001:db8:99::/48"
    nbctl west set NB_Global . options:ic-route-denylist="10.1.0.0/16,2001:db8:1::/56"
    route_sync
    check_eq "ts1:10.1.0.1/24>169.254.100.1:connected $EAST_V4 ts1:2001:db8:11::1/64>2001:db8:100::1:connected $EAST_V6" \
        advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:11::1/64>2001:db8:100::1" \
        learned west router_west
}

test_per_ts_isolation() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_add ts2
    ts_router_port east router_east aa:aa:aa:aa:aa:01 ts1 gw_east 169.254.100.1/24
    ts_router_port west router_west aa:aa:aa:aa:aa:02 ts1 gw_west 169.254.100.2/24
    ts_router_port west router_west2 aa:aa:aa:aa:aa:03 ts2 gw_west \
        169.254.100.3/24
    lan west router_west lrp-w1 aa:aa:aa:aa:bb:02 192.168.2.1/24
    lan west router_west2 lrp-w2 aa:aa:aa:aa:bb:03 192.168.3.1/24
    route_sync
    check_eq "ts1:192.168.2.1/24>169.254.100.2:connected ts2:192.168.3.1/24>169.254.100.3:connected" \
        advertised west
    # router_west2's route is on ts2 only, and east is not on ts2, even
    # though its next hop would fit east's ts1 subnet.
    check_eq "192.168.2.1/24>169.254.100.2" learned east router_east
}

test_route_tables() {
    east_west
    nbctl east set Logical_Router_Port lrp-router_east-ts1 \
        options:route_table=rtb1
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    nbctl east --route-table=rtb1 lr-route-add router_east 10.20.0.0/16 \
        192.168.1.20
    route_sync
    # Only rtb1's static route goes out; connected routes go to main, and
    # with upstream main's IC-SB schema (ours) to rtb1 too, marked
    # override-connected (see test_override_connected).
    check_eq "ts1:10.20.0.0/16>169.254.100.1:static@rtb1 ts1:192.168.1.1/24>169.254.100.1:connected ts1:192.168.1.1/24>169.254.100.1:connected@rtb1 ts1:2001:db8:1::1/64>2001:db8:100::1:connected ts1:2001:db8:1::1/64>2001:db8:100::1:connected@rtb1" \
        advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        options:route_table=rtb1
    route_sync
    check_eq "10.20.0.0/16>169.254.100.1@rtb1 192.168.1.1/24>169.254.100.1 192.168.1.1/24>169.254.100.1@rtb1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1@rtb1" \
        learned west router_west
}

test_local_route_wins() {
    east_west
    nbctl west lr-route-add router_west 192.168.1.0/24 192.168.2.100
    route_sync
    check_eq "2001:db8:1::1/64>2001:db8:100::1" learned west router_west
    # In another route table the local route does not shadow it.
    nbctl west lr-route-del router_west 192.168.1.0/24
    nbctl west --route-table=other lr-route-add router_west 192.168.1.0/24 \
        192.168.2.100
    route_sync
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
}

test_filters_allow_and_deny() {
    east_west
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    nbctl east lr-route-add router_east 10.20.0.0/16 192.168.1.20
    # Allow on the port and on the router add up; deny beats allow.
    nbctl east set Logical_Router_Port lrp-router_east-ts1 \
        options:ic-route-filter-adv=10.10.0.0/16
    nbctl east set Logical_Router router_east \
        options:ic-route-filter-adv="192.168.0.0/16,bogus"
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4" advertised east
    nbctl east set Logical_Router router_east \
        options:ic-route-deny-adv=192.168.1.0/24
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static" advertised east

    nbctl east remove Logical_Router router_east options ic-route-deny-adv
    nbctl east remove Logical_Router router_east options ic-route-filter-adv
    nbctl east remove Logical_Router_Port lrp-router_east-ts1 options \
        ic-route-filter-adv
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        options:ic-route-filter-learn="10.0.0.0/8,2001:db8::/32" \
        options:ic-route-deny-learn="10.20.0.0/16,2001:db8:1::/48"
    route_sync
    check_eq "10.10.0.0/16>169.254.100.1" learned west router_west
}

test_route_tags() {
    east_west
    nbctl east set Logical_Router_Port lrp-router_east-ts1 \
        options:ic-route-tag=blue
    route_sync
    local isb
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=192.168.1.1/24)
    check_eq blue icsbctl get Route "$isb" external_ids:ic-route-tag
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        options:ic-route-filter-tag=blue
    route_sync
    check_eq "" learned west router_west
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        options:ic-route-filter-tag=red
    route_sync
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    nbctl east remove Logical_Router_Port lrp-router_east-ts1 options \
        ic-route-tag
    route_sync
    [ -z "$(icsbctl --bare --columns=external_ids find Route \
            ip_prefix=192.168.1.1/24 | grep ic-route-tag)" ] ||
        fail "tag not removed"
}

test_lb_vips() {
    east_west
    nbctl east lb-add lb1 10.30.0.5:80 192.168.1.5:8080 tcp
    nbctl east lb-add lb1 "[2001:db8:30::5]:80" "[2001:db8:1::5]:8080" tcp
    nbctl east lr-lb-add router_east lb1
    nbctl east lb-add lb2 10.30.0.6 192.168.1.6
    local g
    g=$(nbctl east create Load_Balancer_Group name=g1)
    nbctl east add Load_Balancer_Group "$g" load_balancer \
        "$(nbctl east --bare --columns=_uuid find Load_Balancer name=lb2)"
    nbctl east add Logical_Router router_east load_balancer_group "$g"
    route_sync
    check_eq "$EAST_V4 $EAST_V6" advertised east

    nbctl east set NB_Global . options:ic-route-adv-lb=true
    route_sync
    check_eq "ts1:10.30.0.5/32>169.254.100.1:loadbalancer ts1:10.30.0.6/32>169.254.100.1:loadbalancer $EAST_V4 $EAST_V6 ts1:2001:db8:30::5/128>2001:db8:100::1:loadbalancer" \
        advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    nbctl west set NB_Global . options:ic-route-learn-lb=true
    route_sync
    check_eq "10.30.0.5/32>169.254.100.1 10.30.0.6/32>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:30::5/128>2001:db8:100::1" \
        learned west router_west
    local sr
    sr=$(nbctl west --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.30.0.5/32)
    check_eq loadbalancer nbctl west get Logical_Router_Static_Route "$sr" \
        options:origin

    # A local VIP inside a prefix stops it from being learned.
    nbctl west lb-add lbw 192.168.1.77 192.168.2.7
    nbctl west lr-lb-add router_west lbw
    route_sync
    check_eq "10.30.0.5/32>169.254.100.1 10.30.0.6/32>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:30::5/128>2001:db8:100::1" \
        learned west router_west
}

test_several_routers_per_zone() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_router_port east r1 aa:aa:aa:aa:aa:01 ts1 gw_east 169.254.100.1/24
    ts_router_port east r2 aa:aa:aa:aa:aa:03 ts1 gw_east 169.254.100.3/24
    ts_router_port west rw aa:aa:aa:aa:aa:02 ts1 gw_west 169.254.100.2/24
    lan east r1 lan1 aa:aa:aa:aa:bb:01 192.168.1.1/24
    lan east r2 lan2 aa:aa:aa:aa:bb:03 192.168.3.1/24
    lan west rw lanw aa:aa:aa:aa:bb:02 192.168.2.1/24
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.100.1:connected ts1:192.168.3.1/24>169.254.100.3:connected" \
        advertised east
    # Routers of one zone learn from each other, through lr-id.
    check_eq "192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned east r1
    check_eq "192.168.1.1/24>169.254.100.1 192.168.2.1/24>169.254.100.2" \
        learned east r2
    check_eq "192.168.1.1/24>169.254.100.1 192.168.3.1/24>169.254.100.3" \
        learned west rw
    local r1 r2
    r1=$(nbctl east --bare --columns=_uuid find Logical_Router name=r1)
    r2=$(nbctl east --bare --columns=_uuid find Logical_Router name=r2)
    check_eq "\"$r2\"" icsbctl get Route "$(icsbctl --bare --columns=_uuid \
        find Route ip_prefix=192.168.3.1/24)" external_ids:lr-id
    check_eq "\"$r1\"" icsbctl get Route "$(icsbctl --bare --columns=_uuid \
        find Route ip_prefix=192.168.1.1/24)" external_ids:lr-id
}

# three_zones: z1, z2, z3 on ts1, routers r_zN at 169.254.100.N/24, LAN
# 192.168.N.1/24 each.
three_zones() {
    ZONES="z1 z2 z3"
    route_zones z1 z2 z3
    ts_add ts1
    local i
    for i in 1 2 3; do
        ts_router_port z$i r_z$i aa:aa:aa:aa:aa:0$i ts1 gw_z$i 169.254.100.$i/24
        lan z$i r_z$i lan$i aa:aa:aa:aa:bb:0$i 192.168.$i.1/24
    done
}

test_ecmp_from_two_zones() {
    three_zones
    nbctl z2 lr-route-add r_z2 10.50.0.0/16 192.168.2.50
    nbctl z3 lr-route-add r_z3 10.50.0.0/16 192.168.3.50
    route_sync
    check_eq "10.50.0.0/16>169.254.100.2 10.50.0.0/16>169.254.100.3 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    check_eq "" ic_ctl z1 problems/show
}

# overlapping_routes: three zones where z1 would learn a summary from z2
# that covers its own LAN (and no other zone's), and two different,
# overlapping prefixes from z2 and z3.  Checks that z1 reports each
# overlap, saying what it does with it ('verdict'), and counts them.
overlapping_routes() {
    local verdict=$1 counts=$2
    nbctl z2 lr-route-add r_z2 192.168.0.0/23 192.168.2.50
    nbctl z2 lr-route-add r_z2 10.0.0.0/8 192.168.2.60
    nbctl z3 lr-route-add r_z3 10.1.0.0/16 192.168.3.60
    route_sync
    ic_ctl z1 problems/show > "$T/problems"
    cat "$T/problems"
    grep "192.168.0.0/23 via" "$T/problems" | grep "zone z2" |
        grep "connected network 192.168.1.1/24 of router port lan1" |
        grep -q "$verdict" || fail "connected overlap not reported"
    grep "10.0.0.0/8 via" "$T/problems" | grep "zone z2" |
        grep "overlaps 10.1.0.0/16 from zone z3" | grep -q "$verdict" ||
        fail "overlap with z3 not reported"
    grep "10.1.0.0/16 via" "$T/problems" | grep "zone z3" |
        grep "overlaps 10.0.0.0/8 from zone z2" | grep -q "$verdict" ||
        fail "overlap with z2 not reported"
    check_eq 1 eval "grep -c 'problems.*192.168.0.0/23 via.*$verdict' \
        '$T/z1-ic.log'"
    ic_ctl z1 status/show | grep -q "$counts" ||
        fail "not counted: $(ic_ctl z1 status/show | grep routes:)"
}

# By default, overlapping routes are learned as upstream learns them, and
# reported.
test_overlap_learned_and_reported_by_default() {
    three_zones
    overlapping_routes "learned anyway" "3 overlapping, 0 refused"
    check_eq "10.0.0.0/8>169.254.100.2 10.1.0.0/16>169.254.100.3 192.168.0.0/23>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3

    # Resolved: the other zone's prefix goes, the report with it.
    nbctl z3 lr-route-del r_z3 10.1.0.0/16
    route_sync
    check_eq "10.0.0.0/8>169.254.100.2 192.168.0.0/23>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    ic_ctl z1 problems/show | grep -q "10.0.0.0/8" && fail "still listed"

    # The option refuses what is listed, and turned off again, learns it.
    nbctl z1 set NB_Global . options:ic-route-deny-overlap=true
    route_sync
    check_eq "10.0.0.0/8>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    nbctl z1 remove NB_Global . options ic-route-deny-overlap
    route_sync
    check_eq "10.0.0.0/8>169.254.100.2 192.168.0.0/23>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3
}

# With options:ic-route-deny-overlap=true, they are refused.
test_overlap_refused_with_option() {
    three_zones
    nbctl z1 set NB_Global . options:ic-route-deny-overlap=true
    overlapping_routes "not learned (ic-route-deny-overlap)" \
        "3 overlapping, 3 refused"
    check_eq "192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1

    # Resolved: the other zone's prefix goes, the summary is learned.
    nbctl z3 lr-route-del r_z3 10.1.0.0/16
    route_sync
    check_eq "10.0.0.0/8>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    ic_ctl z1 problems/show | grep -q "10.0.0.0/8" && fail "still listed"
    return 0
}

test_learning_guards() {
    east_west
    route_sync
    # Routes another zone put in IC-SB: a next hop outside the transit
    # port's subnets, a link-local next hop, a link-local prefix.
    local az
    # It reports every nb_ic_cfg, so that the handshake still completes.
    az=$(icsbctl create Availability_Zone name=fake nb_ic_cfg=1000000)
    icsbctl create Route transit_switch=ts1 availability_zone="$az" \
        ip_prefix=10.77.0.0/16 nexthop=10.99.0.1 origin=static
    icsbctl create Route transit_switch=ts1 availability_zone="$az" \
        ip_prefix='"2001:db8:77::/48"' nexthop='"fe80::1"' origin=static
    icsbctl create Route transit_switch=ts1 availability_zone="$az" \
        ip_prefix=169.254.5.0/24 nexthop=169.254.100.9 origin=static
    icsbctl create Route transit_switch=ts1 availability_zone="$az" \
        ip_prefix=10.78.0.0/16 nexthop=169.254.100.9 origin=static
    route_sync
    check_eq "10.78.0.0/16>169.254.100.9 192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    # A disabled router learns and advertises nothing.
    nbctl east set Logical_Router router_east enabled=false
    route_sync
    check_eq "" learned east router_east
    check_eq "" advertised east
}

# Upstream 23.03 advertises an IPv6 prefix behind a port without IPv6 with
# an invented link-local next hop, rejects it on the next pass and
# re-inserts it, forever.
test_ipv6_prefix_without_ipv6_port_does_not_churn() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_router_port east router_east aa:aa:aa:aa:aa:01 ts1 gw_east 169.254.100.1/24
    ts_router_port west router_west aa:aa:aa:aa:aa:02 ts1 gw_west 169.254.100.2/24
    lan east router_east lrp-east-lan aa:aa:aa:aa:bb:01 192.168.1.1/24 \
        2001:db8:1::1/64
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.100.1:connected" advertised east
    local before
    before=$(settled east west)
    check_eq "$before" settled east west
    check_eq "ts1:192.168.1.1/24>169.254.100.1:connected" advertised east
}

# Link-local next hops are upstream's: fe80::/64.  Transit ports numbered
# elsewhere in fe80::/10, as in upstream's tests, advertise IPv6 routes via
# that address and learn them; a port whose only IPv6 address is in
# fe80::/64 advertises none, and does not churn.
test_ipv6_nexthop_in_fe80_10_but_not_fe80_64() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_router_port east router_east aa:aa:aa:aa:aa:01 ts1 gw_east \
        169.254.100.1/24 fe80:10::1/64
    ts_router_port west router_west aa:aa:aa:aa:aa:02 ts1 gw_west \
        169.254.100.2/24 fe80::2/64
    lan east router_east lrp-east-lan aa:aa:aa:aa:bb:01 192.168.1.1/24 \
        2001:db8:1::1/64
    lan west router_west lrp-west-lan aa:aa:aa:aa:bb:02 192.168.2.1/24 \
        2001:db8:2::1/64
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.100.1:connected ts1:2001:db8:1::1/64>fe80:10::1:connected" \
        advertised east
    check_eq "ts1:192.168.2.1/24>169.254.100.2:connected" advertised west
    check_eq "192.168.1.1/24>169.254.100.1" learned west router_west
    # West's port is not in fe80:10::/64: east learns only what west's
    # port can reach, and nothing churns.
    check_eq "192.168.2.1/24>169.254.100.2" learned east router_east
    local before
    before=$(settled east west)
    check_eq "$before" settled east west
}

# Upstream 22.12-24.09.2 (so Debian's 23.03.1) dereferences NULL when it
# warns about a duplicate connected route.
test_duplicate_routes_warned_once_no_crash() {
    east_west
    lan east router_east lrp-east-dup aa:aa:aa:aa:bb:09 192.168.1.1/24
    local i
    for i in 1 2; do
        nbctl east -- --id=@r create Logical_Router_Static_Route \
            ip_prefix=10.10.0.0/16 nexthop=192.168.1.10 -- \
            add Logical_Router router_east static_routes @r
    done
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4 $EAST_V6" \
        advertised east
    check_eq "10.10.0.0/16>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    # Upstream's words (its tests grep for them), then ours.
    grep "connected route advertisement was suppressed! NB lrp uuid: " \
        "$T/east-ic.log" | grep -q "(192.168.1.1/24 from lrp-east-" ||
        fail "no warning for the connected duplicate"
    grep "Duplicate static route advertisement was suppressed! NB route " \
        "$T/east-ic.log" | grep -q "(10.10.0.0/16 on transit switch ts1)" ||
        fail "no warning for the static duplicate"
    check_eq "Status: active" ic_ctl east status
}

# Upstream before 69c2b8677: the same prefix and next hop via two transit
# switches is relearned forever.  As upstream's since, each IC-SB route
# gives its own NB route, and nothing churns.
test_same_prefix_via_two_ts_no_loop() {
    ZONES="east west"
    route_zones east west
    ts_add ts1
    ts_add ts2
    ts_router_port east router_east aa:aa:aa:aa:aa:01 ts1 gw_east 169.254.100.1/24
    ts_router_port east router_east aa:aa:aa:aa:aa:11 ts2 gw_east 169.254.100.1/24
    ts_router_port west router_west aa:aa:aa:aa:aa:02 ts1 gw_west 169.254.100.2/24
    ts_router_port west router_west aa:aa:aa:aa:aa:12 ts2 gw_west 169.254.100.2/24
    lan west router_west lrp-west-lan aa:aa:aa:aa:bb:02 192.168.2.1/24
    lan east router_east lrp-east-lan aa:aa:aa:aa:bb:01 192.168.1.1/24
    route_sync
    check_eq "ts1:192.168.2.1/24>169.254.100.2:connected ts2:192.168.2.1/24>169.254.100.2:connected" \
        advertised west
    check_eq "192.168.2.1/24>169.254.100.2 192.168.2.1/24>169.254.100.2" \
        learned east router_east
    check_eq "192.168.1.1/24>169.254.100.1 192.168.1.1/24>169.254.100.1" \
        learned west router_west
    local before
    before=$(settled east west)
    check_eq "$before" settled east west
}

# Debian's ovn-ic in west: it writes no lr-id, and does not take part in
# the nb_ic_cfg handshake, so this test waits on state.
test_mixed_with_debian_ovn_ic() {
    IC_KIND_west=upstream east_west
    wait_eq "$WEST_V4 $WEST_V6" advertised west
    wait_eq "192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    wait_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    # Withdrawals both ways.
    nbctl west lrp-del lrp-west-lan
    wait_eq "" learned east router_east
    nbctl east lrp-del lrp-east-lan
    wait_eq "" learned west router_west
}

test_routes_go_with_their_switch_and_ports() {
    # One router per zone on three transit switches, each with its own
    # subnet; east advertises its LAN on all three.
    ZONES="east west"
    route_zones east west
    local i
    for i in 1 2 3; do
        ts_add ts$i
        ts_router_port east router_east aa:aa:aa:aa:a$i:01 ts$i gw_east \
            169.254.10$i.1/24
        ts_router_port west router_west aa:aa:aa:aa:a$i:02 ts$i gw_west \
            169.254.10$i.2/24
    done
    lan east router_east lrp-east-lan aa:aa:aa:aa:bb:01 192.168.1.1/24
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.101.1:connected ts2:192.168.1.1/24>169.254.102.1:connected ts3:192.168.1.1/24>169.254.103.1:connected" \
        advertised east
    check_eq "192.168.1.1/24>169.254.101.1 192.168.1.1/24>169.254.102.1 192.168.1.1/24>169.254.103.1" \
        learned west router_west

    # Deleting ts2 removes only ts2's routes, in IC-SB and where learned.
    icnbctl ts-del ts2
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.101.1:connected ts3:192.168.1.1/24>169.254.103.1:connected" \
        advertised east
    check_eq "192.168.1.1/24>169.254.101.1 192.168.1.1/24>169.254.103.1" \
        learned west router_west

    # An orphaned router port (its switch port deleted) advertises nothing.
    nbctl east lsp-del lsp-ts3-router_east
    route_sync
    check_eq "ts1:192.168.1.1/24>169.254.101.1:connected" advertised east
    check_eq "192.168.1.1/24>169.254.101.1" learned west router_west

    # An orphaned switch port (its router port deleted) neither.
    nbctl east lrp-del lrp-router_east-ts1
    route_sync
    check_eq "" advertised east
    check_eq "" learned west router_west
}

# route_runs ZONE KIND: how many route step runs of KIND (full or
# incremental) the zone's daemon made.
route_runs() {
    ic_ctl "$1" status/show |
        sed -n "s/^routes: .* \([0-9]*\) full runs, \([0-9]*\) incremental$/\1 \2/p" |
        awk -v k="$2" '{ print (k == "full") ? $1 : $2 }'
}

# agrees_with_full ZONE...: after route_sync, a forced full recompute in
# every zone writes nothing: what the incremental runs left is what a full
# run computes.  Prints what each zone learned and advertised.
agrees_with_full() {
    local before after z
    before=$(for z in "$@"; do ic_commits "$z"; done | paste -sd' ')
    after=$(settled "$@")
    [ "$before" = "$after" ] ||
        fail "a full recompute wrote: commits $before -> $after"
}

# The incremental runs handle routes coming and going; whatever they hand
# over to a full run (overlaps, local routes hiding learned ones) comes
# back to them.  After every change, a forced full recompute must find
# nothing to write.
test_incremental_runs_match_full_runs() {
    three_zones
    nbctl z1 set NB_Global . options:ic-route-deny-overlap=true
    route_sync
    local full0 inc0 z fulls
    full0=$(route_runs z1 full)
    inc0=$(route_runs z1 incremental)
    fulls=$(for z in z1 z2 z3; do route_runs $z full; done)

    # A new static route, learned by both other zones, with incremental
    # runs only (the --wait=sb handshakes included).
    nbctl z2 lr-route-add r_z2 10.2.0.0/16 192.168.2.10
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    check_eq "$fulls" eval 'for z in z1 z2 z3; do route_runs $z full; done'
    agrees_with_full z1 z2 z3

    # A second static route to the same prefix: one advertisement with two
    # sources; it stays until both are gone.
    nbctl z2 --ecmp lr-route-add r_z2 10.2.0.0/16 192.168.2.11
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3
    nbctl z2 lr-route-del r_z2 10.2.0.0/16 192.168.2.10
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3

    # Rows deleted behind the daemons' backs come back: a learned NB route
    # and an advertised IC-SB route.
    local sr isb
    sr=$(nbctl z1 --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.2.0.0/16)
    nbctl z1 remove Logical_Router r_z1 static_routes "$sr"
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=10.2.0.0/16)
    icsbctl destroy Route "$isb"
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    check_eq "10.2.0.0/16>169.254.100.2 192.168.1.1/24>169.254.100.1 192.168.2.1/24>169.254.100.2" \
        learned z3 r_z3
    agrees_with_full z1 z2 z3

    # An overlapping prefix from another zone: both are refused in z1 (as
    # its options say) ... and learned again once it goes.
    nbctl z3 lr-route-add r_z3 10.2.5.0/24 192.168.3.10
    route_sync
    check_eq "192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3
    nbctl z3 lr-route-del r_z3 10.2.5.0/24
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3

    # A local static route to the same network wins, and when it goes the
    # learned one is back.
    nbctl z1 lr-route-add r_z1 10.2.0.0/16 192.168.1.20
    route_sync
    check_eq "192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3
    nbctl z1 lr-route-del r_z1 10.2.0.0/16
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3

    # Fifty routes in one transaction, then gone in one.
    local i args=""
    for i in $(seq 1 25); do
        args="$args -- lr-route-add r_z3 10.30.$i.0/24 192.168.3.$i"
        args="$args -- lr-route-add r_z3 10.31.$i.0/24 192.168.3.$i"
    done
    # shellcheck disable=SC2086
    nbctl z3 $args
    route_sync
    check_eq 53 eval "learned z1 r_z1 | wc -w"
    agrees_with_full z1 z2 z3
    args=""
    for i in $(seq 1 25); do
        args="$args -- lr-route-del r_z3 10.30.$i.0/24"
        args="$args -- lr-route-del r_z3 10.31.$i.0/24"
    done
    # shellcheck disable=SC2086
    nbctl z3 $args
    route_sync
    check_eq "10.2.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 192.168.3.1/24>169.254.100.3" \
        learned z1 r_z1
    agrees_with_full z1 z2 z3

    # Most of that was incremental work.
    local inc full
    inc=$(( $(route_runs z1 incremental) - inc0 ))
    full=$(route_runs z1 full)
    echo "z1: $inc incremental runs, $((full - full0)) full runs"
    [ "$inc" -ge 8 ] || fail "only $inc incremental runs in z1"
}

# A paused daemon does not see the changes made meanwhile one by one: it
# recomputes when it resumes, and learns what it missed.
test_paused_daemon_catches_up() {
    east_west
    route_sync
    local full
    full=$(route_runs west full)
    ic_ctl west pause
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    icsb_has_route() {
        [ -n "$(icsbctl --bare --columns=_uuid find Route ip_prefix="$1")" ]
    }
    wait_until icsb_has_route 10.10.0.0/16
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    ic_ctl west resume
    route_sync
    check_eq "10.10.0.0/16>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    [ "$(route_runs west full)" -gt "$full" ] ||
        fail "no full run after resume"
    agrees_with_full east west
}

# A static route and its IC-SB route deleted at once, the second behind
# the daemon's back: the daemon sees both changes in one run (it is
# stopped meanwhile) and must not delete the IC-SB row a second time.
test_route_and_its_advertisement_deleted_at_once() {
    east_west
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    route_sync
    local isb pid
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=10.10.0.0/16)
    [ -n "$isb" ] || fail "not advertised"
    pid=$(cat "$T/east-ic.pid")
    kill -STOP "$pid"
    nbctl east lr-route-del router_east 10.10.0.0/16
    icsbctl destroy Route "$isb"
    kill -CONT "$pid"
    route_sync
    kill -0 "$pid" || fail "east's daemon died"
    check_eq "$EAST_V4 $EAST_V6" advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    agrees_with_full east west
}

# A static route moved from one router to another in one transaction
# changes no static route row, only the routers' sets: the daemon must
# notice that the route now belongs to a router without transit ports.
test_static_route_moved_between_routers() {
    east_west
    nbctl east lr-add r_other
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4 $EAST_V6" \
        advertised east
    local sr
    sr=$(nbctl east --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.10.0.0/16)
    nbctl east -- remove Logical_Router router_east static_routes "$sr" \
        -- add Logical_Router r_other static_routes "$sr"
    route_sync
    check_eq "$EAST_V4 $EAST_V6" advertised east
    agrees_with_full east west
    # And back.
    nbctl east -- remove Logical_Router r_other static_routes "$sr" \
        -- add Logical_Router router_east static_routes "$sr"
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4 $EAST_V6" \
        advertised east
    agrees_with_full east west
}

# Learned routes change the learning router's static routes all day; the
# port step, which reads routers only for their ports, does not run for it.
test_port_step_skips_static_route_changes() {
    east_west
    route_sync
    local ports routes
    ports=$(step_runs east port)
    routes=$(step_runs east route)
    nbctl west lr-route-add router_west 10.20.0.0/16 192.168.2.10
    has_learned() { learned east router_east | grep -q "$1"; }
    wait_until has_learned 10.20.0.0/16
    # The learning pass, and the pass that sees east's own write come back.
    wait_until test "$(step_runs east route)" -ge $((routes + 2))
    check_eq "$ports" step_runs east port
}

# bgp_router ZONE ROUTER: dynamic routing on, without which northd deletes
# the router's Learned_Route rows.
bgp_router() {
    check nbctl "$1" set Logical_Router "$2" options:dynamic-routing=true
}

# bgp_route ZONE ROUTER PORT PREFIX NEXTHOP: an SB Learned_Route on the
# router's datapath, as ovn-controller writes one for a route that dynamic
# routing (BGP) learned through router port PORT.
bgp_route() {
    local z=$1 dp pb
    check nbctl "$z" --wait=sb sync
    dp=$(sbctl "$z" --bare --columns=_uuid find Datapath_Binding \
         external_ids:name="$2")
    pb=$(sbctl "$z" --bare --columns=_uuid find Port_Binding \
         logical_port="$3")
    [ -n "$dp" ] && [ -n "$pb" ] || fail "no SB datapath for $2 or port $3"
    check sbctl "$z" create Learned_Route datapath="$dp" logical_port="$pb" \
        ip_prefix="$4" nexthop="$5" > /dev/null
}

# bgp_route_del ZONE PREFIX NEXTHOP
bgp_route_del() {
    local row
    row=$(sbctl "$1" --bare --columns=_uuid find Learned_Route \
          ip_prefix="$2" nexthop="$3")
    check sbctl "$1" destroy Learned_Route "$row"
}

# Routes from dynamic routing (SB Learned_Route, OVN 25.03+) are advertised
# as the router's own, "connected-dynamic" where the IC-SB schema has that
# origin, and a router never learns from IC-SB a prefix that its dynamic
# routing has: as upstream's.  All of it in incremental runs, unless a
# prefix stops hiding a learnable route.
test_routes_from_dynamic_routing() {
    needs_ovn 25.03
    east_west
    bgp_router east router_east
    bgp_router west router_west
    route_sync
    local fulls
    fulls=$(route_runs east full)/$(route_runs west full)

    # Two BGP peers of west give one route to 10.20.0.0/16.
    bgp_route west router_west lrp-west-lan 10.20.0.0/16 192.168.2.20
    bgp_route west router_west lrp-west-lan 10.20.0.0/16 192.168.2.21
    route_sync
    check_eq "ts1:10.20.0.0/16>169.254.100.2:connected-dynamic $WEST_V4 $WEST_V6" \
        advertised west
    local lr isb
    lr=$(nbctl west --bare --columns=_uuid find Logical_Router \
         name=router_west)
    isb=$(icsbctl --bare --columns=_uuid find Route ip_prefix=10.20.0.0/16)
    check_eq "\"$lr\"" icsbctl get Route "$isb" external_ids:nb-id
    check_eq "\"$lr\"" icsbctl get Route "$isb" external_ids:lr-id
    check_eq "10.20.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    bgp_route_del west 10.20.0.0/16 192.168.2.21
    route_sync
    check_eq "ts1:10.20.0.0/16>169.254.100.2:connected-dynamic $WEST_V4 $WEST_V6" \
        advertised west
    check_eq "$fulls" eval 'echo $(route_runs east full)/$(route_runs west full)'
    agrees_with_full east west

    # East has it from BGP too: east stops learning it from west, and
    # advertises it, which west does not learn either.
    bgp_route east router_east lrp-east-lan 10.20.0.0/16 192.168.1.20
    route_sync
    check_eq "192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    check_eq "ts1:10.20.0.0/16>169.254.100.1:connected-dynamic $EAST_V4 $EAST_V6" \
        advertised east
    check_eq "192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    agrees_with_full east west

    # Gone from east: east learns it from west again.
    bgp_route_del east 10.20.0.0/16 192.168.1.20
    route_sync
    check_eq "10.20.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    check_eq "$EAST_V4 $EAST_V6" advertised east
    agrees_with_full east west

    # Gone from west: withdrawn, and unlearned.
    bgp_route_del west 10.20.0.0/16 192.168.2.20
    route_sync
    check_eq "$WEST_V4 $WEST_V6" advertised west
    check_eq "192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
    agrees_with_full east west
}

# With an IC-SB schema older than upstream main's (26.03's), routes from
# dynamic routing go as "connected", the origin that schema has.
test_routes_from_dynamic_routing_older_ic_schema() {
    needs_ovn 25.03
    ROUTE_IC_SCHEMAS=$OVN_SCHEMAS east_west
    bgp_router west router_west
    bgp_route west router_west lrp-west-lan 10.20.0.0/16 192.168.2.20
    route_sync
    check_eq "ts1:10.20.0.0/16>169.254.100.2:connected $WEST_V4 $WEST_V6" \
        advertised west
    check_eq "10.20.0.0/16>169.254.100.2 192.168.2.1/24>169.254.100.2 2001:db8:2::1/64>2001:db8:100::2" \
        learned east router_east
}

# An SB schema without Learned_Route (OVN before 25.03, Debian's 23.03):
# routes work as before, and the daemon says so once.
test_no_learned_route_table_logged_once() {
    if [ "$TEST_OVN" = current ]; then
        echo "skipped: needs an SB schema without Learned_Route (Debian's)"
        exit 77
    fi
    east_west
    route_sync
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    ic_ctl east engine/recompute
    route_sync
    check_eq "10.10.0.0/16>169.254.100.1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    check_eq 1 grep -c "no Learned_Route table" "$T/east-ic.log"
}

# learned_override ZONE PREFIX TABLE: options:override-connected of the zone's
# learned NB route to PREFIX in TABLE ("" if unset).
learned_override() {
    nbctl "$1" --bare --columns=options find Logical_Router_Static_Route \
        ip_prefix="$2" route_table="$3" external_ids:ic-learned-route!='""' |
        tr ' ' '\n' | sed -n 's/^override-connected=//p'
}

# isb_override PREFIX TABLE: options:override-connected of the IC-SB route.
isb_override() {
    icsbctl --bare --columns=options find Route ip_prefix="$1" \
        route_table="$2" | tr ' ' '\n' | sed -n 's/^override-connected=//p'
}

# Upstream main's east-west routing (IC-SB 2.6.0, Route.options): a router
# whose transit port has a route table also advertises its connected
# networks there, marked override-connected; a static route's
# options:override-connected goes to IC-SB and back into the learned
# route; a local static route hides such a route only if it has the same
# prefix as written.
test_override_connected() {
    east_west
    nbctl east lrp-set-options lrp-router_east-ts1 route_table=rtb1
    nbctl west lrp-set-options lrp-router_west-ts1 route_table=rtb1
    nbctl east --route-table=rtb1 lr-route-add router_east 10.10.0.0/16 \
        192.168.1.10
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static@rtb1 ts1:192.168.1.1/24>169.254.100.1:connected ts1:192.168.1.1/24>169.254.100.1:connected@rtb1 ts1:2001:db8:1::1/64>2001:db8:100::1:connected ts1:2001:db8:1::1/64>2001:db8:100::1:connected@rtb1" \
        advertised east
    check_eq true isb_override 192.168.1.1/24 rtb1
    check_eq "" isb_override 192.168.1.1/24 '""'
    check_eq "" isb_override 10.10.0.0/16 rtb1
    check_eq "10.10.0.0/16>169.254.100.1@rtb1 192.168.1.1/24>169.254.100.1 192.168.1.1/24>169.254.100.1@rtb1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1@rtb1" \
        learned west router_west
    check_eq true learned_override west 192.168.1.1/24 rtb1
    check_eq "" learned_override west 192.168.1.1/24 '""'

    # The static route's own option, there and back.
    local sr
    sr=$(nbctl east --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.10.0.0/16)
    nbctl east set Logical_Router_Static_Route "$sr" \
        options:override-connected=true
    route_sync
    check_eq true isb_override 10.10.0.0/16 rtb1
    check_eq true learned_override west 10.10.0.0/16 rtb1
    nbctl east remove Logical_Router_Static_Route "$sr" options \
        override-connected
    route_sync
    check_eq "" isb_override 10.10.0.0/16 rtb1
    check_eq "" learned_override west 10.10.0.0/16 rtb1

    # A local route in rtb1 hides rtb1's override-connected route only if
    # it is written as the same prefix.
    nbctl west --ecmp --route-table=rtb1 lr-route-add router_west \
        192.168.1.0/24 192.168.2.100
    route_sync
    check_eq "10.10.0.0/16>169.254.100.1@rtb1 192.168.1.1/24>169.254.100.1 192.168.1.1/24>169.254.100.1@rtb1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1@rtb1" \
        learned west router_west
    nbctl west -- --id=@r create Logical_Router_Static_Route \
        ip_prefix=192.168.1.1/24 nexthop=192.168.2.101 route_table=rtb1 \
        -- add Logical_Router router_west static_routes @r
    route_sync
    check_eq "10.10.0.0/16>169.254.100.1@rtb1 192.168.1.1/24>169.254.100.1 2001:db8:1::1/64>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1@rtb1" \
        learned west router_west
    agrees_with_full east west
}

# With IC schemas older than upstream main's (Debian's, without the
# nb_ic_cfg handshake either), none of that: no connected routes in the
# route table, no options.
test_override_connected_invisible_with_older_ic_schema() {
    ROUTE_IC_SCHEMAS=$DEBIAN_OVN_SCHEMAS east_west
    nbctl east lrp-set-options lrp-router_east-ts1 route_table=rtb1
    nbctl east --route-table=rtb1 lr-route-add router_east 10.10.0.0/16 \
        192.168.1.10
    local sr
    sr=$(nbctl east --bare --columns=_uuid find Logical_Router_Static_Route \
         ip_prefix=10.10.0.0/16)
    nbctl east set Logical_Router_Static_Route "$sr" \
        options:override-connected=true
    wait_eq "ts1:10.10.0.0/16>169.254.100.1:static@rtb1 $EAST_V4 $EAST_V6" \
        advertised east
}

# Upstream main's ic-route-ipv4-next-hop-ipv6: a router advertises its IPv4
# prefixes with its transit port's IPv6 address; the port's own option
# wins over the router's; a port without IPv6 keeps its IPv4 next hop.
test_ipv4_next_hop_ipv6() {
    east_west
    nbctl east lr-route-add router_east 10.10.0.0/16 192.168.1.10
    nbctl east set Logical_Router router_east \
        options:ic-route-ipv4-next-hop-ipv6=true
    route_sync
    check_eq "ts1:10.10.0.0/16>2001:db8:100::1:static ts1:192.168.1.1/24>2001:db8:100::1:connected $EAST_V6" \
        advertised east
    check_eq "10.10.0.0/16>2001:db8:100::1 192.168.1.1/24>2001:db8:100::1 2001:db8:1::1/64>2001:db8:100::1" \
        learned west router_west
    check_eq "$WEST_V4 $WEST_V6" advertised west
    agrees_with_full east west

    nbctl east set Logical_Router_Port lrp-router_east-ts1 \
        options:ic-route-ipv4-next-hop-ipv6=false
    route_sync
    check_eq "ts1:10.10.0.0/16>169.254.100.1:static $EAST_V4 $EAST_V6" \
        advertised east

    # Without an IPv6 address on the port, IPv4 as before.
    nbctl west set Logical_Router router_west \
        options:ic-route-ipv4-next-hop-ipv6=true
    nbctl west set Logical_Router_Port lrp-router_west-ts1 \
        networks=169.254.100.2/24
    route_sync
    check_eq "$WEST_V4" advertised west
}

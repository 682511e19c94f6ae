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
    # West's remote port moved with it, and was never taken for a local
    # port of the same name.
    ! grep -q "refused" "$T/west-ic.log" ||
        fail "$(grep refused "$T/west-ic.log")"
}

# A "switch" port on a transit switch (upstream 25.03+, spine-leaf) joins
# it to another logical switch: it is published with address "unknown"
# and, as gateway, the chassis that claimed it.  Debian's northd does not
# know the type, but gives it a binding, which is all the daemon needs.
test_switch_port_published() {
    gateway_zones east west
    transit_switch_add ts1 east west
    nbctl east ls-add ls1
    # Debian's ovn-nbctl refuses the type; the generic command does not.
    nbctl east lsp-add ts1 spine-to-ls1 -- \
        set Logical_Switch_Port spine-to-ls1 type=switch -- \
        lsp-set-options spine-to-ls1 requested-chassis=gw_east
    nbctl east --wait=sb sync
    wait_until sbctl east --bare --columns=_uuid find Port_Binding \
        logical_port=spine-to-ls1
    wait_eq unknown isb_pb spine-to-ls1 address
    check_eq "" isb_pb spine-to-ls1 gateway
    # Stand in for ovn-controller's claim on the requested chassis.
    sbctl east lsp-bind spine-to-ls1 gw_east
    wait_eq gw_east isb_pb spine-to-ls1 gateway
    local key
    key=$(isb_pb spine-to-ls1 tunnel_key)
    check_eq "$key" lsp_option east spine-to-ls1 requested-tnl-key

    # West mirrors it as a remote port that takes any address, bound to
    # east's gateway.
    wait_eq '[unknown]' nbctl west get Logical_Switch_Port spine-to-ls1 \
        addresses
    check_eq remote nbctl west get Logical_Switch_Port spine-to-ls1 type
    check_eq "$key" lsp_option west spine-to-ls1 requested-tnl-key
    zone_sync west
    local gw
    gw=$(sbctl west --bare --columns=_uuid find Chassis name=gw_east)
    wait_eq "$gw" sbctl west --bare --columns=chassis find Port_Binding \
        logical_port=spine-to-ls1

    # Any other type is not published.
    nbctl east lsp-add ts1 vm-on-ts
    nbctl east --wait=sb sync
    ic_sync
    check_eq "" isb_pb vm-on-ts _uuid
    check_eq "" nbctl west --bare --columns=name find Logical_Switch_Port \
        name=vm-on-ts
}

# lsp_peer ZONE PORT: the "peer" column of a switch port, which Debian's
# ovn-nbctl does not know.
lsp_peer() {
    ovsdb-client --format=csv --data=bare --no-headings dump \
        unix:"$T/$1-nb.sock" OVN_Northbound Logical_Switch_Port name peer |
        sed -n "s/^$2,//p"
}

# nb_schema_with_peer: schemas for a zone whose NB has
# Logical_Switch_Port.peer in $T/schemas, and for one whose NB lacks it in
# $T/schemas-nopeer; either northd ignores what it does not know.
nb_schema_with_peer() {
    nb_schema_peer "$T/schemas" add
    nb_schema_peer "$T/schemas-nopeer" remove
}

# nb_schema_peer DIR add|remove: this OVN's NB and SB schemas in DIR, with
# Logical_Switch_Port.peer added (as NB 7.11.0, OVN 25.03, has it) or taken
# away (as Debian's 23.03 lacks it), whichever OVN the test runs.
nb_schema_peer() {
    mkdir -p "$1"
    cp "$OVN_SCHEMAS/ovn-sb.ovsschema" "$1/"
    python3 - "$OVN_SCHEMAS/ovn-nb.ovsschema" "$1/ovn-nb.ovsschema" "$2" \
        <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
cols = s["tables"]["Logical_Switch_Port"]["columns"]
if sys.argv[3] == "add" and "peer" not in cols:
    s["version"] = "7.11.0"
    cols["peer"] = {"type": {"key": "string", "min": 0, "max": 1}}
elif sys.argv[3] == "remove":
    cols.pop("peer", None)
json.dump(s, open(sys.argv[2], "w"), indent=4)
PY
}

# A transit switch port of a type other than "router" names its peer in
# the mirror's "peer" column (a router's goes in options:router-port), in
# every zone, as upstream does; against an NB without the column (Debian's
# 23.03) the port is mirrored without it, and that is reported once.
test_transit_switch_port_peer() {
    nb_schema_with_peer
    ic_dbs_start
    OVN_SCHEMAS=$T/schemas zone_start east
    OVN_SCHEMAS=$T/schemas-nopeer zone_start west
    ic_start east
    ic_start west
    fake_gateway east gw_east 192.168.0.1
    fake_gateway west gw_west 192.168.0.2
    transit_switch_add ts1 east west

    icnbctl tsp-add ts1 tsp1 type=router chassis=gw_east peer=lrp1
    icnbctl tsp-set-addr tsp1 "00:00:00:00:00:02 10.0.1.2/24"
    wait_eq router nbctl east get Logical_Switch_Port tsp1 type
    check_eq lrp1 lsp_option east tsp1 router-port
    check_eq "" lsp_peer east tsp1

    # Not a router port any more: the peer moves to the column.
    icnbctl set Transit_Switch_Port tsp1 'type=""'
    wait_eq lrp1 lsp_peer east tsp1
    check_eq '""' nbctl east get Logical_Switch_Port tsp1 type
    check_eq "" nbctl east --bare --columns=name find Logical_Switch_Port \
        name=tsp1 options:router-port=lrp1
    icnbctl set Transit_Switch_Port tsp1 type=switch peer=ls1-to-spine
    wait_eq ls1-to-spine lsp_peer east tsp1

    # West's NB has no such column: the port is there, the peer is not,
    # and the problem is listed; the IDL said once that the column lacks.
    wait_eq remote nbctl west get Logical_Switch_Port tsp1 type
    wait_until eval 'ic_ctl west problems/show |
        grep -q "tsp1.*no Logical_Switch_Port.peer column"'
    check_eq 1 grep -c "lacks peer column" "$T/west-ic.log"
    ! grep -q "lacks peer column" "$T/east-ic.log" ||
        fail "east's NB has the column, yet the IDL says it lacks it"
    # And the missing column costs nothing: a full pass writes nothing.
    local commits
    commits=$(ic_commits west)
    ic_ctl west engine/recompute
    ic_ctl west engine/recompute
    ic_ctl west engine/show > /dev/null
    check_eq "$commits" ic_commits west

    # Back to a router port: the column is cleared.
    icnbctl set Transit_Switch_Port tsp1 type=router peer=lrp1
    wait_eq lrp1 lsp_option east tsp1 router-port
    check_eq "" lsp_peer east tsp1
    wait_until eval '! ic_ctl west problems/show | grep -q tsp1'
}

# Schemas: client views and compatibility with Debian's OVN.

test_client_views_are_subsets_of_installed_schemas() {
    check "$SCHEMAS/client-view.py" check "$SCHEMAS/ovn-nb-cv.ovsschema" \
        "$DEBIAN_OVN_SCHEMAS/ovn-nb.ovsschema"
    check "$SCHEMAS/client-view.py" check "$SCHEMAS/ovn-sb-cv.ovsschema" \
        "$DEBIAN_OVN_SCHEMAS/ovn-sb.ovsschema"
    # The check itself catches a column that is not in the real schema.
    sed 's/"name": {/"no_such_column": {/' "$SCHEMAS/ovn-nb-cv.ovsschema" \
        > "$T/bad.ovsschema"
    "$SCHEMAS/client-view.py" check "$T/bad.ovsschema" \
        "$DEBIAN_OVN_SCHEMAS/ovn-nb.ovsschema" 2>/dev/null &&
        fail "a bad client view passed the check"
    return 0
}

test_ic_schemas_are_supersets_of_debians() {
    python3 - "$SCHEMAS" "$DEBIAN_OVN_SCHEMAS" <<'PY' || fail "not a superset"
import json, sys
ours_dir, theirs_dir = sys.argv[1:]
bad = []
for name in ("ovn-ic-nb", "ovn-ic-sb"):
    ours = json.load(open("%s/%s.ovsschema" % (ours_dir, name)))
    theirs = json.load(open("%s/%s.ovsschema" % (theirs_dir, name)))
    assert ours["name"] == theirs["name"]
    for table, t in theirs["tables"].items():
        if table not in ours["tables"]:
            bad.append("%s: table %s missing" % (name, table))
            continue
        for col in t["columns"]:
            if col not in ours["tables"][table]["columns"]:
                bad.append("%s: column %s.%s missing" % (name, table, col))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

test_debian_tools_work_with_our_schemas() {
    IC_NBCTL=/usr/bin/ovn-ic-nbctl IC_SBCTL=/usr/bin/ovn-ic-sbctl
    ic_dbs_start
    check icnbctl ts-add ts1
    check_eq "Transit_Switch ts1" icnbctl show
    check icsbctl create Availability_Zone name=az1
    check_eq "availability-zone az1" icsbctl show
}

test_our_daemon_works_with_debians_ic_schemas() {
    ic_dbs_start "$DEBIAN_OVN_SCHEMAS"
    zone_start east
    zone_start west
    ic_start east
    ic_start west
    fake_gateway east gw_east 192.168.0.1
    fake_gateway west gw_west 192.168.0.2
    icnbctl ts-add ts1
    wait_until nbctl east get Logical_Switch ts1 \
        other_config:requested-tnl-key
    zone_router east router_east aa:aa:aa:aa:aa:01 169.254.100.1/24 ts1 \
        gw_east
    zone_router west router_west aa:aa:aa:aa:aa:02 169.254.100.2/24 ts1 \
        gw_west
    wait_reference_ports
    grep -q "handshake is off" "$T/east-ic.log" ||
        fail "no log line about the older schemas"
    check_eq "Status: active" ic_ctl east status
    check_eq "Status: active" ic_ctl west status
}

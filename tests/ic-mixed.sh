# Mixed zones: our daemon in one zone, upstream's ovn-ic in the other
# (Debian's 23.03, or 26.03 with TEST_OVN=current).  Both ways round, every
# database must end up as it does with upstream alone, with and without
# route exchange.

# db_state: prints what the daemons derive, without UUIDs, sorted.
db_state() {
    local z
    for z in east west; do
        echo "== $z NB switches"
        # Upstream 25.03 and later, and ours, write ic-vxlan_mode=false on
        # every transit switch they create; Debian's 23.03 predates VXLAN
        # mode and never writes the key, so its absence is no difference.
        nbctl $z --format=csv --no-headings --columns=name,other_config \
            list Logical_Switch |
            sed -E 's/ic-vxlan_mode=("")?false("")?(, )?//' | sort
        echo "== $z NB switch ports"
        nbctl $z --format=csv --no-headings \
            --columns=name,type,addresses,options list Logical_Switch_Port |
            sort
        echo "== $z SB remote chassis"
        sbctl $z --format=csv --no-headings \
            --columns=name,hostname,other_config,external_ids \
            find Chassis other_config:is-remote=true | sort
        echo "== $z SB remote encaps"
        sbctl $z --format=csv --no-headings --columns=chassis_name,type,ip \
            list Encap | sort
        echo "== $z SB remote port binding"
        local ch
        ch=$(sbctl $z --bare --columns=chassis find Port_Binding \
             type=remote)
        [ -n "$ch" ] && sbctl $z --bare --columns=name list Chassis "$ch"
    done
    for z in east west; do
        # Learned routes point at their IC-SB route by UUID; what counts is
        # that each has one.
        echo "== $z NB static routes"
        nbctl $z --format=csv --data=bare --no-headings \
            --columns=ip_prefix,nexthop,route_table,options,external_ids \
            list Logical_Router_Static_Route |
            sed -E 's/ic-learned-route=[0-9a-f-]{36}/ic-learned-route/' |
            sort
    done
    echo "== IC-SB"
    icsbctl --format=csv --data=bare --no-headings \
        --columns=transit_switch,ip_prefix,nexthop,origin,route_table \
        list Route | sort
    icsbctl --format=csv --no-headings --columns=name list Availability_Zone |
        sort
    icsbctl --format=csv --no-headings --columns=name,hostname list Gateway |
        sort
    icsbctl --format=csv --no-headings --columns=transit_switch,tunnel_key \
        list Datapath_Binding | sort
    icsbctl --format=csv --no-headings \
        --columns=logical_port,transit_switch,tunnel_key,address,gateway \
        list Port_Binding | sort
}

# normalize_keys FILE: rewrites db_state's tunnel keys as placeholders, but
# only where they agree with IC-SB.  Keys are allocated at run time, and when
# a daemon without the global lock (Debian's) races ours for the same
# datapath, which key survives is a matter of timing, not of correctness;
# that every zone uses the key IC-SB holds is.
normalize_keys() {
    python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
dp = {}      # transit switch -> key
pb = {}      # logical port -> key
for l in lines:
    m = re.match(r'^(ts\d+),(\d+)$', l)
    if m:
        dp[m.group(1)] = m.group(2)
    m = re.match(r'^(lsp-[^,]+),(ts\d+),(\d+),', l)
    if m:
        pb[m.group(1)] = m.group(3)
out = []
for l in lines:
    m = re.match(r'^(ts\d+),(\d+)$', l)
    if m:
        l = "%s,<dp-key>" % m.group(1)
    m = re.match(r'^(lsp-[^,]+),(ts\d+),(\d+),(.*)$', l)
    if m:
        l = "%s,%s,<key>,%s" % (m.group(1), m.group(2), m.group(4))
    m = re.match(r'^(ts\d+),.*requested-tnl-key=""(\d+)""', l)
    if m and dp.get(m.group(1)) == m.group(2):
        l = l.replace('""%s""' % m.group(2), '""<dp-key>""')
    m = re.match(r'^(lsp-[^,]+),.*requested-tnl-key=""(\d+)""', l)
    if m and pb.get(m.group(1)) == m.group(2):
        l = l.replace('""%s""' % m.group(2), '""<key>""')
    out.append(l)
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
}

# run_reference EAST_KIND WEST_KIND OUT: builds the reference topology with
# the given daemons, waits until it settles, and saves db_state to OUT.
run_reference() {
    EAST_IC=$1 WEST_IC=$2 reference_topology
    [ -n "${MIXED_ROUTES:-}" ] && route_config
    wait_reference_ports
    [ -n "${MIXED_ROUTES:-}" ] && wait_reference_routes
    zone_sync east
    zone_sync west
    local z
    for z in east west; do
        wait_until test -n "$(sbctl $z --bare --columns=chassis find \
            Port_Binding type=remote)"
    done
    # Settled means two consecutive snapshots agree after a round trip
    # through every database.  Debian's daemons have no --wait=sb
    # handshake to wait on, so this compares snapshots until they agree,
    # and fails if they still differ after $WAIT_SECONDS.
    local prev= deadline=$(( $(date +%s) + WAIT_SECONDS ))
    while :; do
        zone_sync east
        zone_sync west
        db_state > "$3"
        [ "$(cat "$3")" = "$prev" ] && break
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "$prev" > "$3.prev"
            diff -u "$3.prev" "$3"
            fail "the databases did not settle within ${WAIT_SECONDS}s" \
                "(last two snapshots differ as shown above)"
        fi
        prev=$(cat "$3")
    done
    normalize_keys "$3"
}

# route_config: route exchange on in both zones, a connected network and a
# static route behind each router.
route_config() {
    local z n=1
    for z in east west; do
        nbctl $z set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
        nbctl $z lrp-add router_$z lrp-router_$z-lan 00:00:00:00:0$n:01 \
            192.168.$n.1/24
        nbctl $z lr-route-add router_$z 10.$n.0.0/16 192.168.$n.254
        n=$((n + 1))
    done
}

# n_learned ZONE: how many learned routes ZONE's NB holds.
n_learned() {
    nbctl "$1" --bare --columns=_uuid find Logical_Router_Static_Route \
        external_ids:ic-learned-route!=[] | grep -c .
}

# wait_reference_routes: waits until each zone learned the other's two
# routes (its static route and its connected network).
wait_reference_routes() {
    wait_eq 2 n_learned east
    wait_eq 2 n_learned west
}

# compare_with_upstream EAST_KIND WEST_KIND
compare_with_upstream() {
    run_reference upstream upstream "$T/upstream.state"
    teardown
    rm -f "$T"/*.db "$T"/*.pid
    run_reference "$1" "$2" "$T/mixed.state"
    diff -u "$T/upstream.state" "$T/mixed.state" ||
        fail "databases differ from upstream's"
    grep -q "aa:aa:aa:aa:aa:02 169.254.100.2/24" "$T/mixed.state" ||
        fail "state lacks the remote port"
    if [ -n "${MIXED_ROUTES:-}" ]; then
        grep -q '^10.2.0.0/16,169.254.100.2,.*ic-learned-route' \
            "$T/mixed.state" || fail "state lacks east's learned route"
        grep -q '^ts1,10.1.0.0/16,169.254.100.1,static,' "$T/mixed.state" ||
            fail "state lacks east's advertised route"
    fi
    # Every zone uses the keys IC-SB holds.
    grep -q 'requested-tnl-key=""[0-9]' "$T/mixed.state" &&
        fail "a zone uses a key IC-SB does not hold"
    return 0
}

test_ours_east_debian_west() {
    compare_with_upstream ours upstream
}

test_debian_east_ours_west() {
    compare_with_upstream upstream ours
}

test_routes_ours_east_debian_west() {
    MIXED_ROUTES=yes compare_with_upstream ours upstream
}

test_routes_debian_east_ours_west() {
    MIXED_ROUTES=yes compare_with_upstream upstream ours
}

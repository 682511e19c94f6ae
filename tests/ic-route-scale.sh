# Learned routes at a large count (issue #11): zone z2 advertises
# $ROUTE_SCALE_N static routes (default 10,000) of one router, zone z1
# learns them into one router, and the learned set stays exactly right
# through bulk and single additions and removals, with every learned route
# in the router's static_routes and a forced full recompute finding
# nothing to write.  Routes are written over JSON-RPC in one transaction
# per batch (tests/perf/bench_helper.py's client): ovn-nbctl would take
# minutes.  ROUTE_SCALE_N=100000 takes about 8 minutes, most of it in the
# checks, which read every route.

ROUTE_SCALE_N=${ROUTE_SCALE_N:-10000}

# routes_py ARGS...: runs the JSON-RPC helper below.
routes_py() {
    python3 - "$TOP_SRCDIR/tests/perf" "$T" "$@" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from bench_helper import Conn      # noqa: E402

T, cmd, args = sys.argv[2], sys.argv[3], sys.argv[4:]


def prefix(i):
    return "100.%d.%d.%d/32" % (64 + (i >> 16), (i >> 8) & 255, i & 255)


def indexes(spec):
    """'A:B:STEP' -> range(A, B, STEP)."""
    a, b, step = (int(x) for x in spec.split(":"))
    return range(a, b, step)


def nb(zone):
    return Conn("%s/%s-nb.sock" % (T, zone))


def router_uuid(c, name):
    rows = c.transact("OVN_Northbound", [
        {"op": "select", "table": "Logical_Router",
         "where": [["name", "==", name]], "columns": ["_uuid"]}])[0]["rows"]
    return rows[0]["_uuid"]


if cmd == "add":                    # add ZONE ROUTER A:B:STEP
    c = nb(args[0])
    lr = router_uuid(c, args[1])
    ops, names = [], []
    for i in indexes(args[2]):
        name = "r%d" % i
        names.append(["named-uuid", name])
        ops.append({"op": "insert", "table": "Logical_Router_Static_Route",
                    "uuid-name": name,
                    "row": {"ip_prefix": prefix(i),
                            "nexthop": "192.168.200.1"}})
    ops.append({"op": "mutate", "table": "Logical_Router",
                "where": [["_uuid", "==", lr]],
                "mutations": [["static_routes", "insert",
                               ["set", names]]]})
    c.transact("OVN_Northbound", ops)
elif cmd == "del":                  # del ZONE ROUTER A:B:STEP
    c = nb(args[0])
    lr = router_uuid(c, args[1])
    want = set(prefix(i) for i in indexes(args[2]))
    rows = c.transact("OVN_Northbound", [
        {"op": "select", "table": "Logical_Router_Static_Route",
         "where": [], "columns": ["_uuid", "ip_prefix"]}])[0]["rows"]
    gone = [r["_uuid"] for r in rows if r["ip_prefix"] in want]
    c.transact("OVN_Northbound", [
        {"op": "mutate", "table": "Logical_Router",
         "where": [["_uuid", "==", lr]],
         "mutations": [["static_routes", "delete", ["set", gone]]]}])
elif cmd == "check":                # check ZONE ROUTER NEXTHOP A:B:STEP...
    # Prints "ok" if the router's learned routes are exactly the prefixes
    # of the ranges, each once, with NEXTHOP, every learned row being in
    # the router; else what differs.
    c = nb(args[0])
    want = set()
    for spec in args[3:]:
        want |= set(prefix(i) for i in indexes(spec))
    res = c.transact("OVN_Northbound", [
        {"op": "select", "table": "Logical_Router",
         "where": [["name", "==", args[1]]], "columns": ["static_routes"]},
        {"op": "select", "table": "Logical_Router_Static_Route",
         "where": [], "columns": ["_uuid", "ip_prefix", "nexthop",
                                  "external_ids"]}])
    sr = res[0]["rows"][0]["static_routes"]
    held = set(u for _, u in sr[1]) if sr[0] == "set" else {sr[1]}
    learned = [r for r in res[1]["rows"]
               if any(k == "ic-learned-route" for k, _ in
                      r["external_ids"][1])]
    problems = []
    orphans = [r for r in learned if r["_uuid"][1] not in held]
    if orphans:
        problems.append("%d learned routes in no router" % len(orphans))
    mine = [r for r in learned if r["_uuid"][1] in held]
    got = [r["ip_prefix"] for r in mine]
    if len(got) != len(set(got)):
        problems.append("%d duplicates" % (len(got) - len(set(got))))
    bad_nh = [r for r in mine if r["nexthop"] != args[2]]
    if bad_nh:
        problems.append("%d with another next hop" % len(bad_nh))
    missing, extra = want - set(got), set(got) - want
    if missing or extra:
        problems.append("%d missing (%s), %d extra (%s)" % (
            len(missing), " ".join(sorted(missing)[:3]),
            len(extra), " ".join(sorted(extra)[:3])))
    print("; ".join(problems) if problems else "ok")
else:
    raise SystemExit("unknown command " + cmd)
EOF
}

# wait_learned RANGE...: waits until z1's r_z1 learned exactly RANGE...
wait_learned() {
    wait_eq ok routes_py check z1 r_z1 169.254.100.2 "$@"
}

# settled_commits ZONE...: the zones' commit counters after a forced full
# recompute in each.
settled_commits() {
    local z p
    for z in "$@"; do
        p=$(step_runs "$z" route)
        ic_ctl "$z" engine/recompute
        wait_until test "$(step_runs "$z" route)" -gt "$p"
        ic_ctl "$z" engine/show > /dev/null
    done
    for z in "$@"; do
        ic_commits "$z"
    done | paste -sd' '
}

test_many_learned_routes_stay_exact() {
    local n=$ROUTE_SCALE_N
    # The checks themselves read every route: at 100,000 one takes seconds,
    # so every wait gets at least a second per 300 routes.
    local WAIT_SECONDS=$((WAIT_SECONDS > n / 300 ? WAIT_SECONDS : n / 300))
    gateway_zones z1 z2
    local z
    for z in z1 z2; do
        nbctl "$z" set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
    done
    transit_switch_add ts1 z1 z2
    ts_zone_routers ts1 z1 z2
    # Neither daemon needs northd for routes any more, and its logical
    # flows for 10,000 routes would take most of the test's time.
    for z in z1 z2; do
        stop_pidfile "$T/$z-northd.pid"
    done

    # All of them at once, and then a quarter gone and a fifth more, each
    # in one transaction.
    check routes_py add z2 r_z2 "0:$n:1"
    wait_learned "0:$n:1"
    check routes_py del z2 r_z2 "0:$n:4"
    wait_learned "1:$n:4" "2:$n:4" "3:$n:4"
    check routes_py add z2 r_z2 "$n:$((n + n / 5)):1"
    wait_learned "1:$n:4" "2:$n:4" "3:$n:4" "$n:$((n + n / 5)):1"

    # One route at a time: the path a route change takes all day.
    local i
    for i in 0 4 8 12 16; do
        check routes_py add z2 r_z2 "$i:$((i + 1)):1"
        check routes_py del z2 r_z2 "$((i + 1)):$((i + 2)):1"
    done
    wait_learned "0:20:4" "2:$n:4" "3:$n:4" "21:$n:4" \
        "$n:$((n + n / 5)):1"

    # What the incremental runs left is what a full run computes.
    local before after
    before=$(for z in z1 z2; do ic_commits "$z"; done | paste -sd' ')
    after=$(settled_commits z1 z2)
    [ "$before" = "$after" ] ||
        fail "a full recompute wrote: commits $before -> $after"

    # And all of them gone.
    check routes_py del z2 r_z2 "0:$((n + n / 5)):1"
    wait_learned
}

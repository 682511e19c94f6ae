#!/bin/bash
# Transit switch benchmark: how fast do three zones' ovn-ic daemons
# converge on N transit switches, each with one router port per zone, and
# what does it cost them?  Compares our daemon with Debian's ovn-ic 23.03.
#
#   tests/perf/bench-ts.sh [-n N] [-k "ours upstream"] [-t TIMEOUT]
#                          [-i IDLE_SECONDS] [-p] [-K] [-o OUT_DIR]
#
#   -n N        transit switches (default 1000); -n 50 is a quick smoke run
#   -r ROUTES   static routes per router per zone, advertised and learned
#               (ic-route-adv/learn=true in every zone; default 0 = ports
#               only); convergence then also waits for 3*N*ROUTES IC-SB
#               routes and 2*N*ROUTES learned routes in every zone
#   -N          stop the northds before the daemons start (neither kind
#               needs them once the cr- ports are bound; on 2 cores their
#               logical-flow work for the learned routes competes with the
#               daemons)
#   -k KINDS    daemon kinds to run, in order (default "ours upstream")
#   -t TIMEOUT  seconds to wait for convergence per kind (default 900)
#   -i SECONDS  idle measurement window after convergence (default 10)
#   -w SECONDS  stall detection: when the counts have not moved and the
#               daemons have used no CPU for this long before convergence,
#               wake every daemon with a harmless unixctl command (default
#               5; 0 = never, a stalled daemon then runs into the timeout)
#   -p          profile zone z1's daemon with "perf record -g" during the
#               run of each kind; the report goes to
#               OUT_DIR/profile-ts-KIND-N.txt
#   -K          keep the lab directories (/tmp/bts.*) for inspection
#   -o OUT_DIR  where results and profiles go (default $PERF_OUT_DIR, or
#               else /tmp/ovn-ic-perf): results are appended to
#               OUT_DIR/results-ts.txt, or to $RESULTS if set
#
# See tests/perf/README.md for what is measured and how.
set -u
PERF_DIR=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$PERF_DIR/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
export TOP_SRCDIR TOP_BUILDDIR
. "$PERF_DIR/bench-lab.sh"
HELPER="python3 $PERF_DIR/bench_helper.py"
OUT_DIR=${PERF_OUT_DIR:-/tmp/ovn-ic-perf}

N=1000
ROUTES=0
STOP_NORTHD=
KINDS="ours upstream"
TIMEOUT=900
IDLE=10
NUDGE=5
PROFILE=
KEEP=
while getopts n:r:Nk:t:i:w:pKo: opt; do
    case $opt in
        r) ROUTES=$OPTARG ;;
        N) STOP_NORTHD=1 ;;
        o) OUT_DIR=$OPTARG ;;
        n) N=$OPTARG ;;
        k) KINDS=$OPTARG ;;
        t) TIMEOUT=$OPTARG ;;
        i) IDLE=$OPTARG ;;
        w) NUDGE=$OPTARG ;;
        p) PROFILE=1 ;;
        K) KEEP=1 ;;
        *) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
# Results and profiles are generated: they go outside the source tree.
mkdir -p "$OUT_DIR" || exit 1
RESULTS=${RESULTS:-$OUT_DIR/${RESULTS_NAME:-results-ts.txt}}
export BENCH_ROUTES=$ROUTES

OUT=$(mktemp -d /tmp/btsout.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# run_kind KIND: builds a fresh lab, the topology, starts three daemons of
# KIND and measures.  Writes the measurement as JSON to $OUT/KIND.json.
run_kind() {
    local kind=$1
    (
        # Progress goes to the terminal (fd 3); the daemons' and tools'
        # chatter to $T/bench.log, shown if the run fails.
        bench_lab_start bts
        log() { echo "[$kind $(date +%T)] $*" >&3; }

        # Databases, northds and one fake interconnection gateway per zone.
        ic_dbs_start
        local z zones="z1 z2 z3"
        for z in $zones; do
            zone_start "$z"
            fake_gateway "$z" "gw-$z" "192.168.0.${z#z}"
        done

        # The topology, before any daemon runs.  Transit switches in IC-NB;
        # in each zone the switches themselves, pre-created with
        # other_config:interconn-ts so that both kinds of daemon adopt them
        # instead of creating them, plus a router per switch whose port on
        # the switch has a gateway chassis.
        log "creating topology, N=$N"
        local t=$(date +%s.%N)
        check $HELPER icnb "$T/icnb.sock" "$N"
        for z in $zones; do
            $HELPER zone "$T/$z-nb.sock" "${z#z}" "$N" "gw-$z" "$ROUTES" &
        done
        wait || true
        for z in $zones; do
            [ "$(count_rows nbctl "$z" list Logical_Switch)" = "$N" ] ||
                fail "zone $z: topology not created"
        done
        # northd creates the cr- ports; bind them to the gateway as
        # ovn-controller would.
        for z in $zones; do
            check nbctl "$z" --timeout="$TIMEOUT" --wait=sb sync
        done
        for z in $zones; do
            check $HELPER bind "$T/$z-sb.sock" "$N" "gw-$z" "$TIMEOUT"
        done
        for z in $zones; do
            check nbctl "$z" --timeout="$TIMEOUT" --wait=sb sync
        done
        log "topology ready in $(echo "$(date +%s.%N) - $t" | bc) s"

        local ic_pids=() nd_pids=()
        for z in $zones; do
            ic_pids+=("$T/$z-ic.pid")
            nd_pids+=("$T/$z-northd.pid")
        done
        if [ -n "$STOP_NORTHD" ]; then
            for z in $zones; do
                stop_pidfile "$T/$z-northd.pid"
            done
            nd_pids=()
        fi
        # The database servers whose CPU is reported.
        local srv=() srv_files=() s
        for s in icsb icnb z1-nb z2-nb z3-nb z1-sb z2-sb z3-sb; do
            srv+=("$s=$T/$s.pid")
            srv_files+=("$T/$s.pid")
        done
        export BENCH_SERVERS=$(IFS=,; echo "${srv[*]}")
        export BENCH_SERVERS_CPU0=$($HELPER cpus "${srv_files[@]}")
        local nd0 load0 t0 perf_pid=
        nd0=$($HELPER cpu "${nd_pids[@]}")
        load0=$(loadavg)
        log "starting 3 $kind daemons (load average $load0)"
        t0=$(date +%s.%N)
        for z in $zones; do
            ic_start "$z" "$kind" &
        done
        wait
        for z in $zones; do
            [ -s "$T/$z-ic.pid" ] || fail "$kind daemon for $z did not start"
        done
        if [ -n "$PROFILE" ]; then
            # The daemons are built without frame pointers: unwind with DWARF.
            perf record -q --call-graph dwarf,16384 -F 499 -o "$T/perf.data" \
                -p "$(cat "$T/z1-ic.pid")" > "$T/perf.log" 2>&1 &
            perf_pid=$!
        fi
        $HELPER measure "$N" "$t0" "$TIMEOUT" "$IDLE" "$T/icsb.sock" \
            "$(IFS=,; echo "${ic_pids[*]}")" "$(IFS=,; echo "${nd_pids[*]}")" \
            "$nd0" "$NUDGE" "$T/z1-nb.sock" "$T/z2-nb.sock" "$T/z3-nb.sock" \
            > "$OUT/$kind.json" || fail "measurement failed"
        # What the engines did (ours only), kept with -K.
        if [ "$kind" = ours ]; then
            for z in $zones; do
                { ic_ctl "$z" engine/show; ic_ctl "$z" status/show; } \
                    > "$T/$z-engine.txt" 2>&1
            done
        fi
        if [ -n "$perf_pid" ]; then
            kill -INT "$perf_pid"
            wait "$perf_pid"
            {
                echo "## self time (daemon of z1, whole run incl. idle window)"
                perf report -i "$T/perf.data" --no-children --stdio \
                    --percent-limit 1 -g none 2>/dev/null | grep -v '^#'
                echo "## inclusive time (children)"
                perf report -i "$T/perf.data" --children --stdio \
                    --percent-limit 3 -g none 2>/dev/null | grep -v '^#'
                echo "## callers of the top self-time symbols"
                perf report -i "$T/perf.data" --no-children --stdio \
                    --percent-limit 5 -g caller,2,callee,function,percent \
                    2>/dev/null | grep -v '^#'
            } > "$OUT_DIR/profile-ts-$kind-$N.txt"
            log "profile in $OUT_DIR/profile-ts-$kind-$N.txt"
        fi
        # Add the load averages and the daemons' failed transactions (mostly
        # races between the three zones allocating the same IC-SB keys).
        local errs
        errs=$(cat "$T"/z*-ic.log | grep -c 'transaction error')
        python3 - "$OUT/$kind.json" "$kind" "$load0" "$(loadavg)" "$errs" <<'EOF'
import json, sys
f, kind, l0, l1, errs = sys.argv[1:]
d = json.load(open(f))
d.update(kind=kind, load_start=l0, load_end=l1, txn_errors=int(errs))
json.dump(d, open(f, "w"))
EOF
        log "done: $(cat "$OUT/$kind.json")"
    )
}

for kind in $KINDS; do
    run_kind "$kind" || echo "run of $kind failed" >&2
done

report=$(python3 - "$OUT" "$IDLE" $KINDS <<'EOF'
import json, os, sys
out, idle, kinds = sys.argv[1], sys.argv[2], sys.argv[3:]
res = {}
for k in kinds:
    p = os.path.join(out, k + ".json")
    if os.path.exists(p):
        res[k] = json.load(open(p))
if not res:
    sys.exit("no results")
n = next(iter(res.values()))["n"]
routes = next(iter(res.values())).get("routes", 0)
print("N=%d transit switches, 3 zones, 3 daemons per kind, "
      "%d ports per zone" % (n, n)
      + (", %d routes per router per zone (%d IC-SB routes, %d learned "
         "per zone)" % (routes, 3 * n * routes, 2 * n * routes)
         if routes else ""))
hdr = ("kind", "converge(s)", "-stalls(s)", "CPU/daemon z1,z2,z3 (s)", "CPU sum",
       "RSS MB (max)", "idle CPU %ss sum" % idle, "northd CPU", "load avg start")
fmt = "%-9s %-11s %-10s %-24s %-8s %-12s %-16s %-10s %s"
print(fmt % hdr)
for k, d in res.items():
    t = ("%.2f" % d["time"]) if d["converged"] else ("TIMEOUT>%.0f" % d["time"])
    print(fmt % (k, t, "%.2f" % (d["time"] - d["stalled"]), ",".join("%.2f" % c for c in d["cpu"]),
                 "%.2f" % sum(d["cpu"]), "%.1f" % max(d["rss_mb"]),
                 "%.2f" % sum(d["idle_cpu"]), "%.2f" % d["northd_cpu"],
                 d["load_start"]))
if any(d.get("servers_cpu") for d in res.values()):
    print("per daemon z1,z2,z3 and database servers' CPU from the start to "
          "convergence:")
    fmt2 = "%-9s %-20s %-20s %-8s %-8s %-18s %s"
    print(fmt2 % ("kind", "CPU s", "peak RSS MB", "IC-SB", "IC-NB",
                  "NB z1,z2,z3", "SB z1,z2,z3"))
    for k, d in res.items():
        sc = d["servers_cpu"]
        print(fmt2 % (k, "/".join("%.2f" % c for c in d["cpu"]),
                      "/".join("%.0f" % r for r in d["rss_mb"]),
                      "%.2f" % sc["icsb"], "%.2f" % sc["icnb"],
                      "/".join("%.2f" % sc["z%d-nb" % i] for i in (1, 2, 3)),
                      "/".join("%.2f" % sc["z%d-sb" % i] for i in (1, 2, 3))))
for k, d in res.items():
    extra = ("settle %.1fs, load at end %s, failed daemon transactions %d, "
             "stall nudges %d (stalled %.1fs of the converge time)") % (
        d["settle"], d["load_end"], d["txn_errors"], d["nudges"],
        d["stalled"])
    if not d["converged"]:
        extra += ", counts at timeout [icsb(dp,pb), z(tnlkeys,remote)...] %s" \
            % d["counts"]
    if d["counts_end"] != d["counts"] and d["converged"]:
        extra += ", counts changed after convergence: %s" % d["counts_end"]
    print("  %s: %s" % (k, extra))
if "ours" in res and "upstream" in res:
    o, u = res["ours"], res["upstream"]
    def r(a, b):
        return "%.2f" % (a / b) if b > 0 else ("n/a" if a == 0 else "inf")
    print("upstream/ours: converge %s (without stalls %s), CPU %s, RSS %s, "
          "idle CPU %s%s" % (
        r(u["time"], o["time"]),
        r(u["time"] - u["stalled"], o["time"] - o["stalled"]),
        r(sum(u["cpu"]), sum(o["cpu"])),
        r(max(u["rss_mb"]), max(o["rss_mb"])),
        r(sum(u["idle_cpu"]), sum(o["idle_cpu"])),
        "" if o["converged"] and u["converged"]
        else " (a run timed out: time ratios are lower bounds)"))
    if o.get("servers_cpu") and u.get("servers_cpu"):
        def nb(d):
            return sum(d["servers_cpu"]["z%d-nb" % i] for i in (1, 2, 3))
        print("upstream/ours: CPU per daemon max %s, peak RSS per daemon "
              "max %s (ours/upstream %s), IC-SB server CPU %s, NB servers "
              "CPU %s" % (
            r(max(u["cpu"]), max(o["cpu"])),
            r(max(u["rss_mb"]), max(o["rss_mb"])),
            r(max(o["rss_mb"]), max(u["rss_mb"])),
            r(u["servers_cpu"]["icsb"], o["servers_cpu"]["icsb"]),
            r(nb(u), nb(o))))
EOF
) || exit 1
echo "$report"
{
    echo "=== $(date '+%Y-%m-%d %H:%M:%S %z') bench-ts.sh -n $N -r $ROUTES${STOP_NORTHD:+ -N} ($(nproc) CPUs, load now $(loadavg))"
    echo "$report"
    echo
} >> "$RESULTS"

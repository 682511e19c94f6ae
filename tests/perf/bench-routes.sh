#!/bin/bash
# Route scale benchmark: with R static routes of zone z2 already advertised
# and learned by zone z1, how long does ONE more route take to be learned,
# what does it cost the daemons, how long do 10,000 routes added / withdrawn
# at once take, and how big are the daemons?  Our daemon vs Debian's
# ovn-ic 23.03, on the same topology.
#
#   tests/perf/bench-routes.sh [-r "1000 4000 8000 12000"] [-x "100000"]
#                              [-k "ours upstream"] [-t TIMEOUT] [-n TRIES]
#                              [-b BULK] [-w SECONDS] [-N] [-p] [-K]
#                              [-o OUT_DIR]
#
#   -r LIST     route counts R, ascending (default "1000 4000 8000 12000")
#   -x LIST     extra R values run by our daemon only, after -r (default
#               "100000"; "" = none).  Upstream runs them too only if its
#               median one-route latency at the largest -r value stayed
#               under 2 s without any timeout.
#   -k KINDS    daemon kinds, in order (default "ours upstream")
#   -t TIMEOUT  seconds per measurement (growing to R, one try, bulk add,
#               bulk withdrawal); a measurement that exceeds it is reported
#               as "timeout" and the kind stops there (default 300)
#   -n TRIES    one-route tries per R, the median is reported (default 5)
#   -b BULK     routes in the bulk add / withdrawal (default 10000; 0 = skip)
#   -w SECONDS  stall nudge (as in bench-ts.sh): when no learned route
#               changed and the daemons used < 0.05 s CPU for this long
#               while waiting, wake them with "ovn-appctl coverage/show"
#               (default 5; 0 = never)
#   -N          keep the zones' ovn-northd running during the measurements
#               (by default they are stopped once the daemons have set up
#               the transit switch ports, see README.md)
#   -p          profile our daemons (z1 and z2) with "perf record -g" during
#               the one-route tries and bulk operations at the largest R;
#               report in OUT_DIR/profile-routes-ours-R.txt
#   -K          keep the lab directories (/tmp/brt.*) for inspection
#   -o OUT_DIR  where results and profiles go (default $PERF_OUT_DIR, or
#               else /tmp/ovn-ic-perf): results are appended to
#               OUT_DIR/results-routes.txt, or to $RESULTS if set
#
# See tests/perf/README.md for what is measured and how.
set -u
PERF_DIR=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$PERF_DIR/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
export TOP_SRCDIR TOP_BUILDDIR
. "$PERF_DIR/bench-lab.sh"
HELPER="python3 $PERF_DIR/bench_routes.py"
OUT_DIR=${PERF_OUT_DIR:-/tmp/ovn-ic-perf}

RS="1000 4000 8000 12000"
EXTRA="100000"
KINDS="ours upstream"
TIMEOUT=300
TRIES=5
BULK=10000
NUDGE=5
KEEP_NORTHD=
PROFILE=
KEEP=
while getopts r:x:k:t:n:b:w:NpKo: opt; do
    case $opt in
        o) OUT_DIR=$OPTARG ;;
        r) RS=$OPTARG ;;
        x) EXTRA=$OPTARG ;;
        k) KINDS=$OPTARG ;;
        t) TIMEOUT=$OPTARG ;;
        n) TRIES=$OPTARG ;;
        b) BULK=$OPTARG ;;
        w) NUDGE=$OPTARG ;;
        N) KEEP_NORTHD=1 ;;
        p) PROFILE=1 ;;
        K) KEEP=1 ;;
        *) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
# Results and profiles are generated: they go outside the source tree.
mkdir -p "$OUT_DIR" || exit 1
RESULTS=${RESULTS:-$OUT_DIR/results-routes.txt}

OUT=$(mktemp -d /tmp/brtout.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
json_list() { echo "[$(echo $* | tr ' ' ',')]"; }

# run_kind KIND: a fresh lab with two zones and two daemons of KIND; the
# measurements are appended as JSON lines to $OUT/KIND.json.
run_kind() {
    local kind=$1
    (
        bench_lab_start brt
        log() { echo "[$kind $(date +%T)] $*" >&3; }

        # IC databases, two zones with route exchange on, a fake
        # interconnection gateway each, one transit switch ts1.
        ic_dbs_start
        local z i
        for z in z1 z2; do
            i=${z#z}
            zone_start "$z"
            fake_gateway "$z" "gw-$z" "192.168.0.$i"
            check nbctl "$z" set NB_Global . options:ic-route-adv=true \
                options:ic-route-learn=true
        done
        check icnbctl ts-add ts1
        # Per zone: the switch ts1, pre-created with other_config:
        # interconn-ts (both kinds adopt it, as in bench-ts.sh), and the
        # router lr-zZ with port 169.254.100.Z/24 on it, a gateway chassis
        # and its cr- port bound (lib.sh zone_router).  z2's router also
        # has 10.0.0.1/8, the subnet of the static routes' next hop.
        for z in z1 z2; do
            i=${z#z}
            check nbctl "$z" ls-add ts1 -- \
                set Logical_Switch ts1 other_config:interconn-ts=ts1
            zone_router "$z" "lr-$z" "0a:00:00:00:00:0$i" \
                "169.254.100.$i/24" ts1 "gw-$z"
        done
        check nbctl z2 lrp-add lr-z2 lrp-z2-lan 0a:00:00:00:01:02 10.0.0.1/8

        for z in z1 z2; do
            ic_start "$z" "$kind"
        done
        # Ready when z1 learned z2's connected 10.0.0.0/8 (z1 has no static
        # route of its own) and both zones see the other's port on ts1.
        has_rows() { [ -n "$("$@")" ]; }
        wait_until has_rows nbctl z1 --bare --columns=_uuid \
            list Logical_Router_Static_Route
        for z in z1 z2; do
            wait_until has_rows nbctl "$z" --bare --columns=_uuid find \
                Logical_Switch_Port type=remote
            check nbctl "$z" --timeout="$TIMEOUT" --wait=sb sync
        done
        if [ -z "$KEEP_NORTHD" ]; then
            for z in z1 z2; do
                stop_pidfile "$T/$z-northd.pid"
            done
            log "northds stopped"
        fi
        log "lab ready (load average $(loadavg))"

        local rs=$RS extra=$EXTRA max_lat=2 prof=null
        [ "$kind" = ours ] && max_lat=1e9
        if [ -n "$PROFILE" ] && [ "$kind" = ours ]; then
            prof=$(echo $RS $EXTRA | tr ' ' '\n' | sort -n | tail -1)
        fi
        local opts
        opts=$(printf '{"rs": %s, "extra": %s, "extra_max_lat": %s,
            "timeout": %s, "tries": %s, "bulk": %s, "nudge": %s,
            "profile": %s}' "$(json_list $rs)" "$(json_list $extra)" \
            "$max_lat" "$TIMEOUT" "$TRIES" "$BULK" "$NUDGE" "$prof")
        $HELPER run "$kind" "$OUT/$kind.json" "$T" "$opts" 2>&3 ||
            fail "measurement failed"
        local errs
        errs=$(cat "$T"/z*-ic.log | grep -c 'transaction error')
        log "failed daemon transactions: $errs"
        echo "$errs" > "$OUT/$kind.txnerr"
        if [ "$prof" != null ] && [ -f "$T/perf-ours-$prof.data" ]; then
            local data=$T/perf-ours-$prof.data
            {
                echo "## our daemons z1+z2 at R=$prof: one-route tries and bulk"
                echo "## self time"
                perf report -i "$data" --no-children --stdio --sort comm,sym \
                    --percent-limit 1 -g none 2>/dev/null | grep -v '^#'
                echo "## inclusive time (children)"
                perf report -i "$data" --children --stdio --sort sym \
                    --percent-limit 3 -g none 2>/dev/null | grep -v '^#'
                echo "## callers of the top self-time symbols"
                perf report -i "$data" --no-children --stdio --sort sym \
                    --percent-limit 5 -g caller,2,callee,function,percent \
                    2>/dev/null | grep -v '^#'
            } > "$OUT_DIR/profile-routes-ours-$prof.txt"
            log "profile in $OUT_DIR/profile-routes-ours-$prof.txt"
        fi
    )
}

load0=$(loadavg)
for kind in $KINDS; do
    run_kind "$kind" || echo "run of $kind failed" >&2
done

report=$($HELPER report "$OUT" "$TIMEOUT" "$BULK" $KINDS) || exit 1
for kind in $KINDS; do
    [ -f "$OUT/$kind.txnerr" ] &&
        report+=$'\n'"  $kind: failed daemon transactions $(cat "$OUT/$kind.txnerr")"
done
echo "$report"
{
    echo "=== $(date '+%Y-%m-%d %H:%M:%S %z') bench-routes.sh -r \"$RS\" -x \"$EXTRA\" -t $TIMEOUT -n $TRIES -b $BULK$([ -n "$KEEP_NORTHD" ] && echo " -N") ($(nproc) CPUs, load at start $load0, at end $(loadavg))"
    echo "$report"
    echo
} >> "$RESULTS"

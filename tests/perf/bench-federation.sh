#!/bin/bash
# Federation benchmark: Z zones on one IC database pair, S transit switches
# each scoped to K zones (other_config:availability-zones).  What does one
# daemon replicate and cost, with conditional monitoring (the default) and
# without it (--ic-monitor-all, or Debian's ovn-ic, which replicates
# everything)?
#
#   tests/perf/bench-federation.sh [-z Z] [-s S] [-k K] [-u U]
#                                  [-r R] [-m "all cond"] [-t TIMEOUT] [-K]
#                                  [-o OUT_DIR]
#
#   -z Z        zones (default 10)
#   -s S        scoped transit switches (default 50)
#   -k K        zones per scoped switch (default 3)
#   -r R        static routes per router, advertised (default 5)
#   -u U        unscoped switches too (default 0; one makes every zone
#               share with every other, as upstream)
#   -m MODES    runs, in order (default "all cond"): "cond" is our daemon
#               as it starts by default, "all" ours with --ic-monitor-all,
#               "upstream" Debian's /usr/bin/ovn-ic (it ignores scopes, so
#               it creates every switch in every zone: run it last)
#   -t TIMEOUT  seconds to wait for convergence (default 300)
#   -K          keep the lab directory (/tmp/bfed.*)
#   -o OUT_DIR  results are appended to OUT_DIR/results-federation.txt
#               (default $PERF_OUT_DIR, else /tmp/ovn-ic-perf)
#
# The lab: IC-NB and IC-SB, Z zones (NB, SB, northd) each with one fake
# gateway, route advertisement and learning on; for every switch in a
# zone's scope, a router with a port on it (bound to the gateway), an
# internal network and R static routes, all advertised.  Our daemons with conditional
# monitoring build IC-SB once; then each mode's Z daemons are started
# cold on that state and measured once every zone answered the --wait=sb
# handshake (Debian's daemon has none: once every zone has every switch,
# z1 its remote ports, and all daemons were idle for 2 s):
# time, CPU and peak RSS per daemon, the IC-SB rows zone z1's daemon
# replicates (replica/show) and the remote chassis (tunnels) of z1.
set -u
PERF_DIR=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$PERF_DIR/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
export TOP_SRCDIR TOP_BUILDDIR
FED="python3 $PERF_DIR/bench_federation.py"
HELPER="python3 $PERF_DIR/bench_helper.py"
OUT_DIR=${PERF_OUT_DIR:-/tmp/ovn-ic-perf}

Z=10
S=50
K=3
U=0
R=5
MODES="all cond"
TIMEOUT=300
KEEP=
while getopts z:s:k:r:u:m:t:Ko: opt; do
    case $opt in
        # -z, -s, -k, -r, -u set Z, S, K, R, U.
        [zskru]) declare "$(echo "$opt" | tr a-z A-Z)=$OPTARG" ;;
        m) MODES=$OPTARG ;;
        t) TIMEOUT=$OPTARG ;;
        K) KEEP=1 ;;
        o) OUT_DIR=$OPTARG ;;
        *) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT_DIR" || exit 1
RESULTS=${RESULTS:-$OUT_DIR/results-federation.txt}

. "$PERF_DIR/bench-lab.sh"
bench_lab_start bfed
log() { echo "[$(date +%T)] $*" >&3; }

ZONES=$(seq -f 'z%g' 1 "$Z")
PYTHONPATH=$PERF_DIR
export PYTHONPATH

log "lab: $Z zones, $S switches scoped to $K zones each, $U unscoped, $R routes per router"
$FED scopes "$Z" "$S" "$K" "$U" > "$T/scopes"
ic_dbs_start
for z in $ZONES; do
    zone_start "$z"
    fake_gateway "$z" "gw-$z" "192.168.$((${z#z} / 250)).$((${z#z} % 250 + 1))"
done
check $FED icnb "$T/icnb.sock" "$T/scopes"
declare -A NPORTS
for z in $ZONES; do
    NPORTS[$z]=$($FED zone "$T/$z-nb.sock" "${z#z}" "gw-$z" "$T/scopes" "$R") ||
        fail "zone $z: topology"
done
# northd makes the cr- ports; bind them to the gateway as ovn-controller
# would.
for z in $ZONES; do
    check nbctl "$z" --timeout="$TIMEOUT" --wait=sb sync &&
        check $HELPER bind "$T/$z-sb.sock" "${NPORTS[$z]}" "gw-$z" "$TIMEOUT"
done
log "topology ready"

# The remote ports z1 must end with: the other zones' ports on its
# switches.
z1_remote=$(awk '$2 == "-" || ("," $2 ",") ~ /,z1,/ {
                     n += ($2 == "-" ? '"$Z"' : split($2, a, ",")) - 1 }
                 END { print n + 0 }' "$T/scopes")

start_all() {                   # start_all MODE
    local z kind=ours
    [ "$1" = upstream ] && kind=upstream
    for z in $ZONES; do
        if [ "$1" = all ]; then
            IC_EXTRA_ARGS=--ic-monitor-all ic_start "$z" "$kind" &
        else
            ic_start "$z" "$kind" &
        fi
    done
    wait
}

stop_all() {
    local z
    for z in $ZONES; do
        stop_pidfile "$T/$z-ic.pid"
    done
}

# cpu_quiet SECONDS: waits until the daemons used less than 0.03 s CPU in
# each of SECONDS consecutive seconds.
cpu_quiet() {
    local quiet=0 a b
    while [ $quiet -lt "$1" ]; do
        a=$($HELPER cpu "$T"/z*-ic.pid)
        sleep 1
        b=$($HELPER cpu "$T"/z*-ic.pid)
        if [ "$(echo "$b - $a < 0.03" | bc)" = 1 ]; then
            quiet=$((quiet + 1))
        else
            quiet=0
        fi
    done
}

remote_ports() {
    count_rows nbctl z1 find Logical_Switch_Port type=remote
}

log "building IC-SB with conditional monitoring"
start_all cond
ic_sync
wait_eq "$z1_remote" remote_ports
stop_all
icsb_rows=$($FED rows "$T/icsb.sock")
log "IC-SB: $icsb_rows"

report=
for mode in $MODES; do
    log "mode $mode: starting $Z daemons"
    t0=$(date +%s.%N)
    start_all "$mode"
    if [ "$mode" = upstream ]; then
        # It creates every switch in every zone, scoped or not, once it
        # has IC-NB and the keys from IC-SB; then its remote ports.
        for z in $ZONES; do
            wait_eq $((S + U)) count_rows nbctl "$z" list Logical_Switch
        done
        wait_until [ "$(remote_ports)" -ge "$z1_remote" ]
        cpu_quiet 2
    else
        ic_sync
        wait_eq "$z1_remote" remote_ports
    fi
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    cpu=$(for z in $ZONES; do $HELPER cpu "$T/$z-ic.pid"; done | paste -sd' ')
    rss=$(for z in $ZONES; do
              awk '/VmHWM/ { printf "%.1f\n", $2 / 1024 }' \
                  "/proc/$(cat "$T/$z-ic.pid")/status"
          done | paste -sd' ')
    if [ "$mode" = upstream ]; then
        rows="(replicates every row: $icsb_rows)"
    else
        rows=$(ovn-appctl -t "$T/z1-ic.ctl" replica/show |
               awk '/^IC-SB: / { on = 1; print; next }
                    /^[^ ]/ { on = 0 }
                    on && $1 ~ /^(Port_Binding|Route|Datapath_Binding|Gateway|Encap|Availability_Zone):$/ {
                        printf " %s%s", $1, $2 }' | paste -sd' ')
    fi
    tunnels=$(count_rows sbctl z1 find Chassis other_config:is-remote=true)
    line=$(python3 - "$mode" "$t" "$cpu" "$rss" <<'EOF'
import sys
mode, t, cpu, rss = sys.argv[1], float(sys.argv[2]), \
    [float(x) for x in sys.argv[3].split()], \
    [float(x) for x in sys.argv[4].split()]
print("%-8s converge %6.2fs  CPU/daemon avg %.2fs max %.2fs  "
      "peak RSS/daemon avg %.1f MB max %.1f MB" % (
          mode, t, sum(cpu) / len(cpu), max(cpu), sum(rss) / len(rss),
          max(rss)))
EOF
)
    log "$line"
    report+="$line"$'\n'"         z1 replica: $rows; z1 remote chassis: $tunnels"$'\n'
    stop_all
done

header="Z=$Z zones, S=$S switches x K=$K zones, U=$U unscoped, R=$R; IC-SB rows $icsb_rows"
echo "$header"
echo -n "$report"
{
    echo "=== $(date '+%Y-%m-%d %H:%M:%S %z') bench-federation.sh -z $Z -s $S -k $K -u $U -r $R ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "$header"
    echo -n "$report"
    echo
} >> "$RESULTS"

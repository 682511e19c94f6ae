# Packets across zones: VMs in network namespaces behind real
# ovn-controllers on the userspace datapath, built by
# utilities/ovn-ic-lab.sh in the test's directory $T.
#
# Each test builds its own lab (east and west, two zone databases, four
# chassis, two VMs) and stops it on exit: ovn-controllers first, then the
# daemons by pidfile, then the lab's namespaces.  Measurements (ping and
# failover times) go to the log and to tests/results/ic-dataplane.measured.

# shellcheck source=../utilities/ovn-ic-lab.sh
. "$TOP_SRCDIR/utilities/ovn-ic-lab.sh"

DP_MEASURED=${DP_MEASURED:-$TOP_BUILDDIR/tests/results/ic-dataplane.measured}

# dp_measured TEXT...: prints a measurement and keeps it, under the name
# of the running test.
dp_measured() {
    local f name=
    for f in "${FUNCNAME[@]}"; do
        case $f in test_*) name=$f ;; esac
    done
    echo "MEASURED $name: $*"
    echo "$name: $*" >> "$DP_MEASURED"
}

# dp_lab [VAR=VALUE...]: builds the lab with the given lab settings (e.g.
# LAB_IC_KIND_west=upstream) and arranges for it to be stopped when the
# test ends.  The lab gets a directory of its own, /tmp/icd.XXXXXX, which
# becomes $T: on this shared machine, test directories /tmp/ict.* have been
# seen deleted under a running test.
dp_lab() {
    local t0
    lab_require_tools dataplane
    DP_HARNESS_T=$T
    T=$(mktemp -d /tmp/icd.XXXXXX)
    trap 'lab_stop "$T"; teardown; rm -rf "$DP_HARNESS_T";
          [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
    t0=$(date +%s.%N)
    [ $# = 0 ] || declare -g "$@"
    # shellcheck disable=SC2034 # read by lab_create
    {
        LAB_DIR=$T
        LAB_WAIT=$WAIT_SECONDS
    }
    lab_create
    dp_measured "lab built in $(echo "$(date +%s.%N) - $t0" | bc) s"
}

# dp_capture_start NS NAME TCPDUMP_ARGS...: starts tcpdump in lab
# namespace NS, decoded text in $T/NAME.txt, and waits until it listens.
dp_capture_start() {
    local ns=$1 name=$2
    shift 2
    ip netns exec "$(lab_ns "$ns")" tcpdump -l -n -i any "$@" \
        > "$T/$name.txt" 2> "$T/$name.err" &
    echo $! > "$T/$name.pid"
    wait_until grep -q "listening on" "$T/$name.err"
}

# dp_has_requests FILE N: true if capture FILE shows at least N echo
# requests.
dp_has_requests() {
    [ "$(grep -c 'ICMP echo request' "$1")" -ge "$2" ]
}

# dp_capture_stop NAME: stops the capture; tcpdump flushes on SIGTERM.
dp_capture_stop() {
    stop_pidfile "$T/$1.pid"
}

# dp_ping_ok VM DEST COUNT: pings and requires every reply; sets
# DP_PING_TIME to the seconds the pings took.
dp_ping_ok() {
    local out t0
    t0=$(date +%s.%N)
    out=$(lab_ping "$1" "$2" -c "$3" -i 0.2 -W 2) ||
        fail "ping $1 -> $2 failed: $out"
    echo "$out"
    echo "$out" | grep -q "$3 packets transmitted, $3 received" ||
        fail "ping $1 -> $2 lost packets: $out"
    DP_PING_TIME=$(echo "$(date +%s.%N) - $t0" | bc)
}

test_ping_crosses_zones_with_ttl_62() {
    dp_lab
    local t0 t
    t0=$(date +%s.%N)
    lab_wait_ping vm1 192.168.2.12
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    dp_measured "first reply after ${t} s"

    dp_capture_start vm2 cap-vm2 -v icmp
    dp_ping_ok vm1 192.168.2.12 5
    dp_measured "5 pings (interval 0.2 s) vm1 -> vm2 in $DP_PING_TIME s"
    # tcpdump may still be writing out the last packets.
    (WAIT_SECONDS=5 wait_until dp_has_requests "$T/cap-vm2.txt" 5) || true
    dp_capture_stop cap-vm2
    cat "$T/cap-vm2.txt"

    # tcpdump -v prints the IP header line (with the TTL), then the ICMP.
    local ttls
    ttls=$(awk '/proto ICMP/ { match($0, /ttl [0-9]+/);
                               ttl = substr($0, RSTART + 4, RLENGTH - 4) }
                /192\.168\.1\.11 > 192\.168\.2\.12: ICMP echo request/ {
                    print ttl }' "$T/cap-vm2.txt" | sort | uniq -c)
    echo "TTLs of requests at vm2: $ttls"
    [ "$(echo "$ttls" | awk '{print $2}')" = 62 ] ||
        fail "requests reach vm2 with TTLs [$ttls], expected only 62"
    [ "$(echo "$ttls" | awk '{print $1}')" -ge 5 ] ||
        fail "vm2 saw fewer than 5 requests: [$ttls]"
}

# dp_geneve_pairs FILE: prints "SRC DST" underlay addresses for each
# captured Geneve packet (tcpdump -n text, one per line).
dp_geneve_pairs() {
    awk '/ > [0-9.]+\.6081: Geneve/ {
             for (i = 1; i < NF && $i != "IP"; i++) { }
             src = $(i + 1); dst = $(i + 3)
             sub(/\.[0-9]+$/, "", src); sub(/\.6081:$/, "", dst)
             print src, dst }' "$1"
}

# dp_count_geneve FILE SRC DST INNER: counts captured Geneve packets from
# underlay address SRC to DST:6081 whose inner packet matches INNER.
dp_count_geneve() {
    grep -c "IP ${2//./\\.}\.[0-9]* > ${3//./\\.}\.6081: Geneve.*$4" \
        "$1" || true
}

test_underlay_carries_geneve_between_gateways_only() {
    dp_lab
    local gwe gww wke wkw cap=$T/cap-ul.txt
    gwe=$(lab_chassis_ip gw-east) gww=$(lab_chassis_ip gw-west)
    wke=$(lab_chassis_ip worker-east) wkw=$(lab_chassis_ip worker-west)
    lab_wait_ping vm1 192.168.2.12

    # Everything IPv4 on the underlay's veths except ARP.
    dp_capture_start underlay cap-ul ip
    dp_ping_ok vm1 192.168.2.12 5
    dp_capture_stop cap-ul
    cat "$cap"

    local req rep
    req=$(dp_count_geneve "$cap" "$gwe" "$gww" \
          "192.168.1.11 > 192.168.2.12: ICMP echo request")
    rep=$(dp_count_geneve "$cap" "$gww" "$gwe" \
          "192.168.2.12 > 192.168.1.11: ICMP echo reply")
    echo "Geneve gw-east -> gw-west requests: $req;" \
         "gw-west -> gw-east replies: $rep (each seen on two veths)"
    echo "Geneve packets per underlay pair:"
    dp_geneve_pairs "$cap" | sort | uniq -c
    [ "$req" -ge 5 ] ||
        fail "expected >= 5 Geneve requests $gwe -> $gww:6081, saw $req"
    [ "$rep" -ge 5 ] ||
        fail "expected >= 5 Geneve replies $gww -> $gwe:6081, saw $rep"

    # Between the zones, Geneve runs only gateway to gateway.
    local cross
    cross=$(dp_geneve_pairs "$cap" |
            awk -v e="$gwe $wke" -v w="$gww $wkw" -v ge="$gwe" -v gw="$gww" '
                BEGIN { split(e, E); split(w, W)
                        for (i in E) east[E[i]] = 1
                        for (i in W) west[W[i]] = 1 }
                ((east[$1] && west[$2]) || (west[$1] && east[$2])) &&
                !(($1 == ge && $2 == gw) || ($1 == gw && $2 == ge))')
    [ -z "$cross" ] ||
        fail "Geneve between the zones not gateway to gateway: $cross"
    # No ICMP on the underlay outside Geneve.
    local bare
    bare=$(grep "ICMP " "$cap" | grep -v Geneve || true)
    [ -z "$bare" ] || fail "unencapsulated ICMP on the underlay: $bare"
}

test_mixed_mode_ours_east_upstream_west() {
    dp_lab LAB_IC_KIND_west=upstream
    local west_bin east_bin
    west_bin=$(readlink "/proc/$(cat "$T/west-ic.pid")/exe")
    east_bin=$(readlink "/proc/$(cat "$T/east-ic.pid")/exe")
    [ "$west_bin" = "$LAB_UPSTREAM_IC" ] ||
        fail "west runs $west_bin, not $LAB_UPSTREAM_IC"
    [ "$east_bin" = "$(readlink -f "$LAB_IC_DAEMON")" ] ||
        fail "east runs $east_bin, not ours"
    lab_wait_ping vm1 192.168.2.12
    dp_ping_ok vm1 192.168.2.12 5
    lab_wait_ping vm2 192.168.1.11
    dp_ping_ok vm2 192.168.1.11 5
}

# dp_active_gw ZONE: prints the gateway IC-SB has for ZONE's transit port.
dp_active_gw() {
    lab_icsbctl --bare --columns=gateway find Port_Binding \
        logical_port=lsp-ts1-router_"$1"
}

# dp_failover ZONE PEER VM DEST: with a continuous ping from VM to DEST
# (another zone), crashes ZONE's active gateway gw-ZONE and waits until
# IC-SB and PEER's SB name the standby gw2_ZONE and 20 more replies came
# back.  Prints and keeps the outage.
dp_failover() {
    local z=$1 peer=$2 vm=$3 dst=$4 log=$T/failover-$1.txt
    wait_eq "gw_$z" dp_active_gw "$z"
    lab_wait_ping "$vm" "$dst"

    # 10 pings a second; -O prints unanswered sequence numbers too.
    ip netns exec "$(lab_ns "$vm")" ping -n -O -i 0.1 -W 1 "$dst" \
        > "$log" 2>&1 &
    echo $! > "$T/failover-ping.pid"
    wait_until grep -q "icmp_seq=10 ttl" "$log"

    # Crash the active gateway: no "exit", so its Chassis row and its
    # claim stay behind, and the standby takes over through BFD.
    local t0 t1
    t0=$(date +%s.%N)
    lab_chassis_stop "gw-$z" crash
    ip -n "$(lab_ns underlay)" link set "gw-$z" down

    wait_eq "gw2_$z" dp_active_gw "$z"
    t1=$(date +%s.%N)
    dp_measured "$z: IC-SB gateway moved to gw2_$z after" \
        "$(echo "$t1 - $t0" | bc) s"
    wait_eq "gw2_$z" dp_remote_port_chassis "$peer" "lsp-ts1-router_$z"

    local last
    last=$(grep -o 'icmp_seq=[0-9]*' "$log" | tail -1 | cut -d= -f2)
    # shellcheck disable=SC2016 # awk's $0
    wait_until awk -v n=$((last + 20)) \
        'match($0, /icmp_seq=[0-9]+ ttl/) {
             s = substr($0, RSTART + 9, RLENGTH - 13) + 0; if (s >= n) f = 1 }
         END { exit !f }' "$log"
    kill -INT "$(cat "$T/failover-ping.pid")"
    wait_until grep -q "packets transmitted" "$log"
    rm -f "$T/failover-ping.pid"
    tail -3 "$log"

    # The outage is the longest run of sequence numbers without a reply.
    local gap sent recv
    gap=$(sed -n 's/.*icmp_seq=\([0-9]*\) ttl.*/\1/p' "$log" |
          awk 'NR > 1 && $1 - p - 1 > g { g = $1 - p - 1 } { p = $1 }
               END { print g + 0 }')
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$log")
    recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$log")
    dp_measured "$z: ping every 0.1 s: $((sent - recv)) of $sent lost;" \
        "longest gap $gap pings = $(echo "$gap * 0.1" | bc) s"
    [ "$gap" -gt 0 ] || fail "no loss at all: was gw_$z really active?"
}

test_gateway_failover() {
    dp_lab LAB_GATEWAYS=2
    wait_eq gw_west dp_active_gw west
    dp_failover east west vm1 192.168.2.12
    dp_failover west east vm2 192.168.1.11
    dp_ping_ok vm1 192.168.2.12 5
}

# dp_remote_port_chassis ZONE PORT: prints the name of the chassis ZONE's
# SB binds PORT to.
dp_remote_port_chassis() {
    local uuid
    uuid=$(lab_sbctl "$1" --bare --columns=chassis find Port_Binding \
           logical_port="$2") && [ -n "$uuid" ] &&
        lab_sbctl "$1" get Chassis "$uuid" name | tr -d '"'
}

test_missing_ping_or_tcpdump_is_named() {
    local out
    # shellcheck disable=SC2123 # an empty PATH is the point
    out=$( (PATH=/nonexistent; lab_require_tools dataplane) 2>&1) &&
        fail "lab_require_tools passed without any tools"
    echo "$out"
    echo "$out" | grep -q "ping (apt-get install iputils-ping)" ||
        fail "no hint for ping in: $out"
    echo "$out" | grep -q "tcpdump (apt-get install tcpdump)" ||
        fail "no hint for tcpdump in: $out"
}

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

DP_MEASURED=$TOP_BUILDDIR/tests/results/ic-dataplane.measured

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

# dp_lab [VAR=VALUE...]: builds the lab in $T with the given lab settings
# (e.g. LAB_IC_KIND_west=upstream) and arranges for it to be stopped when
# the test ends.
dp_lab() {
    local t0
    lab_require_tools dataplane
    trap 'lab_stop "$T"; teardown; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
    t0=$(date +%s.%N)
    [ $# = 0 ] || declare -g "$@"
    LAB_DIR=$T
    LAB_WAIT=$WAIT_SECONDS
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

test_underlay_carries_geneve_between_gateways_only() {
    dp_lab
    local gwe gww wke wkw
    gwe=$(lab_chassis_ip gw-east) gww=$(lab_chassis_ip gw-west)
    wke=$(lab_chassis_ip worker-east) wkw=$(lab_chassis_ip worker-west)
    lab_wait_ping vm1 192.168.2.12

    dp_capture_start underlay cap-ul udp port 6081
    dp_ping_ok vm1 192.168.2.12 5
    dp_capture_stop cap-ul
    cat "$T/cap-ul.txt"

    local req rep direct
    req=$(grep -c "IP $gwe\.[0-9]* > $gww\.6081: Geneve.*192\.168\.1\.11 > 192\.168\.2\.12: ICMP echo request" \
        "$T/cap-ul.txt")
    rep=$(grep -c "IP $gww\.[0-9]* > $gwe\.6081: Geneve.*192\.168\.2\.12 > 192\.168\.1\.11: ICMP echo reply" \
        "$T/cap-ul.txt")
    direct=$(grep -Ec "IP ($wke\.[0-9]* > $wkw|$wkw\.[0-9]* > $wke)\.6081" \
        "$T/cap-ul.txt" || true)
    echo "gw-east->gw-west requests: $req, gw-west->gw-east replies: $rep," \
        "worker<->worker packets: $direct"
    [ "$req" -ge 5 ] ||
        fail "expected >= 5 Geneve requests $gwe -> $gww:6081, saw $req"
    [ "$rep" -ge 5 ] ||
        fail "expected >= 5 Geneve replies $gww -> $gwe:6081, saw $rep"
    [ "$direct" = 0 ] ||
        fail "$direct Geneve packets went directly between the workers"
    # Every ICMP on the underlay between the zones is inside Geneve to
    # 6081, and crosses only between the two gateways.
    local other
    other=$(grep "ICMP" "$T/cap-ul.txt" |
            grep -Evc "IP ($gwe|$gww|$wke|$wkw)\.[0-9]* > ($gwe|$gww|$wke|$wkw)\.6081" || true)
    [ "$other" = 0 ] || fail "$other ICMP packets outside the expected tunnels"
}

test_mixed_mode_ours_east_upstream_west() {
    dp_lab LAB_IC_KIND_west=upstream
    [ "$(readlink "/proc/$(cat "$T/west-ic.pid")/exe")" = "$LAB_UPSTREAM_IC" ] ||
        fail "west does not run $LAB_UPSTREAM_IC"
    [ "$(readlink "/proc/$(cat "$T/east-ic.pid")/exe")" = \
      "$(readlink -f "$LAB_IC_DAEMON")" ] || fail "east does not run ours"
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

test_gateway_failover() {
    dp_lab LAB_GATEWAYS=2
    wait_eq gw_east dp_active_gw east
    wait_eq gw_west dp_active_gw west
    lab_wait_ping vm1 192.168.2.12

    # Continuous ping at 10/s; the gap in sequence numbers is the outage.
    ip netns exec "$(lab_ns vm1)" ping -n -i 0.1 -W 1 192.168.2.12 \
        > "$T/failover.txt" 2>&1 &
    echo $! > "$T/failover-ping.pid"
    wait_until grep -q "icmp_seq=10 " "$T/failover.txt"

    # Crash the active gateway of east: no "exit", so its Chassis row and
    # port claim stay behind and the standby must take over through BFD.
    local t0 t1
    t0=$(date +%s.%N)
    lab_chassis_stop gw-east crash
    ip -n "$(lab_ns underlay)" link set gw-east down
    echo "gw-east crashed at $t0"

    wait_eq gw2_east dp_active_gw east
    t1=$(date +%s.%N)
    dp_measured "IC-SB gateway of east moved to gw2_east after" \
        "$(echo "$t1 - $t0" | bc) s"
    local last
    last=$(grep -o 'icmp_seq=[0-9]*' "$T/failover.txt" | tail -1 | cut -d= -f2)
    # Replies resumed: 20 more after the takeover was published.
    wait_until awk -v n=$((last + 20)) \
        'match($0, /icmp_seq=[0-9]+ ttl/) {
             s = substr($0, RSTART + 9, RLENGTH - 13) + 0; if (s >= n) f = 1 }
         END { exit !f }' "$T/failover.txt"
    kill -INT "$(cat "$T/failover-ping.pid")"
    wait_until grep -q "packets transmitted" "$T/failover.txt"
    tail -3 "$T/failover.txt"

    # Outage: the longest run of sequence numbers without a reply.
    local gap sent recv
    gap=$(grep -o 'icmp_seq=[0-9]* ttl' "$T/failover.txt" |
          sed 's/icmp_seq=\([0-9]*\) ttl/\1/' |
          awk 'NR > 1 && $1 - p - 1 > g { g = $1 - p - 1 } { p = $1 }
               END { print g + 0 }')
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$T/failover.txt")
    recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T/failover.txt")
    dp_measured "ping at 0.1 s: $((sent - recv)) of $sent lost;" \
        "longest gap $gap pings = $(echo "$gap * 0.1" | bc) s"
    [ "$gap" -gt 0 ] || fail "no loss at all: was gw_east really active?"
    [ "$((sent - recv))" -lt 300 ] || fail "outage longer than 30 s"

    # West binds its remote port for east to the new gateway.
    wait_eq gw2_east dp_remote_port_chassis west lsp-ts1-router_east
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
    out=$( (PATH=/nonexistent; lab_require_tools dataplane) 2>&1) &&
        fail "lab_require_tools passed without any tools"
    echo "$out"
    echo "$out" | grep -q "ping (apt-get install iputils-ping)" ||
        fail "no hint for ping in: $out"
    echo "$out" | grep -q "tcpdump (apt-get install tcpdump)" ||
        fail "no hint for tcpdump in: $out"
}

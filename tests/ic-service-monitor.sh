# Load balancer health checks across zones (SB and IC-SB Service_Monitor).

# sm ZONE COLUMN PORT: a column of the zone's SB monitor of PORT.
sm() {
    sbctl "$1" --bare --columns="$2" find Service_Monitor logical_port="$3"
}

# ism COLUMN PORT: a column of the IC-SB monitor of PORT.
ism() {
    icsbctl --bare --columns="$1" find Service_Monitor logical_port="$2"
}

# sm_columns ZONE PORT COLUMN... and ism_columns PORT COLUMN...: columns
# of a monitor, on one line.
sm_columns() {
    local z=$1 lport=$2 c out=()
    shift 2
    for c in "$@"; do
        out+=("$(sm "$z" "$c" "$lport")")
    done
    echo "${out[*]}"
}

ism_columns() {
    local lport=$1 c out=()
    shift
    for c in "$@"; do
        out+=("$(ism "$c" "$lport")")
    done
    echo "${out[*]}"
}

# sm_count ZONE [CONDITION...] and ism_count [CONDITION...]: numbers of
# monitors.
sm_count() {
    local z=$1
    shift
    count_rows sbctl "$z" find Service_Monitor "$@"
}

ism_count() {
    count_rows icsbctl find Service_Monitor "$@"
}

# sm_options ZONE PORT and ism_options PORT: a monitor's options.
sm_options() {
    sbctl "$1" get Service_Monitor "$(sm "$1" _uuid "$2")" options
}

ism_options() {
    icsbctl get Service_Monitor "$(ism _uuid "$1")" options
}

# sm_set_status ZONE PORT STATUS: stands in for ovn-controller's probe.
sm_set_status() {
    sbctl "$1" set Service_Monitor "$(sm "$1" _uuid "$2")" status="$3"
}

# checked_lb ZONE LB VIP BACKENDS SWITCH: a load balancer on SWITCH with a
# health check on VIP.
checked_lb() {
    local z=$1 lb=$2 vip=$3 backends=$4 ls=$5
    nbctl "$z" lb-add "$lb" "$vip" "$backends"
    nbctl "$z" ls-lb-add "$ls" "$lb"
    nbctl "$z" -- --id=@hc create Load_Balancer_Health_Check \
        vip="\"$vip\"" options:failure_count=3 \
        -- add Load_Balancer "$lb" health_check @hc > /dev/null
}

# svcmon_settled ZONE...: forces a full recompute in each zone and checks
# that it wrote nothing.
svcmon_settled() {
    local z commits
    for z in "$@"; do
        commits=$(ic_commits "$z")
        ic_ctl "$z" engine/recompute
        ic_ctl "$z" engine/recompute
        ic_ctl "$z" engine/show > /dev/null
        check_eq "$commits" ic_commits "$z"
    done
}

# svcmon_status ZONE COUNTS: the daemon's status/show counts its monitors.
svcmon_status() {
    ic_ctl "$1" status/show | grep -q "^service monitors: $2 with northd" ||
        fail "$1's status/show: $(ic_ctl "$1" status/show)"
}

test_service_monitor_push_pull_status_and_cleanup() {
    needs_ovn 25.09
    ic_dbs_start
    local port
    port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    zone_start east
    ic_start east
    zone_start west
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start west
    nbctl east set NB_Global . options:svc_monitor_mac='"11:11:11:11:11:11"'
    nbctl west set NB_Global . options:svc_monitor_mac='"22:22:22:22:22:22"'
    nbctl east ls-add ls_e
    nbctl west ls-add ls_w
    nbctl west --wait=sb lsp-add ls_w vm_w
    sbctl west chassis-add ch_w geneve 192.168.0.9
    sbctl west lsp-bind vm_w ch_w

    # East balances over two backends in west: vm_w, which exists, and
    # vm_x, which does not yet.
    checked_lb east lb1 10.0.0.100:80 10.1.0.5:8080,10.1.0.6:8080 ls_e
    nbctl east set Load_Balancer lb1 \
        ip_port_mappings:10.1.0.5=vm_w:10.1.0.9:west \
        ip_port_mappings:10.1.0.6=vm_x:10.1.0.9:west
    zone_sync east
    check_eq true sm east remote vm_w

    # Push: east publishes both monitors to IC-SB, for west.
    wait_eq 2 ism_count
    check_eq "10.1.0.5 8080 tcp 10.1.0.9 11:11:11:11:11:11 east west" \
        ism_columns vm_w ip port protocol src_ip src_mac \
        source_availability_zone target_availability_zone
    check_eq "$(sm_options east vm_w)" ism_options vm_w
    check_eq west icsbctl get Service_Monitor "$(ism _uuid vm_w)" \
        options:az-name

    # Pull: west learns the monitor of its port vm_w, not that of vm_x.
    wait_eq true sm west ic_learned vm_w
    check_eq "false 10.1.0.5 8080 tcp 10.1.0.9 22:22:22:22:22:22 ch_w" \
        sm_columns west vm_w remote ip port protocol src_ip src_mac \
        chassis_name
    check_eq "$(ism_options vm_w)" sm_options west vm_w
    ic_sync
    check_eq 1 sm_count west
    # Once the port exists, its monitor is learned too.
    nbctl west --wait=sb lsp-add ls_w vm_x
    wait_eq true sm west ic_learned vm_x
    check_eq 2 sm_count west

    # Status, from west's SB through IC-SB to east's SB, both ways.
    sm_set_status west vm_w offline
    wait_eq offline ism status vm_w
    wait_eq offline sm east status vm_w
    sm_set_status west vm_w online
    wait_eq online ism status vm_w
    wait_eq online sm east status vm_w
    check_eq "" sm east status vm_x

    # A new health check option reaches west's SB.
    nbctl east set Load_Balancer_Health_Check . options:interval=7
    wait_eq '"7"' icsbctl get Service_Monitor "$(ism _uuid vm_w)" \
        options:interval
    wait_eq '"7"' sbctl west get Service_Monitor "$(sm west _uuid vm_w)" \
        options:interval

    # The chassis follows the port.
    sbctl west chassis-add ch_w2 geneve 192.168.0.10
    sbctl west lsp-bind vm_x ch_w2
    wait_eq ch_w2 sm west chassis_name vm_x

    # Nothing is rewritten once synced.
    ic_sync
    svcmon_settled east west
    svcmon_status east "2 published, 0 learned, 0 shared"
    svcmon_status west "0 published, 2 learned, 0 shared"
    curl -s "http://127.0.0.1:$port/metrics" |
        grep -q '^ovn_ic_service_monitors{kind="learned"} 2$' ||
        fail "no learned monitors in west's metrics"

    # West balances over vm_w itself: northd takes the monitor over (it
    # clears ic_learned), the daemon leaves the row to it but still shares
    # its status; when west's balancer goes, the daemon learns it again.
    checked_lb west lb2 10.1.0.100:80 10.1.0.5:8080 ls_w
    nbctl west --wait=sb set Load_Balancer lb2 \
        ip_port_mappings:10.1.0.5=vm_w:10.1.0.9
    wait_eq false sm west ic_learned vm_w
    check_eq 1 sm_count west logical_port=vm_w
    sm_set_status west vm_w offline
    wait_eq offline ism status vm_w
    wait_eq offline sm east status vm_w
    ic_sync
    svcmon_settled east west
    svcmon_status west "0 published, 1 learned, 1 shared"
    nbctl west --wait=sb lb-del lb2
    wait_eq true sm west ic_learned vm_w
    check_eq 1 sm_count west logical_port=vm_w

    # A backend that goes: its monitor goes from IC-SB and west.
    nbctl east set Load_Balancer lb1 \
        vips:'"10.0.0.100:80"'='"10.1.0.5:8080"'
    wait_eq 1 ism_count
    wait_eq 0 sm_count west logical_port=vm_x

    # Clean-up: the balancer goes, and every monitor with it.
    nbctl east --wait=sb lb-del lb1
    wait_eq 0 ism_count
    wait_eq 0 sm_count west
    check_eq 0 sm_count east

    # No fight with northd: a handful of updates, not thousands.
    local z n
    for z in east west; do
        n=$(grep -c Service_Monitor "$T/$z-sb.db")
        [ "$n" -lt 50 ] || fail "$z: $n Service_Monitor updates"
    done
}

test_service_monitor_off_with_older_schemas() {
    if [ "$TEST_OVN" = current ]; then
        echo "skipped: needs Debian's OVN 23.03 (its SB has no remote column)"
        exit 77
    fi
    ic_dbs_start
    zone_start east
    ic_start east
    nbctl east ls-add ls_e
    ic_sync
    ic_ctl east engine/recompute
    ic_sync
    check_eq 1 grep -c "cross-zone load balancer health checks are off" \
        "$T/east-ic.log"
    check_eq 0 ism_count
    check_eq "Status: active" ic_ctl east status
}

# The HTTP metrics endpoint and the status command.

http_code() {
    curl -s -o /dev/null -w '%{http_code}' "$@"
}

test_metrics_and_healthz() {
    ic_dbs_start
    zone_start east
    local port
    port=$(free_port)
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    icnbctl ts-add ts1
    ic_sync
    wait_eq 200 http_code http://127.0.0.1:$port/healthz
    curl -s -D "$T/headers" http://127.0.0.1:$port/metrics > "$T/metrics"
    grep -qi '^content-type: text/plain; version=0.0.4' "$T/headers" ||
        fail "wrong content type"
    grep -q '^ovn_ic_db_connected{db="IC-SB"} 1$' "$T/metrics" ||
        fail "no IC-SB connection gauge"
    grep -q '^ovn_ic_lock_held{lock="ovn_ic"} 1$' "$T/metrics" ||
        fail "no lock gauge"
    grep -q '^# TYPE ovn_ic_db_commits_total counter$' "$T/metrics" ||
        fail "no commit counter"
    grep -q '^ovn_ic_step_runs_total{step="transit-switch"} [1-9]' \
        "$T/metrics" || fail "no step counter"
    grep -q '^ovn_ic_rows_written_total{db="IC-SB (global writer)",table="Datapath_Binding"} 1$' \
        "$T/metrics" || fail "no count of rows written"
    grep -q '^ovn_ic_rows_written_total{db="NB",table="Logical_Switch"} [1-9]' \
        "$T/metrics" || fail "no count of NB rows written"
    check_eq 404 http_code http://127.0.0.1:$port/nothing
    check_eq 405 http_code -X POST http://127.0.0.1:$port/metrics

    # The counters follow the daemon: the commit counter grows with work.
    local before after
    before=$(sed -n 's/^ovn_ic_db_commits_total{db="NB"} //p' "$T/metrics")
    icnbctl ts-add ts2
    ic_sync
    after=$(curl -s http://127.0.0.1:$port/metrics |
            sed -n 's/^ovn_ic_db_commits_total{db="NB"} //p')
    [ "$after" -gt "$before" ] || fail "NB commits $before -> $after"

    # A database that goes away makes the daemon unhealthy, and says why.
    stop_pidfile "$T/icsb.pid"
    wait_eq 503 http_code http://127.0.0.1:$port/healthz
    curl -s http://127.0.0.1:$port/healthz | grep -q "not connected to IC-SB" ||
        fail "no reason given"
    ic_ctl east status/show | grep -q "health: not connected to IC-SB" ||
        fail "status/show does not tell"
}

test_taken_port_does_not_stop_syncing() {
    ic_dbs_start
    zone_start east
    local port
    port=$(free_port)
    # Something else holds the port.
    python3 -c "import socket, time, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(1); open('$T/holder.pid', 'w').write(str(__import__('os').getpid()) + '\n'); sys.stdout.flush(); time.sleep(120)" &
    wait_until test -s "$T/holder.pid"
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    wait_until grep -q "metrics endpoint disabled" "$T/east-ic.log"
    icnbctl ts-add ts1
    ic_sync
    check_eq 1 count_rows nbctl east list Logical_Switch
    check_eq "Status: active" ic_ctl east status
}

test_route_counts() {
    local port
    port=$(free_port)
    # East's daemon starts first and gets the port (--detach returns once
    # it listens); west's then finds it taken and runs without metrics.
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port reference_topology
    for z in east west; do
        nbctl $z set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
    done
    nbctl west lrp-add router_west lrp-west-lan 02:00:00:00:02:01 \
        192.168.2.1/24
    nbctl west lr-route-add router_west 10.20.0.0/16 192.168.2.254
    zone_sync west
    ic_sync
    wait_reference_ports
    ic_sync
    # east learns west's connected and static routes and advertises none
    # (its only network is the link-local transit one).
    curl -s http://127.0.0.1:$port/metrics > "$T/metrics"
    grep -q '^ovn_ic_routes{kind="learned"} 2$' "$T/metrics" ||
        fail "learned count: $(grep ovn_ic_routes "$T/metrics")"
    grep -q '^ovn_ic_routes{kind="advertised"} 0$' "$T/metrics" ||
        fail "advertised count: $(grep ovn_ic_routes "$T/metrics")"
    # The route step ran fully at least once, and its time is counted.
    grep -q '^ovn_ic_route_runs_total{kind="full"} [1-9]' "$T/metrics" ||
        fail "route runs: $(grep ovn_ic_route_runs "$T/metrics")"
    grep -q '^ovn_ic_route_runs_total{kind="incremental"} [0-9]' \
        "$T/metrics" || fail "no incremental route run count"
    grep -q '^ovn_ic_step_seconds_total{step="route"} [0-9.e-]*[1-9]' \
        "$T/metrics" || fail "route step time: $(grep step_seconds \
        "$T/metrics")"
}

# Rows that another zone writes into IC-SB are input from outside the zone:
# a rogue or broken zone must not hurt this one (issue #10).  Each test
# writes rogue rows straight into IC-SB, as a hostile zone would, next to
# real zones, and checks that they are refused, that nothing local is
# touched and that the daemon does not spin.

# cpu_ticks PIDFILE: the CPU time (user + system, in clock ticks) used so
# far by the daemon whose pid PIDFILE holds.
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$(cat "$1")/stat"
}

# check_cpu_bounded PIDFILE: fails if the daemon uses more than 10% of a
# core over 3 s.  It measures a bound on spinning, not speed: a daemon
# that retries a failing write at once uses a whole core.
check_cpu_bounded() {
    local hz before after used
    hz=$(getconf CLK_TCK)
    before=$(cpu_ticks "$1")
    sleep 3
    after=$(cpu_ticks "$1")
    used=$((after - before))
    echo "CPU over 3 s: $used ticks of $((3 * hz))"
    [ $((used * 10)) -lt $((3 * hz)) ] ||
        fail "the daemon used $used of $((3 * hz)) clock ticks in 3 s"
}

# rogue_az NAME: creates an availability zone that no daemon runs, as a
# rogue zone would, and prints its UUID.
rogue_az() {
    icsbctl create Availability_Zone name="$1"
}

# nb_failures_at_least ZONE N: true if the zone's daemon has had at least
# N failed NB transactions.
nb_failures_at_least() {
    local n
    n=$(ic_ctl "$1" engine/show |
        sed -n 's/^NB: .*failures=\([0-9]*\).*/\1/p')
    [ "${n:-0}" -ge "$2" ]
}

# A write that can never succeed (east's daemon reaches its NB through a
# read-only connection, and a transit switch needs a logical switch there)
# is retried with a growing delay: the daemon stays near idle, lists the
# failure in problems/show, is unhealthy, and logs it once.
test_failing_commit_backs_off() {
    ic_dbs_start
    zone_start east
    # ovsdb-server reads read-only remotes from a Connection table with a
    # read_only column, which NB lacks: a scratch database with SB's
    # schema, served next to east's NB, holds the remote.
    ovsdb-tool create "$T/east-ro.db" "$OVN_SCHEMAS/ovn-sb.ovsschema"
    ovs-appctl -t "$T/east-nb.ctl" ovsdb-server/add-db "$T/east-ro.db"
    ovn-sbctl --db=unix:"$T/east-nb.sock" init
    ovn-sbctl --db=unix:"$T/east-nb.sock" set-connection read-only \
        punix:"$T/east-nb-ro.sock"
    ovs-appctl -t "$T/east-nb.ctl" ovsdb-server/add-remote \
        db:OVN_Southbound,SB_Global,connections
    wait_until test -S "$T/east-nb-ro.sock"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$IC_DAEMON" --metrics-address=127.0.0.1:"$port" --detach --no-chdir --pidfile="$T/east-ic.pid" \
        --log-file="$T/east-ic.log" --unixctl="$T/east-ic.ctl" \
        --ovnnb-db=unix:"$T/east-nb-ro.sock" \
        --ovnsb-db=unix:"$T/east-sb.sock" \
        --ic-nb-db="$OVN_IC_NB_DB" --ic-sb-db="$OVN_IC_SB_DB" \
        -vconsole:off -vfile:info || fail "cannot start east's daemon"
    icnbctl ts-add ts1

    wait_until nb_failures_at_least east 3
    check_cpu_bounded "$T/east-ic.pid"
    ic_ctl east problems/show |
        grep -q "^commit: NB: transactions keep failing" ||
        fail "problems/show lacks the failing NB: $(ic_ctl east problems/show)"
    ic_ctl east status/show |
        grep -q "^health: transactions on NB keep failing" ||
        fail "status/show: $(ic_ctl east status/show | head -1)"
    local n
    n=$(grep -c "transactions keep failing" "$T/east-ic.log")
    [ "$n" = 1 ] || fail "logged $n times"
    curl -s "http://127.0.0.1:$port/healthz" |
        grep -q "transactions on NB keep failing" || fail "/healthz is ok"
    curl -s "http://127.0.0.1:$port/metrics" > "$T/metrics"
    grep -q '^ovn_ic_db_failures_total{db="NB"} [1-9]' "$T/metrics" ||
        fail "no failed NB commits in the metrics"
    grep -q '^ovn_ic_db_commit_backoff_milliseconds{db="NB"} [1-9]' \
        "$T/metrics" || fail "no NB back-off in the metrics"

    # Once nothing needs writing, the back-off ends.
    icnbctl ts-del ts1
    wait_until sh -c "! ovn-appctl -t '$T/east-ic.ctl' problems/show |
                      grep -q '^commit:'"
}

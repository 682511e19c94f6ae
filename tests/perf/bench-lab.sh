# Sourced by the benchmarks: a private lab for one run.
#
# bench_lab_start PREFIX: makes the lab directory /tmp/PREFIX.XXXXXX ($T),
# loads tests/lib.sh (with $TIMEOUT as WAIT_SECONDS), sends the daemons'
# and tools' chatter to $T/bench.log and keeps the terminal on fd 3 for
# progress; on exit, stops every process of the lab through its pidfile,
# shows the log's tail if the run failed, and removes $T unless $KEEP is
# set.  Call it in the shell that runs the lab, not in a subshell of it.
bench_lab_start() {
    T=$(mktemp -d "/tmp/$1.XXXXXX")
    export T
    WAIT_SECONDS=$TIMEOUT
    # shellcheck source=/dev/null
    . "$TOP_SRCDIR/tests/lib.sh"
    trap 'rc=$?; teardown
          [ $rc = 0 ] || tail -20 "$T/bench.log" >&3
          if [ -n "$KEEP" ]; then echo "kept $T" >&3; else rm -rf "$T"; fi' EXIT
    exec 3>&2 2>>"$T/bench.log"
}

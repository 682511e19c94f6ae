#!/bin/bash
# Cold sync benchmark (issue 11): three zones, N transit switches, one
# router per switch and zone with 20 static routes each, all entered before
# any daemon runs; then the three daemons of each kind (ours, Debian's
# /usr/bin/ovn-ic) are started cold and measured until every port and
# route is in place: converge time, CPU and peak RSS per daemon, and the
# CPU of the IC-SB, IC-NB and zone NB/SB servers.  It is bench-ts.sh with
# "-r 20"; every bench-ts.sh option applies (see there), e.g.
#
#   tests/perf/bench-cold.sh -n 500            # both kinds (~3 min)
#   tests/perf/bench-cold.sh -n 1000 -k ours -p
#
# Results are appended to OUT_DIR/results-cold.txt (or to $RESULTS).
PERF_DIR=$(cd "$(dirname "$0")" && pwd)
export RESULTS_NAME=results-cold.txt
exec "$PERF_DIR/bench-ts.sh" -r 20 "$@"

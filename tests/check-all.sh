#!/bin/bash
# The whole test suite from a fresh clone on Debian 12, as root: installs
# what it needs, builds, runs our unit and end-to-end tests against Debian
# 12's OVN 23.03 with an ASan+UBSan build of our code (tests/check-sanitizers.sh: a second
# build directory; any sanitizer report fails), fuzzes every parser of
# other zones' input for FUZZ_SECONDS (30 here) per target after replaying
# the kept inputs (tests/fuzz/run-fuzz.sh), then upstream OVN 26.03's own
# tests/ovn-ic.at with our daemon swapped in (tests/upstream/check.sh, each
# test in one of its two ovn-controller variants; it builds that OVN once
# per machine, about 5 minutes, into a cache), and
# last our end-to-end tests once more against that OVN 26.03 build
# (TEST_OVN=current: the features that need a newer northd, and mixed zones
# of ours and upstream's 26.03 daemon).  Ends with one line
# "N passed, M failed, K skipped" over all three.
#
# UPSTREAM_SUITE=no skips both runs against OVN 26.03 (for a quicker run by
# hand).  VAGRANT_BOOT=yes also boots the seven-VM Vagrant lab
# (tests/vagrant-boot.sh: 9-17 minutes with its caches, about 38 on a
# fresh machine, so it is not part of the default run, which must stay
# under an hour).
set -e
cd "$(dirname "$0")/.."
utilities/install-deps.sh
[ -x configure ] || ./boot.sh
[ -f Makefile ] || ./configure --enable-werror
make -j2

set +e
touch tests/check-all-start.log
tests/check-sanitizers.sh 2>&1 | tee tests/check-ours.log
ours=${PIPESTATUS[0]}
FUZZ_SECONDS=${FUZZ_SECONDS:-30} tests/fuzz/run-fuzz.sh 2>&1 |
    tee tests/check-fuzz.log
fuzz=${PIPESTATUS[0]}
upstream=0 current=0 vagrant_boot=0
if [ "${UPSTREAM_SUITE:-yes}" != no ]; then
    # Each of upstream's tests runs twice, with ovn-controller monitoring
    # all of the SB or not: that variant is ovn-controller's, not ovn-ic's.
    # One of them keeps this run well under an hour (the two take 24
    # minutes); OVN_IC_AT_MATCH= runs both.
    OVN_IC_AT_MATCH=${OVN_IC_AT_MATCH-ovn_monitor_all=yes} \
        tests/upstream/check.sh "$PWD/ic/ovn-ic" 2>&1 |
        tee tests/check-upstream.log
    upstream=${PIPESTATUS[0]}
    TEST_OVN=current tests/run-tests.sh tests/ic-*.sh 2>&1 |
        tee tests/check-current.log
    current=${PIPESTATUS[0]}
fi
if [ "${VAGRANT_BOOT:-no}" != no ]; then
    tests/vagrant-boot.sh 2>&1 | tee tests/check-vagrant.log
    vagrant_boot=${PIPESTATUS[0]}
fi
set -e

# count LOG WORD: the number before WORD on LOG's last summary line.
count() {
    [ -f "$1" ] || { echo 0; return; }
    grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 |
        grep -oE "[0-9]+ $2" | grep -oE '[0-9]+' || echo 0
}
logs=(tests/check-ours.log)
[ "${UPSTREAM_SUITE:-yes}" != no ] &&
    logs+=(tests/check-upstream.log tests/check-current.log)
[ "${VAGRANT_BOOT:-no}" != no ] && logs+=(tests/check-vagrant.log)
passed=0 failed=0 skipped=0
for log in "${logs[@]}"; do
    passed=$((passed + $(count "$log" passed)))
    failed=$((failed + $(count "$log" failed)))
    skipped=$((skipped + $(count "$log" skipped)))
done
[ "$ours" -eq 0 ] && [ "$fuzz" -eq 0 ] && [ "$upstream" -eq 0 ] &&
    [ "$current" -eq 0 ] && [ "$vagrant_boot" -eq 0 ] ||
    [ "$failed" -gt 0 ] ||
    failed=1
# The failed tests' logs end with what their daemons said (see diagnose in
# tests/lib.sh): show them here, where a CI log's tail has them.
asan_results=${ASAN_BUILD_DIR:-/tmp/ovn-interconnect-asan}/build/tests/results
for log in "$asan_results"/ic-*.log tests/results/ic-*.log; do
    [ -f "$log" ] && [ "$log" -nt tests/check-all-start.log ] || continue
    echo
    echo "=== $log"
    grep -m1 '^FAILED: ' "$log"
    tail -n 60 "$log"
done
rm -f tests/check-all-start.log

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

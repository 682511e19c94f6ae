#!/bin/bash
# Upstream OVN's own interconnection suite (tests/ovn-ic.at of the release
# build-ovn.sh builds) with our daemon swapped in, as a part of the whole
# test suite (tests/check-all.sh).
#
#   tests/upstream/check.sh OUR-OVN-IC
#
# Every group counts (OVN_IC_AT_MATCH, see run-ovn-ic-at.sh, runs only the
# groups whose title contains it).  A group that fails is run once more
# before it counts as failed (the suite's data-plane groups depend on
# timing).  The setups listed in tests/upstream/known-failures are features
# ours does not have yet: their groups count as skipped, and one that
# passes counts as failed until it is taken off the list, so the list never
# hides progress or a regression.  Ends with "N passed, M failed, K skipped".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:?usage: $0 OUR-OVN-IC}
KNOWN=$HERE/known-failures
OUT=${OVN_IC_AT_OUT:-/tmp/ovn-ic-at-check}
export OVN_IC_BIN=$BIN

"$HERE/build-ovn.sh" || { echo "0 passed, 1 failed"; exit 1; }

OVN_IC_AT_OUT=$OUT "$HERE/run-ovn-ic-at.sh" ours > "$OUT.log" 2>&1
grep -E '^run-ovn-ic-at:' "$OUT.log"
[ -f "$OUT/testsuite.out" ] || { echo "0 passed, 1 failed"; exit 1; }
if ! grep -q "ovn-ic" "$OUT/ovn-ic-wrapper.log" ||
   [ "$(grep -vc '^#' "$OUT/ovn-ic-wrapper.log")" -eq 0 ]; then
    echo "upstream suite: our ovn-ic never ran"
    echo "0 passed, 1 failed"
    exit 1
fi

# results FILE: "NUM STATUS" per group, STATUS ok or failed.
results() {
    grep -E '^ *[0-9]+: .* (ok|FAILED \(.*\)|skipped \(.*\))$' "$1" |
        sed -E 's/^ *([0-9]+): .* (ok|FAILED \(.*\)|skipped \(.*\))$/\1 \2/' |
        awk '{ print $1, ($2 == "ok" ? "ok" : "failed") }'
}

# setup NUM: the group's setup title, without the variant suffix.
setup() {
    awk -v n="$1" '$1 == n ":" { $1 = ""; $2 = ""; sub(/^ +/, ""); print;
                                 exit }' "$OUT/list.txt" |
        sed -E 's/ -- parallelization=.*//'
}

is_known() {
    grep -v '^#' "$KNOWN" | cut -d'|' -f1 | sed 's/ *$//' |
        grep -Fxq -- "$1"
}

declare -A status
while read -r n s; do status[$n]=$s; done < <(results "$OUT/testsuite.out")

# Failures that are not known get a second chance.
retry=()
for n in "${!status[@]}"; do
    if [ "${status[$n]}" = failed ] && ! is_known "$(setup "$n")"; then
        retry+=("$n")
    fi
done
if [ ${#retry[@]} -gt 0 ]; then
    echo "upstream suite: running ${#retry[@]} failed groups again:" \
        "${retry[*]}"
    OVN_IC_AT_OUT=$OUT-retry "$HERE/run-ovn-ic-at.sh" ours "${retry[@]}" \
        > "$OUT-retry.log" 2>&1
    while read -r n s; do
        status[$n]=$s
    done < <(results "$OUT-retry/testsuite.out" 2>/dev/null)
fi

passed=0 failed=0 skipped=0
for n in $(printf '%s\n' "${!status[@]}" | sort -n); do
    title=$(setup "$n")
    if is_known "$title"; then
        if [ "${status[$n]}" = ok ]; then
            echo "FAIL upstream $n: $title: passes now; take it off" \
                 "tests/upstream/known-failures"
            failed=$((failed + 1))
        else
            skipped=$((skipped + 1))
        fi
    elif [ "${status[$n]}" = ok ]; then
        passed=$((passed + 1))
    else
        echo "FAIL upstream $n: $title (log: $OUT/testsuite.dir/$n or" \
             "$OUT-retry/testsuite.dir/$n)"
        failed=$((failed + 1))
    fi
done
expected=$(grep '^ *[0-9]*: *ovn-ic\.at:' "$OUT/list.txt" |
           grep -cF -- "${OVN_IC_AT_MATCH:-}")
if [ $((passed + failed + skipped)) -ne "$expected" ]; then
    echo "upstream suite: $expected groups listed, $((passed + failed + skipped)) ran"
    failed=$((failed + expected - passed - failed - skipped))
fi
echo "upstream ovn-ic.at: $passed passed, $failed failed, $skipped skipped" \
     "(known failures: tests/upstream/known-failures)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

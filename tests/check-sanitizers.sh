#!/bin/bash
# Builds the daemon, the tools and the unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer in a build directory of their own, and runs
# the test suite against that build.  Fails if a test fails or if any
# sanitizer reports anything, in any of our programs, even one whose test
# passed (a daemon detaches and its stderr goes nowhere, so every report
# goes to a file under ASAN_BUILD_DIR/reports, which is checked after each
# test file).
#
#   tests/check-sanitizers.sh [FILE...]
#
# FILEs as tests/run-tests.sh takes them (tests/ic-*.sh, or "unit" for the
# unit test programs); the default is every unit test and every
# tests/ic-*.sh.  Ends with a line "N passed, M failed[, K skipped]" and
# the time it took.
#
# Environment:
#   ASAN_BUILD_DIR     build directory, outside the source tree
#                      (default /tmp/ovn-interconnect-asan)
#   SANITIZER_CC       compiler (default gcc)
#   SANITIZER_CFLAGS   its flags (default: ASan and UBSan, -O1)
#   SANITIZER_SKIP     test files to leave out, e.g. "ic-package ic-vagrant"
#                      (default: none)
#   ASAN_OPTIONS       added to this script's own; e.g.
#                      fast_unwind_on_malloc=0 gives leak reports whole
#                      stacks through Open vSwitch's library (built
#                      without frame pointers), at some cost in speed
#
# Open vSwitch's library is linked in as the ordinary build has it, without
# sanitizers (see tests/out-of-tree.sh); only our code is instrumented,
# though ASan still sees every allocation, the library's included.
set -u
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_ROOT=${ASAN_BUILD_DIR:-/tmp/ovn-interconnect-asan}
CC_SAN=${SANITIZER_CC:-gcc}
CFLAGS_SAN=${SANITIZER_CFLAGS:--g -O1 -fno-omit-frame-pointer \
-fsanitize=address,undefined -fno-sanitize-recover=undefined}
start=$(date +%s)

# shellcheck source=tests/out-of-tree.sh
. "$SRCDIR/tests/out-of-tree.sh"
out_of_tree_configure "$BUILD_ROOT" CC="$CC_SAN" CFLAGS="$CFLAGS_SAN" ||
    exit 1
echo "building with sanitizers in $OOT_BUILDDIR"
{ make -C "$OOT_BUILDDIR" -j"${MAKE_JOBS:-2}" all &&
  make -C "$OOT_BUILDDIR" -j"${MAKE_JOBS:-2}" check-programs; } \
    >"$OOT_BUILDDIR/make.out" 2>&1 || {
    grep -E 'error|Error' "$OOT_BUILDDIR/make.out" | head -n 20 >&2
    echo "build failed, see $OOT_BUILDDIR/make.out" >&2
    exit 1
}
echo "built in $(( $(date +%s) - start ))s"

# Every report goes to REPORTS/{asan,ubsan}.PROGRAM.PID.  Any report is
# an error: ASan stops the program at the first; UBSan's checks are built
# not to recover (-fno-sanitize-recover), and halt_on_error stops it too
# if they were.  LeakSanitizer runs when a program exits normally.
# (GCC's UBSan writes the "runtime error" line itself to stderr and only
# its SUMMARY line, with the file and line, to the report file, so that a
# detached daemon's UBSan report is its SUMMARY; a unit test's full report
# is in its log under tests/results, which is checked too.)
REPORTS=$BUILD_ROOT/reports
rm -rf "$REPORTS" "$OOT_BUILDDIR/tests/results"
mkdir -p "$REPORTS"
export ASAN_OPTIONS="log_path=$REPORTS/asan:log_exe_name=1:halt_on_error=1\
:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1\
:check_initialization_order=1:print_summary=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$REPORTS/ubsan:log_exe_name=1:halt_on_error=1\
:print_stacktrace=1:print_summary=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# The tests' teardown asks each ovn-ic to exit rather than killing it, so
# that LeakSanitizer checks the daemons too (see stop_pidfile in
# tests/lib.sh).
export IC_EXIT_CLEANLY=yes

if [ $# = 0 ]; then
    set -- unit "$SRCDIR"/tests/ic-*.sh
fi

passed=0 failed=0 skipped=0
failures=()
reported=()
# tally LOG: adds the summary line of a run-tests.sh output to the totals.
tally() {
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    [ -n "$line" ] || { failed=$((failed + 1)); return; }
    passed=$((passed + $(echo "$line" | grep -oE '^[0-9]+')))
    failed=$((failed + $(echo "$line" | grep -oE '[0-9]+ failed' |
                         grep -oE '[0-9]+')))
    skipped=$((skipped + $(echo "$line" | grep -oE '[0-9]+ skipped' |
                           grep -oE '[0-9]+' || echo 0)))
}

for file in "$@"; do
    name=$(basename "$file" .sh)
    case " ${SANITIZER_SKIP:-} " in
        *" $name "*) echo "SKIP $name (SANITIZER_SKIP)"; continue ;;
    esac
    if [ "$file" = unit ]; then
        args=("$OOT_BUILDDIR"/tests/unit/test-*)
    else
        args=("$file")
    fi
    file_start=$(date +%s)
    out=$BUILD_ROOT/$name.out
    TOP_BUILDDIR=$OOT_BUILDDIR "$SRCDIR/tests/run-tests.sh" "${args[@]}" \
        >"$out" 2>&1
    grep -E '^(FAIL|SKIP) ' "$out"
    tally "$out"
    grep '^failed: ' "$out" >/dev/null && failures+=("$name")

    # Reports that this file's programs left.
    mkdir -p "$REPORTS/$name"
    for report in "$REPORTS"/asan.* "$REPORTS"/ubsan.*; do
        [ -f "$report" ] || continue
        mv "$report" "$REPORTS/$name/"
        reported+=("$name/$(basename "$report")")
    done
    rmdir "$REPORTS/$name" 2>/dev/null
    printf '%-40s %-32s %5ss\n' "== $name" \
        "$(grep -E '^[0-9]+ passed' "$out" | tail -n 1)" \
        "$(( $(date +%s) - file_start ))"
done

echo
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
if [ ${#reported[@]} -gt 0 ]; then
    for r in "${reported[@]}"; do
        echo "sanitizer report: $REPORTS/$r"
        grep -E -m 3 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error|SUMMARY' \
            "$REPORTS/$r" | sed 's/^/    /'
    done
    failed=$((failed + ${#reported[@]}))
fi
# Belt and braces: a report that a test caught on stderr before the log
# path took effect.
if grep -rlE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' \
       "$OOT_BUILDDIR/tests/results" 2>/dev/null; then
    echo "sanitizer reports in the failed tests' logs above"
    failed=$((failed + 1))
fi
echo
echo "sanitizers: $(( $(date +%s) - start ))s in all"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]

#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz and runs each for a bounded
# time.  Fails if any input crashes a target (a crash, an ASan or UBSan
# report, a leak, or a property of the target that does not hold).
#
#   tests/fuzz/run-fuzz.sh [TARGET...]      (default: every fuzz-*.c)
#
# First every input ever kept in tests/fuzz/regressions/TARGET/ and the
# seed corpus tests/fuzz/corpus/TARGET/ is run once; then the target is
# fuzzed for FUZZ_SECONDS, starting from the seeds and from what earlier
# runs on this machine found (FUZZ_BUILD_DIR/corpus/TARGET).  An input
# that crashes is copied into tests/fuzz/regressions/TARGET/, to commit
# with the fix, so that every later run replays it.  Prints the
# executions of each target and a last line "fuzz: N executions, M
# crashes".
#
# Environment:
#   FUZZ_SECONDS     fuzzing time per target (default 60; 0: replay only)
#   FUZZ_BUILD_DIR   build directory, outside the source tree
#                    (default /tmp/ovn-interconnect-fuzz)
#   FUZZ_CC          the compiler (default clang-14, else clang)
#   FUZZ_CFLAGS      its flags (default: libFuzzer coverage, ASan, UBSan)
#
# Needs Debian 12's clang-14 and libclang-rt-14-dev (libFuzzer's runtime),
# and llvm-14 for symbolized stacks.
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ_DIR=$SRCDIR/tests/fuzz
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
BUILD_ROOT=${FUZZ_BUILD_DIR:-/tmp/ovn-interconnect-fuzz}
if [ -z "${FUZZ_CC:-}" ]; then
    FUZZ_CC=clang-14
    command -v "$FUZZ_CC" >/dev/null || FUZZ_CC=clang
fi
FUZZ_CFLAGS=${FUZZ_CFLAGS:--g -O1 -fno-omit-frame-pointer \
-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all}

# shellcheck source=tests/out-of-tree.sh
. "$SRCDIR/tests/out-of-tree.sh"

if [ $# = 0 ]; then
    for f in "$FUZZ_DIR"/fuzz-*.c; do
        set -- "$@" "$(basename "$f" .c)"
    done
fi

out_of_tree_configure "$BUILD_ROOT" --enable-fuzzing \
    CC="$FUZZ_CC" CFLAGS="$FUZZ_CFLAGS" || exit 1
echo "building the fuzz targets in $OOT_BUILDDIR"
make -C "$OOT_BUILDDIR" -j"${MAKE_JOBS:-2}" fuzz-targets \
    >"$OOT_BUILDDIR/make.out" 2>&1 || {
    grep -E 'error|Error' "$OOT_BUILDDIR/make.out" | head -n 20 >&2
    echo "build failed, see $OOT_BUILDDIR/make.out" >&2
    exit 1
}

# ASan's leak check stays on; UBSan's reports abort (see FUZZ_CFLAGS).
# Stacks are symbolized by llvm-symbolizer (Debian 12: llvm-14), which
# Debian puts on PATH only through the "llvm" package.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] &&
   ! command -v llvm-symbolizer >/dev/null &&
   [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

total=0
crashes=0
failed=()
for target in "$@"; do
    bin=$OOT_BUILDDIR/tests/fuzz/$target
    seeds=$FUZZ_DIR/corpus/$target
    regressions=$FUZZ_DIR/regressions/$target
    work=$BUILD_ROOT/corpus/$target
    artifacts=$BUILD_ROOT/artifacts/$target
    log=$BUILD_ROOT/$target.log
    [ -x "$bin" ] || { echo "$target: no such target" >&2; exit 2; }
    mkdir -p "$work" "$artifacts"
    : >"$log"
    ok=true

    # Every input kept so far, once.
    inputs=()
    for f in "$regressions"/* "$seeds"/*; do
        [ -f "$f" ] && inputs+=("$f")
    done
    if [ ${#inputs[@]} -gt 0 ] &&
       ! "$bin" "${inputs[@]}" >>"$log" 2>&1; then
        echo "$target: a kept input crashes it:"
        grep -E -m 5 'Running:|ERROR|runtime error|property' "$log"
        ok=false
    fi

    execs=0
    if $ok && [ "$SECONDS_PER_TARGET" -gt 0 ]; then
        dict=()
        [ -f "$FUZZ_DIR/fuzz.dict" ] && dict=(-dict="$FUZZ_DIR/fuzz.dict")
        "$bin" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
            -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$artifacts/" "${dict[@]}" \
            "$work" "$seeds" >>"$log" 2>&1 || ok=false
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
                tail -n 1)
        execs=${execs:-0}
        if ! $ok; then
            mkdir -p "$regressions"
            for f in "$artifacts"/*; do
                [ -f "$f" ] || continue
                cp "$f" "$regressions/"
                echo "$target: crash kept as" \
                     "${regressions#"$SRCDIR"/}/$(basename "$f")"
                rm -f "$f"
            done
            grep -E -m 5 'ERROR|runtime error|property|SUMMARY' "$log"
        fi
    fi
    total=$((total + execs))
    if $ok; then
        printf '%-24s %12s executions in %ss, %s kept inputs: ok\n' \
            "$target" "$execs" "$SECONDS_PER_TARGET" "${#inputs[@]}"
    else
        crashes=$((crashes + 1))
        failed+=("$target")
        printf '%-24s %12s executions: CRASH (log: %s)\n' \
            "$target" "$execs" "$log"
    fi
done

echo
echo "fuzz: $total executions, $crashes crashes${failed[*]:+ (${failed[*]})}"
[ "$crashes" = 0 ]

#!/bin/bash
# Runs the test suite and ends with a line "N passed, M failed".
#
#   tests/run-tests.sh [-k PATTERN] [FILE...]
#
# Unit tests are the tests/unit/test-* programs; each prints one TAP line
# ("ok N - name" or "not ok N - name") per case, and each case counts.
# End-to-end tests are the test_* functions in tests/ic-*.sh; each runs in a
# subshell with a private directory and is torn down afterwards.  A failed
# test's log is kept under tests/results/.
set -u
TOP_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
export TOP_SRCDIR TOP_BUILDDIR
RESULTS=$TOP_BUILDDIR/tests/results
PATTERN=
while getopts k: opt; do
    case $opt in
        k) PATTERN=$OPTARG ;;
        *) echo "usage: $0 [-k PATTERN] [FILE...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

# Each test overwrites its own log and removes it when it passes, so that
# concurrent runs of different files do not disturb each other.
mkdir -p "$RESULTS"
passed=0
failed=0
skipped=0
failures=()

record() {                      # record NAME STATUS SECONDS
    if [ "$2" = 0 ]; then
        passed=$((passed + 1))
        printf 'PASS %-60s %3ss\n' "$1" "$3"
    elif [ "$2" = 77 ]; then
        skipped=$((skipped + 1))
        printf 'SKIP %-60s %3ss  (%s)\n' "$1" "$3" \
            "$(grep -m1 '^skipped: ' "$RESULTS/$1.log" | cut -c10-)"
    else
        failed=$((failed + 1))
        failures+=("$1")
        printf 'FAIL %-60s %3ss  (log: %s)\n' "$1" "$3" \
            "${RESULTS#$TOP_BUILDDIR/}/$1.log"
        grep -m1 '^FAILED: ' "$RESULTS/$1.log" 2>/dev/null |
            cut -c1-300 | sed 's/^/    /'
    fi
}

run_unit() {                    # run_unit PROGRAM
    local prog=$1 name line
    name=$(basename "$prog")
    while IFS= read -r line; do
        case $line in
            "ok "*) record "$name: ${line#*- }" 0 0 ;;
            "not ok "*)
                echo "$line" >> "$RESULTS/$name.log"
                record "$name: ${line#*- }" 1 0 ;;
        esac
    done < <(: > "$RESULTS/$name.log"; "$prog" 2>>"$RESULTS/$name.log"; echo "exit $?" >> "$RESULTS/$name.log")
    grep -q "^exit 0$" "$RESULTS/$name.log" ||
        record "$name: exits 0" 1 0
}

run_e2e() {                     # run_e2e FILE FUNCTION
    local file=$1 fn=$2 name start rc
    name=$(basename "$file" .sh).${fn#test_}
    start=$(date +%s)
    (
        T=$(mktemp -d /tmp/ict.XXXXXX)
        export T
        . "$TOP_SRCDIR/tests/lib.sh"
        # shellcheck source=/dev/null
        . "$file"
        trap 'rc=$?; [ $rc = 0 ] || [ $rc = 77 ] || diagnose; teardown
              [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
        set -e
        "$fn"
    ) > "$RESULTS/$name.log" 2>&1
    rc=$?
    record "$name" $rc $(( $(date +%s) - start ))
    if [ $rc = 0 ] || [ $rc = 77 ]; then rm -f "$RESULTS/$name.log"; fi
}

if [ $# = 0 ]; then
    set -- "$TOP_BUILDDIR"/tests/unit/test-* "$TOP_SRCDIR"/tests/ic-*.sh
fi
for file in "$@"; do
    case $file in
        *.sh)
            for fn in $(bash -c ". '$file'; declare -F" |
                        awk '$3 ~ /^test_/ {print $3}'); do
                case "$(basename "$file" .sh).${fn#test_}" in
                    *$PATTERN*) run_e2e "$file" "$fn" ;;
                esac
            done
            ;;
        *.c|*.o) ;;
        *)
            [ -x "$file" ] && case $file in *$PATTERN*) run_unit "$file" ;; esac
            ;;
    esac
done

echo
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]

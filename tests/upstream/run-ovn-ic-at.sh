#!/bin/bash
# Run upstream OVN's own interconnection suite (tests/ovn-ic.at of the release
# that build-ovn.sh built, or of upstream main that build-ovn-main.sh built:
# OVN_CURRENT_CACHE=/var/cache/ovn-interconnect/ovn-main) with a chosen ovn-ic
# daemon.
#
#   tests/upstream/run-ovn-ic-at.sh ours      [TESTSUITE-ARGS...]   # our daemon swapped in
#   tests/upstream/run-ovn-ic-at.sh upstream  [TESTSUITE-ARGS...]   # the build's own ovn-ic
#
# Extra arguments go to tests/testsuite (for example -v, -d, or group numbers
# or ranges to run instead of all of ovn-ic.at's groups).
#
# Environment:
#   OVN_IC_BIN         our daemon (default /work/main/ic/ovn-ic; a libtool
#                      wrapper script is resolved to its .libs/ binary)
#   OVN_IC_AT_OUT      results directory (default /tmp/ovn-ic-at-MODE-DATE)
#   OVN_IC_AT_JOBS     testsuite -j (default 2; everything runs under nice -n 19)
#   OVN_IC_AT_MATCH    run only the groups whose title contains this string
#                      (for example "ovn_monitor_all=yes": each of upstream's
#                      tests once, without its second ovn-controller variant)
#   OVN_CURRENT_CACHE  build cache (see build-ovn.sh)
#
# Our daemon is copied (a plain copy, named ovn-ic) into OUT/real/; a small
# wrapper OUT/bin/ovn-ic logs each start to OUT/ovn-ic-wrapper.log and execs
# the copy. OUT/bin goes first in AUTOTEST_PATH, so every "ovn-ic" that the
# suite starts is ours; everything else (ovsdb-server, northd, controller,
# ctl tools, schemas) is the build's. The build tree is never written to:
# the suite runs in OUT with its own atconfig.
#
# Ends with "N passed, M failed" (groups) and the failing groups' titles.
# Exit status: 0 if no group failed, 1 otherwise, 2 on a setup error.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${OVN_CURRENT_CACHE:-/var/cache/ovn-interconnect/ovn-current}
export OVN_CURRENT_CACHE=$CACHE

die() { echo "run-ovn-ic-at: error: $*" >&2; exit 2; }

MODE=${1:-}
case $MODE in
    ours|upstream) shift ;;
    *) echo "usage: $0 ours|upstream [TESTSUITE-ARGS...]" >&2; exit 2 ;;
esac

"$HERE/build-ovn.sh"
# shellcheck disable=SC1091
. "$CACHE/.built"
# shellcheck disable=SC2154
[ -x "$ovn_dir/tests/testsuite" ] || die "no $ovn_dir/tests/testsuite"

# The spine-leaf groups send packets made by tests/scapy-server.py
# ("#!/usr/bin/env python3"); without scapy they wait forever. Use Debian's
# python3 (python3-scapy), not a pyenv or venv python3 earlier in PATH.
PY=/usr/bin/python3
"$PY" -c 'import scapy' 2>/dev/null ||
    die "$PY cannot import scapy: apt-get install --no-install-recommends python3-scapy"
export PATH="/usr/bin:$PATH"

OUT=${OVN_IC_AT_OUT:-/tmp/ovn-ic-at-$MODE-$(date +%Y%m%d-%H%M%S)}
JOBS=${OVN_IC_AT_JOBS:-2}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | tr -d '\177')" = ELF ]; }

# The suite's own AUTOTEST_PATH (tests/automake.mk), made absolute.
# shellcheck disable=SC2154
AUTOTEST_PATH="$ovs_dir/utilities:$ovs_dir/vswitchd:$ovs_dir/ovsdb:$ovs_dir/vtep"
AUTOTEST_PATH+=":$ovn_dir/tests:$ovn_dir/controller-vtep:$ovn_dir/northd"
AUTOTEST_PATH+=":$ovn_dir/utilities:$ovn_dir/controller:$ovn_dir/ic:$ovn_dir/br-controller"

if [ "$MODE" = ours ]; then
    BIN=${OVN_IC_BIN:-/work/main/ic/ovn-ic}
    [ -e "$BIN" ] || die "no daemon at $BIN (set OVN_IC_BIN)"
    if ! is_elf "$BIN"; then      # libtool wrapper script: take the real binary
        real="$(dirname "$BIN")/.libs/$(basename "$BIN")"
        is_elf "$real" || die "$BIN is not an ELF binary and $real is missing"
        BIN=$real
    fi
    mkdir -p "$OUT/real" "$OUT/bin"
    cp "$BIN" "$OUT/real/ovn-ic"          # a plain copy, never a link
    chmod 755 "$OUT/real/ovn-ic"
    {
        echo "# daemon: copy of $BIN ($(sha256sum < "$OUT/real/ovn-ic" | cut -c1-16))"
        "$OUT/real/ovn-ic" --version 2>&1 | sed 's/^/# --version: /'
    } > "$OUT/ovn-ic-wrapper.log"
    cat > "$OUT/bin/ovn-ic" <<EOF
#!/bin/bash
# Logs that our ovn-ic ran, then runs it under its own name.
echo "\$(date -u +%H:%M:%S) \$PWD: ovn-ic \$*" >> '$OUT/ovn-ic-wrapper.log'
exec -a ovn-ic '$OUT/real/ovn-ic' "\$@"
EOF
    chmod 755 "$OUT/bin/ovn-ic"
    AUTOTEST_PATH="$OUT/bin:$AUTOTEST_PATH"
    echo "run-ovn-ic-at: our daemon: $BIN, copied to $OUT/real/ovn-ic"
else
    echo "run-ovn-ic-at: upstream's daemon: $ovn_dir/ic/ovn-ic"
fi

# The suite runs in OUT: its own atconfig (absolute paths into the build
# tree) and the build's atlocal, with Debian's python3.
sed -e "s|^at_srcdir=.*|at_srcdir='$ovn_dir/tests'|" \
    -e "s|^at_top_srcdir=.*|at_top_srcdir='$ovn_dir'|" \
    -e "s|^at_top_build_prefix=.*|at_top_build_prefix='$ovn_dir/'|" \
    "$ovn_dir/tests/atconfig" > "$OUT/atconfig"
sed -E "s|^( *PYTHON3?=).*|\1'$PY'|" "$ovn_dir/tests/atlocal" > "$OUT/atlocal"

# ovn-ic.at's groups: a number range from --list (-k ovn-ic would miss the
# data-plane groups titled "interconnection ..." and "spine-leaf ...").
( cd "$OUT" && "$ovn_dir/tests/testsuite" --list ) > "$OUT/list.txt"
nums=$(awk '$2 ~ /^ovn-ic\.at:/ { sub(":", "", $1); print $1 }' "$OUT/list.txt")
[ -n "$nums" ] || die "tests/testsuite --list names no ovn-ic.at group"
first=$(echo "$nums" | head -n 1)
last=$(echo "$nums" | tail -n 1)
count=$(echo "$nums" | wc -l)
[ "$count" -eq $((last - first + 1)) ] || die "ovn-ic.at's groups $first-$last are not contiguous"
if [ $# -gt 0 ]; then
    GROUPS_ARGS=("$@")
elif [ -n "${OVN_IC_AT_MATCH:-}" ]; then
    mapfile -t GROUPS_ARGS < <(
        awk -v f="$first" -v l="$last" -v m="$OVN_IC_AT_MATCH" '
            { n = $1; sub(":", "", n) }
            n + 0 >= f && n + 0 <= l && index($0, m) { print n }' \
            "$OUT/list.txt")
    [ ${#GROUPS_ARGS[@]} -gt 0 ] ||
        die "no ovn-ic.at group's title contains \"$OVN_IC_AT_MATCH\""
    echo "run-ovn-ic-at: ${#GROUPS_ARGS[@]} groups whose title contains" \
         "\"$OVN_IC_AT_MATCH\""
else
    GROUPS_ARGS=("$first-$last")
fi
echo "run-ovn-ic-at: ovn $ovn_version, ovn-ic.at = groups $first-$last ($count), -j$JOBS, results in $OUT"

t0=$(date +%s)
set +e
( cd "$OUT" &&
  export ovs_srcdir="$ovs_dir" ovs_builddir="$ovs_dir" &&
  nice -n 19 "${SHELL:-/bin/bash}" "$ovn_dir/tests/testsuite" -C "$OUT" \
      AUTOTEST_PATH="$AUTOTEST_PATH" -j"$JOBS" "${GROUPS_ARGS[@]}" ) 2>&1 |
    tee "$OUT/testsuite.out"
set -e
t1=$(date +%s)

# One result line per group: "NUM: TITLE  ok | FAILED (...) | skipped (...) | ...".
passed=0 failed=0 skipped=0
failing=()
while IFS= read -r line; do
    n=$(echo "$line" | sed -E 's/^ *([0-9]+):.*/\1/')
    case $line in
        *" ok") passed=$((passed + 1)) ;;
        *" expected failure") passed=$((passed + 1)) ;;
        *" skipped ("*) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1))
           title=$(awk -v n="$n" '$1 == n ":" { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' "$OUT/list.txt")
           failing+=("$n: $title") ;;
    esac
done < <(grep -E '^ *[0-9]+: .* (ok|FAILED \(.*\)|skipped \(.*\)|expected failure|UNEXPECTED PASS)$' "$OUT/testsuite.out")

echo
echo "run-ovn-ic-at: $MODE daemon, $((t1 - t0)) s, results in $OUT"
if [ "$MODE" = ours ]; then
    starts=$(grep -vc '^#' "$OUT/ovn-ic-wrapper.log" || true)
    echo "run-ovn-ic-at: our ovn-ic was started $starts times (log: $OUT/ovn-ic-wrapper.log)"
    [ "$starts" -gt 0 ] || echo "run-ovn-ic-at: WARNING: our ovn-ic never ran"
fi
if [ ${#failing[@]} -gt 0 ]; then
    echo "failing groups (logs in $OUT/testsuite.dir/NUM/testsuite.log):"
    for f in "${failing[@]}"; do echo "  $f"; done
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

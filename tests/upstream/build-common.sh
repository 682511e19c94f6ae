# Shared by build-ovn.sh and build-ovn-main.sh: logging, timed resumable
# stages, the package check, the Open vSwitch and OVN builds, and the
# final stamp.  Source it after setting CACHE, JOBS and BUILD_NAME.
# shellcheck shell=bash disable=SC2154

log() { echo "$BUILD_NAME: $*"; }
die() { echo "$BUILD_NAME: error: $*" >&2; exit 1; }
exec 3>&1
note() { log "$*"; log "$*" >&3; }   # into the stage's log and onto the console

# Debian's python3 (with python3-scapy, which the spine-leaf groups need)
# for configure and the build, not a pyenv or venv python3 earlier in PATH.
PY=/usr/bin/python3
export PATH="/usr/bin:$PATH"

NICE=(nice -n 19)
declare -a TIMINGS=()
T_START=$(date +%s)

# Debian 12 packages (by name) that the builds and upstream's suite need.
BUILD_PACKAGES=(
    build-essential autoconf automake libtool pkg-config dpkg-dev
    python3 libssl-dev libcap-ng-dev libunbound-dev openssl procps
    python3-scapy
)

# missing_packages: print the BUILD_PACKAGES that are not installed.
missing_packages() {
    local p
    for p in "${BUILD_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q '^install ok installed' || echo "$p"
    done
}

# stage NAME FUNCTION: run FUNCTION unless its stamp exists; time it.  Its
# output goes to $CACHE/logs/NAME.log, whose tail is shown if it fails.
stage() {
    local name=$1 fn=$2 t0 t1 rc
    mkdir -p "$CACHE/logs"
    if [ -f "$CACHE/.stage-$name" ]; then
        log "stage $name: done earlier, skipped"
        TIMINGS+=("$name: skipped (done earlier)")
        return
    fi
    log "stage $name: start (log: $CACHE/logs/$name.log)"
    t0=$(date +%s)
    # Not under "if": errexit would be ignored inside the stage.
    set +e
    ( set -e; "$fn" ) > "$CACHE/logs/$name.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$CACHE/logs/$name.log" >&2
        die "stage $name failed after $(( $(date +%s) - t0 )) s; full log: $CACHE/logs/$name.log"
    fi
    t1=$(date +%s)
    touch "$CACHE/.stage-$name"
    TIMINGS+=("$name: $((t1 - t0)) s")
    log "stage $name: $((t1 - t0)) s"
}

# The in-tree builds, in the directories that $CACHE/.sources names.
do_ovs() {
    cd "$ovs_dir"
    "${NICE[@]}" ./boot.sh
    "${NICE[@]}" ./configure PYTHON3="$PY"
    "${NICE[@]}" make -j"$JOBS"
}

configure_and_make_ovn() {
    cd "$ovn_dir"
    "${NICE[@]}" ./boot.sh
    "${NICE[@]}" ./configure --with-ovs-source="$ovs_dir" \
        --with-ovs-build="$ovs_dir" PYTHON3="$PY"
    "${NICE[@]}" make -j"$JOBS"
}

# Builds tests/testsuite and the test programs; runs nothing.
do_tests() {
    cd "$ovn_dir"
    "${NICE[@]}" make -j"$JOBS" check TESTSUITEFLAGS=--list > "$CACHE/testsuite-list.txt"
    grep -c ': ovn-ic.at:' "$CACHE/testsuite-list.txt" |
        { read -r n; note "tests/testsuite lists $n ovn-ic.at groups"; }
}

# finish_build: write the .built stamp (the keys of .sources and the time)
# and print the timings.
finish_build() {
    cp "$CACHE/.sources" "$CACHE/.built.tmp"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$CACHE/.built.tmp"
    mv "$CACHE/.built.tmp" "$CACHE/.built"
    local t
    echo "$BUILD_NAME: timings"
    for t in "${TIMINGS[@]}"; do echo "  $t"; done
    echo "  total: $(( $(date +%s) - T_START )) s"
    echo "OVN build cache: $CACHE (ovs $ovs_version in $ovs_dir, ovn $ovn_version in $ovn_dir), $(du -sh "$CACHE" | cut -f1)"
}

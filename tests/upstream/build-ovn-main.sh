#!/bin/bash
# Build upstream OVN's main branch (and the Open vSwitch commit its ovs
# submodule pins) once into a cache laid out like build-ovn.sh's, from local
# bare git mirrors, for running main's own tests/ovn-ic.at against our daemon:
#
#   tests/upstream/build-ovn-main.sh     # build, or print where the cache is
#   OVN_CURRENT_CACHE=/var/cache/ovn-interconnect/ovn-main \
#       tests/upstream/run-ovn-ic-at.sh ours|upstream [GROUPS]
#
# run-ovn-ic-at.sh calls build-ovn.sh, which returns at once when the cache's
# .built stamp exists, whatever it holds; so build with this script first.
#
# Environment (defaults in brackets):
#   OVN_MAIN_CACHE   cache directory [/var/cache/ovn-interconnect/ovn-main]
#   OVN_MIRROR       OVN bare git mirror [/work/.mirror/ovn-org+ovn/repo]
#   OVS_MIRROR       Open vSwitch bare git mirror [/work/.mirror/openvswitch+ovs/repo]
#   OVN_COMMIT       OVN commit or ref to build [HEAD of OVN_MIRROR]
#   OVS_COMMIT       OVS commit [the one OVN_COMMIT's ovs submodule pins]
#   BUILD_JOBS       make -j [2; the machine is shared, everything runs under nice]
#
# Exit status 77 ("skipped", as in automake) when a mirror or commit is
# missing: on a machine without the mirrors there is nothing to build.
#
# Stages (each timed, each leaves a stamp so a failed run resumes; output in
# $CACHE/logs/STAGE.log, its tail shown on failure):
#   1. packages: the build packages that build-ovn.sh installs must be present.
#   2. export: git archive of both commits into $CACHE/src/{openvswitch,ovn}-VERSION.
#   3. ovs: ./boot.sh, ./configure, make (in-tree).
#   4. ovn: ./boot.sh, ./configure --with-ovs-source/--with-ovs-build, make.
#   5. tests: make check TESTSUITEFLAGS=--list (builds tests/testsuite and the
#      test programs, runs nothing).
# The .built stamp (same keys as build-ovn.sh's, plus the two commits) is
# written last, only when everything above succeeded.
set -euo pipefail

CACHE=${OVN_MAIN_CACHE:-/var/cache/ovn-interconnect/ovn-main}
OVN_MIRROR=${OVN_MIRROR:-/work/.mirror/ovn-org+ovn/repo}
OVS_MIRROR=${OVS_MIRROR:-/work/.mirror/openvswitch+ovs/repo}
OVN_COMMIT=${OVN_COMMIT:-HEAD}
OVS_COMMIT=${OVS_COMMIT:-}
JOBS=${BUILD_JOBS:-2}
STAMP=$CACHE/.built

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_NAME=build-ovn-main
# shellcheck source=tests/upstream/build-common.sh
. "$HERE/build-common.sh"
skip() { echo "build-ovn-main: skipped: $*" >&2; exit 77; }

# Resolve the commits first: without the mirrors there is nothing to do.
git -C "$OVN_MIRROR" rev-parse --git-dir > /dev/null 2>&1 ||
    skip "no OVN git mirror at $OVN_MIRROR (set OVN_MIRROR)"
git -C "$OVS_MIRROR" rev-parse --git-dir > /dev/null 2>&1 ||
    skip "no Open vSwitch git mirror at $OVS_MIRROR (set OVS_MIRROR)"
ovn_commit=$(git -C "$OVN_MIRROR" rev-parse --verify -q "$OVN_COMMIT^{commit}") ||
    skip "$OVN_MIRROR has no commit $OVN_COMMIT"
if [ -z "$OVS_COMMIT" ]; then
    OVS_COMMIT=$(git -C "$OVN_MIRROR" ls-tree "$ovn_commit" ovs | awk '$2 == "commit" { print $3 }')
    [ -n "$OVS_COMMIT" ] || die "OVN $ovn_commit has no ovs submodule; set OVS_COMMIT"
fi
ovs_commit=$(git -C "$OVS_MIRROR" rev-parse --verify -q "$OVS_COMMIT^{commit}") ||
    skip "$OVS_MIRROR has no commit $OVS_COMMIT (fetch it into the mirror)"

# Fast path: built already.
if [ -f "$STAMP" ]; then
    # shellcheck disable=SC1090
    . "$STAMP"
    # shellcheck disable=SC2154
    if [ "${ovn_commit_built:-}" != "$ovn_commit" ] || [ "${ovs_commit_built:-}" != "$ovs_commit" ]; then
        die "$CACHE holds ovn ${ovn_commit_built:-?} / ovs ${ovs_commit_built:-?}, not the requested ovn $ovn_commit / ovs $ovs_commit; remove $CACHE (or set OVN_MAIN_CACHE) to build those"
    fi
    echo "OVN build cache: $CACHE (ovs $ovs_version in $ovs_dir, ovn $ovn_version in $ovn_dir)"
    exit 0
fi

mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$STAMP" ]; then        # another run finished while we waited
    exec "$0" "$@"
fi
# Stage stamps from a build of other commits do not count.
if [ -f "$CACHE/.sources" ] && ! grep -qx "ovn_commit_built=$ovn_commit" "$CACHE/.sources"; then
    log "cache holds a partial build of other commits; starting over"
    rm -rf "$CACHE/src" "$CACHE/.sources" "$CACHE"/.stage-*
fi

# --- 1. packages ---------------------------------------------------------
do_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    [ ${#missing[@]} -eq 0 ] ||
        die "missing packages: ${missing[*]} (apt-get install --no-install-recommends them, or run build-ovn.sh once)"
    "$PY" -c 'import scapy' || die "$PY cannot import scapy (python3-scapy)"
    note "all build packages present"
}

# --- 2. export -----------------------------------------------------------
# "VERSION+gSHORT", VERSION from AC_INIT in the commit's configure.ac.
version_of() {  # MIRROR COMMIT
    local v
    v=$(git -C "$1" show "$2:configure.ac" |
        sed -n 's/^AC_INIT(\[*[a-z]*\]*, *\[*\([0-9][0-9.]*\)\]*,.*/\1/p' | head -n 1)
    echo "${v:-0}+g$(git -C "$1" rev-parse --short=9 "$2")"
}
do_export() {
    local ovs_version ovn_version ovs_dir ovn_dir
    ovs_version=$(version_of "$OVS_MIRROR" "$ovs_commit")
    ovn_version=$(version_of "$OVN_MIRROR" "$ovn_commit")
    ovs_dir=$CACHE/src/openvswitch-$ovs_version
    ovn_dir=$CACHE/src/ovn-$ovn_version
    rm -rf "$CACHE/src"
    mkdir -p "$ovs_dir" "$ovn_dir"
    git -C "$OVS_MIRROR" archive "$ovs_commit" | tar -x -C "$ovs_dir"
    git -C "$OVN_MIRROR" archive "$ovn_commit" | tar -x -C "$ovn_dir"
    note "exported ovs $ovs_commit and ovn $ovn_commit into $CACHE/src"
    cat > "$CACHE/.sources" <<EOF
ovs_version=$ovs_version
ovn_version=$ovn_version
ovs_dir=$ovs_dir
ovn_dir=$ovn_dir
ovs_commit_built=$ovs_commit
ovn_commit_built=$ovn_commit
EOF
}

# --- 3. ovs, 4. ovn: build-common.sh's do_ovs and configure_and_make_ovn --
do_ovn() {
    configure_and_make_ovn
}

stage packages do_packages
stage export do_export
# shellcheck disable=SC1091
. "$CACHE/.sources"
stage ovs do_ovs
stage ovn do_ovn
stage tests do_tests

if [ ! -x "$ovn_dir/tests/testsuite" ] || [ ! -x "$ovn_dir/ic/ovn-ic" ]; then
    die "the build left no tests/testsuite or ic/ovn-ic in $ovn_dir"
fi
finish_build

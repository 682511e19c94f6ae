#!/bin/bash
# Build a current OVN (Debian unstable's source packages of openvswitch 4.0 and
# ovn 26.03) once per machine into a cache, for running upstream's own
# tests/ovn-ic.at against our daemon (see run-ovn-ic-at.sh).
#
#   tests/upstream/build-ovn.sh          # build, or print where the cache is
#
# Environment:
#   OVN_CURRENT_CACHE   cache directory (default /var/cache/ovn-interconnect/ovn-current)
#   OVS_VERSION_PREFIX  openvswitch source version to take from sid (default 4.0.)
#   OVN_VERSION_PREFIX  ovn source version to take from sid (default 26.03.)
#   BUILD_JOBS          make -j (default 2; the machine is shared, everything runs under nice)
#
# What it does (each stage timed, each leaves a stamp so a failed run resumes):
#   1. apt source: a deb-src-only entry for Debian unstable (sid) in its own file
#      under /etc/apt/sources.list.d/, its archive URI taken from the machine's
#      existing apt sources; apt-get update. No binary sid line is ever added.
#   2. packages: Debian 12 build dependencies, installed by name if missing.
#   3. fetch: apt-get source openvswitch and ovn (dpkg-source -x unpacks the
#      debian/ files that their Makefile.am includes).
#   4. ovs: ./boot.sh, ./configure, make (in-tree).
#   5. ovn: compatibility patch (ovn-26.03-ovs-4.0.patch), ./boot.sh,
#      ./configure --with-ovs-source, make.
#   6. tests: make check TESTSUITEFLAGS=--list (builds the test programs, runs nothing).
# Each stage's output goes to $CACHE/logs/STAGE.log (its tail is shown if it fails).
# Needs root (apt). Run once; later runs only print the cache location.
set -euo pipefail

CACHE=${OVN_CURRENT_CACHE:-/var/cache/ovn-interconnect/ovn-current}
OVS_VERSION_PREFIX=${OVS_VERSION_PREFIX:-4.0.}
OVN_VERSION_PREFIX=${OVN_VERSION_PREFIX:-26.03.}
JOBS=${BUILD_JOBS:-2}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATCH=$HERE/ovn-26.03-ovs-4.0.patch
STAMP=$CACHE/.built
SRC_LIST=/etc/apt/sources.list.d/ovn-interconnect-sid-src.sources

# Fast path: everything built already.
if [ -f "$STAMP" ]; then
    # shellcheck disable=SC1090
    . "$STAMP"
    # shellcheck disable=SC2154
    echo "OVN build cache: $CACHE (ovs $ovs_version in $ovs_dir, ovn $ovn_version in $ovn_dir)"
    exit 0
fi

BUILD_NAME=build-ovn
# shellcheck source=tests/upstream/build-common.sh
. "$HERE/build-common.sh"

[ "$(id -u)" = 0 ] || die "needs root (apt-get and $CACHE)"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$STAMP" ]; then        # another run finished while we waited
    exec "$0" "$@"
fi

# --- 1. apt source -------------------------------------------------------
# Print "URI<TAB>SIGNED-BY" of the machine's Debian archive: the binary (deb)
# entry for this release's own suite (not -security/-updates), read from the
# deb822 files in sources.list.d and the one-line sources.list format.
debian_archive() {
    local codename f
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "$f" != "$SRC_LIST" ] || continue
        awk -v want="$codename" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uris != "") {
                    split(uris, u, " "); print u[1] "\t" signed; found = 1; exit
                }
                types = uris = suites = signed = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^Types:/      { sub(/^Types:[ \t]*/, "");      types = $0 }
            /^URIs:/       { sub(/^URIs:[ \t]*/, "");       uris = $0 }
            /^Suites:/     { sub(/^Suites:[ \t]*/, "");     suites = $0 }
            /^Signed-By:/  { sub(/^Signed-By:[ \t]*/, "");  signed = $0 }
            END { if (!found) flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [opts] URI SUITE COMPONENTS...
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
            awk -v want="$codename" '$1 == "deb" && $3 == want { print $2 "\t"; exit }'
    done
}

do_apt_source() {
    local line uri signed
    line=$(debian_archive | head -n 1)
    [ -n "$line" ] || die "found no Debian archive (a deb entry for this release) in the apt sources"
    uri=${line%%$'\t'*}
    signed=${line#*$'\t'}
    [ -n "$signed" ] || signed=/usr/share/keyrings/debian-archive-keyring.gpg
    note "Debian archive from the apt sources: $uri"
    cat > "$SRC_LIST" <<EOF
# Written by ovn-interconnect's tests/upstream/build-ovn.sh: source packages
# only (deb-src) of Debian unstable, to build a current OVN for tests.
# No binary packages come from here; the machine keeps its own release.
Types: deb-src
URIs: $uri
Suites: sid
Components: main
Signed-By: $signed
EOF
    log "wrote $SRC_LIST"
    apt-get update -q
}

# --- 2. packages ---------------------------------------------------------
do_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    if [ ${#missing[@]} -gt 0 ]; then
        note "installing: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        note "all build packages present"
    fi
    "$PY" -c 'import scapy' || die "$PY cannot import scapy (python3-scapy)"
}

# --- 3. fetch ------------------------------------------------------------
do_fetch() {
    local ovs_ver ovn_ver
    ovs_ver=$(apt-cache showsrc openvswitch | awk '/^Version:/ { print $2 }' |
              grep -E "^${OVS_VERSION_PREFIX//./\\.}" | sort -V | tail -n 1 || true)
    ovn_ver=$(apt-cache showsrc ovn | awk '/^Version:/ { print $2 }' |
              grep -E "^${OVN_VERSION_PREFIX//./\\.}" | sort -V | tail -n 1 || true)
    [ -n "$ovs_ver" ] || die "no openvswitch ${OVS_VERSION_PREFIX}* source in the apt lists (apt-cache showsrc openvswitch)"
    [ -n "$ovn_ver" ] || die "no ovn ${OVN_VERSION_PREFIX}* source in the apt lists (apt-cache showsrc ovn)"
    rm -rf "$CACHE/src"
    mkdir -p "$CACHE/src"
    ( cd "$CACHE/src" &&
      apt-get source -q "openvswitch=$ovs_ver" "ovn=$ovn_ver" )
    local ovs_dir ovn_dir
    ovs_dir=$(find "$CACHE/src" -maxdepth 1 -type d -name 'openvswitch-*' | head -n 1)
    ovn_dir=$(find "$CACHE/src" -maxdepth 1 -type d -name 'ovn-*' | head -n 1)
    [ -d "$ovs_dir" ] && [ -d "$ovn_dir" ] || die "apt-get source left no unpacked trees in $CACHE/src"
    cat > "$CACHE/.sources" <<EOF
ovs_version=$ovs_ver
ovn_version=$ovn_ver
ovs_dir=$ovs_dir
ovn_dir=$ovn_dir
EOF
}

# --- 5. ovn --------------------------------------------------------------
do_ovn() {
    cd "$ovn_dir"
    if patch -p1 -R --dry-run -s -f < "$PATCH" > /dev/null 2>&1; then
        log "compatibility patch already applied"
    elif patch -p1 --dry-run -s -f < "$PATCH" > /dev/null 2>&1; then
        patch -p1 -f < "$PATCH"
        note "applied $(basename "$PATCH")"
    else
        die "$(basename "$PATCH") applies neither way to ovn $ovn_version; update it"
    fi
    configure_and_make_ovn
}

stage apt-source do_apt_source
stage packages do_packages
stage fetch do_fetch
# shellcheck disable=SC1091
. "$CACHE/.sources"
stage ovs do_ovs
stage ovn do_ovn
stage tests do_tests

finish_build

#!/bin/sh
# Installs the Debian 12 packages that building, testing and running the
# sandbox need.  Safe to run again: apt-get skips what is installed.
#   OVN and OVS:   real ovsdb-server, ovn-northd, ovn-controller,
#                  ovs-vswitchd, and Debian's ovn-ic to compare with.
#   Build:         Open vSwitch's source, autotools, libssl, libevent.
#   Data plane:    ping and tcpdump inside the lab's namespaces.
#   Package:       dpkg-buildpackage, lintian and debootstrap for the
#                  Debian package and its test (tests/ic-package.sh).
#   Fuzzing:       clang with libFuzzer's runtime (libclang-rt-14-dev) and
#                  llvm-symbolizer (llvm-14) for tests/fuzz/run-fuzz.sh.
set -e
PACKAGES="ovn-central ovn-host ovn-ic ovn-ic-db openvswitch-switch
    openvswitch-source autoconf automake libtool pkg-config make gcc
    python3 libssl-dev libevent-dev libcap-ng-dev libunbound-dev
    iproute2 iputils-ping tcpdump bc procps curl ruby shellcheck
    dpkg-dev debhelper fakeroot lintian debootstrap git
    clang-14 libclang-rt-14-dev llvm-14"

missing=
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
# The packages start no services on a machine without systemd; where they
# did, the tests still use private daemons and sockets of their own.

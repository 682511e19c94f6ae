# The Debian package: built with dpkg-buildpackage outside the source tree,
# checked with lintian, and installed into a clean Debian 12 root made with
# debootstrap (never into this machine, whose Debian ovn-ic the side-by-side
# tests need), where it must take the place of Debian's ovn-ic, start from
# ovn-ctl with Debian's files, and leave nothing behind when purged.
#
# Everything slow is cached under $PKG_CACHE: the package, keyed by a hash
# of the source files, and the base root as a tarball, so a second run
# takes seconds.  The base root needs the network once; the mirror is the
# one this machine's apt already uses for Debian 12.

# dpkg-query's formats are in single quotes on purpose.
# shellcheck disable=SC2016

PKG_CACHE=${PKG_CACHE:-/var/cache/ovn-interconnect/package}
PKG_SUITE=bookworm
# Debian's packages in the base root: the ovn-ic the package replaces, the
# rest of OVN (ovn-ctl's databases for the start_ic test), and libevent,
# which this package needs and Debian's OVN does not.
PKG_BASE_PACKAGES="ovn-ic ovn-central ovn-ic-db libevent-2.1-7
    libevent-pthreads-2.1-7"

# pkg_skip REASON: ends the test as skipped.
pkg_skip() {
    echo "skipped: $*"
    exit 77
}

# pkg_needs_build_tools: skips unless this is root with the build tools.
# The package does not depend on the OVN under test, so it is tested once,
# with Debian's.
pkg_needs_build_tools() {
    [ "$TEST_OVN" = debian ] || pkg_skip "tested with TEST_OVN=debian only"
    [ "$(id -u)" = 0 ] || pkg_skip "needs root"
    local t
    for t in dpkg-buildpackage dh git; do
        command -v "$t" > /dev/null || pkg_skip "no $t (apt install dpkg-dev debhelper git)"
    done
    git -C "$TOP_SRCDIR" rev-parse --git-dir > /dev/null 2>&1 ||
        pkg_skip "the source is not a git checkout"
}

# pkg_source_tar FILE: writes a tarball of the source as it is now (tracked
# and new files that git does not ignore, with their current contents).
pkg_source_tar() {
    (cd "$TOP_SRCDIR" && git ls-files -co --exclude-standard -z |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     LC_ALL=C sort -z |
     tar --null -T - --owner=0 --group=0 --numeric-owner \
         -cf -) > "$1"
}

# pkg_build: builds the package with "dpkg-buildpackage -us -uc -b" in a
# copy of the source under $PKG_CACHE, unless the same source was built
# already, and sets PKG_DEB to the .deb.  The cache stays locked until the
# test ends, so that a concurrent run cannot replace the package in use.
pkg_build() {
    pkg_needs_build_tools
    mkdir -p "$PKG_CACHE"
    exec 9> "$PKG_CACHE/lock"
    flock 9
    pkg_source_tar "$T/source.tar"
    # The key leaves out what does not go into the package: the end-to-end
    # tests, the README and the lab.
    local key dir
    key=$(cd "$TOP_SRCDIR" && git ls-files -co --exclude-standard |
          grep -v -E '^(tests/[^/]*\.sh|tests/(perf|upstream)/.*|README\.md|vagrant/.*)$' |
          while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
          LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)
    dir=$PKG_CACHE/build-$key
    PKG_DEB=$(find "$dir" -maxdepth 1 -name 'ovn-interconnect_*.deb' \
              2>/dev/null | head -1)
    if [ -n "$PKG_DEB" ]; then
        echo "reusing $PKG_DEB"
        return 0
    fi
    rm -rf "$PKG_CACHE"/build-*
    mkdir -p "$dir/src"
    tar -C "$dir/src" -xf "$T/source.tar"
    (cd "$dir/src" && dpkg-checkbuilddeps) > "$T/builddeps" 2>&1 ||
        pkg_skip "$(cat "$T/builddeps")"
    local start=$SECONDS
    if ! (cd "$dir/src" && dpkg-buildpackage -us -uc -b) \
            > "$dir/build.log" 2>&1; then
        tail -30 "$dir/build.log"
        rm -rf "$dir/src"
        fail "dpkg-buildpackage failed (log: $dir/build.log)"
    fi
    echo "built in $((SECONDS - start)) s"
    rm -rf "$dir/src"
    PKG_DEB=$(find "$dir" -maxdepth 1 -name 'ovn-interconnect_*.deb' | head -1)
}

# shellcheck source=utilities/debian-mirrors.sh
. "$TOP_SRCDIR/utilities/debian-mirrors.sh"

# pkg_chroot COMMAND...: runs COMMAND in the test's root with a clean
# environment (the test library's OVS_RUNDIR and friends stay outside).
pkg_chroot() {
    chroot "$PKG_ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# pkg_mount_proc, pkg_umount_proc: /proc in the root, for the maintainer
# scripts and ovn-ctl.  Nothing else from the machine is mounted there.
pkg_mount_proc() {
    mountpoint -q "$PKG_ROOT/proc" || mount -t proc proc "$PKG_ROOT/proc"
}
pkg_umount_proc() {
    [ -n "${PKG_ROOT:-}" ] && [ -d "$PKG_ROOT/proc" ] || return 0
    local _
    for _ in 1 2 3 4 5; do
        mountpoint -q "$PKG_ROOT/proc" || return 0
        umount "$PKG_ROOT/proc" 2>/dev/null || sleep 0.2
    done
    umount -l "$PKG_ROOT/proc"
}

# pkg_stop_root_daemons: stops every daemon that runs from the root, by
# the pidfiles in its /run.
pkg_stop_root_daemons() {
    [ -n "${PKG_ROOT:-}" ] && [ -d "$PKG_ROOT/run" ] || return 0
    local f
    for f in "$PKG_ROOT"/run/ovn/*.pid "$PKG_ROOT"/run/openvswitch/*.pid; do
        [ -e "$f" ] && stop_pidfile "$f"
    done
    return 0
}

# pkg_base_tarball: the cached base root, made once with debootstrap from
# this machine's Debian mirror: minbase plus $PKG_BASE_PACKAGES, with no
# service started, and apt's package cache kept so that Debian's ovn-ic can
# be installed again without the network.
pkg_base_tarball() {
    PKG_BASE=$PKG_CACHE/$PKG_SUITE-root.tar.gz
    [ -f "$PKG_BASE" ] && return 0
    command -v debootstrap > /dev/null ||
        pkg_skip "no debootstrap (apt install debootstrap)"
    local mirrors mirror
    mirrors=$(debian_mirrors "$PKG_SUITE")
    mirror=$(echo "$mirrors" | awk -v s="$PKG_SUITE" '$2 == s {print $1; exit}')
    [ -n "$mirror" ] || pkg_skip "no Debian 12 mirror among apt's sources"
    curl -sf -o /dev/null --max-time 20 "$mirror/dists/$PKG_SUITE/Release" ||
        pkg_skip "cannot reach $mirror for debootstrap"
    local root=$T/base start=$SECONDS
    debootstrap --variant=minbase "$PKG_SUITE" "$root" "$mirror" \
        > "$T/debootstrap.log" 2>&1 ||
        fail "debootstrap failed: $(tail -5 "$T/debootstrap.log")"
    echo "$mirrors" | awk '{print "deb " $1 " " $2 " main"}' \
        > "$root/etc/apt/sources.list"
    # No service starts in the root, with or without an init system.
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    rm -f "$root/etc/apt/apt.conf.d/docker-clean"
    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
        > "$root/etc/apt/apt.conf.d/90keep"
    PKG_ROOT=$root
    pkg_mount_proc
    # shellcheck disable=SC2086
    if ! pkg_chroot apt-get update -q > "$T/base-apt.log" 2>&1 ||
       ! pkg_chroot apt-get install -y -q --no-install-recommends \
            $PKG_BASE_PACKAGES >> "$T/base-apt.log" 2>&1; then
        pkg_umount_proc
        fail "apt-get in the base root: $(tail -5 "$T/base-apt.log")"
    fi
    pkg_umount_proc
    PKG_ROOT=
    mkdir -p "$PKG_CACHE"
    tar -C "$root" --one-file-system -czf "$PKG_BASE.tmp" . &&
        mv "$PKG_BASE.tmp" "$PKG_BASE"
    rm -rf "$root"
    echo "base root made in $((SECONDS - start)) s"
}

# pkg_root: unpacks a fresh root for this test into $T/root.
pkg_root() {
    [ "$(id -u)" = 0 ] || pkg_skip "needs root"
    pkg_base_tarball
    PKG_ROOT=$T/root
    mkdir "$PKG_ROOT"
    tar -C "$PKG_ROOT" -xzf "$PKG_BASE"
    pkg_mount_proc
}

# pkg_find [TEST...]: the root's paths (NUL-separated, relative) that
# pass TESTs, minus logs, temporary files and the package managers' own
# records.
pkg_find() {
    (cd "$PKG_ROOT" &&
     find . -xdev \( -path ./proc -o -path ./tmp -o -path ./run \
                    -o -path ./var/log -o -path ./var/cache \
                    -o -path ./var/lib/dpkg -o -path ./var/lib/apt \
                    -o -path ./root \) -prune -o "$@" -print0)
}

# pkg_snapshot FILE: every file, link and directory of the root with its
# owner, mode and target, and every file's checksum.
pkg_snapshot() {
    pkg_find | (cd "$PKG_ROOT" && xargs -0 stat -c '%n %U:%G %a %F %N') |
        LC_ALL=C sort > "$1"
    pkg_find -type f | (cd "$PKG_ROOT" && xargs -0 md5sum) |
        LC_ALL=C sort -k2 >> "$1"
}

# pkg_unit_command KEY UNIT: the command line of UNIT's KEY (ExecStart,
# ExecReload), continuation lines joined.
pkg_unit_command() {
    awk -v key="$1" '
        index($0, key "=") == 1 { on = 1; sub("^" key "=", "") }
        on { cont = sub(/\\$/, ""); line = line " " $0; if (!cont) exit }
        END { gsub(/  +/, " ", line); sub(/^ /, "", line); print line }' "$2"
}

# The maintainer scripts run in the root at teardown too: whatever the
# test started there is stopped and /proc unmounted before $T goes.
eval "$(declare -f teardown | sed '1s/^teardown/pkg_lib_teardown/')"
teardown() {
    pkg_stop_root_daemons
    pkg_umount_proc
    pkg_lib_teardown
}

test_package_lintian() {
    pkg_build
    command -v lintian > /dev/null || pkg_skip "no lintian"
    local changes
    changes=${PKG_DEB%_*.deb}_$(dpkg --print-architecture).changes
    # Errors and warnings fail; info and pedantic tags are printed.  Tags
    # that remain on purpose are overridden, with a reason, in debian/.
    lintian --fail-on error,warning -I --pedantic "$changes" 2>&1 |
        grep -v 'with root privileges' | tee "$T/lintian" || true
    lintian --fail-on error,warning "$changes" > /dev/null 2>&1 ||
        fail "lintian: $(cat "$T/lintian")"
    if grep -q '^[EWIP]: ' "$T/lintian"; then
        fail "lintian tags not overridden: $(grep '^[EWIP]: ' "$T/lintian")"
    fi
}

test_package_contents() {
    pkg_build
    dpkg-deb -c "$PKG_DEB" | awk '{print $6}' | sed 's|^\./|/|' \
        > "$T/contents"
    local f
    for f in /usr/bin/ovn-ic /usr/bin/ovn-ic-nbctl /usr/bin/ovn-ic-sbctl \
             /usr/share/man/man8/ovn-ic.8.gz \
             /usr/share/man/man8/ovn-ic-nbctl.8.gz \
             /usr/share/man/man8/ovn-ic-sbctl.8.gz \
             /usr/share/ovn-interconnect/ovn-ic-nb.ovsschema \
             /usr/share/ovn-interconnect/ovn-ic-sb.ovsschema \
             /usr/share/ovn-interconnect/grafana/ovn-interconnect.json \
             /lib/systemd/system/ovn-ic.service /etc/default/ovn-ic; do
        grep -qx "$f" "$T/contents" || fail "$f is not in the package"
    done
    dpkg-deb -f "$PKG_DEB" Conflicts Replaces Provides > "$T/fields"
    for f in Conflicts Replaces Provides; do
        grep -qx "$f: ovn-ic" "$T/fields" || fail "no $f: ovn-ic"
    done
    dpkg-deb -I "$PKG_DEB" conffiles | grep -qx /etc/default/ovn-ic ||
        fail "/etc/default/ovn-ic is not a conffile"
}

# The operator's path: apt installs the package over Debian's ovn-ic, the
# unit and /etc/default/ovn-ic are in place, ovn-ctl start_ic starts ours
# with Debian's files, and a purge gives Debian's files back, leaving the
# root as it was once Debian's ovn-ic is installed again.
test_package_install_start_purge() {
    pkg_build
    pkg_root
    pkg_chroot dpkg-query -W -f '${Status}\n' ovn-ic |
        grep -q "install ok installed" || fail "no Debian ovn-ic in the base"
    local debian_ic_version
    debian_ic_version=$(pkg_chroot dpkg-query -W -f '${Version}' ovn-ic)
    pkg_snapshot "$T/before"

    cp "$PKG_DEB" "$PKG_ROOT/tmp/"
    # Its dependencies are all in the base root: apt needs no network.
    pkg_chroot apt-get install -y -q "/tmp/$(basename "$PKG_DEB")" \
        > "$T/install.log" 2>&1 ||
        fail "apt install: $(tail -10 "$T/install.log")"
    pkg_chroot dpkg-query -W -f '${Status}\n' ovn-ic 2>/dev/null |
        grep -q "install ok installed" && fail "Debian's ovn-ic still installed"
    pkg_chroot dpkg-query -W -f '${Status}\n' ovn-interconnect |
        grep -q "install ok installed" || fail "package not installed"

    # The daemon and the tools are ours; Debian's tools were diverted.
    pkg_chroot ovn-ic --version | tee "$T/version"
    grep -q '^ovn-ic (ovn-interconnect) ' "$T/version" ||
        fail "ovn-ic --version: $(cat "$T/version")"
    pkg_chroot ovn-ic-nbctl --version | grep -q ovn-interconnect ||
        fail "ovn-ic-nbctl is not ours"
    pkg_chroot ovn-ic-sbctl --version | grep -q ovn-interconnect ||
        fail "ovn-ic-sbctl is not ours"
    check test -x "$PKG_ROOT/usr/bin/ovn-ic-nbctl.distrib"
    check test -e "$PKG_ROOT/usr/share/man/man8/ovn-ic.distrib.8.gz"
    pkg_chroot dpkg-divert --list 'ovn-interconnect' > "$T/diversions"
    check_eq 5 grep -c 'by ovn-interconnect' "$T/diversions"
    # An upgrade (here: the same version again) keeps them.
    pkg_chroot dpkg -i "/tmp/$(basename "$PKG_DEB")" > "$T/upgrade.log" 2>&1 ||
        fail "dpkg -i again: $(tail -10 "$T/upgrade.log")"
    pkg_chroot dpkg-divert --list 'ovn-interconnect' > "$T/diversions"
    check_eq 5 grep -c 'by ovn-interconnect' "$T/diversions"
    pkg_chroot ovn-ic-nbctl --version | grep -q ovn-interconnect ||
        fail "ovn-ic-nbctl is not ours after an upgrade"

    # The unit is ours, where Debian's was, and reads /etc/default/ovn-ic.
    local unit=$PKG_ROOT/lib/systemd/system/ovn-ic.service
    grep -q "^ExecStart=/bin/sh -c 'exec /usr/bin/ovn-ic " "$unit" ||
        fail "unit does not run /usr/bin/ovn-ic"
    grep -q '^EnvironmentFile=-/etc/default/ovn-ic$' "$unit" ||
        fail "unit does not read /etc/default/ovn-ic"
    grep -q '^OVN_IC_OPTS=' "$PKG_ROOT/etc/default/ovn-ic" ||
        fail "/etc/default/ovn-ic sets no OVN_IC_OPTS"
    if command -v systemd-analyze > /dev/null; then
        # Checked here: the root has no systemd, and the programs the unit
        # names exist on this machine too.
        cp "$unit" "$T/ovn-ic.service"
        systemd-analyze verify "$T/ovn-ic.service" > "$T/verify" 2>&1 ||
            fail "systemd-analyze: $(cat "$T/verify")"
    fi

    # Debian's ovn-ctl, unchanged, starts ours with Debian's pidfile,
    # control socket and log, against the zone's and the IC databases
    # started by the same ovn-ctl.
    local ctl=/usr/share/ovn/scripts/ovn-ctl
    pkg_chroot $ctl --no-monitor start_nb_ovsdb > "$T/ctl.log" 2>&1 &&
        pkg_chroot $ctl --no-monitor start_sb_ovsdb >> "$T/ctl.log" 2>&1 &&
        pkg_chroot $ctl --no-monitor start_ic_ovsdb >> "$T/ctl.log" 2>&1 ||
        fail "ovn-ctl databases: $(cat "$T/ctl.log")"
    pkg_chroot ovn-nbctl --no-wait set NB_Global . name=east
    pkg_chroot $ctl --no-monitor start_ic >> "$T/ctl.log" 2>&1 ||
        fail "ovn-ctl start_ic: $(cat "$T/ctl.log")"
    wait_until test -s "$PKG_ROOT/run/ovn/ovn-ic.pid"
    local pid
    pid=$(cat "$PKG_ROOT/run/ovn/ovn-ic.pid")
    check_eq "$PKG_ROOT/usr/bin/ovn-ic" readlink "/proc/$pid/exe"
    # engine/show is ours alone; Debian's daemon has no such command.
    pkg_chroot ovn-appctl -t ovn-ic engine/show > "$T/engine" 2>&1 ||
        fail "the running ovn-ic is not ours: $(cat "$T/engine")"
    check test -S "$PKG_ROOT/run/ovn/ovn-ic.$pid.ctl"
    wait_eq "Status: active" pkg_chroot ovn-appctl -t ovn-ic status
    # The zone shows up in IC-SB, through our tool and Debian's.
    wait_until eval 'pkg_chroot ovn-ic-sbctl show | grep -q "availability-zone east"'
    pkg_chroot ovn-ic-sbctl.distrib show | grep -q "availability-zone east" ||
        fail "Debian's ovn-ic-sbctl does not see the zone"
    check test -s "$PKG_ROOT/var/log/ovn/ovn-ic.log"
    pkg_chroot $ctl stop_ic >> "$T/ctl.log" 2>&1 ||
        fail "ovn-ctl stop_ic: $(tail -5 "$T/ctl.log")"
    wait_until eval '! kill -0 '"$pid"' 2>/dev/null'
    check test ! -e "$PKG_ROOT/run/ovn/ovn-ic.pid"

    # The unit's own command line, run in the foreground as systemd would
    # run it (there is no systemd here) with /etc/default/ovn-ic.  With
    # OVN_IC_OPTS empty, as shipped, it takes the options from ovn-ctl's
    # /etc/ovn/ovn-ic-db-params.conf, as Debian's unit did.  The same
    # control commands reach it, and so does the unit's ExecReload.
    local params=/etc/ovn/ovn-ic-db-params.conf start reload
    echo "--ovnnb-db=unix:/run/ovn/ovnnb_db.sock" \
         "--ovnsb-db=unix:/run/ovn/ovnsb_db.sock" \
         "--ic-nb-db=unix:/run/ovn/ovn_ic_nb_db.sock" \
         "--ic-sb-db=unix:/run/ovn/ovn_ic_sb_db.sock" > "$PKG_ROOT$params"
    start=$(pkg_unit_command ExecStart "$unit")
    start=${start//\$\$/\$}            # systemd's escape for a dollar sign
    reload=$(pkg_unit_command ExecReload "$unit")
    pkg_chroot sh -c "set -a; . /etc/default/ovn-ic; set +a; $start" \
        > "$T/unit-start.log" 2>&1 &
    wait_until test -s "$PKG_ROOT/run/ovn/ovn-ic.pid"
    pid=$(cat "$PKG_ROOT/run/ovn/ovn-ic.pid")
    check_eq "$PKG_ROOT/usr/bin/ovn-ic" readlink "/proc/$pid/exe"
    tr '\0' ' ' < "/proc/$pid/cmdline" > "$T/cmdline"
    grep -q -- '--ic-sb-db=unix:/run/ovn/ovn_ic_sb_db.sock' "$T/cmdline" ||
        fail "the unit did not take $params: $(cat "$T/cmdline")"
    wait_eq "Status: active" pkg_chroot ovn-appctl -t ovn-ic status
    # shellcheck disable=SC2086
    check pkg_chroot $reload
    stop_pidfile "$PKG_ROOT/run/ovn/ovn-ic.pid"
    wait
    rm "$PKG_ROOT$params"
    pkg_chroot $ctl stop_ic_ovsdb > /dev/null 2>&1
    pkg_chroot $ctl stop_ovsdb > /dev/null 2>&1
    pkg_stop_root_daemons
    # The databases are the test's, not the package's.
    rm -f "$PKG_ROOT"/var/lib/ovn/*.db "$PKG_ROOT"/var/lib/ovn/.*.db.~lock~

    # Purge: Debian's tools and pages come back, the diversions go, and
    # with Debian's ovn-ic installed again (from apt's cache) the root is
    # what it was, file for file.
    pkg_chroot apt-get purge -y -q ovn-interconnect > "$T/purge.log" 2>&1 ||
        fail "apt purge: $(tail -10 "$T/purge.log")"
    check_eq "" pkg_chroot dpkg-divert --list ovn-interconnect
    pkg_chroot ovn-ic-nbctl --version | grep -q ovn-interconnect &&
        fail "our ovn-ic-nbctl is still there"
    check test ! -e "$PKG_ROOT/etc/default/ovn-ic"
    check test ! -e "$PKG_ROOT/usr/bin/ovn-ic"
    check test ! -e "$PKG_ROOT/usr/share/ovn-interconnect"
    pkg_chroot apt-get install -y -q --no-download \
        "ovn-ic=$debian_ic_version" > "$T/reinstall.log" 2>&1 ||
        fail "reinstalling Debian's ovn-ic: $(tail -10 "$T/reinstall.log")"
    pkg_chroot dpkg --verify ovn-ic ovn-common > "$T/verify-debian" 2>&1 ||
        fail "Debian's files differ: $(cat "$T/verify-debian")"
    pkg_snapshot "$T/after"
    diff "$T/before" "$T/after" > "$T/leftovers" ||
        fail "the root differs after purge: $(cat "$T/leftovers")"
}

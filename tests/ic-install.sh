# Installation: what "make install" puts where, and the systemd unit.

test_make_install_and_unit() {
    make -C "$TOP_BUILDDIR" install DESTDIR="$T/root" > "$T/install.log" \
        2>&1 || fail "make install failed: $(tail -5 "$T/install.log")"
    local prefix f
    prefix=$(sed -n 's/^prefix = //p' "$TOP_BUILDDIR/Makefile")
    for f in bin/ovn-ic bin/ovn-ic-nbctl bin/ovn-ic-sbctl \
             share/man/man8/ovn-ic.8 share/man/man8/ovn-ic-nbctl.8 \
             share/man/man8/ovn-ic-sbctl.8 \
             share/ovn-interconnect/ovn-ic-nb.ovsschema \
             share/ovn-interconnect/ovn-ic-sb.ovsschema \
             share/ovn-interconnect/ovn-ic.default \
             lib/systemd/system/ovn-ic.service; do
        check test -e "$T/root$prefix/$f"
    done
    local unit=$T/root$prefix/lib/systemd/system/ovn-ic.service
    grep -q "^ExecStart=/bin/sh -c 'exec $prefix/bin/ovn-ic " "$unit" ||
        fail "unit does not run the installed daemon"
    grep -q "^Type=simple" "$unit" || fail "unit is not Type=simple"
    grep -q "^Restart=on-failure" "$unit" || fail "unit does not restart"
    if command -v systemd-analyze > /dev/null; then
        # Point the unit at the built daemon, which exists here.
        sed "s|$prefix/bin/ovn-ic|$IC_DAEMON|" "$unit" > "$T/ovn-ic.service"
        systemd-analyze verify "$T/ovn-ic.service" > "$T/verify" 2>&1 ||
            fail "systemd-analyze: $(cat "$T/verify")"
    fi
    grep -q "ovn_ic_sb" "$T/root$prefix/share/man/man8/ovn-ic.8" ||
        fail "man page lacks the lock section"
}

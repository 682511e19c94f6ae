#!/bin/bash
# Boots the seven VMs of vagrant/ for real and checks the reference
# scenario: "vagrant up" with vagrant-libvirt, a Debian 12 box built here
# from Debian's packages (vagrant/make-box.sh, with this project's Debian
# package installed), and the provisioning scripts users get.  Slow, so it
# is its own command, not part of tests/run-tests.sh:
#
#   tests/vagrant-boot.sh          # as root, on Debian 12
#
# Steps, each timed:
#   1. Debian's vagrant, vagrant-libvirt, libvirt and QEMU (apt-get).
#   2. The project's Debian package (dpkg-buildpackage), cached under
#      /var/cache/ovn-interconnect/vagrant/package.
#   3. The box (vagrant/make-box.sh): its Debian root is made with
#      debootstrap once per machine, the box once per package, both under
#      /var/cache/ovn-interconnect/vagrant; "vagrant box add" once per box,
#      into a VAGRANT_HOME there.
#   4. A network namespace, and in it (and in a private mount namespace,
#      with its own /etc/libvirt, /var/lib/libvirt and /run/libvirt)
#      virtlogd and libvirtd, started and stopped by pid.  Every lab
#      address lives on bridges inside that namespace; nothing reaches the
#      machine's own interfaces.  QEMU runs as root there, so libvirt may
#      open /dev/kvm (it re-probes QEMU for each domain otherwise).
#   5. KVM or emulation: a paravirtual /dev/kvm (kvm_pvm) hangs a stock
#      kernel, and so would any KVM that cannot boot the box's kernel to
#      its first message within 30 s; then the domains are of type "qemu"
#      (TCG), through a wrapper that gives QEMU a 128 MB translation cache.
#   6. vagrant up --no-provision (boot), then the provisioning of all seven
#      in parallel, then the checks: ovn-ic-sbctl show on central-ic,
#      ovn-nbctl show on central-east, the Geneve port on gw-west, vm1 to
#      vm2 pings with TTL 62 both ways.
#   7. vagrant destroy, the daemons by pid, the namespaces: always.
#
# Settings: VB_KEEP=1 leaves the lab running (and prints how to reach it
# and stop it); VB_MEMORY (MB per VM, default 512 under emulation);
# VB_WAIT (seconds per wait, default 600).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VB_CACHE:-/var/cache/ovn-interconnect}
BOXNAME=ovn-interconnect/bookworm-local
VMS="central-ic central-east central-west gw-east gw-west worker-east
worker-west"
VB_WAIT=${VB_WAIT:-600}

# Seconds since the test began, in the outer and the inner part.
VB_T0=${VB_T0:-$(date +%s)}
export VB_T0
msg() {
    echo "[vagrant-boot +$(( $(date +%s) - VB_T0 ))s] $*" >&2
}

die() {
    msg "error: $*"
    exit 1
}

# ---------------------------------------------------------------------
# Inside the namespaces: libvirt, vagrant, the checks.
# ---------------------------------------------------------------------
if [ "${1:-}" = --inner ]; then
    T=$2
    passed=0 failed=0 libvirtd_pid='' virtlogd_pid='' watchdog_pid=''

    pass() {
        passed=$((passed + 1))
        echo "PASS: $*"
    }
    failure() {
        failed=$((failed + 1))
        echo "FAIL: $*"
    }

    # wait_for SECONDS COMMAND...: polls COMMAND every 2 s until it
    # succeeds; false after SECONDS.
    wait_for() {
        local deadline=$((SECONDS + $1))
        shift
        until "$@"; do
            [ "$SECONDS" -lt "$deadline" ] || return 1
            sleep 2
        done
    }

    stop_pid() {
        [ -n "$1" ] || return 0
        kill "$1" 2>/dev/null || return 0
        for _ in $(seq 50); do
            kill -0 "$1" 2>/dev/null || return 0
            [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ] && return 0
            sleep 0.2
        done
        kill -9 "$1" 2>/dev/null || true
    }

    inner_cleanup() {
        if [ -n "${VB_KEEP:-}" ] && [ "$failed" = 0 ]; then
            return
        fi
        if [ -n "$libvirtd_pid" ]; then
            msg "vagrant destroy"
            (cd "$TOP/vagrant" && vagrant destroy -f) > "$T/destroy.log" 2>&1 ||
                tail -5 "$T/destroy.log"
        fi
        stop_pid "$watchdog_pid"
        stop_pid "$libvirtd_pid"
        stop_pid "$virtlogd_pid"
    }
    trap inner_cleanup EXIT

    # Private libvirt state: a copy of Debian's configuration with QEMU
    # run as root, empty state, a capabilities cache kept across runs.
    mkdir -p "$T/etc" "$T/lib" "$T/run" "$T/log" "$CACHE/vagrant/libvirt-cache"
    cp -a /etc/libvirt "$T/etc/"
    cat >> "$T/etc/libvirt/qemu.conf" <<'EOF'
user = "root"
group = "root"
security_driver = "none"
namespaces = [ ]
EOF
    mkdir -p "$T/lib/images" "$T/lib/qemu" "$T/lib/dnsmasq" "$T/lib/network"
    mount --bind "$T/etc/libvirt" /etc/libvirt
    mount --bind "$T/lib" /var/lib/libvirt
    mount --bind "$T/run" /run/libvirt 2>/dev/null ||
        { mkdir -p /run/libvirt && mount --bind "$T/run" /run/libvirt; }
    mount --bind "$T/log" /var/log/libvirt
    mount --bind "$CACHE/vagrant/libvirt-cache" /var/cache/libvirt
    ip link set lo up

    virtlogd > "$T/virtlogd.out" 2>&1 &
    virtlogd_pid=$!
    wait_for 30 test -S /run/libvirt/virtlogd-sock ||
        die "virtlogd did not start: $(cat "$T/virtlogd.out")"
    libvirtd > "$T/libvirtd.out" 2>&1 &
    libvirtd_pid=$!
    wait_for 120 virsh -q -c qemu:///system version > /dev/null 2>&1 ||
        die "libvirtd did not start: $(tail -5 "$T/libvirtd.out")"
    if ! virsh -q -c qemu:///system pool-info default > /dev/null 2>&1; then
        virsh -q -c qemu:///system pool-define-as default dir \
            --target /var/lib/libvirt/images > /dev/null &&
            virsh -q -c qemu:///system pool-start default > /dev/null ||
            die "no storage pool"
    fi
    msg "libvirtd $libvirtd_pid, virtlogd $virtlogd_pid (netns $VB_NETNS)"

    export VAGRANT_HOME=$CACHE/vagrant/home
    export VAGRANT_DOTFILE_PATH=$T/dot
    export VAGRANT_DEFAULT_PROVIDER=libvirt
    export VAGRANT_CHECKPOINT_DISABLE=1
    export OVN_IC_BOX=$BOXNAME
    export OVN_IC_CONSOLE_DIR=$T/console
    mkdir -p "$OVN_IC_CONSOLE_DIR"
    cd "$TOP/vagrant" || exit 1

    # rip DOMAIN: the guest's instruction pointer and halt state.
    rip() {
        virsh -q -c qemu:///system qemu-monitor-command --hmp "$1" \
            'info registers' 2>/dev/null | grep -o 'RIP=[0-9a-f]*\|HLT=[01]' |
            tr '\n' ' '
    }
    # watchdog: now and then, rarely under emulation on a loaded machine,
    # a guest kernel spins in early boot (the same instruction pointer,
    # not halted, for many seconds) and never asks for an address.  Such
    # a domain is reset (up to 3 times); vagrant is still waiting for its
    # address then.
    watchdog() {
        local dom a b c
        declare -A resets
        while :; do
            for dom in $(virsh -q -c qemu:///system list --name); do
                virsh -q -c qemu:///system domifaddr --source lease "$dom" \
                    2>/dev/null | grep -q ipv4 && continue
                a=$(rip "$dom")
                sleep 5
                b=$(rip "$dom")
                sleep 5
                c=$(rip "$dom")
                case $a in *HLT=0*) ;; *) continue ;; esac
                if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$b" = "$c" ] &&
                   [ "${resets[$dom]:-0}" -lt 3 ]; then
                    resets[$dom]=$(( ${resets[$dom]:-0} + 1 ))
                    msg "$dom spins in early boot ($a): reset"
                    virsh -q -c qemu:///system reset "$dom" > /dev/null
                fi
            done
            sleep 20
        done
    }

    t=$SECONDS
    msg "vagrant up --no-provision: seven VMs ($OVN_IC_LIBVIRT_DRIVER)"
    watchdog &
    watchdog_pid=$!
    up=0
    vagrant up --no-provision > "$T/up.log" 2>&1 || up=$?
    if [ "$up" != 0 ]; then
        # A VM that failed to come up is destroyed by vagrant; one more
        # try brings up what is missing.
        msg "vagrant up failed; once more for what did not come up"
        vagrant up --no-provision >> "$T/up.log" 2>&1 || up=$?
    fi
    stop_pid "$watchdog_pid"
    watchdog_pid=''
    if [ "$up" != 0 ]; then
        tail -30 "$T/up.log"
        for f in "$T"/console/*.log; do
            [ -f "$f" ] || continue
            echo "--- console of $(basename "$f" .log), last lines:"
            tail -5 "$f"
        done
        failure "vagrant up"
        exit 1
    fi
    BOOT=$((SECONDS - t))
    pass "vagrant up: seven VMs booted in ${BOOT} s"
    vagrant ssh-config > "$T/ssh.config" 2>/dev/null || die "vagrant ssh-config"

    # on VM COMMAND: runs COMMAND as root on VM (plain ssh: quicker than
    # "vagrant ssh").
    on() {
        local vm=$1
        shift
        ssh -F "$T/ssh.config" -o ConnectTimeout=20 "$vm" sudo "$@"
    }

    t=$SECONDS
    msg "provisioning all seven in parallel"
    declare -A prov
    for vm in $VMS; do
        vagrant provision "$vm" > "$T/provision-$vm.log" 2>&1 &
        prov[$vm]=$!
    done
    for vm in $VMS; do
        if wait "${prov[$vm]}"; then
            pass "provisioned $vm"
        else
            failure "provisioning $vm (log: $T/provision-$vm.log)"
            tail -15 "$T/provision-$vm.log"
        fi
    done
    PROVISION=$((SECONDS - t))
    msg "provisioned in ${PROVISION} s"

    # The checks wait on state, for at most VB_WAIT s each.
    icsb_ready() {
        on central-ic ovn-ic-sbctl --db=tcp:127.0.0.1:6646 show \
            > "$T/icsb.txt" 2>&1 &&
        grep -q gw_east "$T/icsb.txt" && grep -q gw_west "$T/icsb.txt" &&
        grep -q lsp-ts1-router_east "$T/icsb.txt" &&
        grep -q lsp-ts1-router_west "$T/icsb.txt"
    }
    if wait_for "$VB_WAIT" icsb_ready; then
        pass "ovn-ic-sbctl show on central-ic: both zones' gateways and ports"
    else
        failure "ovn-ic-sbctl show on central-ic"
    fi
    sed 's/^/    /' "$T/icsb.txt"

    nb_ready() {
        on central-east ovn-nbctl show > "$T/nb-east.txt" 2>&1 &&
        grep -q '(ts1)' "$T/nb-east.txt" &&
        on central-east ovn-nbctl --bare --columns=type find \
            Logical_Switch_Port name=lsp-ts1-router_west 2>/dev/null |
            grep -qx remote
    }
    if wait_for "$VB_WAIT" nb_ready; then
        pass "ovn-nbctl show on central-east: ts1 with remote port lsp-ts1-router_west"
    else
        failure "ovn-nbctl show on central-east"
    fi
    sed 's/^/    /' "$T/nb-east.txt"

    tunnel_ready() {
        on gw-west ovs-vsctl --bare --columns=name,options find Interface \
            type=geneve > "$T/geneve.txt" 2>&1 &&
        grep -q 'remote_ip="\?192.168.56.12' "$T/geneve.txt"
    }
    if wait_for "$VB_WAIT" tunnel_ready; then
        pass "Geneve port on gw-west towards gw-east"
    else
        failure "Geneve port on gw-west"
    fi
    sed 's/^/    /' "$T/geneve.txt"

    # vm1 -> vm2: the replies' TTL in ping's output, the requests' as vm2
    # sees them, from tcpdump in vm2's namespace.
    ping_ok() {
        on worker-east ip netns exec vm1 ping -c 1 -W 2 192.168.2.12 \
            > /dev/null 2>&1
    }
    if wait_for "$VB_WAIT" ping_ok; then
        on worker-west timeout 60 ip netns exec vm2 tcpdump -l -n -v -c 5 \
            -i eth0 icmp and dst host 192.168.2.12 > "$T/tcpdump.txt" 2>&1 &
        dump=$!
        # tcpdump says "listening on" once its socket is open.
        wait_for 60 grep -qs 'listening on' "$T/tcpdump.txt" ||
            msg "tcpdump on worker-west did not start"
        on worker-east ip netns exec vm1 ping -c 5 -i 0.5 192.168.2.12 \
            > "$T/ping.txt" 2>&1
        wait "$dump"
        sed 's/^/    /' "$T/ping.txt"
        grep ttl "$T/tcpdump.txt" | sed 's/^/    vm2 sees: /'
        if grep -q ' 0% packet loss' "$T/ping.txt" &&
           [ "$(grep -c 'ttl=62' "$T/ping.txt")" = 5 ]; then
            pass "vm1 pings vm2: 5/5 replies, TTL 62"
        else
            failure "vm1 pings vm2 5/5 with replies of TTL 62"
        fi
        if grep -q 'ttl 62' "$T/tcpdump.txt"; then
            pass "vm2 receives vm1's requests with TTL 62"
        else
            failure "vm2 receives vm1's requests with TTL 62"
        fi
    else
        failure "vm1 never reached vm2"
    fi

    echo "BOOT=$BOOT PROVISION=$PROVISION PASSED=$passed FAILED=$failed" \
        > "$T/result"
    if [ -n "${VB_KEEP:-}" ] && [ "$failed" = 0 ]; then
        msg "kept: libvirtd $libvirtd_pid, virtlogd $virtlogd_pid; reach VMs with"
        msg "  ip netns exec $VB_NETNS ssh -F $T/ssh.config worker-east"
    fi
    exit 0
fi

# ---------------------------------------------------------------------
# Outside: tools, package, box; then the inner part in the namespaces.
# ---------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "needs root"
START=$SECONDS

msg "Debian's vagrant, vagrant-libvirt, libvirt and QEMU"
need="vagrant vagrant-libvirt libvirt-daemon-system qemu-system-x86
    qemu-utils dnsmasq-base iptables ebtables rsync openssh-client
    debootstrap dpkg-dev debhelper e2fsprogs iproute2 util-linux"
missing=
for p in $need; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q > /dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing > /dev/null ||
        die "apt-get install$missing failed"
fi

# The Debian package, built and cached as tests/ic-package.sh does (the
# same key), but in a directory of its own: that test holds its cache's
# lock while it runs, and a different tree would replace its package.
t=$SECONDS
pkgcache=$CACHE/vagrant/package
mkdir -p "$pkgcache"
exec 9> "$pkgcache/lock"
flock 9
key=$(cd "$TOP" && git ls-files -co --exclude-standard |
      grep -v -E '^(tests/[^/]*\.sh|tests/(perf|upstream)/.*|README\.md|vagrant/.*)$' |
      while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
      LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)
deb=$(find "$pkgcache/build-$key" -maxdepth 1 -name 'ovn-interconnect_*.deb' \
      2>/dev/null | head -1)
if [ -z "$deb" ]; then
    msg "building the Debian package"
    rm -rf "$pkgcache"/build-*
    mkdir -p "$pkgcache/build-$key/src"
    (cd "$TOP" && git ls-files -co --exclude-standard -z |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     tar --null -T - -cf -) | tar -C "$pkgcache/build-$key/src" -xf -
    # The unit tests are tests/ic-package.sh's business.
    (cd "$pkgcache/build-$key/src" &&
     DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
        > "$pkgcache/build-$key/build.log" 2>&1 ||
        die "dpkg-buildpackage failed: $pkgcache/build-$key/build.log"
    rm -rf "$pkgcache/build-$key/src"
    deb=$(find "$pkgcache/build-$key" -maxdepth 1 \
          -name 'ovn-interconnect_*.deb' | head -1)
fi
exec 9>&-
PKG_TIME=$((SECONDS - t))
msg "package: $deb (${PKG_TIME} s)"

t=$SECONDS
box=$("$TOP/vagrant/make-box.sh" "$deb" "$CACHE/vagrant" | tail -1)
[ -f "$box" ] || die "no box"
export VAGRANT_HOME=$CACHE/vagrant/home
if [ "$(cat "$VAGRANT_HOME/box.path" 2>/dev/null)" != "$box" ]; then
    msg "vagrant box add $BOXNAME"
    vagrant box remove -f --all "$BOXNAME" > /dev/null 2>&1
    vagrant box add -f --name "$BOXNAME" "$box" > /dev/null ||
        die "vagrant box add failed"
    echo "$box" > "$VAGRANT_HOME/box.path"
fi
IMAGE_TIME=$((SECONDS - t))
msg "box: $box (${IMAGE_TIME} s)"

# KVM, or emulation.
driver=kvm
if [ -n "${OVN_IC_LIBVIRT_DRIVER:-}" ]; then
    driver=$OVN_IC_LIBVIRT_DRIVER
elif [ -d /sys/module/kvm_pvm ]; then
    msg "paravirtual KVM (kvm_pvm): stock kernels hang under it; emulating"
    driver=qemu
elif [ ! -w /dev/kvm ]; then
    msg "no usable /dev/kvm: emulating"
    driver=qemu
else
    boxdir=$(find "$VAGRANT_HOME/boxes" -name kernel -path '*libvirt*' |
             head -1)
    if ! timeout 30 qemu-system-x86_64 -accel kvm -m 256 -nodefaults \
            -display none -serial stdio -no-reboot \
            -kernel "$boxdir" -append "console=ttyS0 panic=-1" 2>/dev/null |
            grep -q -m1 'Linux version'; then
        msg "KVM did not boot the box's kernel within 30 s: emulating"
        driver=qemu
    fi
fi
export OVN_IC_LIBVIRT_DRIVER=$driver
if [ "$driver" = qemu ]; then
    # libvirt passes "-accel tcg"; QEMU's default translation cache would
    # double each VM's memory.
    wrapper=$CACHE/vagrant/qemu-tcg
    want='#!/bin/sh
# QEMU with a 128 MB translation cache for emulation (tests/vagrant-boot.sh).
for a in "$@"; do
    shift
    [ "$a" = tcg ] && a=tcg,tb-size=128
    set -- "$@" "$a"
done
exec /usr/bin/qemu-system-x86_64 "$@"'
    if [ "$(cat "$wrapper" 2>/dev/null)" != "$want" ]; then
        echo "$want" > "$wrapper"
        chmod 755 "$wrapper"
    fi
    export OVN_IC_LIBVIRT_EMULATOR=$wrapper
    export OVN_IC_MEMORY=${VB_MEMORY:-512}
fi

T=$(mktemp -d /var/tmp/vagrant-boot.XXXXXX)
VB_NETNS=vboot-${T##*.}
export VB_NETNS
outer_cleanup() {
    [ -n "${VB_KEEP:-}" ] && grep -q 'FAILED=0' "$T/result" 2>/dev/null &&
        return
    ip netns del "$VB_NETNS" 2>/dev/null
    rm -rf "$T"
}
trap outer_cleanup EXIT
ip netns add "$VB_NETNS" || die "ip netns add failed"

t=$SECONDS
ip netns exec "$VB_NETNS" unshare -m --propagation private \
    "$0" --inner "$T"
rc=$?
LAB_TIME=$((SECONDS - t))
BOOT="?" PROVISION="?" PASSED=0 FAILED=1
# shellcheck disable=SC1091
[ -f "$T/result" ] && . "$T/result"
[ "$rc" = 0 ] || FAILED=$((FAILED > 0 ? FAILED : 1))
TOTAL=$((SECONDS - START))
echo "times: package ${PKG_TIME} s, image ${IMAGE_TIME} s" \
     "($( [ "$IMAGE_TIME" -lt 10 ] && echo cached || echo built)), boot of" \
     "7 VMs ${BOOT} s, provisioning ${PROVISION} s," \
     "lab with teardown ${LAB_TIME} s, total ${TOTAL} s ($driver)"
# The summary line in tests/check-all.sh's format, then the verdict.
echo "$PASSED passed, $FAILED failed, 0 skipped"
if [ "$FAILED" = 0 ]; then
    echo "PASS"
    exit 0
fi
echo "FAIL"
exit 1

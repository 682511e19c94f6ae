#!/bin/bash
# Builds a Debian 12 box for vagrant-libvirt from Debian's packages only,
# for machines that cannot download one: a root made with debootstrap, with
# a kernel, systemd, OpenSSH, Open vSwitch, OVN and this project's Debian
# package installed, so that the lab's VMs need nothing from outside.  The
# box boots its kernel directly (no bootloader): kernel, initrd and command
# line are in the box's own Vagrantfile.
#
#   vagrant/make-box.sh DEB [OUTDIR]
#
# DEB is the project's package (dpkg-buildpackage -us -uc -b, or
# tests/vagrant-boot.sh, which builds it).  OUTDIR (default
# /var/cache/ovn-interconnect/vagrant) receives:
#   bookworm-vm-root.tar.gz   the Debian root, built once per machine (the
#                             only step that needs Debian's mirror);
#   box-KEY/ovn-ic.box        the box, KEY a hash of DEB and this script;
# and the script prints the box's path on its last line.  Add it with
#   vagrant box add --name ovn-interconnect/bookworm-local BOXFILE
# The guest's serial getty is masked (it would swallow console output),
# the lab's OVN and OVS services are installed but disabled (provisioning
# enables what each VM runs), and the login is vagrant's usual one:
# user "vagrant", password-less sudo, Vagrant's insecure public key.
set -eu
deb=$(realpath "${1:?usage: make-box.sh DEB [OUTDIR]}")
out=${2:-/var/cache/ovn-interconnect/vagrant}
suite=bookworm
packages="linux-image-amd64 systemd-sysv udev kmod dbus openssh-server sudo
    rsync iproute2 iputils-ping tcpdump procps less ovn-central ovn-host
    ovn-ic ovn-ic-db openvswitch-switch libevent-2.1-7
    libevent-pthreads-2.1-7"
# Everything OVN and OVS would start at boot; provisioning starts them.
services="ovn-central ovn-northd ovn-ovsdb-server-nb ovn-ovsdb-server-sb
    ovn-host ovn-controller openvswitch-switch ovs-vswitchd ovsdb-server
    ovn-ic ovn-ic-db ovn-ovsdb-server-ic-nb ovn-ovsdb-server-ic-sb"

msg() {
    echo "make-box: $*" >&2
}

# shellcheck source=utilities/debian-mirrors.sh
. "$(dirname "$(realpath "$0")")/../utilities/debian-mirrors.sh"

in_root() {
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

work=$(mktemp -d /var/tmp/make-box.XXXXXX)
root=$work/root
cleanup() {
    if [ -d "$root/proc" ] && mountpoint -q "$root/proc"; then
        umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out" "$root"
exec 8> "$out/lock"
flock 8

# The Debian root, once per machine.
base=$out/$suite-vm-root.tar.gz
if [ ! -f "$base" ]; then
    command -v debootstrap > /dev/null ||
        { msg "no debootstrap (apt-get install debootstrap)"; exit 1; }
    srcs=$(debian_mirrors "$suite")
    mirror=$(echo "$srcs" | awk -v s="$suite" '$2 == s {print $1; exit}')
    [ -n "$mirror" ] || { msg "no Debian 12 mirror among apt's sources"; exit 1; }
    msg "debootstrap $suite (once per machine)"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" \
        > "$work/debootstrap.log" 2>&1 ||
        { tail -5 "$work/debootstrap.log"; exit 1; }
    echo "$srcs" | awk '{print "deb " $1 " " $2 " main"}' \
        > "$root/etc/apt/sources.list"
    # No service starts while packages are installed.
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    # Debian's ovn-ic stays in apt's cache: OVN_IC_KIND=upstream installs
    # it again without the network.
    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
        > "$root/etc/apt/apt.conf.d/90keep"
    mount -t proc proc "$root/proc"
    # shellcheck disable=SC2086
    if ! in_root apt-get update -q > "$work/apt.log" 2>&1 ||
       ! in_root apt-get install -y -q --no-install-recommends $packages \
            >> "$work/apt.log" 2>&1; then
        tail -20 "$work/apt.log"
        exit 1
    fi
    umount "$root/proc"
    tar -C "$root" --one-file-system -czf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$root"
    mkdir "$root"
fi

key=$( (sha256sum < "$deb"; sha256sum < "$0"; sha256sum < "$base") |
       sha256sum | cut -c1-16)
box=$out/box-$key/ovn-ic.box
if [ -f "$box" ]; then
    msg "reusing $box"
    echo "$box"
    exit 0
fi
rm -rf "$out"/box-*

msg "the VM's root with $(basename "$deb")"
tar -C "$root" -xzf "$base"
cp "$deb" "$root/tmp/ovn-interconnect.deb"
mount -t proc proc "$root/proc"
# dpkg removes Debian's ovn-ic, which the package conflicts with and
# replaces; its .deb stays in apt's cache.
in_root dpkg -i /tmp/ovn-interconnect.deb > "$work/deb.log" 2>&1 ||
    { tail -20 "$work/deb.log"; exit 1; }
rm "$root/tmp/ovn-interconnect.deb"
# shellcheck disable=SC2086
in_root systemctl disable $services > /dev/null 2>&1 || true
in_root systemctl mask serial-getty@ttyS0.service apt-daily.timer \
    apt-daily-upgrade.timer > /dev/null 2>&1
in_root systemctl enable systemd-networkd.service ssh.service > /dev/null 2>&1
in_root useradd -m -s /bin/bash vagrant
echo vagrant:vagrant | in_root chpasswd
umount "$root/proc"
rm "$root/usr/sbin/policy-rc.d"

echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/vagrant"
chmod 440 "$root/etc/sudoers.d/vagrant"
pub=$(find /usr/share/rubygems-integration /usr/share/vagrant /opt/vagrant \
      -name vagrant.pub -path '*/keys/*' 2>/dev/null | head -1)
[ -n "$pub" ] || { msg "no vagrant.pub (apt-get install vagrant)"; exit 1; }
install -d -m 700 "$root/home/vagrant/.ssh"
install -m 600 "$pub" "$root/home/vagrant/.ssh/authorized_keys"
chroot "$root" chown -R vagrant:vagrant /home/vagrant/.ssh
echo 'UseDNS no' > "$root/etc/ssh/sshd_config.d/vagrant.conf"
echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"
echo bookworm > "$root/etc/hostname"
# The first interface is vagrant's management network (DHCP); vagrant
# writes the private networks' files itself.
cat > "$root/etc/systemd/network/90-mgmt.network" <<'EOF'
[Match]
Name=eth0

[Network]
DHCP=ipv4

[DHCPv4]
ClientIdentifier=mac
EOF
# The guests reach nothing outside the lab: no apt lists to fetch.
rm -rf "$root"/var/lib/apt/lists/*_Packages
# Each VM makes its own machine id at its first boot (systemd would take
# dbus's copy, the same in every VM, and so would their DHCP client ids).
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
# Smaller: apt's cache but Debian's ovn-ic, documentation, and kernel
# modules for hardware a VM does not have.
find "$root/var/cache/apt/archives" -name '*.deb' ! -name 'ovn-ic_*' -delete
rm -rf "$root"/usr/share/doc/* "$root"/var/cache/apt/*.bin
for m in drivers/gpu drivers/media drivers/net/wireless drivers/infiniband \
         drivers/staging drivers/net/ethernet drivers/bluetooth sound; do
    rm -rf "$root"/lib/modules/*/kernel/$m
done

d=$work/box
mkdir "$d"
cp "$root"/boot/vmlinuz-* "$d/kernel"
cp "$root"/boot/initrd.img-* "$d/initrd"
chmod 644 "$d/kernel" "$d/initrd"
used=$(du -sm --apparent-size "$root" | cut -f1)
size=$(( (used * 3 / 2 + 1024) / 1024 + 1 ))
msg "ext4 image of ${size} GB from the root (mkfs.ext4 -d)"
mkfs.ext4 -q -L root -d "$root" "$work/root.raw" "${size}G"
qemu-img convert -O qcow2 "$work/root.raw" "$d/box.img"
rm "$work/root.raw"
cat > "$d/metadata.json" <<EOF
{"provider": "libvirt", "format": "qcow2", "virtual_size": $size}
EOF
cat > "$d/Vagrantfile" <<'EOF'
# Direct kernel boot: the kernel and initrd come with the box.
Vagrant.configure("2") do |config|
  config.vm.provider :libvirt do |lv|
    here = File.dirname(__FILE__)
    lv.kernel = File.join(here, "kernel")
    lv.initrd = File.join(here, "initrd")
    lv.cmd_line = "root=/dev/vda rw console=ttyS0 net.ifnames=0"
  end
end
EOF
mkdir -p "$(dirname "$box")"
tar -C "$d" -cf "$box.tmp" metadata.json Vagrantfile box.img kernel initrd
mv "$box.tmp" "$box"
echo "$box"

#!/bin/bash
# central-ZONE: Debian's NB, SB and ovn-northd (reachable on tcp 6641 and
# 6642), and the interconnection daemon, ours or Debian's; then the zone's
# part of the reference topology.
#   central-zone.sh ZONE IC_IP ours|upstream
#
# Ours comes from the project's Debian package when the box has it
# installed (vagrant/make-box.sh's box does), else it is built here from
# /vagrant and run by utilities/ovn-ic.service.  Either way, and for
# Debian's daemon too, the database locations go into
# /etc/ovn/ovn-ic-db-params.conf: that is the file ovn-ctl start_ic reads,
# hence Debian's ovn-ic.service (which reads no /etc/default file), and the
# package's unit falls back to it while OVN_IC_OPTS is empty.
set -eu
zone=$1 ic_ip=$2 kind=${3:-ours}
# shellcheck source=vagrant/provision/common.sh
. /vagrant/vagrant/provision/common.sh
provision_packages ovn-central ovn-common iproute2
systemctl enable --now ovn-central.service
lab_wait "the zone's NB" ovn-nbctl show
ovn-nbctl set-connection ptcp:6641
ovn-sbctl set-connection ptcp:6642
ovn-nbctl set NB_Global . name="$zone"

params="--ovnnb-db=unix:/run/ovn/ovnnb_db.sock"
params="$params --ovnsb-db=unix:/run/ovn/ovnsb_db.sock"
params="$params --ic-nb-db=tcp:$ic_ip:6645 --ic-sb-db=tcp:$ic_ip:6646"
rm -f /etc/systemd/system/ovn-ic.service
if [ "$kind" = ours ]; then
    if ! provision_has_package; then
        lab_install_packages
        lab_build /vagrant
        make -C /vagrant install
        install -m 644 /vagrant/utilities/ovn-ic.service /etc/systemd/system/
        # The example file, pointed at central-ic.
        sed "s|tcp:192\.0\.2\.10:|tcp:$ic_ip:|g" \
            /vagrant/utilities/ovn-ic.default > /etc/default/ovn-ic
    fi
else
    # Debian's daemon: the package (if any) gives way to Debian's ovn-ic,
    # from apt's cache if it is there (the local box keeps it: no network
    # needed), else from the box's apt sources.
    if provision_has_package; then
        dpkg -r ovn-interconnect
        deb=$(find /var/cache/apt/archives -name 'ovn-ic_*.deb' | head -1)
        [ -z "$deb" ] || dpkg -i "$deb"
    fi
    provision_packages ovn-ic
fi
mkdir -p /etc/ovn
echo "$params" > /etc/ovn/ovn-ic-db-params.conf
systemctl daemon-reload
systemctl enable ovn-ic.service
systemctl restart ovn-ic.service

# The topology, in this host's NB: both zones' numbering must agree, hence
# the full list.
LAB_NB_DB=unix:/run/ovn/ovnnb_db.sock LAB_ZONES="east west" LAB_WAIT=300 \
    lab_topology "$zone"
ovn-nbctl show

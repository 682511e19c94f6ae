#!/bin/bash
# central-ZONE: Debian's NB, SB and ovn-northd (reachable on tcp 6641 and
# 6642), and the interconnection daemon, ours (built here, run by
# utilities/ovn-ic.service) or Debian's; then the zone's part of the
# reference topology.
#   central-zone.sh ZONE IC_IP ours|upstream
set -eu
zone=$1 ic_ip=$2 kind=${3:-ours}
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=utilities/ovn-ic-lab.sh
. /vagrant/utilities/ovn-ic-lab.sh
lab_install_packages
systemctl enable --now ovn-central.service
lab_wait "the zone's NB" ovn-nbctl show
ovn-nbctl set-connection ptcp:6641
ovn-sbctl set-connection ptcp:6642
ovn-nbctl set NB_Global . name="$zone"

if [ "$kind" = ours ]; then
    lab_build /vagrant
    make -C /vagrant install
    install -m 644 /vagrant/utilities/ovn-ic.service /etc/systemd/system/
    # The example file, pointed at central-ic.
    sed "s|tcp:192\.0\.2\.10:|tcp:$ic_ip:|g" \
        /vagrant/utilities/ovn-ic.default > /etc/default/ovn-ic
else
    # Debian's unit runs ovn-ctl, which reads OVN_CTL_OPTS.
    rm -f /etc/systemd/system/ovn-ic.service
    echo "OVN_CTL_OPTS=\"--ovn-ic-nb-db=tcp:$ic_ip:6645" \
         "--ovn-ic-sb-db=tcp:$ic_ip:6646\"" > /etc/default/ovn-ic
fi
systemctl daemon-reload
systemctl enable ovn-ic.service
systemctl restart ovn-ic.service

# The topology: both zones' numbering must agree, hence the full list.
LAB_ZONES="east west" LAB_WAIT=300 lab_topology "$zone"
ovn-nbctl show

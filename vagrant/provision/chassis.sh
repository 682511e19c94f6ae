#!/bin/bash
# A chassis of ZONE: Debian's ovn-controller on the kernel datapath,
# attached to the zone's SB on CENTRAL_IP, with Geneve endpoint MY_IP.  A
# gateway is marked for interconnection; a worker also gets the zone's VM
# (namespace vm1 or vm2).
#   chassis.sh ZONE gw|worker CENTRAL_IP MY_IP
set -eu
zone=$1 role=$2 central_ip=$3 my_ip=$4
# shellcheck source=vagrant/provision/common.sh
. /vagrant/vagrant/provision/common.sh
provision_packages openvswitch-switch ovn-host iproute2 iputils-ping tcpdump
systemctl enable --now openvswitch-switch.service ovn-host.service

mapfile -t ids < <(lab_chassis_ids "${role}_$zone" "$my_ip" \
    "tcp:$central_ip:6642" "$role")
ovs-vsctl set Open_vSwitch . "${ids[@]}"

if [ "$role" = worker ]; then
    # The lab's bookkeeping (recorded namespaces) lives in LAB_DIR; the
    # chassis is this host itself.
    # shellcheck disable=SC2034 # read by the library
    {
        LAB_HOST_CHASSIS=1
        LAB_DIR=/var/lib/ovn-ic-lab
        LAB_ZONES="east west"
        LAB_NS_PREFIX=''
        LAB_WAIT=120
    }
    lab_stop "$LAB_DIR"
    rm -rf "$LAB_DIR"
    lab_init
    lab_zone_vm_start "$zone" "worker-$zone"
fi
ovs-vsctl show

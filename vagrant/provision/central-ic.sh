#!/bin/bash
# central-ic: IC-NB (tcp 6645) and IC-SB (tcp 6646) with the project's
# schemas, and transit switch ts1.  Debian's own IC database services are
# stopped: they would hold the same ports with upstream's schemas.
set -eu
# shellcheck source=vagrant/provision/common.sh
. /vagrant/vagrant/provision/common.sh
provision_packages openvswitch-common ovn-common iproute2
systemctl disable --now ovn-ic-db.service ovn-ovsdb-server-ic-nb.service \
    ovn-ovsdb-server-ic-sb.service 2>/dev/null || true

# Provisioning again starts afresh.
LAB_DIR=/var/lib/ovn-ic-lab
lab_stop "$LAB_DIR"
rm -rf "$LAB_DIR"
# shellcheck disable=SC2034 # read by lab_init
LAB_NS_PREFIX=''
lab_init
lab_ic_dbs_start ptcp:6645 ptcp:6646
lab_icsbctl show

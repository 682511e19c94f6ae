# shellcheck shell=bash
# Shell library: an OVN interconnection lab on one machine.
#
#   . utilities/ovn-ic-lab.sh
#   LAB_ZONES="east west" lab_create     # databases, zones, chassis, VMs
#   lab_ping vm1 192.168.2.12 -c 5       # ping from vm1's namespace
#   lab_stop                             # controllers, daemons, namespaces
#
# Sourcing this file only defines functions and default variables; it starts
# nothing and changes no setting of the calling shell.
#
# The lab (all of it under one short directory $LAB_DIR, /tmp/icl.XXXX by
# default, so that unix socket paths stay under 108 bytes):
#
#   - IC-NB and IC-SB ovsdb-servers with our schemas: $LAB_DIR/icnb.sock,
#     $LAB_DIR/icsb.sock; transit switch "ts1".
#   - Per zone Z: NB and SB ovsdb-servers ($LAB_DIR/Z-nb.sock, Z-sb.sock),
#     ovn-northd, and an interconnection daemon (ours unless
#     LAB_IC_KIND_Z=upstream, which selects Debian's /usr/bin/ovn-ic).  The
#     file names are those of tests/lib.sh, so its helpers work on a lab
#     whose $LAB_DIR is the test's $T.
#   - Per zone Z, chassis namespaces worker-Z and gw-Z (and gw2-Z when
#     LAB_GATEWAYS=2), each with its own ovsdb-server, ovs-vswitchd
#     (--disable-system: userspace datapath, the kernel has neither the
#     openvswitch module nor Geneve) and ovn-controller, state in
#     $LAB_DIR/<chassis>/.  System ids use underscores: worker_Z, gw_Z.
#   - An "underlay" namespace holding Linux bridge br0, with one veth per
#     chassis; chassis addresses are 10.99.0.0/24, inside the lab only.
#   - Zone number i (1-based position in $LAB_ZONES): VM namespace vm<i>
#     with 192.168.i.(10+i)/24 behind router_Z (192.168.i.1), router port
#     169.254.100.i/24 (mac aa:aa:aa:aa:aa:0i) on ts1, gateway chassis gw_Z
#     (priority 20) and gw2_Z (10).  Routes between the zones are
#     advertised and learned by the interconnection daemons
#     (LAB_ROUTES=learn, the default: NB_Global options ic-route-adv and
#     ic-route-learn), or configured by hand as static routes to every
#     other zone's subnet via its transit address (LAB_ROUTES=static).
#
# Namespaces are named $LAB_NS_PREFIX<name>; the prefix keeps concurrent
# labs apart.  Every daemon has a pidfile in $LAB_DIR and is stopped through
# it, never by name.  Functions exit the calling shell on error after
# printing a message (they are meant for scripts and test subshells).
#
# Pieces are reusable on real hosts (vagrant/provision/*.sh): a host that
# runs one zone sets LAB_NB_DB/LAB_SB_DB, one that reaches the IC databases
# over the network LAB_ICNB_DB/LAB_ICSB_DB, and a host that is itself a
# chassis LAB_HOST_CHASSIS=1 (its root namespace and system OVS).

# Defaults; the caller may set any of these before lab_create.
LAB_TOP=${LAB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LAB_IC_DAEMON=${LAB_IC_DAEMON:-$LAB_TOP/ic/ovn-ic}
LAB_UPSTREAM_IC=${LAB_UPSTREAM_IC:-/usr/bin/ovn-ic}
LAB_SCHEMAS=${LAB_SCHEMAS:-$LAB_TOP/ovsdb-schemas}
LAB_OVN_SCHEMAS=${LAB_OVN_SCHEMAS:-/usr/share/ovn}
LAB_OVS_SCHEMA=${LAB_OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
LAB_ZONES=${LAB_ZONES:-east west}
LAB_GATEWAYS=${LAB_GATEWAYS:-1}
LAB_ROUTES=${LAB_ROUTES:-learn}
LAB_WAIT=${LAB_WAIT:-60}
LAB_UNDERLAY=${LAB_UNDERLAY:-10.99.0}
# The project's own IC-NB/IC-SB tools when built, else Debian's.
if [ -z "${LAB_IC_NBCTL:-}" ]; then
    LAB_IC_NBCTL=$LAB_TOP/utilities/ovn-ic-nbctl
    [ -x "$LAB_IC_NBCTL" ] || LAB_IC_NBCTL=ovn-ic-nbctl
fi
if [ -z "${LAB_IC_SBCTL:-}" ]; then
    LAB_IC_SBCTL=$LAB_TOP/utilities/ovn-ic-sbctl
    [ -x "$LAB_IC_SBCTL" ] || LAB_IC_SBCTL=ovn-ic-sbctl
fi
# Packages, if utilities/install-deps.sh (the project's list) is missing.
LAB_PACKAGES="ovn-central ovn-host ovn-ic ovn-ic-db openvswitch-switch
openvswitch-source libevent-dev libssl-dev autoconf automake libtool
pkg-config make gcc python3 iproute2 iputils-ping tcpdump bc"

# lab_msg MESSAGE: progress line on stderr, with seconds since the lab began.
lab_msg() {
    local now
    now=$(date +%s)
    echo "[lab +$(( now - ${LAB_T0:-$now} ))s] $*" >&2
}

# lab_die MESSAGE: prints MESSAGE and exits the calling shell.
lab_die() {
    echo "lab: ERROR: $*" >&2
    exit 1
}

# lab_run COMMAND...: runs COMMAND; on failure, dies naming it.
lab_run() {
    "$@" || lab_die "command failed: $*"
}

# lab_wait DESCRIPTION COMMAND...: polls COMMAND until it succeeds, for at
# most $LAB_WAIT seconds, then dies with DESCRIPTION.  Fast at first, then
# every 100 ms.
lab_wait() {
    local what=$1 deadline i=0
    shift
    deadline=$(( $(date +%s) + LAB_WAIT ))
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] ||
            lab_die "timed out after ${LAB_WAIT}s waiting for $what ($*)"
        i=$((i + 1))
        if [ $i -lt 20 ]; then sleep 0.01; else sleep 0.1; fi
    done
}

# lab_require_tools [dataplane]: dies with an install hint if a tool the
# lab needs is missing; "dataplane" adds ping and tcpdump.
lab_require_tools() {
    local t pkg missing='' extra=''
    [ "${1:-}" = dataplane ] && extra="ping:iputils-ping tcpdump:tcpdump"
    for t in ip:iproute2 ovsdb-server:openvswitch-switch \
             ovs-vswitchd:openvswitch-switch ovs-vsctl:openvswitch-switch \
             ovn-northd:ovn-central ovn-controller:ovn-host \
             ovn-nbctl:ovn-common ovn-ic-nbctl:ovn-ic-db $extra; do
        pkg=${t#*:}
        t=${t%%:*}
        command -v "$t" >/dev/null 2>&1 ||
            missing="$missing $t (apt-get install $pkg)"
    done
    [ -z "$missing" ] || lab_die "missing tools:$missing"
    [ -x "$LAB_IC_DAEMON" ] ||
        lab_die "no daemon at $LAB_IC_DAEMON (build first)"
}

# lab_ns NAME: prints the namespace name for lab object NAME.
lab_ns() {
    echo "${LAB_NS_PREFIX:-}$1"
}

# lab_zone_index ZONE: prints ZONE's 1-based position in $LAB_ZONES.
lab_zone_index() {
    local z i=0
    for z in $LAB_ZONES; do
        i=$((i + 1))
        [ "$z" = "$1" ] && { echo $i; return 0; }
    done
    lab_die "unknown zone $1"
}

# lab_ic_kind ZONE: prints "ours" or "upstream" (LAB_IC_KIND_<ZONE>).
lab_ic_kind() {
    local var=LAB_IC_KIND_$1
    echo "${!var:-ours}"
}

# lab_init: creates $LAB_DIR (unless set) and records the lab's settings in
# $LAB_DIR/lab.env, which lab_load and lab_stop read back.
lab_init() {
    [ -n "${LAB_DIR:-}" ] || LAB_DIR=$(mktemp -d /tmp/icl.XXXX) ||
        lab_die "mktemp failed"
    mkdir -p "$LAB_DIR" || lab_die "cannot create $LAB_DIR"
    [ ${#LAB_DIR} -le 40 ] ||
        lab_die "LAB_DIR $LAB_DIR is too long for unix sockets"
    if [ -z "${LAB_NS_PREFIX+set}" ]; then
        LAB_NS_PREFIX=$(basename "$LAB_DIR" | sed 's/.*\.//')-
    fi
    LAB_T0=${LAB_T0:-$(date +%s)}
    local z v
    {
        for v in LAB_DIR LAB_NS_PREFIX LAB_ZONES LAB_GATEWAYS LAB_T0; do
            printf '%s=%q\n' "$v" "${!v}"
        done
        for z in $LAB_ZONES; do
            printf 'LAB_IC_KIND_%s=%q\n' "$z" "$(lab_ic_kind "$z")"
        done
    } > "$LAB_DIR/lab.env"
    : >> "$LAB_DIR/lab.ns"
    : >> "$LAB_DIR/lab.chassis"
}

# lab_load DIR: reads back the settings of the lab in DIR.
lab_load() {
    [ -f "$1/lab.env" ] || lab_die "$1 holds no lab"
    # shellcheck disable=SC1091
    . "$1/lab.env"
}

# lab_ns_add NAME: creates namespace NAME (prefixed), records it for
# lab_stop, and prints its full name.
lab_ns_add() {
    local ns
    ns=$(lab_ns "$1")
    if ip netns list | grep -qx "$ns\( .*\)\?"; then
        lab_die "namespace $ns already exists (another lab? stop it first)"
    fi
    ip netns add "$ns" || lab_die "cannot create namespace $ns"
    echo "$ns" >> "$LAB_DIR/lab.ns"
    ip -n "$ns" link set lo up
    echo "$ns"
}

# lab_db_start NAME SCHEMA [REMOTE...]: ovsdb-server for one database on
# unix:$LAB_DIR/NAME.sock (the layout of tests/lib.sh's start_db), and on
# the extra REMOTEs (e.g. ptcp:6645).
lab_db_start() {
    local d=$LAB_DIR name=$1 schema=$2 r remotes=()
    shift 2
    for r in "$@"; do remotes+=(--remote="$r"); done
    lab_run ovsdb-tool create "$d/$name.db" "$schema"
    lab_run ovsdb-server --detach --no-chdir -vconsole:off \
        --pidfile="$d/$name.pid" \
        --log-file="$d/$name.log" --unixctl="$d/$name.ctl" \
        --remote=punix:"$d/$name.sock" "${remotes[@]}" "$d/$name.db"
}

# lab_nbctl ZONE ARGS...: ovn-nbctl on ZONE's NB.  lab_sbctl likewise.
# LAB_NB_DB and LAB_SB_DB override the zone's databases.
lab_nbctl() {
    local z=$1
    shift
    ovn-nbctl --db="${LAB_NB_DB:-unix:$LAB_DIR/$z-nb.sock}" "$@"
}
lab_sbctl() {
    local z=$1
    shift
    ovn-sbctl --db="${LAB_SB_DB:-unix:$LAB_DIR/$z-sb.sock}" "$@"
}
lab_icnbctl() {
    "$LAB_IC_NBCTL" --db="${LAB_ICNB_DB:-unix:$LAB_DIR/icnb.sock}" "$@"
}
lab_icsbctl() {
    "$LAB_IC_SBCTL" --db="${LAB_ICSB_DB:-unix:$LAB_DIR/icsb.sock}" "$@"
}

# lab_install_packages: installs the Debian packages the project and the
# lab need (utilities/install-deps.sh, or $LAB_PACKAGES without it).
lab_install_packages() {
    local p missing=''
    if [ -x "$LAB_TOP/utilities/install-deps.sh" ]; then
        lab_run "$LAB_TOP/utilities/install-deps.sh"
        return
    fi
    for p in $LAB_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed" || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0
    echo "installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    lab_run apt-get update -q
    # shellcheck disable=SC2086
    lab_run apt-get install -y -q --no-install-recommends $missing
}

# lab_build [TOP]: builds the project in TOP ($LAB_TOP), skipping
# ./boot.sh and ./configure when their outputs exist; make itself skips
# what is up to date.
lab_build() {
    local top=${1:-$LAB_TOP}
    (
        cd "$top" || exit 1
        if [ -x configure ]; then
            echo "configure exists: skipping ./boot.sh"
        else
            ./boot.sh || exit 1
        fi
        if [ -f Makefile ]; then
            echo "Makefile exists: skipping ./configure"
        else
            ./configure || exit 1
        fi
        make -j2
    ) || lab_die "building in $top failed"
}

# lab_ic_dbs_start [NB_REMOTE SB_REMOTE]: IC-NB and IC-SB with our
# schemas (also listening on the REMOTEs, e.g. ptcp:6645 ptcp:6646), plus
# transit switch ts1.
# shellcheck disable=SC2120 # the one-machine lab passes no REMOTEs
lab_ic_dbs_start() {
    lab_db_start icnb "$LAB_SCHEMAS/ovn-ic-nb.ovsschema" ${1:+"$1"}
    lab_db_start icsb "$LAB_SCHEMAS/ovn-ic-sb.ovsschema" ${2:+"$2"}
    lab_run lab_icnbctl init
    lab_run lab_icsbctl init
    lab_run lab_icnbctl ts-add ts1
}

# lab_zone_start ZONE: the zone's NB and SB, ovn-northd, NB_Global.name,
# and its interconnection daemon.
lab_zone_start() {
    local z=$1 d=$LAB_DIR
    lab_db_start "$z-nb" "$LAB_OVN_SCHEMAS/ovn-nb.ovsschema"
    lab_db_start "$z-sb" "$LAB_OVN_SCHEMAS/ovn-sb.ovsschema"
    lab_run lab_nbctl "$z" init
    lab_run lab_sbctl "$z" init
    lab_run lab_nbctl "$z" set NB_Global . name="$z"
    lab_run ovn-northd --detach --no-chdir -vconsole:off \
        --pidfile="$d/$z-northd.pid" \
        --log-file="$d/$z-northd.log" --unixctl="$d/$z-northd.ctl" \
        --ovnnb-db=unix:"$d/$z-nb.sock" --ovnsb-db=unix:"$d/$z-sb.sock"
    lab_ic_start "$z" "$(lab_ic_kind "$z")"
}

# lab_ic_start ZONE ours|upstream: starts ZONE's interconnection daemon
# ($LAB_DIR/ZONE-ic.{pid,log,ctl}).
lab_ic_start() {
    local z=$1 bin=$LAB_IC_DAEMON d=$LAB_DIR
    [ "$2" = upstream ] && bin=$LAB_UPSTREAM_IC
    lab_run "$bin" --detach --no-chdir -vconsole:off --pidfile="$d/$z-ic.pid" \
        --log-file="$d/$z-ic.log" --unixctl="$d/$z-ic.ctl" \
        --ovnnb-db=unix:"$d/$z-nb.sock" --ovnsb-db=unix:"$d/$z-sb.sock" \
        --ic-nb-db=unix:"$d/icnb.sock" --ic-sb-db=unix:"$d/icsb.sock" \
        -vfile:info
}

# lab_underlay_start: namespace "underlay" with Linux bridge br0.
lab_underlay_start() {
    local ns
    ns=$(lab_ns_add underlay) || exit 1
    lab_run ip -n "$ns" link add br0 type bridge
    lab_run ip -n "$ns" link set br0 up
}

# lab_chassis_mac IP: the MAC the lab gives the br-phy of the chassis
# whose underlay address is IP.
lab_chassis_mac() {
    printf '02:99:00:00:00:%02x\n' "${1##*.}"
}

# lab_ovs CHASSIS ARGS...: ovs-vsctl on CHASSIS (e.g. gw-east).
lab_ovs() {
    local c=$1 db
    shift
    db=unix:$LAB_DIR/$c/db.sock
    [ -z "${LAB_HOST_CHASSIS:-}" ] || db=unix:/run/openvswitch/db.sock
    ovs-vsctl --timeout=30 --db="$db" "$@"
}

# lab_chassis_ids SYSTEM_ID IP SB_REMOTE worker|gw [DATAPATH_TYPE]: prints
# the Open_vSwitch external_ids settings that make ovn-controller a chassis
# of the zone at SB_REMOTE with Geneve endpoint IP, one per line, for
# "ovs-vsctl set Open_vSwitch . $(lab_chassis_ids ...)".
lab_chassis_ids() {
    echo "external_ids:system-id=$1"
    echo "external_ids:hostname=$1"
    echo "external_ids:ovn-remote=$3"
    echo "external_ids:ovn-encap-type=geneve"
    echo "external_ids:ovn-encap-ip=$2"
    [ -z "${5:-}" ] || echo "external_ids:ovn-bridge-datapath-type=$5"
    if [ "$4" = gw ]; then
        # ovn-is-interconn becomes SB other_config:is-interconn.
        echo "external_ids:ovn-is-interconn=true"
        echo "external_ids:ovn-cms-options=enable-chassis-as-gw"
    fi
}

# lab_ovs_appctl CHASSIS ARGS...: ovs-appctl to CHASSIS's ovs-vswitchd.
lab_ovs_appctl() {
    local c=$1
    shift
    ovs-appctl --timeout=30 -t "$LAB_DIR/$c/ovs-vswitchd.ctl" "$@"
}

# lab_controller_ctl CHASSIS: prints the control socket of CHASSIS's
# ovn-controller (23.03 has no --unixctl; it is $OVN_RUNDIR/NAME.PID.ctl).
lab_controller_ctl() {
    local pid
    pid=$(cat "$LAB_DIR/$1/ovn-controller.pid" 2>/dev/null) || return 1
    echo "$LAB_DIR/$1/ovn-controller.$pid.ctl"
}

# lab_chassis_start ZONE CHASSIS SYSTEM_ID IP worker|gw: a chassis
# namespace attached to the underlay at IP, with ovsdb-server,
# ovs-vswitchd (userspace datapath) and ovn-controller for ZONE.
lab_chassis_start() {
    local z=$1 c=$2 sysid=$3 ip=$4 role=$5
    local d=$LAB_DIR/$c ns uns mac
    mac=$(lab_chassis_mac "$ip")
    mkdir -p "$d"
    ns=$(lab_ns_add "$c") || exit 1
    uns=$(lab_ns underlay)
    lab_run ip -n "$uns" link add name "$c" type veth \
        peer name eth0 netns "$ns"
    lab_run ip -n "$uns" link set "$c" master br0 up
    lab_run ip -n "$ns" link set eth0 up

    # Private OVS_RUNDIR: br-int.mgmt lives there, and ovn-controller
    # finds it through the same variable.  Local, so that the caller's
    # environment is left alone.
    local -x OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVN_RUNDIR=$d \
        OVN_LOGDIR=$d
    lab_run ovsdb-tool create "$d/conf.db" "$LAB_OVS_SCHEMA"
    lab_run ip netns exec "$ns" ovsdb-server --detach --no-chdir \
        -vconsole:off \
        --pidfile="$d/ovsdb-server.pid" --log-file="$d/ovsdb-server.log" \
        --unixctl="$d/ovsdb-server.ctl" --remote=punix:"$d/db.sock" \
        "$d/conf.db"
    lab_run lab_ovs "$c" --no-wait init
    lab_run ip netns exec "$ns" ovs-vswitchd --disable-system --detach \
        -vconsole:off \
        --no-chdir --pidfile="$d/ovs-vswitchd.pid" \
        --log-file="$d/ovs-vswitchd.log" --unixctl="$d/ovs-vswitchd.ctl" \
        unix:"$d/db.sock"
    # The underlay address sits on br-phy's internal (tap) port, so that
    # ovs-router learns the route from the namespace's kernel routes.
    lab_run lab_ovs "$c" add-br br-phy \
        -- set bridge br-phy datapath_type=netdev \
        other_config:hwaddr="$mac" -- add-port br-phy eth0
    lab_run ip -n "$ns" addr add "$ip/24" dev br-phy
    lab_run ip -n "$ns" link set br-phy up
    local ids
    mapfile -t ids < <(lab_chassis_ids "$sysid" "$ip" \
        unix:"$LAB_DIR/$z-sb.sock" "$role" netdev)
    lab_run lab_ovs "$c" set Open_vSwitch . "${ids[@]}"
    lab_run ip netns exec "$ns" ovn-controller --detach --no-chdir \
        -vconsole:off \
        --pidfile="$d/ovn-controller.pid" \
        --log-file="$d/ovn-controller.log" unix:"$d/db.sock"
    echo "$c $sysid $z $role $ip $mac" >> "$LAB_DIR/lab.chassis"
}

# lab_chassis_stop CHASSIS [crash]: stops CHASSIS's ovn-controller (by
# "exit", which removes its Chassis row, or with SIGKILL when "crash"),
# then its ovs-vswitchd and ovsdb-server.
lab_chassis_stop() {
    local c=$1 d=$LAB_DIR/$1 ctl
    if [ "${2:-}" = crash ]; then
        lab_kill_pidfile "$d/ovn-controller.pid" KILL
        lab_kill_pidfile "$d/ovs-vswitchd.pid" KILL
    elif ctl=$(lab_controller_ctl "$c") && [ -S "$ctl" ]; then
        ovn-appctl --timeout=10 -t "$ctl" exit >/dev/null 2>&1
    fi
    lab_kill_pidfile "$d/ovn-controller.pid"
    lab_kill_pidfile "$d/ovs-vswitchd.pid"
    lab_kill_pidfile "$d/ovsdb-server.pid"
}

# lab_chassis_ip CHASSIS: prints CHASSIS's underlay address.
lab_chassis_ip() {
    awk -v c="$1" '$1 == c {print $5}' "$LAB_DIR/lab.chassis"
}

# lab_tnl_seed: fills every chassis's tunnel neighbour cache with every
# other chassis, since the userspace datapath drops the first packet
# towards a tunnel endpoint while it ARPs.
lab_tnl_seed() {
    local c ip peer pip pmac _
    while read -r c _ _ _ ip _; do
        [ -f "$LAB_DIR/$c/ovs-vswitchd.pid" ] || continue
        while read -r peer _ _ _ pip pmac; do
            [ "$peer" = "$c" ] && continue
            lab_ovs_appctl "$c" tnl/neigh/set br-phy "$pip" "$pmac" \
                >/dev/null || lab_die "tnl/neigh/set on $c failed"
        done < "$LAB_DIR/lab.chassis"
    done < "$LAB_DIR/lab.chassis"
}

# lab_vm_start VM CHASSIS MAC IP/PLEN GATEWAY: namespace VM with eth0
# (MTU 1400 for the Geneve overhead), whose peer is a port of CHASSIS's
# br-int bound to logical switch port VM.
lab_vm_start() {
    local vm=$1 c=$2 mac=$3 addr=$4 gw=$5 ns cip
    ns=$(lab_ns_add "$vm") || exit 1
    cip=(ip -n "$(lab_ns "$c")")
    [ -z "${LAB_HOST_CHASSIS:-}" ] || cip=(ip)
    lab_wait "br-int on $c" lab_ovs "$c" br-exists br-int
    lab_run "${cip[@]}" link add name "$vm" type veth \
        peer name eth0 netns "$ns"
    lab_run "${cip[@]}" link set "$vm" up
    lab_run ip -n "$ns" link set eth0 address "$mac" mtu 1400 up
    lab_run ip -n "$ns" addr add "$addr" dev eth0
    lab_run ip -n "$ns" route add default via "$gw"
    lab_run lab_ovs "$c" add-port br-int "$vm" -- \
        set Interface "$vm" external_ids:iface-id="$vm"
}

# lab_zone_vm_start ZONE CHASSIS: ZONE's reference VM on CHASSIS.
lab_zone_vm_start() {
    local i
    i=$(lab_zone_index "$1") || exit 1
    lab_vm_start "vm$i" "$2" \
        "$(printf '02:00:c0:a8:%02x:%02x' "$i" $((10 + i)))" \
        "$(lab_vm_ip "$1")/24" "192.168.$i.1"
}

# lab_vm_ip ZONE: prints the address of ZONE's VM.  lab_vm ZONE its name.
lab_vm_ip() {
    local i
    i=$(lab_zone_index "$1")
    echo "192.168.$i.$((10 + i))"
}
lab_vm() {
    echo "vm$(lab_zone_index "$1")"
}

# lab_topology ZONE: the reference NB topology of ZONE: switch ls_ZONE with
# the VM's port, router_ZONE, its port on ts1 with gateway chassis, and
# routes to the other zones (see LAB_ROUTES).
lab_topology() {
    local z=$1 i j o vm lr ls lrp_ts cmd
    i=$(lab_zone_index "$z") || exit 1
    vm=vm$i lr=router_$z ls=ls_$z lrp_ts=lrp-router_$z-ts1
    lab_wait "ts1 in $z's NB (created by the interconnection daemon)" \
        lab_nbctl "$z" get Logical_Switch ts1 name
    cmd=(ls-add "$ls"
         -- lsp-add "$ls" "$vm"
         -- lsp-set-addresses "$vm" "$(printf '02:00:c0:a8:%02x:%02x' \
                "$i" $((10 + i))) $(lab_vm_ip "$z")"
         -- lr-add "$lr"
         -- lrp-add "$lr" "lrp-$lr-$ls" "$(printf '02:00:c0:a8:%02x:01' "$i")"
                "192.168.$i.1/24"
         -- lsp-add "$ls" "$ls-$lr" -- lsp-set-type "$ls-$lr" router
         -- lsp-set-addresses "$ls-$lr" router
         -- lsp-set-options "$ls-$lr" router-port="lrp-$lr-$ls"
         -- lrp-add "$lr" "$lrp_ts" "$(printf 'aa:aa:aa:aa:aa:%02x' "$i")"
                "169.254.100.$i/24"
         -- lsp-add ts1 "lsp-ts1-$lr" -- lsp-set-type "lsp-ts1-$lr" router
         -- lsp-set-addresses "lsp-ts1-$lr" router
         -- lsp-set-options "lsp-ts1-$lr" router-port="$lrp_ts"
         -- lrp-set-gateway-chassis "$lrp_ts" "gw_$z" 20)
    [ "$LAB_GATEWAYS" -ge 2 ] &&
        cmd+=(-- lrp-set-gateway-chassis "$lrp_ts" "gw2_$z" 10)
    if [ "$LAB_ROUTES" = static ]; then
        j=0
        for o in $LAB_ZONES; do
            j=$((j + 1))
            [ "$o" = "$z" ] && continue
            cmd+=(-- lr-route-add "$lr" "192.168.$j.0/24" "169.254.100.$j")
        done
    else
        cmd+=(-- set NB_Global . options:ic-route-adv=true
              options:ic-route-learn=true)
    fi
    lab_run lab_nbctl "$z" "${cmd[@]}"
}

# lab_routes_ready: true when every zone's router has learned a route to
# every other zone's VM subnet (always true with LAB_ROUTES=static).
lab_routes_ready() {
    local z n want
    [ "$LAB_ROUTES" = static ] && return 0
    want=$(( $(echo "$LAB_ZONES" | wc -w) - 1 ))
    for z in $LAB_ZONES; do
        n=$(lab_nbctl "$z" --bare --columns=external_ids \
                list Logical_Router_Static_Route | grep -c ic-learned-route)
        [ "$n" -ge "$want" ] || return 1
    done
}

# lab_remote_ports_ready: true when every zone's SB has a remote port on
# ts1 for every other zone, bound to that zone's gateway (the
# interconnection daemon sets the Port_Binding's chassis).
lab_remote_ports_ready() {
    local z n want
    want=$(( $(echo "$LAB_ZONES" | wc -w) - 1 ))
    for z in $LAB_ZONES; do
        n=$(lab_sbctl "$z" --bare --columns=chassis find \
                Port_Binding type=remote | grep -c .)
        [ "$n" -ge "$want" ] || return 1
    done
}

# lab_create: builds the whole lab from the settings above.  Afterwards
# every zone's chassis have their flows (--wait=hv) and the remote ports
# exist; traffic can flow.
lab_create() {
    local z i c
    lab_require_tools core
    lab_init
    lab_msg "lab directory $LAB_DIR," \
        "namespace prefix '${LAB_NS_PREFIX}' (underlay, gw-*, worker-*, vm*)"
    lab_msg "starting IC-NB and IC-SB"
    lab_ic_dbs_start
    for z in $LAB_ZONES; do
        lab_msg "starting zone $z (NB, SB, ovn-northd," \
            "$(lab_ic_kind "$z") ovn-ic)"
        lab_zone_start "$z"
    done
    lab_msg "starting underlay and chassis (userspace datapath)"
    lab_underlay_start
    for z in $LAB_ZONES; do
        i=$(lab_zone_index "$z") || exit 1
        lab_chassis_start "$z" "worker-$z" "worker_$z" \
            "$LAB_UNDERLAY.$((10 * i + 1))" worker
        lab_chassis_start "$z" "gw-$z" "gw_$z" \
            "$LAB_UNDERLAY.$((10 * i + 2))" gw
        if [ "$LAB_GATEWAYS" -ge 2 ]; then
            lab_chassis_start "$z" "gw2-$z" "gw2_$z" \
                "$LAB_UNDERLAY.$((10 * i + 3))" gw
        fi
    done
    lab_msg "creating the reference topology"
    for z in $LAB_ZONES; do
        lab_topology "$z"
    done
    for z in $LAB_ZONES; do
        lab_zone_vm_start "$z" "worker-$z"
    done
    lab_msg "waiting for remote ports and chassis flows"
    lab_wait "remote ports on ts1 in every zone" lab_remote_ports_ready
    lab_wait "routes learned between the zones" lab_routes_ready
    for z in $LAB_ZONES; do
        lab_run lab_nbctl "$z" --timeout="$LAB_WAIT" --wait=hv sync
    done
    lab_tnl_seed
    lab_msg "lab ready"
}

# lab_ping VM DEST [ARGS...]: ping from VM's namespace.
lab_ping() {
    local vm=$1 dst=$2
    shift 2
    command -v ping >/dev/null ||
        lab_die "ping missing (apt-get install iputils-ping)"
    ip netns exec "$(lab_ns "$vm")" ping -n "$@" "$dst"
}

# lab_wait_ping VM DEST: waits until one ping from VM to DEST is answered.
lab_wait_ping() {
    lab_wait "a reply from $2 to $1" lab_ping "$1" "$2" -c 1 -W 1
}

# lab_env ZONE: prints the export line that points the ovn-*ctl tools at
# ZONE and at the IC databases.
lab_env() {
    echo "export OVN_NB_DB=unix:$LAB_DIR/$1-nb.sock" \
        "OVN_SB_DB=unix:$LAB_DIR/$1-sb.sock" \
        "OVN_IC_NB_DB=unix:$LAB_DIR/icnb.sock" \
        "OVN_IC_SB_DB=unix:$LAB_DIR/icsb.sock"
}

# lab_kill_pidfile FILE [SIGNAL]: signals the daemon in FILE and waits
# until it is gone (a zombie counts as gone), using SIGKILL after 5 s.
lab_kill_pidfile() {
    local pid i
    [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null) || return 0
    [ -n "$pid" ] || return 0
    kill -"${2:-TERM}" "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    for i in $(seq 100); do
        case $(ps -o stat= -p "$pid" 2>/dev/null) in
            ""|Z*) rm -f "$1"; return 0 ;;
        esac
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    rm -f "$1"
}

# lab_stop [DIR]: stops the lab in DIR (default $LAB_DIR): ovn-controllers
# first (so that their Chassis rows go), then the interconnection daemons
# and northds, the chassis' vswitchds and ovsdb-servers, the databases,
# then whatever is still in the lab's namespaces, then the namespaces.
# Safe to run twice, on a half-built lab, and under "set -e".  If DIR is
# gone, the namespaces named with the current $LAB_NS_PREFIX (if any) are
# still emptied and deleted.
lab_stop() {
    (set +e; lab_stop__ "${1:-${LAB_DIR:-}}")
}

lab_stop__() {
    local dir=$1 f ns pids
    [ -n "$dir" ] || return 0
    if [ ! -f "$dir/lab.env" ]; then
        [ -n "${LAB_NS_PREFIX:-}" ] || return 0
        for ns in $(ip netns list | awk '{print $1}'); do
            case $ns in "$LAB_NS_PREFIX"*) lab_ns_del "$ns" ;; esac
        done
        return 0
    fi
    LAB_DIR=$dir
    for f in "$dir"/*/ovn-controller.pid; do
        [ -e "$f" ] || continue
        lab_chassis_stop "$(basename "$(dirname "$f")")" &
    done
    wait
    for f in "$dir"/*-ic*.pid "$dir"/*-northd.pid "$dir"/*/ovs-vswitchd.pid \
             "$dir"/*/*.pid "$dir"/*.pid; do
        [ -e "$f" ] && lab_kill_pidfile "$f"
    done
    if [ -f "$dir/lab.ns" ]; then
        while read -r ns; do
            [ -n "$ns" ] && lab_ns_del "$ns"
        done < "$dir/lab.ns"
        : > "$dir/lab.ns"
    fi
    return 0
}

# lab_ns_del NS: kills what still runs in namespace NS (daemons whose
# pidfile is lost, captures, pings) and deletes it.
lab_ns_del() {
    local pids
    pids=$(ip netns pids "$1" 2>/dev/null)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
    ip netns del "$1" 2>/dev/null
}

# ovn-ic-nbctl: our tool against real ovsdb-servers, compared with the
# distribution's ovn-ic-nbctl (/usr/bin) wherever both have the command.

CTL=ovn-ic-nbctl
OUR_NBCTL=$TOP_BUILDDIR/utilities/$CTL
CTL_DB_VAR=OVN_IC_NB_DB
CTL_NAME=OVN_IC_Northbound
# shellcheck source=tests/ctl-helpers.sh
. "$TOP_SRCDIR/tests/ctl-helpers.sh"

# nb_start: starts an empty IC-NB with our schema and initializes it with
# our tool.
nb_start() {
    start_db icnb "$SCHEMAS/ovn-ic-nb.ovsschema"
    export OVN_IC_NB_DB=unix:$T/icnb.sock
    check ours init
}

test_ts_commands_match_upstream() {
    nb_start
    check_eq "" ours ts-list
    check ours ts-add ts2 -- ts-add ts1
    check ours ts-add "ts 3"
    check upstream ts-add ts0
    check ours --may-exist ts-add ts1
    # Upstream's schema is older, so "list" compares the common columns.
    for cmd in ts-list show \
               "--columns=_uuid,name,external_ids,other_config list
                Transit_Switch" \
               "--bare --columns=name find Transit_Switch name=ts1" \
               "get Transit_Switch ts1 name" \
               "--columns=_uuid,connections,ssl,external_ids list
                IC_NB_Global"; do
        # shellcheck disable=SC2086
        same_output $cmd
    done
    check_eq "ts0 ts1 ts2" eval 'ours ts-list | sed "s/.*(\(.*\))/\1/" |
        grep -v " " | paste -sd" "'

    fails_with "ts1: a transit switch with this name already exists" \
        ts-add ts1
    fails_with "nope: switch name not found" ts-del nope
    fails_with "'ts-add' command requires at least 1 arguments" ts-add
    fails_with "unknown command 'ts-frob'; use --help for help" ts-frob
    check ours --if-exists ts-del nope
    check ours ts-del ts2 -- ts-del "$(ours get Transit_Switch ts0 _uuid)"
    same_output ts-list
    check_eq "ts 3,ts1" eval \
        'ours --bare --columns=name list Transit_Switch | grep . | sort |
         paste -sd,'
}

test_tsp_add_and_del() {
    nb_start
    check ours ts-add ts1 -- ts-add ts2
    check ours tsp-add ts1 p1 type=router chassis=gw1 peer=lrp1 \
        other_config:k=v
    check_eq "router gw1 lrp1 {k=v}" eval \
        'ours get Transit_Switch_Port p1 type chassis peer other_config |
         paste -sd" "'
    check_eq "[$(ours get Transit_Switch_Port p1 _uuid)]" \
        ours get Transit_Switch ts1 ports

    fails_with "p1: a port with this name already exists" tsp-add ts1 p1
    fails_with "p1: port already exists but in switch ts1" \
        --may-exist tsp-add ts2 p1
    fails_with "ts9: switch name not found" tsp-add ts9 p9
    local no_col="does not contain a column whose name matches"
    fails_with "Transit_Switch_Port $no_col \"foo\"" tsp-add ts1 p2 foo=bar
    fails_with "'tsp-add' command requires at least 2 arguments" tsp-add ts1

    # --may-exist on the right switch brings the columns up to date.
    check ours --may-exist tsp-add ts1 p1 chassis=gw2
    check_eq gw2 ours get Transit_Switch_Port p1 chassis

    # Several commands in one run see each other's changes.
    check ours ts-add ts3 -- tsp-add ts3 p3 -- tsp-add ts3 p4 -- \
        tsp-del p3
    check_eq p4 ours --bare --columns=name list Transit_Switch_Port \
        "$(ours get Transit_Switch ts3 ports | tr -d '[]')"

    fails_with "nope: switch port name not found" tsp-del nope
    check ours --if-exists tsp-del nope
    check ours tsp-del p1
    check_eq "[]" ours get Transit_Switch ts1 ports
    check_eq "p4" ours --bare --columns=name list Transit_Switch_Port

    # Deleting a switch deletes its ports.
    check ours ts-del ts3
    check_eq "" ours --bare --columns=name list Transit_Switch_Port
}

test_tsp_set_addr() {
    nb_start
    check ours ts-add ts1 -- tsp-add ts1 p1 -- tsp-add ts1 p2 -- \
        ts-add ts2 -- tsp-add ts2 p3
    check ours tsp-set-addr p1 "00:00:00:00:00:01 10.0.0.1 fd00::1" \
        unknown
    check_eq '["00:00:00:00:00:01 10.0.0.1 fd00::1", unknown]' \
        ours get Transit_Switch_Port p1 addresses
    check ours tsp-set-addr p2 router dynamic "00:00:00:00:00:02"

    local hint="Invalid address format. See ovn-ic-nb(5). Hint: An Ethernet"
    hint="$hint address must be listed before an IP address, together as a"
    hint="$hint single argument."
    local dup="Error on transit switch ts1: duplicate"
    local on_p1="found on transit switch port 'p1'"
    fails_with "10.0.0.5: $hint" tsp-set-addr p2 10.0.0.5
    fails_with "10.0.0.5 00:00:00:00:00:02: $hint" \
        tsp-set-addr p2 "10.0.0.5 00:00:00:00:00:02"
    fails_with "00:00:00:00:00:02 10.0.0.300: $hint" \
        tsp-set-addr p2 "00:00:00:00:00:02 10.0.0.300"
    fails_with "bogus: $hint" tsp-set-addr p2 bogus
    fails_with "p2: address 'unknown' is given more than once" \
        tsp-set-addr p2 unknown unknown
    fails_with "p2: duplicate IP address 'fd00::2'" \
        tsp-set-addr p2 "00:00:00:00:00:02 fd00::2 fd00:0::2"
    fails_with "$dup IPv4 address '10.0.0.1' $on_p1" \
        tsp-set-addr p2 "00:00:00:00:00:02 10.0.0.1"
    fails_with "$dup IPv6 address 'fd00::1' $on_p1" \
        tsp-set-addr p2 "00:00:00:00:00:02 fd00:0:0::1"
    fails_with "nope: switch port name not found" tsp-set-addr nope

    # The same IP on another switch, or on the port itself, is fine.
    check ours tsp-set-addr p3 "00:00:00:00:00:03 10.0.0.1"
    check ours tsp-set-addr p1 "00:00:00:00:00:01 10.0.0.1"

    # A port created in the same run is checked against its switch too.
    fails_with "$dup IPv4 address '10.0.0.1' $on_p1" \
        tsp-add ts1 p4 -- tsp-set-addr p4 "00:00:00:00:00:04 10.0.0.1"

    check ours tsp-set-addr p1
    check_eq "[]" ours get Transit_Switch_Port p1 addresses
}

test_tr_commands() {
    nb_start
    local no_col="does not contain a column whose name matches"
    check ours tr-add tr2 -- tr-add tr1
    fails_with "tr1: a transit router with this name already exists" \
        tr-add tr1
    check ours --may-exist tr-add tr1
    check_eq "$(ours get Transit_Router tr1 _uuid) (tr1)
$(ours get Transit_Router tr2 _uuid) (tr2)" ours tr-list

    check ours trp-add tr1 trp1 00:00:00:00:01:01 10.0.0.1/24 \
        fd00::1/64 chassis=gw1
    local tr1
    tr1=$(ours get Transit_Router tr1 _uuid)
    local nets='["10.0.0.1/24", "fd00::1/64"]'
    check_eq "\"00:00:00:00:01:01\" $nets gw1 $tr1" eval \
        'ours get Transit_Router_Port trp1 mac networks chassis tr_uuid |
              paste -sd" "'
    check_eq "[$(ours get Transit_Router_Port trp1 _uuid)]" \
        ours get Transit_Router tr1 ports

    fails_with "'trp-add' command requires at least 5 arguments" \
        trp-add tr1 trp2 00:00:00:00:01:02 10.0.0.2/24
    fails_with "trp2: invalid mac address 00:00:00:00:01" \
        trp-add tr1 trp2 00:00:00:00:01 10.0.0.2/24 chassis=gw1
    fails_with "trp2: invalid network address: 10.0.0.2/33" \
        trp-add tr1 trp2 00:00:00:00:01:02 10.0.0.2/33 chassis=gw1
    fails_with "trp2: invalid network address: 10.0.0.256/24" \
        trp-add tr1 trp2 00:00:00:00:01:02 10.0.0.256/24 chassis=gw1
    fails_with "tr9: router name not found" \
        trp-add tr9 trp2 00:00:00:00:01:02 10.0.0.2/24 chassis=gw1
    fails_with "trp1: a port with this name already exists" \
        trp-add tr1 trp1 00:00:00:00:01:01 10.0.0.1/24 chassis=gw1
    fails_with "trp1: port already exists with mac 00:00:00:00:01:01" \
        --may-exist trp-add tr1 trp1 00:00:00:00:01:02 10.0.0.1/24 \
        fd00::1/64
    fails_with "trp1: port already exists with different network" \
        --may-exist trp-add tr1 trp1 00:00:00:00:01:01 10.0.0.2/24 \
        fd00::1/64
    fails_with "trp1: port already exists but in router tr1" \
        --may-exist trp-add tr2 trp1 00:00:00:00:01:01 10.0.0.1/24 \
        fd00::1/64
    fails_with \
        "Transit_Router_Port $no_col \"bogus\"" \
        trp-add tr1 trp2 00:00:00:00:01:02 10.0.0.2/24 bogus=1
    # Same MAC and networks, written differently: accepted, unchanged.
    check ours --may-exist trp-add tr1 trp1 00:00:00:00:01:01 \
        fd00:0::1/64 10.0.0.1/24

    check_eq "Transit_Router tr1
    Transit_Router_Port trp1
        mac: \"00:00:00:00:01:01\"
        networks: [\"10.0.0.1/24\", \"fd00::1/64\"]
        chassis: gw1" eval 'ours show |
            awk "/^Transit_Router tr1\$/ {p = 1; print; next}
                 /^[^ ]/ {p = 0} p"'

    fails_with "nope: router port name not found" trp-del nope
    check ours --if-exists trp-del nope
    check ours trp-add tr2 trp2 00:00:00:00:02:01 10.0.1.1/24 \
        chassis=gw2 -- trp-del trp1
    check_eq "[]" ours get Transit_Router tr1 ports
    fails_with "nope: router name not found" tr-del nope
    check ours tr-del tr2
    check_eq "" ours --bare --columns=name list Transit_Router_Port
    check_eq "$(ours get Transit_Router tr1 _uuid) (tr1)" ours tr-list
}

test_show_matches_upstream_for_switches() {
    nb_start
    local i
    for i in 1 2 3 4 5 6 7 8; do
        check ours ts-add "ts$i"
    done
    check ours ts-add "with space" -- ts-add 123
    same_output show
    same_output ts-list
    # Ports show under their switch, sorted, with the columns that are set.
    check ours tsp-add ts1 b type=router -- tsp-add ts1 a chassis=gw1 \
        -- tsp-set-addr a "00:00:00:00:00:01 10.0.0.1"
    check_eq "Transit_Switch ts1
    Transit_Switch_Port a
        chassis: gw1
        addresses: [\"00:00:00:00:00:01 10.0.0.1\"]
    Transit_Switch_Port b
        type: router" eval 'ours show |
            awk "/^Transit_Switch ts1\$/ {p = 1; print; next}
                 /^[^ ]/ {p = 0} p"'
}

test_connection_and_ssl_match_upstream() {
    nb_start
    check_eq "" ours get-connection
    check ours --inactivity-probe=30000 set-connection ptcp:6645 \
        pssl:6646
    same_output get-connection
    check_eq "30000 30000" eval \
        'ours --bare --columns=inactivity_probe list Connection |
         grep . | paste -sd" "'
    check_eq 2 eval 'upstream get IC_NB_Global . connections | tr , "\n" |
                     grep -c .'
    fails_with '--inactivity-probe: "soon" is not a number of milliseconds' \
        --inactivity-probe=soon set-connection ptcp:6645
    check ours del-connection
    same_output get-connection
    check_eq "" ours list Connection

    check_eq "" ours get-ssl
    check ours --bootstrap set-ssl /k.pem /c.pem /ca.pem TLSv1.2 HIGH \
        TLS_AES_256_GCM_SHA384
    same_output get-ssl
    check_eq "TLSv1.2 HIGH TLS_AES_256_GCM_SHA384" eval \
        'ours get SSL . ssl_protocols ssl_ciphers ssl_ciphersuites |
         paste -sd" "'
    check upstream set-ssl /k2.pem /c2.pem /ca2.pem
    same_output get-ssl
    check ours set-ssl /k3.pem /c3.pem /ca3.pem
    check_eq 1 eval 'ours --bare --columns=_uuid list SSL | grep -c .'
    same_output get-ssl
    fails_with "'set-ssl' command requires at least 3 arguments" \
        set-ssl /k /c
    check ours del-ssl
    same_output get-ssl
    check_eq "[]" ours get IC_NB_Global . ssl
}

test_generic_commands_and_options() {
    nb_start
    # Default remote: $OVN_IC_NB_DB, else the socket in $OVN_RUNDIR.
    check "$OUR_NBCTL" ts-add env1
    ln -s "$T/icnb.sock" "$T/ovn_ic_nb_db.sock"
    (unset OVN_IC_NB_DB; OVN_RUNDIR=$T check "$OUR_NBCTL" ts-add env2)
    (unset OVN_IC_NB_DB OVN_RUNDIR
     "$OUR_NBCTL" --help |
         grep -q "(default: unix:/var/run/ovn/ovn_ic_nb_db.sock)") ||
        fail "default remote is not /var/run/ovn"
    check_eq "env1 env2" eval \
        'ours --bare --columns=name list Transit_Switch | grep . | sort |
         paste -sd" "'

    # --id=@name, create, add, remove, clear, destroy, wait-until.
    check ours -- --id=@p create Transit_Switch_Port name=gp \
        -- add Transit_Switch env1 ports @p
    check_eq gp ours --bare --columns=name list Transit_Switch_Port
    check ours set Transit_Switch env1 external_ids:a=b other_config:c=d
    check ours remove Transit_Switch env1 external_ids a=b
    check ours clear Transit_Switch env1 other_config
    check_eq "{} {}" eval \
        'ours get Transit_Switch env1 external_ids other_config |
         paste -sd" "'
    check ours wait-until Transit_Switch env1 name=env1
    check ours destroy Transit_Switch env2

    # Table formats.
    check_eq "name,ports
env1,[]" eval 'ours --format=csv --columns=name,ports list Transit_Switch |
               sed "s/\[[^]]*\]/[]/"'
    ours --format=json --columns=name list Transit_Switch |
        grep -q '"data":\[\["env1"\]\]' || fail "--format=json"
    check ours ts-add x
    local out
    out=$(ours --oneline --bare ts-list -- --columns=name find \
          Transit_Switch name=x) || fail "--oneline failed"
    local env1 x
    env1=$(ours get Transit_Switch env1 _uuid)
    x=$(ours get Transit_Switch x _uuid)
    [ "$out" = "$env1 (env1)\\n$x (x)
x" ] || fail "--oneline printed [$out]"

    # --dry-run commits nothing.
    check ours --dry-run ts-add dry
    check_eq "" ours --bare --columns=name find Transit_Switch name=dry

    # Option errors.
    fails_with 'argument to --wait must be "none" or "sb"' --wait=nb sync
    fails_with "value 0 on -t or --timeout is invalid" -t 0 ts-list
    fails_with "missing command name (use --help for help)"
    fails_with "'--may-exist' option specified multiple times" \
        --may-exist --may-exist ts-add x
    check_eq "" ours --no-leader-only --no-syslog --no-wait -t 5 sync

    "$OUR_NBCTL" -V > "$T/version" || fail "-V failed"
    grep -q "^ovn-ic-nbctl (ovn-interconnect) " "$T/version" ||
        fail "-V: $(cat "$T/version")"
    grep -q "^DB Schema 1.4.0$" "$T/version" || fail "-V: no schema"
    "$OUR_NBCTL" --help > "$T/help" || fail "--help failed"
    for cmd in ts-add tsp-add tsp-set-addr tr-add trp-add sync set-ssl \
               wait-until --wait=sb --private-key; do
        grep -q -- "$cmd" "$T/help" || fail "--help does not mention $cmd"
    done
}

test_wait_sb_handshake() {
    nb_start
    # Nothing raises sb_ic_cfg: --wait=sb must wait, and -t bounds it.
    local rc=0
    ours -t 1 --wait=sb ts-add ts1 2>/dev/null || rc=$?
    [ $rc = 142 ] || fail "--wait=sb without a daemon exited with $rc"
    check_eq 1 ours get IC_NB_Global . nb_ic_cfg

    # A change without --wait does not bump nb_ic_cfg; "sync" without
    # --wait does nothing.
    check ours ts-add ts2 -- sync
    check_eq 1 ours get IC_NB_Global . nb_ic_cfg

    # Stand in for the daemons: --wait=sb returns once sb_ic_cfg catches
    # up, and "sync" waits even though it changes nothing.
    ours --wait=sb sync > "$T/sync.out" 2>&1 &
    local pid=$!
    wait_eq 2 ours get IC_NB_Global . nb_ic_cfg
    kill -0 $pid 2>/dev/null || fail "--wait=sb sync returned too early"
    check ours set IC_NB_Global . sb_ic_cfg=2
    wait $pid || fail "--wait=sb sync failed: $(cat "$T/sync.out")"

    # An unchanged database means nothing to wait for.
    check ours -t 5 --wait=sb --may-exist ts-add ts2
    check_eq 2 ours get IC_NB_Global . nb_ic_cfg
    # --dry-run does not wait either.
    check ours -t 5 --wait=sb --dry-run ts-add ts3
}

test_wait_sb_with_daemon() {
    ic_dbs_start
    zone_start east
    ic_start east
    # --wait=sb returns only when the zone has the switch.
    check ours --wait=sb ts-add ts1
    check_eq ts1 nbctl east --bare --columns=name find Logical_Switch \
        other_config:interconn-ts=ts1
    check ours --wait=sb ts-del ts1
    check_eq "" nbctl east --bare --columns=name list Logical_Switch
    check ours -t 10 --wait=sb sync
    local cfg
    cfg=$(ours get IC_NB_Global . nb_ic_cfg)
    [ "$(ours get IC_NB_Global . sb_ic_cfg)" -ge "$cfg" ] ||
        fail "sb_ic_cfg is behind nb_ic_cfg $cfg after sync"
}

# Against the distribution's older IC-NB schema (no Transit_Switch_Port,
# no Transit_Router, no nb_ic_cfg), commands that do not need what is
# missing do not mention it, and show prints what upstream's tool prints.
test_older_schema_is_quiet() {
    start_debian_db icnb
    quiet init
    quiet ts-add ts1 -- ts-add ts2
    check upstream ts-add ts0
    quiet show > /dev/null
    same_output show
    same_output ts-list
    quiet ts-del ts2
    quiet --may-exist ts-add ts1
    quiet --columns=name,external_ids list Transit_Switch > /dev/null
    quiet get Transit_Switch ts1 name > /dev/null
    quiet set-connection ptcp:6645
    same_output get-connection
    quiet set-ssl key cert ca-cert
    same_output get-ssl
    quiet del-ssl
    check_eq "ts0 ts1" eval 'ours ts-list 2>&1 | sed "s/.*(\(.*\))/\1/" |
        paste -sd" "'
}

# A command that needs what the older schema lacks fails with one line
# that names it, and changes nothing.
test_older_schema_missing_table_says_so_once() {
    start_debian_db icnb
    quiet init
    quiet ts-add ts1
    local suffix="(database needs upgrade?)"
    fails_with "tsp-add: the OVN_IC_Northbound database lacks the \
Transit_Switch_Port table $suffix" tsp-add ts1 p1
    fails_with "tsp-del: the OVN_IC_Northbound database lacks the \
Transit_Switch_Port table $suffix" ts-add ts2 -- tsp-del p1
    fails_with "tr-add: the OVN_IC_Northbound database lacks the \
Transit_Router table $suffix" tr-add tr1
    fails_with "--wait=sb: the IC_NB_Global table of the OVN_IC_Northbound \
database lacks the nb_ic_cfg column $suffix" --wait=sb ts-add ts3
    fails_with "sync: the IC_NB_Global table of the OVN_IC_Northbound \
database lacks the nb_ic_cfg column $suffix" sync
    fails_with "set-ssl: the SSL table of the OVN_IC_Northbound database \
lacks the ssl_ciphersuites column $suffix" \
        set-ssl key cert ca-cert TLSv1.2 HIGH TLS_AES_256_GCM_SHA384
}

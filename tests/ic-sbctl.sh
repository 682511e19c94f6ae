# ovn-ic-sbctl: our tool against real ovsdb-servers, compared with the
# distribution's ovn-ic-sbctl (/usr/bin) wherever both have the command.

CTL=ovn-ic-sbctl
OUR_SBCTL=$TOP_BUILDDIR/utilities/$CTL
CTL_DB_VAR=OVN_IC_SB_DB
CTL_NAME=OVN_IC_Southbound
# shellcheck source=tests/ctl-helpers.sh
. "$TOP_SRCDIR/tests/ctl-helpers.sh"

# sb_start: starts an empty IC-SB with our schema, initialized by our
# tool.
sb_start() {
    start_db icsb "$SCHEMAS/ovn-ic-sb.ovsschema"
    export OVN_IC_SB_DB=unix:$T/icsb.sock
    check ours init
}

# populate: two zones with gateways, encaps and port bindings, including
# ports that show must leave out.
populate() {
    check ours \
        -- --id=@az1 create Availability_Zone name=az1 \
        -- --id=@az2 create Availability_Zone name=az2 \
        -- --id=@az3 create Availability_Zone name=az3 \
        -- --id=@e1 create Encap type=geneve ip=192.0.2.1 gateway_name=gw1 \
        -- --id=@e2 create Encap type=vxlan ip=192.0.2.2 gateway_name=gw1 \
        -- create Gateway name=gw1 availability_zone=@az1 hostname=host1 \
               encaps=@e1,@e2 \
        -- --id=@e3 create Encap type=geneve ip=192.0.2.3 gateway_name=gw0 \
        -- create Gateway name=gw0 availability_zone=@az1 encaps=@e3 \
        -- --id=@e4 create Encap type=geneve ip=198.51.100.1 \
               gateway_name=gw2 \
        -- create Gateway name=gw2 availability_zone=@az2 hostname=host2 \
               encaps=@e4 \
        -- create Port_Binding logical_port=lsp-b transit_switch=ts1 \
               availability_zone=@az1 gateway=gw1 tunnel_key=2 \
               address='"00:00:00:00:00:02 10.0.0.2"' \
        -- create Port_Binding logical_port=lsp-a transit_switch=ts1 \
               availability_zone=@az1 gateway=gw1 tunnel_key=1 \
               address=router \
        -- create Port_Binding logical_port=lsp-c transit_switch=ts2 \
               availability_zone=@az1 gateway=gw0 tunnel_key=1 \
        -- create Port_Binding logical_port=lsp-nogw transit_switch=ts1 \
               availability_zone=@az2 tunnel_key=3 \
        -- create Port_Binding logical_port=lsp-othergw transit_switch=ts1 \
               availability_zone=@az2 gateway=gw1 tunnel_key=4 \
        > /dev/null
}

test_show_matches_upstream() {
    sb_start
    check_eq "" ours show
    populate
    same_output show
    same_output show az1
    same_output show az2
    same_output show az3
    same_output show nope
    same_output show "$(ours get Availability_Zone az2 _uuid)"
    check_eq "availability-zone az1
    gateway gw0
        type: geneve
            ip: 192.0.2.3
        port lsp-c
            transit switch: ts2
            address: [\"\"]
    gateway gw1
        hostname: host1" eval 'ours show az1 | sed -n 1,9p'
    fails_with "'show' command takes at most 1 arguments" show az1 az2
}

test_show_with_daemon_matches_upstream() {
    ic_dbs_start
    zone_start east
    fake_gateway east gw-east 192.0.2.10
    ic_start east
    wait_eq gw-east ours --bare --columns=name find Gateway name=gw-east
    same_output show
    same_output show east
    check_eq "availability-zone east
    gateway gw-east
        hostname: gw-east
        type: geneve
            ip: 192.0.2.10" ours show
}

test_connection_and_ssl_match_upstream() {
    sb_start
    check ours --inactivity-probe=5000 set-connection pssl:6646 ptcp:6647
    same_output get-connection
    check_eq "5000 5000" eval \
        'ours --bare --columns=inactivity_probe list Connection | grep . |
         paste -sd" "'
    check upstream set-connection ptcp:6648
    same_output get-connection
    check ours del-connection
    same_output get-connection
    check_eq "[]" ours get IC_SB_Global . connections

    check ours set-ssl /k.pem /c.pem /ca.pem
    same_output get-ssl
    check ours --bootstrap set-ssl /k.pem /c.pem /ca.pem TLSv1.3
    same_output get-ssl
    check_eq TLSv1.3 ours get SSL . ssl_protocols
    check ours del-ssl
    same_output get-ssl
    check_eq "" ours list SSL
}

test_generic_commands_and_options() {
    sb_start
    populate
    # Rows by name in the tables that have one.
    check_eq host1 ours get Gateway gw1 hostname
    check_eq ts2 ours get Port_Binding lsp-c transit_switch
    check_eq az1 ours get Availability_Zone az1 name
    same_output --columns=name,hostname list Gateway gw1
    same_output --bare --columns=logical_port find Port_Binding \
        transit_switch=ts2

    # Default remote.
    check_eq "$(ours show)" "$OUR_SBCTL" show
    ln -s "$T/icsb.sock" "$T/ovn_ic_sb_db.sock"
    check_eq "$(ours show)" env -u OVN_IC_SB_DB OVN_RUNDIR="$T" \
        "$OUR_SBCTL" show

    # --dry-run commits nothing; failed commands write nothing.
    check ours --dry-run destroy Gateway gw1
    check_eq host1 ours get Gateway gw1 hostname
    fails_with 'no row "nope" in table Gateway' \
        set Gateway gw1 hostname=x -- destroy Gateway nope

    # The southbound tool has no --wait and no sync.
    "$OUR_SBCTL" --wait=sb show > /dev/null 2>&1 &&
        fail "--wait accepted"
    fails_with "unknown command 'sync'; use --help for help" sync
    "$OUR_SBCTL" -V | grep -q "^DB Schema 2.7.0$" || fail "-V"
    "$OUR_SBCTL" --help > "$T/help" || fail "--help"
    grep -q "show \[AZ\]" "$T/help" || fail "--help does not list show"
    grep -q -- "--wait" "$T/help" && fail "--help mentions --wait"
    return 0
}

# Against the distribution's older IC-SB schema (no Port_Binding type, no
# Route options, no nb_ic_cfg, ...), commands that do not need what is
# missing do not mention it, and show prints what upstream's tool prints.
test_older_schema_is_quiet() {
    start_debian_db icsb
    quiet init
    quiet show > /dev/null
    populate
    quiet show > /dev/null
    same_output show
    same_output show az1
    quiet --columns=name,hostname list Gateway > /dev/null
    quiet get Availability_Zone az1 name > /dev/null
    quiet set-connection ptcp:6646
    same_output get-connection
    quiet --bootstrap set-ssl key cert ca-cert TLSv1.2 HIGH
    same_output get-ssl
    check_eq "" ours --bare --columns=logical_port find Port_Binding \
        logical_port=nope
}

# A command that needs a column the older schema lacks fails with one line
# that names it, and changes nothing.
test_older_schema_missing_column_says_so_once() {
    start_debian_db icsb
    quiet init
    fails_with "set-ssl: the SSL table of the OVN_IC_Southbound database \
lacks the ssl_ciphersuites column (database needs upgrade?)" \
        set-ssl key cert ca-cert TLSv1.2 HIGH TLS_AES_256_GCM_SHA384
}

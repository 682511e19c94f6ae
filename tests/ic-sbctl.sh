# ovn-ic-sbctl: our tool against real ovsdb-servers, compared with the
# distribution's ovn-ic-sbctl (/usr/bin) wherever both have the command.

OUR_SBCTL=$TOP_BUILDDIR/utilities/ovn-ic-sbctl
UPSTREAM_SBCTL=${UPSTREAM_SBCTL:-/usr/bin/ovn-ic-sbctl}

# our_sb ARG...: runs our ovn-ic-sbctl against the test's IC-SB.
our_sb() {
    "$OUR_SBCTL" --db="$OVN_IC_SB_DB" "$@"
}

# up_sb ARG...: runs the distribution's ovn-ic-sbctl against it.
up_sb() {
    "$UPSTREAM_SBCTL" --db="$OVN_IC_SB_DB" "$@"
}

# sb_start: starts an empty IC-SB with our schema, initialized by our
# tool.
sb_start() {
    start_db icsb "$SCHEMAS/ovn-ic-sb.ovsschema"
    export OVN_IC_SB_DB=unix:$T/icsb.sock
    check our_sb init
}

# same_output ARG...: ours and upstream's print the same for ARG...
same_output() {
    local ours theirs
    ours=$(our_sb "$@" 2>&1) || fail "ours failed: $* ($ours)"
    theirs=$(up_sb "$@" 2>&1) || fail "upstream failed: $* ($theirs)"
    [ "$ours" = "$theirs" ] ||
        fail "$*: ours [$ours], upstream [$theirs]"
}

# fails_with MESSAGE ARG...: our tool must fail with exactly MESSAGE and
# leave the database as it was.
fails_with() {
    local expected="ovn-ic-sbctl: $1" before after
    shift
    before=$(ovsdb-client dump "$OVN_IC_SB_DB" OVN_IC_Southbound)
    if our_sb "$@" > "$T/out" 2> "$T/err"; then
        fail "$* succeeded, expected: $expected"
    fi
    [ "$(cat "$T/err")" = "$expected" ] ||
        fail "$*: expected error [$expected], got [$(cat "$T/err")]"
    after=$(ovsdb-client dump "$OVN_IC_SB_DB" OVN_IC_Southbound)
    [ "$before" = "$after" ] || fail "$*: the database changed"
}

# populate: two zones with gateways, encaps and port bindings, including
# ports that show must leave out.
populate() {
    check our_sb \
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
    check_eq "" our_sb show
    populate
    same_output show
    same_output show az1
    same_output show az2
    same_output show az3
    same_output show nope
    same_output show "$(our_sb get Availability_Zone az2 _uuid)"
    check_eq "availability-zone az1
    gateway gw0
        type: geneve
            ip: 192.0.2.3
        port lsp-c
            transit switch: ts2
            address: [\"\"]
    gateway gw1
        hostname: host1" eval 'our_sb show az1 | sed -n 1,9p'
    fails_with "'show' command takes at most 1 arguments" show az1 az2
}

test_show_with_daemon_matches_upstream() {
    ic_dbs_start
    zone_start east
    fake_gateway east gw-east 192.0.2.10
    ic_start east
    wait_eq gw-east our_sb --bare --columns=name find Gateway name=gw-east
    same_output show
    same_output show east
    check_eq "availability-zone east
    gateway gw-east
        hostname: gw-east
        type: geneve
            ip: 192.0.2.10" our_sb show
}

test_connection_and_ssl_match_upstream() {
    sb_start
    check our_sb --inactivity-probe=5000 set-connection pssl:6646 ptcp:6647
    same_output get-connection
    check_eq "5000 5000" eval \
        'our_sb --bare --columns=inactivity_probe list Connection | grep . |
         paste -sd" "'
    check up_sb set-connection ptcp:6648
    same_output get-connection
    check our_sb del-connection
    same_output get-connection
    check_eq "[]" our_sb get IC_SB_Global . connections

    check our_sb set-ssl /k.pem /c.pem /ca.pem
    same_output get-ssl
    check our_sb --bootstrap set-ssl /k.pem /c.pem /ca.pem TLSv1.3
    same_output get-ssl
    check_eq TLSv1.3 our_sb get SSL . ssl_protocols
    check our_sb del-ssl
    same_output get-ssl
    check_eq "" our_sb list SSL
}

test_generic_commands_and_options() {
    sb_start
    populate
    # Rows by name in the tables that have one.
    check_eq host1 our_sb get Gateway gw1 hostname
    check_eq ts2 our_sb get Port_Binding lsp-c transit_switch
    check_eq az1 our_sb get Availability_Zone az1 name
    same_output --columns=name,hostname list Gateway gw1
    same_output --bare --columns=logical_port find Port_Binding \
        transit_switch=ts2

    # Default remote.
    check_eq "$(our_sb show)" "$OUR_SBCTL" show
    ln -s "$T/icsb.sock" "$T/ovn_ic_sb_db.sock"
    check_eq "$(our_sb show)" env -u OVN_IC_SB_DB OVN_RUNDIR="$T" \
        "$OUR_SBCTL" show

    # --dry-run commits nothing; failed commands write nothing.
    check our_sb --dry-run destroy Gateway gw1
    check_eq host1 our_sb get Gateway gw1 hostname
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

# Per-zone RBAC on IC-SB: the IC-SB server listens on SSL with the role
# that "ovn-ic-sbctl init-rbac" creates, each zone's daemon authenticates
# with a certificate whose common name is its zone's name, and a rogue
# zone with a valid certificate of its own can write its own rows only.

# pki NAME CA: a key and certificate with common name NAME, signed by CA
# (switch or controller, the two CAs of "ovs-pki init"), in $T/pki.
pki() {
    (cd "$T/pki" && ovs-pki -u -B 2048 --dir="$T/pki" req+sign "$1" "$2" \
        >/dev/null 2>&1) || fail "ovs-pki req+sign $1"
}

# rbac_dbs_start: IC databases, IC-SB on SSL with role ovn-ic, and the
# certificates: east's from the switch CA, west's and rogue's and the
# server's from the controller CA.  The server trusts both CAs.
rbac_dbs_start() {
    ovs-pki -B 2048 --dir="$T/pki" init >/dev/null 2>&1 ||
        fail "ovs-pki init"
    pki east switch
    pki west controller
    pki rogue controller
    pki icsb controller
    cat "$T/pki/switchca/cacert.pem" "$T/pki/controllerca/cacert.pem" \
        > "$T/pki/both-ca.pem"

    start_db icnb "$SCHEMAS/ovn-ic-nb.ovsschema"
    ovsdb-tool create "$T/icsb.db" "$SCHEMAS/ovn-ic-sb.ovsschema" ||
        fail "ovsdb-tool create icsb"
    icsb_serve "$T/pki/both-ca.pem"
    export OVN_IC_NB_DB=unix:$T/icnb.sock OVN_IC_SB_DB=unix:$T/icsb.sock
    check icnbctl init
    check icsbctl init
    check icsbctl init-rbac
    # A fixed port, so that the server can restart on it.
    ICSB_PORT=$(python3 -c 'import socket; s = socket.socket(); \
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    check icsbctl set-connection role=ovn-ic pssl:"$ICSB_PORT":127.0.0.1
    wait_until icsb_port
    ICSB_SSL=ssl:127.0.0.1:$ICSB_PORT
}

# icsb_serve CA-FILE: serves $T/icsb.db on its unix socket and on the
# connections that IC_SB_Global names, with the server's certificate.
icsb_serve() {
    serve_db icsb --remote=db:OVN_IC_Southbound,IC_SB_Global,connections \
        --private-key="$T/pki/icsb-privkey.pem" \
        --certificate="$T/pki/icsb-cert.pem" --ca-cert="$1"
}

# icsb_port: the port IC-SB's SSL connection is bound to.
icsb_port() {
    local port
    port=$(icsbctl --bare --columns=status list Connection |
           sed -n 's/.*bound_port="\{0,1\}\([0-9]*\).*/\1/p')
    [ -n "$port" ] && echo "$port"
}

# ssl_args NAME: a client's SSL options (every client trusts both CAs).
ssl_args() {
    echo "--private-key=$T/pki/$1-privkey.pem" \
        "--certificate=$T/pki/$1-cert.pem" \
        "--ca-cert=$T/pki/both-ca.pem"
}

# rbac_ic_start ZONE: our daemon for ZONE, on IC-SB over SSL with ZONE's
# certificate.
rbac_ic_start() {
    local z=$1
    # shellcheck disable=SC2046
    "$IC_DAEMON" --detach --no-chdir --pidfile="$T/$z-ic.pid" \
        --log-file="$T/$z-ic.log" --unixctl="$T/$z-ic.ctl" \
        --ovnnb-db=unix:"$T/$z-nb.sock" --ovnsb-db=unix:"$T/$z-sb.sock" \
        --ic-nb-db="$OVN_IC_NB_DB" --ic-sb-db="$ICSB_SSL" \
        $(ssl_args "$z") -vconsole:off -vfile:info ||
        fail "cannot start ovn-ic for $z"
}

# rogue OPERATION...: a transaction on IC-SB by the rogue zone, over SSL
# with its own certificate.  Prints the reply.
rogue() {
    local ops
    ops=$(IFS=,; echo "$*")
    # shellcheck disable=SC2046
    ovsdb-client $(ssl_args rogue) transact "$ICSB_SSL" \
        "[\"OVN_IC_Southbound\",$ops]" 2>&1
}

# refused OPERATION...: the rogue's transaction must fail with RBAC's
# permission error.
refused() {
    local out
    out=$(rogue "$@")
    case $out in
        *'"permission error"'*) ;;
        *) fail "not refused: $* (reply: $out)" ;;
    esac
}

# allowed OPERATION...: the rogue's transaction must succeed.
allowed() {
    local out
    out=$(rogue "$@")
    case $out in
        *'"error"'*) fail "refused: $* (reply: $out)" ;;
    esac
    echo "$out"
}

# uuid_of TABLE CONDITION...: the UUID of the IC-SB row that matches.
uuid_of() {
    local t=$1
    shift
    icsbctl --bare --columns=_uuid find "$t" "$@"
}

# rbac_topology: zones east and west over SSL with RBAC, gateways, a router
# each on ts1, route exchange, and a LAN on each router.
rbac_topology() {
    rbac_dbs_start
    local z i=1
    for z in east west; do
        zone_start "$z"
        nbctl "$z" set NB_Global . options:ic-route-adv=true \
            options:ic-route-learn=true
        rbac_ic_start "$z"
        fake_gateway "$z" "gw_$z" "192.168.0.$i"
        i=$((i + 1))
    done
    transit_switch_add ts1 east west
    zone_router east router_east aa:aa:aa:aa:aa:01 169.254.100.1/24 ts1 gw_east
    zone_router west router_west aa:aa:aa:aa:aa:02 169.254.100.2/24 ts1 gw_west
    nbctl east lrp-add router_east lan_east aa:aa:aa:aa:bb:01 10.1.0.1/24
    nbctl west lrp-add router_west lan_west aa:aa:aa:aa:bb:02 10.2.0.1/24
    wait_reference_ports
    wait_until route_learned west router_west 10.1.0.0/24
    wait_until route_learned east router_east 10.2.0.0/24
}

# route_learned ZONE ROUTER PREFIX
route_learned() {
    nbctl "$1" lr-route-list "$2" | grep -q "^ *$3 "
}

test_zones_converge_over_ssl_with_rbac() {
    rbac_topology
    check_eq "Status: active" ic_ctl east status
    check_eq "Status: active" ic_ctl west status
    check_eq gw_east sbctl west get Chassis gw_east hostname
    check_eq gw_west sbctl east get Chassis gw_west hostname
    # The rows carry their zone's name, which RBAC authorized.
    check_eq east icsbctl get Gateway gw_east availability_zone_name
    check_eq west icsbctl get Port_Binding lsp-ts1-router_west \
        availability_zone_name
    [ -n "$(uuid_of Route availability_zone_name=east)" ] ||
        fail "no route of east"
    check_eq "role=\"ovn-ic\" pssl:$ICSB_PORT:127.0.0.1" \
        icsbctl get-connection
    ic_sync
}

test_rogue_zone_refused_on_other_zones_rows() {
    rbac_topology
    local east_az gw pb route az

    east_az=$(uuid_of Availability_Zone name=east)
    gw=$(uuid_of Gateway name=gw_east)
    pb=$(uuid_of Port_Binding logical_port=lsp-ts1-router_east)
    route=$(icsbctl --bare --columns=_uuid,ip_prefix list Route |
            grep -B1 '^10.1.0.1/24$' | head -1)
    [ -n "$east_az" ] && [ -n "$gw" ] && [ -n "$pb" ] && [ -n "$route" ] ||
        fail "east's rows are missing: [$east_az] [$gw] [$pb] [$route]"

    # Another zone's rows: no update, no delete.
    refused '{"op":"update","table":"Gateway","where":[["_uuid","==",["uuid","'"$gw"'"]]],"row":{"hostname":"forged"}}'
    refused '{"op":"delete","table":"Gateway","where":[["_uuid","==",["uuid","'"$gw"'"]]]}'
    refused '{"op":"update","table":"Port_Binding","where":[["_uuid","==",["uuid","'"$pb"'"]]],"row":{"gateway":"gw_rogue"}}'
    refused '{"op":"delete","table":"Port_Binding","where":[["_uuid","==",["uuid","'"$pb"'"]]]}'
    refused '{"op":"update","table":"Route","where":[["_uuid","==",["uuid","'"$route"'"]]],"row":{"nexthop":"169.254.100.9"}}'
    refused '{"op":"delete","table":"Route","where":[["_uuid","==",["uuid","'"$route"'"]]]}'
    refused '{"op":"update","table":"Availability_Zone","where":[["name","==","east"]],"row":{"nb_ic_cfg":99}}'
    refused '{"op":"delete","table":"Availability_Zone","where":[["name","==","east"]]}'
    # A new row in east's name.
    refused '{"op":"insert","table":"Gateway","row":{"name":"gw_fake","hostname":"x","availability_zone":["uuid","'"$east_az"'"],"availability_zone_name":"east","encaps":["named-uuid","e"]}}' \
        '{"op":"insert","table":"Encap","uuid-name":"e","row":{"type":"geneve","ip":"192.168.0.66","gateway_name":"gw_fake","availability_zone_name":"east"}}'
    refused '{"op":"insert","table":"Port_Binding","row":{"logical_port":"p_fake","transit_switch":"ts1","tunnel_key":99,"availability_zone":["uuid","'"$east_az"'"],"availability_zone_name":"east"}}'
    refused '{"op":"insert","table":"Route","row":{"transit_switch":"ts1","ip_prefix":"10.9.0.0/24","nexthop":"169.254.100.1","origin":"connected","availability_zone":["uuid","'"$east_az"'"],"availability_zone_name":"east"}}'
    refused '{"op":"insert","table":"Availability_Zone","row":{"name":"east2"}}'
    # The operator's tables.
    refused '{"op":"insert","table":"RBAC_Role","row":{"name":"mine"}}'
    refused '{"op":"update","table":"Connection","where":[],"row":{"role":""}}'

    # Its own rows work.
    allowed '{"op":"insert","table":"Availability_Zone","row":{"name":"rogue"}}' >/dev/null
    az=$(uuid_of Availability_Zone name=rogue)
    allowed '{"op":"insert","table":"Gateway","row":{"name":"gw_rogue","hostname":"r","availability_zone":["uuid","'"$az"'"],"availability_zone_name":"rogue","encaps":["named-uuid","e"]}}' \
        '{"op":"insert","table":"Encap","uuid-name":"e","row":{"type":"geneve","ip":"192.168.0.9","gateway_name":"gw_rogue","availability_zone_name":"rogue"}}' >/dev/null
    allowed '{"op":"update","table":"Gateway","where":[["name","==","gw_rogue"]],"row":{"hostname":"r2"}}' >/dev/null
    wait_until sbctl west get Chassis gw_rogue hostname
    # ... but it cannot hand them to east.
    refused '{"op":"update","table":"Gateway","where":[["name","==","gw_rogue"]],"row":{"availability_zone_name":"east"}}'
    allowed '{"op":"delete","table":"Gateway","where":[["name","==","gw_rogue"]]}' >/dev/null
    wait_until sh -c "! ovn-sbctl --db=unix:$T/west-sb.sock get Chassis gw_rogue name"
    # (A zone without a daemon would hold up the nb_ic_cfg handshake.)
    allowed '{"op":"delete","table":"Availability_Zone","where":[["name","==","rogue"]]}' >/dev/null

    # A row in its own name that refers to east's zone: RBAC lets it in,
    # and the daemons take it for nobody's: east does not try to delete it
    # (RBAC would refuse, failing east's transactions) and west does not
    # mirror it as east's.
    allowed '{"op":"insert","table":"Gateway","row":{"name":"gw_forged","hostname":"f","availability_zone":["uuid","'"$east_az"'"],"availability_zone_name":"rogue","encaps":["named-uuid","e"]}}' \
        '{"op":"insert","table":"Encap","uuid-name":"e","row":{"type":"geneve","ip":"192.168.0.10","gateway_name":"gw_forged","availability_zone_name":"rogue"}}' >/dev/null
    # A transit router port binding of a port that IC-NB does not have,
    # in the rogue's name: the global writer would withdraw it without
    # RBAC; under RBAC it leaves it alone instead of failing its zone's
    # transactions on a refused delete.
    check icnbctl tr-add tr1
    wait_until icsbctl --bare --columns=_uuid find Datapath_Binding \
        type=transit-router
    allowed '{"op":"insert","table":"Port_Binding","row":{"logical_port":"trp_bogus","transit_switch":"tr1","tunnel_key":7,"type":"transit-router-port","availability_zone":["uuid","'"$east_az"'"],"availability_zone_name":"rogue"}}' >/dev/null
    nbctl east lrp-add router_east lan_east2 aa:aa:aa:aa:bb:03 10.3.0.1/24
    wait_until route_learned west router_west 10.3.0.0/24
    ic_sync
    [ -n "$(uuid_of Port_Binding logical_port=trp_bogus)" ] ||
        fail "the rogue's router port binding went away"
    sbctl west get Chassis gw_forged name >/dev/null 2>&1 &&
        fail "west mirrored the forged gateway"
    [ -n "$(uuid_of Gateway name=gw_forged)" ] ||
        fail "the forged gateway went away"
    check_eq "Status: active" ic_ctl east status
    check_eq gw_east icsbctl get Gateway gw_east hostname
}

test_certificate_rotation_without_restart() {
    rbac_topology
    # East's new certificate comes from the other CA, and the server then
    # trusts only that CA: east can reconnect only with the new one.
    mv "$T/pki/east-privkey.pem" "$T/pki/east-old-privkey.pem"
    mv "$T/pki/east-cert.pem" "$T/pki/east-old-cert.pem"
    rm -f "$T/pki/east-req.pem"
    pki east controller
    stop_pidfile "$T/icsb.pid"
    icsb_serve "$T/pki/controllerca/cacert.pem"
    wait_until icsb_port
    nbctl east lrp-add router_east lan_east2 aa:aa:aa:aa:bb:03 10.3.0.1/24
    wait_until route_learned west router_west 10.3.0.0/24
    ic_sync
    check_eq "Status: active" ic_ctl east status
}

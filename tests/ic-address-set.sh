# Address sets shared between zones (NB_Global options:ic-as-adv and
# ic-as-learn, upstream main): learning other zones' sets, merging one name
# from several zones, a zone's own set winning, invalid addresses left out,
# and advertising the SB sets marked options:ic-adv.  Only a northd newer
# than 26.03 copies that option from NB to SB, so with older ones the
# advertising test writes SB itself, into an SB whose schema has the column,
# and zones that do not exist stand in IC-SB as rows without a daemon.

# schema_has SCHEMA TABLE COLUMN: true if SCHEMA has TABLE.COLUMN.
schema_has() {
    python3 - "$@" <<'PY'
import json, sys
schema, table, column = sys.argv[1:]
t = json.load(open(schema))["tables"].get(table, {})
sys.exit(0 if column in t.get("columns", {}) else 1)
PY
}

# sb_schema_with_options OUT: writes to OUT the SB schema under test with
# Address_Set.options added, if it lacks it.
sb_schema_with_options() {
    python3 - "$OVN_SCHEMAS/ovn-sb.ovsschema" "$1" <<'PY'
import json, sys
src, out = sys.argv[1:]
s = json.load(open(src))
s["tables"]["Address_Set"]["columns"].setdefault("options", {
    "type": {"key": "string", "value": "string",
             "min": 0, "max": "unlimited"}})
json.dump(s, open(out, "w"), indent=1)
PY
}

# zone_start_without_northd ZONE: a zone whose SB has Address_Set.options,
# and no northd: the test writes SB itself.
zone_start_without_northd() {
    local schemas=$T/schemas-$1
    mkdir -p "$schemas"
    cp "$OVN_SCHEMAS/ovn-nb.ovsschema" "$schemas/"
    sb_schema_with_options "$schemas/ovn-sb.ovsschema"
    OVN_SCHEMAS=$schemas zone_start "$1"
    stop_pidfile "$T/$1-northd.pid"
}

# json_strings ITEM...: ITEM... as an OVSDB set of strings.
json_strings() {
    local out="" a
    for a in "$@"; do
        out+="${out:+,}\"$a\""
    done
    echo "[\"set\",[$out]]"
}

# sb_as_put ZONE NAME IC_ADV ADDRESS...: replaces the zone's SB address set
# NAME by one with the ADDRESSes and, unless IC_ADV is "-",
# options:ic-adv=IC_ADV, as northd would write it.
sb_as_put() {
    local z=$1 name=$2 adv=$3 options='["map",[]]'
    shift 3
    [ "$adv" = - ] || options="[\"map\",[[\"ic-adv\",\"$adv\"]]]"
    ovsdb-client transact unix:"$T/$z-sb.sock" "[\"OVN_Southbound\",
        {\"op\": \"delete\", \"table\": \"Address_Set\",
         \"where\": [[\"name\", \"==\", \"$name\"]]},
        {\"op\": \"insert\", \"table\": \"Address_Set\",
         \"row\": {\"name\": \"$name\", \"options\": $options,
                   \"addresses\": $(json_strings "$@")}}]" > /dev/null ||
        fail "cannot write SB address set $name"
}

# sb_as_del ZONE NAME
sb_as_del() {
    ovsdb-client transact unix:"$T/$1-sb.sock" "[\"OVN_Southbound\",
        {\"op\": \"delete\", \"table\": \"Address_Set\",
         \"where\": [[\"name\", \"==\", \"$2\"]]}]" > /dev/null ||
        fail "cannot delete SB address set $2"
}

# fake_az NAME: registers availability zone NAME in IC-SB, with no daemon
# behind it, so far ahead in the --wait=sb handshake that it never holds it
# back.
fake_az() {
    check icsbctl create Availability_Zone name="$1" nb_ic_cfg=1000000 \
        > /dev/null
}

# wait_step_run ZONE RUNS: waits until the zone's daemon ran the
# address-set step more than RUNS times.
wait_step_run() {
    wait_until eval "[ \"\$(step_runs $1 address-set)\" -gt $2 ]"
}

# addrs ADDRESS...: ADDRESS... as a ctl set value.
addrs() {
    [ $# = 0 ] && { echo '[]'; return; }
    local out="" a
    for a in "$@"; do
        out+="${out:+,}\"$a\""
    done
    echo "$out"
}

# isb_as AZ NAME ADDRESS...: publishes (or updates) an address set of
# zone AZ in IC-SB.
isb_as() {
    local az=$1 name=$2 azu uuid
    shift 2
    azu=$(az_uuid "$az")
    uuid=$(icsbctl --bare --columns=_uuid find Address_Set name="$name" \
           availability_zone="$azu")
    if [ -n "$uuid" ]; then
        check icsbctl set Address_Set "$uuid" addresses="$(addrs "$@")"
    else
        check icsbctl create Address_Set name="$name" \
            availability_zone="$azu" addresses="$(addrs "$@")" > /dev/null
    fi
}

# isb_as_del AZ NAME
isb_as_del() {
    check icsbctl --if-exists destroy Address_Set "$(icsbctl --bare \
        --columns=_uuid find Address_Set name="$2" \
        availability_zone="$(az_uuid "$1")")"
}

az_uuid() {
    icsbctl --bare --columns=_uuid find Availability_Zone name="$1"
}

# as_get ZONE NAME COLUMN: a column of the zone's NB address set NAME, bare
# (addresses sorted, space-separated).
as_get() {
    nbctl "$1" --bare --columns="$3" find Address_Set name="$2"
}

# isb_as_get AZ NAME: the addresses of zone AZ's IC-SB address set NAME.
isb_as_get() {
    icsbctl --bare --columns=addresses find Address_Set name="$2" \
        availability_zone="$(az_uuid "$1")"
}

learned_count() {
    count_rows nbctl "$1" find Address_Set external_ids:ic-learnt=true
}

# no_writes_on_recompute ZONE: a forced full pass of ZONE's daemon writes
# nothing.
no_writes_on_recompute() {
    local commits
    commits=$(ic_commits "$1")
    ic_ctl "$1" engine/recompute
    ic_ctl "$1" engine/recompute
    ic_ctl "$1" engine/show > /dev/null
    check_eq "$commits" ic_commits "$1"
}

test_address_sets_learned_from_other_zones() {
    ic_dbs_start
    zone_start east
    zone_start west
    check nbctl east set NB_Global . options:ic-as-learn=true
    ic_start east
    ic_start west
    fake_az north
    fake_az south
    ic_sync

    isb_as north as1 10.0.0.1 10.0.0.2
    isb_as north as2 10.0.2.1
    wait_eq "10.0.0.1 10.0.0.2" as_get east as1 addresses
    check_eq "ic-learnt=true" as_get east as1 external_ids
    wait_eq 10.0.2.1 as_get east as2 addresses
    # West does not learn: ic-as-learn is off by default.
    ic_sync
    check_eq 0 count_rows nbctl west list Address_Set

    # One name from two zones: merged.  Updates and withdrawals.
    isb_as south as1 10.0.0.3 10.0.0.1
    wait_eq "10.0.0.1 10.0.0.2 10.0.0.3" as_get east as1 addresses
    isb_as north as1 10.0.0.4
    wait_eq "10.0.0.1 10.0.0.3 10.0.0.4" as_get east as1 addresses
    isb_as_del north as2
    wait_eq 0 count_rows nbctl east find Address_Set name=as2
    isb_as_del south as1
    wait_eq 10.0.0.4 as_get east as1 addresses
    isb_as north as1
    wait_eq "" as_get east as1 addresses
    check_eq 1 count_rows nbctl east find Address_Set name=as1

    # A zone's own set wins and is never overwritten; once it is gone,
    # the other zones' set of that name is learned.
    check nbctl east create Address_Set name=mine \
        addresses='"192.168.0.1"' > /dev/null
    check icsbctl create Address_Set name=mine \
        availability_zone="$(az_uuid north)" addresses='"192.168.9.9"' -- \
        create Address_Set name=marker availability_zone="$(az_uuid north)" \
        addresses='"192.168.9.1"' > /dev/null
    wait_eq 192.168.9.1 as_get east marker addresses
    check_eq 192.168.0.1 as_get east mine addresses
    check_eq "" as_get east mine external_ids
    check nbctl east destroy Address_Set mine
    wait_eq 192.168.9.9 as_get east mine addresses
    check_eq "ic-learnt=true" as_get east mine external_ids

    # Invalid addresses are left out, the rest learned, and the set listed
    # as a problem until they are gone.
    isb_as north bad 10.0.5.1 not-an-address "10.0.5.2 || 1" \
        2001:db8::/129 aa:bb:cc:dd:ee:ff 2001:db8::5
    wait_eq "10.0.5.1 2001:db8::5 aa:bb:cc:dd:ee:ff" as_get east bad addresses
    ic_ctl east problems/show | grep -q \
        'bad from availability zone north: 3 invalid addresses left out: "10.0.5.2 || 1", "2001:db8::/129", "not-an-address"' ||
        fail "not listed: $(ic_ctl east problems/show)"
    check_eq 1 grep -c 'bad from availability zone north: 3 invalid' \
        "$T/east-ic.log"
    ic_ctl east status/show | grep -q \
        "^address sets: 0 advertised, 4 learned, 3 invalid addresses left out$" ||
        fail "not counted: $(ic_ctl east status/show | grep 'address sets')"
    no_writes_on_recompute east
    isb_as north bad 10.0.5.1 10.0.5.2
    wait_eq "10.0.5.1 10.0.5.2" as_get east bad addresses
    wait_until eval '! ic_ctl east problems/show | grep -q "bad from"'
    grep -q 'bad from availability zone north: resolved' "$T/east-ic.log" ||
        fail "resolution not logged"

    # Learning off deletes the learned sets only; on again learns them.
    check nbctl east create Address_Set name=local addresses='"10.9.9.9"' \
        > /dev/null
    check_eq 4 learned_count east
    check nbctl east set NB_Global . options:ic-as-learn=false
    wait_eq 0 learned_count east
    check_eq 10.9.9.9 as_get east local addresses
    check nbctl east set NB_Global . options:ic-as-learn=true
    wait_eq 4 learned_count east
    check_eq "10.0.5.1 10.0.5.2" as_get east bad addresses
    no_writes_on_recompute east
}

test_address_sets_advertised() {
    ic_dbs_start
    zone_start_without_northd east
    zone_start west
    check nbctl east set NB_Global . options:ic-as-adv=true
    check nbctl west set NB_Global . options:ic-as-learn=true
    local port
    port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    ic_start west
    fake_az north
    ic_sync

    # Only the sets marked options:ic-adv=true are advertised.
    sb_as_put east as1 true 10.1.0.1 10.1.0.2
    sb_as_put east as2 - 10.1.2.1
    sb_as_put east as3 false 10.1.3.1
    wait_eq "10.1.0.1 10.1.0.2" isb_as_get east as1
    check_eq 1 count_rows icsbctl list Address_Set
    wait_eq "10.1.0.1 10.1.0.2" as_get west as1 addresses
    check_eq "ic-learnt=true" as_get west as1 external_ids

    # Updates; marking and unmarking; deleting.
    sb_as_put east as1 true 10.1.0.1 10.1.0.3 10.1.0.4
    wait_eq "10.1.0.1 10.1.0.3 10.1.0.4" isb_as_get east as1
    wait_eq "10.1.0.1 10.1.0.3 10.1.0.4" as_get west as1 addresses
    sb_as_put east as2 true 10.1.2.1
    sb_as_put east as1 false 10.1.0.1
    wait_eq 10.1.2.1 isb_as_get east as2
    wait_eq "" isb_as_get east as1
    wait_eq 0 count_rows nbctl west find Address_Set name=as1
    wait_eq 10.1.2.1 as_get west as2 addresses
    sb_as_del east as2
    wait_eq 0 count_rows icsbctl list Address_Set
    wait_eq 0 learned_count west

    # Two zones advertise one name (IC-SB indexes name and zone together);
    # west, which learns, has a set of another name as its own.
    check nbctl west create Address_Set name=dup addresses='"5.5.5.1"' \
        > /dev/null
    isb_as north shared 7.7.7.1
    sb_as_put east shared true 6.6.6.1 6.6.6.2
    sb_as_put east dup true 5.5.5.2
    wait_eq 5.5.5.2 isb_as_get east dup
    wait_eq "6.6.6.1 6.6.6.2 7.7.7.1" as_get west shared addresses
    check_eq 2 count_rows icsbctl find Address_Set name=shared
    check_eq 5.5.5.1 as_get west dup addresses
    check_eq "" as_get west dup external_ids
    ic_ctl east status/show | grep -q \
        "^address sets: 2 advertised, 0 learned, 0 invalid addresses left out$" ||
        fail "not counted: $(ic_ctl east status/show | grep 'address sets')"
    wait_until eval "curl -s http://127.0.0.1:$port/metrics |
        grep -q '^ovn_ic_address_sets{kind=\"advertised\"} 2$'"
    no_writes_on_recompute east
    no_writes_on_recompute west

    # Advertising off withdraws this zone's sets, and only those.
    check nbctl east set NB_Global . options:ic-as-adv=false
    wait_eq 1 count_rows icsbctl list Address_Set
    wait_eq 7.7.7.1 as_get west shared addresses
    check nbctl east set NB_Global . options:ic-as-adv=true
    wait_eq 3 count_rows icsbctl list Address_Set
    wait_eq "6.6.6.1 6.6.6.2 7.7.7.1" as_get west shared addresses
}

test_address_sets_need_sb_options_to_be_advertised() {
    if schema_has "$OVN_SCHEMAS/ovn-sb.ovsschema" Address_Set options; then
        echo "skipped: this OVN's SB has Address_Set options"
        exit 77
    fi
    ic_dbs_start
    zone_start east
    check nbctl east set NB_Global . options:ic-as-adv=true \
        options:ic-as-learn=true
    check nbctl east create Address_Set name=as1 addresses='"10.1.0.1"' \
        > /dev/null
    ic_start east
    fake_az north
    isb_as north as9 10.9.0.1

    # Nothing to advertise, said once; learning works all the same.
    wait_eq 10.9.0.1 as_get east as9 addresses
    local runs
    runs=$(step_runs east address-set)
    check nbctl east set NB_Global . external_ids:touch=1
    wait_step_run east "$runs"
    check_eq 1 grep -c "no Address_Set options" "$T/east-ic.log"
    check_eq 1 count_rows icsbctl list Address_Set
}

test_address_sets_off_with_ic_sb_before_2_7() {
    ic_dbs_start "$DEBIAN_OVN_SCHEMAS"
    zone_start east
    check nbctl east set NB_Global . options:ic-as-adv=true \
        options:ic-as-learn=true
    ic_start east
    wait_until grep -q "without Address_Set: address-set sync is off" \
        "$T/east-ic.log"
    local runs
    runs=$(step_runs east address-set)
    check nbctl east create Address_Set name=as1 addresses='"10.1.0.1"' \
        > /dev/null
    wait_step_run east "$runs"
    check_eq 1 grep -c "without Address_Set: address-set sync is off" \
        "$T/east-ic.log"
    check_eq "Status: active" ic_ctl east status
    check_eq "" ic_ctl east problems/show
}

# With a northd that copies options:ic-adv (newer than 26.03), the whole
# way: NB -> SB -> IC-SB -> the other zones' NB, in three zones.
test_address_sets_end_to_end_with_northd() {
    if ! schema_has "$OVN_SCHEMAS/ovn-nb.ovsschema" Address_Set options ||
       ! schema_has "$OVN_SCHEMAS/ovn-sb.ovsschema" Address_Set options; then
        echo "skipped: needs an ovn-northd that copies Address_Set options" \
            "(newer than 26.03)"
        exit 77
    fi
    ic_dbs_start
    local z
    for z in az1 az2 az3; do
        zone_start "$z"
    done
    # The sets first: once az3 learned az2's "shared", it could not make
    # its own (NB indexes names).
    check nbctl az1 create Address_Set name=as1 \
        addresses='"1.1.1.1","1.1.1.2"' options:ic-adv=true > /dev/null
    check nbctl az1 create Address_Set name=quiet addresses='"1.1.3.1"' \
        > /dev/null
    check nbctl az2 create Address_Set name=shared addresses='"6.6.6.1"' \
        options:ic-adv=true > /dev/null
    check nbctl az3 create Address_Set name=shared addresses='"7.7.7.1"' \
        options:ic-adv=true > /dev/null
    for z in az1 az2 az3; do
        check nbctl "$z" set NB_Global . options:ic-as-adv=true \
            options:ic-as-learn=true
        ic_start "$z"
    done

    wait_eq "1.1.1.1 1.1.1.2" isb_as_get az1 as1
    for z in az2 az3; do
        wait_eq "1.1.1.1 1.1.1.2" as_get "$z" as1 addresses
        check_eq "ic-learnt=true" as_get "$z" as1 external_ids
    done
    wait_eq "6.6.6.1 7.7.7.1" as_get az1 shared addresses
    check_eq 6.6.6.1 as_get az2 shared addresses
    check_eq 7.7.7.1 as_get az3 shared addresses
    check_eq 0 count_rows icsbctl find Address_Set name=quiet

    check nbctl az1 set Address_Set as1 addresses='"1.1.1.1","1.1.1.3"'
    wait_eq "1.1.1.1 1.1.1.3" as_get az2 as1 addresses
    check nbctl az1 set Address_Set quiet options:ic-adv=true
    wait_eq 1.1.3.1 as_get az3 quiet addresses
    check nbctl az1 set Address_Set as1 options:ic-adv=false
    wait_eq 0 count_rows nbctl az2 find Address_Set name=as1
    for z in az1 az2 az3; do
        no_writes_on_recompute "$z"
    done
}

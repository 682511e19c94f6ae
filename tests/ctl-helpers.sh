# Helpers shared by tests/ic-nbctl.sh and tests/ic-sbctl.sh: our tool
# against the distribution's on one database.  The sourcing file sets
#   CTL       the tool's name, e.g. ovn-ic-nbctl;
#   CTL_DB_VAR the variable holding the database's remote, which
#             ic_dbs_start or the file's own start function sets;
#   CTL_NAME  the database's schema name, for ovsdb-client dump.

# ours ARG...: runs our tool against the test's database.
ours() {
    "$TOP_BUILDDIR/utilities/$CTL" --db="${!CTL_DB_VAR}" "$@"
}

# upstream ARG...: runs the distribution's tool against it.
upstream() {
    "/usr/bin/$CTL" --db="${!CTL_DB_VAR}" "$@"
}

# same_output ARG...: ours and upstream's print the same for ARG...
same_output() {
    local o u
    o=$(ours "$@" 2>&1) || fail "ours failed: $* ($o)"
    u=$(upstream "$@" 2>&1) || fail "upstream failed: $* ($u)"
    [ "$o" = "$u" ] || fail "$*: ours [$o], upstream [$u]"
}

# fails_with MESSAGE ARG...: our tool must fail with exactly MESSAGE on
# stderr, print nothing on stdout, and leave the database as it was.
fails_with() {
    local expected="$CTL: $1" before after
    shift
    before=$(ovsdb-client dump "${!CTL_DB_VAR}" "$CTL_NAME")
    if ours "$@" > "$T/out" 2> "$T/err"; then
        fail "$* succeeded, expected: $expected"
    fi
    [ ! -s "$T/out" ] || fail "$*: unexpected output $(cat "$T/out")"
    [ "$(cat "$T/err")" = "$expected" ] ||
        fail "$*: expected error [$expected], got [$(cat "$T/err")]"
    after=$(ovsdb-client dump "${!CTL_DB_VAR}" "$CTL_NAME")
    [ "$before" = "$after" ] || fail "$*: the database changed"
}

# start_debian_db NAME: starts the database NAME (icnb or icsb) with the
# distribution's older schema, such as Debian 12's OVN 23.03, and points
# CTL_DB_VAR at it.
start_debian_db() {
    start_db "$1" "$DEBIAN_OVN_SCHEMAS/ovn-ic-${1#ic}.ovsschema"
    export "$CTL_DB_VAR=unix:$T/$1.sock"
}

# quiet ARG...: our tool succeeds for ARG... and says nothing on stderr.
# Its output goes to stdout.
quiet() {
    ours "$@" 2> "$T/err" || fail "$* failed: $(cat "$T/err")"
    [ ! -s "$T/err" ] || fail "$*: unexpected stderr [$(cat "$T/err")]"
}

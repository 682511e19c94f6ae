# shellcheck shell=bash
# A second build of the source tree in a directory of its own, with other
# compilers or flags: sourced by tests/check-sanitizers.sh (ASan and UBSan)
# and tests/fuzz/run-fuzz.sh (libFuzzer).
#
#   out_of_tree_configure DIR CONFIGURE-ARGUMENT...
#
# configures the tree into DIR/build (again only when the arguments
# change) and sets OOT_BUILDDIR; "make -C $OOT_BUILDDIR" then builds it.
#
# Where the source tree is not configured in place, DIR/build is an
# ordinary VPATH build of it.  Automake refuses a VPATH build of a tree
# that is configured in place (as tests/check-all.sh configures it), and
# rightly: make would take the in-place objects for the second build's.
# So then the tree's files (those git tracks, and new ones it does not
# ignore) are copied, with their times, into DIR/src, and DIR/build is a
# VPATH build of that copy; a file that did not change keeps its time, so
# the second build stays incremental.
#
# Open vSwitch: the library that the in-place build uses (its Makefile's
# OVS_SRCDIR and OVS_BUILDDIR), uninstrumented; without an in-place build,
# configure's default (it unpacks and builds Open vSwitch under DIR/build).
# OOT_OVS_SOURCE and OOT_OVS_BUILD override both.

OOT_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# oot_source DIR: prints the source tree to configure from.
oot_source() {
    local copy=$1/src
    if [ ! -f "$OOT_SRCDIR/config.status" ]; then
        echo "$OOT_SRCDIR"
        return
    fi
    if ! git -C "$OOT_SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
        echo "$OOT_SRCDIR is configured in place and is not a git" \
             "checkout: run \"make distclean\" there first" >&2
        return 1
    fi
    mkdir -p "$copy"
    (cd "$OOT_SRCDIR" &&
     git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do
         [ -f "$f" ] && printf '%s\0' "$f"
     done | tar --null -T - -cf -) | tar -xpf - -C "$copy" || return 1
    if [ ! -x "$copy/configure" ]; then
        (cd "$copy" && ./boot.sh) >"$1/boot.log" 2>&1 || {
            echo "boot.sh failed in $copy, see $1/boot.log" >&2
            return 1
        }
    fi
    echo "$copy"
}

# oot_ovs_args: prints the --with-ovs-* arguments, one per line.
oot_ovs_args() {
    local src=${OOT_OVS_SOURCE:-} build=${OOT_OVS_BUILD:-}
    if [ -z "$src" ] && [ -f "$OOT_SRCDIR/Makefile" ]; then
        src=$(sed -n 's/^OVS_SRCDIR = //p' "$OOT_SRCDIR/Makefile")
        build=$(sed -n 's/^OVS_BUILDDIR = //p' "$OOT_SRCDIR/Makefile")
    fi
    [ -z "$src" ] || echo "--with-ovs-source=$src"
    [ -z "$build" ] || echo "--with-ovs-build=$build"
}

out_of_tree_configure() {
    local dir=$1 src args stamp
    shift
    mkdir -p "$dir/build" || return 1
    dir=$(cd "$dir" && pwd)
    case $dir/ in
        "$OOT_SRCDIR"/*)
            echo "$dir: must be outside the source tree" >&2
            return 1 ;;
    esac
    src=$(oot_source "$dir") || return 1
    local -a ovs_args
    mapfile -t ovs_args < <(oot_ovs_args)
    args=$(printf '%q ' "$src/configure" "${ovs_args[@]}" "$@")
    stamp=$dir/build/.configure-args
    OOT_BUILDDIR=$dir/build
    if [ -f "$OOT_BUILDDIR/Makefile" ] && [ -f "$stamp" ] &&
       [ "$(cat "$stamp")" = "$args" ]; then
        return 0
    fi
    echo "configuring $OOT_BUILDDIR: $args"
    (cd "$OOT_BUILDDIR" && eval "$args") >"$OOT_BUILDDIR/configure.out" 2>&1 ||
        {
            tail -n 20 "$OOT_BUILDDIR/configure.out" >&2
            echo "configure failed, see $OOT_BUILDDIR/configure.out" >&2
            return 1
        }
    echo "$args" >"$stamp"
}

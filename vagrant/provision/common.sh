# shellcheck shell=bash
# Sourced by the provisioning scripts: the lab library, and packages.

# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=utilities/ovn-ic-lab.sh
. /vagrant/utilities/ovn-ic-lab.sh

# provision_packages PACKAGE...: installs those of PACKAGEs that are
# missing.  A box with everything (vagrant/make-box.sh's) needs no
# network; a stock box gets them from its apt sources.
provision_packages() {
    local p missing=''
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q "install ok installed" || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0
    echo "installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
}

# provision_has_package: true when this project's Debian package is
# installed (the local box has it).
provision_has_package() {
    dpkg-query -W -f='${Status}\n' ovn-interconnect 2>/dev/null |
        grep -q "install ok installed"
}

# debian_mirrors SUITE: prints "URI SUITE" for each of this machine's apt
# sources that serves Debian SUITE's main component for this architecture,
# as apt itself reports them.  Sourced by tests/ic-package.sh and
# vagrant/make-box.sh, which build Debian roots from those sources.
# shellcheck shell=bash
debian_mirrors() {
    local arch
    arch=$(dpkg --print-architecture)
    apt-cache policy | awk -v suite="$1" -v arch="$arch" '
        / Packages$/ { uri = $2; dist = $3; next }
        /^ *release / {
            if (uri != "" && $0 ~ /o=Debian,/ && $0 ~ ",n=" suite &&
                $0 ~ /,c=main,/ && $0 ~ ",b=" arch) {
                sub("/main$", "", dist)
                print uri, dist
            }
            uri = ""
        }' | sort -u
}

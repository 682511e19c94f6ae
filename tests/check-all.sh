#!/bin/sh
# The whole test suite from a fresh clone on Debian 12, as root:
# installs what it needs, builds, and runs "make check".  Ends with a line
# "N passed, M failed".
set -e
cd "$(dirname "$0")/.."
utilities/install-deps.sh
[ -x configure ] || ./boot.sh
[ -f Makefile ] || ./configure --enable-werror
make -j2
make -j2 check

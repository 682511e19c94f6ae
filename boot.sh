#!/bin/sh
# Generates configure and Makefile.in.  Open vSwitch's own tree needs no
# bootstrapping: Debian ships it as a "make dist" tarball.
set -e
autoreconf --install --force

# utilities/: the command-line tools for the IC databases.  Their common
# main loop, options and connection/SSL commands are in a convenience
# library.
noinst_LTLIBRARIES += utilities/libdbctl.la
utilities_libdbctl_la_SOURCES = \
	utilities/dbctl-common.c utilities/dbctl-common.h

bin_PROGRAMS += utilities/ovn-ic-nbctl utilities/ovn-ic-sbctl
utilities_ovn_ic_nbctl_SOURCES = utilities/ovn-ic-nbctl.c
utilities_ovn_ic_nbctl_LDADD = \
	utilities/libdbctl.la lib/libovnic.la $(OVS_LIB)
utilities_ovn_ic_sbctl_SOURCES = utilities/ovn-ic-sbctl.c
utilities_ovn_ic_sbctl_LDADD = \
	utilities/libdbctl.la lib/libovnic.la $(OVS_LIB)

man_MANS += utilities/ovn-ic-nbctl.8 utilities/ovn-ic-sbctl.8
EXTRA_DIST += utilities/ovn-ic-nbctl.8 utilities/ovn-ic-sbctl.8

# The systemd unit runs the daemon in the foreground; the example
# environment file says where the databases are.
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = utilities/ovn-ic.service
utilities/ovn-ic.service: utilities/ovn-ic.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && \
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/utilities/ovn-ic.service.in > $@.tmp && \
	mv $@.tmp $@
CLEANFILES += utilities/ovn-ic.service
dist_pkgdata_DATA += utilities/ovn-ic.default
EXTRA_DIST += utilities/ovn-ic.service.in utilities/ovn-ic-lab.sh \
	utilities/ovn-ic-sandbox utilities/install-deps.sh \
	utilities/debian-mirrors.sh

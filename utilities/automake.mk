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

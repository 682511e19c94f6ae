# ic/: the daemon.  Everything but main() is in a convenience library that
# the tests link too.
noinst_LTLIBRARIES += ic/libic.la
ic_libic_la_SOURCES = \
	ic/condmon.c ic/condmon.h \
	ic/controller.c ic/controller.h \
	ic/engine.c ic/engine.h \
	ic/engine-default.c \
	ic/step.h ic/steps.def \
	ic/options.c ic/options.h \
	ic/route-advertise.c ic/route-advertise.h \
	ic/route-dynamic.c ic/route-dynamic.h \
	ic/route-incremental.c ic/route-incremental.h \
	ic/route-owners.c ic/route-owners.h \
	ic/route-learn.c ic/route-learn.h \
	ic/route-log.h \
	ic/route-overlap.c ic/route-overlap.h \
	ic/route-state.c ic/route-state.h \
	ic/sync-address-set.c ic/sync-address-set.h \
	ic/sync-az.c ic/sync-az.h \
	ic/sync-cfg.c ic/sync-cfg.h \
	ic/sync-datapath.c ic/sync-datapath.h \
	ic/sync-gateway.c ic/sync-gateway.h \
	ic/sync-port.c ic/sync-port.h \
	ic/sync-port-tsp.c ic/sync-port-view.h \
	ic/sync-route.c ic/sync-route.h \
	ic/sync-service-monitor.c ic/sync-service-monitor.h \
	ic/sync-transit-router.c ic/sync-transit-router.h

bin_PROGRAMS += ic/ovn-ic
ic_ovn_ic_SOURCES = ic/ovn-ic.c
ic_ovn_ic_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)

man_MANS += ic/ovn-ic.8
EXTRA_DIST += ic/ovn-ic.8

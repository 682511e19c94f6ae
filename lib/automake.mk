# lib/libovnic.la: generated IDL plus the daemon's pure, unit-tested logic.
noinst_LTLIBRARIES += lib/libovnic.la
lib_libovnic_la_SOURCES = \
	lib/ic-db.c lib/ic-db.h \
	lib/key-alloc.c lib/key-alloc.h \
	lib/metrics.c lib/metrics.h \
	lib/metrics-http.c lib/metrics-http.h \
	lib/problems.c lib/problems.h \
	lib/remote-input.c lib/remote-input.h \
	lib/route-filter.c lib/route-filter.h \
	lib/route-rules.c lib/route-rules.h \
	lib/ts-scope.c lib/ts-scope.h

IDL_SOURCES = \
	lib/ovn-ic-nb-idl.c lib/ovn-ic-nb-idl.h \
	lib/ovn-ic-sb-idl.c lib/ovn-ic-sb-idl.h \
	lib/ovn-nb-idl.c lib/ovn-nb-idl.h \
	lib/ovn-sb-idl.c lib/ovn-sb-idl.h
nodist_lib_libovnic_la_SOURCES = $(IDL_SOURCES)
lib_libovnic_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBEVENT_CFLAGS)
lib_libovnic_la_LIBADD = $(LIBEVENT_LIBS) -lm
BUILT_SOURCES += $(IDL_SOURCES)
CLEANFILES += $(IDL_SOURCES) \
	lib/ovn-ic-nb-idl.ovsidl \
	lib/ovn-ic-sb-idl.ovsidl \
	lib/ovn-nb-idl.ovsidl \
	lib/ovn-sb-idl.ovsidl
# The generated code is not warning-clean under our stricter flags.
lib_libovnic_la_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes -Wno-shadow=local

# IDL generation: schema + annotations -> .ovsidl -> C source and header.
IDLC = env PYTHONPATH=$(OVS_SRCDIR)/python PYTHONDONTWRITEBYTECODE=yes \
	$(PYTHON) $(OVS_SRCDIR)/ovsdb/ovsdb-idlc.in
lib/ovn-ic-nb-idl.ovsidl: ovsdb-schemas/ovn-ic-nb.ovsschema lib/ovn-ic-nb-idl.ann
lib/ovn-ic-sb-idl.ovsidl: ovsdb-schemas/ovn-ic-sb.ovsschema lib/ovn-ic-sb-idl.ann
lib/ovn-nb-idl.ovsidl: ovsdb-schemas/ovn-nb-cv.ovsschema lib/ovn-nb-idl.ann
lib/ovn-sb-idl.ovsidl: ovsdb-schemas/ovn-sb-cv.ovsschema lib/ovn-sb-idl.ann
lib/%-idl.ovsidl:
	$(AM_V_GEN)$(MKDIR_P) lib && $(IDLC) annotate $^ > $@.tmp && mv $@.tmp $@
lib/%-idl.c: lib/%-idl.ovsidl
	$(AM_V_GEN)$(IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
lib/%-idl.h: lib/%-idl.ovsidl
	$(AM_V_GEN)$(IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
EXTRA_DIST += \
	lib/ovn-ic-nb-idl.ann \
	lib/ovn-ic-sb-idl.ann \
	lib/ovn-nb-idl.ann \
	lib/ovn-sb-idl.ann

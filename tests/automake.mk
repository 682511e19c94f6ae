# Tests.  "make check" builds the unit tests and runs the whole suite.
check_PROGRAMS = tests/unit/test-key-alloc tests/unit/test-problems \
	tests/unit/test-route-filter tests/unit/test-route-rules \
	tests/unit/test-remote-input tests/unit/test-ts-scope
tests_unit_test_key_alloc_SOURCES = tests/unit/test-key-alloc.c \
	tests/unit/tap.h
tests_unit_test_key_alloc_LDADD = lib/libovnic.la $(OVS_LIB)
tests_unit_test_problems_SOURCES = tests/unit/test-problems.c \
	tests/unit/tap.h
tests_unit_test_problems_LDADD = lib/libovnic.la $(OVS_LIB)
tests_unit_test_route_filter_SOURCES = tests/unit/test-route-filter.c \
	tests/unit/tap.h
tests_unit_test_route_filter_LDADD = lib/libovnic.la $(OVS_LIB)
tests_unit_test_route_rules_SOURCES = tests/unit/test-route-rules.c \
	tests/unit/tap.h
tests_unit_test_route_rules_LDADD = lib/libovnic.la $(OVS_LIB)
tests_unit_test_remote_input_SOURCES = tests/unit/test-remote-input.c \
	tests/unit/tap.h
tests_unit_test_remote_input_LDADD = lib/libovnic.la $(OVS_LIB)
tests_unit_test_ts_scope_SOURCES = tests/unit/test-ts-scope.c \
	tests/unit/tap.h
tests_unit_test_ts_scope_LDADD = lib/libovnic.la $(OVS_LIB)

EXTRA_DIST += tests/run-tests.sh tests/lib.sh $(wildcard $(srcdir)/tests/*.sh) \
	tests/faults_state.py \
	tests/rogue-zone.py

# TESTS_ARGS selects tests, e.g. make check TESTS_ARGS="-k port".
check-local: all $(check_PROGRAMS)
	TOP_SRCDIR=$(abs_top_srcdir) TOP_BUILDDIR=$(abs_top_builddir) \
	    $(abs_top_srcdir)/tests/run-tests.sh $(TESTS_ARGS)

# The engine, driven through a fake change source.
check_PROGRAMS += tests/unit/test-engine
tests_unit_test_engine_SOURCES = tests/unit/test-engine.c tests/unit/tap.h
tests_unit_test_engine_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)

# The index of routers' static routes, fed monitor updates.
check_PROGRAMS += tests/unit/test-route-owners
tests_unit_test_route_owners_SOURCES = tests/unit/test-route-owners.c \
	tests/unit/tap.h
tests_unit_test_route_owners_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)

# Every sync step is idempotent, against real databases, ovn-northd and a
# second zone's daemon (run as root; see the program's comment).
check_PROGRAMS += tests/unit/test-steps
tests_unit_test_steps_SOURCES = tests/unit/test-steps.c tests/unit/tap.h
tests_unit_test_steps_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)

# The check on other zones' address-set entries.
check_PROGRAMS += tests/unit/test-address-set
tests_unit_test_address_set_SOURCES = tests/unit/test-address-set.c \
	tests/unit/tap.h
tests_unit_test_address_set_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)

# Builds the unit test programs without running anything (for
# tests/check-sanitizers.sh, which runs them under the sanitizers), the
# generated headers first, as "make all" would.
.PHONY: check-programs
check-programs: $(BUILT_SOURCES)
	$(MAKE) $(AM_MAKEFLAGS) $(check_PROGRAMS)

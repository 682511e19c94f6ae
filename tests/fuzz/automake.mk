# tests/fuzz: libFuzzer targets for the parsers of what other zones write
# (see tests/fuzz/run-fuzz.sh, which builds them with clang in a build
# directory of their own and runs them).  The seed corpus and the inputs
# that once crashed a target are data, kept with the sources.
FUZZ_TARGETS = \
	tests/fuzz/fuzz-options \
	tests/fuzz/fuzz-remote-input \
	tests/fuzz/fuzz-route-filter \
	tests/fuzz/fuzz-route-rules
if FUZZING
noinst_PROGRAMS += $(FUZZ_TARGETS)
endif
FUZZ_LINK_FLAGS = -fsanitize=fuzzer
FUZZ_LIBS = ic/libic.la lib/libovnic.la $(OVS_LIB)
tests_fuzz_fuzz_options_SOURCES = tests/fuzz/fuzz-options.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_options_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_options_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_remote_input_SOURCES = tests/fuzz/fuzz-remote-input.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_remote_input_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_remote_input_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_route_filter_SOURCES = tests/fuzz/fuzz-route-filter.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_route_filter_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_route_filter_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_route_rules_SOURCES = tests/fuzz/fuzz-route-rules.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_route_rules_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_route_rules_LDADD = $(FUZZ_LIBS)

# Every build replays the kept inputs of each target, without libFuzzer:
# tests/unit/test-fuzz-TARGET runs them once each (tests/fuzz/replay.c).
FUZZ_REPLAY_DEFS = $(AM_CPPFLAGS) -DABS_TOP_SRCDIR='"$(abs_top_srcdir)"'
check_PROGRAMS += \
	tests/unit/test-fuzz-options \
	tests/unit/test-fuzz-remote-input \
	tests/unit/test-fuzz-route-filter \
	tests/unit/test-fuzz-route-rules
tests_unit_test_fuzz_options_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-options.c
tests_unit_test_fuzz_options_CPPFLAGS = $(FUZZ_REPLAY_DEFS) \
	-DFUZZ_TARGET='"fuzz-options"'
tests_unit_test_fuzz_options_LDADD = $(FUZZ_LIBS)
tests_unit_test_fuzz_remote_input_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-remote-input.c
tests_unit_test_fuzz_remote_input_CPPFLAGS = $(FUZZ_REPLAY_DEFS) \
	-DFUZZ_TARGET='"fuzz-remote-input"'
tests_unit_test_fuzz_remote_input_LDADD = $(FUZZ_LIBS)
tests_unit_test_fuzz_route_filter_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-route-filter.c
tests_unit_test_fuzz_route_filter_CPPFLAGS = $(FUZZ_REPLAY_DEFS) \
	-DFUZZ_TARGET='"fuzz-route-filter"'
tests_unit_test_fuzz_route_filter_LDADD = $(FUZZ_LIBS)
tests_unit_test_fuzz_route_rules_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-route-rules.c
tests_unit_test_fuzz_route_rules_CPPFLAGS = $(FUZZ_REPLAY_DEFS) \
	-DFUZZ_TARGET='"fuzz-route-rules"'
tests_unit_test_fuzz_route_rules_LDADD = $(FUZZ_LIBS)

EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/fuzz.dict \
	$(wildcard $(srcdir)/tests/fuzz/corpus/*/*) \
	$(wildcard $(srcdir)/tests/fuzz/regressions/*/*)

# Builds the generated headers first, as "make all" would, then only the
# targets.
.PHONY: fuzz-targets
fuzz-targets: $(BUILT_SOURCES)
	$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_TARGETS)

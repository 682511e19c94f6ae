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
FUZZ_LDFLAGS = -fsanitize=fuzzer
FUZZ_LDADD = ic/libic.la lib/libovnic.la $(OVS_LIB)
tests_fuzz_fuzz_options_SOURCES = tests/fuzz/fuzz-options.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_options_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_options_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_remote_input_SOURCES = tests/fuzz/fuzz-remote-input.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_remote_input_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_remote_input_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_route_filter_SOURCES = tests/fuzz/fuzz-route-filter.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_route_filter_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_route_filter_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_route_rules_SOURCES = tests/fuzz/fuzz-route-rules.c \
	tests/fuzz/fuzz-util.h
tests_fuzz_fuzz_route_rules_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_route_rules_LDADD = $(FUZZ_LDADD)

EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/fuzz.dict \
	$(wildcard $(srcdir)/tests/fuzz/corpus/*/*) \
	$(wildcard $(srcdir)/tests/fuzz/regressions/*/*)

# Builds the generated headers first, as "make all" would, then only the
# targets.
.PHONY: fuzz-targets
fuzz-targets: $(BUILT_SOURCES)
	$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_TARGETS)

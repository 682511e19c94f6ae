/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H 1

/* Minimal TAP output for the unit tests: one "ok N - name" or "not ok N -
 * name" line per case, which tests/run-tests.sh counts.  tap_done()
 * returns the exit status. */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n;
static int tap_failed;

static inline void
tap_result(bool ok, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
    vprintf(format, args);
    putchar('\n');
    va_end(args);
    tap_failed += !ok;
}

static inline int
tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif /* tests/unit/tap.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* A fuzz target's kept inputs as a unit test, for builds without
 * libFuzzer: linked with one tests/fuzz/fuzz-*.c as
 * tests/unit/test-fuzz-*, it runs every input in
 * tests/fuzz/regressions/TARGET/ and tests/fuzz/corpus/TARGET/ once and
 * prints one TAP line for each.  An input that crashes the target (a
 * property that does not hold aborts) ends the program before its line,
 * which tests/run-tests.sh reports; the input's name is on stderr. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz-util.h"
#include "tests/unit/tap.h"
#include "util.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif

static int
compare_names(const void *a_, const void *b_)
{
    const char *const *a = a_, *const *b = b_;
    return strcmp(*a, *b);
}

/* Runs every file in 'dir' (if there is such a directory), in name order. */
static void
replay_dir(const char *top, const char *kind)
{
    char *dir = xasprintf("%s/tests/fuzz/%s/%s", top, kind, FUZZ_TARGET);
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT) {
            tap_result(false, "%s: cannot open %s", FUZZ_TARGET, dir);
        }
        free(dir);
        return;
    }

    char **names = NULL;
    size_t n = 0, allocated = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] != '.') {
            if (n >= allocated) {
                names = x2nrealloc(names, &allocated, sizeof *names);
            }
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);

    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            tap_result(false, "%s: cannot open %s", FUZZ_TARGET, path);
        } else {
            uint8_t buf[65536];
            size_t size = fread(buf, 1, sizeof buf, f);
            fclose(f);
            fprintf(stderr, "running %s\n", path);
            fflush(stdout);
            LLVMFuzzerTestOneInput(buf, size);
            tap_result(true, "%s: %s/%s", FUZZ_TARGET, kind, names[i]);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
}

int
main(void)
{
    const char *top = getenv("TOP_SRCDIR");
    if (!top || !top[0]) {
        top = ABS_TOP_SRCDIR;
    }
    replay_dir(top, "regressions");
    replay_dir(top, "corpus");
    return tap_done();
}

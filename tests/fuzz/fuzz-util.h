/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H 1

/* What the libFuzzer targets in tests/fuzz share.
 *
 * A target gets an arbitrary byte string.  Most parsers of remote input
 * take one or more C strings, so a target cuts its input at newlines into
 * fields, each a NUL-terminated string (a NUL byte inside a field ends it
 * early, as it would end a string that came out of the IDL).  Missing
 * fields are empty.  The seed corpus in tests/fuzz/corpus/<target>/ is
 * written in that form, one field per line.
 *
 * FUZZ_ASSERT checks a property that must hold for every input; a failed
 * one aborts, which libFuzzer reports as a crash and saves as an input to
 * keep in tests/fuzz/regressions/<target>/. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry point that libFuzzer calls once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_FIELDS 16

struct fuzz_fields {
    char *buf;                          /* One copy of the input. */
    const char *f[FUZZ_MAX_FIELDS];     /* Fields, "" if missing. */
    size_t n;                           /* Fields present in the input. */
};

/* Cuts the 'size' bytes at 'data' into at most 'max' fields (at most
 * FUZZ_MAX_FIELDS) at newlines; the last field takes the rest, newlines
 * included.  Free with fuzz_fields_destroy(). */
static inline void
fuzz_fields_init(struct fuzz_fields *ff, const uint8_t *data, size_t size,
                 size_t max)
{
    if (max > FUZZ_MAX_FIELDS) {
        max = FUZZ_MAX_FIELDS;
    }
    ff->buf = malloc(size + 1);
    if (!ff->buf) {
        abort();
    }
    memcpy(ff->buf, data, size);
    ff->buf[size] = '\0';
    for (size_t i = 0; i < FUZZ_MAX_FIELDS; i++) {
        ff->f[i] = "";
    }

    char *p = ff->buf;
    ff->n = 0;
    while (ff->n < max) {
        ff->f[ff->n++] = p;
        char *nl = ff->n < max ? memchr(p, '\n', ff->buf + size - p) : NULL;
        if (!nl) {
            break;
        }
        *nl = '\0';
        p = nl + 1;
    }
}

static inline void
fuzz_fields_destroy(struct fuzz_fields *ff)
{
    free(ff->buf);
}

#define FUZZ_ASSERT(CONDITION)                                          \
    do {                                                                \
        if (!(CONDITION)) {                                             \
            fprintf(stderr, "%s:%d: property does not hold: %s\n",      \
                    __FILE__, __LINE__, #CONDITION);                    \
            abort();                                                    \
        }                                                               \
    } while (0)

#endif /* tests/fuzz/fuzz-util.h */

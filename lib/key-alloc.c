/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/key-alloc.h"

#include <errno.h>
#include <stdlib.h>

#include "bitmap.h"
#include "util.h"

void
key_space_init(struct key_space *ks, uint32_t min, uint32_t max)
{
    ovs_assert(min > 0 && min <= max);
    ks->min = min;
    ks->max = max;
    ks->used = bitmap_allocate(max - min + 1);
    ks->n_used = 0;
}

void
key_space_destroy(struct key_space *ks)
{
    if (ks) {
        bitmap_free(ks->used);
        ks->used = NULL;
    }
}

bool
key_space_contains(const struct key_space *ks, uint32_t key)
{
    return key >= ks->min && key <= ks->max;
}

bool
key_space_is_used(const struct key_space *ks, uint32_t key)
{
    return key_space_contains(ks, key)
           && bitmap_is_set(ks->used, key - ks->min);
}

/* Marks 'key' as used.  Returns false, changing nothing, if 'key' is outside
 * the range or already used: the caller has found a conflict. */
bool
key_space_reserve(struct key_space *ks, uint32_t key)
{
    if (!key_space_contains(ks, key) || key_space_is_used(ks, key)) {
        return false;
    }
    bitmap_set1(ks->used, key - ks->min);
    ks->n_used++;
    return true;
}

void
key_space_release(struct key_space *ks, uint32_t key)
{
    if (key_space_is_used(ks, key)) {
        bitmap_set0(ks->used, key - ks->min);
        ks->n_used--;
    }
}

/* Allocates and reserves the first free key after '*hint', wrapping around,
 * and stores it in '*hint'.  Returns 0 if the space is exhausted. */
uint32_t
key_space_allocate(struct key_space *ks, uint32_t *hint)
{
    uint32_t n = ks->max - ks->min + 1;
    if (ks->n_used >= n) {
        return 0;
    }

    uint32_t start = key_space_contains(ks, *hint) ? *hint - ks->min + 1 : 0;
    if (start >= n) {
        start = 0;
    }
    size_t ofs = bitmap_scan(ks->used, false, start, n);
    if (ofs == n) {
        ofs = bitmap_scan(ks->used, false, 0, start);
    }
    ovs_assert(ofs < n);

    uint32_t key = ks->min + ofs;
    key_space_reserve(ks, key);
    *hint = key;
    return key;
}

uint32_t
key_space_n_free(const struct key_space *ks)
{
    return ks->max - ks->min + 1 - ks->n_used;
}

/* Parses 's', a tunnel key as a decimal number without sign or garbage, into
 * '*key'.  Returns false if 's' is NULL or not such a number. */
bool
key_parse(const char *s, uint32_t *key)
{
    if (!s || *s < '0' || *s > '9') {
        return false;
    }
    char *end;
    errno = 0;
    unsigned long long int value = strtoull(s, &end, 10);
    if (errno || *end || !value || value > UINT32_MAX) {
        return false;
    }
    *key = value;
    return true;
}

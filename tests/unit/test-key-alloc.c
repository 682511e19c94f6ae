/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of lib/key-alloc. */

#include <config.h>

#include <string.h>

#include "lib/key-alloc.h"
#include "tests/unit/tap.h"
#include "util.h"

struct alloc_case {
    const char *name;
    uint32_t min, max;
    uint32_t used[8];           /* Keys already taken, 0-terminated. */
    uint32_t hint;
    int n;                      /* Number of allocations to check. */
    uint32_t expect[4];         /* Their results; 0 = exhausted. */
};

static const struct alloc_case alloc_cases[] = {
    { "empty space starts at min", 1, 10, {0}, 0, 3, {1, 2, 3} },
    { "starts after the hint", 1, 10, {0}, 5, 3, {6, 7, 8} },
    { "skips used keys", 1, 10, {2, 3, 5}, 1, 3, {4, 6, 7} },
    { "wraps around at max", 1, 5, {1}, 4, 3, {5, 2, 3} },
    { "hint outside range restarts at min", 100, 102, {0}, 7, 2,
      {100, 101} },
    { "exhausts, then returns 0", 1, 3, {2}, 0, 4, {1, 3, 0, 0} },
    { "single-key space", 7, 7, {0}, 7, 2, {7, 0} },
    { "upstream's first DP key", IC_DP_KEY_MIN, IC_DP_KEY_MAX, {0},
      IC_DP_KEY_MIN, 2, {IC_DP_KEY_MIN + 1, IC_DP_KEY_MIN + 2} },
    { "DP space end wraps to its start", IC_DP_KEY_MIN, IC_DP_KEY_MAX,
      {IC_DP_KEY_MIN}, IC_DP_KEY_MAX - 1, 2,
      {IC_DP_KEY_MAX, IC_DP_KEY_MIN + 1} },
};

static void
test_allocate(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(alloc_cases); i++) {
        const struct alloc_case *c = &alloc_cases[i];
        struct key_space ks;
        key_space_init(&ks, c->min, c->max);
        for (size_t j = 0; j < ARRAY_SIZE(c->used) && c->used[j]; j++) {
            key_space_reserve(&ks, c->used[j]);
        }
        uint32_t hint = c->hint;
        bool ok = true;
        for (int j = 0; j < c->n; j++) {
            uint32_t got = key_space_allocate(&ks, &hint);
            if (got != c->expect[j]) {
                printf("# %s: allocation %d gave %u, expected %u\n",
                       c->name, j, got, c->expect[j]);
                ok = false;
                break;
            }
        }
        tap_result(ok, "allocate: %s", c->name);
        key_space_destroy(&ks);
    }
}

static void
test_reserve_and_release(void)
{
    struct key_space ks;
    key_space_init(&ks, 10, 20);
    tap_result(key_space_reserve(&ks, 10), "reserve: a free key");
    tap_result(!key_space_reserve(&ks, 10), "reserve: a used key conflicts");
    tap_result(!key_space_reserve(&ks, 9), "reserve: below the range");
    tap_result(!key_space_reserve(&ks, 21), "reserve: above the range");
    tap_result(key_space_n_free(&ks) == 10, "reserve: counts free keys");
    key_space_release(&ks, 10);
    tap_result(!key_space_is_used(&ks, 10) && key_space_n_free(&ks) == 11,
               "release: frees the key");
    key_space_release(&ks, 15);
    tap_result(key_space_n_free(&ks) == 11, "release: of a free key is a "
               "no-op");
    key_space_destroy(&ks);
}

struct parse_case {
    const char *s;
    bool ok;
    uint32_t key;
};

static const struct parse_case parse_cases[] = {
    { "1", true, 1 },
    { "16711682", true, 16711682 },
    { "4294967295", true, 4294967295u },
    { "4294967296", false, 0 },
    { "0", false, 0 },
    { "", false, 0 },
    { "-1", false, 0 },
    { "+5", false, 0 },
    { " 5", false, 0 },
    { "5x", false, 0 },
    { "0x10", false, 0 },
};

static void
test_parse(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        uint32_t key = 0;
        bool ok = key_parse(c->s, &key);
        tap_result(ok == c->ok && (!ok || key == c->key),
                   "parse: \"%s\" is %s", c->s, c->ok ? "valid" : "invalid");
    }
    uint32_t key;
    tap_result(!key_parse(NULL, &key), "parse: NULL is invalid");
}

int
main(void)
{
    test_allocate();
    test_reserve_and_release();
    test_parse();
    return tap_done();
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef KEY_ALLOC_H
#define KEY_ALLOC_H 1

/* Tunnel key allocation within a closed range [min, max].
 *
 * A key space is built fresh from the keys a database already holds
 * (key_space_reserve()), then hands out free keys (key_space_allocate()).
 * Allocation starts after the 'hint' and wraps around at 'max'.  A caller
 * that starts every pass with a hint of 0 gets the lowest free key, as
 * upstream's ovn-ic hands them out (the daemon's steps do); one that keeps
 * the hint between passes avoids reusing a key freed a moment ago.
 * Nothing here talks to a database. */

#include <stdbool.h>
#include <stdint.h>

/* Interconnection datapath keys, shared by transit switches and routers and
 * disjoint from every zone's own datapath keys. */
#define IC_DP_KEY_MIN 16711681
#define IC_DP_KEY_MAX 16777215

/* Transit switch keys in VXLAN mode, which has 12 bits of datapath key:
 * the part of them above every zone's own keys. */
#define IC_DP_VXLAN_KEY_MIN 1024
#define IC_DP_VXLAN_KEY_MAX 4095

/* Port keys on one transit switch. */
#define IC_PORT_KEY_MIN 1
#define IC_PORT_KEY_MAX 32767

struct key_space {
    uint32_t min;
    uint32_t max;
    unsigned long *used;        /* Bitmap indexed by key - min. */
    uint32_t n_used;
};

void key_space_init(struct key_space *, uint32_t min, uint32_t max);
void key_space_destroy(struct key_space *);

bool key_space_contains(const struct key_space *, uint32_t key);
bool key_space_is_used(const struct key_space *, uint32_t key);
bool key_space_reserve(struct key_space *, uint32_t key);
void key_space_release(struct key_space *, uint32_t key);
uint32_t key_space_allocate(struct key_space *, uint32_t *hint);
uint32_t key_space_n_free(const struct key_space *);

bool key_parse(const char *s, uint32_t *key);

#endif /* lib/key-alloc.h */

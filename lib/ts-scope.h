/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef TS_SCOPE_H
#define TS_SCOPE_H 1

/* Transit switches scoped to zones (an extension of upstream's IC-NB).
 *
 * A transit switch whose other_config has TS_SCOPE_KEY, a comma-separated
 * list of availability zone names ("east,west"), exists only in the zones
 * it names.  A switch without the key is unscoped: it is in every zone, as
 * upstream's are.
 *
 * Two zones share a switch if its scope includes both.  A zone mirrors the
 * gateways of the zones it shares a switch with, and only those; as long
 * as no switch is scoped, every zone shares with every other, so that
 * nothing changes for a deployment that does not use scopes (not even one
 * without any transit switch). */

#include <stdbool.h>
#include <stddef.h>

#include "sset.h"

struct smap;

/* The key in IC-NB Transit_Switch other_config. */
#define TS_SCOPE_KEY "availability-zones"

struct ts_scope {
    bool scoped;                /* False: every zone. */
    struct sset zones;          /* If 'scoped', the zones it names. */
};

/* Parses 'value', a comma-separated list of zone names, into 'scope'.
 * White space around a name is ignored, and so are empty names.  A null
 * 'value' makes an unscoped 'scope'.  Returns false if 'value' is nonnull
 * but names no zone: the scope then includes no zone at all. */
bool ts_scope_parse(struct ts_scope *, const char *value);
bool ts_scope_from_config(struct ts_scope *, const struct smap *other_config);
void ts_scope_destroy(struct ts_scope *);
bool ts_scope_includes(const struct ts_scope *, const char *zone);

/* Every transit switch's scope, to tell which zones share one. */
struct ts_scopes {
    size_t n_unscoped;          /* Switches (and routers) in every zone. */
    struct ts_scope **scoped;   /* Pointers: an sset cannot move. */
    size_t n_scoped, allocated;
};

void ts_scopes_init(struct ts_scopes *);
void ts_scopes_destroy(struct ts_scopes *);

/* Adds a switch whose scope is 'value' (see ts_scope_parse()). */
void ts_scopes_add(struct ts_scopes *, const char *value);

/* True if zones 'a' and 'b' share a transit switch, or no switch is
 * scoped. */
bool ts_scopes_share(const struct ts_scopes *, const char *a, const char *b);

#endif /* lib/ts-scope.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/ts-scope.h"

#include <ctype.h>
#include <string.h>

#include "smap.h"
#include "util.h"

bool
ts_scope_parse(struct ts_scope *scope, const char *value)
{
    sset_init(&scope->zones);
    scope->scoped = value != NULL;
    if (!value) {
        return true;
    }

    const char *p = value;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) {
            end = p + strlen(p);
        }
        const char *start = p;
        while (start < end && isspace((unsigned char) *start)) {
            start++;
        }
        const char *stop = end;
        while (stop > start && isspace((unsigned char) stop[-1])) {
            stop--;
        }
        if (stop > start) {
            char *name = xmemdup0(start, stop - start);
            sset_add(&scope->zones, name);
            free(name);
        }
        p = *end ? end + 1 : end;
    }
    return !sset_is_empty(&scope->zones);
}

bool
ts_scope_from_config(struct ts_scope *scope, const struct smap *other_config)
{
    return ts_scope_parse(scope, smap_get(other_config, TS_SCOPE_KEY));
}

void
ts_scope_destroy(struct ts_scope *scope)
{
    sset_destroy(&scope->zones);
}

bool
ts_scope_includes(const struct ts_scope *scope, const char *zone)
{
    return !scope->scoped || sset_contains(&scope->zones, zone);
}

void
ts_scopes_init(struct ts_scopes *s)
{
    memset(s, 0, sizeof *s);
}

void
ts_scopes_destroy(struct ts_scopes *s)
{
    for (size_t i = 0; i < s->n_scoped; i++) {
        ts_scope_destroy(s->scoped[i]);
        free(s->scoped[i]);
    }
    free(s->scoped);
}

void
ts_scopes_add(struct ts_scopes *s, const char *value)
{
    if (!value) {
        s->n_unscoped++;
        return;
    }
    if (s->n_scoped >= s->allocated) {
        s->scoped = x2nrealloc(s->scoped, &s->allocated, sizeof *s->scoped);
    }
    struct ts_scope *scope = xmalloc(sizeof *scope);
    ts_scope_parse(scope, value);
    s->scoped[s->n_scoped++] = scope;
}

bool
ts_scopes_share(const struct ts_scopes *s, const char *a, const char *b)
{
    if (s->n_unscoped || !s->n_scoped) {
        return true;
    }
    for (size_t i = 0; i < s->n_scoped; i++) {
        if (ts_scope_includes(s->scoped[i], a)
            && ts_scope_includes(s->scoped[i], b)) {
            return true;
        }
    }
    return false;
}

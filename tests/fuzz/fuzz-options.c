/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Fuzz target: the parsers of option values and other strings that come
 * from IC-NB and IC-SB rows: a transit switch's
 * other_config:availability-zones (lib/ts-scope), requested tunnel keys
 * (lib/key-alloc), another zone's address set entries
 * (ic/sync-address-set.c) and the global route deny list options.
 *
 * Input: six fields, one per line (see fuzz-util.h):
 *   1. an availability-zones value;
 *   2. a second one (empty: a switch without the option);
 *   3. a zone name;
 *   4. a tunnel key, as options:requested-tnl-key holds it;
 *   5. an address set entry;
 *   6. "ic-route-denylist" and then, after a tab, "ic-route-blacklist". */

#include <config.h>

#include <ctype.h>
#include <string.h>

#include "ic/sync-address-set.h"
#include "lib/key-alloc.h"
#include "lib/route-filter.h"
#include "lib/ts-scope.h"
#include "smap.h"
#include "sset.h"
#include "tests/fuzz/fuzz-util.h"
#include "util.h"

static void
check_scope(const char *value, const char *zone)
{
    struct ts_scope scope;
    bool names = ts_scope_parse(&scope, value);
    FUZZ_ASSERT(scope.scoped);
    FUZZ_ASSERT(names == !sset_is_empty(&scope.zones));

    const char *name;
    SSET_FOR_EACH (name, &scope.zones) {
        size_t len = strlen(name);
        FUZZ_ASSERT(len && !strchr(name, ','));
        FUZZ_ASSERT(!isspace((unsigned char) name[0])
                    && !isspace((unsigned char) name[len - 1]));
        FUZZ_ASSERT(ts_scope_includes(&scope, name));
    }
    FUZZ_ASSERT(ts_scope_includes(&scope, zone)
                == sset_contains(&scope.zones, zone));
    ts_scope_destroy(&scope);
}

static void
check_scopes(const char *a, const char *b, const char *zone)
{
    struct ts_scopes scopes;
    ts_scopes_init(&scopes);
    ts_scopes_add(&scopes, a);
    ts_scopes_add(&scopes, b[0] ? b : NULL);
    FUZZ_ASSERT(ts_scopes_share(&scopes, zone, a)
                == ts_scopes_share(&scopes, a, zone));
    if (!b[0]) {
        FUZZ_ASSERT(ts_scopes_share(&scopes, zone, a));
    }
    ts_scopes_destroy(&scopes);
}

static void
check_key(const char *s)
{
    uint32_t key;
    if (key_parse(s, &key)) {
        FUZZ_ASSERT(key);
        FUZZ_ASSERT(s[0] && strspn(s, "0123456789") == strlen(s));
    }
}

/* Returns the length of the integer token at the start of 's' as OVN's
 * expression lexer finds its end: letters and digits, colons until a dot,
 * and dots but two in a row. */
static size_t
lexer_token_length(const char *s)
{
    const char *end = s;
    bool saw_dot = false;
    while (isalnum((unsigned char) *end)
           || (*end == ':' && !saw_dot)
           || (*end == '.' && end[1] != '.')) {
        saw_dot = saw_dot || *end == '.';
        end++;
    }
    return end - s;
}

/* An entry that is accepted is copied into NB as is, so it must not carry
 * anything beyond what an address, a mask or an integer is written with,
 * and OVN's lexer must read it as one constant, or one and a mask. */
static void
check_address_set_entry(const char *entry)
{
    if (address_set_entry_is_valid(entry)) {
        FUZZ_ASSERT(entry[0]);
        FUZZ_ASSERT(strspn(entry, "0123456789abcdefABCDEF:./xX")
                    == strlen(entry));
        const char *slash = strchr(entry, '/');
        size_t len = slash ? (size_t) (slash - entry) : strlen(entry);
        FUZZ_ASSERT(lexer_token_length(entry) == len);
        if (slash) {
            FUZZ_ASSERT(lexer_token_length(slash + 1) == strlen(slash + 1));
        }
    }
}

static void
check_denylist(const char *value)
{
    char *copy = xstrdup(value);
    char *tab = strchr(copy, '\t');
    if (tab) {
        *tab = '\0';
    }
    struct smap options = SMAP_INITIALIZER(&options);
    smap_add(&options, "ic-route-denylist", copy);
    if (tab) {
        smap_add(&options, "ic-route-blacklist", tab + 1);
    }
    const char *list = route_global_denylist(&options);
    FUZZ_ASSERT(!list || list[0]);
    if (copy[0]) {
        FUZZ_ASSERT(list && !strcmp(list, copy));
    }

    struct route_prefix_list deny;
    route_prefix_list_init(&deny);
    route_prefix_list_parse(&deny, list);
    route_prefix_list_destroy(&deny);
    smap_destroy(&options);
    free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_fields ff;
    fuzz_fields_init(&ff, data, size, 6);

    check_scope(ff.f[0], ff.f[2]);
    check_scopes(ff.f[0], ff.f[1], ff.f[2]);
    check_key(ff.f[3]);
    check_address_set_entry(ff.f[4]);
    check_denylist(ff.f[5]);

    fuzz_fields_destroy(&ff);
    return 0;
}

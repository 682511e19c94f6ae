/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of lib/ts-scope: transit switches scoped to zones. */

#include <config.h>

#include <string.h>

#include "lib/ts-scope.h"
#include "openvswitch/dynamic-string.h"
#include "tests/unit/tap.h"
#include "util.h"

struct parse_case {
    const char *value;          /* NULL: the key is absent. */
    bool ok;                    /* Names at least one zone (or unscoped). */
    bool scoped;
    const char *zones;          /* The zones, sorted, space-separated. */
};

static const struct parse_case parse_cases[] = {
    { NULL, true, false, "" },
    { "east", true, true, "east" },
    { "east,west", true, true, "east west" },
    { "west,east", true, true, "east west" },
    { " east , west ", true, true, "east west" },
    { "east,,west,", true, true, "east west" },
    { "east,east", true, true, "east" },
    { "\teast ", true, true, "east" },
    { "az 1,az 2", true, true, "az 1 az 2" },
    { "", false, true, "" },
    { ",", false, true, "" },
    { " , ,", false, true, "" },
};

static void
test_parse(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct ts_scope scope;
        bool ok = ts_scope_parse(&scope, c->value);
        struct ds zones = DS_EMPTY_INITIALIZER;
        const char **names = sset_sort(&scope.zones);
        for (size_t j = 0; j < sset_count(&scope.zones); j++) {
            ds_put_format(&zones, "%s%s", j ? " " : "", names[j]);
        }
        free(names);
        tap_result(ok == c->ok && scope.scoped == c->scoped
                   && !strcmp(ds_cstr(&zones), c->zones),
                   "parse \"%s\": %s, %s, [%s]",
                   c->value ? c->value : "(absent)", ok ? "ok" : "no zone",
                   scope.scoped ? "scoped" : "unscoped", ds_cstr(&zones));
        ds_destroy(&zones);
        ts_scope_destroy(&scope);
    }
}

struct includes_case {
    const char *value;
    const char *zone;
    bool includes;
};

static const struct includes_case includes_cases[] = {
    { NULL, "east", true },
    { NULL, "", true },
    { "east,west", "east", true },
    { "east,west", "west", true },
    { "east,west", "north", false },
    { "east,west", "eas", false },
    { "east,west", "East", false },     /* Zone names are exact. */
    { "", "east", false },
};

static void
test_includes(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(includes_cases); i++) {
        const struct includes_case *c = &includes_cases[i];
        struct ts_scope scope;
        ts_scope_parse(&scope, c->value);
        tap_result(ts_scope_includes(&scope, c->zone) == c->includes,
                   "scope \"%s\" %s %s", c->value ? c->value : "(absent)",
                   c->includes ? "includes" : "excludes", c->zone);
        ts_scope_destroy(&scope);
    }
}

/* A set of switches: their scopes, NULL-terminated; ABSENT stands for a
 * switch without the key. */
#define ABSENT "\001"
#define MAX_SWITCHES 4

struct share_case {
    const char *switches[MAX_SWITCHES + 1];
    const char *a, *b;
    bool share;
};

static const struct share_case share_cases[] = {
    /* No switch at all, or none scoped: the full mesh, as upstream. */
    { { NULL }, "east", "west", true },
    { { ABSENT, NULL }, "east", "west", true },
    { { ABSENT, ABSENT, NULL }, "east", "north", true },
    /* Scoped switches only. */
    { { "east,west", NULL }, "east", "west", true },
    { { "east,west", NULL }, "west", "east", true },
    { { "east,west", NULL }, "east", "north", false },
    { { "east,west", NULL }, "north", "south", false },
    { { "east,west", "west,north", NULL }, "east", "north", false },
    { { "east,west", "west,north", NULL }, "west", "north", true },
    { { "east,west", "west,north", NULL }, "north", "west", true },
    { { "east", "north", NULL }, "east", "north", false },
    { { "", NULL }, "east", "west", false },
    /* An unscoped switch shares every zone with every other. */
    { { "east,west", ABSENT, NULL }, "east", "north", true },
    { { ABSENT, "east,west", NULL }, "north", "south", true },
};

static void
test_share(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(share_cases); i++) {
        const struct share_case *c = &share_cases[i];
        struct ts_scopes scopes;
        ts_scopes_init(&scopes);
        struct ds desc = DS_EMPTY_INITIALIZER;
        for (const char *const *sw = c->switches; *sw; sw++) {
            bool absent = !strcmp(*sw, ABSENT);
            ts_scopes_add(&scopes, absent ? NULL : *sw);
            ds_put_format(&desc, "%s[%s]", sw == c->switches ? "" : " ",
                          absent ? "*" : *sw);
        }
        tap_result(ts_scopes_share(&scopes, c->a, c->b) == c->share,
                   "switches {%s}: %s and %s %s", ds_cstr(&desc), c->a,
                   c->b, c->share ? "share" : "do not share");
        ds_destroy(&desc);
        ts_scopes_destroy(&scopes);
    }
}

int
main(void)
{
    test_parse();
    test_includes();
    test_share();
    return tap_done();
}

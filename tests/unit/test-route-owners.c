/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of the index of routers' static routes
 * (ic/route-owners.c): each case feeds a sequence of monitor updates, as
 * the server sends them, and checks what the index holds and the changes
 * it logged for the route step. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ic/route-owners.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "tests/unit/tap.h"
#include "util.h"
#include "uuid.h"

/* Routers R1 and R2 and routes A to D, by one-letter names in the cases. */
#define R1 "00000000-0000-0000-0000-0000000000f1"
#define R2 "00000000-0000-0000-0000-0000000000f2"
#define A "00000000-0000-0000-0000-00000000000a"
#define B "00000000-0000-0000-0000-00000000000b"
#define C "00000000-0000-0000-0000-00000000000c"
#define D "00000000-0000-0000-0000-00000000000d"

#define U(X) "[\"uuid\",\"" X "\"]"
#define SET(...) "[\"set\",[" __VA_ARGS__ "]]"

/* One monitor update, applied before the changes are taken ('take' false)
 * or after (the expected changes are those since the previous take). */
struct update {
    int version;
    bool clear;
    const char *json;
};

struct owners_case {
    const char *name;
    struct update updates[4];
    const char *index;          /* "R1:A,B R2:C" (sorted; empty routers
                                 * omitted). */
    const char *changes;        /* Of the last update: "+A@R1 -B@R2", or
                                 * "reset". */
};

static const struct owners_case cases[] = {
    { "initial rows",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" SET(U(A) "," U(B)) "}},"
                   "\"" R2 "\":{\"initial\":{\"static_routes\":"
                   U(C) "}}}}" } },
      "R1:A,B R2:C", "reset" },
    { "a route added and one removed (update2 diff)",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" SET(U(A) "," U(B)) "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{\"static_routes\":" SET(U(B) "," U(C)) "}}}}" } },
      "R1:A,C", "+C@R1 -B@R1" },
    { "an empty set and a single element",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" SET() "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{\"static_routes\":" U(D) "}}}}" } },
      "R1:D", "+D@R1" },
    { "a modify without the column changes nothing",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" U(A) "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{}}}}" } },
      "R1:A", "" },
    { "a router deleted takes its routes",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" SET(U(A) "," U(B)) "}},"
                   "\"" R2 "\":{\"initial\":{\"static_routes\":"
                   U(C) "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"delete\":null}}}" } },
      "R2:C", "-A@R1 -B@R1" },
    { "a new router with routes",
      { { 3, true, "{\"Logical_Router\":{}}" },
        { 3, false, "{\"Logical_Router\":{\"" R2 "\":{\"insert\":"
                    "{\"static_routes\":" SET(U(A) "," U(D)) "}}}}" } },
      "R2:A,D", "+A@R2 +D@R2" },
    { "a route moved between routers in one transaction",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" SET(U(A) "," U(B)) "}},"
                   "\"" R2 "\":{\"initial\":{\"static_routes\":"
                   SET() "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{\"static_routes\":" U(B) "}},"
                    "\"" R2 "\":{\"modify\":{\"static_routes\":"
                    U(B) "}}}}" } },
      "R1:A R2:B", "+B@R2 -B@R1" },
    { "one route in two routers",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" U(A) "}},"
                   "\"" R2 "\":{\"initial\":{\"static_routes\":"
                   U(A) "}}}}" } },
      "R1:A R2:A", "reset" },
    { "monitor version 1 replaces the whole set",
      { { 1, true, "{\"Logical_Router\":{\"" R1 "\":{\"new\":"
                   "{\"static_routes\":" SET(U(A) "," U(B)) "}}}}" },
        { 1, false, "{\"Logical_Router\":{\"" R1 "\":{\"old\":"
                    "{\"static_routes\":" SET(U(A) "," U(B)) "},"
                    "\"new\":{\"static_routes\":"
                    SET(U(B) "," U(C)) "}}}}" } },
      "R1:B,C", "+C@R1 -A@R1" },
    { "a reload from scratch resets",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" U(A) "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{\"static_routes\":" U(B) "}}}}" },
        { 3, true, "{\"Logical_Router\":{\"" R2 "\":{\"initial\":"
                   "{\"static_routes\":" U(C) "}}}}" } },
      "R2:C", "reset" },
    { "a malformed set is not applied",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" U(A) "}}}}" },
        { 3, false, "{\"Logical_Router\":{\"" R1 "\":{\"modify\":"
                    "{\"static_routes\":[\"set\",[[\"uuid\",\"x\"]]]}}}}" } },
      "R1:A", "" },
    { "other tables are ignored",
      { { 3, true, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
                   "{\"static_routes\":" U(A) "}}},"
                   "\"Logical_Switch\":{\"" R2 "\":{\"initial\":{}}}}" } },
      "R1:A", "reset" },
};

static const char *
short_name(const struct uuid *u)
{
    static const char *const names[][2] = {
        { R1, "R1" }, { R2, "R2" }, { A, "A" }, { B, "B" }, { C, "C" },
        { D, "D" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        struct uuid x;
        if (uuid_from_string(&x, names[i][0]) && uuid_equals(&x, u)) {
            return names[i][1];
        }
    }
    return "?";
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* "R1:A,B R2:C", from the routers' sets. */
static void
format_index(const struct route_owners *ro, struct ds *out)
{
    static const char *const routers[] = { R1, R2 };
    for (size_t i = 0; i < ARRAY_SIZE(routers); i++) {
        struct uuid r;
        uuid_from_string(&r, routers[i]);
        const struct owned_route_set *set = route_owners_of_router(ro, &r);
        const char *names[8];
        size_t n = 0;
        const struct owned_route *o;
        ROUTE_OWNED_FOR_EACH (o, set) {
            if (n < ARRAY_SIZE(names)) {
                names[n++] = short_name(&o->route);
            }
        }
        if (!n) {
            continue;
        }
        qsort(names, n, sizeof *names, compare_strings);
        ds_put_format(out, "%s%s:", out->length ? " " : "",
                      short_name(&r));
        for (size_t j = 0; j < n; j++) {
            ds_put_format(out, "%s%s", j ? "," : "", names[j]);
        }
    }
}

static void
test_case(const struct owners_case *c)
{
    struct route_owners *ro = route_owners_create("unix:/nonexistent");
    struct route_owner_change *changes = NULL;
    size_t n = 0;
    bool reset = false;
    for (size_t i = 0; i < ARRAY_SIZE(c->updates) && c->updates[i].json;
         i++) {
        const struct update *u = &c->updates[i];
        free(route_owners_take_changes(ro, &n, &reset));
        route_owners_apply_for_test(ro, u->json, u->version, u->clear);
    }
    changes = route_owners_take_changes(ro, &n, &reset);

    struct ds index = DS_EMPTY_INITIALIZER;
    format_index(ro, &index);
    struct ds log = DS_EMPTY_INITIALIZER;
    if (reset) {
        ds_put_cstr(&log, "reset");
    }
    /* In the order of the sets' elements, which a hash decides for a
     * router's deletion, and of the routers in one update: sorted. */
    char **entries = xmalloc((n + 1) * sizeof *entries);
    for (size_t i = 0; i < n; i++) {
        entries[i] = xasprintf("%c%s@%s", changes[i].added ? '+' : '-',
                               short_name(&changes[i].route),
                               short_name(&changes[i].router));
    }
    qsort(entries, n, sizeof *entries, compare_strings);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&log, "%s%s", log.length ? " " : "", entries[i]);
        free(entries[i]);
    }
    free(entries);
    tap_result(!strcmp(ds_cstr(&index), c->index)
               && !strcmp(ds_cstr(&log), c->changes),
               "%s: index [%s] (want [%s]), changes [%s] (want [%s])",
               c->name, ds_cstr(&index), c->index, ds_cstr(&log),
               c->changes);
    ds_destroy(&index);
    ds_destroy(&log);
    free(changes);
    route_owners_destroy(ro);
}

/* route_owners_count() across routers. */
static void
test_count(void)
{
    struct route_owners *ro = route_owners_create("unix:/nonexistent");
    route_owners_apply_for_test(
        ro, "{\"Logical_Router\":{\"" R1 "\":{\"initial\":"
        "{\"static_routes\":" SET(U(A) "," U(B)) "}},"
        "\"" R2 "\":{\"initial\":{\"static_routes\":" U(A) "}}}}", 3, true);
    struct uuid a, b, d, r1;
    uuid_from_string(&a, A);
    uuid_from_string(&b, B);
    uuid_from_string(&d, D);
    uuid_from_string(&r1, R1);
    const struct uuid *router;
    tap_result(route_owners_count(ro, &a, &router) == 2 && router,
               "a route in two routers counts 2");
    tap_result(route_owners_count(ro, &b, &router) == 1 && router
               && uuid_equals(router, &r1),
               "a route in one router gives that router");
    tap_result(!route_owners_count(ro, &d, &router) && !router,
               "a route in no router counts 0");
    route_owners_destroy(ro);
}

int
main(void)
{
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        test_case(&cases[i]);
    }
    test_count();
    return tap_done();
}

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/problems.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(problems);

struct problem {
    struct hmap_node node;      /* In problem_set's 'problems'. */
    char *owner;                /* The step that reported it. */
    char *object;               /* What it is about, e.g. "ts1". */
    char *text;
    bool seen;                  /* Reported since problems_begin(). */
    bool refused;               /* A refused row of another zone. */
};

static uint32_t
problem_hash(const char *owner, const char *object)
{
    return hash_string(object, hash_string(owner, 0));
}

static struct problem *
problem_lookup(const struct problem_set *set, const char *owner,
               const char *object)
{
    struct problem *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, problem_hash(owner, object),
                             &set->problems) {
        if (!strcmp(p->owner, owner) && !strcmp(p->object, object)) {
            return p;
        }
    }
    return NULL;
}

static void
problem_free(struct problem *p)
{
    free(p->owner);
    free(p->object);
    free(p->text);
    free(p);
}

void
problems_init(struct problem_set *set)
{
    hmap_init(&set->problems);
}

void
problems_destroy(struct problem_set *set)
{
    if (set) {
        struct problem *p;
        HMAP_FOR_EACH_POP (p, node, &set->problems) {
            problem_free(p);
        }
        hmap_destroy(&set->problems);
    }
}

/* Starts a run of 'owner': its problems are forgotten at problems_end()
 * unless reported again before it. */
void
problems_begin(struct problem_set *set, const char *owner)
{
    struct problem *p;
    HMAP_FOR_EACH (p, node, &set->problems) {
        if (!strcmp(p->owner, owner)) {
            p->seen = false;
        }
    }
}

static void
problems_report_valist(struct problem_set *set, const char *owner,
                       const char *object, bool refused, const char *format,
                       va_list args)
{
    char *text = xvasprintf(format, args);

    struct problem *p = problem_lookup(set, owner, object);
    if (!p) {
        p = xzalloc(sizeof *p);
        p->owner = xstrdup(owner);
        p->object = xstrdup(object);
        hmap_insert(&set->problems, &p->node, problem_hash(owner, object));
    }
    if (!p->text || strcmp(p->text, text)) {
        VLOG_WARN("%s: %s: %s", owner, object, text);
        free(p->text);
        p->text = text;
    } else {
        free(text);
    }
    p->seen = true;
    p->refused = refused;
}

/* Reports that 'owner' has a problem with 'object', described by 'format'.
 * Logs it if it is new or its description changed. */
void
problems_report(struct problem_set *set, const char *owner,
                const char *object, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    problems_report_valist(set, owner, object, false, format, args);
    va_end(args);
}

/* Like problems_report(), for a row that another zone wrote into IC-SB and
 * that 'owner' refuses to copy: problems_count_refused() counts them. */
void
problems_refuse(struct problem_set *set, const char *owner,
                const char *object, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    problems_report_valist(set, owner, object, true, format, args);
    va_end(args);
}

/* Ends a run of 'owner', dropping its problems that were not reported again.
 * Returns the number of problems 'owner' still has. */
size_t
problems_end(struct problem_set *set, const char *owner)
{
    size_t n = 0;
    struct problem *p;
    HMAP_FOR_EACH_SAFE (p, node, &set->problems) {
        if (strcmp(p->owner, owner)) {
            continue;
        }
        if (p->seen) {
            n++;
        } else {
            VLOG_INFO("%s: %s: resolved", owner, p->object);
            hmap_remove(&set->problems, &p->node);
            problem_free(p);
        }
    }
    return n;
}

size_t
problems_count(const struct problem_set *set)
{
    return hmap_count(&set->problems);
}

/* Returns the number of rows of other zones that 'owner' refuses now. */
size_t
problems_count_refused(const struct problem_set *set, const char *owner)
{
    size_t n = 0;
    const struct problem *p;
    HMAP_FOR_EACH (p, node, &set->problems) {
        n += p->refused && !strcmp(p->owner, owner);
    }
    return n;
}

/* Returns the description of 'owner''s problem with 'object', or NULL. */
const char *
problems_find(const struct problem_set *set, const char *owner,
              const char *object)
{
    const struct problem *p = problem_lookup(set, owner, object);
    return p ? p->text : NULL;
}

static int
compare_problems(const void *a_, const void *b_)
{
    const struct problem *const *a = a_;
    const struct problem *const *b = b_;
    int cmp = strcmp((*a)->owner, (*b)->owner);
    return cmp ? cmp : strcmp((*a)->object, (*b)->object);
}

/* Appends one line per problem to 'out', sorted by owner and object. */
void
problems_format(const struct problem_set *set, struct ds *out)
{
    size_t n = hmap_count(&set->problems);
    const struct problem **list = xmalloc(n * sizeof *list + 1);
    size_t i = 0;
    const struct problem *p;
    HMAP_FOR_EACH (p, node, &set->problems) {
        list[i++] = p;
    }
    qsort(list, n, sizeof *list, compare_problems);
    for (i = 0; i < n; i++) {
        ds_put_format(out, "%s: %s: %s\n", list[i]->owner, list[i]->object,
                      list[i]->text);
    }
    free(list);
}

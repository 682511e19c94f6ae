/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef PROBLEMS_H
#define PROBLEMS_H 1

/* Bad input the daemon found and set aside: a transit switch with an invalid
 * name, a requested key another switch holds, an exhausted key space.
 *
 * Each sync step owns the problems it reports.  A step brackets a run with
 * problems_begin() and problems_end(); in between it reports every problem
 * it still sees with problems_report().  A problem is logged once, when it
 * appears or its text changes, and once more when it goes away, so a stuck
 * problem does not flood the log however often the step runs.  The current
 * list is what "ovn-appctl -t ovn-ic status" and the metrics show.
 *
 * A row that another zone wrote into IC-SB and that a step refuses to copy
 * (see lib/remote-input.h) is reported with problems_refuse() instead, so
 * that the metrics count refused rows per step. */

#include <stdbool.h>
#include <stddef.h>

#include "openvswitch/compiler.h"
#include "openvswitch/hmap.h"

struct ds;

struct problem_set {
    struct hmap problems;       /* Contains "struct problem"s. */
};

void problems_init(struct problem_set *);
void problems_destroy(struct problem_set *);

void problems_begin(struct problem_set *, const char *owner);
void problems_report(struct problem_set *, const char *owner,
                     const char *object, const char *format, ...)
    OVS_PRINTF_FORMAT(4, 5);
void problems_refuse(struct problem_set *, const char *owner,
                     const char *object, const char *format, ...)
    OVS_PRINTF_FORMAT(4, 5);
size_t problems_end(struct problem_set *, const char *owner);

size_t problems_count(const struct problem_set *);
size_t problems_count_refused(const struct problem_set *, const char *owner);
const char *problems_find(const struct problem_set *, const char *owner,
                          const char *object);
void problems_format(const struct problem_set *, struct ds *);

#endif /* lib/problems.h */

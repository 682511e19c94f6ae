/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Tests of lib/problems: problems live from one report to the end of the
 * first run of their owner that does not report them again. */

#include <config.h>

#include <string.h>

#include "lib/problems.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "tests/unit/tap.h"

int
main(void)
{
    struct problem_set set;

    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    problems_init(&set);

    problems_begin(&set, "a");
    problems_report(&set, "a", "ts1", "bad %s", "name");
    problems_report(&set, "a", "ts2", "conflict");
    tap_result(problems_end(&set, "a") == 2, "end counts the owner's "
               "problems");

    problems_begin(&set, "b");
    problems_report(&set, "b", "ts1", "other owner");
    problems_end(&set, "b");
    tap_result(problems_count(&set) == 3, "owners keep separate problems");

    problems_begin(&set, "a");
    problems_report(&set, "a", "ts2", "conflict, changed");
    problems_end(&set, "a");
    tap_result(!problems_find(&set, "a", "ts1"),
               "a problem not reported again is resolved");
    tap_result(problems_find(&set, "a", "ts2")
               && !strcmp(problems_find(&set, "a", "ts2"),
                          "conflict, changed"),
               "a problem reported again keeps its newest text");
    tap_result(problems_find(&set, "b", "ts1") != NULL,
               "another owner's run leaves them alone");

    struct ds s = DS_EMPTY_INITIALIZER;
    problems_format(&set, &s);
    tap_result(!strcmp(ds_cstr(&s), "a: ts2: conflict, changed\n"
                                    "b: ts1: other owner\n"),
               "format lists problems sorted by owner and object");
    ds_destroy(&s);

    problems_destroy(&set);
    return tap_done();
}

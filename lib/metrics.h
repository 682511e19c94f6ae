/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef METRICS_H
#define METRICS_H 1

/* Prometheus text exposition (format 0.0.4), built into a string.
 *
 * The main loop renders every metric into a "struct metrics" each time the
 * daemon's state changes; the HTTP thread only ever serves the last
 * rendered text.  A family's HELP and TYPE lines are written once, before
 * its first sample, so samples of one family must be added together. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/dynamic-string.h"

enum metric_type {
    METRIC_GAUGE,
    METRIC_COUNTER,
};

struct metrics {
    struct ds text;
    char *family;               /* Family of the last sample, or NULL. */
};

void metrics_init(struct metrics *);
void metrics_destroy(struct metrics *);
void metrics_clear(struct metrics *);

void metrics_family(struct metrics *, const char *name, enum metric_type,
                    const char *help);
void metrics_sample(struct metrics *, const char *name,
                    const char *label_name, const char *label_value,
                    double value);
void metrics_sample2(struct metrics *, const char *name,
                     const char *label1, const char *value1,
                     const char *label2, const char *value2, double value);

#endif /* lib/metrics.h */

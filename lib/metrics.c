/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
metrics_init(struct metrics *m)
{
    ds_init(&m->text);
    m->family = NULL;
}

void
metrics_destroy(struct metrics *m)
{
    if (m) {
        ds_destroy(&m->text);
        free(m->family);
        m->family = NULL;
    }
}

void
metrics_clear(struct metrics *m)
{
    ds_clear(&m->text);
    free(m->family);
    m->family = NULL;
}

/* Starts the family 'name': writes its HELP and TYPE lines. */
void
metrics_family(struct metrics *m, const char *name, enum metric_type type,
               const char *help)
{
    ds_put_format(&m->text, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                  type == METRIC_COUNTER ? "counter" : "gauge");
    free(m->family);
    m->family = xstrdup(name);
}

/* Appends one label value, escaped as the format requires. */
static void
put_label_value(struct ds *out, const char *value)
{
    for (const char *p = value; *p; p++) {
        switch (*p) {
        case '\\':
            ds_put_cstr(out, "\\\\");
            break;
        case '"':
            ds_put_cstr(out, "\\\"");
            break;
        case '\n':
            ds_put_cstr(out, "\\n");
            break;
        default:
            ds_put_char(out, *p);
        }
    }
}

static void
put_value(struct ds *out, double value)
{
    if (value == floor(value) && fabs(value) < 1e15) {
        ds_put_format(out, " %.0f\n", value);
    } else {
        ds_put_format(out, " %.6g\n", value);
    }
}

/* Adds a sample of family 'name' with up to two labels (a NULL label name
 * ends the list).  The family must be the one started last. */
void
metrics_sample2(struct metrics *m, const char *name,
                const char *label1, const char *value1,
                const char *label2, const char *value2, double value)
{
    ovs_assert(m->family && !strcmp(m->family, name));
    ds_put_cstr(&m->text, name);
    if (label1) {
        ds_put_format(&m->text, "{%s=\"", label1);
        put_label_value(&m->text, value1);
        if (label2) {
            ds_put_format(&m->text, "\",%s=\"", label2);
            put_label_value(&m->text, value2);
        }
        ds_put_cstr(&m->text, "\"}");
    }
    put_value(&m->text, value);
}

/* Adds a sample of family 'name' with at most one label ('label_name' may
 * be NULL). */
void
metrics_sample(struct metrics *m, const char *name, const char *label_name,
               const char *label_value, double value)
{
    metrics_sample2(m, name, label_name, label_value, NULL, NULL, value);
}

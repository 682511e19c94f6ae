/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* The engine over the daemon's own steps, those of ic/steps.def: creating
 * it, and drawing their inputs as a graph (--dump-inc-proc-graph). */

#include <config.h>

#include "ic/engine.h"

#include <string.h>

#include "ic/step.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl-provider.h"
#include "util.h"

/* The steps of ic/steps.def, in order. */
static const struct ic_step *const default_steps[] = {
#define IC_STEP(NAME) &NAME,
#include "ic/steps.def"
#undef IC_STEP
};

/* Creates an engine over the steps of ic/steps.def. */
struct ic_engine *
ic_engine_create_default(const struct ic_engine_io *io,
                         struct problem_set *problems)
{
    return ic_engine_create(default_steps, ARRAY_SIZE(default_steps), io,
                            problems);
}

/* Writes to 'ds' the steps of ic/steps.def and the tables they read as a
 * Graphviz "dot" digraph: an edge from each table to every step it makes
 * run.  With 'node' (a step's name, or a table's as "DB_Table"), only the
 * part of the graph that node depends on.  Returns false, writing nothing,
 * if there is no such node. */
bool
ic_engine_dump_graph(const char *node, struct ds *ds)
{
    const struct ic_step *only = NULL;
    bool node_is_table = false;
    for (size_t i = 0; node && i < ARRAY_SIZE(default_steps); i++) {
        const struct ic_step *step = default_steps[i];
        if (!strcmp(step->name, node)) {
            only = step;
        }
        for (size_t j = 0; j < ic_step_n_reads(step); j++) {
            char *name = xasprintf("%s_%s",
                                   ic_db_id_name(step->reads[j].db),
                                   step->reads[j].table->name);
            node_is_table = node_is_table || !strcmp(name, node);
            free(name);
        }
    }
    if (node && !only && !node_is_table) {
        return false;
    }

    ds_put_cstr(ds, "digraph \"ovn-ic\" {\n    rankdir=LR;\n");
    if (node_is_table) {
        ds_put_format(ds, "    \"%s\" [shape=box];\n", node);
    }
    for (size_t i = 0; !node_is_table && i < ARRAY_SIZE(default_steps);
         i++) {
        const struct ic_step *step = default_steps[i];
        if (only && step != only) {
            continue;
        }
        ds_put_format(ds, "    \"%s\" [shape=ellipse];\n", step->name);
        for (size_t j = 0; j < ic_step_n_reads(step); j++) {
            ds_put_format(ds, "    \"%s_%s\" [shape=box];\n"
                          "    \"%s_%s\" -> \"%s\";\n",
                          ic_db_id_name(step->reads[j].db),
                          step->reads[j].table->name,
                          ic_db_id_name(step->reads[j].db),
                          step->reads[j].table->name, step->name);
        }
    }
    ds_put_cstr(ds, "}\n");
    return true;
}

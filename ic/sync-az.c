/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-az.h"

#include <string.h>

#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_az);

void
sync_az_init(struct sync_az *az)
{
    az->name = NULL;
}

void
sync_az_destroy(struct sync_az *az)
{
    free(az->name);
    az->name = NULL;
}

static const struct icsbrec_availability_zone *
find_az(struct ovsdb_idl *icsb_idl, const char *name)
{
    const struct icsbrec_availability_zone *az;
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (az, icsb_idl) {
        if (!strcmp(az->name, name)) {
            return az;
        }
    }
    return NULL;
}

/* Returns this zone's AZ row, or NULL while the zone has no name. */
const struct icsbrec_availability_zone *
sync_az_get(const struct sync_az *az, struct ovsdb_idl *icsb_idl)
{
    return az->name ? find_az(icsb_idl, az->name) : NULL;
}

/* Returns 'az''s name for messages, or "(none)" for a row without a zone
 * (a reference another writer left dangling). */
const char *
az_name(const struct icsbrec_availability_zone *az)
{
    return az ? az->name : "(none)";
}

static void
set_name(struct sync_az *az, const char *name)
{
    free(az->name);
    az->name = name && name[0] ? xstrdup(name) : NULL;
}

/* Registers, renames or removes this zone's AZ.  Returns true (the step never
 * waits on anyone). */
bool
sync_az_run(struct sync_az *az, const struct sync_az_ctx *ctx)
{
    const char *name = ctx->nb_global ? ctx->nb_global->name : "";

    problems_begin(ctx->problems, "az");
    if (!name[0]) {
        if (az->name) {
            const struct icsbrec_availability_zone *old
                = find_az(ctx->icsb_idl, az->name);
            if (old) {
                VLOG_INFO("NB_Global.name cleared: removing availability "
                          "zone %s", az->name);
                icsbrec_availability_zone_delete(old);
            }
            set_name(az, NULL);
        }
        problems_end(ctx->problems, "az");
        return true;
    }

    const struct icsbrec_availability_zone *row
        = find_az(ctx->icsb_idl, name);
    if (!row && az->name && strcmp(az->name, name)) {
        const struct icsbrec_availability_zone *old
            = find_az(ctx->icsb_idl, az->name);
        if (old) {
            VLOG_INFO("renaming availability zone %s to %s", az->name, name);
            icsbrec_availability_zone_set_name(old, name);
            row = old;
        }
    } else if (row && az->name && strcmp(az->name, name)) {
        /* Both names exist: another zone already uses the new name, or an
         * earlier rename was half done.  Use the row that has the name and
         * leave the old one for the operator to judge. */
        problems_report(ctx->problems, "az", name,
                        "renamed from %s, but an availability zone named %s "
                        "already exists; using it and leaving %s in place",
                        az->name, name, az->name);
    }
    if (!row) {
        VLOG_INFO("registering availability zone %s", name);
        row = icsbrec_availability_zone_insert(ctx->icsb_txn);
        icsbrec_availability_zone_set_name(row, name);
    }
    set_name(az, name);
    problems_end(ctx->problems, "az");
    return true;
}

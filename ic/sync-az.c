/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-az.h"

#include "ic/step.h"

#include <string.h>

#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl-provider.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(sync_az);

/* What the step remembers between runs. */
struct sync_az {
    char *name;                 /* Name registered last, or NULL. */
};

static void *
sync_az_create(void)
{
    return xzalloc(sizeof(struct sync_az));
}

static void
sync_az_destroy(void *az_)
{
    struct sync_az *az = az_;
    if (az) {
        free(az->name);
        free(az);
    }
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
static const struct icsbrec_availability_zone *
sync_az_find(void *az_, struct ovsdb_idl *icsb_idl)
{
    const struct sync_az *az = az_;
    return az->name ? find_az(icsb_idl, az->name) : NULL;
}

/* Returns 'az''s name for messages, or "(none)" for a row without a zone
 * (a reference another writer left dangling). */
const char *
az_name(const struct icsbrec_availability_zone *az)
{
    return az ? az->name : "(none)";
}

const struct icsbrec_availability_zone *
row_zone(const struct icsbrec_availability_zone *az, const char *name)
{
    return az && name && name[0] && strcmp(name, az->name) ? NULL : az;
}

/* Writes 'name' to the string column 'column' of 'row', if the server has
 * the column. */
static void
write_zone_name(const struct ovsdb_idl_row *row,
                const struct ovsdb_idl_column *column, const char *name)
{
    if (ovsdb_idl_server_has_column(row->table->idl, column)) {
        union ovsdb_atom *atom = xmalloc(sizeof *atom);
        atom->s = ovsdb_atom_string_create(name);
        struct ovsdb_datum datum = { .n = 1, .keys = atom };
        ovsdb_idl_txn_write(row, column, &datum);
    }
}

void
row_set_zone_name(const struct ovsdb_idl_row *row,
                  const struct ovsdb_idl_column *column,
                  const struct icsbrec_availability_zone *az)
{
    write_zone_name(row, column, az->name);
}

/* When zone 'az' is renamed from 'old' to 'new', its rows that carry the
 * old name in availability_zone_name get the new one, in the same
 * transaction, so that they stay the zone's (see row_zone()).  Rows that
 * carry another name are not the zone's and are left alone.  (Under RBAC
 * a rename needs a certificate with the new name, and RBAC refuses both
 * this and the rename itself: see README.md.) */
static void
rename_rows(struct ovsdb_idl *icsb,
            const struct icsbrec_availability_zone *az,
            const char *old, const char *new)
{
    const struct icsbrec_gateway *gw;
    ICSBREC_GATEWAY_FOR_EACH (gw, icsb) {
        if (gw->availability_zone != az) {
            continue;
        }
        if (!strcmp(gw->availability_zone_name, old)) {
            write_zone_name(&gw->header_,
                            &icsbrec_gateway_col_availability_zone_name, new);
        }
        for (size_t i = 0; i < gw->n_encaps; i++) {
            const struct icsbrec_encap *e = gw->encaps[i];
            if (!strcmp(e->availability_zone_name, old)) {
                write_zone_name(&e->header_,
                                &icsbrec_encap_col_availability_zone_name,
                                new);
            }
        }
    }

    /* The tables whose rows refer to their zone directly. */
    static const struct {
        const struct ovsdb_idl_table_class *table;
        const struct ovsdb_idl_column *az;
        const struct ovsdb_idl_column *name;
    } tables[] = {
        { &icsbrec_table_port_binding,
          &icsbrec_port_binding_col_availability_zone,
          &icsbrec_port_binding_col_availability_zone_name },
        { &icsbrec_table_route, &icsbrec_route_col_availability_zone,
          &icsbrec_route_col_availability_zone_name },
        { &icsbrec_table_address_set,
          &icsbrec_address_set_col_availability_zone,
          &icsbrec_address_set_col_availability_zone_name },
    };
    for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
        for (const struct ovsdb_idl_row *row
                 = ovsdb_idl_first_row(icsb, tables[i].table);
             row; row = ovsdb_idl_next_row(row)) {
            const struct ovsdb_datum *ref = ovsdb_idl_read(row,
                                                           tables[i].az);
            const struct ovsdb_datum *name = ovsdb_idl_read(row,
                                                            tables[i].name);
            if (ref->n && uuid_equals(&ref->keys[0].uuid, &az->header_.uuid)
                && name->n && !strcmp(json_string(name->keys[0].s), old)) {
                write_zone_name(row, tables[i].name, new);
            }
        }
    }
}

static void
set_name(struct sync_az *az, const char *name)
{
    free(az->name);
    az->name = name && name[0] ? xstrdup(name) : NULL;
}

/* Registers, renames or removes this zone's AZ.  Returns true (the step never
 * waits on anyone). */
static bool
sync_az_run(struct ic_step_ctx *ctx)
{
    struct sync_az *az = ic_step_state(ctx);
    struct ovsdb_idl *icsb_idl = ic_step_idl(ctx, IC_DB_ICSB);
    const struct nbrec_nb_global *nb_global
        = nbrec_nb_global_first(ic_step_idl(ctx, IC_DB_NB));
    const char *name = nb_global ? nb_global->name : "";

    problems_begin(ctx->problems, "az");
    if (!name[0]) {
        if (az->name) {
            const struct icsbrec_availability_zone *old
                = find_az(icsb_idl, az->name);
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
        = find_az(icsb_idl, name);
    if (!row && az->name && strcmp(az->name, name)) {
        const struct icsbrec_availability_zone *old
            = find_az(icsb_idl, az->name);
        if (old) {
            VLOG_INFO("renaming availability zone %s to %s", az->name, name);
            icsbrec_availability_zone_set_name(old, name);
            rename_rows(icsb_idl, old, az->name, name);
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
        row = icsbrec_availability_zone_insert(
            ic_step_txn(ctx, IC_DB_ICSB));
        icsbrec_availability_zone_set_name(row, name);
    }
    set_name(az, name);
    problems_end(ctx->problems, "az");
    return true;
}

const struct ic_step sync_az_step = {
    .name = "az",
    .description = "register this zone in IC-SB",
    .reads = {
        { IC_DB_NB, &nbrec_table_nb_global },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
    },
    .writes = {
        { IC_DB_ICSB, &icsbrec_table_availability_zone },
        /* A rename renames the zone's rows too (see rename_rows()). */
        { IC_DB_ICSB, &icsbrec_table_gateway,
          { &icsbrec_gateway_col_availability_zone_name } },
        { IC_DB_ICSB, &icsbrec_table_encap,
          { &icsbrec_encap_col_availability_zone_name } },
        { IC_DB_ICSB, &icsbrec_table_port_binding,
          { &icsbrec_port_binding_col_availability_zone_name } },
        { IC_DB_ICSB, &icsbrec_table_route,
          { &icsbrec_route_col_availability_zone_name } },
        { IC_DB_ICSB, &icsbrec_table_address_set,
          { &icsbrec_address_set_col_availability_zone_name } },
    },
    .create = sync_az_create,
    .destroy = sync_az_destroy,
    .run = sync_az_run,
    .find_az = sync_az_find,
};

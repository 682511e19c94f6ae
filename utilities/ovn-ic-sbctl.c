/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "lib/ovn-ic-sb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "utilities/dbctl-common.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ic_sbctl);

static const char commands_usage[] = "\
General commands:\n\
  init                        initialize the database\n\
  init-rbac [ROLE]            create (or reset) the RBAC role ROLE (default\n\
                              \"ovn-ic\") that confines each zone to its rows\n\
  show [AZ]                   print the availability zones (or only AZ),\n\
                              their gateways and the ports bound to them\n\
";

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* The common main() creates IC_SB_Global if it is missing. */
}

/* Per-zone RBAC.
 *
 * A connection with a role (set-connection role=ovn-ic pssl:...) lets a
 * client authenticated by a certificate whose common name is a zone's name
 * write only the rows that RBAC authorizes for that name: for each table,
 * a row is the zone's if one of the 'authorization' columns holds the
 * name.  ovsdb-server checks inserts and deletes against the row itself
 * and updates against the row as it was, and an update may change only the
 * columns that the permission's 'update' lists: every column of the table
 * but the authorization columns, so that no zone can hand its row to
 * another name.  A table without a permission is read-only.
 *
 * Datapath_Binding and IC_SB_Global belong to the global writer, which is
 * whichever zone's daemon holds the IC-SB lock, so every zone may write
 * them: all of Datapath_Binding, and nothing but IC_SB_Global's nb_ic_cfg
 * (the row itself is the operator's).  Connection, SSL and the RBAC tables
 * are the operator's alone. */
struct rbac_rule {
    const struct ovsdb_idl_table_class *table;
    const char *authorization[2];   /* "" authorizes every client. */
    bool insert_delete;
    const char *only_update;        /* The one updatable column, or NULL
                                     * for all but the authorization
                                     * columns. */
};

static const struct rbac_rule rbac_rules[] = {
    { &icsbrec_table_availability_zone, { "name" }, true, NULL },
    { &icsbrec_table_gateway, { "availability_zone_name" }, true, NULL },
    { &icsbrec_table_encap, { "availability_zone_name" }, true, NULL },
    { &icsbrec_table_port_binding, { "availability_zone_name" }, true, NULL },
    { &icsbrec_table_route, { "availability_zone_name" }, true, NULL },
    { &icsbrec_table_address_set, { "availability_zone_name" }, true, NULL },
    /* The source zone publishes a monitor; the target zone writes its
     * status. */
    { &icsbrec_table_service_monitor,
      { "source_availability_zone", "target_availability_zone" }, true,
      NULL },
    { &icsbrec_table_datapath_binding, { "" }, true, NULL },
    { &icsbrec_table_ic_sb_global, { "" }, false, "nb_ic_cfg" },
};

static void
pre_cmd_init_rbac(struct ctl_context *ctx)
{
    dbctl_require_table(ctx, &icsbrec_table_rbac_role);
    dbctl_require_table(ctx, &icsbrec_table_rbac_permission);
    dbctl_require_column(ctx, &icsbrec_connection_col_role);
}

static bool
rbac_rule_authorizes(const struct rbac_rule *rule, const char *column)
{
    for (size_t i = 0; i < ARRAY_SIZE(rule->authorization); i++) {
        if (rule->authorization[i]
            && !strcmp(rule->authorization[i], column)) {
            return true;
        }
    }
    return false;
}

static struct icsbrec_rbac_permission *
rbac_permission_insert(struct ctl_context *ctx, const struct rbac_rule *rule)
{
    struct icsbrec_rbac_permission *perm
        = icsbrec_rbac_permission_insert(ctx->txn);
    icsbrec_rbac_permission_set_table(perm, rule->table->name);

    const char *authorization[ARRAY_SIZE(rule->authorization)];
    size_t n_authorization = 0;
    for (size_t i = 0; i < ARRAY_SIZE(rule->authorization); i++) {
        if (rule->authorization[i]) {
            authorization[n_authorization++] = rule->authorization[i];
        }
    }
    icsbrec_rbac_permission_set_authorization(perm, authorization,
                                              n_authorization);
    icsbrec_rbac_permission_set_insert_delete(perm, rule->insert_delete);

    const char **update = xmalloc(rule->table->n_columns * sizeof *update);
    size_t n_update = 0;
    if (rule->only_update) {
        update[n_update++] = rule->only_update;
    } else {
        for (size_t i = 0; i < rule->table->n_columns; i++) {
            const char *column = rule->table->columns[i].name;
            if (!rbac_rule_authorizes(rule, column)) {
                update[n_update++] = column;
            }
        }
    }
    icsbrec_rbac_permission_set_update(perm, update, n_update);
    free(update);
    return perm;
}

/* Creates the RBAC role (default "ovn-ic") with the permissions above,
 * replacing a role of that name and its permissions.  The daemons cannot do
 * it themselves (RBAC keeps a zone's daemon off the RBAC tables), so it is
 * the operator's, like set-connection. */
static void
cmd_init_rbac(struct ctl_context *ctx)
{
    const char *name = ctx->argc > 1 ? ctx->argv[1] : "ovn-ic";

    const struct icsbrec_rbac_role *old;
    ICSBREC_RBAC_ROLE_FOR_EACH_SAFE (old, ctx->idl) {
        if (!strcmp(old->name, name)) {
            for (size_t i = 0; i < old->n_permissions; i++) {
                icsbrec_rbac_permission_delete(old->value_permissions[i]);
            }
            icsbrec_rbac_role_delete(old);
        }
    }

    size_t n = ARRAY_SIZE(rbac_rules);
    const char *tables[ARRAY_SIZE(rbac_rules)];
    struct icsbrec_rbac_permission *perms[ARRAY_SIZE(rbac_rules)];
    for (size_t i = 0; i < n; i++) {
        tables[i] = rbac_rules[i].table->name;
        perms[i] = rbac_permission_insert(ctx, &rbac_rules[i]);
    }
    struct icsbrec_rbac_role *role = icsbrec_rbac_role_insert(ctx->txn);
    icsbrec_rbac_role_set_name(role, name);
    icsbrec_rbac_role_set_permissions(role, tables, perms, n);
}

/* Prints 'az', its gateways sorted by name and, under each gateway, the
 * ports bound to it sorted by name.  A port whose gateway is not one of the
 * zone's gateways is not printed. */
static void
show_az(struct ctl_context *ctx, const struct icsbrec_availability_zone *az)
{
    struct ds *s = &ctx->output;

    ds_put_format(s, "availability-zone %s\n", az->name);

    struct shash gws = SHASH_INITIALIZER(&gws);
    const struct icsbrec_gateway *gw;
    ICSBREC_GATEWAY_FOR_EACH (gw, ctx->idl) {
        if (gw->availability_zone == az) {
            shash_add_once(&gws, gw->name, gw);
        }
    }

    const struct shash_node **gw_nodes = shash_sort(&gws);
    for (size_t i = 0; i < shash_count(&gws); i++) {
        gw = gw_nodes[i]->data;

        ds_put_format(s, "    gateway %s\n", gw->name);
        if (gw->hostname[0]) {
            ds_put_format(s, "        hostname: %s\n", gw->hostname);
        }
        for (size_t j = 0; j < gw->n_encaps; j++) {
            ds_put_format(s, "        type: %s\n", gw->encaps[j]->type);
            ds_put_format(s, "            ip: %s\n", gw->encaps[j]->ip);
        }

        struct shash pbs = SHASH_INITIALIZER(&pbs);
        const struct icsbrec_port_binding *pb;
        ICSBREC_PORT_BINDING_FOR_EACH (pb, ctx->idl) {
            if (pb->availability_zone == az
                && !strcmp(pb->gateway, gw->name)) {
                shash_add_once(&pbs, pb->logical_port, pb);
            }
        }

        const struct shash_node **pb_nodes = shash_sort(&pbs);
        for (size_t j = 0; j < shash_count(&pbs); j++) {
            pb = pb_nodes[j]->data;
            ds_put_format(s, "        port %s\n", pb->logical_port);
            ds_put_format(s, "            transit switch: %s\n",
                          pb->transit_switch);
            ds_put_format(s, "            address: [\"%s\"]\n",
                          pb->address);
        }
        free(pb_nodes);
        shash_destroy(&pbs);
    }
    free(gw_nodes);
    shash_destroy(&gws);
}

static void
cmd_show(struct ctl_context *ctx)
{
    const struct icsbrec_availability_zone *az;

    if (ctx->argc > 1) {
        /* Like upstream, a zone that does not exist shows as nothing. */
        const char *id = ctx->argv[1];
        struct uuid uuid;

        az = NULL;
        if (uuid_from_string(&uuid, id)) {
            az = icsbrec_availability_zone_get_for_uuid(ctx->idl, &uuid);
        }
        if (!az) {
            const struct icsbrec_availability_zone *iter;
            ICSBREC_AVAILABILITY_ZONE_FOR_EACH (iter, ctx->idl) {
                if (!strcmp(iter->name, id)) {
                    az = iter;
                    break;
                }
            }
        }
        if (az) {
            show_az(ctx, az);
        }
        return;
    }

    struct shash azs = SHASH_INITIALIZER(&azs);
    ICSBREC_AVAILABILITY_ZONE_FOR_EACH (az, ctx->idl) {
        shash_add_once(&azs, az->name, az);
    }
    const struct shash_node **nodes = shash_sort(&azs);
    for (size_t i = 0; i < shash_count(&azs); i++) {
        show_az(ctx, nodes[i]->data);
    }
    free(nodes);
    shash_destroy(&azs);
}

static const struct dbctl_conn_schema conn_schema = {
    DBCTL_CONN_SCHEMA_FIELDS(icsbrec, ic_sb_global),
    .connection_role = &icsbrec_connection_col_role,
};

static const struct ctl_command_syntax ic_sbctl_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"init-rbac", 0, 1, "[ROLE]", pre_cmd_init_rbac, cmd_init_rbac, NULL, "",
     RW},
    {"show", 0, 1, "[AZ]", NULL, cmd_show, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

static const struct ctl_table_class tables[ICSBREC_N_TABLES] = {
    [ICSBREC_TABLE_AVAILABILITY_ZONE].row_ids[0]
        = {&icsbrec_availability_zone_col_name, NULL, NULL},
    [ICSBREC_TABLE_GATEWAY].row_ids[0]
        = {&icsbrec_gateway_col_name, NULL, NULL},
    [ICSBREC_TABLE_PORT_BINDING].row_ids[0]
        = {&icsbrec_port_binding_col_logical_port, NULL, NULL},
    [ICSBREC_TABLE_DATAPATH_BINDING].row_ids[0]
        = {&icsbrec_datapath_binding_col_transit_switch, NULL, NULL},
    [ICSBREC_TABLE_RBAC_ROLE].row_ids[0]
        = {&icsbrec_rbac_role_col_name, NULL, NULL},
};

const struct dbctl_program dbctl_program = {
    .idl_class = &icsbrec_idl_class,
    .ctl_tables = tables,
    .commands = ic_sbctl_commands,
    .vlog_module = &this_module,
    .description = "OVN interconnection southbound DB management utility",
    .commands_usage = commands_usage,
    .db_env = "OVN_IC_SB_DB",
    .db_socket = "ovn_ic_sb_db.sock",
    .get_db_version = icsbrec_get_db_version,
    .global_table = &icsbrec_table_ic_sb_global,
    .conn = &conn_schema,
};

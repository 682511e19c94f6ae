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
  show [AZ]                   print the availability zones (or only AZ),\n\
                              their gateways and the ports bound to them\n\
";

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* The common main() creates IC_SB_Global if it is missing. */
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

static const struct dbctl_conn_schema conn_schema
    = DBCTL_CONN_SCHEMA(icsbrec, ic_sb_global);

static const struct ctl_command_syntax ic_sbctl_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
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

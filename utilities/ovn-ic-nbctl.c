/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "lib/ovn-ic-nb-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "utilities/dbctl-common.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ic_nbctl);

static const char commands_usage[] = "\
General commands:\n\
  init                        initialize the database\n\
  show                        print overview of database contents\n\
\n\
Transit switch commands:\n\
  ts-add SWITCH               create a transit switch named SWITCH\n\
  ts-del SWITCH               delete SWITCH and its ports\n\
  ts-list                     print all transit switches\n\
  tsp-add SWITCH PORT [COLUMN[:KEY]=VALUE]...\n\
                              add transit switch PORT to SWITCH\n\
  tsp-set-addr PORT [ADDRESS]...\n\
                              set the addresses of PORT (none: clear them)\n\
  tsp-del PORT                delete transit switch PORT\n\
\n\
Transit router commands:\n\
  tr-add ROUTER               create a transit router named ROUTER\n\
  tr-del ROUTER               delete ROUTER and its ports\n\
  tr-list                     print all transit routers\n\
  trp-add ROUTER PORT MAC [NETWORK]... [COLUMN[:KEY]=VALUE]...\n\
                              add transit router PORT to ROUTER\n\
  trp-del PORT                delete transit router PORT\n\
";

/* Row lookup. */

/* Looks up the row of 'table' whose UUID, or else whose 'name_column', is
 * 'id', and stores it in '*rowp' (NULL if there is none).  Returns NULL, or
 * an error message naming the row a 'kind' ("switch", ...) if there is no
 * such row and 'must_exist' is true.  The caller frees the message. */
static char *
find_row(struct ctl_context *ctx, const struct ovsdb_idl_table_class *table,
         const struct ovsdb_idl_column *name_column, const char *kind,
         const char *id, bool must_exist, const struct ovsdb_idl_row **rowp)
{
    struct uuid uuid;
    bool is_uuid = uuid_from_string(&uuid, id);

    *rowp = NULL;
    if (is_uuid) {
        *rowp = ovsdb_idl_get_row_for_uuid(ctx->idl, table, &uuid);
    }
    for (const struct ovsdb_idl_row *row = ovsdb_idl_first_row(ctx->idl,
                                                                table);
         row && !*rowp; row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *name = ovsdb_idl_read(row, name_column);
        if (name->n && !strcmp(json_string(name->keys[0].s), id)) {
            *rowp = row;
        }
    }

    if (!*rowp && must_exist) {
        return xasprintf("%s: %s %s not found", id, kind,
                         is_uuid ? "UUID" : "name");
    }
    return NULL;
}

/* Defines PREFIX_lookup(ctx, id, must_exist, rowp), which looks up a row
 * of 'struct icnbrec_TABLE' by UUID or name with find_row(), naming it a
 * KIND in errors. */
#define DEFINE_LOOKUP(PREFIX, TABLE, KIND)                                  \
    static char *                                                           \
    PREFIX##_lookup(struct ctl_context *ctx, const char *id,                \
                    bool must_exist, const struct icnbrec_##TABLE **rowp)   \
    {                                                                       \
        const struct ovsdb_idl_row *row;                                    \
        char *error = find_row(ctx, &icnbrec_table_##TABLE,                 \
                               &icnbrec_##TABLE##_col_name, KIND, id,       \
                               must_exist, &row);                           \
        *rowp = (row                                                        \
                 ? CONTAINER_OF(row, struct icnbrec_##TABLE, header_)       \
                 : NULL);                                                   \
        return error;                                                       \
    }

DEFINE_LOOKUP(ts, transit_switch, "switch")
DEFINE_LOOKUP(tsp, transit_switch_port, "switch port")
DEFINE_LOOKUP(tr, transit_router, "router")
DEFINE_LOOKUP(trp, transit_router_port, "router port")

/* Returns the transit switch whose 'ports' hold 'port', or NULL. */
static const struct icnbrec_transit_switch *
ts_of_port(struct ctl_context *ctx,
           const struct icnbrec_transit_switch_port *port)
{
    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->idl) {
        for (size_t i = 0; i < ts->n_ports; i++) {
            if (ts->ports[i] == port) {
                return ts;
            }
        }
    }
    return NULL;
}

/* Returns the transit router whose 'ports' hold 'port', or NULL. */
static const struct icnbrec_transit_router *
tr_of_port(struct ctl_context *ctx,
           const struct icnbrec_transit_router_port *port)
{
    const struct icnbrec_transit_router *tr;
    ICNBREC_TRANSIT_ROUTER_FOR_EACH (tr, ctx->idl) {
        for (size_t i = 0; i < tr->n_ports; i++) {
            if (tr->ports[i] == port) {
                return tr;
            }
        }
    }
    return NULL;
}

/* Adds 'add' (if nonnull) to, and removes 'remove' (if nonnull) from, the
 * set of references in 'column' of 'row'.  This writes the whole column,
 * rather than mutating it, so that later commands of the same run see the
 * change, and it verifies the column so that a concurrent change makes the
 * transaction start over. */
static void
update_ref_set(const struct ovsdb_idl_row *row,
               const struct ovsdb_idl_column *column,
               const struct ovsdb_idl_row *add,
               const struct ovsdb_idl_row *remove)
{
    const struct ovsdb_datum *old = ovsdb_idl_read(row, column);
    struct ovsdb_datum datum = {
        .keys = xmalloc((old->n + 1) * sizeof *datum.keys),
    };

    for (size_t i = 0; i < old->n; i++) {
        if (!remove || !uuid_equals(&old->keys[i].uuid, &remove->uuid)) {
            datum.keys[datum.n++].uuid = old->keys[i].uuid;
        }
    }
    if (add) {
        datum.keys[datum.n++].uuid = add->uuid;
    }
    ovsdb_idl_txn_verify(row, column);
    ovsdb_idl_txn_write(row, column, &datum);
}

/* Address parsing. */

/* Parses 's', an IPv4 or IPv6 address with an optional prefix length.  On
 * success, returns true and, if 'addr' is nonnull, stores the address alone
 * in canonical form into 'addr' and, if 'net' is nonnull, the address with
 * its prefix length (32 or 128 if none was given) into 'net'.
 *
 * The address goes through inet_pton(), which is stricter than OVS's
 * ip_parse_cidr(): that one takes "10.0.0.300" for an address. */
static bool
parse_ip_prefix(const char *s, struct ds *addr, struct ds *net)
{
    char *copy = xstrdup(s);
    char *slash = strchr(copy, '/');
    unsigned int plen = UINT_MAX;
    bool ok = true;

    if (slash) {
        *slash = '\0';
        ok = slash[1] && str_to_uint(slash + 1, 10, &plen);
    }

    ovs_be32 ip4;
    struct in6_addr ip6;
    struct ds canonical = DS_EMPTY_INITIALIZER;
    if (!ok) {
        /* Bad prefix length. */
    } else if (ip_parse(copy, &ip4)) {
        ok = plen == UINT_MAX || plen <= 32;
        plen = plen == UINT_MAX ? 32 : plen;
        ds_put_format(&canonical, IP_FMT, IP_ARGS(ip4));
    } else if (ipv6_parse(copy, &ip6)) {
        ok = plen == UINT_MAX || plen <= 128;
        plen = plen == UINT_MAX ? 128 : plen;
        ipv6_format_addr(&ip6, &canonical);
    } else {
        ok = false;
    }

    if (ok && addr) {
        ds_put_cstr(addr, ds_cstr(&canonical));
    }
    if (ok && net) {
        ds_put_format(net, "%s/%u", ds_cstr(&canonical), plen);
    }
    ds_destroy(&canonical);
    free(copy);
    return ok;
}

/* Returns true if 'address' is one of the keywords that a transit switch
 * port's 'addresses' may hold instead of "MAC [IP]...". */
static bool
is_address_keyword(const char *address)
{
    return (!strcmp(address, "unknown") || !strcmp(address, "dynamic")
            || !strcmp(address, "router"));
}

/* Parses 'address', "MAC [IP]...", adding the canonical form of each IP to
 * 'ips'.  Returns false if 'address' is not in that form. */
static bool
parse_port_address(const char *address, struct svec *ips)
{
    char *copy = xstrdup(address);
    char *save_ptr = NULL;
    bool ok = false;

    char *token = strtok_r(copy, " \t", &save_ptr);
    struct eth_addr ea;
    if (token && eth_addr_from_string(token, &ea)) {
        ok = true;
        while (ok && (token = strtok_r(NULL, " \t", &save_ptr))) {
            struct ds ip = DS_EMPTY_INITIALIZER;
            ok = parse_ip_prefix(token, &ip, NULL);
            if (ok) {
                svec_add_nocopy(ips, ds_steal_cstr(&ip));
            }
            ds_destroy(&ip);
        }
    }
    free(copy);
    return ok;
}

/* Returns the set of the canonical forms of 'networks', or NULL if one of
 * them is not an IP prefix.  The caller destroys and frees the set. */
static struct sset *
network_set(const char **networks, size_t n_networks)
{
    struct sset *set = xmalloc(sizeof *set);
    sset_init(set);
    for (size_t i = 0; i < n_networks; i++) {
        struct ds net = DS_EMPTY_INITIALIZER;
        if (!parse_ip_prefix(networks[i], NULL, &net)) {
            ds_destroy(&net);
            sset_destroy(set);
            free(set);
            return NULL;
        }
        sset_add_and_free(set, ds_steal_cstr(&net));
    }
    return set;
}

/* Commands. */

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* The common main() creates IC_NB_Global if it is missing. */
}

/* "show": the transit switches, then the transit routers, each with its
 * ports.  The switches come in the order and format of db-ctl-base's
 * generic "show", which is what upstream prints for them. */
static void
show_row_name(struct ds *s, int level, const struct ovsdb_idl_row *row,
              const struct ovsdb_idl_column *name_column)
{
    ds_put_char_multiple(s, ' ', level * 4);
    ds_put_format(s, "%s ", row->table->class_->name);
    ovsdb_datum_to_string(ovsdb_idl_read(row, name_column),
                          &name_column->type, s);
    ds_put_char(s, '\n');
}

/* Prints the 'n' 'columns' of 'row' that do not have their default
 * values. */
static void
show_columns(struct ds *s, int level, const struct ovsdb_idl_row *row,
             const struct ovsdb_idl_column *columns[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, columns[i]);
        if (!ovsdb_datum_is_default(datum, &columns[i]->type)) {
            ds_put_char_multiple(s, ' ', level * 4);
            ds_put_format(s, "%s: ", columns[i]->name);
            ovsdb_datum_to_string(datum, &columns[i]->type, s);
            ds_put_char(s, '\n');
        }
    }
}

/* Prints the rows that 'column' of 'row' refers to, sorted by their
 * 'name_column', each with its 'columns'. */
static void
show_ports(struct ds *s, const struct ovsdb_idl_row *row,
           const struct ovsdb_idl_column *column,
           const struct ovsdb_idl_table_class *port_table,
           const struct ovsdb_idl_column *name_column,
           const struct ovsdb_idl_column *columns[], size_t n_columns)
{
    const struct ovsdb_datum *refs = ovsdb_idl_read(row, column);
    struct shash ports = SHASH_INITIALIZER(&ports);

    for (size_t i = 0; i < refs->n; i++) {
        const struct ovsdb_idl_row *port = ovsdb_idl_get_row_for_uuid(
            row->table->idl, port_table, &refs->keys[i].uuid);
        if (port) {
            const struct ovsdb_datum *name = ovsdb_idl_read(port,
                                                            name_column);
            shash_add(&ports, name->n ? json_string(name->keys[0].s) : "",
                      port);
        }
    }

    const struct shash_node **nodes = shash_sort(&ports);
    for (size_t i = 0; i < shash_count(&ports); i++) {
        show_row_name(s, 1, nodes[i]->data, name_column);
        show_columns(s, 2, nodes[i]->data, columns, n_columns);
    }
    free(nodes);
    shash_destroy(&ports);
}

static void
cmd_show(struct ctl_context *ctx)
{
    static const struct ovsdb_idl_column *tsp_columns[] = {
        &icnbrec_transit_switch_port_col_type,
        &icnbrec_transit_switch_port_col_chassis,
        &icnbrec_transit_switch_port_col_peer,
        &icnbrec_transit_switch_port_col_addresses,
    };
    static const struct ovsdb_idl_column *trp_columns[] = {
        &icnbrec_transit_router_port_col_mac,
        &icnbrec_transit_router_port_col_networks,
        &icnbrec_transit_router_port_col_chassis,
    };
    const struct icnbrec_transit_switch *ts;
    const struct icnbrec_transit_router *tr;

    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->idl) {
        show_row_name(&ctx->output, 0, &ts->header_,
                      &icnbrec_transit_switch_col_name);
        show_ports(&ctx->output, &ts->header_,
                   &icnbrec_transit_switch_col_ports,
                   &icnbrec_table_transit_switch_port,
                   &icnbrec_transit_switch_port_col_name,
                   tsp_columns, ARRAY_SIZE(tsp_columns));
    }
    ICNBREC_TRANSIT_ROUTER_FOR_EACH (tr, ctx->idl) {
        show_row_name(&ctx->output, 0, &tr->header_,
                      &icnbrec_transit_router_col_name);
        show_ports(&ctx->output, &tr->header_,
                   &icnbrec_transit_router_col_ports,
                   &icnbrec_table_transit_router_port,
                   &icnbrec_transit_router_port_col_name,
                   trp_columns, ARRAY_SIZE(trp_columns));
    }
}

static void
cmd_ts_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const char *name = ctx->argv[1];
    const struct icnbrec_transit_switch *ts;

    ts_lookup(ctx, name, false, &ts);
    if (ts && !strcmp(ts->name, name)) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a transit switch with this name already "
                      "exists", name);
        }
        return;
    }

    ts = icnbrec_transit_switch_insert(ctx->txn);
    icnbrec_transit_switch_set_name(ts, name);
}

static void
cmd_ts_del(struct ctl_context *ctx)
{
    bool must_exist = !shash_find(&ctx->options, "--if-exists");
    const struct icnbrec_transit_switch *ts;

    ctx->error = ts_lookup(ctx, ctx->argv[1], must_exist, &ts);
    if (ts) {
        /* The ports go with the switch: nothing else refers to them. */
        icnbrec_transit_switch_delete(ts);
    }
}

/* Prints "UUID (NAME)" for each row of 'table', sorted by name.  'table'
 * must have a string column 'name_column'. */
static void
list_by_name(struct ctl_context *ctx,
             const struct ovsdb_idl_table_class *table,
             const struct ovsdb_idl_column *name_column)
{
    struct smap lines = SMAP_INITIALIZER(&lines);
    for (const struct ovsdb_idl_row *row = ovsdb_idl_first_row(ctx->idl,
                                                                table);
         row; row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *name = ovsdb_idl_read(row, name_column);
        const char *s = name->n ? json_string(name->keys[0].s) : "";
        smap_add_format(&lines, s, UUID_FMT" (%s)", UUID_ARGS(&row->uuid),
                        s);
    }

    const struct smap_node **nodes = smap_sort(&lines);
    for (size_t i = 0; i < smap_count(&lines); i++) {
        ds_put_format(&ctx->output, "%s\n", nodes[i]->value);
    }
    free(nodes);
    smap_destroy(&lines);
}

static void
cmd_ts_list(struct ctl_context *ctx)
{
    list_by_name(ctx, &icnbrec_table_transit_switch,
                 &icnbrec_transit_switch_col_name);
}

/* Applies 'settings', each "COLUMN[:KEY]=VALUE", to 'row' of 'table_name'.
 * Returns false, with an error in 'ctx', if one of them is invalid. */
static bool
apply_settings(struct ctl_context *ctx, const char *table_name,
               const struct ovsdb_idl_row *row, char **settings,
               size_t n_settings)
{
    for (size_t i = 0; i < n_settings; i++) {
        ctx->error = ctl_set_column(table_name, row, settings[i],
                                    ctx->symtab);
        if (ctx->error) {
            return false;
        }
    }
    return true;
}

static void
cmd_tsp_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const char *port_name = ctx->argv[2];
    char **settings = &ctx->argv[3];
    size_t n_settings = ctx->argc - 3;
    const struct icnbrec_transit_switch *ts;

    ctx->error = ts_lookup(ctx, ctx->argv[1], true, &ts);
    if (ctx->error) {
        return;
    }

    const struct icnbrec_transit_switch_port *port;
    tsp_lookup(ctx, port_name, false, &port);
    if (port && !strcmp(port->name, port_name)) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a port with this name already exists",
                      port_name);
            return;
        }
        const struct icnbrec_transit_switch *owner = ts_of_port(ctx, port);
        if (owner != ts) {
            ctl_error(ctx, "%s: port already exists but in switch %s",
                      port_name, owner ? owner->name : "(none)");
            return;
        }
        /* The port exists where it should: bring its columns up to
         * date, so that repeating the command converges. */
        apply_settings(ctx, "Transit_Switch_Port", &port->header_,
                       settings, n_settings);
        return;
    }

    port = icnbrec_transit_switch_port_insert(ctx->txn);
    icnbrec_transit_switch_port_set_name(port, port_name);
    if (apply_settings(ctx, "Transit_Switch_Port", &port->header_,
                       settings, n_settings)) {
        update_ref_set(&ts->header_, &icnbrec_transit_switch_col_ports,
                       &port->header_, NULL);
    }
}

/* Checks that no IP in 'ips' is used twice, neither within 'ips' nor by
 * another port of 'ts' than 'port'.  Returns false, with an error in 'ctx',
 * otherwise. */
static bool
check_duplicate_ips(struct ctl_context *ctx,
                    const struct icnbrec_transit_switch *ts,
                    const struct icnbrec_transit_switch_port *port,
                    const struct svec *ips)
{
    const char *ts_name = ts ? ts->name : "(none)";

    for (size_t i = 0; i < ips->n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(ips->names[i], ips->names[j])) {
                ctl_error(ctx, "%s: duplicate IP address '%s'", port->name,
                          ips->names[i]);
                return false;
            }
        }
    }

    for (size_t p = 0; ts && p < ts->n_ports; p++) {
        const struct icnbrec_transit_switch_port *other = ts->ports[p];
        if (other == port) {
            continue;
        }

        struct svec other_ips = SVEC_EMPTY_INITIALIZER;
        for (size_t a = 0; a < other->n_addresses; a++) {
            if (!is_address_keyword(other->addresses[a])) {
                /* Whatever does not parse cannot conflict. */
                parse_port_address(other->addresses[a], &other_ips);
            }
        }
        for (size_t i = 0; i < ips->n; i++) {
            if (svec_contains_unsorted(&other_ips, ips->names[i])) {
                ctl_error(ctx, "Error on transit switch %s: duplicate IPv%d "
                          "address '%s' found on transit switch port '%s'",
                          ts_name, strchr(ips->names[i], ':') ? 6 : 4,
                          ips->names[i], other->name);
                svec_destroy(&other_ips);
                return false;
            }
        }
        svec_destroy(&other_ips);
    }
    return true;
}

static void
cmd_tsp_set_addr(struct ctl_context *ctx)
{
    const struct icnbrec_transit_switch_port *port;
    const char **addresses = (const char **) &ctx->argv[2];
    size_t n_addresses = ctx->argc - 2;

    ctx->error = tsp_lookup(ctx, ctx->argv[1], true, &port);
    if (ctx->error) {
        return;
    }

    struct svec ips = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n_addresses; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(addresses[i], addresses[j])) {
                ctl_error(ctx, "%s: address '%s' is given more than once",
                          port->name, addresses[i]);
                goto out;
            }
        }
        if (!is_address_keyword(addresses[i])
            && !parse_port_address(addresses[i], &ips)) {
            ctl_error(ctx, "%s: Invalid address format. See ovn-ic-nb(5). "
                      "Hint: An Ethernet address must be listed before an "
                      "IP address, together as a single argument.",
                      addresses[i]);
            goto out;
        }
    }

    if (check_duplicate_ips(ctx, ts_of_port(ctx, port), port, &ips)) {
        icnbrec_transit_switch_port_set_addresses(port, addresses,
                                                  n_addresses);
    }

out:
    svec_destroy(&ips);
}

static void
cmd_tsp_del(struct ctl_context *ctx)
{
    bool must_exist = !shash_find(&ctx->options, "--if-exists");
    const struct icnbrec_transit_switch_port *port;

    ctx->error = tsp_lookup(ctx, ctx->argv[1], must_exist, &port);
    if (!port) {
        return;
    }

    const struct icnbrec_transit_switch *ts = ts_of_port(ctx, port);
    if (ts) {
        update_ref_set(&ts->header_, &icnbrec_transit_switch_col_ports,
                       NULL, &port->header_);
    }
    icnbrec_transit_switch_port_delete(port);
}

static void
cmd_tr_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const char *name = ctx->argv[1];
    const struct icnbrec_transit_router *tr;

    if (!ovsdb_idl_server_has_table(ctx->idl,
                                    &icnbrec_table_transit_router)) {
        ctl_error(ctx, "the database has no Transit_Router table: its "
                  "schema is older than this program's");
        return;
    }

    tr_lookup(ctx, name, false, &tr);
    if (tr && !strcmp(tr->name, name)) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a transit router with this name already "
                      "exists", name);
        }
        return;
    }

    tr = icnbrec_transit_router_insert(ctx->txn);
    icnbrec_transit_router_set_name(tr, name);
}

static void
cmd_tr_del(struct ctl_context *ctx)
{
    bool must_exist = !shash_find(&ctx->options, "--if-exists");
    const struct icnbrec_transit_router *tr;

    ctx->error = tr_lookup(ctx, ctx->argv[1], must_exist, &tr);
    if (tr) {
        icnbrec_transit_router_delete(tr);
    }
}

static void
cmd_tr_list(struct ctl_context *ctx)
{
    list_by_name(ctx, &icnbrec_table_transit_router,
                 &icnbrec_transit_router_col_name);
}

/* Checks that the existing router port 'port' has MAC 'mac' and the same
 * networks as 'networks', for trp-add --may-exist.  Returns false, with an
 * error in 'ctx', otherwise. */
static bool
check_same_router_port(struct ctl_context *ctx,
                       const struct icnbrec_transit_router_port *port,
                       const struct eth_addr *mac,
                       const char **networks, size_t n_networks)
{
    struct eth_addr old_mac;
    if (!eth_addr_from_string(port->mac, &old_mac)
        || !eth_addr_equals(old_mac, *mac)) {
        ctl_error(ctx, "%s: port already exists with mac %s", port->name,
                  port->mac);
        return false;
    }

    struct sset *new_nets = network_set(networks, n_networks);
    struct sset *old_nets = network_set((const char **) port->networks,
                                        port->n_networks);
    bool same = new_nets && old_nets && sset_equals(new_nets, old_nets);
    if (!same) {
        ctl_error(ctx, "%s: port already exists with different network",
                  port->name);
    }
    for (int i = 0; i < 2; i++) {
        struct sset *set = i ? old_nets : new_nets;
        if (set) {
            sset_destroy(set);
            free(set);
        }
    }
    return same;
}

static void
cmd_trp_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const char *port_name = ctx->argv[2];
    const char *mac = ctx->argv[3];
    const struct icnbrec_transit_router *tr;

    ctx->error = tr_lookup(ctx, ctx->argv[1], true, &tr);
    if (ctx->error) {
        return;
    }

    /* The networks end at the first "COLUMN[:KEY]=VALUE" setting. */
    const char **networks = (const char **) &ctx->argv[4];
    size_t n_networks = 0;
    while (4 + n_networks < ctx->argc
           && !strchr(networks[n_networks], '=')) {
        n_networks++;
    }
    char **settings = &ctx->argv[4 + n_networks];
    size_t n_settings = ctx->argc - 4 - n_networks;

    struct eth_addr ea;
    if (!eth_addr_from_string(mac, &ea)) {
        ctl_error(ctx, "%s: invalid mac address %s", port_name, mac);
        return;
    }
    for (size_t i = 0; i < n_networks; i++) {
        if (!parse_ip_prefix(networks[i], NULL, NULL)) {
            ctl_error(ctx, "%s: invalid network address: %s", port_name,
                      networks[i]);
            return;
        }
    }

    const struct icnbrec_transit_router_port *port;
    trp_lookup(ctx, port_name, false, &port);
    if (port && !strcmp(port->name, port_name)) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a port with this name already exists",
                      port_name);
            return;
        }
        const struct icnbrec_transit_router *owner = tr_of_port(ctx, port);
        if (owner != tr) {
            ctl_error(ctx, "%s: port already exists but in router %s",
                      port_name, owner ? owner->name : "(none)");
            return;
        }
        check_same_router_port(ctx, port, &ea, networks, n_networks);
        return;
    }

    port = icnbrec_transit_router_port_insert(ctx->txn);
    icnbrec_transit_router_port_set_name(port, port_name);
    icnbrec_transit_router_port_set_mac(port, mac);
    icnbrec_transit_router_port_set_tr_uuid(port, tr->header_.uuid);
    icnbrec_transit_router_port_set_networks(port, networks, n_networks);
    if (apply_settings(ctx, "Transit_Router_Port", &port->header_,
                       settings, n_settings)) {
        update_ref_set(&tr->header_, &icnbrec_transit_router_col_ports,
                       &port->header_, NULL);
    }
}

static void
cmd_trp_del(struct ctl_context *ctx)
{
    bool must_exist = !shash_find(&ctx->options, "--if-exists");
    const struct icnbrec_transit_router_port *port;

    ctx->error = trp_lookup(ctx, ctx->argv[1], must_exist, &port);
    if (!port) {
        return;
    }

    const struct icnbrec_transit_router *tr = tr_of_port(ctx, port);
    if (tr) {
        update_ref_set(&tr->header_, &icnbrec_transit_router_col_ports,
                       NULL, &port->header_);
    }
    icnbrec_transit_router_port_delete(port);
}

/* Connection and SSL/TLS commands, on IC_NB_Global. */

static const struct dbctl_conn_schema conn_schema
    = DBCTL_CONN_SCHEMA(icnbrec, ic_nb_global);

/* Prerequisites of the commands on transit switch ports and on transit
 * routers, which older databases (such as Debian 12's 23.03) lack. */
static void
pre_tsp(struct ctl_context *ctx)
{
    dbctl_require_table(ctx, &icnbrec_table_transit_switch_port);
}

static void
pre_tr(struct ctl_context *ctx)
{
    dbctl_require_table(ctx, &icnbrec_table_transit_router);
    dbctl_require_table(ctx, &icnbrec_table_transit_router_port);
}

static const struct ctl_command_syntax ic_nbctl_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"show", 0, 0, "", NULL, cmd_show, NULL, "", RO},

    /* Transit switches and their ports. */
    {"ts-add", 1, 1, "SWITCH", NULL, cmd_ts_add, NULL, "--may-exist", RW},
    {"ts-del", 1, 1, "SWITCH", NULL, cmd_ts_del, NULL, "--if-exists", RW},
    {"ts-list", 0, 0, "", NULL, cmd_ts_list, NULL, "", RO},
    {"tsp-add", 2, INT_MAX, "SWITCH PORT [COLUMN[:KEY]=VALUE]...",
     pre_tsp, cmd_tsp_add, NULL, "--may-exist", RW},
    {"tsp-set-addr", 1, INT_MAX, "PORT [ADDRESS]...",
     pre_tsp, cmd_tsp_set_addr, NULL, "", RW},
    {"tsp-del", 1, 1, "PORT", pre_tsp, cmd_tsp_del, NULL, "--if-exists",
     RW},

    /* Transit routers and their ports.  Like upstream, trp-add wants at
     * least five arguments: a network and a setting such as the chassis
     * (or two networks) after the MAC. */
    {"tr-add", 1, 1, "ROUTER", pre_tr, cmd_tr_add, NULL, "--may-exist", RW},
    {"tr-del", 1, 1, "ROUTER", pre_tr, cmd_tr_del, NULL, "--if-exists", RW},
    {"tr-list", 0, 0, "", pre_tr, cmd_tr_list, NULL, "", RO},
    {"trp-add", 5, INT_MAX,
     "ROUTER PORT MAC [NETWORK]... [COLUMN[:KEY]=VALUE]...",
     pre_tr, cmd_trp_add, NULL, "--may-exist", RW},
    {"trp-del", 1, 1, "PORT", pre_tr, cmd_trp_del, NULL, "--if-exists", RW},

    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

static const struct ctl_table_class tables[ICNBREC_N_TABLES] = {
    [ICNBREC_TABLE_TRANSIT_SWITCH].row_ids[0]
        = {&icnbrec_transit_switch_col_name, NULL, NULL},
    [ICNBREC_TABLE_TRANSIT_SWITCH_PORT].row_ids[0]
        = {&icnbrec_transit_switch_port_col_name, NULL, NULL},
    [ICNBREC_TABLE_TRANSIT_ROUTER].row_ids[0]
        = {&icnbrec_transit_router_col_name, NULL, NULL},
    [ICNBREC_TABLE_TRANSIT_ROUTER_PORT].row_ids = {
        {&icnbrec_transit_router_port_col_name, NULL, NULL},
        {&icnbrec_transit_router_port_col_tr_uuid, NULL, NULL},
        {&icnbrec_transit_router_port_col_mac, NULL, NULL},
    },
};

const struct dbctl_program dbctl_program = {
    .idl_class = &icnbrec_idl_class,
    .ctl_tables = tables,
    .commands = ic_nbctl_commands,
    .vlog_module = &this_module,
    .description = "OVN interconnection northbound DB management utility",
    .commands_usage = commands_usage,
    .db_env = "OVN_IC_NB_DB",
    .db_socket = "ovn_ic_nb_db.sock",
    .get_db_version = icnbrec_get_db_version,
    .global_table = &icnbrec_table_ic_nb_global,
    .nb_cfg = &icnbrec_ic_nb_global_col_nb_ic_cfg,
    .sb_cfg = &icnbrec_ic_nb_global_col_sb_ic_cfg,
    .conn = &conn_schema,
};

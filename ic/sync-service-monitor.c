/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-service-monitor.h"

#include <inttypes.h>
#include <string.h>

#include "hash.h"
#include "ic/step.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "lib/remote-input.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-types.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_service_monitor);

#define OWNER "service-monitor"

/* What identifies a monitor: SB's index on Service_Monitor (logical port,
 * IP, port, protocol) and, for a monitor in IC-SB, the zone it targets. */
struct mon_key {
    const char *target_az;      /* NULL for SB rows. */
    const char *logical_port;
    const char *ip;
    int64_t port;
    const char *protocol;       /* Never NULL: "" for none. */
};

static uint32_t
mon_key_hash(const struct mon_key *k)
{
    uint32_t hash = hash_string(k->logical_port, 0);
    hash = hash_string(k->ip, hash);
    hash = hash_int(k->port, hash);
    hash = hash_string(k->protocol, hash);
    return k->target_az ? hash_string(k->target_az, hash) : hash;
}

static bool
mon_key_equal(const struct mon_key *a, const struct mon_key *b)
{
    return nullable_string_is_equal(a->target_az, b->target_az)
           && !strcmp(a->logical_port, b->logical_port)
           && !strcmp(a->ip, b->ip)
           && a->port == b->port
           && !strcmp(a->protocol, b->protocol);
}

/* A monitor in a map by key.  In 'pulls', 'rows' holds every IC-SB row
 * aimed at this zone with that key (one per source zone, normally), and
 * 'row' the one whose values the SB row takes. */
struct mon_node {
    struct hmap_node hmap_node;
    struct mon_key key;
    const void *row;
    bool used;

    /* 'pulls' only. */
    const struct icsbrec_service_monitor **rows;
    size_t n_rows, allocated_rows;
    const struct sbrec_port_binding *pb;
};

static struct mon_node *
mon_map_find(const struct hmap *map, const struct mon_key *key,
             bool unused_only)
{
    struct mon_node *node;
    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, mon_key_hash(key), map) {
        if (mon_key_equal(&node->key, key) && !(unused_only && node->used)) {
            return node;
        }
    }
    return NULL;
}

static struct mon_node *
mon_map_add(struct hmap *map, const struct mon_key *key, const void *row)
{
    struct mon_node *node = xzalloc(sizeof *node);
    node->key = *key;
    node->row = row;
    hmap_insert(map, &node->hmap_node, mon_key_hash(key));
    return node;
}

static void
mon_map_destroy(struct hmap *map)
{
    struct mon_node *node;
    HMAP_FOR_EACH_POP (node, hmap_node, map) {
        free(node->rows);
        free(node);
    }
    hmap_destroy(map);
}

static struct mon_key
sb_key(const struct sbrec_service_monitor *sb, const char *target_az)
{
    return (struct mon_key) {
        .target_az = target_az,
        .logical_port = sb->logical_port,
        .ip = sb->ip,
        .port = sb->port,
        .protocol = sb->protocol ? sb->protocol : "",
    };
}

static struct mon_key
isb_key(const struct icsbrec_service_monitor *isb, bool with_target)
{
    return (struct mon_key) {
        .target_az = with_target ? isb->target_availability_zone : NULL,
        .logical_port = isb->logical_port,
        .ip = isb->ip,
        .port = isb->port,
        .protocol = isb->protocol ? isb->protocol : "",
    };
}

/* True if 'value' is one that string column 'column' may hold, as far as
 * the schema this daemon was built with knows. */
static bool
column_allows(const struct ovsdb_idl_column *column, const char *value)
{
    const struct ovsdb_datum *allowed = column->type.key.enum_;
    if (!allowed) {
        return true;
    }
    for (size_t i = 0; i < allowed->n; i++) {
        if (!strcmp(json_string(allowed->keys[i].s), value)) {
            return true;
        }
    }
    return false;
}

struct svcmon_view {
    struct ovsdb_idl *sb_idl;
    struct ovsdb_idl_txn *sb_txn;
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
    const char *az_name;
    const char *mac;            /* SB_Global options:svc_monitor_mac. */
    bool sb_has_type;
    bool isb_has_type;
};

/* Per-run counts, for status/show. */
struct svcmon_stats {
    size_t pushed;              /* This zone's monitors in IC-SB. */
    size_t learned;             /* Learned SB monitors. */
    size_t shared;              /* Aimed here, monitored by northd too. */
};

static void
set_sb_status(const struct sbrec_service_monitor *sb, const char *status)
{
    if (!nullable_string_is_equal(sb->status, status)) {
        sbrec_service_monitor_set_status(sb, status);
    }
}

static void
set_isb_status(const struct icsbrec_service_monitor *isb, const char *status)
{
    if (!nullable_string_is_equal(isb->status, status)) {
        icsbrec_service_monitor_set_status(isb, status);
    }
}

/* Push: this zone's monitors of other zones' backends. */

/* Returns true if SB monitor 'sb' can be published to IC-SB. */
static bool
pushable(const struct svcmon_view *v, const struct sbrec_service_monitor *sb)
{
    const char *what = NULL, *value = NULL;
    if (!sb->protocol
        || !column_allows(&icsbrec_service_monitor_col_protocol,
                          sb->protocol)) {
        what = "protocol";
        value = sb->protocol ? sb->protocol : "";
    } else if (sb->type && sb->type[0]
               && (!v->isb_has_type
                   || !column_allows(&icsbrec_service_monitor_col_type,
                                     sb->type))) {
        what = "type";
        value = sb->type;
    }
    if (what) {
        char *object = xasprintf("%s %s:%"PRId64, sb->logical_port, sb->ip,
                                 sb->port);
        problems_report(v->problems, OWNER, object,
                        "monitor of a backend in zone %s not published: "
                        "IC-SB cannot hold its %s \"%s\"",
                        smap_get(&sb->options, "az-name"), what, value);
        free(object);
        return false;
    }
    return true;
}

static void
update_pushed(const struct svcmon_view *v,
              const struct icsbrec_service_monitor *isb,
              const struct sbrec_service_monitor *sb)
{
    if (v->isb_has_type) {
        const char *type = sb->type && sb->type[0] ? sb->type : NULL;
        if (!nullable_string_is_equal(isb->type, type)) {
            icsbrec_service_monitor_set_type(isb, type);
        }
    }
    if (strcmp(isb->src_ip, sb->src_ip)) {
        icsbrec_service_monitor_set_src_ip(isb, sb->src_ip);
    }
    if (strcmp(isb->src_mac, v->mac)) {
        icsbrec_service_monitor_set_src_mac(isb, v->mac);
    }
    if (!smap_equal(&isb->options, &sb->options)) {
        icsbrec_service_monitor_set_options(isb, &sb->options);
    }
}

static void
push_monitors(const struct svcmon_view *v, struct svcmon_stats *stats)
{
    /* This zone's rows in IC-SB, by target and key. */
    struct hmap owned = HMAP_INITIALIZER(&owned);
    const struct icsbrec_service_monitor *isb;
    ICSBREC_SERVICE_MONITOR_FOR_EACH (isb, v->icsb_idl) {
        if (!strcmp(isb->source_availability_zone, v->az_name)) {
            struct mon_key key = isb_key(isb, true);
            mon_map_add(&owned, &key, isb);
        }
    }

    const struct sbrec_service_monitor *sb;
    SBREC_SERVICE_MONITOR_FOR_EACH (sb, v->sb_idl) {
        const char *target = smap_get(&sb->options, "az-name");
        if (!sb->remote || !target || !pushable(v, sb)) {
            continue;
        }
        struct mon_key key = sb_key(sb, target);
        struct mon_node *node = mon_map_find(&owned, &key, true);
        if (node) {
            node->used = true;
            isb = node->row;
            update_pushed(v, isb, sb);
            set_sb_status(sb, isb->status);
        } else {
            isb = icsbrec_service_monitor_insert(v->icsb_txn);
            icsbrec_service_monitor_set_ip(isb, sb->ip);
            icsbrec_service_monitor_set_port(isb, sb->port);
            icsbrec_service_monitor_set_protocol(isb, sb->protocol);
            icsbrec_service_monitor_set_logical_port(isb, sb->logical_port);
            icsbrec_service_monitor_set_target_availability_zone(isb,
                                                                 target);
            icsbrec_service_monitor_set_source_availability_zone(isb,
                                                                 v->az_name);
            update_pushed(v, isb, sb);
            VLOG_DBG("publishing the monitor of %s %s:%"PRId64" for zone %s",
                     sb->logical_port, sb->ip, sb->port, target);
        }
        stats->pushed++;
    }

    struct mon_node *node;
    HMAP_FOR_EACH (node, hmap_node, &owned) {
        if (!node->used) {
            isb = node->row;
            VLOG_DBG("withdrawing the monitor of %s %s:%"PRId64" for zone "
                     "%s", isb->logical_port, isb->ip, isb->port,
                     isb->target_availability_zone);
            icsbrec_service_monitor_delete(isb);
        }
    }
    mon_map_destroy(&owned);
}

/* Pull: other zones' monitors of this zone's backends. */

/* Returns true if the other zone's monitor 'isb', aimed at this zone, may
 * go into SB (see lib/remote-input.h); else reports it as refused. */
static bool
pullable(const struct svcmon_view *v,
         const struct icsbrec_service_monitor *isb)
{
    const struct remote_monitor m = {
        .logical_port = isb->logical_port,
        .ip = isb->ip,
        .port = isb->port,
        .protocol = isb->protocol,
        .src_ip = isb->src_ip,
        .options = &isb->options,
    };
    const char *error = remote_input_check_monitor(&m);
    if (!error) {
        return true;
    }
    /* Named as pushable() names a monitor, unless its fields would garble
     * the name. */
    char *object = remote_input_row_namef("Service_Monitor",
                                          &isb->header_.uuid, "%s %s:%"PRId64,
                                          isb->logical_port, isb->ip,
                                          isb->port);
    const char *zone = (remote_input_check_name(
                            isb->source_availability_zone)
                        ? "(bad name)" : isb->source_availability_zone);
    problems_refuse(v->problems, OWNER, object,
                    "monitor of availability zone %s refused: %s",
                    zone, error);
    free(object);
    return false;
}

/* Returns true if IC-SB row 'a' should define the SB row rather than 'b':
 * where zones disagree, the alphabetically first source wins, so that the
 * SB row does not flip from one run to the next. */
static bool
isb_precedes(const struct icsbrec_service_monitor *a,
             const struct icsbrec_service_monitor *b)
{
    int cmp = strcmp(a->source_availability_zone,
                     b->source_availability_zone);
    return cmp ? cmp < 0 : uuid_compare_3way(&a->header_.uuid,
                                             &b->header_.uuid) < 0;
}

static void
update_learned(const struct svcmon_view *v,
               const struct sbrec_service_monitor *sb,
               const struct icsbrec_service_monitor *isb,
               const struct sbrec_port_binding *pb)
{
    if (v->sb_has_type) {
        const char *type = v->isb_has_type ? isb->type : NULL;
        if (!nullable_string_is_equal(sb->type && sb->type[0]
                                      ? sb->type : NULL, type)) {
            sbrec_service_monitor_set_type(sb, type);
        }
    }
    if (strcmp(sb->src_ip, isb->src_ip)) {
        sbrec_service_monitor_set_src_ip(sb, isb->src_ip);
    }
    if (strcmp(sb->src_mac, v->mac)) {
        sbrec_service_monitor_set_src_mac(sb, v->mac);
    }
    if (!smap_equal(&sb->options, &isb->options)) {
        sbrec_service_monitor_set_options(sb, &isb->options);
    }
    /* The chassis follows the port; a port that no chassis claims keeps the
     * last one, as upstream does. */
    if (pb->chassis && strcmp(sb->chassis_name, pb->chassis->name)) {
        sbrec_service_monitor_set_chassis_name(sb, pb->chassis->name);
    }
}

static void
pull_monitors(const struct svcmon_view *v, struct svcmon_stats *stats)
{
    /* The IC-SB monitors aimed at this zone's bound ports, by key. */
    struct hmap pulls = HMAP_INITIALIZER(&pulls);
    struct shash pbs = SHASH_INITIALIZER(&pbs);
    bool pbs_indexed = false;
    /* Refused rows, whose learned SB rows, if any, stay as they were. */
    struct hmap refused = HMAP_INITIALIZER(&refused);
    const struct icsbrec_service_monitor *isb;
    ICSBREC_SERVICE_MONITOR_FOR_EACH (isb, v->icsb_idl) {
        if (strcmp(isb->target_availability_zone, v->az_name)) {
            continue;
        }
        if (!pullable(v, isb)) {
            struct mon_key key = isb_key(isb, false);
            mon_map_add(&refused, &key, isb);
            continue;
        }
        if (!pbs_indexed) {
            const struct sbrec_port_binding *pb;
            SBREC_PORT_BINDING_FOR_EACH (pb, v->sb_idl) {
                shash_add_once(&pbs, pb->logical_port, pb);
            }
            pbs_indexed = true;
        }
        /* northd sets 'up' (to false) on every port it creates; a port
         * without it is not ready. */
        const struct sbrec_port_binding *pb
            = shash_find_data(&pbs, isb->logical_port);
        if (!pb || !pb->n_up) {
            continue;
        }
        struct mon_key key = isb_key(isb, false);
        struct mon_node *node = mon_map_find(&pulls, &key, false);
        if (!node) {
            node = mon_map_add(&pulls, &key, isb);
            node->pb = pb;
        } else if (isb_precedes(isb, node->row)) {
            node->row = isb;
        }
        if (node->n_rows >= node->allocated_rows) {
            node->rows = x2nrealloc(node->rows, &node->allocated_rows,
                                    sizeof *node->rows);
        }
        node->rows[node->n_rows++] = isb;
    }
    shash_destroy(&pbs);

    /* SB's monitors by key: its index makes them unique. */
    struct hmap local = HMAP_INITIALIZER(&local);
    const struct sbrec_service_monitor *sb;
    SBREC_SERVICE_MONITOR_FOR_EACH (sb, v->sb_idl) {
        struct mon_key key = sb_key(sb, NULL);
        mon_map_add(&local, &key, sb);
    }

    struct mon_node *node;
    HMAP_FOR_EACH (node, hmap_node, &refused) {
        struct mon_node *ln = mon_map_find(&local, &node->key, false);
        if (ln) {
            ln->used = true;
        }
    }
    HMAP_FOR_EACH (node, hmap_node, &pulls) {
        const struct icsbrec_service_monitor *primary = node->row;
        struct mon_node *ln = mon_map_find(&local, &node->key, false);
        if (!ln) {
            sb = sbrec_service_monitor_insert(v->sb_txn);
            sbrec_service_monitor_set_ip(sb, primary->ip);
            sbrec_service_monitor_set_port(sb, primary->port);
            sbrec_service_monitor_set_protocol(sb, primary->protocol);
            sbrec_service_monitor_set_logical_port(sb, primary->logical_port);
            sbrec_service_monitor_set_remote(sb, false);
            sbrec_service_monitor_set_ic_learned(sb, true);
            update_learned(v, sb, primary, node->pb);
            VLOG_DBG("learning the monitor of %s %s:%"PRId64" from zone %s",
                     primary->logical_port, primary->ip, primary->port,
                     primary->source_availability_zone);
            stats->learned++;
            /* Its status comes once ovn-controller has probed it. */
            continue;
        }

        sb = ln->row;
        if (sb->remote) {
            /* This zone also monitors the port as another zone's: one of
             * the two configurations is wrong. */
            problems_report(v->problems, OWNER, sb->logical_port,
                            "zone %s monitors %s:%"PRId64" on this zone's "
                            "port, which this zone's load balancers say is "
                            "in zone %s", primary->source_availability_zone,
                            sb->ip, sb->port,
                            smap_get_def(&sb->options, "az-name", "?"));
            continue;
        }
        if (sb->ic_learned) {
            ln->used = true;
            update_learned(v, sb, primary, node->pb);
            stats->learned++;
        } else {
            /* northd's own: it owns the row; only its status is shared. */
            stats->shared++;
        }
        for (size_t i = 0; i < node->n_rows; i++) {
            set_isb_status(node->rows[i], sb->status);
        }
    }

    HMAP_FOR_EACH (node, hmap_node, &local) {
        sb = node->row;
        if (sb->ic_learned && !node->used) {
            VLOG_DBG("forgetting the learned monitor of %s %s:%"PRId64,
                     sb->logical_port, sb->ip, sb->port);
            sbrec_service_monitor_delete(sb);
        }
    }
    mon_map_destroy(&local);
    mon_map_destroy(&pulls);
    mon_map_destroy(&refused);
}

/* The step. */

static void *
svcmon_create(void)
{
    return xzalloc(sizeof(struct svcmon_stats));
}

static void
svcmon_destroy(void *stats)
{
    free(stats);
}

static void
svcmon_format_status(const void *stats_, struct ds *s)
{
    const struct svcmon_stats *stats = stats_;
    ds_put_format(s, "service monitors: %"PRIuSIZE" published, %"PRIuSIZE
                  " learned, %"PRIuSIZE" shared with northd\n",
                  stats->pushed, stats->learned, stats->shared);
}

static void
svcmon_render_metrics(const void *stats_, struct metrics *m)
{
    const struct svcmon_stats *stats = stats_;
    metrics_family(m, "ovn_ic_service_monitors", METRIC_GAUGE,
                   "Load balancer health checks across zones: this zone's "
                   "monitors of other zones' backends published to IC-SB, "
                   "other zones' monitors of this zone's backends learned "
                   "into SB, and those northd monitors itself too.");
    metrics_sample(m, "ovn_ic_service_monitors", "kind", "published",
                   stats->pushed);
    metrics_sample(m, "ovn_ic_service_monitors", "kind", "learned",
                   stats->learned);
    metrics_sample(m, "ovn_ic_service_monitors", "kind", "shared",
                   stats->shared);
}

static bool
sync_service_monitor_run(struct ic_step_ctx *step)
{
    struct svcmon_stats *stats = ic_step_state(step);
    struct svcmon_view v = {
        .sb_idl = ic_step_idl(step, IC_DB_SB),
        .sb_txn = ic_step_txn(step, IC_DB_SB),
        .icsb_idl = ic_step_idl(step, IC_DB_ICSB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
        .az_name = ic_step_az(step)->name,
    };

    if (!sbrec_server_has_service_monitor_table_col_remote(v.sb_idl)
        || !sbrec_server_has_service_monitor_table_col_ic_learned(v.sb_idl)
        || !sbrec_server_has_service_monitor_table_col_chassis_name(v.sb_idl)
        || !icsbrec_server_has_service_monitor_table(v.icsb_idl)) {
        VLOG_INFO_ONCE("the Southbound database runs a schema older than "
                       "OVN 25.09's, or IC-SB one older than 2.2.0, without "
                       "cross-zone Service_Monitor: cross-zone load "
                       "balancer health checks are off");
        return true;
    }

    const struct sbrec_sb_global *g = sbrec_sb_global_first(v.sb_idl);
    v.mac = g ? smap_get(&g->options, "svc_monitor_mac") : NULL;
    if (!v.mac) {
        /* northd sets it as soon as it runs; until then, as upstream,
         * nothing is synced or cleaned up. */
        return true;
    }
    v.sb_has_type = sbrec_server_has_service_monitor_table_col_type(v.sb_idl);
    v.isb_has_type
        = icsbrec_server_has_service_monitor_table_col_type(v.icsb_idl);

    problems_begin(v.problems, OWNER);
    memset(stats, 0, sizeof *stats);
    push_monitors(&v, stats);
    pull_monitors(&v, stats);
    problems_end(v.problems, OWNER);
    return true;
}

const struct ic_step sync_service_monitor_step = {
    .name = "service-monitor",
    .description = "load balancer health checks across zones, both ways",
    .needs_az = true,
    .reads = {
        { IC_DB_SB, &sbrec_table_sb_global },
        { IC_DB_SB, &sbrec_table_service_monitor },
        { IC_DB_SB, &sbrec_table_port_binding },
        { IC_DB_SB, &sbrec_table_chassis },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_service_monitor },
    },
    .writes = {
        /* northd owns the other rows; this step sets only the status of
         * those that monitor another zone's backend. */
        { IC_DB_SB, &sbrec_table_service_monitor, .rows = "ic_learned=true" },
        { IC_DB_SB, &sbrec_table_service_monitor,
          .columns = { &sbrec_service_monitor_col_status } },
        /* This zone's rows, and the status of the rows aimed at it. */
        { IC_DB_ICSB, &icsbrec_table_service_monitor,
          .rows = "source_availability_zone=<this zone>" },
        { IC_DB_ICSB, &icsbrec_table_service_monitor,
          .columns = { &icsbrec_service_monitor_col_status } },
    },
    .create = svcmon_create,
    .destroy = svcmon_destroy,
    .run = sync_service_monitor_run,
    .format_status = svcmon_format_status,
    .render_metrics = svcmon_render_metrics,
};

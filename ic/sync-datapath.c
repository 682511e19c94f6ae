/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-datapath.h"

#include "ic/step.h"

#include <ctype.h>
#include <string.h>

#include "lib/key-alloc.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/problems.h"
#include "lib/ts-scope.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_datapath);

#define KEYS_OWNER "datapath-keys"
#define SWITCHES_OWNER "transit-switch"

/* A transit switch name becomes a logical switch name and part of port
 * names that operators type and that appear in match expressions, so it
 * must be non-empty and free of white space, quotes and control
 * characters. */
bool
transit_switch_name_is_valid(const char *name)
{
    if (!name[0]) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) {
        if (isspace(*p) || iscntrl(*p) || *p == '"' || *p == '\'') {
            return false;
        }
    }
    return true;
}

bool
transit_switch_in_zone(const struct icnbrec_transit_switch *ts,
                       const char *zone)
{
    struct ts_scope scope;
    ts_scope_from_config(&scope, &ts->other_config);
    bool in = ts_scope_includes(&scope, zone);
    ts_scope_destroy(&scope);
    return in;
}

/* Returns true if 'dp' belongs to a transit switch rather than a transit
 * router.  Bindings written by daemons that predate the type column have
 * no type. */
static bool
dp_is_transit_switch(const struct icsbrec_datapath_binding *dp)
{
    return !dp->type || !strcmp(dp->type, "transit-switch");
}

/* Fills 'keys' (transit switch name -> key, as a pointer-sized integer)
 * with the key each transit switch's logical switch in this zone's NB uses
 * now (its other_config:requested-tnl-key, which northd gives its SB
 * datapath). */
static void
keys_in_use(struct ovsdb_idl *nb_idl, struct shash *keys)
{
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, nb_idl) {
        const char *ts = smap_get(&ls->other_config, "interconn-ts");
        uint32_t key;
        if (ts && key_parse(smap_get(&ls->other_config,
                                     "requested-tnl-key"), &key)) {
            shash_add_once(keys, ts, (void *) (uintptr_t) key);
        }
    }
}

/* Of two bindings 'a' and 'b' of one transit switch, returns the one to
 * keep: the one with the key that the switch uses now, 'in_use' (0 if
 * none), if it is 'valid'; else the one with the lower key.  Every zone
 * uses the switch's key, so a duplicate that another zone writes (two
 * global writers raced, or a rogue zone) never moves a working switch to
 * another key.  Upstream keeps the key in use too. */
static const struct icsbrec_datapath_binding *
binding_to_keep(const struct icsbrec_datapath_binding *a,
                const struct icsbrec_datapath_binding *b,
                uint32_t in_use, bool valid)
{
    if (in_use && valid && (a->tunnel_key == in_use)
                            != (b->tunnel_key == in_use)) {
        return a->tunnel_key == in_use ? a : b;
    }
    return a->tunnel_key <= b->tunnel_key ? a : b;
}

static int
compare_dps_by_key(const void *a_, const void *b_)
{
    const struct icsbrec_datapath_binding *const *a = a_;
    const struct icsbrec_datapath_binding *const *b = b_;
    return (*a)->tunnel_key < (*b)->tunnel_key ? -1
           : (*a)->tunnel_key > (*b)->tunnel_key;
}

/* Returns true if the interconnection runs in VXLAN mode: IC-NB asks for
 * it (IC_NB_Global options:vxlan_mode=true) and some gateway has a VXLAN
 * encapsulation. */
bool
sync_datapath_vxlan_mode(struct ovsdb_idl *icnb_idl,
                         struct ovsdb_idl *icsb_idl)
{
    const struct icnbrec_ic_nb_global *g = icnbrec_ic_nb_global_first(
        icnb_idl);
    if (!g || !smap_get_bool(&g->options, "vxlan_mode", false)) {
        return false;
    }
    const struct icsbrec_encap *encap;
    ICSBREC_ENCAP_FOR_EACH (encap, icsb_idl) {
        if (!strcmp(encap->type, "vxlan")) {
            return true;
        }
    }
    return false;
}

struct sync_datapath_keys_ctx {
    struct ovsdb_idl *nb_idl;
    struct ovsdb_idl *icnb_idl;
    struct ovsdb_idl *icsb_idl;     /* The global writer's session. */
    struct ovsdb_idl_txn *icsb_txn;
    bool vxlan_mode;
    struct problem_set *problems;
};

/* Global writer: IC-NB Transit_Router -> IC-SB Datapath_Binding of type
 * "transit-router", found by the router's IC-NB row (nb_ic_uuid); those of
 * deleted routers, and duplicates, go.  Runs after the switches have their
 * keys, new ones included, so that every key in use is taken.  Router keys
 * always come from the non-VXLAN range, the lowest free one first, as for
 * switches.
 * Returns false if a router waits for a free key. */
static bool
sync_router_keys(const struct sync_datapath_keys_ctx *ctx)
{
    struct ovsdb_idl *icsb = ctx->icsb_idl;
    if (!icnbrec_server_has_transit_router_table(ctx->icnb_idl)
        || !icsbrec_server_has_datapath_binding_table_col_type(icsb)
        || !icsbrec_server_has_datapath_binding_table_col_nb_ic_uuid(icsb)) {
        /* Older IC schemas have no transit routers (the transit-router
         * step logs it). */
        return true;
    }

    uint32_t hint = IC_DP_KEY_MIN;
    struct key_space keys;
    key_space_init(&keys, IC_DP_KEY_MIN, IC_DP_KEY_MAX);
    struct shash by_router = SHASH_INITIALIZER(&by_router);
    const struct icnbrec_transit_router *tr;
    const struct icsbrec_datapath_binding *dp;
    ICSBREC_DATAPATH_BINDING_FOR_EACH (dp, icsb) {
        key_space_reserve(&keys, dp->tunnel_key);
    }
    ICSBREC_DATAPATH_BINDING_FOR_EACH (dp, icsb) {
        if (dp_is_transit_switch(dp) || !dp->nb_ic_uuid) {
            /* A router binding without a router row names no router to
             * tell whether it is gone: left alone, its key taken. */
            continue;
        }
        const struct icnbrec_transit_router *owner
            = icnbrec_transit_router_get_for_uuid(ctx->icnb_idl,
                                                  dp->nb_ic_uuid);
        const struct icsbrec_datapath_binding *old
            = owner ? shash_find_data(&by_router, owner->name) : NULL;
        if (owner && (!old || dp->tunnel_key < old->tunnel_key)) {
            /* With several bindings, the lowest key stays. */
            shash_replace(&by_router, owner->name, dp);
        }
        const struct icsbrec_datapath_binding *extra
            = !owner ? dp : old ? (old->tunnel_key < dp->tunnel_key ? dp : old)
                             : NULL;
        if (extra) {
            VLOG_INFO("deleting the %s datapath binding of transit router "
                      "%s (key %"PRId64")", old ? "duplicate" : "stale",
                      owner ? owner->name : "(deleted)", extra->tunnel_key);
            icsbrec_datapath_binding_delete(extra);
            key_space_release(&keys, extra->tunnel_key);
        }
    }

    bool complete = true;
    ICNBREC_TRANSIT_ROUTER_FOR_EACH (tr, ctx->icnb_idl) {
        if (shash_find(&by_router, tr->name)
            || !transit_switch_name_is_valid(tr->name)) {
            continue;
        }
        uint32_t key = key_space_allocate(&keys, &hint);
        if (!key) {
            problems_report(ctx->problems, KEYS_OWNER, tr->name,
                            "no free datapath key in %u..%u; the transit "
                            "router waits for one", IC_DP_KEY_MIN,
                            IC_DP_KEY_MAX);
            complete = false;
            continue;
        }
        VLOG_INFO("transit router %s: allocated key %"PRIu32, tr->name, key);
        dp = icsbrec_datapath_binding_insert(ctx->icsb_txn);
        icsbrec_datapath_binding_set_tunnel_key(dp, key);
        icsbrec_datapath_binding_set_type(dp, "transit-router");
        icsbrec_datapath_binding_set_nb_ic_uuid(dp, &tr->header_.uuid, 1);
    }
    shash_destroy(&by_router);
    key_space_destroy(&keys);
    return complete;
}

/* Global writer: IC-NB Transit_Switch -> IC-SB Datapath_Binding. */
static bool
sync_datapath_keys(const struct sync_datapath_keys_ctx *ctx)
{
    struct ovsdb_idl *icsb = ctx->icsb_idl;
    bool has_type = icsbrec_server_has_datapath_binding_table_col_type(icsb);
    bool has_uuid
        = icsbrec_server_has_datapath_binding_table_col_nb_ic_uuid(icsb);

    problems_begin(ctx->problems, KEYS_OWNER);

    /* Every key in use, by switches and routers alike, is taken. */
    uint32_t min = ctx->vxlan_mode ? IC_DP_VXLAN_KEY_MIN : IC_DP_KEY_MIN;
    uint32_t max = ctx->vxlan_mode ? IC_DP_VXLAN_KEY_MAX : IC_DP_KEY_MAX;
    /* Upstream hands out the lowest free key above 'min' ('min' itself
     * last), every time: a freed key is reused, and a switch that leaves
     * VXLAN mode and comes back gets its old key again.  Within a pass the
     * hint moves on past the keys just taken. */
    uint32_t hint = min;
    struct key_space keys;
    key_space_init(&keys, min, max);

    /* Visit bindings in key order, so that when a switch has several
     * (two writers raced before this daemon held the lock) every daemon
     * keeps the same one: the lowest key. */
    size_t n_dps = 0, allocated = 16;
    const struct icsbrec_datapath_binding **dps
        = xmalloc(allocated * sizeof *dps);
    const struct icsbrec_datapath_binding *dp;
    ICSBREC_DATAPATH_BINDING_FOR_EACH (dp, icsb) {
        if (n_dps >= allocated) {
            dps = x2nrealloc(dps, &allocated, sizeof *dps);
        }
        dps[n_dps++] = dp;
    }
    qsort(dps, n_dps, sizeof *dps, compare_dps_by_key);

    struct shash in_use = SHASH_INITIALIZER(&in_use);
    keys_in_use(ctx->nb_idl, &in_use);
    struct shash by_switch = SHASH_INITIALIZER(&by_switch);
    for (size_t i = 0; i < n_dps; i++) {
        dp = dps[i];
        key_space_reserve(&keys, dp->tunnel_key);
        if (!dp_is_transit_switch(dp)) {
            continue;
        }
        struct shash_node *node = shash_find(&by_switch, dp->transit_switch);
        if (!node) {
            shash_add(&by_switch, dp->transit_switch, dp);
            continue;
        }
        uint32_t key = (uintptr_t) shash_find_data(&in_use,
                                                   dp->transit_switch);
        const struct icsbrec_datapath_binding *keep
            = binding_to_keep(node->data, dp, key,
                              key_space_contains(&keys, key));
        const struct icsbrec_datapath_binding *extra
            = keep == dp ? node->data : dp;
        VLOG_INFO("deleting duplicate datapath binding of transit switch "
                  "%s (key %"PRId64"), keeping key %"PRId64,
                  dp->transit_switch, extra->tunnel_key, keep->tunnel_key);
        icsbrec_datapath_binding_delete(extra);
        key_space_release(&keys, extra->tunnel_key);
        node->data = CONST_CAST(struct icsbrec_datapath_binding *, keep);
    }
    free(dps);
    shash_destroy(&in_use);

    /* Requested keys first, so that allocation never hands out a key that a
     * switch asked for. */
    struct shash wanted = SHASH_INITIALIZER(&wanted);
    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->icnb_idl) {
        if (!transit_switch_name_is_valid(ts->name)) {
            continue;
        }
        shash_add_once(&wanted, ts->name, ts);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &wanted) {
        ts = node->data;
        const char *req = smap_get(&ts->other_config, "requested-tnl-key");
        if (!req) {
            continue;
        }
        uint32_t key;
        dp = shash_find_data(&by_switch, ts->name);
        if (!key_parse(req, &key) || !key_space_contains(&keys, key)) {
            problems_report(ctx->problems, KEYS_OWNER, ts->name,
                            "requested-tnl-key \"%s\" is not a key in %u..%u; "
                            "ignored", req, min, max);
        } else if (dp && dp->tunnel_key == key) {
            /* Already honoured. */
        } else if (key_space_is_used(&keys, key)) {
            /* Keep the switch working with a key of its own; it moves to
             * the requested one as soon as that is free. */
            problems_report(ctx->problems, KEYS_OWNER, ts->name,
                            "requested-tnl-key %"PRIu32" is held by another "
                            "datapath; using %s until it is free", key,
                            dp ? "the current key" : "another key");
        } else {
            if (dp) {
                VLOG_INFO("transit switch %s: moving from key %"PRId64" to "
                          "requested key %"PRIu32, ts->name, dp->tunnel_key,
                          key);
                key_space_release(&keys, dp->tunnel_key);
            } else {
                dp = icsbrec_datapath_binding_insert(ctx->icsb_txn);
                icsbrec_datapath_binding_set_transit_switch(dp, ts->name);
                shash_add(&by_switch, ts->name, dp);
                VLOG_INFO("transit switch %s: requested key %"PRIu32,
                          ts->name, key);
            }
            key_space_reserve(&keys, key);
            icsbrec_datapath_binding_set_tunnel_key(dp, key);
        }
    }

    bool complete = true;
    SHASH_FOR_EACH (node, &wanted) {
        ts = node->data;
        dp = shash_find_and_delete(&by_switch, ts->name);
        if (!dp || !key_space_contains(&keys, dp->tunnel_key)) {
            /* A new switch, or the VXLAN mode changed. */
            uint32_t key = key_space_allocate(&keys, &hint);
            if (!key) {
                problems_report(ctx->problems, KEYS_OWNER, ts->name,
                                "no free datapath key in %u..%u; the "
                                "transit switch waits for one", min, max);
                complete = false;
                continue;
            }
            if (dp) {
                VLOG_INFO("transit switch %s: moving from key %"PRId64" to "
                          "%"PRIu32" (VXLAN mode %s)", ts->name,
                          dp->tunnel_key, key,
                          ctx->vxlan_mode ? "on" : "off");
            } else {
                VLOG_INFO("transit switch %s: allocated key %"PRIu32,
                          ts->name, key);
                dp = icsbrec_datapath_binding_insert(ctx->icsb_txn);
                icsbrec_datapath_binding_set_transit_switch(dp, ts->name);
            }
            icsbrec_datapath_binding_set_tunnel_key(dp, key);
        }
        if (has_type && (!dp->type || strcmp(dp->type, "transit-switch"))) {
            icsbrec_datapath_binding_set_type(dp, "transit-switch");
        }
        if (has_uuid && (!dp->nb_ic_uuid
                         || !uuid_equals(dp->nb_ic_uuid,
                                         &ts->header_.uuid))) {
            icsbrec_datapath_binding_set_nb_ic_uuid(dp, &ts->header_.uuid,
                                                    1);
        }
    }

    /* Bindings of transit switches that no longer exist. */
    SHASH_FOR_EACH (node, &by_switch) {
        dp = node->data;
        VLOG_INFO("transit switch %s is gone: releasing key %"PRId64,
                  dp->transit_switch, dp->tunnel_key);
        icsbrec_datapath_binding_delete(dp);
    }

    shash_destroy(&by_switch);
    shash_destroy(&wanted);
    key_space_destroy(&keys);
    complete = sync_router_keys(ctx) && complete;
    problems_end(ctx->problems, KEYS_OWNER);
    return complete;
}

struct sync_datapath_switches_ctx {
    const char *zone;           /* This zone's name. */
    bool vxlan_mode;
    struct ovsdb_idl *icnb_idl;
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl *nb_idl;
    struct ovsdb_idl_txn *nb_txn;
    struct problem_set *problems;
};

/* Every zone: IC-NB Transit_Switch + IC-SB key -> NB Logical_Switch. */
static bool
sync_datapath_switches(const struct sync_datapath_switches_ctx *ctx)
{
    problems_begin(ctx->problems, SWITCHES_OWNER);

    struct shash in_use = SHASH_INITIALIZER(&in_use);
    keys_in_use(ctx->nb_idl, &in_use);
    struct shash keys = SHASH_INITIALIZER(&keys);
    const struct icsbrec_datapath_binding *dp;
    ICSBREC_DATAPATH_BINDING_FOR_EACH (dp, ctx->icsb_idl) {
        if (dp_is_transit_switch(dp)) {
            /* With duplicates, the key in use wins, as for the writer,
             * until the writer deletes the other. */
            const struct icsbrec_datapath_binding *old
                = shash_find_data(&keys, dp->transit_switch);
            uint32_t key = (uintptr_t) shash_find_data(&in_use,
                                                       dp->transit_switch);
            if (!old || binding_to_keep(old, dp, key, true) == dp) {
                shash_replace(&keys, dp->transit_switch, dp);
            }
        }
    }
    shash_destroy(&in_use);

    struct shash switches = SHASH_INITIALIZER(&switches);
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->nb_idl) {
        const char *ts_name = smap_get(&ls->other_config, "interconn-ts");
        if (ts_name && !shash_add_once(&switches, ts_name, ls)) {
            VLOG_INFO("deleting duplicate logical switch for transit "
                      "switch %s", ts_name);
            nbrec_logical_switch_delete(ls);
        }
    }

    bool complete = true;
    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->icnb_idl) {
        if (!transit_switch_name_is_valid(ts->name)) {
            problems_report(ctx->problems, SWITCHES_OWNER, ts->name,
                            "invalid transit switch name (empty, or with "
                            "white space, quotes or control characters); "
                            "not created");
            continue;
        }
        struct ts_scope scope;
        bool names_zones = ts_scope_from_config(&scope, &ts->other_config);
        bool in_zone = ts_scope_includes(&scope, ctx->zone);
        ts_scope_destroy(&scope);
        if (!names_zones) {
            problems_report(ctx->problems, SWITCHES_OWNER, ts->name,
                            "other_config:%s names no availability zone; "
                            "the transit switch is in none", TS_SCOPE_KEY);
        }
        if (!in_zone) {
            /* Out of this zone's scope: a logical switch made for it
             * before is deleted below, with the leftovers. */
            ls = shash_find_data(&switches, ts->name);
            if (ls) {
                VLOG_INFO("transit switch %s is scoped to other availability "
                          "zones: deleting its logical switch", ts->name);
                nbrec_logical_switch_delete(ls);
                shash_find_and_delete(&switches, ts->name);
            }
            continue;
        }
        const char *vxlan_mode = ctx->vxlan_mode ? "true" : "false";
        ls = shash_find_and_delete(&switches, ts->name);
        if (!ls) {
            VLOG_INFO("creating logical switch for transit switch %s",
                      ts->name);
            ls = nbrec_logical_switch_insert(ctx->nb_txn);
            nbrec_logical_switch_set_name(ls, ts->name);
            nbrec_logical_switch_update_other_config_setkey(
                ls, "interconn-ts", ts->name);
            /* Upstream (25.03 and later) writes the mode, "false"
             * included, on every switch it creates, and later only when
             * the mode differs from the switch's (a missing key reads as
             * false), and so does this step. */
            nbrec_logical_switch_update_other_config_setkey(
                ls, "ic-vxlan_mode", vxlan_mode);
        } else if (smap_get_bool(&ls->other_config, "ic-vxlan_mode", false)
                   != ctx->vxlan_mode) {
            nbrec_logical_switch_update_other_config_setkey(
                ls, "ic-vxlan_mode", vxlan_mode);
        }

        dp = shash_find_data(&keys, ts->name);
        if (!dp) {
            complete = false;   /* The global writer has not keyed it yet. */
            continue;
        }
        char key[16];
        snprintf(key, sizeof key, "%"PRId64, dp->tunnel_key);
        const char *cur = smap_get(&ls->other_config, "requested-tnl-key");
        if (!cur || strcmp(cur, key)) {
            nbrec_logical_switch_update_other_config_setkey(
                ls, "requested-tnl-key", key);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &switches) {
        VLOG_INFO("transit switch %s is gone: deleting its logical switch",
                  node->name);
        nbrec_logical_switch_delete(node->data);
    }
    shash_destroy(&switches);
    shash_destroy(&keys);
    problems_end(ctx->problems, SWITCHES_OWNER);
    return complete;
}

static bool
sync_datapath_keys_run(struct ic_step_ctx *step)
{
    struct ovsdb_idl *icnb_idl = ic_step_idl(step, IC_DB_ICNB);
    struct ovsdb_idl *icsb_idl = ic_step_idl(step, IC_DB_ICSB);
    struct sync_datapath_keys_ctx ctx = {
        .nb_idl = ic_step_idl(step, IC_DB_NB),
        .icnb_idl = icnb_idl,
        .icsb_idl = icsb_idl,
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .vxlan_mode = sync_datapath_vxlan_mode(icnb_idl, icsb_idl),
        .problems = ic_step_problems(step),
    };
    return sync_datapath_keys(&ctx);
}

static bool
sync_transit_switch_run(struct ic_step_ctx *step)
{
    struct ovsdb_idl *icnb_idl = ic_step_idl(step, IC_DB_ICNB);
    struct ovsdb_idl *icsb_idl = ic_step_idl(step, IC_DB_ICSB);
    struct sync_datapath_switches_ctx ctx = {
        .zone = ic_step_az(step)->name,
        .vxlan_mode = sync_datapath_vxlan_mode(icnb_idl, icsb_idl),
        .icnb_idl = icnb_idl,
        .icsb_idl = icsb_idl,
        .nb_idl = ic_step_idl(step, IC_DB_NB),
        .nb_txn = ic_step_txn(step, IC_DB_NB),
        .problems = ic_step_problems(step),
    };
    return sync_datapath_switches(&ctx);
}

/* VXLAN mode and the "--wait=sb" counters: the counters move all day and
 * mean nothing here. */
#define IC_NB_GLOBAL_READ                                           \
    { IC_DB_ICNB, &icnbrec_table_ic_nb_global,                      \
      .ignore = { &icnbrec_ic_nb_global_col_nb_ic_cfg,              \
                  &icnbrec_ic_nb_global_col_sb_ic_cfg } }

const struct ic_step sync_datapath_keys_step = {
    .name = "datapath-keys",
    .description = "allocate transit switch and router keys",
    .global_writer = true,
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_transit_switch },
        /* For the keys the switches use now; their ports change all day
         * and mean nothing here. */
        { IC_DB_NB, &nbrec_table_logical_switch,
          .ignore = { &nbrec_logical_switch_col_ports } },
        { IC_DB_ICNB, &icnbrec_table_transit_router,
          .ignore = { &icnbrec_transit_router_col_ports,
                      &icnbrec_transit_router_col_other_config,
                      &icnbrec_transit_router_col_external_ids } },
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
        IC_NB_GLOBAL_READ,
        { IC_DB_ICSB, &icsbrec_table_encap },
    },
    .writes = {
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
    },
    .run = sync_datapath_keys_run,
};

const struct ic_step sync_transit_switch_step = {
    .name = "transit-switch",
    .description = "transit switches to NB logical switches",
    .needs_az = true,
    .reads = {
        { IC_DB_ICNB, &icnbrec_table_transit_switch },
        /* The zone's name, which scopes name. */
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_datapath_binding },
        { IC_DB_NB, &nbrec_table_logical_switch },
        IC_NB_GLOBAL_READ,
        { IC_DB_ICSB, &icsbrec_table_encap },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_logical_switch },
    },
    .run = sync_transit_switch_run,
};

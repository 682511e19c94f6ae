/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-gateway.h"

#include <string.h>

#include "ic/step.h"
#include "ic/sync-az.h"
#include "lib/ovn-ic-nb-idl.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "lib/remote-input.h"
#include "lib/ts-scope.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_gateway);

struct sync_gateway_ctx {
    const struct icsbrec_availability_zone *az;
    struct ovsdb_idl *icnb_idl;
    struct ovsdb_idl *sb_idl;
    struct ovsdb_idl_txn *sb_txn;
    struct ovsdb_idl *icsb_idl;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
};

#define OWNER "gateway"

/* One encapsulation, whichever database it comes from. */
struct encap_view {
    const char *type;
    const char *ip;
    const struct smap *options;
};

static int
compare_encaps(const void *a_, const void *b_)
{
    const struct encap_view *a = a_, *b = b_;
    int cmp = strcmp(a->type, b->type);
    return cmp ? cmp : strcmp(a->ip, b->ip);
}

/* Returns true if the encapsulations 'a' and 'b', 'n' of each, are the same
 * set.  Sorts both arrays. */
static bool
encaps_equal(struct encap_view *a, struct encap_view *b, size_t n)
{
    qsort(a, n, sizeof *a, compare_encaps);
    qsort(b, n, sizeof *b, compare_encaps);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].type, b[i].type) || strcmp(a[i].ip, b[i].ip)
            || !smap_equal(a[i].options, b[i].options)) {
            return false;
        }
    }
    return true;
}

static bool
chassis_is_interconn(const struct sbrec_chassis *ch)
{
    return smap_get_bool(&ch->other_config, "is-interconn", false);
}

static bool
chassis_is_remote(const struct sbrec_chassis *ch)
{
    return smap_get_bool(&ch->other_config, "is-remote", false);
}

/* Returns true if the IC-SB encapsulations 'ie' and the SB ones 'se', 'n' of
 * each, are the same set. */
static bool
encap_lists_equal(struct icsbrec_encap **ie, struct sbrec_encap **se,
                  size_t n)
{
    struct encap_view *a = xmalloc((n + 1) * sizeof *a);
    struct encap_view *b = xmalloc((n + 1) * sizeof *b);
    for (size_t i = 0; i < n; i++) {
        a[i] = (struct encap_view) { ie[i]->type, ie[i]->ip,
                                     &ie[i]->options };
        b[i] = (struct encap_view) { se[i]->type, se[i]->ip,
                                     &se[i]->options };
    }
    bool equal = encaps_equal(a, b, n);
    free(a);
    free(b);
    return equal;
}

/* Local chassis -> IC-SB Gateway. */

static bool
isb_gateway_matches(const struct icsbrec_gateway *gw,
                    const struct sbrec_chassis *ch)
{
    return !strcmp(gw->hostname, ch->hostname)
           && gw->n_encaps == ch->n_encaps
           && encap_lists_equal(gw->encaps, ch->encaps, ch->n_encaps);
}

static void
publish_gateway(const struct sync_gateway_ctx *ctx,
                const struct icsbrec_gateway *gw,
                const struct sbrec_chassis *ch)
{
    icsbrec_gateway_set_hostname(gw, ch->hostname);
    icsbrec_gateway_set_availability_zone(gw, ctx->az);

    struct icsbrec_encap **encaps = xmalloc((ch->n_encaps + 1)
                                            * sizeof *encaps);
    for (size_t i = 0; i < ch->n_encaps; i++) {
        const struct sbrec_encap *e = ch->encaps[i];
        encaps[i] = icsbrec_encap_insert(ctx->icsb_txn);
        icsbrec_encap_set_type(encaps[i], e->type);
        icsbrec_encap_set_ip(encaps[i], e->ip);
        icsbrec_encap_set_options(encaps[i], &e->options);
        icsbrec_encap_set_gateway_name(encaps[i], ch->name);
        row_set_zone_name(&encaps[i]->header_,
                          &icsbrec_encap_col_availability_zone_name, ctx->az);
    }
    /* Encap rows are not roots: the old ones go away with the reference. */
    icsbrec_gateway_set_encaps(gw, encaps, ch->n_encaps);
    free(encaps);
}

static void
sync_local_gateways(const struct sync_gateway_ctx *ctx)
{
    struct shash ours = SHASH_INITIALIZER(&ours);
    struct shash others = SHASH_INITIALIZER(&others);
    const struct icsbrec_gateway *gw;
    ICSBREC_GATEWAY_FOR_EACH (gw, ctx->icsb_idl) {
        shash_add(ROW_AZ(gw) == ctx->az ? &ours : &others,
                         gw->name, gw);
    }

    const struct sbrec_chassis *ch;
    SBREC_CHASSIS_FOR_EACH (ch, ctx->sb_idl) {
        if (!chassis_is_interconn(ch) || chassis_is_remote(ch)) {
            continue;
        }
        const struct icsbrec_gateway *owned
            = shash_find_and_delete(&ours, ch->name);
        if (owned) {
            if (!isb_gateway_matches(owned, ch)) {
                VLOG_INFO("updating gateway %s", ch->name);
                publish_gateway(ctx, owned, ch);
            }
        } else if (shash_find(&others, ch->name)) {
            const struct icsbrec_gateway *other = shash_find_data(&others,
                                                                  ch->name);
            problems_report(ctx->problems, OWNER, ch->name,
                            "chassis name already used by a gateway of "
                            "availability zone %s; not published",
                            az_name(ROW_AZ(other)));
        } else {
            VLOG_INFO("publishing gateway %s", ch->name);
            gw = icsbrec_gateway_insert(ctx->icsb_txn);
            icsbrec_gateway_set_name(gw, ch->name);
            row_set_zone_name(&gw->header_,
                              &icsbrec_gateway_col_availability_zone_name,
                              ctx->az);
            publish_gateway(ctx, gw, ch);
        }
    }

    /* What is left of ours is no longer an interconnection gateway. */
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ours) {
        VLOG_INFO("withdrawing gateway %s", node->name);
        icsbrec_gateway_delete(node->data);
    }
    shash_destroy(&ours);
    shash_destroy(&others);
}

/* Other zones' IC-SB Gateways -> SB Chassis marked is-remote. */

static bool
sb_chassis_matches(const struct sbrec_chassis *ch,
                   const struct icsbrec_gateway *gw)
{
    return chassis_is_remote(ch) && isb_gateway_matches(gw, ch);
}

static void
mirror_gateway(const struct sync_gateway_ctx *ctx,
               const struct sbrec_chassis *ch,
               const struct icsbrec_gateway *gw)
{
    sbrec_chassis_set_hostname(ch, gw->hostname);
    if (!chassis_is_remote(ch)) {
        /* The whole column, not a setkey mutation: the IDL shows a written
         * column at once, so that the steps after this one in the same
         * pass (ports, transit routers) already see the chassis as
         * remote.  A mutation would show only after the commit, and a
         * transit router port on a chassis created in this pass would be
         * taken for a local one and published twice. */
        struct smap other_config;
        smap_clone(&other_config, &ch->other_config);
        smap_replace(&other_config, "is-remote", "true");
        sbrec_chassis_set_other_config(ch, &other_config);
        smap_destroy(&other_config);
    }

    struct sbrec_encap **encaps = xmalloc((gw->n_encaps + 1)
                                          * sizeof *encaps);
    for (size_t i = 0; i < gw->n_encaps; i++) {
        const struct icsbrec_encap *e = gw->encaps[i];
        encaps[i] = sbrec_encap_insert(ctx->sb_txn);
        sbrec_encap_set_type(encaps[i], e->type);
        sbrec_encap_set_ip(encaps[i], e->ip);
        sbrec_encap_set_options(encaps[i], &e->options);
        sbrec_encap_set_chassis_name(encaps[i], gw->name);
    }
    sbrec_chassis_set_encaps(ch, encaps, gw->n_encaps);
    free(encaps);
}

/* Returns why another zone's gateway 'gw' must not be mirrored here (see
 * lib/remote-input.h), or NULL. */
static const char *
remote_gateway_refusal(const struct icsbrec_gateway *gw)
{
    const char *error = ROW_AZ_REFUSAL(gw);
    if (!error) {
        error = remote_input_check_name(gw->name);
    }
    if (!error && gw->hostname[0]) {
        error = remote_input_check_name(gw->hostname);
    }
    for (size_t i = 0; !error && i < gw->n_encaps; i++) {
        error = remote_input_check_encap(gw->encaps[i]->type,
                                         gw->encaps[i]->ip);
        if (!error) {
            error = remote_input_check_encap_options(
                &gw->encaps[i]->options);
        }
    }
    return error;
}

/* Fills 'scopes' with every transit switch's scope.  A transit router is
 * in every zone, so it counts as an unscoped switch. */
static void
collect_scopes(const struct sync_gateway_ctx *ctx, struct ts_scopes *scopes)
{
    ts_scopes_init(scopes);
    const struct icnbrec_transit_switch *ts;
    ICNBREC_TRANSIT_SWITCH_FOR_EACH (ts, ctx->icnb_idl) {
        ts_scopes_add(scopes, smap_get(&ts->other_config, TS_SCOPE_KEY));
    }
    if (icnbrec_transit_router_first(ctx->icnb_idl)) {
        ts_scopes_add(scopes, NULL);
    }
}

/* Mirrors the gateways of the zones that share a transit switch with this
 * one (lib/ts-scope.h): all of them, unless some switch is scoped. */
static void
sync_remote_gateways(const struct sync_gateway_ctx *ctx)
{
    struct ts_scopes scopes;
    collect_scopes(ctx, &scopes);
    struct shash remote = SHASH_INITIALIZER(&remote);
    struct shash local = SHASH_INITIALIZER(&local);
    const struct sbrec_chassis *ch;
    SBREC_CHASSIS_FOR_EACH (ch, ctx->sb_idl) {
        shash_add(chassis_is_remote(ch) ? &remote : &local,
                         ch->name, ch);
    }

    const struct icsbrec_gateway *gw;
    ICSBREC_GATEWAY_FOR_EACH (gw, ctx->icsb_idl) {
        if (ROW_AZ(gw) == ctx->az
            || !ts_scopes_share(&scopes, ctx->az->name,
                                az_name(ROW_AZ(gw)))) {
            continue;           /* Ours, or of a zone we share nothing
                                 * with: a mirror, if any, goes. */
        }
        const struct sbrec_chassis *mirror
            = shash_find_and_delete(&remote, gw->name);
        const char *refusal = remote_gateway_refusal(gw);
        if (refusal) {
            /* Refused: its mirror, if any, stays as it was. */
            char *object = remote_input_row_name(gw->name, "Gateway",
                                                 &gw->header_.uuid);
            problems_refuse(ctx->problems, OWNER, object,
                            "gateway of availability zone %s refused: %s",
                            az_name(ROW_AZ(gw)), refusal);
            free(object);
        } else if (mirror) {
            if (!sb_chassis_matches(mirror, gw)) {
                VLOG_INFO("updating remote gateway %s", gw->name);
                mirror_gateway(ctx, mirror, gw);
            }
        } else if (shash_find(&local, gw->name)) {
            problems_refuse(ctx->problems, OWNER, gw->name,
                            "gateway of availability zone %s has the name "
                            "of a local chassis; not mirrored",
                            az_name(ROW_AZ(gw)));
        } else {
            VLOG_INFO("adding remote gateway %s", gw->name);
            ch = sbrec_chassis_insert(ctx->sb_txn);
            sbrec_chassis_set_name(ch, gw->name);
            mirror_gateway(ctx, ch, gw);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &remote) {
        VLOG_INFO("removing remote gateway %s", node->name);
        sbrec_chassis_delete(node->data);
    }
    shash_destroy(&remote);
    shash_destroy(&local);
    ts_scopes_destroy(&scopes);
}

static bool
sync_gateway_run(struct ic_step_ctx *step)
{
    struct sync_gateway_ctx ctx = {
        .az = ic_step_az(step),
        .icnb_idl = ic_step_idl(step, IC_DB_ICNB),
        .sb_idl = ic_step_idl(step, IC_DB_SB),
        .sb_txn = ic_step_txn(step, IC_DB_SB),
        .icsb_idl = ic_step_idl(step, IC_DB_ICSB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
    };
    problems_begin(ctx.problems, OWNER);
    sync_local_gateways(&ctx);
    sync_remote_gateways(&ctx);
    problems_end(ctx.problems, OWNER);
    return true;
}

const struct ic_step sync_gateway_step = {
    .name = "gateway",
    .description = "local gateways to IC-SB, remote ones to SB",
    .needs_az = true,
    .reads = {
        { IC_DB_SB, &sbrec_table_chassis },
        { IC_DB_SB, &sbrec_table_encap },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_gateway },
        { IC_DB_ICSB, &icsbrec_table_encap },
        /* For their scopes (lib/ts-scope.h): which zones share a transit
         * switch with this one. */
        { IC_DB_ICNB, &icnbrec_table_transit_switch,
          .ignore = { &icnbrec_transit_switch_col_ports,
                      &icnbrec_transit_switch_col_external_ids } },
        { IC_DB_ICNB, &icnbrec_table_transit_router,
          .ignore = { &icnbrec_transit_router_col_ports,
                      &icnbrec_transit_router_col_other_config,
                      &icnbrec_transit_router_col_external_ids } },
    },
    .writes = {
        { IC_DB_SB, &sbrec_table_chassis },
        { IC_DB_SB, &sbrec_table_encap },
        { IC_DB_ICSB, &icsbrec_table_gateway },
        { IC_DB_ICSB, &icsbrec_table_encap },
    },
    .run = sync_gateway_run,
};

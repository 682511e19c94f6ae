/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "ic/sync-address-set.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ctype.h>
#include <string.h>

#include "ic/step.h"
#include "ic/sync-az.h"
#include "lib/metrics.h"
#include "lib/ovn-ic-sb-idl.h"
#include "lib/ovn-nb-idl.h"
#include "lib/ovn-sb-idl.h"
#include "lib/problems.h"
#include "lib/remote-input.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(sync_address_set);

#define OWNER "address-set"

/* For the lines about each set advertised, withdrawn, learned or deleted:
 * a zone may have thousands. */
static struct vlog_rate_limit row_rl = VLOG_RATE_LIMIT_INIT(10, 100);

/* How many invalid addresses of one set a problem quotes. */
#define MAX_QUOTED 3

/* Validation of addresses from other zones. */

/* How OVN's expression lexer reads a constant, as far as an address set
 * entry goes: the formats of lib/lex.c's integer tokens. */
enum const_format {
    CONST_BAD,                  /* Not one constant. */
    CONST_DECIMAL,              /* 0, or no leading zero, below 2**64. */
    CONST_HEX,                  /* "0x" and at most 32 hex digits. */
    CONST_IPV4,
    CONST_IPV6,
    CONST_MAC,                  /* Exactly xx:xx:xx:xx:xx:xx. */
};

/* Returns true if the 'len' bytes at 's' are a MAC address written the
 * one way that OVN's lexer and every zone write it.  (OVS's
 * eth_addr_from_string() is laxer: it skips white space and takes more
 * than two digits a field.) */
static bool
is_mac(const char *s, size_t len)
{
    if (len != 17) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return true;
}

/* Returns the format of the constant that is the 'len' bytes at 's', or
 * CONST_BAD if they are not exactly one constant, as OVN's lexer would
 * reject them or read more than one token. */
static enum const_format
const_format(const char *s, size_t len)
{
    /* The longest valid value is an IPv6 address written out in full with
     * an embedded IPv4 address (45 bytes). */
    char buf[64];
    if (!len || len >= sizeof buf) {
        return CONST_BAD;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';

    if (strspn(buf, "0123456789") == len) {
        if (buf[0] == '0' && len > 1) {
            return CONST_BAD;
        }
        errno = 0;
        strtoull(buf, NULL, 10);
        return errno ? CONST_BAD : CONST_DECIMAL;
    }
    if (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
        return (len - 2 <= 32 && strspn(buf + 2, "0123456789abcdefABCDEF")
                == len - 2 ? CONST_HEX : CONST_BAD);
    }
    if (is_mac(buf, len)) {
        return CONST_MAC;
    }

    struct in_addr in4;
    struct in6_addr in6;
    if (inet_pton(AF_INET, buf, &in4) == 1) {
        return CONST_IPV4;
    } else if (inet_pton(AF_INET6, buf, &in6) == 1) {
        return CONST_IPV6;
    }
    return CONST_BAD;
}

bool
address_set_entry_is_valid(const char *entry)
{
    const char *slash = strchr(entry, '/');
    size_t len = slash ? slash - entry : strlen(entry);
    enum const_format value = const_format(entry, len);
    if (value == CONST_BAD || !slash) {
        return value != CONST_BAD;
    }

    /* The combinations of value and mask that OVN's lexer accepts. */
    const char *mask = slash + 1;
    enum const_format mask_format = const_format(mask, strlen(mask));
    if (mask_format == CONST_BAD) {
        return false;
    } else if (mask_format == value) {
        return true;
    } else if (mask_format == CONST_DECIMAL
               && (value == CONST_IPV4 || value == CONST_IPV6)) {
        return strtoull(mask, NULL, 10) <= (value == CONST_IPV4 ? 32 : 128);
    }
    /* "0/0x..." is the one mix of integer formats that it takes. */
    return (value == CONST_DECIMAL && mask_format == CONST_HEX
            && len == 1 && entry[0] == '0');
}

/* The step's state: what the last run found, for status/show and the
 * metrics. */
struct address_set_stats {
    size_t advertised;          /* This zone's sets in IC-SB. */
    size_t learned;             /* Learned sets in NB. */
    size_t invalid;             /* Addresses from other zones left out. */
};

/* One run. */
struct as_run {
    const struct icsbrec_availability_zone *az;
    struct ovsdb_idl *nb;
    struct ovsdb_idl *sb;
    struct ovsdb_idl *icsb;
    struct ovsdb_idl_txn *nb_txn;
    struct ovsdb_idl_txn *icsb_txn;
    struct problem_set *problems;
    struct address_set_stats stats;
};

/* Adds 'addr' to a row's addresses if 'add', else removes it. */
typedef void address_mutator(const void *row, const char *addr, bool add);

/* Makes the 'n' distinct addresses 'have' of 'row', an address set named
 * 'name', the set 'want', through 'mutate': one mutation per address that
 * differs, as a change to a big set is usually small. */
static void
sync_addresses(const void *row, const char *name, const struct sset *want,
               char **have, size_t n, address_mutator *mutate)
{
    size_t n_del = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sset_contains(want, have[i])) {
            mutate(row, have[i], false);
            n_del++;
        }
    }
    size_t n_add = 0;
    if (n - n_del != sset_count(want)) {
        /* 'have' lacks some of 'want'. */
        struct sset have_set = SSET_INITIALIZER(&have_set);
        sset_add_array(&have_set, have, n);
        const char *s;
        SSET_FOR_EACH (s, want) {
            if (!sset_contains(&have_set, s)) {
                mutate(row, s, true);
                n_add++;
            }
        }
        sset_destroy(&have_set);
    }
    if (n_add || n_del) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
        VLOG_DBG_RL(&rl, "address set %s: %"PRIuSIZE" addresses added, "
                    "%"PRIuSIZE" removed", name, n_add, n_del);
    }
}

static void
mutate_icsb_set(const void *row, const char *addr, bool add)
{
    if (add) {
        icsbrec_address_set_update_addresses_addvalue(row, addr);
    } else {
        icsbrec_address_set_update_addresses_delvalue(row, addr);
    }
}

static void
mutate_nb_set(const void *row, const char *addr, bool add)
{
    if (add) {
        nbrec_address_set_update_addresses_addvalue(row, addr);
    } else {
        nbrec_address_set_update_addresses_delvalue(row, addr);
    }
}

/* Advertising: SB -> IC-SB. */

/* Makes this zone's IC-SB set 'isb' (NULL to create it) hold the addresses
 * of the SB set 'sb_as'. */
static void
publish_set(struct as_run *r, const struct sbrec_address_set *sb_as,
            const struct icsbrec_address_set *isb)
{
    if (!isb) {
        VLOG_INFO_RL(&row_rl, "advertising address set %s", sb_as->name);
        isb = icsbrec_address_set_insert(r->icsb_txn);
        icsbrec_address_set_set_name(isb, sb_as->name);
        icsbrec_address_set_set_availability_zone(isb, r->az);
        row_set_zone_name(&isb->header_,
                          &icsbrec_address_set_col_availability_zone_name,
                          r->az);
        icsbrec_address_set_set_addresses(isb,
                                          (const char **) sb_as->addresses,
                                          sb_as->n_addresses);
        return;
    }

    struct sset want = SSET_INITIALIZER(&want);
    sset_add_array(&want, sb_as->addresses, sb_as->n_addresses);
    sync_addresses(isb, sb_as->name, &want, isb->addresses,
                   isb->n_addresses, mutate_icsb_set);
    sset_destroy(&want);
}

static void
advertise(struct as_run *r, bool enabled)
{
    struct shash ours = SHASH_INITIALIZER(&ours);
    const struct icsbrec_address_set *isb;
    ICSBREC_ADDRESS_SET_FOR_EACH (isb, r->icsb) {
        if (ROW_AZ(isb) != r->az) {
            continue;
        }
        if (!shash_add_once(&ours, isb->name, isb)) {
            /* IC-SB's index on name and zone rules this out. */
            icsbrec_address_set_delete(isb);
        }
    }

    if (enabled && !sbrec_server_has_address_set_table_col_options(r->sb)) {
        VLOG_INFO_ONCE("the Southbound database has no Address_Set options "
                       "(ovn-northd 26.03 or older): no address set can be "
                       "marked options:ic-adv, so ic-as-adv advertises "
                       "nothing and this zone's advertised address sets "
                       "are left as they are");
        r->stats.advertised = shash_count(&ours);
        shash_destroy(&ours);
        return;
    }

    if (enabled) {
        const struct sbrec_address_set *sb_as;
        SBREC_ADDRESS_SET_FOR_EACH (sb_as, r->sb) {
            if (smap_get_bool(&sb_as->options, "ic-adv", false)) {
                publish_set(r, sb_as, shash_find_and_delete(&ours,
                                                            sb_as->name));
                r->stats.advertised++;
            }
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &ours) {
        VLOG_INFO_RL(&row_rl, "withdrawing address set %s: %s",
                     node->name, enabled ? "no longer marked options:ic-adv"
                                         : "ic-as-adv is off");
        icsbrec_address_set_delete(node->data);
    }
    shash_destroy(&ours);
}

/* Learning: IC-SB -> NB. */

static bool
is_learnt(const struct nbrec_address_set *nb_as)
{
    return smap_get_bool(&nb_as->external_ids, "ic-learnt", false);
}

/* Adds the valid addresses of another zone's set 'isb' to 'addrs', and
 * reports the others. */
static void
merge_remote_set(struct as_run *r, const struct icsbrec_address_set *isb,
                 struct sset *addrs)
{
    size_t n_invalid = 0;
    struct ds quoted = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < isb->n_addresses; i++) {
        const char *a = isb->addresses[i];
        if (address_set_entry_is_valid(a)) {
            sset_add(addrs, a);
            continue;
        }
        if (n_invalid++ < MAX_QUOTED) {
            if (quoted.length) {
                ds_put_cstr(&quoted, ", ");
            }
            /* Quoted and escaped, and cut short: it may be anything. */
            char *cut = xmemdup0(a, MIN(strlen(a), 64));
            json_string_escape(cut, &quoted);
            free(cut);
        }
    }
    if (n_invalid) {
        r->stats.invalid += n_invalid;
        char *object = xasprintf("%s from availability zone %s", isb->name,
                                 az_name(ROW_AZ(isb)));
        problems_refuse(r->problems, OWNER, object,
                        "%"PRIuSIZE" invalid address%s left out: %s%s",
                        n_invalid, n_invalid > 1 ? "es" : "",
                        ds_cstr(&quoted),
                        n_invalid > MAX_QUOTED ? ", ..." : "");
        free(object);
    }
    ds_destroy(&quoted);
}

static void
learn(struct as_run *r, bool enabled)
{
    /* Other zones' sets by name, merged: name -> struct sset *. */
    struct shash remote = SHASH_INITIALIZER(&remote);
    if (enabled) {
        const struct icsbrec_address_set *isb;
        ICSBREC_ADDRESS_SET_FOR_EACH (isb, r->icsb) {
            if (!ROW_AZ(isb) || ROW_AZ(isb) == r->az) {
                continue;
            }
            const char *bad_name = remote_input_check_name(isb->name);
            if (bad_name) {
                /* Garbage in NB, and in problems/show if it were named. */
                char *object = remote_input_row_name(isb->name,
                                                     "Address_Set",
                                                     &isb->header_.uuid);
                problems_refuse(r->problems, OWNER, object,
                                "address set of availability zone %s "
                                "refused: %s",
                                az_name(ROW_AZ(isb)), bad_name);
                free(object);
                continue;
            }
            struct sset *addrs = shash_find_data(&remote, isb->name);
            if (!addrs) {
                addrs = xmalloc(sizeof *addrs);
                sset_init(addrs);
                shash_add(&remote, isb->name, addrs);
            }
            merge_remote_set(r, isb, addrs);
        }
    }

    const struct nbrec_address_set *nb_as;
    NBREC_ADDRESS_SET_FOR_EACH_SAFE (nb_as, r->nb) {
        struct sset *addrs = shash_find_and_delete(&remote, nb_as->name);
        if (is_learnt(nb_as)) {
            if (addrs) {
                sync_addresses(nb_as, nb_as->name, addrs, nb_as->addresses,
                               nb_as->n_addresses, mutate_nb_set);
                r->stats.learned++;
            } else {
                VLOG_INFO_RL(&row_rl, "deleting learned address set %s: %s",
                             nb_as->name,
                             enabled ? "no other zone advertises it"
                                     : "ic-as-learn is off");
                nbrec_address_set_delete(nb_as);
            }
        } else if (addrs) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
            VLOG_DBG_RL(&rl, "not learning address set %s: this zone has "
                        "its own", nb_as->name);
        }
        if (addrs) {
            sset_destroy(addrs);
            free(addrs);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &remote) {
        struct sset *addrs = node->data;
        VLOG_INFO_RL(&row_rl, "learning address set %s", node->name);
        struct nbrec_address_set *new = nbrec_address_set_insert(r->nb_txn);
        nbrec_address_set_set_name(new, node->name);
        const char **sorted = sset_sort(addrs);
        nbrec_address_set_set_addresses(new, sorted, sset_count(addrs));
        free(sorted);
        const struct smap ids = SMAP_CONST1(&ids, "ic-learnt", "true");
        nbrec_address_set_set_external_ids(new, &ids);
        r->stats.learned++;
        sset_destroy(addrs);
        free(addrs);
    }
    shash_destroy(&remote);
}

/* The step. */

static void *
address_set_step_create(void)
{
    return xzalloc(sizeof(struct address_set_stats));
}

static void
address_set_step_destroy(void *stats)
{
    free(stats);
}

static bool
sync_address_set_run(struct ic_step_ctx *step)
{
    struct address_set_stats *stats = ic_step_state(step);
    struct as_run r = {
        .az = ic_step_az(step),
        .nb = ic_step_idl(step, IC_DB_NB),
        .sb = ic_step_idl(step, IC_DB_SB),
        .icsb = ic_step_idl(step, IC_DB_ICSB),
        .nb_txn = ic_step_txn(step, IC_DB_NB),
        .icsb_txn = ic_step_txn(step, IC_DB_ICSB),
        .problems = ic_step_problems(step),
    };

    problems_begin(r.problems, OWNER);
    if (!icsbrec_server_has_address_set_table(r.icsb)) {
        VLOG_INFO_ONCE("the IC-SB database runs a schema older than 2.7.0, "
                       "without Address_Set: address-set sync is off");
    } else {
        const struct nbrec_nb_global *g = nbrec_nb_global_first(r.nb);
        advertise(&r, g && smap_get_bool(&g->options, "ic-as-adv", false));
        learn(&r, g && smap_get_bool(&g->options, "ic-as-learn", false));
    }
    problems_end(r.problems, OWNER);

    *stats = r.stats;
    return true;
}

static void
address_set_step_format_status(const void *stats_, struct ds *out)
{
    const struct address_set_stats *stats = stats_;
    ds_put_format(out, "address sets: %"PRIuSIZE" advertised, %"PRIuSIZE
                  " learned, %"PRIuSIZE" invalid addresses left out\n",
                  stats->advertised, stats->learned, stats->invalid);
}

static void
address_set_step_render_metrics(const void *stats_, struct metrics *m)
{
    const struct address_set_stats *stats = stats_;
    metrics_family(m, "ovn_ic_address_sets", METRIC_GAUGE,
                   "Address sets this zone advertises in IC-SB and learns "
                   "from other zones (ic-as-adv, ic-as-learn).");
    metrics_sample(m, "ovn_ic_address_sets", "kind", "advertised",
                   stats->advertised);
    metrics_sample(m, "ovn_ic_address_sets", "kind", "learned",
                   stats->learned);
    metrics_family(m, "ovn_ic_address_set_invalid_addresses", METRIC_GAUGE,
                   "Addresses in other zones' address sets that are not "
                   "valid address-set entries, left out of the learned "
                   "sets.");
    metrics_sample(m, "ovn_ic_address_set_invalid_addresses", NULL, NULL,
                   stats->invalid);
}

const struct ic_step sync_address_set_step = {
    .name = "address-set",
    .description = "advertise and learn address sets (ic-as-adv, "
                   "ic-as-learn)",
    .needs_az = true,
    .reads = {
        { IC_DB_NB, &nbrec_table_nb_global },
        { IC_DB_NB, &nbrec_table_address_set },
        { IC_DB_SB, &sbrec_table_address_set },
        { IC_DB_ICSB, &icsbrec_table_availability_zone,
          .ignore = { &icsbrec_availability_zone_col_nb_ic_cfg } },
        { IC_DB_ICSB, &icsbrec_table_address_set },
    },
    .writes = {
        { IC_DB_NB, &nbrec_table_address_set },
        { IC_DB_ICSB, &icsbrec_table_address_set },
    },
    .create = address_set_step_create,
    .destroy = address_set_step_destroy,
    .run = sync_address_set_run,
    .format_status = address_set_step_format_status,
    .render_metrics = address_set_step_render_metrics,
};

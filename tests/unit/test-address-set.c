/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

/* Table-driven tests of the check on addresses that other zones advertise
 * in their address sets (ic/sync-address-set.h). */

#include <config.h>

#include "ic/sync-address-set.h"
#include "tests/unit/tap.h"
#include "util.h"

struct entry_case {
    const char *entry;
    bool valid;
};

static const struct entry_case entry_cases[] = {
    /* IPv4, with a prefix length or a mask. */
    { "10.0.0.1", true },
    { "1.1.1.1", true },
    { "10.0.0.0/8", true },
    { "10.0.0.1/32", true },
    { "0.0.0.0/0", true },
    { "10.0.0.0/255.0.0.0", true },
    { "10.0.0.0/33", false },
    { "10.0.0.0/0X1", false },
    { "10.0.0.0/+8", false },
    { "10.0.0.0/", false },
    { "10.0.0.0/8/8", false },
    { "10.0.0.256", false },
    { "10.0.0", false },
    { "10.0.0.1x", false },
    { "/8", false },
    /* IPv6, as upstream's test writes it too. */
    { "2001:0db8:85a3:0000:0000:8a2e:0370:7334", true },
    { "2001:db8::1", true },
    { "2001:db8::/32", true },
    { "::/0", true },
    { "::ffff:10.0.0.1", true },
    { "2001:db8::/ffff:ffff::", true },
    { "2001:db8::/129", false },
    { "2001:db8::/255.0.0.0", false },
    { "2001:db8:::1", false },
    { "fe80::1%eth0", false },
    /* Ethernet. */
    { "aa:bb:cc:dd:ee:ff", true },
    { "aa:bb:cc:dd:ee:ff/ff:ff:ff:00:00:00", true },
    { "aa:bb:cc:dd:ee", false },
    { "aa:bb:cc:dd:ee:ff/24", false },
    /* Integers, as OVN's lexer reads them. */
    { "42", true },
    { "0x2a", true },
    { "0x10/0xf0", true },
    { "0x", false },
    { "0xg", false },
    { "1234567890123456789012345678901234567890", false },
    /* What OVS's eth_addr_from_string() took but OVN's lexer does not
     * read as one constant (found by tests/fuzz/fuzz-options). */
    { "e20a:aa:aa:aa:  aa:0", false },
    { "aa:bb:cc:dd:ee: ff", false },
    { "a:b:c:d:e:f", false },
    { "aaa:b:cc:dd:ee:ff", false },
    { "AA:BB:CC:DD:EE:FF", true },
    { "aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:0", false },
    /* Integers OVN's lexer refuses: leading zeros, 2**64 and more, and
     * mixed formats but "0/0x...". */
    { "0", true },
    { "007", false },
    { "10.0.0.0/08", false },
    { "18446744073709551615", true },
    { "18446744073709551616", false },
    { "0x10/16", false },
    { "16/0x10", false },
    { "0/0xffff", true },
    { "5/3", true },
    { "0x00000000000000000000000000000000", true },
    { "0x000000000000000000000000000000001", false },
    /* Anything else. */
    { "", false },
    { " 10.0.0.1", false },
    { "10.0.0.1 ", false },
    { "10.0.0.1 || 1", false },
    { "$other_set", false },
    { "\"10.0.0.1\"", false },
    { "unknown", false },
    { "10.0.0.1,10.0.0.2", false },
};

int
main(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(entry_cases); i++) {
        const struct entry_case *c = &entry_cases[i];
        tap_result(address_set_entry_is_valid(c->entry) == c->valid,
                   "\"%s\" is %s", c->entry, c->valid ? "valid" : "invalid");
    }
    return tap_done();
}

#!/usr/bin/env python3
"""Client-view schemas: the NB and SB columns that ovn-ic reads or writes.

The daemon's NB and SB IDLs are generated from these subsets rather than from
OVN's full schemas, so the list below is the reviewed list of everything the
daemon depends on, and code that touches any other column does not compile.

  client-view.py generate FULL.ovsschema OUT.ovsschema
      Cuts the subset out of an installed OVN schema (done once, by hand,
      when the list changes; the results are committed).
  client-view.py check VIEW.ovsschema FULL.ovsschema
      Exits non-zero unless every table and column of VIEW exists in FULL
      with an identical type and the same isRoot flag, and every table a
      kept reference column points to is kept too.  A column listed in
      NEWER may be missing from FULL (an older OVN's schema), but where FULL
      has it, its type must be the same.

The views are cut from Debian 12's OVN 23.03 schemas.  NEWER lists the
columns the daemon uses that came later, each with the release that added
it and its type there (or, for an enumeration that a later release widened,
the wider type), and NEWER_TABLES the tables that came later, with the
columns the daemon uses; the generated IDL has them, and the daemon
checks with the IDL's *_server_has_*() functions that the server has one
before it reads or writes it.  (Against an older server, OVS's IDL leaves
the column or table out of its monitor request and logs one line saying
so.)
"""

import json
import sys

VIEWS = {
    "OVN_Northbound": {
        "NB_Global": ["name", "options", "external_ids"],
        "Logical_Switch": ["name", "ports", "other_config", "external_ids"],
        "Logical_Switch_Port": ["name", "type", "addresses", "options", "up",
                                "external_ids"],
        "Logical_Router": ["name", "ports", "static_routes", "options",
                           "enabled", "external_ids", "load_balancer",
                           "load_balancer_group"],
        "Logical_Router_Port": ["name", "mac", "networks", "options",
                                "enabled", "external_ids"],
        "Logical_Router_Static_Route": ["ip_prefix", "nexthop", "policy",
                                        "route_table", "output_port",
                                        "options", "external_ids"],
        "Load_Balancer": ["name", "vips"],
        "Load_Balancer_Group": ["name", "load_balancer"],
        "Address_Set": ["name", "addresses", "external_ids"],
    },
    "OVN_Southbound": {
        "SB_Global": ["options"],
        "Chassis": ["name", "hostname", "encaps", "other_config",
                    "external_ids"],
        "Encap": ["type", "options", "ip", "chassis_name"],
        "Datapath_Binding": ["tunnel_key", "external_ids"],
        "Port_Binding": ["logical_port", "type", "datapath", "chassis", "mac",
                         "options", "external_ids", "tunnel_key", "up"],
        "Service_Monitor": ["ip", "protocol", "port", "logical_port",
                            "src_mac", "src_ip", "status", "options"],
        "Address_Set": ["name", "addresses"],
    },
}


NEWER = {
    "OVN_Northbound": {
        "Logical_Router_Port": {
            # OVN 26.03 allows a router port without networks.
            "networks": {"type": {"key": "string", "min": 0,
                                  "max": "unlimited"}},
        },
        "Logical_Switch_Port": {
            # OVN 25.03 (NB 7.11.0), for switch-to-switch peering: the
            # mirror of a transit switch port that is not of type "router"
            # names its peer here.
            "peer": {"type": {"key": "string", "min": 0, "max": 1}},
        },
    },
    "OVN_Southbound": {
        "Service_Monitor": {
            # OVN 24.03 (SB 20.33.0): the chassis that runs the monitor.
            "chassis_name": {"type": "string"},
            # OVN 25.09 (SB 21.5.0), for cross-zone health checks: a
            # monitor of another zone's backend, and one that ovn-ic
            # learned from another zone.
            "remote": {"type": "boolean"},
            "ic_learned": {"type": "boolean"},
            # OVN 26.03 (SB 21.8.0): the monitor's kind, and ICMP.  Both
            # enumerations are the widest, so that the IDL can parse every
            # row a newer northd writes.
            "type": {"type": {"key": {"type": "string", "enum": [
                "set", ["load-balancer", "network-function",
                        "logical-switch-port"]]},
                "min": 0, "max": 1}},
            "protocol": {"type": {"key": {"type": "string", "enum": [
                "set", ["tcp", "udp", "icmp"]]},
                "min": 0, "max": 1}},
        },
        "Address_Set": {
            # Upstream main after 26.03 (SB 21.11.0), for address-set sync:
            # northd copies NB Address_Set options:ic-adv here.
            "options": {"type": {"key": "string", "value": "string",
                                 "min": 0, "max": "unlimited"}},
        },
        "Datapath_Binding": {
            # OVN 26.03 (SB 21.x): the NB row the datapath stands for.
            # Older releases say it in external_ids:logical-router.
            "nb_uuid": {"type": {"key": {"type": "uuid"},
                                 "min": 0, "max": 1}},
        },
    },
}

NEWER_TABLES = {
    "OVN_Southbound": {
        # OVN 25.03 (SB 20.41.0): the routes that dynamic routing (BGP)
        # learned, per router datapath.
        "Learned_Route": {
            "columns": {
                "datapath": {"type": {"key": {
                    "type": "uuid", "refTable": "Datapath_Binding",
                    "refType": "strong"}}},
                "ip_prefix": {"type": "string"},
            },
            "isRoot": True,
        },
    },
}


def widens(newer, full):
    """True if column type 'newer' is 'full' with a wider enumeration or
    wider bounds on the number of elements."""
    if not isinstance(newer, dict) or not isinstance(full, dict):
        return False
    if set(newer) != set(full):
        return False
    for part in newer:
        a, b = newer[part], full[part]
        if part == "min" and isinstance(a, int) and isinstance(b, int):
            if a > b:
                return False
        elif part == "max":
            if a != "unlimited" and (b == "unlimited" or a < b):
                return False
        elif part in ("key", "value") and isinstance(a, dict) \
                and isinstance(b, dict) and "enum" in a and "enum" in b:
            rest_a = {k: v for k, v in a.items() if k != "enum"}
            rest_b = {k: v for k, v in b.items() if k != "enum"}
            if rest_a != rest_b \
                    or not set(b["enum"][1]) <= set(a["enum"][1]):
                return False
        elif a != b:
            return False
    return True


def ref_tables(coltype):
    refs = []
    if isinstance(coltype, dict):
        for part in ("key", "value"):
            base = coltype.get(part)
            if isinstance(base, dict) and "refTable" in base:
                refs.append(base["refTable"])
    return refs


def generate(full_path, out_path):
    full = json.load(open(full_path))
    view = VIEWS[full["name"]]
    tables = {}
    for table, columns in view.items():
        src = full["tables"][table]
        t = {"columns": {c: src["columns"][c] for c in columns}}
        for c, ctype in NEWER.get(full["name"], {}).get(table, {}).items():
            if c in src["columns"] and src["columns"][c] != ctype \
                    and not widens(ctype["type"], src["columns"][c]["type"]):
                sys.exit("%s.%s: type in %s differs from NEWER's"
                         % (table, c, full_path))
            t["columns"][c] = ctype
        if "isRoot" in src:
            t["isRoot"] = src["isRoot"]
        tables[table] = t
    for table, nt in NEWER_TABLES.get(full["name"], {}).items():
        src = full["tables"].get(table)
        if src is not None:
            for c, ctype in nt["columns"].items():
                if src["columns"].get(c) != ctype:
                    sys.exit("%s.%s: type in %s differs from NEWER_TABLES'"
                             % (table, c, full_path))
        tables[table] = nt
    schema = {"name": full["name"], "version": full["version"],
              "tables": tables}
    with open(out_path, "w") as f:
        json.dump(schema, f, indent=4, sort_keys=True)
        f.write("\n")


def check(view_path, full_path):
    view = json.load(open(view_path))
    full = json.load(open(full_path))
    errors = []
    if view["name"] != full["name"]:
        errors.append("schema name %s != %s" % (view["name"], full["name"]))
    for table, t in view["tables"].items():
        ft = full["tables"].get(table)
        if ft is None and NEWER_TABLES.get(view["name"], {}).get(table) == t:
            continue            # Newer than FULL; the daemon checks.
        if ft is None:
            errors.append("table %s missing from %s" % (table, full_path))
            continue
        if t.get("isRoot", False) != ft.get("isRoot", False):
            errors.append("table %s: isRoot differs" % table)
        for col, ctype in t["columns"].items():
            fc = ft["columns"].get(col)
            newer = NEWER.get(view["name"], {}).get(table, {}).get(col)
            if fc is None and newer == ctype:
                pass            # Newer than FULL; the daemon checks.
            elif fc is None:
                errors.append("column %s.%s missing" % (table, col))
            elif fc != ctype and not (
                    set(fc) == set(ctype)
                    and widens(ctype["type"], fc["type"])):
                # A wider enumeration in the view is fine: the IDL parses
                # every value the server can hold.  (OVN 25.09 dropped
                # "stt" from Encap.type, for example.)
                errors.append("column %s.%s: type differs" % (table, col))
            for ref in ref_tables(ctype.get("type")):
                if ref not in view["tables"]:
                    errors.append("column %s.%s refers to %s, not in view"
                                  % (table, col, ref))
    for e in errors:
        print("%s: %s" % (view_path, e), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "generate":
        generate(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)

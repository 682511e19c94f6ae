#!/usr/bin/env python3
"""A rogue zone for tests/ic-rogue-zone.sh: writes random valid and invalid
rows straight into IC-SB, as a hostile or broken zone could, and tells
what the real zones' daemons made of them.  Standard library only; the
JSON-RPC client is tests/perf/bench_helper.py's.

  snapshot NB_SOCK SB_SOCK
      Prints a zone's NB and SB tables that other zones' rows can touch,
      one canonical line per row, sorted, without UUIDs (a reference is
      replaced by the name or the contents of the row it points to).

  storm ICSB_SOCK MANIFEST SEED ROWS SECONDS LOCALS...
      Registers availability zone "rogue" and writes ROWS rows, one
      transaction each, spread over at most SECONDS seconds, of kinds and
      values drawn from a random generator seeded with SEED.  LOCALS are
      ZONE=NAME,NAME,... lists of the names that each real zone holds
      (switches, ports, routers, chassis), which some kinds reuse.  Writes
      what it tried to MANIFEST (JSON).

  tally MANIFEST ICSB_SOCK ZONE=NB_SOCK,SB_SOCK,CTL... [--quiet]
      Compares what each zone did with each row (its problems/show, the
      copies in its NB and SB, learned routes, IC-SB) with what the row's
      kind calls for.  Prints
      one "rogue-kinds: ..." line (unless --quiet) and exits 1 if some row
      was not handled as it should have been.

  clean ICSB_SOCK
      Deletes every row of zone "rogue", its health checks and datapath
      bindings, and the zone.
"""

import json
import os
import random
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "perf"))
from bench_helper import Conn, omap  # noqa: E402

ICSB = "OVN_IC_Southbound"
ROGUE = "rogue"
TS = "ts1"
# Nothing the rogue zone writes names this transit switch or datapath key
# but the kinds below that say so.
ROGUE_DP_KEYS = (16000000, 16700000)


def select(conn, db, table, where=None, columns=None):
    op = {"op": "select", "table": table, "where": where or []}
    if columns:
        op["columns"] = columns
    return conn.call("transact", [db, op])[0]["rows"]


def transact(conn, db, ops):
    """Returns None if the transaction committed, else its error."""
    res = conn.call("transact", [db] + ops)
    for r in res:
        if r is not None and "error" in r:
            return "%s: %s" % (r["error"], r.get("details", ""))
    return None


# Snapshots.

SNAPSHOT = {
    "OVN_Northbound": ["Address_Set", "Logical_Switch",
                       "Logical_Switch_Port", "Logical_Router",
                       "Logical_Router_Port", "Logical_Router_Static_Route"],
    "OVN_Southbound": ["Chassis", "Encap", "Port_Binding",
                       "Service_Monitor"],
}
# Columns that change on their own, with no other zone's help.
VOLATILE = {"_uuid", "_version", "nb_cfg", "nb_cfg_timestamp", "up",
            "datapath", "chassis_private"}


def canonical(value, names):
    if isinstance(value, list) and len(value) == 2:
        kind, inner = value
        if kind == "uuid":
            return names.get(inner, "?")
        if kind in ("set", "map"):
            return [kind, sorted(json.dumps(canonical(v, names),
                                            sort_keys=True)
                                 for v in inner)]
    if isinstance(value, list):
        return [canonical(v, names) for v in value]
    return value


def row_name(table, row):
    n = row.get("name") or row.get("logical_port")
    return "%s:%s" % (table, n) if isinstance(n, str) and n else None


def row_body(row, names):
    return json.dumps({c: canonical(v, names) for c, v in row.items()
                       if c not in VOLATILE}, sort_keys=True)


def cmd_snapshot(nb_sock, sb_sock):
    out = []
    for db, sock in (("OVN_Northbound", nb_sock),
                     ("OVN_Southbound", sb_sock)):
        conn = Conn(sock)
        schema = conn.call("get_schema", [db])
        tables = {t: select(conn, db, t) for t in SNAPSHOT[db]
                  if t in schema["tables"]}
        conn.close()
        # A row with a name is named by it; one without (a route, an
        # encapsulation) by its contents, in which references to named
        # rows are resolved.
        names = {}
        for t, rows in tables.items():
            for r in rows:
                n = row_name(t, r)
                if n:
                    names[r["_uuid"][1]] = n
        nameless = {}
        for t, rows in tables.items():
            for r in rows:
                if not row_name(t, r):
                    nameless[r["_uuid"][1]] = row_body(r, names)
        names.update(nameless)
        for t, rows in tables.items():
            for r in rows:
                out.append("%s %s %s" % (db, t, row_body(r, names)))
    for line in sorted(out):
        print(line)


# The storm.  Each kind makes one row (or a gateway and its encapsulation)
# and says what each real zone must make of it:
#   refuse:  listed in problems/show as refused ("refusers": which zones);
#   accept:  copied, not refused;
#   ignore:  neither (nothing here uses it, e.g. an unknown transit switch);
#   delete:  gone from IC-SB once the global writer has seen it;
#   unlearned / learned: a route, not learned / learned by the zones.
# A row IC-SB itself rejects (its schema or an index) counts as rejected,
# whatever its kind.

class Storm:
    def __init__(self, rng, locals_, real_keys, az_uuid, svcmon):
        self.rng = rng
        self.locals = locals_
        self.zones = sorted(locals_)
        self.real_keys = real_keys
        self.az = ["uuid", az_uuid]
        self.svcmon = svcmon
        self.n = 0
        self.used_keys = set(real_keys)

    def uniq(self, prefix):
        self.n += 1
        return "%s-%d" % (prefix, self.n)

    def key(self):
        while True:
            k = self.rng.randint(1000, 30000)
            if k not in self.used_keys:
                self.used_keys.add(k)
                return k

    def ip(self):
        return "192.168.%d.%d" % (self.rng.randint(100, 250),
                                  self.rng.randint(1, 254))

    def mac(self):
        return "0a:%02x:%02x:%02x:%02x:%02x" % tuple(
            self.rng.randint(0, 255) for _ in range(5))

    # Gateways.
    def gateway(self, name, etype="geneve", ip=None, options=None):
        ip = ip if ip is not None else self.ip()
        return [{"op": "insert", "table": "Encap", "uuid-name": "e",
                 "row": {"type": etype, "ip": ip, "gateway_name": name,
                         "options": omap(options or {})}},
                {"op": "insert", "table": "Gateway",
                 "row": {"name": name, "hostname": name,
                         "availability_zone": self.az,
                         "encaps": ["named-uuid", "e"]}}]

    def k_gw_valid(self):
        name = self.uniq("rg-gw")
        return name, "Gateway", self.gateway(
            name, options={"csum": "true"}), "accept"

    def k_gw_bad_ip(self):
        name = self.uniq("rg-gw")
        ip = self.rng.choice(["not-an-ip", "300.1.1.1", "", "10.0.0.1/24",
                              "1.2.3", "::g"])
        return name, "Gateway", self.gateway(name, ip=ip), "refuse"

    def k_gw_bad_type(self):
        name = self.uniq("rg-gw")
        return name, "Gateway", self.gateway(
            name, etype=self.rng.choice(["gre", "stt", "", "GENEVE"])), \
            "refuse"

    def k_gw_bad_options(self):
        name = self.uniq("rg-gw")
        opts = self.rng.choice([{"csum": "maybe"}, {"dst_port": "0"},
                                {"dst_port": "70000"},
                                {"is_default": "1"},
                                {"x": "v" * 2000}, {"bad\tkey": "1"}])
        return name, "Gateway", self.gateway(name, options=opts), "refuse"

    def k_gw_local_name(self):
        z = self.rng.choice(self.zones)
        name = "gw_" + z
        return name, "Gateway", self.gateway(name), "refuse"

    def k_gw_bad_name(self):
        name = self.rng.choice(["", "gw\nrogue", "g" * 1100])
        return name, "Gateway", self.gateway(name), "refuse"

    # Port bindings on the transit switch.
    def port(self, name, key=None, gateway=None, address=None, ts=TS):
        return [{"op": "insert", "table": "Port_Binding",
                 "row": {"logical_port": name, "transit_switch": ts,
                         "availability_zone": self.az,
                         "tunnel_key": key if key is not None else self.key(),
                         "gateway": gateway or "rg-gw-valid",
                         "address": (address if address is not None
                                     else "%s 169.254.100.%d/24"
                                     % (self.mac(),
                                        self.rng.randint(100, 250))),
                         "type": "transit-switch-port"}}]

    def k_pb_valid(self):
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(name), "accept"

    def k_pb_local_name(self):
        z = self.rng.choice(self.zones)
        name = self.rng.choice(self.locals[z])
        refusers = [y for y in self.zones if name in self.locals[y]]
        return name, "Port_Binding", self.port(name), ("refuse", refusers)

    def k_pb_bad_address(self):
        name = self.uniq("rg-port")
        address = self.rng.choice([
            "zzz", " ", "aa:aa:aa:aa:aa 169.254.100.9/24",
            "01:00:5e:00:00:01 10.0.0.1", "00:00:00:00:00:00",
            "0a:00:00:00:00:01 169.254.100.300",
            "0a:00:00:00:00:01  10.0.0.1", "0a:00:00:00:00:01\n",
            "0a:00:00:00:00:01 " + "10.0.0.1 " * 400])
        return name, "Port_Binding", self.port(name, address=address), \
            "refuse"

    def k_pb_duplicate_key(self):
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(
            name, key=self.rng.choice(self.real_keys)), "refuse"

    def k_pb_key_out_of_range(self):
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(
            name, key=self.rng.choice([0, -1, 32768, 1 << 40])), "refuse"

    def k_pb_local_gateway(self):
        z = self.rng.choice(self.zones)
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(
            name, gateway="gw_" + z), ("refuse", [z])

    def k_pb_unknown_switch(self):
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(name, ts="rg-nots"), "ignore"

    def k_pb_bad_name(self):
        name = self.rng.choice(["p\x01", "p" * 1100, "p\tq"])
        return name, "Port_Binding", self.port(name), "refuse"

    # Routes.
    def route(self, prefix, nexthop):
        return [{"op": "insert", "table": "Route",
                 "row": {"transit_switch": TS, "availability_zone": self.az,
                         "ip_prefix": prefix, "nexthop": nexthop,
                         "origin": "static", "route_table": ""}}]

    def k_route_valid(self):
        prefix = "10.%d.%d.0/24" % (self.rng.randint(200, 250),
                                    self.rng.randint(0, 255))
        return prefix, "Route", self.route(
            prefix, "169.254.100.%d" % self.rng.randint(100, 250)), "learned"

    def k_route_bad_prefix(self):
        prefix = self.rng.choice(["10.0.0.0/33", "zzz", "", "10.1.0.0/",
                                  "2001:db8::/129", "10.1.0.0/16 "])
        return prefix, "Route", self.route(prefix, "169.254.100.99"), \
            "unlearned"

    def k_route_bad_nexthop(self):
        prefix = "10.%d.0.0/16" % self.rng.randint(100, 150)
        return prefix, "Route", self.route(
            prefix, self.rng.choice(["not-an-ip", "", "discard",
                                     "169.254.100.256"])), "unlearned"

    def k_route_family_mismatch(self):
        prefix = "2001:db8:%x::/48" % self.rng.randint(1, 0xffff)
        return prefix, "Route", self.route(prefix, "169.254.100.99"), \
            "unlearned"

    # Datapath bindings: another binding of the real transit switch.
    def k_dp_duplicate(self):
        key = self.rng.randint(*ROGUE_DP_KEYS)
        return str(key), "Datapath_Binding", [
            {"op": "insert", "table": "Datapath_Binding",
             "row": {"transit_switch": TS, "tunnel_key": key,
                     "type": "transit-switch"}}], "delete"

    # Health checks aimed at a real zone's VM.
    def monitor(self, z, ip="10.1.0.5", src_ip="10.1.0.9", options=None,
                lport=None):
        return [{"op": "insert", "table": "Service_Monitor",
                 "row": {"logical_port": lport or "vm_" + z, "ip": ip,
                         "port": self.rng.randint(1, 65535),
                         "protocol": "tcp", "src_ip": src_ip,
                         "src_mac": "0a:00:00:00:00:99",
                         "target_availability_zone": z,
                         "source_availability_zone": ROGUE,
                         "options": omap(options or {"interval": "5"})}}]

    def svcmon_expect(self, z, want):
        return (want, [z]) if self.svcmon else "ignore"

    def k_sm_valid(self):
        z = self.rng.choice(self.zones)
        return None, "Service_Monitor", self.monitor(z), \
            self.svcmon_expect(z, "accept")

    def k_sm_invalid(self):
        z = self.rng.choice(self.zones)
        bad = self.rng.choice([
            {"src_ip": "junk"}, {"ip": "not-an-ip"},
            {"ip": "2001:db8::5"}, {"options": {"interval": "0"}},
            {"options": {"failure_count": "99999999999"}},
            {"lport": "vm\t" + z}, {"options": {"timeout": "-5"}}])
        return None, "Service_Monitor", self.monitor(z, **bad), \
            self.svcmon_expect(z, "refuse")

    # Address sets.
    def address_set(self, name, addresses):
        return [{"op": "insert", "table": "Address_Set",
                 "row": {"name": name, "availability_zone": self.az,
                         "addresses": ["set", addresses]}}]

    def k_as_valid(self):
        name = self.uniq("rg_as")
        return name, "Address_Set", self.address_set(
            name, ["10.%d.0.0/16" % self.rng.randint(0, 255),
                   "2001:db8::%x" % self.rng.randint(1, 0xffff),
                   "0a:00:00:00:00:%02x" % self.rng.randint(0, 255)]), \
            "accept"

    def k_as_bad_addresses(self):
        name = self.uniq("rg_as")
        return name, "Address_Set", self.address_set(
            name, ["10.0.0.1", self.rng.choice(
                ["not-an-address", "10.0.0.1 || 1", "2001:db8::/129",
                 "10.0.0.256", "", "x" * 3000])]), "refuse"

    def k_as_bad_name(self):
        name = self.rng.choice(["", "as\nrogue", "a" * 1100])
        return name, "Address_Set", self.address_set(name, ["10.0.0.1"]), \
            "refuse"

    # Rows that were valid and go bad: a later update.  Each returns, as a
    # fifth element, which inserted row to update (an index into the
    # operations), its table and the new values.
    def k_pb_turns_bad(self):
        name = self.uniq("rg-port")
        return name, "Port_Binding", self.port(name), "refuse", \
            (0, "Port_Binding", {"address": "zzz"})

    def k_gw_turns_bad(self):
        name = self.uniq("rg-gw")
        return name, "Gateway", self.gateway(name), "refuse", \
            (0, "Encap", {"options": omap({"dst_port": "0"})})

    def k_route_turns_bad(self):
        name, table, ops, _ = self.k_route_valid()
        return name, table, ops, "unlearned", \
            (0, "Route", {"nexthop": "not-an-ip"})

    # Another zone's name.
    def k_az_impersonate(self):
        z = self.rng.choice(self.zones)
        return z, "Availability_Zone", [
            {"op": "insert", "table": "Availability_Zone",
             "row": {"name": z}}], "refuse"


KINDS = sorted(k[2:] for k in dir(Storm) if k.startswith("k_"))


def cmd_storm(sock, manifest, seed, nrows, seconds, locals_args, svcmon):
    rng = random.Random(seed)
    locals_ = {}
    for arg in locals_args:
        z, names = arg.split("=", 1)
        locals_[z] = names.split(",")
    conn = Conn(sock)
    err = transact(conn, ICSB, [{"op": "insert", "table": "Availability_Zone",
                                 "row": {"name": ROGUE}}])
    if err:
        raise SystemExit("cannot register the rogue zone: " + err)
    az = select(conn, ICSB, "Availability_Zone", [["name", "==", ROGUE]])
    real_keys = sorted(r["tunnel_key"] for r in select(
        conn, ICSB, "Port_Binding", [["transit_switch", "==", TS]]))
    storm = Storm(rng, locals_, real_keys, az[0]["_uuid"][1], svcmon)

    # The one valid gateway that the valid ports use.
    transact(conn, ICSB, storm.gateway("rg-gw-valid"))

    rows = []
    start = time.time()
    for i in range(nrows):
        kind = rng.choice(KINDS)
        name, table, ops, expect, *then = getattr(storm, "k_" + kind)()
        if isinstance(expect, str):
            expect = (expect, storm.zones)
        res = conn.call("transact", [ICSB] + ops)
        err = next(("%s: %s" % (r["error"], r.get("details", ""))
                    for r in res if r is not None and "error" in r), None)
        uuid = None
        row = dict(ops[-1]["row"])
        if not err:
            uuid = res[-1]["uuid"][1]
        if not err and then:
            # Let the zones copy the valid row first, now and then.
            if rng.random() < 0.5:
                time.sleep(seconds / nrows)
            index, utable, update = then[0]
            err = transact(conn, ICSB, [
                {"op": "update", "table": utable, "row": update,
                 "where": [["_uuid", "==", res[index]["uuid"]]]}])
            if utable == table:
                row.update(update)
        rows.append({"kind": kind, "table": table, "name": name,
                     "uuid": uuid, "expect": expect[0],
                     "zones": expect[1], "row": row, "rejected": err})
        # Spread the rows over the time allowed.
        pause = start + seconds * (i + 1) / nrows - time.time()
        if pause > 0:
            time.sleep(pause)
    conn.close()
    with open(manifest, "w") as f:
        json.dump({"seed": seed, "rows": rows,
                   "seconds": round(time.time() - start, 2)}, f)


# Tallying.

def row_object(row):
    """The name the daemons list a refused row under in problems/show (see
    remote_input_row_name())."""
    def good(s):
        return (isinstance(s, str) and s and len(s) <= 1024
                and not any(ord(c) < 32 or ord(c) == 127 for c in s))
    r = row["row"]
    fallback = "%s %s" % (row["table"], row["uuid"])
    if row["table"] == "Service_Monitor":
        name = "%s %s:%d" % (r["logical_port"], r["ip"], r["port"])
    elif row["table"] == "Route":
        name = "%s via %s" % (r["ip_prefix"], r["nexthop"])
    elif row["table"] == "Address_Set" and good(row["name"]):
        return "%s from availability zone %s" % (row["name"], ROGUE)
    else:
        name = row["name"]
    return name if good(name) else fallback


OWNERS = {"Port_Binding": "port", "Gateway": "gateway", "Route": "route",
          "Service_Monitor": "service-monitor",
          "Address_Set": "address-set"}


class ZoneView:
    """What a zone made of other zones' rows: its refusals, and the copies
    in its NB and SB."""

    def __init__(self, nb_sock, sb_sock, ctl):
        self.problems = subprocess.run(
            ["ovn-appctl", "-t", ctl, "problems/show"], capture_output=True,
            text=True, check=True).stdout.splitlines()
        nb = Conn(nb_sock)
        routes = select(nb, "OVN_Northbound", "Logical_Router_Static_Route",
                        None, ["ip_prefix", "external_ids"])
        self.learned = {r["ip_prefix"] for r in routes
                        if any(k == "ic-learned-route"
                               for k, _ in r["external_ids"][1])}
        self.copies = {
            "Port_Binding": {r["name"] for r in select(
                nb, "OVN_Northbound", "Logical_Switch_Port",
                [["type", "==", "remote"]], ["name"])},
            "Address_Set": {r["name"] for r in select(
                nb, "OVN_Northbound", "Address_Set", None, ["name"])},
        }
        nb.close()
        sb = Conn(sb_sock)
        self.copies["Gateway"] = {r["name"] for r in select(
            sb, "OVN_Southbound", "Chassis", None, ["name"])}
        schema = sb.call("get_schema", ["OVN_Southbound"])
        self.copies["Service_Monitor"] = set()
        if "ic_learned" in schema["tables"]["Service_Monitor"]["columns"]:
            self.copies["Service_Monitor"] = {
                "%s %s:%d" % (r["logical_port"], r["ip"], r["port"])
                for r in select(sb, "OVN_Southbound", "Service_Monitor",
                                [["ic_learned", "==", True]],
                                ["logical_port", "ip", "port"])}
        sb.close()


def handled(row, views, icsb_dps):
    """Returns None if every zone did with 'row' what its kind calls for,
    else what went wrong."""
    if row["rejected"]:
        return None
    expect = row["expect"]
    if expect == "delete":
        return ("still in IC-SB" if row["uuid"] in icsb_dps else None)
    for z, view in views.items():
        must = z in row["zones"]
        obj = row_object(row)
        prefix = "%s: %s: " % (OWNERS[row["table"]], obj)
        refused = any(p.startswith(prefix) for p in view.problems)
        if row["table"] == "Route":
            got = row["name"] in view.learned
            if expect == "learned" and must and (not got or refused):
                return "%s did not learn it" % z
            if expect == "unlearned" and (got or not refused):
                return "%s learned it or did not refuse it" % z
            continue
        if expect == "refuse" and must and not refused:
            return "%s did not refuse it" % z
        if expect in ("accept", "ignore") and refused:
            return "%s refused it" % z
        copied = (row["table"] in view.copies
                  and (obj if row["table"] == "Service_Monitor"
                       else row["name"]) in view.copies[row["table"]])
        if expect == "accept" and must and not copied:
            return "%s did not copy it" % z
        if expect == "ignore" and copied:
            return "%s copied it" % z
    return None


def cmd_tally(manifest, icsb_sock, zone_args, quiet):
    with open(manifest) as f:
        m = json.load(f)
    views = {}
    for arg in zone_args:
        z, rest = arg.split("=", 1)
        views[z] = ZoneView(*rest.split(","))
    conn = Conn(icsb_sock)
    icsb_dps = {r["_uuid"][1] for r in select(conn, ICSB,
                                              "Datapath_Binding")}
    conn.close()

    kinds = {}
    wrong = []
    for row in m["rows"]:
        k = kinds.setdefault(row["kind"], {"tried": 0, "rejected": 0,
                                           "refused": 0, "accepted": 0,
                                           "ignored": 0})
        k["tried"] += 1
        why = handled(row, views, icsb_dps)
        if why:
            wrong.append("%s %r: %s" % (row["kind"], row_object(row), why))
        elif row["rejected"]:
            k["rejected"] += 1
        elif row["expect"] in ("refuse", "delete", "unlearned"):
            k["refused"] += 1
        elif row["expect"] == "ignore":
            k["ignored"] += 1
        else:
            k["accepted"] += 1
    if not quiet:
        cols = ("tried", "rejected", "refused", "accepted", "ignored")
        total = {c: sum(k[c] for k in kinds.values()) for c in cols}
        print("rogue-kinds: %d kinds, %d rows in %.1f s (seed %d): "
              "%d rejected by IC-SB, %d refused by the daemons, %d valid "
              "accepted, %d ignored; per kind %s: %s" % (
                  len(kinds), total["tried"], m["seconds"], m["seed"],
                  total["rejected"], total["refused"], total["accepted"],
                  total["ignored"], "/".join(cols),
                  " ".join("%s=%s" % (name, "/".join(str(k[c])
                                                     for c in cols))
                           for name, k in sorted(kinds.items()))))
    for w in wrong:
        print("mishandled: " + w, file=sys.stderr)
    sys.exit(1 if wrong else 0)


def cmd_clean(sock):
    conn = Conn(sock)
    az = select(conn, ICSB, "Availability_Zone", [["name", "==", ROGUE]])
    ops = [{"op": "delete", "table": "Service_Monitor",
            "where": [["source_availability_zone", "==", ROGUE]]},
           {"op": "delete", "table": "Datapath_Binding",
            "where": [["tunnel_key", ">=", ROGUE_DP_KEYS[0]],
                      ["tunnel_key", "<=", ROGUE_DP_KEYS[1]]]}]
    if az:
        ref = ["uuid", az[0]["_uuid"][1]]
        for t in ("Gateway", "Port_Binding", "Route", "Address_Set"):
            ops.append({"op": "delete", "table": t,
                        "where": [["availability_zone", "==", ref]]})
        ops.append({"op": "delete", "table": "Availability_Zone",
                    "where": [["_uuid", "==", ref]]})
    err = transact(conn, ICSB, ops)
    conn.close()
    if err:
        raise SystemExit("clean: " + err)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "snapshot":
        cmd_snapshot(args[0], args[1])
    elif cmd == "storm":
        svcmon = "--svcmon" in args
        args = [a for a in args if a != "--svcmon"]
        cmd_storm(args[0], args[1], int(args[2]), int(args[3]),
                  float(args[4]), args[5:], svcmon)
    elif cmd == "tally":
        quiet = "--quiet" in args
        args = [a for a in args if a != "--quiet"]
        cmd_tally(args[0], args[1], args[2:], quiet)
    elif cmd == "clean":
        cmd_clean(args[0])
    else:
        raise SystemExit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()

"""Helper for tests/perf/bench-federation.sh: the federation's topology,
over raw OVSDB JSON-RPC on unix sockets (bench_helper.Conn).

Subcommands:

  scopes Z S K U
      Prints, one line per transit switch, "tsI zA,zB,..": S switches,
      switch I scoped to K of the Z zones, drawn by a random generator
      seeded with I (the same lab every time; every zone is in about S*K/Z
      switches and shares them with many zones), then U unscoped switches
      ("tsI -").
  icnb SOCK SCOPES_FILE
      Adds the switches of SCOPES_FILE to IC-NB in one transaction.
  zone SOCK Z GATEWAY SCOPES_FILE R
      Adds to zone zZ's NB, in one transaction, for every switch whose
      scope includes it: the Logical_Switch (pre-created with
      other_config:interconn-ts, which the daemon adopts), a router with a
      port on it whose Gateway_Chassis is GATEWAY, an internal port (a /24
      of 10.0.0.0/8 and up) whose network the router advertises, and R
      static /32 routes (in 100.64.0.0/10) via that network, advertised
      too.  Zones up to 63, switches up to 1023, R up to 64.
      Prints the number of switches.
  rows SOCK
      Prints the IC-SB row counts of the tables the daemon replicates, as
      JSON.
"""

import json
import random
import sys

from bench_helper import Conn, omap


def scopes(z, s, k, u):
    out = []
    for i in range(s):
        zones = sorted(x + 1 for x in random.Random(i).sample(range(z), k))
        out.append(("ts%05d" % (i + 1), ",".join("z%d" % x for x in zones)))
    for i in range(u):
        out.append(("ts%05d" % (s + i + 1), None))
    return out


def read_scopes(path):
    res = []
    with open(path) as f:
        for line in f:
            name, scope = line.split()
            res.append((name, None if scope == "-" else scope))
    return res


def cmd_icnb(sock, path):
    c = Conn(sock)
    ops = []
    for name, scope in read_scopes(path):
        row = {"name": name}
        if scope:
            row["other_config"] = omap({"availability-zones": scope})
        ops.append({"op": "insert", "table": "Transit_Switch", "row": row})
    c.transact("OVN_IC_Northbound", ops)
    c.close()


def cmd_zone(sock, z, gw, path, routes):
    c = Conn(sock)
    ops = [{"op": "mutate", "table": "NB_Global", "where": [],
            "mutations": [["options", "insert",
                           omap({"ic-route-adv": "true",
                                 "ic-route-learn": "true"})]]}]
    n = 0
    for idx, (ts, scope) in enumerate(read_scopes(path), 1):
        if scope and "z%d" % z not in scope.split(","):
            continue
        n += 1
        lr, lrp, lrpi = "lr-z%d-%s" % (z, ts), "lrp-z%d-%s" % (z, ts), \
            "lrpi-z%d-%s" % (z, ts)
        lsp = "lsp-%s-z%d" % (ts, z)
        mac = "0a:%02x:00:%02x:%02x:01" % (z, (idx >> 8) & 255, idx & 255)
        maci = "0a:%02x:01:%02x:%02x:01" % (z, (idx >> 8) & 255, idx & 255)
        net = "169.%d.%d.%d/24" % (254 - (idx >> 8), idx & 255, z)
        neti = "%d.%d.%d.1/24" % (10 + (idx >> 8), z, idx & 255)
        nexthop = "%d.%d.%d.2" % (10 + (idx >> 8), z, idx & 255)
        tag = "x%d" % idx
        for r in range(routes):
            a = 0x64400000 + (z << 16) + (idx << 6) + r
            ops.append({"op": "insert", "table": "Logical_Router_Static_Route",
                        "uuid-name": "sr%s_%d" % (tag, r),
                        "row": {"ip_prefix": "%d.%d.%d.%d/32" % (
                                    a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                                    a & 255),
                                "nexthop": nexthop}})
        ops += [
            {"op": "insert", "table": "Gateway_Chassis",
             "uuid-name": "gc" + tag,
             "row": {"name": "%s-%s" % (lrp, gw), "chassis_name": gw,
                     "priority": 1}},
            {"op": "insert", "table": "Logical_Router_Port",
             "uuid-name": "lrp" + tag,
             "row": {"name": lrp, "mac": mac, "networks": net,
                     "gateway_chassis": ["named-uuid", "gc" + tag]}},
            {"op": "insert", "table": "Logical_Router_Port",
             "uuid-name": "lrpi" + tag,
             "row": {"name": lrpi, "mac": maci, "networks": neti}},
            {"op": "insert", "table": "Logical_Router",
             "row": {"name": lr,
                     "ports": ["set", [["named-uuid", "lrp" + tag],
                                       ["named-uuid", "lrpi" + tag]]],
                     "static_routes": ["set", [
                         ["named-uuid", "sr%s_%d" % (tag, r)]
                         for r in range(routes)]]}},
            {"op": "insert", "table": "Logical_Switch_Port",
             "uuid-name": "lsp" + tag,
             "row": {"name": lsp, "type": "router", "addresses": "router",
                     "options": omap({"router-port": lrp})}},
            {"op": "insert", "table": "Logical_Switch",
             "row": {"name": ts,
                     "other_config": omap({"interconn-ts": ts}),
                     "ports": ["named-uuid", "lsp" + tag]}},
        ]
    c.transact("OVN_Northbound", ops)
    c.close()
    print(n)


TABLES = ("Availability_Zone", "Gateway", "Encap", "Datapath_Binding",
          "Port_Binding", "Route")


def cmd_rows(sock):
    c = Conn(sock)
    res = c.transact("OVN_IC_Southbound", [
        {"op": "select", "table": t, "where": [], "columns": ["_uuid"]}
        for t in TABLES])
    print(json.dumps({t: len(r["rows"]) for t, r in zip(TABLES, res)}))
    c.close()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "scopes":
        for name, scope in scopes(*[int(a) for a in args]):
            print(name, scope or "-")
    elif cmd == "icnb":
        cmd_icnb(args[0], args[1])
    elif cmd == "zone":
        cmd_zone(args[0], int(args[1]), args[2], args[3], int(args[4]))
    elif cmd == "rows":
        cmd_rows(args[0])
    else:
        raise SystemExit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()

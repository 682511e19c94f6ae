#!/usr/bin/env python3
"""The interconnection state of tests/ic-faults.sh, and what it must be.

    faults_state.py expected WORKLOAD
    faults_state.py snapshot ICSB ZONE=NB,SB...
    faults_state.py wait WORKLOAD SINCE TIMEOUT ICSB ZONE=NB,SB...

WORKLOAD is the file in which the test records what it built: lines
"zone NAME INDEX", "round R SWITCHES PORTS ROUTES" and "gone R" (round R
deleted again).  "expected" prints
the state that a clean run of that workload gives, "snapshot" the state
that the databases hold (ICSB and each zone's NB and SB are unix socket
paths), one fact a line, sorted, so that a lost row is a missing line and
a duplicated row a repeated one.  "wait" polls until the two agree, then
prints the seconds since SINCE (a Unix time); at TIMEOUT seconds it prints
what is lost and what is duplicated and fails.

Tunnel keys and UUIDs are left out: they may differ between runs.  Keys
must be distinct, which a line "dup-key" would report.
"""

import collections
import json
import socket
import sys
import time


def transact(path, db, tables):
    """Selects every row of TABLES (a dict table -> columns) from DB."""
    ops = [db] + [{"op": "select", "table": t, "where": [], "columns": c}
                  for t, c in tables.items()]
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(2)
    try:
        s.connect(path)
        s.sendall(json.dumps({"method": "transact", "params": ops,
                              "id": 1}).encode())
        buf = ""
        dec = json.JSONDecoder()
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                raise OSError("connection closed")
            buf += chunk.decode()
            try:
                msg, _ = dec.raw_decode(buf)
            except ValueError:
                continue
            if msg.get("id") != 1:
                buf = ""
                continue
            break
    finally:
        s.close()
    if msg.get("error"):
        raise OSError(str(msg["error"]))
    out = {}
    for t, r in zip(tables, msg["result"]):
        if "error" in r:
            raise OSError(str(r))
        out[t] = r["rows"]
    return out


def atoms(v):
    """The atoms of an OVSDB set (or a single atom)."""
    if isinstance(v, list) and v and v[0] == "set":
        return [atoms(x)[0] for x in v[1]]
    if isinstance(v, list) and v and v[0] == "uuid":
        return [v[1]]
    return [v]


def omap(v):
    return {k: x for k, x in v[1]}


def uid(row):
    return row["_uuid"][1]


def snapshot(icsb, zones):
    lines = []
    sb = transact(icsb, "OVN_IC_Southbound", {
        "Availability_Zone": ["_uuid", "name"],
        "Gateway": ["name", "availability_zone"],
        "Datapath_Binding": ["transit_switch", "type", "tunnel_key"],
        "Port_Binding": ["logical_port", "transit_switch",
                         "availability_zone", "gateway", "address"],
        "Route": ["transit_switch", "availability_zone", "route_table",
                  "ip_prefix", "nexthop", "origin"],
    })
    az = {uid(r): r["name"] for r in sb["Availability_Zone"]}
    for r in sb["Availability_Zone"]:
        lines.append("az %s" % r["name"])
    for r in sb["Gateway"]:
        lines.append("gw %s %s" % (az.get(atoms(r["availability_zone"])[0]),
                                   r["name"]))
    keys = collections.Counter()
    for r in sb["Datapath_Binding"]:
        keys[r["tunnel_key"]] += 1
        if r["transit_switch"]:
            lines.append("dp %s" % r["transit_switch"])
    lines += ["dup-key %s" % k for k, n in keys.items() if n > 1]
    for r in sb["Port_Binding"]:
        lines.append("pb %s %s %s %s %s" % (
            r["transit_switch"], r["logical_port"],
            az.get(atoms(r["availability_zone"])[0]), r["gateway"] or "-",
            r["address"] or "-"))
    for r in sb["Route"]:
        lines.append("route %s %s %s %s %s%s" % (
            az.get(atoms(r["availability_zone"])[0]), r["transit_switch"],
            r["ip_prefix"], r["nexthop"], r["origin"],
            "@" + r["route_table"] if r["route_table"] else ""))
    for z, (nbsock, sbsock) in zones:
        nb = transact(nbsock, "OVN_Northbound", {
            "Logical_Switch": ["name", "ports"],
            "Logical_Switch_Port": ["_uuid", "name", "type", "addresses"],
            "Logical_Router": ["name", "static_routes"],
            "Logical_Router_Static_Route": ["_uuid", "ip_prefix", "nexthop",
                                            "external_ids"],
        })
        port_ls = {}
        for r in nb["Logical_Switch"]:
            lines.append("ls %s %s" % (z, r["name"]))
            for p in atoms(r["ports"]):
                port_ls[p] = r["name"]
        for r in nb["Logical_Switch_Port"]:
            if r["type"] == "remote":
                lines.append("rlsp %s %s %s %s" % (
                    z, port_ls.get(uid(r), "?"), r["name"],
                    ",".join(sorted(atoms(r["addresses"])))))
        route_lr = {}
        for r in nb["Logical_Router"]:
            for s in atoms(r["static_routes"]):
                route_lr[s] = r["name"]
        for r in nb["Logical_Router_Static_Route"]:
            if "ic-learned-route" in omap(r["external_ids"]):
                lines.append("learned %s %s %s %s" % (
                    z, route_lr.get(uid(r), "?"), r["ip_prefix"],
                    r["nexthop"]))
        ssb = transact(sbsock, "OVN_Southbound", {
            "Chassis": ["_uuid", "name", "other_config"],
            "Port_Binding": ["logical_port", "type", "chassis"],
        })
        ch = {uid(r): r["name"] for r in ssb["Chassis"]}
        for r in ssb["Chassis"]:
            if omap(r["other_config"]).get("is-remote") == "true":
                lines.append("sbgw %s %s" % (z, r["name"]))
        for r in ssb["Port_Binding"]:
            if r["type"] == "remote":
                c = atoms(r["chassis"])
                lines.append("sbrpb %s %s %s" % (
                    z, r["logical_port"], ch.get(c[0], "?") if c else "-"))
    return sorted(lines)


def port_address(z, i, r, k):
    return "aa:bb:%02x:%02x:%02x:%02x 100.%d.%d.%d/24" % (
        r, k >> 8, k & 255, i, 64 + r, k, i)


def expected(workload):
    zones = []
    rounds = []
    with open(workload) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "zone":
                zones.append((w[1], int(w[2])))
            elif w and w[0] == "round":
                rounds.append(tuple(int(x) for x in w[1:5]))
            elif w and w[0] == "gone":
                rounds = [x for x in rounds if x[0] != int(w[1])]
    lines = []
    # Per zone: its ports, "(ts, port, address)", and its routes on ts0.
    ports = {}
    routes = {}
    switches = ["ts0"]
    for z, i in zones:
        ports[z] = [("ts0", "lsp-ts0-router_%s" % z,
                     "aa:aa:aa:aa:aa:%02x 169.254.100.%d/24" % (i, i))]
        routes[z] = [("192.168.%d.1/24" % i, "connected")]
    for r, nts, nports, nroutes in rounds:
        for k in range(1, nts + 1):
            switches.append("r%d-ts%d" % (r, k))
        for z, i in zones:
            for k in range(1, nports + 1):
                ts = "r%d-ts%d" % (r, k)
                ports[z].append((ts, "lsp-%s-pr_%s" % (ts, z),
                                 port_address(z, i, r, k)))
            for k in range(1, nroutes + 1):
                routes[z].append(("10.%d.%d.0/24" % (r + 100 * (i - 1), k),
                                  "static"))
    for z, i in zones:
        lines.append("az %s" % z)
        lines.append("gw %s gw_%s" % (z, z))
        for ts, p, a in ports[z]:
            lines.append("pb %s %s %s gw_%s %s" % (ts, p, z, z, a))
        for prefix, origin in routes[z]:
            lines.append("route %s ts0 %s 169.254.100.%d %s"
                         % (z, prefix, i, origin))
        for ts in switches:
            lines.append("ls %s %s" % (z, ts))
        for o, j in zones:
            if o == z:
                continue
            lines.append("sbgw %s gw_%s" % (z, o))
            for ts, p, a in ports[o]:
                lines.append("rlsp %s %s %s %s" % (z, ts, p, a))
                lines.append("sbrpb %s %s gw_%s" % (z, p, o))
            for prefix, origin in routes[o]:
                lines.append("learned %s router_%s %s 169.254.100.%d"
                             % (z, z, prefix, j))
    lines += ["dp %s" % ts for ts in switches]
    return sorted(lines)


def diff(want, have):
    w = collections.Counter(want)
    h = collections.Counter(have)
    out = []
    for line in sorted(w - h):
        out.append("lost: %s" % line)
    for line in sorted(h - w):
        out.append("%s: %s" % ("duplicated" if line in w else "extra", line))
    return out


def zone_args(args):
    zones = []
    for a in args:
        name, socks = a.split("=", 1)
        zones.append((name, tuple(socks.split(","))))
    return zones


def main():
    cmd = sys.argv[1]
    if cmd == "expected":
        print("\n".join(expected(sys.argv[2])))
    elif cmd == "snapshot":
        print("\n".join(snapshot(sys.argv[2], zone_args(sys.argv[3:]))))
    elif cmd == "wait":
        want = expected(sys.argv[2])
        since = float(sys.argv[3])
        deadline = time.time() + float(sys.argv[4])
        icsb, zones = sys.argv[5], zone_args(sys.argv[6:])
        while True:
            try:
                have = snapshot(icsb, zones)
                problem = diff(want, have)
            except (OSError, ValueError) as e:
                problem = ["cannot read: %s" % e]
            if not problem:
                print("%.2f" % (time.time() - since))
                return 0
            if time.time() > deadline:
                print("not converged after %s s; %d differences:"
                      % (sys.argv[4], len(problem)), file=sys.stderr)
                print("\n".join(problem[:40]), file=sys.stderr)
                return 1
            time.sleep(0.05)
    else:
        sys.exit("unknown command %s" % cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Helper for tests/perf/bench-ts.sh: bulk topology creation and
measurement over raw OVSDB JSON-RPC on unix sockets (no python-ovs needed).

Subcommands (all paths are unix socket files or pidfiles under the lab dir):

  icnb SOCK N
      Adds N Transit_Switch rows ts00001..tsN to IC-NB in one transaction.
  zone SOCK ZONE_INDEX N GATEWAY [ROUTES]
      Adds to a zone's NB, in one transaction, for every transit switch i:
      the Logical_Switch "tsI" (pre-created with other_config:interconn-ts,
      which both daemons adopt), a Logical_Router "lr-ZONE-tsI" with one
      Logical_Router_Port on it (with a Gateway_Chassis on GATEWAY, so that
      northd makes a chassis-redirect port), and the Logical_Switch_Port
      (type=router, addresses=router, options:router-port) joining them.
      With ROUTES > 0, every router also gets ROUTES static routes (distinct
      /32 prefixes 100.(64+ZONE).x.y, next hop 192.168.200.1) and NB_Global
      gets options:ic-route-adv=true and ic-route-learn=true.
  bind SOCK N GATEWAY TIMEOUT
      Waits until the zone's SB has N cr- Port_Bindings, then binds all of
      them to GATEWAY's Chassis row in one transaction (what ovn-controller
      does when it claims them; "ovn-sbctl lsp-bind" batched).
  counts N ICSB ZSB...
      Prints the convergence counters once (for debugging / timeouts).
  measure ...
      See measure() below: waits for convergence, reads CPU and RSS,
      waits for northd to settle, measures idle CPU, prints one JSON line.
"""

import json
import os
import socket
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


class Conn:
    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = ""
        self.dec = json.JSONDecoder()
        self.next_id = 0

    def _recv_msg(self):
        while True:
            s = self.buf.lstrip()
            if s:
                try:
                    msg, end = self.dec.raw_decode(s)
                    self.buf = s[end:]
                    return msg
                except ValueError:
                    pass
            data = self.sock.recv(1 << 20)
            if not data:
                raise IOError("connection to %s closed" % self.path)
            self.buf += data.decode()

    def call(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.sock.sendall(json.dumps(
            {"method": method, "params": params, "id": rid}).encode())
        while True:
            msg = self._recv_msg()
            if msg.get("method") == "echo":
                self.sock.sendall(json.dumps(
                    {"result": msg["params"], "error": None,
                     "id": msg["id"]}).encode())
                continue
            if msg.get("id") == rid:
                if msg.get("error"):
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg["result"]

    def transact(self, db, ops):
        res = self.call("transact", [db] + ops)
        for r in res:
            if r is not None and "error" in r:
                raise RuntimeError("transact on %s failed: %s"
                                   % (self.path, json.dumps(res)[:2000]))
        return res

    def close(self):
        self.sock.close()


class RowCounter(Conn):
    """An OVSDB monitor of one column of one table that counts the rows for
    which pred(value) holds.  Pushed deltas instead of repeated selects, so
    that watching tens of thousands of routes costs the server one more
    replica's worth of updates, once, rather than a full select per poll
    (the same for both daemon kinds)."""

    def __init__(self, path, db, table, column, pred):
        Conn.__init__(self, path)
        self.table, self.column, self.pred = table, column, pred
        self.rows = {}
        self.next_id += 1
        self.mon_id = self.next_id
        self.sock.sendall(json.dumps(
            {"method": "monitor", "id": self.mon_id,
             "params": [db, None, {table: {"columns": [column]}}]}).encode())
        self.sock.setblocking(False)

    def _apply(self, upd):
        for uuid, ch in upd.get(self.table, {}).items():
            new = ch.get("new")
            if new is None:
                self.rows.pop(uuid, None)
            elif self.column in new:
                self.rows[uuid] = bool(self.pred(new[self.column]))

    def count(self):
        """Reads whatever the server pushed so far; returns the count."""
        while True:
            try:
                data = self.sock.recv(1 << 22)
            except BlockingIOError:
                break
            if not data:
                raise IOError("connection to %s closed" % self.path)
            self.buf += data.decode()
        while True:
            s = self.buf.lstrip()
            if not s:
                break
            try:
                msg, end = self.dec.raw_decode(s)
            except ValueError:
                break
            self.buf = s[end:]
            if msg.get("method") == "echo":
                self.sock.setblocking(True)
                self.sock.sendall(json.dumps(
                    {"result": msg["params"], "error": None,
                     "id": msg["id"]}).encode())
                self.sock.setblocking(False)
            elif msg.get("method") == "update":
                self._apply(msg["params"][1])
            elif msg.get("id") == self.mon_id:
                if msg.get("error"):
                    raise RuntimeError("monitor: %s" % msg["error"])
                self._apply(msg["result"])
        return sum(self.rows.values())


def ts_name(i):
    return "ts%05d" % i


def omap(d):
    return ["map", [[k, v] for k, v in d.items()]]


def oset(items):
    return ["set", items]


def cmd_icnb(sock, n):
    c = Conn(sock)
    ops = [{"op": "insert", "table": "Transit_Switch",
            "row": {"name": ts_name(i)}} for i in range(1, n + 1)]
    c.transact("OVN_IC_Northbound", ops)
    c.close()


def route_prefix(z, i, j, routes):
    """The j-th static route prefix of zone z's router on switch i."""
    k = (i - 1) * routes + j
    if k > 65535:
        raise SystemExit("N * ROUTES too large")
    return "100.%d.%d.%d/32" % (64 + z, k >> 8, k & 255)


def cmd_zone(sock, z, n, gw, routes=0):
    c = Conn(sock)
    ops = []
    if routes:
        ops.append({"op": "mutate", "table": "NB_Global", "where": [],
                    "mutations": [["options", "insert",
                                   omap({"ic-route-adv": "true",
                                         "ic-route-learn": "true"})]]})
    for i in range(1, n + 1):
        ts = ts_name(i)
        lr = "lr-z%d-%s" % (z, ts)
        lrp = "lrp-z%d-%s" % (z, ts)
        lsp = "lsp-%s-z%d" % (ts, z)
        mac = "0a:%02x:00:%02x:%02x:%02x" % (z, (i >> 16) & 255,
                                             (i >> 8) & 255, i & 255)
        # One /24 per transit switch: 10.X.Y.0/24, the zone's port is .Z.
        net = "10.%d.%d.%d/24" % ((i >> 8) & 255, i & 255, z)
        if i > 65535:
            raise SystemExit("N too large")
        tag = "x%d" % i
        ops.append({"op": "insert", "table": "Gateway_Chassis",
                    "uuid-name": "gc" + tag,
                    "row": {"name": "%s-%s" % (lrp, gw),
                            "chassis_name": gw, "priority": 1}})
        ops.append({"op": "insert", "table": "Logical_Router_Port",
                    "uuid-name": "lrp" + tag,
                    "row": {"name": lrp, "mac": mac, "networks": net,
                            "gateway_chassis": ["named-uuid", "gc" + tag]}})
        srs = []
        for j in range(routes):
            srs.append(["named-uuid", "sr%s_%d" % (tag, j)])
            ops.append({"op": "insert", "table": "Logical_Router_Static_Route",
                        "uuid-name": "sr%s_%d" % (tag, j),
                        "row": {"ip_prefix": route_prefix(z, i, j, routes),
                                "nexthop": "192.168.200.1"}})
        ops.append({"op": "insert", "table": "Logical_Router",
                    "row": {"name": lr,
                            "ports": ["named-uuid", "lrp" + tag],
                            "static_routes": oset(srs)}})
        ops.append({"op": "insert", "table": "Logical_Switch_Port",
                    "uuid-name": "lsp" + tag,
                    "row": {"name": lsp, "type": "router",
                            "addresses": "router",
                            "options": omap({"router-port": lrp})}})
        ops.append({"op": "insert", "table": "Logical_Switch",
                    "row": {"name": ts,
                            "other_config": omap({"interconn-ts": ts}),
                            "ports": ["named-uuid", "lsp" + tag]}})
    c.transact("OVN_Northbound", ops)
    c.close()


def count_cr(c):
    rows = c.transact("OVN_Southbound", [
        {"op": "select", "table": "Port_Binding",
         "where": [["type", "==", "chassisredirect"]],
         "columns": ["logical_port"]}])[0]["rows"]
    return [r["logical_port"] for r in rows]


def cmd_bind(sock, n, gw, timeout):
    c = Conn(sock)
    deadline = time.time() + timeout
    while True:
        crs = count_cr(c)
        if len(crs) >= n:
            break
        if time.time() > deadline:
            raise SystemExit("bind: only %d of %d cr- ports in %s"
                             % (len(crs), n, sock))
        time.sleep(0.2)
    ch = c.transact("OVN_Southbound", [
        {"op": "select", "table": "Chassis", "where": [["name", "==", gw]],
         "columns": ["_uuid"]}])[0]["rows"]
    if len(ch) != 1:
        raise SystemExit("bind: no chassis %s" % gw)
    uuid = ch[0]["_uuid"]
    ops = [{"op": "update", "table": "Port_Binding",
            "where": [["logical_port", "==", lp]],
            "row": {"chassis": uuid}} for lp in crs]
    c.transact("OVN_Southbound", ops)
    c.close()


def zone_counts(c):
    """(#LS with requested-tnl-key, #remote LSPs with addresses)."""
    res = c.transact("OVN_Northbound", [
        {"op": "select", "table": "Logical_Switch", "where": [],
         "columns": ["other_config"]},
        {"op": "select", "table": "Logical_Switch_Port",
         "where": [["type", "==", "remote"],
                   ["addresses", "!=", ["set", []]]],
         "columns": ["_uuid"]}])
    nkey = 0
    for r in res[0]["rows"]:
        oc = dict(r["other_config"][1])
        if "interconn-ts" in oc and "requested-tnl-key" in oc:
            nkey += 1
    return nkey, len(res[1]["rows"])


def icsb_counts(c):
    res = c.transact("OVN_IC_Southbound", [
        {"op": "select", "table": "Datapath_Binding", "where": [],
         "columns": ["_uuid"]},
        {"op": "select", "table": "Port_Binding", "where": [],
         "columns": ["_uuid"]}])
    return len(res[0]["rows"]), len(res[1]["rows"])


def all_counts(icsb, zones):
    return [icsb_counts(icsb)] + [zone_counts(z) for z in zones]


def converged(counts, n, routes=0):
    (dp, pb), zs = counts[0], counts[1:4] if routes else counts[1:]
    ok = dp == n and pb == 3 * n and all(
        z[0] == n and z[1] == 2 * n for z in zs)
    if routes and ok:
        # Route counts are appended as [icsb_routes, learned per zone...].
        rc = counts[-1]
        ok = rc[0] == 3 * n * routes and all(
            r == 2 * n * routes for r in rc[1:])
    return ok


def route_counters(icsb_sock, znb_socks):
    """Monitors of the advertised routes in IC-SB and of the learned routes
    in every zone's NB."""
    def bench_prefix(p):
        return p.startswith("100.")

    def learned(ext):
        return any(k == "ic-learned-route" for k, _ in ext[1])
    return ([RowCounter(icsb_sock, "OVN_IC_Southbound", "Route",
                        "ip_prefix", bench_prefix)]
            + [RowCounter(s, "OVN_Northbound", "Logical_Router_Static_Route",
                          "external_ids", learned) for s in znb_socks])


def read_pid(pidfile):
    with open(pidfile) as f:
        return int(f.read().split()[0])


def cpu_secs(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime/stime are fields 14/15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cmd_counts(n, icsb_sock, zsocks):
    icsb = Conn(icsb_sock)
    zones = [Conn(s) for s in zsocks]
    print(json.dumps(all_counts(icsb, zones)))


def cmd_cpu(pidfiles):
    print("%.2f" % sum(cpu_secs(read_pid(p)) for p in pidfiles))


def cmd_cpus(pidfiles):
    print(",".join("%.2f" % cpu_secs(read_pid(p)) for p in pidfiles))


def measure(args):
    """measure N T0 TIMEOUT IDLE ICSB_SOCK IC_PIDFILES(,) NORTHD_PIDFILES(,)
               NORTHD_CPU0 NUDGE ZNB_SOCK..."""
    n, t0, timeout, idle = int(args[0]), float(args[1]), float(args[2]), \
        float(args[3])
    icsb = Conn(args[4])
    ic_pids = [read_pid(p) for p in args[5].split(",")]
    nd_pids = [read_pid(p) for p in args[6].split(",") if p]
    nd_cpu0 = float(args[7])
    nudge = float(args[8])
    zones = [Conn(s) for s in args[9:]]
    out = {"n": n}
    # Optional, from the environment: routes per router (BENCH_ROUTES) and
    # database servers whose CPU since the start is reported
    # (BENCH_SERVERS=name=pidfile,...; BENCH_SERVERS_CPU0=cpu,...).
    routes = int(os.environ.get("BENCH_ROUTES", "0"))
    out["routes"] = routes
    servers = [x.split("=", 1) for x in
               os.environ.get("BENCH_SERVERS", "").split(",") if x]
    srv_pids = [read_pid(p) for _, p in servers]
    srv_cpu0 = [float(x) for x in
                os.environ.get("BENCH_SERVERS_CPU0", "").split(",") if x]
    counters = route_counters(args[4], args[9:]) if routes else []

    def counts_now():
        c = all_counts(icsb, zones)
        if counters:
            c.append([rc.count() for rc in counters])
        return c

    # Poll every 100 ms.  Each poll is a few selects that return uuids
    # only, so it costs the ovsdb-servers little next to the daemons' work.
    #
    # Stall handling: if nothing converged-relevant changed and the daemons
    # together used less than 0.05 s CPU for NUDGE seconds, the daemons are
    # asleep without being done (Debian's 23.03 ovn-ic does not retry a
    # failed IC-SB transaction until something else wakes it, and with a
    # prepared topology nothing does).  Then every daemon gets a harmless
    # unixctl command ("coverage/show"), which wakes its main loop, as any
    # later change in a live system would.  The nudges and the stalled
    # time are reported; NUDGE=0 disables this.
    ctls = [p[:-4] + ".ctl" for p in args[5].split(",")]
    last_counts, last_change = None, t0
    cpu_mark = sum(cpu_secs(p) for p in ic_pids)
    nudges, stalled = 0, 0.0
    while True:
        counts = counts_now()
        now = time.time()
        if converged(counts, n, routes):
            break
        if now - t0 > timeout:
            break
        if counts != last_counts:
            last_counts, last_change = counts, now
            cpu_mark = sum(cpu_secs(p) for p in ic_pids)
        elif nudge > 0 and now - last_change >= nudge:
            cpu = sum(cpu_secs(p) for p in ic_pids)
            if cpu - cpu_mark < 0.05:
                for ctl in ctls:
                    subprocess.run(["ovn-appctl", "-t", ctl, "coverage/show"],
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                nudges += 1
                stalled += now - last_change
            last_change, cpu_mark = now, cpu
        time.sleep(0.1)
    out["nudges"] = nudges
    out["stalled"] = round(stalled, 1)
    out["converged"] = converged(counts, n, routes)
    out["time"] = round(now - t0, 2)
    out["counts"] = counts
    out["cpu"] = [round(cpu_secs(p), 2) for p in ic_pids]
    out["northd_cpu"] = round(sum(cpu_secs(p) for p in nd_pids) - nd_cpu0, 2)
    out["servers_cpu"] = {name: round(cpu_secs(p) - c0, 2) for (name, _), p, c0
                          in zip(servers, srv_pids, srv_cpu0)}

    # Let the system settle before the idle window: wait (at most 60 s)
    # until the northds and the daemons together used less than 0.03 s CPU
    # in each of 2 consecutive seconds, so that the window does not measure
    # the tail of the convergence (northd's last SB writes waking the
    # daemons).  A daemon that never calms down shows up as settle=60 and a
    # high idle CPU.
    ts = time.time()
    quiet = 0
    watched = nd_pids + ic_pids
    while time.time() - ts < 60 and quiet < 2:
        a = sum(cpu_secs(p) for p in watched)
        time.sleep(1)
        quiet = quiet + 1 if sum(cpu_secs(p) for p in watched) - a < 0.03 \
            else 0
    out["settle"] = round(time.time() - ts, 1)

    # The idle window: a fixed measurement window, not a wait for state.
    c0 = [cpu_secs(p) for p in ic_pids]
    time.sleep(idle)
    c1 = [cpu_secs(p) for p in ic_pids]
    out["idle_cpu"] = [round(b - a, 2) for a, b in zip(c0, c1)]
    out["rss_mb"] = [round(status_kb(p, "VmHWM") / 1024, 1) for p in ic_pids]
    out["rss_now_mb"] = [round(status_kb(p, "VmRSS") / 1024, 1)
                         for p in ic_pids]
    out["counts_end"] = counts_now()
    print(json.dumps(out))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "icnb":
        cmd_icnb(args[0], int(args[1]))
    elif cmd == "zone":
        cmd_zone(args[0], int(args[1]), int(args[2]), args[3],
                 int(args[4]) if len(args) > 4 else 0)
    elif cmd == "bind":
        cmd_bind(args[0], int(args[1]), args[2], float(args[3]))
    elif cmd == "counts":
        cmd_counts(int(args[0]), args[1], args[2:])
    elif cmd == "cpu":
        cmd_cpu(args)
    elif cmd == "cpus":
        cmd_cpus(args)
    elif cmd == "measure":
        measure(args)
    else:
        raise SystemExit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()

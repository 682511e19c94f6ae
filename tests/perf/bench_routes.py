#!/usr/bin/env python3
"""Helper for tests/perf/bench-routes.sh: route scale measurement over raw
OVSDB JSON-RPC on unix sockets (no python-ovs needed).

Subcommands:

  run KIND OUT_JSON LAB_DIR OPTIONS_JSON
      With the lab of bench-routes.sh running (zones z1, z2, one daemon of
      KIND per zone, z2's router "lr-z2" advertising, z1's "lr-z1"
      learning), for every R of OPTIONS_JSON["rs"]: grow z2's static routes
      to R, wait until z1 learned them, then measure one-route latency and
      CPU (median of OPTIONS_JSON["tries"]), a bulk add and a bulk
      withdrawal, and the daemons' RSS.  Appends one JSON line per R to
      OUT_JSON.
  report OUT_DIR TIMEOUT BULK KIND...
      Prints the result table and the target checks.

CPU is read from /proc/PID/task/*/schedstat (nanoseconds of run time,
summed over the daemon's threads) rather than utime+stime of
/proc/PID/stat, whose 10 ms ticks are too coarse for one route change of
our daemon; both count the same thing.
"""

import json
import os
import select
import signal
import statistics
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_helper import Conn, read_pid, status_kb  # noqa: E402

NB = "OVN_Northbound"
BASE_IP = (100 << 24) | (64 << 16)      # routes are 100.64.0.0/10 /32s
NEXTHOP = "10.0.0.2"                    # on z2's port 10.0.0.1/8


def prefix(i):
    a = BASE_IP + i
    return "%d.%d.%d.%d/32" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                               a & 255)


def cpu_ns(pid):
    """Run time of all threads of PID, in seconds (ns resolution)."""
    t = 0
    d = "/proc/%d/task" % pid
    for tid in os.listdir(d):
        try:
            with open("%s/%s/schedstat" % (d, tid)) as f:
                t += int(f.read().split()[0])
        except OSError:
            pass
    return t / 1e9


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Monitor(Conn):
    """A monitor of z1's NB Logical_Router_Static_Route: the set of learned
    prefixes, updated from the server's pushed deltas (no polling)."""

    def __init__(self, path):
        Conn.__init__(self, path)
        self.rows = {}          # uuid -> (prefix, learned)
        self.learned = {}       # prefix -> number of learned rows
        self.nlearned = 0
        self.sock.sendall(json.dumps({
            "method": "monitor", "id": "mon",
            "params": [NB, None, {"Logical_Router_Static_Route": {
                "columns": ["ip_prefix", "external_ids"]}}]}).encode())
        while True:
            msg = self._recv_msg()
            if msg.get("id") == "mon":
                if msg.get("error"):
                    raise RuntimeError("monitor: %s" % msg["error"])
                self._apply(msg["result"])
                break
            self._handle(msg)

    def _apply(self, upd):
        for uuid, ch in upd.get("Logical_Router_Static_Route", {}).items():
            old = self.rows.pop(uuid, None)
            if old and old[1]:
                self.nlearned -= 1
                self.learned[old[0]] -= 1
                if not self.learned[old[0]]:
                    del self.learned[old[0]]
            new = ch.get("new")
            if new is not None:
                eids = dict(new["external_ids"][1])
                ln = "ic-learned-route" in eids
                self.rows[uuid] = (new["ip_prefix"], ln)
                if ln:
                    self.nlearned += 1
                    self.learned[new["ip_prefix"]] = \
                        self.learned.get(new["ip_prefix"], 0) + 1

    def _handle(self, msg):
        if msg.get("method") == "echo":
            self.sock.sendall(json.dumps(
                {"result": msg["params"], "error": None,
                 "id": msg["id"]}).encode())
        elif msg.get("method") == "update":
            self._apply(msg["params"][1])

    def pump(self, timeout):
        """Processes the updates that arrive within TIMEOUT seconds (returns
        early once something was processed and nothing more is pending)."""
        end = time.time() + timeout
        got = False
        while True:
            # Complete messages already buffered?
            while True:
                s = self.buf.lstrip()
                if not s:
                    break
                try:
                    msg, e = self.dec.raw_decode(s)
                except ValueError:
                    break
                self.buf = s[e:]
                self._handle(msg)
                got = True
            left = end - time.time()
            if got:
                left = 0
            r, _, _ = select.select([self.sock], [], [], max(left, 0))
            if not r:
                return
            data = self.sock.recv(1 << 22)
            if not data:
                raise IOError("monitor connection closed")
            self.buf += data.decode()
            got = False


class Bench:
    def __init__(self, kind, lab, opts):
        self.kind, self.lab, self.opts = kind, lab, opts
        self.z1 = Monitor(lab + "/z1-nb.sock")
        self.z2 = Conn(lab + "/z2-nb.sock")
        self.pids = [read_pid("%s/%s-ic.pid" % (lab, z)) for z in ("z1", "z2")]
        # The database servers a route change goes through: z2's NB, IC-SB
        # and z1's NB.
        self.db_pids = [read_pid("%s/%s.pid" % (lab, d))
                        for d in ("z2-nb", "icsb", "z1-nb")]
        self.ctls = ["%s/%s-ic.ctl" % (lab, z) for z in ("z1", "z2")]
        r = self.z2.transact(NB, [{"op": "select", "table": "Logical_Router",
                                   "where": [["name", "==", "lr-z2"]],
                                   "columns": ["_uuid"]}])
        self.lr = r[0]["rows"][0]["_uuid"]
        self.next = 0           # next route index
        self.base = []          # uuids of the R standing routes
        self.extra = 0          # single-try routes left standing
        self.timeout = float(opts["timeout"])
        self.nudge = float(opts["nudge"])
        self.nudges = 0
        self.stalled = 0.0

    def cpu(self):
        return [cpu_ns(p) for p in self.pids]

    def db_cpu(self):
        return [cpu_ns(p) for p in self.db_pids]

    def step_s(self):
        """Our daemons' time in the route step so far (z1, z2), from
        engine/show; None for upstream's daemon, which has no such count."""
        if self.kind != "ours":
            return None
        out = []
        for ctl in self.ctls:
            s = subprocess.run(["ovn-appctl", "-t", ctl, "engine/show"],
                               capture_output=True, text=True).stdout
            m = re.search(r"^route\s.*\stotal=(\d+)us", s, re.M)
            out.append(int(m.group(1)) / 1e6 if m else 0.0)
        return out

    # -- z2 changes ------------------------------------------------------
    def add(self, n):
        """Adds N new static routes to lr-z2 in one transaction; returns
        their prefixes and uuids."""
        ops, prefixes, names = [], [], []
        for k in range(n):
            i = self.next + k
            p = prefix(i)
            prefixes.append(p)
            names.append("r%d" % i)
            ops.append({"op": "insert", "table": "Logical_Router_Static_Route",
                        "uuid-name": "r%d" % i,
                        "row": {"ip_prefix": p, "nexthop": NEXTHOP}})
        self.next += n
        ops.append({"op": "mutate", "table": "Logical_Router",
                    "where": [["_uuid", "==", self.lr]],
                    "mutations": [["static_routes", "insert",
                                   ["set", [["named-uuid", x]
                                            for x in names]]]]})
        res = self.z2.transact(NB, ops)
        return prefixes, [r["uuid"] for r in res[:n]]

    def delete(self, uuids):
        self.z2.transact(NB, [{"op": "mutate", "table": "Logical_Router",
                               "where": [["_uuid", "==", self.lr]],
                               "mutations": [["static_routes", "delete",
                                              ["set", [u
                                                       for u in uuids]]]]}])

    # -- waiting -----------------------------------------------------------
    def wait_for(self, cond, t0):
        """Waits until COND() holds, nudging stalled daemons like
        bench_helper.measure.  Returns the time it held (or None on
        timeout)."""
        mark_t, mark_cpu = time.time(), sum(self.cpu())
        last = self.z1.nlearned
        while True:
            if cond():
                return time.time()
            now = time.time()
            if now - t0 > self.timeout:
                return None
            self.z1.pump(0.05)
            if cond():
                return time.time()
            now = time.time()
            if self.z1.nlearned != last:
                last, mark_t, mark_cpu = self.z1.nlearned, now, sum(self.cpu())
            elif self.nudge > 0 and now - mark_t >= self.nudge:
                c = sum(self.cpu())
                if c - mark_cpu < 0.05:
                    for ctl in self.ctls:
                        subprocess.run(["ovn-appctl", "-t", ctl,
                                        "coverage/show"],
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
                    self.nudges += 1
                    self.stalled += now - mark_t
                mark_t, mark_cpu = now, c

    def quiet(self):
        """Waits until both daemons together use < 5 ms of CPU in each of
        two consecutive 0.5 s windows (at most the timeout).  Returns the
        per-daemon CPU at the start of the quiet windows and the wait."""
        t0 = time.time()
        hist = [self.cpu()]
        while time.time() - t0 < self.timeout:
            w = time.time() + 0.5
            while time.time() < w:
                self.z1.pump(w - time.time())
            hist.append(self.cpu())
            if len(hist) >= 3 and \
                    sum(hist[-1]) - sum(hist[-3]) < 0.010 and \
                    sum(hist[-1]) - sum(hist[-2]) < 0.005:
                return hist[-3], time.time() - t0
        return hist[-1], None

    def count_is(self, n):
        return lambda: self.z1.nlearned == n

    # -- measurements ------------------------------------------------------
    def grow(self, r):
        """Brings z2's standing routes to R and waits until z1 learned
        them.  Returns the time, or None on timeout."""
        t0 = time.time()
        target = self.z1.nlearned + (r - len(self.base))
        chunk = 20000
        while len(self.base) < r:
            _, uuids = self.add(min(chunk, r - len(self.base)))
            self.base += uuids
        t = self.wait_for(self.count_is(target), t0)
        return None if t is None else t - t0

    def one(self):
        """One new route in z2 until learned in z1: latency and CPU."""
        _, qt = self.quiet()
        if qt is None:
            return None
        # engine/show first, so that serving it is not counted as the
        # change's CPU.
        s0 = self.step_s()
        c0, d0 = self.cpu(), self.db_cpu()
        t0 = time.time()
        (p,), _ = self.add(1)
        write = time.time() - t0
        t = self.wait_for(lambda: p in self.z1.learned, t0)
        if t is None:
            return {"latency": None}
        self.extra += 1
        c1, qt = self.quiet()
        d1 = self.db_cpu()
        s1 = self.step_s()
        return {"latency": t - t0,
                "write": write,
                "db_cpu": [b - a for a, b in zip(d0, d1)],
                "cpu": [b - a for a, b in zip(c0, c1)],
                "step": s0 and [b - a for a, b in zip(s0, s1)],
                "quiet_ok": qt is not None}

    def measure(self, out, key, change, cond):
        """Makes 'change', waits until 'cond', and records under 'key' the
        time, the client's write time, and the daemons', servers' and route
        step's time.  Returns the change's result, or None on timeout."""
        s0 = self.step_s()
        c0, d0 = self.cpu(), self.db_cpu()
        t0 = time.time()
        result = change()
        out[key + "_write"] = time.time() - t0
        t = self.wait_for(cond, t0)
        out[key] = None if t is None else t - t0
        if t is None:
            return None
        c1, _ = self.quiet()
        out[key + "_cpu"] = [b - a for a, b in zip(c0, c1)]
        out[key + "_db_cpu"] = [b - a for a, b in zip(d0, self.db_cpu())]
        s1 = self.step_s()
        out[key + "_step"] = s0 and [b - a for a, b in zip(s0, s1)]
        return result

    def bulk(self, n):
        """N routes added at once, then withdrawn at once."""
        out = {}
        self.quiet()
        base = self.z1.nlearned
        added = self.measure(out, "add", lambda: self.add(n),
                             self.count_is(base + n))
        if added is not None:
            self.measure(out, "del", lambda: self.delete(added[1]) or True,
                         self.count_is(base))
        return out

    def rss(self):
        return [[round(status_kb(p, "VmRSS") / 1024, 1),
                 round(status_kb(p, "VmHWM") / 1024, 1)] for p in self.pids]


def log(kind, msg):
    sys.stderr.write("[%s %s] %s\n" % (kind, time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def perf_start(lab, pids, tag):
    data = "%s/perf-%s.data" % (lab, tag)
    p = subprocess.Popen(["perf", "record", "-q", "--call-graph",
                          "dwarf,16384", "-F", "499", "-o", data,
                          "-p", ",".join(str(x) for x in pids)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p


def cmd_run(kind, out_json, lab, opts):
    opts = json.loads(opts)
    b = Bench(kind, lab, opts)
    # z1 learns z2's connected 10.0.0.0/8 (and whatever else) first.
    b.quiet()
    log(kind, "baseline: z1 has %d learned routes" % b.z1.nlearned)
    tries, nbulk = int(opts["tries"]), int(opts["bulk"])
    res = {}
    rs = list(opts["rs"])
    extra = list(opts.get("extra") or [])
    while rs or extra:
        if not rs:
            # The extra R values only if the largest regular one went fine.
            lat = [t["latency"] for t in res.get("tries", []) if t]
            if "timeout" in res or not lat or \
                    statistics.median(lat) >= float(opts["extra_max_lat"]):
                log(kind, "not running extra R %s" % extra)
                break
            rs, extra = extra, []
        r = rs.pop(0)
        res = {"kind": kind, "r": r, "load": loadavg()}
        n0, s0 = b.nudges, b.stalled
        log(kind, "growing to R=%d" % r)
        g = b.grow(r)
        res["grow"] = g
        if g is None:
            log(kind, "timeout growing to R=%d" % r)
            res["timeout"] = "grow"
        else:
            log(kind, "R=%d learned in %.2f s; one-route tries" % (r, g))
            perf = None
            if opts.get("profile") and r == opts["profile"]:
                perf = perf_start(lab, b.pids, "%s-%d" % (kind, r))
            res["tries"] = []
            for k in range(tries):
                o = b.one()
                res["tries"].append(o)
                if o is None or o["latency"] is None:
                    res["timeout"] = "one"
                    break
                log(kind, "  try %d: %.4f s (z2 write %.4f s), CPU z1 %.4f "
                    "z2 %.4f" % (k + 1, o["latency"], o["write"],
                                 o["cpu"][0], o["cpu"][1]))
            if "timeout" not in res and nbulk > 0:
                log(kind, "bulk +%d / -%d" % (nbulk, nbulk))
                bk = b.bulk(nbulk)
                res["bulk"] = bk
                if bk.get("add") is None or bk.get("del") is None:
                    res["timeout"] = "bulk"
                else:
                    log(kind, "  add %.2f s (z2 write %.2f s, DB servers "
                        "CPU %s), withdraw %.2f s (z2 write %.2f s, DB "
                        "servers CPU %s)" % (
                            bk["add"], bk["add_write"],
                            "/".join("%.2f" % x for x in bk["add_db_cpu"]),
                            bk["del"], bk["del_write"],
                            "/".join("%.2f" % x for x in bk["del_db_cpu"])))
            if perf:
                perf.send_signal(signal.SIGINT)
                perf.wait()
        res["rss"] = b.rss()
        res["learned"] = b.z1.nlearned
        res["nudges"] = b.nudges - n0
        res["stalled"] = round(b.stalled - s0, 1)
        res["load_end"] = loadavg()
        with open(out_json, "a") as f:
            f.write(json.dumps(res) + "\n")
        if "timeout" in res:
            log(kind, "timeout at R=%d (%s): stopping this kind"
                % (r, res["timeout"]))
            break


# -- report --------------------------------------------------------------

def load(out_dir, kind):
    p = os.path.join(out_dir, kind + ".json")
    if not os.path.exists(p):
        return {}
    return {d["r"]: d for d in map(json.loads, open(p))}


def summary(d):
    """Per-R figures, None where not measured / timed out."""
    s = {"lat": None, "cpu": None, "add": None, "add_cpu": None,
         "del": None, "del_cpu": None, "n": 0, "step": None}
    ok = [t for t in d.get("tries", []) if t and t.get("latency") is not None]
    s["n"] = len(ok)
    if ok:
        s["lat"] = statistics.median(t["latency"] for t in ok)
        s["cpu"] = [statistics.median(t["cpu"][i] for t in ok)
                    for i in (0, 1)]
        s["one_write"] = statistics.median(t["write"] for t in ok)
        if all(t.get("db_cpu") for t in ok):
            s["one_db_cpu"] = [
                statistics.median(t["db_cpu"][i] for t in ok)
                for i in range(len(ok[0]["db_cpu"]))]
        if all(t.get("step") for t in ok):
            s["step"] = [statistics.median(t["step"][i] for t in ok)
                         for i in (0, 1)]
    bk = d.get("bulk", {})
    for k in ("add", "del"):
        if bk.get(k) is not None:
            s[k] = bk[k]
            s[k + "_cpu"] = bk[k + "_cpu"]
            for x in ("write", "db_cpu", "step"):
                s[k + "_" + x] = bk.get(k + "_" + x)
    return s


def fmt_t(v, d, key):
    if v is not None:
        return "%.4f" % v if v < 1 else "%.2f" % v
    if key == "one" and d.get("timeout") == "grow":
        return "timeout(grow)"
    if d.get("timeout") == key:
        return "timeout"
    if d.get("timeout") == "one" and key in ("add", "del"):
        return "skipped"
    if d.get("timeout") == "bulk" and key == "del":
        return "skipped"
    if d.get("timeout") == "bulk" and key == "add":
        return "timeout"
    return "-"


def fmt_cpu(c):
    return "-" if c is None else "%.4f,%.4f" % tuple(c)


def ratio(u, o, timeout_u):
    """upstream/ours, '>x' when upstream timed out."""
    if o is None or o <= 0:
        return "n/a"
    if u is None:
        return ">%.0f" % (timeout_u / o) if timeout_u else "n/a"
    return "%.0f" % (u / o) if u / o >= 10 else "%.1f" % (u / o)


def cmd_report(out_dir, kinds, timeout, bulk):
    timeout = float(timeout)
    res = {k: load(out_dir, k) for k in kinds}
    rs = sorted(set(r for k in kinds for r in res[k]))
    print("1-route = median over n tries of: one static route added in z2 "
          "-> learned in z1's NB, and each daemon's CPU s (z1,z2) until both "
          "are idle again; bulk = %s routes added / withdrawn in z2 at once"
          % bulk)
    hdr = ("R", "kind", "1-route lat(s)", "n", "CPU z1,z2 (s)",
           "bulk add(s)", "add CPU z1,z2", "withdraw(s)", "wd CPU z1,z2",
           "RSS/HWM MB z1;z2", "nudges", "load")
    f = "%-6s %-8s %-14s %-2s %-15s %-11s %-15s %-11s %-15s %-21s %-6s %s"
    print(f % hdr)

    def rows():
        """(R, kind, results, summary) for every R and kind measured."""
        for r in rs:
            for k in kinds:
                d = res[k].get(r)
                if d is not None:
                    yield r, k, d, summary(d)
    for r, k, d, s in rows():
        print(f % (r, k, fmt_t(s["lat"], d, "one"), s["n"],
                   fmt_cpu(s["cpu"]), fmt_t(s["add"], d, "add"),
                   fmt_cpu(s["add_cpu"]), fmt_t(s["del"], d, "del"),
                   fmt_cpu(s["del_cpu"]),
                   "%.0f/%.0f;%.0f/%.0f" % tuple(d["rss"][0] + d["rss"][1]),
                   "%d" % d["nudges"], d["load"]))
    print("where the time goes: the route step's own time in our daemons "
          "(z1,z2; engine/show), and the test client's write into z2's NB "
          "and the CPU of the database servers on the path (z2 NB / IC-SB "
          "/ z1 NB), which no daemon can avoid (medians per one-route "
          "change, in ms; totals for the bulk operations)")
    f2 = "%-6s %-8s %-19s %-26s %-19s %-19s %-26s %s"
    print(f2 % ("R", "kind", "1-route step z1,z2", "1-route: write, DB CPU",
                "add step z1,z2", "wd step z1,z2", "add: write, DB CPU",
                "wd: write, DB CPU"))

    def ms(v):
        return "-" if not v else "%.2f,%.2f ms" % (v[0] * 1e3, v[1] * 1e3)

    def floor(s, k):
        if s.get(k + "_write") is None or s.get(k + "_db_cpu") is None:
            return "-"
        return "%.2f s, %s s" % (s[k + "_write"], "/".join(
            "%.2f" % x for x in s[k + "_db_cpu"]))
    def floor1(s):
        if s.get("one_write") is None or s.get("one_db_cpu") is None:
            return "-"
        return "%.1f ms, %s ms" % (s["one_write"] * 1e3, "/".join(
            "%.1f" % (x * 1e3) for x in s["one_db_cpu"]))
    for r, k, d, s in rows():
        print(f2 % (r, k, ms(s["step"]), floor1(s), ms(s.get("add_step")),
                    ms(s.get("del_step")), floor(s, "add"),
                    floor(s, "del")))
    if "ours" in res and "upstream" in res:
        print("upstream/ours ratios (>x: upstream timed out after %.0f s):"
              % timeout)
        for r in rs:
            if r not in res["ours"] or r not in res["upstream"]:
                continue
            o, u = summary(res["ours"][r]), summary(res["upstream"][r])
            du = res["upstream"][r]
            if du.get("timeout") == "grow":
                print("  R=%-6d n/a: upstream timed out (%.0f s) growing to R"
                      % (r, timeout))
                continue
            to1 = timeout if du.get("timeout") == "one" else 0
            tob = timeout if du.get("timeout") == "bulk" else 0
            print("  R=%-6d latency %s, CPU(z1+z2) %s, bulk add %s, "
                  "withdraw %s" % (
                      r, ratio(u["lat"], o["lat"], to1),
                      ratio(sum(u["cpu"]) if u["cpu"] else None,
                            sum(o["cpu"]) if o["cpu"] else None, 0),
                      ratio(u["add"], o["add"], tob),
                      ratio(u["del"], o["del"],
                            tob if u["add"] is not None else 0)))
    # Targets.
    if "ours" in res and res["ours"]:
        ours = {r: summary(d) for r, d in res["ours"].items()}
        ok = [r for r in sorted(ours) if ours[r]["lat"] is not None]
        if len(ok) >= 2:
            a, z = ours[ok[0]], ours[ok[-1]]
            # "Flat": the largest R costs at most twice the smallest, with
            # 5 ms / 5 ms CPU of slack for noise on tiny numbers.
            lat_flat = z["lat"] <= 2 * a["lat"] + 0.005
            cpu_flat = sum(z["cpu"]) <= 2 * sum(a["cpu"]) + 0.005
            print("target: ours per-change flat in R (R=%d vs R=%d): "
                  "latency %.4f -> %.4f s %s, CPU %.4f -> %.4f s %s" % (
                      ok[0], ok[-1], a["lat"], z["lat"],
                      "MET" if lat_flat else "NOT MET",
                      sum(a["cpu"]), sum(z["cpu"]),
                      "MET" if cpu_flat else "NOT MET"))
            if a["step"] and z["step"]:
                # The route step alone: at most twice, with 1 ms of slack.
                step_flat = sum(z["step"]) <= 2 * sum(a["step"]) + 0.001
                print("target: our route step per change flat in R (R=%d vs "
                      "R=%d): %.2f -> %.2f ms %s" % (
                          ok[0], ok[-1], sum(a["step"]) * 1e3,
                          sum(z["step"]) * 1e3,
                          "MET" if step_flat else "NOT MET"))
        if "upstream" in res and 12000 in ours and 12000 in res["upstream"]:
            o, u = ours[12000], summary(res["upstream"][12000])
            du = res["upstream"][12000]
            if o["lat"] is not None:
                ul = u["lat"] if u["lat"] is not None else (
                    timeout if du.get("timeout") == "one" else None)
                if ul is not None:
                    x = ul / o["lat"]
                    print("target: >=100x lower latency at R=12000: %s%.0fx %s"
                          % (">" if u["lat"] is None else "", x,
                             "MET" if x >= 100 else "NOT MET"))
                if u["cpu"] and sum(o["cpu"]) > 0:
                    x = sum(u["cpu"]) / sum(o["cpu"])
                    print("target: >=100x less CPU at R=12000: %.0fx %s"
                          % (x, "MET" if x >= 100 else "NOT MET"))
                elif du.get("timeout") in ("one", "grow"):
                    # no CPU figure from a timed-out upstream
                    print("target: >=100x less CPU at R=12000: upstream "
                          "timed out, CPU not measured")
        if "upstream" in res:
            for r in sorted(ours):
                if r not in res["upstream"]:
                    continue
                o, u = ours[r], summary(res["upstream"][r])
                du = res["upstream"][r]
                for k, name in (("add", "bulk add"), ("del", "withdraw")):
                    if o[k] is None:
                        continue
                    if u[k] is not None:
                        x = u[k] / o[k]
                        lb = ""
                    elif du.get("timeout") == "bulk" and \
                            (k == "add" or u["add"] is not None):
                        x, lb = timeout / o[k], ">"
                    else:
                        continue
                    print("target: %s >=10x faster at R=%d: %s%.1fx %s" % (
                        name, r, lb, x, "MET" if x >= 10 else "NOT MET"))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "run":
        cmd_run(args[0], args[1], args[2], args[3])
    elif cmd == "report":
        cmd_report(args[0], args[3:], args[1], args[2])
    else:
        raise SystemExit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()

# The Grafana dashboard (contrib/grafana/ovn-interconnect.json) queries only
# what a live daemon exports, so the two cannot drift apart.

DASHBOARD=$TOP_SRCDIR/contrib/grafana/ovn-interconnect.json

# dashboard_queries: prints one line per metric the dashboard's queries
# and variables name: "NAME", then each LABEL=VALUE that a query matches
# exactly (variables and regular expressions left out).
dashboard_queries() {
    python3 - "$DASHBOARD" <<'EOF'
import json, re, sys

dash = json.load(open(sys.argv[1]))
exprs = []
for panel in dash["panels"]:
    for t in panel.get("targets", []):
        exprs.append(t["expr"])
for var in dash["templating"]["list"]:
    q = var.get("query")
    if isinstance(q, dict):
        exprs.append(q["query"])
    elif var.get("type") == "query":
        exprs.append(q)
seen = set()
for expr in exprs:
    for m in re.finditer(r'\b(ovn_ic_[a-z0-9_]+)(\{([^}]*)\})?', expr):
        parts = [m.group(1)]
        for lm in re.finditer(r'(\w+)="([^"]*)"', m.group(3) or ""):
            if "$" not in lm.group(2):
                parts.append("%s=%s" % (lm.group(1), lm.group(2)))
        line = " ".join(parts)
        if line not in seen:
            seen.add(line)
            print(line)
EOF
}

# exported METRICS NAME [LABEL=VALUE...]: whether the /metrics text in
# file METRICS has family NAME and, with labels given, a sample with all
# of them.
exported() {
    python3 - "$@" <<'EOF'
import re, sys

text = open(sys.argv[1]).read()
name, wanted = sys.argv[2], sys.argv[3:]
if not re.search(r'^# TYPE %s ' % re.escape(name), text, re.M):
    sys.exit(1)
if not wanted:
    sys.exit(0)
for m in re.finditer(r'^%s\{([^}]*)\} ' % re.escape(name), text, re.M):
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
    if all(labels.get(k) == v for k, v in (w.split("=", 1) for w in wanted)):
        sys.exit(0)
sys.exit(1)
EOF
}

test_dashboard_is_valid_grafana_json() {
    python3 - "$DASHBOARD" <<'EOF' || fail "dashboard: see above"
import json, sys

dash = json.load(open(sys.argv[1]))
assert dash["uid"] and dash["title"] and dash["schemaVersion"] >= 36
names = {v["name"] for v in dash["templating"]["list"]}
assert {"datasource", "instance"} <= names, names
ids = [p["id"] for p in dash["panels"]]
assert len(ids) == len(set(ids)), "panel ids repeat"
for p in dash["panels"]:
    g = p["gridPos"]
    assert 0 <= g["x"] and g["x"] + g["w"] <= 24, p["title"]
    if p["type"] == "row":
        continue
    assert p["datasource"]["uid"] == "${datasource}", p["title"]
    assert p["targets"], p["title"]
    for t in p["targets"]:
        assert 'instance=~"$instance"' in t["expr"], t["expr"]
print(len(dash["panels"]), "panels")
EOF
}

test_dashboard_metrics_are_exported() {
    ic_dbs_start
    zone_start east
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    IC_EXTRA_ARGS=--metrics-address=127.0.0.1:$port ic_start east
    icnbctl ts-add ts1
    ic_sync
    curl -sf "http://127.0.0.1:$port/metrics" > "$T/metrics" ||
        fail "no /metrics"
    dashboard_queries > "$T/queries"
    [ -s "$T/queries" ] || fail "the dashboard queries no metric"
    local line missing=
    while read -r line; do
        # shellcheck disable=SC2086
        exported "$T/metrics" $line || missing="$missing; $line"
    done < "$T/queries"
    [ -z "$missing" ] || fail "not exported:${missing#;}"
    echo "$(wc -l < "$T/queries") metric queries, all exported"
}

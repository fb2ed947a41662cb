#!/usr/bin/env python3
"""serve_api_test.py — journey-vm serve's HTTP API and ctl, end to end.

    serve_api_test.py --vm build/vm/journey-vm --work DIR

Runs the hot-patch scenario (tests/scenarios/deploy_content_hot_patch)
through a live server on the event clock: events and a content-only deploy
over HTTP with users in flight, then checks the delivered outbox equals the
scenario's expected outbox (what `journey-vm run --deploy` gives). On the
way it checks: malformed lines are reported by line and the rest of the
batch is applied; a repeated messageId is applied once; pause/resume show
in the stats; a snapshot taken over the API starts a new data directory
(`serve --restore`) holding the same users; damaged stores and
snapshots are refused with a message naming the file; custom lists
are entered at start and by `ctl list`, journaled like any operation; one
kept-alive connection carries many requests; the store stays bounded
(delivered rows leave it, checkpoints come by journal size); and a
consumed messageId is remembered for the de-duplication window, then
forgotten.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIO = os.path.join(ROOT, "tests/scenarios/deploy_content_hot_patch")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def start_server(cmd):
    """Starts `serve --listen 127.0.0.1:0 ...`; returns the process, its URL
    (None when it did not say where it listens) and the stderr lines up to
    that point."""
    server = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    early = []
    for line in server.stderr:
        early.append(line)
        m = re.search(r"listening on (http://[0-9.]+:\d+)", line)
        if m:
            return server, m.group(1), early
    return server, None, early


HOOK_JOURNEY = """event "Signed Up" { plan: string }

journey "Hooks" {
  entry did "Signed Up"
  start -> hook
  node hook: send webhook {
    url: "http://HOST/members/{{ entry.plan | url_encode }}"
    method: "POST"
    body: \"\"\"{"plan": {{ entry.plan | json }}}\"\"\"
  } -> ok on error -> failed
  node ok: send push { title: "hooked" body: "{{ entry.plan }}" } -> end
  node failed: send sms { text: "hook failed for {{ entry.plan }}" } -> end
}
"""


def webhooks(vm, work):
    """Real HTTP requests to an allow-listed host; the outcome comes back as
    a `journey.message` status event."""
    import http.server
    import threading
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            seen.append((self.path, self.headers.get("Idempotency-Key"), body))
            self.send_response(500 if self.path.endswith("/broken") else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    journey = os.path.join(work, "hooks.journey")
    open(journey, "w").write(HOOK_JOURNEY.replace("HOST", host))
    data = os.path.join(work, "hooks")
    events = "".join('{"type":"track","userId":"%s","event":"Signed Up","properties":{"plan":"%s"},'
                     '"timestamp":"2026-11-23T09:00:0%dZ","messageId":"h%d"}\n' % (u, p, i, i)
                     for i, (u, p) in enumerate([("ana", "pro"), ("ben", "broken")]))
    r = subprocess.run([vm, "serve", "--data", data, "--listen", "none", "--stdin", "--exit-at-eof", "--clock", "events", "-q",
                        "--webhook-allow", host, journey], input=events, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ))
    check(r.returncode == 0, f"serve with webhooks exits 0 ({r.stderr.strip()})")
    paths = sorted(p for p, _, _ in seen)
    # ben's endpoint answers 500: retried (backoff from 1 s) until exit.
    check(paths[:1] == ["/members/broken"] and "/members/pro" in paths, f"the webhooks were called ({paths})")
    check(paths.count("/members/pro") == 1, f"a delivered webhook is called once ({paths})")
    check(all(key and key.startswith(("", )) and ":" in key for _, key, _ in seen), "each request carries an Idempotency-Key")
    check(any(body == '{"plan": "pro"}' for _, _, body in seen), f"the body is rendered ({seen[:1]})")
    outbox = [json.loads(l) for l in open(os.path.join(data, "outbox.ndjson"))]
    channels = sorted((o["user"], o["channel"]) for o in outbox)
    check(channels == [("ana", "push"), ("ben", "push")], f"webhooks are not in the outbox file; the next node's sends are ({channels})")
    statuses = subprocess.run([vm, "state", "--data", data, "--stats"], capture_output=True, text=True)
    check(statuses.returncode == 0, f"the store reopens ({statuses.stderr.strip()})")
    stats = json.loads(statuses.stdout)
    check(stats["journeys"][0]["sent"] == 4, f"4 messages sent ({stats['journeys'][0]})")
    hook = next(n for n in stats["journeys"][0]["nodes"] if n["node"] == "hook")
    check(hook["sent"] == 2 and hook["statuses"]["sent"] == 1,
          f"the hook node counts its two sends and the one the provider took ({hook})")
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "journey.db"))
    reported = [r[0] for r in db.execute("SELECT id FROM consumed WHERE id LIKE 'status:%' "
                                         "UNION ALL SELECT id FROM consumed_alt WHERE id LIKE 'status:%'")]
    db.close()
    check(len(reported) == 1 and reported[0].endswith(":sent"), f"the delivered webhook came back as a status event ({reported})")
    httpd.shutdown()


def stdin_reports(vm, work):
    """serve --stdin reads lines as `run` reads a file: a byte order mark
    may open the stream, a line over 1 MiB is refused with `run`'s reason,
    and reports name a line by its number in the whole stream, however the
    reads cut it into batches (the long line forces a second batch)."""
    journey = os.path.join(work, "signup.journey")
    open(journey, "w").write(HOOK_JOURNEY.split("journey")[0] + 'journey "S" {\n  entry did "Signed Up"\n  flow { wait 1h }\n}\n')
    event = ('{"type":"track","userId":"u%d","event":"Signed Up","properties":{"plan":"pro"},'
             '"timestamp":"2026-11-23T09:00:0%dZ","messageId":"s%d"}')
    stream = ("\ufeff" + event % (1, 1, 1) + "\n" + "{bad\n" + "x" * ((1 << 20) + 100) + "\n" + "{bad again\n" +
              event % (2, 2, 2) + "\n")
    data = os.path.join(work, "stdin")
    r = subprocess.run([vm, "serve", "--data", data, "--listen", "none", "--stdin", "--exit-at-eof", "--clock", "events",
                        journey], input=stream.encode(), capture_output=True, timeout=120)
    err = r.stderr.decode()
    check(r.returncode == 0, f"serve --stdin exits 0 ({err.strip()[-300:]})")
    reports = [l for l in err.splitlines() if "malformed event" in l]
    check(len(reports) == 3, f"three malformed lines reported ({reports})")
    check(len(reports) == 3 and reports[0].startswith("journey-vm: stdin:2: malformed event: invalid JSON"), f"line 2 by its number ({reports[:1]})")
    check(len(reports) == 3 and reports[1] == "journey-vm: stdin:3: malformed event: line is longer than 1048576 bytes",
          f"the long line 3 with run's reason ({reports[1:2]})")
    check(len(reports) == 3 and reports[2].startswith("journey-vm: stdin:4: malformed event:"), f"line 4 counted across batches ({reports[2:]})")
    stats = json.loads(subprocess.run([vm, "state", "--data", data, "--stats"], capture_output=True, text=True).stdout)
    check(stats["journeys"][0]["entry"] == 2, f"both events entered, the first after a byte order mark ({stats['journeys'][0]})")


def keep_alive(url):
    """A sender posting event by event keeps one connection: the server
    answers 50 requests on one socket without closing it (httplib's default
    closed it after 5), and each reply says keep-alive."""
    import socket
    host, port = url.split("//")[1].split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    answered = 0
    buffered = b""
    try:
        for _ in range(50):
            sock.sendall(f"GET /v1/health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            while b"\r\n\r\n" not in buffered:
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed")
                buffered += chunk
            head, _, buffered = buffered.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(buffered) < length:
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed")
                buffered += chunk
            buffered = buffered[length:]
            if re.search(rb"(?i)connection: *close", head):
                break
            answered += 1
    except (ConnectionError, OSError):
        pass
    finally:
        sock.close()
    check(answered == 50, f"one kept-alive connection answers 50 requests ({answered} before it closed)")


def store_stays_bounded(vm, work):
    """What serve keeps does not grow with every event for good: delivered
    outbox-file rows leave the outbox table in the transaction that records
    them (only their count stays), and a snapshot is taken once the journal
    since the last one has grown by --checkpoint-mb (at least the snapshot's
    own size), which lets the journal rows before it go. The sends are the
    same whether or not it checkpoints along the way."""
    import sqlite3
    cart = os.path.join(work, "bounded.ndjson")
    with open(cart, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/gen_events.py"), "cart", "20000", "--seed", "5"], stdout=f, check=True)
    results = {}
    for mb in ("1", "0"):
        data = os.path.join(work, "bounded-" + mb)
        r = subprocess.run([vm, "serve", "--data", data, "--listen", "none", "--stdin", "--exit-at-eof", "-q", "--clock", "events",
                            "--sync", "normal", "--checkpoint-every", "0", "--checkpoint-mb", mb,
                            os.path.join(ROOT, "bench/journeys/cart.journey")], stdin=open(cart, "rb"), capture_output=True, timeout=300)
        check(r.returncode == 0, f"serve --checkpoint-mb {mb} exits 0 ({r.stderr.decode().strip()[-300:]})")
        db = sqlite3.connect(os.path.join(data, "journey.db"))
        snapshots = [row[0] for row in db.execute("SELECT journal_seq FROM snapshot ORDER BY seq")]
        first_row = db.execute("SELECT min(seq) FROM journal").fetchone()[0]
        left = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        counted = db.execute("SELECT value FROM meta WHERE key = 'outbox_delivered'").fetchone()
        db.close()
        sent = sorted(open(os.path.join(data, "outbox.ndjson")).read().splitlines())
        results[mb] = (snapshots, first_row, sent)
        check(len(sent) > 10000, f"--checkpoint-mb {mb}: the cart stream makes sends ({len(sent)})")
        check(left == 0, f"--checkpoint-mb {mb}: delivered rows leave the outbox table ({left} left)")
        check(counted is not None and counted[0] == len(sent), f"--checkpoint-mb {mb}: their count is kept ({counted} vs {len(sent)} lines)")
    snapshots, first_row, _ = results["1"]
    check(len(snapshots) == 2 and 0 < snapshots[0] < snapshots[1] and first_row is not None and first_row > 1,
          f"a journal over 1 MiB takes a snapshot along the way and its older rows go (snapshots at {snapshots}, journal from {first_row})")
    snapshots, first_row, _ = results["0"]
    check(len(snapshots) == 1 and first_row == 1, f"--checkpoint-mb 0: only the final snapshot, the whole journal kept ({snapshots}, {first_row})")
    check(results["1"][2] == results["0"][2], "the same sends with and without checkpoints along the way")


def dedup_window(vm, work):
    """A messageId is remembered for at least --dedup-window of engine time,
    and forgotten a generation later; the default (7 days) still remembers
    it (left out with --clock events: a replay keeps every id). Each run is one batch; a batch ages the ids by the clock it starts
    at, so the clock is moved by events of their own."""
    journey = os.path.join(work, "dedup.journey")
    open(journey, "w").write(HOOK_JOURNEY.split("journey")[0] +
                             'journey "D" {\n  entry did "Signed Up"\n  reentry always\n'
                             '  flow { send push { title: "hi" body: "{{ entry.plan }}" } }\n}\n')

    def event(mid, when):
        return ('{"type":"track","userId":"u","event":"Signed Up","properties":{"plan":"%s"},'
                '"timestamp":"%s","messageId":"%s"}\n' % (mid, when, mid))

    steps = [event("d1", "2026-11-23T09:00:00Z"),   # applied; the clock starts
             event("d1", "2026-11-23T10:00:00Z"),   # the first aged batch: generation 0 starts at 09:00; a duplicate
             event("e2", "2026-11-25T09:00:00Z"),   # moves the clock on
             event("e3", "2026-11-26T10:00:00Z"),   # starts at 11-25 09:00 (48 h on): generation 1; d1 still remembered in 0
             event("d1", "2026-11-26T10:00:00Z")]   # starts at 11-26 10:00 (25 h on): generation 0 (d1) emptied; d1 applied again
    for window, expected in (("1d", ["d1", "e2", "e3", "d1"]), (None, ["d1", "e2", "e3"])):
        data = os.path.join(work, "dedup-" + (window or "default"))
        for lines in steps:
            cmd = [vm, "serve", "--data", data, "--listen", "none", "--stdin", "--exit-at-eof", "--clock", "events", "-q", journey]
            if window:
                cmd[2:2] = ["--dedup-window", window]
            r = subprocess.run(cmd, input=lines, capture_output=True, text=True, timeout=60)
            check(r.returncode == 0, f"serve --dedup-window {window} exits 0 ({r.stderr.strip()[-300:]})")
        sent = [json.loads(l)["content"]["body"] for l in open(os.path.join(data, "outbox.ndjson"))]
        check(sent == expected, f"with --dedup-window {window or 'left out (for good with --clock events)'} the sends are {expected} ({sent})")
    r = subprocess.run([vm, "serve", "--data", os.path.join(work, "dedup-bad"), "--dedup-window", "7 days", journey],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 2 and "expected a span such as 24h, 7d or 2w, or 0" in r.stderr,
          f"a malformed --dedup-window is refused ({r.returncode}: {r.stderr.strip()})")


def dedup_window_in_stats(vm, work):
    """The window in force shows in the server's stats: 7 days on the real
    clock, for good (0) on the event clock, or as given."""
    journey = os.path.join(work, "dedup.journey")
    for i, (args, expected) in enumerate((([], 7 * 86400), (["--clock", "events"], 0), (["--dedup-window", "1d12h"], 36 * 3600))):
        server, url, _ = start_server([vm, "serve", "--data", os.path.join(work, f"dedup-stats-{i}"), "--listen", "127.0.0.1:0",
                                       *args, journey])
        check(url is not None, f"serve {' '.join(args)} starts")
        if url:
            r = subprocess.run([vm, "ctl", "--url", url, "stats"], capture_output=True, text=True)
            window = json.loads(r.stdout)["store"].get("dedup_window_seconds") if r.returncode == 0 else None
            check(window == expected, f"serve {' '.join(args)}: stats show a window of {expected} s ({window})")
            subprocess.run([vm, "ctl", "--url", url, "shutdown"], capture_output=True)
        server.wait(timeout=60)


def custom_lists(vm, work):
    """A journey added at start reads its custom list as `run` does (once:
    a restart deploys it as identical and enters nobody again); with the
    event clock not started yet, it waits for `ctl list`, which enters the
    list's users with the profiles its columns set, reports unreadable rows
    by line, refuses unknown, paused and non-list journeys, and is journaled:
    a server killed right after comes back with the same users."""
    journey = os.path.join(ROOT, "tests/scenarios/custom_list_entry/journey.journey")
    csv = os.path.join(ROOT, "tests/scenarios/custom_list_entry/lists/vip.csv")
    name = "VIP app invite"
    state = lambda d: subprocess.run([vm, "state", "--data", d], capture_output=True, text=True).stdout
    entries = lambda d: json.loads(subprocess.run([vm, "state", "--data", d, "--stats"], capture_output=True,
                                                  text=True).stdout)["journeys"][0]["entry"]

    real = os.path.join(work, "lists-real")
    cmd = [vm, "serve", "--data", real, "--listen", "none", "--stdin", "--exit-at-eof", journey]
    r = subprocess.run(cmd, input="", capture_output=True, text=True, timeout=120)
    check(r.returncode == 0 and "custom list" in r.stderr and "3 rows, 3 entered" in r.stderr,
          f"a list journey added at start enters its list ({r.stderr.strip()[-400:]})")
    check("vip.csv:6: cell 1 has text after its closing quote: row left out" in r.stderr,
          f"the unreadable row is a warning naming file and line ({r.stderr.strip()[-400:]})")
    before = state(real)
    r = subprocess.run(cmd, input="", capture_output=True, text=True, timeout=120)
    check(r.returncode == 0 and "custom list" not in r.stderr, f"a restart does not read the list again ({r.stderr.strip()[-300:]})")
    check(entries(real) == 3 and state(real) == before, "a restart enters nobody again")

    data = os.path.join(work, "lists-events")
    server, url, early = start_server([vm, "serve", "--data", data, "--listen", "127.0.0.1:0", "--clock", "events", journey])
    check(any("clock has not started" in l and "ctl list" in l for l in early),
          f"with the event clock not started the list waits for ctl list ({early})")
    if not url:
        server.kill()
        return check(False, "serve with a list journey did not start")

    def ctl(*args, stdin=None):
        return subprocess.run([vm, "ctl", "--url", url, *args], capture_output=True, text=True, input=stdin)

    try:
        event = ('{"type":"track","userId":"outsider","event":"App Installed","properties":{"platform":"ios"},'
                 '"timestamp":"2026-11-23T09:00:00Z","messageId":"l1"}\n')
        check(ctl("events", "-", stdin=event).returncode == 0, "an event starts the clock")
        r = ctl("list", name, csv)
        reply = json.loads(r.stdout or "{}")
        check(r.returncode == 0 and reply.get("rows") == 3 and reply.get("entered") == 3 and reply.get("sends") == 3,
              f"ctl list enters the listed users and sends their invites ({r.stdout.strip()} {r.stderr.strip()})")
        check(reply.get("problems") == ["6: cell 1 has text after its closing quote: row left out",
                                        '1: column "note" is not a property of the profile of "VIP app invite" '
                                        "(its cells are stored all the same)"],
              f"ctl list reports the unreadable row by line ({reply.get('problems')})")
        r = ctl("list", name, "-", stdin="identity,points\nVIP-1,5\nVIP-9,2000\n")
        reply = json.loads(r.stdout or "{}")
        check(r.returncode == 0 and reply.get("rows") == 2 and reply.get("entered") == 1,
              f"a second list enters only users not inside ({r.stdout.strip()})")
        r = ctl("list", "No such journey", csv)
        check(r.returncode == 1 and "no journey named" in r.stderr, f"an unknown journey is refused ({r.stderr.strip()})")
        ctl("pause", name)
        r = ctl("list", name, csv)
        check(r.returncode == 1 and "paused" in r.stderr, f"a paused journey takes no list ({r.stderr.strip()})")
        r = ctl("list", name)
        check(r.returncode == 2, "ctl list without a file is bad usage")
        live = ctl("state").stdout
        stats = json.loads(ctl("stats").stdout)
        # Statistics of a time frame: the day of the list, then the day before it.
        that_day = json.loads(ctl("stats", "2026-11-23", "2026-11-23").stdout or "{}")
        day_before = json.loads(ctl("stats", "2026-11-22", "2026-11-22").stdout or "{}")
        bad_day = ctl("stats", "yesterday")
        # The same figures as a table and as CSV; another format is refused.
        table = ctl("stats", "--format", "table")
        csv_day = ctl("stats", "2026-11-23", "2026-11-23", "--format", "csv")
        import urllib.error
        import urllib.request
        try:
            urllib.request.urlopen(url + "/v1/stats?format=xml", timeout=30)
            bad_format = 200
        except urllib.error.HTTPError as e:
            bad_format = (e.code, e.read().decode())
    finally:
        server.kill()  # no shutdown: the list entries must come back from the journal
        server.wait(timeout=60)
    check("VIP-9" in live and "VIP-1" in live, f"the state shows the listed users ({live[:300]})")
    check(state(data) == live, "after a kill the store holds the same users (the list entries were journaled)")
    check(that_day.get("days") == {"from": "2026-11-23", "to": "2026-11-23"}
          and that_day["journeys"][0]["entry"] == stats["journeys"][0]["entry"] == 4,
          f"ctl stats FROM TO: the day of the lists has their four entries ({that_day.get('days')}, {stats['journeys'][0]['entry']})")
    check(day_before.get("journeys", [{}])[0].get("entry") == 0, "ctl stats FROM TO: the day before has none")
    check(bad_day.returncode != 0 and "YYYY-MM-DD" in bad_day.stderr + bad_day.stdout,
          f"ctl stats with no date is refused with the reason ({bad_day.returncode}: {bad_day.stderr.strip()})")
    check(table.returncode == 0 and 'journey "VIP app invite"' in table.stdout and "messages by node" in table.stdout,
          f"ctl stats --format table prints the run's table ({table.stdout[:300]} {table.stderr.strip()})")
    check(csv_day.returncode == 0 and csv_day.stdout.startswith("journey,version,node,metric,value\n")
          and ",,days_from,2026-11-23\n" in csv_day.stdout and ",,entry,4\n" in csv_day.stdout,
          f"ctl stats FROM TO --format csv prints the CSV of those days ({csv_day.stdout[:300]} {csv_day.stderr.strip()})")
    check(bad_format[0] == 400 and "format must be json, csv or table" in bad_format[1],
          f"GET /v1/stats?format=xml is refused with the reason ({bad_format})")
    nodes = {n["node"]: n["entered"] for n in stats["journeys"][0]["nodes"]}
    check(nodes.get("vip_invite") == 2 and nodes.get("plain_invite") == 2,
          f"the lists' points columns chose the branches: VIP-1 and VIP-9 the VIP invite ({nodes})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vm", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    vm = a.vm
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    data = os.path.join(a.work, "data")

    server, url, _ = start_server([vm, "serve", "--data", data, "--listen", "127.0.0.1:0", "--clock", "events",
                                   os.path.join(SCENARIO, "journey.journey")])
    if not url:
        print("serve did not start", file=sys.stderr)
        return 1

    def ctl(*args, ok=True, stdin=None):
        r = subprocess.run([vm, "ctl", "--url", url, *args], capture_output=True, text=True, input=stdin)
        if ok:
            check(r.returncode == 0, f"ctl {' '.join(args)} exits 0 (got {r.returncode}: {r.stderr.strip()})")
        return r

    try:
        lines = open(os.path.join(SCENARIO, "events.ndjson")).read().splitlines()
        # The first three events, with a malformed line and a repeat mixed in.
        batch = "\n".join([lines[0], "{\"type\":\"track\",\"userId\":", lines[1], lines[1], lines[2]]) + "\n"
        r = json.loads(ctl("events", "-", stdin=batch).stdout)
        check(r["accepted"] == 3, f"3 events accepted ({r})")
        check(r["duplicate"] == 1, f"the repeated messageId is a duplicate ({r})")
        check(len(r["malformed"]) == 1 and r["malformed"][0]["line"] == 2, f"line 2 is reported malformed ({r})")

        ctl("advance", "2026-11-23T12:00:00Z")
        r = json.loads(ctl("deploy", os.path.join(SCENARIO, "v2/journey.journey")).stdout)
        check(r["result"] == "hot-patched", f"the content-only edit is hot-patched ({r})")
        r = json.loads(ctl("events", "-", stdin=lines[3] + "\n").stdout)
        check(r["accepted"] == 1, "the last event is accepted")

        keep_alive(url)
        name = json.loads(ctl("stats").stdout)["journeys"][0]["journey"]
        ctl("pause", name)
        check(json.loads(ctl("stats").stdout)["journeys"][0]["state"] == "paused", "stats show the journey paused")
        r = ctl("archive", name, ok=False)
        check(r.returncode == 1 and "stop it first" in r.stderr, f"a paused journey cannot be archived ({r.stderr.strip()})")
        ctl("resume", name)
        r = ctl("frobnicate", name, ok=False)
        check(r.returncode == 2, "an unknown ctl command exits 2")

        ctl("advance", "2026-12-31T00:00:00Z")
        snapshot = os.path.join(a.work, "engine.snap")
        r = json.loads(ctl("snapshot", snapshot).stdout)
        check(os.path.exists(snapshot) and r["journal_seq"] > 0, f"the API writes a snapshot ({r})")
        stats = json.loads(ctl("stats").stdout)
        check(stats["store"]["duplicate_sends"] == 0, "no send was made twice")
        ctl("shutdown")
        server.wait(timeout=60)
        check(server.returncode == 0, f"serve exits 0 after shutdown (got {server.returncode})")
    finally:
        if server.poll() is None:
            server.kill()

    delivered = sorted(open(os.path.join(data, "outbox.ndjson")).read().splitlines())
    expected = sorted(open(os.path.join(SCENARIO, "expected.outbox.ndjson")).read().splitlines())
    check(delivered == expected, f"the delivered outbox equals the scenario's ({len(delivered)} vs {len(expected)} lines)")

    # A new data directory from the snapshot holds the same users.
    restored = os.path.join(a.work, "restored")
    r = subprocess.run([vm, "serve", "--data", restored, "--restore", snapshot, "--listen", "none", "--stdin", "--exit-at-eof",
                        "--clock", "events", "-q"], input="", capture_output=True, text=True)
    check(r.returncode == 0, f"serve --restore starts from the snapshot ({r.stderr.strip()})")
    state = lambda d: subprocess.run([vm, "state", "--data", d], capture_output=True, text=True)
    original, copy = state(data), state(restored)
    check(original.returncode == 0 and original.stdout and original.stdout == copy.stdout, "the restored store has the same users")
    r = subprocess.run([vm, "serve", "--data", restored, "--restore", snapshot, "--listen", "none"], capture_output=True, text=True)
    check(r.returncode == 1 and "already holds a store" in r.stderr, "--restore refuses a directory with a store")

    # Damage is refused, naming the file.
    cut = os.path.join(a.work, "cut")
    shutil.copytree(data, cut)
    db = os.path.join(cut, "journey.db")
    with open(db, "r+b") as f:
        f.truncate(os.path.getsize(db) // 2)
    r = state(cut)
    check(r.returncode == 1 and "journey.db" in r.stderr, f"a truncated store is refused ({r.stderr.strip()})")
    bad = os.path.join(a.work, "bad.snap")
    raw = bytearray(open(snapshot, "rb").read())
    raw[len(raw) // 2] ^= 0x40
    open(bad, "wb").write(raw)
    r = subprocess.run([vm, "run", "--restore", bad, "--events", "/dev/null", "-q"], capture_output=True, text=True)
    check(r.returncode == 1 and "checksum" in r.stderr, f"a damaged snapshot is refused ({r.stderr.strip()})")
    open(bad, "wb").write(bytes(raw[: len(raw) - 100]))
    r = subprocess.run([vm, "run", "--restore", bad, "--events", "/dev/null", "-q"], capture_output=True, text=True)
    check(r.returncode == 1 and "truncated" in r.stderr, f"a truncated snapshot is refused ({r.stderr.strip()})")

    webhooks(vm, a.work)
    stdin_reports(vm, a.work)
    store_stays_bounded(vm, a.work)
    custom_lists(vm, a.work)
    dedup_window(vm, a.work)
    dedup_window_in_stats(vm, a.work)
    print(f"serve_api_test: {'FAILED: ' + str(len(failures)) if failures else 'all checks passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

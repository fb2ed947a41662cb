#!/usr/bin/env python3
"""durable_bench.py — the durable engine's figures: restart time and serve events/s.

    bench/durable_bench.py [--users N] [--serve-users M] [--runs R] [--build DIR]

restart: N users each enter bench/journeys/timers.journey and wait an hour
  (all N suspended); `journey-vm run --save` writes the engine, `serve
  --restore` makes a data directory of it, and the figure is the time
  `journey-vm state --data DIR --stats` takes to open the store, verify it
  and restore every user (whole process, median of R runs).
serve: the cart workload (bench/gen_events.py cart M) piped into `journey-vm
  serve --stdin --clock events` with durability on (each batch one SQLite
  transaction; --sync full and normal), end to end: events/s from start to
  the last send delivered to the outbox file.
requests: the first --requests events of that workload posted to `serve
  --listen` one event per request, on one kept-alive connection, each
  waiting for its reply (--sync full and normal): requests/s, the rate of a
  sender that posts events one by one.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(args, **kw):
    t = time.monotonic()
    subprocess.run(args, check=True, **kw)
    return time.monotonic() - t


def post_one_by_one(vm, data, journey, lines, sync):
    """Requests/s of single-event POSTs on one connection to a fresh serve."""
    server = subprocess.Popen([vm, "serve", "--data", data, "--listen", "127.0.0.1:0", "--clock", "events", "--sync", sync, journey],
                              stderr=subprocess.PIPE, text=True)
    try:
        address = None
        for line in server.stderr:
            m = re.search(r"listening on http://([0-9.]+):(\d+)", line)
            if m:
                address = (m.group(1), int(m.group(2)))
                break
        if not address:
            raise RuntimeError("serve did not start")
        conn = http.client.HTTPConnection(*address)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # the client's own Nagle must not be what is measured
        t = time.monotonic()
        for line in lines:
            conn.request("POST", "/v1/events", body=(line + "\n").encode())
            reply = conn.getresponse()
            reply.read()
            if reply.status != 200:
                raise RuntimeError(f"POST /v1/events answered {reply.status}")
        took = time.monotonic() - t
        conn.request("POST", "/v1/shutdown")
        conn.getresponse().read()
        server.wait(timeout=60)
        return len(lines) / took
    finally:
        if server.poll() is None:
            server.kill()


def restart_figure(vm, users, runs, work):
    """The restart figure (also printed by bench/run): `users` users each
    wait an hour in timers.journey; the engine is saved, made a data
    directory by `serve --restore`, and `journey-vm state --data DIR
    --stats` (open the store, verify it, restore every user) is timed,
    median of `runs`. Returns waiting, snapshot_bytes and seconds."""
    ticks = os.path.join(work, "ticks.ndjson")
    with open(ticks, "w") as f:
        for u in range(users):
            s = u * 600 // users
            f.write('{"type":"track","userId":"user-%d","event":"Tick","timestamp":"2026-11-23T00:%02d:%02dZ","messageId":"t%d"}\n'
                    % (u, s // 60, s % 60, u))
    snap = os.path.join(work, "engine.snap")
    subprocess.run([vm, "run", os.path.join(HERE, "journeys/timers.journey"), "--events", ticks, "--until", "last-event",
                    "--outbox", "/dev/null", "-q", "--save", snap], check=True)
    data = os.path.join(work, "restart")
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([vm, "serve", "--data", data, "--restore", snap, "--listen", "none", "--stdin", "--exit-at-eof", "-q",
                    "--clock", "events"], stdin=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        t = time.monotonic()
        out = subprocess.run([vm, "state", "--data", data, "--stats"], check=True, capture_output=True, text=True).stdout
        times.append(time.monotonic() - t)
    journeys = json.loads(out)["journeys"]
    waiting = sum(n["waiting"] for j in journeys for n in j["nodes"]) + sum(j.get("at_end", 0) for j in journeys)
    size = os.path.getsize(snap)
    os.remove(ticks)
    return {"waiting": waiting, "snapshot_bytes": size, "seconds": statistics.median(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=1000000)
    ap.add_argument("--serve-users", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    a = ap.parse_args()
    vm = os.path.join(a.build, "vm", "journey-vm")
    work = tempfile.mkdtemp(prefix="journey-durable-")
    try:
        r = restart_figure(vm, a.users, a.runs, work)
        print(f"restart: {r['waiting']:,} suspended users, snapshot {r['snapshot_bytes'] / 1e6:.1f} MB "
              f"({r['snapshot_bytes'] / max(r['waiting'], 1):.0f} B/user): "
              f"open + verify + restore {r['seconds']:.2f} s (median of {a.runs})")

        cart = os.path.join(work, "cart.ndjson")
        with open(cart, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_events.py"), "cart", str(a.serve_users), "--seed", "3"], stdout=f, check=True)
        events = sum(1 for _ in open(cart))
        for sync in ("full", "normal"):
            rates = []
            for _ in range(a.runs):
                d = os.path.join(work, "serve-" + sync)
                shutil.rmtree(d, ignore_errors=True)
                took = timed([vm, "serve", "--data", d, "--listen", "none", "--stdin", "--exit-at-eof", "-q", "--clock", "events",
                              "--sync", sync, os.path.join(HERE, "journeys/cart.journey")], stdin=open(cart, "rb"))
                rates.append(events / took)
            sends = sum(1 for _ in open(os.path.join(d, "outbox.ndjson")))
            print(f"serve --sync {sync}: {events:,} events, {sends:,} sends delivered: {statistics.median(rates):,.0f} events/s "
                  f"end to end (median of {a.runs})")
        with open(cart) as f:
            first = [next(f).rstrip("\n") for _ in range(a.requests)]
        for sync in ("full", "normal"):
            rates = []
            for _ in range(a.runs):
                d = os.path.join(work, "requests-" + sync)
                shutil.rmtree(d, ignore_errors=True)
                rates.append(post_one_by_one(vm, d, os.path.join(HERE, "journeys/cart.journey"), first, sync))
            print(f"serve --sync {sync}: {a.requests:,} events posted one per request on one connection: "
                  f"{statistics.median(rates):,.0f} requests/s (median of {a.runs})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""crash_test.py — journey-vm serve loses nothing and sends nothing twice
when it is killed (SIGKILL) at random points.

    crash_test.py --vm build/vm/journey-vm --work DIR [--users N] [--kills K] [--seed S]

1. Generates a seeded cart workload (bench/gen_events.py) of at least
   100,000 events, every event with a messageId.
2. Reference: one uncrashed `serve --clock events --stdin --exit-at-eof`.
3. Crashed: the same command, fed the whole stream each time, killed with
   SIGKILL after a random delay, restarted from the data directory, until
   K kills have landed; then a last run that ends by itself. Snapshots are
   taken every few thousand journal rows so kills land before, during and
   after checkpoints, in replays and in outbox delivery.
4. Compares with the reference: the delivered outbox (every send present,
   no idempotency key twice), every user's state (`journey-vm state`) and
   the statistics.
Exit 0 when identical; 1 with the first differences otherwise.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def serve(vm, data, events, checkpoint):
    args = [vm, "serve", "--data", data, "--listen", "none", "--stdin", "--exit-at-eof", "--clock", "events", "-q",
            "--sync", "normal", "--checkpoint-every", str(checkpoint), os.path.join(ROOT, "bench/journeys/cart.journey")]
    return subprocess.Popen(args, stdin=open(events, "rb"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def outcome(vm, data):
    outbox = open(os.path.join(data, "outbox.ndjson"), encoding="utf-8").read().splitlines()
    state = subprocess.run([vm, "state", "--data", data], capture_output=True, text=True, check=True).stdout
    stats = json.loads(subprocess.run([vm, "state", "--data", data, "--stats"], capture_output=True, text=True, check=True).stdout)
    return outbox, state, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vm", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--users", type=int, default=75000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--checkpoint", type=int, default=7000)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    events = os.path.join(a.work, "events.ndjson")
    with open(events, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/gen_events.py"), "cart", str(a.users), "--seed", str(a.seed)],
                       stdout=f, check=True)
    count = sum(1 for _ in open(events))
    if count < 100000:
        print(f"crash_test: only {count} events; use more --users", file=sys.stderr)
        return 1

    reference = os.path.join(a.work, "reference")
    started = time.monotonic()
    p = serve(a.vm, reference, events, a.checkpoint)
    _, err = p.communicate()
    took = time.monotonic() - started
    if p.returncode != 0:
        print(f"crash_test: the uncrashed run failed ({p.returncode}): {err.decode()}", file=sys.stderr)
        return 1
    ref_outbox, ref_state, ref_stats = outcome(a.vm, reference)
    print(f"crash_test: {count} events; uncrashed run {took:.2f} s, {len(ref_outbox)} sends")

    crashed = os.path.join(a.work, "crashed")
    kills = runs = 0
    while kills < a.kills:
        runs += 1
        p = serve(a.vm, crashed, events, a.checkpoint)
        # Most kills land mid-stream; some right at start (while the journal
        # is replayed) and some near the end (delivery, final checkpoint).
        delay = rng.choice([rng.uniform(0.0, 0.15), rng.uniform(0.05, took * 1.1)])
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            continue
        if p.returncode != 0:
            print(f"crash_test: restart {runs} failed ({p.returncode}): {p.stderr.read().decode()}", file=sys.stderr)
            return 1
    p = serve(a.vm, crashed, events, a.checkpoint)
    _, err = p.communicate()
    if p.returncode != 0:
        print(f"crash_test: the last run failed ({p.returncode}): {err.decode()}", file=sys.stderr)
        return 1
    outbox, state, stats = outcome(a.vm, crashed)

    failed = False
    keys = [json.loads(line)["message_id"] for line in outbox]
    if len(keys) != len(set(keys)):
        dup = len(keys) - len(set(keys))
        print(f"crash_test: {dup} idempotency keys delivered twice", file=sys.stderr)
        failed = True
    missing = set(ref_outbox) - set(outbox)
    extra = set(outbox) - set(ref_outbox)
    if missing or extra:
        print(f"crash_test: {len(missing)} sends lost, {len(extra)} sends not in the reference", file=sys.stderr)
        for line in sorted(missing)[:3]:
            print("  lost: " + line, file=sys.stderr)
        for line in sorted(extra)[:3]:
            print("  extra: " + line, file=sys.stderr)
        failed = True
    if state != ref_state:
        a_lines, b_lines = ref_state.splitlines(), state.splitlines()
        diff = [(x, y) for x, y in zip(a_lines, b_lines) if x != y][:3]
        print(f"crash_test: user state differs ({len(a_lines)} vs {len(b_lines)} lines): {diff}", file=sys.stderr)
        failed = True
    if stats != ref_stats:
        print("crash_test: statistics differ", file=sys.stderr)
        failed = True
    print(f"crash_test: {kills} kills over {runs} starts; {len(outbox)} sends, "
          f"{len(state.splitlines())} user states: {'DIFFERENT' if failed else 'identical to the uncrashed run'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

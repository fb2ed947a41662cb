#!/usr/bin/env python3
"""snapshot_split_test.py — a snapshot goes on exactly as the engine would have.

    snapshot_split_test.py --vm build/vm/journey-vm --work DIR

For every example with an event stream: one run over the whole stream,
against a run over its first half that saves a snapshot (`--until
last-event --save`) followed by a run restored from it (`--restore`) over
the second half. The outboxes, every user's state (`--dump-state`) and the
statistics must be identical.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vm", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    w = lambda name: os.path.join(a.work, name)
    events_dir = os.path.join(ROOT, "examples/events")
    failed = checked = 0
    for name in sorted(os.listdir(events_dir)):
        if not name.endswith(".ndjson"):
            continue
        example = name[:-len(".ndjson")]
        journeys = [os.path.join(ROOT, "examples", example + ".journey")]
        with_file = os.path.join(events_dir, example + ".with")
        if os.path.exists(with_file):
            journeys = [os.path.join(ROOT, l.strip()) for l in open(with_file) if l.strip()] + journeys
        lines = open(os.path.join(events_dir, name)).read().splitlines(keepends=True)
        half = len(lines) // 2
        open(w("first.ndjson"), "w").writelines(lines[:half])
        open(w("second.ndjson"), "w").writelines(lines[half:])

        def run(*args):
            r = subprocess.run([a.vm, "run", *args, "-q"], capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"{example}: journey-vm run {' '.join(args)}: {r.stderr.strip()}")

        run(*journeys, "--events", os.path.join(events_dir, name), "--outbox", w("whole.out"), "--stats", w("whole.json"),
            "--dump-state", w("whole.state"))
        run(*journeys, "--events", w("first.ndjson"), "--until", "last-event", "--outbox", w("first.out"), "--save", w("snap"))
        run("--restore", w("snap"), "--events", w("second.ndjson"), "--outbox", w("second.out"), "--stats", w("split.json"),
            "--dump-state", w("split.state"))
        whole_out = open(w("whole.out")).read()
        split_out = open(w("first.out")).read() + open(w("second.out")).read()
        stats = [json.load(open(w(f))) for f in ("whole.json", "split.json")]
        for s in stats:
            s.pop("events", None)  # input counters differ by construction
        problems = []
        if whole_out != split_out:
            problems.append("outbox")
        if open(w("whole.state")).read() != open(w("split.state")).read():
            problems.append("user state")
        if stats[0] != stats[1]:
            problems.append("statistics")
        if not whole_out:
            problems.append("no sends at all (the example no longer exercises anything)")
        checked += 1
        if problems:
            failed += 1
            print(f"{example}: differs after a snapshot: {', '.join(problems)}", file=sys.stderr)
    print(f"snapshot_split_test: {checked} examples, {failed} differ")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())

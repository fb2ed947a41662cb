#!/usr/bin/env python3
"""bench/lsp_latency.py — time from an edit to published diagnostics in
`journeyc lsp` on a generated 1,000-node journey (a benchmark, not a test).

    bench/lsp_latency.py [--nodes 1000] [--edits 50]

Starts the language server over pipes like an editor does, opens the
journey, then sends one full-text didChange at a time (alternating a clean
edit and one that breaks a connector, so every check really re-runs and the
diagnostics change) and measures the wall time until the matching
textDocument/publishDiagnostics arrives. Prints the median, p95 and max.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JOURNEYC = os.environ.get("JOURNEYC", os.path.join(ROOT, "build/compiler/journeyc"))


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def wait_for(proc, predicate):
    while True:
        m = receive(proc)
        if predicate(m):
            return m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=50)
    a = ap.parse_args()
    text = subprocess.run([os.path.join(HERE, "gen_journey.sh"), str(a.nodes)], check=True,
                          capture_output=True, text=True).stdout
    # The broken variant: the first connector to a node points nowhere (J0101).
    marker = "-> n2"
    if marker not in text:
        sys.exit("bench/lsp_latency.py: the generated journey has no `%s` to break" % marker)
    broken = text.replace(marker, "-> n2_missing", 1)
    uri = "file:///bench/generated.journey"
    proc = subprocess.Popen([JOURNEYC, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait_for(proc, lambda m: m.get("id") == 1)
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "journey", "version": 1, "text": text}}})
    wait_for(proc, lambda m: m.get("method") == "textDocument/publishDiagnostics")
    times = []
    for k in range(a.edits):
        version = k + 2
        body = broken if k % 2 == 0 else text
        t0 = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": body}]}})
        m = wait_for(proc, lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and m["params"].get("version") == version)
        times.append((time.perf_counter() - t0) * 1000)
        errors = [d for d in m["params"]["diagnostics"] if d.get("severity") == 1]
        if (k % 2 == 0) != bool(errors):
            sys.exit("bench/lsp_latency.py: edit %d published the wrong diagnostics" % version)
    send(proc, {"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
    wait_for(proc, lambda m: m.get("id") == 99)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print("edit -> publishDiagnostics on a %d-node journey (%d lines), %d edits: median %.1f ms, p95 %.1f ms, max %.1f ms"
          % (a.nodes, text.count("\n"), len(times), statistics.median(times), p95, times[-1]))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# demo.sh — installs, builds and runs a real example journey: checks it,
# shows its compiled bytecode, draws its canvas, and replays an event
# stream through the VM (outbox on stdout, statistics on stderr), and draws
# the canvas again with the run's figures on it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh build
example=abandoned_cart
echo "== journeyc check examples/$example.journey"
./build/compiler/journeyc check "examples/$example.journey" && echo "ok: no diagnostics"
echo "== journeyc compile (bytecode listing, first 40 lines)"
# (into a file first: `| head` would end journeyc with SIGPIPE, and pipefail the demo)
./build/compiler/journeyc compile "examples/$example.journey" --emit=asm -o "build/$example.asm"
head -40 "build/$example.asm"
./build/compiler/journeyc graph --format=svg "examples/$example.journey" -o "build/$example.svg"
echo "== canvas written to build/$example.svg"
echo "== journey-vm run examples/$example.journey --events examples/events/$example.ndjson"
./build/vm/journey-vm run "examples/$example.journey" --events "examples/events/$example.ndjson" \
  --stats "build/$example.stats.json"
./build/compiler/journeyc graph --format=svg --stats "build/$example.stats.json" "examples/$example.journey" \
  -o "build/$example.stats.svg"
echo "== canvas with the run's figures written to build/$example.stats.svg"

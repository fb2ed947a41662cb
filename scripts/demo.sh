#!/usr/bin/env bash
# demo.sh — installs, builds and runs a real example journey through the
# compiler: check it, print its typed IR and its canvas as Graphviz DOT/SVG.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh build
example=examples/abandoned_cart.journey
echo "== journeyc check $example"
./build/compiler/journeyc check "$example" && echo "ok: no diagnostics"
echo "== journeyc compile --emit=ir $example"
./build/compiler/journeyc compile "$example" --emit=ir
./build/compiler/journeyc graph "$example" -o build/abandoned_cart.dot
dot -Tsvg build/abandoned_cart.dot -o build/abandoned_cart.svg
echo "== canvas written to build/abandoned_cart.svg"

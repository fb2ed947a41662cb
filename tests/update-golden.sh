#!/usr/bin/env bash
# Rewrites every golden file from the current compiler output. Review the
# diff (git diff tests/golden) before committing: it is the behaviour change.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target golden_runner journeyc journey-vm -j2 >/dev/null
JOURNEY_UPDATE_GOLDEN=1 ctest --test-dir build -R '^(golden|scenario|run)\.' --output-on-failure "$@"

#!/usr/bin/env bash
# test.sh [--sanitize] — installs, builds and runs every test with ctest.
# With --sanitize the build uses AddressSanitizer + UBSan (in build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dir=build
args=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  args=(-DJOURNEY_SANITIZE=ON)
fi
./scripts/build.sh "$dir" "${args[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$dir" --output-on-failure -j2

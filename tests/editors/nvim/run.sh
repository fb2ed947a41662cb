#!/bin/sh
# ctest entry point for the headless Neovim test (init.lua).
#   run.sh JOURNEYC [WORK]
# Exits 77 (ctest: skipped) when nvim is not installed, except under CI
# (CI set), where scripts/install-deps.sh installs it and its absence fails.
set -u
JOURNEYC=$1
WORK=${2:-${TMPDIR:-/tmp}/journey-nvim-test}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
if ! command -v nvim >/dev/null 2>&1; then
  echo "nvim not found (apt-get install neovim)"
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
JOURNEYC=$JOURNEYC JOURNEY_ROOT=$ROOT JOURNEY_WORK=$WORK \
  timeout 60 nvim --headless --clean -u "$ROOT/tests/editors/nvim/init.lua" </dev/null
rc=$?
if [ ! -f "$WORK/results.txt" ]; then
  echo "nvim wrote no results (exit status $rc)"
  [ "$rc" -eq 0 ] && rc=1
fi
exit $rc

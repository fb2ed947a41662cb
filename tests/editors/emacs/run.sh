#!/bin/sh
# ctest entry point for the batch Emacs + eglot test (test.el).
#   run.sh JOURNEYC [WORK]
# Exits 77 (ctest: skipped) when emacs is not installed, except under CI
# (CI set), where scripts/install-deps.sh installs it and its absence fails.
set -u
JOURNEYC=$1
WORK=${2:-${TMPDIR:-/tmp}/journey-emacs-test}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
if ! command -v emacs >/dev/null 2>&1; then
  echo "emacs not found (apt-get install emacs-nox elpa-eglot)"
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
JOURNEYC=$JOURNEYC JOURNEY_ROOT=$ROOT JOURNEY_WORK=$WORK \
  timeout 80 emacs --batch -Q -l "$ROOT/tests/editors/emacs/test.el" </dev/null >"$WORK/output.txt" 2>&1
rc=$?
cat "$WORK/output.txt"
grep -q '^0 failure(s)$' "$WORK/output.txt" || { [ "$rc" -eq 0 ] && rc=1; }
exit $rc

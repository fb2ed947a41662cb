#!/bin/sh
# ctest entry point: packages editors/vscode into a .vsix with @vscode/vsce
# (installing the pinned npm packages on a clean clone) and checks what the
# package holds (check_vsix.py).
#   run.sh [WORK]
# Needs node and npm (exits 77, skipped, without them; under CI, which has
# them, their absence fails).
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=${1:-${TMPDIR:-/tmp}/journey-vscode-test}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found"
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$ROOT/editors/vscode"
if [ ! -x node_modules/.bin/vsce ] || [ ! -d node_modules/vscode-languageclient ]; then
  npm ci --no-audit --no-fund
fi
node_modules/.bin/vsce package --skip-license --allow-missing-repository -o "$WORK/journey.vsix"
exec python3 "$ROOT/tests/editors/vscode/check_vsix.py" "$WORK/journey.vsix" "$ROOT/editors/vscode/package.json"

#!/bin/sh
# ctest entry point for the TextMate grammar test: installs the pinned npm
# packages (vscode-textmate, vscode-oniguruma) on a clean clone, then runs
# test_grammar.js. Needs node and npm (exits 77, skipped, without them;
# under CI, which has them, their absence fails).
set -e
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found"
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi
if [ ! -d node_modules/vscode-textmate ] || [ ! -d node_modules/vscode-oniguruma ]; then
  npm ci --no-audit --no-fund
fi
exec node test_grammar.js "$@"

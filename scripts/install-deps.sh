#!/usr/bin/env bash
# install-deps.sh — installs every Debian package the project needs to build
# and test. Idempotent: packages already present are left alone, and the
# package lists are refreshed only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake make pkg-config
  antlr4 libantlr4-runtime-dev default-jre-headless  # grammar → C++ parser, and its runtime
  libfmt-dev                                          # formatting
  nlohmann-json3-dev                                  # JSON and SARIF diagnostics, LSP
  libcli11-dev                                        # command-line parsing
  catch2                                              # unit tests (v2)
  llvm-14-dev                                         # ADT containers for the VM
  libsimdjson-dev                                     # NDJSON event ingestion
  libsqlite3-dev                                      # durable state (journey-vm serve)
  libcpp-httplib-dev                                  # journey-vm serve: HTTP API, webhook provider
  clang-14 libclang-rt-14-dev                         # libFuzzer targets (scripts/fuzz.sh)
  graphviz                                            # journeyc graph → SVG
  tzdata                                              # time zone validation
  python3 time                                        # bench/run (workload generator, peak RSS)
  lua5.4 luajit lua-cjson                             # bench/: the Lua peers
  neovim                                              # tests/editors: a real LSP client (0.7)
  emacs-nox elpa-eglot                                # tests/editors: Emacs 28 with eglot
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

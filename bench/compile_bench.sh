#!/usr/bin/env bash
# compile_bench.sh [N] [RUNS] — times `journeyc check` on a generated journey
# of N nodes (default 1000, about 10,000 lines); prints each run and the
# median. A benchmark, not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
runs="${2:-7}"
journeyc=${JOURNEYC:-build/compiler/journeyc}
[ -x "$journeyc" ] || { echo "build first: ./scripts/build.sh" >&2; exit 2; }
file=$(mktemp --suffix=.journey)
trap 'rm -f "$file"' EXIT
bench/gen_journey.sh "$n" > "$file"
echo "input: $n nodes, $(wc -l < "$file") lines, $(wc -c < "$file") bytes"
"$journeyc" check "$file"  # must be clean
times=()
for ((r = 0; r < runs; r++)); do
  start=$(date +%s%N)
  "$journeyc" check "$file"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $((r + 1)): ${ms} ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median: ${median} ms (journeyc check, whole process: start-up, stdlib, parse, check, graph checks)"

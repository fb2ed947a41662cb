#!/usr/bin/env bash
# fuzz.sh [--seconds N] — builds the libFuzzer targets (fuzz/) with clang-14
# in build-fuzz/, replays the committed seed corpus through each (every
# input must pass), then fuzzes each target for N seconds (default 30) on a
# scratch copy of its corpus. Exits 1 on the first crash, naming the input
# that caused it (saved under fuzz/crashes/TARGET/, which git ignores).
# Installs nothing: scripts/install-deps.sh lists clang-14 and
# libclang-rt-14-dev. fuzz/README.md describes the targets.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --seconds=*) seconds="${1#--seconds=}"; shift ;;
    *) echo "usage: scripts/fuzz.sh [--seconds N]" >&2; exit 2 ;;
  esac
done

targets=(compiler jbc events snapshot custom_list)
dir=build-fuzz
for tool in clang++-14; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done

# Our libraries are instrumented for coverage and checked by ASan/UBSan; the
# fuzz targets add the libFuzzer driver (fuzz/CMakeLists.txt). -O1 keeps
# stack traces readable; asserts stay on (no NDEBUG): a failed one is a find.
# BUILD_TESTING is off: the unit tests run in the other builds.
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
start=$(date +%s)
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Fuzz -DJOURNEY_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_COMPILER=clang++-14 "-DCMAKE_CXX_FLAGS=$flags" >/dev/null
nice -n 10 cmake --build "$dir" -j2 --target "${targets[@]/#/fuzz_}"
echo "fuzz.sh: build took $(( $(date +%s) - start ))s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
common=(-rss_limit_mb=2048 -timeout=10)

# Replays: every committed input, one run each.
for t in "${targets[@]}"; do
  seeds=(fuzz/corpus/"$t"/*)
  echo "fuzz.sh: replaying ${#seeds[@]} inputs through fuzz_$t"
  if ! "$dir/fuzz/fuzz_$t" "${common[@]}" "${seeds[@]}" >"$dir/replay_$t.log" 2>&1; then
    tail -n 60 "$dir/replay_$t.log" >&2
    echo "fuzz.sh: FAIL: a committed input of fuzz_$t crashes (the last 'Running:' line above names it; full log: $dir/replay_$t.log)" >&2
    exit 1
  fi
done

# Fuzzing: new inputs go to a scratch copy, never into the committed corpus.
for t in "${targets[@]}"; do
  work="$dir/work/$t"
  rm -rf "$work"
  mkdir -p "$work" "fuzz/crashes/$t"
  cp fuzz/corpus/"$t"/* "$work"/
  dict=()
  if [ -f "fuzz/$t.dict" ]; then dict=(-dict="fuzz/$t.dict"); fi
  echo "fuzz.sh: fuzzing fuzz_$t for ${seconds}s"
  if ! "$dir/fuzz/fuzz_$t" "${common[@]}" "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="fuzz/crashes/$t/" "$work" >"$dir/fuzz_$t.log" 2>&1; then
    tail -n 60 "$dir/fuzz_$t.log" >&2
    crash=$(grep -o "Test unit written to [^ ]*" "$dir/fuzz_$t.log" | tail -n 1 | sed 's/Test unit written to //')
    echo "fuzz.sh: FAIL: fuzz_$t crashed on ${crash:-an input (see $dir/fuzz_$t.log)}" >&2
    echo "fuzz.sh: reproduce with: $dir/fuzz/fuzz_$t ${crash:-INPUT}" >&2
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$dir/fuzz_$t.log" | sed "s/^/fuzz.sh: fuzz_$t /" || true
done
echo "fuzz.sh: all ${#targets[@]} targets passed"

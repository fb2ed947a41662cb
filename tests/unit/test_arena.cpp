// test_arena.cpp — the run's scratch arena: every string kept stays
// intact and apart from the others until the arena is cleared, whatever
// mix of sizes fills its chunks, and a cleared arena is filled again alike.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "vm/value.h"

using journey::vm::Arena;

TEST_CASE("Arena: kept strings stay intact and apart until clear, over chunk ends and reuse", "[arena]") {
  Arena arena;
  std::mt19937_64 rng(3);
  for (int run = 0; run < 40; ++run) {
    std::vector<std::string> originals;
    std::vector<std::string_view> kept;
    size_t count = 1 + rng() % 300;
    for (size_t i = 0; i < count; ++i) {
      size_t size;
      switch (rng() % 8) {
        case 0: size = 0; break;
        case 1: size = 16000 + rng() % 2000; break;  // around a chunk's size
        case 2: size = 20000 + rng() % 50000; break;  // larger than a chunk
        default: size = rng() % 200;
      }
      std::string s(size, '\0');
      for (char& c : s) c = static_cast<char>('a' + rng() % 26);
      std::string_view source = s;
      if (!kept.empty() && rng() % 10 == 0) source = kept[rng() % kept.size()];  // a string already in the arena
      std::string expected(source);
      std::string_view view = arena.keep(source);
      REQUIRE(view == expected);
      originals.push_back(expected);
      kept.push_back(view);
    }
    // Every view still reads what was kept, none overlaps another.
    for (size_t i = 0; i < kept.size(); ++i) REQUIRE(kept[i] == originals[i]);
    std::vector<std::pair<const char*, size_t>> spans;
    for (std::string_view v : kept)
      if (!v.empty()) spans.push_back({v.data(), v.size()});
    std::sort(spans.begin(), spans.end(), [](auto a, auto b) { return std::less<const char*>()(a.first, b.first); });
    for (size_t i = 1; i < spans.size(); ++i) REQUIRE(!std::less<const char*>()(spans[i].first, spans[i - 1].first + spans[i - 1].second));
    arena.clear();
  }
}

// test_entry_props.cpp — the store of instances' kept entry properties with
// its pool (vm/entry_props.h): equal short strings share one handle, long
// ones and everything past a full pool are kept one per instance and freed,
// a run of values that never repeat stops the lookups for a while, and
// every handle reads back its bytes whatever came and went.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>

#include "vm/entry_props.h"

using journey::vm::EntryPropsStore;

namespace {
std::string Unique(size_t k) { return "order-" + std::to_string(k); }
}  // namespace

TEST_CASE("equal short packed strings share one handle; removing one holder leaves it for the others", "[entry_props]") {
  EntryPropsStore store;
  uint32_t a = store.add("Big Week");
  uint32_t b = store.add("Winter Warmers");
  uint32_t c = store.add("Big Week");
  CHECK(a == c);
  CHECK(a != b);
  CHECK(store.pooledCount() == 2);
  CHECK(store.ownCellsInUse() == 0);
  store.remove(a);
  CHECK(store.get(c) == "Big Week");
  CHECK(store.get(b) == "Winter Warmers");
  CHECK(store.inside(c));
  CHECK(store.address(c) != nullptr);
  // The empty string too (an instance whose properties pack to nothing).
  CHECK(store.get(store.add("")) == "");
}

TEST_CASE("a string too long to pool is kept for its instance alone and freed with it", "[entry_props]") {
  EntryPropsStore store;
  std::string longer(EntryPropsStore::kPoolableBytes + 1, 'x');
  uint32_t a = store.add(longer);
  uint32_t b = store.add(longer);
  CHECK(a != b);
  CHECK(store.pooledCount() == 0);
  size_t inUse = store.ownCellsInUse();
  CHECK(inUse > 0);
  store.remove(a);
  CHECK(store.ownCellsInUse() < inUse);
  CHECK(store.get(b) == longer);
  auto made = store.makeUnshared(200);
  std::string bytes(200, 'y');
  std::copy(bytes.begin(), bytes.end(), made.bytes);
  CHECK(store.get(made.handle) == bytes);
  // At the limit it is pooled.
  std::string limit(EntryPropsStore::kPoolableBytes, 'z');
  CHECK(store.add(limit) == store.add(limit));
}

TEST_CASE("past a full pool new strings are kept per instance; the pooled ones are still shared", "[entry_props]") {
  EntryPropsStore store;
  // Half of each window repeats an earlier value, so the lookups never pause.
  size_t made = 0;
  for (size_t k = 0; made < EntryPropsStore::kMaxPooled; ++k) {
    store.add(Unique(made++));
    store.add(Unique(made / 2));
  }
  CHECK(store.pooledCount() == EntryPropsStore::kMaxPooled);
  uint32_t a = store.add("past the end");
  uint32_t b = store.add("past the end");
  CHECK(a != b);
  CHECK(store.get(a) == "past the end");
  CHECK(store.add(Unique(7)) == store.add(Unique(7)));
  CHECK(store.pooledCount() == EntryPropsStore::kMaxPooled);
}

TEST_CASE("values that never repeat pause the lookups, which resume after the pause", "[entry_props]") {
  EntryPropsStore store;
  size_t k = 0;
  // One window of unique values: all pooled, none repeated.
  for (; k < 4096; ++k) store.add(Unique(k));
  CHECK(store.pooledCount() == 4096);
  // The pause: these are kept per instance, even values the pool has.
  for (; k < 4096 + 1000; ++k) store.add(Unique(k));
  CHECK(store.pooledCount() == 4096);
  CHECK(store.add(Unique(1)) != store.add(Unique(1)));
  // Sixteen windows on, it looks again.
  for (size_t n = 0; n < 16 * 4096; ++n) store.add("x");
  CHECK(store.add(Unique(1)) == store.add(Unique(1)));
}

TEST_CASE("every handle reads back its bytes while others come and go, pooled or not", "[entry_props]") {
  EntryPropsStore store;
  std::multimap<uint32_t, std::string> live;
  std::mt19937 rng(7);
  const char* common[] = {"Big Week", "Winter Warmers", "Home Refresh", ""};
  for (int round = 0; round < 40000; ++round) {
    if (!live.empty() && rng() % 3 == 0) {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      store.remove(it->first);
      live.erase(it);
      continue;
    }
    std::string bytes;
    switch (rng() % 3) {
      case 0: bytes = common[rng() % 4]; break;
      case 1: bytes = Unique(rng() % 100000); break;
      default: bytes = std::string(rng() % 400, static_cast<char>('a' + rng() % 26));
    }
    live.emplace(store.add(bytes), bytes);
  }
  for (const auto& [handle, bytes] : live) {
    INFO(handle);
    CHECK(store.inside(handle));
    CHECK(store.get(handle) == bytes);
  }
  store.clear();
  CHECK(store.pooledCount() == 0);
  CHECK(store.ownCellsInUse() == 0);
}

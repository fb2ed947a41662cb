// test_blob_store.cpp — the store of instances' kept entry properties:
// every blob reads back as written through growth and reuse, freed space
// is reused by blobs of the same size class, and sizes from empty to past
// the exact classes work.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>

#include "vm/blob_store.h"

using journey::vm::BlobStore;

TEST_CASE("blobs read back as written while others come and go", "[blob_store]") {
  BlobStore store;
  std::map<uint32_t, std::string> live;
  std::mt19937 rng(42);
  for (int round = 0; round < 50000; ++round) {
    if (!live.empty() && rng() % 3 == 0) {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      store.remove(it->first);
      live.erase(it);
      continue;
    }
    // Mostly short, like packed entry properties; sometimes long.
    size_t length = rng() % 10 == 0 ? rng() % 2000 : rng() % 80;
    std::string bytes(length, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    uint32_t handle = store.add(bytes);
    REQUIRE(live.count(handle) == 0);  // never a handle still in use
    live[handle] = bytes;
  }
  size_t wrong = 0;
  for (const auto& [handle, bytes] : live) wrong += store.get(handle) != bytes;
  CHECK(wrong == 0);
}

TEST_CASE("freed runs are reused by blobs of the same class; the store does not grow under churn", "[blob_store]") {
  BlobStore store;
  uint32_t a = store.add(std::string(40, 'a'));  // 3 cells
  uint32_t b = store.add("");
  CHECK(store.get(b).empty());
  CHECK(store.cellsInUse() == 4);
  store.remove(a);
  uint32_t c = store.add(std::string(44, 'c'));  // 48 bytes with the length: still 3 cells
  CHECK(c == a);
  CHECK(store.get(c) == std::string(44, 'c'));
  uint32_t d = store.add(std::string(45, 'd'));  // 4 cells: a new run
  CHECK(d != a);
  // A steady population of entering and leaving users: the cells in use stay flat.
  std::vector<uint32_t> ring;
  for (int i = 0; i < 1000; ++i) ring.push_back(store.add(std::string(30 + i % 7, 'x')));
  size_t before = store.cellsInUse();
  for (int i = 0; i < 100000; ++i) {
    store.remove(ring[i % 1000]);
    ring[i % 1000] = store.add(std::string(30 + i % 7, 'y'));
  }
  CHECK(store.cellsInUse() == before);
  CHECK(store.inside(ring[999]));
  CHECK_FALSE(store.inside(UINT32_MAX - 1));
}

TEST_CASE("blobs past the exact classes take power-of-two runs", "[blob_store]") {
  BlobStore store;
  std::string big(300, 'b');  // 304 bytes: 19 cells, stored in a run of 32
  uint32_t h = store.add(big);
  CHECK(store.cellsInUse() == 32);
  CHECK(store.get(h) == big);
  store.remove(h);
  uint32_t again = store.add(std::string(500, 'c'));  // 32 cells too: the same run
  CHECK(again == h);
  std::string huge(1 << 20, 'h');
  uint32_t hh = store.add(huge);
  CHECK(store.get(hh) == huge);
}

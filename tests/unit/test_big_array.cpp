// test_big_array.cpp — BigArray, the remapped array behind the engine's
// per-user tables: contents survive every growth (in place or moved, below
// and above the huge-page size), owning elements are destroyed exactly
// once, and moves hand the mapping over.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include "vm/big_array.h"

using journey::vm::BigArray;

namespace {

struct Counted {
  static inline int alive = 0;
  std::unique_ptr<int> value;
  explicit Counted(int v = 0) : value(std::make_unique<int>(v)) { ++alive; }
  Counted(Counted&& o) noexcept : value(std::move(o.value)) { ++alive; }
  ~Counted() { --alive; }
};

}  // namespace

namespace journey::vm {
template <>
struct TriviallyRelocatable<Counted> : std::true_type {};
}  // namespace journey::vm

TEST_CASE("BigArray keeps every element through growth past the huge-page size", "[big_array]") {
  BigArray<uint64_t> a;
  CHECK(a.empty());
  constexpr size_t kN = 3'000'000;  // 24 MB: several remaps, most above 2 MiB
  for (size_t i = 0; i < kN; ++i) a.push_back(i * 2654435761u);
  REQUIRE(a.size() == kN);
  CHECK(a.capacity() >= kN);
  size_t wrong = 0;
  for (size_t i = 0; i < kN; ++i) wrong += a[i] != i * 2654435761u;
  CHECK(wrong == 0);
  CHECK(a.back() == (kN - 1) * 2654435761u);
}

TEST_CASE("BigArray resize value-initializes, assign fills, append copies bytes", "[big_array]") {
  BigArray<int> a;
  a.resize(5);
  for (int v : a) CHECK(v == 0);
  a[4] = 7;
  a.resize(2);
  a.resize(6);  // the elements past the old size are made again, not left over
  CHECK(a[4] == 0);
  a.assign(100000, -1);
  CHECK(a.size() == 100000);
  CHECK(a[99999] == -1);
  a.assign(100000, 0);  // over written memory: the zeros are written
  CHECK(std::count(a.begin(), a.end(), 0) == 100000);
  BigArray<int> fresh;
  fresh.assign(3'000'000, 0);  // a fresh mapping: zero pages, not written
  CHECK(fresh.size() == 3'000'000);
  CHECK(std::count(fresh.begin(), fresh.end(), 0) == 3'000'000);
  fresh[2'999'999] = 5;
  CHECK(fresh.back() == 5);
  BigArray<char> text;
  std::string hello = "hello, ";
  for (int i = 0; i < 100000; ++i) text.append(hello.data(), hello.size());
  CHECK(text.size() == 700000);
  CHECK(std::string(text.data() + 699993, 7) == hello);
}

TEST_CASE("BigArray destroys owning elements once, through growth, moves and clear", "[big_array]") {
  Counted::alive = 0;
  {
    BigArray<Counted> a;
    for (int i = 0; i < 200000; ++i) a.emplace_back(i);  // moved as bytes on every remap
    CHECK(Counted::alive == 200000);
    CHECK(*a[123456].value == 123456);
    BigArray<Counted> b = std::move(a);
    CHECK(a.empty());
    CHECK(b.size() == 200000);
    CHECK(*b.back().value == 199999);
    b.resize(10);
    CHECK(Counted::alive == 10);
    BigArray<Counted> c;
    c.emplace_back(1);
    c = std::move(b);  // c's old element goes
    CHECK(Counted::alive == 10);
    c.clear();
    CHECK(Counted::alive == 0);
    c.emplace_back(5);
  }
  CHECK(Counted::alive == 0);
}

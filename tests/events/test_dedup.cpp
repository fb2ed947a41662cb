// test_dedup.cpp — messageId de-duplication: redelivered events are
// dropped and counted, events without an id are never dropped, and the
// window forgets the oldest ids once it is full (bounded memory).
#include <catch2/catch.hpp>

#include "helpers.h"
#include "vm/events/dedup.h"

#include <random>

using namespace journey::events;
using namespace journey::events::test;

TEST_CASE("dedup: repeated messageIds are dropped and counted", "[dedup]") {
  EventSource src = EventSource::open(fixture("duplicates.ndjson"));
  Drained got = drain(src);
  std::vector<std::string> names;
  std::vector<uint64_t> lines;
  for (const Owned& e : got.events) {
    names.push_back(e.name);
    lines.push_back(e.line);
  }
  // Line 3 repeats m-1; line 6 repeats m-2 (ids are global, not per user);
  // lines 4 and 5 are identical but carry no messageId, so both stay.
  CHECK(names == std::vector<std::string>{"A", "B", "C", "C", "E"});
  CHECK(lines == std::vector<uint64_t>{1, 2, 4, 5, 7});
  const Counters& c = src.counters();
  CHECK(c.decoded == 7);
  CHECK(c.duplicates == 2);
  CHECK(c.released == 5);
}

TEST_CASE("dedup: a window of 0 keeps every event", "[dedup]") {
  Options opt;
  opt.dedup_window = 0;
  EventSource src = EventSource::open(fixture("duplicates.ndjson"), opt);
  CHECK(drain(src).events.size() == 7);
  CHECK(src.counters().duplicates == 0);
}

TEST_CASE("dedup: only the last N ids are remembered", "[dedup]") {
  MessageIdWindow w(3);
  CHECK(w.insert("a"));
  CHECK(w.insert("b"));
  CHECK(w.insert("c"));
  CHECK_FALSE(w.insert("a"));  // still remembered
  CHECK(w.insert("d"));        // evicts a, the oldest
  CHECK_FALSE(w.contains("a"));
  CHECK(w.contains("b"));
  CHECK(w.insert("a"));  // forgotten, so new again (and evicts b)
  CHECK_FALSE(w.contains("b"));
  CHECK(w.size() == 3);
}

TEST_CASE("dedup: the window stays exact under long churn", "[dedup]") {
  // 200k ids through a window of 1000: every id of the last 1000 is found,
  // every older one is not. This exercises eviction (backward-shift delete)
  // across wrapped probe runs many times over.
  const size_t cap = 1000;
  MessageIdWindow w(cap);
  auto id = [](size_t i) { return "msg-" + std::to_string(i * 7919); };
  for (size_t i = 0; i < 200000; ++i) {
    REQUIRE(w.insert(id(i)));
    if (i % 20011 == 0 || i == 199999) {
      for (size_t k = 0; k <= i && k < cap + 50; ++k) {
        bool want = k < cap;
        REQUIRE(w.contains(id(i - k)) == want);
      }
    }
  }
  CHECK(w.size() == cap);
  CHECK_FALSE(w.insert(id(199999)));
}

TEST_CASE("dedup: the hash spreads similar ids", "[dedup]") {
  CHECK(hash_bytes("m-1") != hash_bytes("m-2"));
  CHECK(hash_bytes("") != hash_bytes(std::string(1, '\0')));
  CHECK(hash_bytes("abcdefgh") != hash_bytes(std::string_view("abcdefgh\0", 9)));  // the length counts
  CHECK(hash_bytes("msg-12345678") == hash_bytes(std::string("msg-12345678")));
}

TEST_CASE("dedup: a window sized from the start remembers exactly what a growing one does", "[dedup]") {
  // The expected count only sizes the table (a file's length / 128): any
  // guess, too small, right or far too large, gives the same answers.
  const size_t cap = 500;
  // 900 ids drawn at random (fixed seed): some come back inside the window, some after it.
  std::vector<std::string> ids;
  std::mt19937 draw(7);
  for (size_t i = 0; i < 20000; ++i) ids.push_back("m-" + std::to_string(draw() % 900));
  auto id = [&](size_t i) { return ids[i]; };
  for (size_t expected : {size_t{0}, size_t{10}, size_t{500}, size_t{1} << 30}) {
    MessageIdWindow grown(cap), sized(cap, expected);
    size_t repeats = 0;
    for (size_t i = 0; i < 20000; ++i) {
      INFO("expected " << expected << ", insert " << i);
      bool fresh = grown.insert(id(i));
      REQUIRE(sized.insert(id(i)) == fresh);
      repeats += !fresh;
    }
    CHECK(repeats > 1000);
    CHECK(repeats < 19000);
    CHECK(sized.size() == cap);
  }
}

// test_timer_wheel.cpp — the engine's timing wheel on its own: due order,
// the overflow list beyond one lap, cancelled-free generations, and the
// snapshot round trip (bucket entries keep no time; a restore checks the
// time written for them).
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "vm/snapshot_io.h"
#include "vm/timer_wheel.h"

using journey::vm::ByteReader;
using journey::vm::ByteWriter;
using journey::vm::TimerWheel;
using journey::vm::kTimeLimitSeconds;

namespace {

using Fired = std::vector<std::tuple<uint32_t, uint32_t, int64_t>>;

Fired AdvanceAll(TimerWheel& wheel, int64_t to) {
  Fired fired;
  wheel.advance(to, [&](uint32_t id, uint32_t gen, int64_t due) { fired.emplace_back(id, gen, due); });
  return fired;
}

// A wheel with timers in the near buckets, two ties, a past time and
// deadlines far beyond one lap (the overflow list).
TimerWheel Sample(int64_t t0) {
  TimerWheel wheel(t0);
  wheel.schedule(1, 1, t0 + 10);
  wheel.schedule(2, 7, t0 + 3);
  wheel.schedule(3, 1, t0 + 10);                     // ties fire in scheduling order
  wheel.schedule(4, 2, t0 - 50);                     // in the past: the next second
  wheel.schedule(5, 1, t0 + TimerWheel::kSlots + 5);  // beyond a lap
  wheel.schedule(6, 3, t0 + 3 * int64_t{TimerWheel::kSlots});
  return wheel;
}

// A wheel saved and restored into a fresh one (the restore must succeed).
TimerWheel RoundTrip(const TimerWheel& original) {
  std::string bytes;
  ByteWriter w(bytes);
  original.save(w);
  TimerWheel restored;
  ByteReader r(bytes);
  REQUIRE(restored.restore(r));
  return restored;
}

}  // namespace

TEST_CASE("the timer wheel fires in due order, ties in scheduling order, far deadlines on time") {
  const int64_t t0 = 1'800'000'000;
  TimerWheel wheel = Sample(t0);
  CHECK(wheel.pending() == 6);
  Fired fired = AdvanceAll(wheel, t0 + 4 * int64_t{TimerWheel::kSlots});
  Fired want = {{4, 2, t0 + 1},
                {2, 7, t0 + 3},
                {1, 1, t0 + 10},
                {3, 1, t0 + 10},
                {5, 1, t0 + TimerWheel::kSlots + 5},
                {6, 3, t0 + 3 * int64_t{TimerWheel::kSlots}}};
  CHECK(fired == want);
  CHECK(wheel.pending() == 0);
}

TEST_CASE("the timer wheel takes timers scheduled while firing: the next second or a lap ahead") {
  const int64_t t0 = 1000;
  TimerWheel wheel(t0);
  wheel.schedule(1, 1, t0 + 1);
  Fired fired;
  wheel.advance(t0 + 2 * int64_t{TimerWheel::kSlots} + 10, [&](uint32_t id, uint32_t gen, int64_t due) {
    fired.emplace_back(id, gen, due);
    if (id == 1) {
      wheel.schedule(2, 1, due);                                  // "now": the next second
      wheel.schedule(3, 1, due + TimerWheel::kSlots);             // exactly one lap ahead
      wheel.schedule(4, 1, due + TimerWheel::kSlots - 1);         // the last bucket of this lap
    }
  });
  Fired want = {{1, 1, t0 + 1},
                {2, 1, t0 + 2},
                {4, 1, t0 + 1 + TimerWheel::kSlots - 1},
                {3, 1, t0 + 1 + TimerWheel::kSlots}};
  CHECK(fired == want);
}

TEST_CASE("a timer wheel snapshot restores the same future, and a forged due time is refused") {
  const int64_t t0 = 1'800'000'000;
  TimerWheel original = Sample(t0);
  AdvanceAll(original, t0 + 3);  // fires 4 and 2
  TimerWheel restored = RoundTrip(original);
  CHECK(restored.now() == original.now());
  CHECK(restored.pending() == original.pending());
  CHECK(restored.ownersBelow(7));
  CHECK_FALSE(restored.ownersBelow(6));
  const int64_t end = t0 + 4 * int64_t{TimerWheel::kSlots};
  CHECK(AdvanceAll(restored, end) == AdvanceAll(original, end));

  // The first bucket entry's time is written after now, pending, the bucket
  // count and index, the entry count, id and generation.
  TimerWheel again = Sample(t0);
  AdvanceAll(again, t0 + 3);
  std::string forged;
  ByteWriter fw(forged);
  again.save(fw);
  size_t dueAt = forged.find(std::string("\x01\x00\x00\x00\x01\x00\x00\x00", 8));  // entry (1, 1)
  REQUIRE(dueAt != std::string::npos);
  int64_t wrong = t0 + 11;
  forged.replace(dueAt + 8, 8, std::string(reinterpret_cast<const char*>(&wrong), 8));
  TimerWheel damaged;
  ByteReader fr(forged);
  CHECK_FALSE(damaged.restore(fr));
}

TEST_CASE("a timer wheel snapshot with a clock beyond the bound, a wrong pending count or a far entry already due is refused") {
  const int64_t t0 = 1'800'000'000;
  TimerWheel original = Sample(t0);
  original.schedule(9, 1, t0 + 3 * int64_t{TimerWheel::kSlots});  // a far entry, in the overflow list
  std::string bytes;
  ByteWriter w(bytes);
  original.save(w);
  {
    TimerWheel fine;
    ByteReader r(bytes);
    REQUIRE(fine.restore(r));
  }
  auto refused = [](std::string forged) {
    TimerWheel damaged;
    ByteReader r(forged);
    return !damaged.restore(r);
  };
  // The clock is the first eight bytes; the bound is kTimeLimitSeconds. An
  // empty wheel's clock is all there is to check.
  std::string empty;
  ByteWriter ew(empty);
  TimerWheel(t0).save(ew);
  for (int64_t clock : {INT64_MAX, INT64_MIN, kTimeLimitSeconds + 1, -kTimeLimitSeconds - 1, kTimeLimitSeconds, -kTimeLimitSeconds}) {
    std::string forged = empty;
    std::memcpy(forged.data(), &clock, 8);
    CHECK(refused(forged) == (clock > kTimeLimitSeconds || clock < -kTimeLimitSeconds));
  }
  std::string clock = bytes;
  int64_t beyond = INT64_MAX;
  std::memcpy(clock.data(), &beyond, 8);
  CHECK(refused(clock));
  // The pending count (a varint after the clock) one more than the entries.
  std::string pending = bytes;
  REQUIRE(static_cast<uint8_t>(pending[8]) < 0x7F);
  pending[8] = static_cast<char>(pending[8] + 1);
  CHECK(refused(pending));
  // The far entry's time, the last eight bytes, made the clock's.
  std::string far = bytes;
  std::memcpy(far.data() + far.size() - 8, far.data(), 8);
  CHECK(refused(far));
}

TEST_CASE("the timer wheel fires what a sorted list of deadlines would, over quiet stretches, far deadlines and timers set while firing") {
  // A reference: every entry with its effective due (a past one is due the
  // next second); fired at or before each target, in due order. Ties are
  // compared as sets: an entry moved in from the overflow list joins its
  // bucket after entries scheduled there directly.
  std::mt19937_64 rng(20261126);
  for (int round = 0; round < 20; ++round) {
    const int64_t t0 = 1'800'000'000 + round;
    TimerWheel wheel(t0);
    std::multimap<int64_t, std::pair<uint32_t, uint32_t>> reference;
    int64_t now = t0;
    uint32_t nextId = 0;
    auto pickDue = [&]() -> int64_t {
      switch (rng() % 4) {
        case 0: return now + static_cast<int64_t>(rng() % 100) - 10;           // near, sometimes past
        case 1: return now + static_cast<int64_t>(rng() % (2 * TimerWheel::kSlots));  // within two laps
        case 2: return now + static_cast<int64_t>(rng() % (int64_t{1} << 30));  // decades away
        default: return now + TimerWheel::kSlots + static_cast<int64_t>(rng() % 2048);  // just past a lap
      }
    };
    auto schedule = [&](int64_t due) {
      uint32_t id = nextId++;
      wheel.schedule(id, 1, due);
      reference.emplace(std::max(due, now + 1), std::make_pair(id, 1u));
    };
    for (int i = 0; i < 200; ++i) schedule(pickDue());
    for (int step = 0; step < 60; ++step) {
      int64_t target = now + (rng() % 3 == 0 ? static_cast<int64_t>(rng() % (int64_t{1} << 31)) : static_cast<int64_t>(rng() % 5000));
      std::map<int64_t, std::multiset<uint32_t>> fired;
      wheel.advance(target, [&](uint32_t id, uint32_t, int64_t due) {
        fired[due].insert(id);
        now = due;
        if (id % 7 == 0) schedule(pickDue());  // a timer set while firing, as a resumed user does
      });
      now = target;
      std::map<int64_t, std::multiset<uint32_t>> want;
      while (!reference.empty() && reference.begin()->first <= target) {
        want[reference.begin()->first].insert(reference.begin()->second.first);
        reference.erase(reference.begin());
      }
      REQUIRE(fired == want);
      REQUIRE(wheel.pending() == reference.size());
      if (rng() % 4 == 0)
        for (int i = 0; i < 20; ++i) schedule(pickDue());
    }
  }
}

TEST_CASE("a timer wheel holding only far deadlines skips the empty seconds before them") {
  // 2^45 seconds stepped one by one would take days: this finishes at once
  // only because the wheel jumps to the earliest far deadline.
  const int64_t t0 = 1'800'000'000;
  TimerWheel wheel(t0);
  wheel.schedule(1, 1, t0 + (int64_t{1} << 44));
  wheel.schedule(2, 1, t0 + (int64_t{1} << 45));
  wheel.schedule(3, 1, t0 + (int64_t{1} << 45));
  Fired fired = AdvanceAll(wheel, t0 + (int64_t{1} << 45) + 10);
  Fired want = {{1, 1, t0 + (int64_t{1} << 44)}, {2, 1, t0 + (int64_t{1} << 45)}, {3, 1, t0 + (int64_t{1} << 45)}};
  CHECK(fired == want);
  CHECK(wheel.now() == t0 + (int64_t{1} << 45) + 10);
}

TEST_CASE("a crowded second fires in scheduling order over many chunks, looks ahead in order, and reuses its chunks") {
  // 100 timers in one second and 3 in the next: several chunks of one
  // bucket, and a last chunk that is not full. Each firing schedules a
  // timer 60 s on, into buckets that take the chunks the firing gives back.
  const int64_t t0 = 5000;
  TimerWheel wheel(t0);
  for (uint32_t id = 0; id < 100; ++id) wheel.schedule(id, id * 3, t0 + 1);
  for (uint32_t id = 100; id < 103; ++id) wheel.schedule(id, 1, t0 + 2);
  Fired fired;
  std::vector<uint32_t> soon;
  size_t firedWhenFirstSoon = 0;
  auto fire = [&](uint32_t id, uint32_t gen, int64_t due) {
    fired.emplace_back(id, gen, due);
    if (id < 1000) wheel.schedule(1000 + id, 0, due + 60);
  };
  auto look = [&](uint32_t id) {
    if (id == 50) firedWhenFirstSoon = fired.size();
    soon.push_back(id);
  };
  wheel.advance(t0 + 2, fire, look);
  REQUIRE(fired.size() == 103);
  for (uint32_t id = 0; id < 100; ++id) CHECK(fired[id] == std::make_tuple(id, id * 3, t0 + 1));
  for (uint32_t id = 100; id < 103; ++id) CHECK(fired[id] == std::make_tuple(id, 1u, t0 + 2));
  // Every timer is looked at once, in firing order, 15 entries before it fires.
  std::vector<uint32_t> all;
  for (auto& f : fired) all.push_back(std::get<0>(f));
  CHECK(soon == all);
  CHECK(firedWhenFirstSoon == 35);
  CHECK(wheel.pending() == 103);
  // The timers set while firing keep their order too, across the reused chunks.
  Fired later = AdvanceAll(wheel, t0 + 62);
  REQUIRE(later.size() == 103);
  for (uint32_t k = 0; k < 103; ++k) CHECK(std::get<0>(later[k]) == 1000 + k);
  CHECK(std::get<2>(later[0]) == t0 + 61);
  CHECK(std::get<2>(later[102]) == t0 + 62);
  CHECK(wheel.pending() == 0);
}

TEST_CASE("a timer wheel snapshot keeps crowded buckets whole and in order") {
  const int64_t t0 = 7000;
  TimerWheel original(t0);
  for (uint32_t id = 0; id < 40; ++id)
    original.schedule(id, id + 1, t0 + 5 + id % 2);  // two buckets of 20, three chunks each
  original.schedule(99, 4, t0 + 3 * int64_t{TimerWheel::kSlots});
  TimerWheel restored = RoundTrip(original);
  CHECK(restored.pending() == 41);
  CHECK(restored.ownersBelow(100));
  CHECK_FALSE(restored.ownersBelow(39));  // an entry in a bucket's third chunk names 39
  const int64_t end = t0 + 4 * int64_t{TimerWheel::kSlots};
  Fired fired = AdvanceAll(restored, end);
  CHECK(fired == AdvanceAll(original, end));
  REQUIRE(fired.size() == 41);
  CHECK(fired[0] == std::make_tuple(0u, 1u, t0 + 5));
  CHECK(fired[19] == std::make_tuple(38u, 39u, t0 + 5));
  CHECK(fired[39] == std::make_tuple(39u, 40u, t0 + 6));
}

TEST_CASE("a timer wheel restored from a snapshot at any moment fires exactly what the one never saved does, in the same order") {
  // Two wheels get the same timers; one is saved and restored at random
  // moments. Far deadlines wait on 1024-second pages (two years of them)
  // and beyond, and move into the wheel at the 1024-second marks and after
  // jumps: a restore must keep when each moves, or ties would change order.
  std::mt19937_64 rng(20261128);
  for (int round = 0; round < 12; ++round) {
    const int64_t t0 = 1'800'000'000 + 1000 * round + round % 3;
    TimerWheel kept(t0), saved(t0);
    int64_t now = t0;
    uint32_t nextId = 0;
    auto pickDue = [&]() -> int64_t {
      switch (rng() % 5) {
        case 0: return now + static_cast<int64_t>(rng() % 50);                             // near, ties
        case 1: return ((now + TimerWheel::kSlots - 1500) / 97 + static_cast<int64_t>(rng() % 30)) * 97;  // about a lap: ties, near and far
        case 2: return now + 3 * 86400 + static_cast<int64_t>(rng() % 8);                 // a timeout: ties on pages
        case 3: return now + 2 * 365 * 86400 + static_cast<int64_t>(rng() % 200000);      // about the pages' span
        default: return now + static_cast<int64_t>(rng() % (int64_t{1} << 32));           // beyond
      }
    };
    auto schedule = [&](int64_t due) {
      uint32_t id = nextId++;
      kept.schedule(id, id % 5, due);
      saved.schedule(id, id % 5, due);
    };
    for (int i = 0; i < 300; ++i) schedule(pickDue());
    for (int step = 0; step < 80; ++step) {
      if (rng() % 3 == 0) {
        saved = RoundTrip(saved);
        REQUIRE(saved.pending() == kept.pending());
      }
      int64_t target = now + (rng() % 4 == 0 ? static_cast<int64_t>(rng() % (int64_t{1} << 30)) : static_cast<int64_t>(rng() % 3000));
      Fired a, b;
      std::vector<int64_t> settled;
      kept.advance(target, [&](uint32_t id, uint32_t gen, int64_t due) {
        a.emplace_back(id, gen, due);
        if (id % 4 == 0) {  // set while firing, on both wheels at the same moment
          now = due;
          settled.push_back(pickDue());
          kept.schedule(nextId + static_cast<uint32_t>(settled.size()) - 1, 9, settled.back());
        }
      });
      size_t k = 0;
      saved.advance(target, [&](uint32_t id, uint32_t gen, int64_t due) {
        b.emplace_back(id, gen, due);
        if (id % 4 == 0) {
          REQUIRE(k < settled.size());
          saved.schedule(nextId + static_cast<uint32_t>(k), 9, settled[k]);
          ++k;
        }
      });
      nextId += static_cast<uint32_t>(settled.size());
      REQUIRE(a == b);
      REQUIRE(kept.pending() == saved.pending());
      now = target;
      for (int i = 0; i < static_cast<int>(rng() % 30); ++i) schedule(pickDue());
    }
  }
}

TEST_CASE("a timer wheel fires a deadline beyond the far pages' two years, and one just inside them, on time and in order") {
  const int64_t t0 = 1'800'000'000;
  const int64_t twoYears = int64_t{1} << 26;  // the pages' span: 2^16 pages of 1024 s
  TimerWheel wheel(t0);
  wheel.schedule(1, 1, t0 + twoYears + 5000);  // beyond the pages
  wheel.schedule(2, 1, t0 + twoYears - 5000);  // on the last pages
  wheel.schedule(3, 1, t0 + twoYears + 5000);  // a tie with 1, after it
  wheel.schedule(4, 1, t0 + 100);
  Fired first = AdvanceAll(wheel, t0 + 1000);
  CHECK(first == Fired{{4, 1, t0 + 100}});
  wheel.schedule(5, 1, t0 + twoYears + 5000);  // the same tie, set later: after 1 and 3
  TimerWheel restored = RoundTrip(wheel);
  const int64_t end = t0 + twoYears + 10000;
  Fired want = {{2, 1, t0 + twoYears - 5000}, {1, 1, t0 + twoYears + 5000}, {3, 1, t0 + twoYears + 5000}, {5, 1, t0 + twoYears + 5000}};
  CHECK(AdvanceAll(wheel, end) == want);
  CHECK(AdvanceAll(restored, end) == want);
  CHECK(wheel.pending() == 0);
}

TEST_CASE("a far deadline restored between two 1024-second marks still joins its bucket at the next mark, after timers set there before it") {
  const int64_t t0 = 1024 * int64_t{1'700'000} + 1;  // just past a mark
  const int64_t due = t0 + TimerWheel::kSlots + 10;
  for (bool restore : {false, true}) {
    TimerWheel wheel(t0);
    wheel.schedule(1, 1, due);  // more than a lap ahead: on a page
    wheel.schedule(3, 1, t0 + 500);  // a near timer, so the wheel steps and does not jump (a jump moves what is due within a lap)
    CHECK(AdvanceAll(wheel, t0 + 100).empty());
    if (restore) wheel = RoundTrip(wheel);
    wheel.schedule(2, 1, due);  // now within a lap: straight into its bucket, before 1 moves there
    Fired want = {{3, 1, t0 + 500}, {2, 1, due}, {1, 1, due}};
    CHECK(AdvanceAll(wheel, due) == want);
  }
}

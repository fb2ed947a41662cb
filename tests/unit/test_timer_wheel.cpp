// test_timer_wheel.cpp — the engine's timing wheel on its own: due order,
// the overflow list beyond one lap, cancelled-free generations, and the
// snapshot round trip (bucket entries keep no time; a restore checks the
// time written for them).
#include <catch2/catch.hpp>

#include <cstring>
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
  std::string bytes;
  ByteWriter w(bytes);
  original.save(w);

  TimerWheel restored;
  ByteReader r(bytes);
  REQUIRE(restored.restore(r));
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

// test_reorder.cpp — ordering on the virtual clock: events out of order
// within the tolerance come out sorted, events beyond it are released at
// the watermark and counted late, the clock never goes backwards, and the
// end of input flushes everything held.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "helpers.h"
#include "vm/events/reorder.h"
#include "vm/events/timestamp.h"

using namespace journey::events;
using namespace journey::events::test;

TEST_CASE("reorder: the out-of-order fixture with a 5 s tolerance", "[reorder]") {
  // Arrival (seconds after T0): 0, 3, 1, 10, 4, 7, 6, 20.
  Options opt;
  opt.reorder_tolerance_ms = 5000;
  EventSource src = EventSource::open(fixture("out_of_order.ndjson"), opt);
  Drained got = drain(src);
  std::vector<std::string> names;
  std::vector<int64_t> times;
  std::vector<bool> late;
  for (const Owned& e : got.events) {
    names.push_back(e.name);
    times.push_back((e.time_ms - kT0) / 1000);
    late.push_back(e.late);
  }
  // 1 was 2 s late: within tolerance, put back in place. 4 arrived when the
  // newest was 10, 6 s late: released at the watermark (10 - 5 = 5), late.
  CHECK(names == std::vector<std::string>{"E0", "E1", "E3", "E4", "E6", "E7", "E10", "E20"});
  CHECK(times == std::vector<int64_t>{0, 1, 3, 5, 6, 7, 10, 20});
  CHECK(late == std::vector<bool>{false, false, false, true, false, false, false, false});
  CHECK(got.events[3].timestamp_ms == kT0 + 4000);  // its own timestamp is kept
  CHECK(src.counters().late == 1);
  CHECK(std::is_sorted(got.clocks.begin(), got.clocks.end()));
  for (size_t i = 0; i < got.events.size(); ++i) CHECK(got.clocks[i] == got.events[i].time_ms);
}

TEST_CASE("reorder: tolerance 0 releases in arrival order and clamps every step back", "[reorder]") {
  Options opt;
  opt.reorder_tolerance_ms = 0;
  EventSource src = EventSource::open(fixture("out_of_order.ndjson"), opt);
  Drained got = drain(src);
  std::vector<int64_t> times;
  for (const Owned& e : got.events) times.push_back((e.time_ms - kT0) / 1000);
  CHECK(times == std::vector<int64_t>{0, 3, 3, 10, 10, 10, 10, 20});
  CHECK(src.counters().late == 4);  // 1, 4, 7 and 6
}

TEST_CASE("reorder: events are held until the watermark passes them", "[reorder]") {
  ReorderBuffer rb(5000, 1000);
  ReorderBuffer::Entry e;
  CHECK_FALSE(rb.watermark());
  rb.push(10000, 1);
  CHECK(*rb.watermark() == 5000);
  CHECK_FALSE(rb.pop_ready(e));  // 10 s is after the watermark
  rb.push(14999, 2);
  CHECK_FALSE(rb.pop_ready(e));
  rb.push(15000, 3);  // watermark reaches 10 s exactly: released
  REQUIRE(rb.pop_ready(e));
  CHECK(e.id == 1);
  CHECK(*rb.clock() == 10000);
  CHECK_FALSE(rb.pop_ready(e));
  REQUIRE(rb.pop_any(e));  // flush, in order
  CHECK(e.id == 2);
  REQUIRE(rb.pop_any(e));
  CHECK(e.id == 3);
  CHECK_FALSE(rb.pop_any(e));
}

TEST_CASE("reorder: equal timestamps keep arrival order", "[reorder]") {
  ReorderBuffer rb(1000, 1000);
  for (uint32_t id = 0; id < 5; ++id) rb.push(500, id);
  ReorderBuffer::Entry e;
  for (uint32_t id = 0; id < 5; ++id) {
    REQUIRE(rb.pop_any(e));
    CHECK(e.id == id);
  }
}

TEST_CASE("reorder: a full buffer forces out its oldest and raises the floor", "[reorder]") {
  ReorderBuffer rb(1000000, 2);  // huge tolerance, room for two
  ReorderBuffer::Entry e;
  rb.push(3000, 1);
  rb.push(1000, 2);
  CHECK_FALSE(rb.pop_ready(e));
  rb.push(2000, 3);  // three held: the earliest must go
  REQUIRE(rb.pop_ready(e));
  CHECK(e.id == 2);
  CHECK_FALSE(rb.pop_ready(e));
  ReorderBuffer::Entry late = rb.push(500, 4);  // before the clock now: late, at the clock
  CHECK(late.late);
  CHECK(late.time == 1000);
  REQUIRE(rb.pop_ready(e));
  CHECK(e.id == 4);
  CHECK(*rb.clock() == 1000);
}

TEST_CASE("reorder: random jitter never moves the clock back", "[reorder]") {
  // 20k events, timestamps rising 100 ms apart with up to ±4 s of jitter,
  // tolerance 5 s: most disorder is repaired, some exceeds the tolerance.
  // The late flags are checked against the rule computed directly: late
  // exactly when the timestamp is below (newest timestamp so far) - 5 s.
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<int64_t> jitter(-4000, 4000);
  const int n = 20000;
  std::string in;
  std::vector<bool> expect_late(n);
  int64_t newest = INT64_MIN;
  uint64_t expected_late = 0;
  for (int i = 0; i < n; ++i) {
    int64_t ts = kT0 + i * 100 + jitter(rng);
    expect_late[i] = newest != INT64_MIN && ts < newest - 5000;
    expected_late += expect_late[i];
    newest = std::max(newest, ts);
    in += R"({"type":"track","userId":"u","event":"E","messageId":")" + std::to_string(i) + R"(","timestamp":")" +
          format_timestamp(ts) + "\"}\n";
  }
  Options opt;
  opt.reorder_tolerance_ms = 5000;
  EventSource src = EventSource::from_string(in, opt);
  int64_t last = INT64_MIN;
  uint64_t released = 0;
  for (Event e; src.next(e);) {
    ++released;
    REQUIRE(e.time_ms >= last);  // the clock is monotonic
    REQUIRE(*src.clock() == e.time_ms);
    REQUIRE(*src.watermark() >= e.time_ms);  // no later release can be before this one
    REQUIRE(e.time_ms >= e.timestamp_ms);    // never earlier than it happened
    REQUIRE(e.late == expect_late[std::stoi(std::string(e.message_id))]);
    if (!e.late) REQUIRE(e.time_ms == e.timestamp_ms);  // on-time events keep their time
    last = e.time_ms;
  }
  CHECK(released == n);
  CHECK(src.counters().late == expected_late);
  CHECK(expected_late > 0);  // the jitter really exceeded the tolerance sometimes
}

TEST_CASE("reorder: releases match a plain sorted model under any mix of order", "[reorder]") {
  // The buffer keeps in-order arrivals in a queue and stragglers in a heap;
  // whatever the mix, releases must come in exactly (time, arrival) order of
  // what is held, as a sorted list of everything held gives them. Bursts of
  // equal times, long in-order runs, steps back and overflow all occur.
  std::mt19937_64 rng(20261126);
  for (int round = 0; round < 200; ++round) {
    int64_t tolerance = static_cast<int64_t>(rng() % 3000);
    size_t max_buffered = 1 + rng() % 64;
    ReorderBuffer buffer(tolerance, max_buffered);
    std::vector<ReorderBuffer::Entry> model;  // held entries, sorted on (time, seq)
    auto model_pop = [&]() {
      ReorderBuffer::Entry e = model.front();
      model.erase(model.begin());
      return e;
    };
    int64_t t = 1000000;
    for (uint32_t id = 0; id < 400; ++id) {
      switch (rng() % 4) {
        case 0: break;                                            // same time as the last
        case 1: t += static_cast<int64_t>(rng() % 500); break;   // forward
        case 2: t -= static_cast<int64_t>(rng() % 4000); break;  // back, maybe beyond the tolerance
        case 3: t += static_cast<int64_t>(rng() % 50); break;
      }
      ReorderBuffer::Entry pushed = buffer.push(t, id);
      auto at = std::upper_bound(model.begin(), model.end(), pushed, [](const auto& a, const auto& b) {
        return a.time != b.time ? a.time < b.time : a.seq < b.seq;
      });
      model.insert(at, pushed);
      REQUIRE(buffer.size() == model.size());
      for (ReorderBuffer::Entry got; buffer.pop_ready(got);) {
        ReorderBuffer::Entry want = model_pop();
        REQUIRE(got.id == want.id);
        REQUIRE(got.time == want.time);
        REQUIRE(got.late == want.late);
      }
      // What is held is not yet due, unless the buffer is over its bound.
      if (!model.empty()) REQUIRE((model.front().time > *buffer.watermark() && model.size() <= max_buffered));
    }
    for (ReorderBuffer::Entry got; buffer.pop_any(got);) REQUIRE(got.id == model_pop().id);
    REQUIRE(model.empty());
  }
}

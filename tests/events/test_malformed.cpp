// test_malformed.cpp — every kind of bad line: reported with its line
// number and reason, copied byte-exact to the dead-letter file, counted,
// and followed by the next line as if nothing happened.
#include <catch2/catch.hpp>

#include <utility>

#include "helpers.h"

using namespace journey::events;
using namespace journey::events::test;

namespace {

struct Report {
  uint64_t line;
  std::string reason;
};

}  // namespace

TEST_CASE("malformed: each bad line is reported, dead-lettered and skipped", "[malformed]") {
  std::string dead = scratch("malformed.dead");
  std::vector<Report> reports;
  Options opt;
  opt.dead_letter_path = dead;
  opt.on_malformed = [&](const Malformed& m) { reports.push_back({m.line, std::string(m.reason)}); };
  EventSource src = EventSource::open(fixture("malformed.ndjson"), opt);
  Drained got = drain(src);

  // The good lines around the bad ones all come through.
  REQUIRE(got.events.size() == 3);
  CHECK(got.events[0].line == 1);
  CHECK(got.events[0].message_id == "ok-1");
  CHECK(got.events[1].line == 16);
  CHECK(got.events[1].type == EventType::Identify);
  CHECK(got.events[2].line == 25);

  const std::vector<Report> want = {
      {2, "invalid JSON: "},  // prefix: the rest is the JSON parser's own message
      {3, "not a JSON object (got array)"},
      {4, "missing \"userId\" and \"anonymousId\" (one must be a non-empty string)"},
      {5, "missing \"timestamp\""},
      {6, "invalid \"timestamp\" \"2026-02-30T10:00:00Z\": day 30 is out of range for 2026-02"},
      {7, "invalid \"timestamp\" \"2026-03-01T10:00:00\": no UTC offset (add Z or +HH:MM)"},
      {8, "\"userId\" must be a string, got number"},
      {9, "\"properties\" must be an object, got array"},
      {10, "unsupported type \"alias\" (expected track, identify, page or screen)"},
      {11, "missing \"type\""},
      {12, "missing \"event\" (the name of a track event)"},
      {13, "\"timestamp\" must be a string, got number"},
      {15, "duplicate key \"type\""},
      {17, "\"messageId\" must be a string, got number"},
      {18, "invalid JSON: "},  // `tru` deep inside a field we never read
      {19, "invalid JSON: "},  // a byte that is not UTF-8
      {21, "\"event\" is empty"},
      {22, "unsupported type \"TRACK\" (expected track, identify, page or screen)"},
      {23, "invalid \"timestamp\" \"2026-03-01T25:00:00Z\": hour 25 is out of range"},
      {24, "invalid JSON: "},
  };
  REQUIRE(reports.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("line " << want[i].line << ": " << reports[i].reason);
    CHECK(reports[i].line == want[i].line);
    if (want[i].reason == "invalid JSON: ") {
      CHECK(reports[i].reason.starts_with("invalid JSON: "));
      CHECK(reports[i].reason.size() > want[i].reason.size());
    } else {
      CHECK(reports[i].reason == want[i].reason);
    }
  }

  // The dead-letter file holds exactly the bad lines, unchanged, in order.
  CHECK(slurp(dead) == slurp(fixture("malformed.dead")));

  const Counters& c = src.counters();
  CHECK(c.lines == 25);
  CHECK(c.blank == 2);  // an empty line and a line of spaces
  CHECK(c.malformed == 20);
  CHECK(c.decoded == 3);
  CHECK(c.lines == c.blank + c.decoded + c.malformed);
  CHECK(c.released == 3);
}

TEST_CASE("malformed: the dead-letter file is appended to, not replaced", "[malformed]") {
  std::string dead = scratch("append.dead");
  std::string bad = R"({"type":"track","userId":"u1","event":"X"})";
  for (int run = 0; run < 2; ++run) {
    Options opt;
    opt.dead_letter_path = dead;
    EventSource src = EventSource::from_string(bad + "\n", opt);
    Event e;
    CHECK_FALSE(src.next(e));
  }
  CHECK(slurp(dead) == bad + "\n" + bad + "\n");
}

TEST_CASE("malformed: without a dead-letter path bad lines are still reported and counted", "[malformed]") {
  int reports = 0;
  Options opt;
  opt.on_malformed = [&](const Malformed& m) {
    ++reports;
    CHECK(m.raw == "{oops");
    CHECK(m.line == 2);
  };
  EventSource src = EventSource::from_string(
      "\n{oops\n" R"({"type":"identify","userId":"u","timestamp":"2026-03-01T10:00:00Z"})", opt);
  Drained got = drain(src);
  CHECK(reports == 1);
  CHECK(src.counters().malformed == 1);
  REQUIRE(got.events.size() == 1);
  CHECK(got.events[0].line == 3);
}

TEST_CASE("malformed: an unwritable dead-letter path fails at construction", "[malformed]") {
  Options opt;
  opt.dead_letter_path = "/nonexistent-dir/for/sure/dead.ndjson";
  CHECK_THROWS_AS(EventSource::from_string("", opt), std::system_error);
  CHECK_THROWS_AS(EventSource::open("/nonexistent-dir/events.ndjson"), std::system_error);
}

TEST_CASE("malformed: a repeated key in properties or traits is refused like a repeated top-level key", "[malformed]") {
  std::vector<Report> reports;
  Options opt;
  opt.on_malformed = [&](const Malformed& m) { reports.push_back({m.line, std::string(m.reason)}); };
  std::string many_distinct, many_repeated;
  for (int i = 0; i < 40; ++i) many_distinct += (i ? "," : "") + std::string("\"p") + std::to_string(i) + "\":" + std::to_string(i);
  many_repeated = many_distinct + ",\"p17\":0";  // past 16 keys the check sorts
  const std::string head = R"({"type":"track","userId":"u1","event":"E","timestamp":"2026-03-01T10:00:00Z","properties":{)";
  EventSource src = EventSource::from_string(
      head + R"("plan":"pro","seats":3,"plan":"free"}})" "\n" +
          R"({"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:01Z","traits":{"a":1,"a":1}})" "\n" +
          head + many_repeated + "}}\n" +
          head + many_distinct + "}}\n" +
          // Not repeats: the same key at the top level and in properties,
          // and a key repeated inside a nested value (kept as its text).
          R"({"type":"track","userId":"u1","event":"E","timestamp":"2026-03-01T10:00:02Z","properties":{"event":"x","type":"y","o":{"k":1,"k":2}}})" "\n",
      opt);
  Drained got = drain(src);
  REQUIRE(reports.size() == 3);
  CHECK(reports[0].line == 1);
  CHECK(reports[0].reason == "duplicate key \"plan\" in \"properties\"");
  CHECK(reports[1].line == 2);
  CHECK(reports[1].reason == "duplicate key \"a\" in \"traits\"");
  CHECK(reports[2].line == 3);
  CHECK(reports[2].reason == "duplicate key \"p17\" in \"properties\"");
  REQUIRE(got.events.size() == 2);
  CHECK(got.events[0].line == 4);
  CHECK(got.events[1].line == 5);
}

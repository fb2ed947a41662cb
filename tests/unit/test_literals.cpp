// test_literals.cpp — decoding of durations, times, dates and strings.
#include <catch2/catch.hpp>

#include "bytecode/module.h"
#include "parse/parse.h"

using namespace journey;

TEST_CASE("durations decode to seconds, compounds add up") {
  int64_t s = 0;
  REQUIRE(DecodeDuration("15m", s));
  CHECK(s == 900);
  REQUIRE(DecodeDuration("1h30m", s));
  CHECK(s == 5400);
  REQUIRE(DecodeDuration("2w", s));
  CHECK(s == 14 * 86400);
  CHECK_FALSE(DecodeDuration("15", s));
  CHECK_FALSE(DecodeDuration("15x", s));
  CHECK_FALSE(DecodeDuration("", s));
}

TEST_CASE("a duration spelt out as words is read as the one-word duration it means") {
  CHECK(SpelledOutDuration("3 days") == "3d");
  CHECK(SpelledOutDuration("1 Hour") == "1h");
  CHECK(SpelledOutDuration("30mins") == "30m");
  CHECK(SpelledOutDuration("45\tsec") == "45s");
  CHECK(SpelledOutDuration("2 wks") == "2w");
  CHECK(SpelledOutDuration("3d") == "3d");  // already one word: the same
  CHECK(SpelledOutDuration("1.5 hours").empty());  // whole units only
  CHECK(SpelledOutDuration("3 months").empty());   // no such unit
  CHECK(SpelledOutDuration("days").empty());
  CHECK(SpelledOutDuration("1h30m").empty());  // a compound is not a word
}

TEST_CASE("a duration is at most 2^40 seconds, however it is spelt, and a longer one is told apart from a malformed one") {
  int64_t s = 0;
  bool tooLong = false;
  REQUIRE(DecodeDuration("1099511627776s", s, &tooLong));
  CHECK(s == bc::kMaxDurationSeconds);
  CHECK_FALSE(tooLong);
  for (const char* text : {"1099511627777s", "1099511627776s1s", "18325193797m", "99999999999999999999999w",
                           // 14 components of 2^40 weeks each would overflow 64 bits if summed unchecked
                           "1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w"
                           "1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w"
                           "1099511627776w1099511627776w"}) {
    tooLong = false;
    CHECK_FALSE(DecodeDuration(text, s, &tooLong));
    CHECK(tooLong);
  }
  tooLong = false;
  CHECK_FALSE(DecodeDuration("99999999999999999999999x", s, &tooLong));
  CHECK_FALSE(tooLong);  // not a duration at all
  CHECK_FALSE(DecodeDuration("99999999999999999999999w5", s, &tooLong));
  CHECK_FALSE(tooLong);
}

TEST_CASE("times of day are 24-hour HH:MM") {
  int m = 0;
  REQUIRE(DecodeTime("09:30", m));
  CHECK(m == 570);
  REQUIRE(DecodeTime("23:59", m));
  CHECK(m == 1439);
  CHECK_FALSE(DecodeTime("24:00", m));
  CHECK_FALSE(DecodeTime("12:60", m));
}

TEST_CASE("dates must exist in the calendar") {
  int64_t d = 0;
  REQUIRE(DecodeDate("1970-01-01", d));
  CHECK(d == 0);
  REQUIRE(DecodeDate("2024-02-29", d));
  CHECK(d == 19782);
  CHECK_FALSE(DecodeDate("2026-02-29", d));
  CHECK_FALSE(DecodeDate("2026-13-01", d));
}

TEST_CASE("string escapes decode and map back to source offsets") {
  std::string out;
  std::vector<uint32_t> offsets;
  REQUIRE(DecodeStringLiteral(R"("a\"b\u{e9}")", out, &offsets));
  CHECK(out == "a\"b\xC3\xA9");
  CHECK(offsets[0] == 1);  // a
  CHECK(offsets[1] == 2);  // \" starts at 2
  CHECK(offsets[2] == 4);  // b
  std::vector<std::pair<uint32_t, uint32_t>> bad;
  CHECK_FALSE(DecodeStringLiteral(R"("x\qy")", out, nullptr, &bad));
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].first == 2);
  REQUIRE(DecodeStringLiteral("\"\"\"<p>\n\\x</p>\"\"\"", out));
  CHECK(out == "<p>\n\\x</p>");  // triple-quoted strings are verbatim
}

// test_timestamp.cpp — ISO-8601 parsing: the formats Segment sends, the
// arithmetic of offsets and fractions, and the refusal of impossible dates
// and zone-less times, with the reason a report would show.
#include <catch2/catch.hpp>

#include <cstdio>

#include "helpers.h"
#include "vm/events/timestamp.h"

using namespace journey::events;
using journey::events::test::kT0;

namespace {

int64_t ms(std::string_view s) {
  TimestampResult r = parse_timestamp(s);
  INFO(s << ": " << describe_failure(r, s));
  REQUIRE(r.ok);
  return r.ms;
}

std::string why(std::string_view s) {
  TimestampResult r = parse_timestamp(s);
  REQUIRE_FALSE(r.ok);
  return describe_failure(r, s);
}

}  // namespace

TEST_CASE("timestamp: UTC with Z", "[timestamp]") {
  CHECK(ms("1970-01-01T00:00:00Z") == 0);
  CHECK(ms("2026-03-01T10:00:00Z") == kT0);
  CHECK(ms("2026-03-01t10:00:00z") == kT0);  // RFC 3339 allows lower case
}

TEST_CASE("timestamp: offsets are subtracted to get UTC", "[timestamp]") {
  CHECK(ms("2026-03-01T15:30:00+05:30") == kT0);
  CHECK(ms("2026-03-01T15:30:00+0530") == kT0);
  CHECK(ms("2026-03-01T02:00:00-08:00") == kT0);
  CHECK(ms("2026-03-01T10:00:00+00:00") == kT0);
  CHECK(ms("2026-03-01T10:00:00-00:00") == kT0);
  // An offset that crosses midnight and a month end.
  CHECK(ms("2026-02-28T23:00:00-11:00") == kT0);
}

TEST_CASE("timestamp: fractional seconds, truncated to milliseconds", "[timestamp]") {
  CHECK(ms("2026-03-01T10:00:00.5Z") == kT0 + 500);
  CHECK(ms("2026-03-01T10:00:00.25Z") == kT0 + 250);
  CHECK(ms("2026-03-01T10:00:00.123Z") == kT0 + 123);
  CHECK(ms("2026-03-01T10:00:00.123999Z") == kT0 + 123);
  CHECK(ms("2026-03-01T10:00:00.123456789+05:30") == kT0 - 330 * 60000 + 123);
  CHECK(ms("2026-03-01T10:00:00.000Z") == kT0);
}

TEST_CASE("timestamp: leap years and times before 1970", "[timestamp]") {
  CHECK(ms("2024-02-29T00:00:00Z") == 1709164800000);
  CHECK(ms("2000-02-29T00:00:00Z") == 951782400000);
  CHECK(ms("1969-12-31T23:59:59.999Z") == -1);
  CHECK(ms("1900-01-01T00:00:00Z") == -2208988800000);
}

TEST_CASE("timestamp: impossible dates and times are refused with the reason", "[timestamp]") {
  CHECK(why("2026-02-30T10:00:00Z") == "day 30 is out of range for 2026-02");
  CHECK(why("2023-02-29T10:00:00Z") == "day 29 is out of range for 2023-02");
  CHECK(why("2100-02-29T10:00:00Z") == "day 29 is out of range for 2100-02");  // not a leap year
  CHECK(why("2026-04-31T10:00:00Z") == "day 31 is out of range for 2026-04");
  CHECK(why("2026-03-00T10:00:00Z") == "day 0 is out of range for 2026-03");
  CHECK(why("2026-13-01T10:00:00Z") == "month 13 is out of range");
  CHECK(why("2026-03-01T24:00:00Z") == "hour 24 is out of range");
  CHECK(why("2026-03-01T10:60:00Z") == "minute 60 is out of range");
  CHECK(why("2026-03-01T23:59:60Z") == "second 60 is out of range");
  CHECK(why("2026-03-01T10:00:00+24:00") == "offset hours 24 is out of range");
}

TEST_CASE("timestamp: malformed text is refused with the reason", "[timestamp]") {
  CHECK(why("2026-03-01T10:00:00") == "no UTC offset (add Z or +HH:MM)");
  CHECK(why("2026-03-01") == "no time of day (expected YYYY-MM-DDTHH:MM:SS with Z or an offset)");
  CHECK(why("2026-03-01 10:00:00Z") == "expected 'T' between date and time");
  CHECK(why("2026-3-1T10:00:00Z") == "expected a date as YYYY-MM-DD");
  CHECK(why("2026-03-01T10:00Z") == "expected a time as HH:MM:SS");
  CHECK(why("2026-03-01T10:00:00.Z") == "expected digits after '.'");
  CHECK(why("2026-03-01T10:00:00+5:30") == "expected an offset as +HH:MM");
  CHECK(why("2026-03-01T10:00:00Zjunk") == "unexpected text after the UTC offset");
  CHECK(why("") == "expected a date as YYYY-MM-DD");
  CHECK(why("yesterday") == "expected a date as YYYY-MM-DD");
}

TEST_CASE("timestamp: formatting round-trips", "[timestamp]") {
  CHECK(format_timestamp(kT0 + 42) == "2026-03-01T10:00:00.042Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  for (int64_t t : {int64_t{0}, kT0, kT0 + 999, int64_t{-2208988800000}, int64_t{253402300799999}})
    CHECK(ms(format_timestamp(t)) == t);
}

TEST_CASE("timestamp: the last date is remembered, but never an impossible one", "[timestamp]") {
  // The parser keeps the previous date's day number: every date here must
  // still be read on its own, whatever came just before it.
  CHECK(ms("2024-02-28T23:00:00Z") == 1709161200000);
  CHECK(ms("2024-02-28T23:00:01Z") == 1709161201000);
  CHECK(why("2023-02-29T00:00:00Z") == "day 29 is out of range for 2023-02");
  CHECK(ms("2024-02-29T00:00:00Z") == 1709164800000);
  CHECK(why("2023-02-29T00:00:00Z") == "day 29 is out of range for 2023-02");
  CHECK(ms("2024-02-28T23:00:00Z") == 1709161200000);
  CHECK(ms("1969-12-31T23:59:59Z") == -1000);
  CHECK(ms("2024-02-28T23:00:00+01:00") == 1709157600000);
}

TEST_CASE("timestamp: the plain UTC shape reads exactly as the general scan does", "[timestamp]") {
  // YYYY-MM-DDTHH:MM:SSZ has a fast path; a lower-case 't' sends the same
  // text through the general scan. Both must agree on every valid time and
  // on every refusal: random times, and each digit replaced by the bytes
  // just outside '0'..'9' and by a letter.
  auto same = [](const std::string& plain) {
    std::string general = plain;
    general[10] = 't';
    TimestampResult a = parse_timestamp(plain), b = parse_timestamp(general);
    INFO(plain);
    REQUIRE(a.ok == b.ok);
    if (a.ok) REQUIRE(a.ms == b.ms);
    else REQUIRE(describe_failure(a, plain) == describe_failure(b, general));
    return a.ok;
  };
  uint64_t state = 12345;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  int valid = 0;
  for (int k = 0; k < 5000; ++k) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(next(10000)),
                  static_cast<int>(next(14)), static_cast<int>(next(33)), static_cast<int>(next(26)),
                  static_cast<int>(next(62)), static_cast<int>(next(62)));
    valid += same(text);
  }
  CHECK(valid > 1000);  // both kinds were met
  CHECK(valid < 4000);
  const std::string base = "2026-03-01T10:00:00Z";
  for (size_t at : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    for (char c : {'/', ':', 'a', ' '}) {
      std::string bad = base;
      bad[at] = c;
      CHECK_FALSE(same(bad));
    }
  CHECK(ms(base) == kT0);
}

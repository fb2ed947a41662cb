// test_report.cpp — the text the VM writes for every send: JSON string
// escaping (scanned a word at a time) and ISO times (formatted without
// printf), each checked against a plain byte-at-a-time or libc reference
// on edge cases and seeded random inputs.
#include <catch2/catch.hpp>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include "vm/json_text.h"
#include "vm/message_id.h"
#include "vm/report.h"

using journey::vm::AppendJsonString;
using journey::vm::IsoTime;

namespace {

// The escaping rule written the slow, obvious way.
std::string ReferenceJson(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// libc's reading of the same second, for years 0..9999.
std::string ReferenceIso(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace

TEST_CASE("JSON strings: every escape at every position of a word", "[report]") {
  const std::string specials = std::string("\"\\\n\r\t\b\f\x01\x1f", 9) + std::string(1, '\0');
  for (char special : specials)
    for (size_t len = 1; len <= 40; ++len)
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'a');
        s[at] = special;
        INFO("length " << len << ", escape at " << at);
        REQUIRE(Json(s) == ReferenceJson(s));
      }
  CHECK(Json("") == "\"\"");
  CHECK(Json("plain text of some length") == "\"plain text of some length\"");
  CHECK(Json("caf\xc3\xa9 \xe2\x82\xac") == "\"caf\xc3\xa9 \xe2\x82\xac\"");  // UTF-8 is copied as is
  CHECK(Json(" !#[]~\x7f") == "\" !#[]~\x7f\"");                              // bytes next to the escaped ones are not
}

TEST_CASE("JSON strings: random bytes agree with the byte-at-a-time rule", "[report]") {
  std::mt19937_64 rng(20261126);
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 40, '\0');
    // Mostly text, with the bytes around the escaped ranges made common.
    const unsigned char pool[] = {'a', 'Z', ' ', '!', '"', '#', '\\', ']', 0x1f, 0x20, 0x00, 0x7f, 0x80, 0xff, '\n', 0xc3};
    for (char& c : s) c = static_cast<char>(rng() % 3 ? pool[rng() % sizeof pool] : static_cast<unsigned char>(rng()));
    REQUIRE(Json(s) == ReferenceJson(s));
  }
}

TEST_CASE("JSON strings: two escapes anywhere, and nothing written past the bound", "[report]") {
  for (size_t len = 2; len <= 34; ++len)
    for (size_t a = 0; a < len; ++a)
      for (size_t b = a + 1; b < len; ++b) {
        std::string s(len, 'x');
        s[a] = '"';
        s[b] = '\x01';
        INFO("length " << len << ", escapes at " << a << " and " << b);
        REQUIRE(Json(s) == ReferenceJson(s));
      }
  std::mt19937_64 rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string s(rng() % 70, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 ? 'a' + rng() % 26 : rng() % 0x24);
    size_t bound = journey::vm::JsonStringBound(s.size());
    std::string buffer(bound + 32, '#');
    char* end = journey::vm::WriteJsonString(buffer.data(), s);
    REQUIRE(static_cast<size_t>(end - buffer.data()) <= bound);
    REQUIRE(std::string(buffer.data(), end) == ReferenceJson(s));
    REQUIRE(buffer.substr(bound) == std::string(32, '#'));
  }
}

TEST_CASE("Outbox lines: fields in order, escaped, time and version formatted per line", "[report]") {
  journey::vm::OutboxRecord r;
  r.journey = "Cart \"A\"";
  r.version = 0x00ab0000000000ffull;
  r.node = "nudge";
  r.user = "u\n1";
  r.channel = "push";
  r.messageId = "00ab0000000000ff:nudge:u\n1:1:1";
  r.time = 1795478399;
  r.content = {{"title", "Hi"}, {"body", "a\\b"}};
  std::string expected = std::string("{\"time\":\"2026-11-23T23:59:59Z\",\"journey\":\"Cart \\\"A\\\"\",") +
                         "\"version\":\"00ab0000000000ff\",\"node\":\"nudge\",\"user\":\"u\\n1\",\"channel\":\"push\"," +
                         "\"message_id\":\"00ab0000000000ff:nudge:u\\n1:1:1\",\"content\":{\"title\":\"Hi\",\"body\":\"a\\\\b\"}}\n";
  CHECK(journey::vm::OutboxJson(r) == expected);
  // The writer keeps the last time and version as text: a change of either
  // must show in the next line, and going back must too.
  journey::vm::OutboxRecord later = r;
  later.time = 0;
  later.version = 1;
  later.content.clear();
  std::string two;
  journey::vm::AppendOutboxJson(two, r);
  journey::vm::AppendOutboxJson(two, later);
  journey::vm::AppendOutboxJson(two, r);
  CHECK(two == expected +
                   "{\"time\":\"1970-01-01T00:00:00Z\",\"journey\":\"Cart \\\"A\\\"\",\"version\":\"0000000000000001\","
                   "\"node\":\"nudge\",\"user\":\"u\\n1\",\"channel\":\"push\",\"message_id\":\"00ab0000000000ff:nudge:u\\n1:1:1\","
                   "\"content\":{}}\n" +
                   expected);
  CHECK(journey::vm::OutboxJsonBound(r) >= expected.size());
}

TEST_CASE("A send site's lines (WriteSendLine) are the records' lines (WriteOutboxJson), within their bound", "[report]") {
  using journey::vm::OutboxRecord;
  std::mt19937_64 rng(11);
  auto text = [&](size_t most) {
    std::string s(rng() % (most + 1), '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 ? 'a' + rng() % 26 : rng() % 0x24);  // quotes, backslashes, controls
    return s;
  };
  for (int round = 0; round < 2000; ++round) {
    OutboxRecord r;
    r.journey = text(20);
    r.version = rng();
    r.node = text(12);
    r.user = round % 7 == 0 ? std::string(rng() % 3000, '"') : text(40);  // a user id that only escapes
    r.channel = text(8);
    r.time = static_cast<int64_t>(rng() % 400'000'000'000) - 60'000'000'000;  // years 0068 to 14645: both time paths
    uint32_t run = round % 5 == 0 ? UINT32_MAX : static_cast<uint32_t>(rng() % 1000);
    uint16_t seq = round % 3 == 0 ? UINT16_MAX : static_cast<uint16_t>(rng() % 10);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, r.version);
    r.messageId = std::string(hex) + ":" + r.node + ":" + r.user + ":" + std::to_string(run) + ":" + std::to_string(seq);
    std::vector<std::string_view> keys;
    std::vector<std::string> keyText(rng() % 4);
    for (std::string& k : keyText) {
      k = text(10);
      r.content.push_back({k, text(round % 11 == 0 ? 5000 : 60)});
    }
    for (const std::string& k : keyText) keys.push_back(k);
    journey::vm::SendLineText site = journey::vm::MakeSendLineText(r.journey, r.version, r.node, r.channel, keys);
    // Some fields are JSON (lists and maps, written as they are).
    r.jsonFields = rng() % 16;
    for (size_t f = 0; f < r.content.size(); ++f)
      if (r.isJson(f)) r.content[f].second = "[\"" + std::to_string(rng() % 1000) + "\",{\"k\":null}]";
    std::vector<std::string_view> values;
    for (const auto& field : r.content) values.push_back(field.second);
    size_t bound = journey::vm::SendLineBound(site, r.user.size(), values.data());
    std::string buffer(bound + 16, '#');
    char* end = journey::vm::WriteSendLine(buffer.data(), site, r.time, r.user, run, seq, values.data(), r.jsonFields);
    INFO("round " << round);
    REQUIRE(static_cast<size_t>(end - buffer.data()) <= bound);
    REQUIRE(std::string(buffer.data(), end) == journey::vm::OutboxJson(r));
    REQUIRE(buffer.substr(bound) == std::string(16, '#'));
  }
}

TEST_CASE("Outbox lines in a row: each line's time is the time's own text (the kept day reused only within it)", "[report]") {
  std::mt19937_64 rng(5);
  journey::vm::OutboxRecord r;
  r.journey = "J";
  // Around the ends of the fast form (year 0000, 9999 into 10000, -0001) and today.
  for (int64_t start : {int64_t{1795478399}, int64_t{-62167219200} + 5, int64_t{253402300799} - 200000, int64_t{-62167219200} - 90000}) {
    int64_t t = start;
    for (int step = 0; step < 3000; ++step) {
      switch (rng() % 4) {
        case 0: t += static_cast<int64_t>(rng() % 60); break;       // within the minute
        case 1: t += static_cast<int64_t>(rng() % 90000); break;    // into the next day, often
        case 2: t -= static_cast<int64_t>(rng() % 90000); break;    // back (another writer's order)
        default: t = start + static_cast<int64_t>(rng() % 400000) - 200000;
      }
      r.time = t;
      std::string line = journey::vm::OutboxJson(r);
      INFO("time " << t);
      REQUIRE(line.substr(0, 9) == "{\"time\":\"");
      REQUIRE(line.substr(9, line.find('"', 9) - 9) == IsoTime(t));
    }
  }
}

TEST_CASE("ISO times agree with libc over years 1970..9999 and around their edges", "[report]") {
  CHECK(IsoTime(0) == "1970-01-01T00:00:00Z");
  CHECK(IsoTime(951782400) == "2000-02-29T00:00:00Z");
  CHECK(IsoTime(1795478399) == "2026-11-23T23:59:59Z");
  CHECK(IsoTime(-1) == "1969-12-31T23:59:59Z");
  CHECK(IsoTime(253402300799) == "9999-12-31T23:59:59Z");
  CHECK(IsoTime(253402300800) == "10000-01-01T00:00:00Z");  // past the fast path: still right
  CHECK(IsoTime(-62167219200) == "0000-01-01T00:00:00Z");
  CHECK(IsoTime(-62167219201) == "-001-12-31T23:59:59Z");
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20000; ++round) {
    int64_t t = static_cast<int64_t>(rng() % 253402300800ull);
    REQUIRE(IsoTime(t) == ReferenceIso(t));
  }
}

TEST_CASE("message ids split into version, node and user; user ids may hold colons") {
  journey::vm::MessageIdParts parts;
  REQUIRE(journey::vm::SplitMessageId("00ab0000000000ff:nudge:u:1:2:7:3", parts));
  CHECK(parts.version == "00ab0000000000ff");
  CHECK(parts.node == "nudge");
  CHECK(parts.user == "u:1:2");
  REQUIRE(journey::vm::SplitMessageId("00ab0000000000ff:n::1:1", parts));
  CHECK(parts.user.empty());
  for (const char* bad : {"", "00ab0000000000ff", "00ab0000000000ff:nudge:u:1", "00ab000000000ff:nudge:u:1:1",
                          "00ab0000000000ff::u:1:1", "not-one-of-ours", "00ab0000000000ff:nudge:1:1"})
    CHECK_FALSE(journey::vm::SplitMessageId(bad, parts));
}

// test_lines.cpp — line framing: a BOM, CRLF ends, a last line without a
// newline, blank lines, very long lines, and lines longer than the limit;
// and the same results whatever the read chunk size, so no line end, CR or
// BOM that straddles two reads is mishandled.
#include <catch2/catch.hpp>

#include "helpers.h"
#include "vm/events/line_reader.h"

using namespace journey::events;
using namespace journey::events::test;

namespace {

std::vector<std::string> lines_of(std::string bytes, size_t chunk, size_t max_line = 1 << 20) {
  LineReader r(memory_input(std::move(bytes)), max_line, chunk);
  std::vector<std::string> out;
  for (LineReader::Line l; r.next(l);) {
    std::string s(l.text);
    if (l.overlong) {
      r.drain_rest([&](std::string_view piece) { s += piece; });
      s = "[overlong]" + s;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("lines: BOM, CRLF and a missing final newline", "[lines]") {
  std::string dead = scratch("bom_crlf.dead");
  std::vector<uint64_t> bad_lines;
  Options opt;
  opt.dead_letter_path = dead;
  opt.on_malformed = [&](const Malformed& m) { bad_lines.push_back(m.line); };
  EventSource src = EventSource::open(fixture("bom_crlf.ndjson"), opt);
  Drained got = drain(src);

  REQUIRE(got.events.size() == 3);
  CHECK(got.events[0].name == "First");  // the BOM did not break line 1
  CHECK(got.events[0].line == 1);
  CHECK(got.events[1].type == EventType::Identify);
  CHECK(got.events[1].line == 4);
  CHECK(got.events[2].name == "Last");  // no newline after it
  CHECK(got.events[2].line == 5);
  CHECK(bad_lines == std::vector<uint64_t>{3});
  // Dead-letter lines end in LF whatever the input used.
  CHECK(slurp(dead) == R"({"type":"track","userId":"u1","event":"Bad","timestamp":"2026-13-01T10:00:00Z"})" "\n");
  CHECK(src.counters().blank == 1);
  CHECK(src.counters().lines == 5);
}

TEST_CASE("lines: escaped CR/LF inside a JSON string are not line ends", "[lines]") {
  EventSource src = EventSource::open(fixture("bom_crlf.ndjson"));
  Event e;
  REQUIRE(src.next(e));
  REQUIRE(src.next(e));
  CHECK(e.find("name")->text == "A\r\nB");
}

TEST_CASE("lines: framing does not depend on the read chunk size", "[lines]") {
  std::string bytes = slurp(fixture("bom_crlf.ndjson")) + "\r\n\n\r\nx\ry\r\n\r";
  std::vector<std::string> want = {
      R"({"type":"track","userId":"u1","event":"First","timestamp":"2026-03-01T10:00:00Z"})",
      "",
      R"({"type":"track","userId":"u1","event":"Bad","timestamp":"2026-13-01T10:00:00Z"})",
      R"({"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:01Z","traits":{"name":"A\r\nB"}})",
      R"({"type":"track","userId":"u1","event":"Last","timestamp":"2026-03-01T10:00:02Z"})",
      "",
      "",
      "x\ry",  // a lone CR inside a line is content
      "",      // a CR alone at the very end is a line end like CRLF
  };
  for (size_t chunk = 1; chunk <= 100; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(lines_of(bytes, chunk) == want);
  }
}

// Found by fuzz/events.cpp: when the last line (no newline) filled the
// buffer exactly, the reader grew the buffer while looking for more input
// and then handed out a view into the freed one. Every length around the
// buffer's doublings, with and without an earlier line to compact away.
TEST_CASE("lines: a last line without newline that fills the buffer", "[lines]") {
  for (size_t n = 1; n <= 140; ++n) {
    std::string last(n, 'x');
    CHECK(lines_of(last, 16) == std::vector<std::string>{last});
    CHECK(lines_of("ab\n" + last, 16) == std::vector<std::string>{"ab", last});
  }
}

TEST_CASE("lines: a BOM is dropped only at the start of the input", "[lines]") {
  CHECK(lines_of("\xEF\xBB\xBF" "a\n\xEF\xBB\xBF" "b\n", 3) == std::vector<std::string>{"a", "\xEF\xBB\xBF" "b"});
  CHECK(lines_of("\xEF\xBB\xBF", 1).size() == 1);  // a lone BOM is one empty line
  CHECK(lines_of("", 4).empty());
}

TEST_CASE("lines: a very long valid line decodes", "[lines]") {
  std::string big(300000, 'x');
  std::string line = R"({"type":"track","userId":"u","event":"Big","timestamp":"2026-03-01T10:00:00Z","properties":{"blob":")" +
                     big + "\"}}";
  Options opt;
  opt.read_chunk_bytes = 4096;  // the buffer has to grow for this line
  EventSource src = EventSource::from_string(line + "\n" + line, opt);
  Event e;
  REQUIRE(src.next(e));
  CHECK(e.find("blob")->text == big);
  REQUIRE(src.next(e));
  CHECK(e.line == 2);
  CHECK_FALSE(src.next(e));
}

TEST_CASE("lines: lines over the limit are malformed and dead-lettered whole", "[lines]") {
  // A valid event of exactly 100 bytes, then the same with one byte more.
  auto event_of_size = [](size_t n) {
    std::string head = R"({"type":"track","userId":"u","event":"E","timestamp":"2026-03-01T10:00:00Z","properties":{"p":")";
    std::string tail = "\"}}";
    return head + std::string(n - head.size() - tail.size(), 'p') + tail;
  };
  std::string exact = event_of_size(100), over = event_of_size(101);
  std::string garbage;
  for (int i = 0; i < 50; ++i) garbage += "0123456789\r";  // CRs inside, and right before the LF
  std::string input = exact + "\n" + over + "\r\n" + garbage + "\r\n" + exact + "\n" + garbage;

  for (size_t chunk : {size_t{1}, size_t{7}, size_t{16}, size_t{64}, size_t{101}, size_t{4096}}) {
    INFO("chunk " << chunk);
    std::string dead = scratch("overlong-" + std::to_string(chunk) + ".dead");
    std::vector<std::pair<uint64_t, std::string>> reports;
    Options opt;
    opt.max_line_bytes = 100;
    opt.read_chunk_bytes = chunk;
    opt.dead_letter_path = dead;
    opt.on_malformed = [&](const Malformed& m) {
      CHECK(m.overlong);
      CHECK(m.raw.size() == 100);
      reports.emplace_back(m.line, std::string(m.reason));
    };
    EventSource src = EventSource::from_string(input, opt);
    Drained got = drain(src);
    REQUIRE(got.events.size() == 2);
    CHECK(got.events[0].line == 1);
    CHECK(got.events[1].line == 4);
    REQUIRE(reports.size() == 3);
    CHECK(reports[0] == std::pair<uint64_t, std::string>{2, "line is longer than 100 bytes"});
    CHECK(reports[1].first == 3);
    CHECK(reports[2].first == 5);
    // Whole lines, their own CRs kept, only the CRLF/LF ending replaced by LF.
    std::string body = garbage.substr(0, garbage.size() - 1);
    CHECK(slurp(dead) == over + "\n" + garbage + "\n" + body + "\n");
  }
}

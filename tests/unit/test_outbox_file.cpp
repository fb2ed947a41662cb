// test_outbox_file.cpp — the buffered outbox writer of `journey-vm run`:
// every line arrives whole and in order across buffer flushes, a line
// larger than the buffer gets through, and a failed write is reported
// (a full disk must not lose sends silently).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "vm/outbox_file.h"
#include "vm/report.h"

using journey::vm::OutboxFile;
using journey::vm::OutboxRecord;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

OutboxRecord Record(int i, size_t bodyBytes = 40) {
  OutboxRecord r;
  r.journey = "J";
  r.version = 0xabc;
  r.node = "n" + std::to_string(i % 7);
  r.user = "u" + std::to_string(i);
  r.channel = "email";
  r.messageId = "0000000000000abc:u" + std::to_string(i) + ":1:1";
  r.time = 1795478399 + i / 3;
  r.content = {{"subject", "line " + std::to_string(i)}, {"body", std::string(bodyBytes, 'b')}};
  return r;
}

}  // namespace

TEST_CASE("Outbox file: lines across many buffer flushes, and one larger than the buffer", "[outbox]") {
  std::string path = "/tmp/journey-test-outbox-" + std::to_string(getpid()) + ".ndjson";
  std::string expected, error;
  {
    std::unique_ptr<OutboxFile> file = OutboxFile::Open(path, error);
    REQUIRE(file);
    for (int i = 0; i < 20000; ++i) {  // ~5 MB: several flushes of the 1 MiB buffer
      OutboxRecord r = Record(i, i == 12345 ? size_t{3} << 20 : 40);
      file->put(r);
      expected += journey::vm::OutboxJson(r);
    }
    REQUIRE(file->finish(error));
    CHECK_FALSE(file->failed());
  }
  std::string written = Slurp(path);
  CHECK(written.size() == expected.size());
  CHECK(written == expected);
  unlink(path.c_str());
}

TEST_CASE("Outbox file: a failed write is reported with the file's name and reason", "[outbox]") {
  std::string error;
  CHECK_FALSE(OutboxFile::Open("/nonexistent-dir/outbox.ndjson", error));
  CHECK(error.find("cannot write /nonexistent-dir/outbox.ndjson") != std::string::npos);

  if (access("/dev/full", W_OK) != 0) return;  // not on this system
  std::unique_ptr<OutboxFile> full = OutboxFile::Open("/dev/full", error);
  REQUIRE(full);
  for (int i = 0; i < 10; ++i) full->put(Record(i));
  CHECK_FALSE(full->finish(error));  // the lines were buffered: the failure shows at the flush
  CHECK(full->failed());
  CHECK(error.find("writing /dev/full") != std::string::npos);
  CHECK(error.find("No space left on device") != std::string::npos);
}

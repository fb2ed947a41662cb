// test_outbox_file.cpp — the buffered outbox writer of `journey-vm run`:
// every line arrives whole and in order across buffer flushes (with direct
// I/O where the file system takes it: whole blocks from the writer thread,
// the unaligned tail at the end), a line larger than the buffer gets
// through, and a failed write is reported, from the writer thread too (a
// full disk must not lose sends silently).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

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
  r.messageId = "0000000000000abc:n:u" + std::to_string(i) + ":1:1";
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
    bool direct = file->direct();  // false only where the file system refuses O_DIRECT
    if (!direct) WARN("no direct I/O for " << path << ": the buffered path is tested");
    for (int i = 0; i < 20000; ++i) {  // ~5 MB: several flushes of the 2 MiB direct blocks
      if (i == 12345) CHECK(file->direct() == direct);  // many blocks went out the same way
      OutboxRecord r = Record(i, i == 12345 ? size_t{3} << 20 : 40);
      file->put(r);
      expected += journey::vm::OutboxJson(r);
      if (i == 12345) CHECK_FALSE(file->direct());  // the huge line went out buffered
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

TEST_CASE("Outbox file: a short file in direct mode is written whole by finish", "[outbox]") {
  // Less than one aligned block: nothing goes through the writer thread,
  // everything is the tail written buffered at the end.
  std::string path = "/tmp/journey-test-outbox-small-" + std::to_string(getpid()) + ".ndjson";
  std::string expected, error;
  {
    std::unique_ptr<OutboxFile> file = OutboxFile::Open(path, error);
    REQUIRE(file);
    for (int i = 0; i < 3; ++i) {
      file->put(Record(i));
      expected += journey::vm::OutboxJson(Record(i));
    }
    REQUIRE(file->finish(error));
  }
  CHECK(Slurp(path) == expected);
  unlink(path.c_str());
}

TEST_CASE("Outbox file: a write that fails on the writer thread is reported", "[outbox]") {
  // A file size limit makes write(2) fail with EFBIG part way: the failure
  // happens on the direct-I/O writer thread when there is one, and finish
  // must still report it, with nothing written after the failure.
  std::string path = "/tmp/journey-test-outbox-limit-" + std::to_string(getpid()) + ".ndjson";
  constexpr rlim_t kLimit = rlim_t{5} << 19;  // 2.5 MiB: a whole number of blocks
  struct rlimit old;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < kLimit) return;
  auto oldSignal = std::signal(SIGXFSZ, SIG_IGN);  // the error, not the signal, is what we want
  struct rlimit limit = old;
  limit.rlim_cur = kLimit;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  std::string error;
  bool finished = true, failedEarly = false, direct = false;
  {
    std::unique_ptr<OutboxFile> file = OutboxFile::Open(path, error);
    if (file) {
      direct = file->direct();
      for (int i = 0; i < 40000; ++i) file->put(Record(i));  // ~10 MB
      failedEarly = file->failed();  // seen before the end: lines stop being made
      finished = file->finish(error);
    }
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, oldSignal);
  INFO("direct I/O: " << direct);
  CHECK(failedEarly);
  CHECK_FALSE(finished);
  CHECK(error.find("writing " + path) != std::string::npos);
  CHECK(error.find("File too large") != std::string::npos);
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK(static_cast<rlim_t>(st.st_size) <= kLimit);
  unlink(path.c_str());
}

TEST_CASE("Outbox file: direct blocks become huge pages only once the outbox is long", "[outbox]") {
  // A huge page is resident whole: a short outbox keeps small pages, a
  // long one moves its blocks to huge pages, and the lines stay exact
  // across the switch (the blocks' pages are dropped only once written).
  std::string path = "/tmp/journey-test-outbox-huge-" + std::to_string(getpid()) + ".ndjson";
  std::string expected, error;
  bool sawHuge = false;
  {
    std::unique_ptr<OutboxFile> file = OutboxFile::Open(path, error);
    REQUIRE(file);
    if (!file->direct()) {
      WARN("no direct I/O for " << path << ": nothing to test");
      file->finish(error);
      unlink(path.c_str());
      return;
    }
    for (int i = 0; i < 80000; ++i) {  // ~20 MB
      OutboxRecord r = Record(i, 120);
      file->put(r);
      expected += journey::vm::OutboxJson(r);
      if (expected.size() < (size_t{4} << 20)) CHECK_FALSE(file->fillingHugeBlock());
      sawHuge = sawHuge || file->fillingHugeBlock();
    }
    REQUIRE(file->finish(error));
  }
  CHECK(sawHuge);
  CHECK(Slurp(path) == expected);
  unlink(path.c_str());
}

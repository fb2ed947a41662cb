// test_bytecode.cpp — the .jbc format and the verifier: round trips, and
// rejection (never a crash) of truncated, corrupted and unsafe modules.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bytecode/disasm.h"
#include "bytecode/fnv.h"
#include "bytecode/format.h"
#include "bytecode/verify.h"
#include "codegen/codegen.h"
#include "compile_example.h"
#include "driver/pipeline.h"

using namespace journey;

namespace {

bc::Module CompileExample(const std::string& name) { return Generate(testing::CompileExampleIr(name), DefaultStdlib()); }

// Rewrites the checksum so a crafted body reaches the section parser.
void Reseal(std::vector<uint8_t>& bytes) {
  uint64_t h = journey::Fnv1a(bytes.data() + 32, bytes.size() - 32);
  std::memcpy(bytes.data() + 16, &h, 8);
}

}  // namespace

TEST_CASE("every example compiles to verified bytecode that survives a round trip") {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(JOURNEY_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".journey") continue;
    INFO(entry.path().filename().string());
    bc::Module m = CompileExample(entry.path().filename().string());
    CHECK(bc::Verify(m).empty());
    bc::Module back;
    std::string error;
    REQUIRE(bc::Read(bc::Write(m), back, error));
    CHECK(bc::Disassemble(back) == bc::Disassemble(m));
    CHECK(back.structuralHash == m.structuralHash);
    CHECK(back.contentHash == m.contentHash);
  }
}

TEST_CASE("a truncated file is rejected at every length with a reason") {
  std::vector<uint8_t> bytes = bc::Write(CompileExample("abandoned_cart.journey"));
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(len));
    bc::Module m;
    std::string error;
    INFO("length " << len);
    REQUIRE_FALSE(bc::Read(cut, m, error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("a flipped byte is caught by the checksum; the header is checked first") {
  std::vector<uint8_t> bytes = bc::Write(CompileExample("cart_inaction.journey"));
  bc::Module m;
  std::string error;
  for (size_t i = 32; i < bytes.size(); i += 7) {
    std::vector<uint8_t> bad = bytes;
    bad[i] ^= 0x5A;
    REQUIRE_FALSE(bc::Read(bad, m, error));
    CHECK(error.find("checksum") != std::string::npos);
  }
  std::vector<uint8_t> bad = bytes;
  bad[0] = 'X';
  REQUIRE_FALSE(bc::Read(bad, m, error));
  CHECK(error.find("magic") != std::string::npos);
  bad = bytes;
  bad[4] = 9;  // format version
  REQUIRE_FALSE(bc::Read(bad, m, error));
  CHECK(error.find("format version 9") != std::string::npos);
  bad = bytes;
  bad[8] ^= 1;  // ISA hash
  REQUIRE_FALSE(bc::Read(bad, m, error));
  CHECK(error.find("instruction set") != std::string::npos);
}

TEST_CASE("crafted bodies with a valid checksum are rejected, never crash") {
  std::vector<uint8_t> bytes = bc::Write(CompileExample("platinum_rides.journey"));
  // Every byte of the body set to a few hostile values, checksum resealed:
  // the reader must either reject or produce a module the verifier judges.
  size_t rejected = 0, verified = 0;
  for (size_t i = 32; i < bytes.size(); ++i) {
    for (uint8_t v : {uint8_t{0x00}, uint8_t{0xFF}, uint8_t{0x7F}}) {
      std::vector<uint8_t> bad = bytes;
      if (bad[i] == v) continue;
      bad[i] = v;
      Reseal(bad);
      bc::Module m;
      std::string error;
      if (!bc::Read(bad, m, error)) {
        ++rejected;
        continue;
      }
      if (bc::Verify(m).empty()) {
        ++verified;
        (void)bc::Disassemble(m);  // a verified module is safe to walk
      } else {
        ++rejected;
      }
    }
  }
  CHECK(rejected > 0);
  INFO("mutations that still verify (e.g. a changed constant value): " << verified);
  CHECK(rejected + verified > 0);
}

// Found while writing fuzz/jbc.cpp: a table count was checked only
// against a fixed cap (2^24), so a few bytes could make the reader
// allocate gigabytes before it noticed the section was too short.
TEST_CASE("a table count the section cannot hold is refused before allocating") {
  std::vector<uint8_t> bytes = bc::Write(CompileExample("cart_inaction.journey"));
  uint32_t metaLen = 0;
  std::memcpy(&metaLen, bytes.data() + 36, 4);
  size_t stringsCount = 32 + 8 + metaLen + 8;  // after META, the STRINGS header
  uint32_t huge = 1u << 24;
  std::memcpy(bytes.data() + stringsCount, &huge, 4);
  Reseal(bytes);
  bc::Module m;
  std::string error;
  REQUIRE_FALSE(bc::Read(bytes, m, error));
  CHECK(error.find("section STRINGS") != std::string::npos);
  CHECK(error.find("needs at least") != std::string::npos);
  CHECK(m.strings.capacity() == 0);
}

TEST_CASE("the verifier names out-of-range operands and unsafe control flow") {
  bc::Module good = CompileExample("push_then_transacted.journey");
  REQUIRE(bc::Verify(good).empty());
  auto problemsAfter = [&](auto mutate) {
    bc::Module m = good;
    mutate(m);
    auto p = bc::Verify(m);
    std::string all;
    for (auto& s : p) all += s + "\n";
    return all;
  };
  // A register beyond the frame.
  std::string p = problemsAfter([](bc::Module& m) {
    for (bc::Instr& in : m.code)
      if (in.op == bc::Op::LoadK) {
        in.a = 250;
        break;
      }
  });
  CHECK(p.find("register 250 out of range") != std::string::npos);
  // A constant index past the table.
  p = problemsAfter([](bc::Module& m) {
    for (bc::Instr& in : m.code)
      if (in.op == bc::Op::LoadK) {
        in.c = 9999;
        break;
      }
  });
  CHECK(p.find("constant 9999 out of range") != std::string::npos);
  // A jump past the end.
  p = problemsAfter([](bc::Module& m) { m.code.push_back({bc::Op::Jump, 0, 0, 1u << 30}); });
  CHECK(p.find("code offset") != std::string::npos);
  // Falling off the end of the code.
  p = problemsAfter([](bc::Module& m) {
    m.nodes.push_back(m.nodes.back());
    m.nodes.back().pc = static_cast<uint32_t>(m.code.size());
    m.code.push_back({bc::Op::Enter, 0, static_cast<uint16_t>(m.nodes.size() - 1), 0});
  });
  CHECK(p.find("falls off the end") != std::string::npos);
  // A predicate that sends.
  p = problemsAfter([](bc::Module& m) {
    REQUIRE_FALSE(m.predicates.empty());
    m.code[m.predicates[0].pc] = {bc::Op::Exit, 0, 0, 0};
  });
  CHECK(p.find("a predicate may only compute and return") != std::string::npos);
  // A non-zero unused field.
  p = problemsAfter([](bc::Module& m) { m.code[0].c = 3; });
  CHECK(p.find("unused but not 0") != std::string::npos);
  // A bad string index in a table.
  p = problemsAfter([](bc::Module& m) { m.nodes[0].name = 77777; });
  CHECK(p.find("string 77777 out of range") != std::string::npos);
  // A node name a message id could not carry between its colons, and a
  // second send site of one node (a status would not know where to count).
  p = problemsAfter([](bc::Module& m) {
    m.strings.push_back("two:parts");
    m.nodes[0].name = static_cast<uint32_t>(m.strings.size() - 1);
  });
  CHECK(p.find("node 0: name is not an identifier") != std::string::npos);
  p = problemsAfter([](bc::Module& m) {
    REQUIRE_FALSE(m.sends.empty());
    m.sends.push_back(m.sends[0]);
  });
  CHECK(p.find("a second send site of one node") != std::string::npos);
  // Durations and dates beyond what the VM's time arithmetic takes.
  p = problemsAfter([](bc::Module& m) { m.timeoutSeconds = bc::kMaxDurationSeconds + 1; });
  CHECK(p.find("timeout of 1099511627777 seconds is out of range") != std::string::npos);
  CHECK(problemsAfter([](bc::Module& m) { m.timeoutSeconds = bc::kMaxDurationSeconds; }).empty());
  p = problemsAfter([](bc::Module& m) { m.reentrySeconds = INT64_MAX; });
  CHECK(p.find("re-entry delay") != std::string::npos);
  p = problemsAfter([](bc::Module& m) { m.entry.offsetSeconds = INT64_MIN; });
  CHECK(p.find("date offset") != std::string::npos);
  CHECK(problemsAfter([](bc::Module& m) { m.entry.offsetSeconds = -86400; }).empty());
  p = problemsAfter([](bc::Module& m) { m.nodes[0].windowSeconds = -1; });
  CHECK(p.find("window of -1 seconds") != std::string::npos);
  p = problemsAfter([](bc::Module& m) { m.entry.dates.push_back(bc::kLatestSecond + 1); });
  CHECK(p.find("schedule date") != std::string::npos);
  p = problemsAfter([](bc::Module& m) { m.limits.push_back({m.name, 1, INT64_MAX}); });
  CHECK(p.find("limit: period") != std::string::npos);
}

TEST_CASE("node code starts with Enter and leaves only by its own paths") {
  bc::Module m = CompileExample("ab_discount_vs_shipping.journey");
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    const bc::Instr& first = m.code[m.nodes[i].pc];
    CHECK(first.op == bc::Op::Enter);
    CHECK(first.b == i);
  }
  size_t splits = 0;
  for (const bc::Instr& in : m.code) splits += in.op == bc::Op::Split;
  CHECK(splits == 1);
}

TEST_CASE("docs/bytecode.md lists every opcode with its operands and effect") {
  std::ifstream in(std::string(JOURNEY_SOURCE_DIR) + "/docs/bytecode.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (unsigned i = 0; i < bc::kOpCount; ++i) {
    const bc::OpInfo& info = bc::InfoOf(static_cast<bc::Op>(i));
    INFO(info.name);
    std::string effect = info.effect;
    std::string escaped;
    for (char c : effect) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    CHECK(doc.find(std::string("| `") + info.name + "` |") != std::string::npos);
    CHECK(doc.find(escaped) != std::string::npos);
  }
}

TEST_CASE("FNV-1a: the hash every checksum, version hash and message id is made with", "[bytecode]") {
  // Pinned values: a change here changes every .jbc checksum, snapshot
  // checksum and journey version (bytecode/fnv.h explains the basis).
  CHECK(journey::Fnv1a("") == 0x14650fb0739d0383ull);
  CHECK(journey::Fnv1a("a") == 0x44bd8ad473cd9906ull);
  CHECK(journey::Fnv1a("journey") == 0x5e9d54c546c53e95ull);
  CHECK(journey::FnvAppend(journey::Fnv1a("jour"), "ney") == journey::Fnv1a("journey"));
  const unsigned char bytes[] = {'j', 'o', 'u', 'r', 'n', 'e', 'y'};
  CHECK(journey::Fnv1a(bytes, sizeof bytes) == journey::Fnv1a("journey"));
}

// golden_runner.cpp — compares compiler output with checked-in golden files.
//
//   golden_runner diag FILE.journey EXPECTED   diagnostics as text
//   golden_runner ir   FILE.journey EXPECTED   the IR dump; the file must check clean
//   golden_runner asm  FILE.journey EXPECTED   the bytecode listing (verified, and
//                                              identical after a write/read round trip)
//
// Paths are used as given, so run it from the repository root (ctest does)
// to keep file names in expected output stable. With JOURNEY_UPDATE_GOLDEN=1
// in the environment it rewrites EXPECTED instead of comparing
// (tests/update-golden.sh does that for every golden test).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "bytecode/disasm.h"
#include "bytecode/format.h"
#include "bytecode/verify.h"
#include "codegen/codegen.h"
#include "driver/pipeline.h"
#include "ir/ir.h"

namespace {

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Prints the first differing line, which is what a reader of a CI log needs.
void ShowDifference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    bool he = static_cast<bool>(std::getline(e, le)), ha = static_cast<bool>(std::getline(a, la));
    if (!he && !ha) return;
    if (le != la || he != ha) {
      std::fprintf(stderr, "first difference at line %d:\n  expected: %s\n  actual:   %s\n", line, he ? le.c_str() : "<end>",
                   ha ? la.c_str() : "<end>");
      return;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: golden_runner diag|ir|asm FILE EXPECTED\n");
    return 2;
  }
  std::string mode = argv[1], file = argv[2], expectedPath = argv[3];
  journey::SourceManager sm;
  journey::DiagEngine diags;
  std::string error;
  uint32_t id = sm.load(file, error);
  if (!id) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  auto result = journey::CompileSource(sm, id, diags);
  std::string actual;
  if (mode == "diag") {
    actual = journey::RenderText(sm, diags.list(), {});
    if (diags.list().empty()) {
      std::fprintf(stderr, "%s: expected diagnostics, got none\n", file.c_str());
      return 1;
    }
  } else if (mode == "ir" || mode == "asm") {
    if (!diags.list().empty() || !result) {
      std::fprintf(stderr, "%s must check clean:\n%s", file.c_str(), journey::RenderText(sm, diags.list(), {}).c_str());
      return 1;
    }
    if (mode == "ir") {
      actual = journey::ir::Dump(result->ir);
    } else {
      journey::bc::Module module = journey::Generate(result->ir, journey::DefaultStdlib());
      for (const std::string& p : journey::bc::Verify(module)) {
        std::fprintf(stderr, "verifier: %s\n", p.c_str());
        return 1;
      }
      actual = journey::bc::Disassemble(module);
      journey::bc::Module reread;
      std::string error;
      if (!journey::bc::Read(journey::bc::Write(module), reread, error) || journey::bc::Disassemble(reread) != actual) {
        std::fprintf(stderr, "write/read round trip changed the module: %s\n", error.c_str());
        return 1;
      }
    }
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  const char* update = std::getenv("JOURNEY_UPDATE_GOLDEN");
  if (update && *update && std::string(update) != "0") {
    std::ofstream out(expectedPath, std::ios::binary);
    out << actual;
    return out ? 0 : 1;
  }
  std::string expected;
  if (!ReadFile(expectedPath, expected)) {
    std::fprintf(stderr, "missing golden file %s (run tests/update-golden.sh)\nactual output:\n%s", expectedPath.c_str(),
                 actual.c_str());
    return 1;
  }
  if (expected != actual) {
    std::fprintf(stderr, "%s differs from %s\n", file.c_str(), expectedPath.c_str());
    ShowDifference(expected, actual);
    std::fprintf(stderr, "--- actual output ---\n%s", actual.c_str());
    return 1;
  }
  return 0;
}

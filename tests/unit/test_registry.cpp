// test_registry.cpp — the diagnostics registry stays consistent with its
// tests and its documentation.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "diag/diag.h"

using namespace journey;

TEST_CASE("codes are unique and messages follow the style") {
  std::set<uint16_t> codes;
  for (const DiagInfo& d : AllDiagnostics()) {
    INFO(d.name);
    CHECK(codes.insert(d.code).second);
    std::string msg = d.format;
    REQUIRE_FALSE(msg.empty());
    CHECK(msg.back() != '.');
    if (msg != "{0}") CHECK_FALSE(std::isupper(static_cast<unsigned char>(msg[0])));
    CHECK(std::string(d.explanation).size() > 40);
  }
}

TEST_CASE("every diagnostic kind has a failing golden test") {
  namespace fs = std::filesystem;
  std::set<std::string> covered;
  for (const auto& entry : fs::directory_iterator(fs::path(JOURNEY_SOURCE_DIR) / "tests/golden/diagnostics")) {
    if (entry.path().extension() != ".expected") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (size_t p = text.find("[J"); p != std::string::npos; p = text.find("[J", p + 1)) covered.insert(text.substr(p + 1, 5));
  }
  for (const DiagInfo& d : AllDiagnostics()) {
    INFO(CodeString(d.code) << " " << d.name);
    CHECK(covered.count(CodeString(d.code)) == 1);
  }
}

TEST_CASE("docs/diagnostics.md is generated from the registry") {
  std::ifstream in(std::filesystem::path(JOURNEY_SOURCE_DIR) / "docs/diagnostics.md");
  std::stringstream ss;
  ss << in.rdbuf();
  INFO("regenerate with: build/compiler/journeyc explain --all > docs/diagnostics.md");
  CHECK(ss.str() == RenderDiagnosticsReference());
}

// test_lexer.cpp — the hand-written lexer against the grammar's generated one.
//
// The compiler lexes with a scanner written by hand for speed; the generated
// lexer remains the definition of the tokens. These tests lex the same text
// with both and require identical tokens: on every journey in the repository
// (and the fuzz corpus), on the corner cases of the longest-match rule, and
// on many seeded random texts built from the fragments where lexers go wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parse/lexer_check.h"

namespace fs = std::filesystem;
using journey::parse::SameTokensAsAntlr;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("the hand-written lexer agrees with the generated one on every journey in the repository") {
  size_t files = 0;
  for (const char* dir : {"examples", "tests", "bench", "fuzz/corpus/compiler", "editors"}) {
    fs::path root = fs::path(JOURNEY_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      bool corpus = std::string(dir).rfind("fuzz", 0) == 0;
      if (!corpus && entry.path().extension() != ".journey") continue;
      INFO(entry.path().string());
      CHECK(SameTokensAsAntlr(ReadFile(entry.path())) == "");
      ++files;
    }
  }
  CHECK(files > 100);
}

TEST_CASE("the hand-written lexer follows the longest-match rule on corner cases") {
  const std::vector<std::string> cases = {
      // numbers, durations, dates and times, and numbers glued to letters
      "1h30m", "1h30", "30min", "1.5h", "1.", "1..5", "1...", "10%", "10.5%", "5s%", "3d2", "2026-12-01",
      "2026-1-01", "2026-12-01x", "09:30", "9:30", "123:45", "12:30h", "1_", "0w0w0w", "7 d", "2026-12-0",
      // strings: plain, escaped, unterminated, triple
      R"("a")", R"("a\"b")", "\"a\\\nb\"", "\"abc", "\"abc\\", "\"abc\ndef\"", R"("""x""")", R"("""""")",
      R"(""""")", R"("""a"""")", R"("""unclosed)", R"("")", "\"\r\"", "\"a\\\r\n\"",
      // comments
      "// c\nx", "//", "/* a */x", "/* a", "/*/", "/**/", "//*\n*/", "a/b", "/",
      // punctuation: two bytes against one
      "->", "-", "-->", "..", ".", "...", "==", "=", "!=", "!", "<=", "<", ">=", ">", "<<=", "=>",
      // words: keywords, identifiers, keywords as prefixes
      "node", "nodes", "node_1", "Node", "not", "notify", "starts_with", "_", "a1", "true", "falsey",
      // white space, stray and non-ASCII bytes, the empty text
      " \t\r\n", "\f", "\v", "@", "#", "$", "\x01", std::string(1, '\0'), "caf\xc3\xa9", "\xff", "",
  };
  for (const std::string& text : cases) {
    INFO("text: " << text);
    CHECK(SameTokensAsAntlr(text) == "");
  }
}

TEST_CASE("the hand-written lexer agrees with the generated one on random texts") {
  // Fragments chosen so that random sequences meet every lexer rule and
  // every boundary between them.
  const std::vector<std::string> fragments = {
      "\"", "\"\"\"", "\\", "/", "*", "/*", "*/", "//", "\n", "\r", " ", "\t", "0", "12", "2026", "-", ":",
      ".", "%", "s", "m", "h", "d", "w", "x", "_", "node", "send", "not", "a", "Z", "9", "<", ">", "=", "!",
      "{", "}", "(", ")", "[", "]", ",", "+", "\xc3\xa9", "\xff", "@", "09:30", "2026-12-01", "1h30m",
  };
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    for (int k = length(rng); k > 0; --k) text += fragments[pick(rng)];
    std::string difference = SameTokensAsAntlr(text);
    if (!difference.empty()) {
      INFO("text: " << text);
      FAIL(difference);
    }
  }
}

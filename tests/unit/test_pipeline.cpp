// test_pipeline.cpp — the compiler end to end on small sources: recovery,
// classification, hashes for versioning, and the output formats.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "driver/pipeline.h"
#include "parse/parse.h"
#include "ir/ir.h"

using namespace journey;

namespace {

struct Compiled {
  SourceManager sm;
  DiagEngine diags;
  std::optional<CheckedJourney> journey;
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.list()) out.push_back(CodeString(d.code));
    return out;
  }
};

std::unique_ptr<Compiled> CompileText(const std::string& text) {
  auto c = std::make_unique<Compiled>();
  uint32_t id = c->sm.add("test.journey", text);
  c->journey = CompileSource(c->sm, id, c->diags);
  return c;
}

const char* kSchema = R"(
event "Added To Cart" { item_name: string  price: number }
event "Charged" { amount: number  item: string }
profile { first_name: string  ride_count: number  tier: string  shows: list<string> }
)";

}  // namespace

TEST_CASE("a clean journey compiles with no diagnostics") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Added To Cart" and not did "Charged" within 15m
  timeout 3d
  goal bought: did "Charged"
  flow {
    send push { title: "Hi {{ profile.first_name | default \"there\" }}" body: "{{ entry.item_name }}" }
    wait 1d
    update { increment profile.ride_count  add "Gotham" to profile.shows }
  }
})");
  INFO(RenderText(c->sm, c->diags.list(), {}));
  REQUIRE(c->diags.list().empty());
  REQUIRE(c->journey);
  const ir::Journey& j = c->journey->ir;
  CHECK(j.entry.kind == ir::EntryKind::Inaction);
  CHECK(j.entry.entryEvent == "Added To Cart");
  REQUIRE(j.nodes.size() == 3);
  CHECK(j.nodes[0].edge("next")->target == 1);
  CHECK(j.nodes[2].edge("next")->target == ir::kEnd);
  CHECK(j.goals[0].kind == ir::GoalKind::Action);
}

TEST_CASE("three independent errors are all reported in one run") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Chargd"
  start -> a
  node a: send sms { text: "x" } on read -> end
  node b: wait 1d -> nowhere
})");
  auto codes = c->codes();
  CHECK(std::count(codes.begin(), codes.end(), "J0103") == 1);
  CHECK(std::count(codes.begin(), codes.end(), "J0308") == 1);
  CHECK(std::count(codes.begin(), codes.end(), "J0101") == 1);
}

TEST_CASE("syntax errors are recovered from and later errors still reported") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  start -> a
  node a: wait 1d -> b b b
  node b: send sms { text: 12 } -> end
})");
  auto codes = c->codes();
  CHECK(std::count(codes.begin(), codes.end(), "J0001") >= 1);
  CHECK(std::count(codes.begin(), codes.end(), "J0204") == 1);  // text must be string
}

TEST_CASE("a broken node keeps its name so connectors to it do not cascade") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  start -> a
  node a: wait 1.5h -> b
  node b: exit
})");
  auto codes = c->codes();
  CHECK(codes == std::vector<std::string>{"J0002"});
}

TEST_CASE("durations written as words are J0010 each, read as the duration they mean, with no cascade") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Added To Cart" and not did "Charged" within 15 MINUTES
  timeout 3 days
  goal bought: did "Charged"
  flow {
    send push { title: "Hi" body: "There" }
    wait 1 hour
    wait 2wks
  }
})");
  std::vector<std::string> expected(4, "J0010");
  CHECK(c->codes() == expected);
  REQUIRE(c->journey);
  const ir::Journey& j = c->journey->ir;
  CHECK(j.timeoutSeconds == 3 * 86400);
  REQUIRE(j.nodes.size() == 3);
  CHECK(j.nodes[1].seconds == 3600);
  CHECK(j.nodes[2].seconds == 14 * 86400);
  const std::string text = RenderText(c->sm, c->diags.list(), {});
  CHECK(text.find("`15 MINUTES` is not a duration; write `15m`") != std::string::npos);
  CHECK(text.find("`2wks` is not a duration; write `2w`") != std::string::npos);
}

TEST_CASE("other languages' spellings are read as what they stand for: the same journey as written right") {
  // Each pair: as a user might write it, and as the language spells it. The
  // first compiles with its J0004/J0010/J0011/J0012 errors only, to the same
  // IR as the second (source positions aside), which compiles clean.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {R"(entry on event "Charged" where amount is 5 but not did "Added To Cart" within 2 hours)",
       R"(entry did "Charged" where amount == 5 and not did "Added To Cart" within 2h)"},
      {R"(entry when did "Charged" where item is not 'mug' && amount = 3 || item = “pot”)",
       R"(entry did "Charged" where item != "mug" and amount == 3 or item == "pot")"},
      {R"(entry did "Added To Cart" and did not "Charged" within 30mins)",
       R"(entry did "Added To Cart" and not did "Charged" within 30m)"},
  };
  for (const auto& [wrong, right] : pairs) {
    auto journey = [](const std::string& entry) {
      return std::string(kSchema) + "journey \"J\" {\n  " + entry +
             "\n  timeout 3d\n  flow {\n    send push { title: \"Hi\" body: \"x\" }\n    update set profile.tier to \"gold\"\n  }\n}";
    };
    auto bad = CompileText(journey(wrong));
    auto good = CompileText(journey(right));
    INFO(wrong);
    INFO(RenderText(bad->sm, bad->diags.list(), {}));
    for (const std::string& code : bad->codes()) CHECK((code == "J0004" || code == "J0010" || code == "J0011" || code == "J0012"));
    CHECK(good->codes().empty());
    CHECK_FALSE(bad->codes().empty());
    REQUIRE(bad->journey);
    REQUIRE(good->journey);
    ir::DumpOptions plain;
    plain.locations = false;
    CHECK(ir::Dump(bad->journey->ir, plain) == ir::Dump(good->journey->ir, plain));
  }
}

TEST_CASE("a number before a word that names the next flow step is not taken for a spelt-out duration") {
  // Flow steps need no separator, so `... >= 3 h: wait 1h` on one line is
  // a step ending in `3` and a step named `h`, not `3 h`: the only error is
  // the segment's missing `no` path.
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  flow {
    gate: segment profile.ride_count >= 3 h: wait 1h
    send push { title: "Hi" body: "There" }
  }
})");
  INFO(RenderText(c->sm, c->diags.list(), {}));
  CHECK(c->codes() == std::vector<std::string>{"J0302"});
}

TEST_CASE("segments are classified as immediate, live or past behaviour") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  start -> s1
  node s1: segment profile.tier == "gold" on yes -> s2, no -> end
  node s2: segment did "Charged" window 1d on yes -> s3, timeout -> end
  node s3: segment did "Charged" count >= 2 in last 30d on yes -> end, no -> exit
})");
  INFO(RenderText(c->sm, c->diags.list(), {}));
  REQUIRE(c->diags.list().empty());
  const auto& n = c->journey->ir.nodes;
  CHECK(n[0].mode == ir::SegmentMode::Immediate);
  CHECK(n[1].mode == ir::SegmentMode::Live);
  CHECK(n[2].mode == ir::SegmentMode::PastBehaviour);
}

TEST_CASE("content-only edits change only the content hash") {
  std::string base = std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  flow { send sms { text: "TEXT" }  wait WAIT }
})";
  auto make = [&](const std::string& text, const std::string& wait) {
    std::string s = base;
    s.replace(s.find("TEXT"), 4, text);
    s.replace(s.find("WAIT"), 4, wait);
    auto c = CompileText(s);
    REQUIRE(c->diags.list().empty());
    return std::make_pair(c->journey->ir.structuralHash, c->journey->ir.contentHash);
  };
  auto original = make("Hello", "1d");
  auto contentEdit = make("Hello again", "1d");
  auto structuralEdit = make("Hello", "2d");
  CHECK(original.first == contentEdit.first);
  CHECK(original.second != contentEdit.second);
  CHECK(original.first != structuralEdit.first);
  CHECK(original.second == structuralEdit.second);
  // Moving text around (comments, blank lines) changes neither.
  auto moved = CompileText("// a comment\n\n" + base.replace(base.find("TEXT"), 4, "Hello").replace(base.find("WAIT"), 4, "1d"));
  REQUIRE(moved->diags.list().empty());
  CHECK(moved->journey->ir.structuralHash == original.first);
  CHECK(moved->journey->ir.contentHash == original.second);
}

TEST_CASE("JSON and SARIF outputs are well-formed and carry codes and positions") {
  auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Chargd"
  flow { wait 1d }
})");
  auto json = nlohmann::json::parse(RenderJson(c->sm, c->diags.list()));
  CHECK(json["valid"] == false);
  CHECK(json["error_count"] == 1);
  CHECK(json["diagnostics"][0]["code"] == "J0103");
  CHECK(json["diagnostics"][0]["range"]["start"]["line"] == 7);
  CHECK(json["diagnostics"][0]["range"]["start"]["column"] == 13);
  auto sarif = nlohmann::json::parse(RenderSarif(c->sm, c->diags.list()));
  CHECK(sarif["version"] == "2.1.0");
  const auto& result = sarif["runs"][0]["results"][0];
  CHECK(result["ruleId"] == "J0103");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 7);
  CHECK(sarif["runs"][0]["tool"]["driver"]["rules"].size() == AllDiagnostics().size());
}

TEST_CASE("SARIF columns count UTF-16 code units, JSON and text columns bytes") {
  // é is 2 bytes and 1 unit, 👋 4 bytes and 2 units: `5` is byte column 48, unit column 45.
  auto c = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Charged\"\n  flow { send push { title: \"caf\xC3\xA9 \xF0\x9F\x91\x8B\" body: 5 } }\n}\n");
  REQUIRE(c->diags.list().size() == 1);
  auto json = nlohmann::json::parse(RenderJson(c->sm, c->diags.list()));
  CHECK(json["diagnostics"][0]["range"]["start"]["column"] == 48);
  CHECK(json["diagnostics"][0]["range"]["end"]["column"] == 49);
  auto sarif = nlohmann::json::parse(RenderSarif(c->sm, c->diags.list()));
  CHECK(sarif["runs"][0]["columnKind"] == "utf16CodeUnits");
  const auto& region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startColumn"] == 45);
  CHECK(region["endColumn"] == 46);
}

// Found by fuzz/compiler.cpp: a source with bytes that are not UTF-8 made
// the JSON serializer throw (journeyc check --format=json aborted).
TEST_CASE("JSON and SARIF outputs survive source text that is not UTF-8") {
  auto c = CompileText("journey \"caf\xe9\" {\n  entry did \"X\x8e\"\n}\n");
  REQUIRE_FALSE(c->diags.list().empty());
  std::string json, sarif;
  REQUIRE_NOTHROW(json = RenderJson(c->sm, c->diags.list()));
  REQUIRE_NOTHROW(sarif = RenderSarif(c->sm, c->diags.list()));
  CHECK(nlohmann::json::parse(json)["valid"] == false);
  CHECK(json.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD stands for the bad bytes
  CHECK(nlohmann::json::parse(sarif)["version"] == "2.1.0");
}

TEST_CASE("text diagnostics show the line with carets under the range") {
  auto c = CompileText("journey \"J\" {\n  entry did \"Nope\"\n  flow { wait 1d }\n}\n");
  std::string text = RenderText(c->sm, c->diags.list(), {});
  CHECK(text.find("test.journey:2:13: error[J0103]: event \"Nope\" is not declared") != std::string::npos);
  CHECK(text.find("    2 |   entry did \"Nope\"\n      |             ^~~~~~\n") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);  // no colour unless asked
  std::string coloured = RenderText(c->sm, c->diags.list(), {true});
  CHECK(coloured.find("\x1b[") != std::string::npos);
}

TEST_CASE("list and map literals past the VM's bounds are refused: 4096 values and 32 levels") {
  // `n` strings in a list: the list and its items are n + 1 values.
  auto strings = [](int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) out += (i ? ", \"s" : "\"s") + std::to_string(i) + "\"";
    return out + "]";
  };
  auto compile = [&](const std::string& suggestions, const std::string& tiers) {
    return CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged" where item in )" + tiers + R"(
  flow { send rcs { text: "Hi" suggestions: )" + suggestions + R"( } }
})");
  };
  auto messages = [](const Compiled& c) {
    std::vector<std::string> out;
    for (const Diagnostic& d : c.diags.list()) out.push_back(CodeString(d.code) + " " + d.message);
    return out;
  };
  SECTION("at the bounds") {
    auto c = compile(strings(4095), strings(4095));
    INFO(RenderText(c->sm, c->diags.list(), {}));
    CHECK(c->diags.list().empty());
  }
  SECTION("one value past them, in content and in a condition, each reported once") {
    auto c = compile(strings(4096), strings(5000));
    const std::string rule = "; a list or map may be at most 32 levels deep and hold at most 4096 values";
    CHECK(messages(*c) == std::vector<std::string>{"J0329 this list holds 5001 values" + rule,
                                                   "J0329 this list holds 4097 values" + rule});
  }
  SECTION("nested maps count every level; a part that is not a literal counts as one, and literals inside it are measured on their own") {
    auto nest = [](std::string inner) {
      for (int level = 0; level < 32; ++level) inner = "{ k: " + inner + ", j: 1 }";
      return inner;
    };
    auto c = CompileText(std::string(kSchema) + R"(
journey "J" {
  entry did "Charged"
  flow {
    send whatsapp { template: "t" vars: )" + nest("upper(\"x\")") + R"( }
    send whatsapp { template: "t" vars: { n: len()" + nest("\"x\"") + R"() } }
  }
})");
    const std::string deep = "J0329 this map is 33 levels deep; a list or map may be at most 32 levels deep and hold at most 4096 values";
    CHECK(messages(*c) == std::vector<std::string>{deep, deep});
  }
}

TEST_CASE("characters outside ASCII: one error each, named with their code point; bytes that are not UTF-8 named as bytes") {
  auto c = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Charged\" where amount > 1 \xC3\xA9\x01\xFF\xE2\x80\n  flow { wait 1d }\n}\n");
  std::vector<std::string> got;
  for (const Diagnostic& d : c->diags.list())
    if (CodeString(d.code) == "J0004") got.push_back(d.message + " @" + std::to_string(d.range.end - d.range.begin));
  CHECK(got == std::vector<std::string>{"unexpected character `\xC3\xA9` (U+00E9) @2", "unexpected invisible character U+0001 @1",
                                        "unexpected byte 0xFF (the file is not UTF-8 here) @1",
                                        "unexpected byte 0xE2 (the file is not UTF-8 here) @1",
                                        "unexpected byte 0x80 (the file is not UTF-8 here) @1"});
}

TEST_CASE("a UTF-8 byte order mark opening a file is ignored, and offsets still count it") {
  const std::string bom = "\xEF\xBB\xBF";
  auto clean = CompileText(bom + kSchema + R"(journey "J" { entry did "Charged" flow { wait 1d } })");
  INFO(RenderText(clean->sm, clean->diags.list(), {}));
  CHECK(clean->diags.list().empty());
  auto wrong = CompileText(bom + "event \"A\" { x: numbr }\n");
  std::vector<std::string> got;
  for (const Diagnostic& d : wrong->diags.list()) got.push_back(CodeString(d.code) + " " + std::string(wrong->sm.text(d.range)));
  CHECK(got == std::vector<std::string>{"J0110 ", "J0114 numbr"});  // ranges are in the file's bytes, the mark included
}

TEST_CASE("carets stand under what a terminal shows: wide characters take two columns, tabs are kept") {
  auto c = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Charged\"\n  flow {\n\tsend push { title: \"\xE6\x97\xA5 caf\xC3\xA9 \xF0\x9F\x91\x8B\" body: 5 }\n  }\n}\n");
  std::string text = RenderText(c->sm, c->diags.list(), {});
  INFO(text);
  // After the tab: 20 columns of ASCII, 日 (U+65E5) two, " café " six (é is one), 👋 (U+1F44B) two and
  // `" body: ` eight, so the 5 is 38 columns on, where counting its 4 extra bytes would have put the caret 4 too far.
  CHECK(text.find("      | \t" + std::string(38, ' ') + "^\n") != std::string::npos);
}

namespace {
std::string ReadSource(const std::string& path) {
  std::ifstream in(std::string(JOURNEY_SOURCE_DIR) + "/" + path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

TEST_CASE("the fixes diagnostics offer make each mistake file of the golden tests check clean, in one pass") {
  // Every diagnostic in these files offers a fix; made together, they leave
  // no error (nothing overlaps, nothing is left for a second round). Guesses
  // (a near spelling) are not made by ApplyFixes: what they leave is the
  // guessed errors, and making them too (as an editor's quick fix would)
  // leaves none.
  for (const char* name : {"J0004_pasted_characters", "J0004_quoted_strings", "J0008_misspelt_keyword", "J0010_duration_with_space",
                           "J0011_foreign_operator", "J0011_spoken_operators", "J0012_entry_words", "J0308_status_synonym",
                           "J0109_zone_of_a_place", "J0013_missing_did"}) {
    INFO(name);
    std::string text = ReadSource(std::string("tests/golden/diagnostics/") + name + ".journey");
    REQUIRE_FALSE(text.empty());
    auto before = CompileText(text);
    REQUIRE(before->diags.errorCount() > 0);
    size_t fixable = 0, guessed = 0;
    for (const Diagnostic& d : before->diags.list()) (d.fixIsGuess ? guessed : fixable) += !d.fix.empty();
    CHECK(fixable + guessed == before->diags.errorCount());
    size_t applied = 0;
    std::string fixed = ApplyFixes(before->sm, 1, before->diags.list(), applied);
    CHECK(applied == fixable);
    auto after = CompileText(fixed);
    INFO(RenderText(after->sm, after->diags.list(), {}));
    CHECK(after->diags.errorCount() == guessed);
    auto afterGuesses = CompileText(ApplyFixes(before->sm, 1, before->diags.list(), applied, /*withGuesses=*/true));
    INFO(RenderText(afterGuesses->sm, afterGuesses->diags.list(), {}));
    CHECK(applied == fixable + guessed);
    CHECK(afterGuesses->diags.errorCount() == 0);
  }
}

TEST_CASE("fixed spellings compile to the journey written right") {
  auto wrong = CompileText(std::string(kSchema) + R"(
journey "J" {
  timezone "UTC"
  entry on event "Charged" where amount = 5 && item is not 'x'
  timeout 3 days
  flow {
    wait 1 hour
    send push { title: “Hi” body: "b" } window 2h on opened -> end, timeout -> end
  }
})");
  size_t applied = 0;
  std::string fixed = ApplyFixes(wrong->sm, 1, wrong->diags.list(), applied);
  CHECK(applied == 9);
  auto right = CompileText(std::string(kSchema) + R"(
journey "J" {
  timezone "UTC"
  entry did "Charged" where amount == 5 and item != "x"
  timeout 3d
  flow {
    wait 1h
    send push { title: "Hi" body: "b" } window 2h on viewed -> end, timeout -> end
  }
})");
  CHECK(fixed == right->sm.file(1).text());
  CHECK(right->diags.errorCount() == 0);
}

TEST_CASE("fixes that overlap: the first in the file is made, the other waits; edits that only touch are both made") {
  SourceManager sm;
  uint32_t id = sm.add("t.journey", "abcdefgh");
  uint32_t other = sm.add("u.journey", "xyz");
  auto fix = [](std::vector<Edit> edits) {
    Diagnostic d;
    d.fix = std::move(edits);
    return d;
  };
  std::vector<Diagnostic> diags = {
      fix({{Range{id, 4, 6}, "EF"}}),                          // "ef"
      fix({{Range{id, 0, 2}, "AB"}, {Range{id, 2, 3}, "C"}}),  // two edits of one fix, touching
      fix({{Range{id, 5, 7}, "??"}}),                          // overlaps "ef": waits
      fix({{Range{id, 3, 3}, "+"}}),                           // an insertion where "ab"+"c" ends
      fix({{Range{other, 0, 1}, "X"}}),                        // another file's: not here
      fix({{Range{id, 8, 8}, "!"}}),                           // at the end
  };
  size_t applied = 0;
  CHECK(ApplyFixes(sm, id, diags, applied) == "ABC+dEFgh!");
  CHECK(applied == 4);
  CHECK(ApplyFixes(sm, other, diags, applied) == "Xyz");
  CHECK(applied == 1);
  CHECK(DescribeFix(sm, diags[1].fix) == "replace `ab` with `AB`; replace `c` with `C`");
  CHECK(DescribeFix(sm, {{Range{id, 3, 3}, "+"}}) == "insert `+`");
  CHECK(DescribeFix(sm, {{Range{id, 3, 5}, ""}}) == "remove `de`");
}

TEST_CASE("a fix is shown in text, carried in JSON and offered in SARIF as a replacement") {
  auto c = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Charged\"\n  flow { wait 2 days }\n}\n");
  REQUIRE(c->diags.list().size() == 1);
  std::string text = RenderText(c->sm, c->diags.list(), {});
  CHECK(text.find("= fix: replace `2 days` with `2d`") != std::string::npos);
  auto json = nlohmann::json::parse(RenderJson(c->sm, c->diags.list()));
  const auto& fix = json["diagnostics"][0]["fix"];
  REQUIRE(fix.size() == 1);
  CHECK(fix[0]["text"] == "2d");
  CHECK(fix[0]["range"]["start"]["line"] == 7);
  CHECK(fix[0]["range"]["start"]["column"] == 15);
  CHECK(fix[0]["range"]["end"]["column"] == 21);
  auto sarif = nlohmann::json::parse(RenderSarif(c->sm, c->diags.list()));
  const auto& change = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
  CHECK(change["artifactLocation"]["uri"] == "test.journey");
  CHECK(change["replacements"][0]["insertedContent"]["text"] == "2d");
  CHECK(change["replacements"][0]["deletedRegion"]["startColumn"] == 15);
  CHECK(change["replacements"][0]["deletedRegion"]["endColumn"] == 21);
  CHECK(json["diagnostics"][0]["fix_is_guess"] == false);
  CHECK_FALSE(sarif["runs"][0]["results"][0]["fixes"][0].contains("properties"));
  // A diagnostic without a fix has an empty list in JSON and none in SARIF.
  auto clean = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Zebra\"\n  flow { wait 1d }\n}\n");
  auto j2 = nlohmann::json::parse(RenderJson(clean->sm, clean->diags.list()));
  CHECK(j2["diagnostics"][0]["fix"].empty());
  CHECK(j2["diagnostics"][0]["fix_is_guess"] == false);
  auto s2 = nlohmann::json::parse(RenderSarif(clean->sm, clean->diags.list()));
  CHECK_FALSE(s2["runs"][0]["results"][0].contains("fixes"));
}

TEST_CASE("a guess (the nearest declared name) is carried marked as one, left to the help line in text, not made by ApplyFixes") {
  auto c = CompileText(std::string(kSchema) + "journey \"J\" {\n  entry did \"Chargd\"\n  flow { wait 1d }\n}\n");
  REQUIRE(c->diags.list().size() == 1);
  const Diagnostic& d = c->diags.list()[0];
  CHECK(d.fixIsGuess);
  CHECK_FALSE(d.hasCertainFix());
  std::string text = RenderText(c->sm, c->diags.list(), {});
  CHECK(text.find("= help: did you mean \"Charged\"?") != std::string::npos);
  CHECK(text.find("= fix:") == std::string::npos);
  auto json = nlohmann::json::parse(RenderJson(c->sm, c->diags.list()));
  CHECK(json["format_version"] == "1.2");
  CHECK(json["diagnostics"][0]["fix_is_guess"] == true);
  REQUIRE(json["diagnostics"][0]["fix"].size() == 1);
  CHECK(json["diagnostics"][0]["fix"][0]["text"] == "\"Charged\"");
  auto sarif = nlohmann::json::parse(RenderSarif(c->sm, c->diags.list()));
  const auto& fix = sarif["runs"][0]["results"][0]["fixes"][0];
  CHECK(fix["properties"]["guess"] == true);
  CHECK(fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "\"Charged\"");
  size_t applied = 9;
  CHECK(ApplyFixes(c->sm, 1, c->diags.list(), applied) == c->sm.file(1).text());
  CHECK(applied == 0);
}

TEST_CASE("every unknown name with a near declared one offers it as a guessed fix; made, the journey checks clean") {
  // One misspelling per place a name is looked up: the event of a condition,
  // a where-property, a plain name meaning a profile field, profile and
  // entry members, a function, a template's profile and entry paths and
  // filter, a path's target, a channel (send, limit, DND), a content field,
  // a listed field value, a zone and a status.
  const std::string wrong = std::string(kSchema) + R"(
journey "J" {
  timezone "Asia/Kolkatta"
  entry did "Added To Cart" where prce > 5
  goal bought: did "Chargd"
  timeout 3d
  limit emial 2 per 1d
  dnd every day 22:00..08:00 defer for pusj
  flow {
    gate: segment tier == "gold" and profile.frist_name != "" and entry.item_nme != "" and upperr(profile.tier) == "GOLD" on no -> closng
    send psuh { title: "Hi {{ profile.first_nam | upper }}" body: "{{ entry.itm_name }}" }
    send push { title: "t" body: "b" platfrom: "ios" }
    closing: send push { title: "{{ entry.item_name | uper }}" body: "b" platform: "andriod" } window 1h on clickd -> end, timeout -> end
  }
})";
  auto before = CompileText(wrong);
  INFO(RenderText(before->sm, before->diags.list(), {}));
  size_t guessed = 0;
  for (const Diagnostic& d : before->diags.list()) {
    INFO(d.message);
    CHECK(d.fixIsGuess);
    CHECK(d.fix.size() == 1);
    guessed += d.fixIsGuess;
  }
  CHECK(guessed == 17);
  CHECK(before->diags.errorCount() == guessed);
  size_t applied = 0;
  std::string fixed = ApplyFixes(before->sm, 1, before->diags.list(), applied, /*withGuesses=*/true);
  CHECK(applied == guessed);
  const std::string right = std::string(kSchema) + R"(
journey "J" {
  timezone "Asia/Kolkata"
  entry did "Added To Cart" where price > 5
  goal bought: did "Charged"
  timeout 3d
  limit email 2 per 1d
  dnd every day 22:00..08:00 defer for push
  flow {
    gate: segment profile.tier == "gold" and profile.first_name != "" and entry.item_name != "" and upper(profile.tier) == "GOLD" on no -> closing
    send push { title: "Hi {{ profile.first_name | upper }}" body: "{{ entry.item_name }}" }
    send push { title: "t" body: "b" platform: "ios" }
    closing: send push { title: "{{ entry.item_name | upper }}" body: "b" platform: "android" } window 1h on clicked -> end, timeout -> end
  }
})";
  CHECK(fixed == right);
  auto after = CompileText(fixed);
  INFO(RenderText(after->sm, after->diags.list(), {}));
  CHECK(after->diags.errorCount() == 0);
}

TEST_CASE("a guessed string is written quoted and escaped so that it decodes to the name") {
  for (std::string name : {std::string("Charged"), std::string("say \"hi\""), std::string("back\\slash"), std::string("two\nlines\tand\x01")}) {
    std::string quoted = QuoteStringLiteral(name), decoded;
    CHECK(DecodeStringLiteral(quoted, decoded));
    CHECK(decoded == name);
  }
  CHECK(QuoteStringLiteral("say \"hi\"") == R"("say \"hi\"")");
}

// test_lsp.cpp — the language server's pieces without a process: UTF-16
// positions, Content-Length framing over a pipe, coalesced re-checks and
// the small helpers the transcript tests (tests/lsp/) cannot isolate.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lsp/features.h"
#include "lsp/jsonrpc.h"
#include "lsp/positions.h"
#include "lsp/server.h"

using namespace journey::lsp;
using json = nlohmann::json;

namespace {

json Notify(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}
json Open(const std::string& uri, const std::string& text) {
  json params;
  params["textDocument"] = {{"uri", uri}, {"version", 1}, {"text", text}};
  return Notify("textDocument/didOpen", params);
}
json Change(const std::string& uri, int version, json change) {
  json params;
  params["textDocument"] = {{"uri", uri}, {"version", version}};
  params["contentChanges"] = json::array({std::move(change)});
  return Notify("textDocument/didChange", params);
}
json Initialize() {
  return {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", {{"capabilities", json::object()}}}};
}

}  // namespace

TEST_CASE("lsp: UTF-16 positions round-trip through byte offsets", "[lsp]") {
  // é is 2 bytes / 1 unit, — 3 bytes / 1 unit, 😀 4 bytes / 2 units.
  std::string text = "ab\né—😀x\r\nlast";
  LineIndex lines(text);
  REQUIRE(lines.lineCount() == 3);
  CHECK(lines.offset({0, 1}) == 1);
  CHECK(lines.offset({1, 0}) == 3);
  CHECK(lines.offset({1, 1}) == 5);    // after é
  CHECK(lines.offset({1, 2}) == 8);    // after —
  CHECK(lines.offset({1, 4}) == 12);   // after 😀
  CHECK(lines.offset({1, 3}) == 8);    // inside the surrogate pair: snaps to its start
  CHECK(lines.offset({1, 99}) == 13);  // past the end: clamps before \r\n
  CHECK(lines.offset({2, 2}) == 17);
  CHECK(lines.offset({9, 0}) == text.size());
  Position p = lines.position(12);
  CHECK(p.line == 1);
  CHECK(p.character == 4);
  p = lines.position(15);
  CHECK(p.line == 2);
  CHECK(p.character == 0);
}

TEST_CASE("lsp: a lone carriage return ends a line", "[lsp]") {
  LineIndex lines("a\rb\n\nc");
  CHECK(lines.lineCount() == 4);
  CHECK(lines.offset({1, 0}) == 2);
  CHECK(lines.offset({3, 0}) == 5);
}

TEST_CASE("lsp: framing splits a burst into messages", "[lsp]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string first = R"({"a":1})", second = R"({"b":"é"})";
  std::string burst = Frame(first) + "content-length: " + std::to_string(second.size()) +
                      "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + second;
  REQUIRE(write(fds[1], burst.data(), burst.size()) == static_cast<ssize_t>(burst.size()));
  MessageReader reader(fds[0]);
  CHECK(reader.pending());
  CHECK(reader.next() == first);
  CHECK(reader.pending());  // the second message is already buffered
  CHECK(reader.next() == second);
  CHECK_FALSE(reader.pending());  // nothing more, and the writer is still open
  close(fds[1]);
  CHECK(reader.next() == std::nullopt);
  close(fds[0]);
}

TEST_CASE("lsp: queued edits are checked once, on the latest text", "[lsp]") {
  std::vector<json> sent;
  Server server([&](const json& m) { sent.push_back(m); });
  server.handle(Initialize());
  const std::string uri = "file:///x.journey";
  server.handle(Open(uri, "journey"));
  for (int v = 2; v <= 4; ++v) server.handle(Change(uri, v, {{"text", "journey \"v" + std::to_string(v) + "\" {"}}));
  CHECK(server.analyses() == 0);
  server.flush();
  server.flush();  // nothing new: no second publish
  CHECK(server.analyses() == 1);
  REQUIRE(sent.size() == 2);
  CHECK(sent[1]["method"] == "textDocument/publishDiagnostics");
  CHECK(sent[1]["params"]["version"] == 4);
  CHECK_FALSE(sent[1]["params"]["diagnostics"].empty());
}

TEST_CASE("lsp: incremental changes are applied even though full sync is asked for", "[lsp]") {
  std::vector<json> sent;
  Server server([&](const json& m) { sent.push_back(m); });
  server.handle(Initialize());
  const std::string uri = "file:///y.journey";
  server.handle(Open(uri, "journey \"é abc\" {}"));
  json range = {{"start", {{"line", 0}, {"character", 11}}}, {"end", {{"line", 0}, {"character", 14}}}};
  server.handle(Change(uri, 2, {{"range", range}, {"text", "xyz"}}));
  json symbols = {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/documentSymbol"}};
  symbols["params"]["textDocument"]["uri"] = uri;
  server.handle(symbols);
  // Characters 11..14 are bytes 12..15: after é, which is two bytes.
  CHECK(sent.back()["result"][0]["name"] == "é xyz");
}

TEST_CASE("lsp: malformed JSON gets a parse error with a null id", "[lsp]") {
  std::vector<json> sent;
  Server server([&](const json& m) { sent.push_back(m); });
  server.handle(std::string("{not json"));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["error"]["code"] == -32700);
  CHECK(sent[0]["id"].is_null());
}

TEST_CASE("lsp: durations in words", "[lsp]") {
  CHECK(DurationInWords(0) == "0 seconds");
  CHECK(DurationInWords(90) == "1 minute 30 seconds");
  CHECK(DurationInWords(5400) == "1 hour 30 minutes");
  CHECK(DurationInWords(2 * 604800 + 86400) == "2 weeks 1 day");
}

TEST_CASE("lsp: hover spells out waits relative to a profile date and send times", "[lsp]") {
  Analysis a(
      "profile { flight_time: datetime }\n"
      "journey \"J\" {\n"
      "  entry did \"Page Visited\"\n"
      "  start -> before_flight\n"
      "  node before_flight: wait until 2h30m before profile.flight_time -> note\n"
      "  node note: send push at 09:00 { title: \"t\" body: \"b\" } -> end\n"
      "}\n");
  json wait = Hover(a, {4, 10});
  REQUIRE(wait.is_object());
  CHECK(wait["contents"]["value"].get<std::string>().find("Waits until 2 hours 30 minutes before `profile.flight_time`") !=
        std::string::npos);
  json send = Hover(a, {5, 8});
  REQUIRE(send.is_object());
  CHECK(send["contents"]["value"].get<std::string>().find("Sends at 09:00") != std::string::npos);
}

TEST_CASE("lsp: rename refuses keywords and takes every mention", "[lsp]") {
  Analysis a("journey \"J\" {\n  entry did \"Page Visited\"\n  start -> a\n  node a: wait 1h -> a\n}\n");
  CHECK_THROWS_AS(Rename(a, "u", {3, 7}, "send"), RenameError);
  CHECK_THROWS_AS(Rename(a, "u", {3, 7}, "2x"), RenameError);
  json edit = Rename(a, "u", {3, 7}, "first");
  CHECK(edit["changes"]["u"].size() == 3);
}

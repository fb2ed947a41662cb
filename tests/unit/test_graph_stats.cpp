// test_graph_stats.cpp — `journeyc graph --stats`: a run's statistics read
// from journey-vm's JSON and drawn on the canvas, and the files refused.
#include <catch2/catch.hpp>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "compile_example.h"
#include "driver/graph_stats.h"
#include "ir/ir.h"

using namespace journey;
using journey::testing::CompileExampleIr;

namespace {

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(std::string(JOURNEY_SOURCE_DIR) + "/" + path, std::ios::binary);
  REQUIRE(in);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("graph --stats draws a run's figures on the canvas: users, paths, messages, goals, time-outs") {
  ir::Journey j = CompileExampleIr("abandoned_cart.journey");
  // The run golden of this example: 5 entered, 2 bought, 3 timed out.
  std::string text = ReadFile("tests/golden/run/abandoned_cart.stats.json");
  CanvasStatsResult figures;
  std::string error;
  REQUIRE(ReadCanvasStats(text, "s.json", j.name, Hex(j.structuralHash), figures, error));
  CHECK(figures.warning.empty());
  std::string dot = ir::ToDot(j, &figures.stats);
  INFO(dot);
  CHECK(Has(dot, "label=\"Abandoned cart recovery\\nentry 5, goal met 2 (40.00%), timed out 3\""));
  CHECK(Has(dot, "label=\"cart_reminder\\nsend whatsapp\\nwindow 6h\\nin 5, waiting 0, goal 1, journey timeout 1\\nsent 5\\n"
                 "delivered 1, error 1, read 1, replied 1\"]"));
  CHECK(Has(dot, "n0 -> end [label=\"replied (1)\"]"));
  CHECK(Has(dot, "[label=\"timeout (2)\", style=dashed]"));
  CHECK(Has(dot, "purchased\\ndid \\\"Charged\\\"\\nmet by 2"));
  CHECK(Has(dot, "journey timeout 3d\\ntimed out 3"));
  CHECK(Has(dot, "label=\"end\\nwaiting 0\""));
  // Without figures the canvas is as before.
  CHECK_FALSE(Has(ir::ToDot(j), "(1)"));
  CHECK_FALSE(Has(ir::ToDot(j), "in 5"));
}

TEST_CASE("graph --stats: a journey without goals shows completions; another version warns; a time frame names its days") {
  ir::Journey j = CompileExampleIr("onboarding.journey");
  std::string text = ReadFile("tests/golden/run/onboarding.stats.json");
  CanvasStatsResult figures;
  std::string error;
  REQUIRE(ReadCanvasStats(text, "s.json", j.name, Hex(j.structuralHash), figures, error));
  CHECK(figures.stats.summary == "entry 4, completed 4 (100.00%), timed out 0");
  CHECK(figures.stats.endLine == "completed 4");
  CHECK(figures.stats.exits["needs_profile"]["yes"] == 2);
  // Figures of another version: drawn by node name, with a warning.
  CanvasStatsResult other;
  REQUIRE(ReadCanvasStats(text, "s.json", j.name, "0123456789abcdef", other, error));
  CHECK(Has(other.warning, "s.json holds version"));
  CHECK(Has(other.warning, "not 0123456789abcdef"));
  CHECK(other.stats.summary == figures.stats.summary);
  // A time frame's statistics.
  std::string framed = "{\"days\":{\"from\":\"2026-11-24\",\"to\":\"now\"}," + text.substr(1);
  CanvasStatsResult days;
  REQUIRE(ReadCanvasStats(framed, "s.json", j.name, Hex(j.structuralHash), days, error));
  CHECK(days.stats.summary == "entry 4, completed 4 (100.00%), timed out 0; days 2026-11-24 to now");
}

TEST_CASE("graph --stats refuses what is not journey statistics, naming the file and what is wrong") {
  CanvasStatsResult figures;
  std::string error;
  CHECK_FALSE(ReadCanvasStats("{\"journeys\": [", "a.json", "J", "0", figures, error));
  CHECK(error == "a.json: not valid JSON; expected the statistics journey-vm writes with --stats");
  CHECK_FALSE(ReadCanvasStats("[1, 2]", "b.json", "J", "0", figures, error));
  CHECK(Has(error, "b.json: not journey statistics (no \"journeys\" list)"));
  CHECK_FALSE(ReadCanvasStats("{\"journeys\":[{\"journey\":\"A\"},{\"journey\":\"B\"},{\"journey\":\"A\"}]}", "c.json", "J", "0",
                              figures, error));
  CHECK(error == "c.json has no statistics of journey \"J\" (it has \"A\", \"B\")");
  CHECK_FALSE(ReadCanvasStats("{\"journeys\":[{\"journey\":\"J\",\"entry\":\"five\"}]}", "d.json", "J", "0", figures, error));
  CHECK(Has(error, "d.json: not journey statistics: "));
  CHECK_FALSE(ReadCanvasStats("{\"journeys\":[{\"journey\":\"J\",\"nodes\":[{\"entered\":1}]}]}", "e.json", "J", "0", figures, error));
  CHECK(Has(error, "e.json: not journey statistics: "));
}

// test_diff.cpp — `journeyc diff`: edits are classified the way the version
// hashes classify them, and each change is named with its location.
#include <catch2/catch.hpp>

#include "driver/diff_command.h"

using namespace journey;

namespace {

const char* kBase = R"(event "Added To Cart" { item: string }
event "Charged" { amount: number }
profile { first_name: string }

journey "Cart" {
  entry did "Added To Cart"
  goal bought: did "Charged"
  timeout 3d
  start -> remind
  node remind: send push {
    title: "Still thinking, {{ profile.first_name | default \"there\" }}?"
    body: "Your {{ entry.item }} is waiting"
  } -> pause
  node pause: wait 1d -> last_call
  node last_call: send sms { text: "Last call for your cart" } -> end
}
)";

std::string Edit(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

JourneyDiff Diff(const std::string& before, const std::string& after) {
  SourceManager sm;
  uint32_t a = sm.add("old.journey", before), b = sm.add("new.journey", after);
  JourneyDiff d;
  std::string errors;
  INFO(errors);
  REQUIRE(DiffJourneys(sm, a, b, d, errors));
  return d;
}

}  // namespace

TEST_CASE("the same journey, reformatted or re-commented, is identical") {
  std::string after = Edit(kBase, "  timeout 3d\n", "  timeout 3d   // three days\n\n");
  JourneyDiff d = Diff(kBase, after);
  CHECK(d.classification == ChangeClass::Identical);
  CHECK(d.changes.empty());
}

TEST_CASE("message text and provider fields are content-only edits") {
  JourneyDiff d = Diff(kBase, Edit(kBase, "Last call for your cart", "Final call: your cart expires today"));
  CHECK(d.classification == ChangeClass::ContentOnly);
  REQUIRE(d.changes.size() == 1);
  const JourneyChange& c = d.changes[0];
  CHECK_FALSE(c.structural);
  CHECK(c.what == "node last_call");
  CHECK(c.action == "changed");
  CHECK(c.file == "new.journey");
  CHECK(c.line == 15);
  REQUIRE(c.before.size() == 1);
  CHECK(c.before[0].find("Last call for your cart") != std::string::npos);
  CHECK(c.after[0].find("Final call") != std::string::npos);
}

TEST_CASE("waits, timeouts, connectors and goals are structural") {
  SECTION("a wait's duration") {
    JourneyDiff d = Diff(kBase, Edit(kBase, "wait 1d", "wait 2d"));
    CHECK(d.classification == ChangeClass::Structural);
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "node pause");
    CHECK(d.changes[0].line == 14);
  }
  SECTION("the journey timeout, located by its keyword") {
    JourneyDiff d = Diff(kBase, Edit(kBase, "timeout 3d", "timeout 5d"));
    CHECK(d.classification == ChangeClass::Structural);
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "timeout");
    CHECK(d.changes[0].line == 8);
    CHECK(d.changes[0].column == 3);
  }
  SECTION("a new goal") {
    JourneyDiff d = Diff(kBase, Edit(kBase, "  timeout 3d\n", "  goal carted_again: did \"Added To Cart\"\n  timeout 3d\n"));
    CHECK(d.classification == ChangeClass::Structural);
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "goal carted_again");
    CHECK(d.changes[0].action == "added");
  }
  SECTION("a node removed and its connector moved") {
    std::string after = Edit(Edit(kBase, "} -> pause", "} -> last_call"), "  node pause: wait 1d -> last_call\n", "");
    JourneyDiff d = Diff(kBase, after);
    CHECK(d.classification == ChangeClass::Structural);
    bool removed = false, rewired = false;
    for (const JourneyChange& c : d.changes) {
      if (c.what == "node pause" && c.action == "removed") {
        removed = true;
        CHECK(c.file == "old.journey");
        CHECK(c.line == 14);
      }
      if (c.what == "node remind" && c.action == "changed") rewired = true;
    }
    CHECK(removed);
    CHECK(rewired);
  }
}

TEST_CASE("a structural edit with a content edit is structural and lists both") {
  std::string after = Edit(Edit(kBase, "wait 1d", "wait 12h"), "Last call for your cart", "Last call!");
  JourneyDiff d = Diff(kBase, after);
  CHECK(d.classification == ChangeClass::Structural);
  REQUIRE(d.changes.size() == 2);
  CHECK(d.changes[0].structural);
  CHECK_FALSE(d.changes[1].structural);
}

TEST_CASE("journeys with errors are not compared") {
  SourceManager sm;
  uint32_t a = sm.add("old.journey", kBase), b = sm.add("new.journey", Edit(kBase, "-> last_call", "-> nowhere"));
  JourneyDiff d;
  std::string errors;
  CHECK_FALSE(DiffJourneys(sm, a, b, d, errors));
  CHECK(errors.find("new.journey:14:") != std::string::npos);
}

// test_strings.cpp — the "did you mean" helpers: edit distance and the
// closest candidate.
#include <catch2/catch.hpp>

#include "support/strings.h"

using namespace journey;

TEST_CASE("edit distance counts a swap of neighbours as one edit and ignores case") {
  CHECK(EditDistance("send", "send") == 0);
  CHECK(EditDistance("sned", "send") == 1);    // swap
  CHECK(EditDistance("entri", "entry") == 1);  // substitution
  CHECK(EditDistance("jouney", "journey") == 1);  // deletion
  CHECK(EditDistance("goall", "goal") == 1);   // insertion
  CHECK(EditDistance("Send", "send") == 0);
  CHECK(EditDistance("abc", "cba") == 2);
  CHECK(EditDistance("", "wait") == 4);
  CHECK(EditDistance("segment", "") == 7);
}

TEST_CASE("the closest candidate is suggested only when it is a likely typo") {
  const std::vector<std::string> keywords = {"send", "segment", "split", "wait", "update", "exit"};
  CHECK(ClosestMatch("sned", keywords) == std::optional<std::string>("send"));
  CHECK(ClosestMatch("wiat", keywords) == std::optional<std::string>("wait"));
  CHECK(ClosestMatch("segmnet", keywords) == std::optional<std::string>("segment"));
  CHECK_FALSE(ClosestMatch("purchase", keywords).has_value());
  CHECK_FALSE(ClosestMatch("x", keywords).has_value());
}

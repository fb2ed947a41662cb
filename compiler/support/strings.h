// strings.h — small text helpers shared by the checker and the driver.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace journey {

// Edit distance (optimal string alignment: a swap of neighbours counts one
// edit; letter case ignored), for "did you mean" suggestions.
size_t EditDistance(const std::string& a, const std::string& b);
// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);
// "`a`, `b` and `c`" (or another conjunction: "`a`, `b` or `c`")
std::string JoinQuoted(const std::vector<std::string>& items, std::string_view conjunction = "and");

}  // namespace journey

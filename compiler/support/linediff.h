// linediff.h — line-based differences between two texts.
//
// `journeyc fmt --diff` prints them as a unified diff, and the language
// server turns them into small TextEdits so that formatting a file in an
// editor keeps the cursor and undo history of untouched lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace journey {

// Lines [oldBegin, oldEnd) of the old text become lines [newBegin, newEnd)
// of the new one (0-based line indexes).
struct LineChange {
  size_t oldBegin, oldEnd, newBegin, newEnd;
};

// Splits text into lines, each keeping its "\n" (the last may lack one).
std::vector<std::string_view> SplitLines(std::string_view text);

// The changed line ranges, in order (Myers' O(ND) algorithm).
std::vector<LineChange> DiffLines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b);

// A unified diff (3 lines of context) with `a/PATH` and `b/PATH` headers;
// empty when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after, const std::string& path);

}  // namespace journey

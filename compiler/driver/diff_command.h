// diff_command.h — `journeyc diff OLD NEW`: is an edit content-only or structural?
//
// Journeys run for weeks, so what an edit does to users already inside
// matters: a content-only edit (message text, provider settings) can be
// hot-patched into the live version; anything else is a new version that
// only new entrants get. The classification is the same one the version
// hashes make (ir::ComputeHashes), and each change is listed with where it is.
#pragma once

#include <string>
#include <vector>

#include "support/source.h"

namespace journey {

enum class ChangeClass { Identical, ContentOnly, Structural };

struct JourneyChange {
  bool structural = false;  // else content-only
  std::string what;         // "node remind", "goal purchased", "entry", ...
  std::string action;       // "added", "removed", "changed"
  std::string file;         // where to look: the new file, or the old one for removals
  uint32_t line = 0, column = 0;  // 0 when the IR keeps no location
  std::vector<std::string> before, after;  // the differing lines of the canonical dump
};

struct JourneyDiff {
  ChangeClass classification = ChangeClass::Identical;
  std::vector<JourneyChange> changes;
};

struct DiffOptions {
  std::string oldPath, newPath;
  std::string format = "text";  // text | json
  bool detailedExitCode = false;
  bool color = false;
};

// Compares two checked journeys given as source text (exposed for tests).
// Returns false, with the diagnostics rendered into `errors`, when either
// does not compile.
bool DiffJourneys(const SourceManager& sm, uint32_t oldId, uint32_t newId, JourneyDiff& out, std::string& errors,
                  bool color = false);

// Exit status: 0 done (with --detailed-exitcode: 0 identical, 2 content-only,
// 3 structural), 1 a journey has errors, 2 usage or unreadable file (only
// without --detailed-exitcode, where 2 means content-only; an unreadable file
// is then 1 like any error).
int RunDiff(const DiffOptions& opts);

}  // namespace journey

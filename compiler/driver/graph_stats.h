// graph_stats.h — `journeyc graph --stats`: a run's statistics drawn on the
// canvas, as the product shows its stats as an overlay on the journey.
//
// The statistics are the JSON journey-vm writes (`run --stats`, serve's
// `GET /v1/stats`, `state --stats`, docs/vm.md): one entry per journey
// version, nodes by name. ReadCanvasStats turns the entry of one journey into
// the figures ir::ToDot prints (ir::CanvasStats): a summary under the title,
// each node's users and messages, each path's users, goals met, time-outs,
// and the users who completed or are held at the end.
#pragma once

#include <string>
#include <string_view>

#include "ir/ir.h"

namespace journey {

struct CanvasStatsResult {
  ir::CanvasStats stats;
  // Set when the statistics are of another version than the file's (a
  // structural edit since the run): nodes are still matched by name.
  std::string warning;
};

// Reads the statistics `text` (from `path`, named in messages) for journey
// `journey` of structural version `versionHex`. Prefers that version's entry,
// else the last entry of the journey's name. False with `error` when the
// text is not such statistics or has no entry for the journey.
bool ReadCanvasStats(std::string_view text, const std::string& path, const std::string& journey, const std::string& versionHex,
                     CanvasStatsResult& out, std::string& error);

}  // namespace journey

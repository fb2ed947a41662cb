// graph.h — checks over the whole journey graph (after lowering).
#pragma once

#include "check/check.h"
#include "diag/diag.h"

namespace journey {

// Unreachable nodes, cycles without a wait, the goal limit, and sends timed
// by a preceding `wait until` that land in a DND window. Skips the checks
// that would only echo syntax errors when the journey is incomplete.
void RunGraphChecks(const CheckedJourney& j, DiagEngine& diags);

}  // namespace journey

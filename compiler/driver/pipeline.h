// pipeline.h — the compiler's phases chained: source → AST → IR → checks.
//
// Used by journeyc, the language server and the tests, so they all see the
// same diagnostics for the same text.
#pragma once

#include <optional>
#include <string>

#include "check/check.h"
#include "check/stdlib.h"
#include "diag/diag.h"
#include "support/source.h"

namespace journey {

// The stdlib, parsed once per process from the embedded sources.
const Stdlib& DefaultStdlib();

// Parses, checks and graph-checks file `fileId`. Returns the IR when the
// journey could be lowered (it may still carry errors: see diags).
std::optional<CheckedJourney> CompileSource(const SourceManager& sm, uint32_t fileId, DiagEngine& diags);

}  // namespace journey

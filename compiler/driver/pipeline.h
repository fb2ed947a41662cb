// pipeline.h — the compiler's phases chained: source → AST → IR → checks.
//
// Used by journeyc, the language server and the tests, so they all see the
// same diagnostics for the same text.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ast/ast.h"
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
// The same, also handing out the AST it checked: the language server keeps
// it for navigation, and parsing the text a second time for that doubled the
// cost of every re-check.
// `scratch`, when given, receives what the parser would otherwise free
// before returning (see Parse); dropping it later frees it.
std::optional<CheckedJourney> CompileSource(const SourceManager& sm, uint32_t fileId, DiagEngine& diags,
                                            ast::File& astOut, std::shared_ptr<void>* scratch = nullptr);

}  // namespace journey

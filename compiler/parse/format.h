// format.h — the canonical layout of .journey (and .jstd) files.
//
// `journeyc fmt` and the language server's formatting both call
// FormatJourney. The formatter lives in compiler/parse because it needs the
// token stream with comments (ANTLR's hidden channel); this header exposes
// only our own types. The layout has no options: the same program text
// always prints the same way, formatting twice changes nothing, and every
// comment is kept. See docs/editors.md for the rules.
#pragma once

#include <cstdint>
#include <string>

#include "diag/diag.h"
#include "support/source.h"

namespace journey {

struct FormatResult {
  enum Status : uint8_t {
    Ok,             // `text` is the formatted file
    SyntaxErrors,   // nothing formatted; the errors were reported to diags
    InternalError,  // a formatter bug was caught before any harm; `text` says what
  } status = Ok;
  std::string text;
};

// Formats file `fileId` of `sm`. Refuses files with syntax errors: a layout
// of a half-understood file could move text the user has not finished.
FormatResult FormatJourney(const SourceManager& sm, uint32_t fileId, DiagEngine& diags);

}  // namespace journey

// parse.h — source text → AST. The only public face of the parse layer.
//
// Behind this header sit the ANTLR-generated lexer and parser and the one
// hand-written builder that turns their parse tree into ast::File. No ANTLR
// type appears here, so the rest of the compiler (and the language server)
// never include ANTLR headers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.h"
#include "diag/diag.h"
#include "support/source.h"

namespace journey {

// Parses file `fileId` of `sm`, reporting every syntax error to `diags`
// (with recovery, so one run reports them all). Always returns an AST; parts
// that could not be parsed are left out and `hadSyntaxErrors` is set.
ast::File Parse(const SourceManager& sm, uint32_t fileId, DiagEngine& diags);
// The same; when `scratch` is given, the lexer's tokens and the parser's tree
// are handed to it instead of being freed before returning. Freeing them (a
// few hundred thousand small objects on a large file) is a sizeable part of
// a parse, and the language server would rather do it after it has published
// the diagnostics than before.
ast::File Parse(const SourceManager& sm, uint32_t fileId, DiagEngine& diags, std::shared_ptr<void>* scratch);

// Decoders for literal spellings, shared with the template parser.
// A duration longer than bc::kMaxDurationSeconds is refused and, when
// `tooLong` is given, sets it (the spelling itself is fine).
bool DecodeDuration(std::string_view text, int64_t& seconds, bool* tooLong = nullptr);
// A duration spelt out as words (`3 days`, `1 hour`, `30mins`: digits, maybe
// blanks, then a unit word such as sec, min, hr, day, week, any case) as the
// duration it means (`3d`, `1h`, `30m`); empty when it is not one. J0010
// reports such spellings and the builder reads them as this.
std::string SpelledOutDuration(std::string_view text);
bool DecodeTime(std::string_view text, int& minuteOfDay);
bool DecodeDate(std::string_view text, int64_t& daysSinceEpoch);
// Decodes a string token as written (quotes included): "..." with escapes,
// or """...""" taken verbatim. `offsets[i]` is the offset in `raw` of the
// character that produced out[i] (one extra entry marks the closing quote),
// so diagnostics inside a string point at the right column. Unknown escapes
// are listed as (offset, length) in `badEscapes` and make it return false.
bool DecodeStringLiteral(std::string_view raw, std::string& out, std::vector<uint32_t>* offsets = nullptr,
                         std::vector<std::pair<uint32_t, uint32_t>>* badEscapes = nullptr);
// The inverse: `text` as a "..." string token that decodes to it (`"` and
// `\` escaped, newlines and tabs as \n and \t, other control characters
// as \u{...}).
std::string QuoteStringLiteral(std::string_view text);

}  // namespace journey

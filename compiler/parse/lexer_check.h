// lexer_check.h — the differential check between the two Journey lexers.
//
// The compiler lexes with a hand-written scanner (parse/lexer.h); the
// grammar's own generated lexer remains the definition. Tests and the
// compiler fuzzer call this to make sure the two agree on any text. No
// ANTLR type appears here.
#pragma once

#include <string>

namespace journey::parse {

// Lexes `text` with both lexers and compares every token (type, channel,
// byte range, line, column). Returns "" when they agree, otherwise a
// description of the first difference.
std::string SameTokensAsAntlr(const std::string& text);

}  // namespace journey::parse

// lexer.h — internal to compiler/parse: the hand-written Journey lexer.
//
// The grammar's lexer rules (grammar/Journey.g4) stay the definition of the
// tokens, and ANTLR still generates a lexer from them; but its runtime
// simulates the lexer's automaton one symbol at a time behind a lock, and on
// a large file that was a third of a re-check in the language server. This
// token source produces the very same tokens (types, channels, byte offsets,
// lines and columns) by plain scanning, and feeds the generated parser
// through the ordinary TokenSource interface. The unit tests and the
// compiler fuzzer compare the two lexers token by token (SameTokensAsAntlr),
// so a grammar change that this file does not follow fails the tests.
//
// Never include this outside compiler/parse: it exposes ANTLR.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "antlr4-runtime.h"

namespace journey::parse {

// The token type of keyword `spelling` (a word the grammar writes in quotes,
// such as `send` or `not`), or 0 when it is no keyword.
size_t KeywordTokenType(std::string_view spelling);
// The token type of punctuation `spelling` (`==`, `->`, `{`), or 0.
size_t PunctuationTokenType(std::string_view spelling);

class JourneyTokenSource : public antlr4::TokenSource {
 public:
  // `input` holds the same bytes as `text` (one symbol per byte); tokens
  // point at it so that their getText() works as the generated lexer's do.
  JourneyTokenSource(const std::string& text, antlr4::CharStream* input) : text_(text), input_(input) {}

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return input_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  // Advances over `n` bytes, keeping the line and column up to date.
  void Advance(size_t n);
  // Where the first "*/" at or after `from` starts, or npos. Remembers
  // where the search last failed: text full of unclosed "/*" would
  // otherwise be searched to its end once per "/*" (quadratic).
  size_t BlockCommentEnd(size_t from);

  const std::string& text_;
  antlr4::CharStream* input_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t column_ = 0;
  size_t noCommentEndFrom_ = static_cast<size_t>(-1);  // no "*/" at or after this offset
};

}  // namespace journey::parse

// parse.cpp — drives the ANTLR lexer and parser and reports syntax errors.
//
// Parsing runs twice only when it must: first with SLL prediction and a
// bail-out strategy (fast, and enough for almost every valid file), then, on
// failure, with full LL prediction and error recovery so that every syntax
// error is reported in one run. Lexer-level mistakes (a number glued to
// letters, an unterminated string, a stray character) are lexed as tokens of
// their own and reported here with a precise message; the parser's generic
// complaint about the same token is suppressed.
#include "parse/parse.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "JourneyLexer.h"
#include "JourneyParser.h"
#include "antlr4-runtime.h"
#include "parse/builder.h"
#include "parse/lexer.h"
#include "parse/lexing.h"
#include "support/strings.h"
#include "support/utf8.h"

namespace journey {
namespace {

using antlr4::Token;

// How a token kind is named in "expected ..." lists.
std::string DisplayName(const antlr4::dfa::Vocabulary& vocab, size_t type) {
  if (type == Token::EOF) return "end of file";
  switch (type) {
    case JourneyLexer::IDENT: return "a name";
    case JourneyLexer::STRING: return "a string";
    case JourneyLexer::NUMBER: return "a number";
    case JourneyLexer::DURATION: return "a duration";
    case JourneyLexer::TIME: return "a time";
    case JourneyLexer::DATE: return "a date";
    case JourneyLexer::PERCENT: return "a percentage";
    default: break;
  }
  std::string lit = vocab.getLiteralName(type);
  if (lit.size() >= 2 && lit.front() == '\'') return "`" + lit.substr(1, lit.size() - 2) + "`";
  std::string sym = vocab.getSymbolicName(type);
  std::string lower;
  for (char c : sym) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "`" + lower + "`";
}

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(uint32_t fileId, DiagEngine& diags, const std::set<size_t>& reported)
      : fileId_(fileId), diags_(diags), reported_(reported) {}

  void syntaxError(antlr4::Recognizer* recognizer, Token* offending, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    ++count;
    Range r{fileId_, 0, 0};
    std::string found = "end of file";
    if (offending) {
      if (reported_.count(offending->getTokenIndex())) return;
      r.begin = static_cast<uint32_t>(offending->getStartIndex());
      r.end = offending->getType() == Token::EOF ? r.begin : static_cast<uint32_t>(offending->getStopIndex() + 1);
      if (offending->getType() != Token::EOF) found = "`" + offending->getText() + "`";
    }
    std::string expected;
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) {
      antlr4::misc::IntervalSet set = parser->getExpectedTokens();
      std::vector<std::string> names;
      for (size_t t : set.toList()) names.push_back(DisplayName(parser->getVocabulary(), t));
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      if (!names.empty() && names.size() <= 8) {
        expected = names.size() == 1 ? "; expected " + names[0] : "; expected one of ";
        if (names.size() > 1)
          for (size_t i = 0; i < names.size(); ++i) expected += (i ? ", " : "") + names[i];
      }
    }
    std::string text;
    if (msg.rfind("missing ", 0) == 0 && !expected.empty())
      text = "missing " + expected.substr(expected.find("expected ") + 9) + " before " + found;
    else
      text = "unexpected " + found + expected;
    diags_.emit(diag::SyntaxError, r, text);
  }

  size_t count = 0;

 private:
  uint32_t fileId_;
  DiagEngine& diags_;
  const std::set<size_t>& reported_;
};

// A stray character as J0004 names it, and help for the ones pasted from
// rich text. The lexer reads bytes, so a character outside ASCII comes as
// one UNKNOWN_CHAR token per byte: those of one well-formed UTF-8 sequence
// are reported together (`length` bytes) and named by what they look like
// and their code point; a byte that is not UTF-8 is named as a byte.
struct StrayCharacter {
  std::string name;
  std::string help;
  size_t length = 1;
  std::optional<std::string> replacement;  // what it stands for, when that is sure (a fix)
};
StrayCharacter DescribeStray(std::string_view rest) {
  StrayCharacter out;
  Utf8Char ch = DecodeUtf8(rest);
  if (ch.length == 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "byte 0x%02X (the file is not UTF-8 here)", static_cast<unsigned char>(rest[0]));
    out.name = buf;
    return out;
  }
  out.length = ch.length;
  char32_t c = ch.codePoint;
  bool visible = c > 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0xA0) && DisplayColumns(c) > 0 && c != 0x2028 && c != 0x2029;
  if (c < 0x80 && visible) out.name = "character `" + std::string(rest.substr(0, 1)) + "`";
  else if (visible) out.name = "character `" + std::string(rest.substr(0, ch.length)) + "` (" + CodePointName(c) + ")";
  else out.name = "invisible character " + CodePointName(c);
  switch (c) {
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
      out.help = "strings take straight double quotes: \"...\"";
      break;
    case 0x2018: case 0x2019: case 0x201A: case 0x0027:
      out.help = "strings take straight double quotes: \"...\" (single quotes are not strings)";
      break;
    case 0x00A0: case 0x2007: case 0x202F: case 0x200B: case 0xFEFF:
      out.help = "replace it with an ordinary space (it often comes with text pasted from a document)";
      out.replacement = c == 0x200B || c == 0xFEFF ? "" : " ";  // a zero-width one goes
      break;
    case 0x2013: case 0x2014: case 0x2212:
      out.help = "arrows and minus signs take the ASCII hyphen `-`";
      out.replacement = "-";
      break;
    default: break;
  }
  return out;
}

// Reports the error tokens the lexer produced on purpose; returns their indexes.
std::set<size_t> ReportLexicalErrors(antlr4::CommonTokenStream& tokens, const std::string& text, uint32_t fileId,
                                     DiagEngine& diags) {
  std::set<size_t> reported;
  const std::vector<Token*>& all = tokens.getTokens();
  for (size_t i = 0; i < all.size(); ++i) {
    Token* t = all[i];
    if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;  // inside a repaired string
    Range r{fileId, static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
    switch (t->getType()) {
      case JourneyLexer::BAD_NUMBER: diags.emit(diag::InvalidNumber, r, t->getText()); break;
      case JourneyLexer::UNTERMINATED_STRING: diags.emit(diag::UnterminatedString, r); break;
      case JourneyLexer::UNKNOWN_CHAR: {
        StrayCharacter stray = DescribeStray(std::string_view(text).substr(r.begin));
        // The sequence's other bytes are the tokens that follow, one each.
        for (size_t k = 1; k < stray.length && i + 1 < all.size() && all[i + 1]->getType() == JourneyLexer::UNKNOWN_CHAR; ++k)
          reported.insert(all[++i]->getTokenIndex());
        r.end = r.begin + static_cast<uint32_t>(stray.length);
        Diagnostic& d = diags.emit(diag::UnexpectedCharacter, r, stray.name);
        if (!stray.help.empty()) d.help.push_back(stray.help);
        if (stray.replacement) d.fixWith(r, *stray.replacement);
        break;
      }
      default: continue;
    }
    reported.insert(t->getTokenIndex());
  }
  return reported;
}

// ---------------------------------------------------------------- repairs
// The repairs below retype tokens in place (and hide the ones a repaired
// token now spans) before the parse; these are the pieces they share.

bool IsWord(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

// The next token after i on the parser's channel (EOF at the end).
size_t NextOnParserChannel(const std::vector<Token*>& all, size_t i) {
  while (++i < all.size())
    if (all[i]->getChannel() == Token::DEFAULT_CHANNEL) return i;
  return all.size() - 1;
}

// Takes a token off the parser's channel: the repaired token before it spans it.
void Hide(Token* t) {
  if (auto* w = dynamic_cast<antlr4::WritableToken*>(t)) w->setChannel(Token::HIDDEN_CHANNEL);
}

// Gives a token another type and makes it end at `stop` (a byte offset).
void Retype(Token* t, size_t type, size_t stop) {
  if (auto* c = dynamic_cast<antlr4::CommonToken*>(t)) {
    c->setType(type);
    c->setStopIndex(stop);
  }
}

Range TokensRange(uint32_t fileId, const Token* first, const Token* last) {
  return Range{fileId, static_cast<uint32_t>(first->getStartIndex()), static_cast<uint32_t>(last->getStopIndex() + 1)};
}

// The text of a string written in other quotes, in the language's double
// quotes: the double quotes it holds escaped, its escapes kept as written.
std::string DoubleQuoted(std::string_view content) {
  std::string out = "\"";
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\' && i + 1 < content.size()) {
      out += content.substr(i, 2);
      ++i;
    } else if (content[i] == '"') {
      out += "\\\"";
    } else {
      out += content[i];
    }
  }
  return out + "\"";
}

// ---------------------------------------------------------------- durations
// Durations written as words, as people say them: `3 days`, `wait 1 hour`
// (a NUMBER, blanks, a unit word) and `30mins` (one BAD_NUMBER token). Each
// is reported as J0010 and becomes one DURATION token, which the builder
// reads with SpelledOutDuration, so the rest of the file parses as meant;
// so does a unit word alone after `per` (`2 per day`: one day).
// A number followed by a word on its line is never valid Journey, except
// before a `:` (a message field named `h` after `count: 3` on one line), so
// those are left alone. Returns whether any was found.
bool RepairSpelledOutDurations(antlr4::CommonTokenStream& tokens, const std::string& text, uint32_t fileId, DiagEngine& diags) {
  bool found = false;
  const std::vector<Token*>& all = tokens.getTokens();
  for (size_t i = 0; i < all.size(); ++i) {
    Token* t = all[i];
    if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
    // `limit push 2 per day`: a unit word alone where `per` wants a duration.
    if (t->getType() == parse::KeywordTokenType("per")) {
      Token* unit = all[NextOnParserChannel(all, i)];
      if (!IsWord(unit->getText())) continue;
      std::string meant = SpelledOutDuration("1 " + unit->getText());
      if (meant.empty()) continue;
      diags.emit(diag::DurationWithSpace, TokensRange(fileId, unit, unit), unit->getText(), meant).fixWith(TokensRange(fileId, unit, unit), meant);
      Retype(unit, JourneyLexer::DURATION, unit->getStopIndex());
      found = true;
      continue;
    }
    if (t->getType() != JourneyLexer::NUMBER && t->getType() != JourneyLexer::BAD_NUMBER) continue;
    size_t word = all.size();
    if (t->getType() == JourneyLexer::NUMBER) {
      // Only blanks between the number and the word: not a line break or a comment.
      for (size_t k = i + 1; k < all.size(); ++k) {
        if (all[k]->getChannel() == Token::DEFAULT_CHANNEL) {
          if (IsWord(all[k]->getText())) word = k;
          break;
        }
        if (all[k]->getText().find_first_not_of(" \t") != std::string::npos) break;
      }
      if (word == all.size()) continue;
      if (all[NextOnParserChannel(all, word)]->getText() == ":") continue;
    }
    Token* last = word < all.size() ? all[word] : t;
    std::string spelt = text.substr(t->getStartIndex(), last->getStopIndex() + 1 - t->getStartIndex());
    std::string meant = SpelledOutDuration(spelt);
    if (meant.empty()) continue;
    diags.emit(diag::DurationWithSpace, TokensRange(fileId, t, last), spelt, meant).fixWith(TokensRange(fileId, t, last), meant);
    Retype(t, JourneyLexer::DURATION, last->getStopIndex());
    if (word < all.size()) Hide(all[word]);
    found = true;
  }
  return found;
}

// ---------------------------------------------------------------- other languages' spellings
// Strings in single or curly quotes and the operators `=`, `&&` and `||`
// are what people bring from other languages and documents. Each is
// reported once (J0004 for the quote, J0011 for the operator) and taken as
// what it stands for, so that a quoted title does not also read as an
// undefined name, and `tier = "gold"` does not stop the parse. Returns
// whether any was found.
bool RepairForeignSpellings(antlr4::CommonTokenStream& tokens, const std::string& text, uint32_t fileId, DiagEngine& diags) {
  bool found = false;
  const std::vector<Token*>& all = tokens.getTokens();
  auto isStray = [&](size_t i, char byte) {
    return i < all.size() && all[i]->getType() == JourneyLexer::UNKNOWN_CHAR && all[i]->getChannel() == Token::DEFAULT_CHANNEL &&
           text[all[i]->getStartIndex()] == byte;
  };
  for (size_t i = 0; i < all.size(); ++i) {
    Token* t = all[i];
    if (t->getType() != JourneyLexer::UNKNOWN_CHAR || t->getChannel() != Token::DEFAULT_CHANNEL) continue;
    size_t start = t->getStartIndex();
    Utf8Char ch = DecodeUtf8(std::string_view(text).substr(start));
    // A quoted string: the closing quote on the same line.
    std::string_view closer;
    switch (ch.codePoint) {
      case U'\'': closer = "'"; break;
      case U'\u2018': closer = "\u2019"; break;  // ' '
      case U'\u201C': case U'\u201E': closer = "\u201D"; break;  // " " and the low one
      default: break;
    }
    if (ch.length && !closer.empty()) {
      size_t lineEnd = text.find('\n', start);
      size_t close = text.find(closer, start + ch.length);
      if (close != std::string::npos && (lineEnd == std::string::npos || close < lineEnd)) {
        size_t stop = close + closer.size() - 1;
        StrayCharacter stray = DescribeStray(std::string_view(text).substr(start));
        Diagnostic& d = diags.emit(diag::UnexpectedCharacter, Range{fileId, static_cast<uint32_t>(start), static_cast<uint32_t>(start + ch.length)}, stray.name);
        if (!stray.help.empty()) d.help.push_back(stray.help);
        d.fixWith(Range{fileId, static_cast<uint32_t>(start), static_cast<uint32_t>(stop + 1)},
                  DoubleQuoted(std::string_view(text).substr(start + ch.length, close - start - ch.length)));
        Retype(t, JourneyLexer::STRING, stop);
        for (size_t k = i + 1; k < all.size() && all[k]->getStartIndex() <= stop; ++k) Hide(all[k]);
        found = true;
        continue;
      }
    }
    // Operators. `=` sets in a profile update (`set profile.x = 1`: `to`)
    // and compares anywhere else.
    char byte = text[start];
    std::string meant;
    size_t extra = SIZE_MAX;  // the second token of `&&` or `||`
    if (byte == '=') {
      meant = "==";
      for (size_t k = i; k-- > 0;) {
        Token* back = all[k];
        if (back->getChannel() != Token::DEFAULT_CHANNEL) {
          if (back->getText().find('\n') != std::string::npos) break;
          continue;
        }
        if (back->getType() == JourneyLexer::SET) meant = "to";
        if (back->getType() == JourneyLexer::SET || back->getText() == "{" || back->getText() == "(" ||
            back->getType() == parse::KeywordTokenType("where") || back->getType() == parse::KeywordTokenType("segment"))
          break;
      }
    } else if ((byte == '&' || byte == '|') && isStray(i + 1, byte) && all[i + 1]->getStartIndex() == start + 1) {
      meant = byte == '&' ? "and" : "or";
      extra = i + 1;
    } else {
      continue;
    }
    size_t type = meant == "==" ? parse::PunctuationTokenType(meant) : parse::KeywordTokenType(meant);
    if (!type) continue;
    Token* last = extra == SIZE_MAX ? t : all[extra];
    diags.emit(diag::ForeignOperator, TokensRange(fileId, t, last), text.substr(start, last->getStopIndex() + 1 - start), meant)
        .fixWith(TokensRange(fileId, t, last), meant);
    Retype(t, type, last->getStopIndex());
    if (extra != SIZE_MAX) Hide(all[extra]);
    found = true;
  }
  return found;
}

// Words people write where the language has another word: `entry on event
// "X"` or `entry when "X"` (did), `method is "google"` (==), `is not` (!=),
// `but not` (and not), `did not "X"` (not did "X"). Each is reported once
// (J0012, J0011) and taken as what it stands for. Only in these exact
// shapes, so names that happen to be `is` or `but` elsewhere are left alone.
bool RepairForeignPhrases(antlr4::CommonTokenStream& tokens, uint32_t fileId, DiagEngine& diags) {
  bool found = false;
  const std::vector<Token*>& all = tokens.getTokens();
  auto next = [&](size_t i) { return NextOnParserChannel(all, i); };
  auto previous = [&](size_t i) {
    while (i-- > 0)
      if (all[i]->getChannel() == Token::DEFAULT_CHANNEL) return i;
    return all.size();
  };
  auto type = [&](size_t i) { return i < all.size() ? all[i]->getType() : Token::EOF; };
  auto text = [&](size_t i) { return i < all.size() ? all[i]->getText() : std::string(); };
  auto retype = [&](size_t i, size_t to, size_t stop) { Retype(all[i], to, stop); };
  auto hide = [&](size_t i) { Hide(all[i]); };
  auto range = [&](size_t from, size_t to) { return TokensRange(fileId, all[from], all[to]); };
  const size_t entryType = parse::KeywordTokenType("entry");
  const std::set<std::string> fillers = {"on", "event", "when", "upon", "trigger", "triggered", "by"};
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    if (all[i]->getChannel() != Token::DEFAULT_CHANNEL) continue;
    size_t t = type(i);
    if (t == entryType) {
      std::vector<size_t> words;
      size_t k = next(i);
      while (words.size() < 3 && fillers.count(text(k))) {
        words.push_back(k);
        k = next(k);
      }
      if (words.empty() || (type(k) != JourneyLexer::DID && type(k) != JourneyLexer::STRING)) continue;
      std::string written;
      for (size_t w : words) written += (written.empty() ? "" : " ") + text(w);
      Diagnostic& d = diags.emit(diag::EntryWords, range(words.front(), words.back()), written);
      // Before `did` the words go; before the event's name the last one
      // stands for `did`.
      bool lastIsDid = type(k) == JourneyLexer::STRING;
      if (lastIsDid) d.fixWith(range(words.front(), words.back()), "did");
      else d.fixWith(Range{fileId, static_cast<uint32_t>(all[words.front()]->getStartIndex()), static_cast<uint32_t>(all[k]->getStartIndex())}, "");
      for (size_t w = 0; w < words.size(); ++w)
        if (lastIsDid && w + 1 == words.size()) retype(words[w], JourneyLexer::DID, all[words[w]]->getStopIndex());
        else hide(words[w]);
      found = true;
    } else if (t == JourneyLexer::IDENT && text(i) == "is") {
      size_t before = previous(i), after = next(i);
      bool operand = type(before) == JourneyLexer::IDENT || text(before) == ")" || text(before) == "]";
      if (!operand) continue;
      if (type(after) == JourneyLexer::NOT) {
        diags.emit(diag::ForeignOperator, range(i, after), "is not", "!=").fixWith(range(i, after), "!=");
        retype(i, parse::PunctuationTokenType("!="), all[after]->getStopIndex());
        hide(after);
      } else if (type(after) == JourneyLexer::STRING || type(after) == JourneyLexer::NUMBER || type(after) == JourneyLexer::TRUE ||
                 type(after) == JourneyLexer::FALSE) {
        diags.emit(diag::ForeignOperator, range(i, i), "is", "==").fixWith(range(i, i), "==");
        retype(i, parse::PunctuationTokenType("=="), all[i]->getStopIndex());
      } else {
        continue;
      }
      found = true;
    } else if (t == JourneyLexer::IDENT && text(i) == "but" && (type(next(i)) == JourneyLexer::NOT || type(next(i)) == JourneyLexer::DID)) {
      diags.emit(diag::ForeignOperator, range(i, i), "but", "and").fixWith(range(i, i), "and");
      retype(i, JourneyLexer::AND, all[i]->getStopIndex());
      found = true;
    } else if (t == JourneyLexer::DID && type(next(i)) == JourneyLexer::NOT) {
      size_t n = next(i);
      diags.emit(diag::ForeignOperator, range(i, n), "did not", "not did").fixWith(range(i, n), "not did");
      retype(i, JourneyLexer::NOT, all[i]->getStopIndex());
      retype(n, JourneyLexer::DID, all[n]->getStopIndex());
      found = true;
    }
  }
  return found;
}

// ---------------------------------------------------------------- typos
// Where a parse fails at a name that is a near miss of a keyword that starts
// a declaration, a journey item or a step (`sned push {`, `entri did ...`),
// the name is re-typed as that keyword and the parse tried again; the repair
// is kept when the parse then gets further, and reported as J0008 instead
// of the cascade of syntax errors the typo would cause.
struct Repair {
  size_t token;         // index of the re-typed token
  size_t originalType;  // its type as lexed (IDENT)
  size_t failedAt;      // where the parse failed before this repair
  std::string spelling, keyword;
};

constexpr size_t kMaxRepairs = 16;

// Keywords that start a declaration, a journey item, a node or a step.
const std::vector<std::string> kStatementKeywords = {
    "journey", "event", "profile", "channel", "function", "filter",                          // declarations
    "description", "timezone", "entry", "reentry", "timeout", "goal", "dnd", "limit", "start",  // journey items
    "node", "flow", "wait", "segment", "send", "split", "update", "exit",                     // nodes and steps
};

// A repair at the failing token or the name just before it, if either is a
// near miss of a statement keyword.
std::optional<Repair> MisspeltKeywordAt(antlr4::CommonTokenStream& tokens, size_t failedAt) {
  // The failing token itself, then the closest token before it on the
  // default channel (comments in between do not count).
  std::vector<size_t> candidates{failedAt};
  for (size_t i = failedAt; i-- > 0;) {
    if (tokens.get(i)->getChannel() != Token::DEFAULT_CHANNEL) continue;
    candidates.push_back(i);
    break;
  }
  for (size_t index : candidates) {
    Token* t = tokens.get(index);
    if (t->getType() != JourneyLexer::IDENT) continue;
    std::string text = t->getText();
    std::optional<std::string> close = ClosestMatch(text, kStatementKeywords);
    auto* writable = dynamic_cast<antlr4::WritableToken*>(t);
    size_t keywordType = close ? parse::KeywordTokenType(*close) : 0;
    if (!keywordType || !writable) continue;
    Repair r{index, t->getType(), failedAt, text, *close};
    writable->setType(keywordType);
    return r;
  }
  return std::nullopt;
}

void Undo(antlr4::CommonTokenStream& tokens, const Repair& r) {
  if (auto* writable = dynamic_cast<antlr4::WritableToken*>(tokens.get(r.token))) writable->setType(r.originalType);
}

// Everything ANTLR allocates for one parse, in construction order (each
// member points at the one before it, so they are destroyed in reverse).
struct AntlrState {
  explicit AntlrState(const std::string& source)
      : text(parse::LexedText(source)), input(text), lexer(text, &input), tokens(&lexer), parser(&tokens) {}
  std::string text;
  parse::ByteInputStream input;
  parse::JourneyTokenSource lexer;
  antlr4::CommonTokenStream tokens;
  JourneyParser parser;
};

}  // namespace

ast::File Parse(const SourceManager& sm, uint32_t fileId, DiagEngine& diags) {
  return Parse(sm, fileId, diags, nullptr);
}

ast::File Parse(const SourceManager& sm, uint32_t fileId, DiagEngine& diags, std::shared_ptr<void>* scratch) {
  const std::string& text = sm.file(fileId).text();
  auto state = std::make_shared<AntlrState>(text);
  antlr4::CommonTokenStream& tokens = state->tokens;
  JourneyParser& parser = state->parser;
  tokens.fill();
  // Strings in the wrong quotes first: what they quote is text, not tokens
  // for the other repairs.
  bool spellingsRepaired = RepairForeignSpellings(tokens, text, fileId, diags);
  bool durationsRepaired = RepairSpelledOutDurations(tokens, text, fileId, diags);
  spellingsRepaired = RepairForeignPhrases(tokens, fileId, diags) || spellingsRepaired;
  std::set<size_t> lexErrors = ReportLexicalErrors(tokens, text, fileId, diags);

  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  JourneyParser::FileContext* tree = nullptr;
  bool syntaxErrors = !lexErrors.empty() || durationsRepaired || spellingsRepaired;
  // The fast parse, then as many misspelt-keyword repairs as move it on.
  std::vector<Repair> repairs;
  for (;;) {
    try {
      tree = parser.file();
      break;
    } catch (antlr4::ParseCancellationException&) {
      tree = nullptr;
      size_t failedAt = parser.getCurrentToken()->getTokenIndex();
      if (!repairs.empty() && failedAt <= repairs.back().failedAt) {
        Undo(tokens, repairs.back());  // the last repair did not get the parse further
        repairs.pop_back();
        break;
      }
      std::optional<Repair> repair = repairs.size() < kMaxRepairs ? MisspeltKeywordAt(tokens, failedAt) : std::nullopt;
      if (!repair) break;
      repairs.push_back(*repair);
      tokens.seek(0);
      parser.reset();
    }
  }
  for (const Repair& r : repairs) {
    Token* t = tokens.get(r.token);
    Range at{fileId, static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
    diags.emit(diag::MisspeltKeyword, at, r.spelling, r.keyword).fixWith(at, r.keyword);
    syntaxErrors = true;
  }
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    SyntaxErrorListener listener(fileId, diags, lexErrors);
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    tree = parser.file();
    parser.removeErrorListeners();
    syntaxErrors = true;
  }
  parse::BuildCtx ctx{fileId, diags, text};
  ast::File file = parse::BuildFile(ctx, tree);
  file.hadSyntaxErrors = syntaxErrors;
  if (scratch) *scratch = std::move(state);
  return file;
}

}  // namespace journey

// lexer.cpp — the hand-written Journey lexer (see lexer.h for why).
//
// ANTLR's lexing rule is the longest match, ties going to the rule written
// first; the literal tokens of the parser rules (keywords and punctuation)
// come before every named rule. Each branch below states which rules can
// start with the current byte and how the longest of them is found. Keyword
// and punctuation spellings are read from the generated vocabulary, so they
// cannot drift from the grammar.
#include "parse/lexer.h"

#include <array>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "JourneyLexer.h"
#include "parse/lexer_check.h"
#include "parse/lexing.h"

namespace journey::parse {
namespace {

using antlr4::Token;

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsWordStart(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsWordPart(unsigned char c) { return IsWordStart(c) || IsDigit(c); }

// The literal tokens of the grammar, split into words and punctuation.
struct LiteralTable {
  std::unordered_map<std::string_view, size_t> keywords;
  std::array<size_t, 256> single{};                       // one-byte punctuation; 0 = none
  std::unordered_map<uint16_t, size_t> pairs;             // two-byte punctuation, keyed by both bytes
  std::vector<std::string> spellings;                     // owns the keys above

  LiteralTable() {
    antlr4::ANTLRInputStream empty("");
    JourneyLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
    spellings.reserve(vocab.getMaxTokenType() + 1);
    for (size_t type = 1; type <= vocab.getMaxTokenType(); ++type) {
      std::string lit = vocab.getLiteralName(type);
      if (lit.size() < 3 || lit.front() != '\'') continue;
      spellings.push_back(lit.substr(1, lit.size() - 2));
      const std::string& s = spellings.back();
      if (IsWordStart(static_cast<unsigned char>(s[0]))) {
        keywords.emplace(s, type);
      } else if (s.size() == 1) {
        single[static_cast<unsigned char>(s[0])] = type;
      } else if (s.size() == 2) {
        pairs.emplace(static_cast<uint16_t>(static_cast<unsigned char>(s[0]) << 8 | static_cast<unsigned char>(s[1])), type);
      } else {
        // The scanner below only knows punctuation of one or two bytes.
        throw std::logic_error("lexer: punctuation longer than two bytes: " + s);
      }
    }
  }
};

const LiteralTable& Literals() {
  static const LiteralTable table;
  return table;
}

// Length of the longest DURATION, (DIGIT+ [smhdw])+, at `p`; 0 when none.
size_t DurationLength(std::string_view s, size_t p) {
  size_t matched = 0, i = p;
  for (;;) {
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == i || j >= s.size()) break;
    char u = s[j];
    if (u != 's' && u != 'm' && u != 'h' && u != 'd' && u != 'w') break;
    i = j + 1;
    matched = i - p;
  }
  return matched;
}

// The token starting at a digit: DATE, TIME, DURATION, PERCENT, NUMBER or
// BAD_NUMBER, whichever is longest (earlier rule on a tie).
std::pair<size_t, size_t> ScanNumeric(std::string_view s, size_t p) {
  auto digitAt = [&](size_t i) { return i < s.size() && IsDigit(s[i]); };
  auto byteAt = [&](size_t i) { return i < s.size() ? s[i] : '\0'; };
  size_t bestType = JourneyLexer::NUMBER, best = 0;
  auto consider = [&](size_t type, size_t len) {
    if (len > best) best = len, bestType = type;
  };
  // DATE: DDDD-DD-DD.
  if (digitAt(p) && digitAt(p + 1) && digitAt(p + 2) && digitAt(p + 3) && byteAt(p + 4) == '-' && digitAt(p + 5) &&
      digitAt(p + 6) && byteAt(p + 7) == '-' && digitAt(p + 8) && digitAt(p + 9))
    consider(JourneyLexer::DATE, 10);
  // TIME: DD:DD.
  if (digitAt(p) && digitAt(p + 1) && byteAt(p + 2) == ':' && digitAt(p + 3) && digitAt(p + 4))
    consider(JourneyLexer::TIME, 5);
  consider(JourneyLexer::DURATION, DurationLength(s, p));
  // NUMBER: DIGIT+ ('.' DIGIT+)? — the common prefix of the last three rules.
  size_t i = p;
  while (digitAt(i)) ++i;
  if (byteAt(i) == '.' && digitAt(i + 1)) {
    i += 1;
    while (digitAt(i)) ++i;
  }
  size_t number = i - p;
  if (byteAt(i) == '%') consider(JourneyLexer::PERCENT, number + 1);
  consider(JourneyLexer::NUMBER, number);
  if (i < s.size() && IsWordStart(s[i])) {
    size_t j = i + 1;
    while (j < s.size() && IsWordPart(s[j])) ++j;
    consider(JourneyLexer::BAD_NUMBER, j - p);
  }
  return {bestType, best};
}

// The token starting at '"': TRIPLE_STRING when a closing """ follows,
// otherwise STRING when the quote closes before the line ends, otherwise
// UNTERMINATED_STRING. A backslash takes the next byte with it, a line end
// included; a backslash at the end of the input ends the unterminated
// string before it (the rule needs a byte after it).
std::pair<size_t, size_t> ScanString(std::string_view s, size_t p) {
  if (s.compare(p, 3, R"(""")") == 0) {
    size_t close = s.find(R"(""")", p + 3);
    if (close != std::string_view::npos) return {JourneyLexer::TRIPLE_STRING, close + 3 - p};
  }
  size_t i = p + 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') return {JourneyLexer::STRING, i + 1 - p};
    if (c == '\\') {
      if (i + 1 >= s.size()) break;
      i += 2;
      continue;
    }
    if (c == '\r' || c == '\n') break;
    ++i;
  }
  return {JourneyLexer::UNTERMINATED_STRING, i - p};
}

}  // namespace

size_t JourneyTokenSource::BlockCommentEnd(size_t from) {
  if (from >= noCommentEndFrom_) return std::string_view::npos;
  size_t end = std::string_view(text_).find("*/", from);
  if (end == std::string_view::npos) noCommentEndFrom_ = from;
  return end;
}

size_t KeywordTokenType(std::string_view spelling) {
  const auto& keywords = Literals().keywords;
  auto it = keywords.find(spelling);
  return it == keywords.end() ? 0 : it->second;
}

size_t PunctuationTokenType(std::string_view spelling) {
  const LiteralTable& lits = Literals();
  if (spelling.size() == 1) return lits.single[static_cast<unsigned char>(spelling[0])];
  if (spelling.size() != 2) return 0;
  auto it = lits.pairs.find(static_cast<uint16_t>(static_cast<unsigned char>(spelling[0]) << 8 | static_cast<unsigned char>(spelling[1])));
  return it == lits.pairs.end() ? 0 : it->second;
}

void JourneyTokenSource::Advance(size_t n) {
  for (size_t end = pos_ + n; pos_ < end; ++pos_) {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

std::unique_ptr<Token> JourneyTokenSource::nextToken() {
  const LiteralTable& lits = Literals();
  std::string_view s = text_;
  size_t type = 0, length = 0, channel = Token::DEFAULT_CHANNEL;
  // WS is skipped: it never becomes a token.
  size_t ws = pos_;
  while (ws < s.size() && (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\r' || s[ws] == '\n')) ++ws;
  Advance(ws - pos_);
  size_t start = pos_, line = line_, column = column_;
  if (pos_ >= s.size()) {
    // The generated lexer's EOF token: empty, stop one before start.
    return antlr4::CommonTokenFactory::DEFAULT->create({this, input_}, Token::EOF, "<EOF>", Token::DEFAULT_CHANNEL,
                                                       start, start - 1, line, column);
  }
  unsigned char c = static_cast<unsigned char>(s[pos_]);
  if (IsWordStart(c)) {
    // A keyword and IDENT tie on the whole word; the keyword comes first.
    size_t end = pos_ + 1;
    while (end < s.size() && IsWordPart(s[end])) ++end;
    length = end - pos_;
    auto it = lits.keywords.find(s.substr(pos_, length));
    type = it != lits.keywords.end() ? it->second : static_cast<size_t>(JourneyLexer::IDENT);
  } else if (IsDigit(c)) {
    std::tie(type, length) = ScanNumeric(s, pos_);
  } else if (c == '"') {
    std::tie(type, length) = ScanString(s, pos_);
  } else if (c == '/' && pos_ + 1 < s.size() && s[pos_ + 1] == '/') {
    size_t end = s.find_first_of("\r\n", pos_);
    length = (end == std::string_view::npos ? s.size() : end) - pos_;
    type = JourneyLexer::LINE_COMMENT;
    channel = Token::HIDDEN_CHANNEL;
  } else if (c == '/' && pos_ + 1 < s.size() && s[pos_ + 1] == '*' && BlockCommentEnd(pos_ + 2) != std::string_view::npos) {
    length = BlockCommentEnd(pos_ + 2) + 2 - pos_;
    type = JourneyLexer::BLOCK_COMMENT;
    channel = Token::HIDDEN_CHANNEL;
  } else {
    if (pos_ + 1 < s.size()) {
      auto it = lits.pairs.find(static_cast<uint16_t>(c << 8 | static_cast<unsigned char>(s[pos_ + 1])));
      if (it != lits.pairs.end()) type = it->second, length = 2;
    }
    if (length == 0 && lits.single[c] != 0) type = lits.single[c], length = 1;
    // Anything else, a byte of a multi-byte character included.
    if (length == 0) type = JourneyLexer::UNKNOWN_CHAR, length = 1;
  }
  Advance(length);
  return antlr4::CommonTokenFactory::DEFAULT->create({this, input_}, type, "", channel, start, start + length - 1, line,
                                                     column);
}

// ---------------------------------------------------------------- checking

namespace {

struct TokenRecord {
  size_t type, channel, start, stop, line, column;
  bool operator==(const TokenRecord& o) const {
    return type == o.type && channel == o.channel && start == o.start && stop == o.stop && line == o.line &&
           column == o.column;
  }
};

std::vector<TokenRecord> Records(antlr4::TokenSource& source) {
  std::vector<TokenRecord> out;
  for (;;) {
    std::unique_ptr<Token> t = source.nextToken();
    out.push_back({t->getType(), t->getChannel(), t->getStartIndex(), t->getStopIndex(), t->getLine(),
                   t->getCharPositionInLine()});
    if (t->getType() == Token::EOF) return out;
  }
}

std::string Describe(const TokenRecord& r, std::string_view text) {
  std::string spelling = r.type == Token::EOF ? "<EOF>" : std::string(text.substr(r.start, r.stop + 1 - r.start));
  return "type " + std::to_string(r.type) + " channel " + std::to_string(r.channel) + " bytes " +
         std::to_string(r.start) + ".." + std::to_string(r.stop) + " at " + std::to_string(r.line) + ":" +
         std::to_string(r.column) + " `" + spelling + "`";
}

}  // namespace

std::string SameTokensAsAntlr(const std::string& text) {
  ByteInputStream generatedInput(text);
  JourneyLexer generated(&generatedInput);
  generated.removeErrorListeners();
  ByteInputStream handInput(text);
  JourneyTokenSource hand(text, &handInput);
  std::vector<TokenRecord> want = Records(generated), got = Records(hand);
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    if (i < want.size() && i < got.size() && want[i] == got[i]) continue;
    return "token " + std::to_string(i) + ": generated lexer " +
           (i < want.size() ? Describe(want[i], text) : std::string("nothing")) + ", hand-written lexer " +
           (i < got.size() ? Describe(got[i], text) : std::string("nothing"));
  }
  return "";
}

}  // namespace journey::parse

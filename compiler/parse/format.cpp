// format.cpp — `journeyc fmt`: the canonical layout, printed from the parse tree.
//
// The walk visits every token of the parse tree in order and decides only
// the white space before it; token text is copied from the source byte for
// byte, so formatting cannot change what a file means. The one exception is
// optional commas (after a field, or before a closing bracket), which are
// dropped. Comments live on ANTLR's hidden channel: before each token the
// comments in front of it are flushed, a comment that followed code on the
// same line stays there, and a comment on its own line gets its own line at
// the indentation of what follows. Afterwards the output is lexed again and
// its tokens and comments compared with the input's, so a formatter bug is
// reported instead of ever corrupting a file.
//
// The layout (docs/editors.md lists it for users):
//   - two spaces per level; one statement, field or step per line; blocks
//     (`event`, `profile`, `journey`, `flow`, `send {}`, `update {}`) open at
//     the end of a line and close on their own line;
//   - one blank line between top-level declarations; elsewhere a blank line
//     the author left between statements is kept (several become one);
//   - a line break the author put before a node's `window`, `->` or `on`,
//     after a comma between connectors, before `and`/`or` or before
//     `schedule` is kept as a continuation line one level deeper; all other
//     breaks inside a statement are removed;
//   - a map or list whose first entry the author put on a new line is
//     printed one entry per line; otherwise on one line as `{ a: 1, b: 2 }`;
//   - single spaces between tokens, none inside `()`/`[]`, before `,` `:`
//     `.` `..`, after `.` `..`, or between a call's name and `(`;
//   - trailing `//` comments on consecutive lines of the same indentation
//     are aligned two spaces after the longest line.
#include "parse/format.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include "JourneyLexer.h"
#include "JourneyParser.h"
#include "antlr4-runtime.h"
#include "parse/lexing.h"
#include "parse/lexer.h"
#include "parse/parse.h"

namespace journey {
namespace {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using JP = JourneyParser;

// What goes before a token.
enum class SepKind : uint8_t {
  None,   // nothing
  Space,  // one space
  Soft,   // one space, or a continuation line if the author broke the line here
  Line,   // a new line at `depth` (a blank one first if the author left one and blankOk)
  Blank,  // a new line after a blank line (between top-level declarations)
};

struct Sep {
  SepKind kind = SepKind::Space;
  int depth = 0;
  bool blankOk = false;  // Line: keep an author's blank line before this
  bool closing = false;  // Line: this closes a block (comments before it stay inside)
};

constexpr Sep kNone{SepKind::None};
constexpr Sep kSpace{SepKind::Space};
constexpr Sep kSoft{SepKind::Soft};

bool IsComment(const Token* t) {
  return t->getType() == JourneyLexer::LINE_COMMENT || t->getType() == JourneyLexer::BLOCK_COMMENT;
}

Token* FirstToken(ParseTree* t) {
  if (auto* term = dynamic_cast<TerminalNode*>(t)) return term->getSymbol();
  return static_cast<ParserRuleContext*>(t)->getStart();
}
Token* LastToken(ParseTree* t) {
  if (auto* term = dynamic_cast<TerminalNode*>(t)) return term->getSymbol();
  return static_cast<ParserRuleContext*>(t)->getStop();
}

// Display width of UTF-8 text: code points, which is what aligning comments needs.
size_t Width(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

class Layout {
 public:
  Layout(const std::string& src, std::vector<Token*> tokens) : src_(src), tokens_(std::move(tokens)) {}

  void Walk(ParseTree* t, Sep first);
  std::string Finish();

  std::set<size_t> dropped;  // token indexes left out on purpose (optional commas)
  bool lostToken = false;    // a token was neither printed nor dropped: a formatter bug

 private:
  std::string_view Text(const Token* t) const {
    return std::string_view(src_).substr(t->getStartIndex(), t->getStopIndex() + 1 - t->getStartIndex());
  }
  std::string_view FirstText(ParseTree* t) const { return Text(FirstToken(t)); }
  std::string_view LastText(ParseTree* t) const { return Text(LastToken(t)); }
  int Newlines(size_t from, size_t to) const {
    if (to <= from) return 0;
    return static_cast<int>(std::count(src_.begin() + static_cast<long>(from), src_.begin() + static_cast<long>(to), '\n'));
  }
  bool IsTerm(ParseTree* t, std::string_view text) const {
    auto* term = dynamic_cast<TerminalNode*>(t);
    return term && Text(term->getSymbol()) == text;
  }

  Sep Between(ParseTree* prev, ParseTree* cur) const;
  void Generic(ParserRuleContext* c, Sep first);
  void Block(ParserRuleContext* c, Sep first);
  void Bracketed(ParserRuleContext* c, Sep first, std::string_view open, std::string_view close);
  void Tail(ParserRuleContext* c, Sep first);
  void Emit(Token* t, Sep sep);
  bool FlushComments(size_t upTo, Sep sep);
  void NewLine(int depth, bool blank);
  void Put(std::string_view text);
  void Space() {
    if (!out_.empty()) out_ += ' ';
  }
  void Align();

  const std::string& src_;
  const std::vector<Token*> tokens_;
  std::string out_;
  int depth_ = 0;       // depth of the statements being printed
  int lineDepth_ = 0;   // depth of the current output line
  int line_ = 0;        // output line number (0-based)
  size_t next_ = 0;     // next token index not yet printed or skipped
  size_t lastEnd_ = 0;  // source offset after the last printed token or comment
  size_t tokEnd_ = 0;   // source offset after the last printed token
  bool mustBreak_ = false;      // a line comment ended the current line
  bool afterInline_ = false;    // a /* */ comment sits right before the next token
  struct Trailing {
    int line;
    size_t column;  // byte column where the comment's two spaces start
  };
  std::vector<Trailing> trailing_;
};

// Spacing between two neighbours inside a statement.
Sep Layout::Between(ParseTree* prev, ParseTree* cur) const {
  static const std::set<std::string_view> tightBefore = {",", ":", ")", "]", ".", ".."};
  static const std::set<std::string_view> tightAfter = {"(", "[", ".", ".."};
  if (tightBefore.count(FirstText(cur)) || tightAfter.count(LastText(prev))) return kNone;
  return kSpace;
}

void Layout::Walk(ParseTree* t, Sep first) {
  if (auto* term = dynamic_cast<TerminalNode*>(t)) {
    Emit(term->getSymbol(), first);
    return;
  }
  auto* c = dynamic_cast<ParserRuleContext*>(t);
  if (!c) return;
  switch (c->getRuleIndex()) {
    case JP::RuleFile: {
      // A blank line between declarations, except that one-line function
      // and filter declarations (stdlib) may stand in groups.
      ParseTree* prev = nullptr;
      auto oneLine = [](ParseTree* d) {
        auto* decl = dynamic_cast<JP::DeclarationContext*>(d);
        return decl && decl->functionDecl();
      };
      for (ParseTree* child : c->children) {
        if (dynamic_cast<TerminalNode*>(child)) {  // EOF: flush the comments at the end
          Emit(FirstToken(child), Sep{SepKind::Line, 0, true});
          continue;
        }
        bool group = prev && oneLine(prev) && oneLine(child);
        Walk(child, prev && !group ? Sep{SepKind::Blank, 0} : Sep{SepKind::Line, 0, true});
        prev = child;
      }
      return;
    }
    case JP::RuleEventDecl:
    case JP::RuleProfileDecl:
    case JP::RuleChannelDecl:
    case JP::RuleJourneyDecl:
    case JP::RuleContentBlock:
      Block(c, first);
      return;
    case JP::RuleJourneyItem:
      if (dynamic_cast<JP::FlowItemContext*>(c)) return Block(c, first);
      break;
    case JP::RuleNodeBody:
      if (dynamic_cast<JP::UpdateBlockContext*>(c)) return Block(c, first);
      break;
    case JP::RuleNodeTail:
      return Tail(c, first);
    case JP::RuleTypeRef:  // list<string>
      for (size_t i = 0; i < c->children.size(); ++i) Walk(c->children[i], i ? kNone : first);
      return;
    case JP::RuleExpr:
      if (dynamic_cast<JP::ListExprContext*>(c)) return Bracketed(c, first, "[", "]");
      if (dynamic_cast<JP::MapExprContext*>(c)) return Bracketed(c, first, "{", "}");
      break;
    default:
      break;
  }
  Generic(c, first);
}

// Children on one line, with the few rule-specific exceptions below.
void Layout::Generic(ParserRuleContext* c, Sep first) {
  const auto& kids = c->children;
  bool call = dynamic_cast<JP::CallExprContext*>(c) || c->getRuleIndex() == JP::RuleFunctionDecl;
  bool index = dynamic_cast<JP::IndexExprContext*>(c) != nullptr;
  bool negate = dynamic_cast<JP::NegateExprContext*>(c) != nullptr;
  bool logical = dynamic_cast<JP::AndConditionContext*>(c) || dynamic_cast<JP::OrConditionContext*>(c) ||
                 dynamic_cast<JP::AndExprContext*>(c) || dynamic_cast<JP::OrExprContext*>(c);
  bool entry = dynamic_cast<JP::EntryItemContext*>(c) != nullptr;
  for (size_t i = 0; i < kids.size(); ++i) {
    ParseTree* k = kids[i];
    bool last = i + 1 == kids.size();
    // Optional commas: after a field (`a: string,`) and before a closing bracket.
    if (IsTerm(k, ",") && (last || IsTerm(kids[i + 1], "}") || IsTerm(kids[i + 1], "]"))) {
      dropped.insert(FirstToken(k)->getTokenIndex());
      continue;
    }
    if (i == 0) {
      Walk(k, first);
      continue;
    }
    Sep sep = Between(kids[i - 1], k);
    if ((call && IsTerm(k, "(")) || (index && IsTerm(k, "[")) || (negate && i == 1)) sep = kNone;
    if (logical && i == 1) sep = kSoft;
    if (entry && dynamic_cast<JP::ScheduleClauseContext*>(k)) sep = kSoft;
    if (IsTerm(k, "}") && IsTerm(kids[i - 1], "{")) sep = kNone;  // `{}`
    Walk(k, sep);
  }
}

// `header { item item ... }` with one item per line.
void Layout::Block(ParserRuleContext* c, Sep first) {
  const auto& kids = c->children;
  size_t open = kids.size(), close = kids.size();
  for (size_t i = 0; i < kids.size(); ++i)
    if (IsTerm(kids[i], "{")) {
      open = i;
      break;
    }
  for (size_t i = kids.size(); i-- > 0;)
    if (IsTerm(kids[i], "}")) {
      close = i;
      break;
    }
  if (open >= close || close == kids.size()) return Generic(c, first);
  for (size_t i = 0; i <= open; ++i) Walk(kids[i], i == 0 ? first : Between(kids[i - 1], kids[i]));
  int outer = lineDepth_, saved = depth_;
  depth_ = outer + 1;
  bool any = false;
  for (size_t i = open + 1; i < close; ++i) {
    Walk(kids[i], Sep{SepKind::Line, depth_, any});
    any = true;
  }
  depth_ = saved;
  bool comments = false;
  for (size_t t = FirstToken(kids[open])->getTokenIndex() + 1; t < FirstToken(kids[close])->getTokenIndex(); ++t)
    comments = comments || IsComment(tokens_[t]);
  Walk(kids[close], any || comments ? Sep{SepKind::Line, outer, any, true} : kNone);
  for (size_t i = close + 1; i < kids.size(); ++i) Walk(kids[i], Between(kids[i - 1], kids[i]));
}

// `[a, b]` / `{ k: v }` on one line, or one entry per line when the author
// started the first entry on a new line.
void Layout::Bracketed(ParserRuleContext* c, Sep first, std::string_view open, std::string_view close) {
  const auto& kids = c->children;
  if (kids.size() < 3 || !IsTerm(kids.front(), open) || !IsTerm(kids.back(), close) ||
      Newlines(FirstToken(kids[0])->getStopIndex() + 1, FirstToken(kids[1])->getStartIndex()) == 0)
    return Generic(c, first);
  Walk(kids[0], first);
  int outer = lineDepth_, saved = depth_;
  depth_ = outer + 1;
  for (size_t i = 1; i + 1 < kids.size(); ++i) {
    ParseTree* k = kids[i];
    if (IsTerm(k, ",")) {
      if (i + 2 == kids.size()) dropped.insert(FirstToken(k)->getTokenIndex());
      else Walk(k, kNone);
      continue;
    }
    Walk(k, Sep{SepKind::Line, depth_, i > 1});
  }
  depth_ = saved;
  Walk(kids.back(), Sep{SepKind::Line, outer, true, true});
}

// nodeTail : ('window' DURATION)? ('->' target)? ('on' connector (',' connector)*)? ;
void Layout::Tail(ParserRuleContext* c, Sep first) {
  const auto& kids = c->children;
  for (size_t i = 0; i < kids.size(); ++i) {
    ParseTree* k = kids[i];
    Sep sep = i ? Between(kids[i - 1], k) : first;
    if (IsTerm(k, "window") || IsTerm(k, "->") || IsTerm(k, "on") || (i && IsTerm(kids[i - 1], ","))) sep = kSoft;
    Walk(k, sep);
  }
}

void Layout::Put(std::string_view text) {
  out_.append(text);
  line_ += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void Layout::NewLine(int depth, bool blank) {
  lineDepth_ = depth;
  mustBreak_ = false;
  if (out_.empty()) return;
  while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  out_ += blank ? "\n\n" : "\n";
  line_ += blank ? 2 : 1;
  out_.append(static_cast<size_t>(2 * depth), ' ');
}

// Prints the comments between the last printed token and token `upTo`.
// Returns whether one got a line of its own.
bool Layout::FlushComments(size_t upTo, Sep sep) {
  bool ownLine = false;
  for (; next_ < upTo; ++next_) {
    Token* c = tokens_[next_];
    if (!IsComment(c)) {
      if (c->getChannel() == Token::DEFAULT_CHANNEL && !dropped.count(next_)) lostToken = true;
      continue;
    }
    size_t start = c->getStartIndex(), end = c->getStopIndex() + 1;
    std::string_view text = Text(c);
    bool line = c->getType() == JourneyLexer::LINE_COMMENT;
    if (line)
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    int gap = Newlines(lastEnd_, start);
    if (!out_.empty() && gap == 0 && !mustBreak_) {
      // After code on the same line: it stays there.
      if (line) {
        trailing_.push_back({line_, out_.size() - (out_.rfind('\n') == std::string::npos ? 0 : out_.rfind('\n') + 1)});
        out_ += "  ";
        Put(text);
        mustBreak_ = true;
      } else {
        Space();
        Put(text);
        size_t following = next_ + 1 < tokens_.size() ? tokens_[next_ + 1]->getStartIndex() : src_.size();
        if (Newlines(end, following) > 0) mustBreak_ = true;
        else afterInline_ = true;
      }
    } else {
      bool statement = sep.kind == SepKind::Line || sep.kind == SepKind::Blank;
      int depth = statement ? sep.depth + (sep.closing ? 1 : 0) : depth_ + 1;
      bool blank = (sep.kind == SepKind::Blank && !ownLine) ||
                   ((sep.blankOk || sep.kind == SepKind::Blank) && statement && gap >= 2);
      NewLine(depth, blank);
      Put(text);
      mustBreak_ = true;
      afterInline_ = false;
      ownLine = true;
    }
    lastEnd_ = end;
  }
  return ownLine;
}

void Layout::Emit(Token* t, Sep sep) {
  size_t index = t->getTokenIndex();
  bool authorBreak = !out_.empty() && Newlines(tokEnd_, t->getStartIndex()) > 0;
  bool ownLine = FlushComments(index, sep);
  next_ = index + 1;
  if (t->getType() == Token::EOF) return;
  int gap = Newlines(lastEnd_, t->getStartIndex());
  switch (sep.kind) {
    case SepKind::Blank: NewLine(sep.depth, ownLine ? gap >= 2 : true); break;
    case SepKind::Line: NewLine(sep.depth, sep.blankOk && !sep.closing && gap >= 2); break;
    case SepKind::Soft:
      if (mustBreak_ || authorBreak) NewLine(depth_ + 1, false);
      else Space();
      break;
    case SepKind::Space:
      if (mustBreak_) NewLine(depth_ + 1, false);
      else Space();
      break;
    case SepKind::None:
      if (mustBreak_) NewLine(depth_ + 1, false);
      else if (afterInline_) Space();
      break;
  }
  Put(Text(t));
  afterInline_ = false;
  tokEnd_ = lastEnd_ = t->getStopIndex() + 1;
}

// Aligns trailing line comments of consecutive lines of equal indentation.
void Layout::Align() {
  if (trailing_.empty()) return;
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= out_.size()) {
    size_t nl = out_.find('\n', pos);
    if (nl == std::string::npos) nl = out_.size();
    lines.push_back(out_.substr(pos, nl - pos));
    pos = nl + 1;
  }
  auto indent = [&](int l) { return lines[static_cast<size_t>(l)].find_first_not_of(' '); };
  for (size_t i = 0; i < trailing_.size();) {
    size_t j = i + 1;
    while (j < trailing_.size() && trailing_[j].line == trailing_[j - 1].line + 1 &&
           indent(trailing_[j].line) == indent(trailing_[i].line))
      ++j;
    size_t widest = 0;
    for (size_t k = i; k < j; ++k)
      widest = std::max(widest, Width(std::string_view(lines[static_cast<size_t>(trailing_[k].line)]).substr(0, trailing_[k].column)));
    for (size_t k = i; k < j; ++k) {
      std::string& l = lines[static_cast<size_t>(trailing_[k].line)];
      std::string code = l.substr(0, trailing_[k].column), comment = l.substr(trailing_[k].column + 2);
      l = code + std::string(widest - Width(code) + 2, ' ') + comment;
    }
    i = j;
  }
  out_.clear();
  for (size_t i = 0; i < lines.size(); ++i) out_ += (i ? "\n" : "") + lines[i];
}

std::string Layout::Finish() {
  while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n')) out_.pop_back();
  Align();
  if (!out_.empty()) out_ += '\n';
  return out_;
}

// The default-channel token texts and the comment texts of `text`.
void Lex(const std::string& text, std::vector<std::string>& code, std::vector<std::string>& comments) {
  parse::ByteInputStream input(text);
  parse::JourneyTokenSource lexer(text, &input);
  antlr4::CommonTokenStream stream(&lexer);
  stream.fill();
  for (Token* t : stream.getTokens()) {
    if (t->getType() == Token::EOF) continue;
    std::string s = text.substr(t->getStartIndex(), t->getStopIndex() + 1 - t->getStartIndex());
    if (t->getType() == JourneyLexer::LINE_COMMENT) {
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
      comments.push_back(s);
    } else if (t->getType() == JourneyLexer::BLOCK_COMMENT) {
      comments.push_back(s);
    } else {
      code.push_back(s);
    }
  }
}

}  // namespace

FormatResult FormatJourney(const SourceManager& sm, uint32_t fileId, DiagEngine& diags) {
  const std::string& original = sm.file(fileId).text();
  const std::string src = parse::LexedText(original);
  parse::ByteInputStream input(src);
  parse::JourneyTokenSource lexer(src, &input);
  antlr4::CommonTokenStream stream(&lexer);
  stream.fill();
  bool lexOk = true;
  for (Token* t : stream.getTokens()) {
    size_t type = t->getType();
    if (type == JourneyLexer::BAD_NUMBER || type == JourneyLexer::UNTERMINATED_STRING || type == JourneyLexer::UNKNOWN_CHAR)
      lexOk = false;
  }
  JourneyParser parser(&stream);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  JourneyParser::FileContext* tree = nullptr;
  // SLL is enough for almost every file; LL decides the rest exactly.
  for (auto mode : {antlr4::atn::PredictionMode::SLL, antlr4::atn::PredictionMode::LL}) {
    if (!lexOk) break;
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(mode);
    try {
      tree = parser.file();
      break;
    } catch (antlr4::ParseCancellationException&) {
      tree = nullptr;
      stream.seek(0);
      parser.reset();
    }
  }
  if (!tree) {
    // Let the parser proper report every error with its usual messages.
    size_t before = diags.errorCount();
    Parse(sm, fileId, diags);
    if (diags.errorCount() == before) diags.emit(diag::SyntaxError, Range{fileId, 0, 0}, "the file could not be parsed");
    return {FormatResult::SyntaxErrors, {}};
  }

  Layout layout(src, stream.getTokens());
  layout.Walk(tree, Sep{SepKind::Line, 0});
  std::string out = layout.Finish();

  std::vector<std::string> inCode, inComments, outCode, outComments;
  Lex(src, inCode, inComments);
  Lex(out, outCode, outComments);
  std::vector<std::string> expected;
  size_t codeIndex = 0;
  for (Token* t : stream.getTokens()) {
    if (t->getType() == Token::EOF || t->getChannel() != Token::DEFAULT_CHANNEL) continue;
    if (!layout.dropped.count(t->getTokenIndex())) expected.push_back(inCode[codeIndex]);
    ++codeIndex;
  }
  if (layout.lostToken || expected != outCode || inComments != outComments)
    return {FormatResult::InternalError, "the formatter would have changed the program or its comments; the file was left as it is"};
  // A byte order mark the file opened with stays: it is the editor's, not layout.
  if (original.starts_with(kUtf8ByteOrderMark)) out.insert(0, kUtf8ByteOrderMark);
  return {FormatResult::Ok, std::move(out)};
}

}  // namespace journey

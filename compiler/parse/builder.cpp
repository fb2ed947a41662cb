// builder.cpp — the one hand-written walk over ANTLR's parse tree.
//
// Each Build… function handles one grammar rule (quoted above it) and
// returns AST. Error recovery may leave null children or conjured "missing"
// tokens; helpers below turn those into `false`/empty results so the caller
// drops the item (its syntax error has already been reported).
#include "parse/builder.h"

#include <cmath>
#include <typeinfo>

#include "JourneyLexer.h"
#include "parse/lexer.h"
#include "parse/parse.h"

namespace journey::parse {
namespace {

using JP = JourneyParser;
using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::TerminalNode;

// ------------------------------------------------------------ helpers
// The context `c` as the labelled alternative T, or null when it is another.
// Every T asked for is a leaf class of the generated parser, so comparing
// the dynamic type is exact — and far cheaper than dynamic_cast, which
// walks the class hierarchy and was a sixth of a parse on a large file.
// The type_info objects are compared by address (operator== would compare
// the mangled names with strcmp on every miss): the parser is linked
// statically into each of our binaries, so each class has one type_info.
template <typename T>
T* As(antlr4::tree::ParseTree* c) {
  return c && &typeid(*c) == &typeid(T) ? static_cast<T*>(c) : nullptr;
}

bool Real(Token* t) { return t && t->getTokenIndex() != static_cast<size_t>(-1) && t->getStartIndex() <= t->getStopIndex() + 1 && t->getType() != Token::EOF; }
bool Real(TerminalNode* n) { return n && Real(n->getSymbol()); }

Range TokenRange(BuildCtx& ctx, Token* t) {
  if (!Real(t)) return {};
  return {ctx.fileId, static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
}
Range TokenRange(BuildCtx& ctx, TerminalNode* n) { return n ? TokenRange(ctx, n->getSymbol()) : Range{}; }

Range RuleRange(BuildCtx& ctx, ParserRuleContext* c) {
  if (!c || !c->getStart()) return {};
  Token* start = c->getStart();
  Token* stop = c->getStop();
  uint32_t b = static_cast<uint32_t>(start->getStartIndex());
  uint32_t e = b;
  if (stop && stop->getTokenIndex() >= start->getTokenIndex() && stop->getType() != Token::EOF)
    e = static_cast<uint32_t>(stop->getStopIndex() + 1);
  if (e < b) e = b;
  return {ctx.fileId, b, e};
}

Range Join(Range a, Range b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

std::string Text(BuildCtx& ctx, Range r) {
  if (!r.valid() || r.end > ctx.source.size()) return {};
  return std::string(ctx.source.substr(r.begin, r.end - r.begin));
}
std::string Text(BuildCtx& ctx, TerminalNode* n) { return Text(ctx, TokenRange(ctx, n)); }

// Decodes a STRING token ("..." with escapes) or a TRIPLE_STRING ("""...""").
bool DecodeString(BuildCtx& ctx, TerminalNode* n, std::string& out) {
  if (!Real(n)) return false;
  Range r = TokenRange(ctx, n);
  std::string raw = Text(ctx, r);
  std::vector<std::pair<uint32_t, uint32_t>> bad;
  if (DecodeStringLiteral(raw, out, nullptr, &bad)) return true;
  for (auto [offset, length] : bad) {
    Range er{ctx.fileId, r.begin + offset, r.begin + offset + length};
    ctx.diags.emit(diag::InvalidEscape, er, raw.substr(offset, length));
  }
  return false;
}

bool DurationOf(BuildCtx& ctx, TerminalNode* n, int64_t& seconds) {
  if (!Real(n)) return false;
  bool tooLong = false;
  std::string text = Text(ctx, n);
  if (DecodeDuration(text, seconds, &tooLong)) return true;
  // A token the parser repaired from `3 days` or `per day` (J0010, reported there).
  std::string meant = SpelledOutDuration(text);
  if (meant.empty()) meant = SpelledOutDuration("1 " + text);
  if (!meant.empty() && DecodeDuration(meant, seconds, &tooLong)) return true;
  if (tooLong) ctx.diags.emit(diag::DurationTooLong, TokenRange(ctx, n), Text(ctx, n));
  else ctx.diags.emit(diag::InvalidNumber, TokenRange(ctx, n), Text(ctx, n));
  return false;
}

bool TimeOf(BuildCtx& ctx, TerminalNode* n, int& minute) {
  if (!Real(n)) return false;
  if (DecodeTime(Text(ctx, n), minute)) return true;
  ctx.diags.emit(diag::InvalidTime, TokenRange(ctx, n), Text(ctx, n));
  return false;
}

bool NumberOf(BuildCtx& ctx, TerminalNode* n, double& value) {
  if (!Real(n)) return false;
  std::string t = Text(ctx, n);
  if (!t.empty() && t.back() == '%') t.pop_back();
  try {
    value = std::stod(t);
  } catch (...) {
    ctx.diags.emit(diag::InvalidNumber, TokenRange(ctx, n), t);
    return false;
  }
  return std::isfinite(value);
}

bool IdentOf(BuildCtx& ctx, JP::IdentContext* c, ast::Ident& out) {
  if (!c || c->exception || !Real(c->getStart())) return false;
  out.range = RuleRange(ctx, c);
  out.text = Text(ctx, out.range);
  return !out.text.empty();
}

// ------------------------------------------------------------ types
// typeRef : ident ('<' typeRef '>')? ;
bool BuildTypeRef(BuildCtx& ctx, JP::TypeRefContext* c, ast::TypeRef& out) {
  if (!c || !IdentOf(ctx, c->ident(), out.name)) return false;
  out.range = RuleRange(ctx, c);
  if (c->typeRef()) {
    auto elem = std::make_shared<ast::TypeRef>();
    if (!BuildTypeRef(ctx, c->typeRef(), *elem)) return false;
    out.element = elem;
  }
  return true;
}

// fieldDecl : ident ':' typeRef ','? ;   param : ident ':' typeRef ;
template <typename Ctx>
bool BuildFieldDecl(BuildCtx& ctx, Ctx* c, ast::FieldDecl& out) {
  return c && IdentOf(ctx, c->ident(), out.name) && BuildTypeRef(ctx, c->typeRef(), out.type);
}

// ------------------------------------------------------------ expressions
ast::ExprPtr BuildExpr(BuildCtx& ctx, JP::ExprContext* c);

ast::ExprPtr MakeExpr(ast::ExprKind kind, Range range) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->range = range;
  return e;
}

// literal : STRING | TRIPLE_STRING | NUMBER | PERCENT | DURATION | TIME | DATE | TRUE | FALSE ;
ast::ExprPtr BuildLiteral(BuildCtx& ctx, JP::LiteralContext* c) {
  if (!c) return nullptr;
  auto e = MakeExpr(ast::ExprKind::Literal, RuleRange(ctx, c));
  if (c->STRING() || c->TRIPLE_STRING()) {
    e->literal = ast::LiteralKind::String;
    if (!DecodeString(ctx, c->STRING() ? c->STRING() : c->TRIPLE_STRING(), e->text)) return nullptr;
  } else if (c->NUMBER() || c->PERCENT()) {
    e->literal = c->NUMBER() ? ast::LiteralKind::Number : ast::LiteralKind::Percent;
    if (!NumberOf(ctx, c->NUMBER() ? c->NUMBER() : c->PERCENT(), e->number)) return nullptr;
    e->text = Text(ctx, e->range);
  } else if (c->DURATION()) {
    e->literal = ast::LiteralKind::Duration;
    int64_t s = 0;
    if (!DurationOf(ctx, c->DURATION(), s)) return nullptr;
    e->number = static_cast<double>(s);
    e->text = Text(ctx, e->range);
  } else if (c->TIME()) {
    e->literal = ast::LiteralKind::Time;
    int m = 0;
    if (!TimeOf(ctx, c->TIME(), m)) return nullptr;
    e->number = m;
    e->text = Text(ctx, e->range);
  } else if (c->DATE()) {
    e->literal = ast::LiteralKind::Date;
    int64_t days = 0;
    e->text = Text(ctx, e->range);
    if (!DecodeDate(e->text, days)) {
      ctx.diags.emit(diag::InvalidDate, e->range, e->text);
      return nullptr;
    }
    e->number = static_cast<double>(days);
  } else if (c->TRUE() || c->FALSE()) {
    e->literal = ast::LiteralKind::Bool;
    e->boolean = c->TRUE() != nullptr;
    e->text = e->boolean ? "true" : "false";
  } else {
    return nullptr;
  }
  return e;
}

// An operator as the checker knows it, by its token's type: the parser
// took `=`, `is`, `is not`, `&&`, `||` and `but` for `==`, `!=`, `and` and
// `or` (J0011, reported there), so the source text may be any of those.
std::string OperatorText(BuildCtx& ctx, Token* op) {
  if (!Real(op)) return {};
  size_t type = op->getType();
  if (type == JourneyLexer::AND) return "and";
  if (type == JourneyLexer::OR) return "or";
  for (const char* spelling : {"==", "!=", "<", "<=", ">", ">="})
    if (type == PunctuationTokenType(spelling)) return spelling;
  return Text(ctx, TokenRange(ctx, op));
}

ast::ExprPtr BuildBinary(BuildCtx& ctx, JP::ExprContext* c, const std::vector<JP::ExprContext*>& kids, Token* op) {
  if (kids.size() != 2 || !Real(op)) return nullptr;
  auto l = BuildExpr(ctx, kids[0]);
  auto r = BuildExpr(ctx, kids[1]);
  if (!l || !r) return nullptr;
  auto e = MakeExpr(ast::ExprKind::Binary, RuleRange(ctx, c));
  e->name.text = OperatorText(ctx, op);
  e->name.range = TokenRange(ctx, op);
  e->operands.push_back(std::move(l));
  e->operands.push_back(std::move(r));
  return e;
}

// expr : (see grammar/Journey.g4; one case per labelled alternative)
ast::ExprPtr BuildExpr(BuildCtx& ctx, JP::ExprContext* c) {
  if (!c || c->exception) return nullptr;
  if (auto* m = As<JP::MemberExprContext>(c)) {
    auto obj = BuildExpr(ctx, m->expr());
    auto e = MakeExpr(ast::ExprKind::Member, RuleRange(ctx, c));
    if (!obj || !IdentOf(ctx, m->ident(), e->name)) return nullptr;
    e->operands.push_back(std::move(obj));
    return e;
  }
  if (auto* ix = As<JP::IndexExprContext>(c)) {
    auto kids = ix->expr();
    if (kids.size() != 2) return nullptr;
    auto e = MakeExpr(ast::ExprKind::Index, RuleRange(ctx, c));
    for (auto* k : kids) {
      auto x = BuildExpr(ctx, k);
      if (!x) return nullptr;
      e->operands.push_back(std::move(x));
    }
    return e;
  }
  if (auto* n = As<JP::NegateExprContext>(c)) {
    auto x = BuildExpr(ctx, n->expr());
    if (!x) return nullptr;
    auto e = MakeExpr(ast::ExprKind::Unary, RuleRange(ctx, c));
    e->name.text = "-";
    e->name.range = TokenRange(ctx, n->getStart());
    e->operands.push_back(std::move(x));
    return e;
  }
  if (auto* n = As<JP::NotExprContext>(c)) {
    auto x = BuildExpr(ctx, n->expr());
    if (!x) return nullptr;
    auto e = MakeExpr(ast::ExprKind::Unary, RuleRange(ctx, c));
    e->name.text = "not";
    e->name.range = TokenRange(ctx, n->NOT());
    e->operands.push_back(std::move(x));
    return e;
  }
  if (auto* b = As<JP::MulExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->op);
  if (auto* b = As<JP::AddExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->op);
  if (auto* b = As<JP::CompareExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->op);
  if (auto* b = As<JP::MembershipExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->op);
  if (auto* b = As<JP::AndExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->AND() ? b->AND()->getSymbol() : nullptr);
  if (auto* b = As<JP::OrExprContext>(c)) return BuildBinary(ctx, c, b->expr(), b->OR() ? b->OR()->getSymbol() : nullptr);
  if (auto* call = As<JP::CallExprContext>(c)) {
    auto e = MakeExpr(ast::ExprKind::Call, RuleRange(ctx, c));
    if (!IdentOf(ctx, call->ident(), e->name)) return nullptr;
    for (auto* k : call->expr()) {
      auto x = BuildExpr(ctx, k);
      if (!x) return nullptr;
      e->operands.push_back(std::move(x));
    }
    return e;
  }
  if (auto* p = As<JP::ParenExprContext>(c)) return BuildExpr(ctx, p->expr());
  if (auto* l = As<JP::ListExprContext>(c)) {
    auto e = MakeExpr(ast::ExprKind::List, RuleRange(ctx, c));
    for (auto* k : l->expr()) {
      auto x = BuildExpr(ctx, k);
      if (!x) return nullptr;
      e->operands.push_back(std::move(x));
    }
    return e;
  }
  if (auto* m = As<JP::MapExprContext>(c)) {
    auto e = MakeExpr(ast::ExprKind::Map, RuleRange(ctx, c));
    // mapEntry : (ident | STRING) ':' expr ;
    for (auto* entry : m->mapEntry()) {
      ast::Ident key;
      if (entry->STRING()) {
        key.range = TokenRange(ctx, entry->STRING());
        if (!DecodeString(ctx, entry->STRING(), key.text)) return nullptr;
      } else if (!IdentOf(ctx, entry->ident(), key)) {
        return nullptr;
      }
      auto x = BuildExpr(ctx, entry->expr());
      if (!x) return nullptr;
      e->keys.push_back(std::move(key));
      e->operands.push_back(std::move(x));
    }
    return e;
  }
  if (auto* l = As<JP::LiteralExprContext>(c)) return BuildLiteral(ctx, l->literal());
  if (auto* n = As<JP::NameExprContext>(c)) {
    auto e = MakeExpr(ast::ExprKind::Name, RuleRange(ctx, c));
    if (!IdentOf(ctx, n->ident(), e->name)) return nullptr;
    return e;
  }
  return nullptr;
}

// ------------------------------------------------------------ conditions
// aggregate : COUNT compareOp NUMBER | (SUM | AVG | MIN | MAX) ident compareOp NUMBER ;
bool BuildAggregate(BuildCtx& ctx, JP::AggregateContext* c, ast::Aggregate& out) {
  if (!c || c->exception || !c->compareOp()) return false;
  out.range = RuleRange(ctx, c);
  out.function = Text(ctx, TokenRange(ctx, c->getStart()));
  if (!c->COUNT()) {
    ast::Ident prop;
    if (!IdentOf(ctx, c->ident(), prop)) return false;
    out.property = prop;
  }
  out.compare = OperatorText(ctx, c->compareOp()->getStart());
  return NumberOf(ctx, c->NUMBER(), out.threshold);
}

// condition : NOT condition | condition AND condition | condition OR condition
//           | '(' condition ')' | DID STRING ('where' expr)? aggregate? period?
//           | 'from' 'journey' STRING 'node' ident | 'in' 'list' STRING
//           | DURATION (BEFORE | 'after') expr | expr ;
ast::CondPtr BuildCondition(BuildCtx& ctx, JP::ConditionContext* c) {
  if (!c || c->exception) return nullptr;
  auto out = std::make_unique<ast::Cond>();
  out->range = RuleRange(ctx, c);
  if (auto* n = As<JP::NotConditionContext>(c)) {
    auto x = BuildCondition(ctx, n->condition());
    if (!x) return nullptr;
    out->kind = ast::CondKind::Not;
    out->operands.push_back(std::move(x));
    return out;
  }
  auto binary = [&](ast::CondKind kind, std::vector<JP::ConditionContext*> kids) -> ast::CondPtr {
    if (kids.size() != 2) return nullptr;
    auto l = BuildCondition(ctx, kids[0]);
    auto r = BuildCondition(ctx, kids[1]);
    if (!l || !r) return nullptr;
    out->kind = kind;
    out->operands.push_back(std::move(l));
    out->operands.push_back(std::move(r));
    return std::move(out);
  };
  if (auto* a = As<JP::AndConditionContext>(c)) return binary(ast::CondKind::And, a->condition());
  if (auto* o = As<JP::OrConditionContext>(c)) return binary(ast::CondKind::Or, o->condition());
  if (auto* p = As<JP::ParenConditionContext>(c)) return BuildCondition(ctx, p->condition());
  // An event's name alone where a condition goes (`and not "Charged"
  // within 1h`) is read as `did` it, and reported (J0013).
  if (auto* d = As<JP::DidConditionContext>(c)) {
    out->kind = ast::CondKind::Did;
    out->eventRange = TokenRange(ctx, d->STRING());
    if (!DecodeString(ctx, d->STRING(), out->event)) return nullptr;
    if (!d->DID()) {
      Range at{out->eventRange.file, out->eventRange.begin, out->eventRange.begin};
      ctx.diags.emit(diag::MissingDid, out->eventRange, out->event).fixWith(at, "did ");
    }
    if (d->expr()) {
      out->where = BuildExpr(ctx, d->expr());
      if (!out->where) return nullptr;
    }
    if (d->aggregate()) {
      ast::Aggregate agg;
      if (!BuildAggregate(ctx, d->aggregate(), agg)) return nullptr;
      out->aggregate = agg;
    }
    // period : 'in' LAST DURATION | 'within' DURATION ;
    if (auto* p = d->period()) {
      out->period.range = RuleRange(ctx, p);
      if (auto* past = As<JP::PastPeriodContext>(p)) {
        out->period.kind = ast::Period::Last;
        if (!DurationOf(ctx, past->DURATION(), out->period.seconds)) return nullptr;
      } else if (auto* live = As<JP::LivePeriodContext>(p)) {
        out->period.kind = ast::Period::Within;
        if (!DurationOf(ctx, live->DURATION(), out->period.seconds)) return nullptr;
      } else {
        return nullptr;
      }
    }
    return out;
  }
  if (auto* j = As<JP::JourneyTriggerConditionContext>(c)) {
    out->kind = ast::CondKind::JourneyTrigger;
    if (!DecodeString(ctx, j->STRING(), out->journey) || !IdentOf(ctx, j->ident(), out->node)) return nullptr;
    return out;
  }
  if (auto* l = As<JP::ListConditionContext>(c)) {
    out->kind = ast::CondKind::CustomList;
    if (!DecodeString(ctx, l->STRING(), out->list)) return nullptr;
    return out;
  }
  if (auto* r = As<JP::RelativeTimeConditionContext>(c)) {
    out->kind = ast::CondKind::RelativeTime;
    out->before = r->BEFORE() != nullptr;
    if (!DurationOf(ctx, r->DURATION(), out->offsetSeconds)) return nullptr;
    out->expr = BuildExpr(ctx, r->expr());
    if (!out->expr) return nullptr;
    return out;
  }
  if (auto* e = As<JP::ExprConditionContext>(c)) {
    out->kind = ast::CondKind::Predicate;
    out->expr = BuildExpr(ctx, e->expr());
    if (!out->expr) return nullptr;
    return out;
  }
  return nullptr;
}

// ------------------------------------------------------------ nodes
// target : ident | 'end' | 'exit' ;
bool BuildTarget(BuildCtx& ctx, JP::TargetContext* c, ast::Ident& out) {
  if (!c || c->exception || !Real(c->getStart())) return false;
  out.range = RuleRange(ctx, c);
  out.text = Text(ctx, out.range);
  return !out.text.empty();
}

// updateOp : SET expr 'to' expr | ADD expr 'to' expr | REMOVE expr 'from' expr
//          | INCREMENT expr ('by' expr)? | DECREMENT expr ('by' expr)? ;
bool BuildUpdateOp(BuildCtx& ctx, JP::UpdateOpContext* c, ast::UpdateOp& out) {
  if (!c || c->exception) return false;
  out.range = RuleRange(ctx, c);
  std::vector<JP::ExprContext*> kids;
  if (auto* s = As<JP::UpdateSetContext>(c)) {
    out.kind = ast::UpdateKind::Set;
    kids = s->expr();
    if (kids.size() != 2) return false;
    out.property = BuildExpr(ctx, kids[0]);
    out.value = BuildExpr(ctx, kids[1]);
    return out.property && out.value;
  }
  if (auto* a = As<JP::UpdateAddContext>(c)) {
    out.kind = ast::UpdateKind::Add;
    kids = a->expr();
  } else if (auto* r = As<JP::UpdateRemoveContext>(c)) {
    out.kind = ast::UpdateKind::Remove;
    kids = r->expr();
  }
  if (out.kind == ast::UpdateKind::Add || out.kind == ast::UpdateKind::Remove) {
    if (kids.size() != 2) return false;
    out.value = BuildExpr(ctx, kids[0]);
    out.property = BuildExpr(ctx, kids[1]);
    return out.property && out.value;
  }
  if (auto* i = As<JP::UpdateIncrementContext>(c)) {
    out.kind = ast::UpdateKind::Increment;
    kids = i->expr();
  } else if (auto* d = As<JP::UpdateDecrementContext>(c)) {
    out.kind = ast::UpdateKind::Decrement;
    kids = d->expr();
  } else {
    return false;
  }
  if (kids.empty()) return false;
  out.property = BuildExpr(ctx, kids[0]);
  if (kids.size() > 1) {
    out.value = BuildExpr(ctx, kids[1]);
    if (!out.value) return false;
  }
  return out.property != nullptr;
}

// nodeBody : 'wait' DURATION | 'wait' 'until' (ident (',' ident)*)? TIME
//          | 'wait' 'until' (DURATION (BEFORE | 'after'))? expr | 'segment' condition
//          | 'send' ident ('at' TIME)? contentBlock | 'split' '{' splitArm (',' splitArm)* ','? '}'
//          | 'update' '{' updateOp+ '}' | 'update' updateOp | 'exit' ;
bool BuildNodeBody(BuildCtx& ctx, JP::NodeBodyContext* c, ast::Node& n) {
  if (!c || c->exception) return false;
  n.bodyRange = RuleRange(ctx, c);
  if (auto* w = As<JP::WaitForContext>(c)) {
    n.kind = ast::BodyKind::WaitFor;
    return DurationOf(ctx, w->DURATION(), n.seconds);
  }
  if (auto* w = As<JP::WaitUntilTimeContext>(c)) {
    n.kind = ast::BodyKind::WaitUntilTime;
    for (auto* d : w->ident()) {
      ast::Ident day;
      if (!IdentOf(ctx, d, day)) return false;
      n.days.push_back(day);
    }
    return TimeOf(ctx, w->TIME(), n.minuteOfDay);
  }
  if (auto* w = As<JP::WaitUntilPropertyContext>(c)) {
    n.kind = ast::BodyKind::WaitUntilProperty;
    if (w->DURATION()) {
      int64_t s = 0;
      if (!DurationOf(ctx, w->DURATION(), s)) return false;
      n.offsetSeconds = s;
      n.before = w->BEFORE() != nullptr;
    }
    n.until = BuildExpr(ctx, w->expr());
    return n.until != nullptr;
  }
  if (auto* s = As<JP::SegmentNodeContext>(c)) {
    n.kind = ast::BodyKind::Segment;
    n.segment = BuildCondition(ctx, s->condition());
    return n.segment != nullptr;
  }
  if (auto* s = As<JP::SendNodeContext>(c)) {
    n.kind = ast::BodyKind::Send;
    if (!IdentOf(ctx, s->ident(), n.channel)) return false;
    if (s->TIME()) {
      int m = 0;
      if (!TimeOf(ctx, s->TIME(), m)) return false;
      n.sendAtMinute = m;
      n.sendAtRange = TokenRange(ctx, s->TIME());
    }
    auto* block = s->contentBlock();
    if (!block || block->exception) return false;
    // contentField : ident ':' expr ','? ;
    for (auto* f : block->contentField()) {
      ast::ContentField field;
      if (!f || !IdentOf(ctx, f->ident(), field.name)) return false;
      field.value = BuildExpr(ctx, f->expr());
      if (!field.value) return false;
      n.content.push_back(std::move(field));
    }
    return true;
  }
  if (auto* s = As<JP::SplitNodeContext>(c)) {
    n.kind = ast::BodyKind::Split;
    // splitArm : ident ':' PERCENT ;
    for (auto* a : s->splitArm()) {
      ast::SplitArm arm;
      if (!a || !IdentOf(ctx, a->ident(), arm.name) || !NumberOf(ctx, a->PERCENT(), arm.percent)) return false;
      arm.range = RuleRange(ctx, a);
      n.arms.push_back(arm);
    }
    return true;
  }
  if (auto* u = As<JP::UpdateBlockContext>(c)) {
    n.kind = ast::BodyKind::Update;
    for (auto* op : u->updateOp()) {
      ast::UpdateOp o;
      if (!BuildUpdateOp(ctx, op, o)) return false;
      n.updates.push_back(std::move(o));
    }
    return true;
  }
  if (auto* u = As<JP::UpdateSingleContext>(c)) {
    n.kind = ast::BodyKind::Update;
    ast::UpdateOp o;
    if (!BuildUpdateOp(ctx, u->updateOp(), o)) return false;
    n.updates.push_back(std::move(o));
    return true;
  }
  if (As<JP::ExitNodeContext>(c)) {
    n.kind = ast::BodyKind::Exit;
    return true;
  }
  return false;
}

// nodeTail : ('window' DURATION)? ('->' target)? ('on' connector (',' connector)*)? ;
// connector : ident '->' target ;
bool BuildNodeTail(BuildCtx& ctx, JP::NodeTailContext* c, ast::Node& n) {
  if (!c) return false;
  if (c->exception) return false;
  if (c->DURATION()) {
    int64_t s = 0;
    if (!DurationOf(ctx, c->DURATION(), s)) return false;
    n.windowSeconds = s;
    n.windowRange = Join(TokenRange(ctx, c->getStart()), TokenRange(ctx, c->DURATION()));
  }
  if (c->target()) {
    ast::Connector conn;
    if (!BuildTarget(ctx, c->target(), conn.target)) return false;
    conn.range = conn.target.range;
    n.primary = conn;
  }
  for (auto* k : c->connector()) {
    ast::Connector conn;
    if (!k || k->exception || !IdentOf(ctx, k->ident(), conn.label) || !BuildTarget(ctx, k->target(), conn.target))
      return false;
    conn.range = RuleRange(ctx, k);
    n.connectors.push_back(conn);
  }
  return true;
}

// nodeDecl : 'node' ident ':' nodeBody nodeTail ;
bool BuildNode(BuildCtx& ctx, JP::NodeDeclContext* c, ast::Node& n) {
  if (!c || !IdentOf(ctx, c->ident(), n.name)) return false;
  n.range = RuleRange(ctx, c);
  return BuildNodeBody(ctx, c->nodeBody(), n) && BuildNodeTail(ctx, c->nodeTail(), n);
}

// flowStep : (ident ':')? nodeBody nodeTail ;
bool BuildFlowStep(BuildCtx& ctx, JP::FlowStepContext* c, ast::Node& n) {
  if (!c || c->exception) return false;
  n.range = RuleRange(ctx, c);
  if (c->ident()) {
    if (!IdentOf(ctx, c->ident(), n.name)) return false;
  } else {
    n.implicitName = true;
    n.name.range = RuleRange(ctx, c->nodeBody());
  }
  return BuildNodeBody(ctx, c->nodeBody(), n) && BuildNodeTail(ctx, c->nodeTail(), n);
}

// ------------------------------------------------------------ header
// dateTime : DATE TIME? ;
bool BuildDateTime(BuildCtx& ctx, JP::DateTimeContext* c, int64_t& epochSeconds) {
  if (!c || !Real(c->DATE())) return false;
  int64_t days = 0;
  std::string text = Text(ctx, c->DATE());
  if (!DecodeDate(text, days)) {
    ctx.diags.emit(diag::InvalidDate, TokenRange(ctx, c->DATE()), text);
    return false;
  }
  int minute = 0;
  if (c->TIME() && !TimeOf(ctx, c->TIME(), minute)) return false;
  epochSeconds = days * 86400 + minute * 60;
  return true;
}

// scheduleClause : 'schedule' ONCE 'at' dateTime | 'schedule' 'at' dateTime (',' dateTime)*
//                | 'schedule' DAILY 'at' TIME | 'schedule' WEEKLY 'on' ident (',' ident)* 'at' TIME
//                | 'schedule' MONTHLY 'on' NUMBER (',' NUMBER)* 'at' TIME ;
bool BuildSchedule(BuildCtx& ctx, JP::ScheduleClauseContext* c, ast::Schedule& s) {
  if (!c || c->exception) return false;
  s.range = RuleRange(ctx, c);
  if (auto* o = As<JP::ScheduleOnceContext>(c)) {
    s.kind = ast::Schedule::Once;
    int64_t t = 0;
    if (!BuildDateTime(ctx, o->dateTime(), t)) return false;
    s.dates.push_back(t);
    return true;
  }
  if (auto* d = As<JP::ScheduleDatesContext>(c)) {
    s.kind = ast::Schedule::Dates;
    for (auto* dt : d->dateTime()) {
      int64_t t = 0;
      if (!BuildDateTime(ctx, dt, t)) return false;
      s.dates.push_back(t);
    }
    return !s.dates.empty();
  }
  if (auto* d = As<JP::ScheduleDailyContext>(c)) {
    s.kind = ast::Schedule::Daily;
    return TimeOf(ctx, d->TIME(), s.minuteOfDay);
  }
  if (auto* w = As<JP::ScheduleWeeklyContext>(c)) {
    s.kind = ast::Schedule::Weekly;
    for (auto* i : w->ident()) {
      ast::Ident day;
      if (!IdentOf(ctx, i, day)) return false;
      s.weekdays.push_back(day);
    }
    return TimeOf(ctx, w->TIME(), s.minuteOfDay);
  }
  if (auto* m = As<JP::ScheduleMonthlyContext>(c)) {
    s.kind = ast::Schedule::Monthly;
    for (auto* num : m->NUMBER()) {
      double v = 0;
      if (!NumberOf(ctx, num, v)) return false;
      if (v < 1 || v > 31 || v != std::floor(v)) {
        ctx.diags.emit(diag::InvalidValue, TokenRange(ctx, num), "a day of the month is a whole number from 1 to 31");
        return false;
      }
      s.monthDays.push_back(static_cast<int>(v));
    }
    return TimeOf(ctx, m->TIME(), s.minuteOfDay);
  }
  return false;
}

// journeyItem : (see grammar; one case per labelled alternative)
void BuildJourneyItem(BuildCtx& ctx, JP::JourneyItemContext* c, ast::Journey& j) {
  if (!c || c->exception) return;
  Range range = RuleRange(ctx, c);
  if (auto* d = As<JP::DescriptionItemContext>(c)) {
    std::string text;
    if (DecodeString(ctx, d->STRING(), text)) j.descriptions.emplace_back(text, range);
  } else if (auto* t = As<JP::TimezoneItemContext>(c)) {
    ast::Timezone tz;
    tz.range = range;
    tz.user = t->USER() != nullptr;
    if (t->STRING() && !DecodeString(ctx, t->STRING(), tz.name)) return;
    if (!tz.user && !t->STRING()) return;
    j.timezones.push_back(tz);
  } else if (auto* e = As<JP::EntryItemContext>(c)) {
    ast::Entry entry;
    entry.range = range;
    entry.condition = BuildCondition(ctx, e->condition());
    if (!entry.condition) return;
    if (e->scheduleClause()) {
      ast::Schedule s;
      if (!BuildSchedule(ctx, e->scheduleClause(), s)) return;
      entry.schedule = s;
    }
    j.entries.push_back(std::move(entry));
  } else if (auto* r = As<JP::ReentryItemContext>(c)) {
    ast::Reentry re;
    re.range = range;
    if (r->NEVER()) re.kind = ast::Reentry::Never;
    else if (r->ALWAYS()) re.kind = ast::Reentry::Always;
    else {
      re.kind = ast::Reentry::After;
      if (!DurationOf(ctx, r->DURATION(), re.seconds)) return;
    }
    j.reentries.push_back(re);
  } else if (auto* t = As<JP::TimeoutItemContext>(c)) {
    int64_t s = 0;
    if (DurationOf(ctx, t->DURATION(), s)) j.timeouts.emplace_back(s, range);
  } else if (auto* g = As<JP::GoalItemContext>(c)) {
    ast::Goal goal;
    goal.range = range;
    if (!IdentOf(ctx, g->ident(), goal.name)) return;
    goal.condition = BuildCondition(ctx, g->condition());
    if (goal.condition) j.goals.push_back(std::move(goal));
  } else if (auto* d = As<JP::DndItemContext>(c)) {
    // days : EVERY DAY | dayRange (',' dayRange)* ;  dayRange : ident ('..' ident)? ;
    // timeRange : TIME '..' TIME ;
    ast::Dnd dnd;
    dnd.range = range;
    dnd.discard = d->DISCARD() != nullptr;
    auto* days = d->days();
    if (!days || days->exception) return;
    if (days->EVERY()) {
      dnd.everyDay = true;
    } else {
      for (auto* dr : days->dayRange()) {
        auto ids = dr->ident();
        ast::DayRange r;
        if (ids.empty() || !IdentOf(ctx, ids[0], r.first)) return;
        if (ids.size() > 1) {
          ast::Ident last;
          if (!IdentOf(ctx, ids[1], last)) return;
          r.last = last;
        }
        dnd.days.push_back(r);
      }
    }
    auto* tr = d->timeRange();
    if (!tr || tr->TIME().size() != 2) return;
    if (!TimeOf(ctx, tr->TIME(0), dnd.fromMinute) || !TimeOf(ctx, tr->TIME(1), dnd.toMinute)) return;
    for (auto* i : d->ident()) {
      ast::Ident ch;
      if (!IdentOf(ctx, i, ch)) return;
      dnd.channels.push_back(ch);
    }
    j.dnds.push_back(std::move(dnd));
  } else if (auto* l = As<JP::LimitItemContext>(c)) {
    ast::Limit lim;
    lim.range = range;
    if (!IdentOf(ctx, l->ident(), lim.channel) || !NumberOf(ctx, l->NUMBER(), lim.count) ||
        !DurationOf(ctx, l->DURATION(), lim.perSeconds))
      return;
    j.limits.push_back(lim);
  } else if (auto* s = As<JP::StartItemContext>(c)) {
    ast::Connector conn;
    conn.range = range;
    if (BuildTarget(ctx, s->target(), conn.target)) j.starts.push_back(conn);
  } else if (auto* n = As<JP::NodeItemContext>(c)) {
    ast::Node node;
    if (BuildNode(ctx, n->nodeDecl(), node)) {
      j.nodes.push_back(std::move(node));
    } else if (!node.name.text.empty()) {
      // Keep the name so connectors to it are not reported as unknown too.
      ast::Node stub;
      stub.name = node.name;
      stub.range = RuleRange(ctx, n);
      stub.broken = true;
      j.nodes.push_back(std::move(stub));
    }
  } else if (auto* f = As<JP::FlowItemContext>(c)) {
    ast::Flow flow;
    flow.range = range;
    for (auto* step : f->flowStep()) {
      ast::Node node;
      if (BuildFlowStep(ctx, step, node)) {
        flow.steps.push_back(std::move(node));
      } else {
        ast::Node stub;
        stub.name = node.name;
        stub.implicitName = node.implicitName || node.name.text.empty();
        stub.range = RuleRange(ctx, step);
        stub.broken = true;
        flow.steps.push_back(std::move(stub));
      }
    }
    j.flows.push_back(std::move(flow));
  }
}

// journeyDecl : 'journey' STRING '{' journeyItem* '}' ;
bool BuildJourney(BuildCtx& ctx, JP::JourneyDeclContext* c, ast::Journey& j) {
  if (!c) return false;
  j.range = RuleRange(ctx, c);
  j.nameRange = TokenRange(ctx, c->STRING());
  if (!DecodeString(ctx, c->STRING(), j.name)) return false;
  std::vector<JP::JourneyItemContext*> items = c->journeyItem();
  // Most items are nodes; reserving spares moving every node built so far
  // each time the vector grows (visible on 1,000-node files).
  j.nodes.reserve(items.size());
  for (auto* item : items) BuildJourneyItem(ctx, item, j);
  return true;
}

// fieldBound : NUMBER | DURATION ;  (a duration as its seconds)
bool BuildFieldBound(BuildCtx& ctx, JP::FieldBoundContext* b, double& out) {
  if (!b) return false;
  if (b->NUMBER()) return NumberOf(ctx, b->NUMBER(), out);
  int64_t seconds = 0;
  if (!DurationOf(ctx, b->DURATION(), seconds)) return false;
  out = static_cast<double>(seconds);
  return true;
}

// channelDecl : 'channel' ident '{' channelItem* '}' ;
// channelItem : (REQUIRED | OPTIONAL) ident ':' typeRef
//               ('in' '[' STRING (',' STRING)* ']' | 'in' fieldBound '..' fieldBound)? ','?
//             | REQUIRED ident (OR ident)+ ','?
//             | STATUS ident (',' ident)* (NEEDS 'timeout')? ;
bool BuildChannel(BuildCtx& ctx, JP::ChannelDeclContext* c, ast::ChannelDecl& ch) {
  if (!c || !IdentOf(ctx, c->ident(), ch.name)) return false;
  ch.range = RuleRange(ctx, c);
  for (auto* item : c->channelItem()) {
    if (auto* f = As<JP::ChannelFieldContext>(item)) {
      ast::ChannelField field;
      field.required = f->REQUIRED() != nullptr;
      if (!IdentOf(ctx, f->ident(), field.field.name) || !BuildTypeRef(ctx, f->typeRef(), field.field.type)) return false;
      for (auto* value : f->STRING()) {
        std::string text;
        if (!DecodeString(ctx, value, text)) return false;
        field.allowed.push_back(std::move(text));
      }
      if (f->fieldBound().size() == 2) {
        double bounds[2];
        for (size_t k = 0; k < 2; ++k)
          if (!BuildFieldBound(ctx, f->fieldBound(k), bounds[k])) return false;
        field.range = std::pair(bounds[0], bounds[1]);
      }
      ch.fields.push_back(field);
    } else if (auto* g = As<JP::ChannelRequiredGroupContext>(item)) {
      ast::ChannelRequiredGroup group;
      group.range = RuleRange(ctx, g);
      for (auto* i : g->ident()) {
        ast::Ident name;
        if (!IdentOf(ctx, i, name)) return false;
        group.fields.push_back(name);
      }
      ch.requiredGroups.push_back(std::move(group));
    } else if (auto* s = As<JP::ChannelStatusContext>(item)) {
      for (auto* i : s->ident()) {
        ast::ChannelStatus st;
        if (!IdentOf(ctx, i, st.name)) return false;
        st.needsTimeout = s->NEEDS() != nullptr;
        ch.statuses.push_back(st);
      }
    } else {
      return false;
    }
  }
  return true;
}

// functionDecl : (FUNCTION | FILTER) ident '(' (param (',' param)*)? ')' '->' typeRef ;
bool BuildFunction(BuildCtx& ctx, JP::FunctionDeclContext* c, ast::FunctionDecl& fn) {
  if (!c || !IdentOf(ctx, c->ident(), fn.name) || !BuildTypeRef(ctx, c->typeRef(), fn.result)) return false;
  fn.filter = c->FILTER() != nullptr;
  fn.range = RuleRange(ctx, c);
  for (auto* p : c->param()) {
    ast::FieldDecl param;
    if (!BuildFieldDecl(ctx, p, param)) return false;
    fn.params.push_back(param);
  }
  return true;
}

}  // namespace

// file : declaration* EOF ;
// declaration : journeyDecl | eventDecl | profileDecl | channelDecl | functionDecl ;
ast::File BuildFile(BuildCtx& ctx, JP::FileContext* tree) {
  ast::File file;
  file.fileId = ctx.fileId;
  if (!tree) return file;
  for (auto* d : tree->declaration()) {
    if (!d) continue;
    if (auto* j = d->journeyDecl()) {
      ast::Journey journey;
      if (BuildJourney(ctx, j, journey)) file.journeys.push_back(std::move(journey));
    } else if (auto* e = d->eventDecl()) {
      // eventDecl : 'event' STRING '{' fieldDecl* '}' ;
      ast::EventDecl ev;
      ev.range = RuleRange(ctx, e);
      ev.nameRange = TokenRange(ctx, e->STRING());
      if (!DecodeString(ctx, e->STRING(), ev.name)) continue;
      bool ok = true;
      for (auto* f : e->fieldDecl()) {
        ast::FieldDecl field;
        if (BuildFieldDecl(ctx, f, field)) ev.fields.push_back(field);
        else ok = false;
      }
      if (ok || !ev.fields.empty()) file.events.push_back(std::move(ev));
    } else if (auto* p = d->profileDecl()) {
      // profileDecl : 'profile' '{' fieldDecl* '}' ;
      ast::ProfileDecl prof;
      prof.range = RuleRange(ctx, p);
      for (auto* f : p->fieldDecl()) {
        ast::FieldDecl field;
        if (BuildFieldDecl(ctx, f, field)) prof.fields.push_back(field);
      }
      file.profiles.push_back(std::move(prof));
    } else if (auto* ch = d->channelDecl()) {
      ast::ChannelDecl decl;
      if (BuildChannel(ctx, ch, decl)) file.channels.push_back(std::move(decl));
    } else if (auto* fn = d->functionDecl()) {
      ast::FunctionDecl decl;
      if (BuildFunction(ctx, fn, decl)) file.functions.push_back(std::move(decl));
    }
  }
  return file;
}

}  // namespace journey::parse

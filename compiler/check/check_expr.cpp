// check_expr.cpp — typing and lowering of expressions and conditions.
//
// Errors produce an expression of type <error>, which is compatible with
// everything, so one mistake is reported once and not again by every
// operator above it.
#include <algorithm>
#include <filesystem>

#include "bytecode/module.h"
#include "check/checker.h"
#include "check/suggest.h"
#include "support/strings.h"

namespace journey {

using ir::Type;
using ir::TypeKind;

namespace {

ir::Expr ErrorExpr() {
  ir::Expr e;
  e.type = Type::Of(TypeKind::Error);
  return e;
}

std::vector<std::string> FieldNames(const std::vector<ir::Field>& fields) {
  std::vector<std::string> out;
  for (const ir::Field& f : fields) out.push_back(f.name);
  return out;
}

bool IsError(const Type& t) { return t.kind == TypeKind::Error; }

ir::ExprOp BinaryOp(const std::string& op) {
  static const std::map<std::string, ir::ExprOp> kOps = {
      {"+", ir::ExprOp::Add},         {"-", ir::ExprOp::Sub},          {"*", ir::ExprOp::Mul},
      {"/", ir::ExprOp::Div},         {"%", ir::ExprOp::Mod},          {"==", ir::ExprOp::Eq},
      {"!=", ir::ExprOp::Ne},         {"<", ir::ExprOp::Lt},           {"<=", ir::ExprOp::Le},
      {">", ir::ExprOp::Gt},          {">=", ir::ExprOp::Ge},          {"in", ir::ExprOp::In},
      {"contains", ir::ExprOp::Contains}, {"starts_with", ir::ExprOp::StartsWith},
      {"ends_with", ir::ExprOp::EndsWith}, {"and", ir::ExprOp::And},   {"or", ir::ExprOp::Or}};
  auto it = kOps.find(op);
  return it == kOps.end() ? ir::ExprOp::Eq : it->second;
}

}  // namespace

ir::SourceLoc Checker::loc(Range r) const {
  if (!r.valid()) return {};
  LineCol lc = sm_.file(r.file).lineCol(r.begin);
  return {lc.line, lc.col};
}

const ir::Field* Checker::profileField(const std::string& name) const {
  for (const ir::Field& f : profile_)
    if (f.name == name) return &f;
  return nullptr;
}

bool Checker::compatible(Type expected, Type actual) const {
  if (IsError(expected) || IsError(actual)) return true;
  if (expected.kind == TypeKind::Any || actual.kind == TypeKind::Any) return true;
  if (expected.kind == TypeKind::List && actual.kind == TypeKind::List)
    return expected.element == actual.element || expected.element == TypeKind::Any || actual.element == TypeKind::Any;
  return expected.kind == actual.kind;
}

bool Checker::expectBool(const ir::Expr& e, Range r) {
  if (compatible(Type::Of(TypeKind::Bool), e.type)) return true;
  diags_.emit(diag::NotBoolean, r, ir::TypeName(e.type));
  return false;
}

const EventInfo* Checker::findEvent(const std::string& name, Range r) {
  auto it = events_.find(name);
  if (it != events_.end()) {
    usedEvents_.insert(name);
    return &it->second;
  }
  std::vector<std::string> names;
  for (const auto& [n, _] : events_) names.push_back(n);
  Diagnostic& d = diags_.emit(diag::UnknownEvent, r, name);
  if (!SuggestNearest(d, r, name, names, Spelt::String)) d.help.push_back("declare it: event \"" + name + "\" { property: type ... }");
  return nullptr;
}

namespace {

bool IsListOrMap(const ast::Expr& e) { return e.kind == ast::ExprKind::List || e.kind == ast::ExprKind::Map; }

// The levels and values of a literal as the VM's walk counts them
// (bc::kMaxValueDepth): a part that is not a literal counts as one value
// of one level, since its own size is not known before the run.
struct LiteralSize {
  size_t levels = 1, values = 1;
};
LiteralSize MeasureLiteral(const ast::Expr& e) {
  LiteralSize size;
  if (!IsListOrMap(e)) return size;
  for (const auto& part : e.operands) {
    LiteralSize inner = MeasureLiteral(*part);
    size.levels = std::max(size.levels, inner.levels + 1);
    size.values += inner.values;
  }
  return size;
}

}  // namespace

static_assert(bc::kMaxValueDepth == 32 && bc::kMaxValueNodes == 4096, "diag::ValueTooLarge's message names these bounds");

void Checker::checkLiteralSize(const ast::Expr& literal) {
  if (insideLiteral_ || !IsListOrMap(literal)) return;
  LiteralSize size = MeasureLiteral(literal);
  const char* what = literal.kind == ast::ExprKind::Map ? "map" : "list";
  if (size.levels > bc::kMaxValueDepth)
    diags_.emit(diag::ValueTooLarge, literal.range, what, "is " + std::to_string(size.levels) + " levels deep");
  else if (size.values > bc::kMaxValueNodes)
    diags_.emit(diag::ValueTooLarge, literal.range, what, "holds " + std::to_string(size.values) + " values");
}

FlagScope Checker::enterExpr(const ast::Expr& e) {
  checkLiteralSize(e);
  return FlagScope(insideLiteral_, IsListOrMap(e));
}

ir::Expr Checker::lowerExpr(const ast::Expr& e, const Scope& scope) {
  FlagScope nesting = enterExpr(e);
  ir::Expr out;
  out.loc = loc(e.range);
  switch (e.kind) {
    case ast::ExprKind::Literal:
      switch (e.literal) {
        case ast::LiteralKind::String: out.value.type = Type::Of(TypeKind::String); out.value.text = e.text; break;
        case ast::LiteralKind::Number:
        case ast::LiteralKind::Percent: out.value.type = Type::Of(TypeKind::Number); out.value.number = e.number; break;
        case ast::LiteralKind::Duration: out.value.type = Type::Of(TypeKind::Duration); out.value.number = e.number; break;
        case ast::LiteralKind::Time:
          // A time of day compares as the duration since midnight.
          out.value.type = Type::Of(TypeKind::Duration);
          out.value.number = e.number * 60;
          break;
        case ast::LiteralKind::Date: out.value.type = Type::Of(TypeKind::Datetime); out.value.number = e.number * 86400; break;
        case ast::LiteralKind::Bool: out.value.type = Type::Of(TypeKind::Bool); out.value.boolean = e.boolean; break;
      }
      out.op = ir::ExprOp::Literal;
      out.type = out.value.type;
      return out;

    case ast::ExprKind::Name: {
      if (scope.whereEvent) {
        if (const ir::Field* f = scope.whereEvent->field(e.name.text)) {
          out.op = ir::ExprOp::EventProp;
          out.name = f->name;
          out.type = f->type;
          return out;
        }
        Diagnostic& d = diags_.emit(diag::UnknownProperty, e.range, "event \"" + scope.whereEvent->name + "\"", e.name.text);
        SuggestNearest(d, e.range, e.name.text, FieldNames(scope.whereEvent->fields));
        return ErrorExpr();
      }
      Diagnostic& d = diags_.emit(diag::UnknownName, e.range, e.name.text);
      if (profileField(e.name.text)) SuggestNearest(d, e.range, e.name.text, {e.name.text}, Spelt::Name, "profile.");
      else if (entryEvent_ && entryEvent_->field(e.name.text)) SuggestNearest(d, e.range, e.name.text, {e.name.text}, Spelt::Name, "entry.");
      else d.help.push_back("plain names are event properties and only exist inside `where`");
      return ErrorExpr();
    }

    case ast::ExprKind::Member: {
      const ast::Expr& obj = *e.operands[0];
      const std::string& prop = e.name.text;
      if (obj.kind == ast::ExprKind::Name && obj.name.text == "profile") {
        if (const ir::Field* f = profileField(prop)) {
          out.op = ir::ExprOp::Profile;
          out.name = prop;
          out.type = f->type;
          return out;
        }
        Diagnostic& d = diags_.emit(diag::UnknownProperty, e.name.range, "the profile", prop);
        if (!SuggestNearest(d, e.range, prop, FieldNames(profile_), Spelt::Name, "profile."))
          d.help.push_back("declare it in `profile { " + prop + ": type }`");
        return ErrorExpr();
      }
      if (obj.kind == ast::ExprKind::Name && obj.name.text == "entry") {
        if (!entryHasEvent_) {
          diags_.emit(diag::EntryEventUnavailable, e.range, prop);
          return ErrorExpr();
        }
        if (!entryEvent_) return ErrorExpr();  // entry event unknown: already reported
        if (const ir::Field* f = entryEvent_->field(prop)) {
          out.op = ir::ExprOp::EntryProp;
          out.name = prop;
          out.type = f->type;
          return out;
        }
        Diagnostic& d = diags_.emit(diag::UnknownProperty, e.name.range, "entry event \"" + entryEvent_->name + "\"", prop);
        SuggestNearest(d, e.range, prop, FieldNames(entryEvent_->fields), Spelt::Name, "entry.");
        return ErrorExpr();
      }
      ir::Expr inner = lowerExpr(obj, scope);
      if (!IsError(inner.type)) diags_.emit(diag::UnknownProperty, e.name.range, ir::TypeName(inner.type), prop);
      return ErrorExpr();
    }

    case ast::ExprKind::Index: {
      ir::Expr base = lowerExpr(*e.operands[0], scope);
      ir::Expr index = lowerExpr(*e.operands[1], scope);
      out.op = ir::ExprOp::Index;
      if (base.type.kind == TypeKind::List && compatible(Type::Of(TypeKind::Number), index.type)) {
        out.type = Type::Of(base.type.element);
      } else if (base.type.kind == TypeKind::Map && compatible(Type::Of(TypeKind::String), index.type)) {
        out.type = Type::Of(TypeKind::Any);
      } else {
        if (!IsError(base.type) && !IsError(index.type))
          diags_.emit(diag::TypeMismatch, e.range, "[]", ir::TypeName(base.type), ir::TypeName(index.type));
        return ErrorExpr();
      }
      out.args.push_back(std::move(base));
      out.args.push_back(std::move(index));
      return out;
    }

    case ast::ExprKind::Call: {
      std::vector<ir::Expr> args;
      for (const auto& a : e.operands) args.push_back(lowerExpr(*a, scope));
      auto it = lib_.functions.find(e.name.text);
      if (it == lib_.functions.end()) {
        std::vector<std::string> names;
        for (const auto& [n, _] : lib_.functions) names.push_back(n);
        Diagnostic& d = diags_.emit(diag::UnknownFunction, e.name.range, e.name.text);
        SuggestNearest(d, e.name.range, e.name.text, names);
        return ErrorExpr();
      }
      const FunctionInfo& fn = it->second;
      if (args.size() != fn.params.size()) {
        diags_.emit(diag::ArgumentCount, e.range, fn.name, static_cast<int>(fn.params.size()), static_cast<int>(args.size()));
        return ErrorExpr();
      }
      bool ok = true;
      for (size_t i = 0; i < args.size(); ++i) {
        if (!compatible(fn.params[i].type, args[i].type)) {
          diags_.emit(diag::ArgumentType, e.operands[i]->range, fn.name, ir::TypeName(fn.params[i].type),
                      ir::TypeName(args[i].type));
          ok = false;
        }
      }
      if (!ok) return ErrorExpr();
      out.op = ir::ExprOp::Call;
      out.name = fn.name;
      out.type = fn.result.kind == TypeKind::Any && !args.empty() ? args[0].type : fn.result;
      out.args = std::move(args);
      return out;
    }

    case ast::ExprKind::Unary: {
      ir::Expr x = lowerExpr(*e.operands[0], scope);
      if (IsError(x.type)) return ErrorExpr();
      bool isNot = e.name.text == "not";
      out.op = isNot ? ir::ExprOp::Not : ir::ExprOp::Neg;
      bool ok = isNot ? compatible(Type::Of(TypeKind::Bool), x.type)
                      : (x.type.kind == TypeKind::Number || x.type.kind == TypeKind::Duration || x.type.kind == TypeKind::Any);
      if (!ok) {
        diags_.emit(diag::TypeMismatch, e.range, e.name.text, ir::TypeName(x.type), "nothing");
        return ErrorExpr();
      }
      out.type = isNot ? Type::Of(TypeKind::Bool) : x.type;
      out.args.push_back(std::move(x));
      return out;
    }

    case ast::ExprKind::Binary: {
      ir::Expr l = lowerExpr(*e.operands[0], scope);
      ir::Expr r = lowerExpr(*e.operands[1], scope);
      if (IsError(l.type) || IsError(r.type)) return ErrorExpr();
      out.op = BinaryOp(e.name.text);
      TypeKind lk = l.type.kind, rk = r.type.kind;
      bool any = lk == TypeKind::Any || rk == TypeKind::Any;
      std::optional<Type> result;
      switch (out.op) {
        case ir::ExprOp::Add:
        case ir::ExprOp::Sub:
          if (any) result = lk == TypeKind::Any ? r.type : l.type;
          else if (lk == TypeKind::Number && rk == TypeKind::Number) result = l.type;
          else if (lk == TypeKind::Duration && rk == TypeKind::Duration) result = l.type;
          else if (lk == TypeKind::Datetime && rk == TypeKind::Duration) result = l.type;
          else if (out.op == ir::ExprOp::Sub && lk == TypeKind::Datetime && rk == TypeKind::Datetime) result = Type::Of(TypeKind::Duration);
          else if (out.op == ir::ExprOp::Add && lk == TypeKind::String && rk == TypeKind::String) result = l.type;
          break;
        case ir::ExprOp::Mul:
        case ir::ExprOp::Div:
        case ir::ExprOp::Mod:
          if (any || (lk == TypeKind::Number && rk == TypeKind::Number)) result = Type::Of(TypeKind::Number);
          else if (lk == TypeKind::Duration && rk == TypeKind::Number && out.op != ir::ExprOp::Mod) result = l.type;
          break;
        case ir::ExprOp::Eq:
        case ir::ExprOp::Ne:
          if (compatible(l.type, r.type)) result = Type::Of(TypeKind::Bool);
          break;
        case ir::ExprOp::Lt:
        case ir::ExprOp::Le:
        case ir::ExprOp::Gt:
        case ir::ExprOp::Ge:
          if (compatible(l.type, r.type) && lk != TypeKind::Bool && lk != TypeKind::List && lk != TypeKind::Map)
            result = Type::Of(TypeKind::Bool);
          break;
        case ir::ExprOp::In:
          if (rk == TypeKind::Any || (rk == TypeKind::List && compatible(Type::Of(r.type.element), l.type)) ||
              (rk == TypeKind::String && compatible(Type::Of(TypeKind::String), l.type)))
            result = Type::Of(TypeKind::Bool);
          break;
        case ir::ExprOp::Contains:
          if (lk == TypeKind::Any || (lk == TypeKind::List && compatible(Type::Of(l.type.element), r.type)) ||
              (lk == TypeKind::String && compatible(Type::Of(TypeKind::String), r.type)))
            result = Type::Of(TypeKind::Bool);
          break;
        case ir::ExprOp::StartsWith:
        case ir::ExprOp::EndsWith:
          if (compatible(Type::Of(TypeKind::String), l.type) && compatible(Type::Of(TypeKind::String), r.type))
            result = Type::Of(TypeKind::Bool);
          break;
        case ir::ExprOp::And:
        case ir::ExprOp::Or:
          if (compatible(Type::Of(TypeKind::Bool), l.type) && compatible(Type::Of(TypeKind::Bool), r.type))
            result = Type::Of(TypeKind::Bool);
          break;
        default: break;
      }
      if (!result) {
        diags_.emit(diag::TypeMismatch, e.name.range, e.name.text, ir::TypeName(l.type), ir::TypeName(r.type));
        return ErrorExpr();
      }
      out.type = *result;
      out.args.push_back(std::move(l));
      out.args.push_back(std::move(r));
      return out;
    }

    case ast::ExprKind::List: {
      out.op = ir::ExprOp::List;
      TypeKind elem = TypeKind::Any;
      bool ok = true;
      for (const auto& item : e.operands) {
        ir::Expr x = lowerExpr(*item, scope);
        if (IsError(x.type)) ok = false;
        else if (x.type.kind == TypeKind::List || x.type.kind == TypeKind::Map) {
          diags_.emit(diag::TypeMismatch, item->range, "[]", "list", ir::TypeName(x.type));
          ok = false;
        } else if (elem == TypeKind::Any) {
          elem = x.type.kind;
        } else if (x.type.kind != elem && x.type.kind != TypeKind::Any) {
          diags_.emit(diag::TypeMismatch, item->range, "[]", ir::TypeName(Type::ListOf(elem)), ir::TypeName(x.type));
          ok = false;
        }
        out.args.push_back(std::move(x));
      }
      if (!ok) return ErrorExpr();
      out.type = Type::ListOf(elem);
      return out;
    }

    case ast::ExprKind::Map: {
      out.op = ir::ExprOp::Map;
      std::set<std::string> seen;
      for (size_t i = 0; i < e.operands.size(); ++i) {
        if (!seen.insert(e.keys[i].text).second) diags_.emit(diag::DuplicateName, e.keys[i].range, "key", e.keys[i].text);
        out.keys.push_back(e.keys[i].text);
        out.args.push_back(lowerExpr(*e.operands[i], scope));
      }
      out.type = Type::Of(TypeKind::Map);
      return out;
    }
  }
  return ErrorExpr();
}

namespace {

ir::ExprOp CompareOp(const std::string& op) {
  if (op == "==") return ir::ExprOp::Eq;
  if (op == "!=") return ir::ExprOp::Ne;
  if (op == "<") return ir::ExprOp::Lt;
  if (op == "<=") return ir::ExprOp::Le;
  if (op == ">") return ir::ExprOp::Gt;
  return ir::ExprOp::Ge;
}

ir::Aggregate AggregateOf(const std::string& fn) {
  if (fn == "count") return ir::Aggregate::Count;
  if (fn == "sum") return ir::Aggregate::Sum;
  if (fn == "avg") return ir::Aggregate::Avg;
  if (fn == "min") return ir::Aggregate::Min;
  return ir::Aggregate::Max;
}

}  // namespace

ir::Cond Checker::lowerCond(const ast::Cond& c, CondSite site, CondShape& shape) {
  ir::Cond out;
  out.loc = loc(c.range);
  switch (c.kind) {
    case ast::CondKind::Not: {
      out.op = ir::CondOp::Not;
      const ast::Cond& inner = *c.operands[0];
      if (inner.kind == ast::CondKind::Did && inner.period.kind == ast::Period::Within) {
        // `not did B within T`: the absence half of an inaction.
        CondShape innerShape;
        out.args.push_back(lowerCond(inner, site, innerShape));
        shape.inaction = true;
        return out;
      }
      out.args.push_back(lowerCond(inner, site, shape));
      return out;
    }
    case ast::CondKind::And:
    case ast::CondKind::Or:
      out.op = c.kind == ast::CondKind::And ? ir::CondOp::And : ir::CondOp::Or;
      out.args.push_back(lowerCond(*c.operands[0], site, shape));
      out.args.push_back(lowerCond(*c.operands[1], site, shape));
      return out;
    case ast::CondKind::Did: {
      out.op = ir::CondOp::Did;
      ir::Did& d = out.did;
      d.event = c.event;
      const EventInfo* ev = findEvent(c.event, c.eventRange);
      if (c.where && ev) {
        Scope scope{ev};
        ir::Expr w = lowerExpr(*c.where, scope);
        expectBool(w, c.where->range);
        d.where = std::move(w);
      }
      if (c.aggregate) {
        d.aggregate = AggregateOf(c.aggregate->function);
        d.compare = CompareOp(c.aggregate->compare);
        d.threshold = c.aggregate->threshold;
        if (c.aggregate->property && ev) {
          const ast::Ident& p = *c.aggregate->property;
          d.aggregateProperty = p.text;
          const ir::Field* f = ev->field(p.text);
          if (!f) {
            Diagnostic& diag = diags_.emit(diag::UnknownProperty, p.range, "event \"" + ev->name + "\"", p.text);
            SuggestNearest(diag, p.range, p.text, FieldNames(ev->fields));
          } else if (f->type.kind != TypeKind::Number) {
            diags_.emit(diag::AggregateType, p.range, c.aggregate->function, p.text);
          }
        }
      }
      if (c.period.kind == ast::Period::Last) {
        d.period = ir::PeriodKind::Last;
        shape.past = true;
      } else {
        d.period = c.period.kind == ast::Period::Within ? ir::PeriodKind::Within : ir::PeriodKind::None;
        shape.live = true;
        // Status events only resume status branches (and meet goals): the
        // engine never matches them against entries or live waits.
        if (c.event == bc::kMessageStatusEvent && site != CondSite::Goal)
          diags_.emit(diag::StatusNotLive, c.eventRange, site == CondSite::Entry ? "an entry" : "a segment");
      }
      d.periodSeconds = c.period.seconds;
      if (c.period.kind != ast::Period::None && c.period.seconds <= 0)
        diags_.emit(diag::InvalidValue, c.period.range, "a time period must be longer than 0s");
      return out;
    }
    case ast::CondKind::JourneyTrigger:
    case ast::CondKind::CustomList: {
      bool trigger = c.kind == ast::CondKind::JourneyTrigger;
      out.op = trigger ? ir::CondOp::JourneyTrigger : ir::CondOp::CustomList;
      out.journey = c.journey;
      out.node = c.node.text;
      out.list = c.list;
      (trigger ? shape.trigger : shape.list) = true;
      if (site != CondSite::Entry) {
        diags_.emit(diag::EntryOnlyCondition, c.range, trigger ? "a journey trigger" : "a custom list");
      } else if (!trigger) {
        std::filesystem::path p = std::filesystem::path(journeyDir_) / c.list;
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) diags_.emit(diag::MissingCustomList, c.range, c.list);
      }
      return out;
    }
    case ast::CondKind::RelativeTime: {
      out.op = ir::CondOp::RelativeTime;
      out.offsetSeconds = c.before ? -c.offsetSeconds : c.offsetSeconds;
      out.expr = lowerExpr(*c.expr, Scope{});
      if (!compatible(Type::Of(TypeKind::Datetime), out.expr.type) || out.expr.type.kind == TypeKind::Any)
        if (out.expr.type.kind != TypeKind::Error) diags_.emit(diag::NotDatetime, c.expr->range, ir::TypeName(out.expr.type));
      shape.relative = true;
      return out;
    }
    case ast::CondKind::Predicate:
      out.op = ir::CondOp::Predicate;
      out.expr = lowerExpr(*c.expr, Scope{});
      expectBool(out.expr, c.expr->range);
      shape.predicate = true;
      return out;
  }
  return out;
}

}  // namespace journey

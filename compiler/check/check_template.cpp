// check_template.cpp — message templates: "Hi {{ profile.first_name | default \"there\" }}".
//
// A template is parsed once, here, into an ir::Expr of op Template whose
// parts are literal text and typed lookups passed through filters. The VM
// renders that structure; it never re-parses text, so user data containing
// `{{` cannot inject anything. Diagnostics point at the exact column inside
// the string, using the decoder's map from decoded to source offsets.
#include <algorithm>
#include <cctype>

#include "check/checker.h"
#include "check/suggest.h"
#include "parse/parse.h"
#include "support/strings.h"

namespace journey {

using ir::Type;
using ir::TypeKind;

namespace {

struct TemplateCursor {
  const std::string& text;
  size_t pos = 0;
  void skipSpace() {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  bool atEnd() const { return pos >= text.size(); }
  bool startsWith(const char* s) const { return text.compare(pos, std::char_traits<char>::length(s), s) == 0; }
  std::string ident() {
    size_t b = pos;
    while (pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_')) ++pos;
    return text.substr(b, pos - b);
  }
};

ir::Expr StringLiteral(std::string s) {
  ir::Expr e;
  e.op = ir::ExprOp::Literal;
  e.type = Type::Of(TypeKind::String);
  e.value.type = e.type;
  e.value.text = std::move(s);
  return e;
}

}  // namespace

ir::Expr Checker::lowerTemplate(const ast::Expr& literal) {
  const std::string& text = literal.text;
  if (text.find("{{") == std::string::npos && text.find("}}") == std::string::npos) return lowerExpr(literal, Scope{});

  std::vector<uint32_t> offsets;
  std::string decoded;
  DecodeStringLiteral(sm_.text(literal.range), decoded, &offsets, nullptr);
  // Where the template's bytes b..e are written; the whole string when
  // escapes make that unclear (then a fix has nowhere exact to go).
  const bool exact = decoded == text && offsets.size() == text.size() + 1;
  auto rangeAt = [&](size_t b, size_t e) {
    Range r = literal.range;
    if (!exact) return r;
    r.begin = literal.range.begin + offsets[std::min(b, offsets.size() - 1)];
    r.end = literal.range.begin + offsets[std::min(std::max(e, b + 1), offsets.size() - 1)];
    if (r.end <= r.begin) r.end = r.begin + 1;
    return r;
  };

  ir::Expr out;
  out.op = ir::ExprOp::Template;
  out.type = Type::Of(TypeKind::String);
  out.loc = loc(literal.range);
  bool ok = true;
  TemplateCursor cur{text};
  std::string pending;
  while (!cur.atEnd()) {
    if (cur.startsWith("}}")) {
      diags_.emit(diag::TemplateSyntax, rangeAt(cur.pos, cur.pos + 2), "`}}` without a matching `{{`");
      return out.type = Type::Of(TypeKind::Error), out;
    }
    if (!cur.startsWith("{{")) {
      pending += text[cur.pos++];
      continue;
    }
    size_t open = cur.pos;
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      diags_.emit(diag::TemplateSyntax, rangeAt(open, open + 2), "`{{` is not closed by `}}`");
      return out.type = Type::Of(TypeKind::Error), out;
    }
    if (!pending.empty()) out.args.push_back(StringLiteral(std::move(pending)));
    pending.clear();
    cur.pos = open + 2;
    cur.skipSpace();
    // path := ident '.' ident
    size_t pathStart = cur.pos;
    std::string root = cur.ident();
    std::string prop;
    if (cur.pos < text.size() && text[cur.pos] == '.') {
      ++cur.pos;
      prop = cur.ident();
    }
    size_t pathEnd = cur.pos;
    ir::Expr value;
    value.loc = loc(rangeAt(pathStart, pathEnd));
    if (root.empty() || prop.empty() || (root != "profile" && root != "entry")) {
      diags_.emit(diag::TemplateSyntax, rangeAt(pathStart, std::max(pathEnd, pathStart + 1)),
                  "expected `profile.name` or `entry.name` after `{{`");
      ok = false;
      cur.pos = close + 2;
      continue;
    }
    if (root == "profile") {
      const ir::Field* f = profileField(prop);
      if (!f) {
        std::vector<std::string> names;
        for (const ir::Field& p : profile_) names.push_back(p.name);
        Diagnostic& d = diags_.emit(diag::TemplateUnknownProperty, rangeAt(pathStart, pathEnd), root, prop);
        SuggestNearest(d, exact ? rangeAt(pathStart, pathEnd) : Range{}, prop, names, Spelt::Name, "profile.");
        ok = false;
      } else {
        value.op = ir::ExprOp::Profile;
        value.name = prop;
        value.type = f->type;
      }
    } else if (!entryHasEvent_) {
      diags_.emit(diag::EntryEventUnavailable, rangeAt(pathStart, pathEnd), prop);
      ok = false;
    } else if (entryEvent_) {
      const ir::Field* f = entryEvent_->field(prop);
      if (!f) {
        std::vector<std::string> names;
        for (const ir::Field& p : entryEvent_->fields) names.push_back(p.name);
        Diagnostic& d = diags_.emit(diag::TemplateUnknownProperty, rangeAt(pathStart, pathEnd), root, prop);
        SuggestNearest(d, exact ? rangeAt(pathStart, pathEnd) : Range{}, prop, names, Spelt::Name, "entry.");
        ok = false;
      } else {
        value.op = ir::ExprOp::EntryProp;
        value.name = prop;
        value.type = f->type;
      }
    } else {
      ok = false;
    }
    // filters := ('|' ident arg*)*
    cur.skipSpace();
    while (ok && cur.pos < close) {
      if (text[cur.pos] != '|') {
        diags_.emit(diag::TemplateSyntax, rangeAt(cur.pos, cur.pos + 1),
                    std::string("unexpected `") + text[cur.pos] + "`; expected `|` or `}}`");
        ok = false;
        break;
      }
      ++cur.pos;
      cur.skipSpace();
      size_t nameStart = cur.pos;
      std::string name = cur.ident();
      if (name.empty()) {
        diags_.emit(diag::TemplateSyntax, rangeAt(nameStart, nameStart + 1), "expected a filter name after `|`");
        ok = false;
        break;
      }
      ir::Expr call;
      call.op = ir::ExprOp::Filter;
      call.name = name;
      call.loc = loc(rangeAt(nameStart, cur.pos));
      call.args.push_back(std::move(value));
      cur.skipSpace();
      while (cur.pos < close && text[cur.pos] != '|') {
        size_t argStart = cur.pos;
        if (text[cur.pos] == '"') {
          size_t end = text.find('"', cur.pos + 1);
          if (end == std::string::npos || end > close) {
            diags_.emit(diag::TemplateSyntax, rangeAt(argStart, argStart + 1), "filter argument string is not closed");
            ok = false;
            break;
          }
          call.args.push_back(StringLiteral(text.substr(cur.pos + 1, end - cur.pos - 1)));
          cur.pos = end + 1;
        } else if (std::isdigit(static_cast<unsigned char>(text[cur.pos])) || text[cur.pos] == '-') {
          size_t end = cur.pos + 1;
          while (end < close && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
          ir::Expr n;
          n.op = ir::ExprOp::Literal;
          n.type = n.value.type = Type::Of(TypeKind::Number);
          try {
            n.value.number = std::stod(text.substr(cur.pos, end - cur.pos));
          } catch (...) {
            diags_.emit(diag::TemplateSyntax, rangeAt(argStart, end), "malformed number");
            ok = false;
            break;
          }
          call.args.push_back(std::move(n));
          cur.pos = end;
        } else {
          diags_.emit(diag::TemplateSyntax, rangeAt(argStart, argStart + 1),
                      "filter arguments are \"strings\" or numbers");
          ok = false;
          break;
        }
        cur.skipSpace();
      }
      if (!ok) break;
      auto it = lib_.filters.find(name);
      if (it == lib_.filters.end()) {
        std::vector<std::string> names;
        for (const auto& [n, _] : lib_.filters) names.push_back(n);
        Diagnostic& d = diags_.emit(diag::UnknownFilter, rangeAt(nameStart, nameStart + name.size()), name);
        std::sort(names.begin(), names.end());
        if (!SuggestNearest(d, exact ? rangeAt(nameStart, nameStart + name.size()) : Range{}, name, names))
          d.help.push_back("the filters are " + JoinQuoted(names));
        ok = false;
        break;
      }
      const FunctionInfo& fn = it->second;
      if (call.args.size() != fn.params.size()) {
        diags_.emit(diag::ArgumentCount, rangeAt(nameStart, nameStart + name.size()), name,
                    static_cast<int>(fn.params.size()) - 1, static_cast<int>(call.args.size()) - 1);
        ok = false;
        break;
      }
      for (size_t i = 0; i < call.args.size(); ++i) {
        if (!compatible(fn.params[i].type, call.args[i].type)) {
          diags_.emit(diag::ArgumentType, rangeAt(nameStart, nameStart + name.size()), name,
                      ir::TypeName(fn.params[i].type), ir::TypeName(call.args[i].type));
          ok = false;
        }
      }
      call.type = fn.result.kind == TypeKind::Any ? call.args[0].type : fn.result;
      value = std::move(call);
    }
    if (ok) out.args.push_back(std::move(value));
    cur.pos = close + 2;
  }
  if (!pending.empty()) out.args.push_back(StringLiteral(std::move(pending)));
  if (!ok) out.type = Type::Of(TypeKind::Error);
  return out;
}

ir::Expr Checker::lowerContent(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::Literal && e.literal == ast::LiteralKind::String) return lowerTemplate(e);
  if (e.kind == ast::ExprKind::Map || e.kind == ast::ExprKind::List) {
    FlagScope nesting = enterExpr(e);
    ir::Expr out;
    out.op = e.kind == ast::ExprKind::Map ? ir::ExprOp::Map : ir::ExprOp::List;
    out.loc = loc(e.range);
    TypeKind elem = TypeKind::Any;
    std::set<std::string> seen;
    for (size_t i = 0; i < e.operands.size(); ++i) {
      ir::Expr x = lowerContent(*e.operands[i]);
      if (e.kind == ast::ExprKind::Map) {
        if (!seen.insert(e.keys[i].text).second) diags_.emit(diag::DuplicateName, e.keys[i].range, "key", e.keys[i].text);
        out.keys.push_back(e.keys[i].text);
      } else if (x.type.kind != TypeKind::Error) {
        if (elem == TypeKind::Any) elem = x.type.kind;
        else if (x.type.kind != elem) diags_.emit(diag::TypeMismatch, e.operands[i]->range, "[]", ir::TypeName(Type::ListOf(elem)), ir::TypeName(x.type));
      }
      out.args.push_back(std::move(x));
    }
    out.type = e.kind == ast::ExprKind::Map ? Type::Of(TypeKind::Map) : Type::ListOf(elem);
    return out;
  }
  return lowerExpr(e, Scope{});
}

}  // namespace journey

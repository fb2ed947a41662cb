// stdlib.cpp — turns the parsed stdlib declarations into lookup tables.
#include "check/stdlib.h"

#include <cstdio>

#include "parse/parse.h"

namespace journey {

std::string Stdlib::channelList() const {
  std::string out;
  for (const auto& [name, _] : channels) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool ResolveType(const ast::TypeRef& t, ir::Type& out, DiagEngine& diags) {
  static const std::map<std::string, ir::TypeKind> kScalars = {
      {"string", ir::TypeKind::String},     {"number", ir::TypeKind::Number}, {"bool", ir::TypeKind::Bool},
      {"datetime", ir::TypeKind::Datetime}, {"duration", ir::TypeKind::Duration}, {"map", ir::TypeKind::Map},
      {"any", ir::TypeKind::Any}};
  if (t.name.text == "list") {
    ir::Type elem;
    if (!t.element) {
      diags.emit(diag::UnknownType, t.range, "list (write list<string> or list<number>)");
      return false;
    }
    if (!ResolveType(*t.element, elem, diags)) return false;
    if (elem.kind == ir::TypeKind::List || elem.kind == ir::TypeKind::Map) {
      diags.emit(diag::UnknownType, t.range, "list<" + t.element->name.text + ">");
      return false;
    }
    out = ir::Type::ListOf(elem.kind);
    return true;
  }
  auto it = kScalars.find(t.name.text);
  if (it == kScalars.end() || t.element) {
    diags.emit(diag::UnknownType, t.range, t.name.text);
    return false;
  }
  out = ir::Type::Of(it->second);
  return true;
}

std::string FieldNumberText(const ir::Type& t, double v) {
  if (t.kind == ir::TypeKind::Duration) return ir::FormatDuration(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Stdlib LoadStdlib(SourceManager& sm, DiagEngine& diags) {
  Stdlib lib;
  for (const auto& [name, text] : EmbeddedStdlibSources()) {
    uint32_t id = sm.add("<stdlib>/" + name, text);
    ast::File file = Parse(sm, id, diags);
    for (const ast::ChannelDecl& c : file.channels) {
      ChannelInfo info;
      info.name = c.name.text;
      for (const ast::ChannelField& f : c.fields) {
        ChannelInfo::Field field{f.field.name.text, {}, f.required, f.allowed, f.range};
        if (ResolveType(f.field.type, field.type, diags)) info.fields.push_back(field);
      }
      for (const ast::ChannelRequiredGroup& g : c.requiredGroups) {
        std::vector<std::string> names;
        for (const ast::Ident& i : g.fields) names.push_back(i.text);
        info.requiredGroups.push_back(std::move(names));
      }
      for (const ast::ChannelStatus& s : c.statuses) info.statuses.push_back({s.name.text, s.needsTimeout});
      lib.channels[info.name] = info;
    }
    for (const ast::FunctionDecl& f : file.functions) {
      FunctionInfo info;
      info.name = f.name.text;
      bool ok = ResolveType(f.result, info.result, diags);
      for (const ast::FieldDecl& p : f.params) {
        ir::Field field{p.name.text, {}};
        ok = ResolveType(p.type, field.type, diags) && ok;
        info.params.push_back(field);
      }
      if (ok) (f.filter ? lib.filters : lib.functions)[info.name] = info;
    }
    for (const ast::EventDecl& e : file.events) {
      std::vector<ir::Field> fields;
      for (const ast::FieldDecl& f : e.fields) {
        ir::Field field{f.name.text, {}};
        if (ResolveType(f.type, field.type, diags)) fields.push_back(field);
      }
      lib.events[e.name] = fields;
    }
  }
  return lib;
}

}  // namespace journey

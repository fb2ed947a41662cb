// navigation.cpp — go to definition, find references and the outline.
//
// Node and goal names are the only names a journey defines and refers to
// by itself (events and properties are schema, channels are stdlib), so
// the index built by Analysis is all these need.
#include <algorithm>
#include <set>

#include "lsp/features.h"

namespace journey::lsp {

namespace {

// LSP SymbolKind values.
constexpr int kModule = 2, kNamespace = 3, kField = 8, kFunction = 12, kStruct = 23, kEvent = 24;

nlohmann::json Location(const Analysis& a, const std::string& uri, Range r) {
  return {{"uri", uri}, {"range", RangeJson(a.lines(), r.begin, r.end)}};
}

nlohmann::json Symbol(const Analysis& a, const std::string& name, const std::string& detail, int kind, Range whole,
                      Range selection) {
  // LSP requires the selection to lie inside the range; after a syntax
  // error the node's range can be shorter than expected.
  if (!selection.valid()) selection = whole;
  uint32_t begin = std::min(whole.begin, selection.begin), end = std::max(whole.end, selection.end);
  nlohmann::json s = {{"name", name.empty() ? std::string("?") : name},
                      {"kind", kind},
                      {"range", RangeJson(a.lines(), begin, end)},
                      {"selectionRange", RangeJson(a.lines(), selection.begin, selection.end)}};
  if (!detail.empty()) s["detail"] = detail;
  return s;
}

std::string NodeDetail(const ast::Node& n) {
  std::string d = NodeKindWord(n);
  if (n.kind == ast::BodyKind::Send) d += " " + n.channel.text;
  return d;
}

}  // namespace

nlohmann::json Definition(const Analysis& a, const std::string& uri, Position at) {
  const Occurrence* o = a.occurrenceAt(a.lines().offset(at));
  const Occurrence* def = o ? a.definitionOf(*o) : nullptr;
  if (!def) return nullptr;
  return Location(a, uri, def->range);
}

nlohmann::json References(const Analysis& a, const std::string& uri, Position at, bool includeDeclaration) {
  const Occurrence* o = a.occurrenceAt(a.lines().offset(at));
  if (!o) return nullptr;
  nlohmann::json out = nlohmann::json::array();
  for (const Occurrence* x : a.mentionsOf(*o))
    if (includeDeclaration || !x->definition) out.push_back(Location(a, uri, x->range));
  return out;
}

nlohmann::json DocumentSymbols(const Analysis& a) {
  nlohmann::json out = nlohmann::json::array();
  for (const ast::EventDecl& e : a.ast().events) {
    nlohmann::json s = Symbol(a, "event \"" + e.name + "\"", "", kStruct, e.range, e.nameRange);
    for (const ast::FieldDecl& f : e.fields)
      s["children"].push_back(Symbol(a, f.name.text, TypeRefName(f.type), kField, f.name.range, f.name.range));
    out.push_back(std::move(s));
  }
  for (const ast::ProfileDecl& p : a.ast().profiles) {
    nlohmann::json s = Symbol(a, "profile", "", kStruct, p.range, p.range);
    for (const ast::FieldDecl& f : p.fields)
      s["children"].push_back(Symbol(a, f.name.text, TypeRefName(f.type), kField, f.name.range, f.name.range));
    out.push_back(std::move(s));
  }
  for (const ast::Journey& j : a.ast().journeys) {
    nlohmann::json s = Symbol(a, j.name, "journey", kModule, j.range, j.nameRange);
    nlohmann::json children = nlohmann::json::array();
    for (const ast::Goal& g : j.goals) children.push_back(Symbol(a, g.name.text, "goal", kEvent, g.range, g.name.range));
    for (const ast::Node& n : j.nodes)
      children.push_back(Symbol(a, n.name.text, NodeDetail(n), kFunction, n.range, n.name.range));
    // Unnamed flow steps get the names the checker gives them (step1, ...).
    std::set<std::string> userNames;
    for (const ast::Node& n : j.nodes) userNames.insert(n.name.text);
    for (const ast::Flow& f : j.flows)
      for (const ast::Node& st : f.steps)
        if (!st.implicitName) userNames.insert(st.name.text);
    int counter = 0;
    for (const ast::Flow& f : j.flows) {
      nlohmann::json flow = Symbol(a, "flow", "", kNamespace, f.range, f.range);
      flow["children"] = nlohmann::json::array();
      for (const ast::Node& st : f.steps) {
        std::string name = st.name.text;
        if (st.implicitName) {
          do name = "step" + std::to_string(++counter);
          while (userNames.count(name));
        }
        Range sel = st.implicitName ? st.range : st.name.range;
        flow["children"].push_back(Symbol(a, name, NodeDetail(st), kFunction, st.range, sel));
      }
      children.push_back(std::move(flow));
    }
    s["children"] = std::move(children);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace journey::lsp

// document.cpp — compiling a document snapshot and indexing its names.
#include "lsp/document.h"

#include <cctype>

#include "driver/pipeline.h"

namespace journey::lsp {

namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The first event a condition waits for: for `did A and not did B` that is
// A, the event whose properties `entry.x` reads.
std::string FirstDid(const ast::Cond* c) {
  if (!c) return "";
  if (c->kind == ast::CondKind::Did) return c->event;
  if (c->kind == ast::CondKind::Not) return "";
  for (const ast::CondPtr& op : c->operands)
    if (std::string e = FirstDid(op.get()); !e.empty()) return e;
  return "";
}

}  // namespace

const std::vector<const char*>& JourneyKeywords() {
  static const std::vector<const char*> words = {
      "add", "after", "always", "and", "at", "avg", "before", "by", "contains", "count", "daily", "day",
      "decrement", "defer", "description", "did", "discard", "dnd", "end", "ends_with", "entry", "event", "every",
      "exit", "fallback", "false", "flow", "for", "from", "goal", "in", "increment", "journey", "last", "limit",
      "list", "max", "min", "monthly", "never", "node", "not", "on", "once", "or", "per", "profile", "reentry",
      "remove", "schedule", "segment", "send", "set", "split", "start", "starts_with", "sum", "timeout",
      "timezone", "to", "true", "until", "update", "user", "wait", "weekly", "where", "window", "within"};
  return words;
}

bool IsKeyword(const std::string& word) {
  // The schema files (.jstd) add a few of their own.
  static const char* const stdlibOnly[] = {"channel", "function", "filter", "required", "optional", "status", "needs"};
  for (const char* k : JourneyKeywords())
    if (word == k) return true;
  for (const char* k : stdlibOnly)
    if (word == k) return true;
  return false;
}

std::pair<uint32_t, uint32_t> WordAt(const std::string& text, uint32_t offset) {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  uint32_t b = offset, e = offset;
  while (b > 0 && IsWordChar(text[b - 1])) --b;
  while (e < text.size() && IsWordChar(text[e])) ++e;
  return {b, e};
}

const char* NodeKindWord(const ast::Node& n) {
  switch (n.kind) {
    case ast::BodyKind::WaitFor: return "wait";
    case ast::BodyKind::WaitUntilTime: return "wait until a time of day";
    case ast::BodyKind::WaitUntilProperty: return "wait until a profile date";
    case ast::BodyKind::Segment: return "segment";
    case ast::BodyKind::Send: return "send";
    case ast::BodyKind::Split: return "split";
    case ast::BodyKind::Update: return "update";
    case ast::BodyKind::Exit: return "exit";
  }
  return "node";
}

std::string TypeRefName(const ast::TypeRef& t) {
  return t.element ? t.name.text + "<" + TypeRefName(*t.element) + ">" : t.name.text;
}

Analysis::Analysis(std::string text) : Analysis(std::move(text), nullptr) {}

Analysis::Analysis(std::string text, std::shared_ptr<void>* scratch)
    : fileId_(sm_.add("<document>", std::move(text))), lines_(sm_.file(fileId_).text()) {
  // One parse serves both the diagnostics and the editor's navigation.
  checked_ = CompileSource(sm_, fileId_, diags_, ast_, scratch);
  indexNames();
}

const ast::Journey* Analysis::journey() const { return ast_.journeys.empty() ? nullptr : &ast_.journeys.front(); }

std::vector<const ast::Node*> Analysis::nodes() const {
  std::vector<const ast::Node*> out;
  const ast::Journey* j = journey();
  if (!j) return out;
  for (const ast::Node& n : j->nodes) out.push_back(&n);
  for (const ast::Flow& f : j->flows)
    for (const ast::Node& s : f.steps)
      if (!s.implicitName && !s.name.text.empty()) out.push_back(&s);
  return out;
}

const ast::Node* Analysis::nodeNamed(const std::string& name) const {
  for (const ast::Node* n : nodes())
    if (n->name.text == name) return n;
  return nullptr;
}

const ast::Node* Analysis::nodeAround(uint32_t offset) const {
  const ast::Journey* j = journey();
  if (!j) return nullptr;
  const ast::Node* best = nullptr;
  auto consider = [&](const ast::Node& n) {
    if (n.range.begin <= offset && (!best || n.range.begin >= best->range.begin)) best = &n;
  };
  for (const ast::Node& n : j->nodes) consider(n);
  for (const ast::Flow& f : j->flows)
    for (const ast::Node& s : f.steps) consider(s);
  return best;
}

void Analysis::indexNames() {
  const ast::Journey* j = journey();
  if (!j) return;
  auto add = [&](Occurrence::Kind kind, const ast::Ident& id, bool def) {
    if (id.text.empty() || !id.range.valid() || id.text == "end" || id.text == "exit") return;
    occurrences_.push_back({kind, id.text, id.range, def});
  };
  for (const ast::Goal& g : j->goals) add(Occurrence::Goal, g.name, true);
  for (const ast::Node* n : nodes()) add(Occurrence::Node, n->name, true);
  for (const ast::Connector& c : j->starts) add(Occurrence::Node, c.target, false);
  auto connectors = [&](const ast::Node& n) {
    if (n.primary) add(Occurrence::Node, n.primary->target, false);
    for (const ast::Connector& c : n.connectors) add(Occurrence::Node, c.target, false);
  };
  for (const ast::Node& n : j->nodes) connectors(n);
  for (const ast::Flow& f : j->flows)
    for (const ast::Node& s : f.steps) connectors(s);
}

const Occurrence* Analysis::occurrenceAt(uint32_t offset) const {
  for (const Occurrence& o : occurrences_)
    if (o.range.begin <= offset && offset <= o.range.end) return &o;
  return nullptr;
}

std::vector<const Occurrence*> Analysis::mentionsOf(const Occurrence& o) const {
  std::vector<const Occurrence*> out;
  for (int pass = 0; pass < 2; ++pass)
    for (const Occurrence& x : occurrences_)
      if (x.kind == o.kind && x.name == o.name && x.definition == (pass == 0)) out.push_back(&x);
  return out;
}

const Occurrence* Analysis::definitionOf(const Occurrence& o) const {
  for (const Occurrence& x : occurrences_)
    if (x.kind == o.kind && x.name == o.name && x.definition) return &x;
  return nullptr;
}

std::string Analysis::entryEvent() const {
  if (checked_ && !checked_->ir.entry.entryEvent.empty()) return checked_->ir.entry.entryEvent;
  const ast::Journey* j = journey();
  if (!j || j->entries.empty()) return "";
  return FirstDid(j->entries.front().condition.get());
}

std::vector<TypedField> Analysis::entryFields() const {
  std::vector<TypedField> out;
  std::string event = entryEvent();
  if (event.empty()) return out;
  for (const ast::EventDecl& e : ast_.events)
    if (e.name == event) {
      for (const ast::FieldDecl& f : e.fields) out.emplace_back(f.name.text, TypeRefName(f.type));
      return out;
    }
  const auto& web = DefaultStdlib().events;
  if (auto it = web.find(event); it != web.end())
    for (const ir::Field& f : it->second) out.emplace_back(f.name, ir::TypeName(f.type));
  return out;
}

std::vector<TypedField> Analysis::profileFields() const {
  std::vector<TypedField> out;
  for (const ast::ProfileDecl& p : ast_.profiles)
    for (const ast::FieldDecl& f : p.fields) out.emplace_back(f.name.text, TypeRefName(f.type));
  return out;
}

}  // namespace journey::lsp

// hover.cpp — what the thing under the cursor is, in a few lines of Markdown.
//
// Node names show the node's kind, what it does and where each connector
// leads; channel names show the channel's fields and statuses; `entry.x`
// and `profile.x` show the property's type; durations are spelled out.
#include <cctype>

#include "driver/pipeline.h"
#include "lsp/features.h"
#include "parse/parse.h"
#include "support/strings.h"

namespace journey::lsp {

namespace {

std::string Plural(int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string TargetName(const ir::Journey& j, int32_t t) {
  if (t == ir::kEnd) return "end";
  if (t == ir::kExit) return "exit";
  return t >= 0 && static_cast<size_t>(t) < j.nodes.size() ? "`" + j.nodes[static_cast<size_t>(t)].name + "`" : "?";
}

std::string NodeSummary(const Analysis& a, const ast::Node& n) {
  std::string out = "**node** `" + n.name.text + "`: " + NodeKindWord(n);
  if (n.kind == ast::BodyKind::Send) out += " " + n.channel.text;
  out += "\n\n";
  if (n.kind == ast::BodyKind::WaitFor) out += "Waits " + DurationInWords(n.seconds) + ".\n\n";
  if (n.kind == ast::BodyKind::WaitUntilTime) out += "Waits until " + ir::FormatTime(n.minuteOfDay) + ".\n\n";
  if (n.kind == ast::BodyKind::WaitUntilProperty) {
    std::string date = "a profile date";
    if (n.until && n.until->kind == ast::ExprKind::Member) date = "`profile." + n.until->name.text + "`";
    if (n.offsetSeconds) date = DurationInWords(*n.offsetSeconds) + (n.before ? " before " : " after ") + date;
    out += "Waits until " + date + ".\n\n";
  }
  if (n.sendAtMinute) out += "Sends at " + ir::FormatTime(*n.sendAtMinute) + ".\n\n";
  if (n.windowSeconds) out += "Window: " + DurationInWords(*n.windowSeconds) + ".\n\n";
  // The IR knows every edge, including the implicit ones of a flow; the
  // AST is the fallback while the file does not check.
  const ir::Node* resolved = nullptr;
  if (a.checked())
    for (const ir::Node& x : a.checked()->ir.nodes)
      if (x.name == n.name.text) resolved = &x;
  std::string edges;
  if (resolved) {
    for (const ir::Edge& e : resolved->edges)
      edges += "- `" + e.label + "` → " + TargetName(a.checked()->ir, e.target) + "\n";
  } else {
    if (n.primary) edges += "- → `" + n.primary->target.text + "`\n";
    for (const ast::Connector& c : n.connectors) edges += "- `" + c.label.text + "` → `" + c.target.text + "`\n";
  }
  out += edges.empty() ? "No outgoing connectors.\n" : "Connectors:\n" + edges;
  return out;
}

std::string ChannelSummary(const ChannelInfo& c) {
  std::string out = "**channel** `" + c.name + "`\n\n| field | type | |\n|---|---|---|\n";
  for (const ChannelInfo::Field& f : c.fields) {
    std::string type = ir::TypeName(f.type);
    if (!f.allowed.empty()) type += ": " + JoinQuoted(f.allowed, "or");
    if (f.range) type += ": " + FieldNumberText(f.type, f.range->first) + " to " + FieldNumberText(f.type, f.range->second);
    out += "| `" + f.name + "` | " + type + " | " + (f.required ? "required" : "optional") + " |\n";
  }
  for (const std::vector<std::string>& group : c.requiredGroups) out += "\nAt least one of " + JoinQuoted(group, "or") + ".\n";
  std::string now, later;
  for (const ChannelInfo::Status& s : c.statuses) {
    std::string& list = s.needsTimeout ? later : now;
    list += (list.empty() ? "`" : ", `") + s.name + "`";
  }
  out += "\nStatuses: " + now;
  if (!later.empty()) out += "; needing a window and a `timeout` connector: " + later;
  return out + "\n";
}

// True when the channel name at `offset` is one the file names as a channel.
bool IsChannelMention(const Analysis& a, uint32_t offset) {
  const ast::Journey* j = a.journey();
  if (!j) return false;
  auto covers = [&](const ast::Ident& id) { return id.range.begin <= offset && offset <= id.range.end && !id.text.empty(); };
  for (const ast::Limit& l : j->limits)
    if (covers(l.channel)) return true;
  for (const ast::Dnd& d : j->dnds)
    for (const ast::Ident& c : d.channels)
      if (covers(c)) return true;
  auto sends = [&](const ast::Node& n) { return n.kind == ast::BodyKind::Send && covers(n.channel); };
  for (const ast::Node& n : j->nodes)
    if (sends(n)) return true;
  for (const ast::Flow& f : j->flows)
    for (const ast::Node& s : f.steps)
      if (sends(s)) return true;
  return false;
}

nlohmann::json Markdown(const Analysis& a, const std::string& text, uint32_t begin, uint32_t end) {
  return {{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", RangeJson(a.lines(), begin, end)}};
}

}  // namespace

std::string DurationInWords(int64_t seconds) {
  if (seconds == 0) return "0 seconds";
  static const std::pair<int64_t, const char*> units[] = {
      {604800, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  std::string out;
  for (const auto& [size, name] : units) {
    if (seconds < size) continue;
    out += (out.empty() ? "" : " ") + Plural(seconds / size, name);
    seconds %= size;
  }
  return out;
}

nlohmann::json Hover(const Analysis& a, Position at) {
  const std::string& text = a.text();
  uint32_t offset = a.lines().offset(at);
  auto [b, e] = WordAt(text, offset);
  if (b == e) return nullptr;
  std::string word = text.substr(b, e - b);

  if (const Occurrence* o = a.occurrenceAt(offset)) {
    if (o->kind == Occurrence::Node) {
      if (const ast::Node* n = a.nodeNamed(o->name)) return Markdown(a, NodeSummary(a, *n), o->range.begin, o->range.end);
    } else {
      return Markdown(a, "**goal** `" + o->name + "`: meeting it exits the user from the journey.", o->range.begin,
                      o->range.end);
    }
  }
  for (const char* scope : {"entry", "profile"}) {
    std::string prefix = std::string(scope) + ".";
    if (b < prefix.size() || text.compare(b - prefix.size(), prefix.size(), prefix) != 0) continue;
    bool entry = prefix == "entry.";
    for (const TypedField& f : entry ? a.entryFields() : a.profileFields())
      if (f.first == word) {
        std::string what = "`" + prefix + word + "`: " + f.second + "\n\n" +
                           (entry ? "Property of the entry event \"" + a.entryEvent() + "\"." : "Profile property.");
        return Markdown(a, what, static_cast<uint32_t>(b - prefix.size()), e);
      }
  }
  const auto& channels = DefaultStdlib().channels;
  if (auto it = channels.find(word); it != channels.end() && IsChannelMention(a, offset))
    return Markdown(a, ChannelSummary(it->second), b, e);
  int64_t seconds = 0;
  if (std::isdigit(static_cast<unsigned char>(word[0])) && DecodeDuration(word, seconds))
    return Markdown(a, "`" + word + "` = " + DurationInWords(seconds), b, e);
  return nullptr;
}

}  // namespace journey::lsp

// completion.cpp — what may be typed at the cursor.
//
// The context comes from the text just before the cursor rather than from
// the AST, because the line being typed is usually not valid yet: after
// `entry.` / `profile.` come property names, after `send `, `limit ` or a
// `dnd ... for` channel names, inside `did "` event names,
// after `->` node names, after `on` (or a `,` in an `on` list) the node's
// connector labels, at the start of a line inside a `send` block the
// channel's content fields, after such a field's `:` its listed values;
// anywhere else keywords and node names.
//
// GCC 12 warns that libstdc++'s <regex> uses a std::function before
// setting it (-Wmaybe-uninitialized) when this file is built with the
// sanitizers: a false positive inside the library's own state machine,
// silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <set>

#include "driver/pipeline.h"
#include "lsp/features.h"

namespace journey::lsp {

namespace {

// LSP CompletionItemKind values.
constexpr int kField = 5, kModule = 9, kProperty = 10, kKeyword = 14, kReference = 18, kEnumMember = 20,
              kEvent = 23;


nlohmann::json Item(const std::string& label, int kind, const std::string& detail = "") {
  nlohmann::json item = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) item["detail"] = detail;
  return item;
}

void AddNodeNames(const Analysis& a, nlohmann::json& items, bool targets) {
  // While a line is half typed the parser drops the nodes around it, so
  // `node NAME:` declarations found in the text are offered as well.
  std::set<std::string> names;
  for (const ast::Node* n : a.nodes()) names.insert(n->name.text);
  static const std::regex declared(R"(\bnode\s+([A-Za-z_]\w*)\s*:)");
  const std::string& text = a.text();
  for (std::sregex_iterator it(text.begin(), text.end(), declared), end; it != end; ++it) names.insert((*it)[1].str());
  for (const std::string& n : names) items.push_back(Item(n, kReference, "node"));
  if (targets) {
    items.push_back(Item("end", kKeyword, "end of the journey (with goals: held there until a goal or the timeout)"));
    items.push_back(Item("exit", kKeyword, "the user is forced out"));
  }
}

std::vector<std::string> SendLabels(const std::string& channel) {
  std::vector<std::string> labels = {"next"};
  auto it = DefaultStdlib().channels.find(channel);
  if (it != DefaultStdlib().channels.end())
    for (const ChannelInfo::Status& s : it->second.statuses) labels.push_back(s.name);
  labels.push_back("timeout");
  return labels;
}

// The connector labels of the node being typed, as the checker names its
// paths. The AST knows the node when it parsed; while the node is half
// written the parser may have dropped it, and the last node body keyword
// in the text before the cursor decides.
void AddLabels(const Analysis& a, uint32_t offset, const std::string& recent, nlohmann::json& items) {
  std::vector<std::string> labels;
  const ast::Node* n = a.nodeAround(offset);
  if (n && !n->broken && n->range.end >= offset) {
    switch (n->kind) {
      case ast::BodyKind::Send: labels = SendLabels(n->channel.text); break;
      case ast::BodyKind::Segment: labels = {"yes", "no", "timeout"}; break;
      case ast::BodyKind::Split:
        for (const ast::SplitArm& arm : n->arms) labels.push_back(arm.name.text);
        break;
      case ast::BodyKind::Exit: break;
      default: labels.push_back("next");
    }
  } else {
    static const std::regex body(R"(\b(send\s+(\w+)|segment|wait|update)\b)");
    std::smatch last;
    for (std::sregex_iterator it(recent.begin(), recent.end(), body), end; it != end; ++it) last = *it;
    if (!last.empty()) {
      std::string word = last[1].str();
      if (last[2].matched) labels = SendLabels(last[2].str());
      else if (word == "segment") labels = {"yes", "no", "timeout"};
      else labels = {"next"};
    }
  }
  for (const std::string& l : labels) items.push_back(Item(l, kEnumMember, "connector"));
}

// The channel of the `send` block whose `{` is the innermost one still open
// before `offset`; empty when the cursor is not directly inside one.
std::string OpenSendChannel(const std::string& text, uint32_t offset) {
  int depth = 0;
  for (uint32_t i = offset; i-- > 0;) {
    if (text[i] == '}') ++depth;
    else if (text[i] == '{' && depth-- == 0) {
      static const std::regex send(R"(\bsend\s+(\w+)(\s+at\s+\d\d:\d\d)?\s*$)");
      std::smatch m;
      std::string before = text.substr(i > 200 ? i - 200 : 0, i > 200 ? 200 : i);
      return std::regex_search(before, m, send) ? m[1].str() : "";
    }
  }
  return "";
}

// The text before the cursor, far enough back to hold an `on` list that
// runs over several lines.
std::string Recent(const std::string& text, uint32_t offset) {
  uint32_t from = offset > 400 ? offset - 400 : 0;
  return text.substr(from, offset - from);
}

}  // namespace

nlohmann::json Completion(const Analysis& a, Position at) {
  const std::string& text = a.text();
  uint32_t offset = a.lines().offset(at);
  uint32_t lineStart = a.lines().offset({at.line, 0});
  std::string prefix = text.substr(lineStart, offset - lineStart);
  nlohmann::json items = nlohmann::json::array();
  std::smatch m;

  static const std::regex member(R"(\b(entry|profile)\.\w*$)");
  static const std::regex arrow(R"(->\s*\w*$)");
  static const std::regex channelSlot(R"(\b(send|limit)\s+\w*$|\bdnd\b.*\bfor\s+(\w+\s*,\s*)*\w*$)");
  static const std::regex eventName(R"(\bdid\s+"[^"]*$)");
  static const std::regex onList(R"(\bon\s+(\w+\s*->\s*\w+\s*,\s*)*\w*$)");
  static const std::regex lineStartWord(R"(^\s*\w*$)");

  if (std::regex_search(prefix, m, member)) {
    bool entry = m[1].str() == "entry";
    for (const TypedField& f : entry ? a.entryFields() : a.profileFields())
      items.push_back(Item(f.first, entry ? kField : kProperty, f.second));
  } else if (std::regex_search(prefix, arrow)) {
    AddNodeNames(a, items, true);
  } else if (std::regex_search(prefix, channelSlot)) {
    for (const auto& [name, info] : DefaultStdlib().channels) items.push_back(Item(name, kModule, "channel"));
  } else if (std::regex_search(prefix, eventName)) {
    // Events declared in the file, then the web events every journey has.
    std::set<std::string> seen;
    for (const ast::EventDecl& e : a.ast().events)
      if (seen.insert(e.name).second) items.push_back(Item(e.name, kEvent, "event"));
    for (const auto& [name, fields] : DefaultStdlib().events)
      if (seen.insert(name).second) items.push_back(Item(name, kEvent, "standard event"));
  } else if (std::string recent = Recent(text, offset); std::regex_search(recent, onList)) {
    AddLabels(a, offset, recent, items);
  } else if (std::string channel = OpenSendChannel(text, offset); !channel.empty()) {
    auto it = DefaultStdlib().channels.find(channel);
    if (it == DefaultStdlib().channels.end()) return items;
    // After `field:` (and maybe an opening quote), a field with listed
    // values offers them, quoted unless the quote is typed already.
    static const std::regex fieldValue(R"(^\s*(\w+)\s*:\s*(")?\w*$)");
    if (std::regex_search(prefix, m, fieldValue)) {
      if (const ChannelInfo::Field* f = it->second.field(m[1].str()))
        for (const std::string& v : f->allowed) items.push_back(Item(m[2].matched ? v : "\"" + v + "\"", kEnumMember, f->name));
      return items;
    }
    if (!std::regex_search(prefix, lineStartWord)) return items;
    // Fields already written in this block are not offered again.
    std::set<std::string> written;
    if (const ast::Node* n = a.nodeAround(offset); n && n->kind == ast::BodyKind::Send)
      for (const ast::ContentField& f : n->content) written.insert(f.name.text);
    for (const ChannelInfo::Field& f : it->second.fields)
      if (!written.count(f.name))
        items.push_back(Item(f.name, kField, ir::TypeName(f.type) + (f.required ? " (required)" : " (optional)")));
  } else {
    for (const char* k : JourneyKeywords()) items.push_back(Item(k, kKeyword));
    AddNodeNames(a, items, false);
  }
  return items;
}

}  // namespace journey::lsp

// editing.cpp — edits the server proposes: rename and whole-file formatting.
//
// Rename touches every mention the index knows (definitions and connector
// targets) and refuses names the grammar would not accept as a node or
// goal name. Formatting delegates to the formatter `journeyc fmt` uses, so
// the editor and the command line agree byte for byte.
#include <cctype>

#include "lsp/features.h"
#include "parse/format.h"

namespace journey::lsp {

namespace {

bool IsName(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  // docs/language.md: node, goal and flow-step names are plain names that
  // are not keywords.
  return !IsKeyword(s);
}

}  // namespace

nlohmann::json PrepareRename(const Analysis& a, Position at) {
  const Occurrence* o = a.occurrenceAt(a.lines().offset(at));
  if (!o || !a.definitionOf(*o)) return nullptr;
  return {{"range", RangeJson(a.lines(), o->range.begin, o->range.end)}, {"placeholder", o->name}};
}

nlohmann::json Rename(const Analysis& a, const std::string& uri, Position at, const std::string& newName) {
  const Occurrence* o = a.occurrenceAt(a.lines().offset(at));
  if (!o || !a.definitionOf(*o)) throw RenameError{"only node and goal names can be renamed"};
  if (!IsName(newName)) throw RenameError{"`" + newName + "` cannot name a node or a goal"};
  // A rename onto an existing name would merge two nodes silently.
  Occurrence probe = *o;
  probe.name = newName;
  if (newName != o->name && a.definitionOf(probe)) throw RenameError{"`" + newName + "` is already defined"};
  nlohmann::json edits = nlohmann::json::array();
  for (const Occurrence* x : a.mentionsOf(*o))
    edits.push_back({{"range", RangeJson(a.lines(), x->range.begin, x->range.end)}, {"newText", newName}});
  return {{"changes", {{uri, edits}}}};
}

nlohmann::json Formatting(const Analysis& a) {
  DiagEngine diags;
  FormatResult result = FormatJourney(a.sources(), a.fileId(), diags);
  nlohmann::json edits = nlohmann::json::array();
  // Files with syntax errors are left alone; their diagnostics say why.
  if (result.status != FormatResult::Ok || result.text == a.text()) return edits;
  uint32_t end = static_cast<uint32_t>(a.text().size());
  edits.push_back({{"range", RangeJson(a.lines(), 0, end)}, {"newText", result.text}});
  return edits;
}

}  // namespace journey::lsp

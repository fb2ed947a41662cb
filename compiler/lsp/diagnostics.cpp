// diagnostics.cpp — compiler diagnostics as LSP Diagnostic objects.
//
// The same Diagnostic records that `journeyc check` renders as text become
// editor squiggles: code and a link to its explanation, notes as related
// information (notes without a location and help lines join the message,
// since LSP has nowhere else to put them). A diagnostic's fix is offered as
// a code action (quick fix), and all of a file's as one fix-all action.
#include <cctype>

#include "lsp/features.h"

namespace journey::lsp {

namespace {

int LspSeverity(Severity s) {
  switch (s) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Note: return 3;
  }
  return 1;
}

// GitHub's heading anchor for "## J0301 Name": lower case, spaces to '-'.
std::string Anchor(uint16_t code) {
  std::string out = CodeString(code);
  if (const DiagInfo* info = FindDiagnostic(code)) out += std::string(" ") + info->name;
  for (char& c : out) c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

nlohmann::json DiagnosticJson(const Analysis& a, const Diagnostic& d, const std::string& uri, const std::string& docsBase) {
  auto rangeOf = [&](Range r) {
    // Ranges in other files (the embedded stdlib) cannot be shown here.
    if (!r.valid() || r.file != a.fileId()) return RangeJson(a.lines(), 0, 0);
    return RangeJson(a.lines(), r.begin, r.end);
  };
  std::string message = d.message;
  nlohmann::json related = nlohmann::json::array();
  for (const Note& n : d.notes) {
    if (n.range.valid() && n.range.file == a.fileId())
      related.push_back({{"location", {{"uri", uri}, {"range", rangeOf(n.range)}}}, {"message", n.message}});
    else
      message += "\nnote: " + n.message;
  }
  for (const std::string& h : d.help) message += "\nhelp: " + h;
  nlohmann::json item = {{"range", rangeOf(d.range)},
                         {"severity", LspSeverity(d.severity)},
                         {"code", CodeString(d.code)},
                         {"codeDescription", {{"href", docsBase + "#" + Anchor(d.code)}}},
                         {"source", "journeyc"},
                         {"message", message}};
  if (!related.empty()) item["relatedInformation"] = related;
  return item;
}

nlohmann::json PublishDiagnostics(const Analysis& a, const std::string& uri, const nlohmann::json& version,
                                  const std::string& docsBase) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : a.diagnostics()) list.push_back(DiagnosticJson(a, d, uri, docsBase));
  nlohmann::json params = {{"uri", uri}, {"diagnostics", list}};
  if (!version.is_null()) params["version"] = version;
  return params;
}

// A quick fix for each diagnostic with a fix that touches the requested
// range (a guess is offered but not preferred), and one action that makes
// every certain fix of the file (the kind editors run on save:
// source.fixAll). `only` narrows them to the kinds asked for.
nlohmann::json CodeActions(const Analysis& a, const std::string& uri, uint32_t from, uint32_t to, const nlohmann::json& only,
                           const std::string& docsBase) {
  auto wanted = [&](const std::string& kind) {
    if (!only.is_array()) return true;
    for (const auto& k : only)
      if (k.is_string()) {
        std::string prefix = k.get<std::string>();
        if (kind == prefix || kind.rfind(prefix + ".", 0) == 0) return true;
      }
    return false;
  };
  nlohmann::json actions = nlohmann::json::array();
  size_t certain = 0;  // fixes a fix-all makes (not the guesses)
  for (const Diagnostic& d : a.diagnostics()) {
    bool here = !d.fix.empty();
    for (const Edit& e : d.fix) here = here && e.range.valid() && e.range.file == a.fileId();
    if (!here) continue;
    certain += !d.fixIsGuess;
    if (!wanted("quickfix") || d.range.begin > to || from > d.range.end) continue;
    nlohmann::json edits = nlohmann::json::array();
    for (const Edit& e : d.fix) edits.push_back({{"range", RangeJson(a.lines(), e.range.begin, e.range.end)}, {"newText", e.text}});
    std::string title = DescribeFix(a.sources(), d.fix);
    if (!title.empty()) title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    actions.push_back({{"title", title},
                       {"kind", "quickfix"},
                       {"diagnostics", nlohmann::json::array({DiagnosticJson(a, d, uri, docsBase)})},
                       {"isPreferred", !d.fixIsGuess},
                       {"edit", {{"changes", {{uri, edits}}}}}});
  }
  if (certain && wanted("source.fixAll.journeyc")) {
    size_t applied = 0;
    std::string fixed = ApplyFixes(a.sources(), a.fileId(), a.diagnostics(), applied);
    nlohmann::json edit = {{"range", RangeJson(a.lines(), 0, static_cast<uint32_t>(a.text().size()))}, {"newText", fixed}};
    actions.push_back({{"title", "Fix every problem journeyc knows how to fix (" + std::to_string(applied) + ")"},
                       {"kind", "source.fixAll.journeyc"},
                       {"edit", {{"changes", {{uri, nlohmann::json::array({edit})}}}}}});
  }
  return actions;
}

}  // namespace journey::lsp

// diagnostics.cpp — compiler diagnostics as LSP Diagnostic objects.
//
// The same Diagnostic records that `journeyc check` renders as text become
// editor squiggles: code and a link to its explanation, notes as related
// information (notes without a location and help lines join the message,
// since LSP has nowhere else to put them).
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

nlohmann::json PublishDiagnostics(const Analysis& a, const std::string& uri, const nlohmann::json& version,
                                  const std::string& docsBase) {
  nlohmann::json list = nlohmann::json::array();
  auto rangeOf = [&](Range r) {
    // Ranges in other files (the embedded stdlib) cannot be shown here.
    if (!r.valid() || r.file != a.fileId()) return RangeJson(a.lines(), 0, 0);
    return RangeJson(a.lines(), r.begin, r.end);
  };
  for (const Diagnostic& d : a.diagnostics()) {
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
    list.push_back(std::move(item));
  }
  nlohmann::json params = {{"uri", uri}, {"diagnostics", list}};
  if (!version.is_null()) params["version"] = version;
  return params;
}

}  // namespace journey::lsp

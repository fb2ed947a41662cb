// diag.cpp — the diagnostics registry and its three renderers.
//
// Text follows clang/rustc conventions (file:line:col, source line, carets);
// JSON follows the shape of `terraform validate -json`; SARIF is 2.1.0 so
// code-scanning tools ingest it unchanged.
#include "diag/diag.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/utf8.h"

namespace journey {

const std::vector<DiagInfo>& AllDiagnostics() {
  static const std::vector<DiagInfo> all = {
#define DIAG(Name, Code, Sev, Args, Message, Explain) {Code, Severity::Sev, #Name, Message, Explain},
#include "diag/diagnostics.def"
#undef DIAG
  };
  return all;
}

const DiagInfo* FindDiagnostic(uint16_t code) {
  for (const DiagInfo& d : AllDiagnostics())
    if (d.code == code) return &d;
  return nullptr;
}

std::string CodeString(uint16_t code) { return fmt::format("J{:04d}", code); }

size_t DiagEngine::errorCount() const {
  return std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}
size_t DiagEngine::warningCount() const {
  return std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::Warning; });
}
void DiagEngine::promoteWarnings() {
  for (Diagnostic& d : list_)
    if (d.severity == Severity::Warning) d.severity = Severity::Error;
}
void DiagEngine::sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.range.file != b.range.file) return a.range.file < b.range.file;
    if (a.range.begin != b.range.begin) return a.range.begin < b.range.begin;
    return a.code < b.code;
  });
}

namespace {

const char* SeverityWord(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

struct Style {
  bool on;
  std::string bold() const { return on ? "\x1b[1m" : ""; }
  std::string reset() const { return on ? "\x1b[0m" : ""; }
  std::string sev(Severity s) const {
    if (!on) return "";
    switch (s) {
      case Severity::Error: return "\x1b[1;31m";
      case Severity::Warning: return "\x1b[1;35m";
      case Severity::Note: return "\x1b[1;36m";
    }
    return "";
  }
  std::string green() const { return on ? "\x1b[1;32m" : ""; }
  std::string blue() const { return on ? "\x1b[1;34m" : ""; }
};

// The source line of `r` with a caret line under the range (clipped to the
// first line of the range). Tabs are kept so carets line up in a terminal.
void AppendSnippet(std::string& out, const SourceManager& sm, Range r, const Style& st) {
  if (!r.valid()) return;
  const SourceFile& f = sm.file(r.file);
  LineCol lc = f.lineCol(r.begin);
  std::string_view line = f.lineText(lc.line);
  std::string gutter = fmt::format("{:>5}", lc.line);
  out += fmt::format("{}{} |{} {}\n", st.blue(), gutter, st.reset(), line);
  // The carets go under what a terminal shows: a column for most
  // characters, two for wide ones, none for combining marks (columns in the
  // location count bytes).
  std::string_view before = line.substr(0, std::min<size_t>(lc.col - 1, line.size()));
  std::string pad;
  for (size_t i = 0; i < before.size();) {
    if (before[i] == '\t') {
      pad += '\t';
      ++i;
      continue;
    }
    size_t next = before.find('\t', i);
    if (next == std::string_view::npos) next = before.size();
    pad.append(DisplayWidth(before.substr(i, next - i)), ' ');
    i = next;
  }
  uint32_t lineEnd = f.lineStart(lc.line) + static_cast<uint32_t>(line.size());
  uint32_t end = std::min(r.end, lineEnd);
  size_t width = end > r.begin ? DisplayWidth(line.substr(before.size(), end - r.begin)) : 0;
  std::string marks = "^" + std::string(width > 1 ? width - 1 : 0, '~');
  out += fmt::format("{}{} |{} {}{}{}{}\n", st.blue(), std::string(gutter.size(), ' '), st.reset(), pad, st.green(),
                     marks, st.reset());
}

std::string Location(const SourceManager& sm, Range r) {
  if (!r.valid()) return "journeyc";
  const SourceFile& f = sm.file(r.file);
  LineCol lc = f.lineCol(r.begin);
  return fmt::format("{}:{}:{}", f.path(), lc.line, lc.col);
}

nlohmann::json Pos(const SourceFile& f, uint32_t offset) {
  LineCol lc = f.lineCol(offset);
  return {{"line", lc.line}, {"column", lc.col}, {"byte", offset}};
}

nlohmann::json RangeJson(const SourceManager& sm, Range r) {
  if (!r.valid()) return nullptr;
  const SourceFile& f = sm.file(r.file);
  return {{"filename", f.path()}, {"start", Pos(f, r.begin)}, {"end", Pos(f, r.end)}};
}

}  // namespace

std::string DescribeFix(const SourceManager& sm, const std::vector<Edit>& fix) {
  std::string out;
  for (const Edit& e : fix) {
    if (!out.empty()) out += "; ";
    std::string_view was;
    if (e.range.valid()) was = std::string_view(sm.file(e.range.file).text()).substr(e.range.begin, e.range.end - e.range.begin);
    if (e.text.empty()) out += fmt::format("remove `{}`", was);
    else if (was.empty()) out += fmt::format("insert `{}`", e.text);
    else out += fmt::format("replace `{}` with `{}`", was, e.text);
  }
  return out;
}

namespace {

nlohmann::json FixJson(const SourceManager& sm, const std::vector<Edit>& fix) {
  nlohmann::json edits = nlohmann::json::array();
  for (const Edit& e : fix) edits.push_back({{"range", RangeJson(sm, e.range)}, {"text", e.text}});
  return edits;
}

}  // namespace

std::string ApplyFixes(const SourceManager& sm, uint32_t file, const std::vector<Diagnostic>& diags, size_t& applied,
                       bool withGuesses) {
  applied = 0;
  const std::string& text = sm.file(file).text();
  // Fixes in source order; one that overlaps a fix already taken waits for the next check.
  std::vector<const Diagnostic*> order;
  for (const Diagnostic& d : diags) {
    bool here = withGuesses ? !d.fix.empty() : d.hasCertainFix();
    for (const Edit& e : d.fix) here = here && e.range.valid() && e.range.file == file && e.range.begin <= e.range.end && e.range.end <= text.size();
    if (here) order.push_back(&d);
  }
  std::stable_sort(order.begin(), order.end(), [](const Diagnostic* a, const Diagnostic* b) { return a->fix.front().range.begin < b->fix.front().range.begin; });
  std::vector<const Edit*> taken;
  auto overlaps = [](const Edit& a, const Edit& b) {
    // Two insertions at one place, or an edit inside another, conflict;
    // edits that only touch at an end do not.
    if (a.range.begin == a.range.end && b.range.begin == b.range.end) return a.range.begin == b.range.begin;
    return a.range.begin < b.range.end && b.range.begin < a.range.end;
  };
  for (const Diagnostic* d : order) {
    bool clear = true;
    for (const Edit& e : d->fix)
      for (const Edit* t : taken) clear = clear && !overlaps(e, *t);
    for (size_t i = 0; clear && i < d->fix.size(); ++i)
      for (size_t k = 0; k < i; ++k) clear = clear && !overlaps(d->fix[i], d->fix[k]);
    if (!clear) continue;
    for (const Edit& e : d->fix) taken.push_back(&e);
    ++applied;
  }
  std::sort(taken.begin(), taken.end(), [](const Edit* a, const Edit* b) { return a->range.begin < b->range.begin; });
  std::string out;
  size_t at = 0;
  for (const Edit* e : taken) {
    out.append(text, at, e->range.begin - at);
    out += e->text;
    at = e->range.end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

std::string RenderText(const SourceManager& sm, const std::vector<Diagnostic>& diags, const RenderOptions& opts) {
  Style st{opts.color};
  std::string out;
  for (const Diagnostic& d : diags) {
    out += fmt::format("{}{}: {}{}[{}]: {}{}{}\n", st.bold(), Location(sm, d.range), st.sev(d.severity),
                       SeverityWord(d.severity), CodeString(d.code), st.reset() + st.bold(), d.message, st.reset());
    AppendSnippet(out, sm, d.range, st);
    for (const Note& n : d.notes) {
      if (n.range.valid()) {
        out += fmt::format("{}{}: {}note{}: {}\n", st.bold(), Location(sm, n.range), st.sev(Severity::Note),
                           st.reset(), n.message);
        AppendSnippet(out, sm, n.range, st);
      } else {
        out += fmt::format("      = {}note{}: {}\n", st.bold(), st.reset(), n.message);
      }
    }
    for (const std::string& h : d.help) out += fmt::format("      = {}help{}: {}\n", st.bold(), st.reset(), h);
    // A guess is the help line's "did you mean" already.
    if (d.hasCertainFix()) out += fmt::format("      = {}fix{}: {}\n", st.bold(), st.reset(), DescribeFix(sm, d.fix));
  }
  return out;
}

std::string RenderJson(const SourceManager& sm, const std::vector<Diagnostic>& diags) {
  nlohmann::json list = nlohmann::json::array();
  size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : diags) {
    (d.severity == Severity::Error ? errors : warnings)++;
    nlohmann::json notes = nlohmann::json::array();
    for (const Note& n : d.notes) notes.push_back({{"message", n.message}, {"range", RangeJson(sm, n.range)}});
    nlohmann::json j = {{"severity", SeverityWord(d.severity)},
                        {"code", CodeString(d.code)},
                        {"summary", d.message},
                        {"range", RangeJson(sm, d.range)},
                        {"notes", notes},
                        {"help", d.help},
                        {"fix", FixJson(sm, d.fix)},
                        {"fix_is_guess", d.fixIsGuess && !d.fix.empty()}};
    if (d.range.valid()) {
      const SourceFile& f = sm.file(d.range.file);
      j["snippet"] = {{"line", f.lineCol(d.range.begin).line},
                      {"code", std::string(f.lineText(f.lineCol(d.range.begin).line))}};
    }
    list.push_back(std::move(j));
  }
  nlohmann::json root = {{"format_version", "1.2"},
                         {"valid", errors == 0},
                         {"error_count", errors},
                         {"warning_count", warnings},
                         {"diagnostics", list}};
  // Source text need not be UTF-8 (J0004 reports the stray bytes), but JSON
  // must be: invalid bytes in messages and snippets become U+FFFD instead
  // of making the serializer throw (fuzz/corpus/compiler/regress_json_invalid_utf8.journey).
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string RenderSarif(const SourceManager& sm, const std::vector<Diagnostic>& diags) {
  nlohmann::json rules = nlohmann::json::array();
  for (const DiagInfo& k : AllDiagnostics()) {
    rules.push_back({{"id", CodeString(k.code)},
                     {"name", k.name},
                     {"shortDescription", {{"text", k.format}}},
                     {"fullDescription", {{"text", k.explanation}}},
                     {"defaultConfiguration", {{"level", k.severity == Severity::Error ? "error" : "warning"}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const Diagnostic& d : diags) {
    nlohmann::json r = {{"ruleId", CodeString(d.code)},
                        {"level", d.severity == Severity::Error ? "error" : (d.severity == Severity::Warning ? "warning" : "note")},
                        {"message", {{"text", d.message}}}};
    if (d.range.valid()) {
      const SourceFile& f = sm.file(d.range.file);
      // SARIF counts columns in UTF-16 code units (the run says so below);
      // ours count bytes, which differ after any character beyond ASCII.
      auto column = [&](LineCol at) {
        std::string_view line = f.lineText(at.line);
        return 1 + Utf16Units(line.substr(0, std::min<size_t>(at.col - 1, line.size())));
      };
      auto region = [&](Range r) -> nlohmann::json {
        LineCol from = f.lineCol(r.begin), to = f.lineCol(std::max(r.end, r.begin));
        return {{"startLine", from.line}, {"startColumn", column(from)}, {"endLine", to.line}, {"endColumn", column(to)}};
      };
      nlohmann::json physical = {{"artifactLocation", {{"uri", f.path()}}}, {"region", region(d.range)}};
      r["locations"] = nlohmann::json::array({nlohmann::json{{"physicalLocation", physical}}});
      if (!d.fix.empty()) {
        nlohmann::json replacements = nlohmann::json::array();
        for (const Edit& e : d.fix)
          replacements.push_back({{"deletedRegion", region(e.range)}, {"insertedContent", {{"text", e.text}}}});
        nlohmann::json change = {{"artifactLocation", {{"uri", f.path()}}}, {"replacements", replacements}};
        nlohmann::json fix = {{"description", {{"text", DescribeFix(sm, d.fix)}}}, {"artifactChanges", nlohmann::json::array({change})}};
        if (d.fixIsGuess) fix["properties"] = {{"guess", true}};
        r["fixes"] = nlohmann::json::array({fix});
      }
    }
    results.push_back(std::move(r));
  }
  nlohmann::json driver = {{"name", "journeyc"}, {"version", "0.1.0"}, {"rules", rules}};
  nlohmann::json run = {{"tool", {{"driver", driver}}}, {"columnKind", "utf16CodeUnits"}, {"results", results}};
  nlohmann::json root = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                         {"version", "2.1.0"},
                         {"runs", nlohmann::json::array({run})}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";  // as RenderJson
}

std::string RenderDiagnosticsReference() {
  std::string out =
      "# Diagnostics reference\n\n"
      "Generated by `journeyc explain --all`; do not edit by hand. Every diagnostic has a stable\n"
      "code, a severity and a test in `tests/golden/diagnostics/`. `journeyc explain J0nnn` prints one entry.\n\n"
      "| code | severity | message |\n|---|---|---|\n";
  for (const DiagInfo& k : AllDiagnostics()) {
    std::string msg = k.format;
    std::string escaped;
    for (char c : msg) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    out += fmt::format("| {} | {} | {} |\n", CodeString(k.code), SeverityWord(k.severity), escaped);
  }
  out += "\n";
  for (const DiagInfo& k : AllDiagnostics())
    out += fmt::format("## {} {}\n\n{}\n\n", CodeString(k.code), k.name, k.explanation);
  return out;
}

}  // namespace journey

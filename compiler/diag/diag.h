// diag.h — diagnostics as data: typed kinds, a collecting engine, renderers.
//
// Phases never print. They call `diags.emit(kind, range, args...)`, which
// type-checks the arguments against the kind declared in diagnostics.def and
// records a Diagnostic. The driver (or the language server) renders the
// collected list as text, JSON or SARIF at the end, so every error of a run
// is reported and the same data feeds terminals, CI and editors.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/source.h"

namespace journey {

enum class Severity : uint8_t { Error, Warning, Note };

template <typename... Args>
struct DiagKind {
  uint16_t code;
  Severity severity;
  const char* name;
  const char* format;
};

namespace diag {
#define JOURNEY_DIAG_ARGS(...) __VA_ARGS__
#define DIAG(Name, Code, Sev, Args, Message, Explain) \
  inline constexpr DiagKind<JOURNEY_DIAG_ARGS Args> Name{Code, Severity::Sev, #Name, Message};
#include "diag/diagnostics.def"
#undef DIAG
}  // namespace diag

// Static facts about one kind, for `explain`, SARIF rules and docs.
struct DiagInfo {
  uint16_t code;
  Severity severity;
  const char* name;
  const char* format;
  const char* explanation;
};
const std::vector<DiagInfo>& AllDiagnostics();
const DiagInfo* FindDiagnostic(uint16_t code);
std::string CodeString(uint16_t code);  // 101 -> "J0101"

struct Note {
  Range range;  // may be invalid: a note without location
  std::string message;
};

struct Diagnostic {
  uint16_t code = 0;
  Severity severity = Severity::Error;
  std::string message;
  Range range;
  std::vector<Note> notes;
  std::vector<std::string> help;
};

class DiagEngine {
 public:
  template <typename... Args, typename... Given>
  Diagnostic& emit(const DiagKind<Args...>& kind, Range range, Given&&... given) {
    static_assert(sizeof...(Args) == sizeof...(Given), "wrong number of diagnostic arguments");
    Diagnostic d;
    d.code = kind.code;
    d.severity = kind.severity;
    d.message = fmt::format(fmt::runtime(kind.format), Args(std::forward<Given>(given))...);
    d.range = range;
    list_.push_back(std::move(d));
    return list_.back();
  }
  const std::vector<Diagnostic>& list() const { return list_; }
  std::vector<Diagnostic>& list() { return list_; }
  size_t errorCount() const;
  size_t warningCount() const;
  // -Werror: every warning becomes an error.
  void promoteWarnings();
  // Stable order: by file, offset, then code.
  void sort();

 private:
  std::vector<Diagnostic> list_;
};

struct RenderOptions {
  bool color = false;
};

std::string RenderText(const SourceManager& sm, const std::vector<Diagnostic>& diags, const RenderOptions& opts);
std::string RenderJson(const SourceManager& sm, const std::vector<Diagnostic>& diags);
std::string RenderSarif(const SourceManager& sm, const std::vector<Diagnostic>& diags);
// Markdown reference of every kind (docs/diagnostics.md is generated from it).
std::string RenderDiagnosticsReference();

}  // namespace journey

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

// One change to the source: the bytes of `range` become `text`.
struct Edit {
  Range range;
  std::string text;
};

struct Diagnostic {
  uint16_t code = 0;
  Severity severity = Severity::Error;
  std::string message;
  Range range;
  std::vector<Note> notes;
  std::vector<std::string> help;
  // A change that does what the message asks and nothing else (empty when
  // the compiler cannot know what was meant): shown as `fix:`, in JSON and
  // SARIF, as an editor's quick fix, and applied by `journeyc check --fix`.
  // Its edits lie in the diagnostic's file and do not overlap.
  std::vector<Edit> fix;
  // The fix is a likely reading, not a certainty: the nearest declared name
  // to one that is not known. Editors offer it as a quick fix (not the
  // preferred one), JSON and SARIF carry it marked as a guess, the text
  // output leaves it to the help line, and `check --fix` does not make it:
  // a wrong guess would check clean and mean something else (unless asked
  // to: `check --fix --guesses`).
  bool fixIsGuess = false;
  Diagnostic& fixWith(Range r, std::string text) {
    fix.push_back({r, std::move(text)});
    return *this;
  }
  Diagnostic& guessFix(Range r, std::string text) {
    fixIsGuess = true;
    return fixWith(r, std::move(text));
  }
  // Whether `check --fix` (and an editor's fix-all) makes this fix.
  bool hasCertainFix() const { return !fix.empty() && !fixIsGuess; }
};

// The text of file `file` with the certain fixes of `diags` made (guesses
// too when `withGuesses`, else they are left: Diagnostic::fixIsGuess): each
// diagnostic's edits all or none,
// skipping a fix that overlaps one already taken (the next check reports
// what is left). `applied` counts the fixes made.
std::string ApplyFixes(const SourceManager& sm, uint32_t file, const std::vector<Diagnostic>& diags, size_t& applied,
                       bool withGuesses = false);
// What a fix does, in words: "replace `3 days` with `3d`".
std::string DescribeFix(const SourceManager& sm, const std::vector<Edit>& fix);

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

// journeyc.cpp — the compiler's command line.
//
//   journeyc check PATH...            diagnostics only (text, json or sarif); a directory means its .journey files
//   journeyc compile FILE [-o X.jbc]  bytecode (default), or --emit=asm|ir as text
//   journeyc graph FILE [--format=dot|svg] [--stats S.json]   the journey canvas (DOT, or SVG via
//                                     Graphviz), with a run's figures from journey-vm's statistics
//   journeyc explain J0303 | --all    what a diagnostic means
//   journeyc fmt PATH... [--check] [--diff] [-w]   the canonical layout (directories as for check)
//   journeyc diff OLD NEW [--detailed-exitcode]     content-only or structural edit
//   journeyc lsp                      the language server (LSP over stdio)
//
// Exit status: 0 success, 1 the input has errors, 2 the command line is wrong
// (or a file cannot be read). Colour is used only on a terminal and never
// when NO_COLOR is set.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "bytecode/disasm.h"
#include "bytecode/format.h"
#include "bytecode/verify.h"
#include "codegen/codegen.h"
#include "driver/diff_command.h"
#include "driver/fmt_command.h"
#include "driver/graph_stats.h"
#include "driver/pipeline.h"
#include "ir/ir.h"
#include "lsp/server.h"
#include "support/heap.h"

namespace journey {
namespace {

constexpr int kOk = 0, kUserError = 1, kUsage = 2;

struct CommonOptions {
  std::string format = "text";
  std::string color = "auto";
  bool werror = false;
};

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* noColor = std::getenv("NO_COLOR");
  if (noColor && *noColor) return false;
  return isatty(STDERR_FILENO) != 0;
}

// Loads every file; unreadable files are usage errors (status 2).
// From this much source on, checking touches enough fresh heap that huge
// pages save more than they cost (~3 ms more on an example-sized file).
constexpr size_t kHugePagesFromBytes = 64 * 1024;

bool LoadAll(SourceManager& sm, const std::vector<std::string>& paths, std::vector<uint32_t>& ids) {
  for (const std::string& p : paths) {
    std::string error;
    uint32_t id = sm.load(p, error);
    if (!id) {
      std::fprintf(stderr, "journeyc: error: %s\n", error.c_str());
      return false;
    }
    ids.push_back(id);
  }
  // A large input allocates tens of MB of parser objects: worth huge pages
  // (support/heap.h). A small one would only pay for zeroing them.
  size_t bytes = 0;
  for (uint32_t id : ids) bytes += sm.file(id).text().size();
  if (bytes >= kHugePagesFromBytes) UseHugePagesForHeap();
  return true;
}

// Prints diagnostics in the chosen format and returns the exit status.
int Report(const SourceManager& sm, DiagEngine& diags, const CommonOptions& opts) {
  if (opts.werror) diags.promoteWarnings();
  if (opts.format == "json") std::fputs(RenderJson(sm, diags.list()).c_str(), stdout);
  else if (opts.format == "sarif") std::fputs(RenderSarif(sm, diags.list()).c_str(), stdout);
  else {
    std::string text = RenderText(sm, diags.list(), {UseColor(opts.color)});
    if (diags.errorCount() || diags.warningCount()) {
      size_t e = diags.errorCount(), w = diags.warningCount();
      text += (e ? std::to_string(e) + (e == 1 ? " error" : " errors") : std::string()) + (e && w ? " and " : "") +
              (w ? std::to_string(w) + (w == 1 ? " warning" : " warnings") : std::string()) + " generated.\n";
      size_t fixable = std::count_if(diags.list().begin(), diags.list().end(), [](const Diagnostic& d) { return d.hasCertainFix(); });
      if (fixable)
        text += std::to_string(fixable) + (fixable == 1 ? " of them has" : " of them have") + " a fix: `journeyc check --fix` makes " +
                (fixable == 1 ? "it" : "them") + ".\n";
      size_t guessed = std::count_if(diags.list().begin(), diags.list().end(), [](const Diagnostic& d) { return d.fixIsGuess && !d.fix.empty(); });
      if (guessed)
        text += std::to_string(guessed) + (guessed == 1 ? " has" : " have") + " a guessed fix (the `did you mean`): `journeyc check --fix --guesses` makes " +
                (guessed == 1 ? "it" : "them") + (fixable ? " too" : "") + ".\n";
    }
    std::fputs(text.c_str(), stderr);
  }
  return diags.errorCount() ? kUserError : kOk;
}

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::fprintf(stderr, "journeyc: error: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

// DOT → SVG with Graphviz's `dot` (a Debian package: graphviz), through a
// temporary file so a failure of dot is reported, not half-written.
bool RenderSvg(const std::string& dot, std::string& svg) {
  char path[] = "/tmp/journeyc-graph-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    std::fprintf(stderr, "journeyc: error: cannot create a temporary file for dot\n");
    return false;
  }
  bool wrote = write(fd, dot.data(), dot.size()) == static_cast<ssize_t>(dot.size());
  close(fd);
  std::string cmd = std::string("dot -Tsvg ") + path + " 2>&1";
  FILE* pipe = wrote ? popen(cmd.c_str(), "r") : nullptr;
  std::string out;
  if (pipe) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  }
  int status = pipe ? pclose(pipe) : -1;
  std::remove(path);
  if (status != 0) {
    std::fprintf(stderr, "journeyc: error: Graphviz's dot failed (is the graphviz package installed?)%s%s\n",
                 out.empty() ? "" : ": ", out.c_str());
    return false;
  }
  svg = std::move(out);
  return true;
}

void AddCommon(CLI::App* cmd, CommonOptions& opts) {
  cmd->add_option("--format", opts.format, "diagnostics format")->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--color", opts.color, "colour diagnostics")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("-W,--Werror", opts.werror, "treat warnings as errors");
}

int Explain(const std::string& code, bool all) {
  if (all) {
    std::fputs(RenderDiagnosticsReference().c_str(), stdout);
    return kOk;
  }
  std::string digits = code;
  if (!digits.empty() && (digits[0] == 'J' || digits[0] == 'j')) digits.erase(0, 1);
  char* end = nullptr;
  long n = digits.empty() ? -1 : std::strtol(digits.c_str(), &end, 10);
  const DiagInfo* info = (end && *end == 0 && n >= 0 && n < 65536) ? FindDiagnostic(static_cast<uint16_t>(n)) : nullptr;
  if (!info) {
    std::fprintf(stderr, "journeyc: error: no diagnostic has code `%s`; `journeyc explain --all` lists them\n", code.c_str());
    return kUsage;
  }
  std::printf("%s %s (%s)\n\n  %s\n\n%s\n", CodeString(info->code).c_str(), info->name,
              info->severity == Severity::Error ? "error" : "warning", info->format, info->explanation);
  return kOk;
}

// Compiles one file, leaving the parser's tokens and tree allocated until
// the process exits: freeing a few hundred thousand small objects just
// before exit, when the system reclaims the memory anyway, was a tenth of
// `journeyc check` on a large file. They are held through a pointer that is
// never deleted, so they stay reachable (leak checkers do not report them).
std::optional<CheckedJourney> CompileForExit(const SourceManager& sm, uint32_t fileId, DiagEngine& diags) {
  static auto* keptUntilExit = new std::vector<std::shared_ptr<void>>();
  ast::File file;
  std::shared_ptr<void> scratch;
  std::optional<CheckedJourney> result = CompileSource(sm, fileId, diags, file, &scratch);
  keptUntilExit->push_back(std::move(scratch));
  return result;
}

// `check --fix`: makes the fixes the diagnostics offer, checks the new text
// again (a fix that overlapped another is offered again then), and writes
// each changed file once, in place (standard input's text to stdout). The
// diagnostics left are what the fixed files still have. Fixes only rewrite
// what their messages name, so a few rounds settle; a file whose fixes do
// not settle is written as the last round left it.
int FixFiles(SourceManager& sm, std::vector<uint32_t>& ids, DiagEngine& diags, bool withGuesses) {
  constexpr int kRounds = 4;
  size_t total = 0;
  for (uint32_t& id : ids) {
    const std::string path = sm.file(id).path();
    const std::string original = sm.file(id).text();
    size_t here = 0;
    for (int round = 0; round < kRounds; ++round) {
      size_t applied = 0;
      std::string fixed = ApplyFixes(sm, id, diags.list(), applied, withGuesses);
      if (applied == 0) break;
      here += applied;
      // This file's diagnostics give way to those of its new text.
      std::vector<Diagnostic>& list = diags.list();
      list.erase(std::remove_if(list.begin(), list.end(), [&](const Diagnostic& d) { return d.range.valid() && d.range.file == id; }),
                 list.end());
      id = sm.add(path, std::move(fixed));
      CompileForExit(sm, id, diags);
    }
    total += here;
    // Each file says what it got, so that a run over a directory shows
    // which files were rewritten.
    if (here) std::fprintf(stderr, "journeyc: %s: fixed %zu problem%s\n", path.c_str(), here, here == 1 ? "" : "s");
    const std::string& now = sm.file(id).text();
    if (now == original) continue;
    if (path == "<stdin>") {
      if (std::fwrite(now.data(), 1, now.size(), stdout) != now.size()) return kUsage;
      continue;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << now;
    if (!out) {
      std::fprintf(stderr, "journeyc: error: cannot write %s\n", path.c_str());
      return kUsage;
    }
  }
  if (total && ids.size() > 1) std::fprintf(stderr, "journeyc: fixed %zu problem%s in all\n", total, total == 1 ? "" : "s");
  return kOk;
}

}  // namespace
}  // namespace journey

int main(int argc, char** argv) {
  using namespace journey;
  CLI::App app{"journeyc — the Journey language compiler"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "journeyc 0.1.0");

  CommonOptions checkOpts, compileOpts, graphOpts;
  std::vector<std::string> checkFiles;
  bool fix = false, guesses = false;
  auto* check = app.add_subcommand("check", "check journeys and report diagnostics");
  check->add_option("files", checkFiles, "journey files or directories of them (- for stdin)")->required();
  auto* fixFlag = check->add_flag("--fix", fix, "rewrite the files with the changes diagnostics offer (`= fix:`), then report what is left; stdin's text goes to stdout");
  check->add_flag("--guesses", guesses, "with --fix: also make the guessed fixes (the nearest declared name to an unknown one: `did you mean`)")
      ->needs(fixFlag);
  AddCommon(check, checkOpts);

  std::string compileFile, emit = "jbc", output;
  auto* compile = app.add_subcommand("compile", "compile a journey");
  compile->add_option("file", compileFile, "journey file")->required();
  compile->add_option("--emit", emit, "jbc (bytecode), asm (disassembly) or ir (typed IR)")
      ->check(CLI::IsMember({"jbc", "asm", "ir"}));
  compile->add_option("-o,--output", output, "output file (default: FILE.jbc for bytecode, stdout for text)");
  AddCommon(compile, compileOpts);

  std::string graphFile, graphFormat = "dot", graphOutput, graphStats;
  auto* graph = app.add_subcommand("graph", "draw a journey's canvas as Graphviz DOT or SVG");
  graph->add_option("file", graphFile, "journey file")->required();
  graph->add_option("--format", graphFormat, "dot, or svg (rendered by Graphviz's dot)")->check(CLI::IsMember({"dot", "svg"}));
  graph->add_option("-o,--output", graphOutput, "output file (default: stdout)");
  graph->add_option("--stats", graphStats, "draw a run's figures from this statistics JSON (journey-vm run --stats, GET /v1/stats)");
  graph->add_option("--color", graphOpts.color, "colour diagnostics")->check(CLI::IsMember({"auto", "always", "never"}));

  std::string explainCode;
  bool explainAll = false;
  auto* explain = app.add_subcommand("explain", "explain a diagnostic code");
  explain->add_option("code", explainCode, "a code such as J0303");
  explain->add_flag("--all", explainAll, "print the reference of every diagnostic (Markdown)");

  FmtOptions fmtOpts;
  std::string fmtColor = "auto";
  auto* fmtCmd = app.add_subcommand("fmt", "print journeys in the canonical layout");
  fmtCmd->add_option("files", fmtOpts.files, "journey files or directories of them (- for stdin)")->required();
  fmtCmd->add_flag("--check", fmtOpts.check, "exit 1 if a file is not formatted (list it, or with --diff show how)");
  fmtCmd->add_flag("--diff", fmtOpts.diff, "print a unified diff instead of the formatted text");
  fmtCmd->add_flag("-w,--write", fmtOpts.write, "rewrite files in place");
  fmtCmd->add_option("--color", fmtColor, "colour diagnostics")->check(CLI::IsMember({"auto", "always", "never"}));

  DiffOptions diffOpts;
  std::string diffColor = "auto";
  auto* diffCmd = app.add_subcommand("diff", "classify the edit between two versions of a journey: identical, content-only or structural");
  diffCmd->add_option("old", diffOpts.oldPath, "the journey as it is live")->required();
  diffCmd->add_option("new", diffOpts.newPath, "the edited journey")->required();
  diffCmd->add_option("--format", diffOpts.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  diffCmd->add_flag("--detailed-exitcode", diffOpts.detailedExitCode, "exit 0 identical, 1 error, 2 content-only, 3 structural");
  diffCmd->add_option("--color", diffColor, "colour")->check(CLI::IsMember({"auto", "always", "never"}));

  auto* lspCmd = app.add_subcommand("lsp", "run the language server (LSP 3.17 over stdin/stdout)");
  bool lspStdio = true;  // accepted because clients pass it; stdio is the only transport
  lspCmd->add_flag("--stdio", lspStdio, "talk over stdin/stdout (the default and only transport)");

  // `-Werror` is spelled the way C compilers spell it; CLI11 would read it as
  // the short flag -W followed by stray letters, so it becomes --Werror here.
  for (int a = 1; a < argc; ++a)
    if (std::string_view(argv[a]) == "-Werror") argv[a] = const_cast<char*>("--Werror");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  SourceManager sm;
  DiagEngine diags;
  if (*check) {
    std::vector<uint32_t> ids;
    std::string error;
    std::vector<std::string> files = ExpandJourneyPaths(checkFiles, error);
    if (files.empty()) {
      std::fprintf(stderr, "journeyc: error: %s\n", error.c_str());
      return 2;
    }
    if (!LoadAll(sm, files, ids)) return 2;
    for (uint32_t id : ids) CompileForExit(sm, id, diags);
    if (fix) {
      int rc = FixFiles(sm, ids, diags, guesses);
      if (rc != kOk) return rc;
    }
    diags.sort();
    return Report(sm, diags, checkOpts);
  }
  if (*compile || *graph) {
    std::vector<uint32_t> ids;
    if (!LoadAll(sm, {*compile ? compileFile : graphFile}, ids)) return 2;
    auto result = CompileForExit(sm, ids[0], diags);
    int rc = Report(sm, diags, *compile ? compileOpts : graphOpts);
    if (rc != 0 || !result) return rc ? rc : 1;
    if (*graph) {
      CanvasStatsResult figures;
      if (!graphStats.empty()) {
        std::ifstream in(graphStats, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        if (!in && !in.eof()) {
          std::fprintf(stderr, "journeyc: error: cannot read %s\n", graphStats.c_str());
          return 2;
        }
        char version[17];
        std::snprintf(version, sizeof version, "%016" PRIx64, result->ir.structuralHash);
        std::string error;
        if (!ReadCanvasStats(text, graphStats, result->ir.name, version, figures, error)) {
          std::fprintf(stderr, "journeyc: error: %s\n", error.c_str());
          return 1;
        }
        if (!figures.warning.empty()) std::fprintf(stderr, "journeyc: warning: %s\n", figures.warning.c_str());
      }
      std::string out = ir::ToDot(result->ir, graphStats.empty() ? nullptr : &figures.stats);
      if (graphFormat == "svg" && !RenderSvg(out, out)) return 2;
      return WriteOutput(graphOutput, out) ? 0 : 2;
    }
    if (emit == "ir") return WriteOutput(output, ir::Dump(result->ir)) ? 0 : 2;
    bc::Module module = Generate(result->ir, DefaultStdlib());
    std::vector<std::string> problems = bc::Verify(module);
    if (!problems.empty()) {
      // The generator must only produce verifiable code: this is a compiler bug.
      std::fprintf(stderr, "journeyc: internal error: generated bytecode fails verification:\n");
      for (const std::string& p : problems) std::fprintf(stderr, "  %s\n", p.c_str());
      return 3;
    }
    if (emit == "asm") return WriteOutput(output, bc::Disassemble(module)) ? 0 : 2;
    if (output.empty()) {
      output = compileFile;
      if (output.size() > 8 && output.compare(output.size() - 8, 8, ".journey") == 0) output.resize(output.size() - 8);
      output += ".jbc";
    }
    std::vector<uint8_t> bytes = bc::Write(module);
    return WriteOutput(output, std::string(bytes.begin(), bytes.end())) ? 0 : 2;
  }
  if (*lspCmd) {
    // The server re-parses the whole file on every edit.
    UseHugePagesForHeap();
    return lsp::RunLanguageServer(STDIN_FILENO, stdout);
  }
  if (*diffCmd) {
    diffOpts.color = diffColor == "always" || (diffColor == "auto" && UseColor("auto") && isatty(STDOUT_FILENO));
    return RunDiff(diffOpts);
  }
  if (*fmtCmd) {
    fmtOpts.color = UseColor(fmtColor);
    return RunFmt(fmtOpts);
  }
  if (*explain) {
    if (!explainAll && explainCode.empty()) {
      std::fprintf(stderr, "journeyc: error: explain needs a code (e.g. J0303) or --all\n");
      return 2;
    }
    return Explain(explainCode, explainAll);
  }
  return 2;
}

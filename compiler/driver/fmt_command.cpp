// fmt_command.cpp — the file handling around FormatJourney for `journeyc fmt`.
//
// Without flags the formatted text goes to standard output, like gofmt. The
// flags combine: `--check --diff` shows what would change and fails, which
// is what CI wants; `-w` rewrites only files that change, through a
// temporary file and a rename so an interrupted run never truncates one.
#include "driver/fmt_command.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "diag/diag.h"
#include "parse/format.h"
#include "support/linediff.h"
#include "support/source.h"

namespace journey {
namespace {

bool WriteInPlace(const std::string& path, const std::string& text) {
  std::string tmp = path + ".journeyc-fmt.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int RunFmt(const FmtOptions& opts) {
  for (const std::string& f : opts.files)
    if (f == "-" && opts.write) {
      std::fprintf(stderr, "journeyc: error: -w cannot rewrite standard input\n");
      return 2;
    }
  std::string expandError;
  std::vector<std::string> files = ExpandJourneyPaths(opts.files, expandError);
  if (files.empty()) {
    std::fprintf(stderr, "journeyc: error: %s\n", expandError.c_str());
    return 2;
  }
  int status = 0;
  auto worsen = [&](int s) { status = std::max(status, s); };
  for (const std::string& path : files) {
    SourceManager sm;
    std::string error;
    uint32_t id = sm.load(path, error);
    if (!id) {
      std::fprintf(stderr, "journeyc: error: %s\n", error.c_str());
      worsen(2);
      continue;
    }
    DiagEngine diags;
    FormatResult result = FormatJourney(sm, id, diags);
    if (result.status == FormatResult::SyntaxErrors) {
      std::string text = RenderText(sm, diags.list(), {opts.color});
      std::fputs(text.c_str(), stderr);
      std::fprintf(stderr, "journeyc: %s was not formatted: fix the syntax errors first\n", sm.file(id).path().c_str());
      worsen(1);
      continue;
    }
    if (result.status == FormatResult::InternalError) {
      std::fprintf(stderr, "journeyc: internal error: %s: %s\n", sm.file(id).path().c_str(), result.text.c_str());
      worsen(3);
      continue;
    }
    const std::string& before = sm.file(id).text();
    bool changed = result.text != before;
    if (opts.diff) std::fputs(UnifiedDiff(before, result.text, sm.file(id).path()).c_str(), stdout);
    if (opts.check && changed) {
      if (!opts.diff) std::printf("%s\n", sm.file(id).path().c_str());
      worsen(1);
    }
    if (opts.write && changed && !WriteInPlace(path, result.text)) {
      std::fprintf(stderr, "journeyc: error: cannot write %s\n", path.c_str());
      worsen(2);
    }
    if (!opts.check && !opts.diff && !opts.write) std::fwrite(result.text.data(), 1, result.text.size(), stdout);
  }
  return status;
}

}  // namespace journey

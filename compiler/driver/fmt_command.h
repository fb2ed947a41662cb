// fmt_command.h — `journeyc fmt`: print, check, diff or rewrite the layout of files.
#pragma once

#include <string>
#include <vector>

namespace journey {

struct FmtOptions {
  std::vector<std::string> files;  // "-" reads standard input
  bool check = false;              // exit 1 when a file would change
  bool diff = false;               // print a unified diff instead of the text
  bool write = false;              // rewrite changed files in place
  bool color = false;              // colour in diagnostics
};

// Returns the exit status: 0 done (nothing to change with --check),
// 1 syntax errors or (with --check) a file would change, 2 bad usage or an
// unreadable/unwritable file, 3 a formatter bug (the file is left alone).
int RunFmt(const FmtOptions& opts);

}  // namespace journey

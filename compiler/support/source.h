// source.h — source files and locations.
//
// Every later phase refers to text by byte ranges into a SourceFile held by
// the SourceManager, so diagnostics can print the exact line with carets and
// editors can map ranges back to positions. Lines and columns are 1-based;
// columns count bytes here (the language server converts to UTF-16).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace journey {

struct Range {
  uint32_t file = 0;   // index into SourceManager; 0 means "no file"
  uint32_t begin = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset one past the last character
  bool valid() const { return file != 0; }
};

struct LineCol {
  uint32_t line = 0;
  uint32_t col = 0;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol lineCol(uint32_t offset) const;
  // The text of 1-based line `line`, without its line terminator.
  std::string_view lineText(uint32_t line) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(lineStarts_.size()); }
  uint32_t lineStart(uint32_t line) const { return lineStarts_[line - 1]; }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
};

class SourceManager {
 public:
  // Returns the id of the new file (never 0).
  uint32_t add(std::string path, std::string text);
  // Reads a file from disk ("-" is standard input, named "<stdin>");
  // returns 0 and fills `error` when it cannot.
  uint32_t load(const std::string& path, std::string& error);
  const SourceFile& file(uint32_t id) const { return *files_[id - 1]; }
  std::string_view text(Range r) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// The files a command line names: each directory is replaced by the
// .journey files under it, sorted (directories whose names start with a dot
// are skipped); other paths, "-" included, stay as they are. Empty with
// `error` filled when a directory cannot be read or holds none.
std::vector<std::string> ExpandJourneyPaths(const std::vector<std::string>& paths, std::string& error);

}  // namespace journey

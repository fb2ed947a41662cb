// source.cpp — line tables and file loading for SourceManager.
#include "support/source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace journey {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') lineStarts_.push_back(i + 1);
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - lineStarts_.begin());
  return {line, offset - lineStarts_[line - 1] + 1};
}

std::string_view SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts_.size()) return {};
  uint32_t b = lineStarts_[line - 1];
  uint32_t e = line < lineStarts_.size() ? lineStarts_[line] : static_cast<uint32_t>(text_.size());
  while (e > b && (text_[e - 1] == '\n' || text_[e - 1] == '\r')) --e;
  return std::string_view(text_).substr(b, e - b);
}

uint32_t SourceManager::add(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<uint32_t>(files_.size());
}

uint32_t SourceManager::load(const std::string& path, std::string& error) {
  if (path == "-") return add("<stdin>", std::string(std::istreambuf_iterator<char>(std::cin), {}));
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "cannot read " + path + ": it is a directory";
    return 0;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return 0;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = "cannot read " + path;
    return 0;
  }
  return add(path, ss.str());
}

std::vector<std::string> ExpandJourneyPaths(const std::vector<std::string>& paths, std::string& error) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !std::filesystem::is_directory(path, ec)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    namespace fs = std::filesystem;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
        it.disable_recursion_pending();  // .git and the like
        continue;
      }
      if (it->is_regular_file(ec) && it->path().extension() == ".journey") found.push_back(it->path().string());
    }
    if (ec) {
      error = "cannot read " + path + ": " + ec.message();
      return {};
    }
    if (found.empty()) {
      error = "no .journey files in " + path;
      return {};
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::string_view SourceManager::text(Range r) const {
  if (!r.valid()) return {};
  const std::string& t = file(r.file).text();
  if (r.begin > t.size() || r.end > t.size() || r.end < r.begin) return {};
  return std::string_view(t).substr(r.begin, r.end - r.begin);
}

}  // namespace journey

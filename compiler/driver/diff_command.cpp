// diff_command.cpp — classifies and lists the changes between two journeys.
//
// Both files are compiled to IR and dumped twice in canonical form without
// locations: the structure part and the content part, exactly what the two
// version hashes are computed from, so `diff` and the engine can never
// disagree about what kind of edit it is. Each dump is cut into blocks (one
// top-level item with its indented lines: a node, a goal, the entry, ...)
// keyed by what the item is, and blocks are compared by key.
#include "driver/diff_command.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "driver/pipeline.h"
#include "ir/ir.h"

namespace journey {
namespace {

struct Block {
  std::string key;
  std::vector<std::string> lines;
};

// The identity of a top-level dump line: nodes, goals, events and profile
// properties by name; items that occur several times (dnd, limit) by their
// whole text, so adding one does not shift the others; the rest by keyword.
std::string KeyOf(const std::string& head) {
  auto word = [&](size_t n) {
    size_t start = 0;
    for (size_t w = 0; w < n; ++w) {
      start = head.find(' ', start);
      if (start == std::string::npos) return head;
      ++start;
    }
    size_t end = head.find_first_of(" :(", start);
    return head.substr(0, end == std::string::npos ? head.size() : end);
  };
  if (head.rfind("node ", 0) == 0 || head.rfind("goal ", 0) == 0 || head.rfind("profile ", 0) == 0) return word(1);
  if (head.rfind("event ", 0) == 0) return head.substr(0, head.find(" {"));
  if (head.rfind("dnd ", 0) == 0 || head.rfind("limit ", 0) == 0) return head;
  return head.substr(0, head.find(' '));
}

// Cuts a dump into its top-level blocks (lines indented by two spaces start
// one; deeper lines belong to the block above).
std::vector<Block> Blocks(const std::string& dump) {
  std::vector<Block> blocks;
  size_t pos = 0;
  while (pos < dump.size()) {
    size_t end = dump.find('\n', pos);
    if (end == std::string::npos) end = dump.size();
    std::string line = dump.substr(pos, end - pos);
    pos = end + 1;
    bool top = line.size() > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ';
    if (top) blocks.push_back({KeyOf(line.substr(2)), {line.substr(2)}});
    else if (!blocks.empty() && line.size() > 2) blocks.back().lines.push_back(line.substr(2));
  }
  return blocks;
}

// Where an item is written: IR locations for nodes and goals, else the first
// line of the journey that starts with the item's keyword.
void Locate(const SourceManager& sm, uint32_t file, const ir::Journey& j, const std::string& key, JourneyChange& c) {
  c.file = sm.file(file).path();
  auto set = [&](const ir::SourceLoc& loc) {
    c.line = loc.line;
    c.column = loc.col;
  };
  for (const ir::Node& n : j.nodes)
    if (key == "node " + n.name) return set(n.loc);
  for (const ir::Goal& g : j.goals)
    if (key == "goal " + g.name) return set(g.loc);
  std::string keyword = key.substr(0, key.find(' '));
  if (keyword == "profile" || keyword == "event") return;  // declared outside the journey block
  const std::string& text = sm.file(file).text();
  uint32_t line = 1;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    size_t first = text.find_first_not_of(" \t", pos);
    if (first != std::string::npos && first < end && text.compare(first, keyword.size(), keyword) == 0 &&
        (first + keyword.size() == end || text[first + keyword.size()] == ' ')) {
      c.line = line;
      c.column = static_cast<uint32_t>(first - pos + 1);
      return;
    }
    pos = end + 1;
    ++line;
  }
}

// Trims two block lists to the lines that differ (common head and tail go).
void Differing(std::vector<std::string> a, std::vector<std::string> b, JourneyChange& c) {
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.erase(a.begin());
    b.erase(b.begin());
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.pop_back();
    b.pop_back();
  }
  auto trimmed = [](std::vector<std::string> lines) {
    for (std::string& l : lines) l.erase(0, l.find_first_not_of(' '));
    return lines;
  };
  c.before = trimmed(std::move(a));
  c.after = trimmed(std::move(b));
}

void CompareDumps(const SourceManager& sm, uint32_t oldId, uint32_t newId, const ir::Journey& oldJ, const ir::Journey& newJ,
                  bool structural, std::vector<JourneyChange>& out) {
  ir::DumpOptions opts{!structural, structural, false};
  std::vector<Block> before = Blocks(ir::Dump(oldJ, opts)), after = Blocks(ir::Dump(newJ, opts));
  std::map<std::string, const Block*> oldByKey, newByKey;
  for (const Block& b : before) oldByKey.emplace(b.key, &b);
  for (const Block& b : after) newByKey.emplace(b.key, &b);
  // In the new file's order, then what was removed, in the old file's order.
  for (const Block& b : after) {
    auto it = oldByKey.find(b.key);
    if (it != oldByKey.end() && it->second->lines == b.lines) continue;
    JourneyChange c;
    c.structural = structural;
    c.what = b.key;
    c.action = it == oldByKey.end() ? "added" : "changed";
    Differing(it == oldByKey.end() ? std::vector<std::string>{} : it->second->lines, b.lines, c);
    Locate(sm, newId, newJ, b.key, c);
    out.push_back(std::move(c));
  }
  for (const Block& b : before) {
    if (newByKey.count(b.key)) continue;
    JourneyChange c;
    c.structural = structural;
    c.what = b.key;
    c.action = "removed";
    Differing(b.lines, {}, c);
    Locate(sm, oldId, oldJ, b.key, c);
    out.push_back(std::move(c));
  }
}

const char* ClassName(ChangeClass c) {
  switch (c) {
    case ChangeClass::Identical: return "identical";
    case ChangeClass::ContentOnly: return "content-only";
    case ChangeClass::Structural: return "structural";
  }
  return "?";
}

std::string RenderText(const DiffOptions& opts, const JourneyDiff& d) {
  std::string out;
  switch (d.classification) {
    case ChangeClass::Identical: out = opts.newPath + ": identical to " + opts.oldPath + "\n"; break;
    case ChangeClass::ContentOnly:
      out = opts.newPath + ": content-only change: the live version is patched, users see it at their next send\n";
      break;
    case ChangeClass::Structural:
      out = opts.newPath + ": structural change: a new version for new entrants; users in flight finish on theirs\n";
      break;
  }
  for (const JourneyChange& c : d.changes) {
    out += c.file;
    if (c.line) out += ":" + std::to_string(c.line) + ":" + std::to_string(c.column);
    out += std::string(": ") + (c.structural ? "structural" : "content") + ": " + c.what + " " + c.action + "\n";
    for (const std::string& l : c.before) out += (opts.color ? "\x1b[31m    - " : "    - ") + l + (opts.color ? "\x1b[0m\n" : "\n");
    for (const std::string& l : c.after) out += (opts.color ? "\x1b[32m    + " : "    + ") + l + (opts.color ? "\x1b[0m\n" : "\n");
  }
  return out;
}

std::string RenderJson(const JourneyDiff& d) {
  nlohmann::json changes = nlohmann::json::array();
  for (const JourneyChange& c : d.changes) {
    nlohmann::json j = {{"kind", c.structural ? "structural" : "content"}, {"what", c.what}, {"action", c.action},
                        {"file", c.file}, {"before", c.before}, {"after", c.after}};
    if (c.line) {
      j["line"] = c.line;
      j["column"] = c.column;
    }
    changes.push_back(std::move(j));
  }
  // Names and content come from source text, which need not be UTF-8:
  // invalid bytes become U+FFFD rather than a serializer exception.
  nlohmann::json root = {{"classification", ClassName(d.classification)}, {"changes", changes}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

bool DiffJourneys(const SourceManager& sm, uint32_t oldId, uint32_t newId, JourneyDiff& out, std::string& errors, bool color) {
  DiagEngine oldDiags, newDiags;
  auto oldJ = CompileSource(sm, oldId, oldDiags);
  auto newJ = CompileSource(sm, newId, newDiags);
  if (oldDiags.errorCount() || newDiags.errorCount() || !oldJ || !newJ) {
    errors = RenderText(sm, oldDiags.list(), {color}) + RenderText(sm, newDiags.list(), {color});
    return false;
  }
  const ir::Journey& a = oldJ->ir;
  const ir::Journey& b = newJ->ir;
  out = {};
  if (a.structuralHash != b.structuralHash) out.classification = ChangeClass::Structural;
  else if (a.contentHash != b.contentHash) out.classification = ChangeClass::ContentOnly;
  CompareDumps(sm, oldId, newId, a, b, true, out.changes);
  CompareDumps(sm, oldId, newId, a, b, false, out.changes);
  return true;
}

int RunDiff(const DiffOptions& opts) {
  const int error = 1, usage = opts.detailedExitCode ? 1 : 2;
  SourceManager sm;
  std::string loadError;
  uint32_t oldId = sm.load(opts.oldPath, loadError);
  uint32_t newId = oldId ? sm.load(opts.newPath, loadError) : 0;
  if (!oldId || !newId) {
    std::fprintf(stderr, "journeyc: error: %s\n", loadError.c_str());
    return usage;
  }
  JourneyDiff d;
  std::string errors;
  if (!DiffJourneys(sm, oldId, newId, d, errors, opts.color)) {
    std::fputs(errors.c_str(), stderr);
    std::fprintf(stderr, "journeyc: error: cannot compare journeys with errors\n");
    return error;
  }
  std::string text = opts.format == "json" ? RenderJson(d) : RenderText(opts, d);
  std::fputs(text.c_str(), stdout);
  if (!opts.detailedExitCode) return 0;
  return d.classification == ChangeClass::Identical ? 0 : d.classification == ChangeClass::ContentOnly ? 2 : 3;
}

}  // namespace journey

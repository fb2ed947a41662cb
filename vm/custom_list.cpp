// custom_list.cpp — the CSV reader behind custom-list entries (see
// custom_list.h). Hand-written because the format is small and the errors
// must name lines the way the rest of the VM does; the grammar is RFC 4180's
// with what spreadsheet exports add (a byte-order mark, CRLF, spaces around
// cells, TRUE/FALSE in capitals).
#include "vm/custom_list.h"

#include <cctype>
#include <charconv>

#include "bytecode/module.h"
#include "vm/engine.h"

namespace journey::vm {
namespace {

struct RawCell {
  std::string text;
  bool quoted = false;
};

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && Blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && Blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. A
// cell like 007, +91... or 1. is an identifier or a phone number, not a
// number, and stays text.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// Reads the record at s[pos...] into `cells` and moves pos past its line
// break; `line` counts the line breaks passed (quoted cells may hold some).
// False with `why` for a record that cannot be read: pos then stands at the
// end of its last line (or of the text, for an unclosed quote).
bool ReadRecord(std::string_view s, size_t& pos, uint64_t& line, std::vector<RawCell>& cells, std::string& why) {
  cells.clear();
  size_t n = s.size();
  for (;;) {
    RawCell& cell = cells.emplace_back();
    size_t start = pos;
    while (pos < n && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
    if (pos < n && s[pos] == '"') {
      cell.quoted = true;
      ++pos;
      for (;;) {
        if (pos >= n) {
          why = "cell " + std::to_string(cells.size()) + " opens a quote that is never closed";
          return false;
        }
        char c = s[pos++];
        if (c == '"') {
          if (pos < n && s[pos] == '"') {  // "" inside quotes is one quote
            cell.text += '"';
            ++pos;
            continue;
          }
          break;
        }
        if (c == '\n') ++line;
        cell.text += c;
      }
      while (pos < n && Blank(s[pos])) ++pos;
      if (pos < n && s[pos] != ',' && s[pos] != '\n') {
        why = "cell " + std::to_string(cells.size()) + " has text after its closing quote";
        while (pos < n && s[pos] != '\n') ++pos;
        return false;
      }
    } else {
      pos = start;
      size_t end = pos;
      while (end < n && s[end] != ',' && s[end] != '\n') ++end;
      cell.text = Trim(s.substr(pos, end - pos));
      pos = end;
    }
    if (pos < n && s[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < n) {  // the line break
      ++pos;
      ++line;
    }
    return true;
  }
}

ListCell Typed(uint32_t column, const RawCell& raw) {
  ListCell c;
  c.column = column;
  if (!raw.quoted) {
    std::string lower = Lower(raw.text);
    if (lower == "true" || lower == "false") {
      c.kind = ListCell::Kind::Bool;
      c.boolean = lower == "true";
      return c;
    }
    if (IsJsonNumber(raw.text)) {
      double v = 0;
      auto [end, ec] = std::from_chars(raw.text.data(), raw.text.data() + raw.text.size(), v);
      if (ec == std::errc() && end == raw.text.data() + raw.text.size()) {  // 1e999 stays text
        c.kind = ListCell::Kind::Number;
        c.number = v;
        return c;
      }
    }
  }
  c.text = raw.text;
  return c;
}

bool IsIdHeader(const RawCell& cell) {
  std::string name = Lower(cell.text);
  return name == "identity" || name == "id" || name == "user" || name == "user_id" || name == "userid" ||
         name == "customer_id";
}

}  // namespace

CustomList ParseCustomList(std::string_view text, const ListRowSink& onRow) {
  CustomList out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // spreadsheets write a UTF-8 byte-order mark
  size_t pos = 0;
  uint64_t line = 1;
  bool first = true;
  std::vector<RawCell> cells;
  ListRow scratch;  // the row handed to onRow, reused
  std::string why;
  auto problem = [&](uint64_t at, const std::string& what) { out.problems.push_back(std::to_string(at) + ": " + what); };
  while (pos < text.size()) {
    uint64_t at = line;
    if (!ReadRecord(text, pos, line, cells, why)) {
      problem(at, why + ": row left out");
      continue;
    }
    if (cells.size() == 1 && cells[0].text.empty() && !cells[0].quoted) continue;  // a blank line
    if (first) {
      first = false;
      if (IsIdHeader(cells[0])) {
        out.headerLine = at;
        for (size_t k = 1; k < cells.size(); ++k) {
          std::string name(Trim(cells[k].text));
          for (const std::string& seen : out.columns)
            if (!name.empty() && seen == name) {
              problem(at, "column \"" + name + "\" is named twice: only the first is read");
              name.clear();
              break;
            }
          out.columns.push_back(name);
        }
        continue;
      }
    }
    if (cells[0].text.empty()) {
      problem(at, "no user id in the first cell: row left out");
      continue;
    }
    ListRow& row = onRow ? scratch : out.rows.emplace_back();
    row.user = std::move(cells[0].text);
    row.line = at;
    row.cells.clear();
    ++out.rowCount;
    bool extra = false;
    for (size_t k = 1; k < cells.size(); ++k) {
      if (cells[k].text.empty()) continue;  // an empty cell sets nothing
      if (k - 1 >= out.columns.size()) {
        extra = extra || !out.columns.empty();
        continue;
      }
      if (out.columns[k - 1].empty()) continue;
      row.cells.push_back(Typed(static_cast<uint32_t>(k - 1), cells[k]));
    }
    if (extra)
      problem(at, "the row has " + std::to_string(cells.size()) + " cells and the header names " +
                      std::to_string(out.columns.size() + 1) + ": the cells past the header are not read");
    if (onRow) onRow(out, row);
  }
  return out;
}

std::vector<std::string> UndeclaredColumns(const CustomList& list, const bc::Module& module) {
  std::vector<std::string> problems;
  for (const std::string& column : list.columns) {
    if (column.empty()) continue;
    bool declared = false;
    for (uint32_t p : module.profileProperties) declared = declared || module.str(p) == column;
    if (!declared)
      problems.push_back(std::to_string(list.headerLine) + ": column \"" + column + "\" is not a property of the profile of \"" +
                         module.str(module.name) + "\" (its cells are stored all the same)");
  }
  return problems;
}

uint64_t EnterCustomList(Engine& engine, size_t journey, std::string_view text, int64_t at, CustomList& list) {
  constexpr size_t kGroup = 4096;
  uint64_t before = engine.stats(journey).entered;
  std::vector<std::string> ids;
  Event traits;
  traits.type = Event::Identify;
  traits.time = at;
  // A group's profiles first, then its users enter: the first messages read them.
  list = ParseCustomList(text, [&](const CustomList& parsed, const ListRow& row) {
    ids.push_back(row.user);
    if (!row.cells.empty()) {
      traits.user = row.user;
      traits.properties.clear();
      for (const ListCell& cell : row.cells) {
        Value v = cell.kind == ListCell::Kind::Number ? Value::Num(cell.number)
                  : cell.kind == ListCell::Kind::Bool ? Value::Of(cell.boolean)
                                                      : Value::Str(cell.text);
        traits.properties.emplace_back(parsed.columns[cell.column], v);
      }
      engine.process(traits);
    }
    if (ids.size() == kGroup) {
      engine.enterList(journey, ids);
      ids.clear();
    }
  });
  engine.enterList(journey, ids);
  for (std::string& problem : UndeclaredColumns(list, engine.module(journey))) list.problems.push_back(std::move(problem));
  return engine.stats(journey).entered - before;
}

}  // namespace journey::vm

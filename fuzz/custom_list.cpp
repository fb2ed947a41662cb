// custom_list.cpp — libFuzzer target: custom-list CSV files, as
// `journey-vm run` reads them beside a journey and `serve` takes them from
// `ctl list`.
//
// Each input is a list file. ParseCustomList must accept any bytes, and
// what it returns must hold together: every row has a user id and a line
// after the previous row's, every cell names a named column, every problem
// starts with its line. Then the list is written back as CSV (every text
// cell quoted, numbers and booleans bare, a header when it had columns) and
// read again: the result must be the same list with no problems. A
// difference aborts: the reader and its own rules disagree.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vm/custom_list.h"

namespace {

using journey::vm::CustomList;
using journey::vm::ListCell;
using journey::vm::ListRow;

void Require(bool ok) {
  if (!ok) std::abort();
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Written(const CustomList& list) {
  std::string out;
  if (!list.columns.empty()) {
    out += "identity";
    for (const std::string& name : list.columns) out += "," + Quoted(name);
    out += "\r\n";
  }
  for (const ListRow& row : list.rows) {
    out += Quoted(row.user);
    std::vector<const ListCell*> byColumn(list.columns.size(), nullptr);
    for (const ListCell& c : row.cells) byColumn[c.column] = &c;
    for (const ListCell* c : byColumn) {
      out += ',';
      if (!c) continue;
      if (c->kind == ListCell::Kind::Text) {
        out += Quoted(c->text);
      } else if (c->kind == ListCell::Kind::Bool) {
        out += c->boolean ? "true" : "false";
      } else {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, c->number);
        out.append(buf, res.ptr);
      }
    }
    out += '\n';
  }
  return out;
}

bool SameCell(const ListCell& a, const ListCell& b) {
  if (a.column != b.column || a.kind != b.kind) return false;
  switch (a.kind) {
    case ListCell::Kind::Text: return a.text == b.text;
    case ListCell::Kind::Bool: return a.boolean == b.boolean;
    case ListCell::Kind::Number: return a.number == b.number;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CustomList list = journey::vm::ParseCustomList(text);

  uint64_t lastLine = 0;
  for (const ListRow& row : list.rows) {
    Require(!row.user.empty());
    Require(row.line > lastLine);
    lastLine = row.line;
    for (const ListCell& c : row.cells) {
      Require(c.column < list.columns.size() && !list.columns[c.column].empty());
      Require(c.kind != ListCell::Kind::Text || !c.text.empty());
    }
  }
  for (const std::string& p : list.problems) Require(!p.empty() && p[0] >= '1' && p[0] <= '9' && p.find(": ") != std::string::npos);

  // A header's first cell is only known to be a header by its name; a list
  // whose first user is such a name cannot be written without one.
  if (list.columns.empty() && !list.rows.empty()) {
    CustomList probe = journey::vm::ParseCustomList(Quoted(list.rows[0].user) + ",x\n");
    if (!probe.columns.empty() || probe.rows.empty()) return 0;
  }
  CustomList again = journey::vm::ParseCustomList(Written(list));
  Require(again.problems.empty());
  Require(again.columns == list.columns);
  Require(again.rows.size() == list.rows.size());
  for (size_t i = 0; i < list.rows.size(); ++i) {
    const ListRow& a = list.rows[i];
    const ListRow& b = again.rows[i];
    Require(a.user == b.user && a.cells.size() == b.cells.size());
    for (size_t k = 0; k < a.cells.size(); ++k) Require(SameCell(a.cells[k], b.cells[k]));
  }
  return 0;
}

// custom_list.h — reading an uploaded custom list (a CSV file) for a
// journey whose entry is `entry in list "FILE.csv"`.
//
// The first column holds the user ids. When the first row is a header (its
// first cell is identity, id, user, user_id, userid or customer_id, in any
// case), every other named column is a profile property: a row sets it on
// its user's profile before the list's users enter, as an `identify` with
// those traits would. The file is RFC 4180 CSV (quoted cells may hold
// commas, quotes as "" and line breaks; CRLF or LF; a UTF-8 byte-order mark
// is skipped). A row that cannot be read is reported with its
// line and left out; the other rows are kept (docs/language.md, "Entry
// criteria").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace journey::bc {
struct Module;
}

namespace journey::vm {

class Engine;

// One cell of a named column, typed the way a spreadsheet export means it:
// an unquoted JSON number is a number, unquoted true or false a boolean,
// anything else (and every quoted cell) text. Empty cells set nothing.
struct ListCell {
  enum class Kind : uint8_t { Text, Number, Bool };
  uint32_t column = 0;  // index into CustomList::columns
  Kind kind = Kind::Text;
  std::string text;  // Text: the cell
  double number = 0;
  bool boolean = false;
};

struct ListRow {
  std::string user;
  uint64_t line = 0;  // 1-based line of the file where the row starts
  std::vector<ListCell> cells;
};

struct CustomList {
  // Profile property names of the header's columns after the first; ""
  // for a column without a name or named twice (it is not read). Empty
  // when the file has no header.
  std::vector<std::string> columns;
  uint64_t headerLine = 0;  // the header's line (0: no header)
  uint64_t rowCount = 0;    // rows read (with a user id)
  std::vector<ListRow> rows;  // those rows, unless they were handed to a callback
  // Rows and columns left out, one line each: "LINE: what".
  std::vector<std::string> problems;
};

// Parses the text of a list file. With `onRow`, each row is handed to it
// as it is read, with the list so far (its columns), and not kept: a list
// of millions need not be held whole.
using ListRowSink = std::function<void(const CustomList& list, const ListRow& row)>;
CustomList ParseCustomList(std::string_view text, const ListRowSink& onRow = nullptr);

// The list's named columns that are not properties of `module`'s profile
// (a misspelt or renamed column: its cells are still stored), one problem
// each, "LINE: what", LINE being the header's.
std::vector<std::string> UndeclaredColumns(const CustomList& list, const bc::Module& module);

// Publishes the list `text` to journey index `journey` of `engine` at time
// `at`: row by row, the cells go into the user's profile (an identify
// each) and the users enter, those the journey allows, in groups of a few
// thousand. Returns how many entered; `list` gets the columns, the row
// count and the problems (not the rows), the undeclared columns' last.
uint64_t EnterCustomList(Engine& engine, size_t journey, std::string_view text, int64_t at, CustomList& list);

}  // namespace journey::vm

// test_custom_list.cpp — the CSV reader of custom-list entries: the header,
// RFC 4180 quoting, what spreadsheet exports add, how cells are typed, and
// that a row that cannot be read is named by its line and loses nothing else.
#include <catch2/catch.hpp>

#include "bytecode/module.h"
#include "vm/custom_list.h"

using journey::vm::CustomList;
using journey::vm::ListCell;
using journey::vm::ListRow;
using journey::vm::ParseCustomList;

namespace {

const ListCell* Cell(const CustomList& list, const ListRow& row, const std::string& column) {
  for (const ListCell& c : row.cells)
    if (list.columns.at(c.column) == column) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("custom list: a spreadsheet export with a header sets the named columns", "[custom_list]") {
  CustomList list = ParseCustomList(
      "\xEF\xBB\xBF"
      "Customer_ID, first_name ,note,points\r\n"
      "u1,\"Ananya, Dr.\",\"she said \"\"hi\"\"\",1200\r\n"
      "\r\n"
      "u2,,\"two\nlines\",-3.5\r\n"
      "  u3  ,Meera,,\"1500\"\r\n"
      "u4,Karan,x,1e3");
  CHECK(list.problems.empty());
  REQUIRE(list.columns == std::vector<std::string>{"first_name", "note", "points"});
  REQUIRE(list.rows.size() == 4);

  const ListRow& u1 = list.rows[0];
  CHECK(u1.user == "u1");
  CHECK(u1.line == 2);
  REQUIRE(Cell(list, u1, "first_name"));
  CHECK(Cell(list, u1, "first_name")->text == "Ananya, Dr.");
  CHECK(Cell(list, u1, "note")->text == "she said \"hi\"");
  CHECK(Cell(list, u1, "points")->kind == ListCell::Kind::Number);
  CHECK(Cell(list, u1, "points")->number == 1200);

  const ListRow& u2 = list.rows[1];
  CHECK(u2.line == 4);  // after the blank line 3
  CHECK(Cell(list, u2, "first_name") == nullptr);  // an empty cell sets nothing
  CHECK(Cell(list, u2, "note")->text == "two\nlines");
  CHECK(Cell(list, u2, "points")->number == -3.5);

  const ListRow& u3 = list.rows[2];
  CHECK(u3.user == "u3");  // spaces around an unquoted cell are not part of it
  CHECK(u3.line == 6);     // the quoted line break counted
  CHECK(Cell(list, u3, "note") == nullptr);
  CHECK(Cell(list, u3, "points")->kind == ListCell::Kind::Text);  // quoted: text, whatever it looks like
  CHECK(Cell(list, u3, "points")->text == "1500");

  CHECK(list.rows[3].line == 7);
  CHECK(Cell(list, list.rows[3], "points")->number == 1000);  // the last line has no line break
}

TEST_CASE("custom list: unquoted cells are numbers by JSON's grammar, booleans by name", "[custom_list]") {
  struct Case {
    const char* cell;
    ListCell::Kind kind;
  };
  const Case cases[] = {
      {"0", ListCell::Kind::Number},     {"-0.25", ListCell::Kind::Number}, {"2E-3", ListCell::Kind::Number},
      {"TRUE", ListCell::Kind::Bool},    {"false", ListCell::Kind::Bool},   {"007", ListCell::Kind::Text},
      {"+919820011122", ListCell::Kind::Text}, {"1.", ListCell::Kind::Text}, {".5", ListCell::Kind::Text},
      {"0x10", ListCell::Kind::Text},    {"1e999", ListCell::Kind::Text},   {"12 apples", ListCell::Kind::Text},
      {"-", ListCell::Kind::Text},       {"yes", ListCell::Kind::Text},     {"1e", ListCell::Kind::Text},
  };
  for (const Case& c : cases) {
    CustomList list = ParseCustomList(std::string("id,v\nu,") + c.cell + "\n");
    INFO(c.cell);
    REQUIRE(list.rows.size() == 1);
    REQUIRE(list.rows[0].cells.size() == 1);
    const ListCell& cell = list.rows[0].cells[0];
    CHECK(cell.kind == c.kind);
    if (c.kind == ListCell::Kind::Text) CHECK(cell.text == c.cell);
  }
  CustomList list = ParseCustomList("id,flag,n\nu,TRUE,2E-3\n");
  CHECK(list.rows[0].cells[0].boolean);
  CHECK(list.rows[0].cells[1].number == 0.002);
}

TEST_CASE("custom list: without a header every row is a user and only the ids are read", "[custom_list]") {
  CustomList list = ParseCustomList("POS-1,Ananya\nPOS-2\n\"POS-3\",x,y\n");
  CHECK(list.columns.empty());
  CHECK(list.problems.empty());
  REQUIRE(list.rows.size() == 3);
  CHECK(list.rows[0].user == "POS-1");
  CHECK(list.rows[2].user == "POS-3");
  for (const ListRow& row : list.rows) CHECK(row.cells.empty());
}

TEST_CASE("custom list: a row that cannot be read is named by its line and the others are kept", "[custom_list]") {
  CustomList list = ParseCustomList(
      "id,name,name,\n"          // 1: "name" twice, and a column without a name
      "u1,A,B,C\n"               // 2: only the first "name" is read
      "\"u2\"x,B\n"              // 3: text after a closing quote
      ",C\n"                     // 4: no id
      "u5,E,F,G,H\n"             // 5: a cell past the header
      "u6,\"F\n"                 // 6: a quote never closed: the rest of the file is its cell
      "u7,G\n");
  REQUIRE(list.rows.size() == 2);  // u7 is inside u6's unclosed quote
  CHECK(list.rows[0].user == "u1");
  REQUIRE(list.rows[0].cells.size() == 1);
  CHECK(list.rows[0].cells[0].text == "A");
  CHECK(list.rows[1].user == "u5");
  CHECK(list.rows[1].line == 5);
  CHECK(list.rows[1].cells.size() == 1);
  REQUIRE(list.problems == std::vector<std::string>{
                               "1: column \"name\" is named twice: only the first is read",
                               "3: cell 1 has text after its closing quote: row left out",
                               "4: no user id in the first cell: row left out",
                               "5: the row has 5 cells and the header names 4: the cells past the header are not read",
                               "6: cell 2 opens a quote that is never closed: row left out",
                           });
}

TEST_CASE("custom list: rows handed to a callback are the rows a whole parse keeps", "[custom_list]") {
  std::string text = "id,name,n\n";
  for (int i = 0; i < 300; ++i) text += "u" + std::to_string(i) + (i % 7 ? ",\"N, " + std::to_string(i) + "\"" : ",") + "," + std::to_string(i) + "\n";
  text += "\"bad\"x\n";
  CustomList whole = ParseCustomList(text);
  std::vector<ListRow> seen;
  CustomList streamed = ParseCustomList(text, [&](const CustomList& list, const ListRow& row) {
    CHECK(list.columns == whole.columns);  // known from the first row on
    seen.push_back(row);
  });
  CHECK(streamed.rows.empty());
  CHECK(streamed.rowCount == 300);
  CHECK(whole.rowCount == 300);
  CHECK(streamed.problems == whole.problems);
  REQUIRE(seen.size() == whole.rows.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].user == whole.rows[i].user);
    CHECK(seen[i].line == whole.rows[i].line);
    REQUIRE(seen[i].cells.size() == whole.rows[i].cells.size());
    for (size_t k = 0; k < seen[i].cells.size(); ++k) CHECK(seen[i].cells[k].text == whole.rows[i].cells[k].text);
  }
}

TEST_CASE("custom list: columns the journey's profile does not declare are named", "[custom_list]") {
  journey::bc::Module m;
  m.strings = {"In-store", "first_name", "home_store"};
  m.name = 0;
  m.profileProperties = {1, 2};
  CustomList list = ParseCustomList("\nidentity,first_name,store,,home_store,Home_Store\nu1,A,B,C,D,E\n");
  CHECK(list.headerLine == 2);
  CHECK(journey::vm::UndeclaredColumns(list, m) ==
        std::vector<std::string>{
            "2: column \"store\" is not a property of the profile of \"In-store\" (its cells are stored all the same)",
            "2: column \"Home_Store\" is not a property of the profile of \"In-store\" (its cells are stored all the same)"});
  CHECK(journey::vm::UndeclaredColumns(ParseCustomList("u1,A\n"), m).empty());  // no header, no columns
}

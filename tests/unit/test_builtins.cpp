// test_builtins.cpp — builtin functions and filters on hostile arguments.
//
// Arguments come from event properties and profile traits, so any double
// can reach a builtin: NaN, infinities, values far beyond any integer type.
// Converting those to an integer is undefined behaviour, which the
// sanitizer build (scripts/test.sh --sanitize) turns into a failure.
// fuzz/jbc.cpp found the first of these in `round`.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "vm/builtins.h"

using namespace journey::vm;

namespace {

Value Call(const char* name, std::initializer_list<Value> args, bool filter = false) {
  static Arena arena;
  auto arity = static_cast<uint8_t>(args.size());
  Builtin fn = filter ? FindFilter(name, arity) : FindFunction(name, arity);
  REQUIRE(fn != nullptr);
  return fn(args.begin(), arity, BuiltinContext{arena, 0});
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("the round filter takes any digit count") {
  CHECK(Call("round", {Value::Num(2.346), Value::Num(2)}, true).number == Approx(2.35));
  for (double digits : {kNaN, kInf, -kInf, 1e300, -1e300}) {
    INFO(digits);
    Value v = Call("round", {Value::Num(2.5), Value::Num(digits)}, true);
    CHECK(v.tag == Value::Number);
  }
  CHECK(Call("round", {Value::Num(2.5), Value::Num(1e300)}, true).number == 2.5);  // as for 15 digits
}

TEST_CASE("truncate and date take any number") {
  for (double n : {kNaN, kInf, -kInf, 1e300, -1e300, 1e19}) {
    INFO(n);
    Value t = Call("truncate", {Value::Str("héllo"), Value::Num(n)}, true);
    CHECK(t.tag == Value::String);
    Value d = Call("date", {Value::Num(n), Value::Str("%Y-%m-%d")}, true);
    CHECK(d.tag == Value::String);
  }
  CHECK(Call("truncate", {Value::Str("héllo"), Value::Num(1e300)}, true).text == "héllo");
  CHECK(Call("truncate", {Value::Str("héllo"), Value::Num(2)}, true).text == "h…");
  CHECK(Call("date", {Value::Num(0), Value::Str("%Y-%m-%d")}, true).text == "1970-01-01");
}

TEST_CASE("the json filter writes any value as JSON: lists as arrays, maps as objects, no NaN") {
  static Arena arena;
  ValueList* items = arena.list();
  items->push_back(Value::Str("a \"b\""));
  items->push_back(Value::Num(2.5));
  items->push_back(Value::Of(true));
  items->push_back(Value{});
  Value list;
  list.tag = Value::List;
  list.list = items;
  CHECK(Call("json", {list}, true).text == R"(["a \"b\"",2.5,true,null])");
  CHECK(Call("json", {Value::Str("x\ny")}, true).text == R"("x\ny")");
  CHECK(Call("json", {Value::Num(12)}, true).text == "12");
  CHECK(Call("json", {Value::Num(kNaN)}, true).text == "null");
  CHECK(Call("json", {Value{}}, true).text == "null");
}

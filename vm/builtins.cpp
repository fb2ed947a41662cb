// builtins.cpp — implementations of stdlib/builtins.jstd.
#include "vm/builtins.h"

#include "vm/engine.h"    // ParseIsoTime
#include "vm/json_text.h"
#include "vm/timezone.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

namespace journey::vm {
namespace {

std::string Str(const Value& v) { return ToText(v); }
Value Text(BuiltinContext& c, std::string s) { return Value::Str(c.arena.keep(std::move(s))); }

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}
std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}
std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}
std::string Title(std::string s) {
  bool start = true;
  for (char& ch : s) {
    ch = static_cast<char>(start ? std::toupper(static_cast<unsigned char>(ch)) : std::tolower(static_cast<unsigned char>(ch)));
    start = std::isspace(static_cast<unsigned char>(ch)) != 0;
  }
  return s;
}
double Round(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}
std::string JsonString(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

Value FnLower(const Value* a, uint8_t, BuiltinContext c) { return Text(c, Lower(Str(a[0]))); }
Value FnUpper(const Value* a, uint8_t, BuiltinContext c) { return Text(c, Upper(Str(a[0]))); }
Value FnTrim(const Value* a, uint8_t, BuiltinContext c) { return Text(c, Trim(Str(a[0]))); }
Value FnTitle(const Value* a, uint8_t, BuiltinContext c) { return Text(c, Title(Str(a[0]))); }
Value FnLen(const Value* a, uint8_t, BuiltinContext) {
  if (a[0].tag == Value::List && a[0].list) return Value::Num(static_cast<double>(a[0].list->size()));
  if (a[0].tag == Value::String) return Value::Num(static_cast<double>(a[0].text.size()));
  return Value::Num(0);
}
Value FnRound(const Value* a, uint8_t n, BuiltinContext) {
  if (a[0].tag != Value::Number) return a[0];
  // The digit count comes from journey data and may be any double: casting
  // a NaN or an out-of-range one to int is undefined (found by fuzz/jbc.cpp),
  // and beyond 15 digits a double has nothing left to round.
  double digits = n > 1 && std::isfinite(a[1].number) ? std::clamp(a[1].number, -15.0, 15.0) : 0;
  return Value::Num(Round(a[0].number, static_cast<int>(digits)));
}
Value FnFloor(const Value* a, uint8_t, BuiltinContext) { return Value::Num(std::floor(a[0].number)); }
Value FnCeil(const Value* a, uint8_t, BuiltinContext) { return Value::Num(std::ceil(a[0].number)); }
Value FnAbs(const Value* a, uint8_t, BuiltinContext) { return Value::Num(std::fabs(a[0].number)); }
Value FnNow(const Value*, uint8_t, BuiltinContext c) { return Value::Num(static_cast<double>(c.now)); }
Value FnDaysSince(const Value* a, uint8_t, BuiltinContext c) {
  return a[0].tag == Value::Number ? Value::Num(std::floor((static_cast<double>(c.now) - a[0].number) / 86400)) : Value{};
}
Value FnHoursSince(const Value* a, uint8_t, BuiltinContext c) {
  return a[0].tag == Value::Number ? Value::Num(std::floor((static_cast<double>(c.now) - a[0].number) / 3600)) : Value{};
}
Value FnCoalesce(const Value* a, uint8_t, BuiltinContext) {
  bool empty = a[0].tag == Value::Nil || (a[0].tag == Value::String && a[0].text.empty());
  return empty ? a[1] : a[0];
}
Value FnCurrency(const Value* a, uint8_t, BuiltinContext c) {
  if (a[0].tag != Value::Number) return Value::Str("");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", a[0].number);
  return Text(c, Str(a[1]) + " " + buf);
}
Value FnToTime(const Value* a, uint8_t, BuiltinContext) {
  if (a[0].tag == Value::Number) return a[0];
  int64_t t = 0;
  if (a[0].tag == Value::String && ParseIsoTime(a[0].text, t)) return Value::Num(static_cast<double>(t));
  return Value{};
}
Value FnDate(const Value* a, uint8_t, BuiltinContext c) {
  // Seconds beyond ±10^13 (some 300,000 years) are no date, and converting
  // them (or a NaN) to an integer would be undefined.
  if (a[0].tag != Value::Number || !(std::fabs(a[0].number) < 1e13)) return Value::Str("");
  // Formatted on the journey's wall clock: a due date at midnight in Kolkata
  // is that day there, not the evening before in UTC.
  int64_t utc = static_cast<int64_t>(a[0].number);
  std::time_t t = static_cast<std::time_t>(c.zone ? c.zone->toLocal(utc) : utc);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[128];
  std::string fmt = Str(a[1]);
  size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
  return Text(c, std::string(buf, n));
}
Value FnTruncate(const Value* a, uint8_t, BuiltinContext c) {
  std::string s = Str(a[0]);
  // Compared as doubles first: a length too large for size_t (or a NaN)
  // must not be converted.
  if (a[1].number >= static_cast<double>(s.size())) return Text(c, s);
  size_t n = a[1].number > 0 ? static_cast<size_t>(a[1].number) : 0;
  if (s.size() <= n) return Text(c, s);
  // Cut on a UTF-8 character boundary and mark the cut.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return Text(c, s.substr(0, n) + "…");
}
Value FnJson(const Value* a, uint8_t, BuiltinContext c) {
  std::string out;
  AppendJson(out, a[0]);
  return Text(c, out);
}
Value FnUrlEncode(const Value* a, uint8_t, BuiltinContext c) {
  std::string out;
  for (unsigned char ch : Str(a[0])) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return Text(c, out);
}

// Applied by the compiler to values inserted into an email's HTML.
Value FnEscapeHtml(const Value* a, uint8_t, BuiltinContext c) {
  std::string out;
  for (char ch : Str(a[0])) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return Text(c, out);
}
// Applied to values inserted into a webhook's JSON body: the inside of a string.
Value FnEscapeJson(const Value* a, uint8_t, BuiltinContext c) {
  std::string quoted = JsonString(Str(a[0]));
  return Text(c, quoted.substr(1, quoted.size() - 2));
}

struct Entry {
  const char* name;
  uint8_t arity;
  Builtin fn;
};

const Entry kFunctions[] = {
    {"lower", 1, FnLower},   {"upper", 1, FnUpper},         {"trim", 1, FnTrim},           {"len", 1, FnLen},
    {"round", 1, FnRound},   {"floor", 1, FnFloor},         {"ceil", 1, FnCeil},           {"abs", 1, FnAbs},
    {"now", 0, FnNow},       {"days_since", 1, FnDaysSince}, {"hours_since", 1, FnHoursSince}, {"coalesce", 2, FnCoalesce},
    {"to_time", 1, FnToTime},  // internal: added by the code generator, not in the stdlib
};
const Entry kFilters[] = {
    {"default", 2, FnCoalesce}, {"upper", 1, FnUpper},       {"lower", 1, FnLower},   {"title", 1, FnTitle},
    {"trim", 1, FnTrim},        {"round", 2, FnRound},       {"currency", 2, FnCurrency}, {"date", 2, FnDate},
    {"truncate", 2, FnTruncate}, {"json", 1, FnJson},        {"url_encode", 1, FnUrlEncode},
    {"escape_html", 1, FnEscapeHtml}, {"escape_json", 1, FnEscapeJson},
};

template <size_t N>
Builtin Find(const Entry (&table)[N], std::string_view name, uint8_t arity) {
  for (const Entry& e : table)
    if (name == e.name && arity == e.arity) return e.fn;
  return nullptr;
}

}  // namespace

Builtin FindFunction(std::string_view name, uint8_t arity) { return Find(kFunctions, name, arity); }
Builtin FindFilter(std::string_view name, uint8_t arity) { return Find(kFilters, name, arity); }

}  // namespace journey::vm

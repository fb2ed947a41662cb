// literals.cpp — decoding of duration, time-of-day and date spellings.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bytecode/module.h"
#include "parse/parse.h"

namespace journey {

bool DecodeDuration(std::string_view text, int64_t& seconds, bool* tooLong) {
  constexpr int64_t kMax = bc::kMaxDurationSeconds;
  seconds = 0;
  bool over = false;  // well formed so far, but longer than kMax
  size_t i = 0;
  if (text.empty()) return false;
  while (i < text.size()) {
    int64_t n = 0;
    size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      if (n <= kMax) n = n * 10 + (text[i] - '0');  // past kMax the digits only need reading
    if (i == start || i >= text.size()) return false;
    int64_t unit = 0;
    switch (text[i]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return false;
    }
    if (over || n > kMax / unit || n * unit > kMax - seconds) over = true;
    else seconds += n * unit;
    ++i;
  }
  if (over && tooLong) *tooLong = true;
  return !over;
}

std::string SpelledOutDuration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return {};
  size_t at = digits;
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  std::string word;
  for (char c : text.substr(at)) word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static const std::pair<const char*, char> kUnits[] = {
      {"s", 's'},    {"sec", 's'},    {"secs", 's'},   {"second", 's'}, {"seconds", 's'}, {"m", 'm'},
      {"min", 'm'},  {"mins", 'm'},   {"minute", 'm'}, {"minutes", 'm'}, {"h", 'h'},      {"hr", 'h'},
      {"hrs", 'h'},  {"hour", 'h'},   {"hours", 'h'},  {"d", 'd'},       {"day", 'd'},    {"days", 'd'},
      {"w", 'w'},    {"wk", 'w'},     {"wks", 'w'},    {"week", 'w'},    {"weeks", 'w'},
  };
  for (const auto& [spelling, unit] : kUnits)
    if (word == spelling) return std::string(text.substr(0, digits)) + unit;
  return {};
}

bool DecodeTime(std::string_view text, int& minuteOfDay) {
  if (text.size() != 5 || text[2] != ':') return false;
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return false;
  minuteOfDay = h * 60 + m;
  return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
static int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool DecodeDate(std::string_view text, int64_t& daysSinceEpoch) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto num = [&](size_t b, size_t n) {
    int v = 0;
    for (size_t i = b; i < b + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max) return false;
  daysSinceEpoch = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

static bool AppendUtf8(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return true;
}

static int HexValue(char h) {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

bool DecodeStringLiteral(std::string_view raw, std::string& out, std::vector<uint32_t>* offsets,
                         std::vector<std::pair<uint32_t, uint32_t>>* badEscapes) {
  out.clear();
  if (offsets) offsets->clear();
  out.reserve(raw.size());
  if (offsets) offsets->reserve(raw.size());
  auto push = [&](char c, size_t rawIndex) {
    out += c;
    if (offsets) offsets->push_back(static_cast<uint32_t>(rawIndex));
  };
  // raw[from, to) copied as is: the common case, a run without escapes.
  auto pushRun = [&](size_t from, size_t to) {
    out.append(raw.data() + from, to - from);
    if (offsets)
      for (size_t i = from; i < to; ++i) offsets->push_back(static_cast<uint32_t>(i));
  };
  if (raw.size() >= 6 && raw.substr(0, 3) == "\"\"\"") {
    pushRun(3, raw.size() - 3);
    if (offsets) offsets->push_back(static_cast<uint32_t>(raw.size() - 3));
    return true;
  }
  // Single and curly quotes come only from the parser's repair of a string
  // quoted the wrong way (J0004, reported there): their width in bytes.
  size_t open = 1, close = 1;
  if (raw.size() >= 6 && static_cast<unsigned char>(raw[0]) == 0xE2) open = close = 3;
  if (raw.size() < open + close) return false;
  bool ok = true;
  const size_t end = raw.size() - close;  // the closing quote
  for (size_t i = open; i < end; ++i) {
    size_t escape = raw.find('\\', i);
    if (escape == std::string_view::npos || escape >= end) {
      pushRun(i, end);
      break;
    }
    pushRun(i, escape);
    i = escape;
    size_t start = i;
    char e = raw[++i];
    switch (e) {
      case '"': push('"', start); break;
      case '\\': push('\\', start); break;
      case 'n': push('\n', start); break;
      case 't': push('\t', start); break;
      case 'u': {
        size_t close = raw.find('}', i);
        bool good = i + 1 < raw.size() && raw[i + 1] == '{' && close != std::string_view::npos && close > i + 2 &&
                    close - i - 2 <= 6 && close + 1 < raw.size();
        uint32_t cp = 0;
        for (size_t k = i + 2; good && k < close; ++k) {
          int v = HexValue(raw[k]);
          if (v < 0) good = false;
          cp = cp * 16 + static_cast<uint32_t>(v < 0 ? 0 : v);
        }
        std::string utf8;
        if (good && AppendUtf8(utf8, cp)) {
          for (char b : utf8) push(b, start);
          i = close;
          break;
        }
        [[fallthrough]];
      }
      default:
        if (badEscapes) badEscapes->emplace_back(static_cast<uint32_t>(start), 2u);
        ok = false;
    }
  }
  if (offsets) offsets->push_back(static_cast<uint32_t>(raw.size() - 1));
  return ok;
}

std::string QuoteStringLiteral(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{{{:x}}}", u);
    } else {
      out += c;
    }
  }
  return out + '"';
}

}  // namespace journey

// timestamp.cpp — hand-written ISO-8601 parsing (no sscanf/strptime: both
// are locale- and allocation-prone and far slower than this straight scan),
// with calendar arithmetic from <chrono> so month lengths and leap years
// come from the standard library rather than from us.
#include "vm/events/timestamp.h"

#include <chrono>
#include <cstdio>

namespace journey::events {
namespace {

using namespace std::chrono;

// Reads exactly n ASCII digits at s[i..]; false if any is not a digit.
bool digits(std::string_view s, size_t i, size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = s[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

TimestampResult fail(const char* why, int detail = 0) {
  TimestampResult r;
  r.why = why;
  r.detail = detail;
  return r;
}

// The shape nearly every sender uses, YYYY-MM-DDTHH:MM:SSZ (20 bytes): its
// 14 digits read with one check for all of them. False for anything else,
// which the general scan then reads (and explains when it is wrong).
bool plain_utc(std::string_view s, int& y, int& mo, int& d, int& h, int& mi, int& sec) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return false;
  unsigned over9 = 0;
  auto digit = [&](size_t k) {
    unsigned v = static_cast<unsigned char>(s[k]) - unsigned{'0'};  // wraps above 9 for bytes below '0'
    over9 |= v > 9;
    return static_cast<int>(v);
  };
  y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  mo = digit(5) * 10 + digit(6);
  d = digit(8) * 10 + digit(9);
  h = digit(11) * 10 + digit(12);
  mi = digit(14) * 10 + digit(15);
  sec = digit(17) * 10 + digit(18);
  return over9 == 0;
}

}  // namespace

TimestampResult parse_timestamp(std::string_view s) {
  int y, mo, d, h, mi, sec;
  bool plain = plain_utc(s, y, mo, d, h, mi, sec);
  if (!plain) {
    if (!digits(s, 0, 4, y) || s.size() < 5 || s[4] != '-' || !digits(s, 5, 2, mo) || s.size() < 8 || s[7] != '-' ||
        !digits(s, 8, 2, d))
      return fail("expected a date as YYYY-MM-DD");
    if (s.size() == 10) return fail("no time of day (expected YYYY-MM-DDTHH:MM:SS with Z or an offset)");
    if (s[10] != 'T' && s[10] != 't') return fail("expected 'T' between date and time");
    if (!digits(s, 11, 2, h) || s.size() < 14 || s[13] != ':' || !digits(s, 14, 2, mi) || s.size() < 17 ||
        s[16] != ':' || !digits(s, 17, 2, sec))
      return fail("expected a time as HH:MM:SS");
  }
  if (mo < 1 || mo > 12) return fail("month out of range", mo);
  // A stream's events mostly share their date with the one before: the
  // last valid date and its day number are kept.
  thread_local int last_y = -1, last_mo = 0, last_d = 0;
  thread_local int64_t last_days = 0;
  int64_t days;
  if (y == last_y && mo == last_mo && d == last_d) {
    days = last_days;
  } else {
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return fail("day out of range", d);
    days = sys_days{ymd}.time_since_epoch().count();
    last_y = y, last_mo = mo, last_d = d, last_days = days;
  }
  if (h > 23) return fail("hour out of range", h);
  if (mi > 59) return fail("minute out of range", mi);
  if (sec > 59) return fail("second out of range", sec);

  // After the seconds: a fraction, then Z or an offset (the plain shape has just its Z).
  size_t i = 19;
  int64_t frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    int scale = 100;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      frac_ms += (s[i] - '0') * scale;  // digits past the third add 0 (scale 0): truncation
      scale /= 10;
      ++i;
    }
    if (i == start) return fail("expected digits after '.'");
  }

  int64_t offset_min = 0;
  if (i >= s.size()) return fail("no UTC offset (add Z or +HH:MM)");
  char z = s[i];
  if (z == 'Z' || z == 'z') {
    ++i;
  } else if (z == '+' || z == '-') {
    int oh, om;
    if (!digits(s, i + 1, 2, oh)) return fail("expected an offset as +HH:MM");
    size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!digits(s, j, 2, om)) return fail("expected an offset as +HH:MM");
    if (oh > 23) return fail("offset hours out of range", oh);
    if (om > 59) return fail("offset minutes out of range", om);
    offset_min = (oh * 60 + om) * (z == '-' ? -1 : 1);
    i = j + 2;
  } else {
    return fail("no UTC offset (add Z or +HH:MM)");
  }
  if (i != s.size()) return fail("unexpected text after the UTC offset");

  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
  TimestampResult r;
  r.ok = true;
  r.ms = secs * 1000 + frac_ms;
  return r;
}

std::string describe_failure(const TimestampResult& r, std::string_view text) {
  std::string why = r.why;
  if (why == "day out of range" && text.size() >= 7)
    return "day " + std::to_string(r.detail) + " is out of range for " + std::string(text.substr(0, 7));
  if (why.ends_with("out of range")) return why.substr(0, why.size() - 12) + std::to_string(r.detail) + " is out of range";
  return why;
}

std::string format_timestamp(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);  // floor division for pre-1970 times
  int64_t rem_ms = ms - secs * 1000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t sod = secs - days * 86400;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60), static_cast<int>(rem_ms));
  return buf;
}

}  // namespace journey::events

// timezone.cpp — a TZif (RFC 8536) reader and wall-clock arithmetic.
#include "vm/timezone.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace journey::vm {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }
int64_t Be64(const uint8_t* p) { return static_cast<int64_t>((uint64_t{Be32(p)} << 32) | Be32(p + 4)); }

}  // namespace

bool Zone::load(const std::string& name, std::string& error) {
  name_ = name.empty() ? "UTC" : name;
  transitions_.clear();
  offsets_.clear();
  initialOffset_ = 0;
  if (name_ == "UTC" || name_ == "Etc/UTC") return true;
  if (name_.find("..") != std::string::npos || name_.front() == '/') {
    error = "invalid time zone name \"" + name_ + "\"";
    return false;
  }
  // A name may come from a user's profile or a damaged .jbc: a directory
  // ("America") or an unreadable file is an unknown zone, not a crash (the
  // stream would throw reading a directory).
  const std::string path = "/usr/share/zoneinfo/" + name_;
  std::error_code ec;
  std::ifstream in;
  if (std::filesystem::is_regular_file(path, ec)) in.open(path, std::ios::binary);
  if (!in.is_open() || !in) {
    error = "unknown time zone \"" + name_ + "\" (no /usr/share/zoneinfo/" + name_ + "; is tzdata installed?)";
    return false;
  }
  std::vector<uint8_t> b;
  try {
    b.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    error = "cannot read the time zone file for \"" + name_ + "\"";
    return false;
  }
  auto bad = [&] {
    error = "malformed time zone file for \"" + name_ + "\"";
    transitions_.clear();
    offsets_.clear();
    return false;
  };
  if (b.size() < 44 || b[0] != 'T' || b[1] != 'Z' || b[2] != 'i' || b[3] != 'f') return bad();
  auto counts = [&](size_t at, uint32_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = Be32(&b[at + 20 + 4 * static_cast<size_t>(i)]);
  };
  uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  size_t pos = 44;
  size_t timeSize = 4;
  if (b[4] >= '2') {
    // Skip the 32-bit block and read the 64-bit one that follows it.
    size_t v1 = c[3] * 5ull + c[4] * 6ull + c[5] + c[2] * 8ull + c[1] + c[0];
    pos = 44 + v1;
    if (b.size() < pos + 44) return bad();
    counts(pos, c);
    pos += 44;
    timeSize = 8;
  }
  size_t need = c[3] * (timeSize + 1) + c[4] * 6ull;
  if (c[4] == 0 || b.size() < pos + need) return bad();
  const uint8_t* times = &b[pos];
  const uint8_t* idx = times + c[3] * timeSize;
  const uint8_t* types = idx + c[3];
  auto typeOffset = [&](uint32_t t) { return static_cast<int32_t>(Be32(types + 6 * t)); };
  initialOffset_ = typeOffset(0);
  for (uint32_t i = 0; i < c[3]; ++i) {
    if (idx[i] >= c[4]) return bad();
    int64_t t = timeSize == 8 ? Be64(times + 8 * i) : static_cast<int32_t>(Be32(times + 4 * i));
    transitions_.push_back(t);
    offsets_.push_back(typeOffset(idx[i]));
  }
  return true;
}

int64_t Zone::offsetAt(int64_t utc) const {
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  if (it == transitions_.begin()) return initialOffset_;
  return offsets_[static_cast<size_t>(it - transitions_.begin() - 1)];
}

int64_t Zone::fromLocal(int64_t local) const {
  // Try the offsets in force around that time; keep the first that maps back.
  int64_t guess = local - offsetAt(local);
  for (int64_t probe : {local - offsetAt(local - 86400), guess, local - offsetAt(local + 86400)})
    if (probe + offsetAt(probe) == local) return probe;
  return guess;  // a skipped local time: the instant just after the gap
}

int64_t Zone::nextAt(int64_t utc, int minute, uint8_t days) const {
  if ((days & 0x7F) == 0) days = 0x7F;
  int64_t local = toLocal(utc);
  int64_t day = FloorDiv(local, 86400);
  for (int k = 0; k < 9; ++k, ++day) {
    int weekdayOf = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
    if (!(days & (1u << weekdayOf))) continue;
    int64_t candidate = fromLocal(day * 86400 + minute * 60);
    if (candidate > utc) return candidate;
  }
  return utc + 86400;  // unreachable with a non-empty mask
}

int Zone::minuteOfDay(int64_t utc) const {
  int64_t local = toLocal(utc);
  return static_cast<int>((local - FloorDiv(local, 86400) * 86400) / 60);
}

int Zone::weekday(int64_t utc) const {
  int64_t day = FloorDiv(toLocal(utc), 86400);
  return static_cast<int>(((day % 7) + 7 + 3) % 7);
}

}  // namespace journey::vm

// snapshot_io.h — the byte writer and bounds-checked reader of engine snapshots.
//
// A snapshot is the whole engine (docs/vm.md, "Snapshots"): written by
// `journey-vm serve` as a checkpoint of its journal and by `journey-vm
// snapshot`, read back on restart and by `--restore`. Its reader must treat
// the bytes as hostile (a file may be truncated or damaged on disk), so every
// read checks the remaining length and the first failure sticks: the caller
// tests ok() once at the end of a section and reports where it failed.
// Integers are little-endian fixed width or LEB128 varints; strings are a
// varint length and the bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace journey::vm {

// The bound of every time an engine keeps (seconds since the epoch: its
// clock, deadlines, send marks, samples): 2^46 s, about 2.2 million years.
// Events name years 0000-9999, run-time waits are at most 1e13 s and module
// durations at most 2^40 s, so a live engine stays far inside it; a snapshot
// time beyond it is damage, refused before the engine adds to it or
// subtracts from it.
constexpr int64_t kTimeLimitSeconds = int64_t{1} << 46;

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_ += static_cast<char>(v); }
  void varint(uint64_t v) {
    for (; v >= 0x80; v >>= 7) out_ += static_cast<char>((v & 0x7F) | 0x80);
    out_ += static_cast<char>(v);
  }
  void i64(int64_t v) { fixed(&v, sizeof v); }
  void u32(uint32_t v) { fixed(&v, sizeof v); }
  void f64(double v) { fixed(&v, sizeof v); }
  void str(std::string_view s) {
    varint(s.size());
    out_ += s;
  }

 private:
  // Host byte order: snapshots are read by the machine (architecture) that
  // wrote them; the header records little-endian and the reader refuses others.
  void fixed(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  size_t offset() const { return at_; }
  bool atEnd() const { return at_ == in_.size(); }

  uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(in_[at_++]);
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) return 0;
      uint8_t b = static_cast<uint8_t>(in_[at_++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;  // more than 64 bits
    return 0;
  }
  // A count of items each at least `minBytes` long: refused when the rest of
  // the input could not hold that many (a damaged count must not make the
  // reader reserve gigabytes).
  uint64_t count(size_t minBytes = 1) {
    uint64_t n = varint();
    if (ok_ && n > (in_.size() - at_) / (minBytes ? minBytes : 1)) ok_ = false;
    return ok_ ? n : 0;
  }
  int64_t i64() { return fixed<int64_t>(); }
  // A time (see kTimeLimitSeconds), or exactly `sentinel` where the field
  // has one ("never", "none"): anything else beyond the bound fails.
  int64_t time(int64_t sentinel = 0) {
    int64_t t = i64();
    if (t != sentinel && (t > kTimeLimitSeconds || t < -kTimeLimitSeconds)) ok_ = false;
    return t;
  }
  uint32_t u32() { return fixed<uint32_t>(); }
  double f64() { return fixed<double>(); }
  std::string_view str() {
    uint64_t n = varint();
    if (!need(n)) return {};
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  void fail() { ok_ = false; }

 private:
  bool need(uint64_t n) {
    if (!ok_ || n > in_.size() - at_) ok_ = false;
    return ok_;
  }
  template <typename T>
  T fixed() {
    T v{};
    if (!need(sizeof v)) return v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace journey::vm

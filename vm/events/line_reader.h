// line_reader.h — splits a byte stream (file, stdin or memory) into lines.
//
// Reads large chunks into one buffer and hands out each line as a view into
// it, so a line is never copied. Each view is followed by at least
// kLinePadding readable bytes inside the buffer: that is what lets the JSON
// parser run on the line in place. Line ends may be LF or CRLF (the CR is
// dropped), the last line may lack its newline, and a UTF-8 byte order mark
// at the very start is dropped. A line longer than the configured limit is
// not buffered whole (that would let one bad line take all memory): its
// first `max_line_bytes` bytes come back marked `overlong`, and the rest
// can be streamed out with drain_rest() or is skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace journey::events {

// Readable bytes guaranteed after every line (simdjson's SIMDJSON_PADDING).
inline constexpr size_t kLinePadding = 64;

// The longest line taken by default (events::Options::max_line_bytes, and
// what `serve` takes), and the reason a longer one is refused with.
inline constexpr size_t kDefaultMaxLineBytes = size_t{1} << 20;
inline std::string too_long_reason(size_t max_line_bytes) {
  return "line is longer than " + std::to_string(max_line_bytes) + " bytes";
}

// A UTF-8 byte order mark, dropped where it opens the input.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Where bytes come from.
class Input {
 public:
  virtual ~Input() = default;
  // Reads up to `cap` bytes into dst; returns 0 only at end of input.
  // Throws std::system_error on a read error.
  virtual size_t read(char* dst, size_t cap) = 0;
  // The bytes left to read when that is known in advance (a regular file),
  // else 0. A hint for sizing; reading does not depend on it.
  virtual uint64_t size_hint() const { return 0; }
};

// A file by path ("-" is standard input). Throws std::system_error when the
// file cannot be opened.
std::unique_ptr<Input> open_file_input(const std::string& path);
// An already open descriptor, which is not closed at the end.
std::unique_ptr<Input> fd_input(int fd);
// Bytes in memory (copied).
std::unique_ptr<Input> memory_input(std::string bytes);

class LineReader {
 public:
  struct Line {
    std::string_view text;  // without the line end (and without a leading BOM on line 1)
    uint64_t number = 0;    // 1-based
    bool overlong = false;  // text holds only the first max_line_bytes bytes
  };

  // max_line_bytes counts the bytes before the LF (a CR included).
  LineReader(std::unique_ptr<Input> input, size_t max_line_bytes, size_t chunk_bytes);

  // The next line, or false at the end of input.
  bool next(Line& line);

  // After an overlong line: passes the rest of it (up to, not including, its
  // line end) to `sink` in pieces. Without this call, next() skips the rest.
  void drain_rest(const std::function<void(std::string_view)>& sink);

  // Whether next() can answer from what is already buffered, without
  // reading (and so perhaps blocking on a pipe).
  bool has_line();

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t size_hint() const { return input_->size_hint(); }

 private:
  bool fill();  // reads more at end_; false at end of input
  void compact();

  std::unique_ptr<Input> input_;
  size_t max_line_;
  size_t chunk_;
  // capacity_ + kLinePadding bytes, not zero-filled when made (a fresh 1 MiB
  // buffer costs 256 page faults to clear, a tenth of a small run): only
  // read bytes are used, and the padding after them is cleared at each read.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t pos_ = 0, scan_ = 0, end_ = 0;  // unread bytes are [pos_, end_); no LF in [pos_, scan_)
  static constexpr size_t kUnknown = SIZE_MAX;
  size_t lf_ = kUnknown;  // where has_line() found the next LF, for next() to reuse
  bool eof_ = false;
  bool in_overlong_ = false;  // the bytes from pos_ on are the rest of an overlong line
  uint64_t number_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace journey::events

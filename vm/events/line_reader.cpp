// line_reader.cpp — chunked reading and line splitting (see line_reader.h).
//
// The buffer keeps at most one partial line between reads, so compaction
// moves little; it doubles only while a single line does not fit, up to the
// line limit, and never shrinks (a long line is usually followed by more).
#include "vm/events/line_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace journey::events {
namespace {

class FdInput final : public Input {
 public:
  FdInput(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdInput() override {
    if (owned_) ::close(fd_);
  }
  size_t read(char* dst, size_t cap) override {
    for (;;) {
      ssize_t n = ::read(fd_, dst, cap);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "reading " + name_);
    }
  }
  uint64_t size_hint() const override {
    struct stat st;
    if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    off_t at = lseek(fd_, 0, SEEK_CUR);
    return at >= 0 && st.st_size > at ? static_cast<uint64_t>(st.st_size - at) : 0;
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;  // for errors: the path, or "standard input"
};

class MemoryInput final : public Input {
 public:
  explicit MemoryInput(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* dst, size_t cap) override {
    size_t n = std::min(cap, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  uint64_t size_hint() const override { return bytes_.size() - pos_; }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};


}  // namespace

std::unique_ptr<Input> open_file_input(const std::string& path) {
  if (path == "-") return fd_input(0);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path);
  return std::make_unique<FdInput>(fd, true, path);
}

std::unique_ptr<Input> fd_input(int fd) {
  return std::make_unique<FdInput>(fd, false, fd == 0 ? "standard input" : "descriptor " + std::to_string(fd));
}

std::unique_ptr<Input> memory_input(std::string bytes) { return std::make_unique<MemoryInput>(std::move(bytes)); }

LineReader::LineReader(std::unique_ptr<Input> input, size_t max_line_bytes, size_t chunk_bytes)
    : input_(std::move(input)), max_line_(std::max<size_t>(max_line_bytes, 1)), chunk_(std::max<size_t>(chunk_bytes, 1)) {
  // Room for a whole chunk, and for a line of max_line_ bytes plus its LF
  // once the buffer has grown.
  capacity_ = chunk_;
  buf_.reset(new char[capacity_ + kLinePadding]);
  std::memset(buf_.get(), 0, kLinePadding);
}

void LineReader::compact() {
  if (pos_ == 0) return;
  std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
  end_ -= pos_;
  scan_ -= pos_;
  pos_ = 0;
}

bool LineReader::fill() {
  if (eof_) return false;
  compact();
  if (end_ == capacity_) {
    // One line fills the buffer: grow, but only as far as needed to see
    // whether the line is within the limit.
    size_t want = std::min(capacity_ * 2, std::max(capacity_ + 1, max_line_ + 1));
    if (want <= capacity_) return false;  // caller handles the overlong line
    std::unique_ptr<char[]> wider(new char[want + kLinePadding]);
    std::memcpy(wider.get(), buf_.get(), end_);
    buf_ = std::move(wider);
    capacity_ = want;
    std::memset(buf_.get() + end_, 0, kLinePadding);  // in case nothing more comes
  }
  size_t n = input_->read(buf_.get() + end_, std::min(chunk_, capacity_ - end_));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  std::memset(buf_.get() + end_, 0, kLinePadding);  // what a padded parse may read past the data
  bytes_read_ += n;
  return true;
}

bool LineReader::next(Line& line) {
  if (in_overlong_) drain_rest([](std::string_view) {});
  for (;;) {
    const char* base = buf_.get();
    const void* lf;
    if (lf_ != kUnknown) {
      lf = base + lf_;
      lf_ = kUnknown;
    } else {
      lf = scan_ < end_ ? std::memchr(base + scan_, '\n', end_ - scan_) : nullptr;
    }
    size_t len;
    if (lf != nullptr) {
      size_t at = static_cast<const char*>(lf) - base;
      len = at - pos_;
      if (len <= max_line_) {
        line.text = std::string_view(base + pos_, len);
        pos_ = scan_ = at + 1;
        break;
      }
    } else {
      scan_ = end_;
      len = end_ - pos_;
      if (len <= max_line_) {
        // fill() can always make room here (the buffer grows to hold
        // max_line_ + 1 bytes), so false means the input has ended.
        if (fill()) continue;
        if (len == 0) return false;
        // fill() may have compacted and grown the buffer before it found the
        // end of input (a last line that filled the buffer exactly), so
        // `base` and the old pos_ are stale here (found by fuzz/events.cpp).
        line.text = std::string_view(buf_.get() + pos_, len);  // last line, no LF
        pos_ = scan_ = end_;
        break;
      }
    }
    // Longer than the limit: hand out the head, keep the rest for drain_rest().
    line.text = std::string_view(base + pos_, max_line_);
    line.overlong = true;
    line.number = ++number_;
    pos_ += max_line_;
    scan_ = pos_;
    in_overlong_ = true;
    if (line.number == 1 && line.text.starts_with(kUtf8Bom)) line.text.remove_prefix(kUtf8Bom.size());
    return true;
  }
  line.overlong = false;
  line.number = ++number_;
  if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
  if (line.number == 1 && line.text.starts_with(kUtf8Bom)) line.text.remove_prefix(kUtf8Bom.size());
  return true;
}

bool LineReader::has_line() {
  if (eof_ || lf_ != kUnknown) return true;
  if (in_overlong_) return false;
  const void* lf = scan_ < end_ ? std::memchr(buf_.get() + scan_, '\n', end_ - scan_) : nullptr;
  if (lf == nullptr) {
    scan_ = end_;
    return false;
  }
  lf_ = static_cast<size_t>(static_cast<const char*>(lf) - buf_.get());
  return true;
}

void LineReader::drain_rest(const std::function<void(std::string_view)>& sink) {
  if (!in_overlong_) return;
  in_overlong_ = false;
  // A CR at the end of a piece may be the CR of a CRLF: hold it back until
  // the next byte is known.
  bool held_cr = false;
  for (;;) {
    const char* base = buf_.get();
    const void* lf = pos_ < end_ ? std::memchr(base + pos_, '\n', end_ - pos_) : nullptr;
    size_t stop = lf ? static_cast<size_t>(static_cast<const char*>(lf) - base) : end_;
    std::string_view piece(base + pos_, stop - pos_);
    if (held_cr && (!piece.empty() || lf)) {
      if (!piece.empty()) sink("\r");
      held_cr = false;
    }
    if (!piece.empty() && piece.back() == '\r') {
      piece.remove_suffix(1);
      held_cr = true;
    }
    if (!piece.empty()) sink(piece);
    if (lf) {
      pos_ = scan_ = stop + 1;
      return;  // a held CR right before the LF is the line end's
    }
    pos_ = scan_ = end_;
    if (!fill()) return;  // input ended inside the line; a trailing CR counts as a line end
  }
}

}  // namespace journey::events

// outbox_file.cpp — the buffered outbox writer (see outbox_file.h).
#include "vm/outbox_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vm/report.h"

namespace journey::vm {

namespace {
constexpr size_t kBufferBytes = size_t{1} << 20;
}

std::unique_ptr<OutboxFile> OutboxFile::Open(const std::string& path, std::string& error) {
  if (path == "-" || path.empty()) return std::unique_ptr<OutboxFile>(new OutboxFile(STDOUT_FILENO, false, "stdout"));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<OutboxFile>(new OutboxFile(fd, true, path));
}

OutboxFile::OutboxFile(int fd, bool owned, std::string name)
    : fd_(fd), owned_(owned), lineByLine_(isatty(fd) == 1), name_(std::move(name)),
      buffer_(new char[kBufferBytes]), capacity_(kBufferBytes) {}

OutboxFile::~OutboxFile() {
  std::string ignored;
  finish(ignored);
}

void OutboxFile::put(const OutboxRecord& r) {
  if (errno_) return;
  size_t bound = OutboxJsonBound(r);
  if (used_ + bound > capacity_) {
    flush();
    if (bound > capacity_) {  // one huge line: a buffer that holds it
      buffer_.reset(new char[bound]);
      capacity_ = bound;
    }
  }
  used_ = static_cast<size_t>(WriteOutboxJson(buffer_.get() + used_, r) - buffer_.get());
  if (lineByLine_) flush();
}

void OutboxFile::flush() {
  const char* p = buffer_.get();
  size_t left = used_;
  while (left > 0 && errno_ == 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
    } else {
      p += n;
      left -= static_cast<size_t>(n);
    }
  }
  used_ = 0;
}

bool OutboxFile::finish(std::string& error) {
  if (fd_ >= 0) {
    flush();
    if (owned_ && ::close(fd_) != 0 && errno_ == 0 && errno != EINTR) errno_ = errno;
    fd_ = -1;
  }
  if (errno_ == 0) return true;
  error = "writing " + name_ + ": " + std::strerror(errno_);
  return false;
}

}  // namespace journey::vm

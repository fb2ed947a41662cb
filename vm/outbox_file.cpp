// outbox_file.cpp — the buffered outbox writer and its direct-I/O writer
// thread (see outbox_file.h).
#include "vm/outbox_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#include "vm/big_array.h"
#include "vm/report.h"

namespace journey::vm {

namespace {
constexpr size_t kBufferBytes = size_t{1} << 20;
// Direct I/O wants the memory, the file offset and the length aligned to
// the device's logical block; 4096 covers 512-byte and 4K devices.
constexpr size_t kAlign = 4096;
// Direct blocks are 2 MiB, huge pages once the outbox is past kHugeAfter
// bytes (see DirectWriter).
constexpr size_t kDirectBlockBytes = size_t{2} << 20;
constexpr uint64_t kHugeAfter = uint64_t{8} << 20;
// Three blocks: one being filled, one being written, one spare so that a
// slow write does not stop the run at once.
constexpr int kBlocks = 3;

bool SetDirect(int fd, bool on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  int want = on ? (flags | O_DIRECT) : (flags & ~O_DIRECT);
  return want == flags || fcntl(fd, F_SETFL, want) == 0;
}
}  // namespace

// Writes whole aligned blocks handed to it, in order, on its own thread,
// and hands each block back for refilling once written.
class OutboxFile::DirectWriter {
 public:
  // The blocks lie in one mapping aligned for huge pages. The kernel pins
  // a block's memory for the device on every write, page by page: 4 KiB
  // pages made each 1 MiB write 256 pins (and their release), a huge page
  // is one. A 2 MiB block also halves the writes and the disk requests
  // (promo at 1M users: 581 -> 299 requests for 579 MB). But a huge page
  // is resident whole from its first byte, which a short outbox should not
  // pay for (6 MiB against a few hundred KiB): the blocks start in small
  // pages, filled to 1 MiB each as before, and each becomes a huge page,
  // filled whole, when it is next taken once kHugeAfter bytes have gone out.
  explicit DirectWriter(int fd) : fd_(fd) {
    region_ = static_cast<char*>(big_array::Map(kBlocks * kDirectBlockBytes));  // throws std::bad_alloc
    madvise(region_, kBlocks * kDirectBlockBytes, MADV_NOHUGEPAGE);  // advice: failing changes nothing
    for (int i = 0; i < kBlocks; ++i) free_.push_back(region_ + i * kDirectBlockBytes);
    try {
      thread_ = std::thread([this] { loop(); });
    } catch (...) {  // no thread: the caller stays buffered; the blocks must not leak
      release();
      throw;
    }
  }
  ~DirectWriter() {
    drain();
    release();
  }
  DirectWriter(const DirectWriter&) = delete;
  DirectWriter& operator=(const DirectWriter&) = delete;

  // A block to fill; waits while all are queued or being written.
  char* take() {
    std::unique_lock<std::mutex> lock(m_);
    if (free_.empty()) {
      runWaits_ = true;
      freed_.wait(lock, [&] { return !free_.empty(); });
      runWaits_ = false;
    }
    char* b = free_.back();
    free_.pop_back();
    if (given_ >= kHugeAfter && !huge(b)) {
      // The block's content is spent: its small pages go, and its next
      // touch brings in one huge page.
      hugeBlocks_ |= bitOf(b);
      madvise(b, kDirectBlockBytes, MADV_DONTNEED);
      madvise(b, kDirectBlockBytes, MADV_HUGEPAGE);
    }
    return b;
  }
  // Whether a block is in a huge page now.
  bool huge(const char* block) const { return hugeBlocks_ & bitOf(block); }
  // How much of a block to fill: all of a huge page, 1 MiB of small pages
  // (what a short outbox touches stays as it was with 1 MiB blocks).
  size_t capacity(const char* block) const { return huge(block) ? kDirectBlockBytes : kBufferBytes; }
  // Queues `bytes` (a multiple of kAlign) of `block` for writing.
  void give(char* block, size_t bytes) {
    std::lock_guard<std::mutex> lock(m_);
    given_ += bytes;
    queue_.emplace_back(block, bytes);
    // A wake-up is a system call (and on a VM an interrupt between CPUs):
    // only when the writer sleeps.
    if (writerWaits_) queued_.notify_one();
  }
  // The first failed write's errno, or 0.
  int error() {
    std::lock_guard<std::mutex> lock(m_);
    return error_;
  }
  // Writes everything queued, stops the thread and returns error().
  int drain() {
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
      }
      queued_.notify_one();
      thread_.join();
    }
    return error_;
  }

 private:
  unsigned bitOf(const char* block) const { return 1u << (static_cast<size_t>(block - region_) / kDirectBlockBytes); }
  void release() {
    if (region_) big_array::Unmap(region_, kBlocks * kDirectBlockBytes);
    region_ = nullptr;
  }

  void loop() {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      if (!stop_ && queue_.empty()) {
        writerWaits_ = true;
        queued_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        writerWaits_ = false;
      }
      if (queue_.empty()) return;  // stopping, and all written
      auto [block, bytes] = queue_.front();
      queue_.pop_front();
      bool skip = error_ != 0;  // after a failure nothing more is written: no holes
      lock.unlock();
      int err = skip ? 0 : write(block, bytes);
      lock.lock();
      if (err != 0 && error_ == 0) error_ = err;
      free_.push_back(block);
      if (runWaits_) freed_.notify_one();
    }
  }

  int write(const char* p, size_t left) {
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n >= 0) {
        p += n;
        left -= static_cast<size_t>(n);
        continue;
      }
      int err = errno;
      if (err == EINTR) continue;
      // A file system may accept O_DIRECT on the descriptor and refuse the
      // write itself (or a short write left the offset unaligned): the
      // rest goes out buffered.
      if (err == EINVAL && direct_ && SetDirect(fd_, false)) {
        direct_ = false;
        continue;
      }
      return err;
    }
    return 0;
  }

  int fd_;
  bool direct_ = true;  // the writer thread's own view, changed only by it
  char* region_ = nullptr;  // kBlocks blocks of kDirectBlockBytes
  uint64_t given_ = 0;      // bytes handed to the thread so far
  unsigned hugeBlocks_ = 0;  // bit i: block i was made a huge page
  std::mutex m_;
  std::condition_variable queued_, freed_;  // the writer waits for work, the run for a block
  bool writerWaits_ = false, runWaits_ = false;
  std::vector<char*> free_;
  std::deque<std::pair<char*, size_t>> queue_;
  int error_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

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
      own_(new char[kBufferBytes]), buffer_(own_.get()), capacity_(kBufferBytes) {
  // Not for stdout: its file status flags belong to whoever opened it.
  if (owned_ && !lineByLine_) startDirect();
}

OutboxFile::~OutboxFile() {
  std::string ignored;
  finish(ignored);
}

void OutboxFile::startDirect() {
  struct stat st;
  if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || lseek(fd_, 0, SEEK_CUR) != 0) return;
  int flags = fcntl(fd_, F_GETFL);
  if (flags < 0 || (flags & O_APPEND) || !SetDirect(fd_, true)) return;  // e.g. tmpfs: EINVAL
  try {
    writer_ = std::make_unique<DirectWriter>(fd_);
  } catch (const std::exception&) {  // no memory or no thread: buffered writes do
    SetDirect(fd_, false);
    return;
  }
  own_.reset();
  buffer_ = writer_->take();
  capacity_ = writer_->capacity(buffer_);
  used_ = 0;
}

bool OutboxFile::fillingHugeBlock() const { return writer_ && writer_->huge(buffer_); }

void OutboxFile::stopDirect() {
  if (!writer_) return;
  int err = writer_->drain();
  if (err != 0 && errno_ == 0) errno_ = err;
  SetDirect(fd_, false);
  // After a failed write the block may still be full (flush stops moving
  // data): the buffered buffer takes all of it.
  capacity_ = std::max(kBufferBytes, used_);
  own_.reset(new char[capacity_]);
  std::memcpy(own_.get(), buffer_, used_);
  buffer_ = own_.get();
  writer_.reset();
}

void OutboxFile::put(const OutboxRecord& r) {
  WriteOutboxLine(*this, r);
}

char* OutboxFile::room(size_t bound) {
  if (errno_) return nullptr;
  if (used_ + bound > capacity_) {
    flush();
    if (used_ + bound > capacity_) {  // one huge line: buffered, in a buffer that holds it
      stopDirect();
      flush();
      if (bound > capacity_) {
        own_.reset(new char[bound]);
        buffer_ = own_.get();
        capacity_ = bound;
      }
    }
    if (errno_) return nullptr;
  }
  return buffer_ + used_;
}

void OutboxFile::wrote(char* end) {
  used_ = static_cast<size_t>(end - buffer_);
  if (lineByLine_) flush();
}

void OutboxFile::flush() {
  if (!writer_) {
    writeAll(buffer_, used_);
    used_ = 0;
    return;
  }
  if (int err = writer_->error(); err != 0 && errno_ == 0) errno_ = err;
  size_t whole = used_ & ~(kAlign - 1);
  if (whole == 0 || errno_) return;
  // The unaligned tail moves to the front of the next block.
  char* next = writer_->take();
  std::memcpy(next, buffer_ + whole, used_ - whole);
  writer_->give(buffer_, whole);
  buffer_ = next;
  capacity_ = writer_->capacity(buffer_);
  used_ -= whole;
}

void OutboxFile::writeAll(const char* p, size_t left) {
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
}

bool OutboxFile::finish(std::string& error) {
  if (fd_ >= 0) {
    flush();
    stopDirect();  // the tail goes out buffered: direct I/O takes whole blocks only
    flush();
    if (owned_ && ::close(fd_) != 0 && errno_ == 0 && errno != EINTR) errno_ = errno;
    fd_ = -1;
  }
  if (errno_ == 0) return true;
  error = "writing " + name_ + ": " + std::strerror(errno_);
  return false;
}

}  // namespace journey::vm

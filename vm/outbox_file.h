// outbox_file.h — outbox lines written to a file or stdout, buffered.
//
// A replay writes hundreds of megabytes of outbox. Lines are written
// straight into one large buffer (WriteOutboxJson, no intermediate string)
// and the buffer goes out with write(2) when full: no stdio layer copying
// each line once more. A failed write is remembered, not ignored: nothing
// more is written (the outbox would have a hole) and finish() reports it,
// so a full disk cannot lose sends silently.
//
// A regular file is written with direct I/O (O_DIRECT) by a writer thread
// when the file system allows it. Buffered writes cost the run a copy of
// every byte into the page cache, into pages the kernel must first find and
// map: for a promotion that is ~580 MB at 1M users and a fifth of the run's
// time, and the dirty pages then push the event file out of the cache and
// make the kernel throttle the run. Direct I/O hands the device our own
// aligned blocks instead. The writer thread only waits on the device; the
// run goes on filling the next block meanwhile. Blocks go out whole
// (multiples of 4096 bytes); the unaligned tail of the last one is written
// with direct I/O switched off when the file is finished. A file system
// that refuses direct I/O gets buffered writes, as do terminals, pipes and
// a line too large for a block.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "vm/engine.h"

namespace journey::vm {

class OutboxFile final : public OutboxLines {
 public:
  // "-" is stdout (not closed at the end); any other path is created or
  // truncated. Returns null with `error` set when it cannot be opened.
  static std::unique_ptr<OutboxFile> Open(const std::string& path, std::string& error);
  ~OutboxFile();
  OutboxFile(const OutboxFile&) = delete;
  OutboxFile& operator=(const OutboxFile&) = delete;

  void put(const OutboxRecord& r);
  // OutboxLines: the engine writes lines straight into the buffer.
  char* room(size_t bytes) override;
  void wrote(char* end) override;
  // Writes what is buffered and closes the file; false with `error` set
  // (naming the file and the reason) when any write failed.
  bool finish(std::string& error);
  bool failed() const { return errno_ != 0; }
  // True while blocks go out with direct I/O through the writer thread.
  bool direct() const { return writer_ != nullptr; }
  // Whether the block being filled is a huge page (direct mode, once the
  // outbox is past a few MiB; for tests).
  bool fillingHugeBlock() const;

 private:
  class DirectWriter;
  OutboxFile(int fd, bool owned, std::string name);
  void startDirect();
  void stopDirect();
  void flush();
  void writeAll(const char* p, size_t bytes);

  int fd_;
  bool owned_;
  bool lineByLine_;  // a terminal: each line as it is made
  std::string name_;
  std::unique_ptr<DirectWriter> writer_;  // set in direct mode
  std::unique_ptr<char[]> own_;           // the buffer in buffered mode
  char* buffer_;                          // own_, or a block of the writer's
  size_t capacity_;
  size_t used_ = 0;
  int errno_ = 0;
};

}  // namespace journey::vm

// outbox_file.h — outbox lines written to a file or stdout, buffered.
//
// A replay writes hundreds of megabytes of outbox. Lines are written
// straight into one large buffer (WriteOutboxJson, no intermediate string)
// and the buffer goes out with write(2) when full: no stdio layer copying
// each line once more. A failed write is remembered, not ignored: nothing
// more is written (the outbox would have a hole) and finish() reports it,
// so a full disk cannot lose sends silently.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "vm/engine.h"

namespace journey::vm {

class OutboxFile {
 public:
  // "-" is stdout (not closed at the end); any other path is created or
  // truncated. Returns null with `error` set when it cannot be opened.
  static std::unique_ptr<OutboxFile> Open(const std::string& path, std::string& error);
  ~OutboxFile();
  OutboxFile(const OutboxFile&) = delete;
  OutboxFile& operator=(const OutboxFile&) = delete;

  void put(const OutboxRecord& r);
  // Writes what is buffered and closes the file; false with `error` set
  // (naming the file and the reason) when any write failed.
  bool finish(std::string& error);
  bool failed() const { return errno_ != 0; }

 private:
  OutboxFile(int fd, bool owned, std::string name);
  void flush();

  int fd_;
  bool owned_;
  bool lineByLine_;  // a terminal: each line as it is made
  std::string name_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_;
  size_t used_ = 0;
  int errno_ = 0;
};

}  // namespace journey::vm

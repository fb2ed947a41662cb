// outbox_sink.h — the outbox file of `journey-vm serve`, written exactly once
// across crashes.
//
// The store's `sink` table records how many bytes of the file are
// delivered, and that length moves in the same transaction that records
// what the bytes are (sends leaving the outbox table, or a batch's own
// sends). Bytes are written and synced before that transaction commits, so
// after a crash the file is either exactly as recorded or longer; Open cuts
// the longer tail off (its sends are written again: their rows are still
// pending, or their batch was never committed and is applied again) and
// refuses a file shorter than recorded, which someone else truncated.
//
// Two writers use it: the store itself, which appends each batch's sends
// inside the batch's transaction when serve has no provider command, and
// the outbox sender, which delivers table rows (rows a provider command was
// meant to take, or rows left by an older journey-vm). The file is locked:
// one writer per file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>

struct sqlite3;
struct sqlite3_stmt;

namespace journey::vm::serve {

// Writes all of `bytes` at `offset` (or at the end when offset < 0);
// false with errno set on failure.
bool WriteAll(int fd, std::string_view bytes, off_t offset);

class OutboxFileSink {
 public:
  OutboxFileSink() = default;
  ~OutboxFileSink();
  OutboxFileSink(const OutboxFileSink&) = delete;
  OutboxFileSink& operator=(const OutboxFileSink&) = delete;

  // Opens and locks `file` (creating it) and brings it in line with the
  // length recorded in `db` (the store at `dbPath`, named in errors); a
  // file the store has never written to is recorded with its present
  // length, and deliveries go after what it holds.
  bool open(sqlite3* db, const std::string& dbPath, const std::string& file, std::string& error);
  bool isOpen() const { return fd_ >= 0; }

  // Writes `bytes` after the recorded length and syncs them. On failure the
  // file is cut back and `error` says why. The recorded length does not
  // move: record(newLength) inside the transaction that commits them, then
  // committed(newLength) once it has, or cutBack() when it did not.
  bool write(std::string_view bytes, std::string& error);
  // Records `length` for this file in the store it was opened with (inside
  // the caller's transaction).
  bool record(uint64_t length);
  void committed(uint64_t length) { length_ = length; }
  // Cuts the file back to the recorded length; false when that fails.
  bool cutBack();

  uint64_t length() const { return length_; }  // bytes recorded as delivered
  const std::string& file() const { return file_; }

 private:
  int fd_ = -1;
  sqlite3_stmt* recordStmt_ = nullptr;  // prepared once: record() runs in every batch that sends
  std::string file_, sinkName_;
  uint64_t length_ = 0;
};

}  // namespace journey::vm::serve

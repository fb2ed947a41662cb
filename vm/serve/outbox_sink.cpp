// outbox_sink.cpp — the outbox file and its recorded length (see the header
// for the protocol that makes every line land exactly once).
#include "vm/serve/outbox_sink.h"

#include <sqlite3.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace journey::vm::serve {
namespace {

// Finalizes a statement however the scope is left.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

bool WriteAll(int fd, std::string_view bytes, off_t offset) {
  while (!bytes.empty()) {
    ssize_t n = offset >= 0 ? ::pwrite(fd, bytes.data(), bytes.size(), offset) : ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    if (offset >= 0) offset += n;
  }
  return true;
}

OutboxFileSink::~OutboxFileSink() {
  sqlite3_finalize(recordStmt_);
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

bool OutboxFileSink::open(sqlite3* db, const std::string& dbPath, const std::string& file, std::string& error) {
  auto sqlError = [&](const char* what) { return dbPath + ": " + what + " (" + sqlite3_errmsg(db) + ")"; };
  std::error_code ec;
  file_ = file;
  sinkName_ = "file:" + std::filesystem::absolute(file, ec).lexically_normal().string();
  bool existed = std::filesystem::exists(file, ec);
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = file + ": cannot open the outbox file (" + std::strerror(errno) + ")";
    return false;
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    error = file + ": the outbox file is in use by another writer";
    return false;
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    error = file + ": cannot read the outbox file's size (" + std::strerror(errno) + ")";
    return false;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);

  if (sqlite3_prepare_v3(db, "INSERT OR REPLACE INTO sink(name, length) VALUES(?1, ?2)", -1, SQLITE_PREPARE_PERSISTENT,
                         &recordStmt_, nullptr) != SQLITE_OK) {
    error = sqlError("cannot prepare a statement");
    return false;
  }
  Statement sink;
  if (sqlite3_prepare_v2(db, "SELECT length FROM sink WHERE name = ?1", -1, &sink.stmt, nullptr) != SQLITE_OK) {
    error = sqlError("cannot read the outbox file's recorded length");
    return false;
  }
  sqlite3_bind_text(sink.stmt, 1, sinkName_.c_str(), -1, SQLITE_STATIC);
  int rc = sqlite3_step(sink.stmt);
  if (rc == SQLITE_ROW) {
    uint64_t recorded = static_cast<uint64_t>(sqlite3_column_int64(sink.stmt, 0));
    if (size < recorded) {
      error = file + ": the outbox file is " + (existed ? "shorter (" + std::to_string(size) + " bytes)" : "missing") +
              " but the store recorded " + std::to_string(recorded) +
              " delivered bytes; it was truncated or replaced outside journey-vm";
      return false;
    }
    // Bytes past the recorded length were written by a writer that crashed
    // before it could commit them; they are written again.
    if (size > recorded && (::ftruncate(fd_, static_cast<off_t>(recorded)) != 0 || ::fsync(fd_) != 0)) {
      error = file + ": cannot cut the outbox file back to its recorded length (" + std::strerror(errno) + ")";
      return false;
    }
    length_ = recorded;
    return true;
  }
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot read the outbox file's recorded length");
    return false;
  }
  // A file the store has never written to: whatever it holds stays, and
  // deliveries are appended after it.
  Statement insert;
  if (sqlite3_prepare_v2(db, "INSERT INTO sink(name, length) VALUES(?1, ?2)", -1, &insert.stmt, nullptr) != SQLITE_OK) {
    error = sqlError("cannot record the outbox file");
    return false;
  }
  sqlite3_bind_text(insert.stmt, 1, sinkName_.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_int64(insert.stmt, 2, static_cast<sqlite3_int64>(size));
  if (sqlite3_step(insert.stmt) != SQLITE_DONE) {
    error = sqlError("cannot record the outbox file");
    return false;
  }
  length_ = size;
  return true;
}

bool OutboxFileSink::write(std::string_view bytes, std::string& error) {
  if (WriteAll(fd_, bytes, static_cast<off_t>(length_)) && ::fdatasync(fd_) == 0) return true;
  error = file_ + ": cannot write the outbox file (" + std::strerror(errno) + ")";
  if (!cutBack()) error += "; and cannot cut it back";
  return false;
}

bool OutboxFileSink::record(uint64_t length) {
  sqlite3_bind_text(recordStmt_, 1, sinkName_.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_int64(recordStmt_, 2, static_cast<sqlite3_int64>(length));
  int rc = sqlite3_step(recordStmt_);
  sqlite3_reset(recordStmt_);
  return rc == SQLITE_DONE;
}

bool OutboxFileSink::cutBack() { return ::ftruncate(fd_, static_cast<off_t>(length_)) == 0; }

}  // namespace journey::vm::serve

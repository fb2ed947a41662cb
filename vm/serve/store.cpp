// store.cpp — the SQLite-backed journal, consumed ids, outbox and snapshots
// of `journey-vm serve` (see store.h for the design).
//
// The hot path (consume/append/addOutbox, run for every event) uses
// statements prepared once at Open and only rebinds them, and a batch is one
// BEGIN IMMEDIATE … COMMIT, so the per-event cost is a few B-tree inserts in
// the page cache. Integrity checks that cost a pass over data (quick_check,
// the journal's checksums since the newest snapshot) run once, at Open.
#include "vm/serve/store.h"

#include <sqlite3.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace journey::vm::serve {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- CRC-32C
// Slice-by-8 tables for the reflected Castagnoli polynomial: eight bytes per
// step keeps checksumming a large snapshot well under the cost of writing it.
using CrcTables = std::array<std::array<uint32_t, 256>, 8>;

constexpr CrcTables MakeCrcTables() {
  CrcTables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    t[0][i] = c;
  }
  for (size_t slice = 1; slice < 8; ++slice)
    for (size_t i = 0; i < 256; ++i) t[slice][i] = (t[slice - 1][i] >> 8) ^ t[0][t[slice - 1][i] & 0xFFu];
  return t;
}

constexpr CrcTables kCrc = MakeCrcTables();

uint32_t LoadLe32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

void StoreLe64(unsigned char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

uint64_t LoadLe64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

// The checksum of a journal row covers its seq, kind and time as well as the
// body, so a row moved or relabelled by damage does not verify either.
uint32_t JournalCrc(uint64_t seq, int kind, int64_t time, std::string_view body) {
  unsigned char header[17];
  StoreLe64(header, seq);
  header[8] = static_cast<unsigned char>(kind);
  StoreLe64(header + 9, static_cast<uint64_t>(time));
  return Crc32c(body, Crc32c(std::string_view(reinterpret_cast<const char*>(header), sizeof header)));
}

uint32_t SnapshotCrc(uint64_t journalSeq, std::string_view data) {
  unsigned char header[8];
  StoreLe64(header, journalSeq);
  return Crc32c(data, Crc32c(std::string_view(reinterpret_cast<const char*>(header), sizeof header)));
}

// ---------------------------------------------------------------- marker
// DIR/journey.commit: magic, last committed seq, CRC-32C of both. 24 bytes,
// rewritten in place, so a write never straddles a sector.
constexpr char kMarkerMagic[8] = {'J', 'R', 'N', 'Y', 'C', 'M', 'T', '1'};
constexpr size_t kMarkerSize = 24;

std::array<unsigned char, kMarkerSize> EncodeMarker(uint64_t seq) {
  std::array<unsigned char, kMarkerSize> buf{};
  std::memcpy(buf.data(), kMarkerMagic, 8);
  StoreLe64(buf.data() + 8, seq);
  uint32_t crc = Crc32c(std::string_view(reinterpret_cast<const char*>(buf.data()), 16));
  for (int i = 0; i < 4; ++i) buf[16 + static_cast<size_t>(i)] = static_cast<unsigned char>(crc >> (8 * i));
  return buf;
}

// ---------------------------------------------------------------- SQLite helpers
// An empty string_view may carry a null data pointer, which SQLite would
// store as NULL rather than as an empty value.
void BindText(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text64(s, index, text.data() ? text.data() : "", text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void BindBlob(sqlite3_stmt* s, int index, std::string_view bytes) {
  sqlite3_bind_blob64(s, index, bytes.data() ? bytes.data() : "", bytes.size(), SQLITE_STATIC);
}

std::string_view ColumnBytes(sqlite3_stmt* s, int column) {
  const void* p = sqlite3_column_blob(s, column);
  int n = sqlite3_column_bytes(s, column);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}

// Finalizes a statement however the scope is left.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

bool Prepare(sqlite3* db, const char* sql, Statement& out) {
  return sqlite3_prepare_v2(db, sql, -1, &out.stmt, nullptr) == SQLITE_OK;
}

// Runs a statement that returns at most one integer row; `value` stays as
// given when there is no row or the value is NULL.
bool QueryInt(sqlite3* db, const char* sql, int64_t& value) {
  Statement s;
  if (!Prepare(db, sql, s)) return false;
  int rc = sqlite3_step(s.stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type(s.stmt, 0) != SQLITE_NULL) value = sqlite3_column_int64(s.stmt, 0);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

// The second generation of consumed ids (Store::setDedupWindow): part of a
// new store's schema, and what upgrades a version-1 store.
const char* const kConsumedAltSchema = "CREATE TABLE consumed_alt(id TEXT PRIMARY KEY) WITHOUT ROWID;";
// The parts of a snapshot after its first (Store::putSnapshot): part of a
// new store's schema, and what upgrades a version-1 or -2 store.
const char* const kSnapshotPartSchema =
    "CREATE TABLE snapshot_part(snapshot INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, "
    "PRIMARY KEY(snapshot, part));";

const char* const kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, time INTEGER NOT NULL,
                     body BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE consumed(id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE outbox(seq INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, channel TEXT NOT NULL, json TEXT NOT NULL,
                    state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
                    next_try INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 0;
CREATE TABLE snapshot(seq INTEGER PRIMARY KEY, journal_seq INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE sink(name TEXT PRIMARY KEY, length INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
)sql";

// The two generations of consumed ids (Store::setDedupWindow), by number.
constexpr const char* kConsumedTables[2] = {"consumed", "consumed_alt"};

}  // namespace

#if defined(__x86_64__)
// SSE 4.2's crc32 instruction computes exactly this polynomial, 8 bytes at
// a time: ~4x the tables' speed, which shows in a restart (every snapshot
// byte is checked) and in each batch's journal row.
__attribute__((target("sse4.2"))) static uint32_t Crc32cSse42(std::string_view bytes, uint32_t crc) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint64_t c = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = __builtin_ia32_crc32di(c, word);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; ++p, --n) c32 = __builtin_ia32_crc32qi(c32, *p);
  return ~c32;
}
#endif

uint32_t Crc32c(std::string_view bytes, uint32_t crc) {
#if defined(__x86_64__)
  static const bool sse42 = __builtin_cpu_supports("sse4.2");
  if (sse42) return Crc32cSse42(bytes, crc);
#endif
  return Crc32cPortable(bytes, crc);
}

uint32_t Crc32cPortable(std::string_view bytes, uint32_t crc) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint32_t c = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint32_t lo = LoadLe32(p) ^ c, hi = LoadLe32(p + 4);
    c = kCrc[7][lo & 0xFF] ^ kCrc[6][(lo >> 8) & 0xFF] ^ kCrc[5][(lo >> 16) & 0xFF] ^ kCrc[4][lo >> 24] ^
        kCrc[3][hi & 0xFF] ^ kCrc[2][(hi >> 8) & 0xFF] ^ kCrc[1][(hi >> 16) & 0xFF] ^ kCrc[0][hi >> 24];
  }
  for (; n > 0; ++p, --n) c = kCrc[0][(c ^ *p) & 0xFF] ^ (c >> 8);
  return ~c;
}

std::string Store::sqlError(std::string_view what) const {
  return path_ + ": " + std::string(what) + " (" + sqlite3_errmsg(db_) + ")";
}

std::unique_ptr<Store> Store::Open(const std::string& dir, Sync sync, std::string& error) {
  error.clear();
  std::unique_ptr<Store> store(new Store());
  Store& s = *store;
  s.dir_ = dir;
  s.path_ = (fs::path(dir) / "journey.db").string();
  s.markerPath_ = (fs::path(dir) / "journey.commit").string();
  s.sync_ = sync;

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = dir + ": cannot create the store directory (" + ec.message() + ")";
    return nullptr;
  }

  // The marker doubles as the lock file: one writer per store, across
  // processes. An empty marker counts as missing (an Open that failed after
  // creating it wrote nothing).
  s.markerFd_ = ::open(s.markerPath_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (s.markerFd_ < 0) {
    error = s.markerPath_ + ": cannot open the commit marker (" + std::strerror(errno) + ")";
    return nullptr;
  }
  if (::flock(s.markerFd_, LOCK_EX | LOCK_NB) != 0) {
    error = errno == EWOULDBLOCK ? dir + ": the store is in use by another journey-vm (" + s.markerPath_ + " is locked)"
                                 : s.markerPath_ + ": cannot lock the commit marker (" + std::strerror(errno) + ")";
    return nullptr;
  }

  if (sqlite3_open_v2(s.path_.c_str(), &s.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    error = s.db_ ? s.sqlError("cannot open the database") : s.path_ + ": cannot open the database (out of memory)";
    return nullptr;
  }
  sqlite3_extended_result_codes(s.db_, 1);
  // The sender's connection writes too (delivery states); waiting for it
  // briefly beats failing a batch.
  sqlite3_busy_timeout(s.db_, 5000);

  int64_t applicationId = 0, schemaVersion = 0, tables = 0;
  if (!QueryInt(s.db_, "PRAGMA application_id", applicationId) || !QueryInt(s.db_, "PRAGMA user_version", schemaVersion) ||
      !QueryInt(s.db_, "SELECT count(*) FROM sqlite_master", tables)) {
    int code = sqlite3_errcode(s.db_) & 0xFF;
    error = s.sqlError(code == SQLITE_CORRUPT ? "the database is damaged" : "not a journey store");
    return nullptr;
  }
  bool fresh = applicationId == 0 && schemaVersion == 0 && tables == 0;
  if (!fresh) {
    if (applicationId != kStoreApplicationId) {
      char buf[160];
      std::snprintf(buf, sizeof buf, ": not a journey store (application_id 0x%08" PRIx32 ", expected 0x%08" PRIx32 ")",
                    static_cast<uint32_t>(applicationId), static_cast<uint32_t>(kStoreApplicationId));
      error = s.path_ + buf;
      return nullptr;
    }
    if (schemaVersion > kStoreSchemaVersion) {
      error = s.path_ + ": schema version " + std::to_string(schemaVersion) + " is newer than this journey-vm supports (" +
              std::to_string(kStoreSchemaVersion) + "); use a newer journey-vm";
      return nullptr;
    }
    if (schemaVersion < 1) {
      error = s.path_ + ": unknown schema version " + std::to_string(schemaVersion);
      return nullptr;
    }
  }

  // 16 KiB pages: rows are appended in batches of thousands, and bigger
  // pages halve the B-tree work per insert compared with the default 4 KiB.
  // Only takes effect before the first table exists.
  if (fresh && sqlite3_exec(s.db_, "PRAGMA page_size=16384", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = s.sqlError("cannot set the page size");
    return nullptr;
  }

  // WAL: readers (the sender) never block the writer, and a commit is one
  // append to the log.
  {
    Statement wal;
    if (!Prepare(s.db_, "PRAGMA journal_mode=WAL", wal) || sqlite3_step(wal.stmt) != SQLITE_ROW ||
        std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(wal.stmt, 0))) != "wal") {
      error = s.sqlError("cannot switch to write-ahead-log mode");
      return nullptr;
    }
  }
  std::string pragmas = std::string("PRAGMA synchronous=") + (sync == Sync::Full ? "FULL" : "NORMAL") +
                        "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; PRAGMA foreign_keys=OFF";
  if (sqlite3_exec(s.db_, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = s.sqlError("cannot configure the connection");
    return nullptr;
  }

  if (fresh) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kSchema + kConsumedAltSchema + kSnapshotPartSchema +
                      "PRAGMA application_id=" + std::to_string(kStoreApplicationId) +
                      "; PRAGMA user_version=" + std::to_string(kStoreSchemaVersion) + "; COMMIT;";
    if (sqlite3_exec(s.db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      error = s.sqlError("cannot create the schema");
      sqlite3_exec(s.db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return nullptr;
    }
  }

  if (!fresh && schemaVersion < kStoreSchemaVersion) {
    // Version 1 kept one table of consumed ids (it becomes generation 0);
    // versions 1 and 2 kept each snapshot in one row (it has no parts).
    std::string sql = std::string("BEGIN IMMEDIATE; ") + (schemaVersion == 1 ? kConsumedAltSchema : "") + kSnapshotPartSchema +
                      " PRAGMA user_version=" + std::to_string(kStoreSchemaVersion) + "; COMMIT;";
    if (sqlite3_exec(s.db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      error = s.sqlError("cannot upgrade the store from schema version " + std::to_string(schemaVersion));
      sqlite3_exec(s.db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return nullptr;
    }
  }

  // quick_check: page-level damage (a truncated file, a torn page) anywhere
  // in the database, before anything trusts its contents.
  {
    Statement check;
    if (!Prepare(s.db_, "PRAGMA quick_check(3)", check)) {
      error = s.sqlError("the database is damaged");
      return nullptr;
    }
    std::string problems;
    int rc;
    while ((rc = sqlite3_step(check.stmt)) == SQLITE_ROW) {
      std::string_view line(reinterpret_cast<const char*>(sqlite3_column_text(check.stmt, 0)));
      if (line != "ok") problems += (problems.empty() ? "" : "; ") + std::string(line);
    }
    if (rc != SQLITE_DONE) {
      error = s.sqlError("the database is damaged");
      return nullptr;
    }
    if (!problems.empty()) {
      error = s.path_ + ": the database is damaged (quick_check: " + problems + ")";
      return nullptr;
    }
  }

  int64_t minSeq = 0, maxSeq = 0, rows = 0, snapshotSeq = 0;
  if (!QueryInt(s.db_, "SELECT min(seq) FROM journal", minSeq) || !QueryInt(s.db_, "SELECT max(seq) FROM journal", maxSeq) ||
      !QueryInt(s.db_, "SELECT count(*) FROM journal", rows) ||
      !QueryInt(s.db_, "SELECT journal_seq FROM snapshot ORDER BY seq DESC LIMIT 1", snapshotSeq)) {
    error = s.sqlError("cannot read the journal");
    return nullptr;
  }
  s.lastSeq_ = static_cast<uint64_t>(std::max(maxSeq, snapshotSeq));
  s.nextSeq_ = s.lastSeq_ + 1;

  // The marker first: lost rows at the tail are the likeliest damage and the
  // most specific message.
  unsigned char marker[kMarkerSize];
  ssize_t got = ::pread(s.markerFd_, marker, kMarkerSize, 0);
  if (got < 0) {
    error = s.markerPath_ + ": cannot read the commit marker (" + std::strerror(errno) + ")";
    return nullptr;
  }
  if (got == 0) {
    if (s.lastSeq_ > 0) {
      error = s.markerPath_ + ": the commit marker is missing but " + s.path_ + " holds journal rows up to " +
              std::to_string(s.lastSeq_) + "; refusing to start (was journey.db copied without it?)";
      return nullptr;
    }
  } else {
    auto expected = EncodeMarker(LoadLe64(marker + 8));
    if (got != static_cast<ssize_t>(kMarkerSize) || std::memcmp(marker, expected.data(), kMarkerSize) != 0) {
      error = s.markerPath_ + ": the commit marker is corrupt";
      return nullptr;
    }
    uint64_t committed = LoadLe64(marker + 8);
    if (committed > s.lastSeq_) {
      error = s.path_ + ": the store lost committed journal rows " + std::to_string(s.lastSeq_ + 1) + ".." +
              std::to_string(committed) + " (its write-ahead log was truncated or corrupted); refusing to start";
      return nullptr;
    }
  }

  if (rows > 0) {
    if (maxSeq - minSeq + 1 != rows) {
      error = s.path_ + ": the journal has gaps (" + std::to_string(rows) + " rows between seq " + std::to_string(minSeq) +
              " and " + std::to_string(maxSeq) + ")";
      return nullptr;
    }
    if (minSeq > snapshotSeq + 1) {
      error = s.path_ + ": journal rows " + std::to_string(snapshotSeq + 1) + ".." + std::to_string(minSeq - 1) + " are missing" +
              (snapshotSeq ? " after the newest snapshot" : " and there is no snapshot to start from");
      return nullptr;
    }
  }

  {
    int64_t current = 0, since = kNoSince, otherHolds = 1;
    if (!QueryInt(s.db_, "SELECT value FROM meta WHERE key = 'consumed_current'", current) ||
        !QueryInt(s.db_, "SELECT value FROM meta WHERE key = 'consumed_since'", since)) {
      error = s.sqlError("cannot read the store's settings");
      return nullptr;
    }
    if (current != 0 && current != 1) {
      error = s.path_ + ": the store's current generation of consumed ids is " + std::to_string(current) + " (expected 0 or 1)";
      return nullptr;
    }
    std::string probe = std::string("SELECT EXISTS(SELECT 1 FROM ") + kConsumedTables[1 - current] + ")";
    if (!QueryInt(s.db_, probe.c_str(), otherHolds)) {
      error = s.sqlError("cannot read the consumed ids");
      return nullptr;
    }
    s.gens_ = Generations{static_cast<int>(current), since, otherHolds != 0};
  }

  if (!s.prepareStatements(error)) return nullptr;
  // Every row a restart would replay must verify now, not halfway through
  // the replay.
  if (!s.readJournal(static_cast<uint64_t>(snapshotSeq), [](const JournalRecord&) { return true; }, error)) return nullptr;
  if (!s.writeMarker(s.lastSeq_, error)) return nullptr;
  return store;
}

bool Store::prepareStatements(std::string& error) {
  struct {
    sqlite3_stmt** slot;
    const char* sql;
  } const statements[] = {
      {&consumeStmt_[0], "INSERT OR IGNORE INTO consumed(id) VALUES(?1)"},
      {&consumeStmt_[1], "INSERT OR IGNORE INTO consumed_alt(id) VALUES(?1)"},
      {&probeConsumedStmt_[0], "SELECT 1 FROM consumed WHERE id = ?1"},
      {&probeConsumedStmt_[1], "SELECT 1 FROM consumed_alt WHERE id = ?1"},
      {&appendStmt_, "INSERT INTO journal(seq, kind, time, body, crc) VALUES(?1, ?2, ?3, ?4, ?5)"},
      {&outboxStmt_, "INSERT OR IGNORE INTO outbox(key, channel, json) VALUES(?1, ?2, ?3)"},
      {&deliveredStmt_, kAddDeliveredSql},
      {&beginStmt_, "BEGIN IMMEDIATE"},
      {&commitStmt_, "COMMIT"},
      {&rollbackStmt_, "ROLLBACK"},
  };
  for (const auto& st : statements) {
    if (sqlite3_prepare_v3(db_, st.sql, -1, SQLITE_PREPARE_PERSISTENT, st.slot, nullptr) != SQLITE_OK) {
      error = sqlError("cannot prepare a statement");
      return false;
    }
  }
  return true;
}

Store::~Store() {
  if (inTxn_) rollback();
  for (sqlite3_stmt* st : {consumeStmt_[0], consumeStmt_[1], probeConsumedStmt_[0], probeConsumedStmt_[1], appendStmt_, outboxStmt_,
                           deliveredStmt_, beginStmt_, commitStmt_, rollbackStmt_})
    sqlite3_finalize(st);
  // _v2: the outbox file's statement (file_, destroyed after this body) is
  // finalized last, and the connection closes then.
  if (db_) sqlite3_close_v2(db_);
  if (markerFd_ >= 0) ::close(markerFd_);  // releases the lock
}

bool Store::writeMarker(uint64_t seq, std::string& error) {
  auto buf = EncodeMarker(seq);
  if (::pwrite(markerFd_, buf.data(), buf.size(), 0) != static_cast<ssize_t>(buf.size()) ||
      (sync_ == Sync::Full && ::fdatasync(markerFd_) != 0)) {
    error = markerPath_ + ": cannot write the commit marker (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

void Store::failBatch(const char* what) {
  if (batchError_.empty()) batchError_ = sqlError(what);
}

bool Store::begin(std::string& error) {
  if (!fatal_.empty()) {
    error = fatal_;
    return false;
  }
  if (inTxn_) {
    error = path_ + ": a batch is already open";
    return false;
  }
  turns_->acquire();  // held until commit or rollback
  int rc = sqlite3_step(beginStmt_);
  sqlite3_reset(beginStmt_);
  if (rc != SQLITE_DONE) {
    turns_->release();
    error = sqlError("cannot begin a batch");
    return false;
  }
  inTxn_ = true;
  gensAtBegin_ = gens_;
  batchError_.clear();
  nextSeq_ = lastSeq_ + 1;
  batchBytes_ = 0;
  return true;
}

bool Store::consume(std::string_view messageId) {
  if (!inTxn_) return false;
  if (gens_.otherMayHold) {
    sqlite3_stmt* probe = probeConsumedStmt_[1 - gens_.current];
    BindText(probe, 1, messageId);
    int rc = sqlite3_step(probe);
    sqlite3_reset(probe);
    if (rc == SQLITE_ROW) return false;
    if (rc != SQLITE_DONE) {
      failBatch("cannot look up a consumed message id");
      return false;
    }
  }
  sqlite3_stmt* insert = consumeStmt_[gens_.current];
  BindText(insert, 1, messageId);
  int rc = sqlite3_step(insert);
  sqlite3_reset(insert);
  if (rc != SQLITE_DONE) {
    failBatch("cannot record a consumed message id");
    return false;
  }
  return sqlite3_changes(db_) == 1;
}

void Store::ageConsumed(int64_t now) {
  if (!inTxn_ || dedupWindow_ <= 0) return;
  if (gens_.since == kNoSince || now < gens_.since) {
    // The first batch with a window (or a clock behind the recorded start,
    // from a store restored elsewhere): the current generation starts now.
    gens_.since = now;
    if (!writeGenerations()) failBatch("cannot record the consumed ids' generation");
    return;
  }
  if (now - gens_.since < dedupWindow_) return;
  int older = 1 - gens_.current;
  // The webhook outcomes' ids survive: a restart looks them up. Their key
  // range is one stretch of the primary key.
  std::string carry = std::string("INSERT OR IGNORE INTO ") + kConsumedTables[gens_.current] + " SELECT id FROM " + kConsumedTables[older] +
                      " WHERE id >= 'status:' AND id < 'status;'";
  std::string empty = std::string("DELETE FROM ") + kConsumedTables[older];
  if (sqlite3_exec(db_, carry.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_exec(db_, empty.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    failBatch("cannot start a new generation of consumed ids");
    return;
  }
  gens_ = Generations{older, now, true};
  if (!writeGenerations()) failBatch("cannot record the consumed ids' generation");
}

bool Store::writeGenerations() {
  std::string sql = "INSERT OR REPLACE INTO meta(key, value) VALUES('consumed_current', " + std::to_string(gens_.current) +
                    "), ('consumed_since', " + std::to_string(gens_.since) + ")";
  return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

uint64_t Store::append(RecordKind kind, int64_t time, std::string_view body) {
  if (!inTxn_) return 0;
  int k = static_cast<int>(kind);
  sqlite3_bind_int64(appendStmt_, 1, static_cast<sqlite3_int64>(nextSeq_));
  sqlite3_bind_int(appendStmt_, 2, k);
  sqlite3_bind_int64(appendStmt_, 3, time);
  BindBlob(appendStmt_, 4, body);
  sqlite3_bind_int64(appendStmt_, 5, JournalCrc(nextSeq_, k, time, body));
  int rc = sqlite3_step(appendStmt_);
  sqlite3_reset(appendStmt_);
  if (rc != SQLITE_DONE) {
    failBatch("cannot append a journal row");
    return 0;
  }
  batchBytes_ += body.size();
  return nextSeq_++;
}

bool Store::addOutbox(std::string_view key, std::string_view channel, std::string_view json) {
  if (!inTxn_) return false;
  BindText(outboxStmt_, 1, key);
  BindText(outboxStmt_, 2, channel);
  BindText(outboxStmt_, 3, json);
  int rc = sqlite3_step(outboxStmt_);
  sqlite3_reset(outboxStmt_);
  if (rc != SQLITE_DONE) {
    failBatch("cannot add an outbox row");
    return false;
  }
  return sqlite3_changes(db_) == 1;
}

bool Store::commit(std::string& error) {
  if (!inTxn_) {
    error = path_ + ": no batch is open";
    return false;
  }
  if (!batchError_.empty()) {
    error = batchError_;
    rollback();
    return false;
  }
  if (!fileBatch_.empty() && !writeOutboxFile(error)) {
    rollback();
    return false;
  }
  int rc = sqlite3_step(commitStmt_);
  sqlite3_reset(commitStmt_);
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot commit a batch");
    rollback();
    return false;
  }
  inTxn_ = false;
  turns_->release();
  if (fileWritten_) file_.committed(file_.length() + fileBatch_.size());
  // One huge batch (an HTTP body may be 256 MiB) should not keep its
  // lines' room for good.
  if (fileBatch_.capacity() > (size_t{16} << 20)) std::string().swap(fileBatch_);
  fileBatch_.clear();
  fileBatchRows_ = 0;
  fileWritten_ = false;
  bool advanced = nextSeq_ - 1 != lastSeq_;
  lastSeq_ = nextSeq_ - 1;
  committedBytes_ = batchBytes_;
  // The batch is durable whatever happens to the marker; a marker that
  // cannot be written only stops further batches (without it a lost log
  // tail would go unnoticed), so the caller never re-runs a committed batch.
  if (advanced && !writeMarker(lastSeq_, fatal_)) fatal_ += "; the last batch committed, further batches are refused";
  return true;
}

void Store::rollback() {
  if (!inTxn_) return;
  // A failed statement may already have rolled the transaction back.
  if (!sqlite3_get_autocommit(db_)) sqlite3_step(rollbackStmt_);
  sqlite3_reset(rollbackStmt_);
  inTxn_ = false;
  turns_->release();
  // Lines written for a batch that did not commit go (a failed cut is
  // harmless: the next batch writes over them, and Open cuts them off).
  if (fileWritten_) file_.cutBack();
  fileBatch_.clear();
  fileBatchRows_ = 0;
  fileWritten_ = false;
  batchError_.clear();
  nextSeq_ = lastSeq_ + 1;
  gens_ = gensAtBegin_;  // a generation started in this batch did not happen
}

bool Store::writeOutboxFile(std::string& error) {
  fileWritten_ = true;
  if (!file_.write(fileBatch_, error)) return false;
  sqlite3_bind_int64(deliveredStmt_, 1, fileBatchRows_);
  bool counted = sqlite3_step(deliveredStmt_) == SQLITE_DONE;
  if (!counted || !file_.record(file_.length() + fileBatch_.size())) {
    error = sqlError("cannot record the outbox file's length");  // before the reset, which would clear SQLite's message
    sqlite3_reset(deliveredStmt_);
    return false;
  }
  sqlite3_reset(deliveredStmt_);
  return true;
}

bool Store::attachOutboxFile(const std::string& file, std::string& error) {
  if (inTxn_) {
    error = path_ + ": cannot attach the outbox file while a batch is open";
    return false;
  }
  if (!file_.open(db_, path_, file, error)) return false;
  // Pending rows meant for the file, in order, before any new send.
  std::string lines;
  std::vector<int64_t> rows;
  {
    Statement s;
    if (!Prepare(db_, "SELECT seq, json FROM outbox WHERE state = 0 AND channel <> 'webhook' ORDER BY seq", s)) {
      error = sqlError("cannot read the outbox");
      return false;
    }
    int rc;
    while ((rc = sqlite3_step(s.stmt)) == SQLITE_ROW) {
      rows.push_back(sqlite3_column_int64(s.stmt, 0));
      lines += ColumnBytes(s.stmt, 1);
      if (lines.empty() || lines.back() != '\n') lines += '\n';
    }
    if (rc != SQLITE_DONE) {
      error = sqlError("cannot read the outbox");
      return false;
    }
  }
  if (rows.empty()) return true;
  if (!begin(error)) return false;
  {
    Statement remove;
    if (!Prepare(db_, "DELETE FROM outbox WHERE seq = ?1", remove)) failBatch("cannot move outbox rows to the outbox file");
    for (int64_t seq : rows) {
      if (!batchError_.empty()) break;
      sqlite3_bind_int64(remove.stmt, 1, seq);
      if (sqlite3_step(remove.stmt) != SQLITE_DONE) failBatch("cannot move outbox rows to the outbox file");
      sqlite3_reset(remove.stmt);
    }
  }
  fileBatch_ = std::move(lines);
  fileBatchRows_ = static_cast<int64_t>(rows.size());
  return commit(error);
}

bool Store::putSnapshot(uint64_t journalSeq, std::string_view data, std::string& error) {
  if (inTxn_) {
    error = path_ + ": cannot store a snapshot while a batch is open";
    return false;
  }
  if (journalSeq > lastSeq_) {
    error = path_ + ": cannot store a snapshot at journal seq " + std::to_string(journalSeq) + ": the journal ends at " +
            std::to_string(lastSeq_);
    return false;
  }
  int64_t newest = 0;
  if (!QueryInt(db_, "SELECT journal_seq FROM snapshot ORDER BY seq DESC LIMIT 1", newest)) {
    error = sqlError("cannot read the snapshots");
    return false;
  }
  if (static_cast<int64_t>(journalSeq) < newest) {
    error = path_ + ": cannot store a snapshot at journal seq " + std::to_string(journalSeq) +
            ": it is older than the newest snapshot (" + std::to_string(newest) + ")";
    return false;
  }
  WriterTurn turn(turns_.get());
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlError("cannot begin storing a snapshot");
    return false;
  }
  auto fail = [&](const char* what) {
    error = sqlError(what);
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  };
  {
    // The checksum covers the whole snapshot, so a lost or damaged part
    // fails it like a flipped byte does.
    Statement insert, part;
    if (!Prepare(db_, "INSERT INTO snapshot(journal_seq, data, crc) VALUES(?1, ?2, ?3)", insert) ||
        !Prepare(db_, "INSERT INTO snapshot_part(snapshot, part, data) VALUES(?1, ?2, ?3)", part))
      return fail("cannot store a snapshot");
    sqlite3_bind_int64(insert.stmt, 1, static_cast<sqlite3_int64>(journalSeq));
    BindBlob(insert.stmt, 2, data.substr(0, snapshotPartBytes_));
    sqlite3_bind_int64(insert.stmt, 3, SnapshotCrc(journalSeq, data));
    if (sqlite3_step(insert.stmt) != SQLITE_DONE) return fail("cannot store a snapshot");
    sqlite3_int64 row = sqlite3_last_insert_rowid(db_);
    int64_t n = 1;
    for (size_t at = snapshotPartBytes_; at < data.size(); at += snapshotPartBytes_, ++n) {
      sqlite3_bind_int64(part.stmt, 1, row);
      sqlite3_bind_int64(part.stmt, 2, n);
      BindBlob(part.stmt, 3, data.substr(at, snapshotPartBytes_));
      if (sqlite3_step(part.stmt) != SQLITE_DONE) return fail("cannot store a snapshot's part");
      sqlite3_reset(part.stmt);
    }
  }
  // The older of the two kept snapshots is the fallback when the newest is
  // damaged, so the journal is kept from it on, and everything older goes.
  {
    Statement older;
    if (!Prepare(db_, "SELECT seq, journal_seq FROM snapshot ORDER BY seq DESC LIMIT 1 OFFSET 1", older))
      return fail("cannot read the snapshots");
    int rc = sqlite3_step(older.stmt);
    if (rc == SQLITE_ROW) {
      int64_t keptRow = sqlite3_column_int64(older.stmt, 0), keptSeq = sqlite3_column_int64(older.stmt, 1);
      Statement dropSnapshots, dropParts, dropJournal;
      if (!Prepare(db_, "DELETE FROM snapshot WHERE seq < ?1", dropSnapshots) ||
          !Prepare(db_, "DELETE FROM snapshot_part WHERE snapshot < ?1", dropParts) ||
          !Prepare(db_, "DELETE FROM journal WHERE seq <= ?1", dropJournal))
        return fail("cannot prune old snapshots");
      sqlite3_bind_int64(dropSnapshots.stmt, 1, keptRow);
      sqlite3_bind_int64(dropParts.stmt, 1, keptRow);
      sqlite3_bind_int64(dropJournal.stmt, 1, keptSeq);
      if (sqlite3_step(dropSnapshots.stmt) != SQLITE_DONE || sqlite3_step(dropParts.stmt) != SQLITE_DONE ||
          sqlite3_step(dropJournal.stmt) != SQLITE_DONE)
        return fail("cannot prune old snapshots");
    } else if (rc != SQLITE_DONE) {
      return fail("cannot read the snapshots");
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("cannot commit a snapshot");
  return true;
}

bool Store::snapshotAt(int rank, bool& found, uint64_t& snapshotRow, uint64_t& journalSeq, std::string& data, bool& intact,
                       std::string& error) {
  found = false;
  Statement s;
  if (!Prepare(db_, "SELECT seq, journal_seq, length(data), crc FROM snapshot ORDER BY seq DESC LIMIT 1 OFFSET ?1", s)) {
    error = sqlError("cannot read the snapshots");
    return false;
  }
  sqlite3_bind_int(s.stmt, 1, rank);
  int rc = sqlite3_step(s.stmt);
  if (rc == SQLITE_DONE) return true;
  if (rc != SQLITE_ROW) {
    error = sqlError("cannot read a snapshot");
    return false;
  }
  found = true;
  snapshotRow = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 0));
  journalSeq = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 1));
  uint32_t crc = static_cast<uint32_t>(sqlite3_column_int64(s.stmt, 3));
  // Where its bytes are: the snapshot row, then its further parts in
  // order (a gap in their numbers is damage). They are read with SQLite's
  // incremental blob reads, straight into `data`: reading the column would
  // first assemble each value in a buffer of SQLite's own, a second copy
  // of the snapshot's size in fresh memory (a third of a 1M-user restart).
  struct Piece {
    const char* table;
    sqlite3_int64 rowid;
    size_t length;
  };
  std::vector<Piece> pieces{{"snapshot", static_cast<sqlite3_int64>(snapshotRow), static_cast<size_t>(sqlite3_column_int64(s.stmt, 2))}};
  Statement parts;
  if (!Prepare(db_, "SELECT rowid, part, length(data) FROM snapshot_part WHERE snapshot = ?1 ORDER BY part", parts)) {
    error = sqlError("cannot read a snapshot's parts");
    return false;
  }
  sqlite3_bind_int64(parts.stmt, 1, static_cast<sqlite3_int64>(snapshotRow));
  bool contiguous = true;
  int64_t expected = 1;
  size_t total = pieces[0].length;
  while ((rc = sqlite3_step(parts.stmt)) == SQLITE_ROW) {
    contiguous = contiguous && sqlite3_column_int64(parts.stmt, 1) == expected++;
    pieces.push_back({"snapshot_part", sqlite3_column_int64(parts.stmt, 0), static_cast<size_t>(sqlite3_column_int64(parts.stmt, 2))});
    total += pieces.back().length;
  }
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot read a snapshot's parts");
    return false;
  }
  data.resize(total);
  size_t at = 0;
  for (const Piece& p : pieces) {
    if (p.length > static_cast<size_t>(INT32_MAX)) {
      error = path_ + ": a snapshot part is larger than SQLite can read (" + std::to_string(p.length) + " bytes)";
      return false;
    }
    sqlite3_blob* blob = nullptr;
    bool read = p.length == 0 ||
                (sqlite3_blob_open(db_, "main", p.table, "data", p.rowid, 0, &blob) == SQLITE_OK &&
                 sqlite3_blob_read(blob, data.data() + at, static_cast<int>(p.length), 0) == SQLITE_OK);
    if (!read) error = sqlError("cannot read a snapshot");
    sqlite3_blob_close(blob);  // a no-op for null
    if (!read) return false;
    at += p.length;
  }
  intact = contiguous && crc == SnapshotCrc(journalSeq, data);
  return true;
}

bool Store::latestSnapshot(bool& found, uint64_t& journalSeq, std::string& data, std::string& error) {
  std::string warning;
  if (!latestSnapshotOrOlder(found, journalSeq, data, warning, error)) return false;
  if (warning.empty()) return true;
  // The strict form: a fallback is the caller's decision, not ours.
  found = false;
  data.clear();
  error = warning;
  return false;
}

bool Store::latestSnapshotOrOlder(bool& found, uint64_t& journalSeq, std::string& data, std::string& warning,
                                  std::string& error) {
  warning.clear();
  uint64_t row = 0;
  bool intact = false;
  if (!snapshotAt(0, found, row, journalSeq, data, intact, error)) return false;
  if (!found || intact) return true;
  std::string damaged = path_ + ": snapshot " + std::to_string(row) + " (journal seq " + std::to_string(journalSeq) +
                        ") fails its checksum";
  uint64_t olderRow = 0, olderSeq = 0;
  bool olderFound = false, olderIntact = false;
  if (!snapshotAt(1, olderFound, olderRow, olderSeq, data, olderIntact, error)) return false;
  if (!olderFound || !olderIntact) {
    found = false;
    data.clear();
    error = damaged + (olderFound ? " and so does the older snapshot" : " and there is no older snapshot");
    return false;
  }
  journalSeq = olderSeq;
  warning = damaged + "; using the older snapshot at journal seq " + std::to_string(olderSeq);
  return true;
}

bool Store::readJournal(uint64_t after, const std::function<bool(const JournalRecord&)>& each, std::string& error) {
  Statement s;
  // Only committed rows: inside a batch the connection also sees its own.
  if (!Prepare(db_, "SELECT seq, kind, time, body, crc FROM journal WHERE seq > ?1 AND seq <= ?2 ORDER BY seq", s)) {
    error = sqlError("cannot read the journal");
    return false;
  }
  sqlite3_bind_int64(s.stmt, 1, static_cast<sqlite3_int64>(after));
  sqlite3_bind_int64(s.stmt, 2, static_cast<sqlite3_int64>(lastSeq_));
  uint64_t expected = after + 1;
  JournalRecord record;
  int rc;
  while ((rc = sqlite3_step(s.stmt)) == SQLITE_ROW) {
    record.seq = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 0));
    int kind = sqlite3_column_int(s.stmt, 1);
    record.time = sqlite3_column_int64(s.stmt, 2);
    std::string_view body = ColumnBytes(s.stmt, 3);
    if (record.seq != expected) {
      error = path_ + ": journal rows " + std::to_string(expected) + ".." + std::to_string(record.seq - 1) + " are missing";
      return false;
    }
    if (static_cast<uint32_t>(sqlite3_column_int64(s.stmt, 4)) != JournalCrc(record.seq, kind, record.time, body)) {
      error = path_ + ": journal row " + std::to_string(record.seq) + " fails its checksum";
      return false;
    }
    if (kind < static_cast<int>(RecordKind::Advance) || kind > static_cast<int>(RecordKind::List)) {
      error = path_ + ": journal row " + std::to_string(record.seq) + " has an unknown kind " + std::to_string(kind);
      return false;
    }
    record.kind = static_cast<RecordKind>(kind);
    record.body.assign(body);
    ++expected;
    if (!each(record)) return true;
  }
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot read the journal");
    return false;
  }
  if (expected <= lastSeq_) {
    error = path_ + ": journal rows " + std::to_string(expected) + ".." + std::to_string(lastSeq_) + " are missing";
    return false;
  }
  return true;
}

bool Store::pendingOutbox(size_t max, const std::function<void(const OutboxRow&)>& each, std::string& error) {
  Statement s;
  if (!Prepare(db_, "SELECT seq, key, channel, json FROM outbox WHERE state = 0 ORDER BY seq LIMIT ?1", s)) {
    error = sqlError("cannot read the outbox");
    return false;
  }
  sqlite3_bind_int64(s.stmt, 1, static_cast<sqlite3_int64>(std::min<size_t>(max, INT64_MAX)));
  OutboxRow row;
  int rc;
  while ((rc = sqlite3_step(s.stmt)) == SQLITE_ROW) {
    row.seq = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 0));
    row.key.assign(ColumnBytes(s.stmt, 1));
    row.channel.assign(ColumnBytes(s.stmt, 2));
    row.json.assign(ColumnBytes(s.stmt, 3));
    each(row);
  }
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot read the outbox");
    return false;
  }
  return true;
}

bool Store::unreportedWebhooks(const std::function<void(const std::string& key, bool sent, const std::string& detail)>& each,
                               std::string& error) {
  // A webhook's outcome is recorded by the sender, then journaled by the
  // engine as the status event `status:KEY:STATUS`; a crash between the two
  // leaves an outcome whose event id was never consumed.
  Statement s;
  if (!Prepare(db_,
               "SELECT key, state, detail FROM (SELECT o.seq, o.key, o.state, o.detail, "
               "'status:' || o.key || ':' || CASE o.state WHEN 1 THEN 'sent' ELSE 'error' END AS id "
               "FROM outbox o WHERE o.channel = 'webhook' AND o.state IN (1, 2)) "
               "WHERE id NOT IN (SELECT id FROM consumed) AND id NOT IN (SELECT id FROM consumed_alt) ORDER BY seq",
               s)) {
    error = sqlError("cannot read the outbox");
    return false;
  }
  int rc;
  while ((rc = sqlite3_step(s.stmt)) == SQLITE_ROW)
    each(std::string(ColumnBytes(s.stmt, 0)), sqlite3_column_int64(s.stmt, 1) == 1, std::string(ColumnBytes(s.stmt, 2)));
  if (rc != SQLITE_DONE) {
    error = sqlError("cannot read the outbox");
    return false;
  }
  return true;
}

bool Store::stats(StoreStats& out, std::string& error) {
  out = StoreStats{};
  out.lastSeq = lastSeq_;
  int64_t journal = 0, consumed = 0, pending = 0, delivered = 0, deliveredGone = 0, failed = 0, snapshots = 0, newest = 0;
  if (!QueryInt(db_, "SELECT count(*) FROM journal", journal) ||
      !QueryInt(db_, "SELECT (SELECT count(*) FROM consumed) + (SELECT count(*) FROM consumed_alt)", consumed) ||
      !QueryInt(db_, "SELECT count(*) FROM outbox WHERE state = 0", pending) ||
      !QueryInt(db_, "SELECT count(*) FROM outbox WHERE state = 1", delivered) || !QueryInt(db_, kDeliveredCountSql, deliveredGone) ||
      !QueryInt(db_, "SELECT count(*) FROM outbox WHERE state = 2", failed) ||
      !QueryInt(db_, "SELECT count(*) FROM snapshot", snapshots) ||
      !QueryInt(db_, "SELECT journal_seq FROM snapshot ORDER BY seq DESC LIMIT 1", newest)) {
    error = sqlError("cannot read the store's statistics");
    return false;
  }
  out.journalRows = static_cast<uint64_t>(journal);
  out.consumedIds = static_cast<uint64_t>(consumed);
  out.outboxPending = static_cast<uint64_t>(pending);
  out.outboxDelivered = static_cast<uint64_t>(delivered + deliveredGone);  // kept webhook rows, and those deleted
  out.outboxFailed = static_cast<uint64_t>(failed);
  out.snapshots = static_cast<uint64_t>(snapshots);
  out.newestSnapshotSeq = static_cast<uint64_t>(newest);
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    uintmax_t size = fs::file_size(path_ + suffix, ec);
    if (!ec) out.dbBytes += size;
  }
  return true;
}

}  // namespace journey::vm::serve

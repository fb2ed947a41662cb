// store.h — the durable store of `journey-vm serve`: journal, consumed ids,
// outbox and engine snapshots in one SQLite database (DIR/journey.db).
//
// The engine is deterministic, so durability is event sourcing plus
// checkpoints: every input that changed the engine (clock advances, events,
// deploys, lifecycle commands, list entries) is appended to an ordered
// journal, and a restart is the newest snapshot plus a replay of the journal
// rows after it. A batch of inputs commits in ONE transaction together with
// the event messageIds it consumed and the outbox rows it produced (or the
// new length of the outbox file its sends were written to), so the outbox
// never holds a send whose cause is not journaled and no event is applied
// twice.
//
// Damage is detected and reported, never silently accepted: every journal
// row and snapshot carries a CRC-32C, journal seqs must be contiguous, and a
// side file DIR/journey.commit records the last committed seq so that a
// write-ahead log tail SQLite dropped (it discards frames whose checksums
// fail without saying so) shows up as lost rows at the next Open.
//
// A Store is used from one thread. The outbox sender has its own connection
// (see sender.h); WAL mode lets it read and mark rows while batches commit.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "vm/serve/outbox_sink.h"

struct sqlite3;
struct sqlite3_stmt;

namespace journey::vm::serve {

enum class RecordKind : uint8_t { Advance = 1, Event = 2, Deploy = 3, Lifecycle = 4, List = 5 };

struct JournalRecord {
  uint64_t seq;
  RecordKind kind;
  int64_t time;
  std::string body;
};

struct OutboxRow {
  uint64_t seq;
  std::string key;
  std::string channel;
  std::string json;
};

// The store's connection and the sender's write in turns, first come first
// served. SQLite lets one writer in at a time and a waiting connection
// polls: the engine's batches follow one another with microseconds between
// them, so a polling sender hardly ever got in, and the outbox went out only
// when the input paused (or all at the end).
class WriterTurns {
 public:
  void acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    uint64_t ticket = next_++;
    turn_.wait(lock, [&] { return serving_ == ticket; });
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++serving_;
    }
    turn_.notify_all();
  }
  // Turns asked for and not yet given back (the holder's included).
  uint64_t asked() {
    std::lock_guard<std::mutex> lock(mutex_);
    return next_ - serving_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable turn_;
  uint64_t next_ = 0, serving_ = 0;
};

// Holds a turn for a scope; no-op without turns.
class WriterTurn {
 public:
  explicit WriterTurn(WriterTurns* turns) : turns_(turns) {
    if (turns_) turns_->acquire();
  }
  ~WriterTurn() {
    if (turns_) turns_->release();
  }
  WriterTurn(const WriterTurn&) = delete;
  WriterTurn& operator=(const WriterTurn&) = delete;

 private:
  WriterTurns* turns_;
};

// PRAGMA synchronous. Full (the default) survives power loss: every commit
// is fsynced. Normal survives process crashes only; a power loss may lose the
// last commits, which the commit marker then reports at the next Open.
enum class Sync { Full, Normal };

// Outbox row states as stored in outbox.state.
enum class OutboxState : int { Pending = 0, Delivered = 1, Failed = 2 };

struct StoreStats {
  uint64_t journalRows = 0;      // rows still held (older ones go with snapshots)
  uint64_t lastSeq = 0;          // last committed journal seq
  uint64_t consumedIds = 0;
  uint64_t outboxPending = 0;
  uint64_t outboxDelivered = 0;
  uint64_t outboxFailed = 0;
  uint64_t snapshots = 0;
  uint64_t newestSnapshotSeq = 0;  // journal seq of the newest snapshot (0: none)
  uint64_t dbBytes = 0;            // journey.db plus its write-ahead log
};

class Store {
 public:
  // Opens or creates DIR/journey.db (creating DIR) in WAL mode and checks it:
  // application id and schema version, PRAGMA quick_check, a contiguous
  // journal, and the commit marker. Takes an exclusive lock on the marker
  // file so that two processes never write one store. nullptr and `error`
  // (naming the file and what is wrong) when the store cannot be used.
  static std::unique_ptr<Store> Open(const std::string& dir, Sync sync, std::string& error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // One batch: begin, any number of consume/append/addOutbox, then commit
  // (or rollback). A failure inside the batch is remembered and reported by
  // commit, which then rolls back: the hot-path calls stay free of error
  // plumbing.
  bool begin(std::string& error);  // BEGIN IMMEDIATE
  // true: the messageId is new and now recorded; false: seen before
  // (committed earlier or earlier in this batch) and still remembered.
  bool consume(std::string_view messageId);
  // Consumed ids are kept in two generations (tables `consumed` and
  // `consumed_alt`): new ids go to the current one, and both are looked in.
  // With a window W (seconds of the engine's clock; 0, the default, keeps
  // every id for good), ageConsumed() inside a batch starts a new
  // generation once the current one is W old: the other, older one is
  // emptied first. So an id is remembered for at least W after it was
  // consumed (and at most about 2W). Ids beginning with `status:` (the
  // sender's webhook outcomes, which a restart looks for) move into the
  // surviving generation instead of going.
  void setDedupWindow(int64_t seconds) { dedupWindow_ = seconds; }
  int64_t dedupWindow() const { return dedupWindow_; }
  void ageConsumed(int64_t now);
  // Appends a journal row; returns its seq (contiguous from 1).
  uint64_t append(RecordKind kind, int64_t time, std::string_view body);
  // false: an outbox row with this key (the idempotency key) already exists.
  bool addOutbox(std::string_view key, std::string_view channel, std::string_view json);
  bool commit(std::string& error);
  void rollback();

  // Makes the outbox file part of every batch (serve without a provider
  // command): the sends given to addToOutboxFile are written and synced at
  // commit, just before COMMIT, and the file's recorded length moves in the
  // batch's transaction, so a batch that does not commit leaves the file as
  // it was (see outbox_sink.h). They never become outbox rows: a row cost
  // an insert with its key index, a read by the sender and a delete. Rows
  // meant for the file that are already in the table (left by an older
  // journey-vm) are moved to it first. Not inside a batch.
  bool attachOutboxFile(const std::string& file, std::string& error);
  bool writesOutboxFile() const { return file_.isOpen(); }
  // Inside a batch: a send's JSON (one line, without its newline).
  void addToOutboxFile(std::string_view json) {
    fileBatch_ += json;
    fileBatch_ += '\n';
    ++fileBatchRows_;
  }
  bool inTransaction() const { return inTxn_; }

  uint64_t lastSeq() const { return lastSeq_; }  // last committed journal seq (0: empty)
  // Body bytes of the journal rows the last committed batch appended.
  uint64_t lastBatchBytes() const { return committedBytes_; }

  // Stores a snapshot of the engine as of journal row `journalSeq` (which
  // must be committed and not older than the newest snapshot) in one
  // transaction; keeps the newest 2 snapshots and deletes the journal rows
  // the older kept one covers, so either snapshot can still be replayed
  // from. Not inside a batch.
  // A snapshot longer than the part size is stored in parts (the first in
  // its snapshot row, the rest in snapshot_part rows): SQLite refuses a
  // value over a billion bytes, and 10M waiting users take ~1.1 GB.
  bool putSnapshot(uint64_t journalSeq, std::string_view data, std::string& error);
  static constexpr size_t kSnapshotPartBytes = size_t{256} << 20;
  // For tests: a smaller part size, so that parts are exercised cheaply.
  void setSnapshotPartBytes(size_t bytes) { snapshotPartBytes_ = bytes ? bytes : kSnapshotPartBytes; }
  // The newest snapshot. found=false when there is none. When the newest
  // fails its checksum this returns false with an error saying so (and
  // whether an older intact snapshot exists): no silent fallback.
  bool latestSnapshot(bool& found, uint64_t& journalSeq, std::string& data, std::string& error);
  // Like latestSnapshot, but when the newest snapshot is corrupt and an older
  // one verifies, returns the older one (its journal rows are kept for this)
  // and describes the fallback in `warning`, which the caller must report.
  bool latestSnapshotOrOlder(bool& found, uint64_t& journalSeq, std::string& data, std::string& warning,
                             std::string& error);

  // Journal rows with seq > after, in order; stops early when `each` returns
  // false. Verifies each row's checksum and kind, that seqs are contiguous
  // from after+1, and (when not stopped) that the rows reach lastSeq().
  bool readJournal(uint64_t after, const std::function<bool(const JournalRecord&)>& each, std::string& error);

  // Undelivered (pending) outbox rows in seq order, at most `max`.
  bool pendingOutbox(size_t max, const std::function<void(const OutboxRow&)>& each, std::string& error);

  // Webhook rows with a final outcome whose status event (messageId
  // `status:KEY:sent` or `status:KEY:error`) was never consumed: a crash
  // came between the sender recording the outcome and the engine
  // journaling it. serve reports them again at start.
  bool unreportedWebhooks(const std::function<void(const std::string& key, bool sent, const std::string& detail)>& each,
                          std::string& error);

  bool stats(StoreStats& out, std::string& error);

  // Turns for this store's writers: its own batches and snapshots take one;
  // give them to the sender's connection (OutboxSender::shareTurns).
  std::shared_ptr<WriterTurns> writerTurns() const { return turns_; }

  const std::string& path() const { return path_; }  // DIR/journey.db
  const std::string& dir() const { return dir_; }

 private:
  Store() = default;
  bool prepareStatements(std::string& error);
  bool writeMarker(uint64_t seq, std::string& error);
  // commit(): writes the batch's outbox-file lines and records the file's
  // new length and their count in the open transaction.
  bool writeOutboxFile(std::string& error);
  bool snapshotAt(int rank, bool& found, uint64_t& snapshotRow, uint64_t& journalSeq, std::string& data,
                  bool& intact, std::string& error);
  void failBatch(const char* what);
  std::string sqlError(std::string_view what) const;

  sqlite3* db_ = nullptr;
  std::string dir_, path_, markerPath_;
  int markerFd_ = -1;
  Sync sync_ = Sync::Full;
  bool inTxn_ = false;
  std::string batchError_;  // first failure inside the open batch
  std::string fatal_;       // set when the commit marker cannot be written: no further batches
  uint64_t lastSeq_ = 0;
  size_t snapshotPartBytes_ = kSnapshotPartBytes;
  uint64_t nextSeq_ = 1;    // seq the next append gets (inside a batch)
  OutboxFileSink file_;          // when attached
  std::string fileBatch_;        // the open batch's outbox-file lines
  int64_t fileBatchRows_ = 0;
  bool fileWritten_ = false;     // fileBatch_ is in the file, not yet committed
  uint64_t batchBytes_ = 0;      // body bytes appended in the open batch
  uint64_t committedBytes_ = 0;  // ... in the last committed one
  std::shared_ptr<WriterTurns> turns_ = std::make_shared<WriterTurns>();
  // Consumed-id generations (see setDedupWindow): insert and look up in
  // each table; which one is current and since when (engine time,
  // kNoSince until the first batch with a window); whether the other may
  // hold ids. Saved at begin() so that rollback() restores them.
  static constexpr int64_t kNoSince = INT64_MIN;
  sqlite3_stmt* consumeStmt_[2] = {nullptr, nullptr};
  sqlite3_stmt* probeConsumedStmt_[2] = {nullptr, nullptr};
  int64_t dedupWindow_ = 0;
  struct Generations {
    int current = 0;
    int64_t since = kNoSince;
    bool otherMayHold = true;
  } gens_, gensAtBegin_;
  bool writeGenerations();
  sqlite3_stmt* appendStmt_ = nullptr;
  sqlite3_stmt* outboxStmt_ = nullptr;
  sqlite3_stmt* deliveredStmt_ = nullptr;
  sqlite3_stmt* beginStmt_ = nullptr;
  sqlite3_stmt* commitStmt_ = nullptr;
  sqlite3_stmt* rollbackStmt_ = nullptr;
};

// CRC-32C (Castagnoli) of `bytes`, continuing from `crc` (0 to start). The
// checksum of journal rows, snapshots and the commit marker; exposed so the
// sender and tests use the same one.
uint32_t Crc32c(std::string_view bytes, uint32_t crc = 0);
// The same with tables only; Crc32c uses the CPU's crc32 instruction where
// there is one (x86-64 with SSE 4.2). Exposed so tests compare the two.
uint32_t Crc32cPortable(std::string_view bytes, uint32_t crc = 0);

// Schema facts shared with the sender's connection.
inline constexpr int32_t kStoreApplicationId = 0x4A524E59;  // "JRNY"
// 2: consumed ids in two generations (`consumed_alt` added; a version-1
// store is upgraded when opened).
inline constexpr int32_t kStoreSchemaVersion = 3;
// The meta row counting delivered sends that are not (or no longer) outbox
// rows: rows the sender delivered to the file or the provider command, and
// lines the store wrote to the outbox file with their batch. Read it, and
// add ?1 to it.
inline constexpr const char* kDeliveredCountSql = "SELECT value FROM meta WHERE key = 'outbox_delivered'";
inline constexpr const char* kAddDeliveredSql =
    "INSERT INTO meta(key, value) VALUES('outbox_delivered', ?1) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value";

}  // namespace journey::vm::serve

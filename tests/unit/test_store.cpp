// test_store.cpp — the durable store of `journey-vm serve`: atomic batches,
// de-duplication, contiguous journal seqs, snapshots and their retention,
// and that damage (a corrupt snapshot or row, a truncated database, a lost
// write-ahead-log tail, a foreign database) is reported instead of accepted.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <thread>
#include <unistd.h>

#include "vm/serve/store.h"
#include "temp_dir.h"

using namespace journey::vm::serve;
namespace fs = std::filesystem;

namespace {

struct TempDir : journey::testing::TempDir {
  TempDir() : journey::testing::TempDir("journey-store-test") {}
};

std::unique_ptr<Store> OpenOk(const TempDir& dir, Sync sync = Sync::Normal) {
  std::string error;
  auto store = Store::Open(dir.str(), sync, error);
  INFO(error);
  REQUIRE(store);
  REQUIRE(error.empty());
  return store;
}

std::string OpenError(const TempDir& dir) {
  std::string error;
  auto store = Store::Open(dir.str(), Sync::Normal, error);
  CHECK_FALSE(store);
  CHECK_FALSE(error.empty());
  return error;
}

// Commits `events` Event rows, one consumed id and one outbox row each.
void CommitEvents(Store& store, int first, int count) {
  std::string error;
  REQUIRE(store.begin(error));
  for (int i = first; i < first + count; ++i) {
    std::string id = "m" + std::to_string(i);
    REQUIRE(store.consume(id));
    store.append(RecordKind::Event, 1000 + i, "event " + std::to_string(i) + std::string(64, 'x'));
    REQUIRE(store.addOutbox("key" + std::to_string(i), "email", "{\"n\":" + std::to_string(i) + "}"));
  }
  INFO(error);
  REQUIRE(store.commit(error));
}

std::vector<JournalRecord> ReadAll(Store& store, uint64_t after = 0) {
  std::vector<JournalRecord> rows;
  std::string error;
  INFO(error);
  REQUIRE(store.readJournal(after, [&](const JournalRecord& r) { rows.push_back(r); return true; }, error));
  return rows;
}

// A second, plain SQLite connection: looks at (and damages) the database
// the way something outside the store would.
struct RawDb {
  sqlite3* db = nullptr;
  explicit RawDb(const fs::path& file) { REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK); }
  ~RawDb() { sqlite3_close(db); }
  std::string text(const char* sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
  }
  void exec(const char* sql) {
    INFO(sql);
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  }
};

}  // namespace

TEST_CASE("store: CRC-32C matches the standard check value") {
  CHECK(Crc32c("123456789") == 0xE3069283u);
  CHECK(Crc32c("") == 0u);
  // Continuing a checksum equals checksumming the concatenation.
  CHECK(Crc32c("56789", Crc32c("1234")) == 0xE3069283u);
  CHECK(Crc32cPortable("123456789") == 0xE3069283u);
  // The instruction path (where the CPU has one) and the tables agree on
  // every length and alignment, and when continued from a prior checksum.
  std::mt19937 rng(42);
  std::string bytes(1000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (size_t start = 0; start < 9; ++start)
    for (size_t length : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 500, 991}) {
      std::string_view piece = std::string_view(bytes).substr(start, length);
      INFO("start " << start << " length " << length);
      CHECK(Crc32c(piece) == Crc32cPortable(piece));
      CHECK(Crc32c(piece, 0x12345678u) == Crc32cPortable(piece, 0x12345678u));
    }
}

TEST_CASE("store: a new store is in WAL mode and carries the project's application id") {
  TempDir dir;
  auto store = OpenOk(dir);
  CHECK(store->path() == (dir.path / "journey.db").string());
  CHECK(store->lastSeq() == 0);
  RawDb raw(dir.path / "journey.db");
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.text("PRAGMA application_id") == std::to_string(kStoreApplicationId));
  CHECK(raw.text("PRAGMA user_version") == std::to_string(kStoreSchemaVersion));
}

TEST_CASE("store: a rolled-back batch leaves no journal, consumed id or outbox row") {
  TempDir dir;
  auto store = OpenOk(dir);
  std::string error;
  REQUIRE(store->begin(error));
  CHECK(store->consume("m1"));
  CHECK(store->append(RecordKind::Event, 5, "body") == 1);
  CHECK(store->addOutbox("k1", "sms", "{}"));
  store->rollback();
  CHECK(store->lastSeq() == 0);
  StoreStats stats;
  REQUIRE(store->stats(stats, error));
  CHECK(stats.journalRows == 0);
  CHECK(stats.consumedIds == 0);
  CHECK(stats.outboxPending == 0);
  // Everything the batch did is available again.
  REQUIRE(store->begin(error));
  CHECK(store->consume("m1"));
  CHECK(store->append(RecordKind::Event, 5, "body") == 1);
  CHECK(store->addOutbox("k1", "sms", "{}"));
  REQUIRE(store->commit(error));
  CHECK(store->lastSeq() == 1);
  REQUIRE(store->stats(stats, error));
  CHECK(stats.journalRows == 1);
  CHECK(stats.consumedIds == 1);
  CHECK(stats.outboxPending == 1);
}

TEST_CASE("store: consume de-duplicates within a batch, across batches and across restarts") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    REQUIRE(store->begin(error));
    CHECK(store->consume("a"));
    CHECK_FALSE(store->consume("a"));
    CHECK(store->consume("b"));
    REQUIRE(store->commit(error));
    REQUIRE(store->begin(error));
    CHECK_FALSE(store->consume("b"));
    CHECK(store->consume("c"));
    REQUIRE(store->commit(error));
  }
  auto store = OpenOk(dir);
  REQUIRE(store->begin(error));
  CHECK_FALSE(store->consume("a"));
  CHECK_FALSE(store->consume("c"));
  CHECK(store->consume("d"));
  store->rollback();
}

TEST_CASE("store: with a de-duplication window an id is remembered at least that long, then goes; webhook outcomes stay") {
  TempDir dir;
  std::string error;
  auto store = OpenOk(dir);
  store->setDedupWindow(100);
  // One batch at engine time `now`, as serve runs it: the generations age first.
  auto batch = [&](int64_t now, const std::function<void()>& body) {
    REQUIRE(store->begin(error));
    store->ageConsumed(now);
    body();
    INFO(error);
    REQUIRE(store->commit(error));
  };
  auto consumedIds = [&] {
    StoreStats stats;
    REQUIRE(store->stats(stats, error));
    return stats.consumedIds;
  };
  batch(1000, [&] {  // the first generation starts here
    CHECK(store->consume("a"));
    CHECK(store->consume("status:k1:sent"));
  });
  batch(1099, [&] {  // 99 s: still one generation
    CHECK_FALSE(store->consume("a"));
    CHECK(store->consume("b"));
  });
  batch(1100, [&] {  // a second generation; a and b are in the older one, still remembered
    CHECK_FALSE(store->consume("a"));
    CHECK_FALSE(store->consume("b"));
    CHECK(store->consume("c"));
  });
  CHECK(consumedIds() == 4);
  batch(1200, [&] {  // a third: the first goes (a and b, 100 s and more after they came), the webhook outcome moves on
    CHECK(store->consume("a"));
    CHECK_FALSE(store->consume("c"));
    CHECK_FALSE(store->consume("status:k1:sent"));
  });
  CHECK(consumedIds() == 3);  // c and the outcome in one generation, the new a in the other

  // A batch that would start a generation and rolls back changes nothing.
  REQUIRE(store->begin(error));
  store->ageConsumed(5000);
  CHECK(store->consume("z"));
  store->rollback();
  CHECK(consumedIds() == 3);
  batch(1250, [&] {
    CHECK_FALSE(store->consume("a"));
    CHECK_FALSE(store->consume("c"));
  });

  // The generations and their start survive a restart.
  store.reset();
  store = OpenOk(dir);
  store->setDedupWindow(100);
  batch(1299, [&] {
    CHECK_FALSE(store->consume("a"));
    CHECK_FALSE(store->consume("c"));
  });
  batch(1300, [&] {  // c (from 1100) goes now; a (from 1200) and the outcome stay
    CHECK(store->consume("c"));
    CHECK_FALSE(store->consume("a"));
    CHECK_FALSE(store->consume("status:k1:sent"));
  });

  // Window 0: nothing goes, however late.
  store->setDedupWindow(0);
  batch(1000000, [&] {
    CHECK_FALSE(store->consume("a"));
    CHECK_FALSE(store->consume("c"));
  });
}

TEST_CASE("store: a webhook outcome whose status id sits in either generation is not reported again") {
  TempDir dir;
  std::string error;
  auto store = OpenOk(dir);
  store->setDedupWindow(10);
  REQUIRE(store->begin(error));
  REQUIRE(store->addOutbox("w1", "webhook", "{}"));
  REQUIRE(store->addOutbox("w2", "webhook", "{}"));
  REQUIRE(store->commit(error));
  {
    RawDb raw(dir.path / "journey.db");
    raw.exec("UPDATE outbox SET state = 1 WHERE key IN ('w1', 'w2')");  // the sender delivered both
  }
  auto unreported = [&] {
    std::vector<std::string> keys;
    REQUIRE(store->unreportedWebhooks([&](const std::string& key, bool, const std::string&) { keys.push_back(key); }, error));
    return keys;
  };
  CHECK(unreported() == std::vector<std::string>{"w1", "w2"});
  REQUIRE(store->begin(error));
  store->ageConsumed(100);
  CHECK(store->consume("status:w1:sent"));  // generation 0
  REQUIRE(store->commit(error));
  REQUIRE(store->begin(error));
  store->ageConsumed(110);  // generation 1 starts: the outcome is in the other one now
  CHECK(store->consume("status:w2:sent"));
  REQUIRE(store->commit(error));
  CHECK(unreported().empty());
  for (int64_t now : {120, 130, 140}) {  // generation after generation: both outcomes stay
    REQUIRE(store->begin(error));
    store->ageConsumed(now);
    REQUIRE(store->commit(error));
    CHECK(unreported().empty());
  }
}

TEST_CASE("store: a schema version 1 store is upgraded and keeps its consumed ids") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    REQUIRE(store->begin(error));
    CHECK(store->consume("old"));
    REQUIRE(store->commit(error));
  }
  {
    RawDb raw(dir.path / "journey.db");
    raw.exec("DROP TABLE consumed_alt; DROP TABLE snapshot_part; PRAGMA user_version = 1");  // as version 1 made it
  }
  auto store = OpenOk(dir);
  {
    RawDb raw(dir.path / "journey.db");
    CHECK(raw.text("PRAGMA user_version") == std::to_string(kStoreSchemaVersion));
  }
  store->setDedupWindow(60);
  REQUIRE(store->begin(error));
  store->ageConsumed(0);
  CHECK_FALSE(store->consume("old"));
  CHECK(store->consume("new"));
  REQUIRE(store->commit(error));
}

TEST_CASE("store: journal seqs are contiguous from 1 and read back in order") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    REQUIRE(store->begin(error));
    CHECK(store->append(RecordKind::Advance, 100, "") == 1);
    CHECK(store->append(RecordKind::Deploy, 101, std::string("bin\0ary", 7)) == 2);
    REQUIRE(store->commit(error));
    // A rolled-back batch does not use up seqs.
    REQUIRE(store->begin(error));
    CHECK(store->append(RecordKind::Event, 102, "lost") == 3);
    store->rollback();
    REQUIRE(store->begin(error));
    CHECK(store->append(RecordKind::Lifecycle, 103, "pause") == 3);
    CHECK(store->append(RecordKind::List, 104, "vip") == 4);
    REQUIRE(store->commit(error));
    CHECK(store->lastSeq() == 4);
  }
  auto store = OpenOk(dir);
  CHECK(store->lastSeq() == 4);
  auto rows = ReadAll(*store);
  REQUIRE(rows.size() == 4);
  for (size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].seq == i + 1);
  CHECK(rows[0].kind == RecordKind::Advance);
  CHECK(rows[0].body.empty());
  CHECK(rows[1].body == std::string("bin\0ary", 7));
  CHECK(rows[2].kind == RecordKind::Lifecycle);
  CHECK(rows[3].time == 104);
  CHECK(ReadAll(*store, 2).front().seq == 3);
  // `each` returning false stops the read.
  int seen = 0;
  REQUIRE(store->readJournal(0, [&](const JournalRecord&) { return ++seen < 2; }, error));
  CHECK(seen == 2);
  // Rows of an open batch are not committed, so they are not read.
  REQUIRE(store->begin(error));
  store->append(RecordKind::Event, 105, "pending");
  CHECK(ReadAll(*store).size() == 4);
  store->rollback();
}

TEST_CASE("store: a duplicate outbox key is refused") {
  TempDir dir;
  auto store = OpenOk(dir);
  std::string error;
  REQUIRE(store->begin(error));
  CHECK(store->addOutbox("k", "email", "{\"a\":1}"));
  CHECK_FALSE(store->addOutbox("k", "email", "{\"a\":2}"));
  REQUIRE(store->commit(error));
  REQUIRE(store->begin(error));
  CHECK_FALSE(store->addOutbox("k", "sms", "{}"));
  REQUIRE(store->commit(error));
  std::vector<OutboxRow> rows;
  REQUIRE(store->pendingOutbox(10, [&](const OutboxRow& r) { rows.push_back(r); }, error));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].json == "{\"a\":1}");
  CHECK(rows[0].channel == "email");
}

TEST_CASE("store: snapshots round-trip and only the newest two are kept with the journal they need") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    bool found = true;
    uint64_t seq = 99;
    std::string data;
    REQUIRE(store->latestSnapshot(found, seq, data, error));
    CHECK_FALSE(found);

    CommitEvents(*store, 1, 3);
    REQUIRE(store->putSnapshot(3, "state@3", error));
    CommitEvents(*store, 4, 3);
    REQUIRE(store->putSnapshot(6, "state@6", error));
    CommitEvents(*store, 7, 3);
    std::string big(300000, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
    REQUIRE(store->putSnapshot(9, big, error));
    CommitEvents(*store, 10, 1);

    REQUIRE(store->latestSnapshot(found, seq, data, error));
    CHECK(found);
    CHECK(seq == 9);
    CHECK(data == big);
    StoreStats stats;
    REQUIRE(store->stats(stats, error));
    CHECK(stats.snapshots == 2);
    CHECK(stats.newestSnapshotSeq == 9);
    CHECK(stats.journalRows == 4);  // 7..10: from the older kept snapshot (6) on
    CHECK(stats.lastSeq == 10);
    CHECK(stats.consumedIds == 10);
    CHECK(stats.outboxPending == 10);

    // A snapshot must be of committed rows and not go back in time.
    CHECK_FALSE(store->putSnapshot(11, "future", error));
    CHECK(error.find("the journal ends at 10") != std::string::npos);
    CHECK_FALSE(store->putSnapshot(8, "past", error));
    CHECK(error.find("older than the newest snapshot") != std::string::npos);
  }
  auto store = OpenOk(dir);
  CHECK(store->lastSeq() == 10);
  auto rows = ReadAll(*store, 9);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].seq == 10);
  CHECK(ReadAll(*store, 6).size() == 4);
  // Rows covered by the dropped snapshot are gone, and reading from there says so.
  CHECK_FALSE(store->readJournal(3, [](const JournalRecord&) { return true; }, error));
  CHECK(error.find("journal rows 4..6 are missing") != std::string::npos);
}

TEST_CASE("store: a schema version 2 store is upgraded and its one-row snapshot still reads") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    CommitEvents(*store, 1, 2);
    REQUIRE(store->putSnapshot(2, "state@2", error));
  }
  {
    RawDb raw(dir.path / "journey.db");
    raw.exec("DROP TABLE snapshot_part; PRAGMA user_version = 2");  // as version 2 made it
  }
  auto store = OpenOk(dir);
  {
    RawDb raw(dir.path / "journey.db");
    CHECK(raw.text("PRAGMA user_version") == "3");
  }
  bool found = false;
  uint64_t seq = 0;
  std::string data;
  REQUIRE(store->latestSnapshot(found, seq, data, error));
  CHECK(found);
  CHECK(seq == 2);
  CHECK(data == "state@2");
}

TEST_CASE("store: a snapshot longer than a part is stored in parts, read back whole, pruned whole, and a lost part is damage") {
  TempDir dir;
  std::string error;
  auto bytes = [](size_t n, int salt) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i * 31 + salt);
    return s;
  };
  const std::string first = bytes(2500, 1), second = bytes(3000, 2), third = bytes(1000, 3);
  {
    auto store = OpenOk(dir);
    store->setSnapshotPartBytes(1000);
    CommitEvents(*store, 1, 3);
    REQUIRE(store->putSnapshot(1, first, error));   // 1000 + parts 1, 2 (500 bytes)
    REQUIRE(store->putSnapshot(2, second, error));  // 1000 + parts 1, 2
    bool found = false;
    uint64_t seq = 0;
    std::string data;
    REQUIRE(store->latestSnapshot(found, seq, data, error));
    CHECK(data == second);
    {
      RawDb raw(dir.path / "journey.db");
      CHECK(raw.text("SELECT count(*) FROM snapshot_part") == "4");
      CHECK(raw.text("SELECT length(data) FROM snapshot WHERE journal_seq = 2") == "1000");
    }
    REQUIRE(store->putSnapshot(3, third, error));  // exactly one part: none in snapshot_part; the first snapshot goes
    RawDb raw(dir.path / "journey.db");
    CHECK(raw.text("SELECT count(*) FROM snapshot") == "2");
    CHECK(raw.text("SELECT count(*) FROM snapshot_part") == "2");  // the second's
    REQUIRE(store->latestSnapshot(found, seq, data, error));
    CHECK(seq == 3);
    CHECK(data == third);
  }
  // A lost part (the older snapshot's first) and a flipped byte in a part
  // (its last) each fail the checksum.
  for (const char* damage : {"DELETE FROM snapshot_part WHERE part = 1", "UPDATE snapshot_part SET data = CAST('x' AS BLOB) WHERE part = 2"}) {
    INFO(damage);
    TempDir other;
    {
      auto store = OpenOk(other);
      store->setSnapshotPartBytes(1000);
      CommitEvents(*store, 1, 2);
      REQUIRE(store->putSnapshot(1, "small", error));
      REQUIRE(store->putSnapshot(2, second, error));
    }
    {
      RawDb raw(other.path / "journey.db");
      raw.exec(damage);
    }
    auto store = OpenOk(other);
    bool found = false;
    uint64_t seq = 0;
    std::string data, warning;
    CHECK_FALSE(store->latestSnapshot(found, seq, data, error));
    CHECK(error.find("(journal seq 2) fails its checksum") != std::string::npos);
    REQUIRE(store->latestSnapshotOrOlder(found, seq, data, warning, error));
    CHECK(seq == 1);
    CHECK(data == "small");
  }
}

TEST_CASE("store: a snapshot with a flipped byte is reported, with the older one as an explicit fallback") {
  TempDir dir;
  std::string error;
  {
    auto store = OpenOk(dir);
    CommitEvents(*store, 1, 2);
    REQUIRE(store->putSnapshot(1, "older state", error));
    REQUIRE(store->putSnapshot(2, "newer state", error));
  }
  {
    RawDb raw(dir.path / "journey.db");
    raw.exec("UPDATE snapshot SET data = CAST('newer statf' AS BLOB) WHERE journal_seq = 2");
  }
  auto store = OpenOk(dir);
  bool found = false;
  uint64_t seq = 0;
  std::string data, warning;
  CHECK_FALSE(store->latestSnapshot(found, seq, data, error));
  CHECK(error.find("journey.db: snapshot") != std::string::npos);
  CHECK(error.find("(journal seq 2) fails its checksum") != std::string::npos);
  REQUIRE(store->latestSnapshotOrOlder(found, seq, data, warning, error));
  CHECK(found);
  CHECK(seq == 1);
  CHECK(data == "older state");
  CHECK(warning.find("using the older snapshot at journal seq 1") != std::string::npos);
  // The journal after the older snapshot is still there to replay.
  CHECK(ReadAll(*store, 1).size() == 1);
}

TEST_CASE("store: a journal row with a flipped byte is refused at open") {
  TempDir dir;
  {
    auto store = OpenOk(dir);
    CommitEvents(*store, 1, 3);
  }
  {
    RawDb raw(dir.path / "journey.db");
    raw.exec("UPDATE journal SET body = CAST('event 2 tampered' AS BLOB) WHERE seq = 2");
  }
  std::string error = OpenError(dir);
  CHECK(error.find("journey.db: journal row 2 fails its checksum") != std::string::npos);
}

TEST_CASE("store: a truncated database file is refused at open") {
  TempDir dir;
  {
    auto store = OpenOk(dir);
    for (int batch = 0; batch < 20; ++batch) CommitEvents(*store, batch * 100 + 1, 100);
  }
  fs::path db = dir.path / "journey.db";
  REQUIRE_FALSE(fs::exists(dir.path / "journey.db-wal"));  // the last close checkpointed it
  auto size = fs::file_size(db);
  REQUIRE(size > 64 * 1024);
  fs::resize_file(db, size / 2);
  std::string error = OpenError(dir);
  CHECK(error.rfind(db.string() + ": ", 0) == 0);
}

TEST_CASE("store: a lost write-ahead-log tail is reported as lost committed rows") {
  TempDir dir;
  TempDir saved;
  fs::path db = dir.path / "journey.db", wal = dir.path / "journey.db-wal";
  {
    auto store = OpenOk(dir);
    CommitEvents(*store, 1, 5);
    // The files as they were after the commit of rows 1..5 ...
    REQUIRE(fs::exists(wal));
    fs::copy_file(db, saved.path / "journey.db");
    fs::copy_file(wal, saved.path / "journey.db-wal");
    CommitEvents(*store, 6, 5);
  }
  // ... come back (as if SQLite had discarded the later frames of the log),
  // while the marker remembers row 10.
  fs::remove(dir.path / "journey.db-shm");
  fs::copy_file(saved.path / "journey.db", db, fs::copy_options::overwrite_existing);
  fs::copy_file(saved.path / "journey.db-wal", wal, fs::copy_options::overwrite_existing);
  std::string error = OpenError(dir);
  CHECK(error == db.string() +
                     ": the store lost committed journal rows 6..10 (its write-ahead log was truncated or corrupted); "
                     "refusing to start");
}

TEST_CASE("store: a missing or corrupt commit marker is refused on a store with rows") {
  TempDir dir;
  {
    auto store = OpenOk(dir);
    CommitEvents(*store, 1, 2);
  }
  fs::path marker = dir.path / "journey.commit";
  SECTION("missing") {
    fs::remove(marker);
    std::string error = OpenError(dir);
    CHECK(error.find("journey.commit: the commit marker is missing") != std::string::npos);
  }
  SECTION("corrupt") {
    std::fstream f(marker, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(9);
    f.put('\x7f');
    f.close();
    std::string error = OpenError(dir);
    CHECK(error.find("journey.commit: the commit marker is corrupt") != std::string::npos);
  }
}

TEST_CASE("store: a database of another application or a newer schema is refused") {
  TempDir dir;
  SECTION("another application") {
    {
      RawDb raw(dir.path / "journey.db");
      raw.exec("PRAGMA application_id = 1234; CREATE TABLE t(x)");
    }
    std::string error = OpenError(dir);
    CHECK(error.find("journey.db: not a journey store (application_id 0x000004d2") != std::string::npos);
  }
  SECTION("a newer schema") {
    { auto store = OpenOk(dir); }
    {
      RawDb raw(dir.path / "journey.db");
      raw.exec("PRAGMA user_version = 99");
    }
    std::string error = OpenError(dir);
    CHECK(error.find("journey.db: schema version 99 is newer than this journey-vm supports (3)") != std::string::npos);
  }
  SECTION("not a database at all") {
    std::ofstream(dir.path / "journey.db") << std::string(8192, 'z');
    std::string error = OpenError(dir);
    CHECK(error.find("journey.db: not a journey store") != std::string::npos);
  }
}

TEST_CASE("store: one writer per store") {
  TempDir dir;
  auto store = OpenOk(dir);
  std::string error = OpenError(dir);
  CHECK(error.find("is in use by another journey-vm") != std::string::npos);
}

TEST_CASE("store: a failure inside a batch is reported by commit and rolls the batch back") {
  TempDir dir;
  auto store = OpenOk(dir);
  std::string error;
  CommitEvents(*store, 1, 1);
  {
    // A trigger stands in for a failing disk: the next journal insert fails.
    RawDb raw(dir.path / "journey.db");
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON journal WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  }
  REQUIRE(store->begin(error));
  CHECK(store->consume("x"));
  CHECK(store->append(RecordKind::Event, 1, "ok") == 2);
  CHECK(store->append(RecordKind::Event, 1, "refused") == 0);
  CHECK_FALSE(store->commit(error));
  CHECK(error.find("cannot append a journal row (disk says no)") != std::string::npos);
  CHECK(store->lastSeq() == 1);
  REQUIRE(store->begin(error));
  CHECK(store->consume("x"));  // rolled back with the batch
  store->rollback();
}

TEST_CASE("store: the sender's connection gets its turn between two batches, not after the input pauses") {
  TempDir dir;
  auto store = OpenOk(dir);
  std::string error;
  std::shared_ptr<WriterTurns> turns = store->writerTurns();
  REQUIRE(store->begin(error));
  std::atomic<bool> senderWrote{false};
  std::thread sender([&] {
    WriterTurn turn(turns.get());
    senderWrote = true;
  });
  // The batch holds a turn; the sender asks for the next one and waits.
  for (int i = 0; i < 10000 && turns->asked() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(turns->asked() == 2);
  CHECK_FALSE(senderWrote);
  store->append(RecordKind::Event, 1, "12345");
  REQUIRE(store->commit(error));
  CHECK(store->lastBatchBytes() == 5);
  // The next batch asks after the sender did, so it begins only once the
  // sender has had its turn.
  REQUIRE(store->begin(error));
  CHECK(senderWrote);
  store->rollback();
  sender.join();
  CHECK(turns->asked() == 0);
  REQUIRE(store->putSnapshot(1, "state", error));  // a snapshot takes a turn and gives it back
  CHECK(turns->asked() == 0);
}

namespace {

std::string FileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("store: outbox-file sends are written with their batch, and only a committed batch's stay") {
  TempDir dir;
  fs::path file = dir.path / "outbox.ndjson";
  std::string error;
  {
    auto store = OpenOk(dir);
    REQUIRE(store->attachOutboxFile(file.string(), error));
    CHECK(store->writesOutboxFile());
    REQUIRE(store->begin(error));
    store->append(RecordKind::Event, 1, "e1");
    store->addToOutboxFile(R"({"n":1})");
    store->addToOutboxFile(R"({"n":2})");
    CHECK(FileText(file).empty());  // written at commit, not before
    REQUIRE(store->commit(error));
    CHECK(FileText(file) == "{\"n\":1}\n{\"n\":2}\n");

    REQUIRE(store->begin(error));
    store->addToOutboxFile(R"({"n":"rolled back"})");
    store->rollback();
    // A batch whose commit fails after its lines were written: they are cut off.
    {
      RawDb raw(dir.path / "journey.db");
      raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON meta WHEN NEW.key = 'outbox_delivered' AND EXISTS "
               "(SELECT 1 FROM journal WHERE seq = 2) BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    }
    REQUIRE(store->begin(error));
    store->append(RecordKind::Event, 2, "e2");
    store->addToOutboxFile(R"({"n":"failed commit"})");
    CHECK_FALSE(store->commit(error));
    CHECK(error.find("disk says no") != std::string::npos);
    CHECK(FileText(file) == "{\"n\":1}\n{\"n\":2}\n");
    {
      RawDb raw(dir.path / "journey.db");
      raw.exec("DROP TRIGGER refuse");
    }
    REQUIRE(store->begin(error));
    store->addToOutboxFile(R"({"n":3})");
    REQUIRE(store->commit(error));
    CHECK(FileText(file) == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
    StoreStats stats;
    REQUIRE(store->stats(stats, error));
    CHECK(stats.outboxDelivered == 3);
    CHECK(stats.outboxPending == 0);
  }
  // What a process killed between writing and committing leaves: lines past
  // the recorded length. The next attach cuts them off.
  {
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << "{\"n\":\"torn";
  }
  auto store = OpenOk(dir);
  REQUIRE(store->attachOutboxFile(file.string(), error));
  CHECK(FileText(file) == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
}

TEST_CASE("store: attaching the outbox file moves the rows meant for it there first, and leaves webhooks to the sender") {
  TempDir dir;
  fs::path file = dir.path / "outbox.ndjson";
  std::string error;
  auto store = OpenOk(dir);
  REQUIRE(store->begin(error));
  REQUIRE(store->addOutbox("k1", "email", R"({"n":1})"));
  REQUIRE(store->addOutbox("k2", "webhook", R"({"n":2})"));
  REQUIRE(store->addOutbox("k3", "sms", R"({"n":3})"));
  REQUIRE(store->commit(error));
  REQUIRE(store->attachOutboxFile(file.string(), error));
  CHECK(FileText(file) == "{\"n\":1}\n{\"n\":3}\n");
  std::vector<std::string> left;
  REQUIRE(store->pendingOutbox(10, [&](const OutboxRow& row) { left.push_back(row.key); }, error));
  CHECK(left == std::vector<std::string>{"k2"});
  StoreStats stats;
  REQUIRE(store->stats(stats, error));
  CHECK(stats.outboxDelivered == 2);
  // A second writer of the same file is refused.
  OutboxFileSink other;
  RawDb raw(dir.path / "journey.db");
  CHECK_FALSE(other.open(raw.db, "journey.db", file.string(), error));
  CHECK(error.find("in use by another writer") != std::string::npos);
}

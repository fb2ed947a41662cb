// durable_engine.h — an Engine whose every change is committed to the store.
//
// `journey-vm serve` runs one DurableEngine. Each operation (a batch of
// events, a clock advance, a deploy, a lifecycle command) is applied to the
// in-memory Engine and committed to the Store in one transaction together
// with what it consumed (event messageIds) and produced (outbox rows). The
// engine is deterministic, so the journal of operations is the state: on
// open, the newest snapshot is restored and the journal rows after it are
// replayed (their sends are already in the outbox and are not made again).
// A new snapshot bounds the replay (and lets the journal rows before it go)
// every `checkpointEvery` journal rows, and whenever the journal since the
// last one has grown by `checkpointBytes` or by the last snapshot's size,
// whichever is more: a stdin batch of 5,000 events is one row, so rows alone
// let the journal grow for millions of events, and tying the distance to the
// snapshot's size keeps the snapshots' cost at most that of the journal.
//
// If a commit fails (disk full, I/O error), memory and store disagree; the
// engine then refuses all further work until it is reopened from the store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/engine.h"
#include "vm/events/decoder.h"
#include "vm/serve/store.h"

namespace journey::vm::serve {

struct DurableOptions {
  Sync sync = Sync::Full;
  EngineOptions engine;
  uint64_t checkpointEvery = 200000;  // journal rows between snapshots (0: no limit by rows)
  uint64_t checkpointBytes = uint64_t{64} << 20;  // journal body bytes between snapshots, at least the last snapshot's size (0: no limit by bytes)
  // Seconds of engine time a consumed messageId is remembered at least
  // (Store::setDedupWindow; 0: for good). Seven days: well past any sender's
  // retries, and past the 24 hours Segment's own API de-duplicates over
  // (`serve --clock events` sets 0 unless told: a replay is fed again whole).
  int64_t dedupWindowSeconds = 7 * 86400;
};

struct BatchResult {
  uint64_t accepted = 0;   // applied
  uint64_t duplicate = 0;  // messageId consumed before: skipped
  uint64_t sends = 0;      // outbox rows this batch produced
  struct Bad {
    uint64_t line;  // 1-based within the batch
    std::string reason;
  };
  std::vector<Bad> malformed;  // not applied, not journaled; the rest of the batch goes on
};

// What an uploaded custom list did.
struct ListResult {
  uint64_t rows = 0;     // rows read (with a user id)
  uint64_t entered = 0;  // users who entered (the others are inside already or may not re-enter)
  uint64_t sends = 0;    // outbox rows the entries produced
  std::vector<std::string> problems;  // rows and columns left out: "LINE: what"
};

// What opening found: how long the restore took and what it replayed.
struct OpenReport {
  bool fromSnapshot = false;
  uint64_t snapshotSeq = 0;      // journal seq the snapshot covers
  uint64_t replayed = 0;         // journal rows applied after it
  double restoreSeconds = 0;     // snapshot decode
  double replaySeconds = 0;
  std::string warning;           // e.g. fell back to an older snapshot
};

class DurableEngine {
 public:
  // Opens DIR (creating it): restores the newest snapshot and replays the
  // journal. nullptr with `error` when the store is damaged or unreadable.
  static std::unique_ptr<DurableEngine> Open(const std::string& dir, DurableOptions options, OpenReport& report, std::string& error);
  // A new store in DIR (which must hold no store yet) that starts from a
  // snapshot file's bytes (journey-vm serve --restore).
  static std::unique_ptr<DurableEngine> OpenFromSnapshot(const std::string& dir, std::string_view snapshot, DurableOptions options,
                                                         std::string& error);
  ~DurableEngine();

  // A batch of NDJSON event lines, in one transaction. `now`: the real
  // clock (events are applied no later than it, and the engine is first
  // advanced to it); kVirtualClock: event timestamps drive the clock.
  static constexpr int64_t kVirtualClock = INT64_MIN;
  bool ingest(std::string_view ndjson, int64_t now, BatchResult& result, std::string& error);
  // Fires timers up to `time` (one transaction; nothing when time <= now()).
  bool advance(int64_t time, uint64_t& sends, std::string& error);
  // A compiled, verified module: added when its name is new, else deployed
  // (identical, hot patch or new version). `outcome` says which.
  bool deploy(const bc::Module& module, std::string& outcome, std::string& error);
  bool lifecycle(const std::string& journey, Engine::LifecycleAction action, std::string& error);
  // An uploaded custom list (CSV text, vm/custom_list.h) for the live
  // journey named `journey`, whose entry must be `in list`: its rows set
  // their profiles and its users enter, in one transaction. `now` as for
  // ingest; with the virtual clock, the clock must have started.
  bool enterList(const std::string& journey, std::string_view csv, int64_t now, ListResult& result, std::string& error);
  // Writes a snapshot now (also done as checkpointEvery and checkpointBytes say).
  bool checkpoint(std::string& error);

  const Engine& engine() const { return *engine_; }
  Store& store() { return *store_; }
  bool failed() const { return !failure_.empty(); }
  uint64_t duplicateSends() const { return duplicateSends_; }

 private:
  DurableEngine() = default;
  // Applies one journal record to the engine (live or during replay).
  bool apply(RecordKind kind, int64_t time, std::string_view body, std::string& outcome, std::string& error);
  // Opens an operation's transaction; with the real clock (`now` not
  // kVirtualClock), first journals and applies an advance to `now`.
  bool beginOperation(int64_t now, std::string& error);
  bool finishOperation(bool ok, std::string& error);
  // The newest version of `journey`, if it is live and enters from a custom list.
  bool listJourney(std::string_view journey, size_t& index, std::string& error) const;
  void onSend(const OutboxRecord& r);
  void makeEngine(std::unique_ptr<Engine> restored);

  DurableOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  events::Decoder decoder_;
  events::DecodedEvent decoded_;
  Event event_;
  std::string json_;
  std::string batchBody_;  // the batch's journal record, built while it is applied
  bool replaying_ = false;
  uint64_t pendingSends_ = 0;
  uint64_t duplicateSends_ = 0;
  ListResult listResult_;  // what the last List record applied did
  uint64_t lastCheckpointSeq_ = 0;
  uint64_t journalSinceCheckpoint_ = 0;  // body bytes of the journal rows after the newest snapshot
  uint64_t lastSnapshotBytes_ = 0;
  std::string failure_;
};

// "pause" → Pause, ...; false for an unknown word.
bool ParseLifecycleAction(std::string_view word, Engine::LifecycleAction& action);
const char* LifecycleActionName(Engine::LifecycleAction action);

}  // namespace journey::vm::serve

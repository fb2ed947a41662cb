// durable_engine.cpp — operations applied in memory and committed together.
//
// Every public operation has the same shape: begin a transaction, journal
// the inputs and apply them (sends become outbox rows, or lines of the
// outbox file, in the same transaction through onSend), commit, maybe
// checkpoint. Replay goes through
// the same apply() with `replaying_` set, so a restored engine takes exactly
// the steps the live one took.
#include "vm/serve/durable_engine.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>

#include "bytecode/format.h"
#include "bytecode/verify.h"
#include "vm/custom_list.h"
#include "vm/event_convert.h"
#include "vm/events/line_reader.h"
#include "vm/report.h"

namespace journey::vm::serve {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

constexpr std::pair<std::string_view, Engine::LifecycleAction> kActions[] = {
    {"pause", Engine::LifecycleAction::Pause},     {"resume", Engine::LifecycleAction::Resume},
    {"stop", Engine::LifecycleAction::Stop},       {"archive", Engine::LifecycleAction::Archive},
    {"unarchive", Engine::LifecycleAction::Unarchive}};

}  // namespace

bool ParseLifecycleAction(std::string_view word, Engine::LifecycleAction& action) {
  for (const auto& [name, a] : kActions)
    if (name == word) {
      action = a;
      return true;
    }
  return false;
}

const char* LifecycleActionName(Engine::LifecycleAction action) {
  for (const auto& [name, a] : kActions)
    if (a == action) return name.data();
  return "?";
}

DurableEngine::~DurableEngine() = default;

void DurableEngine::makeEngine(std::unique_ptr<Engine> restored) {
  engine_ = restored ? std::move(restored)
                     : std::make_unique<Engine>(std::vector<bc::Module>{}, [this](const OutboxRecord& r) { onSend(r); }, options_.engine);
}

std::unique_ptr<DurableEngine> DurableEngine::Open(const std::string& dir, DurableOptions options, OpenReport& report, std::string& error) {
  std::unique_ptr<DurableEngine> d(new DurableEngine());
  d->options_ = options;
  d->store_ = Store::Open(dir, options.sync, error);
  if (!d->store_) return nullptr;
  d->store_->setDedupWindow(options.dedupWindowSeconds);

  bool found = false;
  uint64_t seq = 0;
  std::string bytes;
  if (!d->store_->latestSnapshotOrOlder(found, seq, bytes, report.warning, error)) return nullptr;
  auto started = std::chrono::steady_clock::now();
  if (found) {
    DurableEngine* self = d.get();
    std::unique_ptr<Engine> e = Engine::Restore(bytes, [self](const OutboxRecord& r) { self->onSend(r); }, options.engine, error);
    if (!e) {
      error = d->store_->path() + ": snapshot at journal row " + std::to_string(seq) + ": " + error;
      return nullptr;
    }
    d->makeEngine(std::move(e));
    report.fromSnapshot = true;
    report.snapshotSeq = seq;
  } else {
    d->makeEngine(nullptr);
  }
  d->lastSnapshotBytes_ = bytes.size();
  bytes.clear();
  bytes.shrink_to_fit();
  report.restoreSeconds = SecondsSince(started);
  d->lastCheckpointSeq_ = seq;

  started = std::chrono::steady_clock::now();
  d->replaying_ = true;
  std::string applyError, outcome;
  bool applied = d->store_->readJournal(seq, [&](const JournalRecord& r) {
    ++report.replayed;
    d->journalSinceCheckpoint_ += r.body.size();
    // A record that failed when it was live (a refused deploy) fails the
    // same way now; only records that cannot be decoded at all are damage.
    if (!d->apply(r.kind, r.time, r.body, outcome, applyError) && applyError.rfind("damaged:", 0) == 0) {
      applyError = "journal row " + std::to_string(r.seq) + " is " + applyError;
      return false;
    }
    applyError.clear();
    return true;
  }, error);
  d->replaying_ = false;
  if (!applied) return nullptr;
  if (!applyError.empty()) {
    error = d->store_->path() + ": " + applyError;
    return nullptr;
  }
  report.replaySeconds = SecondsSince(started);
  return d;
}

std::unique_ptr<DurableEngine> DurableEngine::OpenFromSnapshot(const std::string& dir, std::string_view snapshot, DurableOptions options,
                                                               std::string& error) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(dir) / "journey.db", ec)) {
    error = dir + ": already holds a store; --restore starts a new one (give an empty or new directory)";
    return nullptr;
  }
  std::unique_ptr<DurableEngine> d(new DurableEngine());
  d->options_ = options;
  DurableEngine* self = d.get();
  std::unique_ptr<Engine> e = Engine::Restore(snapshot, [self](const OutboxRecord& r) { self->onSend(r); }, options.engine, error);
  if (!e) return nullptr;
  d->store_ = Store::Open(dir, options.sync, error);
  if (!d->store_) return nullptr;
  d->store_->setDedupWindow(options.dedupWindowSeconds);
  d->makeEngine(std::move(e));
  if (!d->store_->putSnapshot(0, snapshot, error)) return nullptr;
  d->lastSnapshotBytes_ = snapshot.size();
  return d;
}

void DurableEngine::onSend(const OutboxRecord& r) {
  if (replaying_) return;  // committed with the record being replayed
  json_.clear();
  AppendOutboxJson(json_, r);
  if (!json_.empty() && json_.back() == '\n') json_.pop_back();
  // Sends for the outbox file go straight into it with the batch; webhooks
  // (and everything, with a provider command) become outbox rows for the
  // sender.
  if (store_->writesOutboxFile() && r.channel != "webhook") {
    store_->addToOutboxFile(json_);
    ++pendingSends_;
    return;
  }
  // A key already in the outbox would be a second send of one message: the
  // engine's message ids make that impossible, so it is counted loudly
  // rather than stored twice.
  if (store_->addOutbox(r.messageId, r.channel, json_)) ++pendingSends_;
  else ++duplicateSends_;
}

bool DurableEngine::apply(RecordKind kind, int64_t time, std::string_view body, std::string& outcome, std::string& error) {
  switch (kind) {
    case RecordKind::Advance: engine_->advanceTo(time); return true;
    case RecordKind::Event: {
      // A batch's events in one record: per event, its applied time in
      // decimal, a space, the NDJSON line, a newline.
      (void)time;
      std::string reason;
      for (size_t at = 0; at < body.size();) {
        size_t space = body.find(' ', at), end = body.find('\n', at);
        if (space == std::string_view::npos || end == std::string_view::npos || space > end) {
          error = "damaged: its events are cut short";
          return false;
        }
        int64_t when = 0;
        auto [ptr, ec] = std::from_chars(body.data() + at, body.data() + space, when);
        if (ec != std::errc() || ptr != body.data() + space || !decoder_.decode(body.substr(space + 1, end - space - 1), decoded_, reason)) {
          error = "damaged: an event does not decode" + (reason.empty() ? std::string() : ": " + reason);
          return false;
        }
        Convert(decoded_.event, event_);
        event_.time = when;
        engine_->process(event_);
        at = end + 1;
      }
      return true;
    }
    case RecordKind::Deploy: {
      bc::Module m;
      if (!bc::Read(std::vector<uint8_t>(body.begin(), body.end()), m, error)) {
        error = "damaged: its module does not load: " + error;
        return false;
      }
      if (engine_->started()) engine_->advanceTo(time);  // a fresh store's clock starts with its first event or tick, not at 1970
      std::string name = m.str(m.name);
      if (!engine_->has(name)) {
        if (!engine_->add(std::move(m), error)) return false;
        outcome = "added";
        return true;
      }
      switch (engine_->deploy(std::move(m), error)) {
        case Engine::Deployment::Identical: outcome = "identical"; return true;
        case Engine::Deployment::HotPatched: outcome = "hot-patched"; return true;
        case Engine::Deployment::NewVersion: outcome = "new-version"; return true;
        case Engine::Deployment::Rejected: return false;
      }
      return false;
    }
    case RecordKind::Lifecycle: {
      size_t colon = body.find(':');
      Engine::LifecycleAction action;
      if (colon == std::string_view::npos || !ParseLifecycleAction(body.substr(0, colon), action)) {
        error = "damaged: bad lifecycle command";
        return false;
      }
      if (engine_->started()) engine_->advanceTo(time);  // a fresh store's clock starts with its first event or tick, not at 1970
      return engine_->setLifecycle(std::string(body.substr(colon + 1)), action, error);
    }
    case RecordKind::List: {
      // The journey's name as LENGTH:NAME, then the list's CSV text.
      size_t colon = body.find(':'), length = 0;
      auto [ptr, ec] = std::from_chars(body.data(), body.data() + std::min(colon, body.size()), length);
      if (colon == std::string_view::npos || ec != std::errc() || ptr != body.data() + colon || length > body.size() - colon - 1) {
        error = "damaged: bad list entry";
        return false;
      }
      std::string_view journey = body.substr(colon + 1, length);
      size_t j = 0;
      if (!listJourney(journey, j, error)) return false;
      engine_->advanceTo(time);
      CustomList list;
      listResult_.entered = EnterCustomList(*engine_, j, body.substr(colon + 1 + length), engine_->now(), list);
      listResult_.rows = list.rowCount;
      listResult_.problems = std::move(list.problems);
      return true;
    }
  }
  error = "damaged: unknown record kind";
  return false;
}

bool DurableEngine::finishOperation(bool ok, std::string& error) {
  if (!ok) {
    store_->rollback();
    return false;
  }
  if (!store_->commit(error)) {
    failure_ = "a commit failed (" + error + "); memory is ahead of the store, so nothing more is accepted: restart to recover";
    error = failure_;
    return false;
  }
  journalSinceCheckpoint_ += store_->lastBatchBytes();
  bool byRows = options_.checkpointEvery && store_->lastSeq() - lastCheckpointSeq_ >= options_.checkpointEvery;
  bool byBytes = options_.checkpointBytes && journalSinceCheckpoint_ >= std::max(options_.checkpointBytes, lastSnapshotBytes_);
  if (byRows || byBytes) return checkpoint(error);
  return true;
}

bool DurableEngine::beginOperation(int64_t now, std::string& error) {
  if (!store_->begin(error)) return false;
  pendingSends_ = 0;
  if (now != kVirtualClock && now > engine_->now()) {
    std::string outcome;
    store_->append(RecordKind::Advance, now, {});
    apply(RecordKind::Advance, now, {}, outcome, error);
  }
  return true;
}

bool DurableEngine::ingest(std::string_view ndjson, int64_t now, BatchResult& result, std::string& error) {
  if (failed()) return (error = failure_, false);
  if (!beginOperation(now, error)) return false;
  if (engine_->started()) store_->ageConsumed(engine_->now());
  uint64_t lineNo = 0;
  std::string reason;
  batchBody_.clear();
  for (size_t at = 0; at < ndjson.size();) {
    size_t end = ndjson.find('\n', at);
    if (end == std::string_view::npos) end = ndjson.size();
    std::string_view line = ndjson.substr(at, end - at);
    at = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // As `run` reads a file: a byte order mark may open the batch, and a
    // line has the same length limit, reported the same way.
    if (lineNo == 1 && line.starts_with(events::kUtf8Bom)) line.remove_prefix(events::kUtf8Bom.size());
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line.size() > events::kDefaultMaxLineBytes) {
      result.malformed.push_back({lineNo, events::too_long_reason(events::kDefaultMaxLineBytes)});
      continue;
    }
    if (!decoder_.decode(line, decoded_, reason)) {
      result.malformed.push_back({lineNo, reason});
      continue;
    }
    if (!decoded_.event.message_id.empty() && !store_->consume(decoded_.event.message_id)) {
      ++result.duplicate;
      continue;
    }
    int64_t ms = decoded_.event.time_ms;
    int64_t time = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    if (now != kVirtualClock) time = std::min(time, now);  // a sender's clock ahead of ours
    batchBody_ += std::to_string(time);
    batchBody_ += ' ';
    batchBody_ += line;
    batchBody_ += '\n';
    Convert(decoded_.event, event_);
    event_.time = time;
    engine_->process(event_);
    ++result.accepted;
  }
  // One journal row for the whole batch: a row per event cost more than
  // applying the event.
  if (!batchBody_.empty()) store_->append(RecordKind::Event, engine_->now(), batchBody_);
  result.sends = pendingSends_;
  return finishOperation(true, error);
}

bool DurableEngine::advance(int64_t time, uint64_t& sends, std::string& error) {
  sends = 0;
  if (failed()) return (error = failure_, false);
  if (time <= engine_->now()) return true;
  if (!store_->begin(error)) return false;
  pendingSends_ = 0;
  std::string outcome;
  store_->append(RecordKind::Advance, time, {});
  apply(RecordKind::Advance, time, {}, outcome, error);
  sends = pendingSends_;
  return finishOperation(true, error);
}

bool DurableEngine::deploy(const bc::Module& module, std::string& outcome, std::string& error) {
  if (failed()) return (error = failure_, false);
  std::vector<std::string> problems = bc::Verify(module);
  if (!problems.empty()) return (error = "the module fails verification: " + problems.front(), false);
  std::vector<uint8_t> bytes = bc::Write(module);
  std::string_view body(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!store_->begin(error)) return false;
  int64_t at = engine_->now();
  store_->append(RecordKind::Deploy, at, body);
  bool ok = apply(RecordKind::Deploy, at, body, outcome, error);
  // A refused deploy changes nothing and is not journaled.
  return finishOperation(ok, error);
}

bool DurableEngine::lifecycle(const std::string& journey, Engine::LifecycleAction action, std::string& error) {
  if (failed()) return (error = failure_, false);
  std::string body = std::string(LifecycleActionName(action)) + ":" + journey, outcome;
  if (!store_->begin(error)) return false;
  int64_t at = engine_->now();
  store_->append(RecordKind::Lifecycle, at, body);
  bool ok = apply(RecordKind::Lifecycle, at, body, outcome, error);
  return finishOperation(ok, error);
}

bool DurableEngine::listJourney(std::string_view journey, size_t& index, std::string& error) const {
  for (size_t j = engine_->journeyCount(); j-- > 0;) {
    const bc::Module& m = engine_->module(j);
    if (m.str(m.name) != journey) continue;
    if (m.entry.kind != bc::EntryKind::CustomList) {
      error = "journey \"" + std::string(journey) + "\" does not enter from a custom list";
      return false;
    }
    if (engine_->lifecycle(j) != Engine::Lifecycle::Live) {
      error = "journey \"" + std::string(journey) + "\" is " + LifecycleName(engine_->lifecycle(j)) + ": it takes no new entrants";
      return false;
    }
    index = j;
    return true;
  }
  error = "no journey named \"" + std::string(journey) + "\"";
  return false;
}

bool DurableEngine::enterList(const std::string& journey, std::string_view csv, int64_t now, ListResult& result, std::string& error) {
  if (failed()) return (error = failure_, false);
  size_t j = 0;
  if (!listJourney(journey, j, error)) return false;
  if (now == kVirtualClock && !engine_->started())
    return (error = "the clock has not started: send events or advance it first", false);
  if (!beginOperation(now, error)) return false;
  std::string body = std::to_string(journey.size()) + ":" + journey, outcome;
  body += csv;
  int64_t at = engine_->now();
  store_->append(RecordKind::List, at, body);
  bool ok = apply(RecordKind::List, at, body, outcome, error);
  if (ok) {
    result = listResult_;
    result.sends = pendingSends_;
  }
  return finishOperation(ok, error);
}

bool DurableEngine::checkpoint(std::string& error) {
  if (failed()) return (error = failure_, false);
  uint64_t seq = store_->lastSeq();
  std::string snapshot = engine_->snapshot();
  if (!store_->putSnapshot(seq, snapshot, error)) return false;
  lastCheckpointSeq_ = seq;
  journalSinceCheckpoint_ = 0;
  lastSnapshotBytes_ = snapshot.size();
  return true;
}

}  // namespace journey::vm::serve

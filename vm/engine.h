// engine.h — the journey runtime: users, instances, timers, routing, stats.
//
// The Engine runs one or more verified modules on a clock it is told about
// (virtual for replays, real for live runs). Each user in a journey is an
// Instance: a few dozen bytes holding where the user is (node, resume pc),
// what it waits for and until when. Events are routed to the user's
// instances (goals first, then whatever the instance waits for), then to the
// entry criteria. Sends go to an Outbox the host provides. Time moves only
// forward, by advanceTo(); timers fire in deadline order before any event at
// a later time is applied.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bytecode/module.h"
#include "vm/timer_wheel.h"
#include "vm/value.h"

namespace journey::vm {

// One incoming event, as the ingestion layer decodes it. Views are valid
// for the duration of Engine::process().
struct Event {
  enum Type : uint8_t { Track, Identify } type = Track;
  std::string_view user;
  uint64_t userHash = 0;  // UserIdHash(user) when the host has it; 0: the engine computes it
  std::string_view name;  // track event name
  int64_t time = 0;       // seconds since the epoch
  std::vector<std::pair<std::string_view, Value>> properties;  // track properties or identify traits
  const Value* property(std::string_view key) const {
    for (const auto& [k, v] : properties)
      if (k == key) return &v;
    return nullptr;
  }
};

// The convention for message statuses coming back (docs/events.md).
constexpr std::string_view kMessageStatusEvent = bc::kMessageStatusEvent;

// Whether bit f of a mask of JSON content fields (OutboxRecord::jsonFields)
// is set; fields past 63 are text.
inline bool IsJsonField(uint64_t jsonFields, size_t f) { return f < 64 && (jsonFields >> f & 1); }

struct OutboxRecord {
  std::string journey;
  uint64_t version = 0;  // structural hash
  std::string node;
  std::string user;
  std::string channel;
  std::string messageId;  // also the idempotency key
  int64_t time = 0;
  std::vector<std::pair<std::string, std::string>> content;  // rendered fields
  // Bit f: content[f]'s value is JSON text (a list or a map, written as an
  // array or object), not a string to be quoted. Fields past 63 are text.
  uint64_t jsonFields = 0;
  bool isJson(size_t f) const { return IsJsonField(jsonFields, f); }
};

// Where a host that writes sends out as NDJSON lets the engine write them
// (Engine::sendLinesTo): straight into the host's buffer, from each send
// site's text made once (SendLineText, vm/report.h), with no OutboxRecord
// filled and formatted in between. The lines are those OutboxJson makes.
class OutboxLines {
 public:
  // Room for `bytes` more bytes, or null when nothing more is taken (a
  // failed write: the host reports it).
  virtual char* room(size_t bytes) = 0;
  // A line was written at the last room() and ends just before `end`.
  virtual void wrote(char* end) = 0;

 protected:
  ~OutboxLines() = default;
};

struct NodeStats {
  uint64_t entered = 0;
  uint64_t waiting = 0;  // now
  std::vector<uint64_t> exitsByPath;
  uint64_t goalExits = 0, timeoutExits = 0;
  // Send nodes: messages that went out and that were suppressed here, and
  // the status events that came back for them, one count per status of the
  // node's channel (bc::SendSite::statuses order; empty for other nodes).
  uint64_t sent = 0, suppressed = 0;
  std::vector<uint64_t> statuses;
};

struct JourneyStats {
  uint64_t entered = 0, completed = 0, timedOut = 0, forcedExit = 0, suppressed = 0, sent = 0;
  // Users who left (any way but an inaction entry that never fired) and the
  // seconds they spent inside, all together; the seconds from entry to
  // conversion (a goal met, or `end` without goals) of those who converted.
  uint64_t left = 0, secondsInside = 0, secondsToConvert = 0;
  // Now: users of a journey with goals who reached `end` and stay until a
  // goal or the timeout (not in snapshots: counted again on restore).
  uint64_t atEnd = 0;
  std::vector<uint64_t> goalMet;  // per goal
  std::vector<NodeStats> nodes;
  uint64_t goalTotal() const {
    uint64_t t = 0;
    for (uint64_t g : goalMet) t += g;
    return t;
  }
};

enum class Schedule : uint8_t {
  Exact,       // timers fire at their instant
  CleverTap,   // node windows end at the next hourly evaluation (on the hour,
               // in the journey's zone), as the product docs describe
};

struct EngineOptions {
  // Executed instructions per resume before the instance is stopped as runaway.
  uint64_t instructionBudget = 100000;
  Schedule schedule = Schedule::Exact;
};

class Engine {
 public:
  using OutboxSink = std::function<void(const OutboxRecord&)>;

  Engine(std::vector<bc::Module> modules, OutboxSink outbox, EngineOptions options = {});
  ~Engine();

  // Sets the clock for the first time (the first event or advance does it
  // otherwise) and plans the journeys' schedules from there.
  void start(int64_t time);
  // Fires every timer due up to `time` (seconds), then sets the clock there.
  void advanceTo(int64_t time);
  // A new version of a running journey (the one with its name), at the
  // current time. Content-only (same structural hash): hot-patched, users
  // see the new content at their next send. Structural: a new version that
  // new entrants get while users in flight finish on theirs; stats are kept
  // per version (journeyCount() grows by one).
  enum class Deployment { Identical, HotPatched, NewVersion, Rejected };
  // The product's lifecycle (seed 004): paused takes no new entrants while
  // users inside go on; stopped halts everything (no movement, no sends)
  // and cannot be restarted; archived is a stopped journey put away.
  enum class Lifecycle : uint8_t { Live, Paused, Stopped, Archived };
  enum class LifecycleAction : uint8_t { Pause, Resume, Stop, Archive, Unarchive };
  // Applies to every version of the journey named `journey`; false (with
  // `error`) for an unknown name or a transition the lifecycle forbids.
  bool setLifecycle(const std::string& journey, LifecycleAction action, std::string& error);
  Lifecycle lifecycle(size_t journey) const;
  Deployment deploy(bc::Module module, std::string& error);
  // A journey whose name is not running here joins (its own stats, its own
  // re-entry history); false with `error` when the name is taken.
  bool add(bc::Module module, std::string& error);
  // Whether a journey of that name is loaded (any version, any state).
  bool has(const std::string& journey) const;

  // Snapshots (docs/vm.md, "Snapshots"): the whole engine as bytes, with a
  // versioned header and a checksum; Restore makes an engine from them that
  // goes on exactly as this one would. nullptr with `error` naming what is
  // wrong for truncated, damaged or foreign bytes.
  std::string snapshot() const;
  static std::unique_ptr<Engine> Restore(std::string_view bytes, OutboxSink outbox, EngineOptions options, std::string& error);
  // From now on sends go to `lines` as NDJSON instead of to the OutboxSink
  // (null: back to the sink). `lines` must outlive its use.
  void sendLinesTo(OutboxLines* lines);
  // A hint that about `users` users may come (a replay knows roughly how
  // many events its file holds): the per-user arrays reserve that much
  // address space now, so that a large run has them on huge pages from the
  // first user instead of on small ones until they pass 2 MiB. Memory is
  // used only as users come; a failed reservation is ignored.
  void expectUsers(size_t users);
  // One sorted line per user and journey they have been in: where they are,
  // what they wait for, until when. Independent of internal numbering.
  std::string dumpState() const;
  // Custom-list entry: these users enter `journey` now (those allowed to).
  void enterList(size_t journey, const std::vector<std::string>& users);
  // Applies one event at its time (the clock is first advanced to it; an
  // event earlier than the clock is applied at the clock's time).
  void process(const Event& e);
  // A hint that an event of `user` is coming soon (e.g. it was just read
  // and waits in the reorder window): the engine starts loading that user's
  // records so that process() does not wait on memory. Never changes what
  // the engine does; hints for users not seen yet cost a hash.
  // `hash` is UserIdHash(user) (bytecode/fnv.h), or 0 to have it computed.
  void prefetchUser(std::string_view user, uint64_t hash = 0);

  int64_t now() const;
  // Whether the clock has been set (start, an advance or an event).
  bool started() const;
  size_t journeyCount() const;
  const bc::Module& module(size_t journey) const;
  const JourneyStats& stats(size_t journey) const;
  // The counters of local days firstDay to lastDay (days since 1970-01-01
  // in the journey's zone, both included); the gauges (waiting, at end) are
  // the current ones. Days are marked at each local midnight from the start:
  // days before the first mark count from it, a day not over yet up to now.
  JourneyStats statsForDays(size_t journey, int64_t firstDay, int64_t lastDay) const;
  size_t activeInstances() const;
  // Timers still to fire plus one-off scheduled entries: what `--until drain` waits for.
  size_t pendingTimers() const;
  size_t userCount() const;
  // Times journey code has run for an instance (entries, and resumes by a
  // timer or an event) since the engine started: its work, in one number.
  uint64_t runs() const;
  // Problems met while running (runaway code, missing builtins, ...), each once.
  const std::vector<std::string>& problems() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

const char* LifecycleName(Engine::Lifecycle s);

// ISO-8601 (`2026-11-24T10:00:00Z`, `+05:30` offsets, fractions) to epoch seconds.
bool ParseIsoTime(std::string_view text, int64_t& seconds);

}  // namespace journey::vm

// engine.cpp — instances, the interpreter loop, routing and timers.
//
// Layout of the state, chosen for many users and few journeys:
//   users_      dense array of users (id, profile, per-journey slots)
//   instances_  dense pool of instances, recycled through a free list
//   wheel_      one timer entry per suspended instance, cancelled by
//               bumping the instance's generation
// An instance is resumed only by its own timer, an event of its user, or a
// status of its own last message, so no search over instances ever happens.
#include "vm/engine.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <optional>

#include "bytecode/format.h"
#include "bytecode/fnv.h"
#include "bytecode/verify.h"
#include "vm/big_array.h"
#include "vm/entry_props.h"
#include "vm/builtins.h"
#include "vm/message_id.h"
#include "vm/report.h"
#include "vm/snapshot_io.h"
#include "vm/timezone.h"

namespace journey::vm {

bool ParseIsoTime(std::string_view s, int64_t& out);

namespace {

// AtEnd: the user has reached `end` of a journey with goals and stays in it,
// counted at the last node they passed, until they meet a goal or the
// journey times out (the product's reporting has no "completed" there: every
// user who enters ends as Goal Met or Time Out). Snapshots store the number,
// so new kinds go last.
enum class WaitKind : uint8_t { None, Timer, Event, Inaction, Daily, Status, PreEntry, AtEnd };
enum class Outcome : uint8_t { Completed, ForcedExit, GoalMet, TimedOut, Runaway, Dropped };

constexpr uint32_t kNone = UINT32_MAX;

// The clock stays within the years 0000 to 9999 (bc::kEarliestSecond,
// bc::kLatestSecond), whatever time a host passes: every time the engine
// derives from it (a deadline up to bc::kMaxDurationSeconds ahead, a profile
// date below 10^13 s) then stays within what a snapshot may hold
// (kTimeLimitSeconds), so the engine's own snapshot always restores.
int64_t ClampToCalendar(int64_t t) { return std::clamp(t, bc::kEarliestSecond, bc::kLatestSecond); }

// A number of seconds (a time or a duration) as an integer. A NaN or a value
// beyond ±10^13 s (some 300,000 years) — a profile property, an event's or a
// damaged module's — is no time, and converting it would be undefined.
bool SecondsOf(double value, int64_t& out) {
  if (!(std::fabs(value) < 1e13)) return false;
  out = static_cast<int64_t>(value);
  return true;
}

// One user's run through one journey version, or a user waiting to qualify
// (PreEntry). There is one per waiting user, so its size is the engine's
// memory per user: the fields are ordered so that nothing is padding.
struct Instance {
  int64_t enteredAt = 0;
  int64_t waitDeadline = 0;   // 0: none
  int64_t phaseDeadline = 0;  // inaction: end of the absence period; daily: end of the window
  int64_t windowEnd = 0;      // when the qualifying window closes (events after it do not count)
  uint32_t user = 0;
  uint32_t generation = 0;
  uint32_t pc = 0;
  uint32_t arg = 0;           // predicate, inaction or status mask of the wait
  uint32_t entryProps = kNone;
  uint16_t journey = 0;
  uint16_t node = 0;
  uint16_t sendSeq = 0;
  WaitKind wait = WaitKind::None;
  uint8_t reg = 0;
  uint8_t phase = 0;  // inaction: 0 waiting for the first event, 1 for the absence
  bool live = false;
  // The run number (the user's entry count in this journey) is not kept
  // here: it is the user's slot's `runs` while the instance is inside.
};
static_assert(sizeof(Instance) == 64, "an Instance is the memory of one waiting user: keep it without padding");

// A user's place in one journey family (all versions of a journey).
struct Slot {
  int64_t lastExit = INT64_MIN;
  uint32_t instance = kNone;
  uint32_t runs = 0;
};
static_assert(sizeof(Slot) == 16, "one Slot per user and journey: keep it without padding");

struct Sample {
  int64_t time;
  double value;
};

// What only some users have: a profile, event history, recent sends. Kept
// out of line so a user who only passed through costs an id and a pointer.
struct UserData {
  // The profile: properties by their name's number (Engine::Impl::
  // profileKeys), sorted by it. A map per user cost ~150 bytes a property
  // (node, key string, bucket); an entry here is its value and 8 bytes.
  struct Property {
    uint32_t key;
    ProfileValue value;
  };
  std::vector<Property> profile;
  std::unordered_map<uint64_t, std::deque<Sample>> aggregates;  // (journey << 32 | aggregate)
  // Recent sends, for frequency limits (kept only when some journey has
  // limits): the channel as an index into Engine::Impl::channelIds.
  struct SendMark {
    int64_t time;
    uint32_t channel;
  };
  std::vector<SendMark> recentSends;
};

constexpr size_t kMaxSendMarks = 256;  // per user; limits count at most this many

// A user: the id, and what is kept about the user, if anything. An id of
// up to 7 bytes lies in `idRef` itself (the bytes first, then 0x80 | length
// in the last byte); a longer one is a reference into
// Engine::Impl::userIdBytes, where those ids lie end to end (a std::string
// here cost 32 bytes per user before its first character). Short ids (most
// numeric ids, "u123456") then cost no bytes elsewhere, and reading one, to
// match an event's user or to address a send, costs no cache miss of its own.
//
// The user's slot in the first journey family lies in the record too: an
// event or a timer of a user reads both, and in one 32-byte record they are
// one cache line and one page where two arrays were two of each (with a
// million users, two misses that prefetching does not always hide). The
// slots of further families are in Engine::Impl::moreSlots.
struct User {
  uint64_t idRef = 0;              // inline (kInlineId set), or offset << kIdLengthBits | length
  std::unique_ptr<UserData> data;  // null until something is kept
  Slot firstSlot;                  // family 0
};
static_assert(sizeof(User) == 32, "one User per user ever seen: keep it small (two to a cache line)");
}  // namespace
// A User moves as bytes (BigArray): its unique_ptr holds no address of its own.
template <>
struct TriviallyRelocatable<User> : std::true_type {};
namespace {
constexpr unsigned kIdLengthBits = 24;
constexpr size_t kMaxUserIdBytes = (size_t{1} << kIdLengthBits) - 1;  // 16 MiB
constexpr uint64_t kInlineId = uint64_t{1} << 63;
constexpr size_t kMaxInlineIdBytes = 7;
static_assert(std::endian::native == std::endian::little, "an inline id's bytes come first in User::idRef");

// User ids → dense user indices: open addressing over 32-bit entries, the
// ids themselves live once, in the users array. An entry holds the user
// index + 1 in its low `indexBits_` bits (0: empty) and, in the bits left
// over, a tag taken from the id's hash. A lookup compares tags before it
// compares ids, so a probe past another user's entry costs no visit to that
// user's record and id bytes (two cache misses each with a million users).
// The index part is as wide as the table's own index (at least 16 bits),
// so it widens when the table doubles, in the same rebuild: widening it on
// its own, as users passed each power of two, was a second rebuild of the
// whole table per doubling (2.56M entries placed on the way to a million
// users instead of 1.57M, 40-55 ms against 27-39). Tags are then 11 bits
// at a million users and 8 at ten million.
class UserIndex {
 public:
  static uint64_t HashOf(std::string_view s) { return UserIdHash(s); }
  // The index of `id`, or kMissing; `hash` is HashOf(id).
  template <typename IdOf>
  uint32_t find(std::string_view id, uint64_t hash, IdOf&& idOf) const {
    return firstTagged(hash, [&](uint32_t u) { return idOf(u) == id; });
  }
  // Adds `user`, which is the number of users inserted so far (indices are dense).
  template <typename IdOf>
  void insert(uint32_t user, uint64_t hash, IdOf&& idOf) {
    unsigned bits = indexBits_;
    while (uint64_t{user} + 1 > indexMask(bits)) ++bits;
    if ((count_ + 1) * 4 > table_.size() * 3 || bits != indexBits_) rebuild(bits, idOf);
    place(user, hash);
    ++count_;
  }
  // Reserves address space for the table `users` users need, so that its
  // doublings grow it in place (see Engine::expectUsers); no entry moves.
  void reserve(size_t users) {
    size_t size = 1024;
    while (users * 4 > size * 3) size *= 2;
    table_.reserve(size);
  }
  // Starts loading the entry where a lookup of `hash` begins (a hint only).
  void prefetch(uint64_t hash) const {
    if (!table_.empty()) __builtin_prefetch(&table_[hash & mask_]);
  }
  // The first user whose entry's tag matches `hash`, without comparing ids:
  // a guess for prefetching (kMissing when there is none).
  uint32_t peek(uint64_t hash) const {
    return firstTagged(hash, [](uint32_t) { return true; });
  }
  static constexpr uint32_t kMissing = UINT32_MAX;

 private:
  // Probes from `hash`'s place: the first user whose entry carries its tag
  // and whom `accept` takes, or kMissing at the first empty entry.
  template <typename Accept>
  uint32_t firstTagged(uint64_t hash, Accept&& accept) const {
    if (table_.empty()) return kMissing;
    uint64_t tag = tagOf(hash);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      uint64_t entry = table_[i];
      if (entry == 0) return kMissing;
      if ((entry >> indexBits_) != tag) continue;
      uint32_t u = static_cast<uint32_t>((entry & indexMask()) - 1);
      if (accept(u)) return u;
    }
  }
  static uint64_t indexMask(unsigned bits) { return (uint64_t{1} << bits) - 1; }
  uint64_t indexMask() const { return indexMask(indexBits_); }
  uint64_t tagOf(uint64_t hash) const { return (hash >> 32) & ((uint64_t{1} << (32 - indexBits_)) - 1); }
  void place(uint32_t user, uint64_t hash) {
    size_t i = hash & mask_;
    while (table_[i] != 0) i = (i + 1) & mask_;
    table_[i] = static_cast<uint32_t>(tagOf(hash) << indexBits_ | (uint64_t{user} + 1));
  }
  // Re-places every user in a table big enough for one more, with `bits` of
  // index. The users are 0..count_-1, so they are visited in that order:
  // their records and ids are read front to back, not at random. Their
  // places in the new table are at random, so each is hashed and its place
  // asked for kRebuildAhead users before it is written: at a million users
  // the table is megabytes, and writing each place as it came waited for
  // memory every time (a third of the index's time in the 1M-user runs).
  static constexpr uint32_t kRebuildAhead = 16;
  template <typename IdOf>
  void rebuild(unsigned bits, IdOf&& idOf) {
    size_t size = table_.empty() ? 1024 : table_.size();
    while ((count_ + 1) * 4 > size * 3) size *= 2;
    table_.assign(size, 0);
    mask_ = size - 1;
    indexBits_ = std::max<unsigned>(bits, std::bit_width(mask_));  // size > count_ + 1: every index fits
    uint64_t hashes[kRebuildAhead];
    size_t users = count_;
    for (size_t u = 0; u < users + kRebuildAhead; ++u) {
      uint64_t& hash = hashes[u % kRebuildAhead];  // user u - kRebuildAhead's, then user u's
      if (u >= kRebuildAhead) place(static_cast<uint32_t>(u - kRebuildAhead), hash);
      if (u < users) {
        hash = HashOf(idOf(static_cast<uint32_t>(u)));
        __builtin_prefetch(&table_[hash & mask_], 1);
      }
    }
  }
  BigArray<uint32_t> table_;
  size_t mask_ = 0, count_ = 0;
  unsigned indexBits_ = 16;
};

constexpr size_t kMaxSamples = 4096;  // bounded history per user and aggregate
// Per-user bounds a journey cannot push past, however it is written: a list
// property that `add` grows on every re-entry keeps its newest entries, and
// text built by templates is cut at a size no channel accepts anyway.
constexpr size_t kMaxProfileList = 1000;
constexpr size_t kMaxText = 64 * 1024;
// What a problem about a list or map beyond kMaxValueDepth or kMaxValueNodes starts with.
std::string ValueTooLarge() {
  return "a journey built a list or map nested deeper than " + std::to_string(kMaxValueDepth) + " levels or holding more than " +
         std::to_string(kMaxValueNodes) + " values";
}

struct Loaded {
  bc::Module module;
  JourneyStats stats;
  std::vector<Builtin> functions, filters;
  std::string versionHex;
  std::vector<SendLineText> sendLines;  // per send site, for Engine::sendLinesTo
  Zone zone;
  int64_t nextEntryRun = INT64_MAX;  // scheduled past-behaviour entry
  int64_t nextGoalRun = INT64_MAX;   // daily past-behaviour goal evaluation
  // Versions: every version of one journey shares a family (and so the
  // users' slots: one run at a time across versions). Only the family's
  // newest version takes new entrants; a retired one keeps running the
  // users already in it.
  uint16_t family = 0;
  bool retired = false;
  // Some goal's condition reads the entry event (entry.x): users held at the
  // end keep their entry properties only then.
  bool goalsReadEntry = false;
  // The statistics as they stood at the start and at local midnights since
  // (the gauges aside), oldest first: the figures of any run of days are
  // the difference of two of them (Engine::statsForDays). A mark is taken
  // lazily, by the first work after a midnight (Impl::markDays), for that
  // midnight: nothing has changed the counters since. Quiet days take no
  // mark, so a clock moved years ahead costs nothing.
  std::vector<std::pair<int64_t, JourneyStats>> dayMarks;
  int64_t nextDayMark = INT64_MAX;  // the first midnight not marked yet
  Engine::Lifecycle state = Engine::Lifecycle::Live;  // shared by the family's versions
  // Stopped or archived: no entries, no movement, no sends.
  bool halted() const { return state == Engine::Lifecycle::Stopped || state == Engine::Lifecycle::Archived; }
};

// Whether a goal's condition reads the entry event's properties. A
// predicate's code runs from its pc to the next predicate's (or the end).
bool GoalsReadEntry(const bc::Module& m) {
  std::vector<uint32_t> starts;
  for (const bc::Predicate& p : m.predicates) starts.push_back(p.pc);
  std::sort(starts.begin(), starts.end());
  for (const bc::Goal& g : m.goals) {
    if (g.predicate >= m.predicates.size()) return true;  // the verifier keeps this from happening; keep the properties
    uint32_t from = m.predicates[g.predicate].pc;
    auto next = std::upper_bound(starts.begin(), starts.end(), from);
    size_t to = next == starts.end() ? m.code.size() : *next;
    for (size_t pc = from; pc < to && pc < m.code.size(); ++pc)
      if (m.code[pc].op == bc::Op::EntryProp) return true;
  }
  return false;
}

// Instructions after which a user can be suspended (resume pcs follow them).
bool Suspends(bc::Op op) {
  switch (op) {
    case bc::Op::WaitFor:
    case bc::Op::WaitUntil:
    case bc::Op::WaitUntilTime:
    case bc::Op::AwaitEvent:
    case bc::Op::AwaitInaction:
    case bc::Op::AwaitDaily:
    case bc::Op::AwaitStatus:
    case bc::Op::Send:  // a send held by DND or a fixed time
      return true;
    default: return false;
  }
}

// Entry-event properties kept per instance, packed into one string: for
// each of the module's entry properties in order, a tag byte, then 1 byte
// (bool), 8 (number) or a varint length and the bytes (text; lists and maps
// keep their text form). A few dozen bytes an instance, where a vector of
// named owned values cost hundreds.
//
// PackedScalarSize and PackScalar pack a value that is not a list or map
// (null: nil) at `dst`, which has PackedScalarSize(v) bytes: an instance's
// blob is packed in place. PackValue appends any value to `out`.
size_t PackedScalarSize(const Value* v) {
  if (!v) return 1;
  switch (v->tag) {
    case Value::Bool: return 2;
    case Value::Number: return 1 + sizeof(double);
    case Value::String: {
      size_t n = 2;  // the tag and the length's last byte
      for (size_t len = v->text.size(); len >= 0x80; len >>= 7) ++n;
      return n + v->text.size();
    }
    default: return 1;
  }
}
char* PackScalar(char* dst, const Value* v) {
  Value::Tag tag = v ? v->tag : Value::Nil;
  *dst++ = static_cast<char>(tag);
  if (tag == Value::Bool) *dst++ = static_cast<char>(v->boolean);
  if (tag == Value::Number) {
    std::memcpy(dst, &v->number, sizeof(double));
    dst += sizeof(double);
  }
  if (tag == Value::String) {
    size_t len = v->text.size();
    for (; len >= 0x80; len >>= 7) *dst++ = static_cast<char>((len & 0x7F) | 0x80);
    *dst++ = static_cast<char>(len);
    if (!v->text.empty()) std::memcpy(dst, v->text.data(), v->text.size());
    dst += v->text.size();
  }
  return dst;
}
void PackValue(std::string& out, const Value* v) {
  std::string text;  // lists and maps are kept as their text
  Value asText;
  if (v && (v->tag == Value::List || v->tag == Value::Map)) {
    text = ToText(*v);
    asText = Value::Str(text);
    v = &asText;
  }
  size_t at = out.size();
  out.resize(at + PackedScalarSize(v));
  PackScalar(out.data() + at, v);
}

// The k-th packed value of `blob` (views into it), nil past the end.
Value UnpackValue(std::string_view blob, size_t k) {
  size_t at = 0;
  for (size_t field = 0; at < blob.size(); ++field) {
    Value v;
    v.tag = static_cast<Value::Tag>(blob[at++]);
    if (v.tag == Value::Bool) v.boolean = blob[at++] != 0;
    if (v.tag == Value::Number) {
      std::memcpy(&v.number, blob.data() + at, sizeof(double));
      at += sizeof(double);
    }
    if (v.tag == Value::String) {
      size_t n = 0;
      for (int shift = 0;; shift += 7) {
        unsigned char b = static_cast<unsigned char>(blob[at++]);
        n |= static_cast<size_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) break;
      }
      v.text = blob.substr(at, n);
      at += n;
    }
    if (field == k) return v;
  }
  return Value{};
}

// [first, last) of node n's code: up to the next node or predicate.
std::pair<uint32_t, uint32_t> NodeCode(const bc::Module& m, size_t n) {
  uint32_t first = m.nodes[n].pc, last = static_cast<uint32_t>(m.code.size());
  for (const bc::NodeInfo& o : m.nodes)
    if (o.pc > first) last = std::min(last, o.pc);
  for (const bc::Predicate& p : m.predicates)
    if (p.pc > first) last = std::min(last, p.pc);
  return {first, last};
}

}  // namespace

struct Engine::Impl {
  Impl(std::vector<bc::Module> modules, OutboxSink sink, EngineOptions opts) : outbox(std::move(sink)), options(opts) {
    for (bc::Module& m : modules) {
      Loaded l = load(std::move(m));
      l.family = static_cast<uint16_t>(journeys.size());
      journeys.push_back(std::move(l));
    }
    families = journeys.size();
    rebuildTriggers();
  }

  // A verified module made ready to run: stats sized, builtins resolved,
  // its zone read.
  Loaded load(bc::Module m) {
    Loaded l;
    l.module = std::move(m);
    l.stats.goalMet.assign(l.module.goals.size(), 0);
    l.goalsReadEntry = GoalsReadEntry(l.module);
    l.stats.nodes.resize(l.module.nodes.size());
    for (size_t i = 0; i < l.module.nodes.size(); ++i) l.stats.nodes[i].exitsByPath.assign(l.module.nodes[i].paths.size(), 0);
    for (const bc::SendSite& site : l.module.sends) l.stats.nodes[site.node].statuses.assign(site.statuses.size(), 0);
    for (const bc::Callable& c : l.module.functions) l.functions.push_back(FindFunction(l.module.str(c.name), c.arity));
    for (const bc::Callable& c : l.module.filters) l.filters.push_back(FindFilter(l.module.str(c.name), c.arity));
    char hex[20];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, l.module.structuralHash);
    l.versionHex = hex;
    const bc::Module& lm = l.module;
    for (const bc::SendSite& site : lm.sends) {
      std::vector<std::string_view> keys;
      for (uint32_t field : site.fields) keys.push_back(lm.str(field));
      l.sendLines.push_back(MakeSendLineText(lm.str(lm.name), lm.structuralHash, lm.str(lm.nodes[site.node].name), lm.str(site.channel), keys));
    }
    std::string zoneError;
    if (!l.zone.load(l.module.str(l.module.timezone), zoneError)) problem(zoneError + "; using UTC");
    anyLimits = anyLimits || !l.module.limits.empty();
    return l;
  }

  // The journeys node n of journey j triggers: the user enters them once the
  // current run is over (they share registers). The product's rule: a user
  // qualifies when qualified for the other journey's node; for a message,
  // "users who were sent the push" (seed 002), so a send node triggers when
  // its message goes out, now or when a DND window ends, and not when it is
  // suppressed; any other node on arrival.
  void queueTriggers(size_t j, uint16_t n, uint32_t user) {
    if (triggers.empty()) return;
    auto t = triggers.find({j, n});
    if (t != triggers.end())
      for (size_t target : t->second) pendingTriggers.push_back({user, target});
  }

  // Which journeys a node's users also enter: (journey, node) → the current
  // version of each journey whose entry names that node.
  void rebuildTriggers() {
    triggers.clear();
    for (size_t target = 0; target < journeys.size(); ++target) {
      const bc::Module& t = journeys[target].module;
      if (journeys[target].retired || t.entry.kind != bc::EntryKind::JourneyTrigger) continue;
      bool found = false;
      for (size_t j = 0; j < journeys.size(); ++j) {
        const bc::Module& m = journeys[j].module;
        if (m.str(m.name) != t.str(t.entry.journey)) continue;
        for (size_t n = 0; n < m.nodes.size(); ++n)
          if (m.str(m.nodes[n].name) == t.str(t.entry.node)) {
            triggers[{j, static_cast<uint16_t>(n)}].push_back(target);
            found = true;
          }
      }
      if (!found)
        problem("journey \"" + t.str(t.name) + "\" is triggered by node " + t.str(t.entry.node) + " of journey \"" +
                t.str(t.entry.journey) + "\", which is not running here");
    }
    for (size_t j = 0; j < journeys.size(); ++j)
      for (size_t i = 0; i < journeys[j].functions.size(); ++i)
        if (!journeys[j].functions[i]) problem("journey \"" + name(j) + "\" uses unknown builtin " + journeys[j].module.str(journeys[j].module.functions[i].name));
  }

  // ------------------------------------------------------------ helpers
  const std::string& name(size_t j) const { return journeys[j].module.str(journeys[j].module.name); }
  void problem(const std::string& p) {
    if (std::find(problems.begin(), problems.end(), p) == problems.end()) problems.push_back(p);
  }

  // The user's id; valid until the next user is added (the arrays may move).
  std::string_view idOf(uint32_t user) const {
    const uint64_t& ref = users[user].idRef;
    if (ref & kInlineId) return std::string_view(reinterpret_cast<const char*>(&ref), (ref >> 56) & 0x7F);
    return std::string_view(userIdBytes.data(), userIdBytes.size()).substr(ref >> kIdLengthBits, ref & kMaxUserIdBytes);
  }
  // Appends a new user with id `id` (at most kMaxUserIdBytes: callers check).
  void addUser(std::string_view id) {
    if (id.size() <= kMaxInlineIdBytes) {
      uint64_t ref = kInlineId | uint64_t{id.size()} << 56;
      if (!id.empty()) std::memcpy(&ref, id.data(), id.size());  // the low bytes: the length byte stays (an empty view may have no data)
      users.push_back(User{ref, nullptr, Slot{}});
      return;
    }
    users.push_back(User{static_cast<uint64_t>(userIdBytes.size()) << kIdLengthBits | id.size(), nullptr, Slot{}});
    userIdBytes.append(id.data(), id.size());
  }
  // `hash` is UserIdHash(id), or 0 when the caller does not have it.
  uint32_t userIndex(std::string_view id, uint64_t hash = 0) {
    auto idOf = [this](uint32_t u) { return this->idOf(u); };
    if (!hash) hash = UserIndex::HashOf(id);
    uint32_t found = userIds.find(id, hash, idOf);
    if (found != UserIndex::kMissing) return found;
    uint32_t index = static_cast<uint32_t>(users.size());
    addUser(id);
    moreSlots.resize(moreSlots.size() + moreSlotsPerUser());
    userIds.insert(index, hash, idOf);
    return index;
  }
  // Hints are loaded in four stages, a few hints apart, so each stage
  // reads memory the previous one asked for early enough to have arrived:
  // the index entry; then the user record and slots; then the id bytes and
  // the instances the slots point to; then the instances' kept entry
  // properties (read by templates and conditions, and by the blob store
  // when the instance exits, e.g. at a goal).
  static constexpr uint32_t kHintRing = 32, kHintLag = 6;
  struct Hint {
    uint64_t hash = 0;
    uint32_t user = UserIndex::kMissing;
  };
  Hint hints[kHintRing];
  uint32_t hintAt = 0;
  void prefetchUser(std::string_view id, uint64_t hash) {
    if (!hash) hash = UserIndex::HashOf(id);
    userIds.prefetch(hash);
    Hint& fresh = hints[hintAt % kHintRing];
    fresh = Hint{hash, UserIndex::kMissing};
    Hint& second = hints[(hintAt - kHintLag) % kHintRing];
    if (second.hash && (second.user = userIds.peek(second.hash)) != UserIndex::kMissing) {
      __builtin_prefetch(&users[second.user]);  // and its first slot
      if (families > 1) __builtin_prefetch(&slotAt(second.user, 1));
    }
    const Hint& third = hints[(hintAt - 2 * kHintLag) % kHintRing];
    if (third.user != UserIndex::kMissing && third.user < users.size()) {
      uint64_t ref = users[third.user].idRef;
      if (!(ref & kInlineId)) __builtin_prefetch(userIdBytes.data() + (ref >> kIdLengthBits));
      for (size_t f = 0; f < families; ++f) {
        uint32_t id = slotAt(third.user, f).instance;
        if (id < instances.size()) __builtin_prefetch(&instances[id]);
      }
    }
    const Hint& fourth = hints[(hintAt - 3 * kHintLag) % kHintRing];
    if (fourth.user != UserIndex::kMissing && fourth.user < users.size()) {
      for (size_t f = 0; f < families; ++f) {
        uint32_t id = slotAt(fourth.user, f).instance;
        if (id >= instances.size()) continue;
        uint32_t props = instances[id].entryProps;
        if (props != kNone && entryBlobs.inside(props)) __builtin_prefetch(entryBlobs.address(props));
      }
    }
    ++hintAt;
  }

  // Timers about to fire, in two stages a few timers apart like the hints:
  // the instance; then, read from it, the user's record, slot and kept
  // entry properties.
  uint32_t soon[kHintRing];
  uint32_t soonAt = 0;
  const Instance* soonInstance(uint32_t lag) const {
    uint32_t id = soon[(soonAt - lag) % kHintRing];
    if (soonAt < lag || id >= instances.size()) return nullptr;
    const Instance& in = instances[id];
    return in.live && in.user < users.size() && in.journey < journeys.size() ? &in : nullptr;
  }
  void prefetchTimer(uint32_t id) {
    ++soonAt;
    soon[soonAt % kHintRing] = id;
    if (id < instances.size()) __builtin_prefetch(&instances[id]);
    if (const Instance* in = soonInstance(kHintLag)) {
      __builtin_prefetch(&users[in->user]);
      __builtin_prefetch(&slotOf(in->user, in->journey));
      if (in->entryProps != kNone && entryBlobs.inside(in->entryProps)) {
        const char* blob = static_cast<const char*>(entryBlobs.address(in->entryProps));
        __builtin_prefetch(blob);
        __builtin_prefetch(blob + 64);
      }
    }
  }

  // Reserves room for `n` users' records, instances and timers (see
  // Engine::expectUsers). At most kExpectMax: a guess from a huge file must
  // not ask for more address space than the machine would lend.
  static constexpr size_t kExpectMax = size_t{1} << 24;
  size_t expectedUsers = 0;  // the hint, kept for the wheel that start() makes
  void expectUsers(size_t n) {
    expectedUsers = std::min(n, kExpectMax);
    try {
      users.reserve(expectedUsers);
      instances.reserve(expectedUsers);
      userIds.reserve(expectedUsers);
    } catch (const std::bad_alloc&) {
      // a hint only: the arrays grow as they would have
    }
    reserveTimers();
  }
  void reserveTimers() {
    if (expectedUsers == 0) return;
    try {
      wheel.reserve(expectedUsers);
    } catch (const std::bad_alloc&) {
    }
  }
  // A user's slot in journey family f: the first in the user's record,
  // the others in moreSlots (users × (families - 1)).
  Slot& slotAt(uint32_t user, size_t f) { return f == 0 ? users[user].firstSlot : moreSlots[user * moreSlotsPerUser() + f - 1]; }
  const Slot& slotAt(uint32_t user, size_t f) const {
    return f == 0 ? users[user].firstSlot : moreSlots[user * moreSlotsPerUser() + f - 1];
  }
  size_t moreSlotsPerUser() const { return families > 1 ? families - 1 : 0; }
  // A user's slot in (any version of) journey j.
  Slot& slotOf(uint32_t user, size_t j) { return slotAt(user, journeys[j].family); }
  const Slot& slotOf(uint32_t user, size_t j) const { return slotAt(user, journeys[j].family); }
  UserData& dataOf(uint32_t user) {
    std::unique_ptr<UserData>& d = users[user].data;
    if (!d) d = std::make_unique<UserData>();
    return *d;
  }
  // Where property number k is, or would go, in a sorted profile.
  template <typename Profile>
  static auto PropertyAt(Profile& profile, uint32_t k) {
    return std::lower_bound(profile.begin(), profile.end(), k, [](const UserData::Property& p, uint32_t n) { return p.key < n; });
  }
  // Read-only profile lookup that creates nothing.
  const ProfileValue* profileValue(uint32_t user, std::string_view key) const {
    const UserData* d = users[user].data.get();
    if (!d) return nullptr;
    auto id = profileKeyIds.find(key);
    if (id == profileKeyIds.end()) return nullptr;
    auto it = PropertyAt(d->profile, id->second);
    return it != d->profile.end() && it->key == id->second ? &it->value : nullptr;
  }
  // The user's property `key`, made (null) when missing.
  ProfileValue& profileSlot(uint32_t user, std::string_view key) {
    uint32_t k;
    auto id = profileKeyIds.find(key);
    if (id != profileKeyIds.end()) {
      k = id->second;
    } else {
      k = static_cast<uint32_t>(profileKeys.size());
      profileKeys.emplace_back(key);
      profileKeyIds.emplace(profileKeys.back(), k);
    }
    std::vector<UserData::Property>& profile = dataOf(user).profile;
    auto it = PropertyAt(profile, k);
    if (it == profile.end() || it->key != k) it = profile.insert(it, UserData::Property{k, {}});
    return it->value;
  }

  uint32_t newInstance() {
    uint32_t id;
    if (!freeList.empty()) {
      id = freeList.back();
      freeList.pop_back();
    } else {
      id = static_cast<uint32_t>(instances.size());
      instances.emplace_back();
    }
    uint32_t gen = instances[id].generation + 1;
    instances[id] = Instance{};
    instances[id].generation = gen;
    instances[id].live = true;
    ++active;
    return id;
  }

  void release(uint32_t id) {
    Instance& in = instances[id];
    in.live = false;
    in.generation++;  // cancels any timer
    deferred.erase(id);  // a user who leaves (goal, timeout) is not messaged after
    if (in.entryProps != kNone) {
      entryBlobs.remove(in.entryProps);
      in.entryProps = kNone;
    }
    freeList.push_back(id);
    --active;
  }

  void schedule(uint32_t id) {
    Instance& in = instances[id];
    const bc::Module& m = journeys[in.journey].module;
    int64_t due = in.waitDeadline;
    if (in.wait == WaitKind::Inaction && in.phase == 1) due = due ? std::min(due, in.phaseDeadline) : in.phaseDeadline;
    if (in.wait == WaitKind::PreEntry) due = in.phaseDeadline;
    if (m.timeoutSeconds && in.wait != WaitKind::PreEntry) {
      int64_t end = in.enteredAt + m.timeoutSeconds;
      due = due ? std::min(due, end) : end;
    }
    if (due) wheel.schedule(id, in.generation, due);
  }

  // ------------------------------------------------------------ lifecycle
  void finish(uint32_t id, Outcome outcome, int goal = -1) {
    Instance& in = instances[id];
    Loaded& l = journeys[in.journey];
    if (in.wait == WaitKind::AtEnd) l.stats.atEnd--;
    else if (in.wait != WaitKind::None && in.wait != WaitKind::PreEntry) l.stats.nodes[in.node].waiting--;
    switch (outcome) {
      case Outcome::Completed: l.stats.completed++; break;
      case Outcome::ForcedExit: l.stats.forcedExit++; break;
      case Outcome::GoalMet:
        l.stats.goalMet[static_cast<size_t>(goal)]++;
        l.stats.nodes[in.node].goalExits++;
        break;
      case Outcome::TimedOut:
        l.stats.timedOut++;
        l.stats.nodes[in.node].timeoutExits++;
        break;
      case Outcome::Runaway: l.stats.forcedExit++; break;
      case Outcome::Dropped: break;
    }
    if (outcome != Outcome::Dropped) {
      // A restored or clamped clock never runs backwards, but a stay is
      // never negative whatever the instance says.
      uint64_t stay = wheel.now() > in.enteredAt ? static_cast<uint64_t>(wheel.now() - in.enteredAt) : 0;
      l.stats.left++;
      l.stats.secondsInside += stay;
      if (outcome == Outcome::GoalMet || outcome == Outcome::Completed) l.stats.secondsToConvert += stay;
    }
    uint32_t user = in.user;
    uint16_t family = l.family;
    bool replan = outcome != Outcome::Dropped && l.module.entry.kind == bc::EntryKind::DateProperty;
    Slot& slot = slotOf(user, in.journey);
    slot.instance = kNone;
    if (outcome != Outcome::Dropped) slot.lastExit = wheel.now();
    release(id);
    // Leaving a date-property journey plans the next entry: the property
    // may have moved ahead while the user was inside (renewed during the
    // renewal reminders), and identify could not plan it then.
    if (replan)
      for (size_t j = 0; j < journeys.size(); ++j)
        if (journeys[j].family == family) planDateEntry(user, j);
  }

  // A user of a journey with goals who reached `end`: still inside (goals
  // are checked, re-entry waits), with only the journey timeout to come.
  void holdAtEnd(uint32_t id) {
    Instance& in = instances[id];
    Loaded& l = journeys[in.journey];
    l.stats.atEnd++;
    // No more of the journey's code runs for them: only a goal that reads
    // entry.x needs the kept properties (many users may wait here for days).
    if (!l.goalsReadEntry && in.entryProps != kNone) {
      entryBlobs.remove(in.entryProps);
      in.entryProps = kNone;
    }
    in.wait = WaitKind::AtEnd;
    in.waitDeadline = 0;
    in.windowEnd = 0;
    in.generation++;
    schedule(id);
  }

  // Whether the user may start a run of journey j at `at`: now for most
  // entries; a date-property entry is planned ahead and judged at its own
  // instant (a cool-down that will be over by then does not refuse it).
  bool mayEnter(uint32_t user, size_t j, int64_t at) const {
    if (journeys[j].state != Engine::Lifecycle::Live) return false;  // paused, stopped: no new entrants
    const Slot& s = slotOf(user, j);
    if (s.instance != kNone) return false;  // re-entry only after exit
    const bc::Module& m = journeys[j].module;
    if (s.runs == 0) return true;
    switch (m.reentry) {
      case bc::Reentry::Never: return false;
      case bc::Reentry::Always: return true;
      case bc::Reentry::After: {
        // The exit may be "never" (INT64_MIN, from a snapshot) or any time a
        // damaged one says: a difference that overflows is an exit far away.
        int64_t since;
        if (__builtin_sub_overflow(at, s.lastExit, &since)) return s.lastExit < at;
        return since >= m.reentrySeconds;
      }
    }
    return false;
  }
  bool mayEnter(uint32_t user, size_t j) const { return mayEnter(user, j, wheel.now()); }

  void keepEntryProps(uint32_t id, const Event* e) {
    Instance& in = instances[id];
    const bc::Module& m = journeys[in.journey].module;
    const std::vector<uint32_t>& props = m.entry.entryProperties;
    if (!e || props.empty()) return;
    // Scalars (nearly always) are sized first and packed straight into
    // their blob; a list or map is packed as its text through a buffer.
    constexpr size_t kInPlace = 16;
    const Value* found[kInPlace];
    size_t bytes = 0;
    bool inPlace = props.size() <= kInPlace;
    for (size_t k = 0; k < props.size() && inPlace; ++k) {
      found[k] = e->property(m.str(props[k]));
      if (found[k] && (found[k]->tag == Value::List || found[k]->tag == Value::Map)) inPlace = false;
      bytes += PackedScalarSize(found[k]);
    }
    if (!inPlace) {
      packScratch.clear();
      for (uint32_t p : props) PackValue(packScratch, e->property(m.str(p)));
      in.entryProps = entryBlobs.add(packScratch);
      return;
    }
    // Short ones are packed on the stack and shared when another instance
    // kept the same (vm/entry_props.h); long ones straight into their own.
    if (bytes <= EntryPropsStore::kPoolableBytes) {
      char packed[EntryPropsStore::kPoolableBytes];
      char* at = packed;
      for (size_t k = 0; k < props.size(); ++k) at = PackScalar(at, found[k]);
      in.entryProps = entryBlobs.add(std::string_view(packed, bytes));
      return;
    }
    BlobStore::Made blob = entryBlobs.makeUnshared(bytes);
    char* at = blob.bytes;
    for (size_t k = 0; k < props.size(); ++k) at = PackScalar(at, found[k]);
    in.entryProps = blob.handle;
  }

  // The entry property named `name` of an instance of module m.
  Value entryProperty(const bc::Module& m, const Instance& in, std::string_view name) const {
    if (in.entryProps == kNone) return Value{};
    const std::vector<uint32_t>& props = m.entry.entryProperties;
    for (size_t k = 0; k < props.size(); ++k)
      if (m.str(props[k]) == name) return UnpackValue(entryBlobs.get(in.entryProps), k);
    return Value{};
  }
  // The same for the name that is string `name` of m: the compiler writes
  // each string once, so the number nearly always matches without
  // comparing text (a module from elsewhere may repeat a string).
  Value entryProperty(const bc::Module& m, const Instance& in, uint32_t name) const {
    if (in.entryProps == kNone) return Value{};
    const std::vector<uint32_t>& props = m.entry.entryProperties;
    for (size_t k = 0; k < props.size(); ++k)
      if (props[k] == name) return UnpackValue(entryBlobs.get(in.entryProps), k);
    return entryProperty(m, in, m.str(name));
  }

  // Re-packs an instance's entry properties for module `to` (after a deploy).
  void repackEntryProps(Instance& in, const bc::Module& from, const bc::Module& to) {
    if (in.entryProps == kNone) return;
    std::string blob;
    for (uint32_t p : to.entry.entryProperties) {
      Value v = entryProperty(from, in, to.str(p));
      PackValue(blob, v.tag == Value::Nil ? nullptr : &v);
    }
    uint32_t old = in.entryProps;
    in.entryProps = entryBlobs.add(blob);
    entryBlobs.remove(old);
  }

  // The user qualifies: a new run starts at the start node.
  void enter(uint32_t user, size_t j, const Event* e) {
    uint32_t id = newInstance();
    Instance& in = instances[id];
    in.user = user;
    in.journey = static_cast<uint16_t>(j);
    in.enteredAt = wheel.now();
    Slot& slot = slotOf(user, j);
    ++slot.runs;
    slot.instance = id;
    keepEntryProps(id, e);
    journeys[j].stats.entered++;
    const bc::Module& m = journeys[j].module;
    instances[id].pc = m.nodes[m.start].pc;
    run(id, nullptr, Value{});
  }

  // ------------------------------------------------------------ predicates
  bool evalPredicate(size_t j, uint32_t pred, uint32_t user, const Event* e, const Instance* in = nullptr) {
    const bc::Module& m = journeys[j].module;
    Value r = exec(j, m.predicates[pred].pc, user, e, in, nullptr);
    return r.truthy();
  }

  static bool MentionsEvent(const bc::Module& m, const bc::Predicate& p, std::string_view name) {
    for (uint32_t e : p.events)
      if (m.str(e) == name) return true;
    return false;
  }

  double aggregateValue(const bc::Module& m, const bc::AggregateSpec& a, const std::deque<Sample>* samples) const {
    int64_t from = a.seconds ? wheel.now() - a.seconds : INT64_MIN;
    double count = 0, sum = 0, mn = INFINITY, mx = -INFINITY;
    if (samples)
      for (const Sample& s : *samples) {
        if (s.time < from) continue;
        count++;
        sum += s.value;
        mn = std::min(mn, s.value);
        mx = std::max(mx, s.value);
      }
    (void)m;
    switch (a.kind) {
      case bc::AggregateKind::Exists:
      case bc::AggregateKind::Count: return count;
      case bc::AggregateKind::Sum: return sum;
      case bc::AggregateKind::Avg: return count ? sum / count : 0;
      case bc::AggregateKind::Min: return count ? mn : 0;
      case bc::AggregateKind::Max: return count ? mx : 0;
    }
    return 0;
  }

  static bool CompareHolds(bc::Compare c, double a, double b) {
    switch (c) {
      case bc::Compare::Eq: return a == b;
      case bc::Compare::Ne: return a != b;
      case bc::Compare::Lt: return a < b;
      case bc::Compare::Le: return a <= b;
      case bc::Compare::Gt: return a > b;
      case bc::Compare::Ge: return a >= b;
    }
    return false;
  }

  // Records the event in every aggregate of every journey that counts it.
  void recordAggregates(uint32_t user, const Event& e) {
    for (size_t j = 0; j < journeys.size(); ++j) {
      const bc::Module& m = journeys[j].module;
      for (size_t a = 0; a < m.aggregates.size(); ++a) {
        const bc::AggregateSpec& spec = m.aggregates[a];
        if (m.str(spec.event) != e.name) continue;
        if (spec.where >= 0 && !evalPredicate(j, static_cast<uint32_t>(spec.where), user, &e)) continue;
        double v = 1;
        if (spec.kind >= bc::AggregateKind::Sum) {
          const Value* p = e.property(m.str(spec.property));
          if (!p || p->tag != Value::Number) continue;
          v = p->number;
        }
        auto& buf = dataOf(user).aggregates[(static_cast<uint64_t>(j) << 32) | a];
        buf.push_back({e.time, v});
        int64_t horizon = spec.seconds ? e.time - spec.seconds : INT64_MIN;
        while (!buf.empty() && (buf.front().time < horizon || buf.size() > kMaxSamples)) buf.pop_front();
      }
    }
  }

  // ------------------------------------------------------------ interpreter
  // Runs predicate code from `pc` and returns its result (no suspension).
  Value exec(size_t j, uint32_t pc, uint32_t user, const Event* e, const Instance* in, uint32_t* budgetLeft);

  void run(uint32_t id, const Event* e, Value resume);
  // One computing instruction (shared by predicates and journey code).
  // Inlined into run and exec: a call per instruction, with its own switch
  // behind run's, was ~3% of a promotion's instructions.
  [[gnu::always_inline]] inline bool step(size_t j, const bc::Instr& i, Value* R, uint32_t user, const Event* e, const Instance* in);

  // ------------------------------------------------------------ routing
  void process(const Event& e) {
    advanceTo(e.time);
    markDays(wheel.now());
    arena.clear();
    if (e.user.size() > kMaxUserIdBytes) {
      problem("an event's user id is longer than " + std::to_string(kMaxUserIdBytes) + " bytes: event ignored");
      return;
    }
    uint32_t user = userIndex(e.user, e.userHash);
    if (e.type == Event::Identify) {
      // Room for all the traits at once, not by doubling (8 slots for 5);
      // growing by half at least, so traits set one call at a time do not
      // copy the profile on every call.
      std::vector<UserData::Property>& profile = dataOf(user).profile;
      if (profile.capacity() < profile.size() + e.properties.size())
        profile.reserve(std::max(profile.size() + e.properties.size(), profile.size() * 3 / 2));
      for (const auto& [k, v] : e.properties) profileSlot(user, k) = ProfileValue::From(v);
      scheduleDateEntries(user);
      return;
    }
    recordAggregates(user, e);
    bool status = e.name == kMessageStatusEvent;
    if (status) countStatus(e);
    for (size_t j = 0; j < journeys.size(); ++j) {
      Loaded& l = journeys[j];
      const bc::Module& m = l.module;
      uint32_t id = slotOf(user, j).instance;
      if (id != kNone) {
        Instance& in = instances[id];
        if (in.journey != j) continue;  // inside another version of this journey
        if (l.halted()) continue;  // frozen
        if (in.wait == WaitKind::PreEntry) {
          // Inaction entry in its absence period: the absent event cancels it.
          // (A date-property entry also waits here, with nothing to cancel it.)
          if (m.entry.kind != bc::EntryKind::Inaction) continue;
          const bc::InactionSpec& s = m.inactions[static_cast<size_t>(m.entry.inaction)];
          if (MentionsEvent(m, m.predicates[s.absent], e.name) && evalPredicate(j, s.absent, user, &e)) finish(id, Outcome::Dropped);
          continue;
        }
        // Action goals exit the user at once, whatever the user waits for.
        bool exited = false;
        for (size_t g = 0; g < m.goals.size() && !exited; ++g) {
          const bc::Goal& goal = m.goals[g];
          if (goal.kind != bc::GoalKind::Action || !MentionsEvent(m, m.predicates[goal.predicate], e.name)) continue;
          if (evalPredicate(j, goal.predicate, user, &e, &in)) {
            finish(id, Outcome::GoalMet, static_cast<int>(g));
            exited = true;
          }
        }
        if (exited) continue;
        deliver(id, e, status);
        continue;
      }
      // Entry criteria (only the newest version takes new entrants).
      if (status || l.retired) continue;
      if (m.entry.kind == bc::EntryKind::Action && m.entry.predicate >= 0) {
        const bc::Predicate& p = m.predicates[static_cast<size_t>(m.entry.predicate)];
        if (MentionsEvent(m, p, e.name) && mayEnter(user, j) && evalPredicate(j, static_cast<uint32_t>(m.entry.predicate), user, &e))
          enter(user, j, &e);
      } else if (m.entry.kind == bc::EntryKind::Inaction) {
        const bc::InactionSpec& s = m.inactions[static_cast<size_t>(m.entry.inaction)];
        if (MentionsEvent(m, m.predicates[s.first], e.name) && mayEnter(user, j) && evalPredicate(j, s.first, user, &e)) {
          // Not in yet: the user qualifies if the absent event does not come in time.
          uint32_t nid = newInstance();
          Instance& in = instances[nid];
          in.user = user;
          in.journey = static_cast<uint16_t>(j);
          in.wait = WaitKind::PreEntry;
          in.phaseDeadline = wheel.now() + s.within;
          slotOf(user, j).instance = nid;
          keepEntryProps(nid, &e);
          schedule(nid);
        }
      }
    }
  }

  void processAndDrain(const Event& e) {
    process(e);
    drainTriggers();
  }

  // A message status counts at the send node its message id names, in the
  // journey version that sent it, whether or not the user is still in the
  // journey; a status the node's channel does not have, `suppressed` (the
  // engine's own outcome, counted when it suppresses), or an id that is not
  // one of ours, counts nowhere.
  void countStatus(const Event& e) {
    const Value* mid = e.property("message_id");
    const Value* st = e.property("status");
    MessageIdParts parts;
    if (!mid || !st || mid->tag != Value::String || st->tag != Value::String || st->text == "suppressed" ||
        !SplitMessageId(mid->text, parts))
      return;
    for (Loaded& l : journeys) {
      if (l.versionHex != parts.version) continue;
      const bc::Module& m = l.module;
      for (const bc::SendSite& site : m.sends) {
        if (m.str(m.nodes[site.node].name) != parts.node) continue;
        for (size_t k = 0; k < site.statuses.size(); ++k)
          if (m.str(site.statuses[k]) == st->text) {
            l.stats.nodes[site.node].statuses[k]++;
            break;
          }
        return;
      }
    }
  }

  // An event for a user's running instance: resume it if it is what it waits for.
  void deliver(uint32_t id, const Event& e, bool status) {
    Instance& in = instances[id];
    size_t j = in.journey;
    const bc::Module& m = journeys[j].module;
    switch (in.wait) {
      case WaitKind::Event:
        if (!status && !windowClosed(in) && MentionsEvent(m, m.predicates[in.arg], e.name) && evalPredicate(j, in.arg, in.user, &e, &in))
          resumeWith(id, &e, Value::Of(true));
        break;
      case WaitKind::Inaction: {
        const bc::InactionSpec& s = m.inactions[in.arg];
        if (status || windowClosed(in)) break;
        if (in.phase == 0) {
          if (MentionsEvent(m, m.predicates[s.first], e.name) && evalPredicate(j, s.first, in.user, &e, &in)) {
            in.phase = 1;
            in.phaseDeadline = wheel.now() + s.within;
            in.generation++;
            schedule(id);
          }
        } else if (MentionsEvent(m, m.predicates[s.absent], e.name) && evalPredicate(j, s.absent, in.user, &e, &in)) {
          in.phase = 0;  // they did it after all: wait for the first event again
          in.phaseDeadline = 0;
          in.generation++;
          schedule(id);
        }
        break;
      }
      case WaitKind::Status: {
        if (!status || windowClosed(in)) break;
        const Value* mid = e.property("message_id");
        const Value* st = e.property("status");
        if (!mid || !st || mid->tag != Value::String || st->tag != Value::String) break;
        if (!isMessageId(in, in.sendSeq, mid->text)) break;
        const bc::SendSite* site = lastSite(in);
        if (!site) break;
        for (size_t i = 0; i < site->statuses.size(); ++i)
          if ((in.arg & (1u << i)) && m.str(site->statuses[i]) == st->text) {
            resumeWith(id, &e, Value::Str(m.str(site->statuses[i])));
            break;
          }
        break;
      }
      default: break;
    }
  }

  const bc::SendSite* lastSite(const Instance& in) const {
    const bc::Module& m = journeys[in.journey].module;
    for (const bc::SendSite& s : m.sends)
      if (s.node == in.node) return &s;
    return nullptr;
  }

  // VERSION:NODE:USER:RUN:SEQ (vm/message_id.h) of the send at the
  // instance's node, written into `out` (its capacity reused).
  void messageId(const Instance& in, uint16_t seq, std::string& out) const {
    const Loaded& l = journeys[in.journey];
    std::string_view version = l.versionHex, node = l.module.str(l.module.nodes[in.node].name), user = idOf(in.user);
    // Written in place (one resize, no append per piece): a uint32_t run
    // and a uint16_t sequence number take at most 10 and 5 digits.
    out.resize(version.size() + node.size() + user.size() + 19);
    char* p = out.data();
    std::memcpy(p, version.data(), version.size());
    p += version.size();
    *p++ = ':';
    std::memcpy(p, node.data(), node.size());
    p += node.size();
    *p++ = ':';
    std::memcpy(p, user.data(), user.size());
    p += user.size();
    *p++ = ':';
    p = std::to_chars(p, p + 10, slotOf(in.user, in.journey).runs).ptr;
    *p++ = ':';
    p = std::to_chars(p, p + 5, static_cast<unsigned>(seq)).ptr;
    out.resize(static_cast<size_t>(p - out.data()));
  }
  bool isMessageId(const Instance& in, uint16_t seq, std::string_view id) {
    messageId(in, seq, idScratch);
    return idScratch == id;
  }

  void emit(const OutboxRecord& rec, Loaded& l, uint16_t node) {
    l.stats.sent++;
    l.stats.nodes[node].sent++;
    if (lines) WriteOutboxLine(*lines, rec);
    else if (outbox) outbox(rec);
  }

  void resumeWith(uint32_t id, const Event* e, Value v) {
    Instance& in = instances[id];
    journeys[in.journey].stats.nodes[in.node].waiting--;
    in.wait = WaitKind::None;
    in.generation++;  // its timer, if any, is void now
    run(id, e, v);
  }

  // A timer of instance `id` came due.
  void fire(uint32_t id, uint32_t generation) {
    Instance& in = instances[id];
    if (!in.live || in.generation != generation) return;  // cancelled or moved on
    const bc::Module& m = journeys[in.journey].module;
    int64_t now = wheel.now();
    if (journeys[in.journey].halted()) return;  // no movement, no sends
    if (in.wait == WaitKind::PreEntry && journeys[in.journey].state != Engine::Lifecycle::Live) {
      finish(id, Outcome::Dropped);  // would qualify now, but the journey takes no one new
      return;
    }
    if (in.wait == WaitKind::PreEntry) {
      uint32_t user = in.user;
      size_t j = in.journey;
      // Qualified: keep the kept entry properties by re-using the slot.
      in.wait = WaitKind::None;
      in.enteredAt = now;
      ++slotOf(user, j).runs;
      journeys[j].stats.entered++;
      in.pc = m.nodes[m.start].pc;
      run(id, nullptr, Value{});
      return;
    }
    if (m.timeoutSeconds && now >= in.enteredAt + m.timeoutSeconds) {
      finish(id, Outcome::TimedOut);
      return;
    }
    switch (in.wait) {
      case WaitKind::Timer: {
        auto d = deferred.find(id);
        if (d == deferred.end()) {
          resumeWith(id, nullptr, Value::Of(true));
          return;
        }
        OutboxRecord rec = std::move(d->second);
        deferred.erase(d);
        rec.time = now;
        emit(std::move(rec), journeys[in.journey], in.node);
        queueTriggers(in.journey, in.node, in.user);  // they start after this resumption
        resumeWith(id, nullptr, Value::Str("sent"));
        return;
      }
      case WaitKind::Event:
      case WaitKind::Status:
        if (in.waitDeadline && now >= in.waitDeadline)
          resumeWith(id, nullptr, in.wait == WaitKind::Status ? Value::Str("timeout") : Value::Of(false));
        return;
      case WaitKind::Inaction:
        if (in.phase == 1 && now >= in.phaseDeadline) {
          resumeWith(id, nullptr, Value::Of(true));
          return;
        }
        if (in.waitDeadline && now >= in.waitDeadline) resumeWith(id, nullptr, Value::Of(false));
        return;
      case WaitKind::Daily: {
        bool closed = in.phaseDeadline && now >= in.phaseDeadline;
        if (!closed && evalPredicate(in.journey, in.arg, in.user, nullptr, &in)) {
          resumeWith(id, nullptr, Value::Of(true));
        } else if (!in.phaseDeadline || closed) {
          resumeWith(id, nullptr, Value::Of(false));
        } else {
          in.waitDeadline = std::min(journeys[in.journey].zone.nextMidnight(now), in.phaseDeadline);
          in.generation++;
          schedule(id);
        }
        return;
      }
      default: return;
    }
  }

  // The wall clock of times of day for `user` in journey j: with `timezone
  // user`, the zone named by the profile's `timezone` trait (an IANA name)
  // when it has a valid one, else the journey's zone (the fallback).
  const Zone& zoneOf(size_t j, uint32_t user) {
    const Loaded& l = journeys[j];
    if (!l.module.userTimezone) return l.zone;
    const ProfileValue* name = profileValue(user, "timezone");
    if (!name || name->tag != Value::String || name->text.empty()) return l.zone;
    auto it = userZones.find(name->text);
    if (it == userZones.end()) {
      Zone z;
      std::string error;
      bool ok = z.load(name->text, error);
      it = userZones.emplace(name->text, ok ? std::optional<Zone>(std::move(z)) : std::nullopt).first;
    }
    return it->second ? *it->second : l.zone;
  }

  // The do-not-disturb windows of `channel` covering instant `t`: returns
  // when the last of them ends (0 when none covers t); sets `discard` when
  // one of them discards instead of deferring.
  static int64_t DndEnd(const bc::Module& m, const Zone& zone, const std::string& channel, int64_t t, bool& discard) {
    if (m.dnds.empty()) return 0;
    int minute = zone.minuteOfDay(t), wd = zone.weekday(t);
    int64_t end = 0;
    for (const bc::Dnd& d : m.dnds) {
      bool covered = d.channels.empty() ? channel != "webhook" : false;
      for (uint32_t c : d.channels) covered = covered || m.str(c) == channel;
      if (!covered) continue;
      bool today = d.days & (1u << wd), yesterday = d.days & (1u << ((wd + 6) % 7));
      bool inside = d.fromMinute < d.toMinute ? today && minute >= d.fromMinute && minute < d.toMinute
                                              : (today && minute >= d.fromMinute) || (yesterday && minute < d.toMinute);
      if (!inside) continue;
      if (d.discard) discard = true;
      end = std::max(end, zone.nextAt(t, d.toMinute, 0x7F));
    }
    return end;
  }

  // When a window that closes at `end` is acted on: at once (exact), or at
  // the first hourly evaluation at or after it (clevertap).
  int64_t windowDeadline(size_t j, int64_t end) const {
    if (options.schedule != Schedule::CleverTap) return end;
    const Zone& z = journeys[j].zone;
    int64_t local = z.toLocal(end);
    if (local % 3600 == 0) return end;
    return z.fromLocal((local / 3600 + 1) * 3600);
  }
  void setWindow(Instance& in, uint32_t seconds) {
    in.windowEnd = seconds ? wheel.now() + seconds : 0;
    in.waitDeadline = seconds ? windowDeadline(in.journey, in.windowEnd) : 0;
  }
  bool windowClosed(const Instance& in) const { return in.windowEnd && wheel.now() >= in.windowEnd; }

  void drainTriggers() {
    while (!pendingTriggers.empty()) {
      auto [user, j] = pendingTriggers.front();
      pendingTriggers.erase(pendingTriggers.begin());
      if (mayEnter(user, j)) enter(user, j, nullptr);
    }
  }

  // The next instant a journey-level schedule is due: scheduled entries and
  // the daily 00:00 evaluation of past-behaviour goals.
  int64_t nextJourneyEvent() const {
    int64_t t = INT64_MAX;
    for (const Loaded& l : journeys) t = std::min({t, l.nextEntryRun, l.nextGoalRun});
    return t;
  }

  // The counters as they stood at instant t: the last mark at or before it,
  // none before the first mark (what a version 1 snapshot brought counts
  // on the day of the restore), the running counters from now on.
  const JourneyStats* countersAt(const Loaded& l, int64_t t) const {
    if (!clockSet || t >= wheel.now() || l.dayMarks.empty()) return &l.stats;
    auto after = std::upper_bound(l.dayMarks.begin(), l.dayMarks.end(), t,
                                  [](int64_t at, const std::pair<int64_t, JourneyStats>& m) { return at < m.first; });
    return after == l.dayMarks.begin() ? nullptr : &std::prev(after)->second;
  }
  JourneyStats statsForDays(size_t j, int64_t firstDay, int64_t lastDay) const {
    const Loaded& l = journeys[j];
    constexpr int64_t kFirst = bc::kEarliestSecond / 86400, kLast = bc::kLatestSecond / 86400;
    auto midnight = [&](int64_t day) { return l.zone.fromLocal(std::clamp(day, kFirst, kLast + 1) * 86400); };
    const JourneyStats none = EmptyLike(l.stats);
    const JourneyStats* from = countersAt(l, midnight(firstDay));
    const JourneyStats* to = countersAt(l, midnight(std::max(lastDay, firstDay - 1) + 1));
    const JourneyStats& a = from ? *from : none;
    const JourneyStats& b = to ? *to : none;
    JourneyStats out = l.stats;  // the shape, and the gauges as they are now
    auto diff = [](uint64_t to, uint64_t from) { return to >= from ? to - from : 0; };
    out.entered = diff(b.entered, a.entered);
    out.completed = diff(b.completed, a.completed);
    out.timedOut = diff(b.timedOut, a.timedOut);
    out.forcedExit = diff(b.forcedExit, a.forcedExit);
    out.suppressed = diff(b.suppressed, a.suppressed);
    out.sent = diff(b.sent, a.sent);
    out.left = diff(b.left, a.left);
    out.secondsInside = diff(b.secondsInside, a.secondsInside);
    out.secondsToConvert = diff(b.secondsToConvert, a.secondsToConvert);
    for (size_t g = 0; g < out.goalMet.size(); ++g) out.goalMet[g] = diff(b.goalMet[g], a.goalMet[g]);
    for (size_t n = 0; n < out.nodes.size(); ++n) {
      NodeStats& o = out.nodes[n];
      const NodeStats &x = a.nodes[n], &y = b.nodes[n];
      o.entered = diff(y.entered, x.entered);
      o.goalExits = diff(y.goalExits, x.goalExits);
      o.timeoutExits = diff(y.timeoutExits, x.timeoutExits);
      for (size_t p = 0; p < o.exitsByPath.size(); ++p) o.exitsByPath[p] = diff(y.exitsByPath[p], x.exitsByPath[p]);
      o.sent = diff(y.sent, x.sent);
      o.suppressed = diff(y.suppressed, x.suppressed);
      auto status = [](const NodeStats& ns, size_t k) { return k < ns.statuses.size() ? ns.statuses[k] : 0; };
      for (size_t k = 0; k < o.statuses.size(); ++k) o.statuses[k] = diff(status(y, k), status(x, k));
    }
    return out;
  }

  // The first mark (the counters at `now`), unless the journey has marks
  // (restored); the next midnight to mark follows the last mark: one that
  // passed without work since is marked by the next work.
  void startDayMarks(Loaded& l, int64_t now) {
    if (l.dayMarks.empty()) l.dayMarks.push_back({now, l.stats});
    l.nextDayMark = l.zone.nextMidnight(l.dayMarks.back().first);
    firstDayMark = std::min(firstDayMark, l.nextDayMark);
  }
  // Called before any work that may count (an event, a timer, a schedule,
  // a list): a journey whose next midnight has passed gets its mark, for
  // that midnight, with the counters as they are (unchanged since then).
  void markDays(int64_t now) {
    if (now < firstDayMark) return;
    firstDayMark = INT64_MAX;
    for (Loaded& l : journeys) {
      if (now >= l.nextDayMark) {
        l.dayMarks.push_back({l.nextDayMark, l.stats});
        l.nextDayMark = l.zone.nextMidnight(now);
      }
      firstDayMark = std::min(firstDayMark, l.nextDayMark);
    }
  }
  int64_t firstDayMark = INT64_MAX;  // the earliest journey's nextDayMark

  void runJourneySchedules(int64_t now) {
    markDays(now);  // before the midnight's own work: a goal evaluated at 00:00 is the new day's
    for (size_t j = 0; j < journeys.size(); ++j) {
      Loaded& l = journeys[j];
      const bc::Module& m = l.module;
      if (l.nextEntryRun == now) {
        // A past-behaviour (or profile) segment qualifies users at its
        // scheduled times; a retired version takes no one (and must not
        // keep this time, or the clock would come back to it for ever).
        if (!l.retired) {
          for (uint32_t u = 0; u < users.size(); ++u)
            if (mayEnter(u, j) && evalPredicate(j, static_cast<uint32_t>(m.entry.predicate), u, nullptr)) enter(u, j, nullptr);
          drainTriggers();
        }
        l.nextEntryRun = l.retired ? INT64_MAX : nextEntryTime(j, now);
      }
      if (l.nextGoalRun == now && l.halted()) {
        l.nextGoalRun = l.zone.nextMidnight(now);
      } else if (l.nextGoalRun == now) {
        for (uint32_t id = 0; id < instances.size(); ++id) {
          Instance& in = instances[id];
          if (!in.live || in.journey != j || in.wait == WaitKind::PreEntry) continue;
          for (size_t g = 0; g < m.goals.size(); ++g)
            if (m.goals[g].kind == bc::GoalKind::PastBehaviour && evalPredicate(j, m.goals[g].predicate, in.user, nullptr, &in)) {
              finish(id, Outcome::GoalMet, static_cast<int>(g));
              break;
            }
        }
        l.nextGoalRun = l.zone.nextMidnight(now);
      }
    }
  }

  // The first scheduled entry run after `after`, or INT64_MAX.
  int64_t nextEntryTime(size_t j, int64_t after) const {
    const bc::Module& m = journeys[j].module;
    const Zone& z = journeys[j].zone;
    const bc::Entry& e = m.entry;
    if (e.kind != bc::EntryKind::PastBehaviour || e.predicate < 0) return INT64_MAX;
    switch (e.schedule) {
      case bc::ScheduleKind::None: return INT64_MAX;
      case bc::ScheduleKind::Once:
      case bc::ScheduleKind::Dates: {
        int64_t best = INT64_MAX;
        for (int64_t local : e.dates) {
          int64_t t = z.fromLocal(local);
          if (t > after) best = std::min(best, t);
        }
        return best;
      }
      case bc::ScheduleKind::Daily: return z.nextAt(after, e.minuteOfDay, 0x7F);
      case bc::ScheduleKind::Weekly: return z.nextAt(after, e.minuteOfDay, e.weekdays);
      case bc::ScheduleKind::Monthly: {
        int64_t t = after;
        for (int k = 0; k < 400; ++k) {
          t = z.nextAt(t, e.minuteOfDay, 0x7F);
          int day = LocalDayOfMonth(z.toLocal(t));
          for (int32_t d : e.monthDays)
            if (d == day) return t;
        }
        return INT64_MAX;
      }
    }
    return INT64_MAX;
  }

  static int LocalDayOfMonth(int64_t local) {
    int64_t z = (local >= 0 ? local / 86400 : (local - 86399) / 86400) + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    return static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  }

  void startSchedules(int64_t now) {
    for (size_t j = 0; j < journeys.size(); ++j) planSchedules(j, now);
  }
  void planSchedules(size_t j, int64_t now) {
    Loaded& l = journeys[j];
    startDayMarks(l, now);
    l.nextEntryRun = nextEntryTime(j, now - 1);
    bool pastGoals = false;
    for (const bc::Goal& g : l.module.goals) pastGoals = pastGoals || g.kind == bc::GoalKind::PastBehaviour;
    l.nextGoalRun = pastGoals ? l.zone.nextMidnight(now) : INT64_MAX;
  }

  void advanceTo(int64_t t) {
    if (t <= wheel.now()) return;
    auto fireOne = [&](uint32_t id, uint32_t gen, int64_t due) {
      markDays(due);
      arena.clear();
      fire(id, gen);
      drainTriggers();
    };
    auto soonOne = [&](uint32_t id) { prefetchTimer(id); };
    for (int64_t next = nextJourneyEvent(); next <= t; next = nextJourneyEvent()) {
      if (next > wheel.now()) wheel.advance(next, fireOne, soonOne);
      arena.clear();
      runJourneySchedules(next);
    }
    wheel.advance(t, fireOne, soonOne);
  }

  // Date-property entries: a user qualifies at (profile property + offset).
  void scheduleDateEntries(uint32_t user) {
    for (size_t j = 0; j < journeys.size(); ++j) planDateEntry(user, j);
  }

  // Plans (or re-plans, or drops) the user's entry into journey j, if j is
  // the newest version of a date-property journey: a pending entry follows
  // the property; a user inside is left alone (planned again on leaving).
  void planDateEntry(uint32_t user, size_t j) {
    const bc::Module& m = journeys[j].module;
    if (m.entry.kind != bc::EntryKind::DateProperty || journeys[j].retired) return;
    const ProfileValue* pv = profileValue(user, m.str(m.entry.property));
    if (!pv) return;
    int64_t when = 0;
    if (pv->tag == Value::Number) {
      if (!SecondsOf(pv->number, when)) return;
    } else if (pv->tag != Value::String || !ParseIsoTime(pv->text, when)) {
      return;
    }
    int64_t at = when + m.entry.offsetSeconds;
    Slot& slot = slotOf(user, j);
    if (slot.instance != kNone) {
      Instance& in = instances[slot.instance];
      if (in.wait != WaitKind::PreEntry) return;  // already inside
      if (at <= wheel.now()) {
        finish(slot.instance, Outcome::Dropped);  // moved into the past: no longer due
        return;
      }
      in.phaseDeadline = at;
      in.generation++;
      schedule(slot.instance);
      return;
    }
    if (at <= wheel.now() || !mayEnter(user, j, at)) return;
    uint32_t id = newInstance();
    Instance& in = instances[id];
    in.user = user;
    in.journey = static_cast<uint16_t>(j);
    in.wait = WaitKind::PreEntry;
    in.phaseDeadline = at;
    slotOf(user, j).instance = id;
    schedule(id);
  }

  // A new version of a running journey (matched by name), from now on.
  Engine::Deployment deploy(bc::Module m, std::string& error) {
    using Deployment = Engine::Deployment;
    size_t current = SIZE_MAX;
    for (size_t j = 0; j < journeys.size(); ++j)
      if (!journeys[j].retired && name(j) == m.str(m.name)) current = j;
    if (current == SIZE_MAX) {
      error = "no journey named \"" + m.str(m.name) + "\" is running; a deploy replaces a running journey";
      return Deployment::Rejected;
    }
    Loaded& old = journeys[current];
    if (old.module.structuralHash == m.structuralHash) {
      if (old.module.contentHash == m.contentHash) return Deployment::Identical;
      hotPatch(current, std::move(m));
      return Deployment::HotPatched;
    }
    if (journeys.size() >= UINT16_MAX) {
      error = "too many versions";
      return Deployment::Rejected;
    }
    if (old.halted()) {
      error = "journey \"" + name(current) + "\" is stopped; a stopped journey takes no new version";
      return Deployment::Rejected;
    }
    Loaded l = load(std::move(m));
    l.family = old.family;
    l.state = old.state;
    size_t fresh = journeys.size();
    journeys.push_back(std::move(l));
    journeys[current].retired = true;
    journeys[current].nextEntryRun = INT64_MAX;
    // Users not in yet (an inaction's absence period, a date-property entry
    // still ahead) will enter the new version.
    for (Instance& in : instances)
      if (in.live && in.journey == current && in.wait == WaitKind::PreEntry) {
        repackEntryProps(in, journeys[current].module, journeys[fresh].module);
        in.journey = static_cast<uint16_t>(fresh);
      }
    // Past-behaviour history the new version counts the same way carries over.
    const bc::Module& a = journeys[current].module;
    const bc::Module& b = journeys[fresh].module;
    for (size_t y = 0; y < b.aggregates.size(); ++y)
      for (size_t x = 0; x < a.aggregates.size(); ++x) {
        const bc::AggregateSpec &p = a.aggregates[x], &q = b.aggregates[y];
        if (p.where >= 0 || q.where >= 0 || a.str(p.event) != b.str(q.event) || p.kind != q.kind || p.seconds != q.seconds ||
            (p.kind >= bc::AggregateKind::Sum && a.str(p.property) != b.str(q.property)))
          continue;
        for (User& u : users)
          if (u.data) {
            auto it = u.data->aggregates.find((static_cast<uint64_t>(current) << 32) | x);
            if (it != u.data->aggregates.end()) u.data->aggregates[(static_cast<uint64_t>(fresh) << 32) | y] = it->second;
          }
        break;
      }
    int64_t now = wheel.now();
    Loaded& f = journeys[fresh];
    f.nextEntryRun = nextEntryTime(fresh, now);
    bool pastGoals = false;
    for (const bc::Goal& g : f.module.goals) pastGoals = pastGoals || g.kind == bc::GoalKind::PastBehaviour;
    f.nextGoalRun = pastGoals ? f.zone.nextMidnight(now) : INT64_MAX;
    startDayMarks(f, now);
    rebuildTriggers();
    return Deployment::NewVersion;
  }

  // Same structure, new content: the running version takes the new code;
  // every suspended user resumes at the same suspension point of their node.
  void hotPatch(size_t j, bc::Module m) {
    Loaded& l = journeys[j];
    const bc::Module& before = l.module;
    std::vector<std::pair<uint32_t, uint32_t>> moves;  // instance → new resume pc
    for (uint32_t id = 0; id < instances.size(); ++id) {
      Instance& in = instances[id];
      if (!in.live || in.journey != j || in.wait == WaitKind::PreEntry || in.wait == WaitKind::None || in.wait == WaitKind::AtEnd)
        continue;
      auto [oldFirst, oldLast] = NodeCode(before, in.node);
      size_t ordinal = 0;
      for (uint32_t pc = oldFirst; pc + 1 < in.pc && pc < oldLast; ++pc) ordinal += Suspends(before.code[pc].op);
      auto [newFirst, newLast] = NodeCode(m, in.node);
      uint32_t target = 0;
      for (uint32_t pc = newFirst; pc < newLast && !target; ++pc)
        if (Suspends(m.code[pc].op) && ordinal-- == 0) target = pc + 1;
      moves.push_back({id, target});
    }
    for (Instance& in : instances)
      if (in.live && in.journey == j) repackEntryProps(in, before, m);
    Loaded patched = load(std::move(m));  // stats stay: the version is the same
    l.module = std::move(patched.module);
    l.functions = std::move(patched.functions);
    l.filters = std::move(patched.filters);
    l.sendLines = std::move(patched.sendLines);
    l.goalsReadEntry = patched.goalsReadEntry;
    // The same structure has the same sends; a channel's statuses could
    // still differ (another stdlib): the counts take the new shape.
    for (const bc::SendSite& site : l.module.sends) {
      l.stats.nodes[site.node].statuses.resize(site.statuses.size());
      for (auto& mark : l.dayMarks) mark.second.nodes[site.node].statuses.resize(site.statuses.size());
    }
    for (auto [id, pc] : moves) {
      Instance& in = instances[id];
      if (!pc) {  // cannot happen for equal structure; never resume into the wrong place
        problem("a user of \"" + name(j) + "\" could not be moved to the patched code and was stopped");
        finish(id, Outcome::Runaway);
        continue;
      }
      in.pc = pc;
      in.reg = static_cast<uint8_t>(l.module.code[pc - 1].a);
    }
    rebuildTriggers();
  }

  void enterList(size_t j, const std::vector<std::string>& ids) {
    markDays(wheel.now());
    for (const std::string& id : ids) {
      if (id.size() > kMaxUserIdBytes) {
        problem("a listed user id is longer than " + std::to_string(kMaxUserIdBytes) + " bytes: left out");
        continue;
      }
      uint32_t u = userIndex(id);
      if (mayEnter(u, j)) enter(u, j, nullptr);
    }
    drainTriggers();
  }

  // ------------------------------------------------------------ snapshots
  // The whole engine as bytes (layout in docs/vm.md, "Snapshots"). Derived
  // state (builtins, zones, the user index, triggers) is rebuilt on restore;
  // scratch buffers are not kept.
  static void SaveProfile(ByteWriter& w, const ProfileValue& v) {
    w.u8(v.tag);
    w.u8(v.boolean);
    w.f64(v.number);
    w.str(v.text);
    w.varint(v.itemCount());
    if (v.list)
      for (const ProfileValue& e : *v.list) SaveProfile(w, e);
  }
  static bool RestoreProfile(ByteReader& r, ProfileValue& v, int depth) {
    uint8_t tag = r.u8();
    if (tag > Value::Map || depth > 64) r.fail();
    v.tag = static_cast<Value::Tag>(tag);
    v.boolean = r.u8() != 0;
    v.number = r.f64();
    v.text = std::string(r.str());
    uint64_t n = r.count(12);
    for (uint64_t k = 0; k < n && r.ok(); ++k) RestoreProfile(r, v.items().emplace_back(), depth + 1);
    return r.ok();
  }
  static void SaveRecord(ByteWriter& w, const OutboxRecord& o) {
    w.str(o.journey);
    w.varint(o.version);
    w.str(o.node);
    w.str(o.user);
    w.str(o.channel);
    w.str(o.messageId);
    w.i64(o.time);
    w.varint(o.content.size());
    for (const auto& [k, v] : o.content) {
      w.str(k);
      w.str(v);
    }
    w.varint(o.jsonFields);  // since format version 4
  }
  static void RestoreRecord(ByteReader& r, OutboxRecord& o, unsigned version) {
    o.journey = std::string(r.str());
    o.version = r.varint();
    o.node = std::string(r.str());
    o.user = std::string(r.str());
    o.channel = std::string(r.str());
    o.messageId = std::string(r.str());
    o.time = r.time();
    uint64_t n = r.count(2);
    for (uint64_t k = 0; k < n && r.ok(); ++k) {
      std::string key(r.str());
      o.content.emplace_back(std::move(key), std::string(r.str()));
    }
    // Before version 4 lists and maps were sent as text: such a held send
    // goes out as the text it was rendered to.
    o.jsonFields = version >= 4 ? r.varint() : 0;
  }

  void save(ByteWriter& w) const {
    w.u8(clockSet);
    w.varint(families);
    w.varint(journeys.size());
    for (const Loaded& l : journeys) {
      std::vector<uint8_t> bytes = bc::Write(l.module);
      w.str(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      const JourneyStats& st = l.stats;
      for (uint64_t v : {st.entered, st.completed, st.timedOut, st.forcedExit, st.suppressed, st.sent}) w.varint(v);
      for (uint64_t g : st.goalMet) w.varint(g);
      for (const NodeStats& n : st.nodes) {
        for (uint64_t v : {n.entered, n.waiting, n.goalExits, n.timeoutExits}) w.varint(v);
        for (uint64_t p : n.exitsByPath) w.varint(p);
      }
      w.i64(l.nextEntryRun);
      w.i64(l.nextGoalRun);
      w.varint(l.family);
      w.u8(l.retired);
      w.u8(static_cast<uint8_t>(l.state));
    }
    w.varint(channelIds.size());
    for (const std::string& c : channelIds) w.str(c);
    w.varint(users.size());
    for (const User& u : users) {
      w.str(idOf(static_cast<uint32_t>(&u - users.data())));
      w.u8(u.data != nullptr);
      if (!u.data) continue;
      // Properties in name order (their numbers depend on what came
      // first): the same engine always makes the same bytes.
      std::vector<const UserData::Property*> profile;
      for (const UserData::Property& p : u.data->profile) profile.push_back(&p);
      std::sort(profile.begin(), profile.end(), [&](auto* a, auto* b) { return profileKeys[a->key] < profileKeys[b->key]; });
      w.varint(profile.size());
      for (const UserData::Property* p : profile) {
        w.str(profileKeys[p->key]);
        SaveProfile(w, p->value);
      }
      std::vector<uint64_t> keys;
      for (const auto& kv : u.data->aggregates) keys.push_back(kv.first);
      std::sort(keys.begin(), keys.end());
      w.varint(keys.size());
      for (uint64_t key : keys) {
        const std::deque<Sample>& samples = u.data->aggregates.at(key);
        w.varint(key);
        w.varint(samples.size());
        for (const Sample& sm : samples) {
          w.i64(sm.time);
          w.f64(sm.value);
        }
      }
      w.varint(u.data->recentSends.size());
      for (const UserData::SendMark& m : u.data->recentSends) {
        w.i64(m.time);
        w.u32(m.channel);
      }
    }
    for (uint32_t u = 0; u < users.size(); ++u)
      for (size_t f = 0; f < families; ++f) {
        const Slot& sl = slotAt(u, f);
        w.u32(sl.instance);
        w.i64(sl.lastExit);
        w.u32(sl.runs);
      }
    w.varint(instances.size());
    // Kept entry properties are written as a list of strings that instances
    // name by position (the layout from before the blob store), in the
    // order of the instances that hold them.
    uint32_t kept = 0;
    for (const Instance& in : instances) {
      uint32_t props = in.live && in.entryProps != kNone ? kept++ : kNone;
      // The fifth word once held the run number, now the slot's: kept so
      // that snapshots keep their layout; written as 0, ignored on restore.
      for (uint32_t v : {in.user, in.generation, in.pc, in.arg, 0u, props}) w.u32(v);
      for (int64_t v : {in.enteredAt, in.waitDeadline, in.phaseDeadline, in.windowEnd}) w.i64(v);
      for (uint16_t v : {in.journey, in.node, in.sendSeq}) w.varint(v);
      for (uint8_t v : {static_cast<uint8_t>(in.wait), in.reg, in.phase, static_cast<uint8_t>(in.live)}) w.u8(v);
    }
    w.varint(freeList.size());
    for (uint32_t f : freeList) w.u32(f);
    w.varint(kept);
    for (const Instance& in : instances)
      if (in.live && in.entryProps != kNone) w.str(entryBlobs.get(in.entryProps));
    w.varint(0);  // once a free list of that store
    std::vector<uint32_t> held;
    for (const auto& kv : deferred) held.push_back(kv.first);
    std::sort(held.begin(), held.end());
    w.varint(held.size());
    for (uint32_t id : held) {
      w.u32(id);
      SaveRecord(w, deferred.at(id));
    }
    wheel.save(w);
    w.varint(problems.size());
    for (const std::string& p : problems) w.str(p);
    // Format version 2: the day marks, journey by journey (version 3: with
    // the counters it added).
    for (const Loaded& l : journeys) {
      w.varint(l.dayMarks.size());
      for (const auto& [at, st] : l.dayMarks) {
        w.i64(at);
        SaveCounters(w, st);
        SaveCounters3(w, st);
      }
    }
    // Format version 3: the counters it added, as they are now.
    for (const Loaded& l : journeys) SaveCounters3(w, l.stats);
  }

  // Statistics of the same journey's shape (goals, nodes, paths), all zero.
  static JourneyStats EmptyLike(const JourneyStats& shape) {
    JourneyStats st;
    st.goalMet.assign(shape.goalMet.size(), 0);
    st.nodes.resize(shape.nodes.size());
    for (size_t n = 0; n < st.nodes.size(); ++n) {
      st.nodes[n].exitsByPath.assign(shape.nodes[n].exitsByPath.size(), 0);
      st.nodes[n].statuses.assign(shape.nodes[n].statuses.size(), 0);
    }
    return st;
  }
  // A journey's counters (not the gauges: they are the instances' own).
  static void SaveCounters(ByteWriter& w, const JourneyStats& st) {
    for (uint64_t v : {st.entered, st.completed, st.timedOut, st.forcedExit, st.suppressed, st.sent}) w.varint(v);
    for (uint64_t g : st.goalMet) w.varint(g);
    for (const NodeStats& n : st.nodes) {
      for (uint64_t v : {n.entered, n.goalExits, n.timeoutExits}) w.varint(v);
      for (uint64_t p : n.exitsByPath) w.varint(p);
    }
  }
  // The counters format version 3 added: the stays, then the send nodes'
  // sent, suppressed and each status, node by node (only send nodes have
  // statuses).
  static void SaveCounters3(ByteWriter& w, const JourneyStats& st) {
    for (uint64_t v : {st.left, st.secondsInside, st.secondsToConvert}) w.varint(v);
    for (const NodeStats& n : st.nodes) {
      for (uint64_t v : {n.sent, n.suppressed}) w.varint(v);
      for (uint64_t c : n.statuses) w.varint(c);
    }
  }
  static void RestoreCounters3(ByteReader& r, JourneyStats& st) {
    for (uint64_t* v : {&st.left, &st.secondsInside, &st.secondsToConvert}) *v = r.varint();
    for (NodeStats& n : st.nodes) {
      for (uint64_t* v : {&n.sent, &n.suppressed}) *v = r.varint();
      for (uint64_t& c : n.statuses) c = r.varint();
    }
  }
  // Reads what SaveCounters wrote into `st`, shaped for its journey already.
  static void RestoreCounters(ByteReader& r, JourneyStats& st) {
    for (uint64_t* v : {&st.entered, &st.completed, &st.timedOut, &st.forcedExit, &st.suppressed, &st.sent}) *v = r.varint();
    for (uint64_t& g : st.goalMet) g = r.varint();
    for (NodeStats& n : st.nodes) {
      for (uint64_t* v : {&n.entered, &n.goalExits, &n.timeoutExits}) *v = r.varint();
      for (uint64_t& p : n.exitsByPath) p = r.varint();
    }
  }

  // Fills a freshly made (empty) engine; false with `error` saying what is
  // wrong. Every index is checked against what it indexes: a damaged
  // snapshot is refused, never run.
  bool restore(ByteReader& r, unsigned version, std::string& error) {
    auto fail = [&](const std::string& what) {
      error = what + " (at byte " + std::to_string(r.offset()) + ")";
      return false;
    };
    clockSet = r.u8() != 0;
    families = r.count();
    uint64_t journeyCount = r.count(16);
    if (!r.ok() || journeyCount > UINT16_MAX) return fail("bad journey count");  // 0: a server with nothing deployed yet
    // Every family has a journey; more would size the users' slots from a damaged count.
    if (families > journeyCount) return fail("more journey families than journeys");
    for (uint64_t j = 0; j < journeyCount; ++j) {
      std::string_view bytes = r.str();
      if (!r.ok()) return fail("journey " + std::to_string(j) + " is cut short");
      bc::Module m;
      std::string readError;
      if (!bc::Read(std::vector<uint8_t>(bytes.begin(), bytes.end()), m, readError)) return fail("journey " + std::to_string(j) + ": " + readError);
      std::vector<std::string> problemsFound = bc::Verify(m);
      if (!problemsFound.empty()) return fail("journey " + std::to_string(j) + " fails verification: " + problemsFound.front());
      Loaded l = load(std::move(m));
      JourneyStats& st = l.stats;
      for (uint64_t* v : {&st.entered, &st.completed, &st.timedOut, &st.forcedExit, &st.suppressed, &st.sent}) *v = r.varint();
      for (uint64_t& g : st.goalMet) g = r.varint();
      for (NodeStats& n : st.nodes) {
        for (uint64_t* v : {&n.entered, &n.waiting, &n.goalExits, &n.timeoutExits}) *v = r.varint();
        for (uint64_t& p : n.exitsByPath) p = r.varint();
      }
      l.nextEntryRun = r.time(INT64_MAX);
      l.nextGoalRun = r.time(INT64_MAX);
      uint64_t family = r.varint();
      l.retired = r.u8() != 0;
      uint8_t state = r.u8();
      if (!r.ok() || family >= families || state > static_cast<uint8_t>(Engine::Lifecycle::Archived)) return fail("journey " + std::to_string(j) + " has a bad header");
      l.family = static_cast<uint16_t>(family);
      l.state = static_cast<Engine::Lifecycle>(state);
      journeys.push_back(std::move(l));
    }
    uint64_t channels = r.count();
    for (uint64_t c = 0; c < channels && r.ok(); ++c) channelIds.emplace_back(r.str());
    uint64_t userCount = r.count(2);
    if (!r.ok() || userCount >= UINT32_MAX) return fail("bad user count");
    users.reserve(userCount);
    for (uint64_t k = 0; k < userCount && r.ok(); ++k) {
      std::string_view id = r.str();
      if (id.size() > kMaxUserIdBytes) return fail("a user id is longer than " + std::to_string(kMaxUserIdBytes) + " bytes");
      addUser(id);
      User& u = users.back();
      if (!r.u8()) continue;
      u.data = std::make_unique<UserData>();
      uint64_t props = r.count(2);
      for (uint64_t p = 0; p < props && r.ok(); ++p) {
        std::string key(r.str());
        RestoreProfile(r, profileSlot(static_cast<uint32_t>(users.size() - 1), key), 0);
      }
      uint64_t aggs = r.count(2);
      for (uint64_t a = 0; a < aggs && r.ok(); ++a) {
        std::deque<Sample>& samples = u.data->aggregates[r.varint()];
        uint64_t n = r.count(16);
        for (uint64_t i = 0; i < n && r.ok(); ++i) {
          int64_t t = r.time();
          samples.push_back(Sample{t, r.f64()});
        }
      }
      uint64_t sends = r.count(12);
      for (uint64_t i = 0; i < sends && r.ok(); ++i) {
        int64_t t = r.time();
        uint32_t channel = r.u32();
        if (channel >= channelIds.size()) r.fail();
        u.data->recentSends.push_back({t, channel});
      }
    }
    if (!r.ok()) return fail("the users are cut short or damaged");
    auto idOf = [this](uint32_t u) { return this->idOf(u); };
    for (uint32_t u = 0; u < users.size(); ++u) {
      uint64_t hash = UserIndex::HashOf(this->idOf(u));
      if (userIds.find(this->idOf(u), hash, idOf) != UserIndex::kMissing)
        return fail("user \"" + std::string(this->idOf(u)) + "\" appears twice");
      userIds.insert(u, hash, idOf);
    }
    moreSlots.resize(users.size() * moreSlotsPerUser());
    for (uint32_t u = 0; u < users.size(); ++u)
      for (size_t f = 0; f < families; ++f) {
        Slot& sl = slotAt(u, f);
        sl.instance = r.u32();
        sl.lastExit = r.time(INT64_MIN);
        sl.runs = r.u32();
      }
    uint64_t instanceCount = r.count(40);
    if (!r.ok() || instanceCount >= UINT32_MAX) return fail("bad instance count");
    instances.resize(instanceCount);
    for (Instance& in : instances) {
      uint32_t formerRun = 0;
      for (uint32_t* v : {&in.user, &in.generation, &in.pc, &in.arg, &formerRun, &in.entryProps}) *v = r.u32();
      for (int64_t* v : {&in.enteredAt, &in.waitDeadline, &in.phaseDeadline, &in.windowEnd}) *v = r.time();
      for (uint16_t* v : {&in.journey, &in.node, &in.sendSeq}) *v = static_cast<uint16_t>(r.varint());
      uint8_t wait = r.u8();
      in.reg = r.u8();
      in.phase = r.u8();
      in.live = r.u8() != 0;
      if (wait > static_cast<uint8_t>(WaitKind::AtEnd)) r.fail();
      in.wait = static_cast<WaitKind>(wait);
    }
    if (!r.ok()) return fail("the instances are cut short");
    uint64_t freeCount = r.count(4);
    for (uint64_t k = 0; k < freeCount && r.ok(); ++k) freeList.push_back(r.u32());
    uint64_t stored = r.count();
    std::vector<std::string_view> storedProps;
    for (uint64_t k = 0; k < stored && r.ok(); ++k) storedProps.push_back(r.str());
    uint64_t freeProps = r.count(4);  // a free list of that store, in older snapshots: nothing to keep
    for (uint64_t k = 0; k < freeProps && r.ok(); ++k) r.u32();
    for (uint32_t id = 0; id < instances.size() && r.ok(); ++id) {
      Instance& in = instances[id];
      if (!in.live || in.entryProps == kNone) {
        in.entryProps = kNone;
        continue;
      }
      if (in.entryProps >= storedProps.size()) return fail("instance " + std::to_string(id) + " names missing entry properties");
      in.entryProps = entryBlobs.add(storedProps[in.entryProps]);
    }
    uint64_t held = r.count(4);
    for (uint64_t k = 0; k < held && r.ok(); ++k) {
      uint32_t id = r.u32();
      RestoreRecord(r, deferred[id], version);
    }
    if (!wheel.restore(r)) return fail("the timers are cut short or damaged");
    if (wheel.now() != ClampToCalendar(wheel.now())) return fail("the clock is outside the years 0000 to 9999");
    uint64_t problemCount = r.count();
    for (uint64_t k = 0; k < problemCount && r.ok(); ++k) problem(std::string(r.str()));
    if (version >= 2) {
      for (Loaded& l : journeys) {
        uint64_t marks = r.count(9);
        int64_t last = INT64_MIN;
        for (uint64_t k = 0; k < marks && r.ok(); ++k) {
          int64_t at = r.time();
          JourneyStats st = EmptyLike(l.stats);
          RestoreCounters(r, st);
          if (version >= 3) RestoreCounters3(r, st);
          if (at < last || at > wheel.now()) return fail("the day marks of a journey are out of order");
          last = at;
          l.dayMarks.push_back({at, std::move(st)});
        }
      }
    }
    // Before version 3 the stays and the send nodes' counts start at the restore.
    if (version >= 3)
      for (Loaded& l : journeys) RestoreCounters3(r, l.stats);
    if (!r.ok()) return fail("the snapshot is cut short");
    if (!r.atEnd()) return fail("unexpected bytes after the snapshot");
    // A version 1 snapshot has no marks: the days count from the restore.
    if (clockSet)
      for (Loaded& l : journeys) startDayMarks(l, wheel.now());
    return checkRestored(error);
  }

  // The cross-references of a restored engine, each checked once.
  bool checkRestored(std::string& error) {
    uint32_t nInstances = static_cast<uint32_t>(instances.size());
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> nodeCode(journeys.size());  // per journey, made on first use
    active = 0;
    for (Loaded& l : journeys) l.stats.atEnd = 0;
    for (uint32_t id = 0; id < nInstances; ++id) {
      const Instance& in = instances[id];
      if (!in.live) continue;
      ++active;
      if (in.journey >= journeys.size() || in.user >= users.size()) return (error = "instance " + std::to_string(id) + " names a missing journey or user", false);
      if (in.wait == WaitKind::AtEnd) journeys[in.journey].stats.atEnd++;
      // A user inside entered at or before the clock: an entry time ahead of
      // it would put the journey timeout out of reach of any clock.
      if (in.wait != WaitKind::PreEntry && in.enteredAt > wheel.now())
        return (error = "instance " + std::to_string(id) + " entered after the snapshot's clock", false);
      const bc::Module& m = journeys[in.journey].module;
      // (Entry properties need no check here: restore made their blobs.)
      if (in.node >= m.nodes.size() || in.pc > m.code.size() || in.reg >= std::max<uint32_t>(m.registerCount, 1))
        return (error = "instance " + std::to_string(id) + " points outside its journey's code", false);
      // It resumes inside its node's code: the instructions there count the
      // node's paths by the node's own numbering.
      // (A user held at the end resumes nowhere: it only waits to leave.)
      if (in.wait == WaitKind::AtEnd && m.goals.empty())
        return (error = "instance " + std::to_string(id) + " is held at the end of a journey without goals", false);
      if (in.wait != WaitKind::PreEntry && in.wait != WaitKind::AtEnd) {
        std::vector<std::pair<uint32_t, uint32_t>>& ranges = nodeCode[in.journey];
        if (ranges.empty())
          for (size_t n = 0; n < m.nodes.size(); ++n) ranges.push_back(NodeCode(m, n));
        auto [first, last] = ranges[in.node];
        if (in.pc < first || in.pc > last) return (error = "instance " + std::to_string(id) + " resumes outside its node's code", false);
      }
      // What the instance waits for names a predicate or an inaction spec of its journey.
      bool argFits = true;
      if (in.wait == WaitKind::Event || in.wait == WaitKind::Daily) argFits = in.arg < m.predicates.size();
      if (in.wait == WaitKind::Inaction) argFits = in.arg < m.inactions.size();
      if (!argFits) return (error = "instance " + std::to_string(id) + " waits for something its journey does not have", false);
      if (slotOf(in.user, in.journey).instance != id) return (error = "instance " + std::to_string(id) + " is not its user's", false);
    }
    for (uint32_t u = 0; u < users.size(); ++u)
      for (size_t f = 0; f < families; ++f) {
        const Slot& sl = slotAt(u, f);
        if (sl.instance == kNone) continue;
        if (sl.instance >= nInstances || !instances[sl.instance].live) return (error = "a user's slot names a missing instance", false);
        // Each instance is in one slot, its own: a second user's slot naming
        // it would be left behind when it finishes.
        const Instance& in = instances[sl.instance];
        if (in.user != u || journeys[in.journey].family != f) return (error = "a user's slot names another user's instance", false);
      }
    // An id twice in the free list would be handed to two users at once.
    std::vector<bool> listed(nInstances);
    for (uint32_t f : freeList) {
      if (f >= nInstances || instances[f].live) return (error = "the free list names a live or missing instance", false);
      if (listed[f]) return (error = "the free list names instance " + std::to_string(f) + " twice", false);
      listed[f] = true;
    }
    for (const auto& kv : deferred)
      if (kv.first >= nInstances || !instances[kv.first].live) return (error = "a held send names a missing instance", false);
    if (!wheel.ownersBelow(nInstances)) return (error = "a timer names a missing instance", false);
    for (Loaded& l : journeys) {
      if (l.stats.nodes.size() != l.module.nodes.size()) return (error = "statistics do not match their journey", false);
      // Scheduled runs are always ahead of the clock; one behind it would be
      // caught up occurrence by occurrence from there (from a damaged time,
      // billions of years of monthly runs).
      if (clockSet && (l.nextEntryRun < wheel.now() || l.nextGoalRun < wheel.now()))
        return (error = "journey \"" + l.module.str(l.module.name) + "\" has a scheduled run before the snapshot's clock", false);
    }
    rebuildTriggers();
    return true;
  }

  // A journey with a new name joins at run time: a family of its own, so
  // every user's further slots are laid out again with one more column (the
  // first family's slots are in the user records and stay).
  void add(bc::Module m) {
    Loaded l = load(std::move(m));
    l.family = static_cast<uint16_t>(families);
    size_t before = moreSlotsPerUser(), after = families;  // families + 1 - 1
    BigArray<Slot> wider(users.size() * after);
    for (size_t u = 0; u < users.size(); ++u)
      for (size_t f = 0; f < before; ++f) wider[u * after + f] = moreSlots[u * before + f];
    moreSlots = std::move(wider);
    ++families;
    journeys.push_back(std::move(l));
    if (clockSet) planSchedules(journeys.size() - 1, wheel.now());
    rebuildTriggers();
  }

  // One line per user and journey family they have been in, sorted: what
  // crash tests compare (independent of instance numbering).
  std::string dumpState() const {
    std::vector<std::string> lines;
    static const char* kWaits[] = {"none", "timer", "event", "inaction", "daily", "status", "pre-entry", "at-end"};
    for (uint32_t u = 0; u < users.size(); ++u)
      for (size_t f = 0; f < families; ++f) {
        const Slot& sl = slotAt(u, f);
        if (sl.runs == 0 && sl.instance == kNone) continue;
        std::string line = std::string(idOf(u)) + "\t" + std::to_string(f) + "\truns=" + std::to_string(sl.runs) +
                           "\tlast_exit=" + (sl.lastExit == INT64_MIN ? std::string("-") : std::to_string(sl.lastExit));
        if (sl.instance != kNone) {
          const Instance& in = instances[sl.instance];
          const Loaded& l = journeys[in.journey];
          line += "\tat=" + l.versionHex + ":" + l.module.str(l.module.nodes[in.node].name) + "\tpc=" + std::to_string(in.pc) +
                  "\twait=" + kWaits[static_cast<int>(in.wait)] + "\tentered=" + std::to_string(in.enteredAt) +
                  "\tdeadline=" + std::to_string(in.waitDeadline) + "\tphase=" + std::to_string(in.phase) + "/" +
                  std::to_string(in.phaseDeadline) + "\tsends=" + std::to_string(in.sendSeq) +
                  (deferred.count(sl.instance) ? "\theld" : "");
        }
        lines.push_back(std::move(line));
      }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }

  std::vector<Loaded> journeys;
  BigArray<User> users;
  // Profile property names, numbered in the order first seen (a deque: the
  // index's views stay valid as names are added).
  std::deque<std::string> profileKeys;
  std::unordered_map<std::string_view, uint32_t> profileKeyIds;
  BigArray<char> userIdBytes;  // the ids longer than kMaxInlineIdBytes, end to end (User::idRef)
  // A channel's small index, for the send marks of frequency limits.
  uint32_t channelIndex(const std::string& channel) {
    for (size_t c = 0; c < channelIds.size(); ++c)
      if (channelIds[c] == channel) return static_cast<uint32_t>(c);
    channelIds.push_back(channel);
    return static_cast<uint32_t>(channelIds.size() - 1);
  }
  std::vector<std::string> channelIds;  // a handful: the stdlib's channels
  bool anyLimits = false;               // some journey has frequency limits
  BigArray<Slot> moreSlots;  // users × (families - 1): the slots of families after the first (User::firstSlot)
  size_t families = 0;       // journeys as loaded; later versions join their family
  std::unordered_map<std::string, std::optional<Zone>> userZones;  // loaded once per name; nullopt: invalid
  UserIndex userIds;
  BigArray<Instance> instances;
  std::vector<uint32_t> freeList;
  // Instances' kept entry properties (Instance::entryProps), packed, the
  // same ones shared. The store moves when it grows: Op::EntryProp copies
  // text it reads into the arena.
  EntryPropsStore entryBlobs;
  OutboxRecord sendScratch;  // reused by every send (see Op::Send)
  OutboxLines* lines = nullptr;  // where sends go as lines, when the host says so
  std::vector<std::string_view> sendValues;  // a send's content as text (see Op::Send)
  std::string concatScratch;  // reused by Op::Concat
  std::string packScratch;    // reused to pack entry properties
  std::string idScratch;     // reused to compare message ids of statuses
  std::unordered_map<uint32_t, OutboxRecord> deferred;  // sends held by a DND window, by instance
  std::map<std::pair<size_t, uint16_t>, std::vector<size_t>> triggers;  // (journey, node) -> journeys it triggers
  std::vector<std::pair<uint32_t, size_t>> pendingTriggers;
  size_t active = 0;
  uint64_t runCount = 0;  // Engine::runs()
  TimerWheel wheel{0};
  bool clockSet = false;
  Arena arena;
  std::vector<Value> regs;
  std::vector<Value> predicateRegs;
  OutboxSink outbox;
  EngineOptions options;
  std::vector<std::string> problems;
};

// ------------------------------------------------------------ the loop
namespace {

}  // namespace

// Profiles hold datetimes as sent by the app (ISO-8601 text) or as epoch
// seconds; `2026-11-24T10:00:00Z`, `...+05:30` and fractions are accepted.
bool ParseIsoTime(std::string_view s, int64_t& out) {
  auto num = [&](size_t at, size_t n, int& v) {
    if (at + n > s.size()) return false;
    v = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      v = v * 10 + (s[k] - '0');
    }
    return true;
  };
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!num(0, 4, y) || s.size() < 10 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d)) return false;
  size_t p = 10;
  int64_t offset = 0;
  if (p < s.size()) {
    if ((s[p] != 'T' && s[p] != ' ') || !num(p + 1, 2, h) || s.size() < p + 6 || s[p + 3] != ':' || !num(p + 4, 2, mi)) return false;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!num(p + 1, 2, se)) return false;
      p += 3;
    }
    if (p < s.size() && s[p] == '.') {
      ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    }
    if (p < s.size()) {
      if (s[p] == 'Z') {
        ++p;
      } else if (s[p] == '+' || s[p] == '-') {
        int oh, om;
        if (!num(p + 1, 2, oh) || s.size() < p + 6 || s[p + 3] != ':' || !num(p + 4, 2, om)) return false;
        offset = (s[p] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        p += 6;
      }
    }
    if (p != s.size()) return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  int64_t yy = y - (mo <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  unsigned yoe = static_cast<unsigned>(yy - era * 400);
  unsigned doy = (153 * static_cast<unsigned>(mo + (mo > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + static_cast<int64_t>(doe) - 719468;
  out = days * 86400 + h * 3600 + mi * 60 + se - offset;
  return true;
}

namespace {

bool Less(const Value& a, const Value& b) {
  if (a.tag == Value::String && b.tag == Value::String) return a.text < b.text;
  return a.number < b.number;
}

bool Member(const Value& needle, const Value& hay) {
  if (hay.tag == Value::List && hay.list) {
    for (const Value& v : *hay.list)
      if (Equal(v, needle)) return true;
    return false;
  }
  if (hay.tag == Value::String && needle.tag == Value::String) return hay.text.find(needle.text) != std::string_view::npos;
  return false;
}

uint64_t Fnv(std::string_view a, std::string_view b, std::string_view c) {
  uint64_t h = kFnvBasis;
  for (std::string_view s : {a, b, c}) h = (FnvAppend(h, s) ^ 0xFF) * kFnvPrime;  // 0xFF separates the parts
  return h;
}

}  // namespace

Value Engine::Impl::exec(size_t j, uint32_t pc, uint32_t user, const Event* e, const Instance* in, uint32_t* budgetLeft) {
  // Predicates never suspend and the verifier guarantees they Return.
  (void)budgetLeft;
  Loaded& l = journeys[j];
  const bc::Module& m = l.module;
  // Predicates get their own scratch registers: they run while journey code
  // is suspended, and allocating a frame per evaluation would cost an
  // allocation per event.
  if (predicateRegs.size() < m.registerCount) predicateRegs.resize(m.registerCount);
  Value* R = predicateRegs.data();
  // Registers start empty: a value left by an earlier evaluation may point
  // into the arena, cleared since, and code that reads a register before
  // writing it (only a damaged .jbc does) must find nothing, not that.
  std::fill_n(R, m.registerCount, Value{});
  for (uint64_t steps = 0; steps < options.instructionBudget; ++steps) {
    const bc::Instr& i = m.code[pc++];
    switch (i.op) {
      case bc::Op::Return: return R[i.a];
      case bc::Op::Jump: pc = i.c; break;
      case bc::Op::JumpIfFalse: if (!R[i.a].truthy()) pc = i.c; break;
      case bc::Op::JumpIfTrue: if (R[i.a].truthy()) pc = i.c; break;
      default: step(j, i, R, user, e, in);  // computation only: the verifier saw to that
    }
  }
  problem("a predicate of journey \"" + name(j) + "\" ran past the instruction budget");
  return Value::Of(false);
}

bool Engine::Impl::step(size_t j, const bc::Instr& i, Value* R, uint32_t user, const Event* e, const Instance* in) {
  Impl& self = *this;
  Loaded& l = self.journeys[j];
  const bc::Module& m = l.module;
  switch (i.op) {
    case bc::Op::Nop: return true;
    case bc::Op::LoadK: {
      const bc::Const& k = m.consts[i.c];
      switch (k.kind) {
        case bc::ConstKind::Nil: R[i.a] = Value{}; break;
        case bc::ConstKind::Bool: R[i.a] = Value::Of(k.number != 0); break;
        case bc::ConstKind::String: R[i.a] = Value::Str(m.str(k.string)); break;
        default: R[i.a] = Value::Num(k.number);
      }
      return true;
    }
    case bc::Op::LoadNil: R[i.a] = Value{}; return true;
    case bc::Op::Move: R[i.a] = R[i.b]; return true;
    case bc::Op::Profile: {
      const ProfileValue* p = self.profileValue(user, m.str(i.c));
      R[i.a] = p ? p->view(self.arena) : Value{};
      return true;
    }
    case bc::Op::EntryProp: {
      R[i.a] = in ? self.entryProperty(m, *in, i.c) : Value{};
      // Text is a view into the blob store, which moves when it grows: the
      // register gets its own copy for the rest of this event.
      if (R[i.a].tag == Value::String) R[i.a].text = self.arena.keep(R[i.a].text);
      return true;
    }
    case bc::Op::EventProp: {
      const Value* v = e ? e->property(m.str(i.c)) : nullptr;
      R[i.a] = v ? *v : Value{};
      return true;
    }
    case bc::Op::IsEvent: R[i.a] = Value::Of(e && e->type == Event::Track && e->name == m.str(i.c)); return true;
    case bc::Op::History: {
      const bc::AggregateSpec& a = m.aggregates[i.c];
      const std::deque<Sample>* samples = nullptr;
      if (const UserData* d = self.users[user].data.get()) {
        auto it = d->aggregates.find((static_cast<uint64_t>(j) << 32) | i.c);
        if (it != d->aggregates.end()) samples = &it->second;
      }
      double v = self.aggregateValue(m, a, samples);
      R[i.a] = Value::Of(Engine::Impl::CompareHolds(a.compare, v, a.threshold));
      return true;
    }
    case bc::Op::Now: R[i.a] = Value::Num(static_cast<double>(self.wheel.now())); return true;
    case bc::Op::Neg: R[i.a] = Value::Num(-R[i.b].number); return true;
    case bc::Op::Not: R[i.a] = Value::Of(!R[i.b].truthy()); return true;
    case bc::Op::Add:
      if (R[i.b].tag == Value::String || R[i.c].tag == Value::String)
        R[i.a] = Value::Str(self.arena.keep(ToText(R[i.b]) + ToText(R[i.c])));
      else
        R[i.a] = Value::Num(R[i.b].number + R[i.c].number);
      return true;
    case bc::Op::Sub: R[i.a] = Value::Num(R[i.b].number - R[i.c].number); return true;
    case bc::Op::Mul: R[i.a] = Value::Num(R[i.b].number * R[i.c].number); return true;
    case bc::Op::Div: R[i.a] = R[i.c].number == 0 ? Value{} : Value::Num(R[i.b].number / R[i.c].number); return true;
    case bc::Op::Mod: R[i.a] = R[i.c].number == 0 ? Value{} : Value::Num(std::fmod(R[i.b].number, R[i.c].number)); return true;
    case bc::Op::Eq: R[i.a] = Value::Of(Equal(R[i.b], R[i.c])); return true;
    case bc::Op::Ne: R[i.a] = Value::Of(!Equal(R[i.b], R[i.c])); return true;
    // A missing value (nil) compares false with everything, like SQL NULL.
    case bc::Op::Lt: R[i.a] = Value::Of(R[i.b].tag != Value::Nil && R[i.c].tag != Value::Nil && Less(R[i.b], R[i.c])); return true;
    case bc::Op::Le: R[i.a] = Value::Of(R[i.b].tag != Value::Nil && R[i.c].tag != Value::Nil && !Less(R[i.c], R[i.b])); return true;
    case bc::Op::Gt: R[i.a] = Value::Of(R[i.b].tag != Value::Nil && R[i.c].tag != Value::Nil && Less(R[i.c], R[i.b])); return true;
    case bc::Op::Ge: R[i.a] = Value::Of(R[i.b].tag != Value::Nil && R[i.c].tag != Value::Nil && !Less(R[i.b], R[i.c])); return true;
    case bc::Op::In: R[i.a] = Value::Of(Member(R[i.b], R[i.c])); return true;
    case bc::Op::Contains: R[i.a] = Value::Of(Member(R[i.c], R[i.b])); return true;
    case bc::Op::StartsWith:
      R[i.a] = Value::Of(R[i.b].tag == Value::String && R[i.c].tag == Value::String && R[i.b].text.substr(0, R[i.c].text.size()) == R[i.c].text);
      return true;
    case bc::Op::EndsWith:
      R[i.a] = Value::Of(R[i.b].tag == Value::String && R[i.c].tag == Value::String && R[i.b].text.size() >= R[i.c].text.size() &&
                         R[i.b].text.substr(R[i.b].text.size() - R[i.c].text.size()) == R[i.c].text);
      return true;
    case bc::Op::Index: {
      Value out;
      if (R[i.b].tag == Value::List && R[i.b].list && R[i.c].tag == Value::Number) {
        double k = R[i.c].number;
        if (k >= 0 && k < static_cast<double>(R[i.b].list->size())) out = (*R[i.b].list)[static_cast<size_t>(k)];
      } else if (R[i.b].tag == Value::Map && R[i.b].map && R[i.c].tag == Value::String) {
        for (const auto& [k, v] : *R[i.b].map)
          if (k == R[i.c].text) out = v;
      }
      R[i.a] = out;
      return true;
    }
    case bc::Op::Call:
    case bc::Op::Filter: {
      const Builtin& fn = i.op == bc::Op::Call ? l.functions[i.b] : l.filters[i.b];
      uint8_t arity = i.op == bc::Op::Call ? m.functions[i.b].arity : m.filters[i.b].arity;
      R[i.a] = fn ? fn(R + i.c, arity, BuiltinContext{self.arena, self.wheel.now(), &self.zoneOf(j, user)}) : Value{};
      return true;
    }
    case bc::Op::Concat: {
      // Templates are mostly text between entry and profile properties
      // that are text too: those pieces are copied once, into the arena.
      size_t total = 0;
      uint32_t texts = 0;
      for (; texts < i.c && R[i.b + texts].tag == Value::String; ++texts) total += R[i.b + texts].text.size();
      if (texts == i.c && total <= kMaxText) {
        char* start = self.arena.room(total);
        size_t at = 0;
        for (uint32_t k = 0; k < i.c; ++k) {
          std::string_view piece = R[i.b + k].text;
          if (!piece.empty()) std::memcpy(start + at, piece.data(), piece.size());
          at += piece.size();
        }
        R[i.a] = Value::Str(std::string_view(start, total));
        return true;
      }
      std::string& s = self.concatScratch;
      s.clear();
      for (uint32_t k = 0; k < i.c; ++k) AppendText(s, R[i.b + k]);
      if (s.size() > kMaxText) {
        s.resize(kMaxText);
        self.problem("a journey built text longer than 64 KiB; it was cut there");
      }
      R[i.a] = Value::Str(self.arena.keep(s));
      return true;
    }
    case bc::Op::List: {
      ValueList* list = self.arena.list();
      for (uint32_t k = 0; k < i.c; ++k) list->push_back(R[i.b + k]);
      Value v;
      v.tag = Value::List;
      v.list = list;
      if (!WithinValueBounds(v)) {
        list->clear();
        self.problem(ValueTooLarge() + "; it was left empty");
      }
      R[i.a] = v;
      return true;
    }
    case bc::Op::MapNew: {
      Value v;
      v.tag = Value::Map;
      v.map = self.arena.map();
      R[i.a] = v;
      return true;
    }
    case bc::Op::MapSet: {
      // A map grows in place only while nothing else can hold it (the
      // compiler's map literals); otherwise the register gets a grown copy,
      // so a value never changes once another holds it: no map can come to
      // hold itself, and no value can outgrow the bounds it was checked
      // against when it was made.
      if (R[i.a].tag != Value::Map || !R[i.a].map) return true;
      const ValueMap* old = R[i.a].map;
      bool inPlace = self.arena.isNewest(old) && !(R[i.b].tag == Value::Map && R[i.b].map == old);
      ValueMap* grown = inPlace ? const_cast<ValueMap*>(old) : self.arena.map();
      if (!inPlace) *grown = *old;
      grown->emplace_back(m.str(i.c), R[i.b]);
      Value v = R[i.a];
      v.map = grown;
      if (!WithinValueBounds(v)) {
        grown->pop_back();
        self.problem(ValueTooLarge() + "; key \"" + m.str(i.c) + "\" was not set");
      }
      R[i.a] = v;
      return true;
    }
    default: return false;
  }
}

void Engine::Impl::run(uint32_t id, const Event* e, Value resume) {
  ++runCount;
  Instance* in = &instances[id];
  size_t j = in->journey;
  Loaded& l = journeys[j];
  const bc::Module& m = l.module;
  if (regs.size() < m.registerCount) regs.resize(m.registerCount);
  Value* R = regs.data();
  std::fill_n(R, m.registerCount, Value{});  // as in exec: nothing left from an earlier run
  uint32_t pc = in->pc;
  R[in->reg] = resume;  // the outcome of the wait it resumes from
  int64_t now = wheel.now();
  for (uint64_t steps = 0; steps < options.instructionBudget; ++steps) {
    const bc::Instr& i = m.code[pc++];
    switch (i.op) {
      case bc::Op::Jump: pc = i.c; continue;
      case bc::Op::JumpIfFalse: if (!R[i.a].truthy()) pc = i.c; continue;
      case bc::Op::JumpIfTrue: if (R[i.a].truthy()) pc = i.c; continue;
      case bc::Op::Enter: {
        in->node = i.b;
        l.stats.nodes[i.b].entered++;
        // A send node's users qualify for the journeys it triggers when the
        // message goes out (see Op::Send), others on arriving.
        if (m.nodes[i.b].kind != bc::NodeKind::Send) queueTriggers(j, i.b, in->user);
        continue;
      }
      case bc::Op::Take:
        l.stats.nodes[in->node].exitsByPath[i.b]++;
        pc = i.c;
        continue;
      case bc::Op::End:
        if (m.goals.empty()) {
          finish(id, Outcome::Completed);
          return;
        }
        holdAtEnd(id);
        return;
      case bc::Op::Exit: finish(id, Outcome::ForcedExit); return;
      case bc::Op::WaitFor:
      case bc::Op::WaitUntil:
      case bc::Op::WaitUntilTime: {
        int64_t due;
        if (i.op == bc::Op::WaitFor) {
          int64_t seconds = 0;
          due = SecondsOf(R[i.a].number, seconds) ? now + seconds : now;
        } else if (i.op == bc::Op::WaitUntil) {
          // A time that is no time (unparseable text, NaN, out of range) is
          // treated as past: the user goes on at once.
          due = now;
          if (R[i.a].tag == Value::Number) SecondsOf(R[i.a].number, due);
          else if (R[i.a].tag == Value::String) ParseIsoTime(R[i.a].text, due);
        }
        else due = zoneOf(j, in->user).nextAt(now, static_cast<int>(i.b), static_cast<uint8_t>(i.c));
        if (due <= now) continue;  // a time already past: go on at once
        in->wait = WaitKind::Timer;
        in->waitDeadline = due;
        break;
      }
      case bc::Op::AwaitEvent:
        in->wait = WaitKind::Event;
        in->arg = i.b;
        setWindow(*in, i.c);
        break;
      case bc::Op::AwaitInaction:
        in->wait = WaitKind::Inaction;
        in->arg = i.b;
        in->phase = 0;
        setWindow(*in, i.c);
        break;
      case bc::Op::AwaitDaily:
        // Past behaviour is evaluated at 00:00 in the journey's zone.
        in->wait = WaitKind::Daily;
        in->arg = i.b;
        // With a window, those still not matching when it ends take timeout
        // then, not at the next evaluation.
        in->phaseDeadline = i.c ? windowDeadline(in->journey, now + i.c) : 0;
        in->waitDeadline = l.zone.nextMidnight(now);
        if (in->phaseDeadline) in->waitDeadline = std::min(in->waitDeadline, in->phaseDeadline);
        break;
      case bc::Op::AwaitStatus:
        in->wait = WaitKind::Status;
        in->arg = i.b;
        setWindow(*in, i.c);
        break;
      case bc::Op::Send: {
        const bc::SendSite& site = m.sends[i.b];
        const std::string& channel = m.str(site.channel);
        User& u = users[in->user];
        uint32_t channelId = anyLimits ? channelIndex(channel) : 0;  // only frequency limits count by channel
        // Frequency limits: a capped send is suppressed, never silently skipped.
        bool capped = false;
        if (const UserData* d = u.data.get())
          for (const bc::Limit& lim : m.limits) {
            bool all = m.str(lim.channel) == "all";
            if (!all && m.str(lim.channel) != channel) continue;
            int64_t recent = 0;
            for (const UserData::SendMark& s : d->recentSends)
              recent += (all || s.channel == channelId) && s.time > now - lim.perSeconds;
            if (recent >= lim.count) capped = true;
          }
        if (capped) {
          l.stats.suppressed++;
          l.stats.nodes[in->node].suppressed++;
          R[i.a] = Value::Str("suppressed");
          continue;
        }
        // When it goes out: at the site's fixed time of day if it has one,
        // then moved past every do-not-disturb window of the channel that
        // covers that instant (windows may follow one another), in the
        // journey's local time. A discarding window suppresses it instead.
        int64_t at = now;
        const Zone& userZone = zoneOf(j, in->user);
        if (site.sendAtMinute >= 0 && userZone.minuteOfDay(now) != site.sendAtMinute)
          at = userZone.nextAt(now, site.sendAtMinute, 0x7F);
        bool discard = false;
        for (int hops = 0; hops < 16 && !discard; ++hops) {
          int64_t end = DndEnd(m, userZone, channel, at, discard);
          if (!end) break;
          at = end;
        }
        if (discard) {
          l.stats.suppressed++;
          l.stats.nodes[in->node].suppressed++;
          R[i.a] = Value::Str("suppressed");
          continue;
        }
        // The content as text: a string is its own text (no copy), anything
        // else is rendered into the scratch record. That one record serves
        // every send: its strings keep their capacity, so a send allocates
        // nothing once the buffers have grown.
        // A list or a map (a WhatsApp template's vars, a webhook's headers,
        // RCS suggestions) goes out as a JSON array or object, so that a
        // provider reads its entries and no value's text can be mistaken
        // for a separator.
        OutboxRecord& rec = sendScratch;
        rec.content.resize(site.fields.size());
        rec.jsonFields = 0;
        sendValues.resize(site.fields.size());
        for (size_t f = 0; f < site.fields.size(); ++f) {
          const Value& v = R[i.c + f];
          if (v.tag == Value::String) {
            sendValues[f] = v.text;
            continue;
          }
          rec.content[f].second.clear();
          if ((v.tag == Value::List || v.tag == Value::Map) && f < 64) {
            AppendJson(rec.content[f].second, v);
            rec.jsonFields |= uint64_t{1} << f;
          } else {
            AppendText(rec.content[f].second, v);
          }
          sendValues[f] = rec.content[f].second;
        }
        uint16_t seq = ++in->sendSeq;
        if (anyLimits) {
          auto& marks = dataOf(in->user).recentSends;
          if (marks.size() >= kMaxSendMarks) marks.erase(marks.begin());
          marks.push_back({at, channelId});
        }
        if (lines && at <= now) {
          // Straight into the host's buffer: no record to fill.
          std::string_view user = idOf(in->user);
          const SendLineText& text = l.sendLines[i.b];
          if (char* p = lines->room(SendLineBound(text, user.size(), sendValues.data())))
            lines->wrote(WriteSendLine(p, text, now, user, slotOf(in->user, in->journey).runs, seq, sendValues.data(), rec.jsonFields));
          l.stats.sent++;
          l.stats.nodes[in->node].sent++;
          queueTriggers(j, in->node, in->user);
          R[i.a] = Value::Str("sent");
          continue;
        }
        rec.journey.assign(name(j));
        rec.version = m.structuralHash;
        rec.node.assign(m.str(m.nodes[site.node].name));
        rec.user.assign(idOf(in->user));
        rec.channel.assign(channel);
        messageId(*in, seq, rec.messageId);
        rec.time = now;
        for (size_t f = 0; f < site.fields.size(); ++f) {
          rec.content[f].first.assign(m.str(site.fields[f]));
          if (R[i.c + f].tag == Value::String) rec.content[f].second.assign(sendValues[f]);
        }
        if (at > now) {
          // Held: the user waits here until `at`, then it goes out (a user
          // who exits meanwhile is not messaged).
          deferred[id] = rec;  // a copy: the scratch record is reused
          in->wait = WaitKind::Timer;
          in->waitDeadline = at;
          break;
        }
        emit(rec, l, in->node);
        queueTriggers(j, in->node, in->user);
        R[i.a] = Value::Str("sent");
        continue;
      }
      case bc::Op::Split: {
        const bc::NodeInfo& node = m.nodes[i.b];
        double point = static_cast<double>(Fnv(idOf(in->user), name(j), m.str(node.name)) % 1000000) / 10000.0;
        double acc = 0;
        size_t arm = node.arms.empty() ? 0 : node.arms.size() - 1;
        for (size_t k = 0; k < node.arms.size(); ++k) {
          acc += node.arms[k].percent;
          if (point < acc) {
            arm = k;
            break;
          }
        }
        R[i.a] = Value::Num(static_cast<double>(arm));
        continue;
      }
      case bc::Op::SetProp:
      case bc::Op::AddProp:
      case bc::Op::RemoveProp:
      case bc::Op::IncProp:
      case bc::Op::DecProp: {
        ProfileValue& p = profileSlot(in->user, m.str(i.c));
        const Value& v = R[i.a];
        switch (i.op) {
          case bc::Op::SetProp: p = ProfileValue::From(v); break;
          case bc::Op::AddProp:
            p.tag = Value::List;
            p.items().push_back(ProfileValue::From(v));
            if (p.list->size() > kMaxProfileList) {
              p.list->erase(p.list->begin());
              problem("profile list \"" + m.str(i.c) + "\" reached " + std::to_string(kMaxProfileList) + " entries; the oldest are dropped");
            }
            break;
          case bc::Op::RemoveProp: {
            if (!p.list) break;
            auto& list = *p.list;
            list.erase(std::remove_if(list.begin(), list.end(),
                                      [&](const ProfileValue& x) { return Equal(x.view(arena), v); }),
                       list.end());
            break;
          }
          default: {
            double step = v.tag == Value::Number ? v.number : 1;
            double base = p.tag == Value::Number ? p.number : 0;
            p.tag = Value::Number;
            p.number = i.op == bc::Op::IncProp ? base + step : base - step;
          }
        }
        continue;
      }
      case bc::Op::Return:
        problem("journey code of \"" + name(j) + "\" reached Return");
        finish(id, Outcome::Runaway);
        return;
      default:
        step(j, i, R, in->user, e, in);
        continue;
    }
    // Suspended: remember where to go on and which register gets the outcome.
    in->pc = pc;
    in->reg = i.a;
    l.stats.nodes[in->node].waiting++;
    in->generation++;
    schedule(id);
    return;
  }
  problem("an instance of \"" + name(j) + "\" ran past the instruction budget and was stopped");
  finish(id, Outcome::Runaway);
}

// ------------------------------------------------------------ facade
Engine::Engine(std::vector<bc::Module> modules, OutboxSink outbox, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(modules), std::move(outbox), options)) {}
Engine::~Engine() = default;
void Engine::start(int64_t time) {
  if (impl_->clockSet) return;
  time = ClampToCalendar(time);
  impl_->wheel = TimerWheel(time);
  impl_->reserveTimers();  // the new wheel's pool, as expectUsers asked for the first
  impl_->clockSet = true;
  impl_->startSchedules(time);
}
void Engine::advanceTo(int64_t time) {
  time = ClampToCalendar(time);
  if (!impl_->clockSet) start(time);
  impl_->advanceTo(time);
}
void Engine::process(const Event& e) {
  if (e.time != ClampToCalendar(e.time)) {
    Event at = e;
    at.time = ClampToCalendar(e.time);
    process(at);
    return;
  }
  if (!impl_->clockSet) start(e.time);
  impl_->processAndDrain(e);
}
void Engine::enterList(size_t journey, const std::vector<std::string>& users) {
  if (!impl_->clockSet) start(0);
  impl_->enterList(journey, users);
}
int64_t Engine::now() const { return impl_->wheel.now(); }
bool Engine::started() const { return impl_->clockSet; }
bool Engine::setLifecycle(const std::string& journey, LifecycleAction action, std::string& error) {
  bool found = false;
  for (size_t j = 0; j < impl_->journeys.size(); ++j) {
    auto& l = impl_->journeys[j];
    if (l.module.str(l.module.name) != journey) continue;
    found = true;
    Lifecycle& s = l.state;
    switch (action) {
      case LifecycleAction::Pause:
        if (s != Lifecycle::Live && s != Lifecycle::Paused) error = "only a live journey can be paused";
        else s = Lifecycle::Paused;
        break;
      case LifecycleAction::Resume:
        if (s != Lifecycle::Live && s != Lifecycle::Paused) error = "a stopped journey cannot be restarted";
        else if (s == Lifecycle::Paused) {
          s = Lifecycle::Live;
          // While paused no date-property entry was planned (identify
          // calls, users leaving): every user not inside or pending is
          // planned now, from their property's value now. Dates that
          // passed during the pause stay missed.
          if (l.module.entry.kind == bc::EntryKind::DateProperty && !l.retired)
            for (uint32_t user = 0; user < impl_->users.size(); ++user)
              if (impl_->slotOf(user, j).instance == kNone) impl_->planDateEntry(user, j);
        }
        break;
      case LifecycleAction::Stop:
        if (s == Lifecycle::Archived) error = "an archived journey is already stopped";
        else s = Lifecycle::Stopped;
        break;
      case LifecycleAction::Archive:
        if (s != Lifecycle::Stopped && s != Lifecycle::Archived) error = "a running journey cannot be archived; stop it first";
        else s = Lifecycle::Archived;
        break;
      case LifecycleAction::Unarchive:
        if (s != Lifecycle::Archived) error = "only an archived journey can be unarchived";
        else s = Lifecycle::Stopped;
        break;
    }
  }
  if (!found) error = "no journey named \"" + journey + "\" is loaded";
  return error.empty();
}

Engine::Lifecycle Engine::lifecycle(size_t j) const { return impl_->journeys[j].state; }

const char* LifecycleName(Engine::Lifecycle s) {
  switch (s) {
    case Engine::Lifecycle::Live: return "live";
    case Engine::Lifecycle::Paused: return "paused";
    case Engine::Lifecycle::Stopped: return "stopped";
    case Engine::Lifecycle::Archived: return "archived";
  }
  return "?";
}

Engine::Deployment Engine::deploy(bc::Module module, std::string& error) {
  Deployment d = impl_->deploy(std::move(module), error);
  impl_->drainTriggers();
  return d;
}
bool Engine::has(const std::string& journey) const {
  for (size_t j = 0; j < impl_->journeys.size(); ++j)
    if (impl_->name(j) == journey) return true;
  return false;
}
bool Engine::add(bc::Module module, std::string& error) {
  if (has(module.str(module.name))) {
    error = "a journey named \"" + module.str(module.name) + "\" is already loaded; deploy a new version of it instead";
    return false;
  }
  if (impl_->journeys.size() >= UINT16_MAX) {
    error = "too many journeys";
    return false;
  }
  impl_->add(std::move(module));
  return true;
}

namespace {
// Snapshot header: magic, format version, byte order, body length; the
// body's FNV-1a checksum follows the body.
constexpr char kSnapshotMagic[6] = {'J', 'S', 'N', 'A', 'P', '\x1a'};
// Version 2 added the statistics' day marks, version 3 the stays and the
// send nodes' counts, version 4 which fields of a held send are JSON (lists
// and maps); versions 1 to 3 are still read.
constexpr uint16_t kSnapshotVersion = 4;
constexpr uint16_t kOldestSnapshotVersion = 1;
constexpr size_t kSnapshotHeader = sizeof kSnapshotMagic + 2 + 1 + 8;
bool LittleEndianHost() {
  uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}
}  // namespace

std::string Engine::snapshot() const {
  std::string out(kSnapshotMagic, sizeof kSnapshotMagic);
  ByteWriter header(out);
  out += static_cast<char>(kSnapshotVersion & 0xFF);
  out += static_cast<char>(kSnapshotVersion >> 8);
  header.u8(LittleEndianHost() ? 1 : 2);
  header.i64(0);  // body length, filled in below
  ByteWriter body(out);
  impl_->save(body);
  int64_t length = static_cast<int64_t>(out.size() - kSnapshotHeader);
  std::memcpy(out.data() + kSnapshotHeader - 8, &length, 8);
  uint64_t sum = FnvAppend(kFnvBasis, std::string_view(out).substr(kSnapshotHeader));
  body.i64(static_cast<int64_t>(sum));
  return out;
}

std::unique_ptr<Engine> Engine::Restore(std::string_view bytes, OutboxSink outbox, EngineOptions options, std::string& error) {
  if (bytes.size() < kSnapshotHeader + 8 || std::memcmp(bytes.data(), kSnapshotMagic, sizeof kSnapshotMagic) != 0) {
    error = bytes.size() < sizeof kSnapshotMagic ? "not a journey snapshot (too short)" : "not a journey snapshot (bad magic)";
    return nullptr;
  }
  unsigned version = static_cast<unsigned char>(bytes[6]) | static_cast<unsigned char>(bytes[7]) << 8;
  if (version < kOldestSnapshotVersion || version > kSnapshotVersion) {
    error = "snapshot format version " + std::to_string(version) + " is not supported (this VM reads versions " +
            std::to_string(kOldestSnapshotVersion) + " to " + std::to_string(kSnapshotVersion) + ")";
    return nullptr;
  }
  if (bytes[8] != (LittleEndianHost() ? 1 : 2)) {
    error = "the snapshot was written on a machine of the other byte order";
    return nullptr;
  }
  int64_t length;
  std::memcpy(&length, bytes.data() + kSnapshotHeader - 8, 8);
  if (length < 0 || static_cast<uint64_t>(length) != bytes.size() - kSnapshotHeader - 8) {
    error = "the snapshot is truncated or has trailing bytes: the header says " + std::to_string(length) + " bytes of body, the file has " +
            std::to_string(bytes.size() - kSnapshotHeader - (bytes.size() >= kSnapshotHeader + 8 ? 8 : 0));
    return nullptr;
  }
  std::string_view body = bytes.substr(kSnapshotHeader, static_cast<size_t>(length));
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + kSnapshotHeader + length, 8);
  if (FnvAppend(kFnvBasis, body) != stored) {
    error = "the snapshot's checksum does not match: it is damaged";
    return nullptr;
  }
  auto engine = std::make_unique<Engine>(std::vector<bc::Module>{}, std::move(outbox), options);
  ByteReader reader(body);
  if (!engine->impl_->restore(reader, version, error)) {
    error = "the snapshot is damaged: " + error;
    return nullptr;
  }
  return engine;
}

std::string Engine::dumpState() const { return impl_->dumpState(); }

size_t Engine::journeyCount() const { return impl_->journeys.size(); }
const bc::Module& Engine::module(size_t j) const { return impl_->journeys[j].module; }
const JourneyStats& Engine::stats(size_t j) const { return impl_->journeys[j].stats; }
JourneyStats Engine::statsForDays(size_t j, int64_t firstDay, int64_t lastDay) const {
  return impl_->statsForDays(j, firstDay, lastDay);
}
void Engine::prefetchUser(std::string_view user, uint64_t hash) { impl_->prefetchUser(user, hash); }
void Engine::sendLinesTo(OutboxLines* lines) { impl_->lines = lines; }
void Engine::expectUsers(size_t users) { impl_->expectUsers(users); }
size_t Engine::activeInstances() const { return impl_->active; }
uint64_t Engine::runs() const { return impl_->runCount; }
size_t Engine::pendingTimers() const {
  // Timers of users, plus scheduled entries that will still run (once or on
  // dates); recurring schedules never run out, so they do not count.
  size_t n = impl_->wheel.pending();
  for (const auto& l : impl_->journeys)
    if (l.nextEntryRun != INT64_MAX &&
        (l.module.entry.schedule == bc::ScheduleKind::Once || l.module.entry.schedule == bc::ScheduleKind::Dates))
      ++n;
  return n;
}
size_t Engine::userCount() const { return impl_->users.size(); }
const std::vector<std::string>& Engine::problems() const { return impl_->problems; }

}  // namespace journey::vm

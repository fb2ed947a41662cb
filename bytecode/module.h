// module.h — a compiled journey: the in-memory form of a .jbc file.
//
// The compiler's code generator fills a Module from the typed IR; the VM
// loads one from bytes (format.h), always through the verifier (verify.h),
// and executes it. This library is the whole contract between the two: the
// VM includes nothing from the compiler.
//
// Code is a flat array of 8-byte instructions (opcodes.def). Each node has
// an entry point; conditions compile to predicates, small code blocks that
// end in Return and that the runtime evaluates against an event (routing,
// goals, live segments) or the user's history. Side tables hold what is not
// code: nodes and their paths, send sites, aggregates, inactions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace journey::bc {

enum class Op : uint8_t {
#define OP(Name, A, B, C, Effect) Name,
#include "bytecode/opcodes.def"
#undef OP
};
constexpr unsigned kOpCount = 0
#define OP(Name, A, B, C, Effect) +1
#include "bytecode/opcodes.def"
#undef OP
    ;

// What an operand field holds (the letters of opcodes.def).
enum class Operand : uint8_t { None, Reg, Const, String, Jump, Node, Imm, Pred, Wait, Site, Func, Filter, Mask, Aggregate };

struct OpInfo {
  const char* name;
  Operand a, b, c;
  const char* effect;
};
const OpInfo& InfoOf(Op op);
// A hash of the instruction table (names and formats) stored in each file.
uint64_t IsaHash();

struct Instr {
  Op op = Op::Nop;
  uint8_t a = 0;
  uint16_t b = 0;
  uint32_t c = 0;
};

enum class ConstKind : uint8_t { Nil, Bool, Number, String, Duration, Datetime };
struct Const {
  ConstKind kind = ConstKind::Nil;
  double number = 0;    // Bool (0/1), Number, Duration (s), Datetime (epoch s)
  uint32_t string = 0;  // String: index into strings
};

// A condition compiled to code; `events` are the event names that can make
// it true, so the runtime evaluates it only for those.
struct Predicate {
  uint32_t pc = 0;
  std::vector<uint32_t> events;  // string indexes
};

enum class AggregateKind : uint8_t { Exists, Count, Sum, Avg, Min, Max };
enum class Compare : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
// `did "E" [where P] [count|sum x ... >= N] in last D`
struct AggregateSpec {
  uint32_t event = 0;        // string
  int32_t where = -1;        // predicate over each event, or -1
  AggregateKind kind = AggregateKind::Exists;
  uint32_t property = 0;     // string; for Sum/Avg/Min/Max
  Compare compare = Compare::Ge;
  double threshold = 0;
  int64_t seconds = 0;       // the look-back period
};

// `did A and not did B within T`
struct InactionSpec {
  uint32_t first = 0;   // predicate for A
  uint32_t absent = 0;  // predicate for B
  int64_t within = 0;
};

struct SendSite {
  uint32_t node = 0;
  uint32_t channel = 0;               // string
  int32_t sendAtMinute = -1;          // fixed time of day, or -1
  std::vector<uint32_t> fields;       // strings: field names, values in R[C..]
  std::vector<uint32_t> statuses;     // strings: the channel's statuses; mask bit i = statuses[i]
};

enum class NodeKind : uint8_t { Wait, WaitUntilTime, WaitUntilProperty, Segment, Send, Split, Update, Exit };

struct Path {
  uint32_t label = 0;    // string
  int32_t target = -1;   // node, or -1 end, -2 exit
};

struct SplitArm {
  uint32_t name = 0;  // string
  double percent = 0;
};

struct NodeInfo {
  uint32_t name = 0;  // string
  NodeKind kind = NodeKind::Exit;
  uint32_t pc = 0;
  int64_t windowSeconds = 0;
  std::vector<Path> paths;
  std::vector<SplitArm> arms;
};

enum class EntryKind : uint8_t { Action, Inaction, PastBehaviour, DateProperty, JourneyTrigger, CustomList };
enum class ScheduleKind : uint8_t { None, Once, Dates, Daily, Weekly, Monthly };

struct Entry {
  EntryKind kind = EntryKind::Action;
  int32_t predicate = -1;   // Action, PastBehaviour: who qualifies
  int32_t inaction = -1;    // Inaction
  ScheduleKind schedule = ScheduleKind::None;
  std::vector<int64_t> dates;
  int32_t minuteOfDay = 0;
  uint8_t weekdays = 0;
  std::vector<int32_t> monthDays;
  uint32_t property = 0;       // DateProperty: profile property (string)
  int64_t offsetSeconds = 0;   // DateProperty: negative = before
  uint32_t journey = 0, node = 0;  // JourneyTrigger (strings)
  uint32_t list = 0;               // CustomList path (string)
  std::vector<uint32_t> entryProperties;  // entry.x the journey reads (strings): kept per user
};

enum class GoalKind : uint8_t { Action, PastBehaviour };
struct Goal {
  uint32_t name = 0;
  GoalKind kind = GoalKind::Action;
  uint32_t predicate = 0;
};

struct Dnd {
  uint8_t days = 0x7F;
  int32_t fromMinute = 0, toMinute = 0;
  bool discard = false;
  std::vector<uint32_t> channels;  // strings; empty = every channel but webhook
};

struct Limit {
  uint32_t channel = 0;  // string; "all"
  int64_t count = 0;
  int64_t perSeconds = 0;
};

enum class Reentry : uint8_t { Never, Always, After };

struct Callable {
  uint32_t name = 0;  // string: a builtin function or filter the VM must provide
  uint8_t arity = 0;
};

// The longest duration a module holds (a wait, window, look-back period,
// timeout, re-entry delay or date offset): 2^40 seconds, about 34,800 years.
// The compiler refuses longer ones and the verifier rejects them, so the VM
// adds a duration to any time it keeps without overflow.
constexpr int64_t kMaxDurationSeconds = int64_t{1} << 40;
// The largest list or map journey code may build: at most kMaxValueDepth
// levels and kMaxValueNodes values, counted as a walk over it meets them
// (the list or map itself included). The VM leaves out whatever goes past
// them (vm/value.h); the compiler refuses literals that would.
constexpr size_t kMaxValueDepth = 32;
constexpr size_t kMaxValueNodes = 4096;
// The event message statuses come back as (docs/events.md): it resumes
// status branches and meets goals, and the compiler refuses it where a live
// event is waited for (J0330).
constexpr std::string_view kMessageStatusEvent = "journey.message";
// Scheduled entry dates (local seconds since the epoch) lie in years
// 0000-9999, the years a timestamp can name.
constexpr int64_t kEarliestSecond = -62167219200;  // 0000-01-01T00:00:00
constexpr int64_t kLatestSecond = 253402300799;    // 9999-12-31T23:59:59

struct LineEntry {
  uint32_t pc = 0;
  uint32_t line = 0, col = 0;
};

struct Module {
  // Journey settings.
  uint32_t name = 0, description = 0, timezone = 0;  // strings
  bool userTimezone = false;
  Entry entry;
  Reentry reentry = Reentry::Never;
  int64_t reentrySeconds = 0;
  int64_t timeoutSeconds = 0;
  std::vector<Goal> goals;
  std::vector<Dnd> dnds;
  std::vector<Limit> limits;
  uint32_t start = 0;  // node
  uint64_t structuralHash = 0, contentHash = 0;
  uint16_t registerCount = 1;
  // Tables.
  std::vector<std::string> strings;
  std::vector<Const> consts;
  std::vector<Instr> code;
  std::vector<Predicate> predicates;
  std::vector<AggregateSpec> aggregates;
  std::vector<InactionSpec> inactions;
  std::vector<SendSite> sends;
  std::vector<NodeInfo> nodes;
  std::vector<Callable> functions;
  std::vector<Callable> filters;
  std::vector<uint32_t> profileProperties;  // strings
  std::vector<LineEntry> lines;

  const std::string& str(uint32_t i) const { return strings[i]; }
};

}  // namespace journey::bc

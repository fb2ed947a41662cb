// ir.h — the typed journey IR: the contract between compiler and VM.
//
// The checker produces one ir::Journey per journey: a graph of typed nodes
// with labelled edges, typed expressions and conditions, every name resolved
// and every literal decoded. The VM (and the bytecode generator) read only
// this; they never see the AST, the parse tree or ANTLR. Nothing here
// depends on the compiler.
//
// Conventions: durations are seconds; times of day are minutes since
// midnight in the journey's zone; dates are epoch seconds of wall-clock time
// in that zone; day masks have bit 0 = Monday … bit 6 = Sunday.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace journey::ir {

// ------------------------------------------------------------ types
enum class TypeKind : uint8_t { Error, String, Number, Bool, Datetime, Duration, Map, List, Any };

struct Type {
  TypeKind kind = TypeKind::Error;
  TypeKind element = TypeKind::Error;  // for List
  bool operator==(const Type& o) const { return kind == o.kind && (kind != TypeKind::List || element == o.element); }
  bool operator!=(const Type& o) const { return !(*this == o); }
  static Type Of(TypeKind k) { return {k, TypeKind::Error}; }
  static Type ListOf(TypeKind e) { return {TypeKind::List, e}; }
};
std::string TypeName(Type t);

struct SourceLoc {
  uint32_t line = 0;
  uint32_t col = 0;
};

// ------------------------------------------------------------ expressions
enum class ExprOp : uint8_t {
  Literal,     // value
  Profile,     // profile.<name>
  EntryProp,   // entry.<name>: property of the event that brought the user in
  EventProp,   // <name> inside a `where`: property of the event being matched
  Call,        // builtin function <name>(args)
  Filter,      // template filter <name>(args[0] = piped value, args[1..] = arguments)
  Template,    // concatenation of args, each rendered as text
  Neg, Not,
  Add, Sub, Mul, Div, Mod,
  Eq, Ne, Lt, Le, Gt, Ge,
  In, Contains, StartsWith, EndsWith,
  And, Or,
  List, Map, Index,
};
const char* ExprOpName(ExprOp op);

struct Value {
  Type type;
  std::string text;  // String
  double number = 0;  // Number, Duration (s), Datetime (epoch s)
  bool boolean = false;
};

struct Expr {
  ExprOp op = ExprOp::Literal;
  Type type;
  Value value;                    // Literal
  std::string name;               // property, function or filter name
  std::vector<Expr> args;
  std::vector<std::string> keys;  // Map keys, parallel to args
  SourceLoc loc;
};

// ------------------------------------------------------------ conditions
enum class CondOp : uint8_t { And, Or, Not, Did, JourneyTrigger, CustomList, RelativeTime, Predicate };
enum class Aggregate : uint8_t { None, Count, Sum, Avg, Min, Max };
enum class PeriodKind : uint8_t { None, Within, Last };

struct Did {
  std::string event;
  std::optional<Expr> where;
  Aggregate aggregate = Aggregate::None;
  std::string aggregateProperty;
  ExprOp compare = ExprOp::Ge;
  double threshold = 0;
  PeriodKind period = PeriodKind::None;
  int64_t periodSeconds = 0;
};

struct Cond {
  CondOp op = CondOp::Predicate;
  std::vector<Cond> args;  // And/Or: 2, Not: 1
  Did did;
  std::string journey, node;  // JourneyTrigger
  std::string list;           // CustomList (path as written)
  int64_t offsetSeconds = 0;  // RelativeTime: negative = before
  Expr expr;                  // RelativeTime (datetime property) or Predicate (bool)
  SourceLoc loc;
};

// ------------------------------------------------------------ journey parts
enum class EntryKind : uint8_t { Action, Inaction, PastBehaviour, DateProperty, JourneyTrigger, CustomList };
const char* EntryKindName(EntryKind k);

struct Schedule {
  enum Kind : uint8_t { None, Once, Dates, Daily, Weekly, Monthly } kind = None;
  std::vector<int64_t> dates;
  int minuteOfDay = 0;
  uint8_t weekdays = 0;  // mask
  std::vector<int> monthDays;
};

// Inaction entries are normalised to And(Did A, Not(Did B within T)).
struct Entry {
  EntryKind kind = EntryKind::Action;
  Cond condition;
  Schedule schedule;
  std::string entryEvent;  // the event whose properties `entry.x` reads; empty if none
};

enum class GoalKind : uint8_t { Action, PastBehaviour };
struct Goal {
  std::string name;
  GoalKind kind = GoalKind::Action;
  Cond condition;
  SourceLoc loc;
};

struct Dnd {
  uint8_t days = 0x7F;
  int fromMinute = 0, toMinute = 0;  // from > to crosses midnight
  bool discard = false;
  std::vector<std::string> channels;  // empty = every channel but webhook
};

struct Limit {
  std::string channel;  // "all" for every channel
  int64_t count = 0;
  int64_t perSeconds = 0;
};

enum class Reentry : uint8_t { Never, Always, After };

// ------------------------------------------------------------ nodes
enum class NodeKind : uint8_t { Wait, WaitUntilTime, WaitUntilProperty, Segment, Send, Split, Update, Exit };
const char* NodeKindName(NodeKind k);
enum class SegmentMode : uint8_t { Immediate, Live, PastBehaviour };
const char* SegmentModeName(SegmentMode m);

constexpr int32_t kEnd = -1;   // edge target: the user completes the journey
constexpr int32_t kExit = -2;  // edge target: the user is forced out

struct Edge {
  std::string label;
  int32_t target = kEnd;
};

struct ContentField {
  std::string name;
  Expr value;
};

struct SplitArm {
  std::string name;
  double percent = 0;
};

enum class UpdateKind : uint8_t { Set, Add, Remove, Increment, Decrement };
struct UpdateOp {
  UpdateKind kind = UpdateKind::Set;
  std::string property;  // profile property
  Type propertyType;
  Expr value;  // for increment/decrement: the step (1 when not written)
};

struct Node {
  std::string name;
  NodeKind kind = NodeKind::Exit;
  SourceLoc loc;
  // Wait: seconds. WaitUntilTime: minuteOfDay + days. WaitUntilProperty: until + offsetSeconds.
  int64_t seconds = 0;
  int minuteOfDay = 0;
  uint8_t days = 0x7F;
  Expr until;
  int64_t offsetSeconds = 0;  // negative = before
  // Segment
  SegmentMode mode = SegmentMode::Immediate;
  Cond condition;
  // Send
  std::string channel;
  int sendAtMinute = -1;  // -1: send at once
  std::vector<ContentField> content;
  // Split
  std::vector<SplitArm> arms;
  // Update
  std::vector<UpdateOp> updates;
  // Qualifying window (segments, sends with engagement branches); 0 = none
  int64_t windowSeconds = 0;
  std::vector<Edge> edges;
  const Edge* edge(const std::string& label) const {
    for (const Edge& e : edges)
      if (e.label == label) return &e;
    return nullptr;
  }
};

struct Field {
  std::string name;
  Type type;
};

struct Schema {
  std::vector<Field> profile;
  std::map<std::string, std::vector<Field>> events;
};

struct Journey {
  std::string name;
  std::string description;
  std::string sourcePath;
  bool userTimezone = false;
  std::string timezone = "UTC";  // the zone, or the fallback when userTimezone
  Entry entry;
  Reentry reentry = Reentry::Never;
  int64_t reentrySeconds = 0;
  int64_t timeoutSeconds = 0;  // 0 = no journey timeout
  std::vector<Goal> goals;
  std::vector<Dnd> dnds;
  std::vector<Limit> limits;
  int32_t start = 0;
  std::vector<Node> nodes;
  Schema schema;
  uint64_t structuralHash = 0;
  uint64_t contentHash = 0;
};

// ------------------------------------------------------------ utilities
struct DumpOptions {
  bool content = true;    // include message content (the content-only part)
  bool structure = true;  // include everything else
  bool locations = true;  // include line:col of nodes
};
// Stable textual form, used by `journeyc compile --emit=ir` and golden tests.
std::string Dump(const Journey& j, const DumpOptions& opts = {});
std::string DumpExpr(const Expr& e);
std::string DumpCond(const Cond& c);
// Fills structuralHash and contentHash from the canonical dump.
void ComputeHashes(Journey& j);
// A run's figures drawn on the canvas (`journeyc graph --stats`, the
// product's stats overlay), by node, path, goal and outcome name. The driver
// fills it from journey-vm's statistics; the canvas only prints it.
struct CanvasStats {
  std::string summary;                                           // a line under the title
  std::map<std::string, std::vector<std::string>> nodeLines;     // node → lines under its label
  std::map<std::string, std::map<std::string, uint64_t>> exits;  // node → path label → users
  std::map<std::string, uint64_t> goalsMet;                      // goal → users
  std::optional<uint64_t> timedOut;
  std::string endLine;  // on the end node: completed, or held at the end
};
// Graphviz DOT of the journey canvas, with a run's figures when given.
std::string ToDot(const Journey& j, const CanvasStats* stats = nullptr);
std::string FormatDuration(int64_t seconds);
std::string FormatTime(int minuteOfDay);
std::string FormatDays(uint8_t mask);

}  // namespace journey::ir

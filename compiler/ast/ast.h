// ast.h — the syntax tree of a .journey or .jstd file.
//
// Produced by compiler/parse (the only code that sees ANTLR) and consumed by
// compiler/check, which resolves names and types and lowers it to the typed
// IR. The AST keeps what the user wrote, with a source range on everything a
// diagnostic may point at; it resolves nothing. Literal values are already
// decoded (durations in seconds, times in minutes since midnight) so the
// checker never re-reads text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "support/source.h"

namespace journey::ast {

struct Ident {
  std::string text;
  Range range;
};

struct TypeRef {
  Ident name;
  std::shared_ptr<TypeRef> element;  // list<element>
  Range range;
};

// ------------------------------------------------------------ expressions
enum class ExprKind : uint8_t { Literal, Name, Member, Index, Call, Unary, Binary, List, Map };
enum class LiteralKind : uint8_t { String, Number, Percent, Duration, Time, Date, Bool };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Range range;
  // Literal
  LiteralKind literal = LiteralKind::String;
  std::string text;  // decoded string value, or the literal's spelling
  double number = 0;  // Number/Percent value; Duration seconds; Time minutes; Date days since epoch
  bool boolean = false;
  // Name / Member (member name) / Call (callee) / Unary+Binary (operator)
  Ident name;
  std::vector<ExprPtr> operands;  // Member: [object]; Index: [object, index]; Call/List: items; Unary: [x]; Binary: [l, r]; Map: values
  std::vector<Ident> keys;        // Map keys, parallel to operands
};

// ------------------------------------------------------------ conditions
enum class CondKind : uint8_t { Not, And, Or, Did, JourneyTrigger, CustomList, RelativeTime, Predicate };

struct Aggregate {
  std::string function;  // count, sum, avg, min, max
  std::optional<Ident> property;
  std::string compare;  // == != < <= > >=
  double threshold = 0;
  Range range;
};

struct Period {
  enum Kind : uint8_t { None, Within, Last } kind = None;
  int64_t seconds = 0;
  Range range;
};

struct Cond;
using CondPtr = std::unique_ptr<Cond>;

struct Cond {
  CondKind kind = CondKind::Predicate;
  Range range;
  std::vector<CondPtr> operands;  // Not: 1, And/Or: 2
  // Did
  std::string event;
  Range eventRange;
  ExprPtr where;
  std::optional<Aggregate> aggregate;
  Period period;
  // JourneyTrigger
  std::string journey;
  Ident node;
  // CustomList
  std::string list;
  // RelativeTime: `2h before profile.x`
  int64_t offsetSeconds = 0;
  bool before = false;
  // RelativeTime + Predicate
  ExprPtr expr;
};

// ------------------------------------------------------------ nodes
enum class BodyKind : uint8_t { WaitFor, WaitUntilTime, WaitUntilProperty, Segment, Send, Split, Update, Exit };

struct Connector {
  Ident label;
  Ident target;
  Range range;
};

struct ContentField {
  Ident name;
  ExprPtr value;
};

struct SplitArm {
  Ident name;
  double percent = 0;
  Range range;
};

enum class UpdateKind : uint8_t { Set, Add, Remove, Increment, Decrement };
struct UpdateOp {
  UpdateKind kind = UpdateKind::Set;
  ExprPtr property;
  ExprPtr value;  // absent for increment/decrement without `by`
  Range range;
};

struct Node {
  Ident name;
  bool implicitName = false;  // an unnamed flow step
  bool broken = false;        // had a syntax error: only its name is trusted
  Range range;
  BodyKind kind = BodyKind::Exit;
  Range bodyRange;
  // WaitFor
  int64_t seconds = 0;
  // WaitUntilTime
  int minuteOfDay = 0;
  std::vector<Ident> days;
  // WaitUntilProperty
  std::optional<int64_t> offsetSeconds;
  bool before = false;
  ExprPtr until;
  // Segment
  CondPtr segment;
  // Send
  Ident channel;
  std::optional<int> sendAtMinute;
  Range sendAtRange;
  std::vector<ContentField> content;
  // Split
  std::vector<SplitArm> arms;
  // Update
  std::vector<UpdateOp> updates;
  // Tail
  std::optional<int64_t> windowSeconds;
  Range windowRange;
  std::optional<Connector> primary;  // `-> target`
  std::vector<Connector> connectors;  // `on label -> target, ...`
};

struct Flow {
  std::vector<Node> steps;
  Range range;
};

// ------------------------------------------------------------ header
struct Schedule {
  enum Kind : uint8_t { Once, Dates, Daily, Weekly, Monthly } kind = Once;
  std::vector<int64_t> dates;  // epoch seconds (wall-clock in the journey zone)
  int minuteOfDay = 0;
  std::vector<Ident> weekdays;
  std::vector<int> monthDays;
  Range range;
};

struct Entry {
  CondPtr condition;
  std::optional<Schedule> schedule;
  Range range;
};

struct Goal {
  Ident name;
  CondPtr condition;
  Range range;
};

struct DayRange {
  Ident first;
  std::optional<Ident> last;
};

struct Dnd {
  bool everyDay = false;
  std::vector<DayRange> days;
  int fromMinute = 0, toMinute = 0;
  bool discard = false;
  std::vector<Ident> channels;
  Range range;
};

struct Limit {
  Ident channel;
  double count = 0;
  int64_t perSeconds = 0;
  Range range;
};

struct Timezone {
  bool user = false;
  std::string name;  // the zone, or the fallback for `user`
  Range range;
};

struct Reentry {
  enum Kind : uint8_t { Never, Always, After } kind = Never;
  int64_t seconds = 0;
  Range range;
};

struct Journey {
  std::string name;
  Range nameRange;
  Range range;
  // Settings allowed once are kept as lists so the checker can report repeats.
  std::vector<std::pair<std::string, Range>> descriptions;
  std::vector<Timezone> timezones;
  std::vector<Entry> entries;
  std::vector<Reentry> reentries;
  std::vector<std::pair<int64_t, Range>> timeouts;
  std::vector<Connector> starts;  // label unused
  std::vector<Goal> goals;
  std::vector<Dnd> dnds;
  std::vector<Limit> limits;
  std::vector<Node> nodes;
  std::vector<Flow> flows;
};

// ------------------------------------------------------------ declarations
struct FieldDecl {
  Ident name;
  TypeRef type;
};

struct EventDecl {
  std::string name;
  Range nameRange;
  std::vector<FieldDecl> fields;
  Range range;
};

struct ProfileDecl {
  std::vector<FieldDecl> fields;
  Range range;
};

struct ChannelField {
  bool required = false;
  FieldDecl field;
  std::vector<std::string> allowed;  // `in [...]`: the only values a literal may take
  // `in LOW..HIGH`: the range a literal number or duration (in seconds) may take.
  std::optional<std::pair<double, double>> range;
};

// `required a or b`: a message sets at least one of these fields.
struct ChannelRequiredGroup {
  std::vector<Ident> fields;
  Range range;
};

struct ChannelStatus {
  Ident name;
  bool needsTimeout = false;
};

struct ChannelDecl {
  Ident name;
  std::vector<ChannelField> fields;
  std::vector<ChannelRequiredGroup> requiredGroups;
  std::vector<ChannelStatus> statuses;
  Range range;
};

struct FunctionDecl {
  bool filter = false;
  Ident name;
  std::vector<FieldDecl> params;
  TypeRef result;
  Range range;
};

struct File {
  uint32_t fileId = 0;
  std::vector<Journey> journeys;
  std::vector<EventDecl> events;
  std::vector<ProfileDecl> profiles;
  std::vector<ChannelDecl> channels;
  std::vector<FunctionDecl> functions;
  bool hadSyntaxErrors = false;
};

}  // namespace journey::ast

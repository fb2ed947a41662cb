// ir_dump.cpp — the stable textual form of the IR, its hashes, and DOT.
//
// The dump is what golden tests compare and what `--emit=ir` prints, so its
// format changes only on purpose. The same routine, with content or
// structure switched off, is the canonical input of the two version hashes:
// a change that alters only the content dump is a content-only edit.
#include <cmath>
#include <cstdio>
#include <string>

#include "bytecode/fnv.h"
#include "ir/ir.h"

namespace journey::ir {
namespace {

const char* KindName(TypeKind k) {
  switch (k) {
    case TypeKind::Error: return "<error>";
    case TypeKind::String: return "string";
    case TypeKind::Number: return "number";
    case TypeKind::Bool: return "bool";
    case TypeKind::Datetime: return "datetime";
    case TypeKind::Duration: return "duration";
    case TypeKind::Map: return "map";
    case TypeKind::List: return "list";
    case TypeKind::Any: return "any";
  }
  return "?";
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string CivilDate(int64_t epochSeconds) {
  int64_t z = (epochSeconds >= 0 ? epochSeconds : epochSeconds - 86399) / 86400 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  int64_t secs = epochSeconds - (epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400) * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %s", static_cast<long long>(y), m, d,
                FormatTime(static_cast<int>(secs / 60)).c_str());
  return buf;
}

const char* BinarySymbol(ExprOp op) {
  switch (op) {
    case ExprOp::Add: return "+";
    case ExprOp::Sub: return "-";
    case ExprOp::Mul: return "*";
    case ExprOp::Div: return "/";
    case ExprOp::Mod: return "%";
    case ExprOp::Eq: return "==";
    case ExprOp::Ne: return "!=";
    case ExprOp::Lt: return "<";
    case ExprOp::Le: return "<=";
    case ExprOp::Gt: return ">";
    case ExprOp::Ge: return ">=";
    case ExprOp::In: return "in";
    case ExprOp::Contains: return "contains";
    case ExprOp::StartsWith: return "starts_with";
    case ExprOp::EndsWith: return "ends_with";
    case ExprOp::And: return "and";
    case ExprOp::Or: return "or";
    default: return nullptr;
  }
}

std::string Loc(const SourceLoc& l) { return std::to_string(l.line) + ":" + std::to_string(l.col); }

struct Writer {
  const DumpOptions& opts;
  std::string out;
  void line(int indent, const std::string& s) {
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out += s;
    out += '\n';
  }
};

const char* AggregateName(Aggregate a) {
  switch (a) {
    case Aggregate::None: return "";
    case Aggregate::Count: return "count";
    case Aggregate::Sum: return "sum";
    case Aggregate::Avg: return "avg";
    case Aggregate::Min: return "min";
    case Aggregate::Max: return "max";
  }
  return "";
}

std::string ScheduleText(const Schedule& s) {
  std::string out;
  switch (s.kind) {
    case Schedule::None: return "none";
    case Schedule::Once:
    case Schedule::Dates:
      out = s.kind == Schedule::Once ? "once at " : "at ";
      for (size_t i = 0; i < s.dates.size(); ++i) out += (i ? ", " : "") + CivilDate(s.dates[i]);
      return out;
    case Schedule::Daily: return "daily at " + FormatTime(s.minuteOfDay);
    case Schedule::Weekly: return "weekly on " + FormatDays(s.weekdays) + " at " + FormatTime(s.minuteOfDay);
    case Schedule::Monthly:
      out = "monthly on ";
      for (size_t i = 0; i < s.monthDays.size(); ++i) out += (i ? ", " : "") + std::to_string(s.monthDays[i]);
      return out + " at " + FormatTime(s.minuteOfDay);
  }
  return out;
}

std::string Target(const Journey& j, int32_t t) {
  if (t == kEnd) return "end";
  if (t == kExit) return "exit";
  if (t < 0 || static_cast<size_t>(t) >= j.nodes.size()) return "<invalid>";
  return j.nodes[static_cast<size_t>(t)].name;
}

void DumpNode(Writer& w, const Journey& j, const Node& n) {
  std::string head = "node " + n.name + ": " + NodeKindName(n.kind);
  if (n.kind == NodeKind::Segment) head += std::string(" ") + SegmentModeName(n.mode);
  if (n.kind == NodeKind::Send) head += " " + n.channel;
  if (w.opts.locations) head += "  @" + Loc(n.loc);
  w.line(1, head);
  switch (n.kind) {
    case NodeKind::Wait: w.line(2, "for " + FormatDuration(n.seconds)); break;
    case NodeKind::WaitUntilTime: w.line(2, "until " + FormatTime(n.minuteOfDay) + " on " + FormatDays(n.days)); break;
    case NodeKind::WaitUntilProperty:
      w.line(2, "until " + DumpExpr(n.until) +
                    (n.offsetSeconds ? (n.offsetSeconds < 0 ? " - " : " + ") + FormatDuration(std::llabs(n.offsetSeconds)) : ""));
      break;
    case NodeKind::Segment: w.line(2, "if " + DumpCond(n.condition)); break;
    case NodeKind::Send:
      if (n.sendAtMinute >= 0) w.line(2, "at " + FormatTime(n.sendAtMinute));
      if (w.opts.content)
        for (const ContentField& f : n.content) w.line(2, "content " + f.name + ": " + TypeName(f.value.type) + " = " + DumpExpr(f.value));
      break;
    case NodeKind::Split:
      for (const SplitArm& a : n.arms) w.line(2, "arm " + a.name + " " + Number(a.percent) + "%");
      break;
    case NodeKind::Update:
      for (const UpdateOp& u : n.updates) {
        static const char* kNames[] = {"set", "add", "remove", "increment", "decrement"};
        w.line(2, std::string(kNames[static_cast<int>(u.kind)]) + " profile." + u.property + ": " + TypeName(u.propertyType) +
                      " " + DumpExpr(u.value));
      }
      break;
    case NodeKind::Exit: break;
  }
  if (n.windowSeconds) w.line(2, "window " + FormatDuration(n.windowSeconds));
  for (const Edge& e : n.edges) w.line(2, "edge " + e.label + " -> " + Target(j, e.target));
}

}  // namespace

std::string TypeName(Type t) {
  if (t.kind == TypeKind::List) return std::string("list<") + KindName(t.element) + ">";
  return KindName(t.kind);
}

const char* ExprOpName(ExprOp op) {
  static const char* kNames[] = {"literal", "profile", "entry", "event", "call", "filter", "template", "neg", "not",
                                 "add", "sub", "mul", "div", "mod", "eq", "ne", "lt", "le", "gt", "ge", "in",
                                 "contains", "starts_with", "ends_with", "and", "or", "list", "map", "index"};
  return kNames[static_cast<int>(op)];
}

const char* EntryKindName(EntryKind k) {
  static const char* kNames[] = {"action", "inaction", "past-behaviour", "date-property", "journey-trigger", "custom-list"};
  return kNames[static_cast<int>(k)];
}

const char* NodeKindName(NodeKind k) {
  static const char* kNames[] = {"wait", "wait-until-time", "wait-until-property", "segment", "send", "split", "update", "exit"};
  return kNames[static_cast<int>(k)];
}

const char* SegmentModeName(SegmentMode m) {
  static const char* kNames[] = {"immediate", "live", "past-behaviour"};
  return kNames[static_cast<int>(m)];
}

std::string FormatDuration(int64_t s) {
  if (s == 0) return "0s";
  std::string out;
  const std::pair<int64_t, char> units[] = {{7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, c] : units) {
    if (s >= size) {
      out += std::to_string(s / size) + c;
      s %= size;
    }
  }
  return out;
}

std::string FormatTime(int m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (m / 60) % 100, m % 60);
  return buf;
}

std::string FormatDays(uint8_t mask) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if ((mask & 0x7F) == 0x7F) return "every day";
  std::string out;
  for (int i = 0; i < 7; ++i)
    if (mask & (1u << i)) out += (out.empty() ? "" : ",") + std::string(kDays[i]);
  return out;
}

std::string DumpExpr(const Expr& e) {
  switch (e.op) {
    case ExprOp::Literal:
      switch (e.value.type.kind) {
        case TypeKind::String: return Quote(e.value.text);
        case TypeKind::Bool: return e.value.boolean ? "true" : "false";
        case TypeKind::Duration: return FormatDuration(static_cast<int64_t>(e.value.number));
        case TypeKind::Datetime: return CivilDate(static_cast<int64_t>(e.value.number));
        default: return Number(e.value.number);
      }
    case ExprOp::Profile: return "profile." + e.name;
    case ExprOp::EntryProp: return "entry." + e.name;
    case ExprOp::EventProp: return "event." + e.name;
    case ExprOp::Call:
    case ExprOp::Filter: {
      std::string out = (e.op == ExprOp::Filter ? "filter " : "") + e.name + "(";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + DumpExpr(e.args[i]);
      return out + ")";
    }
    case ExprOp::Template: {
      std::string out = "template[";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + DumpExpr(e.args[i]);
      return out + "]";
    }
    case ExprOp::Neg: return "(-" + DumpExpr(e.args[0]) + ")";
    case ExprOp::Not: return "(not " + DumpExpr(e.args[0]) + ")";
    case ExprOp::List: {
      std::string out = "[";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + DumpExpr(e.args[i]);
      return out + "]";
    }
    case ExprOp::Map: {
      std::string out = "{";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + e.keys[i] + ": " + DumpExpr(e.args[i]);
      return out + "}";
    }
    case ExprOp::Index: return DumpExpr(e.args[0]) + "[" + DumpExpr(e.args[1]) + "]";
    default: {
      const char* sym = BinarySymbol(e.op);
      return "(" + DumpExpr(e.args[0]) + " " + (sym ? sym : "?") + " " + DumpExpr(e.args[1]) + ")";
    }
  }
}

std::string DumpCond(const Cond& c) {
  switch (c.op) {
    case CondOp::And: return "(" + DumpCond(c.args[0]) + " and " + DumpCond(c.args[1]) + ")";
    case CondOp::Or: return "(" + DumpCond(c.args[0]) + " or " + DumpCond(c.args[1]) + ")";
    case CondOp::Not: return "not " + DumpCond(c.args[0]);
    case CondOp::Did: {
      const Did& d = c.did;
      std::string out = "did " + Quote(d.event);
      if (d.where) out += " where " + DumpExpr(*d.where);
      if (d.aggregate != Aggregate::None) {
        out += std::string(" ") + AggregateName(d.aggregate);
        if (!d.aggregateProperty.empty()) out += " " + d.aggregateProperty;
        out += std::string(" ") + BinarySymbol(d.compare) + " " + Number(d.threshold);
      }
      if (d.period == PeriodKind::Within) out += " within " + FormatDuration(d.periodSeconds);
      if (d.period == PeriodKind::Last) out += " in last " + FormatDuration(d.periodSeconds);
      return out;
    }
    case CondOp::JourneyTrigger: return "from journey " + Quote(c.journey) + " node " + c.node;
    case CondOp::CustomList: return "in list " + Quote(c.list);
    case CondOp::RelativeTime:
      return FormatDuration(std::llabs(c.offsetSeconds)) + (c.offsetSeconds < 0 ? " before " : " after ") + DumpExpr(c.expr);
    case CondOp::Predicate: return DumpExpr(c.expr);
  }
  return "?";
}

std::string Dump(const Journey& j, const DumpOptions& opts) {
  Writer w{opts, {}};
  w.line(0, "journey " + Quote(j.name));
  if (opts.structure) {
    if (!j.description.empty()) w.line(1, "description " + Quote(j.description));
    w.line(1, "timezone " + std::string(j.userTimezone ? "user fallback " : "") + Quote(j.timezone));
    w.line(1, std::string("entry ") + EntryKindName(j.entry.kind) + ": " + DumpCond(j.entry.condition));
    if (j.entry.schedule.kind != Schedule::None) w.line(2, "schedule " + ScheduleText(j.entry.schedule));
    if (!j.entry.entryEvent.empty()) w.line(2, "entry event " + Quote(j.entry.entryEvent));
    switch (j.reentry) {
      case Reentry::Never: w.line(1, "reentry never"); break;
      case Reentry::Always: w.line(1, "reentry always"); break;
      case Reentry::After: w.line(1, "reentry after " + FormatDuration(j.reentrySeconds)); break;
    }
    w.line(1, "timeout " + (j.timeoutSeconds ? FormatDuration(j.timeoutSeconds) : std::string("none")));
    for (const Goal& g : j.goals)
      w.line(1, "goal " + g.name + " (" + (g.kind == GoalKind::Action ? "action" : "past-behaviour") + "): " + DumpCond(g.condition));
    for (const Dnd& d : j.dnds) {
      std::string s = "dnd " + FormatDays(d.days) + " " + FormatTime(d.fromMinute) + ".." + FormatTime(d.toMinute) +
                      (d.discard ? " discard" : " defer");
      if (!d.channels.empty()) {
        s += " for ";
        for (size_t i = 0; i < d.channels.size(); ++i) s += (i ? "," : "") + d.channels[i];
      }
      w.line(1, s);
    }
    for (const Limit& l : j.limits)
      w.line(1, "limit " + l.channel + " " + std::to_string(l.count) + " per " + FormatDuration(l.perSeconds));
    for (const Field& f : j.schema.profile) w.line(1, "profile " + f.name + ": " + TypeName(f.type));
    for (const auto& [name, fields] : j.schema.events) {
      std::string s = "event " + Quote(name) + " {";
      for (size_t i = 0; i < fields.size(); ++i) s += (i ? ", " : " ") + fields[i].name + ": " + TypeName(fields[i].type);
      w.line(1, s + (fields.empty() ? "}" : " }"));
    }
    w.line(1, "start -> " + Target(j, j.start));
  }
  for (const Node& n : j.nodes) {
    if (opts.structure) {
      DumpNode(w, j, n);
    } else if (n.kind == NodeKind::Send) {
      w.line(1, "node " + n.name);
      for (const ContentField& f : n.content) w.line(2, "content " + f.name + " = " + DumpExpr(f.value));
    }
  }
  return w.out;
}

void ComputeHashes(Journey& j) {
  DumpOptions structure{false, true, false};
  DumpOptions content{true, false, false};
  j.structuralHash = Fnv1a(Dump(j, structure));
  j.contentHash = Fnv1a(Dump(j, content));
}

std::string ToDot(const Journey& j, const CanvasStats* stats) {
  auto esc = [](const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '"' || c == '\\') o += '\\';
      if (c == '\n') {
        o += "\\n";
        continue;
      }
      o += c;
    }
    return o;
  };
  std::string title = esc(j.name);
  if (stats && !stats->summary.empty()) title += "\\n" + esc(stats->summary);
  std::string out = "digraph journey {\n  rankdir=LR;\n  label=\"" + title + "\";\n  labelloc=t;\n";
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
  out += "  entry [shape=cds, style=filled, fillcolor=\"#d6eaf8\", label=\"entry: " + esc(EntryKindName(j.entry.kind)) +
         "\\n" + esc(DumpCond(j.entry.condition)) + "\"];\n";
  for (size_t i = 0; i < j.nodes.size(); ++i) {
    const Node& n = j.nodes[i];
    std::string shape = "box", fill = "#ffffff", detail;
    switch (n.kind) {
      case NodeKind::Wait: shape = "octagon"; fill = "#fdebd0"; detail = "wait " + FormatDuration(n.seconds); break;
      case NodeKind::WaitUntilTime: shape = "octagon"; fill = "#fdebd0"; detail = "wait until " + FormatTime(n.minuteOfDay); break;
      case NodeKind::WaitUntilProperty: shape = "octagon"; fill = "#fdebd0"; detail = "wait until " + DumpExpr(n.until); break;
      case NodeKind::Segment: shape = "diamond"; fill = "#e8f8f5"; detail = DumpCond(n.condition); break;
      case NodeKind::Send: shape = "box"; fill = "#ebf5fb"; detail = "send " + n.channel; break;
      case NodeKind::Split: shape = "trapezium"; fill = "#f4ecf7"; detail = "split"; break;
      case NodeKind::Update: shape = "component"; fill = "#fef9e7"; detail = "update profile"; break;
      case NodeKind::Exit: shape = "doublecircle"; fill = "#fadbd8"; detail = "force exit"; break;
    }
    std::string label = esc(n.name) + "\\n" + esc(detail);
    if (n.windowSeconds) label += "\\nwindow " + FormatDuration(n.windowSeconds);
    if (stats)
      if (auto lines = stats->nodeLines.find(n.name); lines != stats->nodeLines.end())
        for (const std::string& line : lines->second) label += "\\n" + esc(line);
    out += "  n" + std::to_string(i) + " [shape=" + shape + ", style=filled, fillcolor=\"" + fill + "\", label=\"" +
           label + "\"];\n";
  }
  std::string endLabel = "end";
  if (stats && !stats->endLine.empty()) endLabel += "\\n" + esc(stats->endLine);
  out += "  end [shape=doublecircle, style=filled, fillcolor=\"#d5f5e3\", label=\"" + endLabel + "\"];\n";
  out += "  exit [shape=doublecircle, style=filled, fillcolor=\"#fadbd8\", label=\"exit\"];\n";
  auto id = [&](int32_t t) { return t == kEnd ? std::string("end") : t == kExit ? std::string("exit") : "n" + std::to_string(t); };
  out += "  entry -> " + id(j.start) + ";\n";
  // With figures, a path's label says how many users took it.
  auto usersOn = [&](const std::string& node, const std::string& label) -> std::string {
    if (!stats) return "";
    auto byNode = stats->exits.find(node);
    if (byNode == stats->exits.end()) return "";
    auto count = byNode->second.find(label);
    return count == byNode->second.end() ? "" : " (" + std::to_string(count->second) + ")";
  };
  for (size_t i = 0; i < j.nodes.size(); ++i)
    for (const Edge& e : j.nodes[i].edges)
      out += "  n" + std::to_string(i) + " -> " + id(e.target) + " [label=\"" + esc(e.label + usersOn(j.nodes[i].name, e.label)) +
             "\"" + (e.label == "timeout" ? ", style=dashed" : "") + "];\n";
  if (!j.goals.empty()) {
    out += "  subgraph cluster_goals {\n    label=\"goals (exit at any step)\";\n    style=dashed;\n";
    for (size_t g = 0; g < j.goals.size(); ++g) {
      std::string met;
      if (stats)
        if (auto count = stats->goalsMet.find(j.goals[g].name); count != stats->goalsMet.end())
          met = "\\nmet by " + std::to_string(count->second);
      out += "    goal" + std::to_string(g) + " [shape=note, label=\"" + esc(j.goals[g].name) + "\\n" +
             esc(DumpCond(j.goals[g].condition)) + met + "\"];\n";
    }
    out += "  }\n";
  }
  if (j.timeoutSeconds)
    out += "  journey_timeout [shape=note, label=\"journey timeout " + FormatDuration(j.timeoutSeconds) +
           (stats && stats->timedOut ? "\\ntimed out " + std::to_string(*stats->timedOut) : std::string()) + "\"];\n";
  out += "}\n";
  return out;
}

}  // namespace journey::ir

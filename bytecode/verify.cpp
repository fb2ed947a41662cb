// verify.cpp — operand, table and control-flow checks of a Module.
#include "bytecode/verify.h"

#include <string>
#include <string_view>

namespace journey::bc {
namespace {

// [A-Za-z_][A-Za-z0-9_]*, the language's names.
bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

class Verifier {
 public:
  explicit Verifier(const Module& m) : m_(m) {}

  std::vector<std::string> run() {
    if (m_.registerCount == 0) fail("module", "register count is 0");
    if (m_.code.empty()) fail("module", "no code");
    checkTables();
    for (uint32_t pc = 0; pc < m_.code.size(); ++pc) checkInstr(pc);
    if (problems_.empty()) checkFlow();
    return problems_;
  }

 private:
  void fail(const std::string& where, const std::string& what) {
    if (problems_.size() < 50) problems_.push_back(where + ": " + what);
  }
  bool str(uint32_t s) const { return s < m_.strings.size(); }
  void needStr(const std::string& where, uint32_t s) {
    if (!str(s)) fail(where, "string " + std::to_string(s) + " out of range (" + std::to_string(m_.strings.size()) + " strings)");
  }
  void needPc(const std::string& where, uint32_t pc) {
    if (pc >= m_.code.size()) fail(where, "code offset " + std::to_string(pc) + " out of range");
  }
  // A duration of `what` in 0..kMaxDurationSeconds (or, when `signed_`, either side of 0).
  void needDuration(const std::string& where, const char* what, int64_t seconds, bool signed_ = false) {
    if (seconds > kMaxDurationSeconds || seconds < (signed_ ? -kMaxDurationSeconds : 0))
      fail(where, std::string(what) + " of " + std::to_string(seconds) + " seconds is out of range (at most 2^40)");
  }
  void needPred(const std::string& where, int64_t p) {
    if (p < 0 || static_cast<size_t>(p) >= m_.predicates.size()) fail(where, "predicate " + std::to_string(p) + " out of range");
  }

  void checkTables() {
    needStr("meta", m_.name);
    needStr("meta", m_.description);
    needStr("meta", m_.timezone);
    const Entry& e = m_.entry;
    if (e.predicate >= 0) needPred("entry", e.predicate);
    if (e.inaction >= 0 && static_cast<size_t>(e.inaction) >= m_.inactions.size()) fail("entry", "inaction out of range");
    if (e.kind == EntryKind::Inaction && e.inaction < 0) fail("entry", "inaction entry without an inaction");
    if ((e.kind == EntryKind::Action || e.kind == EntryKind::PastBehaviour) && e.predicate < 0)
      fail("entry", "entry without a predicate");
    for (uint32_t s : {e.property, e.journey, e.node, e.list}) needStr("entry", s);
    for (uint32_t s : e.entryProperties) needStr("entry", s);
    if (e.minuteOfDay < 0 || e.minuteOfDay >= 1440) fail("entry", "schedule minute out of range");
    for (int64_t d : e.dates)
      if (d < kEarliestSecond || d > kLatestSecond) fail("entry", "schedule date " + std::to_string(d) + " out of range (years 0000-9999)");
    needDuration("entry", "date offset", e.offsetSeconds, true);
    needDuration("meta", "re-entry delay", m_.reentrySeconds);
    needDuration("meta", "timeout", m_.timeoutSeconds);
    for (int32_t d : e.monthDays)
      if (d < 1 || d > 31) fail("entry", "month day out of range");
    for (const Goal& g : m_.goals) {
      needStr("goal", g.name);
      needPred("goal", g.predicate);
    }
    for (const Dnd& d : m_.dnds) {
      if (d.fromMinute < 0 || d.fromMinute >= 1440 || d.toMinute < 0 || d.toMinute >= 1440) fail("dnd", "time out of range");
      for (uint32_t c : d.channels) needStr("dnd", c);
    }
    for (const Limit& l : m_.limits) {
      needStr("limit", l.channel);
      if (l.count < 1 || l.perSeconds < 1) fail("limit", "count and period must be positive");
      needDuration("limit", "period", l.perSeconds);
    }
    if (m_.start >= m_.nodes.size()) fail("meta", "start node out of range");
    for (size_t i = 0; i < m_.predicates.size(); ++i) {
      std::string where = "predicate " + std::to_string(i);
      needPc(where, m_.predicates[i].pc);
      for (uint32_t s : m_.predicates[i].events) needStr(where, s);
    }
    for (size_t i = 0; i < m_.aggregates.size(); ++i) {
      const AggregateSpec& a = m_.aggregates[i];
      std::string where = "aggregate " + std::to_string(i);
      needStr(where, a.event);
      needStr(where, a.property);
      if (a.where >= 0) needPred(where, a.where);
      needDuration(where, "period", a.seconds);
    }
    for (size_t i = 0; i < m_.inactions.size(); ++i) {
      std::string where = "inaction " + std::to_string(i);
      needPred(where, m_.inactions[i].first);
      needPred(where, m_.inactions[i].absent);
      if (m_.inactions[i].within <= 0) fail(where, "period must be positive");
      needDuration(where, "period", m_.inactions[i].within);
    }
    std::vector<bool> nodeSends(m_.nodes.size());
    for (size_t i = 0; i < m_.sends.size(); ++i) {
      const SendSite& s = m_.sends[i];
      std::string where = "send " + std::to_string(i);
      if (s.node >= m_.nodes.size()) fail(where, "node out of range");
      // A message id names its node, and its statuses count there: one send per node.
      else if (nodeSends[s.node]) fail(where, "a second send site of one node");
      else nodeSends[s.node] = true;
      needStr(where, s.channel);
      for (uint32_t f : s.fields) needStr(where, f);
      for (uint32_t f : s.statuses) needStr(where, f);
      if (s.statuses.size() > 16) fail(where, "more statuses than a mask can hold");
      if (s.sendAtMinute < -1 || s.sendAtMinute >= 1440) fail(where, "send time out of range");
    }
    for (size_t i = 0; i < m_.nodes.size(); ++i) {
      const NodeInfo& n = m_.nodes[i];
      std::string where = "node " + std::to_string(i);
      needStr(where, n.name);
      // Message ids carry node names unescaped between colons (vm/message_id.h).
      if (n.name < m_.strings.size() && !IsIdentifier(m_.strings[n.name])) fail(where, "name is not an identifier");
      needPc(where, n.pc);
      needDuration(where, "window", n.windowSeconds);
      for (const Path& p : n.paths) {
        needStr(where, p.label);
        if (p.target < -2 || p.target >= static_cast<int32_t>(m_.nodes.size())) fail(where, "path target out of range");
      }
      for (const SplitArm& a : n.arms) needStr(where, a.name);
    }
    for (const auto* list : {&m_.functions, &m_.filters})
      for (const Callable& c : *list) needStr("callables", c.name);
    for (uint32_t s : m_.profileProperties) needStr("schema", s);
    for (const LineEntry& l : m_.lines) needPc("debug", l.pc);
    for (size_t i = 0; i < m_.consts.size(); ++i)
      if (m_.consts[i].kind == ConstKind::String) needStr("constant " + std::to_string(i), m_.consts[i].string);
  }

  // Checks one operand field against its kind; `value` is the field's content.
  void checkOperand(const std::string& where, Operand kind, uint64_t value, const char* field) {
    auto range = [&](size_t size, const char* what) {
      if (value >= size)
        fail(where, std::string(field) + ": " + what + " " + std::to_string(value) + " out of range (" +
                        std::to_string(size) + ")");
    };
    switch (kind) {
      case Operand::None:
        if (value != 0) fail(where, std::string(field) + " is unused but not 0");
        break;
      case Operand::Reg: range(m_.registerCount, "register"); break;
      case Operand::Const: range(m_.consts.size(), "constant"); break;
      case Operand::String: range(m_.strings.size(), "string"); break;
      case Operand::Jump: range(m_.code.size(), "code offset"); break;
      case Operand::Node: range(m_.nodes.size(), "node"); break;
      case Operand::Pred: range(m_.predicates.size(), "predicate"); break;
      case Operand::Wait: range(m_.inactions.size(), "inaction"); break;
      case Operand::Site: range(m_.sends.size(), "send site"); break;
      case Operand::Func: range(m_.functions.size(), "function"); break;
      case Operand::Filter: range(m_.filters.size(), "filter"); break;
      case Operand::Aggregate: range(m_.aggregates.size(), "aggregate"); break;
      case Operand::Imm:
      case Operand::Mask: break;
    }
  }

  void checkInstr(uint32_t pc) {
    const Instr& in = m_.code[pc];
    const OpInfo& info = InfoOf(in.op);
    std::string where = "code[" + std::to_string(pc) + "] " + info.name;
    checkOperand(where, info.a, in.a, "A");
    checkOperand(where, info.b, in.b, "B");
    checkOperand(where, info.c, in.c, "C");
    auto span = [&](uint64_t first, uint64_t count) {
      if (first + count > m_.registerCount)
        fail(where, "register range " + std::to_string(first) + "+" + std::to_string(count) + " exceeds " +
                        std::to_string(m_.registerCount) + " registers");
    };
    switch (in.op) {
      case Op::Concat:
      case Op::List: span(in.b, in.c); break;
      case Op::Call:
        if (in.b < m_.functions.size()) span(in.c, m_.functions[in.b].arity);
        break;
      case Op::Filter:
        if (in.b < m_.filters.size()) span(in.c, m_.filters[in.b].arity);
        break;
      case Op::Send:
        if (in.b < m_.sends.size()) span(in.c, m_.sends[in.b].fields.size());
        break;
      case Op::WaitUntilTime:
        if (in.b >= 1440) fail(where, "minute of day out of range");
        if (in.c == 0 || in.c > 0x7F) fail(where, "day mask out of range");
        break;
      case Op::Take:
        break;
      default: break;
    }
  }

  static bool IsTerminator(Op op) {
    return op == Op::Jump || op == Op::Return || op == Op::End || op == Op::Exit || op == Op::Take;
  }
  static bool IsJourneyOp(Op op) {
    switch (op) {
      case Op::Enter: case Op::Take: case Op::End: case Op::Exit: case Op::WaitFor: case Op::WaitUntilTime:
      case Op::WaitUntil: case Op::AwaitEvent: case Op::AwaitInaction: case Op::AwaitDaily: case Op::Send:
      case Op::AwaitStatus: case Op::Split: case Op::SetProp: case Op::AddProp: case Op::RemoveProp:
      case Op::IncProp: case Op::DecProp: return true;
      default: return false;
    }
  }

  // Walks the code reachable from `start`. In a predicate only computation
  // and Return are allowed; in journey code Return is not, and every `Take`
  // must name a path the current node has.
  void walk(uint32_t start, bool predicate, const std::string& origin) {
    std::vector<bool> seen(m_.code.size(), false);
    std::vector<uint32_t> work{start};
    int32_t node = -1;
    while (!work.empty()) {
      uint32_t pc = work.back();
      work.pop_back();
      if (pc >= m_.code.size() || seen[pc]) continue;
      seen[pc] = true;
      const Instr& in = m_.code[pc];
      std::string where = origin + " code[" + std::to_string(pc) + "] " + InfoOf(in.op).name;
      if (predicate && IsJourneyOp(in.op)) {
        fail(where, "a predicate may only compute and return");
        continue;
      }
      if (!predicate && in.op == Op::Return) {
        fail(where, "Return outside a predicate");
        continue;
      }
      if (in.op == Op::Enter) node = in.b;
      if (in.op == Op::Take && node >= 0 && in.b >= m_.nodes[static_cast<size_t>(node)].paths.size())
        fail(where, "path " + std::to_string(in.b) + " out of range for its node");
      if (in.op == Op::Jump || in.op == Op::JumpIfFalse || in.op == Op::JumpIfTrue) work.push_back(in.c);
      if (!IsTerminator(in.op)) {
        if (pc + 1 >= m_.code.size()) fail(where, "control falls off the end of the code");
        else work.push_back(pc + 1);
      }
      // Take jumps to the next node's code, which is walked from that node's own entry.
    }
  }

  void checkFlow() {
    for (size_t i = 0; i < m_.predicates.size(); ++i) walk(m_.predicates[i].pc, true, "predicate " + std::to_string(i));
    for (size_t i = 0; i < m_.nodes.size(); ++i) {
      walk(m_.nodes[i].pc, false, "node " + std::to_string(i));
      const Instr& first = m_.code[m_.nodes[i].pc];
      if (first.op != Op::Enter || first.b != i) fail("node " + std::to_string(i), "code does not start with Enter of this node");
    }
    for (uint32_t pc = 0; pc < m_.code.size(); ++pc) {
      const Instr& in = m_.code[pc];
      if (in.op != Op::Take) continue;
      bool toNode = false;
      for (const NodeInfo& n : m_.nodes) toNode = toNode || n.pc == in.c;
      const Instr& target = m_.code[in.c];
      if (!toNode && target.op != Op::End && target.op != Op::Exit)
        fail("code[" + std::to_string(pc) + "] Take", "target is neither a node entry nor End/Exit");
    }
  }

  const Module& m_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> Verify(const Module& m) { return Verifier(m).run(); }

}  // namespace journey::bc

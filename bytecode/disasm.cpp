// disasm.cpp — the listing behind `journeyc compile --emit=asm`.
//
// Stable by design (golden tests compare it): tables first, then code with
// a label wherever a node or predicate starts, each operand printed as what
// it means (register, constant value, string, node name, jump label).
#include "bytecode/disasm.h"

#include <cinttypes>
#include <cstdio>
#include <map>

namespace journey::bc {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

const char* KindName(NodeKind k) {
  static const char* kNames[] = {"wait", "wait-until-time", "wait-until-property", "segment", "send", "split", "update", "exit"};
  return kNames[static_cast<int>(k)];
}

class Lister {
 public:
  explicit Lister(const Module& m) : m_(m) {
    for (size_t i = 0; i < m.nodes.size(); ++i) labels_[m.nodes[i].pc] = "node " + m.str(m.nodes[i].name);
    for (size_t i = 0; i < m.predicates.size(); ++i)
      if (!labels_.count(m.predicates[i].pc)) labels_[m.predicates[i].pc] = "predicate " + std::to_string(i);
    for (uint32_t pc = 0; pc < m.code.size(); ++pc) {
      const Instr& in = m.code[pc];
      if (in.op == Op::End || in.op == Op::Exit)
        if (!labels_.count(pc)) labels_[pc] = in.op == Op::End ? "end" : "exit";
    }
  }

  std::string target(uint32_t pc) const {
    auto it = labels_.find(pc);
    if (it != labels_.end()) return "@" + std::to_string(pc) + " <" + it->second + ">";
    return "@" + std::to_string(pc);
  }

  std::string constant(uint32_t k) const {
    const Const& c = m_.consts[k];
    switch (c.kind) {
      case ConstKind::Nil: return "nil";
      case ConstKind::Bool: return c.number != 0 ? "true" : "false";
      case ConstKind::Number: return Num(c.number);
      case ConstKind::String: return Quote(m_.str(c.string));
      case ConstKind::Duration: return Num(c.number) + "s";
      case ConstKind::Datetime: return "@" + Num(c.number);
    }
    return "?";
  }

  std::string operand(Operand kind, uint32_t v) const {
    switch (kind) {
      case Operand::None: return "";
      case Operand::Reg: return "r" + std::to_string(v);
      case Operand::Const: return "K" + std::to_string(v) + "=" + constant(v);
      case Operand::String: return Quote(m_.str(v));
      case Operand::Jump: return target(v);
      case Operand::Node: return "node " + m_.str(m_.nodes[v].name);
      case Operand::Imm: return std::to_string(v);
      case Operand::Pred: return "pred " + std::to_string(v);
      case Operand::Wait: return "inaction " + std::to_string(v);
      case Operand::Site: return "send " + std::to_string(v);
      case Operand::Func: return m_.str(m_.functions[v].name) + "/" + std::to_string(m_.functions[v].arity);
      case Operand::Filter: return "|" + m_.str(m_.filters[v].name) + "/" + std::to_string(m_.filters[v].arity);
      case Operand::Aggregate: return "agg " + std::to_string(v);
      case Operand::Mask: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%x", v);
        return buf;
      }
    }
    return "?";
  }

  std::string run() {
    std::string out;
    auto line = [&](const std::string& s) { out += s + "\n"; };
    char hash[64];
    std::snprintf(hash, sizeof hash, "%016" PRIx64 " content %016" PRIx64, m_.structuralHash, m_.contentHash);
    line("; journey " + Quote(m_.str(m_.name)));
    line("; hashes: structure " + std::string(hash));
    line("; registers " + std::to_string(m_.registerCount) + ", " + std::to_string(m_.code.size()) + " instructions, " +
         std::to_string(m_.consts.size()) + " constants, " + std::to_string(m_.strings.size()) + " strings");
    line("; start node " + m_.str(m_.nodes[m_.start].name));
    for (size_t i = 0; i < m_.predicates.size(); ++i) {
      std::string ev;
      for (uint32_t e : m_.predicates[i].events) ev += (ev.empty() ? "" : ", ") + Quote(m_.str(e));
      line(".predicate " + std::to_string(i) + " " + target(m_.predicates[i].pc) + (ev.empty() ? "" : " on " + ev));
    }
    for (size_t i = 0; i < m_.aggregates.size(); ++i) {
      const AggregateSpec& a = m_.aggregates[i];
      static const char* kKinds[] = {"exists", "count", "sum", "avg", "min", "max"};
      static const char* kCmp[] = {"==", "!=", "<", "<=", ">", ">="};
      line(".aggregate " + std::to_string(i) + " " + Quote(m_.str(a.event)) + " " + kKinds[static_cast<int>(a.kind)] +
           (a.kind >= AggregateKind::Sum ? " " + m_.str(a.property) : "") + " " + kCmp[static_cast<int>(a.compare)] + " " +
           Num(a.threshold) + " in last " + std::to_string(a.seconds) + "s" +
           (a.where >= 0 ? " where pred " + std::to_string(a.where) : ""));
    }
    for (size_t i = 0; i < m_.inactions.size(); ++i)
      line(".inaction " + std::to_string(i) + " pred " + std::to_string(m_.inactions[i].first) + " then not pred " +
           std::to_string(m_.inactions[i].absent) + " within " + std::to_string(m_.inactions[i].within) + "s");
    for (size_t i = 0; i < m_.sends.size(); ++i) {
      const SendSite& s = m_.sends[i];
      std::string fields, statuses;
      for (uint32_t f : s.fields) fields += (fields.empty() ? "" : ", ") + m_.str(f);
      for (uint32_t f : s.statuses) statuses += (statuses.empty() ? "" : ", ") + m_.str(f);
      line(".send " + std::to_string(i) + " node " + m_.str(m_.nodes[s.node].name) + " " + m_.str(s.channel) +
           (s.sendAtMinute >= 0 ? " at minute " + std::to_string(s.sendAtMinute) : "") + " fields [" + fields +
           "] statuses [" + statuses + "]");
    }
    for (size_t i = 0; i < m_.nodes.size(); ++i) {
      const NodeInfo& n = m_.nodes[i];
      std::string paths;
      for (const Path& p : n.paths)
        paths += (paths.empty() ? "" : ", ") + m_.str(p.label) + " -> " +
                 (p.target == -1 ? std::string("end") : p.target == -2 ? std::string("exit") : m_.str(m_.nodes[static_cast<size_t>(p.target)].name));
      line(".node " + std::to_string(i) + " " + m_.str(n.name) + " " + KindName(n.kind) +
           (n.windowSeconds ? " window " + std::to_string(n.windowSeconds) + "s" : "") + " [" + paths + "]");
    }
    std::map<uint32_t, const LineEntry*> lines;
    for (const LineEntry& l : m_.lines) lines[l.pc] = &l;
    for (uint32_t pc = 0; pc < m_.code.size(); ++pc) {
      auto label = labels_.find(pc);
      if (label != labels_.end()) line(label->second + ":");
      const Instr& in = m_.code[pc];
      const OpInfo& info = InfoOf(in.op);
      std::string text;
      for (auto [kind, value] : {std::pair{info.a, uint32_t{in.a}}, std::pair{info.b, uint32_t{in.b}}, std::pair{info.c, in.c}}) {
        std::string o = operand(kind, value);
        if (!o.empty()) text += (text.empty() ? " " : ", ") + o;
      }
      char head[32];
      std::snprintf(head, sizeof head, "  %5u  %-14s", pc, info.name);
      std::string where;
      auto l = lines.find(pc);
      if (l != lines.end()) where = "    ; line " + std::to_string(l->second->line) + ":" + std::to_string(l->second->col);
      std::string row = std::string(head) + text + where;
      while (!row.empty() && row.back() == ' ') row.pop_back();
      line(row);
    }
    return out;
  }

 private:
  const Module& m_;
  std::map<uint32_t, std::string> labels_;
};

}  // namespace

std::string Disassemble(const Module& m) { return Lister(m).run(); }

}  // namespace journey::bc

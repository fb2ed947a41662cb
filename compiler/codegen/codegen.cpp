// codegen.cpp — emits register code for nodes, predicates and expressions.
//
// Registers are allocated like a stack: each expression's result goes in
// the next free register and temporaries above it are released when the
// expression is done, so a node needs only as many registers as its deepest
// expression. Jumps to nodes are patched once every node has its address.
#include "codegen/codegen.h"

#include <functional>
#include <map>
#include <stdexcept>

namespace journey {
namespace {

using bc::Op;

class Gen {
 public:
  Gen(const ir::Journey& j, const Stdlib& lib) : j_(j), lib_(lib) {}

  bc::Module run() {
    m_.name = str(j_.name);
    m_.description = str(j_.description);
    m_.timezone = str(j_.timezone);
    m_.userTimezone = j_.userTimezone;
    m_.reentry = static_cast<bc::Reentry>(j_.reentry);
    m_.reentrySeconds = j_.reentrySeconds;
    m_.timeoutSeconds = j_.timeoutSeconds;
    m_.start = static_cast<uint32_t>(j_.start);
    m_.structuralHash = j_.structuralHash;
    m_.contentHash = j_.contentHash;
    for (const ir::Field& f : j_.schema.profile) m_.profileProperties.push_back(str(f.name));

    // Shared exits, so every `-> end` / `-> exit` path has a target.
    endPc_ = emit(Op::End);
    exitPc_ = emit(Op::Exit);

    entry();
    for (const ir::Goal& g : j_.goals)
      m_.goals.push_back({str(g.name), g.kind == ir::GoalKind::Action ? bc::GoalKind::Action : bc::GoalKind::PastBehaviour,
                          predicate(g.condition)});
    for (const ir::Dnd& d : j_.dnds) {
      bc::Dnd out{d.days, d.fromMinute, d.toMinute, d.discard, {}};
      for (const std::string& c : d.channels) out.channels.push_back(str(c));
      m_.dnds.push_back(out);
    }
    for (const ir::Limit& l : j_.limits) m_.limits.push_back({str(l.channel), l.count, l.perSeconds});

    for (size_t i = 0; i < j_.nodes.size(); ++i) {
      bc::NodeInfo info;
      info.name = str(j_.nodes[i].name);
      info.kind = static_cast<bc::NodeKind>(j_.nodes[i].kind);
      info.windowSeconds = j_.nodes[i].windowSeconds;
      for (const ir::Edge& e : j_.nodes[i].edges) info.paths.push_back({str(e.label), e.target});
      for (const ir::SplitArm& a : j_.nodes[i].arms) info.arms.push_back({str(a.name), a.percent});
      m_.nodes.push_back(std::move(info));
    }
    for (size_t i = 0; i < j_.nodes.size(); ++i) node(static_cast<uint32_t>(i));
    // Predicate bodies, including those requested while compiling others.
    while (!pendingPredicates_.empty()) {
      auto [index, cond] = pendingPredicates_.front();
      pendingPredicates_.erase(pendingPredicates_.begin());
      m_.predicates[index].pc = pc();
      mark(cond->loc);
      resetRegs(0);
      uint8_t r = condition(*cond);
      emit(Op::Return, r);
    }
    for (auto [at, target] : nodePatches_) m_.code[at].c = m_.nodes[static_cast<size_t>(target)].pc;
    m_.registerCount = static_cast<uint16_t>(maxReg_ == 0 ? 1 : maxReg_);
    return std::move(m_);
  }

 private:
  // ---------------------------------------------------------- tables
  uint32_t str(const std::string& s) {
    auto [it, inserted] = strings_.emplace(s, static_cast<uint32_t>(m_.strings.size()));
    if (inserted) m_.strings.push_back(s);
    return it->second;
  }
  uint32_t constant(bc::ConstKind kind, double number, const std::string& text = {}) {
    bc::Const c{kind, number, kind == bc::ConstKind::String ? str(text) : 0};
    for (uint32_t i = 0; i < m_.consts.size(); ++i) {
      const bc::Const& o = m_.consts[i];
      if (o.kind == c.kind && o.string == c.string && (o.number == c.number)) return i;
    }
    m_.consts.push_back(c);
    return static_cast<uint32_t>(m_.consts.size() - 1);
  }
  uint32_t callable(std::vector<bc::Callable>& list, const std::string& name, size_t arity) {
    uint32_t id = str(name);
    for (uint32_t i = 0; i < list.size(); ++i)
      if (list[i].name == id) return i;
    list.push_back({id, static_cast<uint8_t>(arity)});
    return static_cast<uint32_t>(list.size() - 1);
  }

  // ---------------------------------------------------------- emission
  uint32_t pc() const { return static_cast<uint32_t>(m_.code.size()); }
  uint32_t emit(Op op, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
    m_.code.push_back({op, static_cast<uint8_t>(a), static_cast<uint16_t>(b), c});
    return pc() - 1;
  }
  void mark(const ir::SourceLoc& loc) {
    if (loc.line) m_.lines.push_back({pc(), loc.line, loc.col});
  }
  uint8_t alloc() {
    if (nextReg_ >= 255) throw std::runtime_error("expression needs more than 255 registers");
    uint8_t r = static_cast<uint8_t>(nextReg_++);
    if (nextReg_ > maxReg_) maxReg_ = nextReg_;
    return r;
  }
  void resetRegs(unsigned to) { nextReg_ = to; }

  // ---------------------------------------------------------- expressions
  uint8_t load(const ir::Value& v) {
    uint8_t r = alloc();
    bc::ConstKind kind = bc::ConstKind::Number;
    switch (v.type.kind) {
      case ir::TypeKind::String: kind = bc::ConstKind::String; break;
      case ir::TypeKind::Bool: kind = bc::ConstKind::Bool; break;
      case ir::TypeKind::Duration: kind = bc::ConstKind::Duration; break;
      case ir::TypeKind::Datetime: kind = bc::ConstKind::Datetime; break;
      default: break;
    }
    emit(Op::LoadK, r, 0, constant(kind, kind == bc::ConstKind::Bool ? (v.boolean ? 1 : 0) : v.number, v.text));
    return r;
  }
  uint8_t loadString(const std::string& s) {
    uint8_t r = alloc();
    emit(Op::LoadK, r, 0, constant(bc::ConstKind::String, 0, s));
    return r;
  }
  uint8_t loadBool(bool b) {
    uint8_t r = alloc();
    emit(Op::LoadK, r, 0, constant(bc::ConstKind::Bool, b ? 1 : 0));
    return r;
  }

  // Evaluates `items` into consecutive registers and returns the first.
  uint8_t consecutive(const std::vector<const ir::Expr*>& items) {
    // Each expression leaves its result in the first register it allocates,
    // so evaluating them in order fills base, base+1, ... with no moves.
    unsigned base = nextReg_;
    for (size_t i = 0; i < items.size(); ++i) {
      uint8_t t = expr(*items[i]);
      if (t != base + i) emit(Op::Move, base + i, t);
      resetRegs(base + static_cast<unsigned>(i) + 1);
    }
    return static_cast<uint8_t>(base);
  }
  static std::vector<const ir::Expr*> Ptrs(const std::vector<ir::Expr>& v) {
    std::vector<const ir::Expr*> out;
    for (const ir::Expr& e : v) out.push_back(&e);
    return out;
  }

  uint8_t expr(const ir::Expr& e) {
    unsigned base = nextReg_;
    auto result = [&](uint8_t r) {
      // Keep the result in the first register of this expression; free the rest.
      if (r != base) emit(Op::Move, base, r);
      resetRegs(base + 1);
      return static_cast<uint8_t>(base);
    };
    // Datetime properties may arrive as ISO text; the VM's internal
    // `to_time` turns them into epoch seconds where they are read.
    auto asTime = [&](uint8_t r) {
      if (e.type.kind == ir::TypeKind::Datetime) emit(Op::Call, r, callable(m_.functions, "to_time", 1), r);
      return r;
    };
    switch (e.op) {
      case ir::ExprOp::Literal: return load(e.value);
      case ir::ExprOp::Profile: {
        uint8_t r = alloc();
        emit(Op::Profile, r, 0, str(e.name));
        return asTime(r);
      }
      case ir::ExprOp::EntryProp: {
        uint8_t r = alloc();
        uint32_t id = str(e.name);
        auto& props = m_.entry.entryProperties;
        if (std::find(props.begin(), props.end(), id) == props.end()) props.push_back(id);
        emit(Op::EntryProp, r, 0, id);
        return asTime(r);
      }
      case ir::ExprOp::EventProp: {
        uint8_t r = alloc();
        emit(Op::EventProp, r, 0, str(e.name));
        return asTime(r);
      }
      case ir::ExprOp::Call:
      case ir::ExprOp::Filter: {
        bool filter = e.op == ir::ExprOp::Filter;
        uint8_t first = consecutive(Ptrs(e.args));
        uint32_t fn = callable(filter ? m_.filters : m_.functions, e.name, e.args.size());
        emit(filter ? Op::Filter : Op::Call, base, fn, first);
        return result(static_cast<uint8_t>(base));
      }
      case ir::ExprOp::Template: {
        if (e.args.empty()) return loadString("");
        uint8_t first = consecutive(Ptrs(e.args));
        // Inserted values are escaped for where they land (HTML of an email,
        // the JSON body of a webhook); the template's own text is not, and
        // neither is a value the `json` filter already made a JSON literal.
        if (!escape_.empty())
          for (size_t k = 0; k < e.args.size(); ++k)
            if (e.args[k].op != ir::ExprOp::Literal && !(e.args[k].op == ir::ExprOp::Filter && e.args[k].name == "json"))
              emit(Op::Filter, first + k, callable(m_.filters, escape_, 1), first + k);
        emit(Op::Concat, base, first, static_cast<uint32_t>(e.args.size()));
        return result(static_cast<uint8_t>(base));
      }
      case ir::ExprOp::Neg:
      case ir::ExprOp::Not: {
        uint8_t x = expr(e.args[0]);
        emit(e.op == ir::ExprOp::Neg ? Op::Neg : Op::Not, base, x);
        return result(static_cast<uint8_t>(base));
      }
      case ir::ExprOp::And:
      case ir::ExprOp::Or: {
        uint8_t l = expr(e.args[0]);
        uint32_t jump = emit(e.op == ir::ExprOp::And ? Op::JumpIfFalse : Op::JumpIfTrue, l, 0, 0);
        uint8_t r = expr(e.args[1]);
        if (r != l) emit(Op::Move, l, r);
        m_.code[jump].c = pc();
        return result(l);
      }
      case ir::ExprOp::List: {
        if (e.args.empty()) {
          uint8_t r = alloc();
          emit(Op::List, r, r, 0);
          return r;
        }
        uint8_t first = consecutive(Ptrs(e.args));
        emit(Op::List, base, first, static_cast<uint32_t>(e.args.size()));
        return result(static_cast<uint8_t>(base));
      }
      case ir::ExprOp::Map: {
        uint8_t r = alloc();
        emit(Op::MapNew, r);
        for (size_t i = 0; i < e.args.size(); ++i) {
          unsigned mark = nextReg_;
          uint8_t v = expr(e.args[i]);
          emit(Op::MapSet, r, v, str(e.keys[i]));
          resetRegs(mark);
        }
        return r;
      }
      default: {
        static const std::map<ir::ExprOp, Op> kBinary = {
            {ir::ExprOp::Add, Op::Add}, {ir::ExprOp::Sub, Op::Sub}, {ir::ExprOp::Mul, Op::Mul}, {ir::ExprOp::Div, Op::Div},
            {ir::ExprOp::Mod, Op::Mod}, {ir::ExprOp::Eq, Op::Eq}, {ir::ExprOp::Ne, Op::Ne}, {ir::ExprOp::Lt, Op::Lt},
            {ir::ExprOp::Le, Op::Le}, {ir::ExprOp::Gt, Op::Gt}, {ir::ExprOp::Ge, Op::Ge}, {ir::ExprOp::In, Op::In},
            {ir::ExprOp::Contains, Op::Contains}, {ir::ExprOp::StartsWith, Op::StartsWith},
            {ir::ExprOp::EndsWith, Op::EndsWith}, {ir::ExprOp::Index, Op::Index}};
        uint8_t l = expr(e.args[0]);
        uint8_t r = expr(e.args[1]);
        emit(kBinary.at(e.op), base, l, r);
        return result(static_cast<uint8_t>(base));
      }
    }
  }

  // ---------------------------------------------------------- conditions
  static bool IsInaction(const ir::Cond& c) {
    return c.op == ir::CondOp::And && c.args.size() == 2 && c.args[0].op == ir::CondOp::Did &&
           c.args[1].op == ir::CondOp::Not && c.args[1].args[0].op == ir::CondOp::Did &&
           c.args[1].args[0].did.period == ir::PeriodKind::Within;
  }

  static void LiveEvents(const ir::Cond& c, std::vector<std::string>& out) {
    if (c.op == ir::CondOp::Did && c.did.period != ir::PeriodKind::Last) {
      if (std::find(out.begin(), out.end(), c.did.event) == out.end()) out.push_back(c.did.event);
      return;
    }
    if (c.op == ir::CondOp::And || c.op == ir::CondOp::Or)
      for (const ir::Cond& a : c.args) LiveEvents(a, out);
  }

  uint32_t predicate(const ir::Cond& c) {
    bc::Predicate p;
    std::vector<std::string> events;
    LiveEvents(c, events);
    for (const std::string& e : events) p.events.push_back(str(e));
    m_.predicates.push_back(p);
    uint32_t index = static_cast<uint32_t>(m_.predicates.size() - 1);
    pendingPredicates_.push_back({index, &c});
    return index;
  }

  // A did-atom used as a look-back aggregate (past behaviour, or a live count).
  uint32_t aggregate(const ir::Did& d, int64_t seconds) {
    bc::AggregateSpec a;
    a.event = str(d.event);
    a.kind = static_cast<bc::AggregateKind>(static_cast<int>(d.aggregate));
    if (d.aggregate == ir::Aggregate::None) {
      a.kind = bc::AggregateKind::Exists;
      a.compare = bc::Compare::Ge;
      a.threshold = 1;
    } else {
      static const std::map<ir::ExprOp, bc::Compare> kCmp = {{ir::ExprOp::Eq, bc::Compare::Eq}, {ir::ExprOp::Ne, bc::Compare::Ne},
                                                             {ir::ExprOp::Lt, bc::Compare::Lt}, {ir::ExprOp::Le, bc::Compare::Le},
                                                             {ir::ExprOp::Gt, bc::Compare::Gt}, {ir::ExprOp::Ge, bc::Compare::Ge}};
      a.compare = kCmp.at(d.compare);
      a.threshold = d.threshold;
    }
    a.property = str(d.aggregateProperty);
    a.seconds = seconds;
    if (d.where) {
      // The where clause is its own predicate over each counted event.
      whereConds_.push_back(std::make_unique<ir::Cond>());
      ir::Cond& w = *whereConds_.back();
      w.op = ir::CondOp::Predicate;
      w.expr = *d.where;
      a.where = static_cast<int32_t>(predicate(w));
    }
    m_.aggregates.push_back(a);
    return static_cast<uint32_t>(m_.aggregates.size() - 1);
  }

  uint8_t condition(const ir::Cond& c) {
    unsigned base = nextReg_;
    auto result = [&](uint8_t r) {
      if (r != base) emit(Op::Move, base, r);
      resetRegs(base + 1);
      return static_cast<uint8_t>(base);
    };
    switch (c.op) {
      case ir::CondOp::And:
      case ir::CondOp::Or: {
        uint8_t l = condition(c.args[0]);
        uint32_t jump = emit(c.op == ir::CondOp::And ? Op::JumpIfFalse : Op::JumpIfTrue, l, 0, 0);
        uint8_t r = condition(c.args[1]);
        if (r != l) emit(Op::Move, l, r);
        m_.code[jump].c = pc();
        return result(l);
      }
      case ir::CondOp::Not: {
        uint8_t x = condition(c.args[0]);
        emit(Op::Not, base, x);
        return result(static_cast<uint8_t>(base));
      }
      case ir::CondOp::Did: {
        const ir::Did& d = c.did;
        if (d.period == ir::PeriodKind::Last) {
          uint8_t r = alloc();
          emit(Op::History, r, 0, aggregate(d, d.periodSeconds));
          return r;
        }
        // Live: the event being matched is this one, its where clause holds,
        // and (for counts such as page counts) the running aggregate holds.
        uint8_t r = alloc();
        emit(Op::IsEvent, r, 0, str(d.event));
        std::vector<uint32_t> exits;
        if (d.where) {
          exits.push_back(emit(Op::JumpIfFalse, r, 0, 0));
          uint8_t w = expr(*d.where);
          if (w != r) emit(Op::Move, r, w);
          resetRegs(r + 1u);
        }
        if (d.aggregate != ir::Aggregate::None) {
          exits.push_back(emit(Op::JumpIfFalse, r, 0, 0));
          uint8_t h = alloc();
          ir::Did counted = d;
          emit(Op::History, h, 0, aggregate(counted, d.period == ir::PeriodKind::Within ? d.periodSeconds : 0));
          emit(Op::Move, r, h);
          resetRegs(r + 1u);
        }
        for (uint32_t at : exits) m_.code[at].c = pc();
        return r;
      }
      case ir::CondOp::JourneyTrigger:
      case ir::CondOp::CustomList:
        // Qualification comes from the trigger or the list itself (entry only).
        return loadBool(true);
      case ir::CondOp::RelativeTime: {
        uint8_t t = expr(c.expr);
        ir::Value off;
        off.type = ir::Type::Of(ir::TypeKind::Duration);
        off.number = static_cast<double>(c.offsetSeconds);
        uint8_t o = load(off);
        emit(Op::Add, t, t, o);
        uint8_t now = alloc();
        emit(Op::Now, now);
        emit(Op::Ge, base, now, t);
        return result(static_cast<uint8_t>(base));
      }
      case ir::CondOp::Predicate: return expr(c.expr);
    }
    return loadBool(false);
  }

  // ---------------------------------------------------------- entry
  void entry() {
    const ir::Entry& e = j_.entry;
    bc::Entry& out = m_.entry;
    out.kind = static_cast<bc::EntryKind>(e.kind);
    out.schedule = static_cast<bc::ScheduleKind>(e.schedule.kind);
    out.dates = e.schedule.dates;
    out.minuteOfDay = e.schedule.minuteOfDay;
    out.weekdays = e.schedule.weekdays;
    out.monthDays.assign(e.schedule.monthDays.begin(), e.schedule.monthDays.end());
    out.property = str("");
    out.journey = out.node = out.list = out.property;
    switch (e.kind) {
      case ir::EntryKind::Action:
      case ir::EntryKind::PastBehaviour: out.predicate = static_cast<int32_t>(predicate(e.condition)); break;
      case ir::EntryKind::Inaction: out.inaction = static_cast<int32_t>(inaction(e.condition)); break;
      case ir::EntryKind::DateProperty: {
        const ir::Cond* c = &e.condition;
        while (c->op != ir::CondOp::RelativeTime && !c->args.empty()) c = &c->args[0];
        out.property = str(c->expr.name);
        out.offsetSeconds = c->offsetSeconds;
        out.predicate = static_cast<int32_t>(predicate(e.condition));
        break;
      }
      case ir::EntryKind::JourneyTrigger:
      case ir::EntryKind::CustomList: {
        std::function<void(const ir::Cond&)> find = [&](const ir::Cond& c) {
          if (c.op == ir::CondOp::JourneyTrigger) {
            out.journey = str(c.journey);
            out.node = str(c.node);
          }
          if (c.op == ir::CondOp::CustomList) out.list = str(c.list);
          for (const ir::Cond& a : c.args) find(a);
        };
        find(e.condition);
        out.predicate = static_cast<int32_t>(predicate(e.condition));
        break;
      }
    }
  }

  uint32_t inaction(const ir::Cond& c) {
    // And(Did A, Not(Did B within T)): A's predicate, then B's without the period.
    whereConds_.push_back(std::make_unique<ir::Cond>(c.args[1].args[0]));
    ir::Cond& absent = *whereConds_.back();
    int64_t within = absent.did.periodSeconds;
    absent.did.period = ir::PeriodKind::None;
    bc::InactionSpec s{predicate(c.args[0]), predicate(absent), within};
    m_.inactions.push_back(s);
    return static_cast<uint32_t>(m_.inactions.size() - 1);
  }

  // ---------------------------------------------------------- nodes
  uint32_t pathIndex(const ir::Node& n, const std::string& label) const {
    for (uint32_t i = 0; i < n.edges.size(); ++i)
      if (n.edges[i].label == label) return i;
    return UINT32_MAX;
  }
  void take(const ir::Node& n, uint32_t path) {
    int32_t target = n.edges[path].target;
    uint32_t at = emit(Op::Take, 0, path, target == ir::kEnd ? endPc_ : target == ir::kExit ? exitPc_ : 0);
    if (target >= 0) nodePatches_.push_back({at, target});
  }
  void take(const ir::Node& n, const std::string& label) { take(n, pathIndex(n, label)); }
  bool has(const ir::Node& n, const std::string& label) const { return pathIndex(n, label) != UINT32_MAX; }
  // if R[r] == status then take(label)
  void takeIfStatus(const ir::Node& n, uint8_t r, const std::string& status, const std::string& label) {
    unsigned mark = nextReg_;
    uint8_t k = loadString(status);
    uint8_t t = alloc();
    emit(Op::Eq, t, r, k);
    uint32_t skip = emit(Op::JumpIfFalse, t, 0, 0);
    take(n, label);
    m_.code[skip].c = pc();
    resetRegs(mark);
  }

  void node(uint32_t index) {
    const ir::Node& n = j_.nodes[index];
    m_.nodes[index].pc = pc();
    mark(n.loc);
    resetRegs(0);
    emit(Op::Enter, 0, index);
    switch (n.kind) {
      case ir::NodeKind::Wait: {
        ir::Value v;
        v.type = ir::Type::Of(ir::TypeKind::Duration);
        v.number = static_cast<double>(n.seconds);
        emit(Op::WaitFor, load(v));
        take(n, "next");
        break;
      }
      case ir::NodeKind::WaitUntilTime:
        emit(Op::WaitUntilTime, 0, static_cast<uint32_t>(n.minuteOfDay), n.days);
        take(n, "next");
        break;
      case ir::NodeKind::WaitUntilProperty: {
        uint8_t t = expr(n.until);
        if (n.offsetSeconds) {
          ir::Value off;
          off.type = ir::Type::Of(ir::TypeKind::Duration);
          off.number = static_cast<double>(n.offsetSeconds);
          emit(Op::Add, t, t, load(off));
        }
        emit(Op::WaitUntil, t);
        take(n, "next");
        break;
      }
      case ir::NodeKind::Segment: segment(n); break;
      case ir::NodeKind::Send: send(n, index); break;
      case ir::NodeKind::Split: {
        uint8_t r = alloc();
        emit(Op::Split, r, index);
        for (uint32_t k = 0; k + 1 < n.arms.size(); ++k) {
          unsigned mark = nextReg_;
          ir::Value v;
          v.type = ir::Type::Of(ir::TypeKind::Number);
          v.number = k;
          uint8_t kr = load(v);
          uint8_t t = alloc();
          emit(Op::Eq, t, r, kr);
          uint32_t skip = emit(Op::JumpIfFalse, t, 0, 0);
          take(n, n.arms[k].name);
          m_.code[skip].c = pc();
          resetRegs(mark);
        }
        take(n, n.arms.back().name);
        break;
      }
      case ir::NodeKind::Update:
        for (const ir::UpdateOp& u : n.updates) {
          unsigned mark = nextReg_;
          uint8_t v = expr(u.value);
          static const Op kOps[] = {Op::SetProp, Op::AddProp, Op::RemoveProp, Op::IncProp, Op::DecProp};
          emit(kOps[static_cast<int>(u.kind)], v, 0, str(u.property));
          resetRegs(mark);
        }
        take(n, "next");
        break;
      case ir::NodeKind::Exit: emit(Op::Exit); break;
    }
  }

  void segment(const ir::Node& n) {
    uint8_t r = alloc();
    uint32_t window = static_cast<uint32_t>(n.windowSeconds);
    switch (n.mode) {
      case ir::SegmentMode::Immediate: {
        uint8_t c = condition(n.condition);
        uint32_t skip = emit(Op::JumpIfFalse, c, 0, 0);
        take(n, "yes");
        m_.code[skip].c = pc();
        take(n, "no");
        return;
      }
      case ir::SegmentMode::Live:
        if (IsInaction(n.condition)) emit(Op::AwaitInaction, r, inaction(n.condition), window);
        else emit(Op::AwaitEvent, r, predicate(n.condition), window);
        if (window) {
          uint32_t skip = emit(Op::JumpIfFalse, r, 0, 0);
          take(n, "yes");
          m_.code[skip].c = pc();
          take(n, "timeout");
        } else {
          take(n, "yes");
        }
        return;
      case ir::SegmentMode::PastBehaviour: {
        emit(Op::AwaitDaily, r, predicate(n.condition), window);
        uint32_t skip = emit(Op::JumpIfFalse, r, 0, 0);
        take(n, "yes");
        m_.code[skip].c = pc();
        take(n, window ? "timeout" : "no");
        return;
      }
    }
  }

  void send(const ir::Node& n, uint32_t index) {
    bc::SendSite site;
    site.node = index;
    site.channel = str(n.channel);
    site.sendAtMinute = n.sendAtMinute;
    auto ch = lib_.channels.find(n.channel);
    if (ch != lib_.channels.end())
      for (const auto& s : ch->second.statuses) site.statuses.push_back(str(s.name));
    for (const ir::ContentField& f : n.content) site.fields.push_back(str(f.name));
    m_.sends.push_back(site);
    uint32_t siteIndex = static_cast<uint32_t>(m_.sends.size() - 1);
    uint8_t status = alloc();
    uint8_t first = static_cast<uint8_t>(nextReg_);
    for (size_t k = 0; k < n.content.size(); ++k) {
      const ir::ContentField& f = n.content[k];
      escape_ = n.channel == "email" && f.name == "html" ? "escape_html" : n.channel == "webhook" && f.name == "body" ? "escape_json" : "";
      uint8_t t = expr(f.value);
      if (t != first + k) emit(Op::Move, first + k, t);
      resetRegs(first + static_cast<unsigned>(k) + 1);
    }
    escape_.clear();
    if (n.content.empty()) first = status;
    emit(Op::Send, status, siteIndex, first);
    resetRegs(status + 1u);

    // Outcomes known at send time: suppressed, then error. A suppressed send
    // follows `suppressed`, else `error`, else the node's other paths.
    std::string onSuppressed = has(n, "suppressed") ? "suppressed" : has(n, "error") ? "error" : "";
    if (!onSuppressed.empty()) takeIfStatus(n, status, "suppressed", onSuppressed);
    if (has(n, "error")) takeIfStatus(n, status, "error", "error");
    if (has(n, "next")) {
      take(n, "next");
      return;
    }
    if (has(n, "sent")) takeIfStatus(n, status, "sent", "sent");
    // Later statuses: wait for the first branched one, or the window.
    uint32_t mask = 0;
    for (size_t i = 0; i < site.statuses.size(); ++i) {
      const std::string& s = m_.str(site.statuses[i]);
      if (s != "sent" && s != "suppressed" && has(n, s)) mask |= 1u << i;
    }
    if (mask == 0) {
      // Only send-time branches: whatever else happened, move on by timeout if
      // there is one, else by the first path.
      take(n, has(n, "timeout") ? pathIndex(n, "timeout") : 0);
      return;
    }
    uint32_t await = emit(Op::AwaitStatus, status, mask, static_cast<uint32_t>(n.windowSeconds));
    for (size_t i = 0; i < site.statuses.size(); ++i)
      if (mask & (1u << i)) takeIfStatus(n, status, m_.str(site.statuses[i]), m_.str(site.statuses[i]));
    if (has(n, "timeout")) take(n, "timeout");
    else emit(Op::Jump, 0, 0, await);  // not reached: AwaitStatus returns only masked statuses without a window
  }

  const ir::Journey& j_;
  const Stdlib& lib_;
  bc::Module m_;
  std::map<std::string, uint32_t> strings_;
  unsigned nextReg_ = 0, maxReg_ = 0;
  uint32_t endPc_ = 0, exitPc_ = 0;
  std::vector<std::pair<uint32_t, int32_t>> nodePatches_;
  std::vector<std::pair<uint32_t, const ir::Cond*>> pendingPredicates_;
  std::vector<std::unique_ptr<ir::Cond>> whereConds_;
  std::string escape_;  // filter applied to values inserted into the current content field
};

}  // namespace

bc::Module Generate(const ir::Journey& journey, const Stdlib& lib) { return Gen(journey, lib).run(); }

}  // namespace journey

// check_nodes.cpp — nodes, flows and connectors.
//
// Flows are expanded here into ordinary nodes linked by their primary path,
// so everything after this file sees one uniform graph. The checks that need
// only one node at a time (labels valid for the node kind, required paths,
// windows and timeouts, statuses the channel can emit) live here too; the
// checks over the whole graph are in compiler/passes.
#include <algorithm>
#include <cmath>

#include "check/checker.h"
#include "check/suggest.h"
#include "support/strings.h"

namespace journey {

using ir::Type;
using ir::TypeKind;

namespace {

struct PendingNode {
  const ast::Node* node;
  std::string name;
  // For flow steps: the step that follows, which the primary path defaults to.
  const PendingNode* next = nullptr;
  bool inFlow = false;
};

// The status a channel reports under another name that users write: the
// product docs say "opened" and "failed" where our channels say `viewed` and
// `error`. Only a status the channel has is offered; else a near spelling.
// The channel's word for a status written another way: help to show, and
// the word itself.
struct StatusWord {
  std::string help, word;
  bool guess = false;  // a near spelling, not a synonym the product docs use
};
std::optional<StatusWord> StatusHint(const ChannelInfo& channel, const std::string& written) {
  static const std::pair<const char*, std::vector<const char*>> kSynonyms[] = {
      {"opened", {"viewed", "read"}},   {"open", {"viewed", "read"}},      {"opens", {"viewed", "read"}},
      {"seen", {"viewed", "read"}},     {"read", {"viewed"}},              {"viewed", {"read"}},
      {"failed", {"error"}},            {"failure", {"error"}},            {"fail", {"error"}},
      {"undelivered", {"error"}},       {"bounce", {"bounced", "error"}},  {"bounces", {"bounced", "error"}},
      {"bounced", {"error"}},           {"click", {"clicked"}},            {"clicks", {"clicked"}},
      {"tapped", {"clicked"}},          {"delivery", {"delivered"}},       {"reply", {"replied"}},
      {"responded", {"replied"}},       {"closed", {"dismissed"}},         {"capped", {"suppressed"}},
      {"discarded", {"suppressed"}},
  };
  for (const auto& [word, meanings] : kSynonyms)
    if (written == word)
      for (const char* meaning : meanings)
        if (channel.status(meaning)) return StatusWord{channel.name + " calls this status `" + meaning + "`", meaning};
  std::vector<std::string> names;
  for (const ChannelInfo::Status& s : channel.statuses) names.push_back(s.name);
  if (auto c = ClosestMatch(written, names)) return StatusWord{"did you mean `" + *c + "`?", *c, true};
  return std::nullopt;
}

std::string PrimaryLabel(ir::NodeKind k) {
  switch (k) {
    case ir::NodeKind::Segment: return "yes";
    case ir::NodeKind::Split:
    case ir::NodeKind::Exit: return "";
    default: return "next";
  }
}

const char* KindWord(const ir::Node& n) {
  switch (n.kind) {
    case ir::NodeKind::Wait:
    case ir::NodeKind::WaitUntilTime:
    case ir::NodeKind::WaitUntilProperty: return "wait";
    case ir::NodeKind::Segment:
      return n.mode == ir::SegmentMode::Immediate ? "immediate segment"
             : n.mode == ir::SegmentMode::Live    ? "live segment"
                                                  : "past-behaviour segment";
    case ir::NodeKind::Send: return "send";
    case ir::NodeKind::Split: return "split";
    case ir::NodeKind::Update: return "update";
    case ir::NodeKind::Exit: return "exit";
  }
  return "node";
}

// Statuses that happen at send time and so can accompany `next`.
bool SendTimeStatus(const std::string& s) { return s == "error" || s == "suppressed"; }

// Success statuses in the order they arrive; a branch on a later one is
// shadowed by a branch on an earlier one.
int SuccessRank(const std::string& s) {
  if (s == "sent") return 1;
  if (s == "delivered") return 2;
  if (s == "viewed" || s == "read") return 3;
  if (s == "clicked" || s == "replied") return 4;
  return 0;
}

}  // namespace

bool Checker::dayMask(const std::vector<ast::Ident>& days, uint8_t& mask) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto index = [&](const ast::Ident& d) {
    for (int i = 0; i < 7; ++i)
      if (d.text == kDays[i]) return i;
    diags_.emit(diag::UnknownDay, d.range, d.text);
    return -1;
  };
  mask = 0;
  bool ok = true;
  for (const ast::Ident& d : days) {
    int i = index(d);
    if (i < 0) ok = false;
    else mask |= static_cast<uint8_t>(1u << i);
  }
  return ok;
}

void Checker::lowerNodes(const ast::Journey& j, CheckedJourney& out) {
  // 1. Collect nodes and flow steps; name the unnamed steps.
  std::set<std::string> userNames;
  for (const ast::Node& n : j.nodes) userNames.insert(n.name.text);
  for (const ast::Flow& f : j.flows)
    for (const ast::Node& s : f.steps)
      if (!s.implicitName) userNames.insert(s.name.text);
  std::vector<PendingNode> pending;
  pending.reserve(j.nodes.size() + 64);
  for (const ast::Node& n : j.nodes) pending.push_back({&n, n.name.text});
  int stepCounter = 0;
  for (const ast::Flow& f : j.flows) {
    size_t first = pending.size();
    for (const ast::Node& s : f.steps) {
      std::string name = s.name.text;
      if (s.implicitName) {
        do name = "step" + std::to_string(++stepCounter);
        while (userNames.count(name));
      }
      pending.push_back({&s, name, nullptr, true});
    }
    for (size_t i = first; i + 1 < pending.size(); ++i) pending[i].next = &pending[i + 1];
  }

  // 2. Name table.
  std::map<std::string, int32_t> index;
  std::vector<std::string> allNames;
  for (size_t i = 0; i < pending.size(); ++i) {
    auto [it, inserted] = index.emplace(pending[i].name, static_cast<int32_t>(i));
    if (!inserted) {
      Diagnostic& d = diags_.emit(diag::DuplicateName, pending[i].node->name.range, "node", pending[i].name);
      d.notes.push_back({pending[static_cast<size_t>(it->second)].node->name.range, "first defined here"});
    }
    allNames.push_back(pending[i].name);
  }
  // `quietly`: an unknown target is not reported (see the unknown labels below).
  auto resolve = [&](const ast::Ident& target, int32_t& result, bool quietly = false) {
    if (target.text == "end") return result = ir::kEnd, true;
    if (target.text == "exit") return result = ir::kExit, true;
    auto it = index.find(target.text);
    if (it != index.end()) return result = it->second, true;
    if (quietly) return false;
    Diagnostic& d = diags_.emit(diag::UnknownTarget, target.range, target.text);
    SuggestNearest(d, target.range, target.text, allNames);
    return false;
  };

  // 3. Start.
  if (j.starts.size() > 1) diags_.emit(diag::DuplicateSetting, j.starts[1].range, "start");
  if (!j.starts.empty()) {
    out.start = j.starts[0].range;
    int32_t t = 0;
    if (resolve(j.starts[0].target, t)) {
      if (t < 0) diags_.emit(diag::StartToEnd, j.starts[0].target.range);
      out.ir.start = t < 0 ? 0 : t;
    }
  } else if (!j.flows.empty() && !j.flows[0].steps.empty()) {
    const ast::Node& first = j.flows[0].steps[0];
    out.start = first.range;
    for (size_t i = 0; i < pending.size(); ++i)
      if (pending[i].node == &first) out.ir.start = static_cast<int32_t>(i);
  } else if (!pending.empty() || out.complete) {
    diags_.emit(diag::NoStart, out.journeyName);
  }

  // 4. Lower each node. Reserved up front: growing the vector moves every
  // node lowered so far, which showed up in the language server's profile.
  out.ir.nodes.reserve(out.ir.nodes.size() + pending.size());
  out.sites.reserve(out.sites.size() + pending.size());
  for (const PendingNode& p : pending) {
    const ast::Node& a = *p.node;
    ir::Node n;
    NodeSite site;
    n.name = p.name;
    n.loc = loc(a.range);
    site.name = a.name.range;
    site.body = a.bodyRange;
    site.window = a.windowRange;
    site.sendAt = a.sendAtRange;
    n.windowSeconds = a.windowSeconds.value_or(0);
    if (a.broken) {
      // Its syntax error is reported; keep a placeholder so indexes and names hold.
      n.kind = ir::NodeKind::Exit;
      out.complete = false;
      out.ir.nodes.push_back(std::move(n));
      out.sites.push_back(std::move(site));
      continue;
    }
    switch (a.kind) {
      case ast::BodyKind::WaitFor:
        n.kind = ir::NodeKind::Wait;
        n.seconds = a.seconds;
        if (a.seconds <= 0) diags_.emit(diag::InvalidValue, a.bodyRange, "a wait must be longer than 0s");
        break;
      case ast::BodyKind::WaitUntilTime:
        n.kind = ir::NodeKind::WaitUntilTime;
        n.minuteOfDay = a.minuteOfDay;
        if (!a.days.empty()) dayMask(a.days, n.days);
        break;
      case ast::BodyKind::WaitUntilProperty: {
        n.kind = ir::NodeKind::WaitUntilProperty;
        n.until = lowerExpr(*a.until, Scope{});
        if (n.until.type.kind != TypeKind::Datetime && n.until.type.kind != TypeKind::Error)
          diags_.emit(diag::NotDatetime, a.until->range, ir::TypeName(n.until.type));
        int64_t off = a.offsetSeconds.value_or(0);
        n.offsetSeconds = a.before ? -off : off;
        break;
      }
      case ast::BodyKind::Segment: {
        n.kind = ir::NodeKind::Segment;
        CondShape shape;
        n.condition = lowerCond(*a.segment, CondSite::Segment, shape);
        bool live = shape.live || shape.inaction;
        if (shape.inaction) {
          const ir::Cond& c = n.condition;
          bool ok = c.op == ir::CondOp::And && c.args[0].op == ir::CondOp::Did &&
                    c.args[0].did.period != ir::PeriodKind::Last && c.args[1].op == ir::CondOp::Not &&
                    c.args[1].args[0].op == ir::CondOp::Did && c.args[1].args[0].did.period == ir::PeriodKind::Within;
          if (!ok) diags_.emit(diag::InvalidInaction, a.segment->range);
        }
        if (live && shape.past) diags_.emit(diag::MixedCondition, a.segment->range);
        n.mode = live ? ir::SegmentMode::Live : shape.past ? ir::SegmentMode::PastBehaviour : ir::SegmentMode::Immediate;
        break;
      }
      case ast::BodyKind::Send: {
        n.kind = ir::NodeKind::Send;
        n.channel = a.channel.text;
        n.sendAtMinute = a.sendAtMinute.value_or(-1);
        auto ch = lib_.channels.find(a.channel.text);
        if (ch == lib_.channels.end()) {
          std::vector<std::string> names;
          for (const auto& [name, _] : lib_.channels) names.push_back(name);
          Diagnostic& d = diags_.emit(diag::UnknownChannel, a.channel.range, a.channel.text, lib_.channelList());
          SuggestNearest(d, a.channel.range, a.channel.text, names);
          for (const ast::ContentField& f : a.content) n.content.push_back({f.name.text, lowerContent(*f.value)});
          break;
        }
        const ChannelInfo& info = ch->second;
        std::map<std::string, Range> seen;
        for (const ast::ContentField& f : a.content) {
          ir::Expr value = lowerContent(*f.value);
          if (!seen.emplace(f.name.text, f.name.range).second) {
            Diagnostic& d = diags_.emit(diag::DuplicateName, f.name.range, "field", f.name.text);
            d.notes.push_back({seen[f.name.text], "first set here"});
          }
          const ChannelInfo::Field* decl = info.field(f.name.text);
          if (!decl) {
            std::vector<std::string> names;
            for (const auto& fd : info.fields) names.push_back(fd.name);
            Diagnostic& d = diags_.emit(diag::UnknownField, f.name.range, info.name, f.name.text, JoinQuoted(names));
            SuggestNearest(d, f.name.range, f.name.text, names);
          } else if (!compatible(decl->type, value.type)) {
            diags_.emit(diag::FieldType, f.value->range, f.name.text, ir::TypeName(decl->type), ir::TypeName(value.type));
          } else if (!decl->allowed.empty() && value.op == ir::ExprOp::Literal && value.type.kind == TypeKind::String &&
                     std::find(decl->allowed.begin(), decl->allowed.end(), value.value.text) == decl->allowed.end()) {
            // Only text written out can be checked here; a template's value is known when it is sent.
            Diagnostic& d = diags_.emit(diag::FieldValue, f.value->range, info.name, f.name.text, value.value.text, JoinQuoted(decl->allowed, "or"));
            SuggestNearest(d, f.value->range, value.value.text, decl->allowed, Spelt::String);
          } else if (decl->range && value.op == ir::ExprOp::Literal &&
                     (value.type.kind == TypeKind::Number || value.type.kind == TypeKind::Duration) &&
                     (value.value.number < decl->range->first || value.value.number > decl->range->second)) {
            auto text = [&](double v) { return FieldNumberText(value.type, v); };
            diags_.emit(diag::FieldRange, f.value->range, info.name, f.name.text, text(value.value.number), text(decl->range->first),
                        text(decl->range->second));
          }
          n.content.push_back({f.name.text, std::move(value)});
        }
        for (const auto& fd : info.fields)
          if (fd.required && !seen.count(fd.name)) diags_.emit(diag::MissingField, a.channel.range, info.name, fd.name);
        for (const std::vector<std::string>& group : info.requiredGroups) {
          bool any = false;
          for (const std::string& name : group) any = any || seen.count(name);
          if (!any) diags_.emit(diag::MissingFieldGroup, a.channel.range, info.name, JoinQuoted(group, "or"));
        }
        break;
      }
      case ast::BodyKind::Split: {
        n.kind = ir::NodeKind::Split;
        double total = 0;
        std::map<std::string, Range> seen;
        for (const ast::SplitArm& arm : a.arms) {
          if (!seen.emplace(arm.name.text, arm.name.range).second)
            diags_.emit(diag::DuplicateName, arm.name.range, "split arm", arm.name.text);
          if (arm.percent <= 0) diags_.emit(diag::InvalidPercent, arm.range, arm.name.text);
          total += arm.percent;
          n.arms.push_back({arm.name.text, arm.percent});
        }
        if (std::fabs(total - 100.0) > 1e-9) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", total);
          diags_.emit(diag::SplitTotal, a.bodyRange, buf);
        }
        break;
      }
      case ast::BodyKind::Update: {
        n.kind = ir::NodeKind::Update;
        static const char* kOpNames[] = {"set", "add", "remove", "increment", "decrement"};
        for (const ast::UpdateOp& op : a.updates) {
          ir::UpdateOp u;
          u.kind = static_cast<ir::UpdateKind>(op.kind);
          const char* opName = kOpNames[static_cast<int>(op.kind)];
          const ast::Expr& prop = *op.property;
          if (prop.kind != ast::ExprKind::Member || prop.operands[0]->kind != ast::ExprKind::Name ||
              prop.operands[0]->name.text != "profile") {
            diags_.emit(diag::UpdateType, prop.range, opName, std::string(sm_.text(prop.range)), "(not a profile property)");
            continue;
          }
          ir::Expr target = lowerExpr(prop, Scope{});
          if (target.type.kind == TypeKind::Error) continue;
          u.property = target.name;
          u.propertyType = target.type;
          if (op.value) {
            u.value = lowerExpr(*op.value, Scope{});
          } else {
            u.value.op = ir::ExprOp::Literal;
            u.value.type = u.value.value.type = Type::Of(TypeKind::Number);
            u.value.value.number = 1;
          }
          bool ok = true;
          switch (u.kind) {
            case ir::UpdateKind::Set: ok = compatible(u.propertyType, u.value.type); break;
            case ir::UpdateKind::Increment:
            case ir::UpdateKind::Decrement:
              ok = u.propertyType.kind == TypeKind::Number && compatible(Type::Of(TypeKind::Number), u.value.type);
              break;
            case ir::UpdateKind::Add:
            case ir::UpdateKind::Remove:
              ok = u.propertyType.kind == TypeKind::List && compatible(Type::Of(u.propertyType.element), u.value.type);
              break;
          }
          if (!ok && u.value.type.kind != TypeKind::Error)
            diags_.emit(diag::UpdateType, op.range, opName, "profile." + u.property, ir::TypeName(u.propertyType));
          n.updates.push_back(std::move(u));
        }
        break;
      }
      case ast::BodyKind::Exit: n.kind = ir::NodeKind::Exit; break;
    }

    // 5. Connectors: valid labels for this kind of node.
    std::vector<std::string> labels;
    const ChannelInfo* channel = nullptr;
    switch (n.kind) {
      case ir::NodeKind::Segment: labels = {"yes", "no", "timeout"}; break;
      case ir::NodeKind::Send: {
        labels = {"next"};
        auto ch = lib_.channels.find(n.channel);
        if (ch != lib_.channels.end()) {
          channel = &ch->second;
          for (const auto& s : channel->statuses) labels.push_back(s.name);
        }
        labels.push_back("timeout");
        break;
      }
      case ir::NodeKind::Split:
        for (const ir::SplitArm& arm : n.arms) labels.push_back(arm.name);
        break;
      case ir::NodeKind::Exit: break;
      default: labels = {"next"};
    }
    std::string primary = PrimaryLabel(n.kind);
    auto addEdge = [&](const std::string& label, const ast::Ident& target, Range r, Range labelRange) {
      bool known = std::find(labels.begin(), labels.end(), label) != labels.end();
      if (!known) {
        if (n.kind == ir::NodeKind::Send && channel) {
          Diagnostic& d = diags_.emit(diag::StatusNotEmitted, r, channel->name, label,
                                      JoinQuoted(std::vector<std::string>(labels.begin() + 1, labels.end() - 1)));
          if (auto hint = StatusHint(*channel, label)) {
            d.help.push_back(hint->help);
            if (labelRange.valid() && hint->guess) d.guessFix(labelRange, hint->word);
            else if (labelRange.valid()) d.fixWith(labelRange, hint->word);
          }
        } else if (n.kind != ir::NodeKind::Send) {
          diags_.emit(diag::InvalidLabel, r, label, KindWord(n), labels.empty() ? std::string("none") : JoinQuoted(labels));
        }
        // The error is reported; the path is kept as written so that what it
        // implies holds (its target is reached, a send with it waits for a
        // status): one wrong word, one error, not three. Its target is looked
        // up quietly: after a parse error, a "path" may be a misread node.
        int32_t t = 0;
        if (site.edges.count(label) || !resolve(target, t, /*quietly=*/true)) return;
        site.edges[label] = r;
        n.edges.push_back({label, t});
        return;
      }
      if (site.edges.count(label)) {
        Diagnostic& d = diags_.emit(diag::DuplicateConnector, r, label);
        d.notes.push_back({site.edges[label], "first connected here"});
        return;
      }
      site.edges[label] = r;
      int32_t t = 0;
      if (resolve(target, t)) n.edges.push_back({label, t});
      else n.edges.push_back({label, ir::kExit});  // keeps the label; the error is reported
    };
    if (a.primary) {
      if (primary.empty()) diags_.emit(diag::InvalidLabel, a.primary->range, "->", KindWord(n), labels.empty() ? std::string("none") : JoinQuoted(labels));
      else addEdge(primary, a.primary->target, a.primary->range, Range{});
    }
    for (const ast::Connector& c : a.connectors) addEdge(c.label.text, c.target, c.range, c.label.range);
    // A flow step's primary path goes on to the next step, the last one to end.
    // A send step that branches on later statuses (delivered, clicked, ...)
    // chooses its own ways on; linking `next` as well would shadow them.
    bool branchesOnStatus = false;
    if (n.kind == ir::NodeKind::Send)
      for (const ir::Edge& e : n.edges)
        if (e.label != "next" && !SendTimeStatus(e.label) && e.label != "timeout") branchesOnStatus = true;
    if (p.inFlow && !primary.empty() && !site.edges.count(primary) && !branchesOnStatus) {
      ast::Ident implicitTarget;
      implicitTarget.text = p.next ? p.next->name : "end";
      implicitTarget.range = a.range;
      site.edges[primary] = a.range;
      int32_t t = ir::kEnd;
      if (p.next) resolve(implicitTarget, t);
      n.edges.push_back({primary, t});
    }

    // 6. Local path rules.
    auto has = [&](const std::string& l) { return site.edges.count(l) > 0; };
    Range at = a.name.range.valid() ? a.name.range : a.bodyRange;
    bool window = n.windowSeconds > 0;
    if (a.windowSeconds && *a.windowSeconds <= 0) diags_.emit(diag::InvalidValue, a.windowRange, "a window must be longer than 0s");
    // The VM counts a window in 32 bits of seconds (one instruction operand).
    if (a.windowSeconds && *a.windowSeconds > int64_t{UINT32_MAX})
      diags_.emit(diag::InvalidValue, a.windowRange, "a window can be at most 4294967295s (about 136 years)");
    switch (n.kind) {
      case ir::NodeKind::Segment:
        if (n.mode == ir::SegmentMode::Immediate && window) {
          diags_.emit(diag::WindowNotAllowed, a.windowRange, n.name, std::string(KindWord(n)) + " nodes never wait for an event");
          break;
        }
        if (!has("yes")) diags_.emit(diag::MissingPath, at, n.name, "yes");
        if (n.mode == ir::SegmentMode::Live && has("no")) diags_.emit(diag::NoPathNeverTaken, site.edges["no"], n.name);
        if ((n.mode == ir::SegmentMode::Immediate || (n.mode == ir::SegmentMode::PastBehaviour && !window)) && !has("no"))
          diags_.emit(diag::MissingPath, at, n.name, "no");
        if (n.mode == ir::SegmentMode::PastBehaviour && window && has("no"))
          diags_.emit(diag::InvalidLabel, site.edges["no"], "no", "past-behaviour segment with a window",
                      JoinQuoted({"yes", "timeout"}));
        if (window && !has("timeout")) diags_.emit(diag::WindowWithoutTimeout, a.windowRange, n.name);
        if (!window && has("timeout")) diags_.emit(diag::TimeoutWithoutWindow, site.edges["timeout"], n.name);
        if (n.mode == ir::SegmentMode::Live && !window) diags_.emit(diag::LiveSegmentNoWindow, at, n.name);
        if (n.mode == ir::SegmentMode::PastBehaviour && window && n.windowSeconds < 86400)
          diags_.emit(diag::ShortPastBehaviourWindow, a.windowRange, n.name);
        break;
      case ir::NodeKind::Send: {
        // A path on a status the channel lacks has its error already; the
        // rules on the order of statuses would only repeat it.
        auto known = [&](const std::string& label) { return label == "next" || (channel && channel->status(label)); };
        bool any = false;
        bool needsTimeout = false;
        std::string firstLate;
        int bestRank = 0;
        std::string bestStatus;
        for (const ir::Edge& e : n.edges) {
          if (e.label == "timeout") continue;
          any = true;
          if (channel) {
            if (const ChannelInfo::Status* s = channel->status(e.label)) {
              if (s->needsTimeout && !needsTimeout) {
                needsTimeout = true;
                if (!window || !has("timeout")) diags_.emit(diag::StatusNeedsTimeout, site.edges[e.label], n.name, e.label);
              }
            }
          }
          if (!known(e.label)) continue;
          if (e.label != "next" && !SendTimeStatus(e.label) && firstLate.empty()) firstLate = e.label;
          int rank = SuccessRank(e.label);
          if (rank && (!bestRank || rank < bestRank)) {
            bestRank = rank;
            bestStatus = e.label;
          }
        }
        if (has("next") && !firstLate.empty()) diags_.emit(diag::NextWithLateStatus, site.edges[firstLate], n.name, firstLate);
        if (!has("next") && bestRank)
          for (const ir::Edge& e : n.edges)
            if (known(e.label) && SuccessRank(e.label) > bestRank)
              diags_.emit(diag::UnreachableStatus, site.edges[e.label], n.name, e.label, bestStatus);
        // Users whose message went out need a way on: `next` or a success status.
        bool success = false;
        for (const ir::Edge& e : n.edges)
          if (e.label != "error" && e.label != "suppressed" && e.label != "timeout" && e.label != "bounced") success = true;
        if (!any || !success) diags_.emit(diag::MissingPath, at, n.name, "next");
        // A window bounds the wait for later statuses (delivered, clicked, ...);
        // a send that only branches at send time never waits.
        bool waitsForStatus = false;
        for (const ir::Edge& e : n.edges)
          if (e.label != "next" && e.label != "sent" && e.label != "timeout" && !SendTimeStatus(e.label)) waitsForStatus = true;
        if (!waitsForStatus && window) diags_.emit(diag::WindowNotAllowed, a.windowRange, n.name, "the send has no later status branch to wait for");
        if (!window && has("timeout") && !needsTimeout) diags_.emit(diag::TimeoutWithoutWindow, site.edges["timeout"], n.name);
        if (window && waitsForStatus && !has("timeout")) diags_.emit(diag::WindowWithoutTimeout, a.windowRange, n.name);
        break;
      }
      case ir::NodeKind::Split:
        for (const ir::SplitArm& arm : n.arms)
          if (!has(arm.name)) diags_.emit(diag::MissingPath, at, n.name, arm.name);
        if (window) diags_.emit(diag::WindowNotAllowed, a.windowRange, n.name, std::string(KindWord(n)) + " nodes never wait for an event");
        break;
      case ir::NodeKind::Exit:
        if (window) diags_.emit(diag::WindowNotAllowed, a.windowRange, n.name, std::string(KindWord(n)) + " nodes never wait for an event");
        break;
      default:
        if (!has("next")) diags_.emit(diag::MissingPath, at, n.name, "next");
        if (window) diags_.emit(diag::WindowNotAllowed, a.windowRange, n.name, std::string(KindWord(n)) + " nodes never wait for an event");
    }
    out.ir.nodes.push_back(std::move(n));
    out.sites.push_back(std::move(site));
  }
}

}  // namespace journey

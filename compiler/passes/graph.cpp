// graph.cpp — whole-graph checks: reachability, waitless cycles, goal limit,
// DND conflicts of sends timed by a `wait until`.
#include "passes/graph.h"

#include <algorithm>
#include <functional>

namespace journey {
namespace {

// Does a user stay at this node for a while (so a loop through it advances
// time)? Waits, live and past-behaviour segments, windows, and sends that
// wait for a delivery status do.
bool Waits(const ir::Node& n) {
  switch (n.kind) {
    case ir::NodeKind::Wait:
    case ir::NodeKind::WaitUntilTime:
    case ir::NodeKind::WaitUntilProperty: return true;
    case ir::NodeKind::Segment: return n.mode != ir::SegmentMode::Immediate;
    case ir::NodeKind::Send:
      if (n.sendAtMinute >= 0 || n.windowSeconds > 0) return true;
      for (const ir::Edge& e : n.edges)
        if (e.label != "next" && e.label != "error" && e.label != "suppressed" && e.label != "timeout") return true;
      return false;
    default: return n.windowSeconds > 0;
  }
}

bool InWindow(int minute, int from, int to) { return from < to ? minute >= from && minute < to : minute >= from || minute < to; }

}  // namespace

void RunGraphChecks(const CheckedJourney& cj, DiagEngine& diags) {
  const ir::Journey& j = cj.ir;
  const size_t n = j.nodes.size();

  if (j.goals.size() > 3) diags.emit(diag::TooManyGoals, cj.goals[3], static_cast<int>(j.goals.size()));
  if (!j.goals.empty() && j.timeoutSeconds == 0 && !cj.goals.empty()) diags.emit(diag::GoalsWithoutTimeout, cj.goals[0]);

  // Reachability from the start.
  if (cj.complete && n > 0) {
    std::vector<bool> seen(n, false);
    std::vector<int32_t> stack{j.start};
    while (!stack.empty()) {
      int32_t v = stack.back();
      stack.pop_back();
      if (v < 0 || static_cast<size_t>(v) >= n || seen[static_cast<size_t>(v)]) continue;
      seen[static_cast<size_t>(v)] = true;
      for (const ir::Edge& e : j.nodes[static_cast<size_t>(v)].edges) stack.push_back(e.target);
    }
    for (size_t i = 0; i < n; ++i)
      if (!seen[i]) diags.emit(diag::UnreachableNode, cj.sites[i].name, j.nodes[i].name);
  }

  // Cycles: strongly connected components (Tarjan, iterative) with no waiting node.
  std::vector<int> indexOf(n, -1), low(n, 0), component(n, -1);
  std::vector<bool> onStack(n, false);
  std::vector<size_t> sccStack;
  int counter = 0, components = 0;
  for (size_t root = 0; root < n; ++root) {
    if (indexOf[root] >= 0) continue;
    std::vector<std::pair<size_t, size_t>> work{{root, 0}};
    while (!work.empty()) {
      auto& [v, edge] = work.back();
      if (edge == 0) {
        indexOf[v] = low[v] = counter++;
        sccStack.push_back(v);
        onStack[v] = true;
      }
      const auto& edges = j.nodes[v].edges;
      bool descended = false;
      while (edge < edges.size()) {
        int32_t t = edges[edge++].target;
        if (t < 0) continue;
        size_t w = static_cast<size_t>(t);
        if (indexOf[w] < 0) {
          work.push_back({w, 0});
          descended = true;
          break;
        }
        if (onStack[w]) low[v] = std::min(low[v], indexOf[w]);
      }
      if (descended) continue;
      size_t done = v;
      if (low[done] == indexOf[done]) {
        size_t w;
        do {
          w = sccStack.back();
          sccStack.pop_back();
          onStack[w] = false;
          component[w] = components;
        } while (w != done);
        ++components;
      }
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
    }
  }
  std::vector<std::vector<size_t>> members(static_cast<size_t>(components));
  for (size_t i = 0; i < n; ++i) members[static_cast<size_t>(component[i])].push_back(i);
  for (const auto& scc : members) {
    bool cyclic = scc.size() > 1;
    if (scc.size() == 1)
      for (const ir::Edge& e : j.nodes[scc[0]].edges)
        if (e.target == static_cast<int32_t>(scc[0])) cyclic = true;
    if (!cyclic) continue;
    if (std::any_of(scc.begin(), scc.end(), [&](size_t i) { return Waits(j.nodes[i]); })) continue;
    std::string path;
    for (size_t i : scc) path += j.nodes[i].name + " -> ";
    path += j.nodes[scc[0]].name;
    diags.emit(diag::CycleWithoutWait, cj.sites[scc[0]].name, path);
  }

  // A `wait until HH:MM` whose next step is a send: the send goes out at that time.
  for (size_t i = 0; i < n; ++i) {
    const ir::Node& w = j.nodes[i];
    if (w.kind != ir::NodeKind::WaitUntilTime) continue;
    const ir::Edge* next = w.edge("next");
    if (!next || next->target < 0) continue;
    const ir::Node& s = j.nodes[static_cast<size_t>(next->target)];
    if (s.kind != ir::NodeKind::Send || s.sendAtMinute >= 0) continue;
    for (size_t k = 0; k < j.dnds.size(); ++k) {
      const ir::Dnd& d = j.dnds[k];
      bool covered = d.channels.empty() ? s.channel != "webhook"
                                        : std::find(d.channels.begin(), d.channels.end(), s.channel) != d.channels.end();
      if (!covered || !(d.days & w.days) || !InWindow(w.minuteOfDay, d.fromMinute, d.toMinute)) continue;
      Diagnostic& diag = diags.emit(diag::SendInDnd, cj.sites[i].body, ir::FormatTime(w.minuteOfDay),
                                    ir::FormatDays(d.days) + " " + ir::FormatTime(d.fromMinute) + ".." + ir::FormatTime(d.toMinute));
      diag.notes.push_back({cj.dnds[k], "the window is declared here"});
      diag.notes.push_back({cj.sites[static_cast<size_t>(next->target)].name, "the send that waits for it"});
      break;
    }
  }
}

}  // namespace journey

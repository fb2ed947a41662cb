// graph_stats.cpp — journey-vm's statistics JSON → the canvas's figures.
#include "driver/graph_stats.h"

#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace journey {
namespace {

using nlohmann::json;

// A count the statistics hold under `key`, or nullopt when absent. A value
// of the wrong type throws (json::type_error), reported as a bad file.
std::optional<uint64_t> Count(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  return it->get<uint64_t>();
}

// "name 3, other 1" of the non-zero counts, in the given order.
std::string NonZero(const std::vector<std::pair<std::string, uint64_t>>& counts) {
  std::string out;
  for (const auto& [name, n] : counts)
    if (n) out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return out;
}

void FillNode(const json& node, ir::CanvasStats& out) {
  const std::string name = node.at("node").get<std::string>();
  std::vector<std::string>& lines = out.nodeLines[name];
  std::string users = "in " + std::to_string(Count(node, "entered").value_or(0)) + ", waiting " +
                      std::to_string(Count(node, "waiting").value_or(0));
  std::string left = NonZero({{"goal", Count(node, "goal_exits").value_or(0)}, {"journey timeout", Count(node, "timeout_exits").value_or(0)}});
  lines.push_back(left.empty() ? users : users + ", " + left);
  if (auto sent = Count(node, "sent")) {
    std::string messages = "sent " + std::to_string(*sent);
    if (uint64_t suppressed = Count(node, "suppressed").value_or(0)) messages += ", suppressed " + std::to_string(suppressed);
    lines.push_back(messages);
    std::vector<std::pair<std::string, uint64_t>> statuses;
    if (auto it = node.find("statuses"); it != node.end())
      for (const auto& [status, n] : it->items()) statuses.push_back({status, n.get<uint64_t>()});
    std::string reported = NonZero(statuses);
    if (!reported.empty()) lines.push_back(reported);
  }
  if (auto it = node.find("exits"); it != node.end())
    for (const auto& [label, n] : it->items()) out.exits[name][label] = n.get<uint64_t>();
}

}  // namespace

bool ReadCanvasStats(std::string_view text, const std::string& path, const std::string& journey, const std::string& versionHex,
                     CanvasStatsResult& out, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    error = path + ": not valid JSON; expected the statistics journey-vm writes with --stats";
    return false;
  }
  try {
    if (!doc.is_object() || !doc.contains("journeys") || !doc["journeys"].is_array()) {
      error = path + ": not journey statistics (no \"journeys\" list); expected the JSON journey-vm writes with --stats";
      return false;
    }
    const json* chosen = nullptr;
    std::string names;
    for (const json& j : doc["journeys"]) {
      std::string name = j.at("journey").get<std::string>();
      if (names.find("\"" + name + "\"") == std::string::npos) names += (names.empty() ? "\"" : ", \"") + name + "\"";
      if (name != journey) continue;
      if (!chosen || chosen->value("version", "") != versionHex) chosen = &j;
    }
    if (!chosen) {
      error = path + " has no statistics of journey \"" + journey + "\"" + (names.empty() ? "" : " (it has " + names + ")");
      return false;
    }
    const json& j = *chosen;
    std::string version = j.value("version", "");
    if (version != versionHex)
      out.warning = path + " holds version " + version + " of \"" + journey + "\", not " + versionHex +
                    " (this file's): nodes are matched by name";
    ir::CanvasStats& st = out.stats;
    uint64_t entry = Count(j, "entry").value_or(0);
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.2f", j.value("conversion_percent", 0.0));
    auto goalMet = Count(j, "goal_met");
    auto completed = Count(j, "completed");
    st.summary = "entry " + std::to_string(entry);
    if (goalMet) st.summary += ", goal met " + std::to_string(*goalMet) + " (" + std::string(percent) + "%)";
    if (completed) st.summary += ", completed " + std::to_string(*completed) + " (" + std::string(percent) + "%)";
    if (auto timedOut = Count(j, "timed_out")) {
      st.summary += ", timed out " + std::to_string(*timedOut);
      st.timedOut = timedOut;
    }
    // A time frame's statistics (--stats-from/--stats-to) name their days.
    if (doc.contains("days") && doc["days"].is_object())
      st.summary += "; days " + doc["days"].value("from", "?") + " to " + doc["days"].value("to", "?");
    if (auto atEnd = Count(j, "at_end")) st.endLine = "waiting " + std::to_string(*atEnd);
    else if (completed) st.endLine = "completed " + std::to_string(*completed);
    if (auto goals = j.find("goals"); goals != j.end())
      for (const auto& [name, n] : goals->items()) st.goalsMet[name] = n.get<uint64_t>();
    if (auto nodes = j.find("nodes"); nodes != j.end())
      for (const json& node : *nodes) FillNode(node, st);
  } catch (const json::exception& e) {
    error = path + ": not journey statistics: " + e.what();
    return false;
  }
  return true;
}

}  // namespace journey

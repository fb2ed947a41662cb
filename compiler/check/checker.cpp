// checker.cpp — schemas and the journey header: entry, re-entry, timeout,
// goals, DND windows, frequency limits; then the nodes (check_nodes.cpp).
#include "check/checker.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

#include "check/suggest.h"
#include "support/strings.h"

namespace journey {

namespace {

bool ValidZoneName(const std::string& name) {
  if (name.empty() || name.find("..") != std::string::npos || name.front() == '/') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  return true;
}

bool ZoneExists(const std::string& name) {
  if (!ValidZoneName(name)) return false;
  if (name == "UTC" || name == "Etc/UTC") return true;
  std::error_code ec;
  const std::filesystem::path dir = "/usr/share/zoneinfo";
  if (!std::filesystem::is_directory(dir, ec)) return name.find('/') != std::string::npos;  // no tzdata: trust the shape
  return std::filesystem::is_regular_file(dir / name, ec);
}

// The zones of places, from tzdata's table (empty without tzdata).
const std::vector<std::string>& PlaceZones() {
  static const std::vector<std::string> zones = [] {
    std::vector<std::string> out;
    std::ifstream table("/usr/share/zoneinfo/zone1970.tab");
    std::string line;
    while (std::getline(table, line)) {
      if (line.empty() || line[0] == '#') continue;
      // country codes, coordinates, zone, comment: tab-separated
      size_t a = line.find('\t'), b = a == std::string::npos ? a : line.find('\t', a + 1);
      if (b == std::string::npos) continue;
      size_t c = line.find('\t', b + 1);
      out.push_back(line.substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1));
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return zones;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Help for a zone name that is not one: the zone of the same place under
// its region (`India/Kolkata`, `kolkata`: Asia/Kolkata), a near spelling,
// or, for an abbreviation such as IST, what to write instead. `zone` is the
// zone meant, when the help names one (a fix; a guess when it is only a
// near spelling).
struct ZoneHelp {
  std::string help, zone;
  bool guess = false;
};
std::optional<ZoneHelp> ZoneHint(const std::string& name) {
  const std::vector<std::string>& zones = PlaceZones();
  const std::string lowered = Lower(name);
  std::string place = lowered.substr(lowered.rfind('/') == std::string::npos ? 0 : lowered.rfind('/') + 1);
  for (char& c : place)
    if (c == ' ') c = '_';
  for (const std::string& z : zones) {
    const std::string zone = Lower(z);
    if (zone == lowered || zone.substr(zone.rfind('/') + 1) == place) return ZoneHelp{"did you mean \"" + z + "\"?", z};
  }
  if (auto c = ClosestMatch(name, zones)) return ZoneHelp{"did you mean \"" + *c + "\"?", *c, true};
  bool abbreviation = name.size() >= 2 && name.size() <= 5 &&
                      std::all_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (abbreviation)
    return ZoneHelp{"an abbreviation names no place and no daylight-saving rule; write the zone of a place, such as "
                    "\"Asia/Kolkata\" or \"America/New_York\"",
                    ""};
  return std::nullopt;
}

// Is `minute` inside the window from..to (which may cross midnight)?
bool InWindow(int minute, int from, int to) {
  if (from < to) return minute >= from && minute < to;
  return minute >= from || minute < to;
}

}  // namespace

std::optional<CheckedJourney> Check(const ast::File& file, const Stdlib& lib, const SourceManager& sm,
                                    DiagEngine& diags) {
  Checker checker(lib, sm, diags);
  return checker.run(file);
}

std::optional<CheckedJourney> Checker::run(const ast::File& file) {
  const std::string& path = sm_.file(file.fileId).path();
  journeyDir_ = std::filesystem::path(path).parent_path().string();

  // Schemas: stdlib events first, then the file's own declarations.
  for (const auto& [name, fields] : lib_.events) events_[name] = EventInfo{name, fields, {}};
  for (const ast::EventDecl& e : file.events) {
    EventInfo info{e.name, {}, e.nameRange};
    auto existing = events_.find(e.name);
    if (existing != events_.end()) {
      Diagnostic& d = diags_.emit(diag::DuplicateName, e.nameRange, "event", e.name);
      if (existing->second.range.valid()) d.notes.push_back({existing->second.range, "first declared here"});
      else d.notes.push_back({Range{}, "the standard library declares it"});
      continue;
    }
    std::map<std::string, Range> seen;
    for (const ast::FieldDecl& f : e.fields) {
      ir::Field field{f.name.text, {}};
      if (!seen.emplace(f.name.text, f.name.range).second) {
        diags_.emit(diag::DuplicateName, f.name.range, "property", f.name.text);
        continue;
      }
      if (ResolveType(f.type, field.type, diags_)) info.fields.push_back(field);
      else info.fields.push_back({f.name.text, ir::Type::Of(ir::TypeKind::Error)});
    }
    events_[e.name] = std::move(info);
  }
  std::map<std::string, Range> profileSeen;
  for (const ast::ProfileDecl& p : file.profiles) {
    for (const ast::FieldDecl& f : p.fields) {
      if (!profileSeen.emplace(f.name.text, f.name.range).second) {
        Diagnostic& d = diags_.emit(diag::DuplicateName, f.name.range, "profile property", f.name.text);
        d.notes.push_back({profileSeen[f.name.text], "first declared here"});
        continue;
      }
      ir::Field field{f.name.text, {}};
      if (!ResolveType(f.type, field.type, diags_)) field.type = ir::Type::Of(ir::TypeKind::Error);
      profile_.push_back(field);
    }
  }

  if (file.journeys.empty()) {
    if (!file.hadSyntaxErrors) diags_.emit(diag::NoJourney, Range{file.fileId, 0, 0});
    return std::nullopt;
  }
  for (size_t i = 1; i < file.journeys.size(); ++i) diags_.emit(diag::MultipleJourneys, file.journeys[i].nameRange);
  const ast::Journey& j = file.journeys[0];

  CheckedJourney out;
  out.complete = !file.hadSyntaxErrors;
  out.journeyName = j.nameRange;
  ir::Journey& ir = out.ir;
  ir.name = j.name;
  ir.sourcePath = path;
  ir.schema.profile = profile_;

  auto once = [&](const char* what, size_t count, auto rangeOf) {
    for (size_t i = 1; i < count; ++i) diags_.emit(diag::DuplicateSetting, rangeOf(i), what);
  };
  once("description", j.descriptions.size(), [&](size_t i) { return j.descriptions[i].second; });
  once("timezone", j.timezones.size(), [&](size_t i) { return j.timezones[i].range; });
  once("entry", j.entries.size(), [&](size_t i) { return j.entries[i].range; });
  once("reentry", j.reentries.size(), [&](size_t i) { return j.reentries[i].range; });
  once("timeout", j.timeouts.size(), [&](size_t i) { return j.timeouts[i].second; });

  if (!j.descriptions.empty()) ir.description = j.descriptions[0].first;
  if (!j.timezones.empty()) {
    const ast::Timezone& tz = j.timezones[0];
    ir.userTimezone = tz.user;
    if (!tz.name.empty()) {
      ir.timezone = tz.name;
      if (!ZoneExists(tz.name)) {
        Diagnostic& d = diags_.emit(diag::UnknownTimezone, tz.range, tz.name);
        if (auto hint = ZoneHint(tz.name)) {
          d.help.push_back(hint->help);
          // The name's string ends the item: its opening quote is the last
          // one before the closing quote (a zone name holds none).
          std::string_view item = sm_.text(tz.range);
          size_t open = item.size() >= 2 ? item.rfind('"', item.size() - 2) : std::string_view::npos;
          if (!hint->zone.empty() && item.size() >= 2 && item.back() == '"' && open != std::string_view::npos) {
            Range written{tz.range.file, tz.range.begin + static_cast<uint32_t>(open), tz.range.end};
            if (hint->guess) d.guessFix(written, "\"" + hint->zone + "\"");
            else d.fixWith(written, "\"" + hint->zone + "\"");
          }
        }
      }
    }
  }
  if (!j.reentries.empty()) {
    const ast::Reentry& r = j.reentries[0];
    ir.reentry = static_cast<ir::Reentry>(r.kind);
    ir.reentrySeconds = r.seconds;
    if (r.kind == ast::Reentry::After && r.seconds <= 0) diags_.emit(diag::InvalidValue, r.range, "a re-entry cooldown must be longer than 0s");
  }
  if (!j.timeouts.empty()) {
    ir.timeoutSeconds = j.timeouts[0].first;
    if (ir.timeoutSeconds <= 0) diags_.emit(diag::InvalidValue, j.timeouts[0].second, "a journey timeout must be longer than 0s");
  }

  // Entry: find the triggering event before anything reads `entry.x`.
  if (j.entries.empty()) {
    if (out.complete) diags_.emit(diag::MissingEntry, j.nameRange, j.name);
    entryHasEvent_ = true;  // unknown: do not cascade errors about entry.x
  } else {
    const ast::Entry& e = j.entries[0];
    CondShape shape;
    ir.entry.condition = lowerCond(*e.condition, CondSite::Entry, shape);
    if (shape.trigger) ir.entry.kind = ir::EntryKind::JourneyTrigger;
    else if (shape.list) ir.entry.kind = ir::EntryKind::CustomList;
    else if (shape.inaction) ir.entry.kind = ir::EntryKind::Inaction;
    else if (shape.live) ir.entry.kind = ir::EntryKind::Action;
    else if (shape.relative) ir.entry.kind = ir::EntryKind::DateProperty;
    else ir.entry.kind = ir::EntryKind::PastBehaviour;
    if ((shape.live || shape.inaction) && shape.past) diags_.emit(diag::MixedCondition, e.condition->range);
    if (shape.inaction) {
      // Inaction: exactly `did A [...] and not did B [...] within T`.
      const ir::Cond& c = ir.entry.condition;
      bool ok = c.op == ir::CondOp::And && c.args[0].op == ir::CondOp::Did &&
                c.args[0].did.period != ir::PeriodKind::Last && c.args[1].op == ir::CondOp::Not &&
                c.args[1].args[0].op == ir::CondOp::Did && c.args[1].args[0].did.period == ir::PeriodKind::Within;
      if (!ok) diags_.emit(diag::InvalidInaction, e.condition->range);
    }
    if (ir.entry.kind == ir::EntryKind::PastBehaviour && !e.schedule) diags_.emit(diag::ScheduleRequired, e.range);
    if (ir.entry.kind != ir::EntryKind::PastBehaviour && e.schedule) diags_.emit(diag::ScheduleNotAllowed, e.schedule->range);
    if (e.schedule) {
      const ast::Schedule& s = *e.schedule;
      ir::Schedule& is = ir.entry.schedule;
      is.kind = static_cast<ir::Schedule::Kind>(static_cast<int>(s.kind) + 1);
      is.dates = s.dates;
      is.minuteOfDay = s.minuteOfDay;
      is.monthDays = s.monthDays;
      if (!s.weekdays.empty()) dayMask(s.weekdays, is.weekdays);
      std::set<int64_t> dates(s.dates.begin(), s.dates.end());
      if (dates.size() != s.dates.size()) diags_.emit(diag::InvalidValue, s.range, "a schedule lists the same date twice");
    }
    // The entry event: the one positive live event of an action or inaction entry.
    entryHasEvent_ = ir.entry.kind == ir::EntryKind::Action || ir.entry.kind == ir::EntryKind::Inaction;
    if (entryHasEvent_) {
      std::set<std::string> positives;
      std::function<void(const ir::Cond&)> collect = [&](const ir::Cond& c) {
        if (c.op == ir::CondOp::Did) positives.insert(c.did.event);
        if (c.op == ir::CondOp::And || c.op == ir::CondOp::Or)
          for (const ir::Cond& a : c.args) collect(a);
      };
      collect(ir.entry.condition);
      if (positives.size() == 1) {
        auto it = events_.find(*positives.begin());
        if (it != events_.end()) {
          entryEvent_ = &it->second;
          ir.entry.entryEvent = it->first;
        }
      } else {
        entryHasEvent_ = false;  // several possible events: entry.x is ambiguous
      }
    }
  }

  // Goals.
  std::map<std::string, Range> goalNames;
  for (const ast::Goal& g : j.goals) {
    if (!goalNames.emplace(g.name.text, g.name.range).second) {
      Diagnostic& d = diags_.emit(diag::DuplicateName, g.name.range, "goal", g.name.text);
      d.notes.push_back({goalNames[g.name.text], "first defined here"});
    }
    CondShape shape;
    ir::Goal goal;
    goal.name = g.name.text;
    goal.loc = loc(g.range);
    goal.condition = lowerCond(*g.condition, CondSite::Goal, shape);
    if (shape.inaction) diags_.emit(diag::InvalidInaction, g.condition->range);
    if (shape.live && shape.past) diags_.emit(diag::MixedCondition, g.condition->range);
    goal.kind = shape.live ? ir::GoalKind::Action : ir::GoalKind::PastBehaviour;
    ir.goals.push_back(std::move(goal));
    out.goals.push_back(g.name.range);
  }

  // DND windows and frequency limits.
  for (const ast::Dnd& d : j.dnds) {
    ir::Dnd dnd;
    dnd.fromMinute = d.fromMinute;
    dnd.toMinute = d.toMinute;
    dnd.discard = d.discard;
    if (!d.everyDay) {
      dnd.days = 0;
      for (const ast::DayRange& r : d.days) {
        uint8_t first = 0, last = 0;
        if (!dayMask({r.first}, first)) continue;
        if (!r.last) {
          dnd.days |= first;
          continue;
        }
        if (!dayMask({*r.last}, last)) continue;
        int a = __builtin_ctz(first), b = __builtin_ctz(last);
        for (int i = a;; i = (i + 1) % 7) {  // mon..fri, or fri..mon across the week end
          dnd.days |= static_cast<uint8_t>(1u << i);
          if (i == b) break;
        }
      }
    }
    if (d.fromMinute == d.toMinute) diags_.emit(diag::EmptyDndWindow, d.range);
    for (const ast::Ident& c : d.channels) {
      if (!lib_.channels.count(c.text)) {
        std::vector<std::string> names;
        for (const auto& [n, _] : lib_.channels) names.push_back(n);
        SuggestNearest(diags_.emit(diag::UnknownChannel, c.range, c.text, lib_.channelList()), c.range, c.text, names);
      }
      dnd.channels.push_back(c.text);
    }
    ir.dnds.push_back(std::move(dnd));
    out.dnds.push_back(d.range);
  }
  for (const ast::Limit& l : j.limits) {
    if (l.channel.text != "all" && !lib_.channels.count(l.channel.text)) {
      std::vector<std::string> names{"all"};
      for (const auto& [n, _] : lib_.channels) names.push_back(n);
      Diagnostic& d = diags_.emit(diag::UnknownChannel, l.channel.range, l.channel.text, lib_.channelList() + " or all");
      SuggestNearest(d, l.channel.range, l.channel.text, names);
    }
    if (l.count < 1 || l.count != static_cast<double>(static_cast<int64_t>(l.count)))
      diags_.emit(diag::InvalidLimit, l.range, "allow a whole number of at least 1 send");
    else if (l.perSeconds <= 0)
      diags_.emit(diag::InvalidLimit, l.range, "cover a period longer than 0s");
    ir.limits.push_back({l.channel.text, static_cast<int64_t>(l.count), l.perSeconds});
  }

  lowerNodes(j, out);

  // A send at a fixed time of day that falls in a DND window of its channel.
  for (size_t i = 0; i < ir.nodes.size(); ++i) {
    const ir::Node& n = ir.nodes[i];
    if (n.kind != ir::NodeKind::Send || n.sendAtMinute < 0) continue;
    for (size_t k = 0; k < ir.dnds.size(); ++k) {
      const ir::Dnd& d = ir.dnds[k];
      bool channelCovered = d.channels.empty() ? n.channel != "webhook"
                                               : std::find(d.channels.begin(), d.channels.end(), n.channel) != d.channels.end();
      // `send at` fires every day, so only a window on every day always catches it.
      if (!channelCovered || d.days != 0x7F || !InWindow(n.sendAtMinute, d.fromMinute, d.toMinute)) continue;
      Diagnostic& diag = diags_.emit(diag::SendInDnd, out.sites[i].sendAt, ir::FormatTime(n.sendAtMinute),
                                     ir::FormatDays(d.days) + " " + ir::FormatTime(d.fromMinute) + ".." + ir::FormatTime(d.toMinute));
      diag.notes.push_back({out.dnds[k], "the window is declared here"});
      break;
    }
  }

  for (const std::string& name : usedEvents_) ir.schema.events[name] = events_[name].fields;
  ir::ComputeHashes(ir);
  return out;
}

}  // namespace journey

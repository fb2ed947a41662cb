// report.cpp — outbox NDJSON, stats as JSON, CSV and a terminal table.
#include "vm/report.h"

#include "vm/json_text.h"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstring>
#include <tuple>

namespace journey::vm {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Percent(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

// The 16 lower-case hex digits of v (a version hash), written at dst.
void WriteHex64(char* dst, uint64_t v) {
  for (int k = 0; k < 16; ++k) dst[k] = "0123456789abcdef"[(v >> (60 - 4 * k)) & 0xF];
}

std::string Hex(uint64_t v) {
  char buf[16];
  WriteHex64(buf, v);
  return std::string(buf, sizeof buf);
}

// The two decimal digits of v (below 100) at dst.
void WriteTwoDigits(char* dst, unsigned v) {
  dst[0] = static_cast<char>('0' + v / 10);
  dst[1] = static_cast<char>('0' + v % 10);
}

// The hour, minute and second digits of an ISO time text (at 11, 14 and 17
// of YYYY-MM-DDTHH:MM:SSZ) for `secs` seconds into its day.
void WriteClockDigits(char* text, int64_t secs) {
  WriteTwoDigits(text + 11, static_cast<unsigned>(secs / 3600));
  WriteTwoDigits(text + 14, static_cast<unsigned>(secs / 60 % 60));
  WriteTwoDigits(text + 17, static_cast<unsigned>(secs % 60));
}

struct Figures {
  bool goals, timeout;
  uint64_t entry, goalMet, timedOut, completed, converted;
  uint64_t dropOffs;  // left without converting (seed 003's drop-offs)
};

// A mean of whole seconds, rounded to the nearest (0 of none).
uint64_t Mean(uint64_t total, uint64_t count) { return count ? (total + count / 2) / count : 0; }

// A short reading of a stay: 45s, 12m 30s, 3h 05m, 2d 04h.
std::string ShortDuration(uint64_t s) {
  char buf[48];
  if (s < 60) std::snprintf(buf, sizeof buf, "%" PRIu64 "s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%" PRIu64 "m %02" PRIu64 "s", s / 60, s % 60);
  else if (s < 86400) std::snprintf(buf, sizeof buf, "%" PRIu64 "h %02" PRIu64 "m", s / 3600, s / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%" PRIu64 "d %02" PRIu64 "h", s / 86400, s / 3600 % 24);
  return buf;
}

// The send site of each node (null for nodes that send nothing).
std::vector<const bc::SendSite*> SitesByNode(const bc::Module& m) {
  std::vector<const bc::SendSite*> sites(m.nodes.size(), nullptr);
  for (const bc::SendSite& site : m.sends)
    if (site.node < sites.size()) sites[site.node] = &site;
  return sites;
}

// Status k of a node's counts (0 when its shape is shorter).
uint64_t StatusCount(const NodeStats& ns, size_t k) { return k < ns.statuses.size() ? ns.statuses[k] : 0; }

// Whether a channel status is reported among the statuses that came back:
// `suppressed` is the engine's own outcome, the node's `suppressed` count.
bool Reported(const bc::Module& m, uint32_t status) { return m.str(status) != "suppressed"; }

// A journey's messages by channel (seed 003's per-channel metrics): its
// send nodes' counts added up, channels in the order their first node
// comes, statuses in the channel's order.
struct ChannelFigures {
  std::string channel;
  uint64_t sent = 0, suppressed = 0;
  std::vector<std::pair<std::string, uint64_t>> statuses;
};
std::vector<ChannelFigures> ByChannel(const bc::Module& m, const JourneyStats& s, const std::vector<const bc::SendSite*>& sites) {
  std::vector<ChannelFigures> out;
  for (size_t n = 0; n < sites.size(); ++n) {
    const bc::SendSite* site = sites[n];
    if (!site) continue;
    const std::string& channel = m.str(site->channel);
    auto it = std::find_if(out.begin(), out.end(), [&](const ChannelFigures& c) { return c.channel == channel; });
    if (it == out.end()) {
      out.push_back({channel, 0, 0, {}});
      it = out.end() - 1;
      for (uint32_t status : site->statuses)
        if (Reported(m, status)) it->statuses.push_back({m.str(status), 0});
    }
    it->sent += s.nodes[n].sent;
    it->suppressed += s.nodes[n].suppressed;
    for (size_t k = 0; k < site->statuses.size(); ++k)
      for (auto& [name, count] : it->statuses)
        if (name == m.str(site->statuses[k])) count += StatusCount(s.nodes[n], k);
  }
  return out;
}

Figures FiguresOf(const bc::Module& m, const JourneyStats& s) {
  Figures f{!m.goals.empty(), m.timeoutSeconds > 0, s.entered, s.goalTotal(), s.timedOut, s.completed, 0, 0};
  f.converted = f.goals ? f.goalMet : f.completed;
  f.dropOffs = s.left > f.converted ? s.left - f.converted : 0;
  return f;
}

}  // namespace

// Writes `t` as ISO-8601 UTC into buf (at least 32 bytes); returns the length.
static size_t FormatIsoTime(char* buf, size_t size, int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned mo = mp < 10 ? mp + 3 : mp - 9;
  y += mo <= 2;
  if (y >= 0 && y <= 9999 && size >= 21) {
    // The common case without printf (a line of the outbox has one): digits by hand.
    unsigned year = static_cast<unsigned>(y);
    WriteTwoDigits(buf, year / 100);
    WriteTwoDigits(buf + 2, year % 100);
    buf[4] = '-';
    WriteTwoDigits(buf + 5, mo);
    buf[7] = '-';
    WriteTwoDigits(buf + 8, d);
    buf[10] = 'T';
    buf[13] = ':';
    buf[16] = ':';
    WriteClockDigits(buf, secs);
    buf[19] = 'Z';
    buf[20] = '\0';
    return 20;
  }
  int n = std::snprintf(buf, size, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), mo, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return n < 0 ? 0 : std::min(static_cast<size_t>(n), size - 1);
}

std::string IsoTime(int64_t t) {
  char buf[96];
  return std::string(buf, FormatIsoTime(buf, sizeof buf, t));
}

size_t OutboxJsonBound(const OutboxRecord& r) {
  // The fixed text is 106 bytes, the time at most 95, the version 16.
  size_t n = 256 + JsonStringBound(r.journey.size()) + JsonStringBound(r.node.size()) + JsonStringBound(r.user.size()) +
             JsonStringBound(r.channel.size()) + JsonStringBound(r.messageId.size());
  for (const auto& [key, value] : r.content) n += 2 + JsonStringBound(key.size()) + JsonStringBound(value.size());
  return n;  // a JSON value is written as it is: shorter than its bound as a string
}

namespace {

// Writes text that is already JSON at dst; returns the end.
char* WriteRaw(char* dst, std::string_view json) {
  std::memcpy(dst, json.data(), json.size());
  return dst + json.size();
}

// Writes a string literal (without its NUL) at dst; returns the end.
template <size_t N>
char* WriteLiteral(char* dst, const char (&text)[N]) {
  std::memcpy(dst, text, N - 1);
  return dst + N - 1;
}

// Outbox lines come in time order and a run sends many per second and per
// version: the last time and version written are kept as text. Most lines
// of a day differ from the last one by a few seconds: when the day is the
// same (and its text the common 20-byte form) only the clock's six digits
// are written again.
struct LineCache {
  int64_t time = INT64_MIN;
  int64_t dayStart = INT64_MIN;  // the first second of the day of timeText
  char timeText[96];
  size_t timeLength = 0;
  uint64_t version = 0;
  char versionText[16];
  bool versionSet = false;
};
thread_local LineCache lineCache;

// `{"time":"` and the time's text at dst; returns the end.
char* WriteTimeField(char* dst, int64_t time) {
  LineCache& cache = lineCache;
  if (cache.time != time) {
    // Text of 20 bytes is a year of four characters (-999 to 9999), so
    // dayStart is well inside the range of int64_t.
    if (cache.timeLength == 20 && time >= cache.dayStart && time < cache.dayStart + 86400) {
      WriteClockDigits(cache.timeText, time - cache.dayStart);
    } else {
      cache.timeLength = FormatIsoTime(cache.timeText, sizeof cache.timeText, time);
      if (cache.timeLength == 20) cache.dayStart = time - (time % 86400 + 86400) % 86400;
    }
    cache.time = time;
  }
  dst = WriteLiteral(dst, "{\"time\":\"");
  std::memcpy(dst, cache.timeText, cache.timeLength);
  return dst + cache.timeLength;
}

}  // namespace

char* WriteOutboxJson(char* dst, const OutboxRecord& r) {
  LineCache& cache = lineCache;
  if (!cache.versionSet || cache.version != r.version) {
    WriteHex64(cache.versionText, r.version);
    cache.version = r.version;
    cache.versionSet = true;
  }
  dst = WriteTimeField(dst, r.time);
  dst = WriteLiteral(dst, "\",\"journey\":");
  dst = WriteJsonString(dst, r.journey);
  dst = WriteLiteral(dst, ",\"version\":\"");
  std::memcpy(dst, cache.versionText, 16);
  dst += 16;
  dst = WriteLiteral(dst, "\",\"node\":");
  dst = WriteJsonString(dst, r.node);
  dst = WriteLiteral(dst, ",\"user\":");
  dst = WriteJsonString(dst, r.user);
  dst = WriteLiteral(dst, ",\"channel\":");
  dst = WriteJsonString(dst, r.channel);
  dst = WriteLiteral(dst, ",\"message_id\":");
  dst = WriteJsonString(dst, r.messageId);
  dst = WriteLiteral(dst, ",\"content\":{");
  for (size_t i = 0; i < r.content.size(); ++i) {
    if (i) *dst++ = ',';
    dst = WriteJsonString(dst, r.content[i].first);
    *dst++ = ':';
    dst = r.isJson(i) ? WriteRaw(dst, r.content[i].second) : WriteJsonString(dst, r.content[i].second);
  }
  return WriteLiteral(dst, "}}\n");
}

SendLineText MakeSendLineText(std::string_view journey, uint64_t version, std::string_view node, std::string_view channel,
                              const std::vector<std::string_view>& keys) {
  SendLineText t;
  t.afterTime = "\",\"journey\":";
  AppendJsonString(t.afterTime, journey);
  t.afterTime += ",\"version\":\"" + Hex(version) + "\",\"node\":";
  AppendJsonString(t.afterTime, node);
  t.afterTime += ",\"user\":";
  t.afterUser = ",\"channel\":";
  AppendJsonString(t.afterUser, channel);
  // The message id's JSON is these bytes (VERSION:NODE:, vm/message_id.h),
  // the user's escaped text and the numbers. The node is an identifier
  // (bytecode/verify.cpp), escaped all the same: its JSON without quotes.
  std::string nodeJson;
  AppendJsonString(nodeJson, node);
  t.afterUser += ",\"message_id\":\"" + Hex(version) + ":" + nodeJson.substr(1, nodeJson.size() - 2) + ":";
  for (size_t f = 0; f < keys.size(); ++f) {
    std::string key = f ? "," : "";
    AppendJsonString(key, keys[f]);
    t.keys.push_back(key + ":");
  }
  return t;
}

size_t SendLineBound(const SendLineText& t, size_t userBytes, const std::string_view* values) {
  // {"time":" and a time (at most 95); the user twice, escaped; ":RUN:SEQ"
  // (at most 17) and its quote; ,"content":{ and }}\n.
  size_t n = 9 + 95 + t.afterTime.size() + JsonStringBound(userBytes) + t.afterUser.size() + 6 * userBytes + 18 + 12 + 3;
  for (size_t f = 0; f < t.keys.size(); ++f) n += t.keys[f].size() + JsonStringBound(values[f].size());
  return n;
}

char* WriteSendLine(char* dst, const SendLineText& t, int64_t time, std::string_view user, uint32_t run, uint16_t seq,
                    const std::string_view* values, uint64_t jsonFields) {
  dst = WriteTimeField(dst, time);
  std::memcpy(dst, t.afterTime.data(), t.afterTime.size());
  dst += t.afterTime.size();
  char* userText = dst + 1;  // inside its quotes
  dst = WriteJsonString(dst, user);
  size_t userLength = static_cast<size_t>(dst - 1 - userText);
  std::memcpy(dst, t.afterUser.data(), t.afterUser.size());
  dst += t.afterUser.size();
  std::memmove(dst, userText, userLength);
  dst += userLength;
  *dst++ = ':';
  dst = std::to_chars(dst, dst + 10, run).ptr;
  *dst++ = ':';
  dst = std::to_chars(dst, dst + 5, static_cast<unsigned>(seq)).ptr;
  *dst++ = '"';
  dst = WriteLiteral(dst, ",\"content\":{");
  for (size_t f = 0; f < t.keys.size(); ++f) {
    std::memcpy(dst, t.keys[f].data(), t.keys[f].size());
    dst += t.keys[f].size();
    dst = IsJsonField(jsonFields, f) ? WriteRaw(dst, values[f]) : WriteJsonString(dst, values[f]);
  }
  return WriteLiteral(dst, "}}\n");
}

void WriteOutboxLine(OutboxLines& lines, const OutboxRecord& r) {
  if (char* at = lines.room(OutboxJsonBound(r))) lines.wrote(WriteOutboxJson(at, r));
}

void AppendOutboxJson(std::string& out, const OutboxRecord& r) {
  size_t at = out.size();
  out.resize(at + OutboxJsonBound(r));
  char* end = WriteOutboxJson(out.data() + at, r);
  out.resize(static_cast<size_t>(end - out.data()));
}

std::string OutboxJson(const OutboxRecord& r) {
  std::string out;
  AppendOutboxJson(out, r);
  return out;
}

bool ParseDay(std::string_view text, int64_t& day) {
  int64_t seconds = 0;
  if (text.size() != 10 || !ParseIsoTime(std::string(text) + "T00:00:00Z", seconds)) return false;
  day = seconds / 86400;  // a midnight: exact on both sides of 1970
  return true;
}

bool ParseStatsDays(std::optional<std::string_view> from, std::optional<std::string_view> to, std::string_view fromName,
                    std::string_view toName, std::optional<StatsDays>& days, std::string& error) {
  days.reset();
  if (!from && !to) return true;
  StatsDays d;
  for (auto [text, name, day] : {std::tuple{from, fromName, &d.first}, std::tuple{to, toName, &d.last}})
    if (text && !ParseDay(*text, *day)) {
      error = std::string(name) + " must be a date YYYY-MM-DD, not \"" + std::string(*text) + "\"";
      return false;
    }
  if (d.first > d.last) {
    error = std::string(fromName) + " " + std::string(*from) + " is after " + std::string(toName) + " " + std::string(*to);
    return false;
  }
  days = d;
  return true;
}

std::string DayText(int64_t day) { return IsoTime(day * 86400).substr(0, 10); }

namespace {
// The statistics a report shows for journey j: all of them, or those days'.
JourneyStats StatsFor(const Engine& engine, size_t j, const std::optional<StatsDays>& days) {
  return days ? engine.statsForDays(j, days->first, days->last) : engine.stats(j);
}
// The days as the reports name them; an open end is "start" or "now".
std::string DaysFrom(const StatsDays& d) { return d.first <= bc::kEarliestSecond / 86400 ? "start" : DayText(d.first); }
std::string DaysTo(const StatsDays& d) { return d.last >= bc::kLatestSecond / 86400 ? "now" : DayText(d.last); }
}  // namespace

std::string StatsJson(const Engine& engine, const std::string& eventsJson, const std::optional<StatsDays>& days) {
  std::string out = "{";
  if (days) out += "\"days\":{\"from\":" + Json(DaysFrom(*days)) + ",\"to\":" + Json(DaysTo(*days)) + "},";
  out += "\"journeys\":[";
  for (size_t j = 0; j < engine.journeyCount(); ++j) {
    const bc::Module& m = engine.module(j);
    const JourneyStats s = StatsFor(engine, j, days);
    Figures f = FiguresOf(m, s);
    out += std::string(j ? "," : "") + "{\"journey\":" + Json(m.str(m.name)) + ",\"version\":" + Json(Hex(m.structuralHash)) +
           ",\"state\":" + Json(LifecycleName(engine.lifecycle(j))) + ",\"entry\":" + std::to_string(f.entry);
    if (f.goals) {
      out += ",\"goal_met\":" + std::to_string(f.goalMet) + ",\"goals\":{";
      for (size_t g = 0; g < m.goals.size(); ++g)
        out += std::string(g ? "," : "") + Json(m.str(m.goals[g].name)) + ":" + std::to_string(s.goalMet[g]);
      out += "},\"at_end\":" + std::to_string(s.atEnd);
    } else {
      out += ",\"completed\":" + std::to_string(f.completed);
    }
    if (f.timeout) out += ",\"timed_out\":" + std::to_string(f.timedOut);
    out += ",\"conversion_percent\":" + Percent(f.converted, f.entry) + ",\"forced_exit\":" + std::to_string(s.forcedExit) +
           ",\"left\":" + std::to_string(s.left) + ",\"drop_offs\":" + std::to_string(f.dropOffs) +
           ",\"average_stay_seconds\":" + std::to_string(Mean(s.secondsInside, s.left)) +
           ",\"average_seconds_to_convert\":" + std::to_string(Mean(s.secondsToConvert, f.converted)) +
           ",\"sent\":" + std::to_string(s.sent) + ",\"suppressed\":" + std::to_string(s.suppressed) + ",\"channels\":{";
    const std::vector<const bc::SendSite*> sites = SitesByNode(m);
    const std::vector<ChannelFigures> channels = ByChannel(m, s, sites);
    for (size_t c = 0; c < channels.size(); ++c) {
      out += std::string(c ? "," : "") + Json(channels[c].channel) + ":{\"sent\":" + std::to_string(channels[c].sent) +
             ",\"suppressed\":" + std::to_string(channels[c].suppressed) + ",\"statuses\":{";
      for (size_t k = 0; k < channels[c].statuses.size(); ++k)
        out += std::string(k ? "," : "") + Json(channels[c].statuses[k].first) + ":" + std::to_string(channels[c].statuses[k].second);
      out += "}}";
    }
    out += "},\"nodes\":[";
    for (size_t n = 0; n < m.nodes.size(); ++n) {
      const NodeStats& ns = s.nodes[n];
      out += std::string(n ? "," : "") + "{\"node\":" + Json(m.str(m.nodes[n].name)) + ",\"entered\":" + std::to_string(ns.entered) +
             ",\"waiting\":" + std::to_string(ns.waiting) + ",\"exits\":{";
      for (size_t p = 0; p < m.nodes[n].paths.size(); ++p)
        out += std::string(p ? "," : "") + Json(m.str(m.nodes[n].paths[p].label)) + ":" + std::to_string(ns.exitsByPath[p]);
      out += "},\"goal_exits\":" + std::to_string(ns.goalExits) + ",\"timeout_exits\":" + std::to_string(ns.timeoutExits);
      if (const bc::SendSite* site = sites[n]) {
        out += ",\"channel\":" + Json(m.str(site->channel)) + ",\"sent\":" + std::to_string(ns.sent) +
               ",\"suppressed\":" + std::to_string(ns.suppressed) + ",\"statuses\":{";
        bool first = true;
        for (size_t k = 0; k < site->statuses.size(); ++k)
          if (Reported(m, site->statuses[k])) {
            out += std::string(first ? "" : ",") + Json(m.str(site->statuses[k])) + ":" + std::to_string(StatusCount(ns, k));
            first = false;
          }
        out += "}";
      }
      out += "}";
    }
    out += "]}";
  }
  out += "]";
  if (!eventsJson.empty()) out += ",\"events\":" + eventsJson;
  return out + "}\n";
}

std::string StatsCsv(const Engine& engine, const std::optional<StatsDays>& days) {
  std::string out = "journey,version,node,metric,value\n";
  for (size_t j = 0; j < engine.journeyCount(); ++j) {
    const bc::Module& m = engine.module(j);
    const JourneyStats s = StatsFor(engine, j, days);
    Figures f = FiguresOf(m, s);
    std::string prefix = Csv(m.str(m.name)) + "," + Hex(m.structuralHash) + ",";
    auto row = [&](const std::string& node, const std::string& metric, const std::string& value) {
      out += prefix + Csv(node) + "," + Csv(metric) + "," + value + "\n";
    };
    if (days) {
      row("", "days_from", DaysFrom(*days));
      row("", "days_to", DaysTo(*days));
    }
    row("", "entry", std::to_string(f.entry));
    if (f.goals) {
      row("", "goal_met", std::to_string(f.goalMet));
      for (size_t g = 0; g < m.goals.size(); ++g) row("", "goal:" + m.str(m.goals[g].name), std::to_string(s.goalMet[g]));
      row("", "at_end", std::to_string(s.atEnd));
    } else {
      row("", "completed", std::to_string(f.completed));
    }
    if (f.timeout) row("", "timed_out", std::to_string(f.timedOut));
    row("", "conversion_percent", Percent(f.converted, f.entry));
    row("", "left", std::to_string(s.left));
    row("", "drop_offs", std::to_string(f.dropOffs));
    row("", "average_stay_seconds", std::to_string(Mean(s.secondsInside, s.left)));
    row("", "average_seconds_to_convert", std::to_string(Mean(s.secondsToConvert, f.converted)));
    row("", "sent", std::to_string(s.sent));
    row("", "suppressed", std::to_string(s.suppressed));
    const std::vector<const bc::SendSite*> sites = SitesByNode(m);
    for (const ChannelFigures& c : ByChannel(m, s, sites)) {
      row("", "channel:" + c.channel + ":sent", std::to_string(c.sent));
      row("", "channel:" + c.channel + ":suppressed", std::to_string(c.suppressed));
      for (const auto& [status, count] : c.statuses) row("", "channel:" + c.channel + ":status:" + status, std::to_string(count));
    }
    for (size_t n = 0; n < m.nodes.size(); ++n) {
      const std::string& node = m.str(m.nodes[n].name);
      const NodeStats& ns = s.nodes[n];
      row(node, "entered", std::to_string(ns.entered));
      row(node, "waiting", std::to_string(ns.waiting));
      for (size_t p = 0; p < m.nodes[n].paths.size(); ++p)
        row(node, "exit:" + m.str(m.nodes[n].paths[p].label), std::to_string(ns.exitsByPath[p]));
      row(node, "goal_exits", std::to_string(ns.goalExits));
      row(node, "timeout_exits", std::to_string(ns.timeoutExits));
      if (const bc::SendSite* site = sites[n]) {
        row(node, "sent", std::to_string(ns.sent));
        row(node, "suppressed", std::to_string(ns.suppressed));
        for (size_t k = 0; k < site->statuses.size(); ++k)
          if (Reported(m, site->statuses[k])) row(node, "status:" + m.str(site->statuses[k]), std::to_string(StatusCount(ns, k)));
      }
    }
  }
  return out;
}

std::string StatsTable(const Engine& engine, const std::optional<StatsDays>& days) {
  std::string out;
  char line[256];
  if (days) out += "days " + DaysFrom(*days) + " to " + DaysTo(*days) + " (each journey's local days; waiting and at end: now)\n";
  for (size_t j = 0; j < engine.journeyCount(); ++j) {
    const bc::Module& m = engine.module(j);
    const JourneyStats s = StatsFor(engine, j, days);
    Figures f = FiguresOf(m, s);
    Engine::Lifecycle state = engine.lifecycle(j);
    out += "journey \"" + m.str(m.name) + "\" (version " + Hex(m.structuralHash).substr(0, 12) + ")" +
           (state == Engine::Lifecycle::Live ? std::string() : std::string(" ") + LifecycleName(state)) + "\n";
    std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "entry", f.entry);
    out += line;
    if (f.goals) {
      std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "goal met", f.goalMet);
      out += line;
      std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "at end", s.atEnd);
      out += line;
    } else {
      std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "completed", f.completed);
      out += line;
    }
    if (f.timeout) {
      std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "timed out", f.timedOut);
      out += line;
    }
    std::snprintf(line, sizeof line, "  %-14s %9s%%\n", "conversion", Percent(f.converted, f.entry).c_str());
    out += line;
    if (s.left) {
      std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "\n", "dropped off", f.dropOffs);
      out += line;
      std::snprintf(line, sizeof line, "  %-14s %10s   of %" PRIu64 " who left\n", "average stay",
                    ShortDuration(Mean(s.secondsInside, s.left)).c_str(), s.left);
      out += line;
    }
    if (f.converted) {
      std::snprintf(line, sizeof line, "  %-14s %10s\n", "to convert", ShortDuration(Mean(s.secondsToConvert, f.converted)).c_str());
      out += line;
    }
    std::snprintf(line, sizeof line, "  %-14s %10" PRIu64 "   suppressed %" PRIu64 "\n", "messages sent", s.sent, s.suppressed);
    out += line;
    std::snprintf(line, sizeof line, "  %-22s %9s %9s  %s\n", "node", "entered", "waiting", "exits");
    out += line;
    for (size_t n = 0; n < m.nodes.size(); ++n) {
      const NodeStats& ns = s.nodes[n];
      std::string exits;
      for (size_t p = 0; p < m.nodes[n].paths.size(); ++p)
        exits += (p ? ", " : "") + m.str(m.nodes[n].paths[p].label) + " " + std::to_string(ns.exitsByPath[p]);
      if (ns.goalExits) exits += (exits.empty() ? "" : ", ") + std::string("goal ") + std::to_string(ns.goalExits);
      if (ns.timeoutExits) exits += (exits.empty() ? "" : ", ") + std::string("journey timeout ") + std::to_string(ns.timeoutExits);
      std::snprintf(line, sizeof line, "  %-22s %9" PRIu64 " %9" PRIu64 "  ", m.str(m.nodes[n].name).c_str(), ns.entered, ns.waiting);
      out += line + exits + "\n";
    }
    // The send nodes' messages: what went out, what was suppressed, and
    // the statuses that came back (those reported at least once).
    const std::vector<const bc::SendSite*> sites = SitesByNode(m);
    bool header = false;
    for (size_t n = 0; n < m.nodes.size(); ++n) {
      const bc::SendSite* site = sites[n];
      if (!site) continue;
      if (!header) {
        std::snprintf(line, sizeof line, "  %-22s %-11s %9s %10s  %s\n", "messages by node", "channel", "sent", "suppressed", "statuses");
        out += line;
        header = true;
      }
      const NodeStats& ns = s.nodes[n];
      std::string statuses;
      for (size_t k = 0; k < site->statuses.size(); ++k)
        if (uint64_t c = StatusCount(ns, k)) statuses += (statuses.empty() ? "" : ", ") + m.str(site->statuses[k]) + " " + std::to_string(c);
      std::snprintf(line, sizeof line, "  %-22s %-11s %9" PRIu64 " %10" PRIu64 "  ", m.str(m.nodes[n].name).c_str(),
                    m.str(site->channel).c_str(), ns.sent, ns.suppressed);
      out += line + (statuses.empty() ? std::string("-") : statuses) + "\n";
    }
    // And by channel, when a channel has more than one send node.
    const std::vector<ChannelFigures> channels = ByChannel(m, s, sites);
    size_t sendNodes = 0;
    for (const bc::SendSite* site : sites) sendNodes += site != nullptr;
    if (channels.size() < sendNodes) {
      std::snprintf(line, sizeof line, "  %-22s %-11s %9s %10s  %s\n", "messages by channel", "", "sent", "suppressed", "statuses");
      out += line;
      for (const ChannelFigures& c : channels) {
        std::string statuses;
        for (const auto& [status, count] : c.statuses)
          if (count) statuses += (statuses.empty() ? "" : ", ") + status + " " + std::to_string(count);
        std::snprintf(line, sizeof line, "  %-22s %-11s %9" PRIu64 " %10" PRIu64 "  ", c.channel.c_str(), "", c.sent, c.suppressed);
        out += line + (statuses.empty() ? std::string("-") : statuses) + "\n";
      }
    }
  }
  return out;
}

}  // namespace journey::vm

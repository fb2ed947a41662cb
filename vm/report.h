// report.h — what a run tells the user: outbox lines and statistics.
//
// Statistics follow the product's definitions (seed 002): which figures a
// journey reports depends on whether it has goals and a timeout, and the
// conversion rate is goal met / entry with goals, completed / entry without.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vm/engine.h"

namespace journey::vm {

// One NDJSON line (with the newline) for an outbox record.
std::string OutboxJson(const OutboxRecord& r);
// The same, appended to `out` (reuse one buffer: no allocation per record).
void AppendOutboxJson(std::string& out, const OutboxRecord& r);
// The same written at dst, which must have room for OutboxJsonBound(r)
// bytes; returns the end of the line. For writers with their own buffer.
size_t OutboxJsonBound(const OutboxRecord& r);
char* WriteOutboxJson(char* dst, const OutboxRecord& r);
// The same, into the room `lines` gives (nothing when it gives none).
void WriteOutboxLine(OutboxLines& lines, const OutboxRecord& r);

// The constant text of one send site's outbox lines, already JSON: every
// line a site writes has the same journey, version, node, channel and
// content keys, so they are quoted and escaped once, when the journey is
// loaded. WriteSendLine then writes a line with a few copies, where
// WriteOutboxJson escapes every field of a record first filled for it.
// Both write the same bytes for the same send (tests/unit/test_report.cpp).
struct SendLineText {
  std::string afterTime;          // ","journey":…,"version":"…","node":…,"user":
  std::string afterUser;          // ,"channel":…,"message_id":"VERSION:
  std::vector<std::string> keys;  // "key": per content field, a comma before all but the first
};
SendLineText MakeSendLineText(std::string_view journey, uint64_t version, std::string_view node, std::string_view channel,
                              const std::vector<std::string_view>& keys);
// Room WriteSendLine needs for a user id of `userBytes` bytes and these
// content values (one per key of t).
size_t SendLineBound(const SendLineText& t, size_t userBytes, const std::string_view* values);
// The line of a send at `time` to `user` whose message id is
// VERSION:NODE:USER:RUN:SEQ (Engine's message ids); values[f] is the rendered
// content under t.keys[f], JSON text to be written as it is where bit f of
// jsonFields is set (OutboxRecord::jsonFields). Returns the end of the line.
char* WriteSendLine(char* dst, const SendLineText& t, int64_t time, std::string_view user, uint32_t run, uint16_t seq,
                    const std::string_view* values, uint64_t jsonFields = 0);
// ISO-8601 UTC, e.g. 2026-11-23T14:30:00Z.
std::string IsoTime(int64_t seconds);

// A run of days, for statistics of a time frame (seed 002's "whatever time
// frame you select"): local days of each journey's zone, counted from
// 1970-01-01, both included (Engine::statsForDays).
struct StatsDays {
  int64_t first = INT64_MIN / 86400, last = INT64_MAX / 86400;
};
// "YYYY-MM-DD" as a day number; false when it is no date.
bool ParseDay(std::string_view text, int64_t& day);
// The days of `from` to `to` (either may be absent: an open end; both
// absent: no frame, `days` empty); false with `error`, naming the flag or
// parameter (fromName, toName), for a bad date (an empty one included) or a
// frame that ends before it starts.
bool ParseStatsDays(std::optional<std::string_view> from, std::optional<std::string_view> to, std::string_view fromName,
                    std::string_view toName, std::optional<StatsDays>& days, std::string& error);
std::string DayText(int64_t day);

// `eventsJson`, when given, is the input's counters (an object) under
// "events". With `days`, the counters are those days' (the gauges stay
// current) and the report says which days.
std::string StatsJson(const Engine& engine, const std::string& eventsJson = "", const std::optional<StatsDays>& days = {});
std::string StatsCsv(const Engine& engine, const std::optional<StatsDays>& days = {});
// A readable table for the terminal.
std::string StatsTable(const Engine& engine, const std::optional<StatsDays>& days = {});

}  // namespace journey::vm

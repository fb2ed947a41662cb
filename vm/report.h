// report.h — what a run tells the user: outbox lines and statistics.
//
// Statistics follow the product's definitions (seed 002): which figures a
// journey reports depends on whether it has goals and a timeout, and the
// conversion rate is goal met / entry with goals, completed / entry without.
#pragma once

#include <string>

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
// ISO-8601 UTC, e.g. 2026-11-23T14:30:00Z.
std::string IsoTime(int64_t seconds);

// `eventsJson`, when given, is the input's counters (an object) under "events".
std::string StatsJson(const Engine& engine, const std::string& eventsJson = "");
std::string StatsCsv(const Engine& engine);
// A readable table for the terminal.
std::string StatsTable(const Engine& engine);

}  // namespace journey::vm

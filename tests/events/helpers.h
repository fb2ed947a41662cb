// helpers.h — shared by the event-ingestion tests: fixture paths, file
// contents, scratch files, and draining an EventSource into owned records
// (Event views die on the next call, so tests copy what they compare).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "vm/events/event_source.h"

namespace journey::events::test {

inline std::string fixture(const std::string& name) { return std::string(JOURNEY_EVENTS_DATA) + "/" + name; }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh path in the temp directory, unique per process and name, removed
// first so appends start from nothing.
inline std::string scratch(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("journey-events-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove(p);
  return p.string();
}

struct Owned {
  EventType type;
  std::string user, name, message_id;
  bool anonymous, late;
  int64_t timestamp_ms, time_ms;
  uint64_t line;
};

struct Drained {
  std::vector<Owned> events;
  std::vector<int64_t> clocks;  // src.clock() after each next()
};

inline Drained drain(EventSource& src) {
  Drained d;
  for (Event e; src.next(e);) {
    d.events.push_back({e.type, std::string(e.user), std::string(e.name), std::string(e.message_id), e.anonymous,
                        e.late, e.timestamp_ms, e.time_ms, e.line});
    d.clocks.push_back(*src.clock());
  }
  return d;
}

// 2026-03-01T10:00:00Z, the base time of the fixtures.
inline constexpr int64_t kT0 = 1772359200000;

}  // namespace journey::events::test

// event_source.h — the VM's stream of events: NDJSON in, ordered events out.
//
// An EventSource reads an NDJSON stream (file, stdin or memory) and yields
// decoded, de-duplicated events in time order on a virtual clock:
//
//   lines ──> decode ──> drop duplicate messageIds ──> reorder ──> next()
//                │
//                └─ malformed: reported (line, reason), copied unchanged to
//                   the dead-letter file, counted; reading goes on.
//
// Typical use by the VM:
//
//   EventSource src = EventSource::open("events.ndjson", {.dead_letter_path = "bad.ndjson"});
//   for (Event e; src.next(e);) {
//     vm.advance_to(e.time_ms);   // fire the timers due before the event
//     vm.process(e);
//   }
//
// Format, error reasons and ordering rules: docs/events.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vm/events/event.h"
#include "vm/events/line_reader.h"

namespace journey::events {

// A line that was not accepted.
struct Malformed {
  uint64_t line = 0;        // 1-based
  std::string_view reason;  // e.g. `missing "timestamp"`
  std::string_view raw;     // the line's bytes (for an overlong line, only its head)
  bool overlong = false;
};

struct Counters {
  uint64_t lines = 0;       // lines read, blank ones included (= blank + decoded + malformed)
  uint64_t blank = 0;       // empty or whitespace-only lines, skipped
  uint64_t decoded = 0;     // valid events, duplicates included
  uint64_t malformed = 0;   // lines reported and dead-lettered
  uint64_t duplicates = 0;  // valid events dropped for a remembered messageId
  uint64_t late = 0;        // events released at the watermark instead of their own time
  uint64_t released = 0;    // events handed out by next()
  uint64_t bytes = 0;       // input bytes read
};

struct Options {
  std::string dead_letter_path;            // bad lines are appended here; empty: none
  int64_t reorder_tolerance_ms = 5000;     // how far out of order events may arrive
  size_t dedup_window = size_t{1} << 20;   // message ids remembered (8 bytes and 2 table slots each); 0: off
  size_t max_line_bytes = kDefaultMaxLineBytes; // longer lines are malformed (and still dead-lettered whole)
  size_t max_buffered = size_t{1} << 20;   // events held for reordering before the oldest is forced out
  size_t read_chunk_bytes = size_t{1} << 20;
  std::function<void(const Malformed&)> on_malformed;  // called for each bad line; may be empty
  // Called for each valid event as soon as it is decoded, before it is
  // de-duplicated and reordered (so some time before next() hands it out):
  // a look ahead, e.g. to prefetch what the event will need. May be empty.
  std::function<void(const Event&)> on_decoded;
};

class EventSource {
 public:
  // Throws std::system_error when the dead-letter file cannot be opened.
  EventSource(std::unique_ptr<Input> input, Options options = {});
  // A file by path ("-" for stdin); throws std::system_error when it cannot be opened.
  static EventSource open(const std::string& path, Options options = {});
  static EventSource from_string(std::string ndjson, Options options = {});

  EventSource(EventSource&&) noexcept;
  EventSource& operator=(EventSource&&) noexcept;
  ~EventSource();  // flushes the dead-letter file

  // The next event in time order, or false once the input is exhausted and
  // every held event has been released. `out`'s views stay valid until the
  // next call. Throws std::system_error on a read or dead-letter write error.
  bool next(Event& out);

  const Counters& counters() const;
  // About how many events the input holds, from its size (a file's bytes
  // left at open / 128); 0 when unknown (a pipe).
  size_t expected_events() const;
  // Time of the last released event (= its time_ms): the VM advances its
  // timers to this before applying the event. Empty before the first.
  std::optional<int64_t> clock() const;
  // No event released from now on has time_ms before this; the VM may
  // advance timers to it while waiting for input. Empty before the first event.
  std::optional<int64_t> watermark() const;
  size_t buffered() const;  // events held for reordering

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace journey::events

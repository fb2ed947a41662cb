// decoder.h — one NDJSON line to one Event, or a reason why not.
//
// Decoding is strict where a wrong guess would misroute a user (the call
// type, the user id, the timestamp, field types) and lenient about
// everything a journey does not read (context, integrations, sentAt and any
// other field are skipped unchecked, except that the whole line must be
// valid JSON). The JSON parser (simdjson's DOM parser, reused across lines
// so it allocates only while documents grow) is hidden behind the
// implementation so that including this header stays cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/events/event.h"

namespace journey::events {

// An Event together with the storage its views point into. Reused from
// event to event: clearing keeps the capacity, so a warmed-up decoder does
// not allocate.
struct DecodedEvent {
  Event event;
  std::string text;           // copies of the event's strings and nested JSON
  std::vector<Field> fields;  // event.properties views this
};

class Decoder {
 public:
  // Lines longer than max_bytes are refused without being parsed.
  explicit Decoder(size_t max_bytes = size_t{1} << 20);
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Decodes `line`, which must be followed by kLinePadding (64) readable
  // bytes (LineReader guarantees this). On success fills `out` (its views
  // point into out.text) and returns true; otherwise sets `reason` to a
  // one-line explanation, e.g. `missing "timestamp"`, and returns false.
  // `out.event.line`, `time_ms` and `late` are left for the caller.
  bool decode_padded(std::string_view line, DecodedEvent& out, std::string& reason);

  // The same for a line without padding (copies it first).
  bool decode(std::string_view line, DecodedEvent& out, std::string& reason);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace journey::events

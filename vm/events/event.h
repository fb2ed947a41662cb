// event.h — one decoded input event, as the VM sees it.
//
// The ingestion layer (EventSource) turns NDJSON lines in the Segment spec
// shape into these. An Event is a plain, cheap-to-copy view: every string
// in it (ids, names, property keys and string values, nested JSON) points
// into storage owned by the EventSource, so decoding does no allocation per
// event once its buffers have grown. The views stay valid until the next
// call to EventSource::next() (or until the source is destroyed); a
// consumer that keeps anything longer must copy it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace journey::events {

// The Segment call types we accept. Group and alias calls carry nothing a
// journey can react to, so they are reported as malformed (docs/events.md).
enum class EventType : uint8_t { Track, Identify, Page, Screen };

std::string_view to_string(EventType type);

// A property or trait value. Nested lists and objects are kept as compact
// JSON text (`text`), because journeys read flat properties and the VM can
// parse the rare nested one when it needs it.
struct Value {
  enum class Kind : uint8_t { Null, Bool, Number, String, List, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  bool integral = false;  // Number: the JSON number is an integer that fits int64
  int64_t integer = 0;    // Number with `integral`: the exact value
  double number = 0;      // Number: the value (rounded to double)
  std::string_view text;  // String: the unescaped string; List/Object: compact JSON

  bool is_null() const { return kind == Kind::Null; }
};

struct Field {
  std::string_view key;
  Value value;
};

struct Event {
  EventType type = EventType::Track;
  std::string_view user;          // userId, or anonymousId when userId is absent
  uint64_t user_hash = 0;         // UserIdHash(user) (bytecode/fnv.h), for the engine's user index
  bool anonymous = false;         // `user` came from anonymousId
  std::string_view anonymous_id;  // as sent; may be empty
  std::string_view name;          // track: `event`; page/screen: `name` (may be empty); identify: empty
  std::string_view message_id;    // may be empty (then the event is never de-duplicated)
  int64_t timestamp_ms = 0;       // the event's own `timestamp`, ms since the Unix epoch (UTC)
  int64_t time_ms = 0;            // when it happens on the virtual clock: timestamp_ms, or later if late
  bool late = false;              // arrived beyond the reorder tolerance; time_ms was clamped
  uint64_t line = 0;              // 1-based line number in the input
  std::span<const Field> properties;  // track/page/screen `properties`, identify `traits`, in input order

  // The first property with this key, or nullptr.
  const Value* find(std::string_view key) const {
    for (const Field& f : properties)
      if (f.key == key) return &f.value;
    return nullptr;
  }
};

}  // namespace journey::events

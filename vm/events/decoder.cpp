// decoder.cpp — the Segment-shaped event decoder on simdjson's DOM API.
//
// Why DOM rather than On Demand: On Demand does not validate the values it
// skips, so `{"type":"track", "context": {"a": tru}, ...}` would pass; a
// dead-letter file is only useful if "malformed" means exactly "not valid
// JSON or not a valid event". DOM validates the whole line in one pass and
// is still fast enough (see bench/events_bench.cpp).
//
// The parser's strings live in its own buffer, which the next line
// overwrites, so strings an Event keeps are copied into DecodedEvent::text.
// Each kept string is the unescaped form of its own stretch of the line and
// unescaping never lengthens text, so they all fit in line.size() bytes:
// `text` is sized once per line and written through a pointer, and each view
// is made as its bytes land. Nested values are re-serialised afterwards and
// may grow `text`; the views made so far are then moved to the new storage.
#include "vm/events/decoder.h"

#include "bytecode/fnv.h"
#include "vm/json_text.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <simdjson.h>

#include "vm/events/line_reader.h"
#include "vm/events/timestamp.h"

namespace journey::events {

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING, "lines must carry the padding simdjson reads past their end");

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::Track: return "track";
    case EventType::Identify: return "identify";
    case EventType::Page: return "page";
    case EventType::Screen: return "screen";
  }
  return "?";
}

namespace {

namespace dom = simdjson::dom;

// The top-level keys we read; bit positions in a "seen" mask.
enum Key { kType, kUserId, kAnonymousId, kEvent, kName, kProperties, kTraits, kTimestamp, kMessageId, kKeyCount };
constexpr std::string_view kKeyNames[kKeyCount] = {"type", "userId", "anonymousId", "event", "name",
                                                    "properties", "traits", "timestamp", "messageId"};

// By length first: a Segment line has a dozen keys, most of them ours.
int key_index(std::string_view key) {
  auto is = [&](Key k) { return key == kKeyNames[k] ? k : -1; };
  switch (key.size()) {
    case 4: return key[0] == 't' ? is(kType) : is(kName);
    case 5: return is(kEvent);
    case 6: return key[0] == 'u' ? is(kUserId) : is(kTraits);
    case 9: return key[0] == 't' ? is(kTimestamp) : is(kMessageId);
    case 10: return is(kProperties);
    case 11: return is(kAnonymousId);
    default: return -1;
  }
}

const char* json_kind(dom::element e) {
  switch (e.type()) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "value";
}

// A value quoted for an error message: escaped, and cut at 60 bytes so one
// huge field does not swamp the report.
std::string quote(std::string_view s) {
  std::string out = "\"";
  size_t n = 0;
  for (unsigned char c : s) {
    if (++n > 60) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

template <typename N>
void append_number(std::string& out, N n) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, n);  // shortest round-trip form for doubles
  out.append(buf, res.ptr);
}

// Compact JSON text of a nested value (simdjson's DOM keeps no source
// positions, so this is a re-serialisation, not the original bytes).
void append_json(std::string& out, dom::element e) {
  switch (e.type()) {
    case dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      dom::array items = e.get_array().value_unsafe();  // a local: ranging over the temporary result would dangle
      for (dom::element item : items) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      break;
    }
    case dom::element_type::OBJECT: {
      out += '{';
      bool first = true;
      dom::object members = e.get_object().value_unsafe();
      for (dom::key_value_pair kv : members) {
        if (!first) out += ',';
        first = false;
        vm::AppendJsonString(out, kv.key);
        out += ':';
        append_json(out, kv.value);
      }
      out += '}';
      break;
    }
    case dom::element_type::INT64: append_number(out, e.get_int64().value_unsafe()); break;
    case dom::element_type::UINT64: append_number(out, e.get_uint64().value_unsafe()); break;
    case dom::element_type::DOUBLE: append_number(out, e.get_double().value_unsafe()); break;
    case dom::element_type::STRING: vm::AppendJsonString(out, e.get_string().value_unsafe()); break;
    case dom::element_type::BOOL: out += e.get_bool().value_unsafe() ? "true" : "false"; break;
    case dom::element_type::NULL_VALUE: out += "null"; break;
  }
}

// The first property key that appears twice, or a view with no data. Few
// properties are compared pairwise; many are sorted first.
std::string_view repeated_key(const std::vector<Field>& fields) {
  size_t n = fields.size();
  if (n <= 16) {
    for (size_t i = 1; i < n; ++i)
      for (size_t k = 0; k < i; ++k)
        if (fields[k].key == fields[i].key) return fields[i].key;
    return {};
  }
  std::vector<std::string_view> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i] = fields[i].key;
  std::sort(keys.begin(), keys.end());
  for (size_t i = 1; i < n; ++i)
    if (keys[i] == keys[i - 1]) return keys[i];
  return {};
}

}  // namespace

struct Decoder::Impl {
  dom::parser parser;
  std::string unpadded;  // decode(): the line copied with padding
  // Per line: the nested property values, re-serialised once the scalars
  // are copied (field index, value).
  std::vector<std::pair<uint32_t, dom::element>> nested;
  std::string nested_text;                                // their compact JSON, end to end
  std::vector<std::pair<uint32_t, uint32_t>> nested_spans;  // each one's offset and length in nested_text
  dom::element fields[kKeyCount];
  unsigned seen = 0;  // bit k: key k is present

  bool present(int key) const { return (seen & (1u << key)) && !fields[key].is_null(); }

  explicit Impl(size_t max_bytes) : parser(max_bytes) {}

  // Copies s to text[used...] and returns the copy. The caller sized text to
  // hold every scalar string of the line (see the top of the file); if that
  // ever failed to hold, the storage grows and the views made so far move.
  std::string_view keep(DecodedEvent& out, size_t& used, std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > out.text.size() - used) [[unlikely]]
      grow(out, used, used + s.size());
    char* at = out.text.data() + used;
    std::memcpy(at, s.data(), s.size());
    used += s.size();
    return {at, s.size()};
  }

  // Resizes out.text to `size` and moves every view into its first `used`
  // bytes (the event's strings, the property keys and string values) to the
  // same place in the new storage.
  static void grow(DecodedEvent& out, size_t used, size_t size) {
    const char* old = out.text.data();
    out.text.resize(size);
    const char* now = out.text.data();
    if (now == old) return;
    auto move = [&](std::string_view& v) {
      if (v.data() >= old && v.data() < old + used) v = std::string_view(now + (v.data() - old), v.size());
    };
    Event& ev = out.event;
    move(ev.user);
    move(ev.anonymous_id);
    move(ev.name);
    move(ev.message_id);
    for (Field& f : out.fields) {
      move(f.key);
      move(f.value.text);
    }
  }

  // An optional string field: absent or null gives an empty view, any other
  // non-string is an error.
  // Inlined, with the message built out of line: called six times a line,
  // its frame for the rare error cost more than the check itself.
  [[gnu::always_inline]] bool optional_string(int key, std::string_view& out, std::string& reason) {
    out = {};
    if (!present(key)) return true;
    dom::element e = fields[key];
    if (!e.is_string()) [[unlikely]]
      return not_a_string(key, e, reason);
    out = e.get_string().value_unsafe();
    return true;
  }
  [[gnu::noinline, gnu::cold]] static bool not_a_string(int key, dom::element e, std::string& reason) {
    reason = "\"" + std::string(kKeyNames[key]) + "\" must be a string, got " + json_kind(e);
    return false;
  }

  bool decode(std::string_view line, DecodedEvent& out, std::string& reason);
};

bool Decoder::Impl::decode(std::string_view line, DecodedEvent& out, std::string& reason) {
  out.fields.clear();
  nested.clear();

  dom::element root;
  if (auto err = parser.parse(line.data(), line.size(), false).get(root)) {
    reason = std::string("invalid JSON: ") + simdjson::error_message(err);
    return false;
  }
  dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    reason = std::string("not a JSON object (got ") + json_kind(root) + ")";
    return false;
  }
  seen = 0;
  for (dom::key_value_pair kv : obj) {
    int k = key_index(kv.key);
    if (k < 0) continue;
    if (seen & (1u << k)) {
      // A repeated key is ambiguous (parsers disagree on which one wins).
      reason = "duplicate key " + quote(kv.key);
      return false;
    }
    seen |= 1u << k;
    fields[k] = kv.value;
  }

  // Every field of the event is set below on success (line and late by the
  // event source); a failed decode's event is never used. Not `ev =
  // Event{}`: that became a `rep stos` of 128 bytes, slow to start, on
  // every line.
  Event& ev = out.event;
  ev.late = false;
  ev.line = 0;

  std::string_view type;
  if (!present(kType)) {
    reason = "missing \"type\"";
    return false;
  }
  if (!optional_string(kType, type, reason)) return false;
  if (type == "track") ev.type = EventType::Track;
  else if (type == "identify") ev.type = EventType::Identify;
  else if (type == "page") ev.type = EventType::Page;
  else if (type == "screen") ev.type = EventType::Screen;
  else {
    reason = "unsupported type " + quote(type) + " (expected track, identify, page or screen)";
    return false;
  }

  std::string_view user_id, anonymous_id;
  if (!optional_string(kUserId, user_id, reason) || !optional_string(kAnonymousId, anonymous_id, reason)) return false;
  if (user_id.empty() && anonymous_id.empty()) {
    reason = "missing \"userId\" and \"anonymousId\" (one must be a non-empty string)";
    return false;
  }

  std::string_view name;
  if (ev.type == EventType::Track) {
    if (!present(kEvent)) {
      reason = "missing \"event\" (the name of a track event)";
      return false;
    }
    if (!optional_string(kEvent, name, reason)) return false;
    if (name.empty()) {
      reason = "\"event\" is empty";
      return false;
    }
  } else if (ev.type == EventType::Page || ev.type == EventType::Screen) {
    if (!optional_string(kName, name, reason)) return false;
  }

  std::string_view ts;
  if (!present(kTimestamp)) {
    reason = "missing \"timestamp\"";
    return false;
  }
  if (!optional_string(kTimestamp, ts, reason)) return false;
  TimestampResult t = parse_timestamp(ts);
  if (!t.ok) {
    reason = "invalid \"timestamp\" " + quote(ts) + ": " + describe_failure(t, ts);
    return false;
  }
  ev.timestamp_ms = ev.time_ms = t.ms;

  std::string_view message_id;
  if (!optional_string(kMessageId, message_id, reason)) return false;

  int props_key = ev.type == EventType::Identify ? kTraits : kProperties;
  bool has_props = present(props_key);
  dom::element props = fields[props_key];
  if (has_props && !props.is_object()) {
    reason = "\"" + std::string(kKeyNames[props_key]) + "\" must be an object, got " + json_kind(props);
    return false;
  }

  // Valid: copy out what the event keeps. The views are cleared first so
  // that a grow() in between moves none of the last line's.
  ev.user = ev.anonymous_id = ev.name = ev.message_id = {};
  if (out.text.size() < line.size()) out.text.resize(line.size());
  size_t used = 0;
  ev.anonymous_id = keep(out, used, anonymous_id);
  ev.user = user_id.empty() ? ev.anonymous_id : keep(out, used, user_id);
  ev.name = keep(out, used, name);
  ev.message_id = keep(out, used, message_id);
  ev.anonymous = user_id.empty();
  ev.user_hash = UserIdHash(ev.user);

  if (has_props) {
    dom::object members = props.get_object().value_unsafe();
    for (dom::key_value_pair kv : members) {
      // Filled where it lies: a Value built on the stack byte by byte and
      // then copied whole made the CPU wait for its stores (store-to-load
      // forwarding fails on a wide load over narrow stores).
      Field& f = out.fields.emplace_back();
      f.key = keep(out, used, kv.key);
      Value& v = f.value;
      dom::element e = kv.value;
      switch (e.type()) {
        case dom::element_type::NULL_VALUE: break;
        case dom::element_type::BOOL:
          v.kind = Value::Kind::Bool;
          v.boolean = e.get_bool().value_unsafe();
          break;
        case dom::element_type::INT64:
          v.kind = Value::Kind::Number;
          v.integral = true;
          v.integer = e.get_int64().value_unsafe();
          v.number = static_cast<double>(v.integer);
          break;
        case dom::element_type::UINT64:  // above INT64_MAX: only the double is exact enough to keep
          v.kind = Value::Kind::Number;
          v.number = static_cast<double>(e.get_uint64().value_unsafe());
          break;
        case dom::element_type::DOUBLE:
          v.kind = Value::Kind::Number;
          v.number = e.get_double().value_unsafe();
          break;
        case dom::element_type::STRING:
          v.kind = Value::Kind::String;
          v.text = keep(out, used, e.get_string().value_unsafe());
          break;
        case dom::element_type::ARRAY:
        case dom::element_type::OBJECT:
          v.kind = e.is_array() ? Value::Kind::List : Value::Kind::Object;
          nested.emplace_back(static_cast<uint32_t>(out.fields.size() - 1), e);
          break;
      }
    }
  }

  // Nested values go after the scalars; re-serialised numbers may be longer
  // than their source, so these may grow the text (and move the views).
  if (!nested.empty()) {
    std::vector<std::pair<uint32_t, uint32_t>>& spans = nested_spans;
    spans.clear();
    std::string& json = nested_text;
    json.clear();
    for (auto& [field, element] : nested) {
      uint32_t off = static_cast<uint32_t>(json.size());
      append_json(json, element);
      spans.emplace_back(off, static_cast<uint32_t>(json.size() - off));
    }
    if (json.size() > out.text.size() - used) grow(out, used, used + json.size());
    char* at = out.text.data() + used;
    std::memcpy(at, json.data(), json.size());
    for (size_t i = 0; i < nested.size(); ++i)
      out.fields[nested[i].first].value.text = std::string_view(at + spans[i].first, spans[i].second);
  }

  if (out.fields.size() > 1) {
    // A repeated property is refused like a repeated top-level key: which
    // copy a reader takes differs (a condition would read the first, a
    // profile update keep the last).
    std::string_view repeated = repeated_key(out.fields);
    if (repeated.data()) {
      reason = "duplicate key " + quote(repeated) + " in \"" + std::string(kKeyNames[props_key]) + "\"";
      return false;
    }
  }
  ev.properties = out.fields;
  return true;
}

Decoder::Decoder(size_t max_bytes) : impl_(std::make_unique<Impl>(max_bytes)) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

bool Decoder::decode_padded(std::string_view line, DecodedEvent& out, std::string& reason) {
  return impl_->decode(line, out, reason);
}

bool Decoder::decode(std::string_view line, DecodedEvent& out, std::string& reason) {
  impl_->unpadded.assign(line);
  impl_->unpadded.append(kLinePadding, '\0');
  return impl_->decode(std::string_view(impl_->unpadded.data(), line.size()), out, reason);
}

}  // namespace journey::events

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
// That buffer may reallocate while we append, so positions are recorded as
// offsets and turned into views once the event is complete.
#include "vm/events/decoder.h"

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

struct Ref {
  uint32_t off = 0, len = 0;
};

// The first key of refs (key, value, key, value, ...; offsets into base)
// that appears twice, or a view with no data. Few properties are compared
// pairwise; many are sorted first.
std::string_view repeated_key(const char* base, const std::vector<Ref>& refs) {
  size_t n = refs.size() / 2;
  auto key = [&](size_t i) { return std::string_view(base + refs[2 * i].off, refs[2 * i].len); };
  if (n <= 16) {
    for (size_t i = 1; i < n; ++i)
      for (size_t k = 0; k < i; ++k)
        if (key(k) == key(i)) return key(i);
    return {};
  }
  std::vector<std::string_view> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i] = key(i);
  std::sort(keys.begin(), keys.end());
  for (size_t i = 1; i < n; ++i)
    if (keys[i] == keys[i - 1]) return keys[i];
  return {};
}

}  // namespace

struct Decoder::Impl {
  dom::parser parser;
  std::string unpadded;  // decode(): the line copied with padding
  std::vector<Ref> refs; // per field: key, value text
  dom::element fields[kKeyCount];
  unsigned seen = 0;  // bit k: key k is present

  bool present(int key) const { return (seen & (1u << key)) && !fields[key].is_null(); }

  explicit Impl(size_t max_bytes) : parser(max_bytes) {}

  static Ref keep(std::string& text, std::string_view s) {
    Ref r{static_cast<uint32_t>(text.size()), static_cast<uint32_t>(s.size())};
    text.append(s);
    return r;
  }

  // An optional string field: absent or null gives an empty view, any other
  // non-string is an error.
  bool optional_string(int key, std::string_view& out, std::string& reason) {
    out = {};
    if (!present(key)) return true;
    dom::element e = fields[key];
    if (!e.is_string()) {
      reason = "\"" + std::string(kKeyNames[key]) + "\" must be a string, got " + json_kind(e);
      return false;
    }
    out = e.get_string().value_unsafe();
    return true;
  }

  bool decode(std::string_view line, DecodedEvent& out, std::string& reason);
};

bool Decoder::Impl::decode(std::string_view line, DecodedEvent& out, std::string& reason) {
  out.text.clear();
  out.fields.clear();
  refs.clear();

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

  // Valid: copy out what the event keeps.
  std::string& text = out.text;
  Ref user = keep(text, user_id.empty() ? anonymous_id : user_id);
  Ref anon = keep(text, anonymous_id);
  Ref name_ref = keep(text, name);
  Ref mid = keep(text, message_id);
  ev.anonymous = user_id.empty();

  if (has_props) {
    dom::object members = props.get_object().value_unsafe();
    for (dom::key_value_pair kv : members) {
      // Filled where it lies: a Value built on the stack byte by byte and
      // then copied whole made the CPU wait for its stores (store-to-load
      // forwarding fails on a wide load over narrow stores).
      Value& v = out.fields.emplace_back().value;
      Ref key = keep(text, kv.key), val;
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
          val = keep(text, e.get_string().value_unsafe());
          break;
        case dom::element_type::ARRAY:
        case dom::element_type::OBJECT:
          v.kind = e.is_array() ? Value::Kind::List : Value::Kind::Object;
          val.off = static_cast<uint32_t>(text.size());
          append_json(text, e);
          val.len = static_cast<uint32_t>(text.size() - val.off);
          break;
      }
      refs.push_back(key);
      refs.push_back(val);
    }
  }

  // Text is final: turn offsets into views.
  const char* base = text.data();
  if (out.fields.size() > 1) {
    // A repeated property is refused like a repeated top-level key: which
    // copy a reader takes differs (a condition would read the first, a
    // profile update keep the last).
    std::string_view repeated = repeated_key(base, refs);
    if (repeated.data()) {
      reason = "duplicate key " + quote(repeated) + " in \"" + std::string(kKeyNames[props_key]) + "\"";
      return false;
    }
  }
  auto view = [base](Ref r) { return std::string_view(base + r.off, r.len); };
  ev.user = view(user);
  ev.anonymous_id = view(anon);
  ev.name = view(name_ref);
  ev.message_id = view(mid);
  for (size_t i = 0; i < out.fields.size(); ++i) {
    out.fields[i].key = view(refs[2 * i]);
    if (out.fields[i].value.kind >= Value::Kind::String) out.fields[i].value.text = view(refs[2 * i + 1]);
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

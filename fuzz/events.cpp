// events.cpp — libFuzzer target: NDJSON event lines through the decoder and
// the event source, as `journey-vm run` and `serve` ingest them.
//
// Each input is a piece of an NDJSON stream. Every line of it, and the whole
// input as one line, goes through Decoder::decode; then the whole input goes
// through an EventSource twice: once with the default options and once with
// tiny ones (short lines, 16-byte reads, a four-entry de-duplication window,
// a three-event reorder buffer) so that overlong lines, lines split across
// reads, forced releases and window evictions happen on small inputs. Every
// byte of every view an event or a malformed-line report hands out is read,
// so that a view into freed or reused storage is an AddressSanitizer report
// rather than silently wrong data.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vm/events/decoder.h"
#include "vm/events/event_source.h"

namespace {

using namespace journey::events;

// Reads every byte of `s` (the result is kept so the reads are not elided).
uint64_t Touch(std::string_view s) {
  uint64_t h = s.size();
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  return h;
}

uint64_t Touch(const Event& e) {
  uint64_t h = Touch(e.user) + Touch(e.anonymous_id) + Touch(e.name) + Touch(e.message_id);
  h += static_cast<uint64_t>(e.timestamp_ms) + static_cast<uint64_t>(e.time_ms);
  for (const Field& f : e.properties) {
    h += Touch(f.key) + Touch(f.value.text) + static_cast<uint64_t>(f.value.integer);
    h += static_cast<uint64_t>(f.value.kind) + f.value.boolean;
  }
  return h;
}

uint64_t Drain(const std::string& input, Options options) {
  uint64_t h = 0;
  options.on_malformed = [&h](const Malformed& bad) { h += Touch(bad.reason) + Touch(bad.raw) + bad.line; };
  EventSource source = EventSource::from_string(input, std::move(options));
  for (Event e; source.next(e);) h += Touch(e);
  const Counters& c = source.counters();
  // The counters' documented identity: every line is blank, decoded or malformed.
  if (c.lines != c.blank + c.decoded + c.malformed) __builtin_trap();
  if (c.released + c.duplicates != c.decoded) __builtin_trap();
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  volatile uint64_t sink = 0;

  Decoder decoder(4096);
  DecodedEvent out;
  std::string reason;
  for (size_t at = 0; at <= input.size();) {
    size_t end = input.find('\n', at);
    if (end == std::string::npos) end = input.size();
    if (decoder.decode(std::string_view(input).substr(at, end - at), out, reason)) sink = sink + Touch(out.event);
    else sink = sink + Touch(reason);
    at = end + 1;
  }
  if (decoder.decode(input, out, reason)) sink = sink + Touch(out.event);

  sink = sink + Drain(input, Options{});
  Options tiny;
  tiny.reorder_tolerance_ms = 1000;
  tiny.dedup_window = 4;
  tiny.max_line_bytes = 200;
  tiny.max_buffered = 3;
  tiny.read_chunk_bytes = 16;
  sink = sink + Drain(input, std::move(tiny));
  return 0;
}

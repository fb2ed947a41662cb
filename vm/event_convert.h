// event_convert.h — decoded input events (vm/events/) as the engine's events.
//
// The ingestion layer and the engine each have an Event of their own (the
// engine's knows nothing of JSON); this is the one mapping between them,
// used by journey-vm and the engine benchmark. Both sides are views: the
// result is valid while the input event is.
#pragma once

#include "vm/engine.h"
#include "vm/events/event.h"

namespace journey::vm {

// events::Event (views into the source's buffers) → vm::Event (views too).
inline void Convert(const events::Event& in, Event& out) {
  out.type = in.type == events::EventType::Identify ? Event::Identify : Event::Track;
  out.user = in.user;
  out.userHash = in.user_hash;
  out.name = in.name;
  // Page and screen calls are the "Page Visited" and "Screen Viewed"
  // events the stdlib declares.
  if (in.type == events::EventType::Page) out.name = "Page Visited";
  if (in.type == events::EventType::Screen) out.name = "Screen Viewed";
  out.time = in.time_ms >= 0 ? in.time_ms / 1000 : (in.time_ms - 999) / 1000;
  out.properties.clear();
  for (const events::Field& f : in.properties) {
    Value v;
    switch (f.value.kind) {
      case events::Value::Kind::Null: break;
      case events::Value::Kind::Bool: v = Value::Of(f.value.boolean); break;
      case events::Value::Kind::Number: v = Value::Num(f.value.number); break;
      default: v = Value::Str(f.value.text); break;  // strings; nested JSON as its text
    }
    out.properties.emplace_back(f.key, v);
  }
  // A page's or screen's own name (top-level `name` in the Segment call) is
  // the event's `name` property, unless the properties carry one.
  bool pageOrScreen = in.type == events::EventType::Page || in.type == events::EventType::Screen;
  if (pageOrScreen && !in.name.empty() && !in.find("name")) out.properties.emplace_back("name", Value::Str(in.name));
}

}  // namespace journey::vm

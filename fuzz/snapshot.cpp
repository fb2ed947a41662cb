// snapshot.cpp — libFuzzer target: engine snapshots through Restore, then
// whatever restores through the engine and a second save and restore.
//
// A snapshot file is checksummed, but a data directory can be damaged or
// forged behind a valid checksum, and Restore promises to check every index
// it reads. The input is taken as the snapshot's body: the target writes
// the header (magic, format version 4, else 3, 2, 1, byte order, length) and the
// checksum around it, so every mutation reaches the body's reader instead of
// stopping at the checksum. An engine that restores is then driven: events
// named by its journeys' predicates for a few users, clock advances that
// fire its timers. It must then save a snapshot that restores again to the
// same state: a restored engine's own bytes are never refused.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bytecode/format.h"
#include "bytecode/fnv.h"
#include "vm/engine.h"

namespace {

constexpr uint64_t kMaxRuns = 20000;  // work per input, as fuzz_jbc

uint64_t Fnv64(std::string_view s) { return journey::Fnv1a(s); }  // the snapshot's checksum (docs/vm.md)

std::string Sealed(std::string_view body, char version) {
  std::string out("JSNAP\x1a", 6);
  out += version;  // format version, little end first
  out += '\x00';
  uint16_t probe = 1;
  unsigned char little;
  std::memcpy(&little, &probe, 1);
  out += little ? '\x01' : '\x02';  // byte order
  int64_t length = static_cast<int64_t>(body.size());
  out.append(reinterpret_cast<const char*>(&length), 8);
  out += body;
  uint64_t sum = Fnv64(body);
  out.append(reinterpret_cast<const char*>(&sum), 8);
  return out;
}

void Drive(journey::vm::Engine& engine) {
  using journey::vm::Event;
  std::vector<std::string> names;
  for (size_t j = 0; j < engine.journeyCount() && names.size() < 8; ++j) {
    const journey::bc::Module& m = engine.module(j);
    for (const journey::bc::Predicate& p : m.predicates)
      for (uint32_t s : p.events)
        if (s < m.strings.size() && names.size() < 8) names.push_back(m.strings[s]);
  }
  if (names.empty()) names.push_back("Event");
  int64_t t = engine.now();
  for (const char* user : {"u1", "u2", "u3"})
    for (const std::string& name : names) {
      Event e;
      e.user = user;
      e.name = name;
      e.time = t += 60;
      e.properties.emplace_back("status", journey::vm::Value::Str("clicked"));
      engine.process(e);
    }
  for (int64_t step : {3600, 86400, 7 * 86400})
    for (int64_t until = t + step; t < until && engine.runs() < kMaxRuns;) engine.advanceTo(t = std::min(until, t + 3600));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using journey::vm::Engine;
  journey::vm::EngineOptions options;
  options.instructionBudget = 2000;
  std::string error;
  auto ignore = [](const journey::vm::OutboxRecord&) {};
  // As the current format (4, with the JSON fields of held sends), else as
  // versions 3 (the send nodes' counts), 2 (the statistics' day marks) and
  // 1, which a VM still reads (the corpus's older bodies).
  std::string_view body(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<Engine> engine;
  for (char version : {'\x04', '\x03', '\x02', '\x01'})
    if (!engine) engine = Engine::Restore(Sealed(body, version), ignore, options, error);
  if (!engine) return 0;
  Drive(*engine);
  std::string again = engine->snapshot();
  auto second = Engine::Restore(again, ignore, options, error);
  if (!second || second->dumpState() != engine->dumpState()) {
    std::fprintf(stderr, "a restored engine's own snapshot did not restore to the same state: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}

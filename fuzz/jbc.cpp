// jbc.cpp — libFuzzer target: .jbc bytes through the loader and the
// verifier, then whatever verifies through the engine.
//
// The verifier promises that a module it accepts cannot make the VM
// misbehave, so the target does not stop at "Read and Verify did not
// crash": a module that verifies is run. The engine gets it with a small
// instruction budget and a cap on its total runs, is started, and is fed a
// few synthetic events built from the module's own strings (the event names
// its predicates listen for, the properties it reads, a message status), a
// profile update, a custom list and a few clock advances that fire its
// timers; its sends are written as outbox lines, as `journey-vm run` does.
// Any crash there is a hole in the verifier or a bug in the engine.
//
// The header's ISA hash and checksum are recomputed before reading: with
// them left as mutated, nearly every input would stop at the checksum and
// the fuzzer would never reach the sections. The checksum check itself is
// a one-line comparison that needs no fuzzing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bytecode/format.h"
#include "bytecode/fnv.h"
#include "bytecode/verify.h"
#include "vm/engine.h"

namespace {

constexpr size_t kHeaderSize = 32;
// Work allowed per input (Engine::runs), with the instruction budget per run
// below (kBudget): enough for every path of a real journey (the largest
// example is 133 instructions in all, and compiled code cannot loop without
// a wait), bounded for any module. The bound is runs x budget: a module
// whose every run loops through its whole budget costs ~0.45 us an
// instruction under the sanitizers and coverage, and 20,000 runs of 2,000
// took a unit past the 10 s time limit; at most ~7,000 runs of 1,000 take
// ~3 s.
constexpr uint64_t kMaxRuns = 5000;
constexpr uint64_t kBudget = 1000;
// The clock moves this far at a time, so the runs past kMaxRuns are at most
// one step's timers (one per user and second).
constexpr int64_t kClockStep = 600;

uint64_t Checksum(const uint8_t* p, size_t n) { return journey::Fnv1a(p, n); }  // as format.cpp (docs/bytecode.md)

// Up to `limit` distinct strings of the module, by index, skipping any out
// of range (the module has verified, but stay defensive about our own use).
void AddString(const journey::bc::Module& m, uint32_t s, std::vector<std::string_view>& out, size_t limit) {
  if (s >= m.strings.size() || out.size() >= limit) return;
  for (std::string_view have : out)
    if (have == m.strings[s]) return;
  out.push_back(m.strings[s]);
}

void Run(journey::bc::Module module) {
  using namespace journey;
  using vm::Event;
  using vm::Value;

  // What the synthetic events use: names the predicates wait for, and the
  // properties the journey reads (profile schema, entry properties,
  // aggregated properties).
  std::vector<std::string_view> names, props;
  for (const bc::Predicate& p : module.predicates)
    for (uint32_t s : p.events) AddString(module, s, names, 8);
  for (const bc::AggregateSpec& a : module.aggregates) AddString(module, a.event, names, 8);
  for (uint32_t s : module.profileProperties) AddString(module, s, props, 8);
  for (uint32_t s : module.entry.entryProperties) AddString(module, s, props, 12);
  for (const bc::AggregateSpec& a : module.aggregates) AddString(module, a.property, props, 16);
  if (names.empty()) names.push_back("Event");
  std::vector<std::string_view> statuses;
  for (const bc::SendSite& site : module.sends)
    for (uint32_t s : site.statuses) AddString(module, s, statuses, 4);
  const bool customList = module.entry.kind == bc::EntryKind::CustomList;

  vm::EngineOptions options;
  options.instructionBudget = kBudget;
  std::vector<bc::Module> modules;
  modules.push_back(std::move(module));
  std::vector<std::string> messageIds;  // the first few sends, to answer with statuses
  vm::Engine engine(std::move(modules), [](const vm::OutboxRecord&) {}, options);
  // Sends go out as lines, as `journey-vm run` writes them, each into a
  // buffer of exactly the room asked for: a line longer than its bound
  // (SendLineBound, OutboxJsonBound for held sends) is a heap overflow the
  // sanitizer reports. The first few message ids are read back from them.
  struct Lines final : vm::OutboxLines {
    std::unique_ptr<char[]> line;
    std::vector<std::string>* ids;
    char* room(size_t bytes) override {
      line.reset(new char[bytes]);
      return line.get();
    }
    void wrote(char* end) override {
      std::string_view text(line.get(), static_cast<size_t>(end - line.get()));
      constexpr std::string_view kKey = "\"message_id\":\"";
      size_t at = text.find(kKey);
      if (at == std::string_view::npos || ids->size() >= 4) return;
      at += kKey.size();
      ids->push_back(std::string(text.substr(at, text.find('"', at) - at)));  // the fuzzer's user ids need no escapes
    }
  } lines;
  lines.ids = &messageIds;
  engine.sendLinesTo(&lines);

  const int64_t t0 = 1767225600;  // 2026-01-01T00:00:00Z
  engine.start(t0);
  if (customList) engine.enterList(0, {"u1", "u3"});

  // Property values of each kind a decoded event can carry.
  const Value values[] = {Value::Num(42), Value::Str("2026-01-03T09:30:00Z"), Value::Of(true), Value{}, Value::Str("x")};
  int64_t t = t0;
  int round = 0;
  for (const char* user : {"u1", "u2"}) {
    Event identify;
    identify.type = Event::Identify;
    identify.user = user;
    identify.time = t;
    for (size_t i = 0; i < props.size(); ++i) identify.properties.emplace_back(props[i], values[(i + round) % 5]);
    engine.process(identify);
    for (std::string_view name : names) {
      Event e;
      e.user = user;
      e.name = name;
      e.time = t += 60;
      for (size_t i = 0; i < props.size(); ++i) e.properties.emplace_back(props[i], values[(i + round + 1) % 5]);
      engine.process(e);
      ++round;
    }
  }
  for (int64_t step : {3600, 86400, 7 * 86400, 40 * 86400}) {
    // A step at a time, and no further once the journey has run a lot: a
    // module that loops through a one-second wait for 48 days is no bug,
    // but runs millions of times and took the target past its time limit.
    for (int64_t until = t + step; t < until && engine.runs() < kMaxRuns;) engine.advanceTo(t = std::min(until, t + kClockStep));
    t = std::max(t, engine.now());
    // Message statuses for what was sent so far (copied: the outbox grows).
    std::vector<std::string> ids = messageIds;
    for (const std::string& id : ids)
      for (std::string_view status : statuses) {
        Event e;
        // The id is VERSION:USER:RUN:SEQ; the status comes from that user.
        size_t a = id.find(':'), b = id.find(':', a + 1);
        e.user = a == std::string::npos || b == std::string::npos ? std::string_view("u1") : std::string_view(id).substr(a + 1, b - a - 1);
        e.name = vm::kMessageStatusEvent;
        e.time = t;
        e.properties.emplace_back("message_id", Value::Str(id));
        e.properties.emplace_back("status", Value::Str(status));
        engine.process(e);
      }
  }
  (void)engine.problems();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (bytes.size() >= kHeaderSize) {
    uint64_t isa = journey::bc::IsaHash();
    uint64_t sum = Checksum(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
    std::memcpy(bytes.data() + 8, &isa, sizeof isa);
    std::memcpy(bytes.data() + 16, &sum, sizeof sum);
  }
  journey::bc::Module module;
  std::string error;
  if (!journey::bc::Read(bytes, module, error)) return 0;
  if (!journey::bc::Verify(module).empty()) return 0;
  Run(std::move(module));
  return 0;
}

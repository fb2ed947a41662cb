// engine_bench.cpp — the engine alone, without parsing (a benchmark, not a test).
//
//   engine_bench parsed J.jbc EVENTS.ndjson   events/s with events already decoded
//   engine_bench timers J.jbc N               timer firings/s for N waiting users
//
// `parsed` decodes the whole stream into memory first (owned copies), then
// times only Engine::process over it, the outbox written as NDJSON into a
// reused buffer that is thrown away (as `run` writes it: sends as lines,
// Engine::sendLinesTo): what the VM does per event once the JSON is gone.
// `timers` enters N users into J (its entry must be an action on one
// event, e.g. bench/journeys/timers.journey: `wait 1h`), all at once,
// and times the one advance that fires their N timers; it also reports the
// engine's resident memory per waiting user (VmRSS after the N entries minus
// after the first thousand, over the users in between: what the engine makes
// once is left out; the ids are made one at a time, so only the engine's
// copies count). Each prints one line of `key=value` figures for bench/run
// to read.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "vm/engine.h"
#include "vm/event_convert.h"
#include "vm/events/event_source.h"
#include "vm/loader.h"
#include "vm/report.h"

using namespace journey;
using Clock = std::chrono::steady_clock;

namespace {

// Copies of the events' strings, so the stream can be replayed from memory:
// 1 MiB chunks that never move, filled in order (a container per event cost
// ~700 bytes each, 10 GB for the 10M-user stream).
class TextStore {
 public:
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (chunks_.empty() || used_ + s.size() > kChunk) {
      chunks_.push_back(std::make_unique<char[]>(std::max(kChunk, s.size())));
      used_ = 0;
    }
    char* at = chunks_.back().get() + used_;
    std::memcpy(at, s.data(), s.size());
    used_ += s.size();
    return {at, s.size()};
  }

 private:
  static constexpr size_t kChunk = size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = 0;
};

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

int Parsed(const bc::Module& module, const std::string& path) {
  std::deque<vm::Event> events;
  TextStore text;
  events::Options options;
  events::EventSource source = events::EventSource::open(path, options);
  vm::Event view;
  for (events::Event in; source.next(in);) {
    vm::Convert(in, view);
    vm::Event& e = events.emplace_back(view);
    e.user = text.keep(view.user);
    e.name = text.keep(view.name);
    for (auto& [key, value] : e.properties) {
      key = text.keep(key);
      if (value.tag == vm::Value::String) value.text = text.keep(value.text);
    }
  }
  uint64_t sends = 0;
  vm::Engine engine({module}, [](const vm::OutboxRecord&) {});
  engine.expectUsers(source.expected_events());  // as journey-vm run does
  // The outbox as `journey-vm run` writes it (lines straight into a 1 MiB
  // buffer), minus the file: a full buffer starts over.
  struct Lines final : vm::OutboxLines {
    std::vector<char> buffer = std::vector<char>(size_t{1} << 20);
    size_t used = 0;
    uint64_t* sends;
    char* room(size_t bytes) override {
      if (used + bytes > buffer.size()) used = 0;
      if (bytes > buffer.size()) buffer.resize(bytes);
      return buffer.data() + used;
    }
    void wrote(char* end) override {
      used = static_cast<size_t>(end - buffer.data());
      ++*sends;
    }
  } lines;
  lines.sends = &sends;
  engine.sendLinesTo(&lines);
  auto start = Clock::now();
  for (const vm::Event& e : events) engine.process(e);
  double s = Seconds(start);
  std::printf("events=%zu seconds=%.6f events_per_s=%.0f sends=%llu waiting=%zu\n", events.size(), s,
              static_cast<double>(events.size()) / s, static_cast<unsigned long long>(sends), engine.activeInstances());
  return 0;
}

// This process's resident memory in KiB (VmRSS), or 0 where /proc is missing.
long ResidentKb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  std::fclose(f);
  return kb;
}

int Timers(const bc::Module& module, size_t n) {
  if (module.entry.kind != bc::EntryKind::Action || module.entry.predicate < 0 ||
      module.predicates[static_cast<size_t>(module.entry.predicate)].events.size() != 1) {
    std::fprintf(stderr, "engine_bench timers: the journey's entry must be a plain action on one event\n");
    return 2;
  }
  std::string eventName = module.str(module.predicates[static_cast<size_t>(module.entry.predicate)].events[0]);
  uint64_t sends = 0;
  vm::Engine engine({module}, [&](const vm::OutboxRecord&) { ++sends; });
  const int64_t t0 = 1'800'000'000;
  engine.start(t0);
  vm::Event e;
  e.name = eventName;
  e.time = t0;
  std::string user;
  // The first users pay for what the engine makes once (the timer wheel's
  // buckets, the first table sizes): memory is counted from after them.
  const size_t warmUp = std::min<size_t>(n / 2, 1000);
  long before = ResidentKb();
  for (size_t i = 0; i < n; ++i) {
    if (i == warmUp) before = ResidentKb();
    user = "user";
    user += std::to_string(i);
    e.user = user;
    engine.process(e);
  }
  const long after = ResidentKb();
  size_t waiting = engine.activeInstances();
  auto start = Clock::now();
  engine.advanceTo(t0 + 7 * 86400);  // every wait of the journey fires on the way
  double s = Seconds(start);
  std::printf("users=%zu waiting=%zu seconds=%.6f timers_per_s=%.0f still_inside=%zu bytes_per_waiting=%.1f\n", n,
              waiting, s, static_cast<double>(waiting) / s, engine.activeInstances(),
              n > warmUp ? static_cast<double>(after - before) * 1024.0 / static_cast<double>(n - warmUp) : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: engine_bench parsed J.jbc EVENTS.ndjson | engine_bench timers J.jbc N\n");
    return 2;
  }
  std::string mode = argv[1];
  bc::Module module;
  std::string error;
  if (!vm::LoadModule(argv[2], module, error)) {
    std::fprintf(stderr, "engine_bench: %s\n", error.c_str());
    return 1;
  }
  if (mode == "parsed") return Parsed(module, argv[3]);
  if (mode == "timers") return Timers(module, std::strtoull(argv[3], nullptr, 10));
  std::fprintf(stderr, "engine_bench: unknown mode %s\n", mode.c_str());
  return 2;
}

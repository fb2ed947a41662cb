// events_bench.cpp — throughput of event ingestion (a benchmark, not a test).
//
//   events_bench [N]            synthetic: N (default 2,000,000) ~200-byte events
//   events_bench --file F.ndjson  an existing file
//
// Measures two things on one core: the Decoder alone on lines already in
// memory (the JSON + Segment-shape cost), and the whole EventSource from a
// file (reading, framing, decoding, de-duplication and reordering). The
// synthetic stream is 90% track / 10% identify with unique messageIds and
// timestamps jittered within the 5 s tolerance, like a busy collector.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "vm/events/decoder.h"
#include "vm/events/event_source.h"
#include "vm/events/line_reader.h"
#include "vm/events/timestamp.h"

using namespace journey::events;
using Clock = std::chrono::steady_clock;

namespace {

std::string synthesize(size_t n) {
  std::mt19937_64 rng(42);
  std::string out;
  out.reserve(n * 220);
  const int64_t t0 = 1772359200000;  // 2026-03-01T10:00:00Z
  const char* items[] = {"Blue Mug", "Red Kettle", "Green Teapot", "Steel Bottle"};
  char buf[512];
  for (size_t i = 0; i < n; ++i) {
    int64_t ts = t0 + static_cast<int64_t>(i) * 2 + static_cast<int64_t>(rng() % 4000);
    std::string when = format_timestamp(ts);
    int len;
    if (i % 10 == 9) {
      len = std::snprintf(buf, sizeof buf,
                          R"({"type":"identify","userId":"user-%06llu","messageId":"%016llx-%08zx","timestamp":"%s",)"
                          R"("traits":{"first_name":"Asha","plan":"pro","ride_count":%llu,"vip":true}})",
                          static_cast<unsigned long long>(rng() % 1000000), static_cast<unsigned long long>(rng()), i,
                          when.c_str(), static_cast<unsigned long long>(rng() % 100));
    } else {
      len = std::snprintf(buf, sizeof buf,
                          R"({"type":"track","userId":"user-%06llu","event":"Added To Cart","messageId":"%016llx-%08zx",)"
                          R"("timestamp":"%s","properties":{"item_name":"%s","price":%llu.%02llu,"qty":%llu}})",
                          static_cast<unsigned long long>(rng() % 1000000), static_cast<unsigned long long>(rng()), i,
                          when.c_str(), items[rng() % 4], static_cast<unsigned long long>(rng() % 100),
                          static_cast<unsigned long long>(rng() % 100), static_cast<unsigned long long>(1 + rng() % 5));
    }
    out.append(buf, static_cast<size_t>(len));
    out += '\n';
  }
  return out;
}

void report(const char* what, size_t events, size_t bytes, double secs) {
  std::printf("%-34s %9zu events  %8.1f MB  %6.3f s  %10.0f events/s  %8.1f MB/s\n", what, events, bytes / 1e6, secs,
              events / secs, bytes / 1e6 / secs);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  std::string path;
  if (argc == 3 && std::string(argv[1]) == "--file") {
    path = argv[2];
    std::ifstream in(path, std::ios::binary);
    data.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
    data = synthesize(n);
    path = (std::filesystem::temp_directory_path() / "journey-events-bench.ndjson").string();
    std::ofstream(path, std::ios::binary) << data;
  }

  // Line boundaries, found once, so the decoder pass times decoding alone.
  // The padding goes on first: appending later could move the bytes.
  size_t bytes = data.size();
  data.append(kLinePadding, '\0');
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < bytes;) {
    size_t nl = std::min(data.find('\n', pos), bytes);
    lines.emplace_back(data.data() + pos, nl - pos);
    pos = nl + 1;
  }
  std::printf("input: %zu lines, %.1f MB, %.0f bytes/line\n", lines.size(), bytes / 1e6,
              static_cast<double>(bytes) / lines.size());

  for (int round = 0; round < 2; ++round) {  // the first round warms caches and buffers
    Decoder dec;
    DecodedEvent ev;
    std::string reason;
    size_t ok = 0;
    auto start = Clock::now();
    for (std::string_view l : lines) ok += dec.decode_padded(l, ev, reason);
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    if (round == 1) report("Decoder::decode_padded (memory)", ok, bytes, secs);

    auto start2 = Clock::now();
    EventSource src = EventSource::open(path);
    size_t released = 0;
    for (Event e; src.next(e);) ++released;
    double secs2 = std::chrono::duration<double>(Clock::now() - start2).count();
    if (round == 1) {
      report("EventSource (file, dedup, reorder)", released, bytes, secs2);
      const Counters& c = src.counters();
      std::printf("counters: lines %llu, decoded %llu, malformed %llu, duplicates %llu, late %llu\n",
                  static_cast<unsigned long long>(c.lines), static_cast<unsigned long long>(c.decoded),
                  static_cast<unsigned long long>(c.malformed), static_cast<unsigned long long>(c.duplicates),
                  static_cast<unsigned long long>(c.late));
    }
  }
  return 0;
}

// event_source.cpp — the pipeline behind EventSource (see event_source.h).
//
// Events wait in the reorder buffer after their line has been overwritten,
// so each decoded event lives in a slot of its own (a DecodedEvent with its
// string storage). Slots are recycled through a free list: the one handed
// out by next() goes back on the following call, rejected ones at once. In
// steady state the pool is as large as the reorder window and nothing is
// allocated per event.
#include "vm/events/event_source.h"

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>
#include <vector>

#include "vm/events/decoder.h"
#include "vm/events/dedup.h"
#include "vm/events/reorder.h"

namespace journey::events {
namespace {

constexpr uint32_t kNoSlot = UINT32_MAX;

// About how many events `bytes` of NDJSON hold: a Segment line with its
// type, user, event, timestamp and messageId is rarely under 128 bytes.
size_t ExpectedEvents(uint64_t bytes) { return static_cast<size_t>(bytes / 128); }

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

struct EventSource::Impl {
  Options opt;
  LineReader reader;
  Decoder decoder;
  MessageIdWindow dedup;
  ReorderBuffer reorder;
  Counters counters;
  std::FILE* dead_letter = nullptr;
  std::vector<std::unique_ptr<DecodedEvent>> slots;
  std::vector<uint32_t> free_slots;
  uint32_t current = kNoSlot;  // the slot of the event last handed out
  // Decoded events whose de-duplication waits for later lines, oldest
  // first: see admit().
  static constexpr size_t kPending = 16, kTouchGroup = 8;
  struct Pending {
    uint32_t id;
    uint64_t hash;  // 0: no messageId
  };
  Pending pending[kPending];
  size_t pending_head = 0, pending_count = 0;
  uint64_t group[kTouchGroup];  // hashes of the lines decoded since the last touch
  size_t group_count = 0;
  uint64_t touched = 0;  // what touch() read: kept so the loads are not optimised away
  bool eof = false;
  std::string reason;
  size_t expected = 0;  // ExpectedEvents of the input's size at open

  Impl(std::unique_ptr<Input> input, Options o)
      : opt(std::move(o)),
        reader(std::move(input), opt.max_line_bytes, opt.read_chunk_bytes),
        decoder(opt.max_line_bytes),
        dedup(opt.dedup_window, ExpectedEvents(reader.size_hint())),
        reorder(opt.reorder_tolerance_ms, opt.max_buffered),
        expected(ExpectedEvents(reader.size_hint())) {
    if (!opt.dead_letter_path.empty()) {
      dead_letter = std::fopen(opt.dead_letter_path.c_str(), "ab");
      if (!dead_letter)
        throw std::system_error(errno, std::generic_category(), "cannot open dead-letter file " + opt.dead_letter_path);
    }
  }

  ~Impl() {
    if (dead_letter) std::fclose(dead_letter);
  }

  uint32_t acquire() {
    if (!free_slots.empty()) {
      uint32_t id = free_slots.back();
      free_slots.pop_back();
      return id;
    }
    slots.push_back(std::make_unique<DecodedEvent>());
    return static_cast<uint32_t>(slots.size() - 1);
  }
  void release(uint32_t id) { free_slots.push_back(id); }

  void write_dead(std::string_view bytes) {
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), dead_letter) != bytes.size())
      throw std::system_error(errno, std::generic_category(), "writing dead-letter file " + opt.dead_letter_path);
  }

  void reject(const LineReader::Line& line, std::string_view why) {
    ++counters.malformed;
    if (opt.on_malformed) opt.on_malformed(Malformed{line.number, why, line.text, line.overlong});
    if (!dead_letter) return;
    write_dead(line.text);
    if (line.overlong) reader.drain_rest([this](std::string_view piece) { write_dead(piece); });
    write_dead("\n");
  }

  // De-duplicates and admits the oldest pending event. The window's table
  // is far larger than the caches, so its lookup is a cache miss. Every
  // kTouchGroup decoded lines the table slots of those lines are read
  // together (their misses overlap), and each is looked up kTouchGroup to
  // kPending lines after that. Events are admitted in line order and every
  // ready event is handed out before the next admission, so the delay
  // changes nothing in what comes out.
  void admit() {
    if (pending_count == 0) return;
    Pending p = pending[pending_head];
    pending_head = (pending_head + 1) % kPending;
    --pending_count;
    if (p.hash != 0 && !dedup.insert_hash(p.hash)) {
      ++counters.duplicates;
      release(p.id);
      return;
    }
    if (reorder.push(slots[p.id]->event.timestamp_ms, p.id).late) ++counters.late;
  }
  void admit_all() {
    while (pending_count) admit();
  }

  // Reads and handles one line; false at end of input.
  bool read_one() {
    // Never keep an event pending across a read that may block (a live
    // pipe): it would then wait for the next line to arrive.
    if (!reader.has_line()) admit_all();
    LineReader::Line line;
    if (!reader.next(line)) {
      admit_all();
      return false;
    }
    ++counters.lines;
    counters.bytes = reader.bytes_read();
    if (line.overlong) {
      reason = too_long_reason(opt.max_line_bytes);
      reject(line, reason);
      return true;
    }
    if (blank(line.text)) {
      ++counters.blank;
      return true;
    }
    uint32_t id = acquire();
    DecodedEvent& d = *slots[id];
    if (!decoder.decode_padded(line.text, d, reason)) {
      release(id);
      reject(line, reason);
      return true;
    }
    d.event.line = line.number;
    ++counters.decoded;
    if (opt.on_decoded) opt.on_decoded(d.event);
    uint64_t h = d.event.message_id.empty() ? 0 : hash_bytes(d.event.message_id);
    if (h == 0 && !d.event.message_id.empty()) h = 1;  // keep 0 for "no id"
    if (pending_count == kPending) admit();
    pending[(pending_head + pending_count) % kPending] = Pending{id, h};
    ++pending_count;
    if (h != 0) group[group_count++] = h;
    if (group_count == kTouchGroup) {
      // The group's events are the newest pending ones; the older ones are
      // inserted first.
      touched += dedup.touch(group, group_count, pending_count > kTouchGroup ? pending_count - kTouchGroup : 0);
      group_count = 0;
    }
    return true;
  }

  bool next(Event& out) {
    if (current != kNoSlot) {
      release(current);
      current = kNoSlot;
    }
    for (;;) {
      ReorderBuffer::Entry e;
      if (reorder.pop_ready(e) || (eof && reorder.pop_any(e))) {
        Event& ev = slots[e.id]->event;
        ev.time_ms = e.time;
        ev.late = e.late;
        out = ev;
        current = e.id;
        ++counters.released;
        return true;
      }
      if (eof) return false;
      if (!read_one()) {
        eof = true;
        counters.bytes = reader.bytes_read();
        if (dead_letter && std::fflush(dead_letter) != 0)
          throw std::system_error(errno, std::generic_category(), "writing dead-letter file " + opt.dead_letter_path);
      }
    }
  }
};

EventSource::EventSource(std::unique_ptr<Input> input, Options options)
    : impl_(std::make_unique<Impl>(std::move(input), std::move(options))) {}

EventSource EventSource::open(const std::string& path, Options options) {
  return EventSource(open_file_input(path), std::move(options));
}

EventSource EventSource::from_string(std::string ndjson, Options options) {
  return EventSource(memory_input(std::move(ndjson)), std::move(options));
}

EventSource::EventSource(EventSource&&) noexcept = default;
EventSource& EventSource::operator=(EventSource&&) noexcept = default;
EventSource::~EventSource() = default;

bool EventSource::next(Event& out) { return impl_->next(out); }
const Counters& EventSource::counters() const { return impl_->counters; }
size_t EventSource::expected_events() const { return impl_->expected; }
std::optional<int64_t> EventSource::clock() const { return impl_->reorder.clock(); }
std::optional<int64_t> EventSource::watermark() const { return impl_->reorder.watermark(); }
size_t EventSource::buffered() const { return impl_->reorder.size(); }

}  // namespace journey::events

// reorder.h — puts slightly out-of-order events back in time order.
//
// Events reach us in roughly, not exactly, timestamp order (mobile clients
// batch, collectors merge streams). The VM needs a clock that only moves
// forward, so we hold events back for a configurable tolerance:
//
//   watermark = (largest timestamp seen) - tolerance
//
// An event is released once the watermark has reached its timestamp, in
// (timestamp, arrival) order. An event that arrives already behind the
// watermark is late: holding it cannot help (events after it may have been
// released), so it is released at once at the watermark instead of its
// own time, and counted. The clock (time of the last released event)
// therefore never goes backwards, and no later release is ever before the
// watermark: the VM may safely advance its timers to either.
//
// The buffer stores only (time, arrival number, caller's id); the events
// themselves stay with the caller. Most events arrive in order, so those
// that do (not earlier than the last one in order) wait in a first-in,
// first-out queue, O(1) each, and only the stragglers go to a heap; a
// release takes the earlier of the two fronts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace journey::events {

class ReorderBuffer {
 public:
  struct Entry {
    int64_t time = 0;     // release time: the timestamp, or the watermark for a late event
    uint64_t seq = 0;     // arrival order, breaks ties
    uint32_t id = 0;      // the caller's handle
    bool late = false;
  };

  // tolerance_ms < 0 counts as 0 (release in arrival order when timestamps
  // allow, everything behind the newest is late). max_buffered bounds
  // memory: when more are held, the oldest is released early (and the
  // floor for late events rises with it).
  ReorderBuffer(int64_t tolerance_ms, size_t max_buffered);

  // Admits an event; returns its entry (time and late flag as decided now).
  Entry push(int64_t timestamp_ms, uint32_t id);

  // The next entry the watermark has passed (or that overflow forces out).
  bool pop_ready(Entry& out);
  // At end of input: the next held entry, whatever the watermark.
  bool pop_any(Entry& out);

  std::optional<int64_t> clock() const { return clock_; }          // time of the last release
  std::optional<int64_t> watermark() const;                        // no later release is before this
  size_t size() const { return inOrder_.size() + heap_.size(); }
  uint64_t late() const { return late_; }
  int64_t tolerance() const { return tolerance_; }

 private:
  void pop(Entry& out);
  const Entry* front() const;  // the next release in (time, seq) order; null when empty

  int64_t tolerance_;
  size_t max_buffered_;
  std::deque<Entry> inOrder_;  // entries that arrived in order: sorted on (time, seq)
  std::vector<Entry> heap_;    // the others: a min-heap on (time, seq)
  std::optional<int64_t> max_seen_, clock_;
  uint64_t seq_ = 0;
  uint64_t late_ = 0;
};

}  // namespace journey::events

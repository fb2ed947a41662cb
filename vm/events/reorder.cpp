// reorder.cpp — the reorder buffer (see reorder.h): events in order in a
// queue, stragglers in a binary heap on (time, arrival), with the watermark
// and clock rules applied at push and pop. An in-order stream costs O(1) an
// event; the heap stops allocating once grown, the queue (a deque) takes
// and gives back a block of 21 entries every 21 events.
#include "vm/events/reorder.h"

#include <algorithm>

namespace journey::events {
namespace {

// std heap functions build a max-heap; "later" on top-of-max means earliest on top.
struct Later {
  bool operator()(const ReorderBuffer::Entry& a, const ReorderBuffer::Entry& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

}  // namespace

ReorderBuffer::ReorderBuffer(int64_t tolerance_ms, size_t max_buffered)
    : tolerance_(std::max<int64_t>(tolerance_ms, 0)), max_buffered_(std::max<size_t>(max_buffered, 1)) {}

std::optional<int64_t> ReorderBuffer::watermark() const {
  if (!max_seen_) return std::nullopt;
  int64_t w = *max_seen_ - tolerance_;
  return clock_ ? std::max(w, *clock_) : w;
}

ReorderBuffer::Entry ReorderBuffer::push(int64_t timestamp_ms, uint32_t id) {
  Entry e{timestamp_ms, seq_++, id, false};
  std::optional<int64_t> floor = watermark();
  if (floor && timestamp_ms < *floor) {
    e.time = *floor;
    e.late = true;
    ++late_;
  } else if (!max_seen_ || timestamp_ms > *max_seen_) {
    max_seen_ = timestamp_ms;
  }
  // seq only grows, so an entry not earlier in time than the queue's last
  // keeps the queue sorted on (time, seq).
  if (inOrder_.empty() || e.time >= inOrder_.back().time) {
    inOrder_.push_back(e);
  } else {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  return e;
}

const ReorderBuffer::Entry* ReorderBuffer::front() const {
  if (heap_.empty()) return inOrder_.empty() ? nullptr : &inOrder_.front();
  if (inOrder_.empty() || Later{}(inOrder_.front(), heap_.front())) return &heap_.front();
  return &inOrder_.front();
}

void ReorderBuffer::pop(Entry& out) {
  if (front() == (heap_.empty() ? nullptr : &heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    out = heap_.back();
    heap_.pop_back();
  } else {
    out = inOrder_.front();
    inOrder_.pop_front();
  }
  clock_ = out.time;  // never earlier than the last: every held entry is at or after the floor
}

bool ReorderBuffer::pop_ready(Entry& out) {
  const Entry* next = front();
  if (!next) return false;
  if (next->time > *watermark() && size() <= max_buffered_) return false;
  pop(out);
  return true;
}

bool ReorderBuffer::pop_any(Entry& out) {
  if (!front()) return false;
  pop(out);
  return true;
}

}  // namespace journey::events

// reorder.cpp — the reorder buffer (see reorder.h): a binary heap on
// (time, arrival), with the watermark and clock rules applied at push and
// pop. A heap rather than a sorted container because pushes are almost
// always near the end in time, and both operations are O(log n) on one
// flat vector with no allocation once it has grown.
#include "vm/events/reorder.h"

#include <algorithm>

namespace journey::events {
namespace {

// std heap functions build a max-heap; "later" on top-of-max means earliest on top.
bool later(const ReorderBuffer::Entry& a, const ReorderBuffer::Entry& b) {
  return a.time != b.time ? a.time > b.time : a.seq > b.seq;
}

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
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), later);
  return e;
}

void ReorderBuffer::pop(Entry& out) {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  out = heap_.back();
  heap_.pop_back();
  clock_ = out.time;  // never earlier than the last: every held entry is at or after the floor
}

bool ReorderBuffer::pop_ready(Entry& out) {
  if (heap_.empty()) return false;
  if (heap_.front().time > *watermark() && heap_.size() <= max_buffered_) return false;
  pop(out);
  return true;
}

bool ReorderBuffer::pop_any(Entry& out) {
  if (heap_.empty()) return false;
  pop(out);
  return true;
}

}  // namespace journey::events

// timer_wheel.h — one-second timing wheel with array buckets.
//
// Waiting users far outnumber anything else in the engine, and most of
// their timers (windows of waits for events) are cancelled before they
// fire. So scheduling is a push onto the bucket of the due second, and
// cancelling is free: a timer entry carries the owner's generation, and an
// entry whose owner has moved on (different generation) is skipped when its
// bucket fires. Buckets are plain arrays of (id, generation), walked in
// order, so firing touches memory sequentially. Deadlines beyond the wheel's
// span wait in an overflow list and are moved into the wheel as time comes
// near them.
#pragma once

#include <cstdint>
#include <vector>

namespace journey::vm {

class TimerWheel {
 public:
  static constexpr uint32_t kSlots = 1u << 16;  // about 18 hours of one-second slots

  explicit TimerWheel(int64_t now = 0) : now_(now) { slots_.resize(kSlots); }

  int64_t now() const { return now_; }
  size_t pending() const { return pending_; }

  // Schedules (id, generation) at `due` (seconds); a due time not after now
  // fires on the next advance.
  void schedule(uint32_t id, uint32_t generation, int64_t due) {
    if (due <= now_) due = now_ + 1;
    ++pending_;
    if (due - now_ < static_cast<int64_t>(kSlots)) slots_[static_cast<size_t>(due) & (kSlots - 1)].push_back({id, generation, due});
    else overflow_.push_back({id, generation, due});
  }

  // Moves time to `target`, calling fire(id, generation, due) for every entry
  // due at or before it, in due order (ties in scheduling order). `fire` may
  // schedule new timers.
  template <typename Fire>
  void advance(int64_t target, Fire&& fire) {
    while (now_ < target) {
      if (pending_ == 0) {
        now_ = target;
        return;
      }
      ++now_;
      if (!overflow_.empty() && (now_ & 0x3FF) == 0) refill();
      std::vector<Entry>& bucket = slots_[static_cast<size_t>(now_) & (kSlots - 1)];
      if (bucket.empty()) continue;
      // Entries of a later lap stay; due ones fire. Firing may append to this
      // very bucket (a timer due a whole lap later), so walk by index.
      size_t keep = 0;
      for (size_t i = 0; i < bucket.size(); ++i) {
        Entry e = bucket[i];
        if (e.due != now_) {
          bucket[keep++] = e;
          continue;
        }
        --pending_;
        fire(e.id, e.generation, e.due);
      }
      bucket.resize(keep);
    }
  }

 private:
  struct Entry {
    uint32_t id;
    uint32_t generation;
    int64_t due;
  };
  void refill() {
    size_t keep = 0;
    for (const Entry& e : overflow_) {
      if (e.due - now_ < static_cast<int64_t>(kSlots)) slots_[static_cast<size_t>(e.due) & (kSlots - 1)].push_back(e);
      else overflow_[keep++] = e;
    }
    overflow_.resize(keep);
  }

  int64_t now_;
  size_t pending_ = 0;
  std::vector<std::vector<Entry>> slots_;
  std::vector<Entry> overflow_;
};

}  // namespace journey::vm

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

#include "vm/snapshot_io.h"

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

  // Snapshots keep every entry where it is (bucket by bucket, each in its
  // order, then the overflow list): ties fire in the same order after a
  // restore as they would have without one.
  void save(ByteWriter& w) const {
    w.i64(now_);
    w.varint(pending_);
    size_t used = 0;
    for (const auto& b : slots_) used += !b.empty();
    w.varint(used);
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].empty()) continue;
      w.varint(i);
      saveEntries(w, slots_[i]);
    }
    saveEntries(w, overflow_);
  }
  // Every entry names an owner below `owners` (checked after a restore:
  // a damaged snapshot must not index past the instance pool).
  bool ownersBelow(uint32_t owners) const {
    for (const auto& b : slots_)
      for (const Entry& e : b)
        if (e.id >= owners) return false;
    for (const Entry& e : overflow_)
      if (e.id >= owners) return false;
    return true;
  }
  bool restore(ByteReader& r) {
    now_ = r.i64();
    pending_ = r.varint();
    for (auto& b : slots_) b.clear();
    uint64_t used = r.count(2);
    for (uint64_t k = 0; k < used && r.ok(); ++k) {
      uint64_t i = r.varint();
      if (i >= slots_.size()) r.fail();
      else restoreEntries(r, slots_[i]);
    }
    restoreEntries(r, overflow_);
    return r.ok();
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

  template <typename List>
  static void saveEntries(ByteWriter& w, const List& list) {
    w.varint(list.size());
    for (const Entry& e : list) {
      w.u32(e.id);
      w.u32(e.generation);
      w.i64(e.due);
    }
  }
  template <typename List>
  static void restoreEntries(ByteReader& r, List& list) {
    list.clear();
    uint64_t n = r.count(16);
    list.reserve(n);
    for (uint64_t k = 0; k < n && r.ok(); ++k) {
      Entry e;
      e.id = r.u32();
      e.generation = r.u32();
      e.due = r.i64();
      list.push_back(e);
    }
  }

  int64_t now_;
  size_t pending_ = 0;
  std::vector<std::vector<Entry>> slots_;
  std::vector<Entry> overflow_;
};

}  // namespace journey::vm

// timer_wheel.h — one-second timing wheel with array buckets.
//
// Waiting users far outnumber anything else in the engine, and most of
// their timers (windows of waits for events) are cancelled before they
// fire. So scheduling is a push onto the bucket of the due second, and
// cancelling is free: a timer entry carries the owner's generation, and an
// entry whose owner has moved on (different generation) is skipped when its
// bucket fires. Buckets are plain arrays of (id, generation), walked in
// order, so firing touches memory sequentially. An entry in a bucket is due
// at that bucket's second (every entry goes in less than one lap ahead), so
// it keeps no time of its own: 8 bytes per waiting user. Deadlines beyond the
// wheel's span wait, with their time, in an overflow list and are moved into
// the wheel as time comes near them; when they are all that is pending,
// time jumps to just before the earliest instead of stepping through the
// empty seconds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "vm/big_array.h"
#include "vm/snapshot_io.h"

namespace journey::vm {

class TimerWheel {
 public:
  static constexpr uint32_t kSlots = 1u << 16;  // about 18 hours of one-second slots

  explicit TimerWheel(int64_t now = 0) : now_(now) {}

  int64_t now() const { return now_; }
  size_t pending() const { return pending_; }

  // Schedules (id, generation) at `due` (seconds); a due time not after now
  // fires on the next advance.
  void schedule(uint32_t id, uint32_t generation, int64_t due) {
    if (due <= now_) due = now_ + 1;
    ++pending_;
    if (due - now_ < static_cast<int64_t>(kSlots)) bucket(due).push_back({id, generation});
    else {
      overflow_.push_back({id, generation, due});
      overflowEarliest_ = std::min(overflowEarliest_, due);
    }
  }

  // Moves time to `target`, calling fire(id, generation, due) for every entry
  // due at or before it, in due order (ties in scheduling order). `fire` may
  // schedule new timers.
  template <typename Fire>
  void advance(int64_t target, Fire&& fire) {
    advance(target, fire, [](uint32_t) {});
  }
  // The same, telling `soon(id)` of each timer some entries before it fires
  // (a look ahead, e.g. to prefetch the instance; it must change nothing).
  template <typename Fire, typename Soon>
  void advance(int64_t target, Fire&& fire, Soon&& soon) {
    constexpr size_t kAhead = 15;
    while (now_ < target) {
      if (pending_ == 0) {
        now_ = target;
        return;
      }
      if (pending_ == overflow_.size()) {
        // Only far entries: skip to just before the earliest instead of
        // stepping through empty seconds (a quiet week is 600k steps; a
        // clock restored far from its events, billions).
        int64_t earliest = std::min(target, overflowEarliest_);
        if (earliest - 1 > now_) {
          now_ = earliest - 1;
          refill();
          continue;
        }
      }
      ++now_;
      if (!overflow_.empty() && (now_ & 0x3FF) == 0) refill();
      if (heads_.empty()) continue;  // every pending timer is in the overflow list
      uint32_t& head = heads_[static_cast<size_t>(now_) & (kSlots - 1)];
      if (head == 0) continue;
      // The pool is a deque, so this reference survives buckets made by fire().
      std::vector<Entry>& bucket = pool_[head - 1];
      // Firing may append to this very bucket only for a time a whole lap
      // ahead, which goes to the overflow list instead; still, walk by index
      // and take the entries present when the second began.
      size_t due = bucket.size();
      for (size_t i = 0; i < std::min(due, kAhead); ++i) soon(bucket[i].id);
      for (size_t i = 0; i < due; ++i) {
        if (i + kAhead < due) soon(bucket[i + kAhead].id);
        Entry e = bucket[i];
        --pending_;
        fire(e.id, e.generation, now_);
      }
      bucket.erase(bucket.begin(), bucket.begin() + static_cast<std::ptrdiff_t>(due));
      if (bucket.empty()) {
        // An emptied bucket gives its memory back. Keeping up to 64 entries
        // of capacity for the next second that takes it saved a few
        // allocations per second but cost the 1M-user cart run 7 MB (5%) of
        // peak memory: every bucket then held the most it ever had.
        std::vector<Entry>().swap(bucket);
        freeBuckets_.push_back(head - 1);
        head = 0;
      }
    }
  }

  // Snapshots keep every entry where it is (bucket by bucket, each in its
  // order, then the overflow list): ties fire in the same order after a
  // restore as they would have without one. Bucket entries are written with
  // their due time, like overflow ones; a restore checks that it is the
  // bucket's.
  void save(ByteWriter& w) const {
    w.i64(now_);
    w.varint(pending_);
    size_t used = 0;
    for (uint32_t head : heads_) used += head != 0 && !pool_[head - 1].empty();
    w.varint(used);
    for (size_t i = 0; i < heads_.size(); ++i) {
      if (heads_[i] == 0 || pool_[heads_[i] - 1].empty()) continue;
      const std::vector<Entry>& b = pool_[heads_[i] - 1];
      w.varint(i);
      int64_t due = dueOfBucket(i);
      w.varint(b.size());
      for (const Entry& e : b) {
        w.u32(e.id);
        w.u32(e.generation);
        w.i64(due);
      }
    }
    w.varint(overflow_.size());
    for (const FarEntry& e : overflow_) {
      w.u32(e.id);
      w.u32(e.generation);
      w.i64(e.due);
    }
  }
  // Every entry names an owner below `owners` (checked after a restore:
  // a damaged snapshot must not index past the instance pool).
  bool ownersBelow(uint32_t owners) const {
    for (const auto& b : pool_)
      for (const Entry& e : b)
        if (e.id >= owners) return false;
    for (const FarEntry& e : overflow_)
      if (e.id >= owners) return false;
    return true;
  }
  bool restore(ByteReader& r) {
    now_ = r.time();
    uint64_t pending = r.varint();
    if (!r.ok()) return false;  // a clock beyond the bound: no bucket's second can be computed from it
    heads_ = BigArray<uint32_t>();
    pool_.clear();
    freeBuckets_.clear();
    overflow_.clear();
    overflowEarliest_ = INT64_MAX;
    uint64_t used = r.count(2);
    for (uint64_t k = 0; k < used && r.ok(); ++k) {
      uint64_t i = r.varint();
      if (i >= kSlots) {
        r.fail();
        break;
      }
      int64_t due = dueOfBucket(i);
      uint64_t n = r.count(16);
      std::vector<Entry>& b = bucket(due);
      b.reserve(n);
      for (uint64_t m = 0; m < n && r.ok(); ++m) {
        Entry e{r.u32(), r.u32()};
        if (r.time() != due) r.fail();  // not this bucket's second: damaged
        b.push_back(e);
      }
    }
    uint64_t n = r.count(16);
    overflow_.reserve(n);
    for (uint64_t m = 0; m < n && r.ok(); ++m) {
      FarEntry e;
      e.id = r.u32();
      e.generation = r.u32();
      e.due = r.time();
      if (e.due <= now_) r.fail();  // the list holds only deadlines beyond the wheel's lap
      overflow_.push_back(e);
      overflowEarliest_ = std::min(overflowEarliest_, e.due);
    }
    // Every entry counts as pending until it fires: a count that disagrees
    // would keep advance() stepping second by second with nothing to fire.
    pending_ = overflow_.size();
    for (const auto& bucket : pool_) pending_ += bucket.size();
    if (pending_ != pending) r.fail();
    return r.ok();
  }

 private:
  struct Entry {  // in a bucket, due at the bucket's second
    uint32_t id;
    uint32_t generation;
  };
  struct FarEntry {  // in the overflow list
    uint32_t id;
    uint32_t generation;
    int64_t due;
  };
  // The second bucket i stands for: the next one after now_ with those low
  // bits (the bucket of now_ itself has fired and is empty between advances).
  int64_t dueOfBucket(size_t i) const {
    int64_t ahead = static_cast<int64_t>((i - static_cast<size_t>(now_)) & (kSlots - 1));
    return now_ + (ahead == 0 ? static_cast<int64_t>(kSlots) : ahead);
  }
  // The bucket of second `due`, made (or a free one reused) on first use.
  std::vector<Entry>& bucket(int64_t due) {
    if (heads_.empty()) heads_.assign(kSlots, 0);  // zero pages until a bucket is used
    uint32_t& head = heads_[static_cast<size_t>(due) & (kSlots - 1)];
    if (head == 0) {
      if (freeBuckets_.empty()) {
        pool_.emplace_back();
        head = static_cast<uint32_t>(pool_.size());
      } else {
        head = freeBuckets_.back() + 1;
        freeBuckets_.pop_back();
      }
    }
    return pool_[head - 1];
  }
  void refill() {
    size_t keep = 0;
    overflowEarliest_ = INT64_MAX;
    for (const FarEntry& e : overflow_) {
      if (e.due - now_ < static_cast<int64_t>(kSlots)) {
        bucket(e.due).push_back({e.id, e.generation});
      } else {
        overflow_[keep++] = e;
        overflowEarliest_ = std::min(overflowEarliest_, e.due);
      }
    }
    overflow_.resize(keep);
  }

  int64_t now_;
  size_t pending_ = 0;
  // Second → bucket: 0, or 1 + the bucket's place in pool_. The heads are
  // made with the first timer as zero pages, and only the buckets in use
  // exist: a short run whose timers are spread over a day touches 64 pages
  // of heads instead of the 384 that 65,536 vectors filled (several ms of
  // page faults on the VMs we measured).
  BigArray<uint32_t> heads_;
  std::deque<std::vector<Entry>> pool_;  // a deque: references stay valid as it grows
  std::vector<uint32_t> freeBuckets_;    // emptied buckets of pool_, for reuse
  std::vector<FarEntry> overflow_;
  int64_t overflowEarliest_ = INT64_MAX;  // the earliest due in overflow_ (INT64_MAX: none)
};

}  // namespace journey::vm

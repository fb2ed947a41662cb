// timer_wheel.h — one-second timing wheel with chunked buckets.
//
// Waiting users far outnumber anything else in the engine, and most of
// their timers (windows of waits for events) are cancelled before they
// fire. So scheduling is an append to the bucket of the due second, and
// cancelling is free: a timer entry carries the owner's generation, and an
// entry whose owner has moved on (different generation) is skipped when its
// bucket fires. An entry in a bucket is due at that bucket's second (every
// entry goes in less than one lap ahead), so it keeps no time of its own:
// 8 bytes per waiting user. Deadlines beyond the wheel's span wait, with
// their time, in an overflow list and are moved into the wheel as time
// comes near them; when they are all that is pending, time jumps to just
// before the earliest instead of stepping through the empty seconds.
//
// A bucket is a list of 64-byte chunks of eight entries, taken from one
// pool and given back to it when the bucket fires; the links between chunks
// are in an array of their own, so a chunk is all entries and a waiting
// timer costs 8.5 bytes. Buckets used to be one std::vector each: at a
// dozen timers a second, every bucket grew by doubling through four or five
// allocations and gave its memory back when it fired, and those allocations
// were ~4% of a replay's instructions. A chunk list allocates nothing once
// the pool has grown.
#pragma once

#include <algorithm>
#include <cstdint>
#include <new>
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
    if (due - now_ < static_cast<int64_t>(kSlots)) append(due, {id, generation});
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
    constexpr uint32_t kAhead = 15;
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
      uint64_t& head = heads_[static_cast<size_t>(now_) & (kSlots - 1)];
      if (head == 0) continue;
      // The bucket is taken off its slot before it fires. fire() may
      // schedule into this second's slot only for a time a whole lap ahead,
      // which goes to the overflow list instead, so nothing joins the list
      // being walked. fire() may grow the pool, so chunks are named by
      // index and read again after every call.
      const Bucket bucket = Unpack(head);
      head = 0;
      Cursor at{bucket.first}, ahead = at;
      for (uint32_t i = 0; i < kAhead && ahead.chunk; ++i) {
        soon(entryAt(ahead).id);
        step(ahead, bucket);
      }
      while (at.chunk) {
        if (ahead.chunk) {
          soon(entryAt(ahead).id);
          step(ahead, bucket);
        }
        Entry e = entryAt(at);
        uint32_t done = at.chunk;
        step(at, bucket);
        --pending_;
        fire(e.id, e.generation, now_);
        if (at.chunk != done) release(done);  // its last entry has fired: back to the pool
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
    for (uint64_t head : heads_) used += head != 0;
    w.varint(used);
    for (size_t i = 0; i < heads_.size(); ++i) {
      if (heads_[i] == 0) continue;
      w.varint(i);
      int64_t due = dueOfBucket(i);
      size_t n = 0;
      forEachEntry(heads_[i], [&](const Entry&) { ++n; });
      w.varint(n);
      forEachEntry(heads_[i], [&](const Entry& e) {
        w.u32(e.id);
        w.u32(e.generation);
        w.i64(due);
      });
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
    bool below = true;
    for (uint64_t head : heads_) forEachEntry(head, [&](const Entry& e) { below = below && e.id < owners; });
    for (const FarEntry& e : overflow_) below = below && e.id < owners;
    return below;
  }
  bool restore(ByteReader& r) {
    now_ = r.time();
    uint64_t pending = r.varint();
    if (!r.ok()) return false;  // a clock beyond the bound: no bucket's second can be computed from it
    heads_ = BigArray<uint64_t>();
    chunks_ = BigArray<Chunk>();
    links_ = BigArray<uint32_t>();
    freeChunks_ = 0;
    overflow_.clear();
    overflowEarliest_ = INT64_MAX;
    pending_ = 0;
    uint64_t used = r.count(2);
    for (uint64_t k = 0; k < used && r.ok(); ++k) {
      uint64_t i = r.varint();
      if (i >= kSlots) {
        r.fail();
        break;
      }
      int64_t due = dueOfBucket(i);
      uint64_t n = r.count(16);
      for (uint64_t m = 0; m < n && r.ok(); ++m) {
        Entry e{r.u32(), r.u32()};
        if (r.time() != due) r.fail();  // not this bucket's second: damaged
        append(due, e);
        ++pending_;
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
    pending_ += overflow_.size();
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
  static constexpr uint32_t kPerChunk = 8;
  struct Chunk {  // one cache line
    Entry entries[kPerChunk];
  };
  static_assert(sizeof(Chunk) == 64);
  // A slot of heads_ packs its bucket: the first and the last chunk (1 + the
  // index, 28 bits each; 0 for none) and how many entries the last one
  // holds (1 to 8; every other chunk is full). Zero is an empty bucket.
  static constexpr uint32_t kChunkBits = 28;
  static constexpr uint32_t kMaxChunks = (1u << kChunkBits) - 1;  // 2 billion timers
  struct Bucket {
    uint32_t first = 0, last = 0, lastCount = 0;
  };
  static Bucket Unpack(uint64_t head) {
    constexpr uint64_t mask = kMaxChunks;
    return Bucket{static_cast<uint32_t>(head & mask), static_cast<uint32_t>(head >> kChunkBits & mask),
                  static_cast<uint32_t>(head >> (2 * kChunkBits))};
  }
  static uint64_t Pack(const Bucket& b) {
    return uint64_t{b.first} | uint64_t{b.last} << kChunkBits | uint64_t{b.lastCount} << (2 * kChunkBits);
  }
  struct Cursor {  // an entry of a bucket: 1 + its chunk's index (0: past the end), and its place there
    uint32_t chunk;
    uint32_t at = 0;
  };
  const Entry& entryAt(Cursor c) const { return chunks_[c.chunk - 1].entries[c.at]; }
  void step(Cursor& c, const Bucket& b) const {
    if (c.chunk != b.last) {
      if (++c.at == kPerChunk) c = Cursor{links_[c.chunk - 1]};
    } else if (++c.at == b.lastCount) {
      c = Cursor{0};
    }
  }
  // Calls f on each entry of the bucket packed in `head`, in order.
  template <typename F>
  void forEachEntry(uint64_t head, F&& f) const {
    Bucket b = Unpack(head);
    for (Cursor c{b.first}; c.chunk; step(c, b)) f(entryAt(c));
  }

  // The second bucket i stands for: the next one after now_ with those low
  // bits (the bucket of now_ itself has fired and is empty between advances).
  int64_t dueOfBucket(size_t i) const {
    int64_t ahead = static_cast<int64_t>((i - static_cast<size_t>(now_)) & (kSlots - 1));
    return now_ + (ahead == 0 ? static_cast<int64_t>(kSlots) : ahead);
  }
  // Appends e to the bucket of second `due`.
  void append(int64_t due, Entry e) {
    if (heads_.empty()) heads_.assign(kSlots, 0);  // zero pages until a bucket is used
    uint64_t& head = heads_[static_cast<size_t>(due) & (kSlots - 1)];
    Bucket b = Unpack(head);
    if (b.last == 0 || b.lastCount == kPerChunk) {
      uint32_t fresh = take();
      if (b.last == 0) b.first = fresh;
      else links_[b.last - 1] = fresh;
      b.last = fresh;
      b.lastCount = 0;
    }
    chunks_[b.last - 1].entries[b.lastCount++] = e;
    head = Pack(b);
  }
  // A chunk from the pool (1 + its index), made when none is free.
  uint32_t take() {
    uint32_t c = freeChunks_;
    if (c) {
      freeChunks_ = links_[c - 1];
      return c;
    }
    if (chunks_.size() == kMaxChunks) throw std::bad_alloc();
    chunks_.push_back(Chunk{});
    links_.push_back(0);
    return static_cast<uint32_t>(chunks_.size());
  }
  void release(uint32_t c) {
    links_[c - 1] = freeChunks_;
    freeChunks_ = c;
  }
  void refill() {
    size_t keep = 0;
    overflowEarliest_ = INT64_MAX;
    for (const FarEntry& e : overflow_) {
      if (e.due - now_ < static_cast<int64_t>(kSlots)) {
        append(e.due, {e.id, e.generation});
      } else {
        overflow_[keep++] = e;
        overflowEarliest_ = std::min(overflowEarliest_, e.due);
      }
    }
    overflow_.resize(keep);
  }

  int64_t now_;
  size_t pending_ = 0;
  // Second → its bucket, packed (see Bucket). The slots are made with the
  // first timer as zero pages, so a short run whose timers are spread over
  // a day touches only the pages of the seconds it uses.
  BigArray<uint64_t> heads_;
  BigArray<Chunk> chunks_;    // every bucket's chunks; grown in place, never shrunk
  BigArray<uint32_t> links_;  // per chunk: the next chunk of its bucket, or of the free list (1 + index; 0: none)
  uint32_t freeChunks_ = 0;   // the first free chunk (1 + index; 0: none)
  std::vector<FarEntry> overflow_;
  int64_t overflowEarliest_ = INT64_MAX;  // the earliest due in overflow_ (INT64_MAX: none)
};

}  // namespace journey::vm

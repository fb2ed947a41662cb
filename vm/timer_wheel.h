// timer_wheel.h — one-second timing wheel with chunked buckets.
//
// Waiting users far outnumber anything else in the engine, and most of
// their timers (windows of waits for events) are cancelled before they
// fire. So scheduling is an append to the bucket of the due second, and
// cancelling is free: a timer entry carries the owner's generation, and an
// entry whose owner has moved on (different generation) is skipped when its
// bucket fires. An entry in a bucket is due at that bucket's second (every
// entry goes in less than one lap ahead), so it keeps no time of its own:
// 8 bytes per waiting user.
//
// A bucket is a list of 64-byte chunks of eight entries, taken from one
// pool and given back to it when the bucket fires; the links between chunks
// are in an array of their own, so a chunk is all entries and a waiting
// timer costs 8.5 bytes. Buckets used to be one std::vector each: at a
// dozen timers a second, every bucket grew by doubling through four or five
// allocations and gave its memory back when it fired, and those allocations
// were ~4% of a replay's instructions. A chunk list allocates nothing once
// the pool has grown.
//
// Deadlines beyond the wheel's lap (a journey's timeout for the users who
// wait at its end: days, for most of the users a replay holds) wait with
// their time in a second, coarser wheel of 1024-second pages, whose buckets
// are chunk lists from the same pool (four entries a chunk). Every 1024
// seconds the page that has come within a lap moves into the wheel, and its
// chunks go back to the pool. Those deadlines used to wait in one vector
// scanned whole every 1024 seconds, which grew by doubling as users reached
// the end (a copy and fresh pages at every doubling) and was read whole 84
// times in a day's replay. Deadlines beyond the pages' span (two years)
// wait in a list, moved into the pages as time comes near them. When only
// far deadlines are pending, time jumps to just before the earliest
// instead of stepping through the empty seconds.
//
// What moves when is exactly what the single list did: a deadline moves
// into the wheel at the first 1024-second mark (or jump) at which it is due
// within a lap, so ties fire in the same order as before, and a snapshot
// written by either restores to the same firings.
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

  explicit TimerWheel(int64_t now = 0) : now_(now), farNext_(FirstFarPage(now)) {}

  int64_t now() const { return now_; }
  size_t pending() const { return pending_; }

  // Reserves the pool's room for about `timers` near timers (address space:
  // see BigArray::reserve); a hint for a run that knows its size.
  void reserve(size_t timers) {
    size_t chunks = std::min<size_t>(timers / kPerChunk + 1, kMaxChunks);
    chunks_.reserve(chunks);
    links_.reserve(chunks);
  }
  // Schedules (id, generation) at `due` (seconds); a due time not after now
  // fires on the next advance.
  void schedule(uint32_t id, uint32_t generation, int64_t due) {
    if (due <= now_) due = now_ + 1;
    ++pending_;
    if (due - now_ < static_cast<int64_t>(kSlots)) append(due, {id, generation});
    else placeFar({id, generation, due});
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
      if (pending_ == farCount()) {
        // Only far entries: skip to just before the earliest instead of
        // stepping through empty seconds (a quiet week is 600k steps; a
        // clock restored far from its events, billions).
        int64_t earliest = std::min(target, farEarliest());
        if (earliest - 1 > now_) {
          now_ = earliest - 1;
          refill();
          continue;
        }
      }
      ++now_;
      if (farCount() && (now_ & (kPageSeconds - 1)) == 0) refill();
      if (heads_.empty()) continue;  // every pending timer is a far one
      uint64_t& head = heads_[static_cast<size_t>(now_) & (kSlots - 1)];
      if (head == 0) continue;
      // The bucket is taken off its slot before it fires. fire() may
      // schedule into this second's slot only for a time a whole lap ahead,
      // which goes to the far pages instead, so nothing joins the list
      // being walked. fire() may grow the pool, so chunks are named by
      // index and read again after every call.
      const Bucket bucket = Unpack(head);
      head = 0;
      Cursor at{bucket.first}, ahead = at;
      for (uint32_t i = 0; i < kAhead && ahead.chunk; ++i) {
        soon(entryAt(ahead).id);
        step(ahead, bucket, kPerChunk);
      }
      while (at.chunk) {
        if (ahead.chunk) {
          soon(entryAt(ahead).id);
          step(ahead, bucket, kPerChunk);
        }
        Entry e = entryAt(at);
        uint32_t done = at.chunk;
        step(at, bucket, kPerChunk);
        --pending_;
        fire(e.id, e.generation, now_);
        if (at.chunk != done) release(done);  // its last entry has fired: back to the pool
      }
    }
  }

  // Snapshots keep every entry where it is (bucket by bucket, each in its
  // order, then the far entries, page by page, then the list beyond the
  // pages): ties fire in the same order after a restore as they would have
  // without one. Bucket entries are written with their due time, like far
  // ones; a restore checks that it is the bucket's. (The format is the one
  // of the single far list the pages replaced.)
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
    w.varint(farCount());
    forEachFar([&](const FarEntry& e) {
      w.u32(e.id);
      w.u32(e.generation);
      w.i64(e.due);
    });
  }
  // Every entry names an owner below `owners` (checked after a restore:
  // a damaged snapshot must not index past the instance pool).
  bool ownersBelow(uint32_t owners) const {
    bool below = true;
    for (uint64_t head : heads_) forEachEntry(head, [&](const Entry& e) { below = below && e.id < owners; });
    forEachFar([&](const FarEntry& e) { below = below && e.id < owners; });
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
    farHeads_ = BigArray<uint64_t>();
    farNext_ = FirstFarPage(now_);
    inPages_ = 0;
    beyond_.clear();
    beyondEarliest_ = INT64_MAX;
    earliestKnown_ = true;
    farEarliest_ = INT64_MAX;
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
    for (uint64_t m = 0; m < n && r.ok(); ++m) {
      FarEntry e;
      e.id = r.u32();
      e.generation = r.u32();
      e.due = r.time();
      if (!r.ok() || e.due <= now_) {  // far entries are all still ahead
        r.fail();
        break;
      }
      placeFar(e);
      ++pending_;
    }
    // Every entry counts as pending until it fires: a count that disagrees
    // would keep advance() stepping second by second with nothing to fire.
    if (pending_ != pending) r.fail();
    return r.ok();
  }

 private:
  struct Entry {  // in a bucket, due at the bucket's second
    uint32_t id;
    uint32_t generation;
  };
  struct FarEntry {  // in a page or the list beyond the pages
    uint32_t id;
    uint32_t generation;
    int64_t due;
  };
  static constexpr uint32_t kPerChunk = 8, kPerFarChunk = 4;
  union Chunk {  // one cache line: a bucket's entries, or a page's
    Entry near[kPerChunk];
    FarEntry far[kPerFarChunk];
  };
  static_assert(sizeof(Chunk) == 64);
  // The far wheel: pages of 1024 seconds, 2^16 of them (two years).
  static constexpr unsigned kPageBits = 10;
  static constexpr int64_t kPageSeconds = int64_t{1} << kPageBits;
  static constexpr int64_t kPages = int64_t{1} << 16;
  static_assert(kSlots % kPageSeconds == 0, "a lap is whole pages");
  static int64_t PageOf(int64_t t) { return t >> kPageBits; }  // floor, also before 1970
  // The first page a far entry can be in: entries due from the next second.
  static int64_t FirstFarPage(int64_t now) { return PageOf(now + 1); }

  // A slot of heads_ or farHeads_ packs its bucket: the first and the last
  // chunk (1 + the index, 28 bits each; 0 for none) and how many entries the
  // last one holds (every other chunk is full). Zero is an empty bucket.
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
  const Entry& entryAt(Cursor c) const { return chunks_[c.chunk - 1].near[c.at]; }
  const FarEntry& farAt(Cursor c) const { return chunks_[c.chunk - 1].far[c.at]; }
  // To the next entry of bucket b, whose chunks hold `perChunk` entries.
  void step(Cursor& c, const Bucket& b, uint32_t perChunk) const {
    if (c.chunk != b.last) {
      if (++c.at == perChunk) c = Cursor{links_[c.chunk - 1]};
    } else if (++c.at == b.lastCount) {
      c = Cursor{0};
    }
  }
  // Calls f on each entry of the bucket packed in `head`, in order.
  template <typename F>
  void forEachEntry(uint64_t head, F&& f) const {
    Bucket b = Unpack(head);
    for (Cursor c{b.first}; c.chunk; step(c, b, kPerChunk)) f(entryAt(c));
  }
  // Calls f on each far entry: page by page from the first, then beyond.
  template <typename F>
  void forEachFar(F&& f) const {
    for (int64_t p = farNext_, seen = 0; seen < static_cast<int64_t>(inPages_) && p - farNext_ < kPages; ++p) {
      Bucket b = Unpack(farHeads_[PageSlot(p)]);
      for (Cursor c{b.first}; c.chunk; step(c, b, kPerFarChunk), ++seen) f(farAt(c));
    }
    for (const FarEntry& e : beyond_) f(e);
  }

  // The second bucket i stands for: the next one after now_ with those low
  // bits (the bucket of now_ itself has fired and is empty between advances).
  int64_t dueOfBucket(size_t i) const {
    int64_t ahead = static_cast<int64_t>((i - static_cast<size_t>(now_)) & (kSlots - 1));
    return now_ + (ahead == 0 ? static_cast<int64_t>(kSlots) : ahead);
  }
  // Room for one more entry at the end of the bucket packed in `head`: the
  // chunk (1 + index) and the place in it. (Taking a chunk grows the pool,
  // not the arrays of heads.)
  Cursor grow(uint64_t& head, uint32_t perChunk) {
    Bucket b = Unpack(head);
    if (b.last == 0 || b.lastCount == perChunk) {
      uint32_t fresh = take();
      if (b.last == 0) b.first = fresh;
      else links_[b.last - 1] = fresh;
      b.last = fresh;
      b.lastCount = 0;
    }
    Cursor c{b.last, b.lastCount++};
    head = Pack(b);
    return c;
  }
  // Appends e to the bucket of second `due`.
  void append(int64_t due, Entry e) {
    if (heads_.empty()) heads_.assign(kSlots, 0);  // zero pages until a bucket is used
    Cursor c = grow(heads_[static_cast<size_t>(due) & (kSlots - 1)], kPerChunk);
    chunks_[c.chunk - 1].near[c.at] = e;
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

  // ---- the far entries: pages, then the list beyond them
  size_t farCount() const { return inPages_ + beyond_.size(); }
  static size_t PageSlot(int64_t page) { return static_cast<size_t>(page) & static_cast<size_t>(kPages - 1); }
  // Files e (due after now_, on a page from farNext_) on its page, or beyond
  // the pages when its page is two years or more past farNext_.
  void placeFar(const FarEntry& e) {
    int64_t page = PageOf(e.due);
    if (page - farNext_ < kPages) {
      if (farHeads_.empty()) farHeads_.assign(static_cast<size_t>(kPages), 0);  // zero pages until used
      Cursor c = grow(farHeads_[PageSlot(page)], kPerFarChunk);
      chunks_[c.chunk - 1].far[c.at] = e;
      ++inPages_;
    } else {
      beyond_.push_back(e);
      beyondEarliest_ = std::min(beyondEarliest_, e.due);
    }
    farEarliest_ = std::min(farEarliest_, e.due);
  }
  // Empties the page in farHeads_[slot]: its entries due before `limit` go
  // into the wheel, the others stay on it, in their order.
  void movePage(size_t slot, int64_t limit) {
    const Bucket b = Unpack(farHeads_[slot]);
    farHeads_[slot] = 0;
    uint64_t stay = 0;
    for (Cursor at{b.first}; at.chunk;) {
      FarEntry e = farAt(at);
      uint32_t done = at.chunk;
      step(at, b, kPerFarChunk);
      if (at.chunk != done) release(done);  // read whole: reusable by what follows
      if (e.due < limit) {
        append(e.due, {e.id, e.generation});
        --inPages_;
      } else {
        Cursor c = grow(stay, kPerFarChunk);
        chunks_[c.chunk - 1].far[c.at] = e;
      }
    }
    farHeads_[slot] = stay;
  }
  // Moves every far entry due within a lap of now_ into the wheel (at every
  // 1024-second mark, and after a jump), and the entries beyond the pages
  // that have come within their span onto them.
  void refill() {
    const int64_t limit = now_ + kSlots;  // due before it: within a lap
    const int64_t whole = PageOf(limit);  // the pages before it are due before the limit throughout
    for (int64_t p = farNext_; p < whole && inPages_; ++p)
      if (farHeads_[PageSlot(p)]) movePage(PageSlot(p), limit);
    farNext_ = std::max(farNext_, whole);  // (it is never past `whole`: this is the step to it)
    // The limit's own page, when it splits: only its entries due before the limit.
    if (inPages_ && (limit & (kPageSeconds - 1)) != 0 && farHeads_[PageSlot(farNext_)])
      movePage(PageSlot(farNext_), limit);
    if (!beyond_.empty() && PageOf(beyondEarliest_) - farNext_ < kPages) {
      std::vector<FarEntry> list;
      list.swap(beyond_);
      beyondEarliest_ = INT64_MAX;
      for (const FarEntry& e : list) {
        if (e.due < limit) {
          append(e.due, {e.id, e.generation});
        } else {
          placeFar(e);
        }
      }
    }
    earliestKnown_ = false;  // what moved may have been the earliest
  }
  // The earliest due among the far entries (INT64_MAX: none).
  int64_t farEarliest() {
    if (!earliestKnown_) {
      farEarliest_ = beyondEarliest_;
      // The first page with entries holds the earliest: pages are in due order.
      for (int64_t p = farNext_; inPages_ && p - farNext_ < kPages; ++p) {
        uint64_t head = farHeads_[PageSlot(p)];
        if (!head) continue;
        Bucket b = Unpack(head);
        for (Cursor c{b.first}; c.chunk; step(c, b, kPerFarChunk)) farEarliest_ = std::min(farEarliest_, farAt(c).due);
        break;
      }
      earliestKnown_ = true;
    }
    return farEarliest_;
  }

  int64_t now_;
  size_t pending_ = 0;
  // Second → its bucket, packed (see Bucket). The slots are made with the
  // first timer as zero pages, so a short run whose timers are spread over
  // a day touches only the pages of the seconds it uses.
  BigArray<uint64_t> heads_;
  BigArray<Chunk> chunks_;    // every bucket's and page's chunks; grown in place, never shrunk
  BigArray<uint32_t> links_;  // per chunk: the next chunk of its bucket, or of the free list (1 + index; 0: none)
  uint32_t freeChunks_ = 0;   // the first free chunk (1 + index; 0: none)
  // Page → its bucket of far entries, for the pages from farNext_ (every
  // page before it has moved into the wheel).
  BigArray<uint64_t> farHeads_;
  int64_t farNext_;
  size_t inPages_ = 0;               // far entries on pages
  std::vector<FarEntry> beyond_;     // due two years or more past farNext_
  int64_t beyondEarliest_ = INT64_MAX;
  int64_t farEarliest_ = INT64_MAX;  // the earliest far due, when earliestKnown_
  bool earliestKnown_ = true;
};

}  // namespace journey::vm

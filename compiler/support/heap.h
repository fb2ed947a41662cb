// heap.h — a heap that the kernel backs with 2 MiB pages, for journeyc.
//
// Checking a large journey allocates a few hundred thousand small objects
// (the parser's tokens and tree above all) in some 20 MB of fresh heap, and
// every first touch of a 4 KiB page is a page fault. On the virtual machines
// the product runs on a fault costs 10–15 µs: on a 1,000-node journey the
// 4,300 faults were more than half of `journeyc check`. Asking for
// transparent huge pages on the first 30 MiB of heap turns them into a few
// dozen (bench/README.md has the figures).
#pragma once

namespace journey {

// Call once, first thing in main. Allocations under 32 MiB then come from
// the main heap (glibc would otherwise move large ones to mmap at an
// adaptive threshold), freed memory is kept for reuse, and the heap's first
// 30 MiB are advised MADV_HUGEPAGE. Harmless where the kernel has
// transparent huge pages off or the allocator is not glibc's: the advice or
// the tuning is then ignored.
void UseHugePagesForHeap();

}  // namespace journey

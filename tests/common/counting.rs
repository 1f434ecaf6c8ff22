//! A global allocator that counts the allocations of the current thread, and
//! the bytes it holds, for tests showing that a path allocates nothing or
//! gives memory back (the harness runs tests on other threads at once).
//! Include it in one test binary with
//! `#[path = "common/counting.rs"] mod counting;`.

// A global allocator is an `unsafe impl`; nothing else here is unsafe.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread (negative if it
    /// frees what another thread allocated).
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: the thread-local may be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

fn note_bytes(change: isize) {
    let _ = LIVE_BYTES.try_with(|live| live.set(live.get() + change));
}

fn size(layout: Layout) -> isize {
    isize::try_from(layout.size()).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; counting touches only a const-initialised
// thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        note_bytes(size(layout));
        // SAFETY: the caller's guarantees for `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        note_bytes(size(layout));
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_bytes(-size(layout));
        // SAFETY: as in `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        note_bytes(isize::try_from(new_size).unwrap_or(isize::MAX) - size(layout));
        // SAFETY: as in `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The allocations (and reallocations) `f` makes on this thread.
pub(crate) fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// The bytes this thread holds now, counted from an arbitrary origin:
/// compare two readings.
#[allow(dead_code)] // not every test binary measures memory
pub(crate) fn live_bytes() -> isize {
    LIVE_BYTES.with(Cell::get)
}

//! The live event hub: numbered events go into a shared resumption buffer,
//! and every subscriber catches up from it at its own pace.
//!
//! Subscribers copy their events out under the lock and write to their
//! socket after releasing it, so a slow client never holds up the others;
//! one that falls behind the buffer is told to resynchronise.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use sse_proto::{Event, Resume, ResumeBuffer};

use crate::wire::push_event;

/// How many of the newest events a new (or resynchronised) subscriber gets.
const RECENT: usize = 8;

/// Shared between the producers and all subscribers.
#[derive(Debug)]
pub(crate) struct Hub {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    history: ResumeBuffer,
    next_id: u64,
    /// Bumped by [`Hub::drop_all`]: streams of an older generation end.
    generation: u64,
}

/// Where a subscriber is: the ID of the last event it was sent.
#[derive(Debug)]
pub(crate) struct Cursor {
    last: Option<String>,
    generation: u64,
}

impl Hub {
    pub(crate) fn new(max_events: usize, max_bytes: usize) -> Self {
        Self {
            state: Mutex::new(State {
                history: ResumeBuffer::new(max_events, max_bytes),
                next_id: 1,
                generation: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// Numbers an event, records it and wakes the subscribers.
    pub(crate) fn publish(&self, event_type: &str, data: &str) -> u64 {
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        state.history.push(&id.to_string(), event_type, data);
        drop(state);
        self.changed.notify_all();
        id
    }

    /// A cursor for a client that sent `Last-Event-ID` (or none). An empty
    /// one counts as none: the client is new, not one to tell it missed
    /// events.
    pub(crate) fn subscribe(&self, last_event_id: Option<&str>) -> Cursor {
        Cursor {
            last: last_event_id.filter(|id| !id.is_empty()).map(str::to_owned),
            generation: self.lock().generation,
        }
    }

    /// Appends to `out` every event the subscriber at `cursor` has not been
    /// sent yet, waiting up to `timeout` for one if there is none. Leaves
    /// `out` untouched when the wait ends with nothing new. Returns `false`
    /// when the stream must end (see [`Hub::drop_all`]).
    pub(crate) fn next_events(
        &self,
        cursor: &mut Cursor,
        out: &mut Vec<u8>,
        timeout: Duration,
    ) -> bool {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |state| {
                state.generation == cursor.generation
                    && cursor.last.as_deref() == state.history.newest_id()
            })
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.generation != cursor.generation {
            return false;
        }
        state.catch_up(cursor, out);
        true
    }

    /// Ends every stream now, as a network failure would: the browsers
    /// reconnect after the `retry` time and resume with `Last-Event-ID`.
    pub(crate) fn drop_all(&self) {
        self.lock().generation += 1;
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking producer leaves consistent state: keep serving.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn catch_up(&self, cursor: &mut Cursor, out: &mut Vec<u8>) {
        let Some(last) = cursor.last.as_deref() else {
            self.send_recent(cursor, out);
            return;
        };
        match self.history.resume(last) {
            Resume::Replay(missed) => {
                for event in missed {
                    send(cursor, out, event);
                }
            }
            Resume::Unknown => {
                let notice = format!(
                    "Event #{last} was not sent by this server (was it restarted?). \
                     Starting again from the newest."
                );
                push_event(out, "resync", None, &notice);
                self.send_recent(cursor, out);
            }
            Resume::Evicted => {
                let notice = format!(
                    "Events after #{last} are no longer in the server's history: some were \
                     missed. Starting again from the newest."
                );
                push_event(out, "resync", None, &notice);
                self.send_recent(cursor, out);
            }
        }
    }

    /// Sends the newest few events; the cursor moves to the newest event.
    fn send_recent(&self, cursor: &mut Cursor, out: &mut Vec<u8>) {
        let recent = self.history.iter();
        let skip = recent.len().saturating_sub(RECENT);
        for event in recent.skip(skip) {
            send(cursor, out, event);
        }
        cursor.last = self.history.newest_id().map(str::to_owned);
    }
}

fn send(cursor: &mut Cursor, out: &mut Vec<u8>, event: Event<'_>) {
    push_event(out, event.event_type, Some(event.id), event.data);
    let last = cursor.last.get_or_insert_with(String::new);
    last.clear();
    last.push_str(event.id);
}

//! The live event hub: numbered events are encoded once into the crate's
//! fan-out log, and every subscriber reads them from it at its own pace.
//!
//! Subscribers copy their next bytes out under the lock (a bounded amount at
//! a time) and write them to their socket after releasing it, so a slow
//! client never holds up the others; one the log has passed is told so and
//! carries on from the oldest event still held.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use sse_proto::{Cursor, EventId, EventLog, EventType, Lagged, Message, Resume};

use crate::wire::{event_type, push_event};

/// How many of the newest events a new subscriber gets, for context.
const RECENT: usize = 8;
const RESYNC: EventType<'static> = event_type("resync");

/// Shared between the producers and all subscribers.
#[derive(Debug)]
pub(crate) struct Hub {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    log: EventLog,
    /// Bumped by [`Hub::drop_all`]: streams of an older generation end.
    generation: u64,
}

/// Where a subscriber is: its cursor in the log, and the generation of
/// streams it belongs to.
#[derive(Debug)]
pub(crate) struct Subscriber {
    cursor: Cursor,
    generation: u64,
}

impl Hub {
    pub(crate) fn new(max_events: usize, max_bytes: usize) -> Self {
        Self {
            state: Mutex::new(State {
                log: EventLog::new(max_events, max_bytes),
                generation: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// Numbers an event, encodes it once into the log and wakes the
    /// subscribers. Returns its ID, or `None` if it is too large to hold.
    pub(crate) fn publish(&self, event_type: EventType<'_>, data: &str) -> Option<u64> {
        let message = Message::new(data).event_type(event_type);
        let id = self.lock().log.publish(message).ok()?;
        self.changed.notify_all();
        Some(id)
    }

    /// A subscriber for a client that sent `Last-Event-ID` (or none): the
    /// events after that one, or, if it cannot be resumed, a `resync` notice
    /// (appended to `out`) and as much history as makes sense. An empty ID
    /// counts as none: the client is new, not one that missed events.
    pub(crate) fn subscribe(&self, last_event_id: Option<&str>, out: &mut Vec<u8>) -> Subscriber {
        let state = self.lock();
        let log = &state.log;
        let last = last_event_id.filter(|id| !id.is_empty());
        let cursor = match last.map(|id| EventId::new(id).map(|id| log.resume(id))) {
            None => log.recent(RECENT),
            Some(Ok(Resume::Found(cursor))) => cursor,
            Some(Ok(Resume::Evicted)) => {
                let notice = format!(
                    "Events after #{} are no longer in the server's history: some were \
                     missed. Starting again from the oldest still held.",
                    last.unwrap_or_default()
                );
                push_event(out, RESYNC, &notice);
                log.oldest()
            }
            // Unknown, or not even a valid ID: not from this server's run.
            Some(_) => {
                let notice = format!(
                    "Event #{} was not sent by this server (was it restarted?). \
                     Starting again from the newest.",
                    last.unwrap_or_default()
                );
                push_event(out, RESYNC, &notice);
                log.recent(RECENT)
            }
        };
        Subscriber {
            cursor,
            generation: state.generation,
        }
    }

    /// Appends to `out` the next events `subscriber` has not been sent (at
    /// most about `max_bytes`, whole events), waiting up to `timeout` for
    /// one if there is none. Leaves `out` untouched when the wait ends with
    /// nothing new. Returns `false` when the stream must end (see
    /// [`Hub::drop_all`]).
    pub(crate) fn next_events(
        &self,
        subscriber: &mut Subscriber,
        out: &mut Vec<u8>,
        timeout: Duration,
        max_bytes: usize,
    ) -> bool {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |state| {
                state.generation == subscriber.generation
                    && state.log.is_caught_up(&subscriber.cursor)
            })
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.generation != subscriber.generation {
            return false;
        }
        let log = &state.log;
        match log.read(&mut subscriber.cursor, max_bytes) {
            Ok(batch) => batch.copy_into(out),
            Err(Lagged { missed }) => {
                let notice = format!(
                    "This stream fell behind: {missed} events were missed. \
                     Carrying on from the oldest still held."
                );
                push_event(out, RESYNC, &notice);
                subscriber.cursor = log.oldest();
                if let Ok(batch) = log.read(&mut subscriber.cursor, max_bytes) {
                    batch.copy_into(out);
                }
            }
        }
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

//! The connections being served, at most [`Connections::new`]'s `max` at
//! once. When all places are taken, a new connection does not get 503: it
//! takes the place of the oldest one still sending its request (idle or
//! slow-header sockets, the usual way to exhaust a server), or else of the
//! oldest one being answered (a client that never reads its stream holds its
//! place for ever otherwise). The evicted socket is shut down at once, which
//! ends its thread's blocked read or write; an `EventSource` reconnects and
//! resumes. So sockets that never make progress cannot lock others out;
//! they can only be recycled.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The registry of connections being served.
#[derive(Debug)]
pub(crate) struct Connections {
    live: Mutex<Registry>,
    max: usize,
}

#[derive(Debug)]
struct Registry {
    next_id: u64,
    /// Oldest first.
    entries: VecDeque<Entry>,
}

#[derive(Debug)]
struct Entry {
    id: u64,
    /// A handle on the socket, to shut it down when evicted.
    socket: TcpStream,
    /// Past its request: writing the response.
    responding: bool,
    evicted: Arc<AtomicBool>,
}

/// One admitted connection's place, given back when dropped (even if its
/// thread panics).
#[derive(Debug)]
pub(crate) struct Place {
    id: u64,
    evicted: Arc<AtomicBool>,
    connections: Arc<Connections>,
}

impl Connections {
    /// At most `max` connections served at once. Evicted ones whose thread
    /// has not finished yet count apart, up to `max` more: past that, new
    /// connections are refused.
    pub(crate) fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            live: Mutex::new(Registry {
                next_id: 0,
                entries: VecDeque::new(),
            }),
            max,
        })
    }

    /// A place for `socket`, evicting the oldest connection if all are
    /// taken; `None` when even evicting leaves too many threads alive.
    pub(crate) fn admit(self: &Arc<Self>, socket: &TcpStream) -> Option<Place> {
        let handle = socket.try_clone().ok()?;
        let mut registry = self.lock();
        if registry.entries.len() >= 2 * self.max {
            return None;
        }
        let active = registry.entries.iter().filter(|e| !e.is_evicted()).count();
        if active >= self.max {
            registry.evict_one();
        }
        let id = registry.next_id;
        registry.next_id += 1;
        let evicted = Arc::new(AtomicBool::new(false));
        registry.entries.push_back(Entry {
            id,
            socket: handle,
            responding: false,
            evicted: Arc::clone(&evicted),
        });
        Some(Place {
            id,
            evicted,
            connections: Arc::clone(self),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Registry {
    /// Evicts the oldest connection still reading its request, or else the
    /// oldest one being answered.
    fn evict_one(&mut self) {
        let live = |e: &&Entry| !e.is_evicted();
        let victim = self
            .entries
            .iter()
            .filter(live)
            .find(|e| !e.responding)
            .or_else(|| self.entries.iter().find(live));
        if let Some(victim) = victim {
            victim.evicted.store(true, Ordering::SeqCst);
            let _ = victim.socket.shutdown(Shutdown::Both);
        }
    }
}

impl Entry {
    fn is_evicted(&self) -> bool {
        self.evicted.load(Ordering::SeqCst)
    }
}

impl Place {
    /// The request has been read: from now on the connection is evicted
    /// only after every one still reading its request.
    pub(crate) fn responding(&self) {
        let mut registry = self.connections.lock();
        if let Some(entry) = registry.entries.iter_mut().find(|e| e.id == self.id) {
            entry.responding = true;
        }
    }

    /// Whether a newer connection took this place: stop serving it.
    pub(crate) fn is_evicted(&self) -> bool {
        self.evicted.load(Ordering::SeqCst)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut registry = self.connections.lock();
        registry.entries.retain(|e| e.id != self.id);
    }
}

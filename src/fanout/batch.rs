//! What a subscriber takes out of the log in one read.

use alloc::collections::vec_deque;
use alloc::vec::Vec;
use core::iter::FusedIterator;

use super::{Entry, SharedBytes};

/// The encoded events one [`EventLog::read`](crate::EventLog::read) gave a
/// subscriber, oldest first: an iterator of shared chunks, each exactly what
/// [`Message::encode`](crate::Message::encode) wrote for one event.
///
/// Take them out while the log is locked (clone each chunk, or
/// [`copy_into`](Self::copy_into) a buffer), then write them after
/// releasing the lock, so that a slow socket holds up no one else.
///
/// ```
/// use sse_proto::{EventLog, Message};
///
/// let mut log = EventLog::new(10, 1024);
/// let mut cursor = log.subscribe();
/// log.publish(Message::new("a"))?;
/// log.publish(Message::new("b"))?;
/// let batch = log.read(&mut cursor, usize::MAX)?;
/// assert_eq!((batch.len(), batch.byte_len()), (2, 30));
/// let mut out = Vec::new();
/// batch.copy_into(&mut out);
/// assert_eq!(out, b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "the cursor has moved past these events: write them"]
pub struct Batch<'a, C> {
    entries: vec_deque::Iter<'a, Entry<C>>,
    /// Bytes of the chunks not yet yielded.
    bytes: usize,
}

impl<'a, C: SharedBytes> Batch<'a, C> {
    pub(super) fn new(entries: vec_deque::Iter<'a, Entry<C>>, bytes: usize) -> Self {
        Self { entries, bytes }
    }

    /// Whether the batch holds no event: the cursor was caught up.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// The bytes of the events not yet taken from the batch.
    #[must_use]
    pub fn byte_len(&self) -> usize {
        self.bytes
    }

    /// Appends the events not yet taken to `out`, growing it once.
    pub fn copy_into(self, out: &mut Vec<u8>) {
        out.reserve(self.bytes);
        for chunk in self {
            out.extend_from_slice(chunk.as_ref());
        }
    }
}

impl<'a, C: SharedBytes> Iterator for Batch<'a, C> {
    type Item = &'a C;

    fn next(&mut self) -> Option<&'a C> {
        let entry = self.entries.next()?;
        self.bytes -= entry.len();
        Some(&entry.chunk)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl<C: SharedBytes> ExactSizeIterator for Batch<'_, C> {}
impl<C: SharedBytes> FusedIterator for Batch<'_, C> {}

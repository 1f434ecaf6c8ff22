//! The server's event-stream output that does not go through the hub's log:
//! notices to one client, comments and retries, written by the crate's
//! encoder into a buffer the caller then writes to the socket.

use sse_proto::{Comment, EventType, Message, Retry};

/// The headers of every event-stream response (`Content-Type`,
/// `Cache-Control`, `X-Accel-Buffering`), from the crate.
pub(crate) use sse_proto::headers::RESPONSE as STREAM_HEADERS;

/// An event type known when the server is built, checked at compile time.
pub(crate) const fn event_type(name: &'static str) -> EventType<'static> {
    match EventType::new(name) {
        Ok(event_type) => event_type,
        Err(_) => panic!("not a valid event type"),
    }
}

/// Appends one event without an ID, so the client's last event ID stays
/// the last one it got from the log.
pub(crate) fn push_event(out: &mut Vec<u8>, event_type: EventType<'_>, data: &str) {
    Message::new(data).event_type(event_type).encode(out);
}

/// Appends a comment (a heartbeat).
pub(crate) fn push_comment(out: &mut Vec<u8>, text: &str) {
    Comment::new(text).encode(out);
}

/// Appends a `retry` field: the client's reconnection time.
pub(crate) fn push_retry(out: &mut Vec<u8>, ms: u64) {
    Retry::from_millis(ms).encode(out);
}

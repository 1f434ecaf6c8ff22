//! The server's event-stream output: every event, comment and retry it
//! sends is written here, by the crate's encoder, into a buffer the caller
//! then writes to the socket (so a subscriber can fill it under the hub's
//! lock and write it after releasing the lock).

use sse_proto::{Comment, EncodeError, EventId, EventType, Message, Retry};

/// The headers of every event-stream response (`Content-Type`,
/// `Cache-Control`, `X-Accel-Buffering`), from the crate.
pub(crate) use sse_proto::headers::RESPONSE as STREAM_HEADERS;

/// Appends one event; `id`, when given, becomes the client's last event ID.
///
/// An event type or ID that no stream can carry (a line break, an empty
/// type, a NUL in an ID) is never written: a comment saying why takes the
/// event's place, and clients ignore it. The demo's types and IDs are all
/// valid.
pub(crate) fn push_event(out: &mut Vec<u8>, event_type: &str, id: Option<&str>, data: &str) {
    match message(event_type, id, data) {
        Ok(message) => message.encode(out),
        Err(error) => push_comment(out, &format!("event not sent: {error}")),
    }
}

fn message<'a>(
    event_type: &'a str,
    id: Option<&'a str>,
    data: &'a str,
) -> Result<Message<'a>, EncodeError> {
    let message = Message::new(data).event_type(EventType::new(event_type)?);
    Ok(match id {
        Some(id) => message.id(EventId::new(id)?),
        None => message,
    })
}

/// Appends a comment (a heartbeat).
pub(crate) fn push_comment(out: &mut Vec<u8>, text: &str) {
    Comment::new(text).encode(out);
}

/// Appends a `retry` field: the client's reconnection time.
pub(crate) fn push_retry(out: &mut Vec<u8>, ms: u64) {
    Retry::from_millis(ms).encode(out);
}

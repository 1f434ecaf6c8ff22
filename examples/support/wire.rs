//! The server's event-stream output: every event, comment and retry it
//! sends is written here.
//!
//! TEMPORARY: a private stand-in until the crate's encoder lands on main;
//! then these functions call it.

/// The headers of every event-stream response.
pub(crate) const STREAM_HEADERS: [(&str, &str); 3] = [
    ("Content-Type", "text/event-stream"),
    ("Cache-Control", "no-cache"),
    ("X-Accel-Buffering", "no"),
];

/// Appends one event. `event_type` `"message"` is left implicit; `id` is
/// written when given.
pub(crate) fn push_event(out: &mut Vec<u8>, event_type: &str, id: Option<&str>, data: &str) {
    if event_type != "message" {
        push_field(out, "event", event_type);
    }
    if let Some(id) = id {
        push_field(out, "id", id);
    }
    for line in data.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
        push_field(out, "data", line);
    }
    out.push(b'\n');
}

/// Appends a comment (a heartbeat).
pub(crate) fn push_comment(out: &mut Vec<u8>, text: &str) {
    for line in text.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
        push_field(out, "", line);
    }
}

/// Appends a `retry` field.
pub(crate) fn push_retry(out: &mut Vec<u8>, ms: u64) {
    push_field(out, "retry", &ms.to_string());
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.push(b'\n');
}

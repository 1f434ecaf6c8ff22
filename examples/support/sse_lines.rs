//! The canonical event-stream output of `sse-dump --format sse`: parsed
//! frames written back with the encoder.

use sse_proto::{Comment, EventId, EventType, Frame, Message, Retry};

/// Re-encodes frames, remembering the last event ID it wrote so that an
/// `id:` line appears exactly when the ID changes.
#[derive(Debug, Default)]
pub(crate) struct SseLines {
    last_id: String,
}

impl SseLines {
    /// Appends the canonical encoding of one parsed frame.
    ///
    /// The parser never yields what the encoder refuses (its lines hold no
    /// CR or LF, it ignores IDs with U+0000, and an empty event type comes
    /// out as `message`), so the validations cannot fail here.
    pub(crate) fn push(&mut self, out: &mut String, frame: Frame<'_>) {
        match frame {
            Frame::Event(event) => {
                let mut message = Message::new(event.data);
                let event_type = EventType::new(event.event_type).expect("parsed event type");
                message = message.event_type(event_type);
                if event.id != self.last_id {
                    message = message.id(EventId::new(event.id).expect("parsed event id"));
                    event.id.clone_into(&mut self.last_id);
                }
                message.encode(out);
            }
            Frame::Retry(time) => Retry::new(time).encode(out),
            Frame::Comment(text) => Comment::new(text).encode(out),
            // A kind of frame this version does not know: the stream it
            // came from meant nothing a client acts on.
            _ => {}
        }
    }
}

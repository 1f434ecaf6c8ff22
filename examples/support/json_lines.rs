//! The JSON-lines output shared by `sse-dump` and the client example: one
//! JSON object per frame, strings escaped as JSON requires.

use std::fmt::Write as _;

use sse_proto::{Frame, ParseError};

/// Appends `text` as a JSON string literal.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends one JSON line for a frame or an error.
pub(crate) fn push_json_line(out: &mut String, item: Result<Frame<'_>, ParseError>) {
    match item {
        Ok(Frame::Event(event)) => {
            out.push_str("{\"type\":\"event\",\"event\":");
            push_json_string(out, event.event_type);
            out.push_str(",\"data\":");
            push_json_string(out, event.data);
            out.push_str(",\"id\":");
            push_json_string(out, event.id);
        }
        Ok(Frame::Retry(time)) => {
            let ms = time.as_millis();
            let _ = write!(out, "{{\"type\":\"retry\",\"ms\":{ms}");
        }
        Ok(Frame::Comment(text)) => {
            out.push_str("{\"type\":\"comment\",\"text\":");
            push_json_string(out, text);
        }
        Err(error) => {
            out.push_str("{\"type\":\"error\",\"message\":");
            push_json_string(out, &error.to_string());
        }
        // A kind of frame this version does not know: no line for it.
        Ok(_) => return,
    }
    out.push_str("}\n");
}

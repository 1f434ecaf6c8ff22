//! A reference model of the standard: deliberately plain, with no
//! performance tricks, so that it is obviously right. It is the oracle the
//! real parser is checked against (property tests and fuzz targets).
//!
//! It transcribes WHATWG HTML "Parsing an event stream" and "Interpreting an
//! event stream" step by step: decode the whole input, split it into lines,
//! interpret each line. It has no limits.

use std::time::Duration;

use sse_proto::{OwnedEvent, OwnedFrame};

/// What the reference model says a whole stream means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Every frame, in stream order.
    pub frames: Vec<OwnedFrame>,
    /// The last event ID string at the end of the stream.
    pub last_event_id: String,
    /// The reconnection time at the end of the stream, if one was set.
    pub reconnection_time: Option<Duration>,
}

/// Parses a whole stream. `last_event_id` is the ID a resuming client starts
/// with; `comments` says whether comments are reported.
pub fn parse(input: &[u8], last_event_id: &str, comments: bool) -> Outcome {
    // "Streams must be decoded using the UTF-8 decode algorithm": invalid
    // sequences become U+FFFD, and one leading BOM is dropped.
    let text = String::from_utf8_lossy(input);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);

    let mut model = Model {
        frames: Vec::new(),
        data: String::new(),
        event_type: String::new(),
        id_buffer: last_event_id.to_owned(),
        last_event_id: last_event_id.to_owned(),
        reconnection_time: None,
        comments,
    };
    for line in complete_lines(text) {
        model.line(&line);
    }
    // "Once the end of the file is reached, any pending data must be
    // discarded": the unterminated last line was never returned.
    Outcome {
        frames: model.frames,
        last_event_id: model.last_event_id,
        reconnection_time: model.reconnection_time,
    }
}

/// Splits `text` into lines ended by CRLF, LF or CR. A last line with no
/// terminator is not a line and is left out.
fn complete_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut line));
            }
            '\n' => lines.push(std::mem::take(&mut line)),
            c => line.push(c),
        }
    }
    lines
}

struct Model {
    frames: Vec<OwnedFrame>,
    data: String,
    event_type: String,
    id_buffer: String,
    last_event_id: String,
    reconnection_time: Option<Duration>,
    comments: bool,
}

impl Model {
    fn line(&mut self, line: &str) {
        if line.is_empty() {
            // "If the line is empty (a blank line): Dispatch the event."
            self.dispatch();
        } else if let Some(comment) = line.strip_prefix(':') {
            // "If the line starts with a U+003A COLON character (:): Ignore
            // the line." (We report it, one leading space removed.)
            if self.comments {
                let text = comment.strip_prefix(' ').unwrap_or(comment);
                self.frames.push(OwnedFrame::Comment(text.to_owned()));
            }
        } else if let Some((field, value)) = line.split_once(':') {
            // "If value starts with a U+0020 SPACE character, remove it."
            let value = value.strip_prefix(' ').unwrap_or(value);
            self.field(field, value);
        } else {
            // "Using the whole line as the field name, and the empty string
            // as the field value."
            self.field(line, "");
        }
    }

    fn field(&mut self, name: &str, value: &str) {
        match name {
            "event" => self.event_type = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            // "If the field value does not contain U+0000 NULL, then set the
            // last event ID buffer to the field value. Otherwise, ignore."
            "id" if !value.contains('\0') => self.id_buffer = value.to_owned(),
            // "If the field value consists of only ASCII digits, then
            // interpret the field value as an integer in base ten." Values
            // too large for u64 are ignored (our decision, as Chromium).
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    let time = Duration::from_millis(ms);
                    self.reconnection_time = Some(time);
                    self.frames.push(OwnedFrame::Retry(time));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        // 1. "Set the last event ID string of the event source to the value
        //    of the last event ID buffer."
        self.last_event_id = self.id_buffer.clone();
        // 2. "If the data buffer is an empty string, set the data buffer and
        //    the event type buffer to the empty string and return."
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // 3. "If the data buffer's last character is a U+000A LINE FEED (LF)
        //    character, then remove the last character from the data buffer."
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        // 4-6. The event's type is the event type buffer, or "message".
        let event_type = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            self.event_type.clone()
        };
        self.frames.push(OwnedFrame::Event(OwnedEvent {
            event_type,
            data: std::mem::take(&mut self.data),
            id: self.last_event_id.clone(),
        }));
        // 7. "Set the data buffer and the event type buffer to the empty
        //    string."
        self.event_type.clear();
    }
}

//! Helpers for the cases ported from other suites (web-platform-tests,
//! other implementations' tests, bugs other crates shipped): the shapes of
//! their servers' bodies and of their observations.

use super::{assert_every_chunking, parse_chunks, Items};
use core::time::Duration;
use sse_proto::{Config, OwnedFrame, ParseError, Parser, ResponseAction};

/// A `retry` frame of `ms` milliseconds.
pub fn retry(ms: u64) -> OwnedFrame {
    OwnedFrame::Retry(Duration::from_millis(ms))
}

/// The body web-platform-tests' `resources/message.py` sends for `message`:
/// the message, then "\n\n" unless `newline=none`, then "\n".
pub fn message_py(message: &[u8], newline_none: bool) -> Vec<u8> {
    let mut body = message.to_vec();
    if !newline_none {
        body.extend_from_slice(b"\n\n");
    }
    body.push(b'\n');
    body
}

/// `name: message.py message [, newline=none] => [frames];` — a test that the
/// body `message.py` sends for that message parses to these frames however it
/// is chunked.
#[allow(unused_macros)]
macro_rules! message_py {
    ($($(#[$attr:meta])* $name:ident: $message:expr $(, $none:ident)? => [$($frame:expr),* $(,)?];)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                let none = false $(|| stringify!($none) == "newline_none")?;
                let body = $crate::common::ported::message_py(AsRef::<[u8]>::as_ref($message), none);
                $crate::common::assert_frames(&body, &[$($frame),*]);
            }
        )*
    };
}

/// web-platform-tests' `resources/last-event-id.py` with `idvalue`.
pub fn last_event_id_py(idvalue: &str) -> impl FnMut(Option<&str>) -> Vec<u8> + '_ {
    move |last_event_id| match last_event_id {
        Some(id) => format!("data: {id}\n\n").into_bytes(),
        None => format!("id: {idvalue}\nretry: 200\ndata: hello\n\n").into_bytes(),
    }
}

/// How a browser-mode session judges a 200 with this `Content-Type`.
pub fn judge_content_type(content_type: &str) -> ResponseAction {
    super::browser::judge_content_type(content_type)
}

/// `assert_frames` with comments turned off: for sources that observe only
/// events and retries.
pub fn assert_events(input: &[u8], expected: &[OwnedFrame]) {
    let expected: Vec<_> = expected.iter().cloned().map(Ok).collect();
    assert_every_chunking(&Config::default().comments(false), input, &expected);
}

/// Feeds `chunks` to `parser` without finishing; returns the frames.
pub fn feed(parser: &mut Parser, chunks: &[&[u8]]) -> Vec<OwnedFrame> {
    let mut frames = Vec::new();
    for chunk in chunks {
        for item in parser.frames(chunk) {
            frames.push(item.expect("no limit in these tests"));
        }
    }
    frames
}

/// rexxars/eventsource-parser's closing `done` event, with `id`.
pub fn done(id: &str) -> OwnedFrame {
    super::event("done", "\u{2714}", id)
}

/// `formatEvent({event: 'done', data: '✔'})` in eventsource-parser's
/// fixtures.ts.
pub const DONE: &str = "event: done\ndata: \u{2714}\n\n";

/// Feeds `chunks` to a fresh parser, finishes, and requires no errors.
pub fn frames_of<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<OwnedFrame> {
    let items: Items = parse_chunks(&mut Parser::new(), chunks);
    items
        .into_iter()
        .map(|item| item.expect("no error expected"))
        .collect()
}

/// Feeds one chunk without finishing the stream; what that call gave.
pub fn feed_now(parser: &mut Parser, chunk: &[u8]) -> Vec<Result<OwnedFrame, ParseError>> {
    parser.frames(chunk).collect()
}

//! What `sse-dump` does with its input, apart from reading and printing:
//! shared by the example and its tests.

use sse_proto::Parser;

use crate::json_lines::push_json_line;
use crate::sse_lines::SseLines;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// One JSON object per frame (and per error).
    Json,
    /// A canonical event stream.
    Sse,
}

/// What `sse-dump` prints: `stdout`, and in the `sse` format, one message per
/// dropped event for stderr (JSON reports them in its output).
#[derive(Debug, Default)]
pub(crate) struct Dumped {
    pub(crate) stdout: String,
    pub(crate) stderr: Vec<String>,
}

/// Parses `bytes`, fed `chunk` bytes at a time, and formats every frame.
///
/// In the `sse` format an event dropped for exceeding the size limit is
/// left out of the stream, since nothing of it remains to write (a comment
/// in its place would be a frame the input did not have); its error goes to
/// stderr. So `sse-dump --format sse < X | sse-dump` prints what
/// `sse-dump < X` prints, except for those error lines, and an ID read in a
/// dropped event shows up with the next event.
pub(crate) fn dump(bytes: &[u8], chunk: usize, format: Format) -> Dumped {
    let mut parser = Parser::new();
    let mut sse = SseLines::default();
    let mut dumped = Dumped::default();
    for mut input in bytes.chunks(chunk.max(1)) {
        loop {
            match (parser.feed(&mut input), format) {
                (Ok(None), _) => break,
                (Ok(Some(frame)), Format::Json) => push_json_line(&mut dumped.stdout, Ok(frame)),
                (Ok(Some(frame)), Format::Sse) => sse.push(&mut dumped.stdout, frame),
                (Err(error), Format::Json) => push_json_line(&mut dumped.stdout, Err(error)),
                (Err(error), Format::Sse) => dumped.stderr.push(error.to_string()),
            }
        }
    }
    parser.finish();
    dumped
}

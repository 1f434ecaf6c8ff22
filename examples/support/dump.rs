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

/// `sse-dump`'s parser and formatter, fed the input a chunk at a time, so
/// that a stream of any length is dumped in bounded memory.
///
/// In the `sse` format an event dropped for exceeding the size limit is
/// left out of the stream, since nothing of it remains to write (a comment
/// in its place would be a frame the input did not have); its error goes to
/// stderr. So `sse-dump --format sse < X | sse-dump` prints what
/// `sse-dump < X` prints, except for those error lines, and an ID read in a
/// dropped event shows up with the next event.
pub(crate) struct Dumper {
    parser: Parser,
    sse: SseLines,
    format: Format,
}

impl Dumper {
    pub(crate) fn new(format: Format) -> Self {
        Self {
            parser: Parser::new(),
            sse: SseLines::default(),
            format,
        }
    }

    /// Parses the next chunk of input and formats, into `dumped`, every
    /// frame it completes.
    pub(crate) fn feed(&mut self, mut input: &[u8], dumped: &mut Dumped) {
        loop {
            match (self.parser.feed(&mut input), self.format) {
                (Ok(None), _) => break,
                (Ok(Some(frame)), Format::Json) => push_json_line(&mut dumped.stdout, Ok(frame)),
                (Ok(Some(frame)), Format::Sse) => self.sse.push(&mut dumped.stdout, frame),
                (Err(error), Format::Json) => push_json_line(&mut dumped.stdout, Err(error)),
                (Err(error), Format::Sse) => dumped.stderr.push(error.to_string()),
            }
        }
    }

    /// The input has ended: what is left of an incomplete event is dropped.
    pub(crate) fn finish(&mut self) {
        self.parser.finish();
    }
}

/// Dumps all of `bytes`, fed `chunk` bytes at a time: what the tests check
/// the example's output against.
#[allow(dead_code)] // The example streams through `Dumper` itself.
pub(crate) fn dump(bytes: &[u8], chunk: usize, format: Format) -> Dumped {
    let mut dumper = Dumper::new(format);
    let mut dumped = Dumped::default();
    for input in bytes.chunks(chunk.max(1)) {
        dumper.feed(input, &mut dumped);
    }
    dumper.finish();
    dumped
}

//! The LLM-style endpoint: a POST body in, a reply streamed token by token
//! as `token` events, then one `done` event.

use std::io::{self, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use crate::http;
use crate::wire::{push_event, STREAM_HEADERS};

/// Streams each token as a `token` event, `delay` apart, flushing each so
/// the client sees it at once, then a `done` event with the token count.
pub(crate) fn stream_tokens(
    stream: &mut TcpStream,
    tokens: impl Iterator<Item = String>,
    delay: Duration,
) -> io::Result<()> {
    http::start_stream(stream, &STREAM_HEADERS)?;
    let mut out = Vec::new();
    let mut count = 0;
    for token in tokens {
        out.clear();
        push_event(&mut out, "token", None, &token);
        stream.write_all(&out)?;
        stream.flush()?;
        count += 1;
        thread::sleep(delay);
    }
    out.clear();
    push_event(&mut out, "done", None, &format!(r#"{{"tokens":{count}}}"#));
    stream.write_all(&out)?;
    stream.flush()
}

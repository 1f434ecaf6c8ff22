//! The LLM-style endpoint: a POST body in, a reply streamed token by token
//! as `token` events, then one `done` event.

use std::io;
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use sse_proto::io::EventWriter;
use sse_proto::{EventType, Message};

use crate::http;
use crate::wire::{event_type, STREAM_HEADERS};

const TOKEN: EventType<'static> = event_type("token");
const DONE: EventType<'static> = event_type("done");

/// Streams each token as a `token` event, `delay` apart, then a `done`
/// event with the token count. The crate's `EventWriter` flushes after each
/// event, so the client sees every token when it is sent.
pub(crate) fn stream_tokens(
    stream: &mut TcpStream,
    tokens: impl Iterator<Item = String>,
    delay: Duration,
) -> io::Result<()> {
    http::start_stream(stream, &STREAM_HEADERS)?;
    let mut events = EventWriter::new(stream);
    let mut count = 0;
    for token in tokens {
        events.send(&Message::new(&token).event_type(TOKEN))?;
        count += 1;
        thread::sleep(delay);
    }
    let summary = format!(r#"{{"tokens":{count}}}"#);
    events.send(&Message::new(&summary).event_type(DONE))
}

//! The benchmark workloads run through sse-proto and through other crates,
//! each with the thinnest adapter its API allows.
//!
//! Every adapter feeds the workload in fixed-size chunks, counts the events
//! it dispatches and their data bytes, and returns the [`Tally`]; nothing
//! else is done with the events. Borrowing APIs borrow the chunks; async
//! `Stream` APIs get a ready stream of borrowed chunks and are driven with
//! `futures::executor::block_on`, which never parks because every poll is
//! ready.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::executor::block_on;
use futures::io::{AsyncBufRead, AsyncRead};
use futures::stream::{self, Stream, StreamExt};

#[path = "../../support/workloads.rs"]
pub mod workloads;

use workloads::{Tally, Workload};

/// One implementation under test: its name and how to run a workload.
#[derive(Debug, Clone, Copy)]
pub struct Implementation {
    /// Crate name and version, as in the table.
    pub name: &'static str,
    /// Parses the workload in chunks of the given size.
    pub run: fn(&Workload, usize) -> Tally,
    /// The one workload it is measured on, if not all of them.
    pub only: Option<&'static str>,
}

impl Implementation {
    /// Whether the table has a row for it on `workload`.
    pub fn measures(&self, workload: &Workload) -> bool {
        self.only.is_none_or(|name| name == workload.name)
    }
}

/// Every implementation, sse-proto first.
pub const IMPLEMENTATIONS: &[Implementation] = &[
    Implementation {
        name: "sse-proto (for_each)",
        run: sse_proto_for_each,
        only: None,
    },
    Implementation {
        name: "sse-proto (try_for_each)",
        run: sse_proto_try_for_each,
        only: None,
    },
    Implementation {
        name: "sse-proto (feed)",
        run: sse_proto_feed,
        only: None,
    },
    Implementation {
        name: "sse-proto (for_each, no comments)",
        run: sse_proto_for_each_without_comments,
        only: Some("comments"),
    },
    Implementation {
        name: "sse-core 0.2.3",
        run: sse_core,
        only: None,
    },
    Implementation {
        name: "sse-parse 0.1.0",
        run: sse_parse,
        only: None,
    },
    Implementation {
        name: "sse-stream 0.3.0",
        run: sse_stream,
        only: None,
    },
    Implementation {
        name: "eventsource-stream 0.2.3",
        run: eventsource_stream,
        only: None,
    },
    Implementation {
        name: "async-sse 5.1.0",
        run: async_sse,
        only: None,
    },
];

/// The implementation whose name starts with `prefix`.
pub fn implementation(prefix: &str) -> Option<Implementation> {
    IMPLEMENTATIONS
        .iter()
        .copied()
        .find(|i| i.name.starts_with(prefix))
}

/// sse-proto's fastest borrowed path: `Parser::for_each` over
/// each chunk. The chunk's UTF-8 is validated once, and the loop over its
/// frames runs inside the parser.
#[inline(never)]
pub fn sse_proto_for_each(workload: &Workload, chunk: usize) -> Tally {
    for_each_with(sse_proto::Config::default(), workload, chunk)
}

/// [`sse_proto_for_each`] configured as the other crates behave: comments
/// dropped unread (`Config::comments(false)`), not handed out as frames.
/// Only the `comments` workload has any.
#[inline(never)]
pub fn sse_proto_for_each_without_comments(workload: &Workload, chunk: usize) -> Tally {
    for_each_with(
        sse_proto::Config::default().comments(false),
        workload,
        chunk,
    )
}

/// The body of the `for_each` adapters: inlined, so that
/// `benches/callgrind.sh` counts it under each adapter's own name.
#[inline(always)]
fn for_each_with(config: sse_proto::Config, workload: &Workload, chunk: usize) -> Tally {
    use sse_proto::{Frame, Parser};
    let mut parser = Parser::with_config(config);
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        parser.for_each(piece, |frame| {
            if let Frame::Event(event) = frame.expect("within limits") {
                tally.event(event.data.len());
            }
        });
    }
    parser.finish();
    tally
}

/// The same loop through `Parser::try_for_each`, with a closure that
/// would stop at an error (none comes).
#[inline(never)]
pub fn sse_proto_try_for_each(workload: &Workload, chunk: usize) -> Tally {
    use core::ops::ControlFlow;
    use sse_proto::{Frame, Parser};
    let mut parser = Parser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        let mut input = piece;
        let flow = parser.try_for_each(&mut input, |frame| match frame {
            Ok(Frame::Event(event)) => {
                tally.event(event.data.len());
                ControlFlow::Continue(())
            }
            Ok(_) => ControlFlow::Continue(()),
            Err(error) => ControlFlow::Break(error),
        });
        if let ControlFlow::Break(error) = flow {
            panic!("within limits: {error}");
        }
    }
    parser.finish();
    tally
}

/// sse-proto's borrowed path frame by frame: `Parser::feed` over each chunk.
#[inline(never)]
pub fn sse_proto_feed(workload: &Workload, chunk: usize) -> Tally {
    use sse_proto::{Frame, Parser};
    let mut parser = Parser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        let mut input = piece;
        while let Some(frame) = parser.feed(&mut input).expect("within limits") {
            if let Frame::Event(event) = frame {
                tally.event(event.data.len());
            }
        }
    }
    parser.finish();
    tally
}

/// sse-core: `SseDecoder::next` over each chunk as a `bytes::Buf`.
#[inline(never)]
pub fn sse_core(workload: &Workload, chunk: usize) -> Tally {
    use sse_core::{SseDecoder, SseEvent};
    let mut decoder = SseDecoder::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        let mut buf = piece;
        while let Some(event) = decoder.next(&mut buf) {
            if let Ok(SseEvent::Message(message)) = event {
                tally.event(message.data.len());
            }
        }
    }
    tally
}

/// sse-parse: `feed` each chunk, then drain `next_event`.
#[inline(never)]
pub fn sse_parse(workload: &Workload, chunk: usize) -> Tally {
    let mut parser = sse_parse::SseParser::new();
    let mut tally = Tally::default();
    for piece in workload.chunks(chunk) {
        parser.feed(piece);
        while let Some(event) = parser.next_event() {
            tally.event(event.data.len());
        }
    }
    parser.finish();
    while let Some(event) = parser.next_event() {
        tally.event(event.data.len());
    }
    tally
}

/// The chunks as an always-ready stream of borrowed slices.
fn chunk_stream<E>(workload: &Workload, chunk: usize) -> impl Stream<Item = Result<&[u8], E>> {
    stream::iter(workload.chunks(chunk).map(Ok))
}

/// sse-stream: `SseByteStream` over the chunk stream (`&[u8]` is a `Buf`).
#[inline(never)]
pub fn sse_stream(workload: &Workload, chunk: usize) -> Tally {
    let mut events = sse_stream::SseByteStream::new(chunk_stream::<io::Error>(workload, chunk));
    let mut tally = Tally::default();
    block_on(async {
        while let Some(item) = events.next().await {
            // It emits every block that has any field; only those with data
            // are events.
            if let Some(data) = item.expect("no transport errors").data {
                tally.event(data.len());
            }
        }
    });
    tally
}

/// eventsource-stream: the `Eventsource` extension over the chunk stream.
#[inline(never)]
pub fn eventsource_stream(workload: &Workload, chunk: usize) -> Tally {
    use eventsource_stream::Eventsource;
    let mut events = chunk_stream::<Infallible>(workload, chunk).eventsource();
    let mut tally = Tally::default();
    block_on(async {
        while let Some(item) = events.next().await {
            if let Ok(event) = item {
                tally.event(event.data.len());
            }
        }
    });
    tally
}

/// async-sse: `decode` over an `AsyncBufRead` that hands out one chunk per
/// fill, as a socket reader would.
#[inline(never)]
pub fn async_sse(workload: &Workload, chunk: usize) -> Tally {
    let reader = ChunkReader {
        bytes: &workload.bytes,
        pos: 0,
        chunk,
    };
    let mut events = async_sse::decode(reader);
    let mut tally = Tally::default();
    block_on(async {
        while let Some(item) = events.next().await {
            if let Ok(async_sse::Event::Message(message)) = item {
                tally.event(message.data().len());
            }
        }
    });
    tally
}

/// An in-memory reader whose buffer ends at the next chunk boundary.
struct ChunkReader<'a> {
    bytes: &'a [u8],
    pos: usize,
    chunk: usize,
}

impl ChunkReader<'_> {
    fn available(&self) -> &[u8] {
        let end = (self.pos / self.chunk + 1) * self.chunk;
        &self.bytes[self.pos..end.min(self.bytes.len())]
    }
}

impl AsyncRead for ChunkReader<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        out: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let available = self.available();
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n;
        Poll::Ready(Ok(n))
    }
}

impl AsyncBufRead for ChunkReader<'_> {
    fn poll_fill_buf(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        Poll::Ready(Ok(this.available()))
    }

    fn consume(mut self: Pin<&mut Self>, amt: usize) {
        self.pos += amt;
    }
}

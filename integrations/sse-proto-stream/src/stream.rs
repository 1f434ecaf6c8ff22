//! The `Stream` adapter: byte chunks in, frames out.

use core::any::Any;
use core::fmt;
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use futures_core::{FusedStream, Stream};
use sse_proto::{ParseError, Parser};

use crate::{Detacher, Event, Frame};

/// A parser with a [`Detacher`]: chunks of [`Bytes`] in, owned frames out.
///
/// The building block of [`FrameStream`], for code that receives chunks
/// some other way (a callback, a channel).
///
/// ```
/// use bytes::Bytes;
/// use sse_proto_stream::{Decoder, Frame};
///
/// let mut decoder = Decoder::new();
/// let mut frames = Vec::new();
/// for chunk in [&b"data: he"[..], b"llo\n\n: ping\n"] {
///     decoder.decode(&Bytes::copy_from_slice(chunk), |frame| frames.push(frame));
/// }
/// decoder.finish();
/// assert!(matches!(&frames[0], Ok(Frame::Event(event)) if event.data == "hello"));
/// assert!(matches!(&frames[1], Ok(Frame::Comment(text)) if text == "ping"));
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    parser: Parser,
    detacher: Detacher,
}

impl Decoder {
    /// A decoder with a default [`Parser`].
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder around `parser` (its configuration, a starting last event
    /// ID).
    #[must_use]
    pub fn with_parser(parser: Parser) -> Self {
        Self {
            parser,
            detacher: Detacher::new(),
        }
    }

    /// Parses `chunk`, the next bytes of the stream, calling `f` with each
    /// frame it completes, in order.
    ///
    /// A [`ParseError`] is reported in its place; parsing goes on after it
    /// (see the error's documentation).
    pub fn decode(&mut self, chunk: &Bytes, mut f: impl FnMut(Result<Frame, ParseError>)) {
        let detacher = &mut self.detacher;
        self.parser.for_each(chunk, |frame| match frame {
            Ok(frame) => {
                if let Some(frame) = detacher.frame(chunk, frame) {
                    f(Ok(frame));
                }
            }
            Err(error) => f(Err(error)),
        });
    }

    /// Ends the stream: an incomplete line and a partly built event are
    /// discarded, as the standard says. The last event ID and the
    /// reconnection time are kept.
    pub fn finish(&mut self) {
        self.parser.finish();
    }

    /// The parser (its last event ID, reconnection time, configuration).
    #[must_use]
    pub fn parser(&self) -> &Parser {
        &self.parser
    }
}

/// A failure of a [`FrameStream`]: the input stream's error, or a limit of
/// the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input stream yielded an error. The adapter passes it on and keeps
    /// polling the input, which decides whether more chunks follow.
    Transport(E),
    /// An event broke a parser limit and was dropped; parsing goes on.
    Parse(ParseError),
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(error) => write!(f, "reading the stream failed: {error}"),
            Self::Parse(error) => write!(f, "parsing the stream failed: {error}"),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Transport(error) => Some(error),
            Self::Parse(error) => Some(error),
        }
    }
}

/// A [`Stream`] of [`Frame`]s parsed from a [`Stream`] of byte chunks.
///
/// Any `Stream<Item = Result<B, E>>` where `B: AsRef<[u8]>` works: a
/// reqwest or hyper body's chunks, a file read by chunks, a channel. It
/// uses no runtime (no timers, no spawning, no IO of its own), so it runs
/// under tokio, smol, async-std or any executor.
///
/// Chunks of [`Bytes`] or `Vec<u8>` are taken as they are, and the frames'
/// text shares them (see [`Detacher`]); other chunk types are copied once
/// into a reused buffer. Frames are parsed a chunk at a time into a queue
/// that keeps its capacity, so a steady stream allocates nothing per event.
///
/// The stream ends when the input ends (after [`Parser::finish`]). Input
/// streams that are not [`Unpin`] can be pinned first with `Box::pin`.
///
/// ```
/// use futures_core::Stream;
/// use sse_proto_stream::{Frame, FrameStream};
/// # fn iter<T>(items: Vec<T>) -> impl Stream<Item = T> + Unpin {
/// #     struct S<T>(std::vec::IntoIter<T>);
/// #     impl<T> Unpin for S<T> {}
/// #     impl<T> Stream for S<T> {
/// #         type Item = T;
/// #         fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
/// #             std::task::Poll::Ready(self.0.next())
/// #         }
/// #     }
/// #     S(items.into_iter())
/// # }
/// # async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
/// #     std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
/// # }
///
/// # smol::block_on(async {
/// // Chunks as a body delivers them (here, a stream made from a list).
/// let body = iter(vec![Ok::<_, std::io::Error>(&b"data: a\n\nda"[..]), Ok(b"ta: b\n\n")]);
/// let mut frames = FrameStream::new(body);
/// let mut data = Vec::new();
/// while let Some(frame) = next(&mut frames).await {
///     if let Frame::Event(event) = frame? {
///         data.push(event.data);
///     }
/// }
/// assert_eq!(data, ["a", "b"]);
/// # Ok::<(), sse_proto_stream::Error<std::io::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct FrameStream<S> {
    input: S,
    decoder: Decoder,
    ready: VecDeque<Result<Frame, ParseError>>,
    /// Where chunks of other types than `Bytes` and `Vec<u8>` are copied.
    copies: BytesMut,
    ended: bool,
}

impl<S> FrameStream<S> {
    /// Parses `input` with a default [`Parser`].
    pub fn new(input: S) -> Self {
        Self::with_parser(input, Parser::new())
    }

    /// Parses `input` with `parser` (its configuration, a starting last
    /// event ID).
    pub fn with_parser(input: S, parser: Parser) -> Self {
        Self {
            input,
            decoder: Decoder::with_parser(parser),
            ready: VecDeque::new(),
            copies: BytesMut::new(),
            ended: false,
        }
    }

    /// Only the events, with comments and `retry` fields left out.
    pub fn events(self) -> EventStream<S> {
        EventStream { frames: self }
    }

    /// The parser (its last event ID and reconnection time so far).
    #[must_use]
    pub fn parser(&self) -> &Parser {
        self.decoder.parser()
    }

    /// The input stream back, and the parser (to carry its last event ID
    /// to the next connection).
    pub fn into_parts(self) -> (S, Parser) {
        (self.input, self.decoder.parser)
    }
}

impl<S, B, E> Stream for FrameStream<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]> + 'static,
{
    type Item = Result<Frame, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(frame) = this.ready.pop_front() {
                return Poll::Ready(Some(frame.map_err(Error::Parse)));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.input).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    let chunk = into_bytes(chunk, &mut this.copies);
                    let ready = &mut this.ready;
                    this.decoder.decode(&chunk, |frame| ready.push_back(frame));
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(Error::Transport(error)))),
                None => {
                    this.decoder.finish();
                    this.ended = true;
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // A chunk may hold any number of frames, or none.
        (self.ready.len(), self.ended.then_some(self.ready.len()))
    }
}

impl<S, B, E> FusedStream for FrameStream<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]> + 'static,
{
    fn is_terminated(&self) -> bool {
        self.ended && self.ready.is_empty()
    }
}

/// A [`FrameStream`] that yields only the events
/// ([`FrameStream::events`]).
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<S> {
    frames: FrameStream<S>,
}

impl<S> EventStream<S> {
    /// Parses `input` with a default [`Parser`], yielding only events.
    pub fn new(input: S) -> Self {
        FrameStream::new(input).events()
    }

    /// The parser (its last event ID and reconnection time so far).
    #[must_use]
    pub fn parser(&self) -> &Parser {
        self.frames.parser()
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]> + 'static,
{
    type Item = Result<Event, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let frames = &mut self.get_mut().frames;
        loop {
            match ready!(Pin::new(&mut *frames).poll_next(cx)) {
                Some(Ok(Frame::Event(event))) => return Poll::Ready(Some(Ok(event))),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<S, B, E> FusedStream for EventStream<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]> + 'static,
{
    fn is_terminated(&self) -> bool {
        self.frames.is_terminated()
    }
}

/// `chunk` as [`Bytes`]: `Bytes` and `Vec<u8>` as they are (the type is
/// looked up at run time, as there is no specialisation), anything else
/// copied into `copies`, whose block is reused once its frames are gone.
fn into_bytes<B: AsRef<[u8]> + 'static>(chunk: B, copies: &mut BytesMut) -> Bytes {
    let mut slot = Some(chunk);
    let any: &mut dyn Any = &mut slot;
    if let Some(bytes) = any.downcast_mut::<Option<Bytes>>().and_then(Option::take) {
        return bytes;
    }
    if let Some(vec) = any.downcast_mut::<Option<Vec<u8>>>().and_then(Option::take) {
        return Bytes::from(vec);
    }
    if let Some(bytes) = any
        .downcast_mut::<Option<BytesMut>>()
        .and_then(Option::take)
    {
        return bytes.freeze();
    }
    let Some(chunk) = slot else {
        return Bytes::new();
    };
    copies.extend_from_slice(chunk.as_ref());
    copies.split().freeze()
}

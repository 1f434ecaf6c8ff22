//! Server-Sent Events over any async byte stream: a [`Stream`] adapter on
//! [sse-proto](sse_proto)'s parser that turns chunks into frames, under any
//! runtime.
//!
//! [`FrameStream`] takes any `Stream` of `Result<impl AsRef<[u8]>, E>` (the
//! chunks of a reqwest or hyper body, a channel, a file read by chunks) and
//! yields [`Frame`]s; [`FrameStream::events`] only the [`Event`]s. It depends
//! on `futures-core` and `bytes`, uses no timer, spawns nothing and does no
//! IO, so it runs under tokio, smol, async-std or a bare executor.
//!
//! # No allocation per event
//!
//! Events own their text as [`Text`], UTF-8 in a shared [`Bytes`]: a value
//! that lies inside one chunk is a slice of that chunk (a reference count,
//! no copy); only a value that spans chunks is copied, into a block that
//! is reused once its events are dropped. The default event type is a
//! constant, and an ID or event type equal to the previous event's is the
//! same [`Text`]. So a steady stream allocates nothing per event, however
//! long it runs.
//!
//! ```
//! use bytes::Bytes;
//! use sse_proto_stream::{Event, FrameStream};
//! # use futures_core::Stream;
//! # async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
//! #     std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
//! # }
//! # struct Once(Option<Bytes>);
//! # impl Stream for Once {
//! #     type Item = Result<Bytes, std::io::Error>;
//! #     fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
//! #         std::task::Poll::Ready(self.0.take().map(Ok))
//! #     }
//! # }
//!
//! # smol::block_on(async {
//! let chunk = Bytes::from_static(b"event: delta\ndata: {\"token\":\"Hi\"}\n\n");
//! let body = Once(Some(chunk.clone())); // any Stream of Result<Bytes, E>
//! let mut events = FrameStream::new(body).events();
//! let event: Event = next(&mut events).await.unwrap()?;
//! assert_eq!(event.event_type, "delta");
//! assert_eq!(event.data, r#"{"token":"Hi"}"#);
//! // The data is the chunk's own memory: nothing was copied.
//! assert_eq!(event.data.as_ptr(), chunk[19..].as_ptr());
//! assert!(next(&mut events).await.is_none());
//! # Ok::<(), sse_proto_stream::Error<std::io::Error>>(())
//! # }).unwrap();
//! ```
//!
//! With reconnection, `Last-Event-ID` and timeouts, over HTTP: the
//! `sse-proto-reqwest` crate, built on this one.
//!
//! # Other entry points
//!
//! [`Decoder`] is the parser and the conversion without a stream, for
//! chunks that arrive some other way; [`Detacher`] is the conversion alone,
//! for loops that drive a [`sse_proto::Parser`] or [`sse_proto::Session`]
//! themselves.
//!
//! # MSRV
//!
//! Rust 1.81, as sse-proto.

#![forbid(unsafe_code)]
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]

mod frame;
mod stream;
mod text;

pub use bytes::Bytes;
pub use frame::{Detacher, Event, Frame};
pub use stream::{Decoder, Error, EventStream, FrameStream};
pub use text::Text;

#[doc(no_inline)]
pub use futures_core::Stream;
#[doc(no_inline)]
pub use sse_proto::{ParseError, Parser};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

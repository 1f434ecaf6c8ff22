//! Server-Sent Events for axum 0.8 on sse-proto's fan-out log: a
//! [`Channel`] to publish to from anywhere, and a [`Subscription`] per
//! client that resumes from its `Last-Event-ID`, sends heartbeats, survives
//! slow clients and ends on shutdown.
//!
//! # The common case
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use sse_proto::Message;
//! use sse_proto_axum::{Channel, Subscription};
//!
//! # async fn run() -> std::io::Result<()> {
//! let channel = Channel::new();
//! channel.publish(Message::new("hello")).expect("open channel");
//! let app = Router::new()
//!     .route("/events", get(|events: Subscription| async { events }))
//!     .with_state(channel);
//! axum::serve(tokio::net::TcpListener::bind("127.0.0.1:3000").await?, app).await
//! # }
//! ```
//!
//! # How it works
//!
//! [`Channel::publish`] encodes each event once ([`sse_proto::EventLog`])
//! into a ring of shared [`bytes::Bytes`] bounded by [`Config::max_events`]
//! and [`Config::max_bytes`], and wakes the subscribers. Each
//! [`Subscription`] holds only its position (8 bytes), a heartbeat schedule
//! and a timer; when polled it hands the server the next event's bytes,
//! shared with every other subscriber (an atomic increment, no copy), or
//! several waiting events copied into one chunk of at most
//! [`Config::max_chunk`] bytes.
//!
//! - **Resuming**: a held `Last-Event-ID` continues just after it; an
//!   unknown or evicted one first gets an event of type
//!   [`RESYNC_EVENT_TYPE`], then everything still held.
//! - **Slow clients**: a subscription is never a queue. A client that reads
//!   too slowly (or not at all) is passed by the ring and then resynchronised
//!   or closed ([`OnLag`]); a stuck one costs what its socket and the
//!   server's write buffer hold, and nothing more.
//! - **Heartbeats**: the comment `:` after [`Config::heartbeat`] of silence
//!   (15 s by default). The timer belongs to the stream, so it ends with it.
//! - **Disconnects**: the server drops a gone client's body, which counts it
//!   out of [`Channel::subscribers`].
//! - **Shutdown**: [`Channel::close`] ends every stream once it has sent
//!   what was already published; call it from axum's
//!   `with_graceful_shutdown` future.
//!
//! # Other servers
//!
//! A [`Subscription`] is a `Stream<Item = Result<Bytes, Infallible>>`: give
//! it to hyper (`http_body_util::StreamBody`) or any server that takes a
//! stream of bytes, with the headers in [`sse_proto::headers::RESPONSE`].

#![forbid(unsafe_code)]

mod channel;
mod config;
mod error;
mod response;
mod subscription;

pub use channel::Channel;
pub use config::{
    Config, OnLag, DEFAULT_HEARTBEAT, DEFAULT_MAX_BYTES, DEFAULT_MAX_CHUNK, DEFAULT_MAX_EVENTS,
};
pub use error::SendError;
pub use response::{LastEventId, LAST_EVENT_ID, X_ACCEL_BUFFERING};
pub use subscription::{Subscription, RESYNC_EVENT_TYPE};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

//! A reconnecting Server-Sent Events client on reqwest and tokio: GET or
//! POST with a body and headers per attempt, `Last-Event-ID`, the server's
//! `retry`, backoff with jitter, an idle timeout, and a [`Stream`] of events.
//!
//! [`EventSource`] carries out what an [`sse_proto::Session`] decides, so the
//! rules (which responses open, how long to wait, when to stop) are the
//! sans-IO core's, tested there; this crate adds the HTTP and the timers.
//! Events come from [`sse_proto_stream`]: their text shares the received
//! chunks, so the client allocates nothing per event.
//!
//! # Examples
//!
//! Streaming an LLM's answer (the README's `examples/llm.rs` also parses
//! the tokens out of the JSON):
//!
//! ```no_run
//! use sse_proto_reqwest::EventSource;
//!
//! # async fn run(url: &str, key: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let prompt = r#"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#;
//! let request = reqwest::Client::new().post(url).bearer_auth(key).body(prompt);
//! let mut events = EventSource::new(request.header("content-type", "application/json"))?;
//! while let Some(event) = events.next().await {
//!     let event = event?;
//!     if event.data == "[DONE]" {
//!         break;
//!     }
//!     println!("{}", event.data);
//! }
//! # Ok(()) }
//! ```
//!
//! # What it does
//!
//! - Every attempt sends the caller's request ([`EventSource::new`] clones a
//!   `RequestBuilder`; [`EventSource::with_requests`] makes a new one each
//!   time, for a renewed token) with `Accept: text/event-stream`,
//!   `Cache-Control: no-cache` and `Last-Event-ID`.
//! - Reconnects after the server's `retry` (bounded by the [`Policy`]),
//!   with exponential backoff and jitter for connections that keep failing,
//!   reset once one stays healthy; honours `Retry-After` on 5xx and 429.
//! - A POST (any non-idempotent method) whose response opened is not sent
//!   again when its stream ends, unless [`Policy::resend_after_open`]: an
//!   LLM prompt is not paid for twice.
//! - The idle timeout ([`Policy::idle_timeout`], 5 minutes by default) drops
//!   a connection that received nothing for that long, comments included,
//!   and reconnects.
//! - Stops cleanly on `204 No Content`; stops with [`Error::Refused`], which
//!   carries the status, headers and (bounded) body, on other refusals.
//! - Cancels by drop, or [`EventSource::close`]; [`EventSource::restart`]
//!   reconnects at once.
//! - Redirects are followed by reqwest (up to 10 by default; configure the
//!   client); a 3xx that reaches the session stops it.
//!
//! # TLS
//!
//! The default `rustls` feature is reqwest's: rustls with its default
//! provider (aws-lc-rs, which builds with a C compiler alone) and the
//! platform's certificate verifier, so https needs no system TLS library.
//! To use another provider, turn off default features, enable reqwest's
//! `rustls-no-provider` and install one before building a client.
//!
//! # MSRV
//!
//! Rust 1.85 (reqwest 0.13's).

#![forbid(unsafe_code)]

mod error;
mod random;
mod request;
mod source;

pub use error::{Error, Refused, REFUSED_BODY_LIMIT};
pub use source::{EventSource, Update};

#[doc(no_inline)]
pub use futures_core::Stream;
/// The reqwest this crate is built on, for building requests.
pub use reqwest;
#[doc(no_inline)]
pub use sse_proto::StopReason;
pub use sse_proto::{Mode, Parser, Policy};
pub use sse_proto_stream::{Event, Text};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

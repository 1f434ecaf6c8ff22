//! A sans-IO client session: what `EventSource` does around the parser.
//!
//! A [`Session`] validates responses, keeps the last event ID and the
//! server's `retry` across connections, works out the delay before each
//! reconnection (with backoff, and a range for jitter) and says when to stop
//! for good. It has no sockets, timers, clock or randomness: the caller
//! reports what happened, and when, and the session answers what to do next.
//!
//! # The loop
//!
//! 1. [`Session::request`]: what the next attempt sends (method, headers,
//!    `Last-Event-ID`), or `None` once the session has stopped. Send it, with
//!    the body if there is one, and report it with [`Session::on_request`].
//! 2. [`Session::on_response`] with the status and a few header values
//!    ([`Response`]): open, retry after a [`Delay`], or stop.
//! 3. While open, [`Session::for_each`] (fastest) or [`Session::feed`] the body
//!    bytes: frames come out. Drop the connection if it stays silent for
//!    [`Session::idle_timeout`].
//! 4. When the connection fails, times out or the body ends,
//!    [`Session::on_disconnect`]: the delay to wait before step 1, or stop.
//!
//! [`Session::restart`] drops a connection on purpose and reconnects soon;
//! [`Session::close`] stops for good at any time.
//!
//! # Time
//!
//! The session reads no clock: every call that needs time takes
//! `now: Duration`, the time on a monotonic clock since an origin the caller
//! picks (`start.elapsed()` with one `std::time::Instant` per session). Only
//! differences between `now` values count; a `now` earlier than one given
//! before is taken as equal to it.
//!
//! The idle (read) timeout is a value the caller applies itself
//! ([`Session::idle_timeout`], from [`Policy::idle_timeout`], 5 minutes by
//! default): a timer per read, reset by every chunk (comments and heartbeats
//! included), which every runtime has (`tokio::time::timeout`,
//! `TcpStream::set_read_timeout`). A deadline API (`poll_timeout` and
//! `handle_timeout`, as in quinn-proto) would need the time of every chunk
//! and one more call on the fastest path, to arrive where the runtime's
//! timer already is. When the timeout fires, drop the connection and call
//! [`Session::on_disconnect`], as for any broken body. Apply it while
//! waiting for the response head too: a server that accepts the connection
//! and never answers is as silent as a stalled stream.
//!
//! # Policy
//!
//! | response | [`Mode::Browser`] | [`Mode::Resilient`] (default) |
//! |---|---|---|
//! | 200, `Content-Type: text/event-stream` (any case, parameters, spaces) | open | open |
//! | 200, no `Content-Type` | stop ([`StopReason::ContentType`]) | open |
//! | 200, another `Content-Type` | stop ([`StopReason::ContentType`]) | stop ([`StopReason::ContentType`]) |
//! | 200 that would open, `Content-Encoding` not absent nor `identity` | stop ([`StopReason::ContentEncoding`]) | stop ([`StopReason::ContentEncoding`]) |
//! | 204 | stop ([`StopReason::NoContent`]) | stop ([`StopReason::NoContent`]) |
//! | 408, 429, 5xx | stop ([`StopReason::Status`]) | retry with backoff, honouring `Retry-After` |
//! | any other status (other 2xx, 1xx, 3xx, 4xx) | stop ([`StopReason::Status`]) | stop ([`StopReason::Status`]) |
//! | connection failed, or the body ended or broke | retry | retry |
//!
//! A normal end of the body is not an error: it reconnects, as in browsers
//! (except for a request that is not idempotent, below). `Retry-After` is
//! read as delta-seconds; an HTTP-date cannot be read without a clock, so it
//! is ignored (backoff applies): a caller with a clock may convert it to
//! seconds and pass those digits instead.
//!
//! **Redirects** are the HTTP layer's job (reqwest follows them by default);
//! a 3xx that reaches the session stops it with [`StopReason::Status`].
//!
//! **Compressed bodies**: pass `Content-Encoding` only when the HTTP layer
//! did not decode the body. A compressed body is never parsed as garbage:
//! the session stops with [`StopReason::ContentEncoding`].
//!
//! **Requests that are not idempotent** ([`Method::Post`], [`Method::Patch`],
//! see [`Method::is_idempotent`]): each attempt sends the body again, so the
//! caller must be able to re-create it. Before a response opens (the
//! connection failed, 5xx, 429) the request is retried by the table above.
//! Once a response opened, the request is not sent again: when its stream
//! ends, the session stops with [`StopReason::Ended`] (re-sending an LLM
//! prompt pays for the generation twice), unless
//! [`Policy::resend_after_open`] allows it.
//!
//! **`Last-Event-ID`**: [`Request::last_event_id`] leaves out an ID that an
//! HTTP layer may refuse (empty, or with a control character other than
//! tab), so that no request fails for ever; non-ASCII IDs are sent as UTF-8.
//!
//! # Delays
//!
//! Every delay is a [`Delay`]: a range `[shortest, longest]`. Wait
//! [`Delay::longest`] for plain doubling, or [`Delay::jittered`] with a
//! random value to spread clients over the range.
//!
//! - The *reconnection time* `base` is the server's latest `retry` (kept
//!   across connections) within `[min_delay, max_reconnection_time]`
//!   ([`Policy::min_delay`], 100 ms; [`Policy::max_reconnection_time`],
//!   10 minutes), else [`Policy::default_reconnection_time`] (3 s, as
//!   Chromium) raised to `min_delay`. So `retry: 0` cannot cause a reconnect
//!   storm, and a huge `retry` cannot park the client.
//! - The *cap* is [`Policy::max_delay`] (30 s), or `base` if that is larger.
//! - After a *healthy* connection, one that stayed open at least
//!   [`Policy::healthy_after`] (5 s): exactly `base`, as browsers do, and the
//!   failure count goes back to 0.
//! - After the n-th consecutive *failed* attempt (it did not connect, was
//!   refused with a retryable status, or opened but ended before
//!   `healthy_after`, even if events arrived): `[base, min(cap,
//!   base × 2^(n−1))]`. The first is exactly `base`; then the top doubles.
//! - After a retryable status with `Retry-After`: both ends raised to it,
//!   then cut to the cap.
//! - After [`Session::restart`]: exactly `min_delay`.
//!
//! So every delay lies within `[min_delay, cap]`.
//! [`Policy::max_retries`] and [`Policy::retry_budget`] stop the session
//! after that many consecutive failures were retried, or once a streak of
//! failures has lasted that long.
//!
//! # Example
//!
//! ```
//! use core::time::Duration;
//! use sse_proto::{DisconnectAction, Frame, Response, ResponseAction, Session};
//!
//! let mut session = Session::new();
//! let request = session.request().expect("not stopped");
//! assert_eq!(request.last_event_id(), None); // first attempt: no header
//! session.on_request(Duration::ZERO);
//!
//! // The server answers and sends two events, then hangs up after 10 s.
//! let ok = Response::new(200).content_type(Some("text/event-stream"));
//! assert_eq!(session.on_response(Duration::from_millis(20), &ok), ResponseAction::Open);
//! let mut body: &[u8] = b"retry: 500\nid: 7\ndata: hello\n\ndata: world\n\n";
//! let mut data = Vec::new();
//! while let Some(frame) = session.feed(&mut body)? {
//!     if let Frame::Event(event) = frame {
//!         data.push(event.data.to_owned());
//!     }
//! }
//! assert_eq!(data, ["hello", "world"]);
//! let DisconnectAction::Retry { delay } = session.on_disconnect(Duration::from_secs(10)) else {
//!     panic!("a GET reconnects")
//! };
//! assert_eq!(delay.longest(), Duration::from_millis(500));
//!
//! // After the delay: reconnect, resuming after event 7. The server says stop.
//! let now = Duration::from_millis(10_500);
//! assert_eq!(session.request().expect("not stopped").last_event_id(), Some("7"));
//! session.on_request(now);
//! let action = session.on_response(now, &Response::new(204));
//! assert!(matches!(action, ResponseAction::Stop { .. }));
//! assert!(session.request().is_none());
//! # Ok::<(), sse_proto::ParseError>(())
//! ```

mod action;
mod delay;
mod machine;
mod policy;
mod request;
mod response;

pub use action::{DisconnectAction, ResponseAction, State};
pub use delay::Delay;
pub use machine::Session;
pub use policy::{Mode, Policy, StopReason, DEFAULT_MAX_DELAY, DEFAULT_RECONNECTION_TIME};
pub use request::{Method, Request, RequestHeaders};
pub use response::Response;

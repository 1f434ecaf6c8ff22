//! The HTTP response headers an event-stream server sends, and why.
//!
//! ```
//! use sse_proto::headers;
//!
//! let mut head = String::from("HTTP/1.1 200 OK\r\n");
//! for (name, value) in headers::RESPONSE {
//!     head.push_str(&format!("{name}: {value}\r\n"));
//! }
//! assert!(head.contains("content-type: text/event-stream\r\n"));
//! ```
//!
//! Names are lowercase: HTTP/2 and HTTP/3 require it, HTTP/1.1 ignores case,
//! and the `http` crate's `HeaderName::from_static` accepts only lowercase.
//!
//! `Connection: keep-alive` is deliberately absent: it only means something
//! in HTTP/1.1 (where it is the default anyway), and HTTP/2 and HTTP/3
//! forbid the header, so a server that adds it unconditionally breaks those
//! clients.

/// `Content-Type` value. Clients (browsers' `EventSource` among them) fail
/// the connection for good when the type is anything else. Parameters such
/// as `; charset=utf-8` are allowed but add nothing: the stream is always
/// UTF-8.
pub const CONTENT_TYPE: &str = "text/event-stream";

/// `Cache-Control` value. Stops caches and proxies from storing the stream
/// or answering a reconnection from a stale copy.
pub const CACHE_CONTROL: &str = "no-cache";

/// `X-Accel-Buffering` value. nginx buffers proxied responses by default,
/// which holds events back until its buffer fills; this header turns that
/// off for the one response. Other proxies ignore it.
pub const X_ACCEL_BUFFERING: &str = "no";

/// The three headers above as `(name, value)` pairs, ready to send; the
/// names in lowercase.
pub const RESPONSE: [(&str, &str); 3] = [
    ("content-type", CONTENT_TYPE),
    ("cache-control", CACHE_CONTROL),
    ("x-accel-buffering", X_ACCEL_BUFFERING),
];

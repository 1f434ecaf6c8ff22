//! What the next attempt sends: [`Request`], its [`Method`] and headers.

/// The request method of a [`Session`](crate::Session), as far as the
/// session needs to know it: whether the request is safe to send again.
///
/// The caller keeps the real method name and the body; every attempt sends
/// the body again, so the caller must be able to re-create it.
///
/// ```
/// use sse_proto::session::Method;
///
/// assert_eq!(Method::from_name("POST"), Method::Post);
/// assert!(!Method::Post.is_idempotent());
/// assert!(Method::from_name("REPORT").is_idempotent());
/// assert_eq!(Method::from_name("post"), Method::Other { idempotent: false }); // case-sensitive
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Method {
    /// `GET`, what `EventSource` sends. Idempotent.
    #[default]
    Get,
    /// `POST`: not idempotent (an LLM prompt costs money each time).
    Post,
    /// `PUT`: idempotent.
    Put,
    /// `PATCH`: not idempotent.
    Patch,
    /// `DELETE`: idempotent.
    Delete,
    /// `REPORT` (RFC 3253, used by LaunchDarkly streams): idempotent.
    Report,
    /// Any other method, and whether it is safe to send again.
    Other {
        /// Whether sending the request twice has the effect of sending it
        /// once (RFC 9110 §9.2.2).
        idempotent: bool,
    },
}

impl Method {
    /// The method with this name, case-sensitive as RFC 9110 §9.1 says:
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `REPORT`; `HEAD`, `OPTIONS`
    /// and `TRACE` are [`Other`](Self::Other) and idempotent; any other name
    /// is `Other { idempotent: false }`.
    ///
    /// ```
    /// use sse_proto::session::Method;
    ///
    /// assert_eq!(Method::from_name("GET"), Method::Get);
    /// assert_eq!(Method::from_name("OPTIONS"), Method::Other { idempotent: true });
    /// assert_eq!(Method::from_name("QUERY!"), Method::Other { idempotent: false });
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Self {
        match name {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            "REPORT" => Self::Report,
            "HEAD" | "OPTIONS" | "TRACE" => Self::Other { idempotent: true },
            _ => Self::Other { idempotent: false },
        }
    }

    /// Whether the request may be sent again after its response opened
    /// without asking [`Policy::resend_after_open`](crate::Policy::resend_after_open).
    ///
    /// ```
    /// use sse_proto::session::Method;
    ///
    /// assert!(Method::Get.is_idempotent());
    /// assert!(!Method::Patch.is_idempotent());
    /// ```
    #[must_use]
    pub const fn is_idempotent(self) -> bool {
        match self {
            Self::Get | Self::Put | Self::Delete | Self::Report => true,
            Self::Post | Self::Patch => false,
            Self::Other { idempotent } => idempotent,
        }
    }
}

/// What to send on the next attempt, from
/// [`Session::request`](crate::Session::request): the stream's URL with
/// the session's [`method`](Self::method), the caller's body and these
/// [`headers`](Self::headers).
///
/// ```
/// use sse_proto::Session;
///
/// let session = Session::new();
/// let request = session.request().expect("a new session connects");
/// let headers: Vec<_> = request.headers().collect();
/// assert_eq!(headers, [("accept", "text/event-stream"), ("cache-control", "no-cache")]);
/// assert_eq!(request.attempt(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Request<'a> {
    method: Method,
    last_event_id: &'a str,
    attempt: u32,
}

impl<'a> Request<'a> {
    pub(crate) fn new(method: Method, last_event_id: &'a str, attempt: u32) -> Self {
        Self {
            method,
            last_event_id,
            attempt,
        }
    }

    /// The session's method (see [`Session::method`](crate::Session::method)).
    ///
    /// ```
    /// use sse_proto::session::Method;
    /// use sse_proto::Session;
    ///
    /// let session = Session::new().method(Method::Post);
    /// assert_eq!(session.request().unwrap().method(), Method::Post);
    /// ```
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// Which attempt this is: 1 for the first request of the session, then
    /// one more for each [`on_request`](crate::Session::on_request).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::Session;
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let _ = session.on_disconnect(Duration::ZERO);
    /// assert_eq!(session.request().unwrap().attempt(), 2);
    /// ```
    #[must_use]
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The `Last-Event-ID` value to send, `None` when there is none to send
    /// (the header is then left out, as browsers do).
    ///
    /// An ID is left out when it is empty, or when it holds a control
    /// character other than tab (U+0000 to U+001F, U+007F), which HTTP
    /// libraries refuse in a header value: sending it would make every
    /// attempt fail. Non-ASCII text is sent as UTF-8: build the header value
    /// from its bytes (for the `http` crate, `HeaderValue::from_bytes`).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Response, ResponseAction, Session};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(session.on_response(Duration::ZERO, &ok), ResponseAction::Open);
    /// session.feed(&mut &b"id: caf\xc3\xa9\ndata: x\n\n"[..])?;
    /// assert_eq!(session.request().unwrap().last_event_id(), Some("café"));
    /// session.feed(&mut &b"id: a\x01b\ndata: x\n\n"[..])?;
    /// assert_eq!(session.last_event_id(), "a\u{1}b"); // kept, but not sent
    /// assert_eq!(session.request().unwrap().last_event_id(), None);
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> Option<&'a str> {
        let id = self.last_event_id;
        let refused = |c: char| c.is_ascii_control() && c != '\t';
        let sendable = !id.is_empty() && !id.contains(refused);
        sendable.then_some(id)
    }

    /// The headers as `(name, value)` pairs, names in lowercase (as HTTP/2
    /// requires and `http::HeaderName::from_static` accepts):
    /// `accept: text/event-stream`, `cache-control: no-cache`, then
    /// `last-event-id` when there is one to send.
    ///
    /// ```
    /// use sse_proto::{EventId, Parser, Session};
    ///
    /// let parser = Parser::new().with_last_event_id(EventId::new("41")?);
    /// let session = Session::new().with_parser(parser);
    /// let request = session.request().unwrap();
    /// let mut head = String::from("GET /events HTTP/1.1\r\n");
    /// for (name, value) in request.headers() {
    ///     head.push_str(&format!("{name}: {value}\r\n"));
    /// }
    /// assert!(head.ends_with("no-cache\r\nlast-event-id: 41\r\n"));
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub fn headers(&self) -> RequestHeaders<'a> {
        RequestHeaders {
            last_event_id: self.last_event_id(),
            next: 0,
        }
    }
}

/// An iterator over the headers of a [`Request`], from
/// [`Request::headers`]: `(name, value)` pairs, names lowercase.
///
/// ```
/// use sse_proto::Session;
///
/// let session = Session::new();
/// let headers = session.request().unwrap().headers();
/// assert_eq!(headers.len(), 2); // no last event ID yet
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestHeaders<'a> {
    last_event_id: Option<&'a str>,
    next: u8,
}

impl<'a> Iterator for RequestHeaders<'a> {
    type Item = (&'static str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let header = match self.next {
            0 => ("accept", "text/event-stream"),
            1 => ("cache-control", "no-cache"),
            2 => ("last-event-id", self.last_event_id?),
            _ => return None,
        };
        self.next += 1;
        Some(header)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let total = 2 + usize::from(self.last_event_id.is_some());
        let left = total.saturating_sub(usize::from(self.next));
        (left, Some(left))
    }
}

impl ExactSizeIterator for RequestHeaders<'_> {}

impl core::iter::FusedIterator for RequestHeaders<'_> {}

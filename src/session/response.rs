//! The parts of a response head a [`Session`](crate::Session) judges.

/// The status and the header values of a response that decide whether the
/// stream opens, is retried or stops (see the policy table in the
/// [`session`](crate::session) module docs). Header values are given raw,
/// `None` when the header is absent.
///
/// ```
/// use sse_proto::Response;
///
/// let response = Response::new(503).retry_after(Some("10"));
/// assert_eq!(response.status, 503);
/// assert_eq!(response.content_type, None);
/// assert_eq!(response.retry_after, Some("10"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Response<'a> {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` value.
    pub content_type: Option<&'a str>,
    /// The `Content-Encoding` value, if the HTTP layer did not decode the
    /// body (a layer that decompresses should pass `None`).
    pub content_encoding: Option<&'a str>,
    /// The `Retry-After` value (delta-seconds are honoured; an HTTP-date
    /// is ignored, as it needs a clock).
    pub retry_after: Option<&'a str>,
}

impl<'a> Response<'a> {
    /// A response with this status and none of the headers.
    ///
    /// ```
    /// use sse_proto::Response;
    ///
    /// assert_eq!(Response::new(204).content_type, None);
    /// ```
    #[must_use]
    pub const fn new(status: u16) -> Self {
        Self {
            status,
            content_type: None,
            content_encoding: None,
            retry_after: None,
        }
    }

    /// Sets [`Response::content_type`].
    ///
    /// ```
    /// use sse_proto::Response;
    ///
    /// let ok = Response::new(200).content_type(Some("text/event-stream"));
    /// assert_eq!(ok.content_type, Some("text/event-stream"));
    /// ```
    #[must_use]
    pub const fn content_type(mut self, value: Option<&'a str>) -> Self {
        self.content_type = value;
        self
    }

    /// Sets [`Response::content_encoding`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::{Response, ResponseAction, Session, StopReason};
    ///
    /// let mut session = Session::new();
    /// session.on_request(Duration::ZERO);
    /// let gzip = Response::new(200).content_type(Some("text/event-stream")).content_encoding(Some("gzip"));
    /// let stop = ResponseAction::Stop { reason: StopReason::ContentEncoding };
    /// assert_eq!(session.on_response(Duration::ZERO, &gzip), stop);
    /// ```
    #[must_use]
    pub const fn content_encoding(mut self, value: Option<&'a str>) -> Self {
        self.content_encoding = value;
        self
    }

    /// Sets [`Response::retry_after`].
    ///
    /// ```
    /// use sse_proto::Response;
    ///
    /// assert_eq!(Response::new(429).retry_after(Some("2")).retry_after, Some("2"));
    /// ```
    #[must_use]
    pub const fn retry_after(mut self, value: Option<&'a str>) -> Self {
        self.retry_after = value;
        self
    }
}

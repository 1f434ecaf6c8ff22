//! The request headers for the next attempt.

/// What to send on the next attempt: a `GET` of the stream's URL with these
/// [`headers`](Self::headers).
///
/// ```
/// use sse_proto::Session;
///
/// let mut session = Session::new();
/// let request = session.next_request().expect("a new session connects");
/// let headers: Vec<_> = request.headers().collect();
/// assert_eq!(headers, [("Accept", "text/event-stream"), ("Cache-Control", "no-cache")]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    last_event_id: &'a str,
}

impl<'a> Request<'a> {
    pub(crate) fn new(last_event_id: &'a str) -> Self {
        Self { last_event_id }
    }

    /// The `Last-Event-ID` value to send, `None` when the last event ID is
    /// empty (the header is then left out, as browsers do).
    ///
    /// It never contains CR, LF or NUL, which would break the request head:
    /// no stream can set such an ID, and
    /// [`Parser::with_last_event_id`](crate::Parser::with_last_event_id)
    /// takes an [`EventId`](crate::EventId), which cannot hold one. It may contain other control characters and non-ASCII
    /// text, sent as UTF-8: build header values from its bytes (for the
    /// `http` crate, `HeaderValue::from_bytes`), and decide what to do if
    /// your HTTP library refuses one.
    ///
    /// ```
    /// use sse_proto::{EventId, Parser, Session};
    ///
    /// let parser = Parser::new().with_last_event_id(EventId::new("7").unwrap());
    /// let mut session = Session::new().with_parser(parser);
    /// assert_eq!(session.next_request().unwrap().last_event_id(), Some("7"));
    /// session.on_response(200, Some("text/event-stream"), None);
    /// session.feed(&mut &b"id:\ndata: x\n\n"[..])?; // the server resets the ID
    /// assert_eq!(session.next_request().unwrap().last_event_id(), None);
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    pub fn last_event_id(&self) -> Option<&'a str> {
        let id = self.last_event_id;
        let sendable = !id.is_empty() && !id.contains(['\r', '\n', '\0']);
        sendable.then_some(id)
    }

    /// The headers as `(name, value)` pairs: `Accept: text/event-stream`,
    /// `Cache-Control: no-cache`, then `Last-Event-ID` when there is one.
    ///
    /// ```
    /// use sse_proto::{EventId, Parser, Session};
    ///
    /// let parser = Parser::new().with_last_event_id(EventId::new("41").unwrap());
    /// let mut session = Session::new().with_parser(parser);
    /// let request = session.next_request().unwrap();
    /// let mut head = String::from("GET /events HTTP/1.1\r\n");
    /// for (name, value) in request.headers() {
    ///     head.push_str(&format!("{name}: {value}\r\n"));
    /// }
    /// assert!(head.ends_with("no-cache\r\nLast-Event-ID: 41\r\n"));
    /// ```
    pub fn headers(&self) -> Headers<'a> {
        Headers {
            last_event_id: self.last_event_id(),
            next: 0,
        }
    }
}

/// An iterator over the headers of a [`Request`], from
/// [`Request::headers`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Debug, Clone)]
pub struct Headers<'a> {
    last_event_id: Option<&'a str>,
    next: u8,
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'static str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let header = match self.next {
            0 => ("Accept", "text/event-stream"),
            1 => ("Cache-Control", "no-cache"),
            2 => ("Last-Event-ID", self.last_event_id?),
            _ => return None,
        };
        self.next += 1;
        Some(header)
    }
}

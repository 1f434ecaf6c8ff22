//! Parser configuration: limits and options, each with a documented default.

/// The default [`Config::max_event_size`]: 64 MiB (67 108 864 bytes).
///
/// Browsers have no limit at all, and LLM APIs send events of several
/// megabytes (base64 images), so the default is generous: it only stops a
/// hostile or broken server from exhausting memory. Lower it for small
/// devices, or raise it (or set `None`) for trusted peers.
///
/// ```
/// use sse_proto::{Config, DEFAULT_MAX_EVENT_SIZE};
///
/// assert_eq!(DEFAULT_MAX_EVENT_SIZE, 64 << 20);
/// assert_eq!(Config::default().max_event_size, Some(DEFAULT_MAX_EVENT_SIZE));
/// ```
pub const DEFAULT_MAX_EVENT_SIZE: usize = 64 * 1024 * 1024;

/// How a [`Parser`](crate::Parser) treats its input.
///
/// Build one with [`Config::default`] and the by-value setters:
///
/// ```
/// use sse_proto::{Config, Parser};
///
/// let config = Config::default().max_event_size(Some(1 << 20)).comments(false);
/// let parser = Parser::with_config(config);
/// assert_eq!(parser.config().max_event_size, Some(1 << 20));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Config {
    /// The most bytes one event may span: the lengths of all its lines from
    /// the previous blank line on, line terminators excluded (comments and
    /// unknown fields count too). `None` means unlimited.
    ///
    /// Default: `Some(67_108_864)` ([`DEFAULT_MAX_EVENT_SIZE`], 64 MiB).
    ///
    /// It is measured on the stream, not on chunks, so it gives the same
    /// answer however the input is split. Past it the parser reports
    /// [`ParseError::EventTooLarge`](crate::ParseError::EventTooLarge), drops
    /// the event and resumes at the next blank line.
    ///
    /// It bounds memory, to a multiple of it. The parser buffers what the
    /// event in progress needs (its data, event type and any cut line: at
    /// most the limit together), the text it hands out (up to three times
    /// as much where invalid UTF-8 becomes U+FFFD) and the last event ID.
    /// Buffers are kept for reuse at the largest size they reached, so
    /// after events near the limit the parser can hold about ten times it,
    /// a few tens of times for invalid UTF-8; but an event over 1 MiB
    /// leaves nothing behind: two blocks after it, each buffer keeps at
    /// most 1 MiB (apart from the last event ID). So with the default
    /// limit a hostile server can make the parser hold a few hundred MiB
    /// while such an event lasts, not for the rest of the stream.
    pub max_event_size: Option<usize>,
    /// Whether comment lines (`: text`) come out as
    /// [`Frame::Comment`](crate::Frame::Comment).
    ///
    /// Default: `true`. Browsers ignore comments; proxies and heartbeat
    /// monitors want them. When `false`, comments cost nothing: they are
    /// skipped without being buffered.
    pub comments: bool,
}

impl Config {
    /// The default configuration (same as [`Config::default`]).
    ///
    /// It is `const`, and so are the setters: a configuration can be a
    /// constant.
    ///
    /// ```
    /// use sse_proto::{Config, DEFAULT_MAX_EVENT_SIZE};
    ///
    /// const SMALL: Config = Config::new().max_event_size(Some(4096));
    /// assert_eq!(SMALL.max_event_size, Some(4096));
    /// assert!(SMALL.comments);
    /// assert_eq!(Config::new(), Config::default());
    /// assert_eq!(Config::new().max_event_size, Some(DEFAULT_MAX_EVENT_SIZE));
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_event_size: Some(DEFAULT_MAX_EVENT_SIZE),
            comments: true,
        }
    }

    /// Sets [`Config::max_event_size`]; `None` removes the limit.
    ///
    /// The limit counts whole lines, field names included: an event of
    /// exactly the limit passes.
    ///
    /// ```
    /// use sse_proto::{Config, Frame, ParseError, Parser};
    ///
    /// let mut parser = Parser::with_config(Config::new().max_event_size(Some(9)));
    /// let mut input: &[u8] = b"data: abc\n\ndata: abcd\n\n"; // lines of 9 and 10 bytes
    /// assert!(matches!(parser.feed(&mut input)?, Some(Frame::Event(e)) if e.data == "abc"));
    /// assert_eq!(parser.feed(&mut input), Err(ParseError::EventTooLarge { limit: 9 }));
    /// # Ok::<(), ParseError>(())
    /// ```
    #[must_use]
    pub const fn max_event_size(mut self, limit: Option<usize>) -> Self {
        self.max_event_size = limit;
        self
    }

    /// Sets [`Config::comments`].
    ///
    /// With `false`, comments come out as nothing, and a comment cut by the
    /// end of a chunk is not buffered.
    ///
    /// ```
    /// use sse_proto::{Config, Parser};
    ///
    /// let mut parser = Parser::with_config(Config::new().comments(false));
    /// let mut input: &[u8] = b": ping\n: a heartbeat cut o";
    /// assert_eq!(parser.feed(&mut input)?, None);
    /// assert_eq!(parser.buffered_len(), 0);
    /// # Ok::<(), sse_proto::ParseError>(())
    /// ```
    #[must_use]
    pub const fn comments(mut self, emit: bool) -> Self {
        self.comments = emit;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

//! What can go wrong, and what a refused response said.

use core::fmt;
use core::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use sse_proto::StopReason;

/// The most of a refused response's body that is kept: 64 KiB. Past it the
/// body is cut ([`Refused::body_truncated`]), so a server cannot make the
/// client buffer without bound.
pub const REFUSED_BODY_LIMIT: usize = 64 * 1024;

/// Why a connection failed, or why the event source stopped.
///
/// As the last item of an [`EventSource`](crate::EventSource) (or of
/// [`next_update`](crate::EventSource::next_update)) it says why the source
/// stopped; in
/// [`Update::Reconnecting`](crate::Update::Reconnecting) it says why a
/// connection ended before the source retries.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built: a bad URL or header value, or a body
    /// that cannot be sent twice (a stream) given to
    /// [`EventSource::new`](crate::EventSource::new).
    Request(reqwest::Error),
    /// The request builder's body cannot be cloned for a second attempt;
    /// use [`EventSource::with_requests`](crate::EventSource::with_requests).
    NotCloneable,
    /// Connecting, sending the request or reading the response failed.
    Transport(reqwest::Error),
    /// Nothing arrived for this long: the connection was dropped.
    IdleTimeout(Duration),
    /// The server answered with a response that is not an event stream:
    /// its status, headers and the start of its body.
    Refused(Box<Refused>),
    /// The session stopped retrying ([`StopReason::TooManyRetries`] or
    /// [`StopReason::RetryBudget`]); `last` is the failure before it.
    GaveUp {
        /// Why the session stopped.
        reason: StopReason,
        /// The failure of the last attempt, if it had one.
        last: Option<Box<Self>>,
    },
}

/// A response the session refused: not `200 OK` with an event stream.
///
/// ```
/// # use sse_proto_reqwest::{Error, Refused};
/// fn explain(error: &Error) -> Option<String> {
///     let Error::Refused(refused) = error else { return None };
///     let body = String::from_utf8_lossy(refused.body());
///     Some(format!("{}: {body}", refused.status()))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Refused {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) body_truncated: bool,
    pub(crate) reason: Option<StopReason>,
}

impl Refused {
    /// The response's status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response's body, up to [`REFUSED_BODY_LIMIT`] bytes (an API's
    /// JSON error, usually).
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Whether the body was longer than [`REFUSED_BODY_LIMIT`] and cut, or
    /// broke off before its end.
    #[must_use]
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// Why the session stopped on it, or `None` when it retries (a 5xx or
    /// 429 in [`Mode::Resilient`](sse_proto::Mode::Resilient)).
    #[must_use]
    pub fn reason(&self) -> Option<StopReason> {
        self.reason
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server answered {}", self.status)?;
        match self.reason {
            Some(reason @ (StopReason::ContentType | StopReason::ContentEncoding)) => {
                write!(f, " ({reason})")
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Request(error) => write!(f, "the request could not be built: {error}"),
            Self::NotCloneable => f.write_str("the request's body cannot be sent again"),
            Self::Transport(error) => write!(f, "connection failed: {error}"),
            Self::IdleTimeout(after) => write!(f, "no data for {} ms", after.as_millis()),
            Self::Refused(refused) => fmt::Display::fmt(refused, f),
            Self::GaveUp {
                reason,
                last: Some(last),
            } => write!(f, "{reason} (last failure: {last})"),
            Self::GaveUp { reason, last: None } => fmt::Display::fmt(reason, f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Request(error) | Self::Transport(error) => Some(error),
            Self::GaveUp {
                last: Some(last), ..
            } => Some(&**last),
            _ => None,
        }
    }
}

impl Error {
    /// The refused response, when this is one.
    #[must_use]
    pub fn refused(&self) -> Option<&Refused> {
        match self {
            Self::Refused(refused) => Some(refused),
            Self::GaveUp {
                last: Some(last), ..
            } => last.refused(),
            _ => None,
        }
    }

    /// The HTTP status of a refused response, when this is one.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        self.refused().map(Refused::status)
    }
}

//! Making each attempt's request: the caller's, plus the session's headers.

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CACHE_CONTROL};
use reqwest::{Client, Request, RequestBuilder};

use crate::Error;

/// Where each attempt's request comes from.
// One per event source, never moved in a loop: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Requests {
    /// A builder cloned for every attempt (its body must be cloneable).
    Template(RequestBuilder),
    /// A function called for every attempt: fresh headers (a renewed
    /// token) and a body made again.
    Make(Box<dyn FnMut() -> RequestBuilder + Send>),
}

impl core::fmt::Debug for Requests {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Template(builder) => f.debug_tuple("Template").field(builder).finish(),
            Self::Make(_) => f.write_str("Make(..)"),
        }
    }
}

impl Requests {
    /// The next attempt's request, built, with its client.
    pub(crate) fn build(&mut self) -> Result<(Client, Request), Error> {
        let builder = match self {
            Self::Template(builder) => builder.try_clone().ok_or(Error::NotCloneable)?,
            Self::Make(make) => make(),
        };
        let (client, request) = builder.build_split();
        Ok((client, request.map_err(Error::Request)?))
    }
}

/// Adds the session's headers to `request`: `Accept` and `Cache-Control`
/// unless the caller set them, `Last-Event-ID` when the session has one
/// (it knows better than a header set once at the start).
pub(crate) fn add_headers(request: &mut Request, last_event_id: Option<&str>) {
    let headers = request.headers_mut();
    if !headers.contains_key(ACCEPT) {
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
    }
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    // The session leaves out IDs a header cannot carry, so this only fails
    // on bytes `http` refuses that the session lets through; then the
    // request goes without the ID rather than not at all.
    if let Some(value) = last_event_id.and_then(|id| HeaderValue::from_bytes(id.as_bytes()).ok()) {
        headers.insert(HeaderName::from_static("last-event-id"), value);
    }
}

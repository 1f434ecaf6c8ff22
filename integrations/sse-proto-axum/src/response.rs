//! The axum side: the `Last-Event-ID` extractor, a subscription as an
//! extractor and as a response.

use core::convert::Infallible;

use axum::body::Body;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use sse_proto::headers;

use crate::{Channel, Subscription};

/// The `last-event-id` request header a reconnecting `EventSource` sends.
pub const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// The `x-accel-buffering` response header (see
/// [`sse_proto::headers::X_ACCEL_BUFFERING`]).
pub const X_ACCEL_BUFFERING: HeaderName = HeaderName::from_static("x-accel-buffering");

/// The request's `Last-Event-ID`, as an extractor: `None` when absent or
/// empty (a new client). A value that is not UTF-8 is kept lossily, so it
/// resumes nothing and the client is told to resynchronise.
///
/// ```
/// use axum::{routing::get, Router};
/// use sse_proto_axum::{Channel, LastEventId};
///
/// async fn events(axum::extract::State(channel): axum::extract::State<Channel>, LastEventId(last): LastEventId) -> sse_proto_axum::Subscription {
///     channel.subscribe(last.as_deref())
/// }
/// let app: Router = Router::new().route("/events", get(events)).with_state(Channel::new());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LastEventId(pub Option<String>);

impl LastEventId {
    /// Reads the header from a request's parts.
    ///
    /// ```
    /// use sse_proto_axum::LastEventId;
    ///
    /// let request = axum::http::Request::get("/").header("last-event-id", "41").body(()).unwrap();
    /// let (parts, ()) = request.into_parts();
    /// assert_eq!(LastEventId::from_parts(&parts), LastEventId(Some("41".into())));
    /// ```
    #[must_use]
    pub fn from_parts(parts: &Parts) -> Self {
        let value = parts.headers.get(LAST_EVENT_ID).map(HeaderValue::as_bytes);
        Self(
            value
                .filter(|value| !value.is_empty())
                .map(|value| String::from_utf8_lossy(value).into_owned()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for LastEventId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self::from_parts(parts))
    }
}

/// A subscription to the state's [`Channel`] from the request's
/// `Last-Event-ID`: the whole handler is `|events: Subscription| async {
/// events }`.
impl<S> FromRequestParts<S> for Subscription
where
    Channel: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let LastEventId(last) = LastEventId::from_parts(parts);
        Ok(Channel::from_ref(state).subscribe(last.as_deref()))
    }
}

/// A `200 OK` streaming the events, with `content-type: text/event-stream`,
/// `cache-control: no-cache` (no cache may store or replay it) and
/// `x-accel-buffering: no` (nginx passes each event on at once). It sets no
/// `content-encoding`: compression would hold events back, and tower-http's
/// `CompressionLayer` leaves `text/event-stream` alone.
impl IntoResponse for Subscription {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from_stream(self));
        let fields = response.headers_mut();
        fields.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(headers::CONTENT_TYPE),
        );
        fields.insert(
            CACHE_CONTROL,
            HeaderValue::from_static(headers::CACHE_CONTROL),
        );
        fields.insert(
            X_ACCEL_BUFFERING,
            HeaderValue::from_static(headers::X_ACCEL_BUFFERING),
        );
        response
    }
}

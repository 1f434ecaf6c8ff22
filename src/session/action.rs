//! What a [`Session`] answers: its [`State`] and the actions it asks for.

use super::delay::Delay;
use super::policy::StopReason;
#[cfg(doc)]
use super::Session;

/// Where a [`Session`] is in its life.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Response, Session, State};
///
/// let mut session = Session::new();
/// assert_eq!(session.state(), State::Idle);
/// session.on_request(Duration::ZERO);
/// assert_eq!(session.state(), State::Connecting);
/// let ok = Response::new(200).content_type(Some("text/event-stream"));
/// let _ = session.on_response(Duration::ZERO, &ok);
/// assert_eq!(session.state(), State::Open);
/// let _ = session.on_disconnect(Duration::from_secs(60));
/// assert_eq!(session.state(), State::Idle);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// No attempt in progress: send [`Session::request`] (after the delay,
    /// if one was given) and call [`Session::on_request`]. A new session
    /// starts here.
    Idle,
    /// A request was made; waiting for [`Session::on_response`] or
    /// [`Session::on_disconnect`].
    Connecting,
    /// A response opened the stream: [`Session::for_each`] or
    /// [`Session::feed`] the body.
    Open,
    /// Stopped for good: no attempt will be scheduled again.
    Stopped(StopReason),
}

/// What to do with a response, from [`Session::on_response`].
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Response, ResponseAction, Session};
///
/// let mut session = Session::new();
/// session.on_request(Duration::ZERO);
/// match session.on_response(Duration::ZERO, &Response::new(503)) {
///     ResponseAction::Open => unreachable!("a 503 does not open"),
///     ResponseAction::Retry { delay } => assert_eq!(delay.longest(), Duration::from_secs(3)),
///     ResponseAction::Stop { reason } => panic!("{reason}"),
///     _ => unreachable!("no other action today"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "the delay must be waited, and a stop honoured"]
#[non_exhaustive]
pub enum ResponseAction {
    /// The stream is open: [`Session::for_each`] or [`Session::feed`] the body
    /// to the session, then call [`Session::on_disconnect`] when it ends or
    /// fails.
    Open,
    /// Drop the response, wait within `delay`, then start the next attempt
    /// from [`Session::request`].
    Retry {
        /// How long to wait.
        delay: Delay,
    },
    /// Drop the response; the session has stopped for good.
    Stop {
        /// Why.
        reason: StopReason,
    },
}

/// What to do after a connection ended, from [`Session::on_disconnect`] and
/// [`Session::restart`]. It converts into the matching [`ResponseAction`],
/// so that a loop can handle both in one `match`.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{DisconnectAction, Session};
///
/// let mut session = Session::new();
/// session.on_request(Duration::ZERO);
/// let action = session.on_disconnect(Duration::ZERO); // could not connect
/// let DisconnectAction::Retry { delay } = action else { panic!() };
/// assert_eq!(delay.longest(), Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "the delay must be waited, and a stop honoured"]
#[non_exhaustive]
pub enum DisconnectAction {
    /// Wait within `delay`, then start the next attempt from
    /// [`Session::request`].
    Retry {
        /// How long to wait.
        delay: Delay,
    },
    /// The session has stopped for good.
    Stop {
        /// Why.
        reason: StopReason,
    },
}

impl From<DisconnectAction> for ResponseAction {
    fn from(action: DisconnectAction) -> Self {
        match action {
            DisconnectAction::Retry { delay } => Self::Retry { delay },
            DisconnectAction::Stop { reason } => Self::Stop { reason },
        }
    }
}

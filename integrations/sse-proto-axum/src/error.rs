//! Why publishing failed.

use core::fmt;

/// Why [`Channel::publish`](crate::Channel::publish) refused an event.
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_axum::{Channel, SendError};
///
/// let channel = Channel::new();
/// channel.close();
/// let error = channel.publish(Message::new("late")).unwrap_err();
/// assert_eq!(error, SendError::Closed);
/// assert_eq!(error.to_string(), "the channel is closed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendError {
    /// The channel was closed: nothing more is published.
    Closed,
    /// The encoded event (`size` bytes) is larger than the whole history
    /// (`max_bytes`), so no subscriber could read it. Nothing was published.
    TooLarge {
        /// The event's encoded size in bytes.
        size: usize,
        /// [`Config::max_bytes`](crate::Config::max_bytes).
        max_bytes: usize,
    },
    /// The history refused the event for another reason.
    Rejected,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed => f.write_str("the channel is closed"),
            Self::TooLarge { size, max_bytes } => write!(
                f,
                "event of {size} bytes is larger than the history's {max_bytes} bytes"
            ),
            Self::Rejected => f.write_str("the history refused the event"),
        }
    }
}

impl std::error::Error for SendError {}

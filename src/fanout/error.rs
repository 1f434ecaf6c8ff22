//! What publishing and reading can report.

use core::fmt;

/// Why [`EventLog::publish`](crate::EventLog::publish) refused a message.
/// Nothing in the log changed.
///
/// ```
/// use sse_proto::{EventLog, Message, PublishError};
///
/// let mut log = EventLog::new(10, 8);
/// let error = log.publish(Message::new("too long")).unwrap_err();
/// assert_eq!(error, PublishError::TooLarge { size: 22, max_bytes: 8 });
/// assert_eq!(error.to_string(), "encoded event of 22 bytes exceeds the log's 8-byte bound");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PublishError {
    /// The encoded event is larger than the log's byte bound: it could not
    /// be held, and subscribers read only what is held, so no one would get
    /// it.
    TooLarge {
        /// The encoded size, ID included.
        size: usize,
        /// The log's bound.
        max_bytes: usize,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { size, max_bytes } => write!(
                f,
                "encoded event of {size} bytes exceeds the log's {max_bytes}-byte bound"
            ),
        }
    }
}

impl core::error::Error for PublishError {}

/// The log evicted events a subscriber had not read yet: the ring passed it.
///
/// Returned by [`EventLog::read`](crate::EventLog::read), which leaves the
/// cursor where it was. The server decides what the client gets: typically
/// an event telling it that some were missed, then everything still held
/// ([`EventLog::oldest`](crate::EventLog::oldest)) or only what comes next
/// ([`EventLog::subscribe`](crate::EventLog::subscribe)); or it closes the
/// stream, so that the client reconnects and resynchronises.
///
/// ```
/// use sse_proto::{EventLog, Lagged, Message};
///
/// let mut log = EventLog::new(2, 1024);
/// let mut slow = log.subscribe();
/// for data in ["a", "b", "c"] {
///     log.publish(Message::new(data))?;
/// }
/// assert_eq!(log.read(&mut slow, usize::MAX).unwrap_err(), Lagged { missed: 1 });
/// slow = log.oldest(); // carry on with what is still held: "b" and "c"
/// assert_eq!(log.read(&mut slow, usize::MAX)?.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lagged {
    /// How many events the subscriber missed: evicted before it read them.
    pub missed: u64,
}

impl fmt::Display for Lagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "subscriber lagged: {} events were evicted before it read them",
            self.missed
        )
    }
}

impl core::error::Error for Lagged {}

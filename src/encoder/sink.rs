//! Where encoded bytes go: one writing core, many sinks.
//!
//! The encoder is written once, generic over [`Sink`]; each destination
//! (a `Vec<u8>`, a `String`, a `fmt::Write`, a byte counter) is a few lines.

use alloc::string::String;
use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;

pub(crate) use sealed::Sink;

mod sealed {
    /// A destination for encoded text. Public only so that [`Output`] can
    /// name it: it cannot be reached from outside the crate, which seals
    /// `Output`.
    ///
    /// [`Output`]: super::Output
    pub trait Sink {
        /// What writing can fail with.
        type Error;
        /// Appends `text`.
        fn put(&mut self, text: &str) -> Result<(), Self::Error>;
    }
}

/// A buffer an event stream can be appended to without failing:
/// `Vec<u8>` and `String`.
///
/// Appending allocates only when the buffer must grow; reuse the buffer (or
/// reserve [`encoded_len`](crate::Message::encoded_len) bytes first) and
/// encoding allocates nothing. This trait is sealed: for other destinations
/// use the [`Display`](core::fmt::Display) implementations (any
/// `core::fmt::Write`, or `std::io::Write` through `write!`) or, with the
/// `std` feature, `io::EventWriter`.
///
/// ```
/// use sse_proto::{Comment, Output};
///
/// fn heartbeat<O: Output>(out: &mut O) {
///     Comment::new("ping").encode(out);
/// }
/// let (mut bytes, mut text) = (Vec::new(), String::new());
/// heartbeat(&mut bytes);
/// heartbeat(&mut text);
/// assert_eq!((bytes.as_slice(), text.as_str()), (&b": ping\n"[..], ": ping\n"));
/// ```
pub trait Output: Sink<Error = Infallible> {}

impl Output for Vec<u8> {}
impl Output for String {}

impl Sink for Vec<u8> {
    type Error = Infallible;
    #[inline]
    fn put(&mut self, text: &str) -> Result<(), Infallible> {
        self.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

impl Sink for String {
    type Error = Infallible;
    #[inline]
    fn put(&mut self, text: &str) -> Result<(), Infallible> {
        self.push_str(text);
        Ok(())
    }
}

/// Any `core::fmt::Write` (a `Formatter` included).
pub(crate) struct FmtSink<'w, W: ?Sized>(pub(crate) &'w mut W);

impl<W: fmt::Write + ?Sized> Sink for FmtSink<'_, W> {
    type Error = fmt::Error;
    #[inline]
    fn put(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

/// Counts bytes instead of writing them: the encoded length, computed by the
/// same code that writes, so the two cannot disagree.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    type Error = Infallible;
    #[inline]
    fn put(&mut self, text: &str) -> Result<(), Infallible> {
        self.0 += text.len();
        Ok(())
    }
}

/// Unwraps the result of writing to a sink that cannot fail.
pub(crate) fn infallible(result: Result<(), Infallible>) {
    match result {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

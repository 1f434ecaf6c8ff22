//! The head of an HTTP/1.1 message, read the same way by the demo server
//! (requests) and the client example (responses): bounded lines, LF or CRLF
//! line ends, `name: value` fields, obsolete folded lines joined with a
//! space (RFC 9112 §5.2 lets both ends do so).

use std::fmt;
use std::io::{self, BufRead, Read};

/// The longest line accepted, its line end included.
const MAX_LINE: u64 = 16 * 1024;

/// Why a head was refused. Carried inside an [`io::Error`] of kind
/// `InvalidData`, so that a caller can tell a head too large from a
/// malformed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// A line longer than 16 KiB.
    LineTooLong,
    /// More field lines than the caller allows.
    TooManyLines,
    /// A field line without a name and a colon.
    BadField,
}

impl fmt::Display for HeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LineTooLong => "line too long",
            Self::TooManyLines => "too many header lines",
            Self::BadField => "bad header",
        })
    }
}

impl std::error::Error for HeadError {}

impl From<HeadError> for io::Error {
    fn from(error: HeadError) -> Self {
        Self::new(io::ErrorKind::InvalidData, error)
    }
}

/// A head's fields, in the order they came.
#[derive(Debug, Default)]
pub(crate) struct Headers(Vec<(String, String)>);

impl Headers {
    /// The value of the first field called `name` (ASCII case-insensitive).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Reads one line, dropping its LF or CRLF: [`HeadError::LineTooLong`] if
/// 16 KiB pass without a line end, `UnexpectedEof` if the input ends first.
/// Bytes that are not UTF-8 become U+FFFD.
pub(crate) fn read_line(reader: &mut impl BufRead) -> io::Result<String> {
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(MAX_LINE)
        .read_until(b'\n', &mut line)?;
    // The length is judged before the line end is dropped: a full buffer
    // without one is a line too long, not an input that ended.
    if line.last() != Some(&b'\n') {
        return Err(match line.len() as u64 {
            MAX_LINE => HeadError::LineTooLong.into(),
            _ => io::ErrorKind::UnexpectedEof.into(),
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// Reads field lines up to the empty line that ends the head, at most
/// `max_lines` of them (folded lines included). A field name must be
/// non-empty and hold no whitespace (RFC 9112 §5.1); values are trimmed.
pub(crate) fn read_fields(reader: &mut impl BufRead, max_lines: usize) -> io::Result<Headers> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for _ in 0..max_lines {
        let line = read_line(reader)?;
        if line.is_empty() {
            return Ok(Headers(fields));
        }
        match (line.starts_with([' ', '\t']), fields.last_mut()) {
            // An obsolete folded line continues the previous value.
            (true, Some((_, value))) => {
                value.push(' ');
                value.push_str(line.trim());
            }
            _ => {
                let (name, value) = line.split_once(':').ok_or(HeadError::BadField)?;
                if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
                    return Err(HeadError::BadField.into());
                }
                fields.push((name.to_owned(), value.trim().to_owned()));
            }
        }
    }
    Err(HeadError::TooManyLines.into())
}

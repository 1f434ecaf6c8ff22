//! Just enough HTTP/1.1 for the client example: read a response head, then
//! the body as the server framed it (chunked, `Content-Length`, or until the
//! connection closes). Lenient where servers are sloppy (LF or CRLF line
//! ends, any header case, folded headers), strict where a mistake would
//! corrupt the body (bad chunk sizes, conflicting lengths). Lines and
//! fields are read as the demo server reads them (`head.rs`).

use std::io::{self, BufRead, Read};

#[path = "head.rs"]
mod head;

use head::{read_fields, read_line, Headers};

/// The most header lines (folded continuations and trailers included)
/// accepted in one head, so a server cannot grow one value without end.
const MAX_HEADER_LINES: usize = 256;
/// The most interim (1xx) responses skipped before the real one.
const MAX_INTERIM: usize = 16;

/// A response's status code and headers.
pub(crate) struct Head {
    pub(crate) status: u16,
    headers: Headers,
}

impl Head {
    /// The first value of header `name`, whatever its case.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

/// Reads the response head, skipping interim 1xx responses (100 Continue,
/// 103 Early Hints).
pub(crate) fn read_head(reader: &mut impl BufRead) -> io::Result<Head> {
    for _ in 0..=MAX_INTERIM {
        let head = read_one_head(reader)?;
        if !(100..200).contains(&head.status) || head.status == 101 {
            return Ok(head);
        }
    }
    Err(invalid("too many interim responses"))
}

fn read_one_head(reader: &mut impl BufRead) -> io::Result<Head> {
    let status_line = read_line(reader)?;
    let mut parts = status_line.split_ascii_whitespace();
    let status = match (parts.next(), parts.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/1.") && is_status_code(code) => {
            code.parse().map_err(|_| invalid("bad status code"))?
        }
        _ => return Err(invalid("not an HTTP/1.x status line")),
    };
    let headers = read_fields(reader, MAX_HEADER_LINES)?;
    Ok(Head { status, headers })
}

/// Three ASCII digits (`parse` alone would take `+20`).
fn is_status_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The body of `head`, read from `reader` (RFC 9112 §6.3).
pub(crate) fn body<R: BufRead>(head: &Head, reader: R) -> io::Result<Body<R>> {
    let state = if let Some(codings) = head.header("transfer-encoding") {
        let last = codings.rsplit(',').next().unwrap_or_default();
        match last.trim().eq_ignore_ascii_case("chunked") {
            true => State::ChunkSize,
            false => State::UntilClose,
        }
    } else if let Some(length) = head.header("content-length") {
        State::Length(parse_content_length(length)?)
    } else {
        State::UntilClose
    };
    Ok(Body { reader, state })
}

/// `Content-Length`, also as a list of equal values (`5, 5`).
fn parse_content_length(value: &str) -> io::Result<u64> {
    let mut lengths = value.split(',').map(|n| n.trim().parse::<u64>());
    let first = lengths.next().and_then(Result::ok);
    match first {
        Some(length) if lengths.all(|n| n.ok() == Some(length)) => Ok(length),
        _ => Err(invalid("bad Content-Length")),
    }
}

/// A response body: a [`Read`] that ends where the server's framing says.
pub(crate) struct Body<R> {
    reader: R,
    state: State,
}

enum State {
    /// Identity body with this many bytes left.
    Length(u64),
    /// Identity body up to the end of the connection.
    UntilClose,
    /// Expecting a chunk-size line.
    ChunkSize,
    /// Inside a chunk with this many bytes left, then its CRLF.
    ChunkData(u64),
    Done,
}

impl<R: BufRead> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.state {
                State::Done => return Ok(0),
                State::UntilClose => return self.reader.read(buf),
                State::Length(0) => self.state = State::Done,
                State::Length(left) => {
                    let got = self.read_some(buf, left)?;
                    self.state = State::Length(left - got as u64);
                    return Ok(got);
                }
                State::ChunkSize => self.state = self.next_chunk()?,
                State::ChunkData(0) => {
                    if !read_line(&mut self.reader)?.is_empty() {
                        return Err(invalid("chunk longer than its size"));
                    }
                    self.state = State::ChunkSize;
                }
                State::ChunkData(left) => {
                    let got = self.read_some(buf, left)?;
                    self.state = State::ChunkData(left - got as u64);
                    return Ok(got);
                }
            }
        }
    }
}

impl<R: BufRead> Body<R> {
    /// Reads at most `left` bytes; the connection ending first is an error.
    fn read_some(&mut self, buf: &mut [u8], left: u64) -> io::Result<usize> {
        let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        match self.reader.read(&mut buf[..max])? {
            0 if max > 0 => Err(io::ErrorKind::UnexpectedEof.into()),
            got => Ok(got),
        }
    }

    /// Reads a chunk-size line (extensions ignored); after the last chunk,
    /// the trailers.
    fn next_chunk(&mut self) -> io::Result<State> {
        let line = read_line(&mut self.reader)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        // Hex digits only: `from_str_radix` alone would take `+ff`.
        let size = match size.bytes().all(|b| b.is_ascii_hexdigit()) {
            true => u64::from_str_radix(size, 16).map_err(|_| invalid("bad chunk size"))?,
            false => return Err(invalid("bad chunk size")),
        };
        if size > 0 {
            return Ok(State::ChunkData(size));
        }
        for _ in 0..MAX_HEADER_LINES {
            if read_line(&mut self.reader)?.is_empty() {
                return Ok(State::Done);
            }
        }
        Err(invalid("too many trailer lines"))
    }
}

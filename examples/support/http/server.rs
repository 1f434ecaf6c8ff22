//! Just enough HTTP/1.1 for the demo server: read one request with bounded
//! size and time, and write plain or streaming responses. One request per
//! connection (`Connection: close`), no chunked request bodies. Lines and
//! fields are read as the client example reads them (`head.rs`).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[path = "head.rs"]
mod head;

use head::{read_fields, read_line, HeadError, Headers};

/// The most bytes of request line and headers accepted.
const MAX_HEAD: u64 = 16 * 1024;
/// The most header lines accepted.
const MAX_HEADERS: usize = 64;
/// The most bytes of request body accepted.
const MAX_BODY: usize = 16 * 1024;
/// How long a client may take to send its whole request.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// A parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    headers: Headers,
    pub(crate) body: Vec<u8>,
}

/// Why a request was refused: the status to answer with.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The client went away or broke the connection: answer nothing.
    Gone,
    Status(u16),
}

impl Request {
    /// The value of the first header called `name` (ASCII case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The value of query parameter `name` (no percent-decoding: the demo's
    /// parameters are plain tokens).
    pub(crate) fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

/// Reads one request from `stream`, within [`MAX_HEAD`], [`MAX_BODY`] and
/// the request deadline.
pub(crate) fn read_request(stream: &mut TcpStream) -> Result<Request, Refusal> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let mut reader = BufReader::new(ByDeadline { stream, deadline });
    let mut head = (&mut reader).take(MAX_HEAD);
    let mut request = match read_head(&mut head) {
        Ok(request) => request,
        // The head's budget ran out inside a line: too large, not gone.
        Err(e) if head.limit() == 0 && e.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(Refusal::Status(431))
        }
        Err(e) => return Err(refusal(&e)),
    };
    let body_len = content_length(&request)?;
    let mut body = Vec::with_capacity(body_len);
    // `body_len` is at most MAX_BODY.
    reader
        .take(body_len as u64)
        .read_to_end(&mut body)
        .map_err(|e| refusal(&e))?;
    if body.len() < body_len {
        return Err(Refusal::Gone);
    }
    request.body = body;
    Ok(request)
}

/// The request line and the fields.
fn read_head(reader: &mut impl BufRead) -> io::Result<Request> {
    let bad = || io::Error::from(HeadError::BadField);
    let line = read_line(reader)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    if !token(method) || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(bad());
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers: read_fields(reader, MAX_HEADERS)?,
        body: Vec::new(),
    })
}

/// The answer to a request that could not be read.
fn refusal(error: &io::Error) -> Refusal {
    let why = error.get_ref().and_then(|e| e.downcast_ref::<HeadError>());
    match (why, error.kind()) {
        (Some(HeadError::LineTooLong | HeadError::TooManyLines), _) => Refusal::Status(431),
        (Some(HeadError::BadField), _) => Refusal::Status(400),
        (None, io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => Refusal::Status(408),
        _ => Refusal::Gone,
    }
}

/// The client's side of the connection, read by a deadline: each read
/// waits only for the time left, so a client trickling its request a byte
/// at a time cannot hold the connection past it.
struct ByDeadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for ByDeadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn content_length(request: &Request) -> Result<usize, Refusal> {
    if request.header("Transfer-Encoding").is_some() {
        return Err(Refusal::Status(411));
    }
    let Some(value) = request.header("Content-Length") else {
        return Ok(0);
    };
    let length: usize = value.parse().map_err(|_| Refusal::Status(400))?;
    if length > MAX_BODY {
        return Err(Refusal::Status(413));
    }
    Ok(length)
}

/// The reason phrase of the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes a complete response, then the connection closes.
fn respond(
    stream: &mut TcpStream,
    status: u16,
    extra_headers: &[(&str, &str)],
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    if !body.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// Answers 200 with `body`.
pub(crate) fn respond_ok(
    stream: &mut TcpStream,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    respond(stream, 200, &[], content_type, body)
}

/// Answers 204: nothing to send (and, to an `EventSource`, "stop").
pub(crate) fn respond_no_content(stream: &mut TcpStream) -> io::Result<()> {
    respond(stream, 204, &[], "", b"")
}

/// Answers 405, naming the one method `allow`ed.
pub(crate) fn respond_not_allowed(stream: &mut TcpStream, allow: &str) -> io::Result<()> {
    let body = format!("405 Method Not Allowed: use {allow}\n");
    let text = "text/plain; charset=utf-8";
    respond(stream, 405, &[("Allow", allow)], text, body.as_bytes())
}

/// Answers with an error status and a one-line text body.
pub(crate) fn respond_error(stream: &mut TcpStream, status: u16) -> io::Result<()> {
    let body = format!("{status} {}\n", reason(status));
    respond(
        stream,
        status,
        &[],
        "text/plain; charset=utf-8",
        body.as_bytes(),
    )
}

/// Closes after an early answer without losing it: a socket closed with
/// unread input sends a reset, which may discard the answer before the
/// client reads it. So: stop sending, then read and drop what the client
/// is still sending, for a short while and a bounded amount.
pub(crate) fn close_gracefully(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut sink = [0; 4096];
    for _ in 0..64 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Starts a streaming response (no length: the body ends when the connection
/// closes) with the given headers.
pub(crate) fn start_stream(stream: &mut TcpStream, headers: &[(&str, &str)]) -> io::Result<()> {
    let mut head = String::from("HTTP/1.1 200 OK\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.flush()
}

/// Writes all of `bytes` by `deadline`, however the client paces its reads:
/// a socket's own write timeout restarts with every partial write, so a
/// client reading a trickle would hold the connection for ever.
pub(crate) fn write_all_by(
    stream: &mut TcpStream,
    mut bytes: &[u8],
    deadline: Instant,
) -> io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => bytes = &bytes[written..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    stream.flush()
}

//! Just enough HTTP/1.1 for the demo server: read one request with bounded
//! size and time, and write plain or streaming responses. One request per
//! connection (`Connection: close`), no chunked request bodies.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most bytes of request line and headers accepted.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most headers accepted.
const MAX_HEADERS: usize = 64;
/// The most bytes of request body accepted.
pub(crate) const MAX_BODY: usize = 16 * 1024;
/// How long a client may take to send its whole request.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

/// A parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    headers: Vec<(String, String)>,
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
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
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
    let mut buf = Vec::with_capacity(1024);
    // Where the search for the head's end resumes: each byte is looked at a
    // bounded number of times, however thinly the client trickles its head.
    let mut searched = 0;
    let head_end = loop {
        if let Some(end) = find_head_end(&buf, searched) {
            break end;
        }
        if buf.len() >= MAX_HEAD {
            return Err(Refusal::Status(431));
        }
        // A terminator (at most 4 bytes) may straddle the old end.
        searched = buf.len().saturating_sub(3);
        read_some(stream, &mut buf, MAX_HEAD + MAX_BODY, deadline)?;
    };
    let head = std::str::from_utf8(&buf[..head_end.start]).map_err(|_| Refusal::Status(400))?;
    let mut request = parse_head(head)?;
    let body_len = content_length(&request)?;
    let mut body = buf.split_off(head_end.end);
    while body.len() < body_len {
        read_some(stream, &mut body, body_len, deadline)?;
    }
    body.truncate(body_len);
    request.body = body;
    Ok(request)
}

/// Appends what the client sent next, up to `limit` bytes in all.
fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limit: usize,
    deadline: Instant,
) -> Result<(), Refusal> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(Refusal::Status(408));
    }
    let _ = stream.set_read_timeout(Some(left));
    let mut chunk = [0; 4096];
    let room = limit.saturating_sub(buf.len()).clamp(1, chunk.len());
    match stream.read(&mut chunk[..room]) {
        Ok(0) => Err(Refusal::Gone),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(e) if is_timeout(&e) => Err(Refusal::Status(408)),
        Err(_) => Err(Refusal::Gone),
    }
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Where the head ends (at CRLF CRLF, or LF LF from lenient clients),
/// searching `buf` from `from` on: the head's length and where the body
/// starts.
fn find_head_end(buf: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
    let rest = buf.get(from..)?;
    let crlf = rest
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i..i + 4);
    let lf = rest.windows(2).position(|w| w == b"\n\n").map(|i| i..i + 2);
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.start <= b.start { a } else { b }),
        (a, b) => a.or(b),
    };
    end.map(|end| from + end.start..from + end.end)
}

fn parse_head(head: &str) -> Result<Request, Refusal> {
    let bad = Refusal::Status(400);
    let mut lines = head
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad);
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    if !token(method) || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(bad);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad);
        };
        if name.is_empty() || name.contains([' ', '\t']) || headers.len() == MAX_HEADERS {
            return Err(bad);
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: Vec::new(),
    })
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

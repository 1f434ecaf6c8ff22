//! `client`: a std-only `EventSource` over `std::net::TcpStream`, driven by
//! [`sse_proto::Session`]. It shows how a runtime wraps the session.
//!
//! ```text
//! cargo run --example client -- [--browser] [--max-retries N] http://HOST[:PORT]/PATH
//! ```
//!
//! Prints each frame as it arrives as one JSON line, in `sse-dump`'s format,
//! and logs connection attempts to stderr. It reconnects as the session says
//! (sending `Last-Event-ID`, waiting the server's `retry`, backing off), and
//! exits:
//!
//! - 0 when the session stops for good without the server refusing the
//!   stream: a 204, or `--max-retries` failed attempts in a row;
//! - 1 when the server refused the stream (a status the policy does not
//!   retry, or a wrong `Content-Type`), or writing stdout failed (a closed
//!   pipe, as in `client URL | head`, is a normal end: 0);
//! - 2 on a bad argument.
//!
//! Plain `http://` only, HTTP/1.1, bodies chunked, with `Content-Length`, or
//! up to the end of the connection. Redirects are not followed: a 3xx stops
//! the session (its `Location` is logged). A connection silent for the
//! session's idle timeout (5 minutes) is dropped and counts as a disconnect
//! (servers send heartbeats). No `Accept-Encoding` is sent, so the body comes
//! as it is; a server that compresses anyway stops the session.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{self, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sse_proto::{DisconnectAction, Mode, Policy, Response, ResponseAction, Session, StopReason};

#[path = "support/http/client.rs"]
mod http;
#[path = "support/json_lines.rs"]
mod json_lines;

const USAGE: &str = "usage: client [--browser] [--max-retries N] http://HOST[:PORT]/PATH";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where to connect and what to ask for.
struct Target {
    host: String,
    port: u16,
    /// The `Host` header: the host, and the port unless it is 80.
    authority: String,
    path: String,
}

fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// URLs are supported, not {url:?}"))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let (authority, path) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    if authority.contains('@') {
        return Err("credentials in the URL are not supported".into());
    }
    // `[::1]:8080`, `example.com:8080` or `example.com`.
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (
            host,
            port.parse().map_err(|_| format!("bad port {port:?}"))?,
        ),
        _ => (authority, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(format!("no host in {url:?}"));
    }
    Ok(Target {
        host: host.to_owned(),
        port,
        authority: authority.to_owned(),
        path,
    })
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(Target, Policy), String> {
    let mut policy = Policy::new();
    let mut url = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--browser" => policy = policy.mode(Mode::Browser),
            "--max-retries" => {
                let value = args.next().ok_or("--max-retries needs a value")?;
                let limit = value
                    .parse()
                    .map_err(|_| format!("bad --max-retries {value:?}"))?;
                policy = policy.max_retries(Some(limit));
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ if url.is_none() => url = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    Ok((parse_url(&url.ok_or(USAGE)?)?, policy))
}

/// What the loop does after an attempt.
enum Next {
    Wait(Duration),
    Stop(StopReason),
}

impl From<ResponseAction> for Next {
    fn from(action: ResponseAction) -> Self {
        match action {
            // Spread reconnecting clients out: a fresh random value for each
            // delay, uniform over its range.
            ResponseAction::Retry { delay } => {
                Self::Wait(delay.jittered(RandomState::new().hash_one(0u8) as u32))
            }
            ResponseAction::Stop { reason } => Self::Stop(reason),
            // The session has no other action for a connection that ended.
            _ => Self::Stop(StopReason::Closed),
        }
    }
}

impl From<DisconnectAction> for Next {
    fn from(action: DisconnectAction) -> Self {
        ResponseAction::from(action).into()
    }
}

/// The session's clock: time since the client started.
struct Clock(Instant);

impl Clock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

fn connect(
    target: &Target,
    request: &[u8],
    idle_timeout: Option<Duration>,
) -> io::Result<BufReader<TcpStream>> {
    let mut last_error = io::Error::new(io::ErrorKind::NotFound, "no address");
    for addr in (target.host.as_str(), target.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(mut stream) => {
                // The idle timeout: every read waits at most this long, so any
                // bytes (heartbeats too) reset it.
                stream.set_read_timeout(idle_timeout)?;
                stream.set_write_timeout(Some(CONNECT_TIMEOUT))?;
                stream.write_all(request)?;
                return Ok(BufReader::new(stream));
            }
            Err(error) => last_error = error,
        }
    }
    Err(last_error)
}

/// One attempt: request, response, and the body while it lasts.
fn attempt(
    session: &mut Session,
    clock: &Clock,
    target: &Target,
    out: &mut impl Write,
) -> io::Result<Next> {
    let Some(request) = session.request() else {
        return Ok(Next::Stop(StopReason::Closed));
    };
    let mut request_head = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\n",
        target.path, target.authority
    );
    for (name, value) in request.headers() {
        request_head.push_str(&format!("{name}: {value}\r\n"));
    }
    request_head.push_str("Connection: close\r\n\r\n");
    let resume = request.last_event_id().unwrap_or("(none)");
    eprintln!(
        "client: GET http://{}{} (Last-Event-ID: {resume})",
        target.authority, target.path
    );
    session.on_request(clock.now());

    let idle_timeout = session.idle_timeout();
    let response = connect(target, request_head.as_bytes(), idle_timeout).and_then(|mut reader| {
        let head = http::read_head(&mut reader)?;
        Ok((head, reader))
    });
    let (head, reader) = match response {
        Ok(response) => response,
        Err(error) => {
            eprintln!("client: connection failed: {error}");
            return Ok(session.on_disconnect(clock.now()).into());
        }
    };
    let response = Response::new(head.status)
        .content_type(head.header("content-type"))
        .content_encoding(head.header("content-encoding"))
        .retry_after(head.header("retry-after"));
    match session.on_response(clock.now(), &response) {
        ResponseAction::Open => eprintln!("client: HTTP {}, streaming", head.status),
        ResponseAction::Stop { reason } => {
            if let Some(location) = head.header("location") {
                eprintln!("client: redirects are not followed (Location: {location})");
            }
            return Ok(Next::Stop(reason));
        }
        retry => {
            eprintln!("client: HTTP {}, retrying", head.status);
            return Ok(retry.into());
        }
    }
    match http::body(&head, reader) {
        Ok(body) => stream(session, body, out)?,
        Err(error) => eprintln!("client: bad response: {error}"),
    }
    Ok(session.on_disconnect(clock.now()).into())
}

/// Feeds the body to the session until it ends, printing each frame and
/// flushing it at once. Only a failure to write stdout is an error.
fn stream(session: &mut Session, mut body: impl Read, out: &mut impl Write) -> io::Result<()> {
    let mut buffer = [0u8; 16 * 1024];
    let mut line = String::new();
    loop {
        let mut input = match body.read(&mut buffer) {
            Ok(0) => {
                eprintln!("client: stream ended");
                return Ok(());
            }
            Ok(got) => &buffer[..got],
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                eprintln!("client: stream failed: {error}");
                return Ok(());
            }
        };
        loop {
            line.clear();
            match session.feed(&mut input) {
                Ok(Some(frame)) => json_lines::push_json_line(&mut line, Ok(frame)),
                Ok(None) => break,
                Err(error) => json_lines::push_json_line(&mut line, Err(error)),
            }
            out.write_all(line.as_bytes())?;
            out.flush()?;
        }
    }
}

fn main() -> ExitCode {
    let (target, policy) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("client: {message}");
            return ExitCode::from(2);
        }
    };
    let mut session = Session::with_policy(policy);
    let clock = Clock(Instant::now());
    let mut out = io::stdout().lock();
    loop {
        match attempt(&mut session, &clock, &target, &mut out) {
            Ok(Next::Wait(delay)) => {
                eprintln!("client: reconnecting in {} ms", delay.as_millis());
                std::thread::sleep(delay);
            }
            Ok(Next::Stop(reason)) => {
                eprintln!("client: stopped: {reason}");
                return match reason {
                    StopReason::Status(_)
                    | StopReason::ContentType
                    | StopReason::ContentEncoding => ExitCode::FAILURE,
                    _ => ExitCode::SUCCESS,
                };
            }
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("client: cannot write stdout: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
}

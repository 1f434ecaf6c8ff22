//! Endpoints for the browser test (`tests/browser/`), served only with
//! `--test-hooks`. They send fixed streams and keep a small log of the
//! requests they saw, per test run; they read no files and take no input
//! beyond a run name.
//!
//! - `GET /test/sequence?run=R[&drop=K]`: `retry`, then [`SEQUENCE`] with IDs
//!   1, 2, ..., then an `end` event. With `drop=K`, a first connection (no
//!   `Last-Event-ID`) is cut after event K, in the middle of event K+1; a
//!   reconnection resumes after its `Last-Event-ID` through the crate's
//!   [`EventLog`].
//! - `GET /test/stop?run=R`: the first request gets one event and is
//!   closed; every later one gets 204, which must stop the browser.
//! - `GET /test/log?run=R`: the requests seen for run R, as JSON.
//! - `POST /test/chat`: the body streamed back as small `token` events, then
//!   a `done` event.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sse_proto::{EventId, EventLog, EventType, Message, Resume};

use crate::http::{self, Request};
use crate::wire::{event_type, push_comment, push_event, push_retry, STREAM_HEADERS};

/// The reconnection time the test streams set, in milliseconds.
pub(crate) const RETRY_MS: u64 = 500;

/// The fixed stream of tricky events: `(event type, data)`.
pub(crate) const SEQUENCE: [(&str, &str); 14] = [
    ("message", "plain"),
    ("message", "line one\nline two\nline three"),
    ("message", ""),
    ("message", "key: value: more"),
    ("message", ":starts with a colon"),
    ("message", "  two leading spaces"),
    ("message", "日本語のテキスト、中文、한국어"),
    ("message", "emoji 🎉 👩‍👩‍👧 🏳️‍🌈 end"),
    ("update", "{\"named\": true}"),
    ("update", "a\n\nb"),
    ("message", "ends with a newline\n"),
    ("unlistened", "nobody listens to this type"),
    ("message", "\n"),
    ("ünïcode-名前", "named with a non-ASCII type"),
];

const END: EventType<'static> = event_type("end");
const MESSAGE: EventType<'static> = event_type("message");

const MAX_RUNS: usize = 32;
const MAX_REQUESTS_PER_RUN: usize = 16;

/// The request log: what the browser sent, per run.
#[derive(Debug)]
pub(crate) struct TestHooks {
    started: Instant,
    runs: Mutex<VecDeque<Run>>,
}

#[derive(Debug)]
struct Run {
    name: String,
    requests: Vec<Seen>,
}

#[derive(Debug)]
struct Seen {
    path: String,
    last_event_id: Option<String>,
    at_ms: u128,
}

impl TestHooks {
    pub(crate) fn new() -> Self {
        Self {
            started: Instant::now(),
            runs: Mutex::new(VecDeque::new()),
        }
    }

    /// Serves `request` if it is for a test endpoint; `None` otherwise.
    pub(crate) fn serve(
        &self,
        request: &Request,
        stream: &mut TcpStream,
    ) -> Option<io::Result<()>> {
        let route = request.path.strip_prefix("/test/")?;
        let method = request.method.as_str();
        let result = match (method, route) {
            ("POST", "chat") => echo_tokens(stream, &request.body),
            ("GET", "sequence" | "stop" | "log") => match run_name(request) {
                Some(run) => self.serve_run(route, run, request, stream),
                None => http::respond_error(stream, 400),
            },
            (_, "chat") => http::respond_not_allowed(stream, "POST"),
            (_, "sequence" | "stop" | "log") => http::respond_not_allowed(stream, "GET"),
            _ => http::respond_error(stream, 404),
        };
        Some(result)
    }

    fn serve_run(
        &self,
        route: &str,
        run: &str,
        request: &Request,
        stream: &mut TcpStream,
    ) -> io::Result<()> {
        if route == "log" {
            let body = self.log_json(run);
            return http::respond_ok(stream, "application/json", body.as_bytes());
        }
        let last_event_id = request.header("Last-Event-ID");
        let count = self.record(run, &request.path, last_event_id);
        match route {
            "stop" if count > 1 => http::respond_no_content(stream),
            "stop" => stream_then_drop(stream),
            _ => {
                let drop_after = request.query_param("drop").and_then(|k| k.parse().ok());
                let drop_after = drop_after.filter(|_| last_event_id.is_none());
                sequence(stream, last_event_id, drop_after)
            }
        }
    }

    /// Logs a request; returns how many requests the run has seen.
    fn record(&self, run: &str, path: &str, last_event_id: Option<&str>) -> usize {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        if !runs.iter().any(|r| r.name == run) {
            if runs.len() == MAX_RUNS {
                runs.pop_front();
            }
            runs.push_back(Run {
                name: run.to_owned(),
                requests: Vec::new(),
            });
        }
        let Some(entry) = runs.iter_mut().find(|r| r.name == run) else {
            return 0;
        };
        if entry.requests.len() < MAX_REQUESTS_PER_RUN {
            entry.requests.push(Seen {
                path: path.to_owned(),
                last_event_id: last_event_id.map(json_safe),
                at_ms: self.started.elapsed().as_millis(),
            });
        }
        entry.requests.len()
    }

    fn log_json(&self, run: &str) -> String {
        let runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        let requests = runs.iter().find(|r| r.name == run).map(|r| &r.requests);
        let items: Vec<String> = requests
            .into_iter()
            .flatten()
            .map(|seen| {
                let id = match &seen.last_event_id {
                    Some(id) => format!("\"{id}\""),
                    None => "null".into(),
                };
                format!(
                    r#"{{"path":"{}","lastEventId":{id},"atMs":{}}}"#,
                    seen.path, seen.at_ms
                )
            })
            .collect();
        format!(r#"{{"requests":[{}]}}"#, items.join(","))
    }
}

/// The `run` parameter, when it is a plain token.
fn run_name(request: &Request) -> Option<&str> {
    let run = request.query_param("run")?;
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    (!run.is_empty() && run.len() <= 32 && run.bytes().all(plain)).then_some(run)
}

/// A header value as a JSON string body: printable ASCII other than `"` and
/// `\` kept, anything else replaced by `?`.
fn json_safe(value: &str) -> String {
    let keep = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ';
    value
        .chars()
        .map(|c| if keep(c) { c } else { '?' })
        .collect()
}

/// Sends the sequence after `last_event_id`, cutting the stream in the
/// middle of event `drop_after + 1` if asked; otherwise ends with `end` and
/// keeps the connection open until the browser closes it.
fn sequence(
    stream: &mut TcpStream,
    last_event_id: Option<&str>,
    drop_after: Option<usize>,
) -> io::Result<()> {
    let mut history = EventLog::new(SEQUENCE.len(), 64 * 1024);
    for (event_type, data) in SEQUENCE {
        let Ok(event_type) = EventType::new(event_type) else {
            return http::respond_error(stream, 500);
        };
        // Numbered 1, 2, ... by the log.
        let _ = history.publish(Message::new(data).event_type(event_type));
    }
    let resumed = last_event_id.map(|id| EventId::new(id).map(|id| history.resume(id)));
    let mut cursor = match resumed {
        None => history.oldest(),
        Some(Ok(Resume::Found(cursor))) => cursor,
        Some(_) => return http::respond_error(stream, 400),
    };
    let Ok(missed) = history.read(&mut cursor, usize::MAX) else {
        return http::respond_error(stream, 500);
    };
    http::start_stream(stream, &STREAM_HEADERS)?;
    let mut out = Vec::new();
    push_retry(&mut out, RETRY_MS);
    for (sent, event) in missed.enumerate() {
        if Some(sent) == drop_after {
            // Everything of this event but its final blank line: the
            // browser must discard it and ask to resume from the one before.
            out.extend_from_slice(&event[..event.len() - 1]);
            return cut(stream, &out);
        }
        out.extend_from_slice(event);
    }
    push_event(&mut out, END, "end");
    stream.write_all(&out)?;
    stream.flush()?;
    idle_until_closed(stream)
}

/// One event, then the connection is cut (the browser will reconnect).
fn stream_then_drop(stream: &mut TcpStream) -> io::Result<()> {
    http::start_stream(stream, &STREAM_HEADERS)?;
    let mut out = Vec::new();
    push_retry(&mut out, RETRY_MS);
    let first =
        EventId::new("1").map(|id| Message::new("before the stop").event_type(MESSAGE).id(id));
    if let Ok(message) = first {
        message.encode(&mut out);
    }
    cut(stream, &out)
}

fn cut(stream: &mut TcpStream, out: &[u8]) -> io::Result<()> {
    stream.write_all(out)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
}

/// Sends a heartbeat every second for up to 30 s, stopping when the
/// browser has closed the connection.
fn idle_until_closed(stream: &mut TcpStream) -> io::Result<()> {
    let mut ping = Vec::new();
    push_comment(&mut ping, "idle");
    for _ in 0..30 {
        std::thread::sleep(Duration::from_secs(1));
        stream.write_all(&ping)?;
        stream.flush()?;
    }
    Ok(())
}

/// Streams the request body back in tokens of up to 3 characters.
fn echo_tokens(stream: &mut TcpStream, body: &[u8]) -> io::Result<()> {
    let Ok(text) = std::str::from_utf8(body) else {
        return http::respond_error(stream, 400);
    };
    let chars: Vec<char> = text.chars().collect();
    let tokens = chars
        .chunks(3)
        .map(|chunk| chunk.iter().collect::<String>());
    crate::chat::stream_tokens(stream, tokens, Duration::from_millis(2))
}

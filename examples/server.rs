//! The sse-proto demo server: live events in the browser, resumable after a
//! reconnect, with a log tail and an LLM-style token stream. std only.
//!
//! ```text
//! cargo run --example server -- [--addr HOST:PORT] [--tail FILE] [--test-hooks]
//! ```
//!
//! Then open <http://127.0.0.1:3000/>. Endpoints:
//!
//! - `GET /`: the demo page (`EventSource` on `/events`, `fetch` on `/chat`);
//! - `GET /events`: numbered events (increasing integer IDs, a `retry`,
//!   named and unnamed, multi-line and non-ASCII data), a `: ping` comment
//!   after 15 s of silence, and resumption from `Last-Event-ID`, all through
//!   the crate's fan-out log (`EventLog`: each event encoded once, every
//!   stream a cursor in it);
//! - `POST /chat`: a prompt in, a reply streamed as `token` events, then a
//!   `done` event;
//! - `POST /drop`: ends every `/events` stream at once, as a network failure
//!   would, to watch the browsers reconnect and resume;
//! - with `--tail FILE`, every line appended to FILE becomes a `log` event
//!   on `/events`;
//! - with `--test-hooks`, the browser test's endpoints under `/test/`.
//!
//! One thread per connection. Request heads and bodies are bounded in size
//! and time; every write of a stream must be taken by the client within
//! [`WRITE_TIMEOUT`], however it paces its reads; a stream holds at most
//! [`MAX_BATCH`] bytes of events at a time. At most [`MAX_CONNECTIONS`] are
//! served at once: past that, a new connection takes the place of the
//! oldest one still sending its request, or else of the oldest stream (see
//! `support/connections.rs`), so idle, slow or never-reading sockets cannot
//! lock other clients out. Bind port 0 to get a free port: the first line
//! printed is `listening on http://ADDR/`.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

#[path = "support/chat.rs"]
mod chat;
#[path = "support/connections.rs"]
mod connections;
#[path = "support/demo.rs"]
mod demo;
#[path = "support/http/server.rs"]
mod http;
#[path = "support/hub.rs"]
mod hub;
#[path = "support/tail.rs"]
mod tail;
#[path = "support/test_hooks.rs"]
mod test_hooks;
#[path = "support/wire.rs"]
mod wire;

use connections::{Connections, Place};
use hub::Hub;
use sse_proto::{EventType, Heartbeat};
use test_hooks::TestHooks;
use wire::{event_type, push_comment, push_retry, STREAM_HEADERS};

const USAGE: &str = "usage: server [--addr HOST:PORT] [--tail FILE] [--test-hooks]";
const PAGE: &str = include_str!("support/page.html");
const WELCOME: EventType<'static> = event_type("message");
/// The most bytes of events a stream takes from the hub at once.
const MAX_BATCH: usize = 64 * 1024;

/// Connections served at once; past this, a new one evicts the oldest.
const MAX_CONNECTIONS: usize = 256;
/// Refused connections being answered 503 at once; past this, they are
/// closed without an answer.
const MAX_REFUSING: usize = 16;
/// How long to wait after a failed accept before the next.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// How long a client may take to receive one batch of a stream (at most
/// [`MAX_BATCH`] bytes) before it is dropped as dead or too slow.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a stream may be silent before it gets a `: ping` comment.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// The reconnection time `/events` asks for, in milliseconds.
const RETRY_MS: u64 = 2000;
/// How often the demo publishes an event.
const TICK: Duration = Duration::from_millis(1500);
/// The fan-out log's bounds: what a reconnecting client can be resumed from.
const HISTORY_EVENTS: usize = 1000;
const HISTORY_BYTES: usize = 1 << 20;
/// The chat reply's pace.
const TOKEN_DELAY: Duration = Duration::from_millis(45);

struct Args {
    addr: String,
    tail: Option<PathBuf>,
    test_hooks: bool,
}

/// What every connection thread shares.
struct App {
    hub: Arc<Hub>,
    page: String,
    test_hooks: Option<TestHooks>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        addr: "127.0.0.1:3000".into(),
        tail: None,
        test_hooks: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => parsed.addr = args.next().ok_or("--addr needs HOST:PORT")?,
            "--tail" => parsed.tail = Some(args.next().ok_or("--tail needs a FILE")?.into()),
            "--test-hooks" => parsed.test_hooks = true,
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unexpected argument {arg:?}\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)).and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("server: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let listener = TcpListener::bind(&args.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let tail_name = args.tail.as_ref().map(|p| p.display().to_string());
    let app = Arc::new(App {
        hub: Arc::new(Hub::new(HISTORY_EVENTS, HISTORY_BYTES)),
        page: PAGE.replace(
            "{{TAIL_FILE}}",
            &html_escape(tail_name.as_deref().unwrap_or("")),
        ),
        test_hooks: args.test_hooks.then(TestHooks::new),
    });
    if let Some(path) = args.tail {
        tail::follow(path.clone(), Arc::clone(&app.hub))
            .map_err(|e| format!("cannot follow {}: {e}", path.display()))?;
    }
    start_ticker(Arc::clone(&app));
    println!("listening on http://{addr}/");
    serve(&listener, &app);
    Ok(())
}

/// Publishes the demo programme, one event per [`TICK`].
fn start_ticker(app: Arc<App>) {
    thread::spawn(move || {
        app.hub.publish(WELCOME, "Server started: welcome! 🚀");
        for n in 1.. {
            thread::sleep(TICK);
            let (event_type, data) = demo::demo_event(n);
            app.hub.publish(event_type, &data);
        }
    });
}

/// Accepts connections forever, one thread each, at most
/// [`MAX_CONNECTIONS`] at once.
fn serve(listener: &TcpListener, app: &Arc<App>) {
    let connections = Connections::new(MAX_CONNECTIONS);
    let refusing = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, accept fails at once, again and
            // again: pause rather than spin.
            thread::sleep(ACCEPT_PAUSE);
            continue;
        };
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let Some(place) = connections.admit(&stream) else {
            refuse(stream, &refusing);
            continue;
        };
        let app = Arc::clone(app);
        // If the spawn fails, the closure and its place are dropped.
        let _ = thread::Builder::new().spawn(move || handle(&app, stream, &place));
    }
}

/// Answers 503 on a thread of its own, reading what the client sends so
/// that closing does not reset the connection before it reads the answer;
/// at most [`MAX_REFUSING`] at once.
fn refuse(mut stream: TcpStream, refusing: &Arc<AtomicUsize>) {
    if refusing.fetch_add(1, Ordering::SeqCst) >= MAX_REFUSING {
        refusing.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let counted = Counted(Arc::clone(refusing));
    // If the spawn fails, the closure is dropped and the count with it.
    let _ = thread::Builder::new().spawn(move || {
        let _counted = counted;
        let _ = http::respond_error(&mut stream, 503);
        http::close_gracefully(&mut stream);
    });
}

/// One of the [`MAX_REFUSING`], given back when dropped.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads one request and answers it. Errors only mean the client left (or
/// a newer connection took its place).
fn handle(app: &App, mut stream: TcpStream, place: &Place) {
    let request = match http::read_request(&mut stream) {
        Ok(request) => request,
        Err(http::Refusal::Gone) => return,
        Err(http::Refusal::Status(status)) => {
            let _ = http::respond_error(&mut stream, status);
            http::close_gracefully(&mut stream);
            return;
        }
    };
    place.responding();
    let _ = route(app, &request, &mut stream, place);
}

fn route(
    app: &App,
    request: &http::Request,
    stream: &mut TcpStream,
    place: &Place,
) -> io::Result<()> {
    if let Some(hooks) = &app.test_hooks {
        if let Some(result) = hooks.serve(request, stream) {
            return result;
        }
    }
    let allow = match request.path.as_str() {
        "/" | "/events" => "GET",
        "/chat" | "/drop" => "POST",
        _ => return http::respond_error(stream, 404),
    };
    if request.method != allow {
        return http::respond_not_allowed(stream, allow);
    }
    match request.path.as_str() {
        "/" => http::respond_ok(stream, "text/html; charset=utf-8", app.page.as_bytes()),
        "/events" => events(app, request, stream, place),
        "/drop" => {
            app.hub.drop_all();
            http::respond_no_content(stream)
        }
        _ => chat(request, stream),
    }
}

/// `/events`: catch up from `Last-Event-ID`, then stream live, with a
/// heartbeat after [`HEARTBEAT`] of silence. Each batch must be taken by
/// the client within [`WRITE_TIMEOUT`].
fn events(
    app: &App,
    request: &http::Request,
    stream: &mut TcpStream,
    place: &Place,
) -> io::Result<()> {
    http::start_stream(stream, &STREAM_HEADERS)?;
    let mut out = Vec::new();
    push_retry(&mut out, RETRY_MS);
    let mut subscriber = app.hub.subscribe(request.header("Last-Event-ID"), &mut out);
    let started = Instant::now();
    let mut heartbeat = Heartbeat::new(HEARTBEAT, started.elapsed());
    loop {
        if !out.is_empty() {
            http::write_all_by(stream, &out, Instant::now() + WRITE_TIMEOUT)?;
            heartbeat.wrote(started.elapsed());
            out.clear();
        }
        if place.is_evicted() {
            return Ok(());
        }
        // Wake at least once a second to notice an eviction.
        let wait = heartbeat.due().saturating_sub(started.elapsed());
        let wait = wait.min(Duration::from_secs(1));
        if !app
            .hub
            .next_events(&mut subscriber, &mut out, wait, MAX_BATCH)
        {
            // Asked to drop: close without a goodbye, as a network would.
            return stream.shutdown(std::net::Shutdown::Both);
        }
        if out.is_empty() && heartbeat.poll(started.elapsed()) {
            push_comment(&mut out, "ping");
        }
    }
}

/// `POST /chat`: the prompt is the UTF-8 body.
fn chat(request: &http::Request, stream: &mut TcpStream) -> io::Result<()> {
    let Ok(prompt) = std::str::from_utf8(&request.body) else {
        return http::respond_error(stream, 400);
    };
    let tokens = demo::chat_reply(prompt).into_iter();
    chat::stream_tokens(stream, tokens, TOKEN_DELAY)
}

fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

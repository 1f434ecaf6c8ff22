//! Real servers on loopback and a real HTTP client (hyper's) for the tests.

#![allow(dead_code, unreachable_pub)] // each test binary uses part of this

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::TokioIo;
use sse_proto::{OwnedFrame, Parser};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How long any single wait in a test may take before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A server the test started: its address and the task serving it.
pub struct Server {
    pub addr: SocketAddr,
    pub task: JoinHandle<()>,
}

/// Serves `app` on a free loopback port until the returned task is dropped
/// or `shutdown` completes.
pub async fn serve(
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .expect("serve");
    });
    Server { addr, task }
}

/// An open event stream read through hyper's HTTP/1.1 client.
pub struct Stream {
    pub status: hyper::StatusCode,
    pub headers: hyper::HeaderMap,
    body: Incoming,
    parser: Parser,
    frames: VecDeque<OwnedFrame>,
}

/// Opens `GET path` on `addr`, with `Last-Event-ID` when given.
pub async fn open(addr: SocketAddr, path: &str, last_event_id: Option<&str>) -> Stream {
    let io = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let mut request = Request::get(path)
        .header("host", addr.to_string())
        .header("accept", "text/event-stream");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let request = request.body(Empty::<Bytes>::new()).expect("request");
    let response = sender.send_request(request).await.expect("response");
    let (parts, body) = response.into_parts();
    Stream {
        status: parts.status,
        headers: parts.headers,
        body,
        parser: Parser::new(),
        frames: VecDeque::new(),
    }
}

impl Stream {
    /// The next frame (event or comment), `None` when the stream ended.
    /// Fails the test after [`PATIENCE`].
    pub async fn next_frame(&mut self) -> Option<OwnedFrame> {
        tokio::time::timeout(PATIENCE, self.read_frame())
            .await
            .expect("no frame in time")
    }

    /// The next event, skipping comments; `None` when the stream ended.
    pub async fn next_event(&mut self) -> Option<sse_proto::OwnedEvent> {
        loop {
            match self.next_frame().await? {
                OwnedFrame::Event(event) => return Some(event),
                _ => continue,
            }
        }
    }

    async fn read_frame(&mut self) -> Option<OwnedFrame> {
        loop {
            if let Some(frame) = self.frames.pop_front() {
                return Some(frame);
            }
            let frame = self.body.frame().await?.expect("body error");
            if let Ok(data) = frame.into_data() {
                self.frames
                    .extend(self.parser.frames(&data).map(|frame| frame.expect("parse")));
            }
        }
    }
}

/// Sends `POST /publish` with `body` and returns the status and answer.
pub async fn post(addr: SocketAddr, path: &str, body: Vec<u8>) -> (hyper::StatusCode, String) {
    let io = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let request = Request::post(path)
        .header("host", addr.to_string())
        .body(http_body_util::Full::new(Bytes::from(body)))
        .expect("request");
    let response = sender.send_request(request).await.expect("response");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body");
    (
        status,
        String::from_utf8_lossy(&body.to_bytes()).into_owned(),
    )
}

/// The `fanout` example's binary, built if `cargo test` was told to build
/// only some targets (then examples are not built for it).
pub fn example_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test> -> target/<profile>/examples/fanout
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let binary = profile_dir.join("examples").join("fanout");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = std::process::Command::new(cargo);
    build.args([
        "build",
        "--quiet",
        "-p",
        "sse-proto-axum",
        "--example",
        "fanout",
    ]);
    // The profile `cargo test` builds examples with: no rebuild then.
    let release = profile_dir.ends_with("release");
    build.args(["--profile", if release { "release" } else { "test" }]);
    // Cheap when it is up to date; makes sure it is not stale.
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "cargo build --example fanout failed");
    assert!(
        binary.exists(),
        "{} missing after the build",
        binary.display()
    );
    binary
}

/// The running `fanout` example, killed when dropped.
pub struct Example {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Example {
    /// Starts the example with `args` (plus `--addr 127.0.0.1:0`) and reads
    /// its first line.
    pub fn start(args: &[&str]) -> Self {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(example_binary())
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the example");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        let addr = first
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.trim_end().strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .parse()
            .expect("address");
        Self { child, addr }
    }

    /// The server process's resident memory in bytes (`/proc/PID/statm`).
    pub fn rss(&self) -> u64 {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.child.id()))
            .expect("read statm");
        let pages: u64 = statm
            .split_whitespace()
            .nth(1)
            .and_then(|field| field.parse().ok())
            .expect("statm's resident field");
        pages * 4096
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! A throwaway event-stream server on 127.0.0.1:0 for the tests: each
//! request is recorded and answered by the test's script, which says what
//! to send, when, and how the response ends. Real sockets, real HTTP.

#![allow(dead_code, unreachable_pub)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::sync::mpsc;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// When it arrived.
    pub at: Instant,
    /// When its response ended (filled in by then).
    pub ended: Option<Instant>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// How a streamed response ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The body ends properly (the last chunk of a chunked body).
    Clean,
    /// The connection is cut mid-body, as a crashed server's would be.
    Abort,
    /// Nothing more is sent until the client goes away.
    Hang,
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// `200 text/event-stream`: each piece after its delay, then `end`.
    Stream {
        pieces: Vec<(Duration, Bytes)>,
        end: End,
    },
    /// Any status, headers and body, at once.
    Plain {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Bytes,
    },
}

impl Reply {
    /// A stream of `pieces` sent at once, then `end`.
    pub fn stream(pieces: &[&str], end: End) -> Self {
        Self::Stream {
            pieces: pieces
                .iter()
                .map(|piece| (Duration::ZERO, Bytes::from(piece.to_string())))
                .collect(),
            end,
        }
    }

    pub fn plain(status: u16, headers: &[(&'static str, &str)], body: impl Into<Bytes>) -> Self {
        Self::Plain {
            status,
            headers: headers
                .iter()
                .map(|&(name, value)| (name, value.to_owned()))
                .collect(),
            body: body.into(),
        }
    }
}

type Script = dyn Fn(usize, &Seen) -> Reply + Send + Sync;

struct Shared {
    script: Box<Script>,
    seen: Mutex<Vec<Seen>>,
}

/// A running server; it stops when the test's runtime ends.
#[derive(Clone)]
pub struct Server {
    pub url: String,
    shared: Arc<Shared>,
}

impl Server {
    /// Starts a server that answers the n-th request (from 0) with
    /// `script(n, &request)`.
    pub async fn start(script: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared {
            script: Box::new(script),
            seen: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/events", listener.local_addr().unwrap());
        let app = Router::new().fallback(answer).with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, shared }
    }

    /// The requests so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// Waits until `n` requests have arrived (at most 10 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Seen> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let seen = self.seen();
            if seen.len() >= n {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "only {} of {n} requests arrived",
                seen.len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let seen = Seen {
        method: parts.method,
        headers: parts.headers,
        body,
        at: Instant::now(),
        ended: None,
    };
    let index = {
        let mut all = shared.seen.lock().unwrap();
        all.push(seen.clone());
        all.len() - 1
    };
    match (shared.script)(index, &seen) {
        Reply::Plain {
            status,
            headers,
            body,
        } => {
            shared.seen.lock().unwrap()[index].ended = Some(Instant::now());
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            for (name, value) in headers {
                response.headers_mut().insert(
                    HeaderName::from_static(name),
                    HeaderValue::from_str(&value).unwrap(),
                );
            }
            response
        }
        Reply::Stream { pieces, end } => {
            let (sender, receiver) = mpsc::channel(16);
            tokio::spawn(send_pieces(shared.clone(), index, pieces, end, sender));
            let mut response = Response::new(Body::from_stream(Pieces(receiver)));
            response.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("text/event-stream"),
            );
            response
        }
    }
}

type Piece = Result<Bytes, std::io::Error>;

async fn send_pieces(
    shared: Arc<Shared>,
    index: usize,
    pieces: Vec<(Duration, Bytes)>,
    end: End,
    sender: mpsc::Sender<Piece>,
) {
    for (delay, piece) in pieces {
        tokio::time::sleep(delay).await;
        if sender.send(Ok(piece)).await.is_err() {
            break;
        }
    }
    match end {
        End::Clean => {}
        End::Abort => {
            // Let what was sent reach the socket first: hyper drops what
            // it still holds when the body fails.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let _ = sender.send(Err(std::io::Error::other("cut"))).await;
        }
        End::Hang => {
            while !sender.is_closed() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    drop(sender);
    shared.seen.lock().unwrap()[index].ended = Some(Instant::now());
}

/// A body from a channel of pieces (an `Err` aborts the connection).
struct Pieces(mpsc::Receiver<Piece>);

impl futures_core::Stream for Pieces {
    type Item = Piece;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Piece>> {
        self.0.poll_recv(cx)
    }
}

/// Runs `future`, failing the test if it takes longer than `limit`.
pub async fn within<T>(limit: Duration, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .expect("timed out")
}

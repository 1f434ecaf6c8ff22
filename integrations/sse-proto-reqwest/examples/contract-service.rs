//! The test service of LaunchDarkly's SSE contract suite
//! (launchdarkly/sse-contract-tests, `docs/service_spec.md`), on
//! `sse-proto-reqwest`.
//!
//! ```sh
//! cargo run --release -p sse-proto-reqwest --example contract-service -- --addr 127.0.0.1:8000
//! ../shared/tools/sse-contract-tests --url http://127.0.0.1:8000 --host 127.0.0.1 --port 8111
//! ```
//!
//! The harness creates streams (`POST /` with a URL, headers, method, body,
//! initial `Last-Event-ID` and read timeout), sends them commands
//! (`restart`) and deletes them; the service posts every event, comment and
//! error its client sees to the stream's callback URL, numbered from 1.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use sse_proto_reqwest::reqwest::Client;
use sse_proto_reqwest::{EventSource, Parser, Policy, Update};
use tokio::sync::{mpsc, oneshot};

const CAPABILITIES: [&str; 8] = [
    "comments",
    "bom",
    "headers",
    "last-event-id",
    "post",
    "report",
    "read-timeout",
    "restart",
];

/// A command for a running stream.
enum Command {
    Restart,
}

struct Service {
    client: Client,
    streams: Mutex<HashMap<u64, mpsc::UnboundedSender<Command>>>,
    next_id: AtomicU64,
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let addr = parse_addr();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("the address is free");
    println!("listening on http://{}/", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel();
    let service = Arc::new(Service {
        client: Client::new(),
        streams: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(1),
        stop: Mutex::new(Some(stop)),
    });
    let app = Router::new().fallback(route).with_state(service);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
}

fn parse_addr() -> SocketAddr {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|arg| arg == "--addr") {
        Some(at) => args
            .get(at + 1)
            .and_then(|addr| addr.parse().ok())
            .expect("--addr HOST:PORT"),
        None => "127.0.0.1:8000".parse().unwrap(),
    }
}

async fn route(State(service): State<Arc<Service>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let stream_id = path
        .strip_prefix("/streams/")
        .and_then(|id| id.parse::<u64>().ok());
    match (method, path.as_str(), stream_id) {
        (Method::GET, "/", _) => {
            let status = json!({ "capabilities": CAPABILITIES }).to_string();
            ([("content-type", "application/json")], status).into_response()
        }
        (Method::DELETE, "/", _) => {
            if let Some(stop) = service.stop.lock().unwrap().take() {
                let _ = stop.send(());
            }
            StatusCode::NO_CONTENT.into_response()
        }
        (Method::POST, "/", _) => create(&service, &body),
        (Method::POST, _, Some(id)) => command(&service, id, &body),
        (Method::DELETE, _, Some(id)) => match service.streams.lock().unwrap().remove(&id) {
            // Dropping the sender ends the stream's task, which drops its
            // event source: that closes the connection.
            Some(_) => StatusCode::NO_CONTENT.into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn create(service: &Arc<Service>, body: &Bytes) -> Response {
    let Ok(config) = serde_json::from_slice::<Value>(body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let (Some(url), Some(callback)) =
        (config["streamUrl"].as_str(), config["callbackUrl"].as_str())
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Ok(source) = event_source(&service.client, url, &config) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let id = service.next_id.fetch_add(1, Ordering::Relaxed);
    let (commands, receiver) = mpsc::unbounded_channel();
    service.streams.lock().unwrap().insert(id, commands);
    let callback = Callback {
        client: service.client.clone(),
        url: callback.to_owned(),
        count: 0,
    };
    tokio::spawn(run(source, callback, receiver));
    (
        StatusCode::CREATED,
        [("location", format!("/streams/{id}"))],
    )
        .into_response()
}

fn command(service: &Service, id: u64, body: &Bytes) -> Response {
    let Some(commands) = service.streams.lock().unwrap().get(&id).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let command = serde_json::from_slice::<Value>(body).unwrap_or_default();
    match command["command"].as_str() {
        Some("restart") => {
            let _ = commands.send(Command::Restart);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The event source the harness asked for.
fn event_source(client: &Client, url: &str, config: &Value) -> Result<EventSource, ()> {
    let method = config["method"].as_str().unwrap_or("GET");
    let method = Method::from_bytes(method.as_bytes()).map_err(drop)?;
    let mut request = client.request(method, url);
    let mut content_type = false;
    if let Some(headers) = config["headers"].as_object() {
        for (name, value) in headers {
            content_type |= name.eq_ignore_ascii_case("content-type");
            request = request.header(name, value.as_str().ok_or(())?);
        }
    }
    if let Some(body) = config["body"].as_str() {
        if !content_type {
            request = request.header("content-type", "text/plain");
        }
        request = request.body(body.to_owned());
    }
    // LaunchDarkly's clients reconnect whatever the method, and the suite
    // expects it: allow a POST or REPORT to be sent again.
    let mut policy = Policy::new().resend_after_open(true);
    if let Some(ms) = config["initialDelayMs"].as_u64() {
        policy = policy.default_reconnection_time(Duration::from_millis(ms));
    }
    if let Some(ms) = config["readTimeoutMs"].as_u64() {
        policy = policy.idle_timeout(Some(Duration::from_millis(ms)));
    }
    let mut parser = Parser::new();
    if let Some(id) = config["lastEventId"].as_str().filter(|id| !id.is_empty()) {
        parser = parser.with_last_event_id(sse_proto::EventId::new(id).map_err(drop)?);
    }
    Ok(EventSource::new(request)
        .map_err(drop)?
        .policy(policy)
        .parser(parser))
}

/// Posts numbered messages to a stream's callback URL, in order.
struct Callback {
    client: Client,
    url: String,
    count: u64,
}

impl Callback {
    async fn post(&mut self, message: Value) {
        self.count += 1;
        let url = format!("{}/{}", self.url, self.count);
        // The harness may be gone already at the end of a test.
        let request = self
            .client
            .post(url)
            .header("content-type", "application/json");
        let _ = request.body(message.to_string()).send().await;
    }
}

/// Runs one stream until the harness deletes it.
async fn run(
    mut source: EventSource,
    mut callback: Callback,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let mut stopped = false;
    loop {
        tokio::select! {
            update = source.next_update(), if !stopped => match update {
                Some(Ok(update)) => report(&mut callback, update).await,
                Some(Err(error)) => {
                    callback.post(json!({ "kind": "error", "comment": error.to_string() })).await;
                }
                None => stopped = true,
            },
            command = commands.recv() => match command {
                Some(Command::Restart) => source.restart(),
                None => return,
            },
        }
    }
}

async fn report(callback: &mut Callback, update: Update) {
    let message = match update {
        Update::Event(event) => {
            let mut fields =
                json!({ "type": event.event_type.as_str(), "data": event.data.as_str() });
            if !event.id.is_empty() {
                fields["id"] = json!(event.id.as_str());
            }
            json!({ "kind": "event", "event": fields })
        }
        Update::Comment(text) => json!({ "kind": "comment", "comment": text.as_str() }),
        Update::Reconnecting {
            error: Some(error), ..
        } => {
            json!({ "kind": "error", "comment": error.to_string() })
        }
        _ => return,
    };
    callback.post(message).await;
}

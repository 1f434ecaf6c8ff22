//! A fan-out server: `POST /publish` sends its body to every `GET /events`.
//!
//! ```text
//! cargo run --release -p sse-proto-axum --example fanout -- --addr 127.0.0.1:0
//! ```
//!
//! Prints `listening on http://ADDR/` first. `GET /events` streams every
//! event published, with IDs 1, 2, 3...; `Last-Event-ID: n` replays every
//! held event after `n` (the last 1000 at least), then live ones; an unknown
//! or evicted `n` gets an event of type `resync` first. `POST /publish`
//! publishes its body (UTF-8) as one event's data and answers `200` with the
//! new ID; a body that is not UTF-8 gets `400`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use sse_proto::Message;
use sse_proto_axum::{Channel, Config, SendError, Subscription};

const USAGE: &str = "\
Usage: fanout [OPTIONS]

A Server-Sent Events fan-out server.
  GET  /events    every published event (IDs 1, 2, 3...); resumes from
                  Last-Event-ID, or sends an event of type `resync` first
  POST /publish   publishes the body (UTF-8) as one event; answers its ID

Options:
  --addr ADDR            address to listen on [default: 127.0.0.1:8080];
                         port 0 picks a free one
  --history N            events of history kept for resuming [default: 1000]
  --history-bytes N      bytes of encoded history kept [default: 67108864]
  --heartbeat SECONDS    heartbeat interval, 0 for none [default: 15]
  --max-body N           largest accepted POST body in bytes [default: 1048576]
  -h, --help             print this help
";

/// The command line.
#[derive(Debug)]
struct Options {
    addr: SocketAddr,
    config: Config,
    max_body: usize,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("fanout: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    match runtime.map(|runtime| runtime.block_on(serve(options))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(error)) | Err(error) => {
            eprintln!("fanout: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the options; `Ok(None)` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        config: Config::new().max_events(1000).max_bytes(64 << 20),
        max_body: 1 << 20,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => options.addr = number(&value("--addr")?, "--addr")?,
            "--history" => {
                let events = number::<usize>(&value("--history")?, "--history")?;
                options.config = options.config.max_events(events.max(1));
            }
            "--history-bytes" => {
                let bytes = number(&value("--history-bytes")?, "--history-bytes")?;
                options.config = options.config.max_bytes(bytes);
            }
            "--heartbeat" => {
                let seconds: u64 = number(&value("--heartbeat")?, "--heartbeat")?;
                let interval = (seconds > 0).then(|| Duration::from_secs(seconds));
                options.config = options.config.heartbeat(interval);
            }
            "--max-body" => options.max_body = number(&value("--max-body")?, "--max-body")?,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Some(options))
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: cannot read {text:?}"))
}

async fn serve(options: Options) -> std::io::Result<()> {
    let channel = Channel::with_config(options.config);
    let app = Router::new()
        .route("/events", get(|events: Subscription| async { events }))
        .route("/publish", post(publish))
        .layer(DefaultBodyLimit::max(options.max_body))
        .layer(axum::middleware::map_response(allow_any_origin))
        .with_state(channel.clone());
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    // The first line, which scripts read to find the port.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{}/", listener.local_addr()?)?;
    stdout.flush()?;
    drop(stdout);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            // Every stream ends, so that the server can finish; a client
            // whose socket is stuck cannot take its end, so it gets 5 s.
            channel.close();
            tokio::spawn(async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                std::process::exit(0);
            });
        })
        .await
}

/// Lets pages served from elsewhere (a test page, a browser's `EventSource`
/// on another port) read the stream and publish.
async fn allow_any_origin(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

/// `POST /publish`: the body is one event's data; answers its ID.
async fn publish(State(channel): State<Channel>, body: Bytes) -> (StatusCode, String) {
    let Ok(data) = std::str::from_utf8(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "the body is not UTF-8\n".to_owned(),
        );
    };
    match channel.publish(Message::new(data)) {
        Ok(id) => (StatusCode::OK, id.to_string()),
        Err(error @ SendError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, format!("{error}\n"))
        }
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n")),
    }
}

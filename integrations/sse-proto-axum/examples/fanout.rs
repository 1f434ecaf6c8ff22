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
//!
//! With `--redis redis://HOST:PORT/` (built with `--features redis`) the
//! history and live feed are a Redis stream shared by every server started
//! on it: IDs are stream IDs (`1700000000000-0`) that resume on any of them,
//! and `POST /publish` answers `503` within a second while Redis is away.

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
use sse_proto_axum::{Channel, Config, LastEventId, SendError, Subscription};

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
  --redis URL            share history and live events with every server on
                         this Redis (redis://HOST:PORT/); IDs are then Redis
                         stream IDs; needs the `redis` feature
  --redis-key KEY        the Redis stream's key [default: sse-proto:events]
  --redis-history N      about how many events the Redis stream keeps
                         (MAXLEN ~) [default: --history]
  -h, --help             print this help
";

/// The command line.
#[derive(Debug)]
struct Options {
    addr: SocketAddr,
    config: Config,
    max_body: usize,
    /// `--redis`, `--redis-key` and `--redis-history`.
    redis: Option<(String, Option<String>, Option<usize>)>,
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
        redis: None,
    };
    let (mut redis_key, mut redis_history) = (None, None);
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
            "--redis" => options.redis = Some((value("--redis")?, None, None)),
            "--redis-key" => redis_key = Some(value("--redis-key")?),
            "--redis-history" => {
                redis_history = Some(number(&value("--redis-history")?, "--redis-history")?);
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    match &mut options.redis {
        Some((_, key, history)) => (*key, *history) = (redis_key, redis_history),
        None if redis_key.is_some() || redis_history.is_some() => {
            return Err("--redis-key and --redis-history need --redis".to_owned())
        }
        None => {}
    }
    if options.redis.is_some() && !cfg!(feature = "redis") {
        return Err("--redis: built without the `redis` feature".to_owned());
    }
    Ok(Some(options))
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: cannot read {text:?}"))
}

/// Where events are kept: this process's memory, or a shared Redis stream.
#[derive(Debug, Clone)]
enum Backend {
    Memory(Channel),
    #[cfg(feature = "redis")]
    Redis(sse_proto_axum::RedisChannel),
}

impl Backend {
    async fn new(options: &Options) -> std::io::Result<Self> {
        let Some((_url, _key, _history)) = &options.redis else {
            return Ok(Self::Memory(Channel::with_config(options.config)));
        };
        #[cfg(feature = "redis")]
        {
            let mut redis = sse_proto_axum::RedisConfig::new(_url.as_str());
            if let Some(key) = _key {
                redis = redis.key(key.as_str());
            }
            if let Some(history) = _history {
                redis = redis.max_len(*history);
            }
            sse_proto_axum::RedisChannel::connect(options.config, redis)
                .await
                .map(Self::Redis)
                .map_err(|error| std::io::Error::other(format!("--redis {_url}: {error}")))
        }
        #[cfg(not(feature = "redis"))]
        unreachable!("refused by parse")
    }

    fn close(&self) {
        match self {
            Self::Memory(channel) => channel.close(),
            #[cfg(feature = "redis")]
            Self::Redis(channel) => channel.close(),
        }
    }
}

async fn serve(options: Options) -> std::io::Result<()> {
    let channel = Backend::new(&options).await?;
    let app = Router::new()
        .route("/events", get(events))
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

/// `GET /events`: the stream, resumed from `Last-Event-ID`.
async fn events(State(backend): State<Backend>, LastEventId(last): LastEventId) -> Subscription {
    match backend {
        Backend::Memory(channel) => channel.subscribe(last.as_deref()),
        #[cfg(feature = "redis")]
        Backend::Redis(channel) => channel.subscribe(last.as_deref()).await,
    }
}

/// `POST /publish`: the body is one event's data; answers its ID.
async fn publish(State(backend): State<Backend>, body: Bytes) -> (StatusCode, String) {
    let Ok(data) = std::str::from_utf8(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "the body is not UTF-8\n".to_owned(),
        );
    };
    match backend {
        Backend::Memory(channel) => publish_memory(&channel, data),
        #[cfg(feature = "redis")]
        Backend::Redis(channel) => publish_redis(&channel, data).await,
    }
}

/// `POST /publish` in memory: the ID is the event's number.
fn publish_memory(channel: &Channel, data: &str) -> (StatusCode, String) {
    match channel.publish(Message::new(data)) {
        Ok(id) => (StatusCode::OK, id.to_string()),
        Err(error @ SendError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, format!("{error}\n"))
        }
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n")),
    }
}

/// `POST /publish` on Redis: `503` at once when Redis is unreachable.
#[cfg(feature = "redis")]
async fn publish_redis(channel: &sse_proto_axum::RedisChannel, data: &str) -> (StatusCode, String) {
    use sse_proto_axum::RedisError;
    match channel.publish(None, data).await {
        Ok(id) => (StatusCode::OK, id),
        Err(error @ RedisError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, format!("{error}\n"))
        }
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n")),
    }
}

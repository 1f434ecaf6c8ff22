//! History and live feed shared by several servers through one Redis stream
//! (feature `redis`).

// Maintainers: the local ring stays the fan-out path. Publishing only
// `XADD`s; the reader task (reader.rs) is the only writer of the ring, in
// the stream's order, so every instance holds the same events under the
// same IDs. Redis is asked only to publish, by the reader, and to fill the
// gap of a client older than the ring.

mod ids;
mod reader;

use core::fmt;
use core::time::Duration;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use sse_proto::{Cursor, EventId, EventType, Message};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::channel::{Locate, Resync};
use crate::subscription::Start;
use crate::{Channel, Config, Subscription};

/// The default for [`RedisConfig::key`]: `sse-proto:events`.
pub const DEFAULT_STREAM_KEY: &str = "sse-proto:events";

/// The default for [`RedisConfig::timeout`]: one second.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// Where and how a [`RedisChannel`] keeps its stream.
///
/// ```
/// use std::time::Duration;
/// use sse_proto_axum::RedisConfig;
///
/// let config = RedisConfig::new("redis://127.0.0.1:6379/")
///     .key("prices")
///     .max_len(100_000)
///     .timeout(Duration::from_millis(500));
/// assert_eq!(config.max_len, Some(100_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RedisConfig {
    /// See [`RedisConfig::new`].
    pub url: String,
    /// See [`RedisConfig::key`].
    pub key: String,
    /// See [`RedisConfig::max_len`].
    pub max_len: Option<usize>,
    /// See [`RedisConfig::timeout`].
    pub timeout: Duration,
}

impl RedisConfig {
    /// The Redis at `url` (`redis://HOST:PORT/`), stream
    /// [`DEFAULT_STREAM_KEY`], capped at the channel's
    /// [`Config::max_events`], a [`DEFAULT_TIMEOUT`] of one second.
    ///
    /// ```
    /// let config = sse_proto_axum::RedisConfig::new("redis://127.0.0.1/");
    /// assert_eq!(config.key, sse_proto_axum::DEFAULT_STREAM_KEY);
    /// ```
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key: DEFAULT_STREAM_KEY.to_owned(),
            max_len: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The stream's key: every server on the same key shares its events.
    ///
    /// ```
    /// assert_eq!(sse_proto_axum::RedisConfig::new("redis://h/").key("k").key, "k");
    /// ```
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    /// About how many events the stream keeps (`XADD ... MAXLEN ~ N`: Redis
    /// trims whole nodes, so it may keep a few more). A client whose
    /// `Last-Event-ID` is older than the local ring but still in the stream
    /// gets the events in between from Redis. `None`: the ring's
    /// [`Config::max_events`].
    ///
    /// ```
    /// let config = sse_proto_axum::RedisConfig::new("redis://h/").max_len(10);
    /// assert_eq!(config.max_len, Some(10));
    /// ```
    #[must_use]
    pub const fn max_len(mut self, max_len: usize) -> Self {
        self.max_len = Some(max_len);
        self
    }

    /// How long connecting or a command may take before it fails: a
    /// publish to an unreachable Redis returns [`RedisError::Timeout`]
    /// after at most about this long (at once when the connection is
    /// refused).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = sse_proto_axum::RedisConfig::new("redis://h/").timeout(Duration::from_secs(2));
    /// assert_eq!(config.timeout, Duration::from_secs(2));
    /// ```
    #[must_use]
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Why a [`RedisChannel`] could not connect or publish.
///
/// ```
/// use sse_proto_axum::RedisError;
/// assert_eq!(RedisError::Timeout.to_string(), "redis did not answer in time");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RedisError {
    /// The channel was closed: nothing more is published.
    Closed,
    /// The encoded event (at most `size` bytes with its ID) is larger than
    /// the local history (`max_bytes`), so no server could hold it.
    TooLarge {
        /// The event's encoded size in bytes, with the longest stream ID.
        size: usize,
        /// [`Config::max_bytes`].
        max_bytes: usize,
    },
    /// Redis did not answer within [`RedisConfig::timeout`].
    Timeout,
    /// Redis refused the connection or the command, or the URL is wrong.
    Redis(redis::RedisError),
}

impl fmt::Display for RedisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed => f.write_str("the channel is closed"),
            Self::TooLarge { size, max_bytes } => write!(
                f,
                "event of {size} bytes is larger than the history's {max_bytes} bytes"
            ),
            Self::Timeout => f.write_str("redis did not answer in time"),
            Self::Redis(_) => f.write_str("redis failed"),
        }
    }
}

impl std::error::Error for RedisError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Redis(error) => Some(error),
            _ => None,
        }
    }
}

impl From<redis::RedisError> for RedisError {
    fn from(error: redis::RedisError) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else {
            Self::Redis(error)
        }
    }
}

/// A [`Channel`] whose history and live feed are one Redis stream, shared
/// by every server on it: an event published through any server reaches
/// the subscribers of all, and its ID (the stream ID Redis gave it, such as
/// `1700000000000-0`) resumes on any of them.
///
/// Each server still fans out from its own in-memory ring (encoded once,
/// shared by its subscribers): a task reads the stream (`XREAD BLOCK`) into
/// it, in the stream's order. A `Last-Event-ID` older than the ring is
/// looked up in Redis (`XRANGE`) and the events in between are sent first;
/// one older than the stream's cap gets a `resync` event with reason
/// `evicted`, one never issued `unknown`.
///
/// While Redis is unreachable, publishing fails within
/// [`RedisConfig::timeout`], streams stay open with their heartbeats, and
/// the reader reconnects with backoff and carries on after the last entry
/// it read: what Redis kept is delivered once, in order.
///
/// ```no_run
/// use sse_proto_axum::{Config, RedisChannel, RedisConfig};
///
/// # async fn run() -> Result<(), sse_proto_axum::RedisError> {
/// let channel = RedisChannel::connect(Config::new(), RedisConfig::new("redis://127.0.0.1/")).await?;
/// let id = channel.publish(None, "hello").await?; // e.g. "1700000000000-0"
/// let resumed = channel.subscribe(Some(&id)).await; // on this server or any other
/// # drop(resumed);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisChannel {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    channel: Channel,
    client: redis::Client,
    config: RedisConfig,
    /// The connection for publishing and the reads of resuming clients,
    /// with the reader's `connections` count when it was made; made again
    /// after a failure, or once the reader had to reconnect (Redis went
    /// away, so this one is dead too: found before a publish fails on it).
    publisher: Mutex<Option<(MultiplexedConnection, u64)>>,
    /// How many times the reader connected.
    connections: Arc<AtomicU64>,
    reader: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl RedisChannel {
    /// Connects to Redis, loads the newest [`Config::max_events`] events
    /// of the stream into the local ring (so that clients resume at once),
    /// and starts reading the stream. Must be called inside a tokio
    /// runtime.
    ///
    /// # Errors
    ///
    /// [`RedisError::Redis`] for a bad URL or a refused connection,
    /// [`RedisError::Timeout`] when Redis does not answer in time.
    pub async fn connect(config: Config, redis: RedisConfig) -> Result<Self, RedisError> {
        let client = redis::Client::open(redis.url.as_str())?;
        let mut connection = connect(&client, redis.timeout, redis.timeout).await?;
        let channel = Channel::with_ids(config, ids::StreamIds);
        let last = reader::preload(&mut connection, &redis.key, &channel).await?;
        let connections = Arc::new(AtomicU64::new(0));
        let reader = tokio::spawn(reader::run(
            channel.clone(),
            client.clone(),
            redis.clone(),
            last,
            Arc::clone(&connections),
        ));
        Ok(Self {
            inner: Arc::new(Inner {
                channel,
                client,
                config: redis,
                publisher: Mutex::new(Some((connection, 1))),
                connections,
                reader,
            }),
        })
    }

    /// Appends an event to the stream (`XADD`, trimmed to
    /// [`RedisConfig::max_len`]) and returns its ID. Every server's
    /// subscribers, this one's included, get it once their reader has read
    /// it (usually well under a millisecond later).
    ///
    /// # Errors
    ///
    /// [`RedisError::Closed`] after [`close`](Self::close),
    /// [`RedisError::TooLarge`] for an event the ring cannot hold,
    /// [`RedisError::Timeout`] or [`RedisError::Redis`] when Redis is
    /// unreachable or refuses: the event may then not have been published.
    pub async fn publish(
        &self,
        event_type: Option<EventType<'_>>,
        data: &str,
    ) -> Result<String, RedisError> {
        if self.inner.channel.is_closed() {
            return Err(RedisError::Closed);
        }
        let mut message = Message::new(data);
        if let Some(event_type) = event_type {
            message = message.event_type(event_type);
        }
        let longest = EventId::new(ids::LONGEST).map_or(0, |id| message.id(id).encoded_len());
        let max_bytes = self.inner.channel.config().max_bytes;
        if longest > max_bytes {
            return Err(RedisError::TooLarge {
                size: longest,
                max_bytes,
            });
        }
        let max_len = self.max_len();
        let mut command = redis::cmd("XADD");
        command
            .arg(&self.inner.config.key)
            .arg("MAXLEN")
            .arg("~")
            .arg(max_len)
            .arg("*")
            .arg(reader::DATA)
            .arg(data);
        if let Some(event_type) = event_type {
            command.arg(reader::EVENT).arg(event_type.as_str());
        }
        // Connecting counts too: publishes queued behind a connection
        // attempt to an unreachable host fail within the timeout as well.
        let attempt = async {
            let mut connection = self.publisher().await?;
            Ok(command.query_async::<String>(&mut connection).await?)
        };
        let result = tokio::time::timeout(self.inner.config.timeout, attempt)
            .await
            .map_err(|_| RedisError::Timeout)
            .and_then(|reply| reply);
        if result.is_err() {
            // Not sent again (Redis may have appended it): made again at
            // the next publish.
            self.forget_publisher().await;
        }
        result
    }

    /// A subscription for a client that sent this `Last-Event-ID`, as
    /// [`Channel::subscribe`], on any server of the stream: an ID held
    /// locally resumes at once; an older one still in Redis gets the
    /// events in between from Redis first; one older than the stream's cap
    /// gets `resync` `evicted`, one never issued `unknown`, and if Redis
    /// does not answer, `unavailable`; each then continues with every
    /// event held locally.
    pub async fn subscribe(&self, last_event_id: Option<&str>) -> Subscription {
        let channel = &self.inner.channel;
        let Some(id) = last_event_id.filter(|id| ids::parse(id).is_some()) else {
            return channel.subscribe(last_event_id);
        };
        // An ID just published through another server may not have been
        // read here yet: wait for the reader a little.
        let deadline = tokio::time::Instant::now() + self.inner.config.timeout;
        loop {
            match channel.locate(id, ids::older) {
                Locate::Held(cursor) => return channel.subscribe_at(Start::Live(cursor), vec![]),
                Locate::Older { oldest, oldest_id } => {
                    return self.fill_gap(id, oldest, &oldest_id).await
                }
                Locate::NotHeld(oldest) => {
                    let known = self.judge(id).await;
                    match known {
                        Ok(Judged::Held) if tokio::time::Instant::now() < deadline => {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        Ok(Judged::Evicted) => {
                            return channel
                                .subscribe_at(Start::Resync(oldest, Resync::Evicted), vec![])
                        }
                        Ok(_) => {
                            return channel
                                .subscribe_at(Start::Resync(oldest, Resync::Unknown), vec![])
                        }
                        Err(_) => {
                            return channel
                                .subscribe_at(Start::Resync(oldest, Resync::Unavailable), vec![])
                        }
                    }
                }
            }
        }
    }

    /// The local channel: its subscriber count, history size, [`Config`].
    /// Publish through [`RedisChannel::publish`]: the channel's own
    /// `publish` would reach this server's subscribers only.
    #[must_use]
    pub fn channel(&self) -> &Channel {
        &self.inner.channel
    }

    /// Ends every local subscription (see [`Channel::close`]) and stops
    /// reading the stream; the stream itself stays in Redis.
    pub fn close(&self) {
        self.inner.channel.close();
        self.inner.reader.abort();
    }

    fn max_len(&self) -> usize {
        let config = &self.inner.config;
        config
            .max_len
            .unwrap_or(self.inner.channel.config().max_events)
            .max(1)
    }

    /// The publishing connection, made if there is none or the reader
    /// reconnected since it was made.
    async fn publisher(&self) -> Result<MultiplexedConnection, RedisError> {
        let mut publisher = self.inner.publisher.lock().await;
        let connections = self.inner.connections.load(Ordering::Acquire);
        if let Some((connection, made)) = &*publisher {
            if *made >= connections {
                return Ok(connection.clone());
            }
        }
        let timeout = self.inner.config.timeout;
        let connection = connect(&self.inner.client, timeout, timeout).await;
        *publisher = connection.as_ref().ok().map(|c| (c.clone(), connections));
        connection
    }

    /// Forgets the publishing connection after a failure on it.
    async fn forget_publisher(&self) {
        *self.inner.publisher.lock().await = None;
    }

    /// Sends the events after `id` and before `oldest_id` from Redis, then
    /// the ring's from `oldest`.
    async fn fill_gap(&self, id: &str, oldest: Cursor, oldest_id: &str) -> Subscription {
        let channel = &self.inner.channel;
        let key = &self.inner.config.key;
        let (max_len, max_chunk) = (self.max_len(), channel.config().max_chunk);
        let gap = self.read_twice(|mut connection| async move {
            reader::gap(&mut connection, key, id, oldest_id, max_len, max_chunk).await
        });
        match gap.await {
            Ok((true, chunks)) => channel.subscribe_at(Start::Live(oldest), chunks),
            Ok((false, _)) => match self.judge(id).await {
                Ok(Judged::Unknown) => {
                    channel.subscribe_at(Start::Resync(oldest, Resync::Unknown), vec![])
                }
                Ok(_) => channel.subscribe_at(Start::Resync(oldest, Resync::Evicted), vec![]),
                Err(_) => channel.subscribe_at(Start::Resync(oldest, Resync::Unavailable), vec![]),
            },
            Err(_) => channel.subscribe_at(Start::Resync(oldest, Resync::Unavailable), vec![]),
        }
    }

    /// What Redis knows of `id`.
    async fn judge(&self, id: &str) -> Result<Judged, RedisError> {
        let key = &self.inner.config.key;
        self.read_twice(
            |mut connection| async move { reader::judge(&mut connection, key, id).await },
        )
        .await
    }

    /// Runs the read-only `query`, within the timeout; once more on a new
    /// connection if it failed (reading twice does no harm).
    async fn read_twice<T, F>(
        &self,
        query: impl Fn(MultiplexedConnection) -> F,
    ) -> Result<T, RedisError>
    where
        F: core::future::Future<Output = Result<T, RedisError>>,
    {
        let mut last = RedisError::Timeout;
        for _ in 0..2 {
            let attempt = async {
                let connection = self.publisher().await?;
                query(connection).await
            };
            match tokio::time::timeout(self.inner.config.timeout, attempt).await {
                Ok(Ok(answer)) => return Ok(answer),
                Ok(Err(error)) => last = error,
                Err(_) => last = RedisError::Timeout,
            }
            self.forget_publisher().await;
        }
        Err(last)
    }
}

/// What Redis holds of an ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judged {
    /// In the stream.
    Held,
    /// Older than the stream's first entry: trimmed.
    Evicted,
    /// Neither: never issued (or the stream was deleted).
    Unknown,
}

/// A multiplexed connection with these timeouts.
async fn connect(
    client: &redis::Client,
    connect_timeout: Duration,
    response_timeout: Duration,
) -> Result<MultiplexedConnection, RedisError> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(connect_timeout))
        .set_response_timeout(Some(response_timeout));
    let connecting = client.get_multiplexed_async_connection_with_config(&config);
    match tokio::time::timeout(connect_timeout, connecting).await {
        Ok(connection) => Ok(connection?),
        Err(_) => Err(RedisError::Timeout),
    }
}

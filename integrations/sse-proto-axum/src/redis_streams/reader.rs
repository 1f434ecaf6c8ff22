//! Reading the stream: the reader task that feeds the local ring, the
//! initial load, and the reads for a resuming client's gap.

use core::time::Duration;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamId, StreamRangeReply, StreamReadReply};
use sse_proto::{EventId, EventType, Message};

use super::{connect, ids, Judged, RedisConfig, RedisError};
use crate::Channel;

/// The entry field holding the event's data.
pub(crate) const DATA: &str = "data";
/// The entry field holding the event's type, when it has one.
pub(crate) const EVENT: &str = "event";

/// How long one `XREAD` waits for new entries before it is sent again.
const BLOCK: Duration = Duration::from_secs(5);
/// The most entries one `XREAD` returns.
const BATCH: usize = 1000;
/// The first and longest wait before reconnecting.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(50), Duration::from_secs(2));

/// An entry as an event named by its stream ID. Entries written by others
/// without the fields get empty data, and a type that is not valid is
/// dropped, so that every entry keeps its place and its ID.
fn with_message<T>(entry: &StreamId, then: impl FnOnce(Message<'_>) -> T) -> Option<T> {
    let id = EventId::new(&entry.id).ok()?;
    let text = |field: &str| {
        entry
            .get::<Vec<u8>>(field)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    let data = text(DATA).unwrap_or_default();
    let event_type = text(EVENT);
    let mut message = Message::new(&data).id(id);
    if let Some(event_type) = event_type.as_deref().and_then(|t| EventType::new(t).ok()) {
        message = message.event_type(event_type);
    }
    Some(then(message))
}

/// Publishes `entry` into the local ring.
fn deliver(channel: &Channel, entry: &StreamId) {
    // Refused only if larger than the ring, which no server could hold:
    // `RedisChannel::publish` refuses those before they reach the stream.
    let _ = with_message(entry, |message| channel.publish(message));
}

/// Loads the newest entries the ring holds; returns the ID to read after.
pub(crate) async fn preload(
    connection: &mut MultiplexedConnection,
    key: &str,
    channel: &Channel,
) -> Result<String, RedisError> {
    let count = channel.config().max_events.max(1);
    let newest: StreamRangeReply = redis::cmd("XREVRANGE")
        .arg(key)
        .arg("+")
        .arg("-")
        .arg("COUNT")
        .arg(count)
        .query_async(connection)
        .await?;
    for entry in newest.ids.iter().rev() {
        deliver(channel, entry);
    }
    Ok(newest
        .ids
        .first()
        .map_or_else(|| "0-0".to_owned(), |entry| entry.id.clone()))
}

/// The reader task: `XREAD BLOCK` after `last` into the ring, for ever;
/// after a failure it reconnects with backoff and reads on after `last`, so
/// nothing Redis kept is lost or delivered twice.
/// `connections` counts the connections made, so that the publisher knows
/// its own is from before an outage.
pub(crate) async fn run(
    channel: Channel,
    client: redis::Client,
    config: RedisConfig,
    mut last: String,
    connections: Arc<AtomicU64>,
) {
    let mut backoff = BACKOFF.0;
    while !channel.is_closed() {
        // A blocking read holds its connection: this one is the reader's.
        let connection = connect(&client, config.timeout, BLOCK + config.timeout).await;
        if let Ok(mut connection) = connection {
            connections.fetch_add(1, Ordering::AcqRel);
            while !channel.is_closed() {
                let read: Result<Option<StreamReadReply>, _> = redis::cmd("XREAD")
                    .arg("COUNT")
                    .arg(BATCH)
                    .arg("BLOCK")
                    .arg(u64::try_from(BLOCK.as_millis()).unwrap_or(u64::MAX))
                    .arg("STREAMS")
                    .arg(&config.key)
                    .arg(&last)
                    .query_async(&mut connection)
                    .await;
                let Ok(reply) = read else { break };
                backoff = BACKOFF.0;
                for entry in reply
                    .iter()
                    .flat_map(|reply| &reply.keys)
                    .flat_map(|key| &key.ids)
                {
                    deliver(&channel, entry);
                    last.clone_from(&entry.id);
                }
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(BACKOFF.1);
    }
}

/// The encoded events after `id` and before `before`, in chunks of about
/// `max_chunk` bytes, and whether `id` itself is in the stream (if not,
/// nothing is returned).
pub(crate) async fn gap(
    connection: &mut MultiplexedConnection,
    key: &str,
    id: &str,
    before: &str,
    max_len: usize,
    max_chunk: usize,
) -> Result<(bool, Vec<Bytes>), RedisError> {
    // `id` itself first, to know that it was issued; at most the stream's cap.
    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(key)
        .arg(id)
        .arg(format!("({before}"))
        .arg("COUNT")
        .arg(max_len.saturating_add(1))
        .query_async(connection)
        .await?;
    let mut entries = range.ids.iter();
    if entries.next().map(|first| first.id.as_str()) != Some(id) {
        return Ok((false, Vec::new()));
    }
    let mut chunks = Vec::new();
    let mut chunk = BytesMut::new();
    for entry in entries {
        let mut encoded = Vec::new();
        with_message(entry, |message| message.encode(&mut encoded));
        if !chunk.is_empty() && chunk.len() + encoded.len() > max_chunk {
            chunks.push(chunk.split().freeze());
        }
        chunk.extend_from_slice(&encoded);
    }
    if !chunk.is_empty() {
        chunks.push(chunk.freeze());
    }
    Ok((true, chunks))
}

/// Whether `id` is in the stream, older than all of it, or neither.
pub(crate) async fn judge(
    connection: &mut MultiplexedConnection,
    key: &str,
    id: &str,
) -> Result<Judged, RedisError> {
    let held: StreamRangeReply = redis::cmd("XRANGE")
        .arg(key)
        .arg(id)
        .arg(id)
        .query_async(connection)
        .await?;
    if !held.ids.is_empty() {
        return Ok(Judged::Held);
    }
    let first: StreamRangeReply = redis::cmd("XRANGE")
        .arg(key)
        .arg("-")
        .arg("+")
        .arg("COUNT")
        .arg(1)
        .query_async(connection)
        .await?;
    Ok(match first.ids.first() {
        Some(first) if ids::older(id, &first.id) => Judged::Evicted,
        _ => Judged::Unknown,
    })
}

//! The invariants of the fan-out log, checked against a model that keeps
//! every event ever published: any sequence of publishes, subscriptions,
//! resumptions and reads gives each subscriber exactly the encodings of the
//! events from its start on, once and in order, or `Lagged` exactly when the
//! ring has passed it; the log holds the longest suffix of the history
//! within both bounds; resuming finds what the model says.
//!
//! Shared by `tests/fanout.rs` (proptest builds the [`Op`]s), the `fanout`
//! fuzz target and `tests/fuzz_regressions.rs` (both through
//! [`check_fanout_bytes`], which decodes the ops from raw bytes).

use sse_proto::{Cursor, EventId, EventLog, EventType, Lagged, Message, PublishError, Resume};

/// One step against the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Publish an event. An event type or ID the encoder refuses skips the
    /// step; `own_id` becomes a unique ID `o<n>-<own_id>` (no ID: the log
    /// assigns one).
    Publish {
        /// The event's data.
        data: String,
        /// For [`EventType::new`].
        event_type: Option<String>,
        /// A unique ID is made from it.
        own_id: Option<String>,
    },
    /// Publish [`Message::id_only`] with a unique ID made from this.
    IdOnly(String),
    /// A new subscriber: 0 from now on, 1 from the oldest held, 2 + n the
    /// newest n.
    Subscribe(u8),
    /// Resume from the ID of the published event with this index (modulo
    /// their number), or, past it, an ID never sent.
    Resume(usize),
    /// A subscriber (index modulo their number) reads up to `max_bytes`.
    Read {
        /// Which subscriber.
        subscriber: usize,
        /// The read's byte limit.
        max_bytes: usize,
    },
}

/// One published event, as the model keeps it.
#[derive(Debug)]
struct Published {
    encoded: Vec<u8>,
    id: Option<String>,
}

/// A subscriber: the log's cursor and where the model says it is.
#[derive(Debug)]
struct Subscriber {
    cursor: Cursor,
    /// The position of the next event it must get.
    next: u64,
}

/// The model: every event ever published, and the bounds.
#[derive(Debug)]
struct Model {
    history: Vec<Published>,
    max_events: usize,
    max_bytes: usize,
}

impl Model {
    /// The position of the oldest event the log must hold: the longest
    /// suffix of the history within both bounds (positions start at 1).
    fn oldest(&self) -> u64 {
        let mut start = self.history.len();
        let mut bytes = 0;
        while start > 0 {
            let size = self.history[start - 1].encoded.len();
            if self.history.len() - start + 1 > self.max_events || bytes + size > self.max_bytes {
                break;
            }
            bytes += size;
            start -= 1;
        }
        start as u64 + 1
    }

    fn next(&self) -> u64 {
        self.history.len() as u64 + 1
    }

    fn event(&self, position: u64) -> &Published {
        &self.history[(position - 1) as usize]
    }

    /// What resuming from `id` must give, for IDs that are unique or were
    /// assigned by the log: the position of the cursor, or why there is none.
    fn resume(&self, id: &str) -> Result<u64, &'static str> {
        let oldest = self.oldest();
        if id.is_empty() {
            return Err("unknown");
        }
        let found = (1..self.next())
            .rev()
            .find(|&p| self.event(p).id.as_deref() == Some(id));
        match found {
            // Held, or the newest evicted one.
            Some(position) if position + 1 >= oldest => Ok(position + 1),
            _ => {
                let canonical =
                    id.bytes().all(|b| b.is_ascii_digit()) && (id == "0" || !id.starts_with('0'));
                match id.parse::<u64>() {
                    // `0` is just before event 1: nothing is gone yet.
                    Ok(0) if canonical && oldest == 1 => Ok(1),
                    Ok(position) if canonical && position < oldest => Err("evicted"),
                    // Not yet issued, or not a number Sequence would write.
                    _ => Err("unknown"),
                }
            }
        }
    }
}

/// A resumption as the model states it.
pub fn outcome(resume: Resume) -> Result<u64, &'static str> {
    match resume {
        Resume::Found(cursor) => Ok(cursor.position()),
        Resume::Unknown => Err("unknown"),
        Resume::Evicted => Err("evicted"),
        _ => Err("a variant this model does not know"),
    }
}

/// Runs `ops` against a log with these bounds and the model, asserting the
/// invariants after every step.
pub fn check_fanout(max_events: usize, max_bytes: usize, ops: &[Op]) {
    let mut log = EventLog::<Vec<u8>>::with_ids(max_events, max_bytes, sse_proto::Sequence);
    let mut model = Model {
        history: Vec::new(),
        max_events: max_events.max(1),
        max_bytes,
    };
    // Reads after every publish, so it never lags: it must get everything.
    let mut keeper = log.subscribe();
    let mut kept = Vec::new();
    let mut subscribers: Vec<Subscriber> = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        match op {
            Op::Publish {
                data,
                event_type,
                own_id,
            } => {
                let own_id = own_id.as_ref().map(|id| format!("o{n}-{id}"));
                let Some(message) = build(data, event_type.as_deref(), own_id.as_deref()) else {
                    continue;
                };
                publish(&mut log, &mut model, message, own_id.is_some());
            }
            Op::IdOnly(id) => {
                let id = format!("o{n}-{id}");
                if let Ok(id) = EventId::new(&id) {
                    publish(&mut log, &mut model, Message::id_only(id), true);
                }
            }
            Op::Subscribe(start) => {
                let cursor = match start {
                    0 => log.subscribe(),
                    1 => log.oldest(),
                    n => log.recent(usize::from(n - 2)),
                };
                let next = match start {
                    0 => model.next(),
                    1 => model.oldest(),
                    n => model
                        .next()
                        .saturating_sub(u64::from(n - 2))
                        .max(model.oldest()),
                };
                assert_eq!(cursor.position(), next, "start {start}");
                add(&mut subscribers, Subscriber { cursor, next });
            }
            Op::Resume(index) => resume(&log, &model, *index, &mut subscribers),
            Op::Read {
                subscriber,
                max_bytes,
            } => {
                if !subscribers.is_empty() {
                    let count = subscribers.len();
                    read(
                        &log,
                        &model,
                        &mut subscribers[subscriber % count],
                        *max_bytes,
                    );
                }
            }
        }
        log.read(&mut keeper, usize::MAX)
            .expect("a subscriber that keeps up never lags")
            .copy_into(&mut kept);
        check_bounds(&log, &model);
    }
    let everything: Vec<u8> = model
        .history
        .iter()
        .flat_map(|e| e.encoded.clone())
        .collect();
    assert_eq!(
        kept, everything,
        "the keeper got every event once, in order"
    );
}

/// At most this many subscribers, so that long inputs stay fast.
const MAX_SUBSCRIBERS: usize = 16;

fn add(subscribers: &mut Vec<Subscriber>, subscriber: Subscriber) {
    if subscribers.len() == MAX_SUBSCRIBERS {
        subscribers.remove(0);
    }
    subscribers.push(subscriber);
}

fn build<'a>(
    data: &'a str,
    event_type: Option<&'a str>,
    id: Option<&'a str>,
) -> Option<Message<'a>> {
    let mut message = Message::new(data);
    if let Some(event_type) = event_type {
        message = message.event_type(EventType::new(event_type).ok()?);
    }
    if let Some(id) = id {
        message = message.id(EventId::new(id).ok()?);
    }
    Some(message)
}

fn publish(log: &mut EventLog<Vec<u8>>, model: &mut Model, message: Message<'_>, has_id: bool) {
    let position = model.next();
    let assigned = position.to_string();
    let named = if has_id {
        message
    } else {
        message.id(EventId::new(&assigned).expect("digits are a valid ID"))
    };
    let encoded = named.to_string().into_bytes();
    let result = log.publish(message);
    if encoded.len() > model.max_bytes {
        let error = PublishError::TooLarge {
            size: encoded.len(),
            max_bytes: model.max_bytes,
        };
        assert_eq!(result, Err(error));
        return;
    }
    assert_eq!(result, Ok(position));
    let id = id_of(&encoded);
    assert_eq!(log.newest_id(), id.as_deref());
    model.history.push(Published { encoded, id });
}

/// The ID an encoded message carries: the value of its `id` line.
fn id_of(encoded: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(encoded).expect("the encoder writes UTF-8");
    let line = text.lines().find(|line| line.starts_with("id:"))?;
    Some(line.strip_prefix("id: ").unwrap_or("").to_owned())
}

fn resume(log: &EventLog<Vec<u8>>, model: &Model, index: usize, subscribers: &mut Vec<Subscriber>) {
    let never_sent = [
        String::from("never-sent"),
        (model.next() + 3).to_string(),
        "0".into(),
        "01".into(),
        // The newest evicted position, whatever ID that event carried.
        (model.oldest() - 1).to_string(),
        "18446744073709551616".into(),
    ];
    let id = if model.history.is_empty() || index >= model.history.len() * 2 {
        never_sent[index % never_sent.len()].clone()
    } else {
        match &model.history[index % model.history.len()].id {
            Some(id) => id.clone(),
            None => return,
        }
    };
    let Ok(event_id) = EventId::new(&id) else {
        return;
    };
    let resumed = log.resume(event_id);
    assert_eq!(outcome(resumed), model.resume(&id), "resume from {id:?}");
    if let Resume::Found(cursor) = resumed {
        add(
            subscribers,
            Subscriber {
                cursor,
                next: cursor.position(),
            },
        );
    }
}

fn read(log: &EventLog<Vec<u8>>, model: &Model, subscriber: &mut Subscriber, max_bytes: usize) {
    let oldest = model.oldest();
    if subscriber.next < oldest {
        let before = subscriber.cursor;
        let result = log
            .read(&mut subscriber.cursor, max_bytes)
            .map(|batch| batch.len());
        assert_eq!(
            result,
            Err(Lagged {
                missed: oldest - subscriber.next
            })
        );
        assert_eq!(subscriber.cursor, before, "a lagged cursor does not move");
        // What a server would do: carry on from the oldest held.
        subscriber.cursor = log.oldest();
        subscriber.next = oldest;
        return;
    }
    let mut expected = Vec::new();
    let mut position = subscriber.next;
    while position < model.next() {
        let encoded = &model.event(position).encoded;
        if position > subscriber.next && expected.len() + encoded.len() > max_bytes {
            break;
        }
        expected.extend_from_slice(encoded);
        position += 1;
    }
    let batch = log
        .read(&mut subscriber.cursor, max_bytes)
        .expect("not lagged");
    assert_eq!(batch.len() as u64, position - subscriber.next);
    assert_eq!(batch.byte_len(), expected.len());
    let mut got = Vec::new();
    batch.copy_into(&mut got);
    assert_eq!(got, expected, "read from {}", subscriber.next);
    subscriber.next = position;
    assert_eq!(subscriber.cursor.position(), position);
    assert_eq!(
        log.is_caught_up(&subscriber.cursor),
        position == model.next()
    );
}

fn check_bounds(log: &EventLog<Vec<u8>>, model: &Model) {
    let oldest = model.oldest();
    let held: usize = (oldest..model.next())
        .map(|p| model.event(p).encoded.len())
        .sum();
    assert!(log.len() <= model.max_events);
    assert!(log.bytes() <= model.max_bytes);
    assert_eq!(log.oldest_position(), oldest);
    assert_eq!(log.next_position(), model.next());
    assert_eq!(log.len() as u64, model.next() - oldest);
    assert_eq!(log.bytes(), held);
    assert_eq!(log.evicted(), oldest - 1);
    for position in oldest..model.next() {
        assert_eq!(log.id_at(position), model.event(position).id.as_deref());
    }
}

/// The `fanout` fuzz target: bounds and ops decoded from raw bytes, then
/// [`check_fanout`].
pub fn check_fanout_bytes(input: &[u8]) {
    let mut bytes = Bytes(input);
    let max_events = usize::from(bytes.byte() % 17);
    let max_bytes = usize::from(bytes.byte()) * 4;
    let mut ops = Vec::new();
    while !bytes.0.is_empty() {
        ops.push(match bytes.byte() % 8 {
            0..=2 => Op::Publish {
                data: bytes.text(),
                event_type: (bytes.byte() % 3 == 0).then(|| bytes.text()),
                own_id: (bytes.byte() % 3 == 0).then(|| bytes.text()),
            },
            3 => Op::IdOnly(bytes.text()),
            4 => Op::Subscribe(bytes.byte() % 8),
            5 => Op::Resume(usize::from(bytes.byte())),
            _ => Op::Read {
                subscriber: usize::from(bytes.byte()),
                max_bytes: usize::from(bytes.byte()) * 2,
            },
        });
    }
    check_fanout(max_events, max_bytes, &ops);
}

/// Raw input read a byte at a time; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        first
    }

    /// A short string over an alphabet rich in what the format treats
    /// specially: line breaks, colons, spaces, digits, non-ASCII.
    fn text(&mut self) -> String {
        const ALPHABET: [&str; 16] = [
            "a", "b", "\n", "\r", "\r\n", ":", " ", "1", "0", "é", "😀", "\0", "id: 9", "data",
            "x", "7",
        ];
        let len = self.byte() % 12;
        (0..len)
            .map(|_| ALPHABET[usize::from(self.byte() % 16)])
            .collect()
    }
}

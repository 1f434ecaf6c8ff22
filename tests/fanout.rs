//! The fan-out log: bounds, reading, lagging, resuming, heartbeats,
//! checked by hand and against a model that keeps the whole history.

use sse_proto::{EventId, EventLog, EventType, Lagged, Message, Resume};

fn id(text: &str) -> EventId<'_> {
    EventId::new(text).expect("valid test ID")
}

/// Everything `cursor` can read now, as bytes.
fn drain(log: &EventLog, cursor: &mut sse_proto::Cursor) -> Result<Vec<u8>, Lagged> {
    let mut out = Vec::new();
    log.read(cursor, usize::MAX)?.copy_into(&mut out);
    Ok(out)
}

#[test]
fn a_live_subscriber_gets_the_encoding_of_each_message() {
    let mut log = EventLog::new(10, 1024);
    let mut cursor = log.subscribe();
    let price = EventType::new("price").unwrap();
    log.publish(Message::new("a\nb").event_type(price)).unwrap();
    assert_eq!(
        drain(&log, &mut cursor).unwrap(),
        b"event: price\nid: 1\ndata: a\ndata: b\n\n"
    );
    assert!(log.is_caught_up(&cursor));
}

#[test]
fn resume_after_a_held_id_replays_the_rest() {
    let mut log = EventLog::new(10, 1024);
    for data in ["a", "b", "c"] {
        log.publish(Message::new(data)).unwrap();
    }
    let Resume::Found(mut cursor) = log.resume(id("1")) else {
        panic!("1 is held")
    };
    assert_eq!(
        drain(&log, &mut cursor).unwrap(),
        b"id: 2\ndata: b\n\nid: 3\ndata: c\n\n"
    );
}

//! The fan-out log: eviction by count and by bytes, reading, lagging,
//! resuming, heartbeats, allocations; then any sequence of steps against a
//! model that keeps the whole history (`common/fanout_model.rs`).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use sse_proto::{
    Cursor, EventId, EventLog, EventType, Heartbeat, IdScheme, Lagged, Message, Missing,
    PublishError, Resume, Sequence, Window,
};

#[path = "common/counting.rs"]
mod counting;

#[allow(dead_code, unreachable_pub)]
#[path = "common/fanout_model.rs"]
mod fanout_model;

use fanout_model::{check_fanout, outcome, Op};

fn id(text: &str) -> EventId<'_> {
    EventId::new(text).expect("valid test ID")
}

/// Everything `cursor` can read now, as text.
fn drain<I: IdScheme>(log: &EventLog<Arc<[u8]>, I>, cursor: &mut Cursor) -> Result<String, Lagged> {
    let mut out = Vec::new();
    log.read(cursor, usize::MAX)?.copy_into(&mut out);
    Ok(String::from_utf8(out).expect("UTF-8"))
}

/// A log with events `1` to `count` published, each carrying `data`.
fn numbered(max_events: usize, max_bytes: usize, count: u32, data: &str) -> EventLog {
    let mut log = EventLog::new(max_events, max_bytes);
    for _ in 0..count {
        log.publish(Message::new(data)).expect("fits");
    }
    log
}

/// The IDs of the events held, oldest first.
fn held_ids(log: &EventLog) -> Vec<String> {
    let positions = log.oldest_position()..log.next_position();
    positions
        .map(|p| log.id_at(p).unwrap_or("-").to_owned())
        .collect()
}

#[test]
fn a_live_subscriber_gets_the_encoding_of_each_message() {
    let mut log = EventLog::new(10, 1024);
    let mut cursor = log.subscribe();
    let price = EventType::new("price").unwrap();
    let message = Message::new("a\r\nb").event_type(price);
    log.publish(message).unwrap();
    let expected = message.id(id("1")).to_string();
    assert_eq!(drain(&log, &mut cursor).unwrap(), expected);
    assert_eq!(expected, "event: price\nid: 1\ndata: a\ndata: b\n\n");
    assert!(log.is_caught_up(&cursor));
    assert_eq!(drain(&log, &mut cursor).unwrap(), "", "each event once");
}

#[test]
fn evicts_the_oldest_by_count() {
    let log = numbered(3, 1024, 5, "x");
    assert_eq!(held_ids(&log), ["3", "4", "5"]);
    assert_eq!((log.len(), log.evicted(), log.oldest_position()), (3, 2, 3));
    assert_eq!(log.bytes(), 3 * "id: 3\ndata: x\n\n".len());
}

#[test]
fn evicts_the_oldest_by_bytes() {
    // Each event is 15 bytes; 40 hold two.
    let log = numbered(100, 40, 5, "x");
    assert_eq!(held_ids(&log), ["4", "5"]);
    assert_eq!(log.bytes(), 30);
}

#[test]
fn a_large_event_evicts_as_many_as_it_needs() {
    let mut log = numbered(100, 60, 4, "x"); // 4 x 15 = 60: full
    let big = "y".repeat(30); // 6 + 6 + 30 + 2 = 44 bytes
    log.publish(Message::new(&big)).unwrap();
    assert_eq!(held_ids(&log), ["4", "5"]);
    assert_eq!(log.bytes(), 15 + 44);
}

#[test]
fn an_event_of_exactly_max_bytes_is_held_alone() {
    let mut log = numbered(100, 20, 1, "x");
    log.publish(Message::new("123456")).unwrap(); // 6 + 13 + 1 = 20 bytes
    assert_eq!((held_ids(&log), log.bytes()), (vec!["2".to_owned()], 20));
}

#[test]
fn an_event_larger_than_max_bytes_is_refused_and_changes_nothing() {
    let mut log = numbered(100, 20, 1, "x");
    let mut cursor = log.oldest();
    let error = log
        .publish(Message::new("far too long for this"))
        .unwrap_err();
    assert_eq!(
        error,
        PublishError::TooLarge {
            size: 35,
            max_bytes: 20
        }
    );
    assert_eq!(held_ids(&log), ["1"]);
    assert_eq!(log.next_position(), 2, "the position is not used up");
    assert_eq!(drain(&log, &mut cursor).unwrap(), "id: 1\ndata: x\n\n");
}

#[test]
fn zero_max_events_holds_one() {
    let log = numbered(0, 1024, 3, "x");
    assert_eq!(
        (log.max_events(), held_ids(&log)),
        (1, vec!["3".to_owned()])
    );
}

#[test]
fn zero_max_bytes_refuses_everything() {
    let mut log = EventLog::new(10, 0);
    assert!(matches!(
        log.publish(Message::new("")),
        Err(PublishError::TooLarge { .. })
    ));
    assert!(log.is_empty());
}

#[test]
fn a_subscriber_the_ring_passed_is_told_how_many_it_missed() {
    let mut log = EventLog::new(3, 1024);
    let mut slow = log.subscribe();
    let mut fast = log.subscribe();
    for n in 1..=5 {
        log.publish(Message::new("x")).unwrap();
        assert_eq!(
            log.read(&mut fast, usize::MAX).unwrap().len(),
            1,
            "event {n}"
        );
    }
    assert_eq!(
        log.read(&mut slow, usize::MAX).unwrap_err(),
        Lagged { missed: 2 }
    );
    assert_eq!(slow.position(), 1, "the cursor did not move");
    assert!(!log.is_caught_up(&slow));
    slow = log.oldest();
    assert_eq!(
        drain(&log, &mut slow).unwrap().matches("data: x").count(),
        3
    );
    assert!(log.is_caught_up(&slow) && log.is_caught_up(&fast));
}

#[test]
fn lagging_by_bytes() {
    let mut log = EventLog::new(100, 50);
    let mut cursor = log.subscribe();
    log.publish(Message::new("x")).unwrap();
    log.publish(Message::new(&"y".repeat(30))).unwrap(); // 44 bytes: evicts event 1
    assert_eq!(
        log.read(&mut cursor, usize::MAX).unwrap_err(),
        Lagged { missed: 1 }
    );
    assert_eq!(
        Lagged { missed: 1 }.to_string(),
        "subscriber lagged: 1 events were evicted before it read them"
    );
}

#[test]
fn reads_whole_events_up_to_the_byte_limit() {
    let log = numbered(10, 1024, 4, "x"); // 15 bytes each
    let mut cursor = log.oldest();
    let batch = log.read(&mut cursor, 44).unwrap();
    assert_eq!((batch.len(), batch.byte_len()), (2, 30));
    assert_eq!(log.read(&mut cursor, 45).unwrap().len(), 2);
    assert!(log.read(&mut cursor, 45).unwrap().is_empty());
    let mut cursor = log.oldest();
    assert_eq!(
        log.read(&mut cursor, 0).unwrap().len(),
        1,
        "one, even past the limit"
    );
}

#[test]
fn a_batch_counts_down_as_it_is_taken() {
    let log = numbered(10, 1024, 3, "x");
    let mut cursor = log.oldest();
    let mut batch = log.read(&mut cursor, usize::MAX).unwrap();
    assert_eq!(batch.byte_len(), 45);
    let first = batch.next().unwrap();
    assert_eq!(&first[..], b"id: 1\ndata: x\n\n");
    assert_eq!((batch.len(), batch.byte_len()), (2, 30));
    let mut rest = Vec::new();
    batch.copy_into(&mut rest);
    assert_eq!(rest, b"id: 2\ndata: x\n\nid: 3\ndata: x\n\n");
}

#[test]
fn subscribers_get_shared_bytes_not_copies() {
    let log = numbered(10, 1024, 1, "x");
    let (mut a, mut b) = (log.oldest(), log.oldest());
    let first = log
        .read(&mut a, usize::MAX)
        .unwrap()
        .next()
        .unwrap()
        .clone();
    let second = log
        .read(&mut b, usize::MAX)
        .unwrap()
        .next()
        .unwrap()
        .clone();
    assert!(Arc::ptr_eq(&first, &second));
}

#[test]
fn a_cursor_past_the_end_reads_nothing() {
    let far = numbered(10, 1024, 5, "x").subscribe();
    let log = numbered(10, 1024, 2, "x");
    let mut cursor = far;
    assert!(log.read(&mut cursor, usize::MAX).unwrap().is_empty());
    assert_eq!(cursor, far);
}

#[test]
fn new_subscribers_start_at_the_end_the_oldest_or_recent() {
    let log = numbered(3, 1024, 5, "x");
    assert_eq!(log.subscribe().position(), 6);
    assert_eq!(log.oldest().position(), 3);
    assert_eq!(log.recent(2).position(), 4);
    assert_eq!(log.recent(9), log.oldest());
}

#[test]
fn resume_after_a_held_id_replays_the_rest_then_live_events() {
    let mut log = numbered(10, 1024, 3, "x");
    let Resume::Found(mut cursor) = log.resume(id("1")) else {
        panic!("1 is held")
    };
    assert_eq!(
        drain(&log, &mut cursor).unwrap(),
        "id: 2\ndata: x\n\nid: 3\ndata: x\n\n"
    );
    log.publish(Message::new("live")).unwrap();
    assert_eq!(drain(&log, &mut cursor).unwrap(), "id: 4\ndata: live\n\n");
}

#[test]
fn resume_from_the_newest_replays_nothing() {
    let log = numbered(10, 1024, 3, "x");
    assert_eq!(log.resume(id("3")), Resume::Found(log.subscribe()));
}

#[test]
fn resume_from_the_newest_evicted_replays_everything_held() {
    let log = numbered(3, 1024, 5, "x");
    assert_eq!(log.resume(id("2")), Resume::Found(log.oldest()));
    assert_eq!(log.resume(id("1")), Resume::Evicted);
}

#[test]
fn resume_tells_unknown_from_evicted() {
    let fresh = numbered(10, 1024, 3, "x");
    let full = numbered(3, 1024, 5, "x");
    let cases = [
        (&fresh, "9", Err("unknown")),   // from the future: another server
        (&fresh, "abc", Err("unknown")), // never issued by Sequence
        (&fresh, "", Err("unknown")),    // no Last-Event-ID: a new client
        (&full, "1", Err("evicted")),
        (&full, "0", Err("evicted")), // before event 1, which is gone
        (&full, "6", Err("unknown")),
        (&full, "", Err("unknown")),
    ];
    for (log, last, expected) in cases {
        assert_eq!(outcome(log.resume(id(last))), expected, "{last:?}");
    }
}

#[test]
fn zero_resumes_with_everything_while_the_first_event_is_held() {
    let empty = EventLog::new(3, 1024);
    assert_eq!(
        outcome(empty.resume(id("0"))),
        Ok(1),
        "nothing published yet"
    );
    let mut log = numbered(3, 1024, 3, "x");
    let Resume::Found(mut cursor) = log.resume(id("0")) else {
        panic!("0 must resume while event 1 is held");
    };
    assert_eq!(
        drain(&log, &mut cursor).unwrap().matches("data: x").count(),
        3
    );
    log.publish(Message::new("y")).unwrap(); // evicts event 1
    assert_eq!(log.resume(id("0")), Resume::Evicted);
}

#[test]
fn an_event_that_carries_the_id_zero_is_found_first() {
    let mut log = EventLog::new(10, 1024);
    log.publish(Message::new("a")).unwrap();
    log.publish(Message::new("b").id(id("0"))).unwrap();
    assert_eq!(
        outcome(log.resume(id("0"))),
        Ok(3),
        "after the event named 0"
    );
}

#[test]
fn ids_sequence_never_issues_are_unknown_even_after_eviction() {
    let full = numbered(3, 1024, 5, "x");
    assert_eq!(full.evicted(), 2);
    for never in ["abc", "03", "00", "+1", "1e3", "18446744073709551616"] {
        assert_eq!(full.resume(id(never)), Resume::Unknown, "{never:?}");
    }
}

#[test]
fn a_boxed_scheme_erases_its_type() {
    type Erased = Box<dyn IdScheme + Send + Sync>;
    fn shared<T: Send + Sync>(_: &T) {}
    let boxed = |ids: Erased| EventLog::<Arc<[u8]>, Erased>::with_ids(2, 1024, ids);
    let (mut numbered, mut nameless) = (boxed(Box::new(Sequence)), boxed(Box::new(Nameless)));
    shared(&numbered);
    for data in ["a", "b", "c", "d"] {
        numbered.publish(Message::new(data)).unwrap();
        nameless.publish(Message::new(data)).unwrap();
    }
    assert_eq!(numbered.newest_id(), Some("4"));
    assert_eq!(outcome(numbered.resume(id("3"))), Ok(4));
    assert_eq!(numbered.resume(id("1")), Resume::Evicted);
    assert_eq!(numbered.ids().position("2"), Some(2));
    assert_eq!(nameless.newest_id(), None);
    assert_eq!(nameless.resume(id("1")), Resume::Unknown);
}

#[test]
fn own_ids_are_kept_and_found_by_search() {
    let mut log = EventLog::new(2, 1024);
    for own in ["a", "b", "c"] {
        log.publish(Message::new("x").id(id(own))).unwrap();
    }
    assert_eq!(log.newest_id(), Some("c"));
    assert_eq!(outcome(log.resume(id("b"))), Ok(3));
    assert_eq!(outcome(log.resume(id("a"))), Ok(2), "the newest evicted");
    assert_eq!(
        outcome(log.resume(id("zz"))),
        Err("unknown"),
        "not Sequence's"
    );
    assert_eq!(outcome(log.resume(id("1"))), Err("evicted"));
}

#[test]
fn an_id_only_message_is_held_and_resumes() {
    let mut log = EventLog::new(10, 1024);
    log.publish(Message::id_only(id("x7"))).unwrap();
    let mut cursor = log.oldest();
    assert_eq!(drain(&log, &mut cursor).unwrap(), "id: x7\n\n");
    assert_eq!(log.resume(id("x7")), Resume::Found(log.subscribe()));
}

#[test]
fn the_reset_id_is_held_but_never_resumes() {
    let mut log = EventLog::new(10, 1024);
    log.publish(Message::new("x").id(EventId::RESET)).unwrap();
    assert_eq!(log.newest_id(), Some(""));
    assert_eq!(log.resume(EventId::RESET), Resume::Unknown);
}

/// A scheme that names nothing: events go out without an ID.
#[derive(Debug)]
struct Nameless;

impl IdScheme for Nameless {
    fn assign<'b>(&mut self, _: u64, _: &'b mut String) -> Option<EventId<'b>> {
        None
    }
    fn position(&self, _: &str) -> Option<u64> {
        None
    }
    fn missing(&self, _: &str, window: Window<'_>) -> Missing {
        assert!(window.oldest <= window.next);
        Missing::Unknown
    }
}

#[test]
fn a_scheme_may_leave_events_without_an_id() {
    let mut log = EventLog::<Arc<[u8]>, _>::with_ids(1, 1024, Nameless);
    log.publish(Message::new("x").id(id("kept"))).unwrap();
    log.publish(Message::new("y")).unwrap();
    let mut cursor = log.oldest();
    assert_eq!(drain(&log, &mut cursor).unwrap(), "data: y\n\n");
    assert_eq!(log.newest_id(), None);
    // The evicted event had an ID; the held one has none: "kept" still resumes.
    assert_eq!(log.resume(id("kept")), Resume::Found(log.oldest()));
    assert_eq!(log.resume(id("other")), Resume::Unknown);
}

#[test]
fn sequence_places_only_canonical_decimals() {
    assert_eq!(Sequence.position("12"), Some(12));
    assert_eq!(Sequence.position("012"), None);
    assert_eq!(Sequence.position("1e3"), None);
}

#[test]
fn heartbeats_fall_due_after_silence_and_wait_after_writes() {
    let secs = Duration::from_secs;
    let mut heartbeat = Heartbeat::new(secs(15), secs(0));
    assert_eq!(
        (heartbeat.due(), heartbeat.interval()),
        (secs(15), secs(15))
    );
    assert!(!heartbeat.is_due(secs(14)) && heartbeat.is_due(secs(15)));
    assert!(!heartbeat.poll(secs(14)));
    assert!(heartbeat.poll(secs(40)), "late: one heartbeat, not two");
    assert_eq!(heartbeat.due(), secs(55));
    assert!(!heartbeat.poll(secs(41)));
    heartbeat.wrote(secs(50));
    assert!(!heartbeat.poll(secs(55)));
    assert!(heartbeat.poll(secs(65)));
    assert_eq!(Heartbeat::COMMENT, b":\n");
}

#[test]
fn heartbeat_edges() {
    let mut every_poll = Heartbeat::new(Duration::ZERO, Duration::from_secs(3));
    assert!(every_poll.poll(Duration::from_secs(3)) && every_poll.poll(Duration::from_secs(3)));
    let far = Heartbeat::new(Duration::MAX, Duration::from_secs(1));
    assert_eq!(far.due(), Duration::MAX, "saturates");
}

#[test]
fn the_counter_counts() {
    assert_eq!(counting::allocations(|| drop(black_box(vec![1u8]))), 1);
}

#[test]
fn reading_and_resuming_allocate_nothing() {
    let log = numbered(100, 1 << 16, 150, "data\nwith two lines");
    let mut total = 0;
    let count = counting::allocations(|| {
        for last in ["50", "51", "100", "150", "1", "never-sent", ""] {
            if let Resume::Found(mut cursor) = log.resume(id(last)) {
                total += log
                    .read(&mut cursor, usize::MAX)
                    .unwrap()
                    .map(black_box)
                    .count();
            }
        }
    });
    assert_eq!(total, 100 + 99 + 50);
    assert_eq!(count, 0);
}

#[test]
fn a_publish_into_a_full_log_allocates_once_for_vec_chunks() {
    let mut log = EventLog::<Vec<u8>>::with_ids(100, 1 << 16, Sequence);
    for _ in 0..1000 {
        log.publish(Message::new("steady")).unwrap();
    }
    let count = counting::allocations(|| {
        for _ in 0..1000 {
            log.publish(Message::new("steady")).unwrap();
        }
    });
    assert_eq!(log.len(), 100);
    assert_eq!(count, 1000, "the encoding, and nothing else");
}

// ------------------------------------------------------------ properties

fn arb_text() -> impl Strategy<Value = String> {
    "[a-z:é😀\n\r 0-9]{0,12}"
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (arb_text(), proptest::option::of("[a-z\n]{0,6}"), proptest::option::of("[a-z0-9]{0,5}"))
            .prop_map(|(data, event_type, own_id)| Op::Publish { data, event_type, own_id }),
        1 => "[a-z]{0,4}".prop_map(Op::IdOnly),
        1 => (0u8..8).prop_map(Op::Subscribe),
        1 => (0usize..80).prop_map(Op::Resume),
        3 => (0usize..16, 0usize..120).prop_map(|(subscriber, max_bytes)| Op::Read { subscriber, max_bytes }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any publishes, subscriptions, resumptions and reads: every reader
    /// gets the encodings from its start on, once and in order, or `Lagged`
    /// exactly when the ring passed it; a reader that keeps up gets
    /// everything; the log holds exactly the longest suffix within bounds.
    #[test]
    fn every_step_agrees_with_the_model(
        max_events in 0usize..8,
        max_bytes in 0usize..160,
        ops in prop::collection::vec(arb_op(), 0..60),
    ) {
        check_fanout(max_events, max_bytes, &ops);
    }

    /// Memory stays bounded however much is published: the bytes held
    /// never pass `max_bytes`, whatever the sizes.
    #[test]
    fn held_bytes_stay_within_the_bound(
        sizes in prop::collection::vec(0usize..300, 1..80),
        max_bytes in 0usize..400,
    ) {
        let mut log = EventLog::new(usize::MAX, max_bytes);
        for size in sizes {
            let data = "d".repeat(size);
            let _ = log.publish(Message::new(&data));
            prop_assert!(log.bytes() <= max_bytes);
        }
    }
}

#[test]
fn an_idle_subscriber_costs_a_cursor_and_a_heartbeat() {
    // What a subscriber holds besides its socket: the log keeps nothing
    // per subscriber.
    assert_eq!(size_of::<Cursor>(), 8);
    assert!(size_of::<Heartbeat>() <= 32);
}

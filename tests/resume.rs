//! The resumption buffer: bounds, replay, unknown and evicted IDs, checked
//! by hand and against a model that keeps the whole history.

use std::hint::black_box;

use proptest::prelude::*;
use sse_proto::{Event, Resume, ResumeBuffer};

#[path = "common/counting.rs"]
mod counting;

/// Replayed events as `(id, type, data)` triples, or the reason there are none.
fn replay(buffer: &ResumeBuffer, last_id: &str) -> Result<Vec<(String, String, String)>, String> {
    match buffer.resume(last_id) {
        Resume::Replay(events) => Ok(events.map(owned).collect()),
        Resume::Unknown => Err("unknown".into()),
        Resume::Evicted => Err("evicted".into()),
    }
}

fn owned(event: Event<'_>) -> (String, String, String) {
    (event.id.into(), event.event_type.into(), event.data.into())
}

/// A buffer with events "1" to `last` pushed, each carrying `data`.
fn numbered(max_events: usize, max_bytes: usize, last: u32, data: &str) -> ResumeBuffer {
    let mut buffer = ResumeBuffer::new(max_events, max_bytes);
    for id in 1..=last {
        buffer.push(&id.to_string(), "message", data);
    }
    buffer
}

fn ids(buffer: &ResumeBuffer, last_id: &str) -> Result<Vec<String>, String> {
    replay(buffer, last_id).map(|events| events.into_iter().map(|e| e.0).collect())
}

#[test]
fn replays_events_after_the_last_id_with_their_type_and_data() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    buffer.push("1", "message", "one");
    buffer.push("2", "price", "a\nb");
    buffer.push("3", "message", "");
    let expected = vec![
        ("2".into(), "price".into(), "a\nb".into()),
        ("3".into(), "message".into(), String::new()),
    ];
    assert_eq!(replay(&buffer, "1"), Ok(expected));
}

#[test]
fn newest_id_replays_nothing() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    buffer.push("1", "message", "one");
    buffer.push("2", "message", "two");
    assert_eq!(ids(&buffer, "2"), Ok(vec![]));
}

#[test]
fn id_never_sent_is_unknown_before_any_eviction() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    assert_eq!(ids(&buffer, "1"), Err("unknown".into()));
    buffer.push("1", "message", "one");
    assert_eq!(ids(&buffer, "0"), Err("unknown".into()));
    assert_eq!(ids(&buffer, "1 "), Err("unknown".into()));
}

#[test]
fn empty_id_is_unknown_even_if_an_event_has_it() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    buffer.push("", "message", "no id");
    buffer.push("2", "message", "two");
    assert_eq!(ids(&buffer, ""), Err("unknown".into()));
}

#[test]
fn evicted_by_count() {
    let buffer = numbered(3, 1024, 5, "x");
    assert_eq!(buffer.len(), 3);
    assert_eq!(buffer.evicted(), 2);
    assert_eq!(ids(&buffer, "1"), Err("evicted".into()));
    assert_eq!(ids(&buffer, "3"), Ok(vec!["4".into(), "5".into()]));
}

#[test]
fn newest_evicted_id_resumes_with_everything_held() {
    let buffer = numbered(3, 1024, 5, "x");
    // The client saw 2 and needs 3, 4, 5: all held.
    assert_eq!(
        ids(&buffer, "2"),
        Ok(vec!["3".into(), "4".into(), "5".into()])
    );
}

#[test]
fn evicted_by_bytes() {
    // Each event is 1 (id) + 7 (type) + 10 (data) = 18 bytes.
    let buffer = numbered(100, 40, 4, "0123456789");
    assert_eq!(buffer.len(), 2);
    assert_eq!(buffer.bytes(), 36 + 1, "two events and the boundary ID");
    assert_eq!(ids(&buffer, "1"), Err("evicted".into()));
    assert_eq!(ids(&buffer, "2"), Ok(vec!["3".into(), "4".into()]));
}

#[test]
fn boundary_gives_way_to_events() {
    // Two 20-byte events fill the 40 bytes: no room for the boundary ID.
    let buffer = numbered(100, 40, 3, "0123456789ab");
    assert_eq!(buffer.len(), 2);
    assert_eq!(buffer.bytes(), 40);
    assert_eq!(ids(&buffer, "1"), Err("evicted".into()));
}

#[test]
fn oversized_event_empties_the_buffer_but_its_own_id_resumes() {
    let mut buffer = ResumeBuffer::new(100, 32);
    buffer.push("1", "message", "small");
    buffer.push("2", "message", &"x".repeat(100));
    assert!(buffer.is_empty());
    assert_eq!(buffer.evicted(), 2);
    assert_eq!(buffer.newest_id(), Some("2"));
    assert_eq!(ids(&buffer, "1"), Err("evicted".into()));
    assert_eq!(ids(&buffer, "2"), Ok(vec![]));
    buffer.push("3", "message", "after");
    assert_eq!(ids(&buffer, "2"), Ok(vec!["3".into()]));
}

#[test]
fn oversized_id_is_not_kept_as_the_boundary() {
    let mut buffer = ResumeBuffer::new(100, 8);
    let long_id = "i".repeat(50);
    buffer.push(&long_id, "", "");
    assert_eq!(buffer.bytes(), 0);
    assert_eq!(buffer.newest_id(), None);
    assert_eq!(ids(&buffer, &long_id), Err("evicted".into()));
}

#[test]
fn zero_bounds_hold_nothing() {
    // Only a client that saw the newest event is resumed, when its ID fits.
    let newest_resumes = [((0, 1024), Ok(vec![])), ((10, 0), Err("evicted".into()))];
    for ((max_events, max_bytes), newest) in newest_resumes {
        let mut buffer = ResumeBuffer::new(max_events, max_bytes);
        buffer.push("1", "message", "x");
        assert!(buffer.is_empty());
        assert_eq!(ids(&buffer, "0"), Err("evicted".into()));
        assert_eq!(ids(&buffer, "1"), newest);
    }
}

#[test]
fn duplicate_id_resumes_after_the_newest() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    buffer.push("a", "message", "1");
    buffer.push("b", "message", "2");
    buffer.push("a", "message", "3");
    buffer.push("c", "message", "4");
    assert_eq!(ids(&buffer, "a"), Ok(vec!["c".into()]));
}

#[test]
fn non_ascii_ids_and_data_are_kept_exactly() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    buffer.push("α", "message", "x");
    buffer.push("β", "ユーザー", "こんにちは 🌍\n第二行");
    let expected = vec![(
        "β".into(),
        "ユーザー".into(),
        "こんにちは 🌍\n第二行".into(),
    )];
    assert_eq!(replay(&buffer, "α"), Ok(expected));
}

#[test]
fn replay_is_exact_size_and_double_ended() {
    let mut buffer = ResumeBuffer::new(10, 1024);
    for id in ["1", "2", "3", "4"] {
        buffer.push(id, "message", id);
    }
    let Resume::Replay(mut events) = buffer.resume("1") else {
        panic!("1 is held");
    };
    assert_eq!(events.len(), 3);
    assert_eq!(events.next_back().map(|e| e.id), Some("4"));
    assert_eq!(events.next().map(|e| e.id), Some("2"));
    assert_eq!(events.len(), 1);
}

#[test]
fn the_counter_counts() {
    assert_eq!(counting::allocations(|| drop(black_box(vec![1u8]))), 1);
}

#[test]
fn lookups_allocate_nothing() {
    let buffer = numbered(100, 1 << 16, 150, "data\nwith two lines");
    let mut replayed = 0;
    let count = counting::allocations(|| {
        for id in ["50", "51", "100", "150", "1", "never-sent", ""] {
            if let Resume::Replay(missed) = buffer.resume(id) {
                replayed += missed.map(black_box).count();
            }
        }
        replayed += buffer.iter().map(black_box).count();
    });
    assert_eq!(replayed, 100 + 99 + 50 + 100, "and none after 150");
    assert_eq!(count, 0);
}

#[test]
fn a_push_allocates_once_when_full() {
    // IDs of one length, made beforehand, so only the buffer allocates.
    let ids: Vec<String> = (0..2000).map(|n| format!("{n:04}")).collect();
    let mut buffer = ResumeBuffer::new(100, 1 << 16);
    for id in &ids[..1000] {
        buffer.push(id, "tick", "steady");
    }
    let count = counting::allocations(|| {
        for id in &ids[1000..] {
            buffer.push(id, "tick", "steady");
        }
    });
    assert_eq!(buffer.len(), 100);
    assert_eq!(count, 1000, "one allocation per held event, nothing else");
}

/// One pushed event of the model's history.
#[derive(Debug, Clone)]
struct Pushed {
    id: String,
    event_type: String,
    data: String,
}

impl Pushed {
    fn size(&self) -> usize {
        self.id.len() + self.event_type.len() + self.data.len()
    }
}

/// What the buffer must hold: the longest suffix of the history within both
/// bounds (an event too large on its own ends it). Returns its start index.
fn model_start(history: &[Pushed], max_events: usize, max_bytes: usize) -> usize {
    let mut start = history.len();
    let mut bytes = 0;
    while start > 0 {
        let candidate = &history[start - 1];
        let count = history.len() - start + 1;
        if count > max_events || bytes + candidate.size() > max_bytes {
            break;
        }
        bytes += candidate.size();
        start -= 1;
    }
    start
}

fn arb_history() -> impl Strategy<Value = Vec<Pushed>> {
    let text = "[a-z:é😀\n\r ]{0,12}";
    prop::collection::vec(("[0-9a-z]{0,6}", "[a-z]{0,8}", text), 0..40).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            // Unique, non-empty IDs of varied lengths.
            .map(|(i, (pad, event_type, data))| Pushed {
                id: format!("{i}-{pad}"),
                event_type,
                data,
            })
            .collect()
    })
}

/// A history and the buffer's two bounds, small enough to evict often.
fn arb_case() -> impl Strategy<Value = (Vec<Pushed>, usize, usize)> {
    (arb_history(), 0usize..8, 0usize..120)
}

/// The events as the `(id, type, data)` triples [`replay`] gives.
fn triples(events: &[Pushed]) -> Vec<(String, String, String)> {
    events
        .iter()
        .map(|e| (e.id.clone(), e.event_type.clone(), e.data.clone()))
        .collect()
}

proptest! {
    #[test]
    fn never_exceeds_its_bounds(
        (history, max_events, max_bytes) in arb_case(),
    ) {
        let mut buffer = ResumeBuffer::new(max_events, max_bytes);
        for event in &history {
            buffer.push(&event.id, &event.event_type, &event.data);
            prop_assert!(buffer.len() <= max_events);
            prop_assert!(buffer.bytes() <= max_bytes);
            let held: usize = buffer.iter().map(|e| e.id.len() + e.event_type.len() + e.data.len()).sum();
            prop_assert!(held <= buffer.bytes());
        }
    }

    #[test]
    fn holds_the_longest_suffix_that_fits(
        (history, max_events, max_bytes) in arb_case(),
    ) {
        let mut buffer = ResumeBuffer::new(max_events, max_bytes);
        for (pushed, event) in history.iter().enumerate() {
            buffer.push(&event.id, &event.event_type, &event.data);
            let seen = &history[..=pushed];
            let start = model_start(seen, max_events, max_bytes);
            let held: Vec<_> = buffer.iter().map(owned).collect();
            prop_assert_eq!(held, triples(&seen[start..]));
            prop_assert_eq!(buffer.evicted(), start as u64);
        }
    }

    #[test]
    fn replays_exactly_what_was_missed_or_says_why_not(
        (history, max_events, max_bytes) in arb_case(),
    ) {
        let mut buffer = ResumeBuffer::new(max_events, max_bytes);
        for event in &history {
            buffer.push(&event.id, &event.event_type, &event.data);
        }
        let start = model_start(&history, max_events, max_bytes);
        let held_bytes: usize = history[start..].iter().map(Pushed::size).sum();
        for (seen, event) in history.iter().enumerate() {
            let missed = triples(&history[seen + 1..]);
            let boundary_kept = seen + 1 == start && held_bytes + event.id.len() <= max_bytes;
            let result = replay(&buffer, &event.id);
            if seen >= start || boundary_kept {
                prop_assert_eq!(result, Ok(missed));
            } else {
                prop_assert_eq!(result, Err("evicted".into()));
            }
        }
        let unknown = if start == 0 { "unknown" } else { "evicted" };
        prop_assert_eq!(replay(&buffer, "never-sent"), Err(unknown.into()));
    }
}

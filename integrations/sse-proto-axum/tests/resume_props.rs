//! Property: whatever the history's size, the number of events published
//! and the `Last-Event-ID` a client sends, its subscription gives exactly
//! what a model of the history says, with IDs 1, 2, 3...

use proptest::prelude::*;
use sse_proto::{Message, OwnedFrame, Parser};
use sse_proto_axum::{Channel, Config};
use tokio_stream::StreamExt as _;

/// What the client must get: `(resync, first replayed ID)`, then every ID
/// from there to the newest.
fn model(max_events: u64, published: u64, last: &str) -> (Option<&'static str>, u64) {
    let oldest = published.saturating_sub(max_events) + 1;
    match last.parse::<u64>() {
        // A held ID, or the one just before the oldest held, resumes.
        Ok(n) if n.to_string() == last && n + 1 >= oldest && n <= published => (None, n + 1),
        Ok(n) if n.to_string() == last && n + 1 < oldest => (Some("evicted"), oldest),
        Ok(n) if n.to_string() == last => (Some("unknown"), oldest), // not issued yet
        _ if last.is_empty() => (None, published + 1),
        // Not a number this channel issues: never one of its IDs.
        _ => (Some("unknown"), oldest),
    }
}

/// The events a subscription gives until it ends (the channel is closed).
fn received(channel: &Channel, last: &str) -> Vec<(String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut subscription = channel.subscribe(Some(last));
    channel.close();
    let mut parser = Parser::new();
    let mut events = Vec::new();
    runtime.block_on(async {
        while let Some(chunk) = subscription.next().await {
            let chunk = chunk.unwrap_or_else(|never| match never {});
            for frame in parser.frames(&chunk) {
                if let Ok(OwnedFrame::Event(event)) = frame {
                    events.push((
                        event.event_type,
                        if event.id.is_empty() {
                            event.data
                        } else {
                            event.id
                        },
                    ));
                }
            }
        }
    });
    events
}

fn last_event_id() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..40).prop_map(|n| n.to_string()),
        Just(String::new()),
        "[0-9a-z+ -]{1,4}",
    ]
}

proptest! {
    #[test]
    fn subscription_matches_the_model(max_events in 1u64..12, published in 0u64..30, last in last_event_id()) {
        let config = Config::new().max_events(max_events as usize).heartbeat(None);
        let channel = Channel::with_config(config);
        for n in 1..=published {
            prop_assert_eq!(channel.publish(Message::new(&format!("event {n}"))), Ok(n));
        }
        let got = received(&channel, &last);
        let (resync, first) = model(max_events, published, &last);
        let mut expected = Vec::new();
        if let Some(reason) = resync {
            // The resync notice: its data stands in for its (absent) ID.
            expected.push(("resync".to_owned(), format!("{{\"reason\":\"{reason}\"}}")));
        }
        expected.extend((first..=published).map(|n| ("message".to_owned(), n.to_string())));
        prop_assert_eq!(got, expected);
    }
}

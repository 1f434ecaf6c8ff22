//! What the demo says: a rotating programme of numbered events, and the
//! chat endpoint's scripted reply.

use sse_proto::EventType;

use crate::wire::event_type;

const MESSAGE: EventType<'static> = event_type("message");
const HAIKU_TYPE: EventType<'static> = event_type("haiku");
const METRIC: EventType<'static> = event_type("metric");

/// Greetings in several scripts, to show non-ASCII text arriving intact.
const GREETINGS: [&str; 9] = [
    "Hello, world",
    "Bonjour tout le monde",
    "こんにちは世界",
    "你好，世界",
    "안녕하세요 세계",
    "Привет, мир",
    "مرحبا بالعالم",
    "Γειά σου Κόσμε",
    "👋 🌍 ✨",
];

/// Three-line poems: multi-line data, one `data:` line each.
const HAIKU: [&str; 4] = [
    "An old silent pond\nA frog jumps into the pond—\nSplash! Silence again.",
    "古池や\n蛙飛び込む\n水の音",
    "Bytes cross the wire\nsplit anywhere they like—\nthe parser waits, calm.",
    "No socket, no clock\njust bytes in and frames out:\nsans-IO spring rain.",
];

/// The event type and data of demo event number `n`.
pub(crate) fn demo_event(n: u64) -> (EventType<'static>, String) {
    let pick = |len: usize| (n / 4) as usize % len;
    match n % 4 {
        0 => (
            MESSAGE,
            format!("Tick #{n}: {}", GREETINGS[pick(GREETINGS.len())]),
        ),
        1 => (HAIKU_TYPE, HAIKU[pick(HAIKU.len())].to_owned()),
        2 => (METRIC, metric_json(n)),
        _ => (
            MESSAGE,
            format!(
                "Status report #{n}\n  • build: ✓ green\n  • queue: {} jobs",
                n % 7
            ),
        ),
    }
}

/// A made-up gauge reading, as JSON: what dashboards stream.
fn metric_json(n: u64) -> String {
    // A small linear congruential generator: varied but reproducible.
    let mix = n
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let cpu = (mix >> 33) % 100;
    let memory = 30 + (mix >> 45) % 60;
    format!(r#"{{"cpu":{cpu},"memory":{memory},"sample":{n}}}"#)
}

/// The chat endpoint's reply to `prompt`, as the tokens to stream.
pub(crate) fn chat_reply(prompt: &str) -> Vec<String> {
    let prompt = prompt.trim();
    let words = prompt.split_whitespace().count();
    let reply = format!(
        "You asked: “{prompt}” ({words} words).\n\n\
         This reply is streamed the way LLM APIs do it: one `token` event per \
         token on a text/event-stream response, read by this page with fetch() \
         and a streaming body reader, because EventSource cannot send a POST body.\n\
         Line breaks, leading spaces and text such as 日本語, Ελληνικά or 🦀 \
         arrive intact, and a final `done` event closes the answer."
    );
    tokens(&reply)
}

/// Splits `text` into word-sized tokens that keep their whitespace, so the
/// tokens joined give `text` back.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    text.split_inclusive([' ', '\n'])
        .map(str::to_owned)
        .collect()
}

//! Several connections in a row, as browsers' EventSource tests see them:
//! one parser across bodies, and a browser-mode `Session` driven against a
//! scripted server.

use core::time::Duration;

use sse_proto::session::Delay;
use sse_proto::{
    DisconnectAction, Mode, OwnedFrame, Parser, Policy, Response, ResponseAction, Session,
};

use super::parse_chunks;

/// What one connection of a browser-mode session saw: the `Last-Event-ID` it
/// sent, its frames, and what the session said when the body ended.
#[derive(Debug, PartialEq, Eq)]
pub struct Connection {
    pub sent_last_event_id: Option<String>,
    pub frames: Vec<OwnedFrame>,
    pub then: DisconnectAction,
}

/// Runs a browser-mode session against `server`, which answers each request
/// (given its `Last-Event-ID`) with a 200 `text/event-stream` body, for
/// `count` connections, feeding each body one byte at a time.
pub fn browse(count: usize, mut server: impl FnMut(Option<&str>) -> Vec<u8>) -> Vec<Connection> {
    let mut session = Session::with_policy(browser_policy());
    let mut seen = Vec::new();
    for _ in 0..count {
        let request = session.request().expect("the session goes on");
        let sent = request.last_event_id().map(str::to_owned);
        session.on_request(Duration::ZERO);
        let body = server(sent.as_deref());
        let action = session.on_response(Duration::ZERO, &OK);
        assert_eq!(action, ResponseAction::Open);
        let mut frames = Vec::new();
        for byte in body.chunks(1) {
            let mut input = byte;
            while let Some(frame) = session.feed(&mut input).expect("no limit") {
                frames.push(frame.into_owned());
            }
        }
        let then = session.on_disconnect(Duration::ZERO);
        seen.push(Connection {
            sent_last_event_id: sent,
            frames,
            then,
        });
    }
    seen
}

pub fn after(ms: u64) -> DisconnectAction {
    DisconnectAction::Retry {
        delay: Delay::exactly(Duration::from_millis(ms)),
    }
}

/// A 200 `text/event-stream` response.
pub const OK: Response<'static> = Response::new(200).content_type(Some("text/event-stream"));

/// [`Mode::Browser`] with a browser's numbers: no floor under the server's
/// `retry` and no backoff for short connections (Chromium has neither), so
/// that the WPT delays (`retry: 2`) come out as browsers wait them.
pub fn browser_policy() -> Policy {
    Policy::new()
        .mode(Mode::Browser)
        .min_delay(Duration::ZERO)
        .healthy_after(Duration::ZERO)
}

/// How a browser-mode session judges a 200 with this `Content-Type`.
pub fn judge_content_type(content_type: &str) -> ResponseAction {
    let mut session = Session::with_policy(browser_policy());
    session.on_request(Duration::ZERO);
    let response = Response::new(200).content_type(Some(content_type));
    session.on_response(Duration::ZERO, &response)
}

/// Parses `bodies` as successive connections of one parser (finished after
/// each), with `split` choosing the chunks of each body; returns the frames
/// of each connection.
pub fn connections(
    bodies: &[Vec<u8>],
    split: impl Fn(usize, &[u8]) -> Vec<Vec<u8>>,
) -> Vec<Vec<OwnedFrame>> {
    let mut parser = Parser::new();
    bodies
        .iter()
        .enumerate()
        .map(|(index, body)| {
            let pieces = split(index, body);
            parse_chunks(&mut parser, pieces.iter().map(Vec::as_slice))
                .into_iter()
                .map(|item| item.expect("no limit in these tests"))
                .collect()
        })
        .collect()
}

/// Asserts that one parser reading `bodies` as successive connections gives
/// `expected[i]` for connection `i`, each body whole, one byte at a time, and
/// cut once at every point.
pub fn assert_connections(bodies: &[Vec<u8>], expected: &[Vec<OwnedFrame>]) {
    let whole = connections(bodies, |_, body| vec![body.to_vec()]);
    assert_eq!(whole, expected, "whole");
    let bytewise = connections(bodies, |_, body| {
        body.iter().map(|byte| vec![*byte]).collect()
    });
    assert_eq!(bytewise, expected, "byte by byte");
    for target in 0..bodies.len() {
        for cut in 1..bodies[target].len() {
            let split = connections(bodies, |index, body| {
                if index == target {
                    vec![body[..cut].to_vec(), body[cut..].to_vec()]
                } else {
                    vec![body.to_vec()]
                }
            });
            assert_eq!(split, expected, "connection {target} cut at {cut}");
        }
    }
}

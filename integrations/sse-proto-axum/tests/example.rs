//! The `fanout` example, run as its own process, against its specification.

mod common;

use common::{open, post, Example};

#[test]
fn help_lists_the_options() {
    let output = std::process::Command::new(common::example_binary())
        .arg("--help")
        .output()
        .expect("run --help");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in ["--addr", "--history", "--heartbeat", "--help"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}

#[test]
fn unknown_option_is_refused() {
    let output = std::process::Command::new(common::example_binary())
        .arg("--nonsense")
        .output()
        .expect("run");
    assert!(!output.status.success());
}

#[tokio::test]
async fn publish_answers_increasing_ids_and_refuses_non_utf8() {
    let example = Example::start(&[]);
    for expected in 1..=3 {
        let (status, body) =
            post(example.addr, "/publish", format!("event {expected}").into()).await;
        assert_eq!((status.as_u16(), body), (200, expected.to_string()));
    }
    let (status, _) = post(example.addr, "/publish", vec![b'a', 0xff, 0xfe]).await;
    assert!(status.is_client_error(), "{status}");
    // The refused body took no ID.
    let (_, body) = post(example.addr, "/publish", b"next".to_vec()).await;
    assert_eq!(body, "4");
}

#[tokio::test]
async fn events_stream_live_then_resume_from_last_event_id() {
    let example = Example::start(&[]);
    let mut live = open(example.addr, "/events", None).await;
    assert_eq!(live.status, 200);
    assert_eq!(live.headers["content-type"], "text/event-stream");
    assert_eq!(live.headers["access-control-allow-origin"], "*");
    let bodies = ["plain", "two\nlines", "", "ünïcode ✓", "  spaced"];
    for body in bodies {
        post(example.addr, "/publish", body.into()).await;
    }
    for (n, body) in bodies.iter().enumerate() {
        let event = live.next_event().await.unwrap();
        assert_eq!(
            (event.id, event.data.as_str()),
            ((n + 1).to_string(), *body)
        );
        assert_eq!(event.event_type, "message");
    }
    let mut resumed = open(example.addr, "/events", Some("2")).await;
    for n in 3..=5 {
        assert_eq!(resumed.next_event().await.unwrap().id, n.to_string());
    }
    post(example.addr, "/publish", "six".into()).await;
    assert_eq!(resumed.next_event().await.unwrap().data, "six");
    assert_eq!(live.next_event().await.unwrap().data, "six");
}

#[tokio::test]
async fn keeps_the_last_thousand_and_resyncs_what_is_older_or_unknown() {
    let example = Example::start(&[]);
    for n in 1..=1100 {
        post(example.addr, "/publish", format!("{n}").into()).await;
    }
    // Every event after 100 is still held: 1000 of them, then live.
    let mut resumed = open(example.addr, "/events", Some("100")).await;
    for n in 101..=1100 {
        assert_eq!(resumed.next_event().await.unwrap().id, n.to_string());
    }
    for stale in ["5", "123456", "abc"] {
        let mut stream = open(example.addr, "/events", Some(stale)).await;
        let notice = stream.next_event().await.unwrap();
        assert_eq!(notice.event_type, "resync", "after {stale}");
        assert!(!notice.data.is_empty());
        let first_held = stream.next_event().await.unwrap();
        assert_eq!(first_held.id, "101");
    }
}

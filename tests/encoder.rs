//! The encoder's exact output, and the typed errors for values it refuses.

use std::fmt::Write as _;
use std::time::Duration;

use sse_proto::{headers, Comment, EncodeError, EventId, EventType, Message, Retry};

fn encoded(message: Message<'_>) -> String {
    let mut out = String::new();
    message.encode(&mut out);
    out
}

fn id(text: &str) -> EventId<'_> {
    EventId::new(text).unwrap()
}

fn event_type(text: &str) -> EventType<'_> {
    EventType::new(text).unwrap()
}

#[test]
fn event_type_with_lf_is_refused_with_its_position() {
    assert_eq!(
        EventType::new("up\ndate"),
        Err(EncodeError::LineBreakInEventType { position: 2 })
    );
}

#[test]
fn event_type_with_cr_is_refused_with_its_position() {
    assert_eq!(
        EventType::new("é\r"),
        Err(EncodeError::LineBreakInEventType { position: 2 })
    );
}

#[test]
fn empty_event_type_is_refused() {
    assert_eq!(EventType::new(""), Err(EncodeError::EmptyEventType));
}

#[test]
fn id_with_lf_is_refused_with_its_position() {
    assert_eq!(
        EventId::new("\n"),
        Err(EncodeError::LineBreakInId { position: 0 })
    );
}

#[test]
fn id_with_cr_is_refused_with_its_position() {
    assert_eq!(
        EventId::new("ab\r\n"),
        Err(EncodeError::LineBreakInId { position: 2 })
    );
}

#[test]
fn id_with_nul_is_refused_with_its_position() {
    assert_eq!(
        EventId::new("a\0\n"),
        Err(EncodeError::NulInId { position: 1 })
    );
}

#[test]
fn id_reports_the_first_offence() {
    assert_eq!(
        EventId::new("a\n\0"),
        Err(EncodeError::LineBreakInId { position: 1 })
    );
}

#[test]
fn nul_is_allowed_in_an_event_type() {
    assert_eq!(event_type("a\0b").as_str(), "a\0b");
}

#[test]
fn errors_display_in_lowercase_and_are_errors() {
    let errors = [
        EventType::new("a\nb").unwrap_err(),
        EventType::new("").unwrap_err(),
        EventId::new("\r").unwrap_err(),
        EventId::new("\0").unwrap_err(),
    ];
    for error in errors {
        let message = error.to_string();
        assert!(message.starts_with(|c: char| c.is_lowercase()), "{message}");
        assert!(!message.ends_with('.'), "{message}");
        let _: &dyn std::error::Error = &error;
    }
    assert_eq!(
        errors[0].to_string(),
        "event type has a line break at byte 1"
    );
}

#[test]
fn data_splits_at_lf_cr_and_crlf() {
    assert_eq!(
        encoded(Message::new("a\nb\rc\r\nd")),
        "data: a\ndata: b\ndata: c\ndata: d\n\n"
    );
}

#[test]
fn crlf_is_one_break_but_lf_cr_is_two() {
    assert_eq!(
        encoded(Message::new("a\n\rb")),
        "data: a\ndata:\ndata: b\n\n"
    );
}

#[test]
fn empty_data_is_one_data_line() {
    assert_eq!(encoded(Message::new("")), "data:\n\n");
}

#[test]
fn trailing_and_leading_breaks_give_empty_lines() {
    assert_eq!(encoded(Message::new("\nx\n")), "data:\ndata: x\ndata:\n\n");
}

#[test]
fn leading_spaces_survive_behind_the_one_space() {
    assert_eq!(encoded(Message::new("  two")), "data:   two\n\n");
}

#[test]
fn default_event_type_is_not_written() {
    assert_eq!(
        encoded(Message::new("x").event_type(event_type("message"))),
        "data: x\n\n"
    );
}

#[test]
fn event_type_and_id_come_first() {
    assert_eq!(
        encoded(
            Message::new("x")
                .id(id(" 7"))
                .event_type(event_type("tick"))
        ),
        "event: tick\nid:  7\ndata: x\n\n"
    );
}

#[test]
fn id_only_is_an_id_line_and_a_blank_line() {
    assert_eq!(encoded(Message::id_only(id("9"))), "id: 9\n\n");
}

#[test]
fn id_only_ignores_an_event_type() {
    assert_eq!(
        encoded(Message::id_only(id("9")).event_type(event_type("t"))),
        "id: 9\n\n"
    );
}

#[test]
fn empty_id_resets() {
    assert_eq!(encoded(Message::id_only(EventId::RESET)), "id:\n\n");
    assert_eq!(encoded(Message::new("x").id(id(""))), "id:\ndata: x\n\n");
}

#[test]
fn retry_is_one_line_in_milliseconds() {
    assert_eq!(Retry::from_millis(0).to_string(), "retry: 0\n");
    assert_eq!(
        Retry::from_millis(u64::MAX).to_string(),
        "retry: 18446744073709551615\n"
    );
    let huge = Duration::from_secs(u64::MAX);
    assert_eq!(Retry::new(huge), Retry::from_millis(u64::MAX));
}

#[test]
fn retry_drops_what_is_below_a_millisecond() {
    let cases = [
        (Duration::ZERO, 0),
        (Duration::from_nanos(999_999), 0),
        (Duration::from_nanos(1_000_000), 1),
        (Duration::new(2, 999_999_999), 2999),
    ];
    for (time, ms) in cases {
        let retry = Retry::new(time);
        assert_eq!(retry.as_millis(), ms, "{time:?}");
        assert_eq!(retry.as_duration(), Duration::from_millis(ms));
        assert!(retry.as_duration() <= time);
        assert_eq!(retry.to_string(), format!("retry: {ms}\n"));
    }
    // The wire value survives both ways.
    for ms in [0, 1, 1234, u64::MAX] {
        assert_eq!(Retry::from_millis(ms).as_millis(), ms);
        assert_eq!(
            Retry::new(Retry::from_millis(ms).as_duration()).as_millis(),
            ms
        );
    }
}

#[test]
fn comment_lines_split_like_data() {
    assert_eq!(Comment::new("").to_string(), ":\n");
    assert_eq!(Comment::new("a\r\n\rb").to_string(), ": a\n:\n: b\n");
    assert_eq!(Comment::new(" x").to_string(), ":  x\n");
}

#[test]
fn bom_at_the_start_of_data_is_behind_the_field_name() {
    let out = encoded(Message::new("\u{FEFF}x"));
    assert_eq!(out, "data: \u{FEFF}x\n\n");
}

#[test]
fn vec_string_and_fmt_write_get_the_same_bytes() {
    let message = Message::new("a\r\nb")
        .event_type(event_type("é"))
        .id(id("1"));
    let mut bytes = Vec::new();
    message.encode(&mut bytes);
    let mut text = String::new();
    message.encode(&mut text);
    let mut formatted = String::new();
    write!(formatted, "{message}").unwrap();
    assert_eq!(bytes, text.as_bytes());
    assert_eq!(text, formatted);
    assert_eq!(message.encoded_len(), bytes.len());
}

#[test]
fn encode_appends() {
    let mut out = b"start\n".to_vec();
    Comment::new("c").encode(&mut out);
    Retry::from_millis(5).encode(&mut out);
    assert_eq!(out, b"start\n: c\nretry: 5\n");
}

#[test]
fn encoded_len_matches_for_each_kind() {
    let comment = Comment::new("a\nbc");
    assert_eq!(comment.encoded_len(), comment.to_string().len());
    let retry = Retry::from_millis(1234);
    assert_eq!(retry.encoded_len(), retry.to_string().len());
}

#[test]
fn response_headers_name_the_values() {
    assert_eq!(
        headers::RESPONSE,
        [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("x-accel-buffering", "no"),
        ]
    );
}

/// What `http::HeaderName::from_static` and HTTP/2 accept: a token (RFC
/// 9110 `tchar`s) with no uppercase letter. Values are visible ASCII.
#[test]
fn response_header_names_are_lowercase_tokens() {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    for (name, value) in headers::RESPONSE {
        assert!(!name.is_empty(), "empty name");
        assert!(name.bytes().all(tchar), "{name:?} is not a token");
        assert!(
            !name.bytes().any(|b| b.is_ascii_uppercase()),
            "{name:?} has uppercase"
        );
        assert!(
            value.bytes().all(|b| b.is_ascii_graphic() || b == b' '),
            "{value:?}"
        );
    }
}

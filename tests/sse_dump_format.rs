//! `sse-dump --format sse` writes a canonical stream that means the same:
//! for every input X, the JSON dump of X equals the JSON dump of the `sse`
//! dump of X. Runs the example's own code, included from examples/support.

mod common;
#[path = "../examples/support/dump.rs"]
mod dump;
#[path = "../examples/support/json_lines.rs"]
mod json_lines;
#[path = "../examples/support/sse_lines.rs"]
mod sse_lines;

use common::ported::message_py;
use dump::{dump, Format};
use proptest::prelude::*;

/// Bytes biased toward the tokens of the format, with invalid UTF-8, BOMs
/// and NUL among them.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            &b"data"[..], b"data:", b"data: ", b"event:", b"event: ", b"id:", b"id: ", b"retry:",
            b"retry: ", b":", b": ", b" ", b"\r", b"\n", b"\r\n", b"\n\n", b"\0", b"1", b"42",
            b"message", b"\xEF\xBB\xBF", b"\xEF\xBB", b"\xFF", b"\xC3\xA9", b"x",
        ])
        .prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn json(bytes: &[u8], chunk: usize) -> String {
    dump(bytes, chunk, Format::Json).stdout
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// `sse-dump --format sse < X | sse-dump` prints what `sse-dump < X`
    /// prints, whatever the chunk size of either run.
    #[test]
    fn json_of_the_sse_dump_is_the_json_dump(input in stream(), chunk in 1..8usize) {
        let expected = json(&input, 65536);
        for first in [65536, chunk] {
            let sse = dump(&input, first, Format::Sse);
            prop_assert!(sse.stderr.is_empty(), "nothing is near the size limit");
            for second in [65536, 1, chunk] {
                prop_assert_eq!(&json(sse.stdout.as_bytes(), second), &expected);
            }
        }
    }

    #[test]
    fn the_sse_dump_is_a_fixed_point(input in stream()) {
        let once = dump(&input, 65536, Format::Sse).stdout;
        let twice = dump(once.as_bytes(), 65536, Format::Sse).stdout;
        prop_assert_eq!(once, twice);
    }
}

#[test]
fn a_bom_in_the_first_event_survives_reencoding() {
    let input = "\u{FEFF}data: \u{FEFF}x\n\n".as_bytes();
    let sse = dump(input, 1, Format::Sse).stdout;
    assert_eq!(sse, "data: \u{FEFF}x\n\n");
    assert_eq!(json(sse.as_bytes(), 1), json(input, 1));
}

#[test]
fn an_id_change_to_empty_is_written() {
    let input = b"id: 1\ndata: a\n\nid\ndata: b\n\n";
    assert_eq!(
        dump(input, 3, Format::Sse).stdout,
        "id: 1\ndata: a\n\nid:\ndata: b\n\n"
    );
}

#[test]
fn an_id_set_without_an_event_shows_on_the_next_event() {
    let input = b"id: 5\n\n: between\ndata: a\n\n";
    assert_eq!(
        dump(input, 64, Format::Sse).stdout,
        ": between\nid: 5\ndata: a\n\n"
    );
}

/// Found by the chunked property above (a parser bug, fixed on main): a
/// comment the parser had to buffer cleared the event in progress.
#[test]
fn a_comment_split_across_chunks_inside_an_event_keeps_the_event() {
    let input = b"data: x\n: c\n\n";
    let expected = json(input, 65536);
    assert!(expected.contains("\"data\":\"x\""), "{expected}");
    assert_eq!(json(input, 1), expected);
}

/// From web-platform-tests, eventsource/.
///
/// What `sse-dump` prints for WPT bodies, at `--chunk 1` and the default:
/// the JSON lines a checker reads (U+0000 as `\u0000`, U+2026 as UTF-8,
/// `\t` and `\n` escaped, comments and retries as their own lines).
#[test]
fn wpt_bodies_through_sse_dump() {
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "format-field-parsing",
            message_py(b"data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n", true),
            "{\"type\":\"event\",\"event\":\"message\",\"data\":\"\\u0000\\n 2\\n1\\n3\\n\\n4\",\"id\":\"\"}\n",
        ),
        (
            "format-leading-space",
            message_py(b"data:\ttest\rdata: \ndata:test", false),
            "{\"type\":\"event\",\"event\":\"message\",\"data\":\"\\ttest\\n\\ntest\",\"id\":\"\"}\n",
        ),
        (
            "format-field-id",
            "id: \u{2026}\nretry: 200\ndata: hello\n\n".into(),
            "{\"type\":\"retry\",\"ms\":200}\n{\"type\":\"event\",\"event\":\"message\",\"data\":\"hello\",\"id\":\"\u{2026}\"}\n",
        ),
        (
            "format-field-unknown",
            message_py(b"data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test", false),
            "{\"type\":\"comment\",\"text\":\"thisisacommentyay\"}\n{\"type\":\"event\",\"event\":\"message\",\"data\":\"test\\n\\ntest\",\"id\":\"\"}\n",
        ),
        (
            "format-field-id-null",
            b"id: x\0x\nretry: 200\ndata: hello\n\n".to_vec(),
            "{\"type\":\"retry\",\"ms\":200}\n{\"type\":\"event\",\"event\":\"message\",\"data\":\"hello\",\"id\":\"\"}\n",
        ),
    ];
    for (name, body, expected) in cases {
        for chunk in [1, 65536] {
            assert_eq!(
                dump(&body, chunk, Format::Json).stdout,
                expected,
                "{name} at --chunk {chunk}"
            );
        }
        // `--format sse` writes a canonical stream that dumps the same.
        let canonical = dump(&body, 65536, Format::Sse);
        assert!(canonical.stderr.is_empty(), "{name}");
        assert_eq!(
            dump(canonical.stdout.as_bytes(), 1, Format::Json).stdout,
            expected,
            "{name} through --format sse"
        );
    }
}

//! The `sse-dump` contract, byte for byte: one JSON object per frame, JSON
//! string escapes, `--chunk N` never changing the output, FILE or stdin,
//! exit 0 on success and 2 with a one-line message on a bad argument or an
//! unreadable file.

mod common;

#[path = "../examples/support/json_lines.rs"]
mod json_lines;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;

use common::strategy::stream;
use proptest::prelude::*;
use sse_proto::{Config, Event, Frame, ParseError, DEFAULT_MAX_EVENT_SIZE};

/// The `sse-dump` binary, up to date.
fn sse_dump() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| common::example::example_binary("sse-dump"))
}

/// Runs `sse-dump ARGS` with `stdin` as its standard input.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let input = stdin.to_vec();
    run_with(args, move |pipe| pipe.write_all(&input))
}

/// Runs `sse-dump ARGS` while `write` feeds its standard input from another
/// thread (so a full stdout pipe cannot deadlock the test).
fn run_with(
    args: &[&str],
    write: impl FnOnce(&mut ChildStdin) -> io::Result<()> + Send + 'static,
) -> Output {
    let mut child = Command::new(sse_dump())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sse-dump");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    // The child may exit early (bad argument) and close its stdin, so a
    // write error is not a failure.
    let writer = std::thread::spawn(move || {
        let _ = write(&mut pipe);
    });
    let output = child.wait_with_output().expect("wait for sse-dump");
    writer.join().expect("stdin writer");
    output
}

/// Runs `sse-dump ARGS`, requires exit 0 and no stderr, returns stdout.
fn dump(args: &[&str], stdin: &[u8]) -> String {
    let output = run(args, stdin);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(output.stderr.is_empty(), "stderr: {stderr}");
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Requires exit 2, nothing on stdout and one line on stderr.
fn assert_usage_error(args: &[&str]) -> String {
    let output = run(args, b"data: x\n\n");
    assert_eq!(output.status.code(), Some(2), "args {args:?}");
    assert!(
        output.stdout.is_empty(),
        "args {args:?}: stdout {:?}",
        output.stdout
    );
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert!(
        stderr.ends_with('\n') && stderr.matches('\n').count() == 1 && stderr.len() > 1,
        "args {args:?}: stderr must be one line, got {stderr:?}"
    );
    stderr
}

/// A file under the target's scratch directory holding `bytes`.
fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("sse-dump-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

/// What the contract says `input` prints, from the library and the JSON
/// writer (which `json_line_escapes_every_control_character` pins down).
fn expected_output(input: &[u8]) -> String {
    let mut out = String::new();
    for item in common::parse_whole(Config::default(), input) {
        match &item {
            Ok(frame) => json_lines::push_json_line(&mut out, Ok(frame.as_frame())),
            Err(error) => json_lines::push_json_line(&mut out, Err(*error)),
        }
    }
    out
}

#[test]
fn every_frame_kind_byte_for_byte() {
    let input = b": hi\nretry: 1500\nevent: update\nid: 7\ndata: a\ndata: b\n\ndata: c\n\n";
    let expected = concat!(
        "{\"type\":\"comment\",\"text\":\"hi\"}\n",
        "{\"type\":\"retry\",\"ms\":1500}\n",
        "{\"type\":\"event\",\"event\":\"update\",\"data\":\"a\\nb\",\"id\":\"7\"}\n",
        "{\"type\":\"event\",\"event\":\"message\",\"data\":\"c\",\"id\":\"7\"}\n",
    );
    assert_eq!(dump(&[], input), expected);
}

#[test]
fn strings_are_json_escaped_and_other_characters_are_utf8() {
    // Quote, backslash, LF (two data lines), tab, C0 controls, NUL, DEL,
    // a C1 control, non-ASCII, invalid UTF-8 (U+FFFD).
    let input = b"event: q\"\\\ndata: \"\\\x09\x01\x08\x0b\x0c\x1f\x00\x7f\xc2\x85\xc3\xa9\xf0\x9f\x8c\x8d\xff\ndata\n\n: \x1b[0m\t\n";
    let expected = concat!(
        "{\"type\":\"event\",\"event\":\"q\\\"\\\\\",",
        "\"data\":\"\\\"\\\\\\t\\u0001\\u0008\\u000b\\u000c\\u001f\\u0000\u{7f}\u{85}é🌍\u{FFFD}\\n\",",
        "\"id\":\"\"}\n",
        "{\"type\":\"comment\",\"text\":\"\\u001b[0m\\t\"}\n",
    );
    assert_eq!(dump(&[], input), expected);
}

/// A CR never reaches a value through the parser (it ends the line), so the
/// JSON writer the binary uses is checked directly, for every C0 control.
#[test]
fn json_line_escapes_every_control_character_and_formats_errors() {
    let mut out = String::new();
    let all_c0: String = (0u8..0x20).map(char::from).collect();
    json_lines::push_json_line(&mut out, Ok(Frame::Comment(&all_c0)));
    json_lines::push_json_line(
        &mut out,
        Ok(Frame::Event(Event {
            event_type: "\r",
            data: "\u{7f}\u{a0}\u{2028}",
            id: "\"",
        })),
    );
    json_lines::push_json_line(
        &mut out,
        Err(ParseError::EventTooLarge {
            limit: DEFAULT_MAX_EVENT_SIZE,
        }),
    );
    let expected = concat!(
        "{\"type\":\"comment\",\"text\":\"",
        "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f",
        "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f",
        "\"}\n",
        "{\"type\":\"event\",\"event\":\"\\r\",\"data\":\"\u{7f}\u{a0}\u{2028}\",\"id\":\"\\\"\"}\n",
        "{\"type\":\"error\",\"message\":\"event larger than the 67108864-byte limit\"}\n",
    );
    assert_eq!(out, expected);
}

/// sse-dump uses the default limit (64 MiB): one unknown-field line just
/// past it, streamed in 1 MiB blocks, gives the error line between the two
/// events around it.
#[test]
fn limit_hit_prints_one_error_line_and_parsing_goes_on() {
    let output = run_with(&[], |pipe| {
        pipe.write_all(b"data: before\n\nx:")?;
        let block = vec![b'y'; 1 << 20];
        for _ in 0..DEFAULT_MAX_EVENT_SIZE >> 20 {
            pipe.write_all(&block)?;
        }
        pipe.write_all(b"y\n\ndata: after\n\n")
    });
    assert_eq!(output.status.code(), Some(0));
    let expected = concat!(
        "{\"type\":\"event\",\"event\":\"message\",\"data\":\"before\",\"id\":\"\"}\n",
        "{\"type\":\"error\",\"message\":\"event larger than the 67108864-byte limit\"}\n",
        "{\"type\":\"event\",\"event\":\"message\",\"data\":\"after\",\"id\":\"\"}\n",
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn empty_input_prints_nothing() {
    assert_eq!(dump(&[], b""), "");
    assert_eq!(dump(&["--chunk", "1"], b"data: unfinished\n"), "");
}

const SAMPLES: &[&[u8]] = &[
    b"\xEF\xBB\xBFdata: bom\r\n\r\n",
    b"data: a\rdata: b\r\r: c\r\nretry: 5\r\n",
    b"data: \xF0\x9F\x8C\x8D split\n\nid: 1\0\ndata\n\n",
    b"event: x\nid: 9\ndata: one\n\ndata: two\n\ndata: cut",
    b"data: \xE2\x82\ndata:\xFF\n\n",
    include_bytes!("../examples/captures/llm-stream.txt"),
];

#[test]
fn chunk_size_never_changes_the_output() {
    for input in SAMPLES {
        let default = dump(&[], input);
        assert_eq!(default, expected_output(input));
        for size in ["1", "2", "3", "7", "65536"] {
            assert_eq!(dump(&["--chunk", size], input), default, "--chunk {size}");
        }
    }
}

#[test]
fn file_and_stdin_give_the_same_output() {
    for (n, input) in SAMPLES.iter().enumerate() {
        let path = scratch_file(&format!("sample-{n}"), input);
        let file = path.to_str().expect("UTF-8 path");
        assert_eq!(dump(&[file], b"ignored: stdin\n\n"), dump(&[], input));
        assert_eq!(dump(&["--chunk", "1", file], b""), dump(&[], input));
        assert_eq!(dump(&[file, "--chunk", "3"], b""), dump(&[], input));
        std::fs::remove_file(path).expect("remove scratch file");
    }
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    assert_usage_error(&["--chunk", "0"]);
    assert_usage_error(&["--chunk", "x"]);
    assert_usage_error(&["--chunk", "-1"]);
    assert_usage_error(&["--chunk"]);
    assert_usage_error(&["--frobnicate"]);
    assert_usage_error(&["a", "b"]);
}

#[test]
fn unreadable_file_exits_2_with_one_line() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sse-dump-no-such-file");
    let message = assert_usage_error(&[missing.to_str().expect("UTF-8 path")]);
    assert!(message.contains("no-such-file"), "{message:?}");
    // A directory cannot be read as a file either.
    assert_usage_error(&[env!("CARGO_TARGET_TMPDIR")]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn chunk_1_and_the_default_agree_with_the_library(input in stream()) {
        let default = dump(&[], &input);
        prop_assert_eq!(&default, &expected_output(&input));
        prop_assert_eq!(dump(&["--chunk", "1"], &input), default);
    }
}

/// `sse-dump` streams: a frame is printed once its chunk is read, while the
/// input is still open, so memory stays bounded however long the input.
#[test]
fn frames_are_printed_before_the_input_ends() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(sse_dump())
        .args(["--chunk", "9"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sse-dump");
    let mut stdin = child.stdin.take().expect("stdin pipe");
    stdin.write_all(b"data: a\n\n").expect("write");
    stdin.flush().expect("flush");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout pipe"));
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read");
        sender.send(line).expect("send");
        stdout
    });
    // A dump that read to the end of its input would print nothing yet.
    let Ok(line) = receiver.recv_timeout(std::time::Duration::from_secs(30)) else {
        child.kill().expect("kill");
        panic!("sse-dump printed nothing before its input ended");
    };
    assert_eq!(
        line,
        "{\"type\":\"event\",\"event\":\"message\",\"data\":\"a\",\"id\":\"\"}\n"
    );
    let mut stdout = reader.join().expect("reader");
    stdin.write_all(b"data: b\n\n").expect("write");
    drop(stdin);
    let mut rest = String::new();
    io::Read::read_to_string(&mut stdout, &mut rest).expect("read");
    assert_eq!(
        rest,
        "{\"type\":\"event\",\"event\":\"message\",\"data\":\"b\",\"id\":\"\"}\n"
    );
    assert!(child.wait().expect("wait").success());
}

//! `sse-dump`: parse a captured `text/event-stream` and print its frames as
//! JSON lines, one per frame.
//!
//! ```text
//! cargo run --release --example sse-dump -- [--chunk N] [FILE]
//! ```
//!
//! Reads FILE (or stdin) to the end, feeds the parser N bytes at a time
//! (default 65536), finishes, and prints one JSON object per frame:
//!
//! ```text
//! {"type":"event","event":"<type>","data":"<data>","id":"<last event ID>"}
//! {"type":"retry","ms":<integer>}
//! {"type":"comment","text":"<text>"}
//! {"type":"error","message":"<what happened>"}
//! ```
//!
//! Exit code 0 on success, 2 with a one-line message on a bad argument or an
//! unreadable file.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use sse_proto::Parser;

#[path = "support/json_lines.rs"]
mod json_lines;
use json_lines::push_json_line;

const USAGE: &str = "usage: sse-dump [--chunk N] [FILE]";

struct Args {
    chunk: usize,
    file: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        chunk: 65536,
        file: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--chunk" => {
                let value = args.next().ok_or("--chunk needs a value")?;
                parsed.chunk = match value.parse() {
                    Ok(n) if n > 0 => n,
                    _ => return Err(format!("--chunk needs a positive integer, not {value:?}")),
                };
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ if parsed.file.is_none() => parsed.file = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    Ok(parsed)
}

fn read_input(file: Option<&str>) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    match file {
        Some(path) => std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {path}: {e}"))?,
        None => io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read stdin: {e}"))?,
    };
    Ok(bytes)
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args().skip(1))
        .and_then(|args| Ok((read_input(args.file.as_deref())?, args.chunk)));
    let (bytes, chunk) = match result {
        Ok(input) => input,
        Err(message) => {
            eprintln!("sse-dump: {message}");
            return ExitCode::from(2);
        }
    };
    let mut parser = Parser::new();
    let mut out = String::new();
    for mut input in bytes.chunks(chunk) {
        loop {
            match parser.feed(&mut input) {
                Ok(Some(frame)) => push_json_line(&mut out, Ok(frame)),
                Ok(None) => break,
                Err(error) => push_json_line(&mut out, Err(error)),
            }
        }
    }
    parser.finish();
    match io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sse-dump: cannot write: {e}");
            ExitCode::from(2)
        }
    }
}

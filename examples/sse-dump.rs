//! `sse-dump`: parse a captured `text/event-stream` and print its frames as
//! JSON lines, one per frame, or as a canonical event stream.
//!
//! ```text
//! cargo run --release --example sse-dump -- [--chunk N] [--format json|sse] [FILE]
//! ```
//!
//! Reads FILE (or stdin) to the end, feeds the parser N bytes at a time
//! (default 65536), finishes, and prints. With `--format json` (the default),
//! one JSON object per frame:
//!
//! ```text
//! {"type":"event","event":"<type>","data":"<data>","id":"<last event ID>"}
//! {"type":"retry","ms":<integer>}
//! {"type":"comment","text":"<text>"}
//! {"type":"error","message":"<what happened>"}
//! ```
//!
//! With `--format sse`, the frames re-encoded by the encoder: each event with
//! its type (no `event:` line for `message`), an `id:` line whenever the last
//! event ID changed since the previous event (also to empty), and retries and
//! comments in their places. For every input X, `sse-dump --format sse < X |
//! sse-dump` prints exactly what `sse-dump < X` prints, with one exception:
//! an event dropped for exceeding the size limit (64 MiB) is left out of the
//! stream and reported on stderr instead, as nothing of it remains to write.
//!
//! Exit code 0 on success, 2 with a one-line message on a bad argument or an
//! unreadable file.

use std::io::{self, Read, Write};
use std::process::ExitCode;

#[path = "support/dump.rs"]
mod dump;
#[path = "support/json_lines.rs"]
mod json_lines;
#[path = "support/sse_lines.rs"]
mod sse_lines;
use dump::{dump, Format};

const USAGE: &str = "usage: sse-dump [--chunk N] [--format json|sse] [FILE]";

struct Args {
    chunk: usize,
    format: Format,
    file: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        chunk: 65536,
        format: Format::Json,
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
            "--format" => {
                parsed.format = match args.next().as_deref() {
                    Some("json") => Format::Json,
                    Some("sse") => Format::Sse,
                    other => return Err(format!("--format needs json or sse, not {other:?}")),
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
        .and_then(|args| Ok((read_input(args.file.as_deref())?, args)));
    let (bytes, args) = match result {
        Ok(input) => input,
        Err(message) => {
            eprintln!("sse-dump: {message}");
            return ExitCode::from(2);
        }
    };
    let dumped = dump(&bytes, args.chunk, args.format);
    for message in &dumped.stderr {
        eprintln!("sse-dump: {message}");
    }
    match io::stdout().lock().write_all(dumped.stdout.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sse-dump: cannot write: {e}");
            ExitCode::from(2)
        }
    }
}

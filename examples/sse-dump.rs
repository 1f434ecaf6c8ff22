//! `sse-dump`: parse a captured `text/event-stream` and print its frames as
//! JSON lines, one per frame, or as a canonical event stream.
//!
//! ```text
//! cargo run --release --example sse-dump -- [--chunk N] [--format json|sse] [FILE]
//! ```
//!
//! Reads FILE (or stdin) N bytes at a time (default 65536), feeds each
//! chunk to the parser and prints the frames it completes, so memory stays
//! bounded however long the input; at the end of the input it finishes. With `--format json` (the default),
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
//! unreadable file (after printing what was read before the error).

use std::io::{self, Read, Write};
use std::process::ExitCode;

#[path = "support/dump.rs"]
mod dump;
#[path = "support/json_lines.rs"]
mod json_lines;
#[path = "support/sse_lines.rs"]
mod sse_lines;
use dump::{Dumped, Dumper, Format};

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

/// Reads into all of `buffer` unless the input ends first: returns how
/// many bytes it holds, so every chunk but the last is `--chunk` bytes.
fn fill(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Why dumping stopped early.
enum Stop {
    /// The reader of our output went away: nothing more to do.
    Closed,
    /// A one-line message, exit code 2.
    Failed(String),
}

fn run(args: &Args) -> Result<(), Stop> {
    let (mut input, name): (Box<dyn Read>, &str) = match args.file.as_deref() {
        Some(path) => (
            Box::new(
                std::fs::File::open(path)
                    .map_err(|e| Stop::Failed(format!("cannot read {path}: {e}")))?,
            ),
            path,
        ),
        None => (Box::new(io::stdin().lock()), "stdin"),
    };
    let mut stdout = io::stdout().lock();
    let mut dumper = Dumper::new(args.format);
    let mut buffer = vec![0; args.chunk];
    loop {
        let filled = fill(&mut input, &mut buffer)
            .map_err(|e| Stop::Failed(format!("cannot read {name}: {e}")))?;
        let mut dumped = Dumped::default();
        dumper.feed(&buffer[..filled], &mut dumped);
        for message in &dumped.stderr {
            eprintln!("sse-dump: {message}");
        }
        match stdout.write_all(dumped.stdout.as_bytes()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(Stop::Closed),
            Err(e) => return Err(Stop::Failed(format!("cannot write: {e}"))),
        }
        if filled < buffer.len() {
            dumper.finish();
            return Ok(());
        }
    }
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args().skip(1))
        .map_err(Stop::Failed)
        .and_then(|args| run(&args));
    match result {
        Ok(()) | Err(Stop::Closed) => ExitCode::SUCCESS,
        Err(Stop::Failed(message)) => {
            eprintln!("sse-dump: {message}");
            ExitCode::from(2)
        }
    }
}

//! `--tail FILE`: push every line appended to FILE, like `tail -f` for a
//! build log. Polls the file's length (std has no file watching); a file
//! that shrinks was truncated or replaced and is followed from its start.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use sse_proto::EventType;

use crate::hub::Hub;
use crate::wire::event_type;

const LOG: EventType<'static> = event_type("log");

const POLL: Duration = Duration::from_millis(200);
/// A line longer than this is pushed in pieces, so memory stays bounded.
const MAX_LINE: usize = 4096;

/// Follows `path` from its current end on a new thread, publishing each new
/// line as a `log` event.
pub(crate) fn follow(path: PathBuf, hub: Arc<Hub>) -> io::Result<()> {
    let mut position = File::open(&path)?.metadata()?.len();
    thread::spawn(move || {
        let mut pending = Vec::new();
        loop {
            thread::sleep(POLL);
            match read_new(&path, &mut position, &mut pending) {
                Ok(()) => publish_lines(&hub, &mut pending),
                // Rotated away for a moment, or unreadable: try again later.
                Err(_) => continue,
            }
        }
    });
    Ok(())
}

/// Appends the bytes past `position` to `pending`.
fn read_new(path: &PathBuf, position: &mut u64, pending: &mut Vec<u8>) -> io::Result<()> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len < *position {
        *position = 0;
        pending.clear();
    }
    file.seek(SeekFrom::Start(*position))?;
    let read = file.take(1 << 20).read_to_end(pending)?;
    *position += read as u64;
    Ok(())
}

/// Publishes the complete lines in `pending`, keeping a partial last line.
fn publish_lines(hub: &Hub, pending: &mut Vec<u8>) {
    let mut start = 0;
    while let Some(offset) = pending[start..].iter().position(|&b| b == b'\n') {
        publish_line(hub, &pending[start..start + offset]);
        start += offset + 1;
    }
    pending.drain(..start);
    while pending.len() > MAX_LINE {
        let rest = pending.split_off(MAX_LINE);
        publish_line(hub, pending);
        *pending = rest;
    }
}

fn publish_line(hub: &Hub, line: &[u8]) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        hub.publish(LOG, "");
    }
    for piece in line.chunks(MAX_LINE) {
        hub.publish(LOG, &String::from_utf8_lossy(piece));
    }
}

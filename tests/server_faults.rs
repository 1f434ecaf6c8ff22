//! The demo server (`examples/server.rs`) under the faults a fault test
//! found in its earlier hub: a burst of lines through `--tail` must reach
//! fast readers whole (less only what the ring could not hold), sockets
//! that never finish their request or never read must not lock other
//! clients out, a client that never reads is dropped within the write
//! timeout, and a head too large is refused without waiting for its end.
//! Runs the real binary on 127.0.0.1.

mod common;

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sse_proto::{Frame, Parser};

/// A running demo server, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    tail: PathBuf,
}

impl Server {
    fn start(name: &str) -> Self {
        let tail =
            std::env::temp_dir().join(format!("sse-proto-{name}-{}.log", std::process::id()));
        File::create(&tail).expect("tail file");
        let mut child = Command::new(common::example::example_binary("server"))
            .args(["--addr", "127.0.0.1:0", "--tail"])
            .arg(&tail)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .expect("listening line")
            .to_owned();
        Self { child, addr, tail }
    }

    fn connect(&self) -> TcpStream {
        TcpStream::connect(&self.addr).expect("connects")
    }

    /// Appends `text` to the tail file in one write.
    fn append(&self, text: &str) {
        let mut file = OpenOptions::new()
            .append(true)
            .open(&self.tail)
            .expect("tail file");
        file.write_all(text.as_bytes()).expect("append");
    }

    /// Whether `GET /` is answered 200 within two seconds.
    fn answers_promptly(&self) -> bool {
        let started = Instant::now();
        let mut stream = self.connect();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            .unwrap();
        let mut head = [0; 12];
        stream.read_exact(&mut head).is_ok()
            && &head == b"HTTP/1.1 200"
            && started.elapsed() < Duration::from_secs(2)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.tail);
    }
}

/// What one `/events` reader saw: the `(type, id, data)` of each event.
type Seen = Vec<(String, String, String)>;

/// Reads `/events` as fast as it can on a thread of its own until it sees
/// an event whose data is `last`, or `timeout` passes; sends a unit on
/// `ready` once the stream has started.
fn reader(
    server: &Server,
    last: &'static str,
    ready: mpsc::Sender<()>,
) -> thread::JoinHandle<Seen> {
    let mut stream = server.connect();
    thread::spawn(move || {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
            .write_all(b"GET /events HTTP/1.1\r\nHost: test\r\n\r\n")
            .unwrap();
        let mut parser = Parser::new();
        let mut seen = Vec::new();
        let mut buf = vec![0; 64 * 1024];
        let mut in_body = false;
        let mut head = Vec::new();
        loop {
            let Ok(n) = stream.read(&mut buf) else {
                return seen;
            };
            if n == 0 {
                return seen;
            }
            let mut input = &buf[..n];
            if !in_body {
                head.extend_from_slice(input);
                let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                in_body = true;
                let _ = ready.send(());
                let body = head.split_off(end + 4);
                let mut body = &body[..];
                if collect(&mut parser, &mut body, &mut seen, last) {
                    return seen;
                }
                input = &[];
            }
            if collect(&mut parser, &mut input, &mut seen, last) {
                return seen;
            }
        }
    })
}

/// Parses `input` into `seen`; whether the event with data `last` came.
fn collect(parser: &mut Parser, input: &mut &[u8], seen: &mut Seen, last: &str) -> bool {
    while let Ok(Some(frame)) = parser.feed(input) {
        if let Frame::Event(event) = frame {
            seen.push((event.event_type.into(), event.id.into(), event.data.into()));
            if event.data == last {
                return true;
            }
        }
    }
    false
}

/// Reads `stream` as fast as it comes until the server closes it; an error
/// if it is still open after `limit` (a stream still served goes on with
/// the demo's ticks, so reading alone would never end).
fn ends_within(stream: &mut TcpStream, limit: Duration) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(3)))?;
    let started = Instant::now();
    let mut buf = vec![0; 1 << 20];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::ErrorKind::TimedOut.into())
}

#[test]
fn a_tail_burst_reaches_fast_readers_whole_but_for_what_the_ring_cannot_hold() {
    let server = Server::start("burst");
    let (ready, started) = mpsc::channel();
    let readers: Vec<_> = (0..4)
        .map(|_| reader(&server, "line 1500", ready.clone()))
        .collect();
    for _ in 0..4 {
        started
            .recv_timeout(Duration::from_secs(10))
            .expect("stream started");
    }
    let burst: String = (1..=1500).map(|n| format!("line {n}\n")).collect();
    server.append(&burst);
    for reader in readers {
        let seen = reader.join().expect("reader");
        let lines: Vec<u64> = seen
            .iter()
            .filter(|(kind, _, _)| kind == "log")
            .map(|(_, id, _)| id.parse().expect("numeric ID"))
            .collect();
        let resyncs = seen.iter().filter(|(kind, _, _)| kind == "resync").count();
        eprintln!(
            "a reader got {} of 1500 lines, {resyncs} resyncs",
            lines.len()
        );
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "each once, in order");
        // The ring holds 1000 events: a reader passed by the burst carries
        // on from the oldest still held, so it misses at most 500 lines.
        assert!(
            lines.len() >= 1000,
            "{} of 1500 lines, {resyncs} resyncs",
            lines.len()
        );
        assert!(resyncs <= 1, "{resyncs} resyncs");
        assert_eq!(seen.last().map(|e| e.2.as_str()), Some("line 1500"));
    }
}

#[test]
fn idle_and_never_reading_sockets_do_not_lock_others_out() {
    let server = Server::start("lockout");
    let mut idle = Vec::new();
    for n in 0..300 {
        let mut socket = server.connect();
        match n % 3 {
            0 => {}                                                          // idle
            1 => socket.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap(),   // slow header
            _ => socket.write_all(b"GET /events HTTP/1.1\r\n\r\n").unwrap(), // never reads
        }
        idle.push(socket);
    }
    thread::sleep(Duration::from_millis(300));
    for attempt in 0..3 {
        assert!(server.answers_promptly(), "attempt {attempt}");
    }
}

#[test]
fn a_client_that_never_reads_is_dropped_within_the_write_timeout() {
    let server = Server::start("stuck");
    let mut stuck = server.connect();
    stuck
        .write_all(b"GET /events HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    // Long lines, 1 MiB every 200 ms, until the socket's buffers are full
    // and the server's writes block.
    let line = format!("{}\n", "x".repeat(4000));
    let flood = line.repeat(256);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(4) {
        server.append(&flood);
        thread::sleep(Duration::from_millis(200));
    }
    // Blocked for at most the 10 s write timeout, then dropped: reading
    // what was buffered then ends with the server's close. (Reading sooner
    // would unblock the server's write.)
    thread::sleep(Duration::from_secs(12));
    let ended = ends_within(&mut stuck, Duration::from_secs(20));
    assert!(ended.is_ok(), "still served: {ended:?}");
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_client_that_reads_a_trickle_is_dropped_too() {
    let server = Server::start("trickle");
    let mut slow = server.connect();
    slow.write_all(b"GET /events HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    let line = format!("{}\n", "x".repeat(4000));
    let flood = line.repeat(256);
    for _ in 0..20 {
        server.append(&flood);
        thread::sleep(Duration::from_millis(200));
    }
    // 1 KB/s: every partial write makes progress, but no 64 KiB batch is
    // taken within the 10 s the server allows it.
    let mut buf = vec![0; 1 << 20];
    for _ in 0..150 {
        slow.read_exact(&mut buf[..100]).unwrap();
        thread::sleep(Duration::from_millis(100));
    }
    // Dropped: what is still buffered drains fast, then the stream ends.
    let ended = ends_within(&mut slow, Duration::from_secs(20));
    assert!(ended.is_ok(), "still served: {ended:?}");
}

/// The status line the server answers `request` with, read within two
/// seconds while the connection stays open: the server must not wait for
/// the rest of a head it has already refused.
fn status_line(server: &Server, request: &[u8]) -> String {
    let mut stream = server.connect();
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    // The server may refuse before it has read all of it.
    let _ = stream.write_all(request);
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    line.trim_end().to_owned()
}

#[test]
fn heads_too_large_are_refused_at_once_and_folded_headers_are_joined() {
    let server = Server::start("heads");
    let endless = format!("GET / HTTP/1.1\r\nX-Long: {}", "a".repeat(20 * 1024));
    let many_lines: String = (0..100).map(|n| format!("X-{n}: a\r\n")).collect();
    let cases = [
        (
            endless.into_bytes(),
            "HTTP/1.1 431 Request Header Fields Too Large",
        ),
        (
            format!("GET / HTTP/1.1\r\n{many_lines}\r\n").into_bytes(),
            "HTTP/1.1 431 Request Header Fields Too Large",
        ),
        (
            b"GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n".to_vec(),
            "HTTP/1.1 200 OK",
        ),
        (
            b"GET / HTTP/1.1\r\nX-Bad : a\r\n\r\n".to_vec(),
            "HTTP/1.1 400 Bad Request",
        ),
    ];
    for (request, expected) in cases {
        let text = String::from_utf8_lossy(&request[..40.min(request.len())]).into_owned();
        assert_eq!(status_line(&server, &request), expected, "{text:?}");
    }
}

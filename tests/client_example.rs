//! Runs `examples/client.rs` against throwaway servers on 127.0.0.1: it must
//! resume with `Last-Event-ID`, wait the server's `retry`, print every event
//! exactly once and exit as documented.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{mpsc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// No wait in these tests may take longer than this.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The example binary, up to date.
fn client_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| common::example::example_binary("client"))
        .clone()
}

/// What the client printed and how it exited.
struct Run {
    stdout: String,
    stderr: String,
    status: ExitStatus,
}

/// Runs the client on `url`, killing it if it outlives [`TIMEOUT`].
fn run_client(args: &[&str]) -> Run {
    let mut child = Command::new(client_binary())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("client starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("client status") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the client did not exit within {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Run {
        stdout,
        stderr,
        status,
    }
}

/// Accepts one connection, giving up after [`TIMEOUT`].
fn accept(listener: &TcpListener) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let started = Instant::now();
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(TIMEOUT)).unwrap();
                return stream;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    started.elapsed() < TIMEOUT,
                    "no connection within {TIMEOUT:?}"
                );
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// Reads a request head; returns its lines.
fn read_request(stream: &TcpStream) -> Vec<String> {
    let mut reader = BufReader::new(stream);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("request line");
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            return lines;
        }
        lines.push(line);
    }
}

/// The value of header `name` in a request, whatever its case.
fn header<'a>(request: &'a [String], name: &str) -> Option<&'a str> {
    request.iter().find_map(|line| {
        let (n, value) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn chunked(body: &str) -> String {
    // Two chunks, cut inside an event, with an extension on the first.
    let (a, b) = body.split_at(body.len() / 2);
    format!(
        "{:x};ext=1\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    )
}

/// The `(data, id)` of every event line the client printed.
fn events(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter(|line| line.starts_with(r#"{"type":"event""#))
        .map(|line| {
            let field = |name: &str| {
                let start = line.find(&format!("\"{name}\":\"")).unwrap() + name.len() + 4;
                line[start..].split('"').next().unwrap().to_owned()
            };
            (field("data"), field("id"))
        })
        .collect()
}

#[test]
fn resumes_after_a_drop_waits_the_retry_and_stops_on_204() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let (report, reports) = mpsc::channel();
    let server = thread::spawn(move || {
        // 1: chunked, CRLF head; three events, then the connection drops.
        let mut stream = accept(&listener);
        let request = read_request(&stream);
        report.send(("first", request)).unwrap();
        let body = "retry: 300\n\nid: 1\ndata: one\n\nid: 2\ndata: two\n\ndata: three\n\n";
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(chunked(body).as_bytes()).unwrap();
        drop(stream);
        let dropped = Instant::now();

        // 2: LF head, odd header case, Content-Length; one more event.
        let mut stream = accept(&listener);
        let waited = dropped.elapsed();
        let request = read_request(&stream);
        report.send(("second", request)).unwrap();
        let body = "data: four\nid: 4\n\n";
        let head = format!(
            "HTTP/1.1 200 OK\nCONTENT-TYPE: Text/Event-Stream; charset=utf-8\ncontent-length: {}\n\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        drop(stream);

        // 3: the server says stop.
        let mut stream = accept(&listener);
        let request = read_request(&stream);
        report.send(("third", request)).unwrap();
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .unwrap();
        waited
    });

    let run = run_client(&[&url]);
    let waited = server.join().expect("server ran");
    let requests: Vec<_> = reports.try_iter().collect();
    assert!(
        run.status.success(),
        "exit {:?}; stderr:\n{}",
        run.status,
        run.stderr
    );

    assert_eq!(requests.len(), 3, "stderr:\n{}", run.stderr);
    let (_, first) = &requests[0];
    assert_eq!(first[0], "GET /events HTTP/1.1");
    assert_eq!(header(first, "accept"), Some("text/event-stream"));
    assert_eq!(header(first, "last-event-id"), None, "no ID yet: no header");
    // Event "three" had no id: the last event ID is still 2.
    assert_eq!(header(&requests[1].1, "last-event-id"), Some("2"));
    assert_eq!(header(&requests[2].1, "last-event-id"), Some("4"));

    assert!(
        waited >= Duration::from_millis(300),
        "reconnected after {waited:?}"
    );
    let expected = [("one", "1"), ("two", "2"), ("three", "2"), ("four", "4")];
    let expected: Vec<_> = expected.map(|(d, i)| (d.to_owned(), i.to_owned())).into();
    assert_eq!(events(&run.stdout), expected, "stdout:\n{}", run.stdout);
    assert!(run.stdout.contains(r#"{"type":"retry","ms":300}"#));
}

#[test]
fn refused_stream_exits_1_and_redirects_are_not_followed() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = thread::spawn(move || {
        let mut stream = accept(&listener);
        read_request(&stream);
        let head = "HTTP/1.1 301 Moved Permanently\r\nLocation: http://elsewhere/\r\n\
                    Content-Length: 0\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
    });
    let run = run_client(&[&url]);
    server.join().expect("server ran");
    assert_eq!(run.status.code(), Some(1), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains("Location: http://elsewhere/"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn retries_a_503_and_gives_up_after_max_retries() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = thread::spawn(move || {
        // An interim 100 first, then 503 with Retry-After: 0; then a server
        // that accepts and hangs up at once.
        let mut stream = accept(&listener);
        read_request(&stream);
        let head = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\nRetry-After: 0\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        drop(stream);
        let stream = accept(&listener);
        read_request(&stream);
    });
    let run = run_client(&["--max-retries", "1", &url]);
    server.join().expect("server ran");
    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains("HTTP 503, retrying"), "{}", run.stderr);
    assert!(run.stderr.contains("too many"), "{}", run.stderr);
}

#[test]
fn bad_arguments_exit_2() {
    for args in [&[][..], &["https://example.com/"], &["--nope", "http://x/"]] {
        let run = run_client(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", run.stderr);
    }
}

/// Serves one connection with `response`, then holds it open (reading until
/// the client hangs up) so that only the client's own limits can end it.
fn serve_and_hold(response: Vec<u8>) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = thread::spawn(move || {
        let mut stream = accept(&listener);
        read_request(&stream);
        // The client may hang up while this is still being written.
        let _ = stream.write_all(&response);
        let _ = stream.read_to_end(&mut Vec::new());
    });
    (url, server)
}

#[test]
fn endless_heads_and_trailers_are_cut_off() {
    let folded = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Long: a\r\n{}",
        " a\r\n".repeat(1000)
    );
    let interim = "HTTP/1.1 100 Continue\r\n\r\n".repeat(100);
    let trailers = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
         Transfer-Encoding: chunked\r\n\r\n0\r\n{}",
        "X-Trailer: a\r\n".repeat(1000)
    );
    for (response, error) in [
        (folded, "too many header lines"),
        (interim, "too many interim responses"),
        (trailers, "too many trailer lines"),
    ] {
        let (url, server) = serve_and_hold(response.into_bytes());
        let run = run_client(&["--max-retries", "0", &url]);
        server.join().expect("server ran");
        assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
        assert!(run.stderr.contains(error), "{error}: {}", run.stderr);
    }
}

#[test]
fn an_endless_line_is_reported_as_too_long() {
    let endless = "a".repeat(20 * 1024);
    let heads = [
        format!("HTTP/1.1 200 {endless}"),
        format!("HTTP/1.1 200 OK\r\nX-Long: {endless}"),
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
             Transfer-Encoding: chunked\r\n\r\n{endless}"
        ),
    ];
    for response in heads {
        let (url, server) = serve_and_hold(response.into_bytes());
        let run = run_client(&["--max-retries", "0", &url]);
        server.join().expect("server ran");
        assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
        assert!(run.stderr.contains("line too long"), "{}", run.stderr);
        assert!(!run.stderr.contains("end of file"), "{}", run.stderr);
    }
}

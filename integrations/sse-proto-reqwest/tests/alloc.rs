//! No allocation per event, end to end: 50,000 events read over a real
//! loopback connection through reqwest allocate far less than once per
//! event on the client's thread (what is left is per chunk, in hyper).
//! The server runs on another thread, so its allocations are not counted.

#[path = "../../../tests/common/counting.rs"]
mod counting;

use std::io::{Read as _, Write as _};
use std::net::TcpListener;

use sse_proto_reqwest::EventSource;

const EVENTS: usize = 50_000;
const WARM_UP: usize = 1_000;

/// A chunked `text/event-stream` response of `EVENTS` token-like events,
/// in 16 KiB chunks, served once from a plain thread.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let stream: Vec<u8> = (0..EVENTS)
        .flat_map(|n| format!("data: {{\"delta\":{{\"content\":\"t{n}\"}}}}\n\n").into_bytes())
        .collect();
    let mut response =
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for chunk in stream.chunks(16 * 1024) {
        write!(response, "{:x}\r\n", chunk.len()).unwrap();
        response.extend_from_slice(chunk);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let _ = socket.read(&mut [0; 4096]);
        let _ = socket.write_all(&response);
    });
    url
}

#[test]
fn reading_events_allocates_far_less_than_once_per_event() {
    let url = serve();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut source = EventSource::get(&url).unwrap();
        for _ in 0..WARM_UP {
            source.next().await.unwrap().unwrap();
        }
        // The counter sees what a poll allocates.
        let control = count_async(async {
            std::hint::black_box(Vec::<u8>::with_capacity(8));
        });
        assert_eq!(control.await, 1);
        let mut bytes = 0;
        let mut events = WARM_UP;
        let counted = count_async(async {
            while events < EVENTS {
                bytes += source.next().await.unwrap().unwrap().data.len();
                events += 1;
            }
        })
        .await;
        assert!(bytes > 0);
        let per_event = counted as f64 / (EVENTS - WARM_UP) as f64;
        assert!(
            per_event < 0.01,
            "{counted} allocations for {} events",
            EVENTS - WARM_UP
        );
    });
}

/// The allocations this thread makes while `future` runs.
async fn count_async(future: impl std::future::Future<Output = ()>) -> usize {
    // Counted poll by poll: what runs between polls on this thread is the
    // runtime's (the server is on another thread).
    let mut total = 0;
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        let mut result = std::task::Poll::Pending;
        total += counting::allocations(|| result = future.as_mut().poll(cx));
        result
    })
    .await;
    total
}

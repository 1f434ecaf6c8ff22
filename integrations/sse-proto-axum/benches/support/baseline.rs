//! The usual axum server: a tokio broadcast channel of shared strings, and
//! per client a `BroadcastStream` mapped to axum's `Event`, encoded by
//! `Sse` with `KeepAlive`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt as _;

use super::{idle_bodies, rounds, Figures, PAYLOAD};

/// What the baseline broadcasts: the ID and the shared data.
pub(crate) type Item = (u64, Arc<str>);

/// One client's response, as an axum handler returns it.
pub(crate) fn response(receiver: broadcast::Receiver<Item>) -> axum::response::Response {
    let events = BroadcastStream::new(receiver).filter_map(|item| {
        let (id, data) = item.ok()?;
        Some(Ok::<_, Infallible>(
            Event::default().id(id.to_string()).data(&*data),
        ))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

pub(crate) fn bodies(subscribers: usize, count: usize, live: fn() -> isize) -> Figures {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _inside = runtime.enter();
    let (sender, _) = broadcast::channel::<Item>(1024);
    let (mut bodies, bytes_per_subscriber) = idle_bodies(subscribers, live, || {
        response(sender.subscribe()).into_body()
    });
    let data: Arc<str> = Arc::from(PAYLOAD);
    let cpu = rounds(
        &mut bodies,
        count,
        |id| {
            sender.send((id, Arc::clone(&data))).expect("receivers");
        },
        PAYLOAD.len(),
    );
    Figures {
        cpu_per_delivery: cpu,
        bytes_per_subscriber,
        ..Figures::default()
    }
}

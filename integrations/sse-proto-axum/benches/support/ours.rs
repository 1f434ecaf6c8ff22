//! sse-proto-axum's side: one channel, one subscription body per client.

use axum::response::IntoResponse;
use sse_proto::Message;
use sse_proto_axum::{Channel, Config};

use super::{idle_bodies, rounds, Figures, PAYLOAD};

pub(crate) fn bodies(subscribers: usize, count: usize, live: fn() -> isize) -> Figures {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _inside = runtime.enter();
    let channel = Channel::with_config(Config::new());
    let (mut bodies, bytes_per_subscriber) = idle_bodies(subscribers, live, || {
        channel.subscribe(None).into_response().into_body()
    });
    let cpu = rounds(
        &mut bodies,
        count,
        |_| {
            channel.publish(Message::new(PAYLOAD)).expect("publish");
        },
        PAYLOAD.len(),
    );
    Figures {
        cpu_per_delivery: cpu,
        bytes_per_subscriber,
        ..Figures::default()
    }
}

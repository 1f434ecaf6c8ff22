//! A stream over a list of items, for tests: ready items, or with a pending
//! poll before each, as a network delivers them.

#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// Yields its items in order; with `pending`, each poll first returns
/// `Pending` once (waking itself), as a socket that is not ready would.
pub struct Items<T> {
    items: VecDeque<T>,
    pending: bool,
    woke: bool,
}

impl<T> Items<T> {
    pub fn ready(items: impl IntoIterator<Item = T>) -> Self {
        Self {
            items: items.into_iter().collect(),
            pending: false,
            woke: false,
        }
    }

    pub fn pending(items: impl IntoIterator<Item = T>) -> Self {
        Self {
            pending: true,
            ..Self::ready(items)
        }
    }
}

impl<T> Unpin for Items<T> {}

impl<T> Stream for Items<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.pending && !self.woke {
            self.woke = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.woke = false;
        Poll::Ready(self.items.pop_front())
    }
}

/// The next item of `stream`.
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Every item of `stream`.
pub async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    while let Some(item) = next(&mut stream).await {
        items.push(item);
    }
    items
}

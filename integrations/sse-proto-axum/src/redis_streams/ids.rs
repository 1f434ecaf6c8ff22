//! Redis stream IDs (`ms-seq`) as the channel's event IDs.

use sse_proto::{EventId, IdScheme, Missing, Window};

/// A Redis stream ID, `<milliseconds>-<sequence>`, in its order.
pub(crate) fn parse(id: &str) -> Option<(u64, u64)> {
    let (ms, seq) = id.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(ms) || !digits(seq) {
        return None;
    }
    Some((ms.parse().ok()?, seq.parse().ok()?))
}

/// Whether `id` is a stream ID older than the stream ID `than`.
pub(crate) fn older(id: &str, than: &str) -> bool {
    matches!((parse(id), parse(than)), (Some(a), Some(b)) if a < b)
}

/// The longest stream ID: an upper bound on what an ID adds to an event.
pub(crate) const LONGEST: &str = "18446744073709551615-18446744073709551615";

/// The local ring's scheme when Redis names every event: nothing is
/// assigned here, and an ID older than the oldest held is evicted locally
/// (the channel then reads Redis for it).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StreamIds;

impl IdScheme for StreamIds {
    fn assign<'b>(&mut self, _position: u64, _buf: &'b mut String) -> Option<EventId<'b>> {
        // Every event read from Redis carries its stream ID.
        None
    }

    fn position(&self, _id: &str) -> Option<u64> {
        None
    }

    fn missing(&self, id: &str, window: Window<'_>) -> Missing {
        match window.oldest_id {
            Some(oldest) if older(id, oldest) => Missing::Evicted,
            _ => Missing::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_ids_order_by_time_then_sequence() {
        assert_eq!(parse("1700000000000-3"), Some((1_700_000_000_000, 3)));
        assert!(older("5-9", "6-0"));
        assert!(older("6-0", "6-1"));
        assert!(!older("6-1", "6-1"));
        assert!(!older("10-0", "9-5"), "compared as numbers, not text");
        for bad in [
            "",
            "5",
            "-1",
            "1-",
            "a-1",
            "1-2-3",
            "+1-2",
            "1 -2",
            "99999999999999999999-0",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
            assert!(!older(bad, "9-9"), "{bad:?}");
        }
        assert_eq!(parse(LONGEST), Some((u64::MAX, u64::MAX)));
    }
}

//! Arbitrary frames: whatever the encoder accepts parses back as it was
//! given (line breaks normalised to LF), whatever it refuses is refused with
//! the right typed error. See `check_roundtrip`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_proto_fuzz::roundtrip_invariants::{check_roundtrip, Item};

#[derive(Debug, Arbitrary)]
struct Input {
    items: Vec<FuzzItem>,
    /// How the encoding is cut before it is parsed back.
    chunk_sizes: Vec<u8>,
}

/// [`Item`], built by `arbitrary`.
#[derive(Debug, Arbitrary)]
enum FuzzItem {
    Message {
        data: String,
        event_type: Option<String>,
        id: Option<String>,
    },
    IdOnly(String),
    Comment(String),
    Retry(u64),
}

impl From<FuzzItem> for Item {
    fn from(item: FuzzItem) -> Self {
        match item {
            FuzzItem::Message {
                data,
                event_type,
                id,
            } => Self::Message {
                data,
                event_type,
                id,
            },
            FuzzItem::IdOnly(id) => Self::IdOnly(id),
            FuzzItem::Comment(text) => Self::Comment(text),
            FuzzItem::Retry(ms) => Self::Retry(ms),
        }
    }
}

fuzz_target!(|input: Input| {
    let items: Vec<Item> = input.items.into_iter().map(Item::from).collect();
    check_roundtrip(&items, &input.chunk_sizes);
});

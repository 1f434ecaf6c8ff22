//! Proptest strategies shared by the property tests.

use proptest::prelude::*;

/// Bytes that look like event streams: field names, colons, spaces, every
/// line ending, BOM pieces, NUL, non-ASCII and invalid UTF-8.
pub fn stream() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"data: ".to_vec()),
        Just(b"event:".to_vec()),
        Just(b"event".to_vec()),
        Just(b"id:".to_vec()),
        Just(b"id".to_vec()),
        Just(b"retry:".to_vec()),
        Just(b"retry: ".to_vec()),
        Just(b"retry".to_vec()),
        Just(b":".to_vec()),
        Just(b" ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xEF\xBB".to_vec()),
        Just(b"\xEF".to_vec()),
        Just(b"\0".to_vec()),
        Just("é世🌍".as_bytes().to_vec()),
        Just(b"\xFF".to_vec()),
        Just(b"\xF0\x9F".to_vec()),
        Just(b"12".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        "[a-z0-9 ]{0,6}".prop_map(String::into_bytes),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

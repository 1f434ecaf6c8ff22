//! The common traits (Rust API guidelines C-COMMON-TRAITS, C-SEND-SYNC) on
//! every public type, checked at compile time, and what each error's
//! message says.
#![cfg(feature = "std")]

use std::fmt::Debug;
use std::hash::Hash;

use sse_proto::io::{EventWriter, FlushPolicy, FrameReader};
use sse_proto::{
    Comment, Config, EncodeError, Event, EventId, EventType, Frame, Frames, Message, OwnedEvent,
    OwnedFrame, ParseError, Parser, Retry,
};

/// A value: compared, hashed, copied or cloned, printed, and sent across
/// threads.
fn value<T: Debug + Clone + PartialEq + Eq + Hash + Send + Sync>() {}
fn error<T: Debug + Copy + Eq + Hash + std::error::Error + Send + Sync + 'static>() {}
fn ordered<T: Ord>() {}
fn copy<T: Copy>() {}
fn default<T: Default>() {}
fn debug_send_sync<T: Debug + Send + Sync>() {}

#[test]
fn public_types_have_the_common_traits() {
    value::<Frame<'_>>();
    value::<Event<'_>>();
    value::<OwnedFrame>();
    value::<OwnedEvent>();
    value::<Message<'_>>();
    value::<Comment<'_>>();
    value::<Retry>();
    value::<EventId<'_>>();
    value::<EventType<'_>>();
    value::<Config>();
    value::<FlushPolicy>();
    copy::<Frame<'_>>();
    copy::<Message<'_>>();
    copy::<Retry>();
    copy::<EventId<'_>>();
    copy::<FlushPolicy>();
    ordered::<Retry>();
    ordered::<EventId<'_>>();
    ordered::<EventType<'_>>();
    default::<Config>();
    default::<OwnedEvent>();
    default::<Parser>();
    default::<FlushPolicy>();
    error::<ParseError>();
    error::<EncodeError>();
    debug_send_sync::<Parser>();
    debug_send_sync::<Frames<'_, '_>>();
    debug_send_sync::<FrameReader<&[u8]>>();
    debug_send_sync::<EventWriter<Vec<u8>>>();
    let _clone: fn(&Parser) -> Parser = Parser::clone;
}

/// C-GOOD-ERR: a message says what went wrong, in lowercase, without
/// trailing punctuation or advice on what to do next.
#[test]
fn parse_error_says_what_went_wrong() {
    let error = ParseError::EventTooLarge { limit: 8 };
    assert_eq!(error.to_string(), "event larger than the 8-byte limit");
}

//! The adapter against the parser's own owned path: the same frames however
//! the input is cut, under any executor, with text shared from the chunks.

mod common;

use std::convert::Infallible;

use bytes::Bytes;
use common::{collect, next, Items};
use proptest::prelude::*;
use sse_proto::{Config, OwnedFrame, ParseError, Parser};
use sse_proto_stream::{Error, Event, Frame, FrameStream, Text};

/// What the parser itself yields for `input` in one piece.
fn expected(input: &[u8]) -> Vec<OwnedFrame> {
    let mut parser = Parser::new();
    let frames = parser.frames(input).collect::<Result<Vec<_>, _>>().unwrap();
    frames
}

fn owned(frame: &Frame) -> OwnedFrame {
    match frame {
        Frame::Event(event) => OwnedFrame::Event(event.as_event().into_owned()),
        Frame::Retry(time) => OwnedFrame::Retry(*time),
        Frame::Comment(text) => OwnedFrame::Comment(text.to_string()),
        other => panic!("a frame this test does not know: {other:?}"),
    }
}

fn chunks(input: &[u8], cuts: &[usize]) -> Vec<Result<Bytes, Infallible>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut start = 0;
    let mut out = Vec::new();
    for cut in cuts.into_iter().chain([input.len()]) {
        out.push(Ok(Bytes::copy_from_slice(&input[start..cut])));
        start = cut;
    }
    out
}

fn frames_of(items: Vec<Result<Frame, Error<Infallible>>>) -> Vec<OwnedFrame> {
    items
        .iter()
        .map(|item| owned(item.as_ref().unwrap()))
        .collect()
}

const SAMPLE: &[u8] = b"\xEF\xBB\xBFretry: 250\r\n: ping\r\nid: 1\nevent: delta\ndata: a\r\ndata: \xF0\x9F\x98\x80\n\n\
data: b\rdata: c\r\r: x\nid: 2\ndata:d\n\nevent: delta\ndata: e\n\ndata: unfinished";

#[test]
fn matches_the_parser_at_every_split() {
    let want = expected(SAMPLE);
    assert_eq!(want.len(), 7);
    for cut in 0..=SAMPLE.len() {
        let stream = FrameStream::new(Items::ready(chunks(SAMPLE, &[cut])));
        assert_eq!(
            frames_of(smol::block_on(collect(stream))),
            want,
            "cut at {cut}"
        );
    }
}

#[test]
fn byte_by_byte_with_pending_polls() {
    let items =
        (0..SAMPLE.len()).map(|i| Ok::<_, Infallible>(Bytes::copy_from_slice(&SAMPLE[i..=i])));
    let stream = FrameStream::new(Items::pending(items));
    assert_eq!(frames_of(smol::block_on(collect(stream))), expected(SAMPLE));
}

#[test]
fn runs_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let stream = FrameStream::new(Items::pending(chunks(SAMPLE, &[5, 40, 41])));
    assert_eq!(
        frames_of(runtime.block_on(collect(stream))),
        expected(SAMPLE)
    );
}

#[test]
fn values_inside_a_chunk_share_it() {
    let chunk = Bytes::from_static(b"id: 9\nevent: up\ndata: hello\n\n: beat\n");
    let items = vec![Ok::<_, Infallible>(chunk.clone())];
    let frames = smol::block_on(collect(FrameStream::new(Items::ready(items))));
    let Ok(Frame::Event(event)) = &frames[0] else {
        panic!("{frames:?}")
    };
    let inside = |text: &Text| chunk.as_ptr_range().contains(&text.as_ptr());
    // The ID and type are kept by the parser between their line and the
    // blank line, so they come from its buffers: copied once, then shared
    // while they do not change (next test).
    assert!(inside(&event.data));
    assert_eq!((event.id.as_str(), event.event_type.as_str()), ("9", "up"));
    let Ok(Frame::Comment(comment)) = &frames[1] else {
        panic!("{frames:?}")
    };
    assert_eq!(comment, "beat");
}

#[test]
fn a_value_across_chunks_is_copied_and_correct() {
    let items = vec![
        Ok::<_, Infallible>(Bytes::from_static(b"data: hel")),
        Ok(Bytes::from_static(b"lo\n\n")),
    ];
    let frames = smol::block_on(collect(FrameStream::new(Items::ready(items))));
    let Ok(Frame::Event(event)) = &frames[0] else {
        panic!("{frames:?}")
    };
    assert_eq!(event.data, "hello");
}

#[test]
fn a_sticky_id_and_a_repeated_type_are_shared_not_copied() {
    let items = vec![
        Ok::<_, Infallible>(Bytes::from_static(b"id: 41\nevent: delta\ndata: a\n\n")),
        Ok(Bytes::from_static(b"event: delta\ndata: b\n\ndata: c\n\n")),
    ];
    let events: Vec<Event> =
        smol::block_on(collect(FrameStream::new(Items::ready(items)).events()))
            .into_iter()
            .map(Result::unwrap)
            .collect();
    assert_eq!(events.len(), 3);
    // Same memory, not equal copies: the second chunk never held the ID.
    assert!(events
        .iter()
        .all(|event| event.id.as_ptr() == events[0].id.as_ptr()));
    assert_eq!(events[1].event_type.as_ptr(), events[0].event_type.as_ptr());
    assert_eq!(events[2].event_type, "message");
    assert_eq!(events[2].id, "41");
}

#[test]
fn other_chunk_types_work() {
    let strings = vec![
        Ok::<_, Infallible>(String::from("data: a\n")),
        Ok(String::from("\n")),
    ];
    let events = smol::block_on(collect(FrameStream::new(Items::ready(strings)).events()));
    assert_eq!(events.len(), 1);
    let vecs = vec![Ok::<_, Infallible>(b"data: v\n\n".to_vec())];
    let events = smol::block_on(collect(FrameStream::new(Items::ready(vecs)).events()));
    assert_eq!(events[0].as_ref().unwrap().data, "v");
    let slices = vec![Ok::<_, Infallible>(&b"data: s\n\n"[..])];
    let events = smol::block_on(collect(FrameStream::new(Items::ready(slices)).events()));
    assert_eq!(events[0].as_ref().unwrap().data, "s");
}

#[test]
fn a_transport_error_is_passed_on_and_polling_goes_on() {
    let items = vec![
        Ok(Bytes::from_static(b"data: a\n\ndata: b")),
        Err("reset"),
        Ok(Bytes::from_static(b"\n\n")),
    ];
    let mut stream = FrameStream::new(Items::ready(items));
    smol::block_on(async {
        assert!(
            matches!(next(&mut stream).await, Some(Ok(Frame::Event(event))) if event.data == "a")
        );
        assert_eq!(
            next(&mut stream).await,
            Some(Err(Error::Transport("reset")))
        );
        // The caller chose to go on: the input's next chunk completes "b".
        assert!(
            matches!(next(&mut stream).await, Some(Ok(Frame::Event(event))) if event.data == "b")
        );
        assert_eq!(next(&mut stream).await, None);
        assert_eq!(next(&mut stream).await, None);
    });
    assert_eq!(
        Error::<&str>::Transport("reset").to_string(),
        "reading the stream failed: reset"
    );
}

#[test]
fn a_parse_error_is_reported_and_parsing_resumes() {
    let parser = Parser::with_config(Config::new().max_event_size(Some(16)));
    let items = vec![Ok::<_, Infallible>(Bytes::from_static(
        b"data: far far too long\n\ndata: ok\n\n",
    ))];
    let frames = smol::block_on(collect(FrameStream::with_parser(
        Items::ready(items),
        parser,
    )));
    assert_eq!(
        frames[0],
        Err(Error::Parse(ParseError::EventTooLarge { limit: 16 }))
    );
    assert!(matches!(&frames[1], Ok(Frame::Event(event)) if event.data == "ok"));
}

#[test]
fn the_end_of_input_discards_a_partial_event_and_keeps_the_id() {
    let items = vec![Ok::<_, Infallible>(Bytes::from_static(
        b"id: 3\ndata: a\n\ndata: partial",
    ))];
    let mut stream = FrameStream::new(Items::ready(items));
    let frames = smol::block_on(async {
        let mut frames = Vec::new();
        while let Some(frame) = next(&mut stream).await {
            frames.push(frame);
        }
        frames
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(stream.parser().last_event_id(), "3");
}

proptest! {
    #[test]
    fn any_cuts_give_the_parsers_frames(
        input in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'\r'), Just(b':'), Just(b' '), Just(b'a'), Just(0xF0), Just(0x9F),
                        Just(b'd'), Just(b'i'), Just(b'e')], 0..200)
            .prop_map(|mut bytes| { bytes.extend_from_slice(b"\ndata: x\nid: y\nevent: z\n\n"); bytes }),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let stream = FrameStream::new(Items::ready(chunks(&input, &cuts)));
        prop_assert_eq!(frames_of(smol::block_on(collect(stream))), expected(&input));
    }
}

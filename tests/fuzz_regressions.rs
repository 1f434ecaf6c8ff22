//! Every input the fuzz targets ever failed on, replayed with the targets'
//! own checks (`tests/common/fuzz_invariants.rs`), plus the fuzz seed corpus.
//!
//! A crash found by `cargo fuzz run <target>` is kept by copying its
//! artifact to `tests/fuzz_regressions/<target>/` (see the README there);
//! `roundtrip` takes structured input, so its cases are written out below.

#[allow(dead_code, unreachable_pub)]
#[path = "common/reference.rs"]
mod reference;

#[allow(dead_code, unreachable_pub)]
#[path = "common/fuzz_invariants.rs"]
mod fuzz_invariants;

#[allow(dead_code, unreachable_pub)]
#[path = "common/roundtrip_invariants.rs"]
mod roundtrip_invariants;

#[allow(dead_code, unreachable_pub)]
#[path = "common/fanout_model.rs"]
mod fanout_model;

use roundtrip_invariants::{check_roundtrip, Item};
use std::fs;
use std::path::Path;

/// Runs `check` on every file in `dir` (none if it does not exist); returns
/// how many there were.
fn replay(dir: &Path, check: fn(&[u8])) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("readable directory").path();
        if path.extension().is_some_and(|ext| ext == "md") {
            continue;
        }
        let input = fs::read(&path).expect("readable input");
        eprintln!("replaying {}", path.display());
        check(&input);
        count += 1;
    }
    count
}

fn replay_target(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    replay(&root.join("tests/fuzz_regressions").join(target), check);
    let seeds = replay(&root.join("fuzz/seeds").join(target), check);
    assert!(seeds > 0, "no seeds for {target}");
}

#[test]
fn parse_inputs_keep_their_invariants() {
    replay_target("parse", fuzz_invariants::check_parse);
}

#[test]
fn limits_inputs_keep_their_invariants() {
    replay_target("limits", fuzz_invariants::check_limits);
}

#[test]
fn stream_inputs_keep_their_invariants() {
    replay_target("stream", fuzz_invariants::check_stream);
}

#[test]
fn fanout_inputs_keep_their_invariants() {
    replay_target("fanout", fanout_model::check_fanout_bytes);
}

fn message(data: &str, event_type: Option<&str>, id: Option<&str>) -> Item {
    Item::Message {
        data: data.to_owned(),
        event_type: event_type.map(str::to_owned),
        id: id.map(str::to_owned),
    }
}

#[test]
fn roundtrip_cases_keep_their_invariants() {
    let items = [
        message("hello\nworld", Some("greeting"), Some("7")),
        Item::IdOnly(String::new()),
        message("", None, None),
        message(" two  spaces \r\n\rcr\r", Some(" message"), Some(" 8 ")),
        message("typed as default", Some("message"), None),
        message("refused", Some(""), None),
        message("refused", Some("a\rb"), None),
        message("refused", None, Some("4\x002")),
        message("refused", None, Some("4\n2")),
        Item::IdOnly("\r".to_owned()),
        Item::Comment("ping".to_owned()),
        Item::Comment("two\r\nlines\n".to_owned()),
        Item::Comment(String::new()),
        Item::Retry(0),
        Item::Retry(u64::MAX),
        message(
            "\u{FEFF}data: not a field\n\n",
            Some("\u{FEFF}"),
            Some("\u{FFFD}"),
        ),
    ];
    for sizes in [&[][..], &[3, 0, 1], &[255]] {
        check_roundtrip(&items, sizes);
    }
    check_roundtrip(&[], &[]);
}

/// The `stream` seeds describe what the raw targets' 4 KiB inputs cannot:
/// a line of 32 KiB or more (copied as it is searched) and an event past
/// 1 MiB (the buffers are trimmed after it), with and without a limit.
#[test]
fn stream_seeds_reach_long_lines_and_huge_events() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/stream");
    let plans: Vec<fuzz_invariants::Plan> = fs::read_dir(root)
        .expect("the stream seeds")
        .map(|entry| fs::read(entry.expect("an entry").path()).expect("a seed"))
        .filter_map(|input| fuzz_invariants::Plan::decode(&input))
        .collect();
    let longest_line = |plan: &fuzz_invariants::Plan| {
        plan.stream
            .split(|&b| b == b'\n' || b == b'\r')
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0)
    };
    assert!(plans
        .iter()
        .any(|plan| longest_line(plan) >= 32 * 1024 && plan.sizes.len() > 1));
    assert!(plans
        .iter()
        .any(|plan| longest_line(plan) > 1 << 20 && plan.limit.is_none()));
    assert!(plans
        .iter()
        .any(|plan| longest_line(plan) > 1 << 20 && plan.limit == Some(1 << 20)));
    assert!(plans.iter().any(|plan| !plan.comments && plan.resume));
}

//! Every input the fuzz targets ever failed on, replayed with the targets'
//! own checks (`tests/common/fuzz_invariants.rs`), plus the fuzz seed corpus.
//!
//! A crash found by `cargo fuzz run <target>` is kept by copying its
//! artifact to `tests/fuzz_regressions/<target>/` (see the README there).

#[allow(dead_code, unreachable_pub)]
#[path = "common/reference.rs"]
mod reference;

#[allow(dead_code, unreachable_pub)]
#[path = "common/fuzz_invariants.rs"]
mod fuzz_invariants;

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

//! The example binaries, for the tests that run them.

use std::path::PathBuf;
use std::process::Command;

/// The path of example `name`, brought up to date by cargo first: `cargo
/// test` builds the examples, but `cargo test --test NAME` does not, and a
/// binary left by an earlier build may be stale. Built with the test
/// profile, as `cargo test` builds them, so the two share one binary.
pub fn example_binary(name: &str) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--profile", "test", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --example {name} failed");
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test>-<hash> -> target/<profile>/examples/<name>
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let path = profile_dir.join("examples").join(file);
    assert!(path.exists(), "no {name} at {}", path.display());
    path
}

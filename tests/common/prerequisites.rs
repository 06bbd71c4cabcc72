//! What the tests that build and drive outside tools share (the wheel, the
//! image, the browser playground): where the checkout and its build folder
//! are, and how a missing prerequisite is met — a skip with a message, or a
//! failure under `CI=true`, where every test must run.

use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (returns `None`) with a message naming the test suite, or fails under `CI=true`.
pub fn missing<T>(what: &str) -> Option<T> {
    let suite = env!("CARGO_CRATE_NAME");
    if ci() {
        panic!("{suite}: {what}; CI=true: this test must run");
    }
    eprintln!("{suite}: {what}; skipping");
    None
}

/// Cargo's build folder (`CARGO_TARGET_DIR`, relative to the checkout, or `target`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

//! Replays the fuzz corpus sample (`fuzz/regressions/`, kept from
//! `cargo fuzz run`; crash inputs go there too) with the fuzz targets'
//! properties (`tests/common/invariants.rs`): no panic, no internal error;
//! refusals carry a position; output re-reads and is a fixpoint; unchanged
//! means byte-identical. Every failing input is listed, not just the first.

#[path = "common/invariants.rs"]
mod invariants;

#[test]
fn fuzz_regressions_hold() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/rewrite_bytes");
    let settings = invariants::all_changes();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/regressions exists")
        .map(|e| e.expect("readable directory entry").path())
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in &paths {
        let data = std::fs::read(path).expect("readable regression input");
        if let Err(why) = invariants::check(&data, &settings) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let first_line = why.lines().next().unwrap_or_default().to_string();
            failures.push(format!("{name}: {first_line}"));
        }
    }
    assert!(paths.len() > 100, "only {} regression inputs", paths.len());
    assert!(
        failures.is_empty(),
        "{} of {} regression inputs break a property:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

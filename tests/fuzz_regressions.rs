//! Replays a sample of the fuzz corpus (`fuzz/regressions/`, kept from
//! `cargo fuzz run rewrite_bytes`; crash inputs go there too) with the fuzz
//! target's property: no panic; output re-reads and is a fixpoint.

use slimfile::config::Settings;

#[test]
fn fuzz_regressions_hold() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/rewrite_bytes");
    let settings = Settings {
        safety: slimfile::edit::Safety::Unsafe,
        ..Settings::default()
    };
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions exists") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if let Ok(out) = slimfile::engine::rewrite(&data, &settings, None) {
            let bytes = out.source.encode(&out.output);
            let again = slimfile::engine::rewrite(&bytes, &settings, None)
                .unwrap_or_else(|e| panic!("{}: output does not re-read: {e}", path.display()));
            assert!(!again.changed(), "{}: not a fixpoint", path.display());
        }
        n += 1;
    }
    assert!(n > 100, "only {n} regression inputs");
}

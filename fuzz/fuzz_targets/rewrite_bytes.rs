//! Arbitrary bytes through decode, front end, model and every pass: no panic,
//! no hang; output (when there is one) re-reads and is a fixpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slimfile::config::Settings;

fuzz_target!(|data: &[u8]| {
    let settings = Settings {
        safety: slimfile::edit::Safety::Unsafe,
        ..Settings::default()
    };
    if let Ok(out) = slimfile::engine::rewrite(data, &settings, None) {
        let bytes = out.source.encode(&out.output);
        let again = slimfile::engine::rewrite(&bytes, &settings, None).expect("output re-reads");
        assert!(!again.changed(), "not a fixpoint");
    }
});

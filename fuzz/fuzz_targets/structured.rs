//! Structured Dockerfiles: a generated realistic file (tests/common/corpus.rs,
//! picked by the first 8 bytes) with the rest of the input spliced in at a
//! chosen place (directives, heredoc markers, continuations, CRLF, flags all
//! arise). Output must re-read and be a fixpoint; unchanged means identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slimfile::config::Settings;

#[path = "../../tests/common/corpus.rs"]
mod corpus;

fuzz_target!(|data: &[u8]| {
    if data.len() < 10 {
        return;
    }
    let seed = u64::from_le_bytes(data[..8].try_into().unwrap());
    let mut text = corpus::dockerfile(seed).into_bytes();
    let at = usize::from(data[8]) * text.len() / 256;
    text.splice(at..at, data[9..].iter().copied());
    let settings = Settings::default();
    if let Ok(out) = slimfile::engine::rewrite(&text, &settings, None) {
        let bytes = out.source.encode(&out.output);
        if !out.changed() {
            assert_eq!(bytes, text, "unchanged but not identical");
        }
        let again = slimfile::engine::rewrite(&bytes, &settings, None).expect("output re-reads");
        assert!(!again.changed(), "not a fixpoint");
    }
});

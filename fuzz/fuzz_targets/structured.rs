//! Structured Dockerfiles: a generated realistic file (tests/common/corpus.rs,
//! picked by the first 8 bytes) with the rest of the input spliced in at a
//! chosen place (directives, heredoc markers, continuations, CRLF, flags all
//! arise), rewritten at the default and at the unsafe level. Every property
//! of `tests/common/invariants.rs` must hold: no internal error; refusals
//! carry a position; output re-reads and is a fixpoint; unchanged means
//! byte-identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slimfile::config::Settings;

#[path = "../../tests/common/corpus.rs"]
mod corpus;
#[path = "../../tests/common/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if data.len() < 10 {
        return;
    }
    let mut seed_bytes = [0u8; 8];
    seed_bytes.copy_from_slice(&data[..8]);
    let seed = u64::from_le_bytes(seed_bytes);
    let mut text = corpus::dockerfile(seed).into_bytes();
    let at = usize::from(data[8]) * text.len() / 256;
    text.splice(at..at, data[9..].iter().copied());
    for settings in [Settings::default(), invariants::all_changes()] {
        if let Err(why) = invariants::check(&text, &settings) {
            panic!("{why}\n--- input\n{}", String::from_utf8_lossy(&text));
        }
    }
});

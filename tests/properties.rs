//! Property tests (proptest) on generated Dockerfiles and on arbitrary bytes:
//! the engine never panics, refusals carry a position, output re-reads,
//! rewriting is idempotent, and an unchanged file comes out byte for byte.

use proptest::prelude::*;
use slimfile::config::Settings;

#[path = "common/corpus.rs"]
mod corpus;

fn settings(safety: &str) -> Settings {
    Settings {
        safety: safety.parse().unwrap(),
        ..Settings::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_rewrite_to_a_fixpoint(seed in any::<u64>(), safety in prop::sample::select(vec!["safe", "review", "unsafe"])) {
        let text = corpus::dockerfile(seed);
        let s = settings(safety);
        let once = slimfile::engine::rewrite(text.as_bytes(), &s, None).expect("generated files are valid");
        let bytes = once.source.encode(&once.output);
        if !once.changed() {
            prop_assert_eq!(&bytes, text.as_bytes());
        }
        prop_assert!(slimfile::syntax::parse(&once.output).is_ok());
        let twice = slimfile::engine::rewrite(&bytes, &s, None).expect("output re-reads");
        prop_assert!(!twice.changed(), "not idempotent for seed {}", seed);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        match slimfile::engine::rewrite(&bytes, &Settings::default(), None) {
            Ok(out) => prop_assert!(slimfile::syntax::parse(&out.output).is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn mutated_dockerfiles_never_panic(seed in any::<u64>(), cut in any::<prop::sample::Index>(), insert in "[ \\\\\\n\\r#<A-Za-z=\\-\"\\[\\]]{0,8}") {
        let mut text = corpus::dockerfile(seed);
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) { at -= 1; }
        text.insert_str(at, &insert);
        if let Ok(out) = slimfile::engine::rewrite(text.as_bytes(), &Settings::default(), None) {
            let again = slimfile::engine::rewrite(&out.source.encode(&out.output), &Settings::default(), None);
            prop_assert!(again.is_ok_and(|a| !a.changed()), "not idempotent");
        }
    }
}

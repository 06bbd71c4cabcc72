//! Property tests (proptest) on generated, mutated and token-built
//! Dockerfiles. Every input must satisfy `tests/common/invariants.rs`: no
//! panic, no internal error (no fixpoint, a change that conflicts with
//! itself, output that does not parse); a refusal carries a position; the
//! output re-reads and is a fixpoint; an unchanged file comes out byte for
//! byte. Generated files must also be accepted (they are valid Dockerfiles).
//!
//! The ignored tests measure: `mutated_corpus_census` (20,000 mutated
//! generated files, internal errors by pass) and `corpus_reach` (distinct
//! instruction shapes and distinct files over the generator's seeds). Run
//! them with `cargo test --release --test properties -- --ignored --nocapture`.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use slimfile::config::Settings;
use slimfile::engine::RewriteError;

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/invariants.rs"]
mod invariants;

use invariants::Verdict;

fn settings(safety: &str) -> Settings {
    Settings {
        safety: safety.parse().expect("a safety level"),
        ..Settings::default()
    }
}

/// `text` with `insert` put at `cut` (moved back to a character boundary).
fn mutate(text: &str, cut: prop::sample::Index, insert: &str) -> String {
    let mut text = text.to_string();
    let mut at = cut.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.insert_str(at, insert);
    text
}

/// Bytes that mutate a file into something still mostly readable.
const INSERT: &str = "[ \\\\\\n\\r\\t#<A-Za-z0-9=\\-\"'\\[\\]${}:/@.,`]{0,8}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_rewrite_to_a_fixpoint(seed in any::<u64>(), safety in prop::sample::select(vec!["safe", "review", "unsafe"])) {
        let text = corpus::dockerfile(seed);
        match invariants::check(text.as_bytes(), &settings(safety)) {
            Ok(Verdict::Changed | Verdict::Unchanged) => {}
            Ok(refused) => prop_assert!(false, "seed {seed}: a generated file is refused ({refused:?}):\n{text}"),
            Err(why) => prop_assert!(false, "seed {seed} at {safety}: {why}\n--- input\n{text}"),
        }
    }

    #[test]
    fn mutated_dockerfiles_keep_every_property(seed in any::<u64>(), cut in any::<prop::sample::Index>(), insert in INSERT, safety in prop::sample::select(vec!["review", "unsafe"])) {
        let text = mutate(&corpus::dockerfile(seed), cut, &insert);
        if let Err(why) = invariants::check(text.as_bytes(), &settings(safety)) {
            prop_assert!(false, "seed {seed}, insert {insert:?}: {why}\n--- input\n{text}");
        }
    }

    /// Valid UTF-8 built from Dockerfile lines and tokens (keywords, flags,
    /// references, heredoc markers, quotes, continuations, directives, BOM,
    /// CRLF): much of it reaches the passes (`token_inputs_reach_the_passes`
    /// measures how much).
    #[test]
    fn token_built_inputs_keep_every_property(picks in prop::collection::vec(any::<(usize, usize, usize, u8)>(), 0..40), crlf in any::<bool>()) {
        let text = corpus::token_built(&picks, crlf);
        if let Err(why) = invariants::check(text.as_bytes(), &invariants::all_changes()) {
            prop_assert!(false, "{why}\n--- input\n{text}");
        }
    }

    /// Raw bytes: decoding refusals (NUL, not UTF-8) must carry a position.
    #[test]
    fn arbitrary_bytes_keep_every_property(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(why) = invariants::check(&bytes, &invariants::all_changes()) {
            prop_assert!(false, "{why}\n--- input\n{bytes:?}");
        }
    }
}

/// Token-built inputs: the same builder with a seeded generator, 2,000
/// inputs; most must decode and parse (reach the model and the passes), and
/// some must be changed, or the property above tests only the refusals.
#[test]
fn token_inputs_reach_the_passes() {
    use rand::{Rng, SeedableRng};
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for seed in 0..2000u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = rng.random_range(1..40);
        let picks: Vec<(usize, usize, usize, u8)> = (0..n)
            .map(|_| {
                (
                    rng.random_range(0..999),
                    rng.random_range(0..999),
                    rng.random_range(0..999),
                    rng.random(),
                )
            })
            .collect();
        let text = corpus::token_built(&picks, rng.random_bool(0.1));
        match invariants::check(text.as_bytes(), &invariants::all_changes()) {
            Ok(v) => *verdicts.entry(v).or_default() += 1,
            Err(why) => failures.push(format!("seed {seed}: {why}")),
        }
    }
    eprintln!("token-built inputs: {verdicts:?}");
    let reached = verdicts.get(&Verdict::Changed).copied().unwrap_or(0)
        + verdicts.get(&Verdict::Unchanged).copied().unwrap_or(0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(reached >= 600, "only {reached} of 2000 reach the passes");
    assert!(
        verdicts.get(&Verdict::Changed).copied().unwrap_or(0) >= 100,
        "{verdicts:?}"
    );
}

/// Rewrites that need a second round (split-stages puts the runtime stage on
/// the build's base, then slim-base slims it): the engine must run rounds
/// until nothing changes, or the output is not a fixpoint.
#[test]
fn rewrites_that_take_two_rounds_reach_a_fixpoint() {
    let text = "FROM debian:bookworm AS build\nRUN ./configure --prefix=/usr/local && make -j\"$(nproc)\" && make install\nENTRYPOINT exec /usr/local/bin/app\n";
    let out =
        slimfile::engine::rewrite(text.as_bytes(), &Settings::default(), None).expect("no error");
    assert!(
        out.applied.iter().any(|a| a.round >= 1),
        "no longer a two-round rewrite: {:?}",
        out.applied
            .iter()
            .map(|a| (a.change.pass, a.round))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        invariants::check(text.as_bytes(), &Settings::default()),
        Ok(Verdict::Changed)
    );
}

/// The pass that alone gives an internal error on `text`, if one does.
fn culprits(text: &[u8]) -> Vec<&'static str> {
    slimfile::passes::ALL
        .iter()
        .filter(|p| {
            let alone = Settings {
                select: Some(vec![p.id.to_string()]),
                ..invariants::all_changes()
            };
            matches!(
                slimfile::engine::rewrite(text, &alone, None),
                Err(RewriteError::Internal(_))
            )
        })
        .map(|p| p.id.as_str())
        .collect()
}

/// 20,000 mutated generated files (seeds 0..20,000, one mutation each, fixed
/// RNG), every change applied: internal errors counted by the pass that
/// gives them alone. slim-base must give none.
#[test]
#[ignore = "measurement: about a minute in release mode"]
fn mutated_corpus_census() {
    use rand::{Rng, SeedableRng};
    let inserts: Vec<char> = " \\\n\r\t#<Aaz09=-\"'[]${}:/@.,`".chars().collect();
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut by_pass: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other_failures = 0;
    let mut examples: BTreeMap<&str, String> = BTreeMap::new();
    for seed in 0..20_000u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x5eed);
        let text = corpus::dockerfile(seed);
        let len = rng.random_range(0..=8);
        let insert: String = (0..len)
            .map(|_| inserts[rng.random_range(0..inserts.len())])
            .collect();
        let mut at = rng.random_range(0..=text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut mutated = text.clone();
        mutated.insert_str(at, &insert);
        match invariants::check(mutated.as_bytes(), &invariants::all_changes()) {
            Ok(v) => *verdicts.entry(v).or_default() += 1,
            Err(why) if why.starts_with("internal error") => {
                let passes = culprits(mutated.as_bytes());
                let key = if passes.is_empty() {
                    "(passes together)"
                } else {
                    passes[0]
                };
                for p in passes
                    .iter()
                    .copied()
                    .chain((passes.is_empty()).then_some(key))
                {
                    *by_pass.entry(p).or_default() += 1;
                }
                examples.entry(key).or_insert(format!("seed {seed}: {why}"));
            }
            Err(why) => {
                other_failures += 1;
                examples
                    .entry("other")
                    .or_insert(format!("seed {seed}: {why}"));
            }
        }
    }
    eprintln!("20,000 mutated generated files: {verdicts:?}");
    eprintln!(
        "internal errors by pass (alone): {by_pass:?}; other property failures: {other_failures}"
    );
    for (k, v) in &examples {
        eprintln!("first {k}: {}", v.lines().next().unwrap_or_default());
    }
    assert_eq!(by_pass.get("slim-base"), None, "slim-base internal errors");
}

/// Reach of the generator: distinct instruction shapes and distinct files;
/// and the first 20,000 generated files, unmutated, at every safety level:
/// all accepted, every property kept.
#[test]
#[ignore = "measurement"]
fn corpus_reach() {
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for seed in 0..20_000u64 {
        let text = corpus::dockerfile(seed);
        for safety in ["safe", "review", "unsafe"] {
            match invariants::check(text.as_bytes(), &settings(safety)) {
                Ok(v) => *verdicts.entry(v).or_default() += 1,
                Err(why) => failures.push(format!(
                    "seed {seed} at {safety}: {}",
                    why.lines().next().unwrap_or_default()
                )),
            }
        }
    }
    eprintln!("20,000 generated files × 3 safety levels: {verdicts:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(verdicts.get(&Verdict::SyntaxRefused), None);
    for n in [1_000u64, 10_000, 100_000] {
        let mut files = BTreeSet::new();
        let mut shapes: BTreeMap<&str, usize> = BTreeMap::new();
        for seed in 0..n {
            files.insert(corpus::dockerfile(seed));
            for s in corpus::shapes(seed) {
                *shapes.entry(s).or_default() += 1;
            }
        }
        eprintln!(
            "{n} seeds: {} distinct files, {} distinct shapes",
            files.len(),
            shapes.len()
        );
        if n == 100_000 {
            eprintln!("{shapes:#?}");
        }
    }
}

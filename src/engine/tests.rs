//! Unit tests of the engine's own rules: which of several changes apply
//! together (overlap, self-conflict), the round limit and the pragmas.
//!
//! The pass registry (`passes::ALL`) is a fixed static, so no test-only pass
//! can be injected: the overlap and self-conflict rules are tested on
//! [`non_overlapping`], the selection every round uses, and the round limit
//! through [`rewrite`] on real multi-round inputs (the `no fixpoint` error
//! itself needs a pass that never settles, which only injection could give).

use super::pragmas::pragma;
use super::*;

/// A change of `pass` (any pass id; the engine's rules here do not look at it).
fn change(pass: &str, edits: Vec<Edit>) -> Change {
    let mut sink = Findings::for_pass(pass.parse().unwrap_or_default());
    sink.change(Change::new(Safety::Safe, format!("{pass} change"), edits));
    sink.changes.remove(0)
}

#[test]
fn overlapping_changes_of_two_passes_first_wins() {
    let name = change("name-stages", vec![Edit::replace(5..10, "a")]);
    let slim = change("slim-base", vec![Edit::replace(8..12, "b")]);
    assert_eq!(
        non_overlapping(&[name.clone(), slim.clone()]),
        [true, false]
    );
    // the order decides, not the pass
    assert_eq!(non_overlapping(&[slim, name]), [true, false]);
}

#[test]
fn a_change_stands_or_falls_with_all_its_edits() {
    let first = change("name-stages", vec![Edit::replace(10..20, "a")]);
    // one of its two edits overlaps the first change: the whole change waits
    let split = change(
        "split-stages",
        vec![Edit::replace(0..4, "b"), Edit::replace(15..16, "c")],
    );
    // it overlaps only the waiting change's other edit, which took nothing
    let narrow = change("narrow-copy", vec![Edit::replace(2..3, "d")]);
    assert_eq!(
        non_overlapping(&[first, split, narrow]),
        [true, false, true]
    );
}

#[test]
fn touching_replacements_apply_together_touching_insertions_do_not() {
    let replace = change("a", vec![Edit::replace(5..9, "x")]);
    let before = change("b", vec![Edit::replace(0..5, "y")]);
    let after = change("c", vec![Edit::replace(9..12, "z")]);
    assert_eq!(
        non_overlapping(&[replace.clone(), before, after]),
        [true, true, true]
    );
    // an insertion at the end of replaced text may belong to it (a
    // command appended to a RUN another pass moves): it waits a round
    let appended = change("c", vec![Edit::insert(9, "z")]);
    assert_eq!(non_overlapping(&[replace.clone(), appended]), [true, false]);
    let at_start = change("d", vec![Edit::insert(5, "w")]);
    let inside = change("e", vec![Edit::insert(7, "v")]);
    assert_eq!(
        non_overlapping(&[replace, at_start.clone(), inside, at_start]),
        [true, false, false, false]
    );
    let twice = [
        change("f", vec![Edit::insert(3, "1")]),
        change("g", vec![Edit::insert(3, "2")]),
    ];
    assert_eq!(non_overlapping(&twice), [true, false]);
}

#[test]
fn a_change_that_conflicts_with_itself_is_never_chosen() {
    let itself = change(
        "split-stages",
        vec![Edit::replace(2..6, "a"), Edit::replace(4..8, "b")],
    );
    assert_eq!(non_overlapping(std::slice::from_ref(&itself)), [false]);
    // it takes no range: a later change over the same bytes applies
    let other = change("narrow-copy", vec![Edit::replace(3..5, "c")]);
    assert_eq!(non_overlapping(&[itself, other]), [false, true]);
    let same_point = change("a", vec![Edit::insert(4, "x"), Edit::insert(4, "y")]);
    assert_eq!(non_overlapping(&[same_point]), [false]);
}

/// The sorted map looks only at each edit's neighbours: it must agree with
/// comparing every pair.
#[test]
fn neighbour_lookup_agrees_with_comparing_every_pair() {
    let mut seed: u64 = 0x5eed;
    let mut next = |below: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % below
    };
    for _ in 0..300 {
        let changes: Vec<Change> = (0..12)
            .map(|_| {
                let edits = (0..1 + next(3))
                    .map(|_| {
                        let start = next(60);
                        Edit::replace(start..start + next(8), "x")
                    })
                    .collect();
                change("p", edits)
            })
            .collect();
        let mut chosen: Vec<&Edit> = Vec::new();
        let expected: Vec<bool> = changes
            .iter()
            .map(|c| {
                let ok = c.edits.iter().enumerate().all(|(i, e)| {
                    !chosen.iter().any(|t| e.conflicts(t))
                        && !c.edits[i + 1..].iter().any(|f| e.overlaps(f))
                });
                if ok {
                    chosen.extend(&c.edits);
                }
                ok
            })
            .collect();
        assert_eq!(non_overlapping(&changes), expected, "{changes:?}");
    }
}

/// A rewrite that needs a later round (split-stages adds a runtime stage,
/// slim-base then slims its base) ends well inside the limit: rounds
/// numbered from 0 without a gap, the last one proposing nothing.
#[test]
fn multi_round_rewrites_end_inside_the_round_limit() {
    let inputs = [
        "FROM debian:bookworm AS build\nRUN ./configure --prefix=/usr/local && make -j\"$(nproc)\" && make install\nENTRYPOINT exec /usr/local/bin/app\n",
        "FROM debian:bookworm as build\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential\nWORKDIR /src/tool\nCOPY . .\nRUN ./configure --prefix=/usr/local && make && make install\nCMD [\"tool\"]\n",
    ];
    for input in inputs {
        let outcome = match rewrite(input.as_bytes(), &Settings::default(), None) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{input:?}: {e}"),
        };
        let rounds: std::collections::BTreeSet<usize> =
            outcome.applied.iter().map(|a| a.round).collect();
        assert!(rounds.len() >= 2, "{input:?}: one round only: {rounds:?}");
        assert_eq!(
            rounds,
            (0..rounds.len()).collect(),
            "{input:?}: a round applied nothing"
        );
        assert!(rounds.len() < MAX_ROUNDS, "{input:?}: {rounds:?}");
        let again =
            rewrite(outcome.output.as_bytes(), &Settings::default(), None).map(|o| o.applied.len());
        assert!(
            matches!(again, Ok(0)),
            "{input:?}: not a fixpoint: {again:?}"
        );
    }
}

fn doc(text: &str) -> Document {
    match syntax::parse(text) {
        Ok(doc) => doc,
        Err(e) => panic!("{text:?}: {}", e.message),
    }
}

#[test]
fn a_pragma_is_a_comment_that_starts_with_slimfile() {
    assert_eq!(pragma("slimfile: ignore"), Some("ignore"));
    assert_eq!(pragma("slimfile:ignore-file"), Some("ignore-file"));
    assert_eq!(
        pragma("slimfile:  ignore=slim-base "),
        Some("ignore=slim-base")
    );
    assert_eq!(pragma("hadolint ignore=DL3006"), None);
    assert_eq!(pragma("see slimfile: ignore"), None);
}

#[test]
fn pragmas_attach_to_the_next_instruction() {
    let text = "# slimfile: ignore\nFROM node:20 AS build\n\n# slimfile: ignore=slim-base, split-stages\n# hadolint ignore=DL3006\nFROM node:20\n# slimfile: ignore\n\nCMD [\"node\"]\n";
    let pragmas = Pragmas::read(&doc(text));
    assert!(!pragmas.ignore_file);
    assert_eq!(
        pragmas.ignores,
        [
            (0, Vec::new()),
            (1, vec!["slim-base".to_string(), "split-stages".to_string()]),
        ],
        "a blank line detaches a pragma from the instruction below"
    );
}

#[test]
fn ignore_file_counts_only_before_the_first_instruction() {
    let before = "# syntax=docker/dockerfile:1\n# slimfile: ignore-file\nFROM node:20\n";
    assert!(Pragmas::read(&doc(before)).ignore_file);
    let after = "FROM node:20\n# slimfile: ignore-file\nCMD [\"node\"]\n";
    assert!(!Pragmas::read(&doc(after)).ignore_file);
}

#[test]
fn an_ignore_suppresses_its_passes_on_its_instruction_only() {
    let text = "FROM node:20 AS build\nRUN npm ci\n\n# slimfile: ignore=slim-base\nFROM node:20\nCMD [\"node\"]\n";
    let doc = doc(text);
    let pragmas = Pragmas::read(&doc);
    let final_from = doc.instructions[2].span.start + 5;
    let at = |pass: &'static str, offset: usize| {
        change(
            pass,
            vec![Edit::replace(offset..offset + 7, "node:20-slim")],
        )
    };
    assert!(pragmas.suppresses(&doc, &at("slim-base", final_from)));
    assert!(!pragmas.suppresses(&doc, &at("name-stages", final_from)));
    assert!(!pragmas.suppresses(&doc, &at("slim-base", 5)));
    // `ignore` alone: every pass (same offsets: `=slim-base` became spaces)
    let every = text.replace("=slim-base", "          ");
    let every = self::doc(&every);
    let pragmas = Pragmas::read(&every);
    assert!(pragmas.suppresses(&every, &at("name-stages", final_from)));
    assert!(!pragmas.suppresses(&every, &at("name-stages", 5)));
}

/// The pragmas through the whole engine: on the real passes.
#[test]
fn pragmas_hold_in_a_rewrite() {
    let plain = "FROM node:20\nRUN npm ci && npm run build\n\nFROM node:20\nCOPY --from=0 /dist /app\nCMD [\"node\", \"/app/server.js\"]\n";
    let passes_at = |text: &str| -> Vec<&'static str> {
        match rewrite(text.as_bytes(), &Settings::default(), None) {
            Ok(o) => o.applied.iter().map(|a| a.change.pass.as_str()).collect(),
            Err(e) => panic!("{text:?}: {e}"),
        }
    };
    assert_eq!(passes_at(plain), ["name-stages", "slim-base"]);
    let slim_ignored = plain.replace("\n\nFROM", "\n\n# slimfile: ignore=slim-base\nFROM");
    assert_eq!(passes_at(&slim_ignored), ["name-stages"]);
    let all_ignored = plain.replace("\n\nFROM", "\n\n# slimfile: ignore\nFROM");
    assert_eq!(passes_at(&all_ignored), ["name-stages"]);
    let file = format!("# slimfile: ignore-file\n{plain}");
    let outcome = match rewrite(file.as_bytes(), &Settings::default(), None) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(outcome.skipped.is_some());
    assert!(outcome.applied.is_empty() && outcome.suggestions.is_empty());
    assert_eq!(outcome.output, file);
}

// slim-base's configured base map through the engine's rounds: a chain is followed
// one link a round, a cycle is refused.
fn slim_base_with_map(text: &str, map: &[(&str, &str)]) -> Outcome {
    let settings = Settings {
        safety: Safety::Unsafe,
        select: Some(vec!["slim-base".into()]),
        base_map: map
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..Settings::default()
    };
    rewrite(text.as_bytes(), &settings, None).expect("no internal error")
}

#[test]
fn a_cyclic_base_map_is_left_alone_with_a_warning() {
    let text = "FROM python:3.12\nCMD [\"python\"]\n";
    let out = slim_base_with_map(text, &[("python:3.12", "py:3"), ("py:3", "python:3.12")]);
    assert!(!out.changed());
    assert!(out.notes.iter().any(|n| n.item.code == Reason::MapCycle));
    let out = slim_base_with_map(text, &[("python:3.12", "a"), ("a", "b"), ("b", "a")]);
    assert!(out.notes.iter().any(|n| n.item.code == Reason::MapCycle));
}

#[test]
fn a_base_map_chain_is_followed() {
    let out = slim_base_with_map(
        "FROM python:3.12\nCMD [\"python\"]\n",
        &[("python:3.12", "a:1"), ("a:1", "b:2")],
    );
    assert_eq!(out.output, "FROM b:2\nCMD [\"python\"]\n");
}

#[test]
fn an_unclosed_variable_in_the_tag_is_left_alone() {
    let out = slim_base_with_map("FROM node:${X\nCMD [\"node\"]\n", &[]);
    assert!(!out.changed());
    assert!(out.notes.iter().any(|n| n.item.code == Reason::NoVariant));
}

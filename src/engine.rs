//! Runs the passes over one file until nothing more changes.
//!
//! Each round parses the current text, runs every enabled pass, keeps the
//! changes allowed by the safety level and the file's pragmas, accepts those
//! whose edits do not overlap an already accepted one (the rest wait for the
//! next round) and applies them. Rounds stop when no pass proposes anything:
//! the result is a fixpoint, so `rewrite(rewrite(x)) == rewrite(x)`.

use crate::reason::Reason;
use std::path::Path;

use crate::catalog;
use crate::config::Settings;
use crate::contract::{self, Contract};
use crate::edit::{self, Change, Edit, Findings, Note, Safety};
use crate::model::Model;
use crate::passes::{self, Context};
use crate::source::{DecodeError, LineIndex, Position, Source};
use crate::syntax::{self, Document};

/// Upper bound on rounds; reaching it means a pass keeps undoing another: a bug.
pub(crate) const MAX_ROUNDS: usize = 8;

/// A change that was applied, with where it was (in the text of its round).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Applied {
    #[serde(flatten)]
    pub change: Change,
    pub position: Position,
    pub round: usize,
}

/// A note with its position in the output text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Located<T> {
    #[serde(flatten)]
    pub item: T,
    pub position: Position,
}

/// The result of rewriting one file.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub source: Source,
    /// The rewritten text (without BOM; see [`Source::encode`]).
    pub output: String,
    pub applied: Vec<Applied>,
    /// Changes above the safety level, not applied (positions in the output).
    pub suggestions: Vec<Located<Change>>,
    /// Skips and problems, positions in the output.
    pub notes: Vec<Located<Note>>,
    /// The final stage's base before and after, when it changed.
    pub image: Option<ImageEstimate>,
    /// Why no pass ran at all (`# slimfile: ignore-file`).
    pub skipped: Option<String>,
}

/// The final image's base before → after, with catalog sizes (MB, compressed).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImageEstimate {
    pub before: String,
    pub before_mb: Option<f64>,
    pub after: String,
    pub after_mb: Option<f64>,
}

impl ImageEstimate {
    /// The image the final stage builds on (an earlier stage followed to
    /// its image), with the catalog's size for it.
    fn final_base(m: &Model) -> Option<(String, Option<f64>)> {
        let stage = m.stages.last()?;
        let mut s = stage;
        while let Some(i) = s.base_stage {
            s = &m.stages[i];
        }
        let image = s.effective_base();
        Some((image.to_string(), catalog::catalog().approx_size_mb(image)))
    }

    /// The estimate when the final base changed from `before` (the input's,
    /// from [`ImageEstimate::final_base`]) to the one `after` builds on.
    fn of(before: Option<&(String, Option<f64>)>, after: &Model) -> Option<ImageEstimate> {
        let (b, bmb) = before?;
        let (a, amb) = Self::final_base(after)?;
        (a != *b).then(|| ImageEstimate {
            before: b.clone(),
            before_mb: *bmb,
            after: a,
            after_mb: amb,
        })
    }
}

impl Outcome {
    pub fn changed(&self) -> bool {
        self.output != self.source.text
    }

    /// Estimated compressed bytes saved by the applied changes (known figures only).
    pub fn estimated_bytes_saved(&self) -> Option<i64> {
        let known: Vec<i64> = self
            .applied
            .iter()
            .filter_map(|a| a.change.estimated_bytes_saved)
            .collect();
        (!known.is_empty()).then(|| known.iter().sum())
    }

    pub fn has_errors(&self) -> bool {
        self.notes
            .iter()
            .any(|n| n.item.level == edit::Level::Error)
    }
}

/// Why a file could not be rewritten.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RewriteError {
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("{message}")]
    Syntax { position: Position, message: String },
    #[error("internal error: {0} (the file is left unchanged; please report this)")]
    Internal(String),
}

impl RewriteError {
    pub fn position(&self) -> Option<Position> {
        match self {
            RewriteError::Decode(d) => d.position(),
            RewriteError::Syntax { position, .. } => Some(*position),
            RewriteError::Internal(_) => None,
        }
    }
}

/// Rewrites `bytes` (a whole Dockerfile).
///
/// ```
/// use slimfile::{config::Settings, engine::rewrite};
/// let out = rewrite(b"FROM node:20 as build\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=builder /app/dist /usr/share/nginx/html\n", &Settings::default(), None).unwrap();
/// assert!(out.output.contains("FROM node:20 AS build"));
/// assert!(out.output.contains("COPY --from=build /app/dist"));
/// ```
pub fn rewrite(
    bytes: &[u8],
    settings: &Settings,
    build_context: Option<&Path>,
) -> Result<Outcome, RewriteError> {
    let source = Source::decode(bytes, settings.max_file_bytes)?;
    let first = syntax::parse(&source.text).map_err(|e| RewriteError::Syntax {
        position: source.position(e.offset),
        message: e.message,
    })?;
    let line_ending = source.line_ending.as_str();
    let mut text = source.text.clone();
    if Pragmas::read(&first).ignore_file {
        return Ok(ignored(source));
    }
    // round 0 reads the input: its model is the input's
    let mut model = Model::build(&first);
    let input_contract = contract::of(&source.text, &first, &model);
    let input_base = ImageEstimate::final_base(&model);
    let mut doc = first;
    let mut applied = Vec::new();
    for round in 0..=MAX_ROUNDS {
        if round > 0 {
            // later rounds take over the typed readings of unchanged
            // instructions; the last round's model is freed once read
            model = Model::build_after(&doc, &model);
        }
        let mut findings = run_passes(&text, &doc, &model, settings, build_context);
        // the document is not needed any more: free it before the contract
        // check and the next round read documents of their own, so two large
        // documents are never alive at once
        drop(doc);
        if let Some(input) = &input_contract {
            let changes = std::mem::take(&mut findings.changes);
            findings.changes =
                keep_contract(&text, input, changes, line_ending, &mut findings.notes);
        }
        let (allowed, over): (Vec<Change>, Vec<Change>) = findings
            .changes
            .into_iter()
            .partition(|c| c.safety <= settings.safety);
        if allowed.is_empty() {
            let image = ImageEstimate::of(input_base.as_ref(), &model);
            return Ok(fixpoint(source, text, applied, over, findings.notes, image));
        }
        if round == MAX_ROUNDS {
            break;
        }
        let next = apply_round(&text, allowed, line_ending, round, &mut applied)?;
        doc = syntax::parse(&next).map_err(|e| {
            let pass = applied.last().map_or("?", |a| a.change.pass);
            RewriteError::Internal(format!(
                "round {round} ({pass}) produced text that does not parse: {}",
                e.message
            ))
        })?;
        text = next;
    }
    Err(RewriteError::Internal(format!(
        "no fixpoint after {MAX_ROUNDS} rounds"
    )))
}

/// The outcome of a file with the `# slimfile: ignore-file` pragma: unchanged.
fn ignored(source: Source) -> Outcome {
    let output = source.text.clone();
    Outcome {
        source,
        output,
        applied: Vec::new(),
        suggestions: Vec::new(),
        notes: Vec::new(),
        image: None,
        skipped: Some("`# slimfile: ignore-file` pragma".into()),
    }
}

/// The outcome once no change applies any more: the changes above the
/// safety level become suggestions, and the notes are located and sorted.
fn fixpoint(
    source: Source,
    text: String,
    applied: Vec<Applied>,
    over: Vec<Change>,
    notes: Vec<Note>,
    image: Option<ImageEstimate>,
) -> Outcome {
    let index = LineIndex::new(text.as_bytes());
    let locate = |offset: usize| index.position(offset);
    let suggestions = over
        .into_iter()
        .map(|c| Located {
            position: locate(c.offset()),
            item: c,
        })
        .collect();
    let mut notes: Vec<Located<Note>> = notes
        .into_iter()
        .map(|n| Located {
            position: locate(n.offset),
            item: n,
        })
        .collect();
    notes.sort_by(|a, b| (a.position, a.item.pass).cmp(&(b.position, b.item.pass)));
    Outcome {
        source,
        output: text,
        applied,
        suggestions,
        notes,
        image,
        skipped: None,
    }
}

/// One round: applies the `allowed` changes that do not overlap (in
/// order), records them in `applied`, and returns the new text.
fn apply_round(
    text: &str,
    allowed: Vec<Change>,
    line_ending: &str,
    round: usize,
    applied: &mut Vec<Applied>,
) -> Result<String, RewriteError> {
    let chosen = non_overlapping(&allowed);
    let accepted: Vec<Change> = allowed
        .into_iter()
        .zip(chosen)
        .filter_map(|(c, ok)| ok.then_some(c))
        .collect();
    if accepted.is_empty() {
        return Err(RewriteError::Internal(
            "a change conflicts with itself".into(),
        ));
    }
    let edits: Vec<&Edit> = accepted.iter().flat_map(|c| &c.edits).collect();
    let next = edit::apply(text, &edits, line_ending);
    let index = LineIndex::new(text.as_bytes());
    for change in accepted {
        let position = index.position(change.offset());
        applied.push(Applied {
            change,
            position,
            round,
        });
    }
    Ok(next)
}

/// Which of `changes` can be applied together: in order, each change whose
/// edits overlap neither each other nor those of an earlier chosen change.
/// Chosen edit ranges never overlap, so an edit can only conflict with its
/// neighbours: a sorted map keeps this linearithmic.
fn non_overlapping(changes: &[Change]) -> Vec<bool> {
    let mut taken: std::collections::BTreeMap<usize, &Edit> = std::collections::BTreeMap::new();
    changes
        .iter()
        .map(|change| {
            let clash = change.edits.iter().any(|e| {
                let before = taken.range(..=e.range.start).next_back();
                let after = taken.range(e.range.start..).next();
                before.into_iter().chain(after).any(|(_, a)| e.conflicts(a))
            });
            let inner_clash = change
                .edits
                .iter()
                .enumerate()
                .any(|(i, e)| change.edits[i + 1..].iter().any(|f| e.overlaps(f)));
            let ok = !clash && !inner_clash;
            if ok {
                for e in &change.edits {
                    taken.insert(e.range.start, e);
                }
            }
            ok
        })
        .collect()
}

/// The changes whose result keeps the input's runtime contract; each other
/// one becomes a note naming what it would have broken.
///
/// The non-overlapping changes are checked together with one parse (the
/// common case: they all keep it); only when that result breaks the
/// contract, and for changes that overlap others, is each one checked alone.
fn keep_contract(
    text: &str,
    input: &Contract,
    changes: Vec<Change>,
    line_ending: &str,
    notes: &mut Vec<Note>,
) -> Vec<Change> {
    let declared = |change: &Change, b: &String| {
        change.safety == Safety::Unsafe
            && change
                .declares
                .iter()
                .any(|d| b.starts_with(&format!("{d} ")))
    };
    let broken_by = |edits: &[&Edit]| -> Vec<String> {
        let after = edit::apply(text, edits, line_ending);
        match syntax::parse(&after) {
            Ok(doc) => {
                let model = Model::build(&doc);
                match contract::of(&after, &doc, &model) {
                    Some(c) => contract::broken(input, &c),
                    None => vec!["the result has no final stage".to_string()],
                }
            }
            Err(e) => vec![format!("the result does not parse ({})", e.message)],
        }
    };
    // one batch of changes that do not overlap each other
    let batch = non_overlapping(&changes);
    let taken: Vec<&Edit> = changes
        .iter()
        .zip(&batch)
        .filter(|(_, ok)| **ok)
        .flat_map(|(c, _)| &c.edits)
        .collect();
    let batch_ok = !taken.is_empty() && {
        let broken = broken_by(&taken);
        broken.iter().all(|b| {
            changes
                .iter()
                .zip(&batch)
                .any(|(c, ok)| *ok && declared(c, b))
        })
    };
    let mut kept = Vec::with_capacity(changes.len());
    for (i, change) in changes.into_iter().enumerate() {
        if batch_ok && batch[i] {
            kept.push(change);
            continue;
        }
        let edits: Vec<&Edit> = change.edits.iter().collect();
        let broken: Vec<String> = broken_by(&edits)
            .into_iter()
            .filter(|b| !declared(&change, b))
            .collect();
        if broken.is_empty() {
            kept.push(change);
            continue;
        }
        notes.push(Note {
            pass: change.pass,
            code: Reason::Contract,
            level: edit::Level::Info,
            offset: change.offset(),
            message: format!(
                "not applied, it would change what the image does: {}",
                broken.join("; ")
            ),
        });
    }
    kept
}

fn run_passes(
    text: &str,
    doc: &Document,
    model: &Model,
    settings: &Settings,
    build_context: Option<&Path>,
) -> Findings {
    let cx = Context {
        text,
        doc,
        model,
        settings,
        build_context,
    };
    let pragmas = Pragmas::read(doc);
    let mut all = Findings::default();
    if pragmas.ignore_file {
        return all;
    }
    // the build context is read only by passes that can apply at this level:
    // at `--safety safe` (an editor saving) nothing scans the context
    let blind = Context {
        build_context: None,
        ..cx
    };
    // instructions dockerfile-parser and the front end read differently: no pass touches them
    let not_understood: Vec<std::ops::Range<usize>> = model
        .not_understood()
        .map(|i| doc.instructions[i].full_span())
        .collect();
    for (i, span) in model.not_understood().zip(&not_understood) {
        let keyword = doc.instructions[i].keyword.as_str();
        all.note(
            "model",
            Reason::NotUnderstood,
            edit::Level::Info,
            span.start,
            format!(
                "dockerfile-parser and slimfile read this {keyword} differently; no pass changes it"
            ),
        );
    }
    for pass in passes::ALL.iter().filter(|p| settings.runs(p.id)) {
        let mut findings = Findings::default();
        let cx = if pass.safety <= settings.safety {
            &cx
        } else {
            &blind
        };
        (pass.run)(cx, &mut findings);
        for change in findings.changes {
            if pragmas.suppresses(doc, &change)
                || change.edits.iter().any(|e| {
                    not_understood
                        .iter()
                        .any(|s| e.range.start >= s.start && e.range.start <= s.end)
                })
            {
                continue;
            }
            all.changes.push(change);
        }
        all.notes.extend(findings.notes);
    }
    all
}

/// `# slimfile: ignore[=pass,...]` above an instruction, `# slimfile: ignore-file` before the first.
struct Pragmas {
    ignore_file: bool,
    /// (instruction index, passes; empty = all)
    ignores: Vec<(usize, Vec<String>)>,
}

impl Pragmas {
    fn read(doc: &Document) -> Pragmas {
        let first = doc
            .instructions
            .first()
            .map_or(usize::MAX, |i| i.line_start);
        let ignore_file = doc
            .comments
            .iter()
            .any(|c| c.span.start < first && pragma(&c.text).is_some_and(|p| p == "ignore-file"));
        let mut ignores = Vec::new();
        for (n, ins) in doc.instructions.iter().enumerate() {
            for c in &doc.comments[ins.leading_comments.clone()] {
                let Some(p) = pragma(&c.text) else { continue };
                if p == "ignore" {
                    ignores.push((n, Vec::new()));
                } else if let Some(list) = p.strip_prefix("ignore=") {
                    ignores.push((
                        n,
                        list.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    ));
                }
            }
        }
        Pragmas {
            ignore_file,
            ignores,
        }
    }

    fn suppresses(&self, doc: &Document, change: &Change) -> bool {
        self.ignores.iter().any(|(n, passes)| {
            let span = doc.instructions[*n].full_span();
            (passes.is_empty() || passes.iter().any(|p| p == change.pass))
                && change
                    .edits
                    .iter()
                    .any(|e| e.range.start >= span.start && e.range.start <= span.end)
        })
    }
}

/// The text after `slimfile:` in a comment, if it is a pragma.
fn pragma(comment: &str) -> Option<&str> {
    comment.strip_prefix("slimfile:").map(str::trim)
}

/// Unit tests of the engine's own rules: which of several changes apply
/// together (overlap, self-conflict), the round limit and the pragmas.
///
/// The pass registry (`passes::ALL`) is a fixed static, so no test-only pass
/// can be injected: the overlap and self-conflict rules are tested on
/// [`non_overlapping`], the selection every round uses, and the round limit
/// through [`rewrite`] on real multi-round inputs (the `no fixpoint` error
/// itself needs a pass that never settles, which only injection could give).
#[cfg(test)]
mod tests {
    use super::*;

    fn change(pass: &'static str, edits: Vec<Edit>) -> Change {
        Change::new(pass, Safety::Safe, format!("{pass} change"), edits)
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
            let again = rewrite(outcome.output.as_bytes(), &Settings::default(), None)
                .map(|o| o.applied.len());
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
                Ok(o) => o.applied.iter().map(|a| a.change.pass).collect(),
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
}

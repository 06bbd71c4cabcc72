//! Runs the passes over one file until nothing more changes.
//!
//! Each round parses the current text, runs every enabled pass, keeps the
//! changes allowed by the safety level and the file's pragmas, accepts those
//! whose edits do not overlap an already accepted one (the rest wait for the
//! next round) and applies them. Rounds stop when no pass proposes anything:
//! the result is a fixpoint, so `rewrite(rewrite(x)) == rewrite(x)`.

mod pragmas;

use crate::reason::Reason;

use crate::catalog;
use crate::config::Settings;
use crate::context::BuildContext;
use crate::contract::{self, Contract};
use crate::edit::{self, Change, Edit, Findings, Note, Safety};
use crate::model::Model;
use crate::passes::{self, Context};
use crate::source::{DecodeError, LineIndex, Position, Source};
use crate::syntax::{self, Document};
use pragmas::Pragmas;

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
#[cfg(feature = "native")]
pub fn rewrite(
    bytes: &[u8],
    settings: &Settings,
    build_context: Option<&std::path::Path>,
) -> Result<Outcome, RewriteError> {
    rewrite_with(bytes, settings, build_context.map(BuildContext::Dir))
}

/// [`rewrite`] with the build context from either source: a folder, or files
/// held in memory (the playground, which has no file system).
///
/// ```
/// use slimfile::{config::Settings, context::{BuildContext, ContextFiles}, engine::rewrite_with};
/// let mut files = ContextFiles::new();
/// files.insert("go.mod", "module example.com/hello\n\ngo 1.22\n").unwrap();
/// files.insert("main.go", "package main\n\nfunc main() {}\n").unwrap();
/// let dockerfile = b"FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD [\"./app\"]\n";
/// let out = rewrite_with(dockerfile, &Settings::default(), Some(BuildContext::Files(&files))).unwrap();
/// assert!(out.output.contains("FROM scratch AS runtime"));
/// ```
pub fn rewrite_with(
    bytes: &[u8],
    settings: &Settings,
    build_context: Option<BuildContext>,
) -> Result<Outcome, RewriteError> {
    // readings of another file's RUNs are no use here (and memory is bounded per file);
    // a file too large for the memo to hold reads its RUNs as they come
    crate::shell::memo::start_file();
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
    // the input's runtime contract is read only when a pass proposes a
    // change (round 0, where the document and model are the input's): a
    // file no pass changes never needs it
    let mut input_contract = None;
    let input_base = ImageEstimate::final_base(&model);
    let mut doc = first;
    let mut applied = Vec::new();
    // the model the contract check read of this round's text, when it did
    let mut checked_model = None;
    for round in 0..=MAX_ROUNDS {
        if round > 0 {
            // later rounds take over the typed readings of unchanged
            // instructions; the last round's model is freed once read
            model = match checked_model.take() {
                Some(m) => m,
                None => Model::build_after(&doc, &model),
            };
        }
        let mut findings = run_passes(&text, &doc, &model, settings, build_context);
        if round == 0 && !findings.changes.is_empty() {
            input_contract = contract::of(&source.text, &doc, &model);
        }
        // the document is not needed any more: free it before the contract
        // check and the next round read documents of their own, so two large
        // documents are never alive at once
        drop(doc);
        let mut checked = None;
        if let Some(input) = &input_contract {
            let changes = std::mem::take(&mut findings.changes);
            let check = ContractCheck {
                text: &text,
                model: &model,
                input,
                line_ending,
            };
            let (kept, batch) = check.keep(changes, &mut findings.notes);
            findings.changes = kept;
            checked = batch;
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
        // the contract check read the same result when the round applies
        // just the batch it checked (the common case): take its reading over
        doc = match checked.filter(|c| c.text == next) {
            Some(c) => {
                checked_model = Some(c.model);
                c.doc
            }
            None => syntax::parse(&next).map_err(|e| {
                let pass = applied.last().map_or("?", |a| a.change.pass.as_str());
                RewriteError::Internal(format!(
                    "round {round} ({pass}) produced text that does not parse: {}",
                    e.message
                ))
            })?,
        };
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
    notes.sort_by_key(|n| (n.position, n.item.pass));
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

/// A text the contract check read whole: the next round takes its document
/// and model over when it applies the same edits.
struct Checked {
    text: String,
    doc: Document,
    model: Model,
}

/// What [`ContractCheck::keep`] checks changes against: the round's text
/// and model, and the input's contract.
struct ContractCheck<'a> {
    text: &'a str,
    model: &'a Model,
    input: &'a Contract,
    line_ending: &'a str,
}

impl ContractCheck<'_> {
    /// The changes whose result keeps the input's runtime contract; each other
    /// one becomes a note naming what it would have broken.
    ///
    /// The non-overlapping changes are checked together with one parse (the
    /// common case: they all keep it); only when that result breaks the
    /// contract, and for changes that overlap others, is each one checked alone.
    ///
    /// Also returns the batch's result, read, when the batch keeps it.
    fn keep(&self, changes: Vec<Change>, notes: &mut Vec<Note>) -> (Vec<Change>, Option<Checked>) {
        let declared = |change: &Change, b: &String| {
            change.safety == Safety::Unsafe
                && change
                    .declares
                    .iter()
                    .any(|d| b.starts_with(&format!("{d} ")))
        };
        // one batch of changes that do not overlap each other
        let batch = non_overlapping(&changes);
        let taken: Vec<&Edit> = changes
            .iter()
            .zip(&batch)
            .filter(|(_, ok)| **ok)
            .flat_map(|(c, _)| &c.edits)
            .collect();
        let (batch_ok, batch_read) = if taken.is_empty() {
            (false, None)
        } else {
            let (broken, read) = self.broken_by(&taken);
            let ok = broken.iter().all(|b| {
                changes
                    .iter()
                    .zip(&batch)
                    .any(|(c, ok)| *ok && declared(c, b))
            });
            (ok, read.filter(|_| ok))
        };
        let mut kept = Vec::with_capacity(changes.len());
        for (i, change) in changes.into_iter().enumerate() {
            if batch_ok && batch[i] {
                kept.push(change);
                continue;
            }
            let edits: Vec<&Edit> = change.edits.iter().collect();
            let broken: Vec<String> = self
                .broken_by(&edits)
                .0
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
        (kept, batch_read)
    }

    /// What `edits` break of the input's contract, and the result read (when it parses).
    fn broken_by(&self, edits: &[&Edit]) -> (Vec<String>, Option<Checked>) {
        let after = edit::apply(self.text, edits, self.line_ending);
        match syntax::parse(&after) {
            Ok(doc) => {
                let model = Model::build_after(&doc, self.model);
                let broken = match contract::of(&after, &doc, &model) {
                    Some(c) => contract::broken(self.input, &c),
                    None => vec!["the result has no final stage".to_string()],
                };
                let read = Checked {
                    text: after,
                    doc,
                    model,
                };
                (broken, Some(read))
            }
            Err(e) => (
                vec![format!("the result does not parse ({})", e.message)],
                None,
            ),
        }
    }
}

fn run_passes(
    text: &str,
    doc: &Document,
    model: &Model,
    settings: &Settings,
    build_context: Option<BuildContext>,
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
            Reason::NotUnderstood,
            edit::Level::Info,
            span.start,
            format!(
                "dockerfile-parser and slimfile read this {keyword} differently; no pass changes it"
            ),
        );
    }
    for pass in passes::ALL.iter().filter(|p| settings.runs(p.id.as_str())) {
        let mut findings = Findings::for_pass(pass.id);
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

#[cfg(test)]
mod tests;

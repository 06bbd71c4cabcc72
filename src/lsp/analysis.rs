//! One document through the engine, turned into diagnostics and fixes.
//!
//! The engine applies changes in rounds: the edits of round 0 are offsets in
//! the document, those of a later round are offsets in the text the earlier
//! rounds made, and suggestions and notes are offsets in the output. The
//! rounds are replayed here ([`Rounds`]) so every position maps back to the
//! document, and so a fix for a later-round change can be given as the
//! document → result difference (it needs the earlier rounds' changes: its
//! title says so). A round-0 change's fix is its own edits, exactly.

mod rounds;

use std::ops::Range;
use std::path::Path;

use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, TextEdit, Uri};

use crate::config::Settings;
use crate::edit::human_bytes;
use crate::edit::{self, Change, Edit, Level, Safety};
use crate::engine::{self, Outcome, RewriteError};
use crate::syntax;

use super::options::{ClientOptions, context_dir};
use super::text::LineIndex;
use rounds::{Rounds, diff_edits, written};

/// The diagnostics' `source`.
pub const SOURCE: &str = "slimfile";

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A change the engine applies at the document's safety level.
    Change,
    /// A change above the level: listed, not applied.
    Suggestion,
    /// Why a pass left something alone, or a problem without a fix.
    Note,
    /// The document (or its configuration) cannot be read.
    Error,
}

/// One diagnostic and what can be done about it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    pub pass: &'static str,
    pub diagnostic: Diagnostic,
    /// The change's fix, when it has one.
    pub fix: Option<Fix>,
    /// Where `# slimfile: ignore=<pass>` would go (checked when offered).
    pub ignore: Option<TextEdit>,
}

/// A fix: edits on the document as the editor has it.
#[derive(Debug, Clone)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// True when the edits are the change's own (a round-0 change, or a
    /// suggestion on a document nothing else changes); false when they also
    /// carry the earlier changes it builds on.
    pub exact: bool,
}

/// The analysis of one version of a document.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// The diagnostics to publish.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.findings.iter().map(|f| f.diagnostic.clone()).collect()
    }
}

/// Analyses `text` (the document as the editor has it) at `path` (`None`
/// for an unsaved buffer: no configuration file, no build context).
pub fn analyze(text: &str, path: Option<&Path>, options: &ClientOptions) -> Analysis {
    let settings = match options.settings_for(path) {
        Ok(s) => s,
        Err(message) => return Analysis::error(text, 0, message),
    };
    let outcome = match engine::rewrite(text.as_bytes(), &settings, path.map(context_dir)) {
        Ok(o) => o,
        Err(e) => return Analysis::rewrite_error(text, &e),
    };
    let Some(rounds) = Rounds::replay(&outcome) else {
        return Analysis::error(
            text,
            0,
            "internal error: the engine's rounds do not replay to its output (please report this)"
                .into(),
        );
    };
    let findings = Findings {
        outcome: &outcome,
        rounds,
        index: LineIndex::new(text),
        doc: syntax::parse(&outcome.source.text).ok(),
        line_ending: outcome.source.line_ending.as_str(),
        bom: bom_len(text),
        options,
    };
    let mut all = Vec::new();
    for applied in &outcome.applied {
        all.push(findings.of_change(&applied.change, applied.round, FindingKind::Change));
    }
    for suggestion in &outcome.suggestions {
        let last = findings.rounds.last();
        all.push(findings.of_change(&suggestion.item, last, FindingKind::Suggestion));
    }
    for note in &outcome.notes {
        if note.item.level == Level::Info && !options.shows_notes() {
            continue;
        }
        all.push(findings.of_note(&note.item));
    }
    Analysis { findings: all }
}

/// What turns one engine outcome into findings: the replayed rounds and the
/// document's line index (positions), its syntax (pragma edits).
struct Findings<'a> {
    outcome: &'a Outcome,
    rounds: Rounds<'a>,
    index: LineIndex<'a>,
    doc: Option<syntax::Document>,
    line_ending: &'a str,
    bom: usize,
    options: &'a ClientOptions,
}

impl Findings<'_> {
    /// The finding of an applied change (of round `round`) or a suggestion.
    fn of_change(&self, change: &Change, round: usize, kind: FindingKind) -> Finding {
        let outcome = self.outcome;
        let edits: Vec<&Edit> = change.edits.iter().collect();
        let (text_round, exact, target) = match kind {
            FindingKind::Suggestion => (
                self.rounds.last(),
                outcome.applied.is_empty(),
                edit::apply(&outcome.output, &edits, self.line_ending),
            ),
            _ => (
                round,
                round == 0,
                edit::apply(&self.rounds.texts[round], &edits, self.line_ending),
            ),
        };
        let first = change
            .edits
            .iter()
            .min_by_key(|e| (e.range.start, e.range.end));
        let at = first.map_or(0..0, |e| {
            self.rounds.back(e.range.start, text_round)..self.rounds.back(e.range.end, text_round)
        });
        let at = visible(&outcome.source.text, at);
        let fix_edits = if exact {
            change
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: self.range(e.range.clone()),
                    new_text: written(&e.replacement, self.line_ending),
                })
                .collect()
        } else {
            diff_edits(&outcome.source.text, &target, self.bom, &self.index)
        };
        let ignore = self.ignore_edit(change, text_round);
        let (severity, message) = diagnostic_text(change, kind);
        Finding {
            kind,
            pass: change.pass.as_str(),
            diagnostic: Diagnostic {
                range: self.range(at),
                severity: Some(severity),
                code: Some(NumberOrString::String(change.pass.to_string())),
                code_description: self.code_description(change.pass.as_str()),
                source: Some(SOURCE.to_string()),
                message,
                ..Diagnostic::default()
            },
            fix: Some(Fix {
                title: self.fix_title(change, round, kind, exact),
                edits: fix_edits,
                exact,
            }),
            ignore,
        }
    }

    /// Where `# slimfile: ignore=<pass>` would go to suppress `change` (its
    /// edits are offsets in the text round `text_round` read).
    fn ignore_edit(&self, change: &Change, text_round: usize) -> Option<TextEdit> {
        let starts: Vec<usize> = change
            .edits
            .iter()
            .map(|e| self.rounds.back(e.range.start, text_round))
            .collect();
        self.doc
            .as_ref()
            .and_then(|d| {
                pragma_edit(
                    &self.outcome.source.text,
                    d,
                    &starts,
                    change.pass.as_str(),
                    self.line_ending,
                )
            })
            .map(|(offset, insert)| TextEdit {
                range: self.range(offset..offset),
                new_text: insert,
            })
    }

    /// The quick fix's title; an inexact fix says which other changes it carries.
    fn fix_title(&self, change: &Change, round: usize, kind: FindingKind, exact: bool) -> String {
        let applied = self.outcome.applied.len();
        let earlier = self
            .outcome
            .applied
            .iter()
            .filter(|a| a.round < round)
            .count();
        match (kind, exact) {
            (FindingKind::Suggestion, false) => format!(
                "slimfile {}: {} (with the {applied} change{} at the current level)",
                change.pass,
                short(&change.message),
                plural(applied)
            ),
            (_, false) => format!(
                "slimfile {}: {} (with the {earlier} earlier change{} it builds on)",
                change.pass,
                short(&change.message),
                plural(earlier)
            ),
            _ => format!("slimfile {}: {}", change.pass, short(&change.message)),
        }
    }

    /// The finding of a note, at its place in the document.
    fn of_note(&self, note: &edit::Note) -> Finding {
        let at = self.rounds.back(note.offset, self.rounds.last());
        let at = visible(&self.outcome.source.text, at..at);
        let severity = match note.level {
            Level::Info => DiagnosticSeverity::INFORMATION,
            Level::Warning => DiagnosticSeverity::WARNING,
            Level::Error => DiagnosticSeverity::ERROR,
        };
        Finding {
            kind: FindingKind::Note,
            pass: note.pass.as_str(),
            diagnostic: Diagnostic {
                range: self.range(at),
                severity: Some(severity),
                code: Some(NumberOrString::String(format!(
                    "{}/{}",
                    note.pass, note.code
                ))),
                code_description: self.code_description(note.pass.as_str()),
                source: Some(SOURCE.to_string()),
                message: note.message.clone(),
                ..Diagnostic::default()
            },
            fix: None,
            ignore: None,
        }
    }

    /// A range of the engine's text (without the BOM) as an LSP range on the document.
    fn range(&self, range: Range<usize>) -> lsp_types::Range {
        self.index
            .range(range.start + self.bom..range.end + self.bom)
    }

    /// The pass's documentation link, from the client's `docs_url` template.
    fn code_description(&self, pass: &str) -> Option<CodeDescription> {
        let template = self.options.docs_url.as_ref()?;
        let href: Uri = template.replace("{pass}", pass).parse().ok()?;
        Some(CodeDescription { href })
    }
}

impl Analysis {
    /// One error diagnostic at byte `offset` of `text`, to the end of its line.
    fn error(text: &str, offset: usize, message: String) -> Analysis {
        let index = LineIndex::new(text);
        let end = text[offset.min(text.len())..]
            .find(['\r', '\n'])
            .map_or(text.len(), |i| offset + i);
        Analysis {
            findings: vec![Finding {
                kind: FindingKind::Error,
                pass: SOURCE,
                diagnostic: Diagnostic {
                    range: index.range(offset..end),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some(SOURCE.to_string()),
                    message,
                    ..Diagnostic::default()
                },
                fix: None,
                ignore: None,
            }],
        }
    }

    fn rewrite_error(text: &str, error: &RewriteError) -> Analysis {
        // the engine's position: 1-based line (split at `\n`) and column in
        // characters of the text without its BOM
        let bom = bom_len(text);
        let offset = error.position().map_or(bom, |p| {
            let body = &text[bom..];
            let line_start = match p.line {
                0 | 1 => 0,
                n => body
                    .match_indices('\n')
                    .nth(n - 2)
                    .map_or(body.len(), |(i, _)| i + 1),
            };
            let column = body[line_start..]
                .char_indices()
                .nth(p.column.saturating_sub(1))
                .map_or(body.len(), |(i, _)| line_start + i);
            bom + column
        });
        Analysis::error(text, offset, error.to_string())
    }
}

/// The whole rewrite of `text` at `safety` as edits on the document: "apply
/// all safe", "apply all review" and formatting. `None` when the document
/// cannot be read (the editor keeps its buffer).
pub fn rewrite_all(
    text: &str,
    path: Option<&Path>,
    options: &ClientOptions,
    safety: Safety,
) -> Option<Vec<TextEdit>> {
    let mut settings: Settings = options.settings_for(path).ok()?;
    settings.safety = safety;
    let outcome = engine::rewrite(text.as_bytes(), &settings, path.map(context_dir)).ok()?;
    let index = LineIndex::new(text);
    Some(diff_edits(
        &outcome.source.text,
        &outcome.output,
        bom_len(text),
        &index,
    ))
}

/// Whether `text` with `insert` at `edit` no longer has a change of `pass`
/// with `message`: the check before "ignore this pass here" is offered.
pub fn pragma_works(
    text: &str,
    path: Option<&Path>,
    options: &ClientOptions,
    edit: &TextEdit,
    pass: &str,
    message: &str,
) -> bool {
    let index = LineIndex::new(text);
    let at = index.offset(edit.range.start);
    let mut after = text.to_string();
    after.insert_str(at, &edit.new_text);
    let analysis = analyze(&after, path, options);
    !analysis.findings.iter().any(|f| {
        matches!(f.kind, FindingKind::Change | FindingKind::Suggestion)
            && f.pass == pass
            && f.diagnostic.message == message
    }) && !analysis
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::Error)
}

/// The diagnostic's severity and message for a change or a suggestion.
fn diagnostic_text(change: &Change, kind: FindingKind) -> (DiagnosticSeverity, String) {
    match kind {
        FindingKind::Suggestion => (
            DiagnosticSeverity::HINT,
            format!(
                "[{}] suggestion (needs safety {}): {}",
                change.safety,
                change.safety,
                with_estimate(change)
            ),
        ),
        _ => (
            DiagnosticSeverity::INFORMATION,
            format!("[{}] {}", change.safety, with_estimate(change)),
        ),
    }
}

/// 3 when the document starts with a byte order mark (the engine's offsets
/// do not count it).
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// A range an editor can show: an empty one grows to the end of its line
/// (when the line has anything after it).
fn visible(text: &str, range: Range<usize>) -> Range<usize> {
    if !range.is_empty() || range.start >= text.len() {
        return range;
    }
    let end = text[range.start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| range.start + i);
    range.start..end
}

/// The message up to its first `: ` (the part that says what changes), at most 100 characters.
fn short(message: &str) -> String {
    let head = message.split(": ").next().unwrap_or(message);
    if head.chars().count() <= 100 {
        head.to_string()
    } else {
        head.chars().take(99).chain(['…']).collect()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The message, with the change's size estimate when the message does not give it.
fn with_estimate(change: &Change) -> String {
    match change.estimated_bytes_saved {
        Some(bytes) if bytes != 0 && !change.message.contains(&human_bytes(bytes.abs())) => {
            let direction = if bytes > 0 { "smaller" } else { "larger" };
            format!(
                "{} (estimate: ~{} {direction}, compressed)",
                change.message,
                human_bytes(bytes.abs())
            )
        }
        _ => change.message.clone(),
    }
}

/// Where `# slimfile: ignore=<pass>` goes so the engine suppresses a change
/// one of whose edits starts at one of `starts` (offsets in `text`): above
/// the instruction holding it (the rule in `engine::Pragmas`), or appended
/// to a `# slimfile: ignore=…` pragma already there.
fn pragma_edit(
    text: &str,
    doc: &syntax::Document,
    starts: &[usize],
    pass: &str,
    line_ending: &str,
) -> Option<(usize, String)> {
    let instruction = starts.iter().find_map(|&at| {
        doc.instructions.iter().find(|i| {
            let span = i.full_span();
            at >= span.start && at <= span.end
        })
    })?;
    for comment in &doc.comments[instruction.leading_comments.clone()] {
        if let Some(list) = comment
            .text
            .strip_prefix("slimfile:")
            .map(str::trim)
            .and_then(|p| p.strip_prefix("ignore="))
        {
            let separator = if list.trim_end().ends_with(',') {
                ""
            } else {
                ","
            };
            let end = comment.span.start + text[comment.span.clone()].trim_end().len();
            return Some((end, format!("{separator}{pass}")));
        }
    }
    let indent: String = text[instruction.line_start..instruction.keyword_span.start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    Some((
        instruction.line_start,
        format!("{indent}# slimfile: ignore={pass}{line_ending}"),
    ))
}

#[cfg(test)]
mod tests;

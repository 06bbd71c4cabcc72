//! One document through the engine, turned into diagnostics and fixes.
//!
//! The engine applies changes in rounds: the edits of round 0 are offsets in
//! the document, those of a later round are offsets in the text the earlier
//! rounds made, and suggestions and notes are offsets in the output. The
//! rounds are replayed here ([`Rounds`]) so every position maps back to the
//! document, and so a fix for a later-round change can be given as the
//! document → result difference (it needs the earlier rounds' changes: its
//! title says so). A round-0 change's fix is its own edits, exactly.

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
    let bom = bom_len(text);
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
    let index = LineIndex::new(text);
    let doc = syntax::parse(&outcome.source.text).ok();
    let le = outcome.source.line_ending.as_str();
    let code_description = |pass: &str| -> Option<CodeDescription> {
        let template = options.docs_url.as_ref()?;
        let href: Uri = template.replace("{pass}", pass).parse().ok()?;
        Some(CodeDescription { href })
    };
    let mut findings = Vec::new();
    let mut change_finding = |change: &Change, round: usize, kind: FindingKind| {
        let (range, exact, target) = match kind {
            FindingKind::Suggestion => (
                rounds.last(),
                outcome.applied.is_empty(),
                edit::apply(
                    &outcome.output,
                    &change.edits.iter().collect::<Vec<_>>(),
                    le,
                ),
            ),
            _ => (
                round,
                round == 0,
                edit::apply(
                    &rounds.texts[round],
                    &change.edits.iter().collect::<Vec<_>>(),
                    le,
                ),
            ),
        };
        let text_round = range;
        let first = change
            .edits
            .iter()
            .min_by_key(|e| (e.range.start, e.range.end));
        let at = first.map_or(0..0, |e| {
            rounds.back(e.range.start, text_round)..rounds.back(e.range.end, text_round)
        });
        let at = visible(&outcome.source.text, at);
        let edits = if exact {
            change
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: index.range(e.range.start + bom..e.range.end + bom),
                    new_text: written(&e.replacement, le),
                })
                .collect()
        } else {
            diff_edits(&outcome.source.text, &target, bom, &index)
        };
        let earlier = outcome.applied.iter().filter(|a| a.round < round).count();
        let title = match (kind, exact) {
            (FindingKind::Suggestion, false) => format!(
                "slimfile {}: {} (with the {} change{} at the current level)",
                change.pass,
                short(&change.message),
                outcome.applied.len(),
                plural(outcome.applied.len())
            ),
            (_, false) => format!(
                "slimfile {}: {} (with the {earlier} earlier change{} it builds on)",
                change.pass,
                short(&change.message),
                plural(earlier)
            ),
            _ => format!("slimfile {}: {}", change.pass, short(&change.message)),
        };
        let starts: Vec<usize> = change
            .edits
            .iter()
            .map(|e| rounds.back(e.range.start, text_round))
            .collect();
        let ignore = doc
            .as_ref()
            .and_then(|d| pragma_edit(&outcome.source.text, d, &starts, change.pass, le))
            .map(|(offset, insert)| TextEdit {
                range: index.range(offset + bom..offset + bom),
                new_text: insert,
            });
        let (severity, message) = match kind {
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
        };
        findings.push(Finding {
            kind,
            pass: change.pass,
            diagnostic: Diagnostic {
                range: index.range(at.start + bom..at.end + bom),
                severity: Some(severity),
                code: Some(NumberOrString::String(change.pass.to_string())),
                code_description: code_description(change.pass),
                source: Some(SOURCE.to_string()),
                message,
                ..Diagnostic::default()
            },
            fix: Some(Fix {
                title,
                edits,
                exact,
            }),
            ignore,
        });
    };
    for applied in &outcome.applied {
        change_finding(&applied.change, applied.round, FindingKind::Change);
    }
    for suggestion in &outcome.suggestions {
        change_finding(&suggestion.item, rounds.last(), FindingKind::Suggestion);
    }
    for note in &outcome.notes {
        let note = &note.item;
        if note.level == Level::Info && !options.shows_notes() {
            continue;
        }
        let at = rounds.back(note.offset, rounds.last());
        let at = visible(&outcome.source.text, at..at);
        let severity = match note.level {
            Level::Info => DiagnosticSeverity::INFORMATION,
            Level::Warning => DiagnosticSeverity::WARNING,
            Level::Error => DiagnosticSeverity::ERROR,
        };
        findings.push(Finding {
            kind: FindingKind::Note,
            pass: note.pass,
            diagnostic: Diagnostic {
                range: index.range(at.start + bom..at.end + bom),
                severity: Some(severity),
                code: Some(NumberOrString::String(format!(
                    "{}/{}",
                    note.pass, note.code
                ))),
                code_description: code_description(note.pass),
                source: Some(SOURCE.to_string()),
                message: note.message.clone(),
                ..Diagnostic::default()
            },
            fix: None,
            ignore: None,
        });
    }
    Analysis { findings }
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

/// 3 when the document starts with a byte order mark (the engine's offsets
/// do not count it).
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// A replacement as [`edit::apply`] writes it: in the file's line ending.
fn written(replacement: &str, line_ending: &str) -> String {
    let normalized = replacement.replace("\r\n", "\n");
    if line_ending == "\n" {
        normalized
    } else {
        normalized.replace('\n', line_ending)
    }
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

/// The texts of the engine's rounds, replayed from the document.
struct Rounds<'a> {
    /// `texts[r]` is the text round `r` read; the last one is the output.
    texts: Vec<String>,
    /// The edits each round applied.
    edits: Vec<Vec<&'a Edit>>,
    line_ending: &'a str,
}

impl<'a> Rounds<'a> {
    fn replay(outcome: &'a Outcome) -> Option<Rounds<'a>> {
        let line_ending = outcome.source.line_ending.as_str();
        let count = outcome
            .applied
            .iter()
            .map(|a| a.round + 1)
            .max()
            .unwrap_or(0);
        let mut texts = vec![outcome.source.text.clone()];
        let mut edits = Vec::with_capacity(count);
        for round in 0..count {
            let these: Vec<&Edit> = outcome
                .applied
                .iter()
                .filter(|a| a.round == round)
                .flat_map(|a| &a.change.edits)
                .collect();
            let next = edit::apply(texts.last()?, &these, line_ending);
            texts.push(next);
            edits.push(these);
        }
        (texts.last()? == &outcome.output).then_some(Rounds {
            texts,
            edits,
            line_ending,
        })
    }

    /// The index of the output text.
    fn last(&self) -> usize {
        self.texts.len() - 1
    }

    /// Maps `offset` in the text round `round` read back to the document:
    /// an offset in text an earlier round wrote maps to where that edit was.
    fn back(&self, offset: usize, round: usize) -> usize {
        let mut offset = offset;
        for edits in self.edits[..round.min(self.edits.len())].iter().rev() {
            let mut sorted = edits.clone();
            sorted.sort_by_key(|e| (e.range.start, e.range.end));
            let mut delta: isize = 0;
            let mut mapped = None;
            for e in sorted {
                let new_start = (e.range.start as isize + delta) as usize;
                let new_len = written(&e.replacement, self.line_ending).len();
                if offset < new_start {
                    break;
                }
                if offset < new_start + new_len {
                    mapped = Some(e.range.start);
                    break;
                }
                delta += new_len as isize - e.range.len() as isize;
            }
            offset = mapped.unwrap_or_else(|| (offset as isize - delta).max(0) as usize);
        }
        offset
    }
}

/// Edits that turn `old` (the document without its BOM) into `new`, one per
/// changed run of lines, as LSP edits on the document (`bom` bytes in).
fn diff_edits(old: &str, new: &str, bom: usize, index: &LineIndex) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut old_starts = Vec::with_capacity(old_lines.len() + 1);
    let mut at = 0;
    for line in &old_lines {
        old_starts.push(at);
        at += line.len();
    }
    old_starts.push(at);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let range = old_starts[old_range.start]..old_starts[old_range.end];
        let text: String = new_lines[new_range].concat();
        match edits.last_mut() {
            Some((last, t)) if last.end == range.start => {
                last.end = range.end;
                t.push_str(&text);
            }
            _ => edits.push((range, text)),
        }
    }
    edits
        .into_iter()
        .map(|(range, new_text)| TextEdit {
            range: index.range(range.start + bom..range.end + bom),
            new_text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies LSP edits (non-overlapping) to `text`.
    pub(crate) fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
        let index = LineIndex::new(text);
        let mut ranges: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    index.offset(e.range.start),
                    index.offset(e.range.end),
                    e.new_text.as_str(),
                )
            })
            .collect();
        ranges.sort();
        let mut out = String::new();
        let mut at = 0;
        for (start, end, new) in ranges {
            assert!(start >= at, "overlapping edits: {edits:?}");
            out.push_str(&text[at..start]);
            out.push_str(new);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }

    fn isolated() -> ClientOptions {
        ClientOptions {
            isolated: true,
            ..ClientOptions::default()
        }
    }

    const TWO_STAGES: &str = "FROM node:20 as build\nRUN npm ci && npm run build\n\nFROM node:20\nCOPY --from=0 /dist /app\nCMD [\"node\", \"/app/server.js\"]\n";

    fn changes(a: &Analysis) -> Vec<&Finding> {
        a.findings
            .iter()
            .filter(|f| f.kind == FindingKind::Change)
            .collect()
    }

    #[test]
    fn one_diagnostic_per_change_with_its_pass_as_code() {
        let a = analyze(TWO_STAGES, None, &isolated());
        let passes: Vec<&str> = changes(&a).iter().map(|f| f.pass).collect();
        assert!(passes.contains(&"name-stages"), "{passes:?}");
        assert!(passes.contains(&"slim-base"), "{passes:?}");
        for f in changes(&a) {
            assert_eq!(
                f.diagnostic.code,
                Some(NumberOrString::String(f.pass.to_string()))
            );
            assert_eq!(f.diagnostic.source.as_deref(), Some(SOURCE));
            assert_eq!(f.diagnostic.severity, Some(DiagnosticSeverity::INFORMATION));
        }
    }

    /// Applying every round-0 fix, and the later ones in order, gives the
    /// engine's output; each exact fix alone is the change's edits.
    #[test]
    fn fixes_reproduce_the_engine_on_lf_crlf_and_bom() {
        for text in [
            TWO_STAGES.to_string(),
            TWO_STAGES.replace('\n', "\r\n"),
            format!("\u{feff}{}", TWO_STAGES.replace('\n', "\r\n")),
            TWO_STAGES.replace("/dist", "/dïst/中文/🦀"),
        ] {
            let a = analyze(&text, None, &isolated());
            let whole = rewrite_all(&text, None, &isolated(), Safety::Review).unwrap();
            let expected = apply_edits(&text, &whole);
            let out = engine::rewrite(text.as_bytes(), &Settings::default(), None).unwrap();
            assert_eq!(
                expected.trim_start_matches('\u{feff}'),
                out.output,
                "rewrite_all gives the engine's output"
            );
            let exact: Vec<&Finding> = changes(&a)
                .into_iter()
                .filter(|f| f.fix.as_ref().is_some_and(|x| x.exact))
                .collect();
            assert!(!exact.is_empty());
            let all: Vec<TextEdit> = exact
                .iter()
                .flat_map(|f| f.fix.as_ref().unwrap().edits.clone())
                .collect();
            let after = apply_edits(&text, &all);
            // the round-0 changes together: a rewrite of that finds nothing more
            // from round 0 (the later rounds remain)
            assert_ne!(after, text);
            if text.contains("\r\n") {
                assert!(
                    !after.replace("\r\n", "").contains('\n'),
                    "LF in a CRLF file"
                );
            }
        }
    }

    #[test]
    fn diagnostics_sit_on_the_changed_bytes_in_utf16() {
        // non-ASCII before the change on its line: UTF-16 columns, not bytes
        let text = "\u{feff}FROM node:20 AS build\r\nRUN npm ci\r\nFROM node:20-slim\r\nCOPY --chown=é🦀 --from=0 /dist /app\r\nCMD [\"node\", \"/app/x.js\"]\r\n";
        let a = analyze(text, None, &isolated());
        let name = changes(&a)
            .into_iter()
            .find(|f| f.pass == "name-stages")
            .expect("the `--from=0` change");
        // `COPY --chown=` 13, é 1, 🦀 2 (a surrogate pair), ` --from=` 8
        assert_eq!(name.diagnostic.range.start.line, 3);
        assert_eq!(name.diagnostic.range.start.character, 24);
        assert_eq!(name.diagnostic.range.end.character, 25);
        let fix = name.fix.as_ref().unwrap();
        assert!(fix.exact);
        let after = apply_edits(text, &fix.edits);
        assert!(
            after.contains("COPY --chown=é🦀 --from=build /dist /app\r\n"),
            "{after:?}"
        );
        assert!(after.starts_with('\u{feff}'));
    }

    #[test]
    fn suggestions_are_hints_and_notes_information() {
        let options = ClientOptions {
            safety: Some(Safety::Safe),
            ..isolated()
        };
        let a = analyze(TWO_STAGES, None, &options);
        let suggestion = a
            .findings
            .iter()
            .find(|f| f.kind == FindingKind::Suggestion)
            .expect("slim-base is above the safe level");
        assert_eq!(
            suggestion.diagnostic.severity,
            Some(DiagnosticSeverity::HINT)
        );
        assert!(suggestion.diagnostic.message.contains("suggestion"));
        let text = "FROM alpine:3.20\nCMD [\"sh\"]\n";
        let a = analyze(text, None, &isolated());
        assert!(
            a.findings.iter().all(|f| f.kind == FindingKind::Note
                && f.diagnostic.severity == Some(DiagnosticSeverity::INFORMATION)),
            "{:?}",
            a.findings
        );
        let quiet = ClientOptions {
            show_notes: Some(false),
            ..isolated()
        };
        assert!(analyze(text, None, &quiet).findings.is_empty());
    }

    #[test]
    fn the_ignore_pragma_suppresses_the_change() {
        let a = analyze(TWO_STAGES, None, &isolated());
        let slim = changes(&a)
            .into_iter()
            .find(|f| f.pass == "slim-base")
            .expect("a slim-base change");
        let pragma = slim.ignore.as_ref().expect("an ignore edit");
        assert!(pragma.new_text.contains("# slimfile: ignore=slim-base"));
        assert!(pragma_works(
            TWO_STAGES,
            None,
            &isolated(),
            pragma,
            "slim-base",
            &slim.diagnostic.message
        ));
        let after = apply_edits(TWO_STAGES, std::slice::from_ref(pragma));
        let again = analyze(&after, None, &isolated());
        assert!(changes(&again).iter().all(|f| f.pass != "slim-base"));
        // a second pass on the same instruction extends the pragma
        let extended = after.replace("ignore=slim-base", "ignore=name-stages");
        let doc = syntax::parse(&extended).unwrap();
        let from = extended.rfind("FROM node:20").unwrap();
        let (at, insert) = pragma_edit(&extended, &doc, &[from + 5], "slim-base", "\n").unwrap();
        assert_eq!(insert, ",slim-base");
        assert_eq!(
            &extended[..at],
            &extended[..extended.find("name-stages").unwrap() + 11]
        );
    }

    #[test]
    fn a_syntax_error_is_one_error_diagnostic_at_its_place() {
        let text = "FROM a\nRUN é\nENV PATH\n";
        let a = analyze(text, None, &isolated());
        assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
        let d = &a.findings[0].diagnostic;
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(d.range.start.line, 2);
        assert!(rewrite_all(text, None, &isolated(), Safety::Safe).is_none());
        // not UTF-8 is refused by the engine; a BOM and a surrogate pair before
        // the error's column: UTF-16 there too
        let text = "\u{feff}FROM a\nCOPY --from=🦀 --chown=x --chown=y a b\n";
        let a = analyze(text, None, &isolated());
        let d = &a.findings[0].diagnostic;
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR), "{a:?}");
        assert_eq!(d.range.start.line, 1);
        let engine = engine::rewrite(text.as_bytes(), &Settings::default(), None).unwrap_err();
        let column = engine.position().unwrap().column as u32;
        // columns after the crab are one UTF-16 unit more than in characters
        let expected = if column > 13 { column } else { column - 1 };
        assert_eq!(d.range.start.character, expected, "{engine}");
    }

    #[test]
    fn later_round_positions_map_back_into_the_document() {
        // split-stages adds a runtime stage (round 0), slim-base slims it later
        let text = "FROM debian:bookworm AS build\nRUN ./configure --prefix=/usr/local && make -j\"$(nproc)\" && make install\nENTRYPOINT exec /usr/local/bin/app\n";
        let a = analyze(text, None, &isolated());
        let index = LineIndex::new(text);
        let end = index.position(text.len());
        assert!(
            a.findings
                .iter()
                .any(|f| f.fix.as_ref().is_some_and(|x| !x.exact)),
            "a later-round change: {:?}",
            a.findings
        );
        for f in &a.findings {
            let r = f.diagnostic.range;
            assert!(r.start <= r.end && r.end <= end, "{f:?}");
            if let Some(fix) = &f.fix {
                // every fix applies cleanly and parses
                let after = apply_edits(text, &fix.edits);
                assert!(syntax::parse(&after).is_ok(), "{after}");
            }
        }
    }

    #[test]
    fn diff_edits_turn_old_into_new() {
        let old = "a\nb\nc\nd\n";
        let new = "a\nB\nc\nd\ne\n";
        let index = LineIndex::new(old);
        let edits = diff_edits(old, new, 0, &index);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(apply_edits(old, &edits), new);
        assert!(diff_edits(old, old, 0, &index).is_empty());
    }
}

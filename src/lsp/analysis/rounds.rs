//! The engine's rounds replayed from the document ([`Rounds`]), so an offset in any round's
//! text maps back to the document, and the document → result difference as LSP edits.

use std::ops::Range;

use lsp_types::TextEdit;

use crate::edit::{self, Edit};
use crate::engine::Outcome;

use crate::lsp::text::LineIndex;

/// A replacement as [`edit::apply`] writes it: in the file's line ending.
pub(super) fn written(replacement: &str, line_ending: &str) -> String {
    let normalized = replacement.replace("\r\n", "\n");
    if line_ending == "\n" {
        normalized
    } else {
        normalized.replace('\n', line_ending)
    }
}

/// The texts of the engine's rounds, replayed from the document.
pub(super) struct Rounds<'a> {
    /// `texts[r]` is the text round `r` read; the last one is the output.
    pub(super) texts: Vec<String>,
    /// The edits each round applied.
    edits: Vec<Vec<&'a Edit>>,
    line_ending: &'a str,
}

impl<'a> Rounds<'a> {
    pub(super) fn replay(outcome: &'a Outcome) -> Option<Rounds<'a>> {
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
    pub(super) fn last(&self) -> usize {
        self.texts.len() - 1
    }

    /// Maps `offset` in the text round `round` read back to the document:
    /// an offset in text an earlier round wrote maps to where that edit was.
    pub(super) fn back(&self, offset: usize, round: usize) -> usize {
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
pub(super) fn diff_edits(old: &str, new: &str, bom: usize, index: &LineIndex) -> Vec<TextEdit> {
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

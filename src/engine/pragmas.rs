//! The pragmas a Dockerfile's comments carry: `# slimfile: ignore[=pass,...]` above an
//! instruction suppresses changes to it, `# slimfile: ignore-file` before the first skips the file.

use crate::edit::Change;
use crate::syntax::Document;

/// `# slimfile: ignore[=pass,...]` above an instruction, `# slimfile: ignore-file` before the first.
pub(super) struct Pragmas {
    pub(super) ignore_file: bool,
    /// (instruction index, passes; empty = all)
    pub(super) ignores: Vec<(usize, Vec<String>)>,
}

impl Pragmas {
    pub(super) fn read(doc: &Document) -> Pragmas {
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

    pub(super) fn suppresses(&self, doc: &Document, change: &Change) -> bool {
        self.ignores.iter().any(|(n, passes)| {
            let span = doc.instructions[*n].full_span();
            (passes.is_empty() || passes.iter().any(|p| change.pass == p.as_str()))
                && change
                    .edits
                    .iter()
                    .any(|e| e.range.start >= span.start && e.range.start <= span.end)
        })
    }
}

/// The text after `slimfile:` in a comment, if it is a pragma.
pub(super) fn pragma(comment: &str) -> Option<&str> {
    comment.strip_prefix("slimfile:").map(str::trim)
}

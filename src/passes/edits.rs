//! The text surgery passes share (like ruff's `fix/edits.rs`): every pass
//! that must add to a Dockerfile goes through these, so continuations,
//! escape characters, heredocs and line endings are handled once.

use crate::context::Context;
use crate::edit::Edit;
use crate::shell::{Script, ShellEnv};
use crate::syntax::Instruction;

/// Offset just after the line ending that follows `offset` (or the end of the text).
pub(crate) fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// Inserts `lines` (each a whole instruction, `\n`-separated) on the lines
/// right after `ins`. The engine writes the file's own line ending.
pub(crate) fn insert_after(cx: &Context, ins: &Instruction, lines: &str) -> Edit {
    let at = line_end(cx.text, ins.span.end);
    if at == cx.text.len() && !cx.text.ends_with('\n') {
        return Edit::insert(at, format!("\n{}", lines.trim_end_matches('\n')));
    }
    Edit::insert(at, format!("{}\n", lines.trim_end_matches('\n')))
}

/// Appends `command` to a RUN as `&& command` on a continuation line, when
/// the shell model says it is safe to (no trailing `&`, `|| true`, heredoc,
/// exec form or trailing escape); otherwise a new `RUN command` line after it.
pub(crate) fn append_to_run(cx: &Context, run: &Instruction, command: &str) -> Edit {
    let script = Script::of(cx.text, run, cx.doc.escape, &ShellEnv::default());
    match script.append_point() {
        Some(at) if !script.opaque_parts => {
            Edit::insert(at, format!(" {}\n    && {command}", cx.doc.escape))
        }
        _ => insert_after(cx, run, &format!("RUN {command}")),
    }
}

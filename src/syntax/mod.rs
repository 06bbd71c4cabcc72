//! The span-preserving front end: from text to instructions.
//!
//! dockerfile-parser 0.9 cannot read a good share of the Dockerfiles BuildKit
//! accepts (heredocs, `# escape=`, empty or comment lines inside
//! continuations, JSON-form COPY, BOM, …) and silently misreads valueless
//! flags. This module reads the file's lexical structure the way BuildKit's
//! own parser does (directives, physical lines, continuations, heredocs,
//! flags, words) and keeps, for every value it reads, the exact byte span it
//! came from. Each instruction is then handed, cleaned of what the crate
//! cannot read, to dockerfile-parser for its typed reading (see [`typed`]).
//!
//! Nothing here ever changes text: passes edit through spans.

mod instruction;
mod keyword;
pub mod typed;
mod validate;
pub mod words;

use std::ops::Range;

use instruction::read_instruction;
pub(crate) use instruction::{Parts, read_parts};
pub use keyword::Keyword;
pub use words::{Flag, Logical, Word};

/// A parser directive (`# syntax=`, `# escape=`, `# check=`) at the top of the file.
#[derive(Debug, Clone)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub span: Range<usize>,
}

/// A comment line (outside or inside an instruction's continuation lines).
#[derive(Debug, Clone)]
pub struct Comment {
    /// The whole line, leading whitespace and `#` included, line ending excluded.
    pub span: Range<usize>,
    /// Text after `#`, trimmed.
    pub text: String,
}

/// A heredoc attached to a RUN, COPY or ADD.
#[derive(Debug, Clone)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped.
    pub strip_tabs: bool,
    /// The delimiter was quoted: no expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` word in the instruction line.
    pub marker: Range<usize>,
    /// Body lines (line endings included), terminator excluded.
    pub body: Range<usize>,
}

/// An instruction's arguments after its flags.
#[derive(Debug, Clone)]
pub enum Args {
    /// JSON (exec) form: `["a", "b"]`.
    Exec(Vec<String>),
    /// Shell / whitespace form, split into words.
    Words(Vec<Word>),
}

/// One instruction with every piece of it located in the original text.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: Keyword,
    pub keyword_span: Range<usize>,
    /// Offset of the start of the instruction's first physical line.
    pub line_start: usize,
    /// From the keyword to the end of its last line (heredoc terminator
    /// included), line ending excluded.
    pub span: Range<usize>,
    /// The joined logical line, keyword included.
    pub logical: Logical,
    /// Logical offset where the arguments (flags included) start.
    pub args_start: usize,
    /// Logical offset where the arguments after the flags start.
    pub rest_start: usize,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Indices into [`Document::comments`] of the comment lines directly above.
    pub leading_comments: Range<usize>,
    /// 1-based line of the keyword.
    pub line: usize,
    /// True when the instruction's last physical line ends with the escape
    /// character (a continuation) and nothing but empty or comment lines
    /// follow it: the file ends inside the continuation. BuildKit reads such
    /// an instruction as ending there; a pass that appends after it must
    /// first end the continuation, or its text joins this instruction.
    ///
    /// ```
    /// let doc = slimfile::syntax::parse("FROM a\nRUN echo \\\n").unwrap();
    /// assert!(doc.instructions[1].continues_at_eof);
    /// let doc = slimfile::syntax::parse("FROM a\nRUN echo \\\n  hi\n").unwrap();
    /// assert!(!doc.instructions[1].continues_at_eof);
    /// ```
    pub continues_at_eof: bool,
}

impl Instruction {
    /// Arguments text (flags included) as one logical line.
    pub fn args_text(&self) -> &str {
        &self.logical.text[self.args_start..]
    }

    /// Arguments text after the flags.
    pub fn rest_text(&self) -> &str {
        &self.logical.text[self.rest_start..]
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn words(&self) -> &[Word] {
        match &self.args {
            Args::Words(w) => w,
            Args::Exec(_) => &[],
        }
    }

    /// The instruction's whole source text, from the start of its first line.
    pub fn full_span(&self) -> Range<usize> {
        self.line_start..self.span.end
    }
}

/// A file read into instructions, comments and directives.
#[derive(Debug, Clone)]
pub struct Document {
    pub directives: Vec<Directive>,
    /// The escape character: `\` or `` ` ``.
    pub escape: char,
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
}

/// A file BuildKit would refuse, with the offset of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

fn err(offset: usize, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        offset,
        message: message.into(),
    }
}

/// A physical line: `start..end` is its content, line ending excluded.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn physical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let nl = memchr_nl(&bytes[start..]).map(|i| start + i);
        let (mut end, next) = match nl {
            Some(i) => (i, i + 1),
            None => (bytes.len(), bytes.len()),
        };
        while end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        lines.push(Line { start, end });
        start = next;
    }
    lines
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

fn trim_start_offset(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// `# name = value` as BuildKit's directive regex reads it.
fn directive_of(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let value = rest[name_len..].trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.to_string()))
}

/// If the line content ends with the escape character (plus blanks), the
/// offset of that escape character.
///
/// BuildKit's continuation pattern is ``([^\\])\\[ \t]*$|^\\[ \t]*$`` (for the
/// escape `\`): an escape preceded by another escape (`echo \\`) does not
/// continue the line.
fn continuation_at(text: &str, line: Line, escape: char) -> Option<usize> {
    let content = &text[line.start..line.end];
    let trimmed = content.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    if before.ends_with(escape) {
        return None;
    }
    Some(line.start + before.len())
}

/// How many of `lines` may start an instruction: not empty, not a comment,
/// not inside a continuation.
fn possible_instruction_starts(text: &str, lines: &[Line], escape: char) -> usize {
    let mut count = 0;
    let mut continued = false;
    for &line in lines {
        let content = text[line.start..line.end].trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if !continued {
            count += 1;
        }
        continued = continuation_at(text, line, escape).is_some();
    }
    count
}

/// The longest physical line BuildKit's line scanner reads (Go's
/// `bufio.MaxScanTokenSize`, line break included); a longer line is an error.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// BuildKit's scanner refuses a line longer than [`MAX_LINE_BYTES`] (its
/// `\n` included).
fn check_line_lengths(text: &str, lines: &[Line]) -> Result<(), SyntaxError> {
    for (n, line) in lines.iter().enumerate() {
        // the scanner's token is the line with its `\n`; a last line without
        // one must leave room in the buffer to see the end of the file
        let token = match lines.get(n + 1) {
            Some(next) => next.start - line.start,
            None if text.ends_with('\n') => text.len() - line.start,
            None => text.len() - line.start + 1,
        };
        if token > MAX_LINE_BYTES {
            return Err(err(
                line.start,
                format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE_BYTES - 1
                ),
            ));
        }
    }
    Ok(())
}

/// The parser directives at the top of the file, and the index of the first
/// line after them.
fn read_directives(text: &str, lines: &[Line]) -> Result<(Vec<Directive>, usize), SyntaxError> {
    let mut directives: Vec<Directive> = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let content = &text[line.start..line.end];
        let Some((name, value)) = directive_of(content) else {
            break;
        };
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            break;
        }
        if directives.iter().any(|d| d.name == name) {
            return Err(err(
                line.start,
                format!("only one {name} parser directive can be used"),
            ));
        }
        directives.push(Directive {
            name,
            value,
            span: line.start..line.end,
        });
        i += 1;
    }
    Ok((directives, i))
}

/// The escape character the directives set (`\` by default).
fn escape_of(directives: &[Directive]) -> Result<char, SyntaxError> {
    let escape = match directives.iter().find(|d| d.name == "escape") {
        None => '\\',
        Some(d) => match d.value.as_str() {
            "\\" => '\\',
            "`" => '`',
            other => {
                return Err(err(
                    d.span.start,
                    format!("invalid escape token '{other}': must be ` or \\"),
                ));
            }
        },
    };
    Ok(escape)
}

/// Reads `text` (BOM already removed) into a [`Document`].
///
/// ```
/// let doc = slimfile::syntax::parse("FROM golang:1.22 AS build\nRUN <<EOF\ngo build\nEOF\n").unwrap();
/// assert_eq!(doc.instructions.len(), 2);
/// assert_eq!(doc.instructions[1].heredocs[0].delimiter, "EOF");
/// ```
pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let lines = physical_lines(text);
    check_line_lengths(text, &lines)?;
    let (directives, mut i) = read_directives(text, &lines)?;
    let escape = escape_of(&directives)?;

    let mut comments: Vec<Comment> = Vec::new();
    // room for every line that may start an instruction, up front: less at
    // the peak than doubling a large Vec (heredoc bodies overcount a little)
    let mut instructions: Vec<Instruction> =
        Vec::with_capacity(possible_instruction_starts(text, &lines[i..], escape));
    let mut pending_comments_from = 0;
    while i < lines.len() {
        let line = lines[i];
        let content = &text[line.start..line.end];
        let lead = trim_start_offset(content);
        let trimmed = &content[lead..];
        if trimmed.starts_with('#') {
            comments.push(Comment {
                span: line.start..line.end,
                text: trimmed.trim_start_matches('#').trim().to_string(),
            });
            i += 1;
            continue;
        }
        if trimmed.is_empty() {
            pending_comments_from = comments.len();
            i += 1;
            continue;
        }
        let leading_comments = pending_comments_from..comments.len();
        let (instruction, next_line) =
            read_instruction(text, &lines, i, escape, &mut comments, leading_comments)?;
        if instructions.is_empty() && !matches!(instruction.keyword, Keyword::From | Keyword::Arg) {
            return Err(err(
                instruction.keyword_span.start,
                format!(
                    "{} before the first FROM: only ARG may come before FROM",
                    instruction.keyword.as_str()
                ),
            ));
        }
        instructions.push(instruction);
        pending_comments_from = comments.len();
        i = next_line;
    }
    if instructions.is_empty() {
        return Err(err(
            text.len(),
            "no instructions: a Dockerfile needs at least a FROM",
        ));
    }
    if !instructions.iter().any(|i| i.keyword == Keyword::From) {
        // BuildKit's dockerfile2llb: "dockerfile contains no stages to build"
        return Err(err(
            instructions[0].keyword_span.start,
            "no FROM: a Dockerfile of only ARG instructions has no stage to build",
        ));
    }
    instructions.shrink_to_fit();
    Ok(Document {
        directives,
        escape,
        comments,
        instructions,
    })
}

#[cfg(test)]
mod tests;

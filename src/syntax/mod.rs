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

mod keyword;
pub mod typed;
mod validate;
pub mod words;

use std::ops::Range;

pub use keyword::Keyword;
use words::Separator;
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
    let mut lines = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
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
    b.iter().position(|&c| c == b'\n')
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

/// Reads `text` (BOM already removed) into a [`Document`].
///
/// ```
/// let doc = slimfile::syntax::parse("FROM golang:1.22 AS build\nRUN <<EOF\ngo build\nEOF\n").unwrap();
/// assert_eq!(doc.instructions.len(), 2);
/// assert_eq!(doc.instructions[1].heredocs[0].delimiter, "EOF");
/// ```
pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let lines = physical_lines(text);
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

fn read_instruction(
    text: &str,
    lines: &[Line],
    first: usize,
    escape: char,
    comments: &mut Vec<Comment>,
    leading_comments: Range<usize>,
) -> Result<(Instruction, usize), SyntaxError> {
    let line = lines[first];
    let content_start = line.start + trim_start_offset(&text[line.start..line.end]);
    let mut logical = Logical::default();
    let mut i = first;
    let mut piece_start = content_start;
    let mut last_end;
    let mut continues_at_eof = false;
    loop {
        let l = lines[i];
        last_end = l.end;
        i += 1;
        match continuation_at(text, l, escape) {
            None => {
                logical.push(text, piece_start..l.end);
                break;
            }
            Some(esc) => {
                logical.push(text, piece_start..esc);
                // skip comment and empty lines inside the continuation
                while let Some(next) = lines.get(i) {
                    let c = &text[next.start..next.end];
                    let t = c.trim_start();
                    if t.starts_with('#') {
                        comments.push(Comment {
                            span: next.start..next.end,
                            text: t.trim_start_matches('#').trim().to_string(),
                        });
                        i += 1;
                    } else if t.is_empty() {
                        i += 1;
                    } else {
                        break;
                    }
                }
                match lines.get(i) {
                    Some(next) => piece_start = next.start,
                    None => {
                        // continuation at end of file: the instruction ends
                        continues_at_eof = true;
                        break;
                    }
                }
            }
        }
    }

    logical.shrink_to_fit();
    let ltext = &logical.text;
    // BuildKit trims the joined line of Unicode spaces, then cuts the keyword
    // at the first `[\t\v\f\r ]`: `FROM\u{a0}node` is one (unknown) word.
    let line_end = ltext.trim_end().len();
    let kw_len = ltext[..line_end]
        .find(|c| Separator::Ascii.is_separator(c))
        .unwrap_or(line_end);
    let kw_word = &ltext[..kw_len];
    let keyword_span = logical.original_range(0..kw_len);
    let Some(keyword) = Keyword::parse(kw_word) else {
        return Err(err(
            keyword_span.start,
            format!("unknown instruction: {kw_word}"),
        ));
    };
    let args_start = kw_len + trim_start_offset(&ltext[kw_len..]);
    let parts = read_parts(&logical, args_start, keyword, escape);
    let rest_start = parts.rest_start;
    let rest = &ltext[rest_start..];
    let json_capable = !matches!(
        keyword,
        Keyword::From | Keyword::Arg | Keyword::Env | Keyword::Label
    );
    let args = match json_capable
        .then(|| words::parse_json_array(rest))
        .flatten()
    {
        Some(elements) => Args::Exec(elements),
        None => Args::Words(Vec::new()),
    };
    validate::instruction(keyword, &logical, &parts, escape, false)?;
    let Parts {
        words: mut all_words,
        flags,
        used,
        ..
    } = parts;
    let args = match args {
        Args::Words(_) => {
            // the words after the flags, moved (not copied) out of all the words
            all_words.drain(..used);
            all_words.shrink_to_fit();
            Args::Words(all_words)
        }
        exec => exec,
    };

    // the words that may hold heredoc markers: RUN, COPY and ADD in shell
    // form, and the same as an ONBUILD trigger
    let heredoc_words: &[Word] = match (&args, keyword) {
        (Args::Words(ws), k) if k.can_contain_heredoc() => ws,
        (Args::Words(ws), Keyword::Onbuild) => match ws.first() {
            Some(trigger)
                if Keyword::parse(&trigger.value).is_some_and(Keyword::can_contain_heredoc) =>
            {
                let sub = read_parts(&logical, trigger.logical.end, Keyword::Run, escape);
                let sub_rest = &logical.text[sub.rest_start..];
                if words::parse_json_array(sub_rest).is_some() {
                    &[]
                } else {
                    &ws[1..]
                }
            }
            _ => &[],
        },
        _ => &[],
    };
    let mut heredocs = Vec::new();
    for w in heredoc_words {
        let Some((strip_tabs, delimiter, quoted)) =
            heredoc_marker(&logical.text[w.logical.clone()], &w.value)
        else {
            continue;
        };
        if unbalanced_quotes(&logical.text[w.logical.clone()]) {
            return Err(err(
                w.span.start,
                format!(
                    "unterminated quote in the heredoc delimiter `{}`",
                    &logical.text[w.logical.clone()]
                ),
            ));
        }
        let body_start = lines.get(i).map_or(text.len(), |l| l.start);
        let mut terminated = false;
        while let Some(l) = lines.get(i) {
            i += 1;
            let mut candidate = &text[l.start..l.end];
            if strip_tabs {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == delimiter {
                heredocs.push(Heredoc {
                    delimiter: delimiter.clone(),
                    strip_tabs,
                    quoted,
                    marker: w.span.clone(),
                    body: body_start..l.start,
                });
                last_end = l.end;
                terminated = true;
                break;
            }
        }
        if !terminated {
            return Err(err(
                w.span.start,
                format!("unterminated heredoc: no line `{delimiter}` closes it"),
            ));
        }
    }

    let instruction = Instruction {
        keyword,
        keyword_span: keyword_span.clone(),
        line_start: line.start,
        span: keyword_span.start..last_end,
        // physical lines split at every `\n`: the index is the line number - 1
        line: first + 1,
        logical,
        args_start,
        rest_start,
        flags,
        args,
        heredocs,
        leading_comments,
        continues_at_eof,
    };
    Ok((instruction, i))
}

/// An instruction's arguments read into words, with its leading flags taken.
pub(crate) struct Parts {
    /// Every word after the keyword, flags included.
    pub(crate) words: Vec<Word>,
    pub(crate) flags: Vec<Flag>,
    /// How many of `words` the flags (and a closing `--`) used.
    pub(crate) used: usize,
    /// Logical offset where the arguments after the flags start.
    pub(crate) rest_start: usize,
}

/// Reads `logical[from..]` as the arguments of `keyword`: BuildKit takes
/// leading `--flags` from every instruction (an instruction that has no such
/// flag then refuses it), and splits words per [`Separator`] rules.
pub(crate) fn read_parts(logical: &Logical, from: usize, keyword: Keyword, escape: char) -> Parts {
    let from = from + trim_start_offset(&logical.text[from..]);
    let separator = match keyword {
        Keyword::Env | Keyword::Label | Keyword::Arg => Separator::Unicode,
        _ => Separator::Ascii,
    };
    let words = words::split_words_by(logical, from, escape, separator);
    let (flags, used) = words::take_flags(logical, &words);
    let rest_start = words
        .get(used)
        .map_or(logical.text.len(), |w| w.logical.start);
    Parts {
        words,
        flags,
        used,
        rest_start,
    }
}

/// True when a quote opened in `raw` is not closed (BuildKit's shell lexer
/// refuses such a heredoc delimiter).
fn unbalanced_quotes(raw: &str) -> bool {
    let mut quote: Option<char> = None;
    for c in raw.chars() {
        match quote {
            None if c == '"' || c == '\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    quote.is_some()
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`: (strip tabs, delimiter, quoted).
fn heredoc_marker(raw: &str, value: &str) -> Option<(bool, String, bool)> {
    let digits = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let after = raw[digits..].strip_prefix("<<")?;
    let (strip_tabs, name_raw) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if name_raw.is_empty() || name_raw.contains('<') {
        return None;
    }
    let quoted = name_raw.contains(['"', '\'']);
    let vdigits = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let name = value[vdigits..].strip_prefix("<<")?;
    let name = if strip_tabs {
        name.strip_prefix('-')?
    } else {
        name
    };
    if name.is_empty() {
        return None;
    }
    Some((strip_tabs, name.to_string(), quoted))
}

#[cfg(test)]
mod tests;

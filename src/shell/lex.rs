//! The tokenizer: words with their pieces, operators, redirections.
//!
//! Works on bytes (every byte with a meaning to the shell is ASCII, so slicing
//! at them keeps UTF-8 intact), allocates only for word values, and never
//! fails: what it cannot read it marks `broken` and goes on.

use std::ops::Range;

/// A piece of a word's value after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    /// Literal text.
    Lit(String),
    /// `$NAME` or `${NAME}` inside double quotes (or `~`), resolvable from
    /// known variables: its value stays within the word.
    Var(String),
    /// `$NAME` or `${NAME}` outside quotes: its value is split into fields
    /// at blanks, as the shell does (`$PKGS` with `a b` is two words).
    UnquotedVar(String),
    /// Any other expansion: `$(…)`, backticks, `$1`, `${X:-y}`, `$((…))`.
    Dynamic,
}

/// A word as read from the script, before variables are resolved.
#[derive(Debug, Clone)]
pub(super) struct RawWord {
    /// Byte range in the script text.
    pub range: Range<usize>,
    pub pieces: Vec<Piece>,
    /// Quotes or escapes appeared in the word.
    pub quoted: bool,
    /// Unquoted `*`, `?`, `[` or a `{a,b}` brace: the word is a pattern.
    pub glob: bool,
    /// Ends with an escape character that escapes nothing (end of text).
    pub dangling_escape: bool,
}

#[cfg(test)]
impl RawWord {
    /// The literal value, when the word has no expansion.
    pub(super) fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(l) => s.push_str(l),
                _ => return None,
            }
        }
        Some(s)
    }
}

/// A control operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    AndThen,
    OrElse,
    Seq,
    DoubleSemi,
    Pipe,
    Background,
    LParen,
    RParen,
}

/// A token of the script.
#[derive(Debug, Clone)]
pub(super) enum Tok {
    Word(RawWord),
    Op(Op, Range<usize>),
    /// A redirection with its operator text (`>`, `>>`, `<<`, `2>&`…), the
    /// file descriptor before it and its target word (the delimiter for `<<`).
    Redirect {
        op: &'static str,
        fd: Option<u32>,
        range: Range<usize>,
        target: Option<RawWord>,
    },
    Newline,
    Eof,
}

/// A heredoc started by `<<` inside the script, waiting for its body.
#[derive(Debug, Clone)]
struct PendingHeredoc {
    delimiter: String,
    strip_tabs: bool,
}

pub(super) struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    pending: Vec<PendingHeredoc>,
    /// Something could not be read (unterminated quote, substitution or heredoc).
    pub broken: bool,
    /// Number of `<<`/`<<-` heredoc redirections read so far.
    pub heredocs_seen: usize,
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

fn is_meta(c: u8) -> bool {
    matches!(c, b'|' | b'&' | b';' | b'<' | b'>' | b'(' | b')' | b'\n') || is_blank(c)
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// True when `s` is a valid shell variable name.
pub(super) fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

fn push_lit(pieces: &mut Vec<Piece>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Lit(l)) = pieces.last_mut() {
        l.push_str(s);
    } else {
        pieces.push(Piece::Lit(s.to_string()));
    }
}

fn push_dynamic(pieces: &mut Vec<Piece>) {
    if pieces.last() != Some(&Piece::Dynamic) {
        pieces.push(Piece::Dynamic);
    }
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Lexer {
            src,
            b: src.as_bytes(),
            pos: 0,
            pending: Vec::new(),
            broken: false,
            heredocs_seen: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn skip_blanks_and_comments(&mut self) {
        loop {
            while self.peek().is_some_and(is_blank) {
                self.pos += 1;
            }
            match self.peek() {
                // a continuation the shell removes (heredoc bodies keep them)
                Some(b'\\') if self.at(self.pos + 1) == Some(b'\n') => self.pos += 2,
                Some(b'\\')
                    if self.at(self.pos + 1) == Some(b'\r')
                        && self.at(self.pos + 2) == Some(b'\n') =>
                {
                    self.pos += 3
                }
                Some(b'#') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token.
    pub(super) fn next_tok(&mut self) -> Tok {
        self.skip_blanks_and_comments();
        let start = self.pos;
        let Some(c) = self.peek() else {
            if !self.pending.is_empty() {
                // `<<EOF` with no body in this text: the body lives elsewhere
                // (a Dockerfile heredoc) or is missing; the caller decides.
                self.pending.clear();
            }
            return Tok::Eof;
        };
        let two = |l: &Self| l.at(l.pos + 1);
        match c {
            b'\n' => {
                self.pos += 1;
                self.read_heredoc_bodies();
                Tok::Newline
            }
            b'&' if two(self) == Some(b'&') => self.op(Op::AndThen, 2),
            b'&' if two(self) == Some(b'>') => self.redirect(None, start),
            b'&' => self.op(Op::Background, 1),
            b'|' if two(self) == Some(b'|') => self.op(Op::OrElse, 2),
            b'|' if two(self) == Some(b'&') => self.op(Op::Pipe, 2),
            b'|' => self.op(Op::Pipe, 1),
            b';' if two(self) == Some(b';') => self.op(Op::DoubleSemi, 2),
            b';' => self.op(Op::Seq, 1),
            b'(' => self.op(Op::LParen, 1),
            b')' => self.op(Op::RParen, 1),
            b'<' | b'>' => self.redirect(None, start),
            b'0'..=b'9' => {
                let mut i = self.pos;
                while self.at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
                if matches!(self.at(i), Some(b'<' | b'>')) {
                    let fd = self.src[self.pos..i].parse().ok();
                    self.pos = i;
                    self.redirect(fd, start)
                } else {
                    Tok::Word(self.word())
                }
            }
            _ => Tok::Word(self.word()),
        }
    }

    fn op(&mut self, op: Op, len: usize) -> Tok {
        let start = self.pos;
        self.pos += len;
        Tok::Op(op, start..self.pos)
    }

    fn redirect(&mut self, fd: Option<u32>, start: usize) -> Tok {
        let rest = &self.b[self.pos..];
        const OPS: [&str; 12] = [
            "&>>", "<<<", "<<-", "<<", ">>", ">&", "<&", ">|", "<>", "&>", ">", "<",
        ];
        let op = OPS
            .iter()
            .copied()
            .find(|o| rest.starts_with(o.as_bytes()))
            .unwrap_or(">");
        self.pos += op.len();
        let range = start..self.pos;
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
        let target = match self.peek() {
            Some(c) if !is_meta(c) => Some(self.word()),
            _ => {
                self.broken = true;
                None
            }
        };
        if matches!(op, "<<" | "<<-") {
            self.heredocs_seen += 1;
            if let Some(t) = &target {
                let delimiter = self.src[t.range.clone()]
                    .chars()
                    .filter(|c| !matches!(c, '"' | '\'' | '\\'))
                    .collect();
                self.pending.push(PendingHeredoc {
                    delimiter,
                    strip_tabs: op == "<<-",
                });
            }
        }
        Tok::Redirect {
            op,
            fd,
            range,
            target,
        }
    }

    /// After a newline: skips the bodies of the heredocs started on the line.
    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for h in pending {
            let mut found = false;
            while self.pos < self.b.len() {
                let line_end = self.b[self.pos..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.b.len(), |i| self.pos + i);
                let mut line = &self.src[self.pos..line_end];
                line = line.strip_suffix('\r').unwrap_or(line);
                if h.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                self.pos = (line_end + 1).min(self.b.len());
                if line == h.delimiter {
                    found = true;
                    break;
                }
            }
            if !found {
                self.broken = true;
            }
        }
    }

    /// Reads one word starting at `self.pos` (which is not blank or an operator).
    fn word(&mut self) -> RawWord {
        let start = self.pos;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut quoted = false;
        let mut glob = false;
        let mut dangling_escape = false;
        let mut brace_open = false;
        // tilde expansion at the start of the word
        if self.peek() == Some(b'~')
            && self
                .at(self.pos + 1)
                .is_none_or(|c| c == b'/' || is_meta(c))
        {
            pieces.push(Piece::Var("HOME".to_string()));
            self.pos += 1;
        }
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                b'\\' => {
                    quoted = true;
                    match self.at(self.pos + 1) {
                        None => {
                            dangling_escape = true;
                            push_lit(&mut pieces, "\\");
                            self.pos += 1;
                        }
                        Some(b'\n') => self.pos += 2,
                        Some(b'\r') if self.at(self.pos + 2) == Some(b'\n') => self.pos += 3,
                        Some(_) => {
                            let ch_len = self.char_len(self.pos + 1);
                            let s = &self.src[self.pos + 1..self.pos + 1 + ch_len];
                            push_lit(&mut pieces, s);
                            self.pos += 1 + ch_len;
                        }
                    }
                }
                b'\'' => {
                    quoted = true;
                    self.single_quoted(&mut pieces);
                }
                b'"' => {
                    quoted = true;
                    self.pos += 1;
                    self.double_quoted(&mut pieces);
                }
                b'$' => self.dollar(&mut pieces, &mut quoted, false),
                b'`' => {
                    self.pos = self.skip_backticks(self.pos);
                    push_dynamic(&mut pieces);
                }
                _ => self.plain_run(&mut pieces, &mut glob, &mut brace_open),
            }
        }
        RawWord {
            range: start..self.pos,
            pieces,
            quoted,
            glob,
            dangling_escape,
        }
    }

    /// Unquoted characters with no meaning to the shell, up to the next one
    /// that has; notes glob and brace characters.
    fn plain_run(&mut self, pieces: &mut Vec<Piece>, glob: &mut bool, brace_open: &mut bool) {
        let mut i = self.pos;
        while let Some(c) = self.at(i) {
            if is_meta(c) || matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'`') {
                break;
            }
            match c {
                b'*' | b'?' | b'[' => *glob = true,
                b'{' => *brace_open = true,
                b'}' if *brace_open => *glob = true,
                _ => {}
            }
            i += 1;
        }
        push_lit(pieces, &self.src[self.pos..i]);
        self.pos = i;
    }

    /// At `'`: the literal text up to the closing quote.
    fn single_quoted(&mut self, pieces: &mut Vec<Piece>) {
        let body_start = self.pos + 1;
        match self.b[body_start..].iter().position(|&c| c == b'\'') {
            Some(i) => {
                push_lit(pieces, &self.src[body_start..body_start + i]);
                self.pos = body_start + i + 1;
            }
            None => {
                self.broken = true;
                push_lit(pieces, &self.src[body_start..]);
                self.pos = self.b.len();
            }
        }
    }

    fn char_len(&self, i: usize) -> usize {
        self.src[i..].chars().next().map_or(1, char::len_utf8)
    }

    /// Inside `"…"` (opening quote consumed): up to and past the closing quote.
    fn double_quoted(&mut self, pieces: &mut Vec<Piece>) {
        let mut lit_start = self.pos;
        loop {
            let Some(c) = self.peek() else {
                push_lit(pieces, &self.src[lit_start..]);
                self.broken = true;
                return;
            };
            match c {
                b'"' => {
                    push_lit(pieces, &self.src[lit_start..self.pos]);
                    self.pos += 1;
                    return;
                }
                b'\\' => {
                    push_lit(pieces, &self.src[lit_start..self.pos]);
                    match self.at(self.pos + 1) {
                        Some(b'$' | b'`' | b'"' | b'\\') => {
                            push_lit(pieces, &self.src[self.pos + 1..self.pos + 2]);
                            self.pos += 2;
                        }
                        Some(b'\n') => self.pos += 2,
                        _ => {
                            push_lit(pieces, "\\");
                            self.pos += 1;
                        }
                    }
                    lit_start = self.pos;
                }
                b'$' => {
                    push_lit(pieces, &self.src[lit_start..self.pos]);
                    let mut q = true;
                    self.dollar(pieces, &mut q, true);
                    lit_start = self.pos;
                }
                b'`' => {
                    push_lit(pieces, &self.src[lit_start..self.pos]);
                    self.pos = self.skip_backticks(self.pos);
                    push_dynamic(pieces);
                    lit_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// At `$`: a variable, a substitution, or a literal dollar;
    /// `in_double_quotes`: inside `"…"`, where a variable's value is not split.
    fn dollar(&mut self, pieces: &mut Vec<Piece>, quoted: &mut bool, in_double_quotes: bool) {
        let var = |name: &str| {
            if in_double_quotes {
                Piece::Var(name.to_string())
            } else {
                Piece::UnquotedVar(name.to_string())
            }
        };
        let next = self.at(self.pos + 1);
        match next {
            Some(b'{') => {
                let body_start = self.pos + 2;
                let end = self.skip_balanced(body_start, b'{', b'}');
                let closed = end > body_start && self.b[end - 1] == b'}';
                let body = if closed {
                    &self.src[body_start..end - 1]
                } else {
                    ""
                };
                if is_name(body) {
                    pieces.push(var(body));
                } else {
                    push_dynamic(pieces);
                }
                self.pos = end;
            }
            Some(b'(') => {
                self.pos = self.skip_balanced(self.pos + 2, b'(', b')');
                push_dynamic(pieces);
            }
            Some(b'\'') => {
                // $'…' (bash ANSI-C quoting): a value we do not decode
                *quoted = true;
                let mut i = self.pos + 2;
                while let Some(c) = self.at(i) {
                    match c {
                        b'\\' => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                if i >= self.b.len() {
                    self.broken = true;
                }
                self.pos = (i + 1).min(self.b.len());
                push_dynamic(pieces);
            }
            Some(c) if is_name_start(c) => {
                let mut i = self.pos + 1;
                while self.at(i).is_some_and(is_name_char) {
                    i += 1;
                }
                pieces.push(var(&self.src[self.pos + 1..i]));
                self.pos = i;
            }
            Some(c) if c.is_ascii_digit() || b"?$!#@*-".contains(&c) => {
                self.pos += 2;
                push_dynamic(pieces);
            }
            _ => {
                push_lit(pieces, "$");
                self.pos += 1;
            }
        }
    }

    /// From just inside an opening bracket, the offset just past its match
    /// (quotes, escapes and nested substitutions skipped).
    fn skip_balanced(&mut self, from: usize, open: u8, close: u8) -> usize {
        let mut depth = 1usize;
        let mut i = from;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 2,
                b'\'' if open == b'(' => {
                    i = match self.b[i + 1..].iter().position(|&c| c == b'\'') {
                        Some(j) => i + 1 + j + 1,
                        None => self.b.len(),
                    };
                }
                b'"' => i = self.skip_double_quotes(i + 1),
                b'`' => i = self.skip_backticks(i),
                c if c == open => {
                    depth += 1;
                    i += 1;
                }
                c if c == close => {
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => i += 1,
            }
        }
        self.broken = true;
        self.b.len()
    }

    fn skip_double_quotes(&mut self, from: usize) -> usize {
        let mut i = from;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 2,
                b'"' => return i + 1,
                b'$' if self.at(i + 1) == Some(b'(') => i = self.skip_balanced(i + 2, b'(', b')'),
                b'$' if self.at(i + 1) == Some(b'{') => i = self.skip_balanced(i + 2, b'{', b'}'),
                b'`' => i = self.skip_backticks(i),
                _ => i += 1,
            }
        }
        self.broken = true;
        self.b.len()
    }

    /// At an opening backtick: the offset just past the closing one.
    fn skip_backticks(&mut self, at: usize) -> usize {
        let mut i = at + 1;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 2,
                b'`' => return i + 1,
                _ => i += 1,
            }
        }
        self.broken = true;
        self.b.len()
    }
}

#[cfg(test)]
mod tests;

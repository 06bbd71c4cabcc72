//! From tokens to commands, tracking the folder and the variables as the
//! shell would: in one pass, with a frame per open construct.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use super::lex::{Lexer, Op, Piece, RawWord, Tok};
use super::memo;
use super::word::{assignment_name_len, assignment_of, fields_of, word_of};
use super::{
    Command, Connector, Origin, Redirect, Script, ShellEnv, ShellWord, Vars, is_posix_shell,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    /// `( … )`: a copy of the shell.
    Subshell,
    /// `{ …; }`
    Group,
    /// `if`/`while`/`until`/`for` … `fi`/`done`.
    Compound,
    /// `case … in … esac`.
    Case,
}

impl FrameKind {
    /// Commands inside may not run, or run several times.
    fn is_conditional(self) -> bool {
        matches!(self, FrameKind::Compound | FrameKind::Case)
    }
}

/// The shell's state that commands change.
#[derive(Debug, Clone)]
pub(super) struct State {
    pub(super) cwd: Option<String>,
    pub(super) oldpwd: Option<String>,
    pub(super) dir_stack: Vec<Option<String>>,
    pub(super) env: Vars,
}

struct Frame {
    kind: FrameKind,
    /// The state when the frame opened.
    at_open: State,
    /// Opened right after `||`: it may not run.
    after_or: bool,
}

impl Frame {
    fn is_conditional(&self) -> bool {
        self.after_or || self.kind.is_conditional()
    }
}

/// What the parser is skipping over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    No,
    /// `for NAME in words` up to the `;` or newline before `do`.
    ForHeader,
    /// `case WORD` up to `in`.
    CaseHeader,
    /// A `case` arm's patterns, up to `)`.
    CasePattern,
    /// A function body (bracket depth; `opened` once the body started).
    Function {
        depth: usize,
        opened: bool,
    },
}

/// A command being read. Its words are read into [`ShellWord`]s as they
/// come (the variables they see are the state's, which only a finished
/// command changes), so a long command holds one copy of its words, not two.
#[derive(Default)]
struct Pending {
    words: Vec<ShellWord>,
    assignments: Vec<RawWord>,
    redirects: Vec<(&'static str, Option<u32>, Option<RawWord>)>,
    span: Option<Range<usize>>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.assignments.is_empty() && self.redirects.is_empty()
    }

    fn cover(&mut self, r: &Range<usize>) {
        self.span = Some(match self.span.take() {
            Some(s) => s.start..r.end.max(s.end),
            None => r.clone(),
        });
    }
}

/// A `cd` followed by `||`: its effect holds after the `||` branch only if that branch exits.
struct Guard {
    before: State,
    after: State,
}

/// Where the parser takes its tokens from: the lexer as it reads, or the
/// memo's list of them. The tokens are a function of the text alone, while a
/// reading also depends on the environment (the same RUN is read with a
/// stage's variables, with its WORKDIR, with neither, and again in each
/// round), so a text is lexed once per file however often it is read.
enum Tokens<'a> {
    Stream(Lexer<'a>),
    Kept(Rc<Lexed>, usize),
}

/// A text's tokens, up to and including `Eof`.
pub(super) struct Lexed {
    tokens: Vec<Tok>,
    broken: bool,
}

impl<'a> Tokens<'a> {
    fn of(src: &'a str) -> Tokens<'a> {
        if src.len() > memo::MAX_TEXT || !memo::on() {
            // a long text is read as it is lexed: its tokens are never all held
            return Tokens::Stream(Lexer::new(src));
        }
        let lexed = memo::tokens(src, || {
            let mut lex = Lexer::new(src);
            let mut tokens = Vec::new();
            loop {
                let tok = lex.next_tok();
                let end = matches!(tok, Tok::Eof);
                tokens.push(tok);
                if end {
                    break;
                }
            }
            Lexed {
                tokens,
                broken: lex.broken,
            }
        });
        Tokens::Kept(lexed, 0)
    }

    fn next(&mut self) -> Cow<'_, Tok> {
        match self {
            Tokens::Stream(lex) => Cow::Owned(lex.next_tok()),
            Tokens::Kept(lexed, i) => {
                // the list ends with `Eof`, where reading stops
                let tok = &lexed.tokens[*i];
                *i += 1;
                Cow::Borrowed(tok)
            }
        }
    }

    fn broken(&self) -> bool {
        match self {
            Tokens::Stream(lex) => lex.broken,
            Tokens::Kept(lexed, _) => lexed.broken,
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    origin: Origin<'a>,
    state: State,
    frames: Vec<Frame>,
    commands: Vec<Command>,
    opaque: Option<&'static str>,
    in_shell_subshell: bool,
    /// Connector of the previous command in the current list (None at a list start).
    prev: Option<Connector>,
    /// The last command was closed by `)`, `fi`, `done` or `}`: the next
    /// operator is its connector.
    connector_open: bool,
    guard: Option<Guard>,
    skip: Skip,
    /// Script range of the last significant token (for the append point).
    last_token: Option<Range<usize>>,
    /// The top-level list being read contains `||`.
    list_has_or: bool,
    trailing_background: bool,
    /// The last token was `&&`, `||` or `|`: a newline continues the list.
    after_operator: bool,
    dangling_escape: bool,
}

/// Reads `src` into a [`Script`]; `subshell` marks every command as run by a child shell.
pub(super) fn parse(src: &str, origin: Origin<'_>, env: &ShellEnv, subshell: bool) -> Script {
    let mut p = Parser {
        src,
        origin,
        state: State {
            cwd: env.workdir.clone(),
            oldpwd: None,
            dir_stack: Vec::new(),
            env: Arc::new(env.vars.clone()),
        },
        frames: Vec::new(),
        commands: Vec::new(),
        opaque: None,
        in_shell_subshell: subshell,
        prev: None,
        connector_open: false,
        guard: None,
        skip: Skip::No,
        last_token: None,
        list_has_or: false,
        trailing_background: false,
        after_operator: false,
        dangling_escape: false,
    };
    let mut tokens = Tokens::of(src);
    p.run(&mut tokens);
    if tokens.broken() {
        p.mark_opaque("unterminated quote, substitution or heredoc");
    }
    let unsafe_end = p.opaque.is_some()
        || p.dangling_escape
        || p.trailing_background
        || p.list_has_or
        || p.commands.is_empty();
    let append_at = match (&p.last_token, unsafe_end) {
        (Some(r), false) if !matches!(origin, Origin::Unknown { .. }) => {
            Some(origin.range(r.clone()).end)
        }
        _ => None,
    };
    Script {
        commands: p.commands,
        opaque_parts: p.opaque.is_some(),
        opaque_reason: p.opaque,
        append_at,
        installs: Default::default(),
    }
}

impl Parser<'_> {
    /// Marks the script opaque; the first reason is kept.
    fn mark_opaque(&mut self, reason: &'static str) {
        self.opaque.get_or_insert(reason);
    }

    fn run(&mut self, tokens: &mut Tokens) {
        let mut cur = Pending::default();
        loop {
            let tok = tokens.next();
            let tok = &*tok;
            let after_operator = std::mem::take(&mut self.after_operator);
            if self.skip != Skip::No {
                if matches!(tok, Tok::Eof) {
                    self.mark_opaque("unterminated construct");
                    break;
                }
                self.skipping(tok);
                continue;
            }
            match tok {
                Tok::Eof => {
                    self.finish(&mut cur, Connector::Seq);
                    break;
                }
                Tok::Word(w) => {
                    if w.dangling_escape {
                        self.dangling_escape = true;
                    }
                    self.trailing_background = false;
                    if cur.is_empty() && !w.quoted && self.reserved(w) {
                        continue;
                    }
                    self.last_token = Some(w.range.clone());
                    cur.cover(&w.range);
                    let raw = &self.src[w.range.clone()];
                    if cur.words.is_empty() && assignment_name_len(raw).is_some() {
                        cur.assignments.push(w.clone());
                    } else {
                        fields_of(self.src, self.origin, w, &self.state.env, &mut cur.words);
                    }
                }
                Tok::Redirect {
                    op,
                    fd,
                    range,
                    target,
                } => self.redirect(&mut cur, op, *fd, range, target.as_ref()),
                Tok::Newline if after_operator && cur.is_empty() => self.after_operator = true,
                Tok::Newline => {
                    self.finish(&mut cur, Connector::Seq);
                    self.end_list();
                }
                Tok::Op(op, range) => {
                    self.after_operator = matches!(op, Op::AndThen | Op::OrElse | Op::Pipe)
                        && (!cur.is_empty() || self.connector_open);
                    self.operator(*op, range.clone(), &mut cur);
                }
            }
        }
        if !self.frames.is_empty() {
            self.mark_opaque("unclosed bracket or compound");
        }
        self.settle_guard_unknown();
    }

    /// A redirection: the pending command's, or, right after a compound
    /// (`{ …; } > file`, `done < list`), the compound's, given to its last
    /// command (whose span grows to it).
    fn redirect(
        &mut self,
        cur: &mut Pending,
        op: &'static str,
        fd: Option<u32>,
        range: &Range<usize>,
        target: Option<&RawWord>,
    ) {
        cur.cover(range);
        if let Some(t) = target {
            cur.cover(&t.range);
            self.last_token = Some(t.range.clone());
            self.dangling_escape |= t.dangling_escape;
        }
        if cur.words.is_empty() && cur.assignments.is_empty() && self.connector_open {
            let end = target.map_or(range.clone(), |t| t.range.clone());
            let end = self.origin.range(end).end;
            if let Some(last) = self.commands.last_mut() {
                last.span.end = last.span.end.max(end);
                let target = target.map(|t| word_of(self.src, self.origin, t, &last.env, &[]));
                last.redirects.push(Redirect { op, fd, target });
                return;
            }
        }
        cur.redirects.push((op, fd, target.cloned()));
    }

    fn operator(&mut self, op: Op, range: Range<usize>, cur: &mut Pending) {
        let connector = match op {
            Op::AndThen => Connector::AndThen,
            Op::OrElse => Connector::OrElse,
            Op::Seq => Connector::Seq,
            Op::Pipe => Connector::Pipe,
            Op::Background => Connector::Background,
            Op::DoubleSemi => {
                if self
                    .frames
                    .last()
                    .is_some_and(|f| f.kind == FrameKind::Case)
                {
                    self.finish(cur, Connector::Seq);
                    self.end_list();
                    self.skip = Skip::CasePattern;
                } else {
                    self.mark_opaque("`;;` outside case");
                }
                return;
            }
            Op::LParen => {
                if cur.is_empty() {
                    self.open(FrameKind::Subshell);
                } else {
                    // `name() { … }`: a function definition, not read;
                    // `a=(1 2)`: a bash array
                    self.mark_opaque(if cur.words.is_empty() {
                        "array assignment"
                    } else {
                        "function definition"
                    });
                    // an array's `(` is open already; a function's `()` comes first
                    let array = cur.words.is_empty();
                    *cur = Pending::default();
                    self.skip = Skip::Function {
                        depth: usize::from(array),
                        opened: array,
                    };
                }
                return;
            }
            Op::RParen => {
                self.finish(cur, Connector::Seq);
                self.close(FrameKind::Subshell);
                self.last_token = Some(range);
                return;
            }
        };
        if connector == Connector::Background {
            self.trailing_background = true;
        }
        if connector == Connector::OrElse && self.frames.is_empty() {
            self.list_has_or = true;
        }
        if cur.is_empty() {
            if self.connector_open {
                if let Some(last) = self.commands.last_mut() {
                    last.connector = connector;
                }
                self.connector_open = false;
                self.prev = Some(connector);
            } else if connector != Connector::Seq {
                // `&& x` with nothing before it
                self.mark_opaque("operator with no command before it");
            }
        } else {
            self.finish(cur, connector);
        }
        if connector == Connector::Seq || connector == Connector::Background {
            self.end_list();
        }
    }

    /// A `;`, `&` or newline ends an and-or list.
    fn end_list(&mut self) {
        self.prev = None;
        if self.frames.is_empty() {
            self.list_has_or = false;
        }
    }

    /// Handles a reserved word at the start of a command; false when `w` is not one.
    fn reserved(&mut self, w: &RawWord) -> bool {
        let Some([Piece::Lit(word)]) = Some(w.pieces.as_slice()) else {
            return false;
        };
        match word.as_str() {
            "if" | "while" | "until" => self.open(FrameKind::Compound),
            "for" | "select" => {
                self.open(FrameKind::Compound);
                self.skip = Skip::ForHeader;
            }
            "then" | "else" | "elif" | "do" | "!" => {}
            "fi" | "done" => {
                self.close(FrameKind::Compound);
                self.last_token = Some(w.range.clone());
            }
            "{" => self.open(FrameKind::Group),
            "}" => {
                self.close(FrameKind::Group);
                self.last_token = Some(w.range.clone());
            }
            "case" => {
                self.open(FrameKind::Case);
                self.skip = Skip::CaseHeader;
            }
            "esac"
                if self
                    .frames
                    .last()
                    .is_some_and(|f| f.kind == FrameKind::Case) =>
            {
                self.close(FrameKind::Case);
                self.last_token = Some(w.range.clone());
            }
            "function" => {
                self.mark_opaque("function definition");
                self.skip = Skip::Function {
                    depth: 0,
                    opened: false,
                };
            }
            "esac" | "in" => self.mark_opaque("stray reserved word"),
            _ => return false,
        }
        true
    }

    fn skipping(&mut self, tok: &Tok) {
        let word = match tok {
            Tok::Word(w) => match w.pieces.as_slice() {
                [Piece::Lit(l)] if !w.quoted => Some(l.as_str()),
                _ => None,
            },
            _ => None,
        };
        self.skip = match (self.skip, tok, word) {
            (Skip::ForHeader, Tok::Op(Op::LParen, _), _) => {
                // `for ((i = 0; …))`: arithmetic loop header, not read
                self.mark_opaque("arithmetic for loop");
                Skip::ForHeader
            }
            (Skip::ForHeader, Tok::Op(Op::Seq, _) | Tok::Newline, _) => Skip::No,
            (Skip::ForHeader, Tok::Word(_), Some("do")) => Skip::No,
            (Skip::CaseHeader, _, Some("in")) => Skip::CasePattern,
            (Skip::CasePattern, Tok::Op(Op::RParen, _), _) => Skip::No,
            (Skip::CasePattern, Tok::Word(w), Some("esac")) => {
                self.close(FrameKind::Case);
                self.last_token = Some(w.range.clone());
                Skip::No
            }
            (Skip::Function { depth, .. }, Tok::Op(Op::LParen, _), _)
            | (Skip::Function { depth, .. }, _, Some("{")) => Skip::Function {
                depth: depth + 1,
                opened: true,
            },
            (Skip::Function { depth, opened }, Tok::Op(Op::RParen, _), _)
            | (Skip::Function { depth, opened }, _, Some("}")) => {
                if depth <= 1 && opened {
                    Skip::No
                } else {
                    Skip::Function {
                        depth: depth.saturating_sub(1),
                        opened,
                    }
                }
            }
            (s, _, _) => s,
        };
    }

    fn open(&mut self, kind: FrameKind) {
        self.frames.push(Frame {
            kind,
            at_open: self.state.clone(),
            after_or: self.prev == Some(Connector::OrElse),
        });
        self.prev = None;
    }

    fn close(&mut self, kind: FrameKind) {
        self.settle_guard_unknown();
        match self.frames.pop() {
            Some(f) if f.kind == kind => {
                match kind {
                    FrameKind::Subshell => self.state = f.at_open,
                    FrameKind::Group if !f.after_or => {}
                    FrameKind::Group | FrameKind::Compound | FrameKind::Case => {
                        // what changed inside may or may not have happened
                        if self.state.cwd != f.at_open.cwd {
                            self.state.cwd = None;
                        }
                        if self.state.oldpwd != f.at_open.oldpwd {
                            self.state.oldpwd = None;
                        }
                        if !Arc::ptr_eq(&self.state.env, &f.at_open.env) {
                            let now = &self.state.env;
                            let kept: BTreeMap<String, String> = f
                                .at_open
                                .env
                                .iter()
                                .filter(|(k, v)| now.get(*k) == Some(*v))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect();
                            self.state.env = Arc::new(kept);
                        }
                    }
                }
            }
            _ => self.mark_opaque("unbalanced bracket or compound"),
        }
        self.connector_open = !self.commands.is_empty();
        self.prev = None;
    }

    /// The frame ended before the `||` branch settled: the folder is unknown
    /// unless the `cd` changed nothing.
    fn settle_guard_unknown(&mut self) {
        if let Some(g) = self.guard.take()
            && g.before.cwd != g.after.cwd
        {
            self.state.cwd = None;
        }
    }

    fn finish(&mut self, cur: &mut Pending, connector: Connector) {
        if cur.is_empty() {
            return;
        }
        let mut pending = std::mem::take(cur);
        let prev = self.prev;
        let in_pipeline = prev == Some(Connector::Pipe)
            || connector == Connector::Pipe
            || connector == Connector::Background;
        let conditional =
            prev == Some(Connector::OrElse) || self.frames.iter().any(Frame::is_conditional);
        let in_subshell = self.in_shell_subshell
            || in_pipeline
            || self.frames.iter().any(|f| f.kind == FrameKind::Subshell);
        let env = self.state.env.clone();

        let mut extra: Vec<(String, Option<String>)> = Vec::new();
        let mut assignments = Vec::with_capacity(pending.assignments.len());
        for a in &pending.assignments {
            let assignment = assignment_of(self.src, self.origin, a, &env, &extra);
            extra.push((assignment.name.clone(), assignment.value.value.clone()));
            assignments.push(assignment);
        }
        let mut words = std::mem::take(&mut pending.words);
        words.shrink_to_fit();
        let redirects = pending
            .redirects
            .iter()
            .map(|(op, fd, t)| Redirect {
                op,
                fd: *fd,
                target: t
                    .as_ref()
                    .map(|t| word_of(self.src, self.origin, t, &env, &[])),
            })
            .collect();
        let span = self.origin.range(pending.span.clone().unwrap_or(0..0));
        let command = Command {
            program: super::command::program_index_of(&words),
            words,
            assignments,
            redirects,
            span,
            cwd: self.state.cwd.clone(),
            connector,
            in_subshell,
            conditional,
            env,
        };

        let mut after = self.state.clone();
        let opaque = (!in_pipeline)
            .then(|| super::effect::effect(&command, &mut after))
            .flatten();
        if let Some(reason) = opaque {
            self.mark_opaque(reason);
        }
        let program = command.program().map(str::to_string);
        if prev == Some(Connector::Pipe) && program.as_deref().is_some_and(is_posix_shell) {
            // `curl … | sh`, `cat <<EOF | bash`: a script we do not see
            self.mark_opaque("script piped to a shell");
        }
        self.commands.push(command);
        self.connector_open = false;
        self.prev = Some(connector);

        self.settle_state(prev, connector, program.as_deref(), after);
    }

    /// The shell's state after a command that leaves `after`: a `cd` before
    /// `||` holds only if the `||` branch exits; a `cd` after `||` may not
    /// have run.
    fn settle_state(
        &mut self,
        prev: Option<Connector>,
        connector: Connector,
        program: Option<&str>,
        mut after: State,
    ) {
        if let Some(g) = self.guard.take() {
            // this command is the `||` branch of a `cd`
            let exits = matches!(program, Some("exit" | "return"));
            self.state = if exits {
                g.after
            } else {
                let mut s = after;
                if s.cwd != g.after.cwd {
                    s.cwd = None;
                }
                s
            };
            let _ = g.before;
        } else if connector == Connector::OrElse && after.cwd != self.state.cwd {
            self.guard = Some(Guard {
                before: self.state.clone(),
                after,
            });
        } else if prev == Some(Connector::OrElse) && after.cwd != self.state.cwd {
            after.cwd = None;
            self.state = after;
        } else {
            self.state = after;
        }
    }
}

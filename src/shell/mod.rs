//! RUN scripts as a list of commands with argv word spans, quoting, the
//! working directory and the variables in effect: the one place that knows
//! what a RUN runs, installs and writes, and where.
//!
//! ```
//! use slimfile::shell::{Script, ShellEnv};
//!
//! let text = "FROM golang:1.22\nWORKDIR /src\nRUN cd cmd/server && \\\n    go build -o \"/out/my app\" .\n";
//! let doc = slimfile::syntax::parse(text).unwrap();
//! let env = ShellEnv::at("/src");
//! let script = Script::of(text, &doc.instructions[2], doc.escape, &env);
//! let build = &script.commands[1];
//! assert_eq!(build.program(), Some("go"));
//! assert_eq!(build.cwd.as_deref(), Some("/src/cmd/server"));
//! let out = build.flag_value(&["-o", "--output"]).unwrap();
//! assert_eq!(out.value.as_deref(), Some("/out/my app"));
//! assert_eq!(&text[out.span.unwrap()], "\"/out/my app\"");
//! ```
//!
//! # What it reads
//! The POSIX shell subset real Dockerfile RUNs use: `&&`/`||`/`;`/`|`/`&`
//! chains and newlines, `( … )` subshells (their `cd` and variables do not
//! leak out), `{ …; }` groups, `$(…)`/backticks/`${…}` (kept inside one word,
//! whose value is then unknown), unquoted `$VAR`s of known value split into
//! words at blanks as the shell does, `VAR=x cmd` prefixes, `export`/`unset`,
//! quotes and escapes, redirections (`2>&1`, `>>`, `&>`, here-strings,
//! heredocs inside heredoc bodies), comments. `if`/`while`/`until`/`for`
//! bodies and `case` arms are read, their commands marked
//! [`Command::conditional`], and what they change (folder, variables) is
//! unknown after the construct unless every path agrees. Function
//! definitions, bash arrays, `for ((…))`, `sh -c`/`eval` inside the script,
//! an unterminated quote and unbalanced brackets make the script
//! [`Script::opaque_parts`] (with [`Script::opaque_reason`]). Nothing here
//! panics on any input.
//!
//! The caller checks the stage's `SHELL`: the model reads POSIX `sh`, not
//! PowerShell or `cmd`.
//!
//! # Why a parser of our own
//! Evaluated (crates.io, 2026-12) on the constructs above, spans, upkeep,
//! cold build on this 2-core machine and API:
//! - **yash-syntax 0.25** (the yash-rs shell's parser, active): thorough
//!   POSIX parser with locations, but GPL-3.0-or-later (linking it makes
//!   slimfile a GPL work), its parser API is `async` (every `Parser` method
//!   is an `async fn`: a synchronous pass needs an executor), and it needs
//!   rustc 1.96 (we build with 1.95).
//! - **brush-parser 0.4** (the brush shell's, MIT, active): parsed every
//!   test RUN here (chains, subshells, groups, `if`/`for`, here-strings) in
//!   ~60 µs each (debug), sync API. But: ~140 crates in its build (peg, bon,
//!   cached, tracing, …), 2 min 50 s cold build here (1 min CPU); locations
//!   are character indices, not bytes; words come back raw, so quote removal
//!   and `$VAR` resolution would still be ours; one unterminated quote fails
//!   the whole script (no partial reading); bash-flavoured.
//! - **conch-parser 0.1.1**: last release 2019, unmaintained; positions
//!   only in parse errors, none in the AST.
//! - **tree-sitter + tree-sitter-bash 0.25**: byte spans and error recovery,
//!   but compiles a 9.5 MB generated C parser (C toolchain, long cold build)
//!   and gives a concrete syntax tree we would walk and unquote ourselves.
//!
//! What the passes need beyond parsing (byte spans through Dockerfile
//! continuations, `cd`/`WORKDIR` and variable tracking, quote removal with
//! "unknown" values, partial reading of broken scripts) is most of the work
//! in every case, and the subset RUNs use is small: a lexer and a
//! one-pass parser of about 1,200 lines (`lex.rs`, `parse.rs`) do it
//! without a dependency, read partially what they cannot read fully, and
//! say so. Measured 2026-12-01: on the 79 docker-library Dockerfiles of
//! python, node, golang and redis (231 RUNs, `case "$dpkgArch"` included),
//! every RUN reads with exact spans; only the 18 PowerShell RUNs come out
//! opaque. On 254 Dockerfiles of docker/awesome-compose, microservices-demo
//! and jessfraz/dockerfiles (600 RUNs), 6 are opaque (5 `curl … | bash`, 1
//! `sh -c`). No regex, a few small allocations per word, and each RUN is
//! read once per file ([`memo`]); the README's Speed section has the
//! current figures for the whole pipeline (`scripts/bench.py`).

mod command;
mod effect;
mod env;
mod install;
mod lex;
pub mod memo;
mod parse;
mod quote;
mod word;
mod writes;

use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use crate::syntax::{Args, Instruction};

pub use command::{FlagValue, basename, join};
pub use env::ShellEnv;
pub use install::{InstallLocation, Manager, Package, PackageInstall};
pub use quote::{dockerfile_path_list, quote};
pub use writes::{
    NOT_PROJECT_MODULES, PythonRun, PythonTarget, WriteKind, WrittenPath, is_python, python_run,
};

/// Variables known at a point of the script (shared between commands, copied on change).
pub type Vars = Arc<BTreeMap<String, String>>;

/// How a command is joined to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `&&`
    AndThen,
    /// `||`
    OrElse,
    /// `;`, a newline, or the end of the script.
    Seq,
    /// `|` (or `|&`)
    Pipe,
    /// `&`
    Background,
}

/// One word of a command: one field of argv, after the shell's field
/// splitting (an unquoted `$PKGS` holding `gcc make` is two words, each with
/// `raw` `$PKGS` and no `span`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    /// The value after quote removal and expansion of known variables;
    /// `None` when it holds an expansion that cannot be resolved
    /// (`$(…)`, an unknown `$VAR`, `${X:-y}`, …).
    pub value: Option<String>,
    /// The word as written in the script.
    pub raw: String,
    /// The word's bytes in the original text, when they are one unbroken run
    /// (`&text[span] == raw`); `None` in exec form or across a continuation.
    pub span: Option<Range<usize>>,
    /// Quotes or escapes appear in the word.
    pub quoted: bool,
    /// Unquoted glob or brace characters: the value is a pattern, not a path.
    pub pattern: bool,
}

/// A `NAME=value` before a command (or the whole of an assignment-only command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// The part after `=`.
    pub value: ShellWord,
}

/// A redirection: `>file`, `2>&1`, `<<EOF`, `<<<word`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The operator: `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`.
    pub op: &'static str,
    /// The file descriptor written before the operator (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// The file, descriptor or heredoc delimiter.
    pub target: Option<ShellWord>,
}

/// One simple command of a script.
#[derive(Debug, Clone)]
pub struct Command {
    /// argv, wrappers such as `sudo` included (see [`Command::program`]).
    pub words: Vec<ShellWord>,
    pub assignments: Vec<Assignment>,
    pub redirects: Vec<Redirect>,
    /// The command's bytes in the original text (in exec form: the whole
    /// JSON array; in a heredoc RUN: inside the body).
    pub span: Range<usize>,
    /// Absolute folder the command runs in; `None` once unknown.
    pub cwd: Option<String>,
    /// How this command is joined to the next.
    pub connector: Connector,
    /// Runs in a subshell (`( … )`, or a shell fed by a heredoc): its `cd`
    /// and assignments do not reach the commands after the subshell.
    pub in_subshell: bool,
    /// May not run, or may run several times: after `||`, or inside an
    /// `if`/`while`/`until`/`for` construct.
    pub conditional: bool,
    /// Variables known when the command starts (its own prefixes excluded).
    pub env: Vars,
    /// [`Command::program_index`], read with the command.
    program: Option<usize>,
}

/// A RUN's shell script read into commands.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// The simple commands, in text order.
    pub commands: Vec<Command>,
    /// Parts of the RUN were not read as commands: a heredoc fed to another
    /// interpreter (`python3 <<EOF`, a `#!/usr/bin/python3` body),
    /// `case`/functions, `sh -c`/`eval` inside the script, a syntax error.
    /// Passes that must know everything a RUN does leave it alone.
    pub opaque_parts: bool,
    /// Why [`Script::opaque_parts`] is set (the first reason met), for messages:
    /// `"case statement"`, `"heredoc fed to python3"`, `"eval"`, …
    pub opaque_reason: Option<&'static str>,
    /// Where ` && cmd` can be inserted, see [`Script::append_point`].
    append_at: Option<usize>,
    /// [`Script::installs`], read the first time it is asked (a shared
    /// reading is asked by several questions); emptied when the commands
    /// are replaced.
    installs: std::sync::OnceLock<Vec<PackageInstall>>,
}

/// Where the script's text sits in the original text.
#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    /// Shell form: script offset `i` is logical offset `base + i`.
    Logical {
        logical: &'a crate::syntax::Logical,
        base: usize,
    },
    /// A heredoc body: script offset `i` is original offset `base + i`.
    Contiguous(usize),
    /// Exec form: no byte positions; every command gets `whole`.
    Unknown { start: usize, end: usize },
}

impl Origin<'_> {
    /// Original range of script range `r`, continuations inside included.
    fn range(&self, r: Range<usize>) -> Range<usize> {
        match *self {
            Origin::Logical { logical, base } => {
                logical.original_range(base + r.start..base + r.end)
            }
            Origin::Contiguous(base) => base + r.start..base + r.end,
            Origin::Unknown { start, end } => start..end,
        }
    }

    /// Original range of script range `r` when it is one unbroken run of bytes.
    fn exact(&self, r: Range<usize>) -> Option<Range<usize>> {
        match *self {
            Origin::Logical { logical, base } => {
                // contiguous when the original range is as long as the logical one
                let l = base + r.start..base + r.end;
                let original = logical.original_range(l.clone());
                (original.len() == l.len()).then_some(original)
            }
            Origin::Contiguous(base) => Some(base + r.start..base + r.end),
            Origin::Unknown { .. } => None,
        }
    }
}

/// Shells whose `-c` argument or heredoc stdin is a script we read.
fn is_posix_shell(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "dash" | "ash" | "busybox")
}

impl Script {
    /// Reads a RUN instruction's script: shell form (with spans in `text`),
    /// exec form (`["sh", "-c", "…"]` is read as a script without spans; any
    /// other exec form is one command), and heredocs (`RUN <<EOF` runs the
    /// body as a script, spans inside the body; a body fed to anything but a
    /// POSIX shell or `cat`/`tee` makes the script [`Script::opaque_parts`]).
    ///
    /// `escape` is the Dockerfile's escape character (`\` or `` ` ``), used
    /// to refuse edit points after a trailing continuation.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let text = "FROM python:3.12\nRUN [\"sh\", \"-c\", \"pip install --user flask==3.0\"]\nRUN python3 <<EOF\nprint(1)\nEOF\n";
    /// let doc = slimfile::syntax::parse(text).unwrap();
    /// let env = ShellEnv::at("/");
    /// let exec = Script::of(text, &doc.instructions[1], doc.escape, &env);
    /// let pip = &exec.installs()[0];
    /// assert_eq!(pip.packages[0].name, "flask");
    /// assert_eq!(pip.packages[0].version.as_deref(), Some("==3.0"));
    /// assert!(exec.append_point().is_none());
    /// let heredoc = Script::of(text, &doc.instructions[2], doc.escape, &env);
    /// assert!(heredoc.opaque_parts);
    /// ```
    pub fn of(text: &str, ins: &Instruction, escape: char, env: &ShellEnv) -> Rc<Script> {
        // the instruction's text with its heredoc bodies: what the reading depends on
        let end = ins
            .heredocs
            .iter()
            .map(|h| h.body.end)
            .fold(ins.span.end, usize::max)
            .min(text.len());
        let read = || match &ins.args {
            Args::Exec(argv) => Self::of_exec(argv, ins, env),
            Args::Words(_) => Self::of_shell_form(text, ins, escape, env),
        };
        let own = text.get(ins.span.start..end).unwrap_or("");
        if own.len() > memo::MAX_TEXT || !memo::on() {
            return Rc::new(read());
        }
        let key = memo::Key {
            text: own,
            at: ins.span.start,
            escape,
            env,
        };
        memo::script(&key, read)
    }

    /// Reads a standalone shell script; spans are offsets into `script`.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv, Connector};
    /// let s = Script::parse("set -eux; (cd /x && make) && ls", &ShellEnv::at("/src"));
    /// assert_eq!(s.commands.len(), 4);
    /// assert!(s.commands[2].in_subshell);
    /// assert_eq!(s.commands[2].cwd.as_deref(), Some("/x"));
    /// assert_eq!(s.commands[3].cwd.as_deref(), Some("/src"));
    /// assert_eq!(s.commands[0].connector, Connector::Seq);
    /// assert_eq!(s.append_point(), Some(31));
    /// ```
    pub fn parse(script: &str, env: &ShellEnv) -> Rc<Script> {
        let read = || parse::parse(script, Origin::Contiguous(0), env, false);
        if script.len() > memo::MAX_TEXT || !memo::on() {
            return Rc::new(read());
        }
        let key = memo::Key {
            text: script,
            at: usize::MAX,
            escape: '\\',
            env,
        };
        memo::script(&key, read)
    }

    fn of_exec(argv: &[String], ins: &Instruction, env: &ShellEnv) -> Script {
        let whole = ins
            .logical
            .original_range(ins.rest_start..ins.logical.text.len());
        let origin = Origin::Unknown {
            start: whole.start,
            end: whole.end,
        };
        if let Some(script) = shell_c_script(argv) {
            let mut s = parse::parse(script, origin, env, false);
            s.append_at = None;
            return s;
        }
        let words: Vec<ShellWord> = argv
            .iter()
            .map(|a| ShellWord {
                value: Some(a.clone()),
                raw: a.clone(),
                span: None,
                quoted: false,
                pattern: false,
            })
            .collect();
        Script {
            commands: vec![Command {
                program: command::program_index_of(&words),
                words,
                assignments: Vec::new(),
                redirects: Vec::new(),
                span: whole,
                cwd: env.workdir.clone(),
                connector: Connector::Seq,
                in_subshell: false,
                conditional: false,
                env: Arc::new(env.vars.clone()),
            }],
            opaque_parts: false,
            opaque_reason: None,
            append_at: None,
            installs: Default::default(),
        }
    }

    fn mark_opaque(&mut self, reason: &'static str) {
        self.opaque_parts = true;
        self.opaque_reason.get_or_insert(reason);
    }

    fn of_shell_form(text: &str, ins: &Instruction, escape: char, env: &ShellEnv) -> Script {
        let rest = ins.rest_text();
        let origin = Origin::Logical {
            logical: &ins.logical,
            base: ins.rest_start,
        };
        if ins.heredocs.is_empty() {
            let mut s = parse::parse(rest, origin, env, false);
            // a continuation escape at the very end of the instruction: appending is unsafe
            let tail = text.get(ins.span.start..ins.span.end).unwrap_or("");
            if tail.trim_end().ends_with(escape) {
                s.append_at = None;
            }
            return s;
        }
        // `RUN <<EOF`: the body is the script
        if ins.heredocs.len() == 1 && ins.words().len() == 1 {
            let h = &ins.heredocs[0];
            let body = text.get(h.body.clone()).unwrap_or("");
            let mut s = if shebang_is_foreign(body) {
                Script {
                    opaque_parts: true,
                    opaque_reason: Some("heredoc body with a non-shell #! line"),
                    ..Script::default()
                }
            } else {
                parse::parse(body, Origin::Contiguous(h.body.start), env, false)
            };
            s.append_at = None;
            return s;
        }
        // `RUN cmd <<EOF …`: the line is the script, each body feeds a command
        let mut s = parse::parse(rest, origin, env, false);
        s.append_at = None;
        let mut next_heredoc = 0;
        let mut out = Vec::with_capacity(s.commands.len());
        for c in std::mem::take(&mut s.commands) {
            let fed: Vec<usize> = c
                .redirects
                .iter()
                .filter(|r| matches!(r.op, "<<" | "<<-"))
                .map(|_| {
                    next_heredoc += 1;
                    next_heredoc - 1
                })
                .collect();
            let program = c.program().unwrap_or("").to_string();
            let reads_script = is_posix_shell(&program) && c.flag_value(&["-c"]).is_none();
            let body_env = ShellEnv {
                workdir: c.cwd.clone(),
                vars: (*c.env).clone(),
            };
            out.push(c);
            for h in fed.iter().filter_map(|&i| ins.heredocs.get(i)) {
                if reads_script {
                    let body = text.get(h.body.clone()).unwrap_or("");
                    let inner =
                        parse::parse(body, Origin::Contiguous(h.body.start), &body_env, true);
                    if inner.opaque_parts {
                        s.mark_opaque(inner.opaque_reason.unwrap_or("heredoc body"));
                    }
                    out.extend(inner.commands);
                } else if !matches!(program.as_str(), "cat" | "tee" | "dd") {
                    s.mark_opaque("heredoc fed to a program that is not a POSIX shell");
                }
            }
        }
        if next_heredoc != ins.heredocs.len() {
            s.mark_opaque("heredocs not matched to commands");
        }
        s.commands = out;
        s.installs = std::sync::OnceLock::new();
        s
    }

    /// The original offset right after the script's last command, where
    /// ` && cmd` can be inserted so that `cmd` runs after everything else and
    /// only when it succeeded. `None` when that is not safe: exec form,
    /// heredocs, opaque parts, a trailing `&`, a last list with `||` (`x ||
    /// true` semantics), a trailing escape or continuation, no command.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let env = ShellEnv::default();
    /// assert_eq!(Script::parse("make install; # done", &env).append_point(), Some(12));
    /// assert_eq!(Script::parse("make || true", &env).append_point(), None);
    /// assert_eq!(Script::parse("serve &", &env).append_point(), None);
    /// ```
    pub fn append_point(&self) -> Option<usize> {
        self.append_at
    }

    /// Several scripts (a stage's RUNs, each read in its own environment)
    /// as one: their commands in order, opaque when one is; no append point.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let env = ShellEnv::default();
    /// let both = Script::joined([Script::parse("a", &env), Script::parse("b; c", &env)]);
    /// assert_eq!(both.commands.len(), 3);
    /// assert!(both.append_point().is_none());
    /// ```
    pub fn joined(scripts: impl IntoIterator<Item = Rc<Script>>) -> Script {
        let mut out = Script::default();
        for s in scripts {
            // a reading nothing else holds (not kept by the memo: a long RUN)
            // gives its commands up; a shared one is copied
            let (reason, opaque) = (s.opaque_reason, s.opaque_parts);
            match Rc::try_unwrap(s) {
                Ok(s) => out.commands.extend(s.commands),
                Err(s) => out.commands.extend_from_slice(&s.commands),
            }
            if let Some(reason) = reason {
                out.mark_opaque(reason);
            }
            out.opaque_parts |= opaque;
        }
        out
    }

    /// Every package install in the script, in order (see [`PackageInstall`]).
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv, Manager};
    /// let s = Script::parse("npm install -g pm2@5 && npm ci", &ShellEnv::at("/app"));
    /// let i = s.installs();
    /// assert_eq!((i[0].manager, i[0].global), (Manager::Npm, true));
    /// assert_eq!(i[0].packages[0].name, "pm2");
    /// assert!(i[1].packages.is_empty() && !i[1].global);
    /// ```
    pub fn installs(&self) -> Vec<PackageInstall> {
        self.installs
            .get_or_init(|| {
                let mut out = Vec::new();
                for (n, c) in self.commands.iter().enumerate() {
                    if let Some(i) = install::install_of(c, n) {
                        out.push(i);
                    }
                }
                out
            })
            .clone()
    }

    /// Paths the script writes, best effort (see [`WriteKind`]), resolved
    /// against each command's folder; a path that cannot be resolved is kept
    /// with `path: None` so callers know something unknown was written.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv, WriteKind};
    /// let s = Script::parse("mkdir -p out && cd out && go build -o app . && useradd -r app", &ShellEnv::at("/src"));
    /// let w = s.writes_paths();
    /// assert_eq!(w[0].path.as_deref(), Some("/src/out"));
    /// assert_eq!((w[1].path.as_deref(), w[1].kind), (Some("/src/out/app"), WriteKind::Output));
    /// assert!(w.iter().any(|w| w.path.as_deref() == Some("/etc/passwd")));
    /// ```
    pub fn writes_paths(&self) -> Vec<WrittenPath> {
        let mut out = Vec::new();
        for (n, c) in self.commands.iter().enumerate() {
            writes::writes_of(c, n, &mut out);
        }
        out
    }
}

/// `["sh", "-c", script, …]` (also `bash -ec`, `/bin/sh -o pipefail -c`): the script.
fn shell_c_script(argv: &[String]) -> Option<&str> {
    let program = argv.first().map(|a| basename(a))?;
    if !is_posix_shell(program) {
        return None;
    }
    let mut i = 1;
    if program == "busybox" {
        if argv.get(1).map(String::as_str) != Some("sh") {
            return None;
        }
        i = 2;
    }
    while let Some(a) = argv.get(i) {
        if a == "-o" || a == "+o" {
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            if a.contains('c') {
                return argv.get(i + 1).map(String::as_str);
            }
            i += 1;
            continue;
        }
        return None;
    }
    None
}

/// A heredoc body starting with `#!` naming something other than a POSIX shell.
fn shebang_is_foreign(body: &str) -> bool {
    let Some(line) = body.strip_prefix("#!") else {
        return false;
    };
    let line = line.lines().next().unwrap_or("");
    let mut parts = line.split_whitespace();
    let interpreter = parts.next().map(basename).unwrap_or("");
    let interpreter = if interpreter == "env" {
        parts.find(|p| !p.starts_with('-')).unwrap_or("")
    } else {
        interpreter
    };
    !is_posix_shell(interpreter)
}

impl ShellWord {
    /// The literal value, when known and not a pattern.
    pub fn literal(&self) -> Option<&str> {
        if self.pattern {
            return None;
        }
        self.value.as_deref()
    }
}

#[cfg(test)]
mod tests;

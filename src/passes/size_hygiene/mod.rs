//! # size-hygiene
//!
//! ## What it does
//! The layer hygiene every Dockerfile guide asks for, as exact edits inside
//! RUN scripts (read by the shell model, `src/shell/`): package-manager caches
//! and indexes removed in the RUN that made them, and installs that leave no
//! cache or documentation behind. One rule per package manager, described
//! below (one file each in `src/passes/size_hygiene/`).
//!
//! ## Why is this bad?
//! A file deleted in a later layer still ships in the earlier one. `apt-get
//! update` leaves about 50 MB of package lists (12 MB compressed) in the
//! image; `apt-get install` without `--no-install-recommends` pulls in
//! packages nothing asked for; pip, apk, dnf, yum, zypper, npm, yarn and gem
//! keep caches nobody reads at run time. Linters report these (hadolint
//! DL3009, DL3015, DL3019, DL3042, DL3060, DL3032, DL3040, DL3036); this pass
//! fixes them without touching a byte it does not rewrite.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:bookworm-slim
//! RUN apt-get update && apt-get install -y curl ca-certificates
//! RUN pip install -r requirements.txt
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM debian:bookworm-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
//!     && rm -rf /var/lib/apt/lists/*
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! ## Fix safety
//! **safe** for removing caches and indexes in the RUN that made them and
//! for the cache flags (`--no-cache`, `--no-cache-dir`, `--no-document`):
//! what the image runs is the same. **review** for `--no-install-recommends`
//! in a stage that runs or is built on (a recommended package may be one a
//! program needs at run time); safe in a builder stage whose outputs other
//! stages copy by path. Never touched: heredoc and exec-form RUNs, RUNs with
//! a cache mount for that manager, commands behind unresolved variables, and
//! a cleanup whose cache a later step still needs. Reason codes:
//! `needs-cache` (a later step installs without refreshing the index),
//! `recommends-needed` (gnupg's recommended helpers are commonly needed and
//! too many to name), `cannot-append` (the RUN ends in a
//! way a command cannot be added after: `|| true`, `&`, a trailing escape).
//!
//! ## Rules

mod apk;
mod apt;
mod conda;
mod langs;
mod rpm;

use super::{Context, Pass};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::{RefKind, Stage};
use crate::reason::Reason;
use crate::shell::{Command, Script, ShellEnv};
use crate::syntax::{Args, Instruction, Keyword};

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::SizeHygiene,
    summary: "package caches and indexes removed in the RUN that made them (apt, apk, dnf, yum, microdnf, zypper, pip, npm, yarn, gem, conda, mamba, micromamba); apt without recommended packages (review)",
    safety: Safety::Safe,
    doc: crate::pass_doc!("size_hygiene"),
    run,
};

/// One readable RUN of a stage, and what the rules need to know about it.
struct Run<'a> {
    stage: &'a Stage,
    /// Its instruction index.
    n: usize,
    ins: &'a Instruction,
    script: std::rc::Rc<Script>,
    /// Where ` && command` can be appended (a shell-form RUN that ends cleanly).
    append_at: Option<usize>,
}

impl Run<'_> {
    /// The commands whose program is `names` (resolved through wrappers).
    fn commands<'s>(&'s self, names: &'s [&str]) -> impl Iterator<Item = &'s Command> + 's {
        self.script
            .commands
            .iter()
            .filter(move |c| c.program().is_some_and(|p| names.contains(&p)))
    }

    /// True when the RUN has a `--mount=type=cache` whose target starts with one of `targets`.
    fn cache_mount(&self, targets: &[&str]) -> bool {
        self.ins.flags.iter().any(|f| {
            f.name == "mount"
                && f.value.as_deref().is_some_and(|v| {
                    v.contains("type=cache")
                        && v.split(',').any(|kv| {
                            kv.strip_prefix("target=")
                                .or_else(|| kv.strip_prefix("dst="))
                                .or_else(|| kv.strip_prefix("destination="))
                                .is_some_and(|t| targets.iter().any(|p| t.starts_with(p)))
                        })
                })
        })
    }

    /// True when some command removes a path starting with `prefix`.
    fn removes(&self, prefix: &str) -> bool {
        self.commands(&["rm"]).any(|c| {
            c.args()
                .iter()
                .any(|w| w.raw.trim_matches(['"', '\'']).starts_with(prefix))
        })
    }
}

/// What the stage is to the rest of the file: the final stage, a stage other
/// stages build on, or a builder only copied from by path.
fn copied_by_path_only(cx: &Context, stage: &Stage) -> bool {
    let last = cx.model.stages.len().saturating_sub(1);
    if stage.index == last {
        return false;
    }
    let mut refs = cx.model.refs_to(stage.index).peekable();
    refs.peek().is_some()
        && refs.all(|r| {
            r.kind == RefKind::CopyFrom && {
                let ins = &cx.doc.instructions[r.instruction];
                !ins.words()
                    .iter()
                    .rev()
                    .skip(1)
                    .any(|w| matches!(w.value.as_str(), "/" | "." | "./"))
            }
        })
}

/// What the whole file says, read once (the rules ask per RUN).
struct Facts {
    /// `APT::Install-Recommends` configured somewhere (apt.conf, `-o`).
    recommends_configured: bool,
    /// The apk cache is used on purpose (`/etc/apk/cache`).
    apk_cache_used: bool,
    /// `PIP_NO_CACHE_DIR` is set somewhere.
    pip_no_cache: bool,
    /// gem documentation is configured (`.gemrc`, `--no-document`, `--no-rdoc`).
    gem_configured: bool,
}

fn run(cx: &Context, out: &mut Findings) {
    let t = cx.text;
    let facts = Facts {
        recommends_configured: t.contains("Install-Recommends"),
        apk_cache_used: t.contains("/etc/apk/cache"),
        pip_no_cache: t.contains("PIP_NO_CACHE_DIR"),
        gem_configured: t.contains("no-document") || t.contains(".gemrc") || t.contains("no-rdoc"),
    };
    for stage in &cx.model.stages {
        let runs = readable_runs(cx, stage);
        let later = apt::Later::of(&runs);
        for (i, r) in runs.iter().enumerate() {
            apt::check(cx, &facts, r, &later.at(&runs, i), out);
            apk::check(cx, &facts, r, out);
            rpm::check(cx, r, out);
            langs::check(cx, &facts, r, out);
            conda::check(cx, r, out);
        }
        apt::stray_cleanup(cx, &runs, out);
    }
}

/// The stage's shell-form RUNs without heredocs, read by the shell model;
/// a RUN the model cannot read whole is left out.
fn readable_runs<'a>(cx: &'a Context, stage: &'a Stage) -> Vec<Run<'a>> {
    // no variables: a command behind one is skipped anyway, and copying a
    // stage's ENV into every RUN's commands would make many-ENV stages quadratic
    let env = ShellEnv::default();
    let mut out = Vec::new();
    // RUNs go to another shell (cmd, PowerShell …): ` && cmd` means something else there
    let base = stage.effective_base().to_string().to_ascii_lowercase();
    if base.contains("windows") || base.contains("servercore") || base.contains("nanoserver") {
        return out;
    }
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        let posix = match &ins.args {
            Args::Exec(argv) => argv.first().is_some_and(|p| {
                matches!(crate::shell::basename(p), "sh" | "bash" | "ash" | "dash")
            }),
            Args::Words(_) => false,
        };
        if ins.keyword == Keyword::Shell && !posix {
            return Vec::new();
        }
    }
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != Keyword::Run
            || !ins.heredocs.is_empty()
            || matches!(ins.args, Args::Exec(_))
            || ins.continues_at_eof
        {
            continue;
        }
        let script = Script::of(cx.text, ins, cx.doc.escape, &env);
        // a command whose name comes from a variable may be anything
        let variable_command = script.commands.iter().any(|c| {
            c.program_index()
                .and_then(|i| c.words.get(i))
                .is_none_or(|w| w.raw.contains('$') || w.raw.contains('`'))
                && !c.words.is_empty()
        });
        if script.opaque_parts || variable_command {
            continue;
        }
        let append_at = script.append_point();
        out.push(Run {
            stage,
            n,
            ins,
            script,
            append_at,
        });
    }
    out
}

/// Inserts ` flag` right after the word at `word_end`.
fn flag_after(word_end: usize, flag: &str) -> Edit {
    Edit::insert(word_end, format!(" {flag}"))
}

/// Appends ` && command` on a continuation line at the end of the RUN, or
/// reports why it cannot.
fn append(cx: &Context, r: &Run, command: &str, out: &mut Findings) -> Option<Edit> {
    // nothing after `exit`, `exec` or `return` runs
    let ends_the_shell = r
        .script
        .commands
        .last()
        .and_then(|c| c.program())
        .is_some_and(|p| matches!(p, "exit" | "exec" | "return"));
    match r.append_at.filter(|_| !ends_the_shell) {
        Some(at) => Some(Edit::insert(
            at,
            format!(" {}\n    && {command}", cx.doc.escape),
        )),
        None => {
            out.note(
                Reason::CannotAppend,
                Level::Info,
                r.ins.span.start,
                format!(
                    "`{command}` would have to follow the last command, and this RUN ends in a way nothing can follow (`|| true`, `&`, `exit`, a trailing escape)"
                ),
            );
            None
        }
    }
}

/// A change of this pass.
fn change(safety: Safety, message: String, edits: Vec<Edit>, saved_mb: Option<f64>) -> Change {
    Change::new(safety, message, edits).with_estimate(saved_mb.map(|mb| (mb * 1_000_000.0) as i64))
}

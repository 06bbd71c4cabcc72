//! ### apt
//! - `apt-get install` / `apt install` gets `--no-install-recommends`
//!   (review, or safe in a builder only copied from by path), unless the
//!   file configures `Install-Recommends` itself, or it installs curl, wget,
//!   git or gnupg without `ca-certificates` (their recommended certificates
//!   are what HTTPS needs: `recommends-needed`).
//! - A RUN that runs `apt-get update` ends with `rm -rf /var/lib/apt/lists/*`
//!   (safe), unless a later RUN of the stage installs without its own update
//!   (`needs-cache`).
//! - A RUN that only removes the lists (or runs `apt-get clean`) after the
//!   RUN that made them frees nothing: its commands move into that RUN
//!   (review).

use super::{Run, append, change, copied_by_path_only, flag_after};
use crate::edit::{Edit, Findings, Level, Safety};
use crate::passes::Context;
use crate::passes::edits::line_end;
use crate::reason::Reason;
use crate::shell::Command;

const APT: &[&str] = &["apt-get", "apt"];
const LISTS: &str = "/var/lib/apt/lists";
const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";
/// Measured: `apt-get update` on debian:bookworm-slim leaves 51 MB of lists, 12.4 MB gzipped.
const LISTS_MB: f64 = 12.4;
/// Packages whose recommended `ca-certificates` HTTPS needs.
const WANTS_CERTIFICATES: &[&str] = &["curl", "wget", "git", "gnupg", "gnupg2", "gpg"];

fn subcommand(c: &Command) -> Option<&str> {
    c.args()
        .iter()
        .filter_map(|w| w.value.as_deref())
        .find(|v| !v.starts_with('-'))
}

pub(super) fn check(cx: &Context, r: &Run, later: &[Run], out: &mut Findings) {
    if r.cache_mount(&["/var/lib/apt", "/var/cache/apt"]) {
        return;
    }
    recommends(cx, r, out);
    lists(cx, r, later, out);
}

fn recommends(cx: &Context, r: &Run, out: &mut Findings) {
    // recommends configured for the whole file (apt.conf, `-o APT::Install-Recommends=…`)
    if cx.text.contains("Install-Recommends") {
        return;
    }
    for c in r.commands(APT) {
        if subcommand(c) != Some("install")
            || c.args().iter().any(|w| {
                w.value
                    .as_deref()
                    .is_some_and(|v| v == "--no-install-recommends" || v == "--install-recommends")
            })
        {
            continue;
        }
        let Some(word) = c
            .args()
            .iter()
            .find(|w| w.value.as_deref() == Some("install"))
        else {
            continue;
        };
        let Some(span) = word.span.clone() else {
            continue;
        };
        let packages: Vec<&str> = c
            .args()
            .iter()
            .filter_map(|w| w.value.as_deref())
            .filter(|v| !v.starts_with('-') && *v != "install")
            .map(|v| v.split('=').next().unwrap_or(v))
            .collect();
        if let Some(p) = packages.iter().find(|p| WANTS_CERTIFICATES.contains(p))
            && !packages.contains(&"ca-certificates")
        {
            out.note(
                super::ID,
                Reason::RecommendsNeeded,
                Level::Info,
                span.start,
                format!(
                    "keeps the recommended packages: {p} recommends ca-certificates, which HTTPS needs, and this install does not name it (add ca-certificates, then --no-install-recommends)"
                ),
            );
            continue;
        }
        let (safety, why) = if copied_by_path_only(cx, r.stage) {
            (
                Safety::Safe,
                "a builder stage whose outputs are copied by path",
            )
        } else {
            (
                Safety::Review,
                "a recommended package may be one a program needs at run time: check the diff",
            )
        };
        out.change(change(
            safety,
            format!(
                "`apt-get install --no-install-recommends`: only the packages named and what they depend on ({why})"
            ),
            vec![flag_after(span.end, "--no-install-recommends")],
            None,
        ));
    }
}

fn lists(cx: &Context, r: &Run, later: &[Run], out: &mut Findings) {
    let updates = r.commands(APT).any(|c| subcommand(c) == Some("update"));
    if !updates || r.removes(LISTS) {
        return;
    }
    // a cleanup RUN right after this one is moved here instead (see `stray_cleanup`)
    if later
        .iter()
        .take_while(|l| l.commands(APT).next().is_none() || only_cleanup(l))
        .any(only_cleanup)
    {
        return;
    }
    if let Some(next) = later.iter().find(|l| installs_without_update(l)) {
        out.note(
            super::ID,
            Reason::NeedsCache,
            Level::Info,
            r.ins.span.start,
            format!(
                "keeps the apt lists: the RUN on line {} installs without its own `apt-get update`",
                next.ins.line
            ),
        );
        return;
    }
    if let Some(edit) = append(cx, r, CLEANUP, out) {
        out.change(change(
            Safety::Safe,
            "the apt lists `apt-get update` downloaded are removed in the same RUN: removed later, they would stay in this layer".to_string(),
            vec![edit],
            Some(LISTS_MB),
        ));
    }
}

/// True when the RUN runs apt (install, upgrade, source …) without `apt-get update` first.
fn installs_without_update(r: &Run) -> bool {
    let mut updated = false;
    for c in r.commands(APT) {
        match subcommand(c) {
            Some("update") => updated = true,
            Some(
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "source" | "build-dep",
            ) if !updated => {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// True for a RUN made only of apt cleanup that removes the lists.
fn only_cleanup(r: &Run) -> bool {
    !r.script.commands.is_empty()
        && r.removes(LISTS)
        && r.script.commands.iter().all(|c| match c.program() {
            Some("rm") => c
                .args()
                .iter()
                .filter_map(|w| w.value.as_deref())
                .filter(|v| !v.starts_with('-'))
                .all(|v| v.starts_with(LISTS) || v.starts_with("/var/cache/apt")),
            Some("apt-get" | "apt") => subcommand(c) == Some("clean"),
            _ => false,
        })
}

/// A RUN made only of apt cleanup (`rm -rf /var/lib/apt/lists/*`, `apt-get
/// clean`) after the RUN that ran `apt-get update`, with no apt in between:
/// move its commands there.
pub(super) fn stray_cleanup(cx: &Context, runs: &[Run], out: &mut Findings) {
    for (i, r) in runs.iter().enumerate() {
        if !only_cleanup(r) {
            continue;
        }
        // the last earlier RUN that used apt must be the one that updated
        let Some(maker) = runs[..i]
            .iter()
            .rev()
            .find(|m| m.commands(APT).next().is_some())
        else {
            continue;
        };
        let updated = maker.commands(APT).any(|c| subcommand(c) == Some("update"));
        if !updated || maker.removes(LISTS) || maker.cache_mount(&["/var/lib/apt"]) {
            continue;
        }
        // instructions between the two must not be able to need the lists
        let between = (maker.n + 1..r.n).any(|n| {
            let k = cx.doc.instructions[n].keyword;
            !matches!(
                k,
                crate::syntax::Keyword::Env
                    | crate::syntax::Keyword::Arg
                    | crate::syntax::Keyword::Label
                    | crate::syntax::Keyword::Workdir
                    | crate::syntax::Keyword::Expose
                    | crate::syntax::Keyword::Copy
                    | crate::syntax::Keyword::Add
                    | crate::syntax::Keyword::Run
            )
        });
        if between
            || runs[..i]
                .iter()
                .any(|m| m.n > maker.n && m.commands(APT).next().is_some())
        {
            continue;
        }
        let Some(body) = cx.text.get(r.ins.keyword_span.end..r.ins.span.end) else {
            continue;
        };
        let body = body.trim();
        if body.starts_with('-') || body.contains('\n') || body.contains(cx.doc.escape) {
            continue;
        }
        let Some(at) = maker.append_at else {
            continue;
        };
        // delete the stray RUN's whole lines (its comment lines above stay)
        let start = r.ins.line_start;
        let end = line_end(cx.text, r.ins.span.end);
        out.change(change(
            Safety::Review,
            format!(
                "`{body}` on line {} frees nothing: the lists are in the layer of line {}, which ran `apt-get update`; moved into that RUN",
                r.ins.line, maker.ins.line
            ),
            vec![
                Edit::insert(at, format!(" {}\n    && {body}", cx.doc.escape)),
                Edit::replace(start..end, ""),
            ],
            Some(LISTS_MB),
        ));
    }
}

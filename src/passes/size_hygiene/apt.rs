//! ### apt
//! - `apt-get install` / `apt install` gets `--no-install-recommends`
//!   (review, or safe in a builder only copied from by path), unless the
//!   file configures `Install-Recommends` itself. The recommended packages
//!   that the named ones need in practice are named instead (`ca-certificates`
//!   for curl, wget and git, `openssh-client` for git); for gnupg, whose
//!   helpers are recommends, the recommends stay (`recommends-needed`).
//! - A RUN that runs `apt-get update` ends with `rm -rf /var/lib/apt/lists/*`
//!   (safe), unless a later RUN of the stage installs without its own update
//!   (`needs-cache`). A RUN that is only `apt-get update`, right before the
//!   RUN that installs, is merged into it (review).
//! - A RUN that only removes the lists (or runs `apt-get clean`) after the
//!   RUN that made them frees nothing: its commands move into that RUN
//!   (review).

use super::{Facts, Run, append, change, copied_by_path_only, flag_after};
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
/// Packages whose recommended packages are needed in practice: named in the
/// install when recommends are dropped (`None`: too many to name; keep them).
const KEEP_RECOMMENDED: &[(&str, Option<&[&str]>)] = &[
    // HTTPS needs the certificate bundle
    ("curl", Some(&["ca-certificates"])),
    ("wget", Some(&["ca-certificates"])),
    ("aria2", Some(&["ca-certificates"])),
    // `git clone https://…` and `git@…:` (ssh-client is openssh-client)
    ("git", Some(&["ca-certificates", "openssh-client"])),
    // keyservers (dirmngr), agents and helpers
    ("gnupg", None),
    ("gnupg2", None),
    ("gpg", None),
];

fn subcommand(c: &Command) -> Option<&str> {
    c.args()
        .iter()
        .filter_map(|w| w.value.as_deref())
        .find(|v| !v.starts_with('-'))
}

/// What the RUNs after one RUN of the stage hold, for [`lists`]; computed
/// for all RUNs in one backward scan ([`Later::of`]) so a stage of many RUNs
/// stays linear.
pub(super) struct Later {
    /// For each RUN: the first later RUN that installs without its own update.
    needing: Vec<Option<usize>>,
    /// For each RUN: a cleanup-only RUN follows before any other RUN using apt.
    cleanup_follows: Vec<bool>,
}

/// [`Later`] for one RUN.
pub(super) struct After<'r, 'a> {
    /// The next readable RUN.
    next: Option<&'r Run<'a>>,
    needing: Option<&'r Run<'a>>,
    cleanup_follows: bool,
}

impl Later {
    pub(super) fn of(runs: &[Run]) -> Later {
        let mut needing = vec![None; runs.len()];
        let mut cleanup_follows = vec![false; runs.len()];
        let (mut need, mut cleanup) = (None, false);
        for i in (0..runs.len()).rev() {
            needing[i] = need;
            cleanup_follows[i] = cleanup;
            let r = &runs[i];
            if installs_without_update(r) {
                need = Some(i);
            }
            if only_cleanup(r) {
                cleanup = true;
            } else if r.commands(APT).next().is_some() {
                cleanup = false;
            }
        }
        Later {
            needing,
            cleanup_follows,
        }
    }

    pub(super) fn at<'r, 'a>(&self, runs: &'r [Run<'a>], i: usize) -> After<'r, 'a> {
        After {
            next: runs.get(i + 1),
            needing: self.needing[i].map(|j| &runs[j]),
            cleanup_follows: self.cleanup_follows[i],
        }
    }
}

pub(super) fn check(cx: &Context, facts: &Facts, r: &Run, later: &After, out: &mut Findings) {
    if r.cache_mount(&["/var/lib/apt", "/var/cache/apt"]) {
        return;
    }
    recommends(cx, facts, r, out);
    lists(cx, r, later, out);
}

fn recommends(cx: &Context, facts: &Facts, r: &Run, out: &mut Findings) {
    // recommends configured for the whole file (apt.conf, `-o APT::Install-Recommends=…`)
    if facts.recommends_configured {
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
        let package_words: Vec<&crate::shell::ShellWord> = c
            .args()
            .iter()
            .filter(|w| {
                w.value
                    .as_deref()
                    .is_some_and(|v| !v.starts_with('-') && v != "install")
            })
            .collect();
        let packages: Vec<&str> = package_words
            .iter()
            .filter_map(|w| w.value.as_deref())
            .map(|v| v.split('=').next().unwrap_or(v))
            .collect();
        let kept = match kept_recommends(&packages) {
            Ok(kept) => kept,
            Err(p) => {
                out.note(
                    Reason::RecommendsNeeded,
                    Level::Info,
                    span.start,
                    format!(
                        "keeps the recommended packages: {p}'s recommended packages are commonly needed with it"
                    ),
                );
                continue;
            }
        };
        let mut edits = vec![flag_after(span.end, "--no-install-recommends")];
        if !kept.is_empty() {
            let Some(last) = package_words.last().and_then(|w| w.span.clone()) else {
                continue;
            };
            edits.push(Edit::insert(last.end, format!(" {}", kept.join(" "))));
        }
        let (safety, why) = recommends_safety(cx, r);
        out.change(change(
            safety,
            format!(
                "`apt-get install --no-install-recommends`: only the packages named and what they depend on{} ({why})",
                if kept.is_empty() {
                    String::new()
                } else {
                    format!(", and {} which HTTPS or ssh needs, named", kept.join(", "))
                }
            ),
            edits,
            None,
        ));
    }
}

/// The recommended packages the named ones need in practice (HTTPS, ssh), to be
/// named explicitly; `Err(package)` for one whose recommended packages are
/// commonly needed with it (the last such one named).
fn kept_recommends<'a>(packages: &[&'a str]) -> Result<Vec<&'static str>, &'a str> {
    let mut kept: Vec<&'static str> = Vec::new();
    let mut unsure = None;
    for p in packages {
        match KEEP_RECOMMENDED.iter().find(|(name, _)| name == p) {
            Some((_, Some(needed))) => {
                for n in *needed {
                    if !packages.contains(n) && !kept.contains(n) {
                        kept.push(n);
                    }
                }
            }
            Some((_, None)) => unsure = Some(*p),
            None => {}
        }
    }
    match unsure {
        Some(p) => Err(p),
        None => Ok(kept),
    }
}

/// Safe in a builder stage whose outputs are copied by path; review elsewhere.
fn recommends_safety(cx: &Context, r: &Run) -> (Safety, &'static str) {
    if copied_by_path_only(cx, r.stage) {
        (
            Safety::Safe,
            "a builder stage whose outputs are copied by path",
        )
    } else {
        (
            Safety::Review,
            "a recommended package may be one a program needs at run time: check the diff",
        )
    }
}

fn lists(cx: &Context, r: &Run, later: &After, out: &mut Findings) {
    let updates = r.commands(APT).any(|c| subcommand(c) == Some("update"));
    if !updates || r.removes(LISTS) {
        return;
    }
    // a cleanup RUN right after this one is moved here instead (see `stray_cleanup`)
    if later.cleanup_follows {
        return;
    }
    if let Some(next) = later.next
        && update_only(r)
        && next.n == r.n + 1
        && r.ins.flags.is_empty()
        && next.ins.flags.is_empty()
        && next.script.commands.first().is_some_and(|c| {
            c.program().is_some_and(|p| APT.contains(&p)) && subcommand(c) == Some("install")
        })
        && let Some(body) = cx.text.get(r.ins.keyword_span.end..r.ins.span.end)
        && !body.trim().contains('\n')
        && !body.contains(cx.doc.escape)
    {
        let at = next.script.commands[0].span.start;
        out.change(change(
            Safety::Review,
            format!(
                "`RUN {}` alone leaves its lists in a layer no later RUN can clean (and a cached update installs stale versions): merged into the install on line {}",
                body.trim(),
                next.ins.line
            ),
            vec![
                Edit::replace(r.ins.line_start..line_end(cx.text, r.ins.span.end), ""),
                Edit::insert(at, format!("{} && ", body.trim())),
            ],
            None,
        ));
        return;
    }
    if let Some(next) = later.needing {
        out.note(
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

/// True when every command of the RUN is `apt-get update` / `apt update`.
fn update_only(r: &Run) -> bool {
    !r.script.commands.is_empty()
        && r.script.commands.iter().all(|c| {
            c.program().is_some_and(|p| APT.contains(&p)) && subcommand(c) == Some("update")
        })
}

/// True when the RUN runs apt (install, upgrade, source …) without `apt-get update` first.
/// apt run through another program (`xargs apt-get install`, `sh -c "apt …"`)
/// counts as an install.
fn installs_without_update(r: &Run) -> bool {
    let through_other = r.script.commands.iter().any(|c| {
        !c.program().is_some_and(|p| APT.contains(&p))
            && c.words.iter().any(|w| {
                w.value.as_deref().is_some_and(|v| {
                    v.contains("apt-get") || v.split_whitespace().any(|t| t == "apt")
                })
            })
    });
    if through_other {
        return true;
    }
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
    let mut last_apt: Option<&Run> = None;
    for r in runs {
        let previous_apt = last_apt;
        if r.commands(APT).next().is_some() {
            last_apt = Some(r);
        }
        if !only_cleanup(r) {
            continue;
        }
        // the last earlier RUN that used apt must be the one that updated
        let Some(maker) = previous_apt else {
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
        // a RUN between them the shell model could not read may use apt
        let unreadable_run = (maker.n + 1..r.n).any(|n| {
            cx.doc.instructions[n].keyword == crate::syntax::Keyword::Run
                && runs.binary_search_by_key(&n, |x| x.n).is_err()
        });
        if between || unreadable_run {
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

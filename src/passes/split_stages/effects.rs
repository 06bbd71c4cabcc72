//! ### Effects carried to the runtime (every recipe)
//! Before a split, every effect of the original stage is listed, and each one
//! that is not a build input is carried into the runtime stage:
//! - a COPY/ADD outside the app folder (an entrypoint script in `/`, configs
//!   in `/etc`, a second WORKDIR) is copied over from the builder, path by path;
//! - a RUN that creates users is replayed when the runtime base has the tools
//!   (otherwise `/etc/passwd` and `/etc/group` are copied); a global
//!   `npm install -g` is replayed on a Node runtime; `update-ca-certificates`
//!   carries `/etc/ssl/certs`; files a RUN writes outside the build folders
//!   (`mkdir -p /data`, `curl -o /usr/local/bin/tool`, `ln -s`, `sed -i /etc/…`)
//!   are copied over;
//! - models are runtime data: Python run during the build is read (`python -c
//!   "…"`, a project script from the build context, `python -m
//!   nltk.downloader`, `huggingface-cli download`), and the caches its
//!   downloads fill (Hugging Face, torch hub, Keras, NLTK, whisper, … at the
//!   folder their variables, `HOME` and user give) and the outputs its options
//!   name (`--out /models/m.joblib`, `--output-dir`, `--local-dir` …) are
//!   copied to the same path; code whose writes cannot be told (an unknown
//!   call, a script not at hand that names no output, a subprocess, a
//!   download under a condition) leaves the file alone;
//! - ENV, ARG and WORKDIR lines are carried as written, and the builder base's
//!   default WORKDIR is kept when the original sets none.
//!
//! An effect that cannot be carried (a RUN slimfile cannot read, a program it
//! does not know, a path it cannot resolve, a variable only the builder's base
//! defines) leaves the file alone with `effect-unknown`, naming it. Package
//! managers' own caches (`~/.cache/pip`, `/root/.npm`, `/go/pkg` …) and `/tmp`
//! are scratch; the rest of `~/.cache` is not (models, browsers).

use crate::reason::Reason;
use std::collections::BTreeSet;

use super::{Context, Keyword, Plan, Stage, artifacts};
use crate::image::ImageRef;
use crate::image_config::{self, ImageConfig};

mod copies;
mod interpreters;
mod ownership;
mod runs;
mod writes;

use copies::copy_effects;
use runs::run_effects;

/// What the runtime stage must get besides the recipe's artifacts.
#[derive(Debug, Default)]
pub(super) struct Effects {
    /// RUN lines replayed first in the runtime stage.
    pub setup: Vec<String>,
    /// Paths copied from the builder, absolute.
    pub carried: Vec<String>,
    /// `WORKDIR` to state in the runtime (the builder base's default), if any.
    pub workdir: Option<String>,
    /// What was carried, for the message.
    pub said: Vec<String>,
    /// Copied paths whose owner a RUN set (`chown -R node /app`), with that
    /// owner: `COPY --from` makes a copied folder itself root's, so the
    /// runtime's copy says `--chown`.
    pub owners: Vec<(String, String)>,
    /// Paths known to be folders (WORKDIRs, `mkdir`): a copy of one resets
    /// its own owner and mode.
    dirs: BTreeSet<String>,
}

/// An effect that cannot be carried: where and why.
pub(super) struct Blocker {
    pub at: usize,
    pub code: Reason,
    pub message: String,
}

fn blocker(at: usize, code: Reason, message: impl Into<String>) -> Blocker {
    Blocker {
        at,
        code,
        message: message.into(),
    }
}

/// True when `path` is `dir` or under it.
fn under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// The builder path of a generated `COPY --from={builder} SRC DEST` line.
pub(super) fn copy_source(line: &str) -> Option<String> {
    if let Some(i) = line.find('[') {
        return serde_json::from_str::<Vec<String>>(&line[i..])
            .ok()?
            .into_iter()
            .next();
    }
    line.split_whitespace().nth(2).map(str::to_string)
}

/// Lists the original stage's effects and what carrying them takes.
///
/// `interpreted`: the runtime runs the sources (Node, Python), so the plan's
/// app folder is the tree that matters; otherwise the folders the build
/// works in are build inputs, not carried.
pub(super) fn inventory(
    cx: &Context,
    stage: &Stage,
    plan: &Plan,
    interpreted: bool,
) -> Result<Effects, Blocker> {
    let at = stage.base_span.start;
    // a runtime written with the file's ARGs (`FROM ${BASE}`) is read with their defaults
    let runtime = ImageRef::parse(
        &crate::image::expand(&plan.runtime_base, &cx.model.global_args)
            .unwrap_or_else(|| plan.runtime_base.clone()),
    );
    let Some(runtime_cfg) = image_config::config_of(&runtime) else {
        return Err(blocker(
            at,
            Reason::NotYet,
            format!(
                "no run-time facts about {} (transforms/images.toml)",
                plan.runtime_base
            ),
        ));
    };
    let builder_cfg = image_config::config_of(stage.effective_base());
    let covered: Vec<String> = plan.copies.iter().filter_map(|c| copy_source(c)).collect();
    // the base image's own WORKDIR (`/go` on golang) is where a file without one builds
    let mut build_dirs: BTreeSet<String> = builder_cfg
        .map(|c| c.workdir.clone())
        .filter(|w| w != "/")
        .into_iter()
        .collect();
    let mut fx = Effects {
        workdir: default_workdir(cx, stage, builder_cfg, runtime_cfg)?,
        ..Effects::default()
    };
    let workdirs = artifacts::workdirs(cx, stage);
    let defined: std::collections::HashSet<String> = stage
        .instructions
        .clone()
        .map(|n| &cx.doc.instructions[n])
        .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg))
        .flat_map(crate::model::arg_pairs)
        .map(|(k, _)| k)
        .collect();
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let wd = workdirs[n - stage.instructions.start].clone();
        match ins.keyword {
            Keyword::Workdir => {
                let dir = workdirs[n + 1 - stage.instructions.start].clone();
                fx.dirs.insert(dir.clone());
                if dir != "/" {
                    build_dirs.insert(dir);
                }
            }
            Keyword::Env | Keyword::Arg | Keyword::Label => {
                if let Some(var) = base_only_variable(cx, ins, &defined, builder_cfg, runtime_cfg) {
                    return Err(blocker(
                        ins.span.start,
                        Reason::EffectUnknown,
                        format!(
                            "line {} expands `${var}`, which {} defines and {} does not",
                            ins.line, stage.base_text, plan.runtime_base
                        ),
                    ));
                }
            }
            Keyword::Copy | Keyword::Add if ins.flag("from").is_none() => {
                let build = (!interpreted).then_some(&build_dirs);
                copy_effects(ins, &wd, build, &covered, &mut fx)?;
            }
            Keyword::Run => {
                let known = (runtime_cfg, plan.build_programs);
                run_effects(cx, stage, n, &wd, &build_dirs, &covered, known, &mut fx)?
            }
            _ => {}
        }
    }
    carry_named_user_accounts(cx, stage, runtime_cfg, &mut fx);
    Ok(fx)
}

/// The builder base's default WORKDIR, to state in the runtime: it stays in
/// effect when the original sets none (also when the first WORKDIR is
/// relative: it is relative to that default). `None` when it is the
/// runtime's own default or the original sets an absolute one.
fn default_workdir(
    cx: &Context,
    stage: &Stage,
    builder_cfg: Option<&ImageConfig>,
    runtime_cfg: &ImageConfig,
) -> Result<Option<String>, Blocker> {
    let first_workdir = stage
        .instructions
        .clone()
        .map(|n| &cx.doc.instructions[n])
        .find(|i| i.keyword == Keyword::Workdir);
    let absolute = first_workdir
        .and_then(|i| i.words().first())
        .is_some_and(|w| w.value.starts_with('/'));
    if absolute {
        return Ok(None);
    }
    match builder_cfg {
        Some(b) if b.workdir != runtime_cfg.workdir => Ok(Some(b.workdir.clone())),
        Some(_) => Ok(None),
        None => Err(blocker(
            stage.base_span.start,
            Reason::EffectUnknown,
            format!(
                "no WORKDIR, and the default working folder of {} is not known",
                stage.base_text
            ),
        )),
    }
}

/// A named USER on a base without the account tools: carry the account files.
fn carry_named_user_accounts(
    cx: &Context,
    stage: &Stage,
    runtime_cfg: &ImageConfig,
    fx: &mut Effects,
) {
    let named_user = stage.instructions.clone().any(|i| {
        let ins = &cx.doc.instructions[i];
        ins.keyword == Keyword::User
            && ins.words().first().is_some_and(|w| {
                !w.value.starts_with(|c: char| c.is_ascii_digit()) && w.value != "root"
            })
    });
    let copies_accounts = fx.carried.iter().any(|p| p == "/etc/passwd");
    if named_user && !copies_accounts && !has_account_tools(runtime_cfg) {
        for p in ["/etc/passwd", "/etc/group"] {
            fx.carried.push(p.to_string());
        }
        fx.said
            .push("/etc/passwd and /etc/group (a named USER)".into());
    }
}

fn has_account_tools(cfg: &ImageConfig) -> bool {
    cfg.has_program("useradd") || cfg.has_program("adduser")
}

/// A variable a carried ENV/ARG/LABEL expands that only the builder's base defines.
fn base_only_variable(
    cx: &Context,
    ins: &crate::syntax::Instruction,
    defined: &std::collections::HashSet<String>,
    builder: Option<&ImageConfig>,
    runtime: &ImageConfig,
) -> Option<String> {
    let text = ins.args_text();
    let mut vars = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let name: String = rest
            .trim_start_matches('{')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            vars.push(name);
        }
    }
    vars.into_iter().find(|v| {
        let defined_here = defined.contains(v) || cx.model.global_args.contains_key(v);
        let from_builder = builder.is_none_or(|b| b.sets(v));
        !defined_here && from_builder && !runtime.sets(v)
    })
}

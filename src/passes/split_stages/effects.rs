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
//! - ENV, ARG and WORKDIR lines are carried as written, and the builder base's
//!   default WORKDIR is kept when the original sets none.
//!
//! An effect that cannot be carried (a RUN slimfile cannot read, a program it
//! does not know, a path it cannot resolve, a variable only the builder's base
//! defines) leaves the file alone with `effect-unknown`, naming it.

use crate::reason::Reason;
use std::collections::BTreeSet;

use super::*;
use crate::image::ImageRef;
use crate::image_config::{self, ImageConfig};
use crate::shell::{Manager, Script, ShellEnv, WriteKind};

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
    let runtime = ImageRef::parse(&plan.runtime_base);
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
                run_effects(cx, ins, &wd, &build_dirs, &covered, known, &mut fx)?
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

/// Carries what a COPY/ADD from the build context places, unless it is a
/// build input: inside `build_dirs` (`None` for an interpreted runtime,
/// where the app folder is what matters), the whole source tree, or already
/// covered by the recipe's copies or carried.
fn copy_effects(
    ins: &crate::syntax::Instruction,
    wd: &str,
    build_dirs: Option<&BTreeSet<String>>,
    covered: &[String],
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    for dest in copy_targets(ins, wd, r)
        .map_err(|why| blocker(ins.span.start, Reason::EffectUnknown, why))?
    {
        let in_build = build_dirs.is_some_and(|b| b.iter().any(|d| under(&dest, d)));
        // the source tree itself is what a compiled build consumes
        let bulk_at_root = build_dirs.is_some() && is_bulk_copy(ins);
        if in_build
            || bulk_at_root
            || covered.iter().any(|c| under(&dest, c))
            || fx.carried.iter().any(|c| under(&dest, c))
        {
            continue;
        }
        fx.said.push(format!("{dest} (line {})", ins.line));
        fx.carried.push(dest);
    }
    Ok(())
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

/// `COPY . DEST` (or `./`, `*`): the whole build context.
fn is_bulk_copy(ins: &crate::syntax::Instruction) -> bool {
    let words = ins.words();
    words.len() >= 2
        && words[..words.len() - 1]
            .iter()
            .all(|w| matches!(w.value.as_str(), "." | "./" | "*" | "./*"))
}

/// The absolute paths a COPY/ADD from the build context places, as precisely
/// as they can be named (a folder when the sources land inside one).
fn copy_targets(
    ins: &crate::syntax::Instruction,
    wd: &str,
    r: &crate::recipes::Effects,
) -> Result<Vec<String>, String> {
    let mut parts: Vec<String> = match &ins.args {
        crate::syntax::Args::Exec(e) => e.clone(),
        crate::syntax::Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
    };
    if !ins.heredocs.is_empty() {
        // heredoc sources are files created in the destination
        if let Some(dest) = parts.last() {
            return Ok(vec![artifacts::join(wd, dest)]);
        }
        return Ok(Vec::new());
    }
    let Some(dest) = parts.pop() else {
        return Ok(Vec::new());
    };
    if dest.contains('$') || parts.iter().any(|p| p.contains('$')) {
        return Err(format!(
            "line {}: a COPY/ADD path uses a variable: cannot tell what it places",
            ins.line
        ));
    }
    let dest_abs = artifacts::join(wd, &dest);
    // `.` and `/` are folders that exist: a file copied there lands inside
    let into_dir = dest.ends_with('/')
        || matches!(dest.as_str(), "." | "./")
        || dest_abs == "/"
        || parts.len() > 1;
    let bulk = parts
        .iter()
        .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*"));
    if bulk || !into_dir {
        return Ok(vec![dest_abs]);
    }
    let mut out = Vec::new();
    for src in &parts {
        let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let file_like = !src.ends_with('/')
            && !src.contains(['*', '?', '['])
            && name.contains('.')
            && !name.starts_with('.');
        if file_like {
            out.push(artifacts::join(&dest_abs, name));
        } else if r.system_dirs.iter().any(|d| d == &dest_abs) {
            return Err(format!(
                "line {}: `{src}` goes into {dest_abs}, a system folder slimfile will not copy whole",
                ins.line
            ));
        } else {
            out.push(dest_abs.clone());
        }
    }
    Ok(out)
}

/// The effects of one RUN.
fn run_effects(
    cx: &Context,
    ins: &crate::syntax::Instruction,
    wd: &str,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    (runtime, recipe_programs): (&ImageConfig, &[String]),
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let line = ins.line;
    let here = ins.span.start;
    let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
    let build_dirs = with_build_folders(&script, build_dirs);
    if script.opaque_parts {
        return Err(blocker(
            here,
            Reason::EffectUnknown,
            format!("line {line}: part of this RUN is not a shell script slimfile can read"),
        ));
    }
    replay_global_installs(&script, runtime, line, here, fx)?;
    let replay = carry_written_paths(&script, &build_dirs, covered, runtime, line, here, fx)?;
    carry_in_place_edits(&script, &build_dirs, covered, line, here, fx)?;
    installs_in_known_folders(&script, line, here)?;
    forget_deleted_paths(&script, fx);
    known_programs_only(&script, recipe_programs, line, here)?;
    for w in script.writes_paths() {
        if let (WriteKind::Directory, Some(p)) = (w.kind, w.path) {
            fx.dirs.insert(p);
        }
    }
    if !replay {
        ownership_changes(&script, covered, line, here, fx)?;
    }
    if replay {
        // a recipe's own build step (composer, docker-php-ext-install, bundle …) must not run again
        let runs_recipe_build = script.commands.iter().any(|c| {
            c.program()
                .is_some_and(|p| recipe_programs.iter().any(|r| r == p))
        });
        if runs_recipe_build || analysis::compile_step(&analysis::script(cx.text, ins)).is_some() {
            return Err(blocker(
                here,
                Reason::UserSetup,
                "the user is created in a RUN that also builds; split it out so the runtime can create the user too",
            ));
        }
        fx.setup.push(cx.text[ins.span.clone()].to_string());
    }
    Ok(())
}

/// `chown`/`chmod` of a folder the runtime copies whole, or of a folder
/// above one: the copy keeps the owner and mode of what is inside (and of a
/// copied file), but makes the copied folder itself root's with the default
/// mode. A recursive `chown` with a literal owner is carried as `COPY
/// --chown`; anything else on a folder leaves the file alone.
fn ownership_changes(
    script: &Script,
    covered: &[String],
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let copied: Vec<String> = covered.iter().chain(fx.carried.iter()).cloned().collect();
    for c in &script.commands {
        let Some(program @ ("chown" | "chmod")) = c.program() else {
            continue;
        };
        let args = c.args();
        let recursive = args.iter().any(|w| {
            w.raw == "--recursive"
                || (w.raw.starts_with('-') && !w.raw.starts_with("--") && w.raw.contains('R'))
        });
        let mut operands = args.iter().filter(|w| !w.raw.starts_with('-'));
        // chown's first operand is the owner, chmod's the mode
        let Some(first) = operands.next() else {
            continue;
        };
        for w in operands {
            let path = w.value.as_deref().and_then(|v| c.resolve(v));
            let hits: Vec<&String> = match &path {
                Some(p) => copied.iter().filter(|d| under(d, p)).collect(),
                None => copied.iter().collect(),
            };
            if hits.is_empty() {
                continue;
            }
            // a copied file keeps its owner and mode; a copied folder's own are reset
            let folder = recursive || hits.iter().any(|h| fx.dirs.contains(*h));
            if !folder {
                continue;
            }
            let owner = first.value.as_deref().filter(|o| !o.is_empty());
            match (program, recursive, owner) {
                ("chown", true, Some(owner)) if path.is_some() => {
                    for h in hits {
                        if !fx.owners.iter().any(|(p, _)| p == h) {
                            fx.owners.push((h.clone(), owner.to_string()));
                            fx.said.push(format!("{h} owned by {owner} (line {line})"));
                        }
                    }
                }
                _ => {
                    return Err(blocker(
                        here,
                        Reason::EffectUnknown,
                        format!(
                            "line {line}: `{program}` of {}, which the runtime copies: `COPY --from` would make the copied folder itself root's with the default mode",
                            path.as_deref().unwrap_or(&w.raw)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `build_dirs` and the folders the script's build programs run in.
fn with_build_folders(script: &Script, build_dirs: &BTreeSet<String>) -> BTreeSet<String> {
    let r = &recipes().effects;
    let mut build_dirs = build_dirs.clone();
    for c in &script.commands {
        if let (Some(p), Some(cwd)) = (c.program(), c.cwd.as_deref())
            && r.build_programs.iter().any(|b| b == p)
            && cwd != "/"
        {
            build_dirs.insert(cwd.to_string());
        }
    }
    build_dirs
}

/// Global npm/yarn/pnpm installs are replayed on the runtime; pip into a
/// location of its own cannot be carried.
fn replay_global_installs(
    script: &Script,
    runtime: &ImageConfig,
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<(), Blocker> {
    for install in script.installs() {
        if install.global
            && matches!(
                install.manager,
                Manager::Npm | Manager::Yarn | Manager::Pnpm
            )
        {
            if !runtime.has_program("npm") {
                return Err(blocker(
                    here,
                    Reason::EffectUnknown,
                    format!(
                        "line {line}: a global {:?} install cannot be replayed on a runtime without npm",
                        install.manager
                    ),
                ));
            }
            let cmd = &script.commands[install.command];
            let text: Vec<&str> = cmd.words.iter().map(|w| w.raw.as_str()).collect();
            fx.setup.push(format!("RUN {}", text.join(" ")));
            fx.said
                .push(format!("the global install `{}`", text.join(" ")));
        } else if matches!(install.manager, Manager::Pip) && install.location.is_some() {
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!("line {line}: pip installs into a location of its own"),
            ));
        }
    }
    Ok(())
}

/// Carries what the script writes outside the build and scratch folders;
/// true when it creates users the runtime can create again (replay the RUN).
fn carry_written_paths(
    script: &Script,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    runtime: &ImageConfig,
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<bool, Blocker> {
    let r = &recipes().effects;
    let mut replay = false;
    let keep = |p: &str| {
        !r.scratch_paths.iter().any(|s| under(p, s))
            && !build_dirs.iter().any(|d| under(p, d))
            && !covered.iter().any(|c| under(p, c))
    };
    for w in script.writes_paths() {
        match w.kind {
            WriteKind::Accounts => {
                if has_account_tools(runtime) {
                    replay = true;
                } else if !fx.carried.iter().any(|p| p == "/etc/passwd") {
                    for p in ["/etc/passwd", "/etc/group"] {
                        fx.carried.push(p.to_string());
                    }
                    fx.said.push(format!(
                        "/etc/passwd and /etc/group (users made on line {line})"
                    ));
                }
                continue;
            }
            WriteKind::GlobalPackages => continue,
            WriteKind::Certificates => {
                if !fx.carried.iter().any(|p| p == "/etc/ssl/certs") {
                    fx.carried.push("/etc/ssl/certs".into());
                    fx.said.push(format!(
                        "/etc/ssl/certs (update-ca-certificates, line {line})"
                    ));
                }
                continue;
            }
            _ => {}
        }
        let Some(path) = w.path.as_deref() else {
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!(
                    "line {line}: `{}` writes a path slimfile cannot resolve",
                    w.raw
                ),
            ));
        };
        // `mkdir -p` of a folder every base has is a no-op
        let base_folder = r.system_dirs.iter().any(|d| d == path)
            || matches!(
                path,
                "/var/log" | "/var/lib" | "/var/run" | "/run" | "/usr/share" | "/usr/local/share"
            );
        if w.kind == WriteKind::Directory && base_folder {
            continue;
        }
        if keep(path) && !fx.carried.iter().any(|c| under(path, c)) {
            if r.system_dirs.iter().any(|d| d == path) {
                return Err(blocker(
                    here,
                    Reason::EffectUnknown,
                    format!("line {line}: writes the system folder {path}"),
                ));
            }
            fx.carried.push(path.to_string());
            fx.said.push(format!("{path} (written on line {line})"));
        }
    }
    Ok(replay)
}

/// Files `sed -i` edits in place outside the build and app folders are
/// carried (the runtime base has the unedited ones); a file it cannot
/// resolve (after `cd $(…)`, a variable) leaves the file alone.
fn carry_in_place_edits(
    script: &Script,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    for c in &script.commands {
        if c.program() != Some("sed") {
            continue;
        }
        let args = c.args();
        let value = |w: &crate::shell::ShellWord| w.value.clone().unwrap_or_default();
        let in_place = args.iter().map(value).any(|v| {
            v == "--in-place"
                || v.starts_with("--in-place=")
                || (v.starts_with('-') && !v.starts_with("--") && v[1..].contains('i'))
        });
        if !in_place {
            continue;
        }
        let mut operands: Vec<&crate::shell::ShellWord> = Vec::new();
        let mut script_given = false;
        let mut i = 0;
        while i < args.len() {
            let v = value(&args[i]);
            if matches!(v.as_str(), "-e" | "-f" | "--expression" | "--file") {
                script_given = true;
                i += 2;
                continue;
            }
            if v.starts_with("--expression=") || v.starts_with("--file=") {
                script_given = true;
            } else if !v.starts_with('-') || v == "-" {
                operands.push(&args[i]);
            }
            i += 1;
        }
        let files = if script_given {
            &operands[..]
        } else {
            operands.get(1..).unwrap_or(&[])
        };
        for w in files {
            let Some(path) = w.value.as_deref().and_then(|v| c.resolve(v)) else {
                return Err(blocker(
                    here,
                    Reason::EffectUnknown,
                    format!(
                        "line {line}: `sed -i` edits `{}`, a path slimfile cannot resolve",
                        w.raw
                    ),
                ));
            };
            let kept = !r.scratch_paths.iter().any(|s| under(&path, s))
                && !build_dirs.iter().any(|d| under(&path, d))
                && !covered.iter().any(|d| under(&path, d))
                && !fx.carried.iter().any(|d| under(&path, d));
            if kept {
                fx.said.push(format!("{path} (edited on line {line})"));
                fx.carried.push(path);
            }
        }
    }
    Ok(())
}

/// A project install (`npm install x`, `yarn add`) in a folder the shell
/// model cannot tell (after `cd $(npm root -g)`) writes packages where the
/// runtime may need them: leave the file alone.
fn installs_in_known_folders(script: &Script, line: usize, here: usize) -> Result<(), Blocker> {
    for install in script.installs() {
        let node = matches!(
            install.manager,
            Manager::Npm | Manager::Yarn | Manager::Pnpm
        );
        if node && !install.global && script.commands[install.command].cwd.is_none() {
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!("line {line}: installs node packages in a folder slimfile cannot tell"),
            ));
        }
    }
    Ok(())
}

/// Paths the script deletes are gone in the builder: never copy them.
fn forget_deleted_paths(script: &Script, fx: &mut Effects) {
    for c in &script.commands {
        if c.program() == Some("rm") {
            for a in c.args() {
                if let Some(p) = a.value.as_deref().filter(|v| !v.starts_with('-'))
                    && let Some(abs) = c.resolve(p)
                {
                    fx.carried.retain(|k| !under(k, &abs));
                    fx.said.retain(|s| {
                        !s.starts_with(&format!("{abs}/")) && !s.starts_with(&format!("{abs} "))
                    });
                }
            }
        }
    }
}

/// Programs whose writes the inventory reads (besides the recipes' build and harmless ones).
const PROGRAMS_WITH_KNOWN_WRITES: &[&str] = &[
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "groupmod",
    "chpasswd",
    "update-ca-certificates",
    "mkdir",
    "cp",
    "mv",
    "ln",
    "touch",
    "tee",
    "chmod",
    "chown",
    "sed",
    "tar",
    "unzip",
    "curl",
    "wget",
];

/// Every program the script runs is one whose effects are known (the
/// recipe's own build programs, `recipe_programs`, included).
fn known_programs_only(
    script: &Script,
    recipe_programs: &[String],
    line: usize,
    here: usize,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    for c in &script.commands {
        let Some(program) = c.program() else {
            if c.words.is_empty() {
                continue; // an assignment on its own
            }
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!("line {line}: a command whose program is a variable"),
            ));
        };
        let known = r.build_programs.iter().any(|p| p == program)
            || recipe_programs.iter().any(|p| p == program)
            || r.harmless_programs.iter().any(|p| p == program)
            || PROGRAMS_WITH_KNOWN_WRITES.contains(&program);
        if !known {
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!(
                    "line {line}: `{program}` may leave files the runtime needs, and slimfile cannot tell which"
                ),
            ));
        }
    }
    Ok(())
}

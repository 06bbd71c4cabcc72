// The effects of a RUN: the script read with the shell model, each kind of
// effect handled by its own step (global installs replayed, written and
// edited paths carried, ownership changes, programs whose writes are
// known), and a user set-up replayed in the runtime.

use super::super::{analysis, recipes};
use super::interpreters::{RunAt, interpreter_effects};
use super::ownership::ownership_changes;
use super::writes::{carry_in_place_edits, carry_written_paths, forget_deleted_paths};
use super::{BTreeSet, Blocker, Context, Effects, ImageConfig, Reason, Stage, blocker};
use crate::shell::{Manager, Script, ShellEnv, WriteKind};

/// The effects of one RUN (instruction `n` of `stage`).
#[allow(
    clippy::too_many_arguments,
    reason = "the inventory's state, passed down as is"
)]
pub(super) fn run_effects(
    cx: &Context,
    stage: &Stage,
    n: usize,
    wd: &str,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    (runtime, recipe_programs): (&ImageConfig, &[String]),
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let ins = &cx.doc.instructions[n];
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
    let at = RunAt {
        cx,
        stage,
        n,
        line,
        here,
    };
    interpreter_effects(&at, &script, covered, fx)?;
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

/// `build_dirs` and the folders the script's build programs run in.
pub(super) fn with_build_folders(
    script: &Script,
    build_dirs: &BTreeSet<String>,
) -> BTreeSet<String> {
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
pub(super) fn replay_global_installs(
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

/// A project install (`npm install x`, `yarn add`) in a folder the shell
/// model cannot tell (after `cd $(npm root -g)`) writes packages where the
/// runtime may need them: leave the file alone.
pub(super) fn installs_in_known_folders(
    script: &Script,
    line: usize,
    here: usize,
) -> Result<(), Blocker> {
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
    // model downloads, read by `interpreters.rs`
    "huggingface-cli",
    "hf",
];

/// Every program the script runs is one whose effects are known (the
/// recipe's own build programs, `recipe_programs`, included).
pub(super) fn known_programs_only(
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

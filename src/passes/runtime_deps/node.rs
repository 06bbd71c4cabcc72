//! ### Node packages left in the builder
//! A final stage on the node image whose command runs `node FILE` with
//! files copied from the builder, but not the builder's
//! `node_modules`, fails with `Cannot find module 'express'` when
//! package.json (read from the build context) lists dependencies. The repair
//! copies the builder's `node_modules` next to the copied files, where
//! Node's lookup finds them, and prunes dev dependencies at the end of the
//! builder's last RUN when nothing else uses that stage (npm, yarn 1, pnpm).
//! Without a package.json at hand the pass says so and changes nothing.

use super::{Link, scripts, warn};
use crate::artifacts;
use crate::edit::{Change, Edit, Findings, Safety};
use crate::model::RefKind;
use crate::passes::Context;
use crate::passes::edits::{append_to_run, insert_after};
use crate::reason::Reason;
use crate::shell::{Manager, Script, ShellEnv};
use crate::syntax::Keyword;

pub(super) fn check(cx: &Context, link: &Link, out: &mut Findings) {
    let builder = link.builder;
    let runtime = link.runtime;
    if runtime.effective_base().family() != "node" {
        return;
    }
    let Some((manager, app)) = project_install(cx, builder) else {
        return;
    };
    let Some(file) = command_file(cx, runtime) else {
        return;
    };
    let modules = artifacts::join(&app, "node_modules");
    if link.carries(&modules) || project_install(cx, runtime).is_some() {
        return;
    }
    let Some(root) = app_root(link, &app) else {
        return;
    };
    if !super::covers(&root, &file) {
        return;
    }
    let at = cx.doc.instructions[link.copies[0].instruction].span.start;
    let failure_start =
        format!("the final stage runs {file} but does not copy {modules} from the builder");
    let Some((dependencies, dev)) = package_dependencies(cx, out, at, &failure_start) else {
        return;
    };
    if dependencies.is_empty() {
        return;
    }
    let failure = format!(
        "{failure_start}, and package.json requires {}: it fails with `Cannot find module '{}'`",
        list(&dependencies),
        dependencies[0]
    );
    let dest = artifacts::join(&root, "node_modules");
    let mut edits = vec![insert_after(
        cx,
        link.last_copy(cx),
        &link.copy_line(cx, &modules, &dest),
    )];
    let mut how = format!("Copy the builder's node_modules to {dest}");
    if !dev.is_empty() {
        match prune_step(cx, link, manager) {
            Some((prune, edit)) => {
                edits.push(edit);
                how.push_str(&format!(", pruned of dev dependencies (`{prune}`)"));
            }
            None => how.push_str(" (dev dependencies included)"),
        }
    }
    out.change(Change::new(
        Safety::Review,
        format!("{failure}. {how}"),
        edits,
    ));
}

/// Where the builder's app folder `app` lands in the final stage (`/` for its root),
/// read from the copy that brings the app's files.
fn app_root(link: &Link, app: &str) -> Option<String> {
    let landed = link.copies.iter().find_map(|c| {
        c.sources
            .iter()
            .find(|s| s.starts_with(&format!("{app}/")))
            .and_then(|s| {
                let at = c.lands(s)?;
                let rel = s.strip_prefix(app)?;
                at.strip_suffix(rel).map(str::to_string)
            })
    })?;
    Some(if landed.is_empty() {
        "/".to_string()
    } else {
        landed
    })
}

/// The names of package.json's `dependencies` and `devDependencies`, or `None` after
/// a note when the build context has no package.json that reads as JSON.
fn package_dependencies(
    cx: &Context,
    out: &mut Findings,
    at: usize,
    failure_start: &str,
) -> Option<(Vec<String>, Vec<String>)> {
    let Some(text) = cx.read("package.json") else {
        warn(
            out,
            at,
            Reason::ContextUnknown,
            format!(
                "{failure_start}; no package.json at hand to tell whether the app requires packages"
            ),
        );
        return None;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        warn(
            out,
            at,
            Reason::ContextUnknown,
            format!("{failure_start}; package.json cannot be read as JSON"),
        );
        return None;
    };
    let names = |key: &str| -> Vec<String> {
        json.get(key)
            .and_then(|d| d.as_object())
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default()
    };
    Some((names("dependencies"), names("devDependencies")))
}

/// The prune command appended to the builder's last RUN, when the manager has one and
/// nothing but the final stage uses the builder.
fn prune_step(cx: &Context, link: &Link, manager: Manager) -> Option<(&'static str, Edit)> {
    let only_here = cx
        .model
        .refs_to(link.builder.index)
        .all(|r| r.kind == RefKind::CopyFrom && r.stage == link.runtime.index);
    let prune = match manager {
        Manager::Npm => "npm prune --omit=dev",
        Manager::Pnpm => "pnpm prune --prod",
        _ => return None,
    };
    let last = scripts(cx, link.builder)
        .last()
        .map(|(n, _)| &cx.doc.instructions[*n])?;
    only_here.then(|| (prune, append_to_run(cx, last, prune)))
}

/// The package manager and folder of the stage's project install (`npm ci`,
/// `npm install`, `yarn`, `pnpm install`), when it has one.
fn project_install(cx: &Context, stage: &crate::model::Stage) -> Option<(Manager, String)> {
    let mut found = None;
    for (n, _) in scripts(cx, stage) {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != Keyword::Run {
            continue;
        }
        let wd = artifacts::workdir_at(cx, stage, n);
        let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(&wd));
        for install in script.installs() {
            if !matches!(
                install.manager,
                Manager::Npm | Manager::Yarn | Manager::Pnpm
            ) || install.global
                || !install.packages.is_empty()
            {
                continue;
            }
            let dir = script.commands[install.command]
                .cwd
                .clone()
                .unwrap_or_else(|| wd.clone());
            found = Some((install.manager, dir));
        }
    }
    found
}

/// The absolute file a `node FILE` command runs, from the final stage's
/// ENTRYPOINT/CMD.
fn command_file(cx: &Context, stage: &crate::model::Stage) -> Option<String> {
    let command = artifacts::final_command(cx, stage);
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"'))
        .filter(|w| !w.is_empty())
        .collect();
    let node = words.iter().position(|w| *w == "node")?;
    let file = words[node + 1..].iter().find(|w| !w.starts_with('-'))?;
    let workdir = artifacts::workdir_at(cx, stage, stage.instructions.end);
    Some(artifacts::join(&workdir, file))
}

fn list(names: &[String]) -> String {
    if names.len() <= 3 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..3].join(", "), names.len() - 3)
    }
}

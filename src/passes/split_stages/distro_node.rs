// The Distro recipe's Node half: nodejs and npm from apt/apk, the app
// folder with its node_modules. (No `//!` docs: the recipe's are in
// distro.rs.)

use super::distro::{self, SameBase};
use super::{
    Build, Context, Findings, Plan, Reason, Stage, analysis, artifacts, copy_from_builder,
    final_command, has_word, recipes, run_time_text, skip, stage_apt,
};
use crate::shell::Manager;

/// True when the stage installs a Node project (`npm ci`, `npm install`, yarn, pnpm).
pub(super) fn detects(build: &Build) -> bool {
    build.has("npm", "ci")
        || build.has("npm", "install")
        || build.has("npm", "i")
        || build.words.iter().any(|w| w == "yarn")
        || build.has("pnpm", "install")
}

pub(super) fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let all = analysis::joined(scripts);
    let packages = distro::system_packages(&all);
    if !packages.iter().any(|p| p == "nodejs") {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "npm runs on {}, but no nodejs package is installed from the distribution: cannot tell where Node comes from",
                stage.base_text
            ),
        );
    }
    let cmd = final_command(cx, stage);
    if let Some(c) = recipes()
        .node
        .dev_runtime_commands
        .iter()
        .find(|c| cmd.contains(c.as_str()))
    {
        return skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            format!("the command runs `{c}`: it needs the build's tools at run time"),
        );
    }
    let (last_run, _) = scripts.last()?;
    let dir = artifacts::workdir_at(cx, stage, *last_run);
    if dir == "/" {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "no WORKDIR at the install: node_modules from the distribution's npm is carried only from the app folder a WORKDIR names",
        );
    }
    installs_in(cx, stage, &dir, out)?;
    let how = SameBase {
        why_same:
            "is a distribution base: the runtime would be the same base with nodejs installed again"
                .to_string(),
        short: "the same distribution base, nodejs installed again".to_string(),
        interpreter: Some("nodejs"),
        left_out: &["npm", "yarn"],
        libraries: Vec::new(),
    };
    let npm_left = stage_apt(cx, stage).iter().any(|p| p == "npm")
        && !has_word(&run_time_text(cx, stage), "npm");
    let gain = npm_left
        .then_some("distribution's npm, with node-gyp and the node-* packages it depends on");
    let runtime = distro::same_base_runtime(cx, stage, &how, gain, out)?;
    Some(Plan {
        ecosystem: "Node",
        interpreted: true,
        runtime_base: runtime.base,
        setup: runtime.setup,
        copies: vec![copy_from_builder(cx, &dir, &dir)],
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        build_programs: distro::build_programs(),
        why: format!("the app folder {dir} with its node_modules (dev dependencies kept)"),
        ..Plan::default()
    })
}

/// `Some` when every project install (`npm ci`, `yarn`, not `-g`) runs in
/// `dir`, so node_modules lands in what the runtime copies; `None` after
/// reporting.
fn installs_in(cx: &Context, stage: &Stage, dir: &str, out: &mut Findings) -> Option<()> {
    for (n, script) in artifacts::run_shells(cx, stage) {
        let ins = &cx.doc.instructions[n];
        for install in script.installs() {
            let node = matches!(
                install.manager,
                Manager::Npm | Manager::Yarn | Manager::Pnpm
            );
            if !node || install.global {
                continue;
            }
            let cwd = script.commands[install.command].cwd.as_deref();
            if cwd != Some(dir) || install.location.is_some() {
                return skip(
                    out,
                    stage.base_span.start,
                    Reason::ArtifactUnknown,
                    format!(
                        "line {} installs node packages in {}, not in the app folder {dir}",
                        ins.line,
                        cwd.unwrap_or("a folder slimfile cannot tell")
                    ),
                );
            }
        }
    }
    Some(())
}

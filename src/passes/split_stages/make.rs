//! ### make install
//! `make install` (or `cmake --install`) on debian, ubuntu or alpine: the
//! install prefix (`/usr/local` or `/opt/…`) on the same base, build
//! packages dropped, then `ldconfig` (glibc; musl needs no loader cache).
//! On an NVIDIA CUDA `-devel` image (Ubuntu) the runtime is the `-runtime`
//! flavor of the same tag, which has the CUDA libraries the program may load.
//! On alpine the `apk add` packages are kept unless they are build tools or
//! a `--virtual` group; a `-dev` package gives way to its runtime libraries
//! (`transforms/alpine-dev.toml`, named for the tag's Alpine release), and
//! one whose libraries are not known there is refused, named.

use super::families::{BaseFamily, flavor_swap};
use super::{
    Artifact, Build, Context, Findings, Plan, Recipe, Stage, VariantKind, analysis,
    artifact_or_skip, artifacts, copy_from_builder, distro, final_command, packages, run_time_text,
    runtime_packages, runtime_setup, skip, stage_apt, stage_shell,
};
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "make install",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    artifacts::make_installs(&build.all)
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let os = BaseFamily::of(stage).os_packages();
    let alpine = os == Some(distro::Distro::Alpine);
    if os.is_none() {
        return skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            "`make install` is split on debian, ubuntu, alpine and NVIDIA CUDA (Ubuntu) bases only",
        );
    }
    let swap = flavor_swap(cx, stage, VariantKind::Runtime, out).ok()?;
    let prefix = artifact_or_skip(artifacts::install_prefix(stage, scripts), stage, out)?;
    command_runs_from_prefix(cx, stage, &prefix, out)?;
    let command = run_time_text(cx, stage);
    let parsed = stage_shell(cx, stage);
    let (setup, dropped) = if alpine {
        apk_packages_left_behind(stage, &parsed, &command, out)?
    } else {
        apt_packages_left_behind(stage, &stage_apt(cx, stage), &command)
    };
    let mut why = match &swap {
        Some(_) => format!("the install prefix {} on the runtime flavor", prefix.path),
        None => format!("the install prefix {} on the same OS base", prefix.path),
    };
    if !dropped.is_empty() {
        why.push_str(&format!(", without {}", dropped.join(", ")));
    }
    let (runtime_base, sizes, same_base) = match swap {
        Some(s) => (s.base, s.sizes, None),
        None => (
            stage.base_text.clone(),
            (None, None),
            Some(format!(
                "the base stays {}; saving unknown (the catalog has no figures for build packages)",
                stage.base_text
            )),
        ),
    };
    Some(Plan {
        ecosystem: "make install",
        runtime_base,
        setup,
        copies: vec![copy_from_builder(cx, &prefix.path, &prefix.path)],
        // shared libraries installed under the prefix need the loader cache
        after: if alpine {
            Vec::new()
        } else {
            vec!["RUN ldconfig".to_string()]
        },
        sizes,
        same_base,
        why,
        ..Plan::default()
    })
}

/// `None` (after reporting) when the command compiles, or runs a program
/// by an absolute path outside the install prefix.
fn command_runs_from_prefix(
    cx: &Context,
    stage: &Stage,
    prefix: &Artifact,
    out: &mut Findings,
) -> Option<()> {
    let at = stage.base_span.start;
    let cmd = final_command(cx, stage);
    if let Some(step) = analysis::compile_step(&cmd) {
        return skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            format!("the command compiles ({step}): the runtime needs the build tools"),
        );
    }
    // a program run by an absolute path outside the prefix may be one the
    // Makefile's own install rule wrote there (`install -D tool /usr/bin/tool`)
    let inside = format!("{}/", prefix.path.trim_end_matches('/'));
    if let Some(program) = cmd.split_whitespace().next().filter(|p| {
        p.starts_with('/')
            && !p.starts_with(&inside)
            && !matches!(p.rsplit('/').next(), Some("sh" | "bash" | "dash" | "env"))
    }) {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "the command runs {program}, outside the install prefix {}: `make install` may have written it there, and only the prefix is copied",
                prefix.path
            ),
        );
    }
    Some(())
}

/// Alpine: the `apk add` line of the packages the runtime keeps, and those
/// left behind (`None` after reporting).
fn apk_packages_left_behind(
    stage: &Stage,
    parsed: &crate::shell::Script,
    command: &str,
    out: &mut Findings,
) -> Option<(Vec<String>, Vec<String>)> {
    let at = stage.base_span.start;
    let apk = match packages::apk_runtime_packages(stage, parsed, command) {
        Ok(p) => p,
        Err(why) => return skip(out, at, Reason::RuntimeLibraryUnknown, why),
    };
    if apk.left_behind.is_empty() {
        return skip(
            out,
            at,
            Reason::NothingToGain,
            "every build package is removed again (`apk del`) in the original: a runtime stage would leave nothing behind",
        );
    }
    let line = packages::apk_install_line(&apk.keep).into_iter().collect();
    Some((line, apk.left_behind))
}

/// Debian and Ubuntu: the apt set-up of the runtime libraries, and the
/// packages left behind (a build that removes every one again was reported
/// `nothing-to-gain` before any recipe: `cleanup.rs`).
fn apt_packages_left_behind(
    stage: &Stage,
    installed: &[String],
    command: &str,
) -> (Vec<String>, Vec<String>) {
    let apt = runtime_packages(installed, command);
    let line = runtime_setup(stage, &apt);
    let dropped: Vec<String> = installed
        .iter()
        .filter(|p| !apt.contains(p))
        .cloned()
        .collect();
    (line, dropped)
}

//! ### .NET
//! `dotnet publish -o DIR`: the publish folder on the ASP.NET runtime image,
//! when the command runs a dll from it.

use super::{
    Build, Context, Findings, Plan, Recipe, artifact_or_skip, artifacts, copy_from_builder,
    official_family, runtime_setup, skip, stage_packages, toolchain_at_runtime, variant_of,
};
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: ".NET",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("dotnet", "publish")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let at = stage.base_span.start;
    if toolchain_at_runtime(cx, stage, &[("dotnet", "run"), ("dotnet", "watch")], out) {
        return None;
    }
    let family = official_family(stage, "mcr.microsoft.com/dotnet/sdk", out)?;
    let dir = artifact_or_skip(artifacts::dotnet_publish(cx, stage, scripts), stage, out)?;
    let at_cmd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    let runs_published = artifacts::final_command_words(cx, stage).iter().any(|w| {
        (w.ends_with(".dll") || w.starts_with('/') || w.starts_with("./"))
            && artifacts::join(&at_cmd, w).starts_with(&format!("{}/", dir.path))
    });
    if !runs_published {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "the command does not run the app from the publish folder {}",
                dir.path
            ),
        );
    }
    let runtime = variant_of(cx, stage, family, out)?;
    let setup = runtime_setup(stage, &stage_packages(cx, stage, scripts));
    Some(Plan {
        ecosystem: ".NET",
        runtime_base: runtime,
        setup,
        copies: vec![copy_from_builder(cx, &dir.path, &dir.path)],
        sizes: (family.size("full"), family.size("aspnet")),
        why: format!("the publish folder {} on the ASP.NET runtime", dir.path),
        ..Plan::default()
    })
}

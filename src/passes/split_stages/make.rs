//! ### make install
//! `make install` (or `cmake --install`) on debian or ubuntu: the install
//! prefix (`/usr/local` or `/opt/…`) on the same base, build packages
//! dropped, then `ldconfig`.

use super::*;
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

fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    if !artifacts::family_of(stage).is_some_and(|f| matches!(f.name.as_str(), "debian" | "ubuntu"))
    {
        return skip(
            out,
            at,
            Reason::NotYet,
            "`make install` is split on debian and ubuntu bases only",
        );
    }
    let prefix = artifact_or_skip(artifacts::install_prefix(stage, scripts), stage, out)?;
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
    let all = analysis::joined(scripts);
    let packages = runtime_packages(&all, &run_time_text(cx, stage));
    let setup = runtime_setup(stage, &packages);
    let dropped: Vec<String> = analysis::apt_packages(&all)
        .into_iter()
        .filter(|p| !packages.contains(p))
        .collect();
    let mut why = format!("the install prefix {} on the same OS base", prefix.path);
    if !dropped.is_empty() {
        why.push_str(&format!(", without {}", dropped.join(", ")));
    }
    Some(Plan {
        ecosystem: "make install",
        runtime_base: stage.base_text.clone(),
        setup,
        copies: vec![copy_from_builder(cx, &prefix.path, &prefix.path)],
        // shared libraries installed under the prefix need the loader cache
        after: vec!["RUN ldconfig".to_string()],
        sizes: (None, None),
        why,
        ..Plan::default()
    })
}

//! ### Node
//! `npm ci`/`npm install`/yarn/pnpm, with or without `run build`: a static
//! front end (vite, react-scripts, vue-cli output, no server framework in
//! package.json) goes to nginx; a server goes to the `-slim` image with dev
//! dependencies pruned in the builder. With `--prefer distroless`: distroless
//! `nodejsN` (22, 24, 26) when the CMD is exec-form `node …` (the image's
//! ENTRYPOINT; the CMD keeps the rest) and nothing needs a shell (no
//! HEALTHCHECK, no RUN replayed in the runtime).

use super::*;
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Node",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("npm", "ci")
        || build.has("npm", "install")
        || build.tokens().contains(&"yarn")
        || build.has("pnpm", "install")
}

fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let r = &recipes().node;
    let cmd = final_command(cx, stage);
    if r.dev_runtime_commands
        .iter()
        .any(|c| cmd.contains(c.as_str()))
    {
        return skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            format!(
                "the command (`{}`) needs dev dependencies at run time",
                cmd.trim()
            ),
        );
    }
    let family = official_family(stage, "node", out)?;
    let all = analysis::joined(scripts);
    let t = tokens(&all);
    let builds = t
        .windows(2)
        .any(|w| matches!(w[0], "npm" | "yarn" | "pnpm") && (w[1] == "build" || w[1] == "run"))
        && all.contains("build");
    let (last_run, _) = scripts.last()?;
    let dir = app_dir(cx, stage, *last_run, out)?;
    let pkg = read_package_json(cx);
    if builds {
        if let Some(plan) = static_site(cx, pkg.as_ref(), &dir, family) {
            return Some(plan);
        }
        if pkg.is_none() {
            return skip(
                out,
                at,
                Reason::ArtifactUnknown,
                "`npm run build` without package.json at hand: cannot tell a static site from a server",
            );
        }
    }
    let base = variant_of(cx, stage, family, out)?;
    let prune = if t.contains(&"yarn") {
        "yarn install --production --ignore-scripts --prefer-offline"
    } else if t.contains(&"pnpm") {
        "pnpm prune --prod"
    } else {
        "npm prune --omit=dev"
    };
    // prune only when package.json says the command needs no dev dependency
    let prunes = pkg.as_ref().is_some_and(|p| {
        !uses_dev_dependency(p, &cmd) && !uses_dev_dependency(p, script(p, "start"))
    });
    // prune dev dependencies at the end of the last RUN (a new RUN would trip hadolint DL3059)
    let builder_edits = if prunes {
        let last = &cx.doc.instructions[*last_run];
        vec![crate::passes::edits::append_to_run(cx, last, prune)]
    } else {
        Vec::new()
    };
    let mut plan = Plan {
        ecosystem: "Node",
        runtime_base: base,
        builder_edits,
        copies: vec![copy_from_builder(cx, &dir, &dir)],
        sizes: (family.size("full"), family.size("slim")),
        why: if prunes {
            "the app folder with production dependencies only".to_string()
        } else {
            "the app folder (dev dependencies kept: no package.json at hand, or the command uses one)"
                .to_string()
        },
        ..Plan::default()
    };
    let major = stage
        .effective_base()
        .tag
        .as_deref()
        .and_then(distroless::leading_version)
        .map(str::to_string);
    let missing = match &major {
        Some(v) => format!(
            "distroless publishes no Node {v} image (nodejs22, nodejs24, nodejs26 on debian13)"
        ),
        None => format!("cannot tell the Node version of {}", stage.base_text),
    };
    let name = major.map(|v| format!("gcr.io/distroless/nodejs{v}-debian13"));
    distroless::offer(cx, stage, &mut plan, name, &["node"], &missing, out);
    Some(plan)
}

/// A build whose `scripts.build` tool writes a static site (vite, …) and no
/// server framework in `dependencies`: its output folder served by nginx.
fn static_site(
    cx: &Context,
    pkg: Option<&serde_json::Value>,
    dir: &str,
    family: &catalog::Family,
) -> Option<Plan> {
    let r = &recipes().node;
    let pkg = pkg?;
    let server = dependency_names(pkg, "dependencies")
        .iter()
        .any(|d| r.server_dependencies.contains(d));
    if server {
        return None;
    }
    let build_script = script(pkg, "build");
    let output = r
        .build_outputs
        .iter()
        .find(|(tool, _)| build_script.split_whitespace().next() == Some(tool.as_str()))
        .map(|(_, o)| o.clone())?;
    let nginx = catalog::catalog().named("nginx");
    Some(Plan {
        ecosystem: "Node, static site",
        runtime_base: r.static_runtime.clone(),
        copies: vec![copy_from_builder(
            cx,
            &format!("{}/{output}", dir.trim_end_matches('/')),
            &r.static_root,
        )],
        replace_command: Some(vec![format!("EXPOSE {}", r.static_port)]),
        sizes: (family.size("full"), nginx.and_then(|f| f.size("alpine"))),
        why: format!(
            "`{build_script}` builds a static site (no server framework in package.json), served by nginx on port {} instead of the original command",
            r.static_port
        ),
        ..Plan::default()
    })
}

/// The package names under `key` (`dependencies`, `devDependencies`) of package.json.
fn dependency_names(pkg: &serde_json::Value, key: &str) -> Vec<String> {
    pkg[key]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// package.json's `scripts.<name>`, or empty.
fn script<'p>(pkg: &'p serde_json::Value, name: &str) -> &'p str {
    pkg["scripts"][name].as_str().unwrap_or("")
}

/// True when a word of `text` names one of package.json's dev dependencies.
fn uses_dev_dependency(pkg: &serde_json::Value, text: &str) -> bool {
    let dev = dependency_names(pkg, "devDependencies");
    tokens(text)
        .iter()
        .any(|w| dev.iter().any(|d| d == w || d.ends_with(&format!("/{w}"))))
}

fn read_package_json(cx: &Context) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(cx.build_context?.join("package.json")).ok()?;
    serde_json::from_str(&text).ok()
}

//! ### Node
//! `npm ci`/`npm install`/yarn/pnpm, with or without `run build`: a static
//! front end (vite, react-scripts, vue-cli output, no server framework in
//! package.json) goes to nginx; a server goes to the `-slim` image with dev
//! dependencies pruned in the builder. Without package.json at hand, a build
//! is split only when the command runs on Node as it is (`node FILE`,
//! `npm start`, a `serve`/`http-server` installed with `npm i -g`): the app
//! folder, dev dependencies kept. Without a WORKDIR, the app folder is the
//! one COPY destination that holds the file the command runs, and every
//! project install must run in it (or, for files copied to `/` one by one,
//! in `/`: then `/node_modules` is copied).
//! A native addon that links a library of the full image (`pg-native`,
//! `libpq` → libpq5, `kerberos`; `transforms/recipes.toml` [node]
//! native_addons) gets that library in the slim runtime; without
//! package.json at hand the addons are unknown, and most bundle theirs.
//! With `--prefer distroless`: distroless
//! `nodejsN` (22, 24, 26) when the CMD is exec-form `node …` (the image's
//! ENTRYPOINT; the CMD keeps the rest) and nothing needs a shell (no
//! HEALTHCHECK, no RUN replayed in the runtime).
//! Node installed from `debian`/`ubuntu`/`alpine` packages: see
//! the Distro recipe (`slimfile explain distro`).

use super::{
    AppFolder, Build, Context, Findings, Plan, Recipe, Runtime, Stage, analysis, app_dir,
    artifacts, catalog, command_argv, copy_from_builder, distroless, final_command,
    interpreted_runtime, linked_libraries, named_for, official_family, recipes, skip, strs,
};
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
        || build.has("npm", "i")
        || build.words.iter().any(|w| w == "yarn")
        || build.has("pnpm", "install")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let cmd = final_command(cx, stage);
    command_needs_no_dev_tools(stage, &cmd, out)?;
    let family = official_family(stage, "node", out)?;
    let all = analysis::joined(scripts);
    let words = analysis::words(&all);
    let t = strs(&words);
    let builds = t
        .windows(2)
        .any(|w| matches!(w[0], "npm" | "yarn" | "pnpm") && (w[1] == "build" || w[1] == "run"))
        && all.contains("build");
    let (last_run, _) = scripts.last()?;
    let folder = app_dir(cx, stage, *last_run, out)?;
    if artifacts::workdir_at(cx, stage, *last_run) == "/" {
        installs_into(cx, stage, &folder, out)?;
    }
    let dir = folder.shown().to_string();
    let pkg = read_package_json(cx);
    if builds {
        if let Some(plan) = static_site(cx, pkg.as_ref(), &dir, family) {
            return Some(plan);
        }
        if pkg.is_none() && !runs_with_node(cx, stage, scripts) {
            return skip(
                out,
                stage.base_span.start,
                Reason::ArtifactUnknown,
                "`npm run build` without package.json at hand, and the command is neither `node FILE`, `npm start`/`yarn start` nor a static server installed with `npm i -g`: cannot tell a static site from a server",
            );
        }
    }
    // prune only when package.json says the command needs no dev dependency
    let prunes = pkg.as_ref().is_some_and(|p| {
        !uses_dev_dependency(p, &cmd) && !uses_dev_dependency(p, script(p, "start"))
    }) && ends_in(cx, stage, *last_run, folder.shown());
    let dev = pkg
        .as_ref()
        .map(|p| dependency_names(p, "devDependencies"))
        .unwrap_or_default();
    let gain = (prunes && !dev.is_empty() && installs_dev_dependencies(cx, stage, &t))
        .then(|| format!("dev dependencies ({})", dev.join(", ")));
    let mut runtime = interpreted_runtime(cx, stage, family, gain.as_deref(), out)?;
    let addons = native_addon_libraries(cx, stage, pkg.as_ref(), &mut runtime, out)?;
    // prune dev dependencies at the end of the last RUN (a new RUN would trip hadolint DL3059)
    let builder_edits = if prunes {
        let last = &cx.doc.instructions[*last_run];
        vec![crate::passes::edits::append_to_run(
            cx,
            last,
            prune_command(&t),
        )]
    } else {
        Vec::new()
    };
    let mut plan = Plan {
        ecosystem: "Node",
        interpreted: true,
        runtime_base: runtime.base,
        builder_edits,
        setup: runtime.setup,
        copies: folder_copies(cx, &folder),
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        why: format!("{}{addons}", folder_words(&folder, prunes)),
        ..Plan::default()
    };
    offer_distroless(cx, stage, &mut plan, out);
    Some(plan)
}

/// On a full-to-slim split, the runtime libraries of the native addons in
/// package.json that link a library of the full image (`pg-native` →
/// libpq5), added to the runtime's setup; the message's words for them.
/// `None` after reporting a library whose name in the release is unknown.
fn native_addon_libraries(
    cx: &Context,
    stage: &Stage,
    pkg: Option<&serde_json::Value>,
    runtime: &mut Runtime,
    out: &mut Findings,
) -> Option<String> {
    let Some(pkg) = pkg.filter(|_| runtime.same_base.is_none()) else {
        return Some(String::new());
    };
    let mut names = dependency_names(pkg, "dependencies");
    names.extend(dependency_names(pkg, "optionalDependencies"));
    let mut devs: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (addon, dev) in &recipes().node.native_addons {
        if names.contains(addon) {
            why.push(format!("{} for `{addon}`", dev.join(", ")));
            devs.extend(dev.iter().cloned());
        }
    }
    if devs.is_empty() {
        return Some(String::new());
    }
    let packages = linked_libraries(cx, stage, &devs, "the native addons", runtime, out)?;
    Some(format!(
        "; runtime libraries {} (native addons: {})",
        named_for(stage, &packages).join(", "),
        why.join("; ")
    ))
}

/// `None` (after reporting) when the command needs dev dependencies at run
/// time (a dev server, a watcher).
fn command_needs_no_dev_tools(stage: &Stage, cmd: &str, out: &mut Findings) -> Option<()> {
    if recipes()
        .node
        .dev_runtime_commands
        .iter()
        .any(|c| cmd.contains(c.as_str()))
    {
        return skip(
            out,
            stage.base_span.start,
            Reason::ToolchainAtRuntime,
            format!(
                "the command (`{}`) needs dev dependencies at run time",
                cmd.trim()
            ),
        );
    }
    Some(())
}

/// The command that prunes dev dependencies with the package manager the file uses.
fn prune_command(t: &[&str]) -> &'static str {
    if t.contains(&"yarn") {
        "yarn install --production --ignore-scripts --prefer-offline"
    } else if t.contains(&"pnpm") {
        "pnpm prune --prod"
    } else {
        "npm prune --omit=dev"
    }
}

/// The runtime's copy of the app: its folder, or `/node_modules` for files
/// copied to `/` (the effects inventory carries each of those).
fn folder_copies(cx: &Context, folder: &AppFolder) -> Vec<String> {
    match folder {
        AppFolder::Dir(d) => vec![copy_from_builder(cx, d, d)],
        // the effects inventory carries each file copied to `/`
        AppFolder::Root => vec![copy_from_builder(cx, "/node_modules", "/node_modules")],
    }
}

/// The message's words for what the runtime gets.
fn folder_words(folder: &AppFolder, prunes: bool) -> &'static str {
    match (folder, prunes) {
        (AppFolder::Dir(_), true) => "the app folder with production dependencies only",
        (AppFolder::Dir(_), false) => {
            "the app folder (dev dependencies kept: no package.json at hand, or the command uses one)"
        }
        (AppFolder::Root, true) => {
            "/node_modules with production dependencies only, and the app's files in /"
        }
        (AppFolder::Root, false) => {
            "/node_modules (dev dependencies kept: no package.json at hand, or the command uses one), and the app's files in /"
        }
    }
}

/// With `--prefer distroless`: distroless `nodejsN` of the builder's Node major version.
fn offer_distroless(cx: &Context, stage: &Stage, plan: &mut Plan, out: &mut Findings) {
    let major = stage
        .effective_base()
        .tag
        .as_deref()
        .and_then(crate::distroless::leading_version)
        .map(str::to_string);
    let missing = match &major {
        Some(v) => format!(
            "distroless publishes no Node {v} image (nodejs22, nodejs24, nodejs26 on debian13)"
        ),
        None => format!("cannot tell the Node version of {}", stage.base_text),
    };
    let name = major.map(|v| format!("gcr.io/distroless/nodejs{v}-debian13"));
    distroless::offer(cx, stage, plan, name, &["node"], &missing, out);
}

/// True when the command runs on Node, so the runtime (the Node image with
/// the app folder, dev dependencies kept) runs it as the original did, with
/// no package.json at hand to tell a static site from a server: `node FILE`,
/// `npm start`/`yarn start`/`pnpm start`, or a static server (`serve`,
/// `http-server`) that a global install in the file puts on the PATH (the
/// effects inventory replays it in the runtime).
fn runs_with_node(cx: &Context, stage: &Stage, scripts: &[(usize, String)]) -> bool {
    let Some(argv) = command_argv(cx, stage) else {
        return false;
    };
    let word = |i: usize| argv.get(i).map(String::as_str);
    let program = word(0).map(crate::shell::basename);
    match program {
        Some("node" | "nodejs") => argv.len() > 1,
        Some("npm" | "yarn" | "pnpm") => {
            word(1) == Some("start") || (word(1) == Some("run") && word(2) == Some("start"))
        }
        Some(tool @ ("serve" | "http-server")) => {
            let all = analysis::joined(scripts);
            let script = crate::shell::Script::parse(&all, &crate::shell::ShellEnv::default());
            script.installs().iter().any(|i| {
                i.global
                    && matches!(
                        i.manager,
                        crate::shell::Manager::Npm | crate::shell::Manager::Yarn
                    )
                    && i.packages.iter().any(|p| p.name == tool)
            })
        }
        _ => false,
    }
}

/// True when the script of RUN `n` ends in `dir` (its last command runs
/// there and is no `cd`): where a prune appended to it runs.
fn ends_in(cx: &Context, stage: &Stage, n: usize, dir: &str) -> bool {
    let wd = artifacts::workdir_at(cx, stage, n);
    let script = crate::shell::Script::of(
        cx.text,
        &cx.doc.instructions[n],
        cx.doc.escape,
        &crate::shell::ShellEnv::at(&wd),
    );
    script.commands.last().is_some_and(|c| {
        !matches!(c.program(), Some("cd" | "pushd" | "popd")) && c.cwd.as_deref() == Some(dir)
    })
}

/// `Some` when every project install (`npm ci`, `yarn`, not `-g`) runs in
/// the app folder, so `node_modules` lands in what the runtime copies;
/// `None` after reporting.
fn installs_into(
    cx: &Context,
    stage: &Stage,
    folder: &AppFolder,
    out: &mut Findings,
) -> Option<()> {
    use crate::shell::Manager;
    let mut found = false;
    for (n, script) in artifacts::run_shells(cx, stage) {
        let ins = &cx.doc.instructions[n];
        for install in script.installs() {
            if !matches!(
                install.manager,
                Manager::Npm | Manager::Yarn | Manager::Pnpm
            ) || install.global
            {
                continue;
            }
            found = true;
            let cwd = script.commands[install.command].cwd.as_deref();
            if cwd != Some(folder.shown()) || install.location.is_some() {
                return skip(
                    out,
                    stage.base_span.start,
                    Reason::ArtifactUnknown,
                    format!(
                        "no WORKDIR, and line {} installs the dependencies in {}, not in the app folder {}: node_modules may sit outside what the runtime copies",
                        ins.line,
                        cwd.unwrap_or("a folder slimfile cannot tell"),
                        folder.shown()
                    ),
                );
            }
        }
    }
    if !found {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "no WORKDIR, and no project install (`npm ci`, `yarn`) to tell where node_modules lands",
        );
    }
    Some(())
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

/// False when the install surely leaves dev dependencies out, or may
/// (`--omit=dev`, `--production`, `--prod`, `NODE_ENV` set anywhere in the
/// stage): then pruning them saves nothing.
fn installs_dev_dependencies(cx: &Context, stage: &Stage, t: &[&str]) -> bool {
    let production = t.iter().any(|w| {
        matches!(
            *w,
            "--omit=dev" | "--production" | "--prod" | "-P" | "--only=prod" | "--only=production"
        ) || w.starts_with("--production=")
    });
    let stage_text = stage
        .instructions
        .clone()
        .map(|n| &cx.text[cx.doc.instructions[n].span.clone()])
        .any(|text| text.contains("NODE_ENV"));
    !production && !stage_text
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
    analysis::words(text)
        .iter()
        .any(|w| dev.iter().any(|d| d == w || d.ends_with(&format!("/{w}"))))
}

fn read_package_json(cx: &Context) -> Option<serde_json::Value> {
    let text = cx.read("package.json")?;
    serde_json::from_str(&text).ok()
}

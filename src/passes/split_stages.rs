//! # split-stages
//!
//! ## What it does
//! Turns a single-stage Dockerfile that builds or installs something into a
//! `builder` stage (the original, named) and a `runtime` stage appended after
//! it that carries only what the app needs to run: the artifacts, the runtime
//! libraries of the `-dev` packages the build used, and the instructions that
//! shape the running container (ARG, ENV, WORKDIR, USER, EXPOSE, VOLUME,
//! LABEL, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT, CMD), copied as written.
//!
//! Recipes (data in `transforms/recipes.toml`):
//! - **Go** (`go build -o PATH`, or the module name from `go.mod`): the binary on
//!   `scratch` with CA certificates when `CGO_ENABLED=0` is set, or is set by
//!   this pass because the build context has no `import "C"`; otherwise on the
//!   builder's Debian suite, slim.
//! - **Node** (`npm ci`/`npm install`/yarn/pnpm, with or without `run build`):
//!   a static front end (vite, react-scripts, vue-cli output, no server
//!   framework in package.json) goes to nginx; a server goes to the `-slim`
//!   image with dev dependencies pruned in the builder.
//! - **Python** (`pip install`): the builder installs into a venv at
//!   `/opt/venv`; the runtime, on the `-slim` image, gets the venv and the app
//!   folder. Never the tutorial bug of copying only `/app` while the packages
//!   sit in the builder's site-packages.
//!
//! ## Why is this bad?
//! A single stage ships its compilers, headers, package caches and dev
//! dependencies: a Go service of a few MB weighs 900 MB on `golang`.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /out/app .
//! CMD ["/out/app"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /out/app .
//! CMD ["/out/app"]
//!
//! # runtime stage added by slimfile split-stages: only what the app needs to run
//! FROM scratch AS runtime
//! WORKDIR /src
//! COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
//! COPY --from=builder /out/app /out/app
//! CMD ["/out/app"]
//! ```
//!
//! ## Fix safety
//! **review**: the image changes, and the model says the app keeps what it
//! needs. When it cannot say so it does nothing and reports why, with a code:
//! `artifact-unknown`, `toolchain-at-runtime`,
//! `onbuild`, `user-setup`, `not-yet` (an ecosystem or tool not covered yet:
//! Java, Rust, .NET, poetry, pipenv, uv).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use super::{Context, Pass, line_end};
use crate::analysis::{self, tokens};
use crate::artifacts::{self, Artifact, final_command};
use crate::catalog::{self, VariantKind};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::Stage;
use crate::report::human_bytes;
use crate::syntax::Keyword;

pub static PASS: Pass = Pass {
    id: "split-stages",
    summary: "split a single-stage build into builder + lean runtime (Go, Node, Python)",
    safety: Safety::Review,
    doc: crate::pass_doc!("split_stages"),
    run,
};

const ID: &str = "split-stages";

#[derive(Debug, serde::Deserialize)]
struct Recipes {
    go: GoRecipe,
    node: NodeRecipe,
    python: PythonRecipe,
    rust: RustRecipe,
    packages: Packages,
}

#[derive(Debug, serde::Deserialize)]
struct RustRecipe {
    runtime: String,
    tls_crates: Vec<String>,
    openssl_crates: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct GoRecipe {
    static_runtime: String,
    dynamic_runtime: String,
    default_suite: String,
    ca_certificates: String,
}

#[derive(Debug, serde::Deserialize)]
struct NodeRecipe {
    static_runtime: String,
    static_root: String,
    static_port: String,
    build_outputs: BTreeMap<String, String>,
    server_dependencies: Vec<String>,
    dev_runtime_commands: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct PythonRecipe {
    venv: String,
}

#[derive(Debug, serde::Deserialize)]
struct Packages {
    build_only: Vec<String>,
    runtime: BTreeMap<String, String>,
}

fn recipes() -> &'static Recipes {
    static R: OnceLock<Recipes> = OnceLock::new();
    R.get_or_init(|| {
        toml::from_str(include_str!("../../transforms/recipes.toml"))
            .expect("transforms/recipes.toml is valid (checked by tests)")
    })
}

/// What the new runtime stage consists of.
struct Plan {
    ecosystem: &'static str,
    runtime_base: String,
    /// Edits to the builder (naming it, venv set-up, pruning …), besides the append.
    builder_edits: Vec<Edit>,
    /// Lines after FROM and before the copied instructions (package installs).
    setup: Vec<String>,
    /// `COPY --from=builder …` lines.
    copies: Vec<String>,
    /// Lines after the copies (e.g. `RUN ldconfig`).
    after: Vec<String>,
    /// Lines after the copied ENV (e.g. venv PATH).
    env: Vec<String>,
    /// Drop the original ENTRYPOINT/CMD/EXPOSE/HEALTHCHECK/USER (nginx serves the site).
    replace_command: Option<Vec<String>>,
    /// Figures for the estimate: builder base and runtime base size, MB.
    sizes: (Option<f64>, Option<f64>),
    why: String,
}

fn run(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    if model.stages.len() != 1 {
        return; // multi-stage files are narrow-copy's and slim-base's business
    }
    let stage = &model.stages[0];
    let scripts = analysis::run_scripts(cx.text, cx.doc, stage);
    let Some(plan) = plan(cx, stage, &scripts, out) else {
        return;
    };
    let builder = stage.name.clone().unwrap_or_else(|| "builder".to_string());
    let mut edits = plan.builder_edits;
    if stage.name.is_none() {
        edits.push(Edit::insert(stage.base_span.end, " AS builder"));
    }
    let mut lines = vec![
        String::new(),
        format!(
            "# runtime stage added by slimfile split-stages ({}): only what the app needs to run",
            plan.ecosystem
        ),
        format!("FROM {} AS runtime", plan.runtime_base),
    ];
    lines.extend(plan.setup);
    let mut tail = Vec::new();
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let written = cx.text[ins.span.clone()].to_string();
        match ins.keyword {
            Keyword::Arg
            | Keyword::Env
            | Keyword::Workdir
            | Keyword::Label
            | Keyword::Maintainer
            | Keyword::Volume
            | Keyword::Stopsignal => lines.push(written),
            Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::User
            | Keyword::Entrypoint
            | Keyword::Cmd
            | Keyword::Shell
                if plan.replace_command.is_none() =>
            {
                tail.push(written);
            }
            _ => {}
        }
    }
    lines.extend(plan.env);
    lines.extend(plan.copies.iter().map(|c| c.replace("{builder}", &builder)));
    lines.extend(plan.after);
    match plan.replace_command {
        Some(cmds) => lines.extend(cmds),
        None => lines.extend(tail),
    }
    let text = lines.join("\n") + "\n";
    let end = cx.text.len();
    let append = if cx.text.ends_with('\n') {
        text
    } else {
        format!("\n{text}")
    };
    edits.push(Edit::insert(end, append));
    let saved = match plan.sizes {
        (Some(a), Some(b)) => Some(((a - b) * 1_000_000.0).round() as i64),
        _ => None,
    };
    let estimate = saved.map_or(
        "saving unknown (no catalog figure for a base)".to_string(),
        |b| {
            format!(
                "~{} smaller, compressed, by base images alone",
                human_bytes(b)
            )
        },
    );
    out.change(
        Change::new(
            ID,
            Safety::Review,
            format!(
                "split into `{builder}` and a `runtime` stage on {}: {}; {estimate}",
                plan.runtime_base, plan.why
            ),
            edits,
        )
        .with_estimate(saved),
    );
}

/// Reports why the pass leaves the file alone.
fn skip<T>(
    out: &mut Findings,
    at: usize,
    code: &'static str,
    message: impl Into<String>,
) -> Option<T> {
    out.note(ID, code, Level::Info, at, message);
    None
}

fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let instructions = &cx.doc.instructions[stage.instructions.clone()];
    if instructions.iter().any(|i| i.keyword == Keyword::Onbuild) {
        return skip(
            out,
            at,
            "onbuild",
            "ONBUILD instructions run in child images; not splitting",
        );
    }
    let all = analysis::joined(scripts);
    if let Some(dev) = unknown_dev_package(&all) {
        return skip(
            out,
            at,
            "runtime-library-unknown",
            format!(
                "`{dev}` has no known runtime library (transforms/recipes.toml [packages.runtime]): the runtime stage could miss a shared library"
            ),
        );
    }
    let t = tokens(&all);
    let has = |a: &str, b: &str| t.windows(2).any(|w| w[0] == a && w[1] == b);
    if has("go", "build") {
        return go(cx, stage, scripts, out);
    }
    if has("cargo", "build") || has("cargo", "install") {
        return rust(cx, stage, scripts, out);
    }
    if t.iter().any(|w| artifacts::is_java_build_tool(w)) {
        return java(cx, stage, scripts, out);
    }
    if has("dotnet", "publish") {
        return dotnet(cx, stage, scripts, out);
    }
    if has("npm", "ci") || has("npm", "install") || t.contains(&"yarn") || has("pnpm", "install") {
        return node(cx, stage, scripts, out);
    }
    if python_installs(&t) {
        return python(cx, stage, scripts, out);
    }
    if artifacts::make_installs(&all) {
        return make_install(cx, stage, scripts, out);
    }
    if let Some(step) = analysis::compile_step(&all) {
        return skip(
            out,
            at,
            "artifact-unknown",
            format!("this stage compiles something ({step}), but no recipe knows its artifacts"),
        );
    }
    // nothing is built: not a skip worth reporting on every plain file
    None
}

/// True when the scripts install Python packages (pip, poetry, pipenv, uv).
pub fn python_installs(t: &[&str]) -> bool {
    let pair = |a: &str, b: &str| t.windows(2).any(|w| w[0] == a && w[1] == b);
    has_pip_install(t)
        || pair("poetry", "install")
        || pair("pipenv", "install")
        || pair("pipenv", "sync")
        || pair("uv", "sync")
        || (pair("uv", "pip") && t.contains(&"install"))
}

fn has_pip_install(t: &[&str]) -> bool {
    t.windows(2)
        .any(|w| matches!(w[0], "pip" | "pip3") && w[1] == "install")
        || t.windows(4)
            .any(|w| w[1] == "-m" && w[2] == "pip" && w[3] == "install")
}

fn builder_size(stage: &Stage) -> Option<f64> {
    catalog::catalog()
        .family(stage.effective_base())
        .and_then(|f| f.size("full"))
}

/// An artifact, or the reason it is unknown reported as a skip.
fn artifact_or_skip(
    found: Result<Artifact, artifacts::Unknown>,
    stage: &Stage,
    out: &mut Findings,
) -> Option<Artifact> {
    match found {
        Ok(a) => Some(a),
        Err(u) => skip(out, stage.base_span.start, u.code, u.message),
    }
}

/// Skips when the command runs one of `tools` (the toolchain is needed at run time).
fn toolchain_at_runtime(
    cx: &Context,
    stage: &Stage,
    commands: &[(&str, &str)],
    out: &mut Findings,
) -> bool {
    let cmd = final_command(cx, stage);
    let t = tokens(&cmd);
    if let Some((a, b)) = commands
        .iter()
        .find(|(a, b)| t.windows(2).any(|w| w[0] == *a && w[1] == *b))
    {
        skip::<()>(
            out,
            stage.base_span.start,
            "toolchain-at-runtime",
            format!("the command runs `{a} {b}`: the runtime needs the toolchain"),
        );
        return true;
    }
    false
}

/// The Debian suite in the builder's tag (bookworm when none is named).
fn suite_of(stage: &Stage) -> &'static str {
    let tag = stage.effective_base().tag.clone().unwrap_or_default();
    ["bookworm", "bullseye", "buster", "trixie"]
        .into_iter()
        .find(|s| tag.contains(s))
        .unwrap_or("bookworm")
}

/// Skips when a RUN both creates the user and builds (it cannot be carried over).
fn user_setup_blocks(cx: &Context, stage: &Stage, out: &mut Findings) -> bool {
    if user_setup_mixed_with_build(cx, stage) {
        skip::<()>(
            out,
            stage.base_span.start,
            "user-setup",
            "the user is created in a RUN that also builds; split it out so the runtime can create the user too",
        );
        return true;
    }
    false
}

fn go(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let r = &recipes().go;
    if toolchain_at_runtime(cx, stage, &[("go", "run")], out) {
        return None;
    }
    let binary = artifact_or_skip(artifacts::go_binary(cx, stage, scripts), stage, out)?;
    let n = binary.built_by;
    let script = analysis::script(cx.text, &cx.doc.instructions[n]);
    let cgo_off =
        all_env_text(cx, stage).contains("CGO_ENABLED=0") || script.contains("CGO_ENABLED=0");
    let mut builder_edits = Vec::new();
    let mut statically = cgo_off;
    let mut why = String::from("the Go binary");
    if !cgo_off && cx.build_context.is_some_and(no_cgo_in_context) {
        // set CGO_ENABLED=0 on the go build line
        let ins = &cx.doc.instructions[n];
        if let Some(w) = ins.words().iter().find(|w| w.value == "go") {
            builder_edits.push(Edit::insert(w.span.start, "CGO_ENABLED=0 "));
            statically = true;
            why.push_str(" (CGO_ENABLED=0 set: the sources have no `import \"C\"`)");
        }
    }
    let mut copies = Vec::new();
    let uses_user_name = stage.instructions.clone().any(|i| {
        let ins = &cx.doc.instructions[i];
        ins.keyword == Keyword::User
            && ins
                .words()
                .first()
                .is_some_and(|w| !w.value.chars().next().is_some_and(|c| c.is_ascii_digit()))
    });
    let runtime = if statically {
        copies.push(format!(
            "COPY --from={{builder}} {} /etc/ssl/certs/",
            r.ca_certificates
        ));
        if uses_user_name {
            copies.push("COPY --from={builder} /etc/passwd /etc/group /etc/".to_string());
        }
        why.push_str(" and CA certificates on scratch");
        r.static_runtime.clone()
    } else {
        why.push_str(" on Debian slim (cgo may be in use, so glibc stays)");
        if user_setup_blocks(cx, stage, out) {
            return None;
        }
        let suite = suite_of(stage);
        let suite = if stage.effective_base().tag.is_some() {
            suite
        } else {
            r.default_suite.as_str()
        };
        r.dynamic_runtime.replace("{suite}", suite)
    };
    let mut setup = Vec::new();
    if !statically {
        setup.extend(apt_install_line(&runtime_packages(
            &analysis::joined(scripts),
            &final_command(cx, stage),
        )));
        setup.extend(user_setup_lines(cx, stage));
    } else if stage
        .instructions
        .clone()
        .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck)
    {
        return skip(
            out,
            at,
            "toolchain-at-runtime",
            "a HEALTHCHECK needs a shell or tools that scratch does not have",
        );
    }
    copies.push(format!("COPY --from={{builder}} {b} {b}", b = binary.path));
    let runtime_mb = if statically {
        Some(0.0)
    } else {
        catalog::catalog()
            .named("debian")
            .and_then(|f| f.size("slim"))
    };
    Some(Plan {
        ecosystem: "Go",
        runtime_base: runtime,
        builder_edits,
        setup,
        copies,
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (builder_size(stage), runtime_mb),
        why,
    })
}

fn rust(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let r = &recipes().rust;
    if toolchain_at_runtime(cx, stage, &[("cargo", "run")], out) {
        return None;
    }
    let family = official_family(stage, "rust", out)?;
    if stage
        .effective_base()
        .tag
        .as_deref()
        .is_some_and(|t| t.contains("alpine"))
    {
        return skip(
            out,
            stage.base_span.start,
            "not-yet",
            "Rust builds on Alpine (musl) are not split yet",
        );
    }
    let binary = artifact_or_skip(artifacts::rust_binary(cx, stage, scripts), stage, out)?;
    if user_setup_blocks(cx, stage, out) {
        return None;
    }
    // `cargo install` puts the binary in $CARGO_HOME/bin, which is not on the runtime's PATH
    let dest = if binary.source == "cargo install" {
        format!("/usr/local/bin/{}", binary.path.rsplit('/').next()?)
    } else {
        binary.path.clone()
    };
    let mut packages = runtime_packages(&analysis::joined(scripts), &final_command(cx, stage));
    let deps = cargo_dependencies(cx);
    let mut why = format!("the binary {dest} ({})", binary.source);
    for (crates, package) in [
        (&r.tls_crates, "ca-certificates"),
        (&r.openssl_crates, "libssl3"),
    ] {
        if let Some(c) = deps.iter().find(|d| crates.contains(d))
            && !packages.iter().any(|p| p == package)
        {
            packages.push(package.to_string());
            why.push_str(&format!("; {package} for `{c}`"));
        }
    }
    let setup = runtime_setup(cx, stage, &packages);
    let runtime = r.runtime.replace("{suite}", suite_of(stage));
    Some(Plan {
        ecosystem: "Rust",
        runtime_base: runtime,
        builder_edits: Vec::new(),
        setup,
        copies: vec![format!("COPY --from={{builder}} {} {dest}", binary.path)],
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (
            family.size("full"),
            catalog::catalog()
                .named("debian")
                .and_then(|f| f.size("slim")),
        ),
        why,
    })
}

/// Dependency names in the context's Cargo.toml.
fn cargo_dependencies(cx: &Context) -> Vec<String> {
    let Some(m) = cx
        .build_context
        .and_then(|c| std::fs::read_to_string(c.join("Cargo.toml")).ok())
        .and_then(|s| s.parse::<toml::Table>().ok())
    else {
        return Vec::new();
    };
    m.get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

fn java(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let runtime_tools = [
        ("mvn", "spring-boot:run"),
        ("./mvnw", "spring-boot:run"),
        ("gradle", "bootRun"),
        ("./gradlew", "bootRun"),
        ("gradle", "run"),
        ("./gradlew", "run"),
    ];
    if toolchain_at_runtime(cx, stage, &runtime_tools, out) {
        return None;
    }
    let family = match artifacts::family_of(stage) {
        Some(f)
            if matches!(
                f.name.as_str(),
                "maven" | "gradle" | "eclipse-temurin" | "openjdk"
            ) =>
        {
            f
        }
        _ => {
            return skip(
                out,
                at,
                "not-yet",
                "Java builds on a base other than maven, gradle, eclipse-temurin or openjdk are not split yet",
            );
        }
    };
    let jar = artifact_or_skip(artifacts::java_jar(cx, stage, scripts), stage, out)?;
    let cmd = final_command(cx, stage);
    let ct = tokens(&cmd);
    let runs_jar = ct.windows(2).any(|w| {
        w[0] == "-jar"
            && (artifacts::join(
                &artifacts::workdir_at(cx, stage, stage.instructions.end),
                w[1],
            ) == jar.path
                || w[1].contains('*'))
    });
    if !runs_jar {
        return skip(
            out,
            at,
            "artifact-unknown",
            format!(
                "the command does not run the jar with `java -jar` ({}): it may need the classes or sources",
                jar.path
            ),
        );
    }
    if user_setup_blocks(cx, stage, out) {
        return None;
    }
    let runtime = variant_of(stage, family)?;
    let setup = runtime_setup(
        cx,
        stage,
        &runtime_packages(&analysis::joined(scripts), &cmd),
    );
    Some(Plan {
        ecosystem: "Java",
        runtime_base: runtime,
        builder_edits: Vec::new(),
        setup,
        copies: vec![format!("COPY --from={{builder}} {p} {p}", p = jar.path)],
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (builder_size(stage), family.size("jre")),
        why: format!("the jar {} ({}) on a JRE", jar.path, jar.source),
    })
}

fn dotnet(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    if toolchain_at_runtime(cx, stage, &[("dotnet", "run"), ("dotnet", "watch")], out) {
        return None;
    }
    let family = official_family(stage, "mcr.microsoft.com/dotnet/sdk", out)?;
    let dir = artifact_or_skip(artifacts::dotnet_publish(cx, stage, scripts), stage, out)?;
    let cmd = final_command(cx, stage);
    let at_cmd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    let runs_published = tokens(&cmd).iter().any(|w| {
        (w.ends_with(".dll") || w.starts_with('/') || w.starts_with("./"))
            && artifacts::join(&at_cmd, w).starts_with(&format!("{}/", dir.path))
    });
    if !runs_published {
        return skip(
            out,
            at,
            "artifact-unknown",
            format!(
                "the command does not run the app from the publish folder {}",
                dir.path
            ),
        );
    }
    if user_setup_blocks(cx, stage, out) {
        return None;
    }
    let runtime = variant_of(stage, family)?;
    let setup = runtime_setup(
        cx,
        stage,
        &runtime_packages(&analysis::joined(scripts), &cmd),
    );
    Some(Plan {
        ecosystem: ".NET",
        runtime_base: runtime,
        builder_edits: Vec::new(),
        setup,
        copies: vec![format!("COPY --from={{builder}} {p} {p}", p = dir.path)],
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (family.size("full"), family.size("aspnet")),
        why: format!("the publish folder {} on the ASP.NET runtime", dir.path),
    })
}

fn make_install(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let family = match artifacts::family_of(stage) {
        Some(f) if matches!(f.name.as_str(), "debian" | "ubuntu") => f,
        _ => {
            return skip(
                out,
                at,
                "not-yet",
                "`make install` is split on debian and ubuntu bases only",
            );
        }
    };
    let prefix = artifact_or_skip(artifacts::install_prefix(stage, scripts), stage, out)?;
    let cmd = final_command(cx, stage);
    if let Some(step) = analysis::compile_step(&cmd) {
        return skip(
            out,
            at,
            "toolchain-at-runtime",
            format!("the command compiles ({step}): the runtime needs the build tools"),
        );
    }
    if user_setup_blocks(cx, stage, out) {
        return None;
    }
    let all = analysis::joined(scripts);
    let packages = runtime_packages(&all, &cmd);
    let setup = runtime_setup(cx, stage, &packages);
    let dropped: Vec<String> = analysis::apt_packages(&all)
        .into_iter()
        .filter(|p| !packages.contains(p))
        .collect();
    let mut why = format!("the install prefix {} on the same OS base", prefix.path);
    if !dropped.is_empty() {
        why.push_str(&format!(", without {}", dropped.join(", ")));
    }
    let _ = family;
    Some(Plan {
        ecosystem: "make install",
        runtime_base: stage.base_text.clone(),
        builder_edits: Vec::new(),
        setup,
        copies: vec![format!("COPY --from={{builder}} {p} {p}", p = prefix.path)],
        // shared libraries installed under the prefix need the loader cache
        after: vec!["RUN ldconfig".to_string()],
        env: Vec::new(),
        replace_command: None,
        sizes: (None, None),
        why,
    })
}

fn all_env_text(cx: &Context, stage: &Stage) -> String {
    stage
        .instructions
        .clone()
        .map(|n| &cx.doc.instructions[n])
        .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg))
        .map(|i| i.args_text().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when no `.go` file under `dir` (a few levels, vendor excluded) imports "C".
fn no_cgo_in_context(dir: &Path) -> bool {
    let mut stack = vec![(dir.to_path_buf(), 0)];
    let mut seen_go = false;
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            return false;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir()
                && depth < 6
                && !name.starts_with('.')
                && name != "vendor"
                && name != "node_modules"
            {
                stack.push((p, depth + 1));
            } else if name.ends_with(".go") {
                seen_go = true;
                let Ok(src) = std::fs::read_to_string(&p) else {
                    return false;
                };
                if src.contains("import \"C\"") || src.contains("\t\"C\"\n") {
                    return false;
                }
            }
        }
    }
    seen_go
}

/// RUN lines that only create users/groups: copied to the runtime stage.
fn user_setup_lines(cx: &Context, stage: &Stage) -> Vec<String> {
    stage
        .instructions
        .clone()
        .map(|n| &cx.doc.instructions[n])
        .filter(|i| i.keyword == Keyword::Run && is_user_setup(&analysis::script(cx.text, i)))
        .map(|i| cx.text[i.span.clone()].to_string())
        .collect()
}

fn is_user_setup(script: &str) -> bool {
    let t = tokens(script);
    t.iter()
        .any(|w| matches!(*w, "useradd" | "adduser" | "groupadd" | "addgroup"))
}

/// True when a RUN creates a user and also builds: it cannot be carried over alone.
fn user_setup_mixed_with_build(cx: &Context, stage: &Stage) -> bool {
    stage
        .instructions
        .clone()
        .map(|n| &cx.doc.instructions[n])
        .filter(|i| i.keyword == Keyword::Run)
        .any(|i| {
            let s = analysis::script(cx.text, i);
            is_user_setup(&s) && analysis::compile_step(&s).is_some()
        })
}

/// The catalog family of the stage's base when it is the official `name` image.
fn official_family(
    stage: &Stage,
    name: &str,
    out: &mut Findings,
) -> Option<&'static catalog::Family> {
    match catalog::catalog().family(stage.effective_base()) {
        Some(f) if f.name == name => Some(f),
        _ => skip(
            out,
            stage.base_span.start,
            "not-yet",
            format!("builds on a base other than the official {name} image are not split yet"),
        ),
    }
}

/// The slim (JRE, ASP.NET …) variant of the stage's base, as written
/// (registry and ARGs kept).
fn variant_of(stage: &Stage, family: &catalog::Family) -> Option<String> {
    let variant = family
        .variant(stage.base.tag.as_deref(), VariantKind::Slim)
        .ok()?;
    Some(super::slim_base::rewrite_ref(
        &stage.base,
        variant.repository.as_deref(),
        &variant.tag,
    ))
}

/// The output folder of a static front-end build tool (`vite` → `dist`).
pub fn static_output(tool: &str) -> Option<String> {
    recipes().node.build_outputs.get(tool).cloned()
}

/// The folder that holds the app: the WORKDIR in effect at the last RUN.
fn app_dir(cx: &Context, stage: &Stage, last_run: usize, out: &mut Findings) -> Option<String> {
    let dir = artifacts::workdir_at(cx, stage, last_run);
    if dir == "/" {
        return skip(
            out,
            stage.base_span.start,
            "artifact-unknown",
            "no WORKDIR: cannot tell which folder holds the app",
        );
    }
    Some(dir)
}

fn read_package_json(cx: &Context) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(cx.build_context?.join("package.json")).ok()?;
    serde_json::from_str(&text).ok()
}

fn node(
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
            "toolchain-at-runtime",
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
    let deps = |key: &str| -> Vec<String> {
        pkg.as_ref()
            .and_then(|p| p[key].as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let dependencies = deps("dependencies");
    let build_script = pkg
        .as_ref()
        .and_then(|p| p["scripts"]["build"].as_str())
        .unwrap_or("")
        .to_string();
    let server = dependencies
        .iter()
        .any(|d| r.server_dependencies.contains(d));
    let static_output = r
        .build_outputs
        .iter()
        .find(|(tool, _)| build_script.split_whitespace().next() == Some(tool.as_str()))
        .map(|(_, o)| o.clone());
    if builds
        && !server
        && pkg.is_some()
        && let Some(output) = static_output
    {
        let nginx = catalog::catalog().named("nginx");
        return Some(Plan {
            ecosystem: "Node, static site",
            runtime_base: r.static_runtime.clone(),
            builder_edits: Vec::new(),
            setup: Vec::new(),
            copies: vec![format!(
                "COPY --from={{builder}} {}/{output} {}",
                dir.trim_end_matches('/'),
                r.static_root
            )],
            after: Vec::new(),
            env: Vec::new(),
            replace_command: Some(vec![format!("EXPOSE {}", r.static_port)]),
            sizes: (family.size("full"), nginx.and_then(|f| f.size("alpine"))),
            why: format!(
                "`{build_script}` builds a static site (no server framework in package.json), served by nginx on port {} instead of the original command",
                r.static_port
            ),
        });
    }
    if builds && pkg.is_none() {
        return skip(
            out,
            at,
            "artifact-unknown",
            "`npm run build` without package.json at hand: cannot tell a static site from a server",
        );
    }
    let base = variant_of(stage, family)?;
    let prune = if t.contains(&"yarn") {
        "yarn install --production --ignore-scripts --prefer-offline"
    } else if t.contains(&"pnpm") {
        "pnpm prune --prod"
    } else {
        "npm prune --omit=dev"
    };
    // prune dev dependencies at the end of the last RUN (a new RUN would trip hadolint DL3059)
    let last = &cx.doc.instructions[*last_run];
    let builder_edits =
        if last.heredocs.is_empty() && matches!(last.args, crate::syntax::Args::Words(_)) {
            vec![Edit::insert(last.span.end, format!(" \\\n    && {prune}"))]
        } else {
            vec![Edit::insert(
                line_end(cx.text, last.span.end),
                format!("RUN {prune}\n"),
            )]
        };
    Some(Plan {
        ecosystem: "Node",
        runtime_base: base,
        builder_edits,
        setup: user_setup_lines(cx, stage),
        copies: vec![format!("COPY --from={{builder}} {d} {d}", d = dir)],
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (family.size("full"), family.size("slim")),
        why: "the app folder with production dependencies only".to_string(),
    })
}

fn python(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let r = &recipes().python;
    let family = official_family(stage, "python", out)?;
    let all = analysis::joined(scripts);
    let t = tokens(&all);
    if t.contains(&"--user")
        || t.contains(&"--target")
        || t.contains(&"--prefix")
        || t.contains(&"venv")
        || t.contains(&"virtualenv")
    {
        return skip(
            out,
            at,
            "artifact-unknown",
            "pip installs with --user/--target/--prefix or its own venv: not splitting",
        );
    }
    if t.windows(2).any(|w| w[0] == "pipx" && w[1] == "install")
        || all.contains("install.python-poetry.org")
    {
        return skip(
            out,
            at,
            "artifact-unknown",
            "a tool is installed outside pip (pipx, the poetry installer): cannot tell where its files go",
        );
    }
    let cmd = final_command(cx, stage);
    let ct = tokens(&cmd);
    if cmd.contains("pip install")
        || ct
            .windows(2)
            .any(|w| matches!(w[0], "poetry" | "pipenv" | "uv") && w[1] == "run")
    {
        return skip(
            out,
            at,
            "toolchain-at-runtime",
            "the command installs packages or runs a package manager at run time",
        );
    }
    let (last_run, _) = scripts.last()?;
    let dir = app_dir(cx, stage, *last_run, out)?;
    let base = variant_of(stage, family)?;
    let venv = &r.venv;
    let from = &cx.doc.instructions[stage.from];
    let tool = ["poetry", "pipenv", "uv"]
        .into_iter()
        .find(|w| t.contains(w))
        .unwrap_or("pip");
    // VIRTUAL_ENV makes poetry, pipenv and `uv pip` install into the venv;
    // UV_PROJECT_ENVIRONMENT does the same for `uv sync`.
    let uv_env = if t.windows(2).any(|w| w[0] == "uv" && w[1] == "sync") {
        format!(" UV_PROJECT_ENVIRONMENT={venv}")
    } else {
        String::new()
    };
    let builder_edits = vec![Edit::insert(
        line_end(cx.text, from.span.end),
        format!(
            "# install into a venv the runtime stage can copy (slimfile split-stages)\nRUN python -m venv {venv}\nENV VIRTUAL_ENV={venv}{uv_env} PATH=\"{venv}/bin:$PATH\"\n"
        ),
    )];
    let packages = runtime_packages(&all, &cmd);
    let setup = runtime_setup(cx, stage, &packages);
    let mut why = format!("the venv {venv} ({tool} installs) and the app folder {dir}");
    if !packages.is_empty() {
        why.push_str(&format!("; runtime libraries {}", packages.join(", ")));
    }
    Some(Plan {
        ecosystem: "Python",
        runtime_base: base,
        builder_edits,
        setup,
        copies: vec![
            format!("COPY --from={{builder}} {venv} {venv}"),
            format!("COPY --from={{builder}} {d} {d}", d = dir),
        ],
        after: Vec::new(),
        env: vec![format!("ENV VIRTUAL_ENV={venv} PATH=\"{venv}/bin:$PATH\"")],
        replace_command: None,
        sizes: (family.size("full"), family.size("slim")),
        why,
    })
}

/// A `-dev` package the build installs whose runtime library the map does not know.
fn unknown_dev_package(script: &str) -> Option<String> {
    let p = &recipes().packages;
    analysis::apt_packages(script).into_iter().find(|pkg| {
        pkg.ends_with("-dev") && !p.runtime.contains_key(pkg) && !p.build_only.contains(pkg)
    })
}

/// The runtime stage's first lines: install the runtime packages, create the users.
fn runtime_setup(cx: &Context, stage: &Stage, packages: &[String]) -> Vec<String> {
    let mut setup: Vec<String> = apt_install_line(packages).into_iter().collect();
    setup.extend(user_setup_lines(cx, stage));
    setup
}

/// `RUN apt-get install` for the runtime packages, if there are any.
fn apt_install_line(packages: &[String]) -> Option<String> {
    (!packages.is_empty()).then(|| {
        format!(
            "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends {} \\\n    && rm -rf /var/lib/apt/lists/*",
            packages.join(" ")
        )
    })
}

/// apt packages the runtime needs: `-dev` packages mapped to their runtime
/// library, build-only tools dropped (unless the command uses them), the rest kept.
fn runtime_packages(script: &str, command: &str) -> Vec<String> {
    let p = &recipes().packages;
    let mut out: Vec<String> = Vec::new();
    for pkg in analysis::apt_packages(script) {
        let keep = if let Some(lib) = p.runtime.get(&pkg) {
            Some(lib.clone())
        } else if pkg.ends_with("-dev")
            || (p.build_only.contains(&pkg) && !command.contains(pkg.as_str()))
        {
            None
        } else {
            Some(pkg)
        };
        if let Some(k) = keep
            && !out.contains(&k)
        {
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_load() {
        assert_eq!(recipes().packages.runtime["libpq-dev"], "libpq5");
    }

    #[test]
    fn runtime_packages_map_dev_and_drop_build_tools() {
        let s = "apt-get install -y --no-install-recommends build-essential libpq-dev curl ffmpeg";
        assert_eq!(runtime_packages(s, "python app.py"), ["libpq5", "ffmpeg"]);
        assert_eq!(
            runtime_packages(s, "curl -f http://localhost"),
            ["libpq5", "curl", "ffmpeg"]
        );
    }
}

//! # split-stages
//!
//! ## What it does
//! Turns a single-stage Dockerfile that builds or installs something into a
//! `builder` stage (the original, named) and a `runtime` stage appended after
//! it that carries only what the app needs to run: the artifacts, the runtime
//! libraries of the `-dev` packages the build used, every other effect of the
//! original stage that the running app may rely on (files copied outside the
//! app folder, users, global tools), and the instructions that shape the
//! running container (ARG, ENV, WORKDIR, USER, EXPOSE, VOLUME, LABEL,
//! HEALTHCHECK, STOPSIGNAL, SHELL, ENTRYPOINT, CMD), copied as written.
//!
//! Each ecosystem is one recipe in `src/passes/split_stages/<recipe>.rs`, with
//! its data in `transforms/recipes.toml`; the recipes are listed below.
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
//! needs; the engine's runtime contract check drops the split if the final
//! stage's configuration, the files its command names or its interpreter
//! would change. When the pass cannot say the app keeps what it needs it does
//! nothing and reports why, with a code: `artifact-unknown`,
//! `toolchain-at-runtime`, `onbuild`, `user-setup`, `effect-unknown` (a step
//! leaves something the runtime may need and cannot be carried),
//! `runtime-library-unknown`, `unterminated` (the file ends inside a
//! continuation), `not-yet` (an ecosystem or base not covered yet).
//!
//! ## Recipes

mod dotnet;
mod effects;
mod go;
mod java;
mod make;
mod node;
mod python;
mod rust;

use super::{Context, Pass};
use crate::analysis::{self, tokens};
use crate::artifacts::{self, Artifact, final_command};
use crate::catalog::{self, VariantKind};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::Stage;
use crate::packages::{self, Lookup};
use crate::recipes::recipes;
use crate::report::human_bytes;
use crate::syntax::Keyword;

pub use crate::analysis::python_installs;
pub(crate) use go::read_sources as go_sources;

pub static PASS: Pass = Pass {
    id: "split-stages",
    summary: "split a single-stage build into builder + lean runtime (Go, Rust, Java, .NET, Node, Python, make install)",
    safety: Safety::Review,
    doc: crate::pass_doc!("split_stages"),
    run,
};

const ID: &str = "split-stages";

/// The RUN scripts of the stage with their instruction index, and all of
/// them joined: what recipes detect and plan from.
pub(super) struct Build<'a> {
    pub scripts: &'a [(usize, String)],
    pub all: String,
}

impl Build<'_> {
    fn tokens(&self) -> Vec<&str> {
        tokens(&self.all)
    }

    /// True when two consecutive shell words are `a b` somewhere in the scripts.
    fn has(&self, a: &str, b: &str) -> bool {
        self.tokens().windows(2).any(|w| w[0] == a && w[1] == b)
    }
}

/// One ecosystem's split: what it recognises and the runtime stage it plans
/// (each recipe file defines one as `RECIPE`).
struct Recipe {
    /// True when the stage runs this ecosystem's build.
    detects: fn(&Build) -> bool,
    /// The runtime stage, or `None` after reporting why not.
    plan: PlanFn,
}

/// A recipe's plan: from the stage and its RUN scripts (instruction index, text).
type PlanFn = fn(&Context, &Stage, &[(usize, String)], &mut Findings) -> Option<Plan>;

/// The recipes, in the order they are tried (the first that detects plans).
static RECIPES: &[&Recipe] = &[
    &go::RECIPE,
    &rust::RECIPE,
    &java::RECIPE,
    &dotnet::RECIPE,
    &node::RECIPE,
    &python::RECIPE,
    &make::RECIPE,
];

/// What the new runtime stage consists of.
#[derive(Default)]
pub(super) struct Plan {
    pub ecosystem: &'static str,
    pub runtime_base: String,
    /// Edits to the builder (naming it, venv set-up, pruning …), besides the append.
    pub builder_edits: Vec<Edit>,
    /// Lines after FROM and before the copied instructions (package installs).
    pub setup: Vec<String>,
    /// `COPY --from=builder …` lines.
    pub copies: Vec<String>,
    /// Lines after the copies (e.g. `RUN ldconfig`).
    pub after: Vec<String>,
    /// Lines after the copied ENV (e.g. venv PATH).
    pub env: Vec<String>,
    /// Drop the original ENTRYPOINT/CMD/EXPOSE/HEALTHCHECK/USER (nginx serves the site).
    pub replace_command: Option<Vec<String>>,
    /// Figures for the estimate: builder base and runtime base size, MB.
    pub sizes: (Option<f64>, Option<f64>),
    /// The builder base's default WORKDIR, written first when the runtime's differs.
    pub workdir: Option<String>,
    /// Original RUNs replayed in the runtime, after the copies (user set-up, global tools).
    pub replays: Vec<String>,
    /// Carried instructions written differently in the runtime (instruction
    /// index → text), e.g. a shell-form CMD in exec form on a base without a shell.
    pub command_rewrites: Vec<(usize, String)>,
    pub why: String,
}

impl Plan {
    /// A plan with the given essentials and nothing else.
    fn new(ecosystem: &'static str, runtime_base: String, why: String) -> Plan {
        Plan {
            ecosystem,
            runtime_base,
            why,
            ..Plan::default()
        }
    }
}

fn run(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    if model.stages.len() != 1 {
        return; // multi-stage files are narrow-copy's and slim-base's business
    }
    let stage = &model.stages[0];
    let scripts = analysis::run_scripts(cx.text, cx.doc, stage);
    let Some(mut plan) = plan(cx, stage, &scripts, out) else {
        return;
    };
    if let Some(reason) = unterminated(cx, stage) {
        out.note(
            ID,
            "unterminated",
            Level::Info,
            stage.base_span.start,
            reason,
        );
        return;
    }
    let interpreted = matches!(plan.ecosystem, "Node" | "Python");
    match effects::inventory(cx, stage, &plan, interpreted) {
        Ok(fx) => carry(cx, &mut plan, fx),
        Err(b) => {
            out.note(ID, b.code, Level::Info, b.at, b.message);
            return;
        }
    }
    out.change(split_change(cx, stage, plan));
}

/// Why the file cannot take an appended stage: it ends inside a continuation.
fn unterminated(cx: &Context, stage: &Stage) -> Option<String> {
    let last = cx
        .doc
        .instructions
        .get(stage.instructions.end.checked_sub(1)?)?;
    last.continues_at_eof.then(|| {
        format!(
            "the file ends inside a continuation (line {} ends with `{}`): finish that instruction first",
            last.line, cx.doc.escape
        )
    })
}

/// `COPY --from={builder} SRC DEST`, quoted for the file (JSON form when a
/// path has blanks, quotes or the escape character).
fn copy_from_builder(cx: &Context, src: &str, dest: &str) -> String {
    format!(
        "COPY --from={{builder}} {}",
        crate::shell::dockerfile_path_list(&[src, dest], cx.doc.escape)
    )
}

/// Adds the carried effects to the plan.
fn carry(cx: &Context, plan: &mut Plan, fx: effects::Effects) {
    plan.workdir = fx.workdir;
    plan.replays = fx.setup;
    for path in &fx.carried {
        plan.copies.push(copy_from_builder(cx, path, path));
    }
    if !fx.said.is_empty() {
        plan.why
            .push_str(&format!("; carried: {}", fx.said.join(", ")));
    }
}

/// The shared ending of every recipe: name the builder, append the runtime
/// stage (its set-up, the carried instructions, the copies, the command).
fn split_change(cx: &Context, stage: &Stage, plan: Plan) -> Change {
    let replaces_command = plan.replace_command.is_some();
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
    // the order of the original: its working folder and variables first, then what is
    // installed and copied, then the replayed steps (they may use both), then the command
    if let Some(wd) = &plan.workdir {
        lines.push(format!("WORKDIR {wd}"));
    }
    lines.extend(plan.env);
    let mut tail = Vec::new();
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let written = match plan.command_rewrites.iter().find(|(i, _)| *i == n) {
            Some((_, text)) => text.clone(),
            None => cx.text[ins.span.clone()].to_string(),
        };
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
    lines.extend(plan.setup);
    lines.extend(plan.copies.iter().map(|c| c.replace("{builder}", &builder)));
    lines.extend(plan.replays);
    lines.extend(plan.after);
    match plan.replace_command {
        Some(cmds) => lines.extend(cmds),
        None => lines.extend(tail),
    }
    let text = lines.join("\n") + "\n";
    let end = cx.text.len();
    // builder edits at the very end (no final newline) go first in the one insert there
    let mut append = String::new();
    edits.retain(|e| {
        let at_end = e.range == (end..end);
        if at_end {
            append.push_str(&e.replacement);
        }
        !at_end
    });
    if !cx.text.ends_with('\n') {
        append.push('\n');
    }
    append.push_str(&text);
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
    // a recipe that replaces the command changes what the image does: unsafe, and it says so
    let (safety, declares): (Safety, &[&'static str]) = if replaces_command {
        (
            Safety::Unsafe,
            &[
                "CMD",
                "ENTRYPOINT",
                "EXPOSE",
                "HEALTHCHECK",
                "USER",
                "the command",
            ],
        )
    } else {
        (Safety::Review, &[])
    };
    Change::new(
        ID,
        safety,
        format!(
            "split into `{builder}` and a `runtime` stage on {}: {}; {estimate}",
            plan.runtime_base, plan.why
        ),
        edits,
    )
    .with_estimate(saved)
    .declaring(declares)
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
    if cx.text.get(stage.base_span.clone()) != Some(stage.base_text.as_str()) {
        return skip(
            out,
            at,
            "from-unreadable",
            "the base image is written with quotes or escapes: not splitting",
        );
    }
    let build = Build {
        scripts,
        all: analysis::joined(scripts),
    };
    if let Some(why) = unknown_dev_package(&build.all) {
        return skip(
            out,
            at,
            "runtime-library-unknown",
            format!("{why}: the runtime stage could miss a shared library"),
        );
    }
    if let Some(recipe) = RECIPES.iter().find(|r| (r.detects)(&build)) {
        let has_command = instructions
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
        if !has_command {
            return skip(
                out,
                at,
                "no-command",
                "the stage has no CMD or ENTRYPOINT of its own: whatever it installs may be what the image is for",
            );
        }
        let packages = runtime_packages(&build.all, &run_time_text(cx, stage));
        if let Some(p) = packages.iter().find(|p| p.contains('$')) {
            return skip(
                out,
                at,
                "runtime-library-unknown",
                format!(
                    "apt installs `{p}`, a variable: cannot tell which runtime libraries it needs"
                ),
            );
        }
        if let Some(why) = release_problem(stage, &packages) {
            return skip(out, at, "runtime-library-unknown", why);
        }
        return (recipe.plan)(cx, stage, build.scripts, out);
    }
    if let Some(step) = analysis::compile_step(&build.all) {
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

/// The catalog size of the builder's base, for its variant (`-alpine` …).
fn builder_size(stage: &Stage) -> Option<f64> {
    catalog::catalog().approx_size_mb(stage.effective_base())
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

/// The Debian release of the builder (named by its tag, or fixed for old
/// image versions), for a runtime on the same glibc; `None` when unknown.
pub(crate) fn suite_of(stage: &Stage) -> Option<&'static str> {
    release_of(stage).filter(|r| {
        matches!(
            *r,
            "stretch" | "buster" | "bullseye" | "bookworm" | "trixie"
        )
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
/// (registry and ARGs kept); reported and `None` when there is none, or when
/// an ARG-parameterised tag would not expand to the variant of its value
/// (`ARG NODE=20-slim` + `node:${NODE}` must not become `${NODE}-slim`).
fn variant_of(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    out: &mut Findings,
) -> Option<String> {
    let at = stage.base_span.start;
    let variant = match family.variant(stage.base.tag.as_deref(), VariantKind::Slim) {
        Ok(v) => v,
        Err(_) => {
            return skip(
                out,
                at,
                "no-variant",
                format!(
                    "no slim runtime variant of {} in the catalog",
                    stage.base_text
                ),
            );
        }
    };
    let written =
        super::slim_base::rewrite_ref(&stage.base, variant.repository.as_deref(), &variant.tag);
    if stage.base_text.contains('$') {
        let resolved = stage
            .base_resolved
            .as_ref()
            .and_then(|r| family.variant(r.tag.as_deref(), VariantKind::Slim).ok());
        let agrees = resolved.is_some_and(|rv| {
            crate::image::expand(&variant.tag, &cx.model.global_args).as_deref()
                == Some(rv.tag.as_str())
        });
        if !agrees {
            return skip(
                out,
                at,
                "arg-mismatch",
                format!(
                    "{} with its ARG defaults has no matching slim variant (it would become `{written}`); change the ARG instead",
                    stage.base_text
                ),
            );
        }
    }
    Some(written)
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

/// A `-dev` package the build installs whose runtime library neither the
/// hand-written map nor the generated data (`src/packages.rs`) knows in any
/// release, as a note naming it and the releases searched.
fn unknown_dev_package(script: &str) -> Option<String> {
    let p = &recipes().packages;
    let dev = analysis::apt_packages(script).into_iter().find(|pkg| {
        pkg.ends_with("-dev")
            && !p.runtime.contains_key(pkg)
            && !p.build_only.contains(pkg)
            && !packages::is_known(pkg)
    })?;
    Some(format!(
        "`{dev}` has no known runtime library (transforms/recipes.toml [packages.runtime]; transforms/dev-packages.toml, package indexes searched: {})",
        packages::suites().join(", ")
    ))
}

/// The release [`packages::runtime_libraries`] names a stage's packages for:
/// its tag's, else its distribution (`debian` for the official images built
/// on Debian suites, `ubuntu`), else `None`.
fn release_or_distribution(stage: &Stage) -> Option<&'static str> {
    use crate::catalog::{Scheme, catalog};
    let base = stage.effective_base();
    release_of(stage).or_else(|| match base.family().as_str() {
        "ubuntu" => Some("ubuntu"),
        _ => catalog()
            .family(base)
            .filter(|f| matches!(f.scheme, Scheme::Suite | Scheme::Php | Scheme::Debian))
            .map(|_| "debian"),
    })
}

/// A `-dev` package [`runtime_packages`] keeps as it is: one the hand-written
/// map does not know, whose runtime libraries [`named_for`] looks up in the
/// generated data for the stage's release.
fn resolved_later(package: &str) -> bool {
    package.ends_with("-dev") && !recipes().packages.runtime.contains_key(package)
}

/// The runtime stage's first lines: install the runtime packages, named as
/// the base's release names them (users and other effects are the
/// inventory's, see `effects.rs`).
fn runtime_setup(stage: &Stage, packages: &[String]) -> Vec<String> {
    apt_install_line(&named_for(stage, packages))
        .into_iter()
        .collect()
}

/// `packages` (bookworm names) as the stage's release names them; a `-dev`
/// package kept by [`runtime_packages`] becomes its runtime libraries there
/// (generated data, `src/packages.rs`), or stays itself when they are unknown
/// (which [`release_problem`] reports first).
pub(crate) fn named_for(stage: &Stage, packages: &[String]) -> Vec<String> {
    let releases = &recipes().packages.releases;
    let mut out: Vec<String> = Vec::new();
    for p in packages {
        let names = if resolved_later(p) {
            match packages::runtime_libraries(p, release_or_distribution(stage)) {
                Lookup::Libraries(libs) => libs,
                Lookup::BuildOnly => Vec::new(),
                Lookup::Unknown { .. } => vec![p.clone()],
            }
        } else {
            vec![
                release_of(stage)
                    .and_then(|r| releases.get(p).and_then(|m| m.get(r)))
                    .cloned()
                    .unwrap_or_else(|| p.clone()),
            ]
        };
        for n in names {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Debian and Ubuntu release codenames slimfile can name packages for.
const RELEASES: &[&str] = &[
    "wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "trusty", "xenial",
    "bionic", "focal", "jammy", "noble",
];

/// The Debian or Ubuntu release of the stage's base, when the tag names it
/// (`3.11-slim-bookworm`, `debian:12`, `ubuntu:22.04`); `None` when the tag
/// leaves it to the image's current default, which moves between releases.
pub(crate) fn release_of(stage: &Stage) -> Option<&'static str> {
    let base = stage.effective_base();
    let tag = base.tag.as_deref().unwrap_or("");
    if let Some(r) = tag
        .split(['-', '.'])
        .find_map(|w| RELEASES.iter().find(|r| **r == w))
    {
        return Some(r);
    }
    let numbered: &[(&str, &str)] = match base.family().as_str() {
        "debian" => &[
            ("8", "jessie"),
            ("9", "stretch"),
            ("10", "buster"),
            ("11", "bullseye"),
            ("12", "bookworm"),
            ("13", "trixie"),
        ],
        "ubuntu" => &[
            ("14.04", "trusty"),
            ("16.04", "xenial"),
            ("18.04", "bionic"),
            ("20.04", "focal"),
            ("22.04", "jammy"),
            ("24.04", "noble"),
        ],
        _ => &[],
    };
    let version = tag.split('-').next().unwrap_or("");
    // images no longer rebuilt when the default moved to trixie (August 2025)
    let minor = |v: &str| -> Option<(u32, u32)> {
        let mut it = v.split('.').map(|p| p.parse::<u32>().ok());
        Some((it.next()??, it.next()??))
    };
    let frozen = match (base.family().as_str(), minor(version)) {
        // released between bookworm (June 2023) and trixie (August 2025), never rebuilt after
        ("rust", Some(v)) => ((1, 70)..=(1, 88)).contains(&v),
        ("golang", Some(v)) => ((1, 21)..=(1, 23)).contains(&v),
        _ => false,
    };
    if frozen {
        return Some("bookworm");
    }
    numbered
        .iter()
        .find(|(v, _)| version == *v || version.starts_with(&format!("{v}.")))
        .map(|(_, r)| *r)
}

/// A runtime package whose name depends on the release, when the release is
/// unknown or lacks it: the reason to leave the file alone.
pub(crate) fn release_problem(stage: &Stage, packages: &[String]) -> Option<String> {
    let releases = &recipes().packages.releases;
    // -dev packages the generated data names the runtime libraries of, per release
    let release = release_or_distribution(stage);
    if let Some(why) = packages
        .iter()
        .filter(|p| resolved_later(p))
        .find_map(|p| packages::runtime_libraries(p, release).unknown_note(p, release))
    {
        return Some(why);
    }
    // before buster (and Ubuntu 18.04), names are not mapped beyond the table
    if let Some(r) = release_of(stage)
        .filter(|r| matches!(*r, "wheezy" | "jessie" | "stretch" | "trusty" | "xenial"))
        && let Some(p) = packages
            .iter()
            .find(|p| !resolved_later(p) && releases.get(*p).is_none_or(|m| !m.contains_key(r)))
    {
        return Some(format!(
            "`{p}`: runtime library names in {r} are not mapped (transforms/recipes.toml [packages.releases])"
        ));
    }
    let sensitive = packages.iter().find(|p| releases.contains_key(*p))?;
    match release_of(stage) {
        None => Some(format!(
            "`{sensitive}` has another name in other Debian/Ubuntu releases, and the tag of {} does not say which release it is: name the release in the tag (e.g. `-bookworm`)",
            stage.base_text
        )),
        Some(r) if releases[sensitive].get(r).is_some_and(|n| n == "-") => {
            Some(format!("`{sensitive}` does not exist in {r}"))
        }
        Some(_) => None,
    }
}

/// `RUN apt-get install` for the runtime packages, if there are any.
pub(crate) fn apt_install_line(packages: &[String]) -> Option<String> {
    (!packages.is_empty()).then(|| {
        format!(
            "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends {} \\\n    && rm -rf /var/lib/apt/lists/*",
            packages.join(" ")
        )
    })
}

/// The apt packages the runtime needs for what the stage's RUN `scripts`
/// install and what runs in the container (see [`runtime_packages`]).
fn stage_packages(cx: &Context, stage: &Stage, scripts: &[(usize, String)]) -> Vec<String> {
    runtime_packages(&analysis::joined(scripts), &run_time_text(cx, stage))
}

/// What runs in the container: ENTRYPOINT, CMD and the HEALTHCHECK's command.
fn run_time_text(cx: &Context, stage: &Stage) -> String {
    let health = stage
        .instructions
        .clone()
        .rev()
        .map(|n| &cx.doc.instructions[n])
        .find(|i| i.keyword == Keyword::Healthcheck)
        .map(|i| analysis::script(cx.text, i))
        .unwrap_or_default();
    format!("{} {health}", final_command(cx, stage))
}

/// apt packages the runtime needs: `-dev` packages mapped to their runtime
/// library (the hand-written map; a `-dev` package the generated data knows is
/// kept as it is, for [`named_for`] to name its libraries for the release),
/// build-only tools dropped (unless the command uses them), the rest kept.
pub(crate) fn runtime_packages(script: &str, command: &str) -> Vec<String> {
    let p = &recipes().packages;
    let mut out: Vec<String> = Vec::new();
    for pkg in analysis::apt_packages(script) {
        let keep = if let Some(lib) = p.runtime.get(&pkg) {
            Some(lib.clone())
        } else if resolved_later(&pkg)
            && !p.build_only.contains(&pkg)
            && packages::is_known(&pkg)
            && packages::runtime_libraries(&pkg, None) != Lookup::BuildOnly
        {
            Some(pkg)
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
    fn runtime_packages_map_dev_and_drop_build_tools() {
        let s = "apt-get install -y --no-install-recommends build-essential libpq-dev curl ffmpeg";
        assert_eq!(runtime_packages(s, "python app.py"), ["libpq5", "ffmpeg"]);
        assert_eq!(
            runtime_packages(s, "curl -f http://localhost"),
            ["libpq5", "curl", "ffmpeg"]
        );
    }
}

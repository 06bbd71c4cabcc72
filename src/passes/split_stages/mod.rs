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
//! continuation), `not-yet` (an ecosystem or base not covered yet),
//! `version-unpinned` (Ruby: compiled gems need the tag's minor version),
//! `nothing-to-gain` (the runtime would keep the builder's own image, the
//! base already being the lean variant, PHP or make install, and nothing is
//! left in the builder: no build packages, or the original removes them
//! again; no dev dependencies).
//!
//! ## Base families
//! A recipe says what the build makes and what the runtime copies; the
//! builder base's family says which image runs it (`families.rs`), so each
//! recipe runs on every family that can carry it:
//!
//! | family | examples | runtime | interpreter in the runtime |
//! |---|---|---|---|
//! | official language image | `python:3.12`, `node:20`, `golang:1.22` | its slim variant (Go: scratch) | the image's own |
//! | distribution | `debian`, `ubuntu`, `alpine` | the same image | the distribution's package, installed again |
//! | NVIDIA CUDA | `nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04`, `nvcr.io/nvidia/cuda` | `-devel` → the `-runtime` flavor of the same tag (a program with only the static cudart: `-base`); `-runtime`/`-base`: the same image | Ubuntu's package, installed again |
//! | PyTorch | `pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel` | `-devel` → the `-runtime` tag | `/opt/conda`'s, the same in both |
//! | conda | `continuumio/miniconda3`, `anaconda3` | `debian:bookworm-slim` | the environment's own, copied to the same prefix |
//!
//! Whatever the family, the image is left alone when the app compiles at
//! run time (`torch.compile`, JIT extensions, vLLM, XLA:
//! `toolchain-at-runtime`), and Jupyter images and notebook servers are
//! environments (`environment-image`).
//!
//! ## Recipes

mod app;
mod cleanup;
mod conda;
mod distro;
mod distro_node;
mod distro_python;
pub(crate) mod distroless;
mod dotnet;
mod effects;
mod ending;
mod families;
mod go;
mod java;
mod lists;
mod make;
mod native;
mod node;
mod packages;
mod php;
mod python;
mod python_native;
mod python_pytorch;
mod ruby;
mod rust;

use super::{Context, Pass};
use crate::analysis::{self, strs};
use crate::artifacts::{self, Artifact, final_command};
use crate::catalog::{self, VariantKind};
use crate::edit::human_bytes;
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::Stage;
use crate::reason::Reason;
use crate::recipes::recipes;
use crate::shell::Script;
use crate::syntax::Keyword;

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::SplitStages,
    summary: "split a single-stage build into builder + lean runtime, every effect of the original carried (Go, Rust, Java, .NET, Ruby, PHP, Node, Python, Python and Node from Distro packages on debian/ubuntu/alpine and CUDA, Conda environments, make install, Native C/C++/CUDA programs; on NVIDIA CUDA and PyTorch devel images onto their runtime flavors; a static site on nginx: unsafe)",
    safety: Safety::Review,
    doc: crate::pass_doc!("split_stages"),
    run,
};

use app::{AppFolder, app_dir, app_folder, command_argv};
use ending::{carry, copy_from_builder, split_change, unterminated};
use packages::{
    run_time_text, runtime_packages, runtime_setup, stage_apt, stage_packages, stage_shell,
    unknown_dev_package,
};

use crate::releases::{apt_install_line, named_for, release_of, release_problem, suite_of};

/// The RUN scripts of the stage with their instruction index, and all of
/// them joined: what recipes detect and plan from.
pub(super) struct Build<'a> {
    pub stage: &'a Stage,
    pub scripts: &'a [(usize, String)],
    pub all: String,
    /// The words of every command of the scripts, as the shell model reads
    /// them ([`analysis::words`]).
    pub words: Vec<String>,
    /// The stage's RUNs read once with the shell model, each with its ENV
    /// and ARG values ([`stage_shell`]).
    pub shell: Script,
}

impl Build<'_> {
    fn words(&self) -> Vec<&str> {
        strs(&self.words)
    }

    /// True when two consecutive shell words are `a b` somewhere in the scripts.
    fn has(&self, a: &str, b: &str) -> bool {
        self.words.windows(2).any(|w| w[0] == a && w[1] == b)
    }
}

/// True when a command word of `text` (a command, scripts) is `word`.
fn has_word(text: &str, word: &str) -> bool {
    analysis::words(text).iter().any(|w| w == word)
}

/// One ecosystem's split: what it recognises and the runtime stage it plans
/// (each recipe file defines one as `RECIPE`).
struct Recipe {
    /// The recipe's name, as its documentation's heading (`### Go`) writes it.
    name: &'static str,
    /// True when the stage runs this ecosystem's build.
    detects: fn(&Build) -> bool,
    /// The runtime stage, or `None` after reporting why not.
    plan: PlanFn,
}

/// A recipe's plan: from the stage as [`plan`] read it (its RUN scripts, their
/// words, and the shell model's reading of them with their ENV and ARG values).
type PlanFn = fn(&Context, &Build, &mut Findings) -> Option<Plan>;

/// The recipes, in the order they are tried (the first that detects plans).
static RECIPES: &[&Recipe] = &[
    &go::RECIPE,
    &rust::RECIPE,
    &java::RECIPE,
    &dotnet::RECIPE,
    &ruby::RECIPE,
    &php::RECIPE,
    &conda::RECIPE,
    &distro::RECIPE,
    &node::RECIPE,
    &python::RECIPE,
    &make::RECIPE,
    &native::RECIPE,
];

/// The recipes' names, in the order they are tried (each is a `### name`
/// heading in `slimfile explain split-stages`).
pub(crate) fn recipe_names() -> impl Iterator<Item = &'static str> {
    RECIPES.iter().map(|r| r.name)
}

/// What the new runtime stage consists of.
#[derive(Default)]
pub(super) struct Plan {
    /// What the runtime runs, for its comment line (`Go`, `Node, static site`).
    pub ecosystem: &'static str,
    /// The runtime runs the app's sources with an interpreter (Node, Python,
    /// Ruby, PHP, a Conda environment): the effects inventory keeps what
    /// the sources need at run time. A static site served by nginx is not.
    pub interpreted: bool,
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
    /// Programs whose output this plan's copies carry, known to the effects
    /// inventory for this recipe only (`gem`, `docker-php-ext-install` …).
    pub build_programs: &'static [String],
    pub why: String,
    /// The estimate's words when the runtime keeps the builder's base (see [`Runtime`]).
    pub same_base: Option<String>,
    /// With `--prefer distroless`: the slim runtime to go back to when the
    /// carried effects need a shell (RUN steps in the runtime).
    pub slim_fallback: Option<distroless::Fallback>,
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
            Reason::Unterminated,
            Level::Info,
            stage.base_span.start,
            reason,
        );
        return;
    }
    let mut inventory = effects::inventory(cx, stage, &plan, plan.interpreted);
    if let Some(slim) = plan.slim_fallback.take() {
        let shell_needed = match &inventory {
            Ok(fx) if fx.setup.is_empty() && plan.setup.is_empty() && plan.after.is_empty() => None,
            Ok(_) => Some("the runtime runs RUN steps, which need a shell".to_string()),
            Err(b) => Some(b.message.clone()),
        };
        if let Some(why) = shell_needed {
            plan.runtime_base = slim.base;
            plan.sizes.1 = slim.size_mb;
            plan.why = slim.why;
            distroless::stays_slim(out, stage, &mut plan, &why);
            plan.command_rewrites
                .retain(|(n, _)| Some(*n) != slim.rewritten);
            inventory = effects::inventory(cx, stage, &plan, plan.interpreted);
        }
    }
    match inventory {
        Ok(fx) => carry(cx, &mut plan, fx),
        Err(b) => {
            out.note(b.code, Level::Info, b.at, b.message);
            return;
        }
    }
    out.change(split_change(cx, stage, plan));
}

/// Reports why the pass leaves the file alone.
fn skip<T>(out: &mut Findings, at: usize, code: Reason, message: impl Into<String>) -> Option<T> {
    out.note(code, Level::Info, at, message);
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
            Reason::Onbuild,
            "ONBUILD instructions run in child images; not splitting",
        );
    }
    if cx.text.get(stage.base_span.clone()) != Some(stage.base_text.as_str()) {
        return skip(
            out,
            at,
            Reason::FromUnreadable,
            "the base image is written with quotes or escapes: not splitting",
        );
    }
    let all = analysis::joined(scripts);
    let build = Build {
        stage,
        scripts,
        words: analysis::words(&all),
        all,
        // the stage's RUNs read once with the shell model, each with its ENV and ARG values
        shell: stage_shell(cx, stage),
    };
    let shell = &build.shell;
    let installed = analysis::apt_packages_of(shell);
    let recipe = RECIPES.iter().find(|r| (r.detects)(&build));
    let compile = analysis::compile_step(&build.all);
    if recipe.is_some() || compile.is_some() {
        cleanup::leaves_something(cx, stage, shell, &installed, out)?;
    }
    installed_apt_known(stage, &installed, out)?;
    if let Some(recipe) = recipe {
        let has_command = instructions
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
        environment_image(cx, stage, out)?;
        // the fpm and apache php images serve the app with their own command
        if !has_command && !php::base_serves(stage) {
            return skip(
                out,
                at,
                Reason::NoCommand,
                "the stage has no CMD or ENTRYPOINT of its own: whatever it installs may be what the image is for",
            );
        }
        opens_no_shell(cx, stage, out)?;
        no_compiler_at_run_time(cx, stage, &build.all, out)?;
        let packages = runtime_packages(&installed, &run_time_text(cx, stage));
        if let Some(p) = packages.iter().find(|p| p.contains('$')) {
            return skip(
                out,
                at,
                Reason::RuntimeLibraryUnknown,
                format!(
                    "apt installs `{p}`, a variable: cannot tell which runtime libraries it needs"
                ),
            );
        }
        if let Some(why) = release_problem(stage, &packages) {
            return skip(out, at, Reason::RuntimeLibraryUnknown, why);
        }
        return (recipe.plan)(cx, &build, out);
    }
    if let Some(step) = compile {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!("this stage compiles something ({step}), but no recipe knows its artifacts"),
        );
    }
    // nothing is built: not a skip worth reporting on every plain file
    None
}

/// `None` (after reporting) when the image is an environment users run
/// their own code in: a Jupyter image, or a command that opens a notebook
/// server.
fn environment_image(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<()> {
    let base = stage.effective_base();
    let family = base.family();
    let jupyter_base = family.starts_with("jupyter/")
        || family.starts_with("quay.io/jupyter/")
        || family.starts_with("jupyterhub/");
    let command = artifacts::final_command_words(cx, stage);
    let notebook = command.iter().any(|w| {
        let w = crate::shell::basename(w);
        matches!(
            w,
            "jupyter"
                | "jupyter-lab"
                | "jupyter-notebook"
                | "jupyterhub"
                | "start-notebook.sh"
                | "start-notebook.py"
                | "start-singleuser.sh"
        )
    });
    if !(jupyter_base || notebook) {
        return Some(());
    }
    skip(
        out,
        stage.base_span.start,
        Reason::EnvironmentImage,
        if jupyter_base {
            format!(
                "{} is a Jupyter image: users run code of their own in it with whatever the build installs, so it is not split",
                stage.base_text
            )
        } else {
            "the command opens a notebook server: users run code of their own in it with whatever the build installs, so it is not split".to_string()
        },
    )
}

/// `None` (after reporting) when the app compiles at run time
/// (`torch.compile`, JIT extensions, vLLM, XLA: [`crate::jit`]) or when
/// that cannot be told: the runtime image would lack the compiler.
fn no_compiler_at_run_time(
    cx: &Context,
    stage: &Stage,
    all: &str,
    out: &mut Findings,
) -> Option<()> {
    use families::BaseFamily;
    let at = stage.base_span.start;
    let ml_base = matches!(
        BaseFamily::of(stage),
        BaseFamily::Cuda { .. } | BaseFamily::PyTorch { .. } | BaseFamily::Conda
    );
    match crate::jit::runtime_compiler(cx, stage, all, ml_base) {
        Ok(None) => Some(()),
        Ok(Some(c)) => skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            format!(
                "{}: the app needs {} when it runs, which the runtime image would lack",
                c.shown_by, c.needs
            ),
        ),
        Err(crate::jit::CannotTell(why)) => skip(out, at, Reason::ContextUnknown, why),
    }
}

/// `None` (after reporting) when the command only opens a shell or an
/// interpreter's prompt (`bash`, `sh -l`, `python3`, `node`): the image is a
/// toolbox, and the build packages may be what it is for.
fn opens_no_shell(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<()> {
    let argv = command_argv(cx, stage).unwrap_or_default();
    let program = argv.first().map(|p| crate::shell::basename(p));
    let shell = program.is_some_and(lists::opens_a_shell);
    if shell && argv.iter().skip(1).all(|a| a.starts_with('-')) {
        return skip(
            out,
            stage.base_span.start,
            Reason::NoCommand,
            format!(
                "the command opens an interactive shell (`{}`): the image is a toolbox, and whatever the build installs may be what it is for",
                argv.join(" ")
            ),
        );
    }
    Some(())
}

/// `None` (after reporting) when one of the apt packages the stage
/// `installed` ([`stage_apt`]) is a quoted list (`"$LIST"`: one word, which
/// apt reads as one package name) or a `-dev` package whose runtime library
/// is unknown.
fn installed_apt_known(stage: &Stage, installed: &[String], out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    // (an unknown word comes back as written, `$(cat list)`, refused later)
    let known = |p: &&String| !p.contains(['$', '`']);
    if let Some(p) = installed
        .iter()
        .filter(known)
        .find(|p| p.contains(char::is_whitespace))
    {
        return skip(
            out,
            at,
            Reason::RuntimeLibraryUnknown,
            format!(
                "apt installs `{p}` as one word (a quoted variable): cannot tell which runtime libraries it needs"
            ),
        );
    }
    if let Some(why) = unknown_dev_package(installed) {
        return skip(
            out,
            at,
            Reason::RuntimeLibraryUnknown,
            format!("{why}: the runtime stage could miss a shared library"),
        );
    }
    Some(())
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
    let cmd = artifacts::final_command_words(cx, stage);
    let t = strs(&cmd);
    if let Some((a, b)) = commands
        .iter()
        .find(|(a, b)| t.windows(2).any(|w| w[0] == *a && w[1] == *b))
    {
        skip::<()>(
            out,
            stage.base_span.start,
            Reason::ToolchainAtRuntime,
            format!("the command runs `{a} {b}`: the runtime needs the toolchain"),
        );
        return true;
    }
    false
}

/// True when the stage builds on an Alpine tag (`golang:1.22-alpine`):
/// musl, and apk packages.
fn builds_on_alpine(stage: &Stage) -> bool {
    stage
        .effective_base()
        .tag
        .as_deref()
        .is_some_and(|t| t.contains("alpine"))
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
            Reason::NotYet,
            format!(
                "builds on a base other than the official {name} image, or plain debian/ubuntu/alpine with the distribution's package, are not split yet"
            ),
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
    variant_written(cx, stage, family, VariantKind::Slim, out)
}

/// The `kind` variant of the stage's base, as written (see [`variant_of`]).
fn variant_written(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    kind: VariantKind,
    out: &mut Findings,
) -> Option<String> {
    let at = stage.base_span.start;
    let short = match kind {
        VariantKind::Slim => "slim",
        VariantKind::Alpine => "Alpine",
        VariantKind::Runtime => "runtime",
        VariantKind::Base => "base",
    };
    let what = if kind == VariantKind::Slim {
        "slim runtime"
    } else {
        short
    };
    let variant = match family.variant(stage.base.tag.as_deref(), kind) {
        Ok(v) => v,
        Err(_) => {
            return skip(
                out,
                at,
                Reason::NoVariant,
                format!("no {what} variant of {} in the catalog", stage.base_text),
            );
        }
    };
    let written =
        crate::catalog::rewrite_ref(&stage.base, variant.repository.as_deref(), &variant.tag);
    if stage.base_text.contains('$') {
        let resolved = stage
            .base_resolved
            .as_ref()
            .and_then(|r| family.variant(r.tag.as_deref(), kind).ok());
        let agrees = resolved.is_some_and(|rv| {
            crate::image::expand(&variant.tag, &cx.model.global_args).as_deref()
                == Some(rv.tag.as_str())
        });
        if !agrees {
            return skip(
                out,
                at,
                Reason::ArgMismatch,
                format!(
                    "{} with its ARG defaults has no matching {short} variant (it would become `{written}`); change the ARG instead",
                    stage.base_text
                ),
            );
        }
    }
    Some(written)
}

/// The runtime of an interpreted app (Node, Python): its base, the base
/// sizes for the estimate, and the system packages it installs.
pub(super) struct Runtime {
    pub base: String,
    pub sizes: (Option<f64>, Option<f64>),
    pub setup: Vec<String>,
    /// When the runtime builds on the builder's own base because that is
    /// already the lean variant: the estimate's words (what stays behind).
    pub same_base: Option<String>,
}

/// The runtime's apt packages, with the runtime libraries of `devs` added:
/// the `-dev` packages of libraries the build links on the full image (what
/// `what` builds), which the slim runtime lacks; the runtime's setup is made
/// for them. `None` after reporting a name the release does not settle.
pub(super) fn linked_libraries(
    cx: &Context,
    stage: &Stage,
    devs: &[String],
    what: &str,
    runtime: &mut Runtime,
    out: &mut Findings,
) -> Option<Vec<String>> {
    let installed = stage_apt(cx, stage);
    let mut packages = runtime_packages(&installed, &run_time_text(cx, stage));
    for p in runtime_packages(devs, "") {
        if !packages.contains(&p) {
            packages.push(p);
        }
    }
    if let Some(problem) = release_problem(stage, &packages) {
        return skip(
            out,
            stage.base_span.start,
            Reason::RuntimeLibraryUnknown,
            problem,
        );
    }
    if devs.is_empty() {
        return Some(packages);
    }
    runtime.setup = runtime_setup(stage, &packages);
    if installed.is_empty()
        && let Some(first) = runtime.setup.first_mut()
    {
        // the full image's own libraries are unpinned too: nothing to pin them to
        *first = format!(
            "# the libraries {what} link, as the full image has them\n# hadolint ignore=DL3008\n{first}"
        );
    }
    Some(packages)
}

/// The variant word (`slim`, `alpine…`) when the stage's base already is
/// its family's lean variant (`node:20-slim`, `python:3.12-alpine3.19`).
fn lean_word(stage: &Stage, family: &catalog::Family) -> Option<String> {
    if family.scheme != catalog::Scheme::Suite {
        return None;
    }
    let tag = stage.base.tag.as_deref()?;
    tag.split('-')
        .find(|w| *w == "slim" || w.starts_with("alpine"))
        .map(str::to_string)
}

/// The runtime of a Node or Python split: the family's slim variant, or,
/// when the base already is it, the same base as written, provided the split
/// leaves something behind (build packages, or what `other_gain` says, such
/// as pruned dev dependencies); reported and `None` otherwise.
pub(super) fn interpreted_runtime(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    other_gain: Option<&str>,
    out: &mut Findings,
) -> Option<Runtime> {
    let Some(word) = lean_word(stage, family) else {
        let apt = runtime_packages(&stage_apt(cx, stage), &run_time_text(cx, stage));
        return Some(Runtime {
            base: variant_of(cx, stage, family, out)?,
            sizes: (family.size("full"), family.size("slim")),
            setup: runtime_setup(stage, &apt),
            same_base: None,
        });
    };
    let lean = distro::SameBase {
        why_same: format!("already is the {word} variant"),
        short: format!("already {word}"),
        interpreter: None,
        left_out: &[],
        libraries: Vec::new(),
    };
    distro::same_base_runtime(cx, stage, &lean, other_gain, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_packages_map_dev_and_drop_build_tools() {
        let s = "apt-get install -y --no-install-recommends build-essential libpq-dev curl ffmpeg";
        let s = analysis::apt_packages(s);
        assert_eq!(runtime_packages(&s, "python app.py"), ["libpq5", "ffmpeg"]);
        assert_eq!(
            runtime_packages(&s, "curl -f http://localhost"),
            ["libpq5", "curl", "ffmpeg"]
        );
    }
}

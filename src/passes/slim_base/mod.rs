//! # slim-base
//!
//! ## What it does
//! Swaps the base image of a runtime stage (the final stage, or any stage
//! nothing else builds on or copies from) for a smaller variant of the same
//! image from the catalog (`transforms/bases.toml`): `python:3.12` →
//! `python:3.12-slim`, `node:20-bookworm` → `node:20-slim-bookworm`,
//! `eclipse-temurin:21-jdk` → `eclipse-temurin:21-jre`, `openjdk:17` →
//! `eclipse-temurin:17-jre`, `maven:3.9-eclipse-temurin-21` →
//! `eclipse-temurin:21-jre`, `debian:bookworm` → `debian:bookworm-slim`. With
//! `--prefer alpine` it proposes the Alpine variant instead (and it does so
//! without it when the catalog has no slim variant of the image).
//! With `--prefer distroless` it proposes Google's distroless image instead
//! (`eclipse-temurin:21-jdk` → `gcr.io/distroless/java21-debian13:latest`,
//! `node:22` → `gcr.io/distroless/nodejs22-debian13:latest`) where the stage
//! needs nothing distroless lacks: no RUN, no HEALTHCHECK, no ENTRYPOINT of
//! its own, an exec-form CMD that starts with the image's ENTRYPOINT
//! (`java -jar`, `node`, which the CMD then leaves out), a USER distroless
//! has (root, nonroot, nobody or a number); otherwise the slim variant, with
//! a `distroless-unfit` note. Python stays on slim (a venv's interpreter is
//! not distroless's).
//!
//! Registry prefixes (`docker.io/library/`, mirrors), `--platform`, stage
//! names and ARG-parameterized tags (`python:${PY}` → `python:${PY}-slim`) are
//! kept. A user map in the configuration wins over the catalog.
//!
//! ## Why is this bad?
//! A full language image carries compilers, headers and hundreds of packages
//! the running app never uses: `python:3.12` is 411 MB compressed,
//! `python:3.12-slim` 43 MB. Every pull, scan and cold start pays for them.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12 AS builder
//! RUN pip install --prefix=/install -r requirements.txt
//! FROM python:3.12
//! COPY --from=builder /install /usr/local
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM python:3.12 AS builder
//! RUN pip install --prefix=/install -r requirements.txt
//! FROM python:3.12-slim
//! COPY --from=builder /install /usr/local
//! ```
//!
//! ## Fix safety
//! **review** for slim, JRE and ASP.NET runtime variants: same distribution,
//! apt still works, fewer packages. A stage that compiles (gcc, make, `-dev`
//! packages, `go build`, `npm ci`, …) keeps its image: slim variants have no
//! compiler. So does a `python` stage that runs `pip install`, unless it
//! takes wheels only (`--only-binary :all:`, or wheel files a builder made):
//! a package with no wheel for that Python (an old uWSGI, pycrypto) builds
//! from source. **unsafe** for Alpine (musl instead of glibc, apk instead of
//! apt): proposed with `--prefer alpine` or when the image has no slim
//! variant, and only when the stage has no apt/dpkg step; applied only with
//! `--safety unsafe`. **unsafe** for distroless too (no shell to debug
//! with, another JRE/Node build, the image's ENTRYPOINT). A digest-pinned base is left alone with a note (a new
//! digest cannot be invented here); unknown images are left alone. Builder stages are never touched, and a
//! single-stage file that builds something is left to split-stages.

mod distroless;

use super::{Context, Pass};
use crate::analysis;
use crate::catalog::{self, NoVariant, VariantKind};
use crate::config::Prefer;
use crate::edit::human_bytes;
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::image;
use crate::model::Stage;
use crate::reason::Reason;

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::SlimBase,
    summary: "swap runtime-stage bases for slim / JRE / ASP.NET variants from the catalog (alpine: unsafe), with size estimates; keep the base when the slim variant lacks a tool the stage uses",
    safety: Safety::Review,
    doc: crate::pass_doc!("slim_base"),
    run,
};

fn run(cx: &Context, out: &mut Findings) {
    for stage in &cx.model.stages {
        if !cx.model.is_leaf(stage.index)
            || stage.base_stage.is_some()
            || stage.base_text.is_empty()
        {
            continue;
        }
        // the written reference must be one plain word we can replace
        if cx.text.get(stage.base_span.clone()) != Some(stage.base_text.as_str()) {
            continue;
        }
        if mapped_by_user(cx, stage, out) {
            continue;
        }
        let Some(family) = catalog::catalog().family(stage.effective_base()) else {
            continue;
        };
        let scripts = analysis::run_scripts(cx.text, cx.doc, stage);
        if keeps_base(cx, stage, &scripts, out) {
            continue;
        }
        // the distroless swap (unsafe) comes first and wins when both apply; at a lower
        // safety level the slim variant applies and distroless stays a suggestion
        if cx.settings.prefer == Prefer::Distroless
            && let Some(change) = distroless::swap(cx, stage, family, &scripts, out)
        {
            out.change(change);
        }
        if let Some((variant, safety)) = pick_variant(cx, stage, family, &scripts, out)
            && !variant_unfit(cx, stage, &variant, out)
        {
            out.change(swap_change(cx, stage, family, &variant, safety));
        }
    }
}

/// Applies the configuration's base map (true when it names this base).
fn mapped_by_user(cx: &Context, stage: &Stage, out: &mut Findings) -> bool {
    let Some(target) = user_map(cx, stage) else {
        return false;
    };
    if maps_back(&cx.settings.base_map, &target, &stage.base_text) {
        out.note(
            Reason::MapCycle,
            Level::Warning,
            stage.base_span.start,
            format!(
                "keeps {}: the configured base map leads from {target} back to it",
                stage.base_text
            ),
        );
        return true;
    }
    out.change(Change::new(
        Safety::Review,
        format!(
            "{} → {target}: mapped in your configuration",
            stage.base_text
        ),
        vec![Edit::replace(stage.base_span.clone(), target)],
    ));
    true
}

/// True (after a note) when the stage keeps its base whatever the catalog
/// offers: a digest pin, a build to split first, a compiler, a tool the
/// slim variant lacks.
fn keeps_base(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> bool {
    let at = stage.base_span.start;
    if stage.base.digest.is_some() {
        out.note(Reason::DigestPinned, Level::Info, at, format!("{} is pinned by digest; pin the slim variant's digest by hand if you want it (a new digest cannot be derived)", stage.base_text));
        return true;
    }
    let compile = scripts.iter().find_map(|(_, s)| analysis::compile_step(s));
    let installs = analysis::installs_python(&analysis::joined(scripts));
    if cx.model.stages.len() == 1 && (compile.is_some() || installs) {
        out.note(Reason::SingleStageBuild, Level::Info, at, "this single stage builds something: a split into builder and runtime (split-stages) comes before a base swap");
        return true;
    }
    let pip_builds =
        installs && stage.effective_base().family() == "python" && !wheels_only(scripts);
    let compiles = match compile {
        Some(step) => Some(format!("this stage compiles ({step}), and the slim variants have no compiler")),
        // a package with no wheel for this Python builds from source
        None => pip_builds.then(|| "pip may build a package from source (one with no wheel for this Python, such as uWSGI or pycrypto), and the slim variant has no compiler".to_string()),
    };
    if let Some(why) = compiles {
        out.note(
            Reason::Compiles,
            Level::Info,
            at,
            format!("keeps {}: {why}", stage.base_text),
        );
        return true;
    }
    false
}

/// True (after a note) when the variant would not run the stage: it lacks
/// a program the stage uses ([`variant_lacks`]), or the stage is a
/// toolchain image ([`toolchain_image`]).
fn variant_unfit(
    cx: &Context,
    stage: &Stage,
    variant: &catalog::Variant,
    out: &mut Findings,
) -> bool {
    let at = stage.base_span.start;
    // the image the swap names, with the stage's ARG defaults resolved
    let base = stage.effective_base();
    let resolved = catalog::catalog()
        .family(base)
        .and_then(|f| f.variant(base.tag.as_deref(), variant.kind).ok())
        .unwrap_or_else(|| variant.clone());
    let target = crate::image::ImageRef::parse(&rewrite_ref(
        base,
        resolved.repository.as_deref(),
        &resolved.tag,
    ));
    let (code, why) = if let Some(why) = toolchain_image(cx, stage, &target) {
        (Reason::NoCommand, why)
    } else if let Some(why) = variant_lacks(cx, stage, &target) {
        (Reason::ToolMissing, why)
    } else {
        return false;
    };
    out.note(
        code,
        Level::Info,
        at,
        format!("keeps {}: {why}", stage.base_text),
    );
    true
}

/// Programs that make an image a toolchain: the compilers and build tools
/// a full image has and its runtime variant drops.
const TOOLCHAIN: &[&str] = &[
    "javac", "jar", "gcc", "g++", "cc", "make", "go", "rustc", "cargo", "dotnet",
];

/// Why a stage with no command of its own keeps its toolchain: it is an
/// image others build on or run tools in (an SDK, a CI agent), and the
/// variant drops compilers the full image has.
fn toolchain_image(cx: &Context, stage: &Stage, target: &crate::image::ImageRef) -> Option<String> {
    use crate::image_config::config_of;
    use crate::syntax::Keyword;
    let own_command = stage.instructions.clone().any(|n| {
        matches!(
            cx.doc.instructions[n].keyword,
            Keyword::Cmd | Keyword::Entrypoint
        )
    });
    if own_command {
        return None;
    }
    let full = config_of(stage.effective_base())?;
    let dropped: Vec<&str> = TOOLCHAIN
        .iter()
        .copied()
        .filter(|p| full.has_program(p) && !config_of(target).is_some_and(|t| t.has_program(p)))
        .collect();
    (!dropped.is_empty()).then(|| {
        format!(
            "the stage has no CMD or ENTRYPOINT of its own, so it is a toolchain image (an SDK, a CI agent, a base for other builds), and {target} drops its {}",
            dropped.join(", ")
        )
    })
}

/// True when every Python install of the stage takes wheels only
/// (`--only-binary :all:`, or wheel files a builder made: `pip install
/// /wheels/*`), so none compiles.
fn wheels_only(scripts: &[(usize, String)]) -> bool {
    analysis::command_words(&analysis::joined(scripts))
        .iter()
        .map(|w| w.iter().map(String::as_str).collect::<Vec<_>>())
        .filter(|t| analysis::python_installs(t))
        .all(|t| {
            let s = analysis::pip_sources(&t);
            let reads_only_wheels = s.wheels
                && s.named.is_empty()
                && s.files.is_empty()
                && !s.project
                && s.unreadable.is_empty();
            s.only_binary || reads_only_wheels
        })
}

/// The variant to swap to and its safety, or `None` (after a note when the
/// user should know why).
fn pick_variant(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<(catalog::Variant, Safety)> {
    let at = stage.base_span.start;
    // `--prefer distroless` comes here when distroless does not fit: the slim variant
    let kind = match cx.settings.prefer {
        Prefer::Alpine => VariantKind::Alpine,
        Prefer::Slim | Prefer::Distroless => VariantKind::Slim,
    };
    let variant = match family.variant(stage.base.tag.as_deref(), kind) {
        Ok(v) => v,
        Err(NoVariant::NoSuchVariant("slim")) if kind == VariantKind::Slim => family
            .variant(stage.base.tag.as_deref(), VariantKind::Alpine)
            .ok()?,
        Err(NoVariant::AlreadyMinimal | NoVariant::AlreadyVariant(_)) => return None,
        Err(reason) => {
            out.note(
                Reason::NoVariant,
                Level::Info,
                at,
                format!("keeps {}: {}", stage.base_text, explain(&reason)),
            );
            return None;
        }
    };
    let safety = match variant.kind {
        VariantKind::Slim | VariantKind::Runtime | VariantKind::Base => Safety::Review,
        VariantKind::Alpine => {
            if scripts.iter().any(|(_, s)| analysis::uses_apt(s)) {
                out.note(
                    Reason::AptBlocksAlpine,
                    Level::Info,
                    at,
                    format!(
                        "keeps {}: the stage uses apt/dpkg, which Alpine does not have",
                        stage.base_text
                    ),
                );
                return None;
            }
            Safety::Unsafe
        }
    };
    // ARG-parameterized tags: the written and the resolved derivation must agree
    if let (Some(resolved), true) = (&stage.base_resolved, stage.base_text.contains('$')) {
        let agrees = match family.variant(resolved.tag.as_deref(), variant.kind) {
            Ok(rv) => {
                image::expand(&variant.tag, &cx.model.global_args).is_some_and(|t| t == rv.tag)
            }
            Err(_) => false,
        };
        if !agrees {
            out.note(Reason::ArgMismatch, Level::Info, at, format!("keeps {}: with its ARG defaults it is {resolved}, which has no matching variant; change the ARG instead", stage.base_text));
            return None;
        }
    }
    Some((variant, safety))
}

/// The base swap, with sizes, estimate and why in its message.
fn swap_change(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    variant: &catalog::Variant,
    safety: Safety,
) -> Change {
    let new_text = rewrite_ref(&stage.base, variant.repository.as_deref(), &variant.tag);
    let from_mb = family.size(variant.size_keys.0);
    let to_mb = family.size(variant.size_keys.1);
    let saved = match (from_mb, to_mb) {
        (Some(a), Some(b)) => Some(((a - b) * 1_000_000.0).round() as i64),
        _ => None,
    };
    // the catalog's figures are per family (one reference tag), not per tag:
    // say so whenever the image written is not the reference image itself
    let size = |mb: Option<f64>, key: &str, image: &str| match (mb, family.size_reference(key)) {
        (None, _) => "size unknown".to_string(),
        (Some(m), Some(reference)) if !image.ends_with(&reference) => {
            format!("{m:.1} MB, {reference} reference size")
        }
        (Some(m), _) => format!("{m:.1} MB"),
    };
    let estimate = match saved {
        Some(b) => format!("~{} smaller, compressed", human_bytes(b)),
        None => "saving unknown (no catalog figure)".to_string(),
    };
    let why = match (variant.kind, variant.repository.as_deref()) {
        (VariantKind::Alpine, _) => {
            "Alpine: musl libc and apk instead of glibc and apt; test the app"
        }
        (VariantKind::Slim, None) => "same distribution without compilers and build tools",
        (VariantKind::Slim, Some(r)) if r.starts_with("dotnet/") => {
            "the ASP.NET Core runtime without the SDK"
        }
        (VariantKind::Slim, Some(_)) => {
            "a JRE of the same Java version (openjdk images are deprecated; maven/gradle images carry the build tool)"
        }
        (VariantKind::Runtime | VariantKind::Base, _) => {
            "the run-time flavor of the same tag, without compilers, headers and static libraries"
        }
    };
    let message = format!(
        "{} ({}) → {new_text} ({}): {estimate}; {why}",
        stage.base_text,
        size(
            from_mb,
            variant.size_keys.0,
            &stage.effective_base().to_string()
        ),
        size(
            to_mb,
            variant.size_keys.1,
            &image::expand(&new_text, &cx.model.global_args).unwrap_or(new_text.clone())
        )
    );
    Change::new(
        safety,
        message,
        vec![Edit::replace(stage.base_span.clone(), new_text)],
    )
    .with_estimate(saved)
}

fn user_map(cx: &Context, stage: &Stage) -> Option<String> {
    let map = &cx.settings.base_map;
    map.get(&stage.base_text)
        .or_else(|| {
            stage
                .base_resolved
                .as_ref()
                .and_then(|r| map.get(&r.to_string()))
        })
        .filter(|t| **t != stage.base_text)
        .cloned()
}

/// True when following the user map from `target` comes back to `start`
/// (`a = "b"`, `b = "a"`): applying it would never reach a fixpoint.
fn maps_back(map: &std::collections::BTreeMap<String, String>, target: &str, start: &str) -> bool {
    let mut at = target;
    for _ in 0..=map.len() {
        if at == start {
            return true;
        }
        match map.get(at) {
            Some(next) => at = next,
            None => return false,
        }
    }
    // a cycle that does not pass through `start`: it loops when it is reached
    true
}

use crate::catalog::rewrite_ref;

fn explain(reason: &NoVariant) -> String {
    match reason {
        NoVariant::AlreadyMinimal => "already minimal".into(),
        NoVariant::AlreadyVariant(v) => format!("already a `{v}` variant"),
        NoVariant::UnknownTag(t) => format!("the catalog cannot read the tag `{t}`"),
        NoVariant::NoSuchVariant(v) => format!("the image has no {v} variant"),
        NoVariant::UnknownJavaVersion => "cannot tell the Java version from the tag".into(),
    }
}

/// Why the variant `target` would not run the stage's steps: no run-time
/// facts about it; a program a RUN, the HEALTHCHECK or the command uses
/// that the full image has, the variant lacks and the stage does not
/// install; or a package whose install fails on a slim image with no
/// `/usr/share/man/man1` (`transforms/recipes.toml` `needs_man_dir`).
fn variant_lacks(cx: &Context, stage: &Stage, target: &crate::image::ImageRef) -> Option<String> {
    use crate::image_config::config_of;
    use crate::shell::{Script, ShellEnv};
    let full = config_of(stage.effective_base())?;
    let Some(slim) = config_of(target) else {
        return Some(format!(
            "no run-time facts about {target} (transforms/images.toml): cannot check that it has the programs the stage uses"
        ));
    };
    let mut installed: Vec<String> = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        let script = match ins.keyword {
            crate::syntax::Keyword::Run => {
                Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::default())
            }
            crate::syntax::Keyword::Healthcheck
            | crate::syntax::Keyword::Cmd
            | crate::syntax::Keyword::Entrypoint => {
                let text = analysis::script(cx.text, ins);
                // `HEALTHCHECK [flags] CMD command`: the command after the CMD word
                let command = match text.trim_start().get(..4) {
                    Some(w) if w.eq_ignore_ascii_case("CMD ") => text.trim_start()[4..].to_string(),
                    _ => text,
                };
                Script::parse(&command, &ShellEnv::default())
            }
            _ => continue,
        };
        for i in script.installs() {
            for p in &i.packages {
                let needs_man_dir = crate::recipes::recipes()
                    .packages
                    .needs_man_dir
                    .iter()
                    .any(|prefix| p.name.starts_with(prefix.as_str()));
                if needs_man_dir {
                    let mkdir = script.commands.iter().any(|c| {
                        c.program() == Some("mkdir")
                            && c.args()
                                .iter()
                                .any(|a| a.value.as_deref() == Some("/usr/share/man/man1"))
                    });
                    if !mkdir {
                        return Some(format!(
                            "line {} installs {}, whose set-up fails on {target} (no /usr/share/man/man1, which slim images leave out) unless the RUN makes it first: `mkdir -p /usr/share/man/man1`",
                            ins.line, p.name
                        ));
                    }
                }
                installed.push(p.name.clone());
            }
        }
        for c in &script.commands {
            let Some(program) = c.program() else { continue };
            if full.has_program(program)
                && !slim.has_program(program)
                && !installed.iter().any(|p| p == program)
            {
                return Some(format!(
                    "line {} runs `{program}`, which {target} does not have",
                    ins.line
                ));
            }
        }
    }
    None
}

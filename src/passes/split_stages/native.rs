//! ### Native
//! C, C++ and CUDA: a program compiled and linked with `-o` (`nvcc -o /usr/local/bin/app
//! app.cu`, `gcc -O2 -o server server.c`, `g++`, `clang`) that the command
//! runs: the runtime copies the binaries to the same paths. On `debian` and
//! `ubuntu` the runtime is the same base with the build packages left behind
//! (their `-dev` packages' runtime libraries installed again). On NVIDIA CUDA
//! `-devel` images it is the `-base` flavor of the same tag when every link
//! is nvcc's or a compiler's with no CUDA library beyond the static cudart
//! (nvcc's default), else the `-runtime` flavor (`-lcublas`, `-lcufft`,
//! `--cudart shared`, a cuDNN tag …), so the libraries the program loads are
//! there. Object files (`-c`), outputs the command does not run, and builds
//! whose outputs cannot be named (`make` without `install`, `cmake --build`)
//! are left alone.

use super::families::{BaseFamily, flavor_swap};
use super::{
    Build, Context, Findings, Plan, Reason, Recipe, Runtime, Stage, VariantKind, artifacts,
    command_argv, copy_from_builder, distro, run_time_text, runtime_packages, runtime_setup, skip,
    stage_apt,
};

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Native",
    detects,
    plan,
};

/// Compilers that link a program with `-o`.
const COMPILERS: &[&str] = &[
    "nvcc", "gcc", "g++", "cc", "c++", "clang", "clang++", "gcc-11", "g++-11", "gcc-12", "g++-12",
];

/// Libraries a program may link that every flavor (even CUDA's `-base`)
/// has: libc's, libstdc++, and the static cudart.
const EVERYWHERE: &[&str] = &[
    "m",
    "pthread",
    "dl",
    "rt",
    "c",
    "stdc++",
    "gcc",
    "gcc_s",
    "cudart_static",
    "cudadevrt",
];

fn detects(build: &Build) -> bool {
    let w = build.words();
    w.iter().any(|x| COMPILERS.contains(x)) && w.contains(&"-o")
}

/// One link step: the program's path and what it links.
struct Link {
    output: String,
    libraries: Vec<String>,
    nvcc: bool,
    shared_cudart: bool,
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let stage = build.stage;
    let at = stage.base_span.start;
    let links = links(cx, stage, out)?;
    let outputs: Vec<&str> = links.iter().map(|l| l.output.as_str()).collect();
    command_runs_one_of(cx, stage, &outputs, out)?;
    let family = BaseFamily::of(stage);
    let Some(_) = family.os_packages() else {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "{} is not a debian, ubuntu or NVIDIA CUDA (Ubuntu) image: a compiled program's runtime base is not known",
                stage.base_text
            ),
        );
    };
    if family.os_packages() == Some(distro::Distro::Alpine) {
        return skip(
            out,
            at,
            Reason::NotYet,
            "programs compiled on Alpine are not split yet (musl: the make install recipe covers `make install`)",
        );
    }
    let installed = stage_apt(cx, stage);
    let command = run_time_text(cx, stage);
    let apt = runtime_packages(&installed, &command);
    let dropped: Vec<String> = installed
        .iter()
        .filter(|p| !apt.contains(p))
        .cloned()
        .collect();
    // nvcc links cudart statically unless told otherwise; any other CUDA library needs the runtime flavor
    let bare = links
        .iter()
        .all(|l| !l.shared_cudart && l.libraries.iter().all(|x| EVERYWHERE.contains(&x.as_str())))
        && links.iter().any(|l| l.nvcc);
    let kind = if bare {
        VariantKind::Base
    } else {
        VariantKind::Runtime
    };
    let runtime = runtime_base(cx, stage, kind, &dropped, out)?;
    let why = why(&links, &outputs, kind, runtime.same_base.is_none());
    Some(Plan {
        ecosystem: "Native",
        runtime_base: runtime.base,
        setup: runtime_setup(stage, &apt),
        copies: outputs
            .iter()
            .map(|o| copy_from_builder(cx, o, o))
            .collect(),
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        why,
        ..Plan::default()
    })
}

/// The runtime: a CUDA `-devel` image's `kind` flavor, else the
/// same base when the build leaves packages behind; `None` after reporting.
fn runtime_base(
    cx: &Context,
    stage: &Stage,
    kind: VariantKind,
    dropped: &[String],
    out: &mut Findings,
) -> Option<Runtime> {
    if let Some(s) = flavor_swap(cx, stage, kind, out).ok()? {
        return Some(Runtime {
            base: s.base,
            sizes: s.sizes,
            setup: Vec::new(),
            same_base: None,
        });
    }
    if dropped.is_empty() {
        return skip(
            out,
            stage.base_span.start,
            Reason::NothingToGain,
            format!(
                "{} is already the image the program runs on, and the build installs no package a runtime would leave behind",
                stage.base_text
            ),
        );
    }
    Some(Runtime {
        base: stage.base_text.clone(),
        sizes: (None, None),
        setup: Vec::new(),
        same_base: Some(format!(
            "the base stays {}: the runtime leaves behind the build packages {}",
            stage.base_text,
            dropped.join(", ")
        )),
    })
}

/// The message's words for what the runtime carries.
fn why(links: &[Link], outputs: &[&str], kind: VariantKind, flavor: bool) -> String {
    let mut why = format!(
        "the compiled program{} {}",
        if outputs.len() > 1 { "s" } else { "" },
        outputs.join(", ")
    );
    if kind == VariantKind::Base && flavor {
        why.push_str(" (CUDA runtime linked statically: the base flavor has all it loads)");
    }
    let linked: Vec<String> = links
        .iter()
        .flat_map(|l| l.libraries.iter())
        .filter(|x| !EVERYWHERE.contains(&x.as_str()))
        .map(|l| format!("-l{l}"))
        .collect();
    if !linked.is_empty() && flavor {
        why.push_str(&format!(
            " (links {}: the runtime flavor has the CUDA libraries)",
            linked.join(" ")
        ));
    }
    why
}

/// The link steps of the stage: every compiler command with `-o` and no
/// `-c`; `None` (after reporting) when an output cannot be resolved.
fn links(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<Vec<Link>> {
    let at = stage.base_span.start;
    let mut found = Vec::new();
    for (n, script) in artifacts::run_shells(cx, stage) {
        let line = cx.doc.instructions[n].line;
        for c in &script.commands {
            let Some(program) = c.program() else { continue };
            if !COMPILERS.contains(&program) {
                continue;
            }
            let values: Vec<&str> = c.args().iter().filter_map(|w| w.value.as_deref()).collect();
            if values.contains(&"-c") || values.contains(&"--compile") {
                continue;
            }
            let Some(o) = c.flag_value(&["-o", "--output-file"]) else {
                continue;
            };
            let Some(output) = o
                .value
                .as_deref()
                .filter(|v| !o.word.pattern && !v.contains('$'))
                .and_then(|v| c.resolve(v))
            else {
                return skip(
                    out,
                    at,
                    Reason::ArtifactUnknown,
                    format!(
                        "line {line}: `{program} -o {}` writes a path slimfile cannot resolve",
                        o.word.raw
                    ),
                );
            };
            let libraries = values
                .iter()
                .filter_map(|v| v.strip_prefix("-l"))
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let shared_cudart = values
                .windows(2)
                .any(|w| matches!(w[0], "-cudart" | "--cudart") && w[1] == "shared")
                || values
                    .iter()
                    .any(|v| *v == "--cudart=shared" || *v == "-cudart=shared");
            found.push(Link {
                output,
                libraries,
                nvcc: program == "nvcc",
                shared_cudart,
            });
        }
    }
    if found.is_empty() {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "no compiler command links a program with `-o`",
        );
    }
    Some(found)
}

/// `None` (after reporting) unless the command runs one of the compiled
/// programs (by its path, or by its name from a folder on PATH).
fn command_runs_one_of(
    cx: &Context,
    stage: &Stage,
    outputs: &[&str],
    out: &mut Findings,
) -> Option<()> {
    let argv = command_argv(cx, stage).unwrap_or_default();
    let wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    let program = argv.first().map(String::as_str).unwrap_or("");
    let runs = outputs.iter().any(|o| {
        (program.contains('/') && artifacts::join(&wd, program) == *o)
            || (!program.contains('/')
                && crate::shell::basename(o) == program
                && [
                    "/usr/local/bin",
                    "/usr/bin",
                    "/bin",
                    "/usr/local/sbin",
                    "/usr/sbin",
                ]
                .iter()
                .any(|d| artifacts::join(d, program) == *o))
    });
    if runs {
        return Some(());
    }
    skip(
        out,
        stage.base_span.start,
        Reason::ArtifactUnknown,
        format!(
            "the command runs `{}`, which is not one of the programs the build links ({})",
            if program.is_empty() {
                "a shell form slimfile cannot read"
            } else {
                program
            },
            outputs.join(", ")
        ),
    )
}

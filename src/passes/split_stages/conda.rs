//! ### Conda
//! An environment the build creates on a `continuumio` image (`conda env
//! create -f environment.yml`, `conda create -n NAME …`, or `mamba`), every
//! later install going into it (`-n NAME`, its own `pip`, `conda run -n
//! NAME`), and a command that runs it by its path or through PATH (`ENV PATH
//! /opt/conda/envs/NAME/bin:$PATH`): the runtime is `debian:bookworm-slim`
//! with the image's libraries and its `LANG`/`LC_ALL`/`PATH`, and the
//! environment is copied to the same prefix (environments are not
//! relocatable). conda itself, the base environment, the package cache and
//! the build packages stay behind. Left alone, with the reason: a command or
//! SHELL that runs `conda run`, `conda activate` or `source activate` (conda
//! must be in the final image, and activation scripts run), installs into
//! the base environment (the base environment is the image:
//! `nothing-to-gain`), an environment whose name the file does not say (an
//! environment file not at hand), apt packages the runtime would need (the
//! images do not name their Debian release), `condaforge` images (their
//! ENTRYPOINT is tini) and `mambaorg/micromamba` (its ENTRYPOINT activates
//! the environment, as user mambauser). `conda clean` is size-hygiene's.

use super::families::BaseFamily;
use super::{
    AppFolder, Build, Context, Findings, Keyword, Plan, Reason, Recipe, Stage, analysis, app,
    apt_install_line, artifacts, builder_size, catalog, command_argv, copy_from_builder, recipes,
    run_time_text, runtime_packages, skip, stage_apt,
};
use crate::shell::Command;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Conda",
    detects,
    plan,
};

const CONDAS: &[&str] = &["conda", "mamba", "micromamba"];

fn detects(build: &Build) -> bool {
    let w = build.words();
    w.windows(2)
        .any(|p| CONDAS.contains(&p[0]) && matches!(p[1], "create" | "install" | "env"))
}

/// The environment the build creates, and the words for it.
struct Environment {
    prefix: String,
    said: String,
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let at = stage.base_span.start;
    let r = &recipes().conda;
    conda_image(stage, out)?;
    let env = environment(cx, stage, out)?;
    every_install_into(cx, stage, &env.prefix, out)?;
    runs_without_conda(cx, stage, &env.prefix, out)?;
    let installed = stage_apt(cx, stage);
    let kept = runtime_packages(&installed, &run_time_text(cx, stage));
    if let Some(p) = kept.first() {
        return skip(
            out,
            at,
            Reason::ReleaseUnknown,
            format!(
                "the build installs `{p}` for the app, and {} does not name its Debian release: its name on the runtime's {} is not sure",
                stage.base_text, r.runtime
            ),
        );
    }
    let (last_run, _) = scripts.last()?;
    let dir = app::app_dir_or_tool(cx, stage, *last_run, out).ok()?;
    let mut copies = vec![copy_from_builder(cx, &env.prefix, &env.prefix)];
    let mut why = format!(
        "the environment {} ({}), copied to the same prefix, with the image's libraries",
        env.prefix, env.said
    );
    match &dir {
        Some(AppFolder::Dir(d)) if !d.starts_with(&env.prefix) => {
            copies.push(copy_from_builder(cx, d, d));
            why.push_str(&format!(" and the app folder {d}"));
        }
        Some(AppFolder::Root) => why.push_str(" and the app's files in /"),
        _ => {}
    }
    why.push_str(&format!(
        "; conda, the base environment {} and the package cache stay behind",
        r.root
    ));
    let debian = catalog::catalog().approx_size_mb(&crate::image::ImageRef::parse(&r.runtime));
    Some(Plan {
        ecosystem: "Conda",
        interpreted: true,
        runtime_base: r.runtime.clone(),
        setup: apt_install_line(&r.runtime_packages)
            .map(|l| {
                format!(
                    "# the libraries of {}, as it installs them\n# hadolint ignore=DL3008\n{l}",
                    stage.base_text
                )
            })
            .into_iter()
            .collect(),
        env: r.env.clone(),
        copies,
        sizes: (builder_size(stage), debian),
        build_programs: conda_programs(),
        why,
        ..Plan::default()
    })
}

/// `None` (after reporting) unless the base is a continuumio image.
fn conda_image(stage: &Stage, out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    let family = catalog::catalog().family(stage.effective_base());
    match (BaseFamily::of(stage), family.map(|f| f.name.as_str())) {
        (BaseFamily::Conda, Some("continuumio/miniconda3")) => Some(()),
        (BaseFamily::Conda, Some("condaforge/miniforge3")) => skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "{} runs the command under its ENTRYPOINT (tini): not split yet",
                stage.base_text
            ),
        ),
        (BaseFamily::Conda, _) => skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "{} activates the environment in its ENTRYPOINT and runs as mambauser: a runtime without micromamba could do neither; not split",
                stage.base_text
            ),
        ),
        _ => skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "conda on {} is installed by the build itself: only the continuumio images' /opt/conda is split",
                stage.base_text
            ),
        ),
    }
}

/// The conda command's subcommand words: `env create`, `create`, `install` …
fn subcommand(c: &Command) -> Option<(&str, &[crate::shell::ShellWord])> {
    let args = c.args();
    let first = args.first()?.value.as_deref()?;
    if first == "env" {
        let second = args.get(1)?.value.as_deref()?;
        return Some((
            if second == "create" {
                "env create"
            } else {
                "env"
            },
            &args[2..],
        ));
    }
    Some((first, &args[1..]))
}

/// The one environment the build creates, from `-n`, `-p`, or the `name:`
/// of its environment file; `None` after reporting.
fn environment(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<Environment> {
    let at = stage.base_span.start;
    let root = &recipes().conda.root;
    let mut found: Vec<Environment> = Vec::new();
    for (n, script) in artifacts::run_shells(cx, stage) {
        for c in &script.commands {
            if !c.program().is_some_and(|p| CONDAS.contains(&p)) {
                continue;
            }
            let Some((sub, _)) = subcommand(c) else {
                continue;
            };
            if sub != "create" && sub != "env create" {
                continue;
            }
            let flag = |names: &[&str]| c.flag_value(names).and_then(|f| f.value);
            let env = if let Some(p) = flag(&["-p", "--prefix"]) {
                c.resolve(&p).map(|p| Environment {
                    prefix: p,
                    said: format!("`{sub} -p`"),
                })
            } else if let Some(name) = flag(&["-n", "--name"]) {
                Some(Environment {
                    prefix: format!("{root}/envs/{name}"),
                    said: format!("`{sub} -n {name}`"),
                })
            } else if sub == "env create" {
                let file = flag(&["-f", "--file"]).unwrap_or_else(|| "environment.yml".into());
                env_file_name(cx, stage, n, c, &file).map(|name| Environment {
                    prefix: format!("{root}/envs/{name}"),
                    said: format!("`name: {name}` of {file}"),
                })
            } else {
                None
            };
            match env {
                Some(e) => found.push(e),
                None => {
                    return skip(
                        out,
                        at,
                        Reason::ArtifactUnknown,
                        format!(
                            "line {}: `{sub}` makes an environment whose name or prefix slimfile cannot read (an environment file not at hand, a variable)",
                            cx.doc.instructions[n].line
                        ),
                    );
                }
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        0 => skip(
            out,
            at,
            Reason::NothingToGain,
            format!(
                "conda installs into the base environment {root}, which is most of the image: a runtime copying it would leave little behind (size-hygiene adds `conda clean`)"
            ),
        ),
        _ => skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "the build makes several environments ({})",
                found
                    .iter()
                    .map(|e| e.prefix.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

/// The `name:` of an environment file, read through the COPY that placed it.
fn env_file_name(cx: &Context, stage: &Stage, n: usize, c: &Command, file: &str) -> Option<String> {
    let rel = c
        .resolve(file)
        .and_then(|abs| artifacts::context_file(cx, stage, n, &abs))?;
    let text = cx.read(&rel)?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix("name:")?.trim().trim_matches(['"', '\'']);
        (!v.is_empty() && !v.contains(['$', '/', ' '])).then(|| v.to_string())
    })
}

/// Subcommands that write nothing the app runs with (or only conda's own
/// files in the base environment).
const HARMLESS: &[&str] = &[
    "clean",
    "config",
    "init",
    "info",
    "list",
    "env",
    "--version",
    "-V",
];

/// `None` (after reporting) unless every conda and pip install goes into
/// the environment `prefix`: `-n`/`-p` naming it, `conda run` in it, its own
/// pip, or pip from PATH with its `bin` first.
fn every_install_into(cx: &Context, stage: &Stage, prefix: &str, out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    let root = &recipes().conda.root;
    let bin = format!("{prefix}/bin");
    let name = prefix.rsplit('/').next().unwrap_or(prefix);
    for (n, script) in artifacts::run_shells(cx, stage) {
        let line = cx.doc.instructions[n].line;
        let text = analysis::script(cx.text, &cx.doc.instructions[n]);
        let activated = text.contains(&format!("activate {name}"))
            || text.contains(&format!("activate {prefix}"));
        let path_first = artifacts::env_value_at(cx, stage, n, "PATH")
            .is_some_and(|p| p.split(':').next() == Some(bin.as_str()));
        for c in &script.commands {
            let program = c.program().unwrap_or("");
            let outside = if CONDAS.contains(&program) {
                match subcommand(c) {
                    Some(("create" | "env create", _)) => false,
                    Some(("update", _)) if updates_conda_itself(c) => false,
                    Some(("run", _)) => !names_env(c, name, prefix),
                    Some((sub, _)) if HARMLESS.contains(&sub) => false,
                    Some(("install" | "update" | "remove" | "uninstall", _)) => {
                        !names_env(c, name, prefix)
                    }
                    _ => true,
                }
            } else if program.starts_with("pip")
                || crate::shell::python_run(c)
                    .is_some_and(|r| matches!(r.target, crate::shell::PythonTarget::Module("pip")))
            {
                let path = c
                    .words
                    .get(c.program_index().unwrap_or(0))
                    .and_then(|w| w.value.as_deref())
                    .unwrap_or("");
                let own = path.starts_with(&format!("{bin}/"));
                let base = path.starts_with(&format!("{root}/bin/"));
                base || !(own || activated || path_first)
            } else {
                false
            };
            if outside {
                return skip(
                    out,
                    at,
                    Reason::ArtifactUnknown,
                    format!(
                        "line {line}: `{}` may install outside the environment {prefix}, which is all the runtime copies",
                        c.words
                            .iter()
                            .take(3)
                            .map(|w| w.raw.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                );
            }
        }
    }
    Some(())
}

/// `conda update -n base conda`: conda updating itself.
fn updates_conda_itself(c: &Command) -> bool {
    let values: Vec<&str> = c.args().iter().filter_map(|w| w.value.as_deref()).collect();
    values
        .windows(2)
        .any(|w| matches!(w[0], "-n" | "--name") && w[1] == "base")
        && values
            .iter()
            .filter(|v| !v.starts_with('-'))
            .all(|v| matches!(*v, "update" | "base" | "conda" | "defaults" | "conda-forge"))
}

/// True when a conda command names the environment (`-n NAME`, `-p PREFIX`).
fn names_env(c: &Command, name: &str, prefix: &str) -> bool {
    let f = |names: &[&str]| c.flag_value(names).and_then(|f| f.value);
    f(&["-n", "--name"]).as_deref() == Some(name)
        || f(&["-p", "--prefix"])
            .and_then(|p| c.resolve(&p))
            .as_deref()
            == Some(prefix)
}

/// `None` (after reporting) when the command or SHELL needs conda (`conda
/// run`, `activate`), or runs a program from outside the environment.
fn runs_without_conda(cx: &Context, stage: &Stage, prefix: &str, out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    let command = run_time_text(cx, stage);
    let shell = artifacts::last_instruction(cx, stage, Keyword::Shell)
        .map(|i| cx.text[i.span.clone()].to_string())
        .unwrap_or_default();
    for text in [&command, &shell] {
        let words = analysis::words(text);
        if let Some(w) = words
            .iter()
            .find(|w| matches!(w.as_str(), "conda" | "mamba" | "activate" | "micromamba"))
        {
            return skip(
                out,
                at,
                Reason::ToolchainAtRuntime,
                format!(
                    "the {} runs `{w}`: conda must be in the final image (and the environment's activation scripts run), so it stays",
                    if std::ptr::eq(text, &shell) {
                        "SHELL"
                    } else {
                        "command"
                    }
                ),
            );
        }
    }
    let Some(argv) = command_argv(cx, stage) else {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "slimfile cannot read the command to tell that it runs from the environment",
        );
    };
    let program = argv.first().map(String::as_str).unwrap_or("");
    let bin = format!("{prefix}/bin");
    let from_env = if program.contains('/') {
        program.starts_with(&format!("{prefix}/")) || !program.starts_with('/')
    } else {
        artifacts::env_value(cx, stage, "PATH")
            .is_some_and(|p| p.split(':').next() == Some(bin.as_str()))
    };
    if from_env {
        return Some(());
    }
    skip(
        out,
        at,
        Reason::ArtifactUnknown,
        format!(
            "the command runs `{program}`, and {bin} is not first on PATH: it may come from the base environment, which the runtime does not copy"
        ),
    )
}

/// Programs whose output the environment carries.
fn conda_programs() -> &'static [String] {
    static PROGRAMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PROGRAMS.get_or_init(|| {
        [
            "conda", "mamba", "pip", "pip3", "python", "python3", "apt-get", "apt",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect()
    })
}

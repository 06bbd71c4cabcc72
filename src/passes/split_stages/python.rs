//! ### Python
//! pip, poetry, pipenv or uv: the builder installs into a venv at
//! `/opt/venv`; the runtime, on the `-slim` image, gets the venv and the app
//! folder. Never the tutorial bug of copying only `/app` while the packages
//! sit in the builder's site-packages. Without a WORKDIR, the app folder is
//! the one COPY/ADD destination that holds the file the command runs
//! (`COPY . /app` + `CMD ["python", "/app/main.py"]` → `/app`); files copied
//! to `/` one by one are carried one by one; a whole tree copied to `/` is
//! left alone. A tool installed from the package index and run by name
//! (`pip install httpie` + `ENTRYPOINT ["http"]`) needs no app folder: the
//! venv alone.
//! On the full image pip builds a package with no wheel from source and
//! links the image's libraries: the runtime installs the runtime libraries
//! of the `-dev` packages `transforms/recipes.toml` [python]
//! native_packages names for what the installs read (`psycopg2` → libpq5,
//! `mysqlclient`, `uWSGI` → libxml2 …); a requirements file or project
//! manifest that is not in the build context, or an install of a URL,
//! leaves the file alone (`context-unknown`). Only the packages those name
//! are looked up (a lock file lists them all; a requirements file may not
//! list what its packages pull in).
//! `--prefer distroless` keeps the slim
//! runtime (`distroless-unfit`): the venv's interpreter is the official
//! image's /usr/local/bin/python, not distroless's Debian one.
//! Python installed from `debian`/`ubuntu`/`alpine` packages, or on an
//! NVIDIA CUDA image: see the Distro recipe (`slimfile explain distro`).
//! On a PyTorch `-devel` image (`pytorch/pytorch:*-devel`) the runtime is the
//! `-runtime` tag, which has the same `/opt/conda`: pip installs into a venv
//! over it (`python -m venv --system-site-packages /opt/venv`) and the
//! runtime copies that venv and the app folder; `conda install` on a PyTorch
//! image is left alone. A conda environment: see the Conda recipe.

use super::families::BaseFamily;
use super::{
    AppFolder, Build, Context, Edit, Findings, Plan, Recipe, Runtime, Stage, analysis, app,
    artifacts, copy_from_builder, distroless, final_command, interpreted_runtime, linked_libraries,
    named_for, official_family, python_native, python_pytorch, recipes, skip, strs,
};
use crate::analysis::python_installs;
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Python",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    python_installs(&build.words())
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    match BaseFamily::of(stage) {
        BaseFamily::PyTorch { .. } => python_pytorch::plan(cx, stage, scripts, out),
        BaseFamily::Cuda { os: None, .. } => skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            format!(
                "{} is NVIDIA CUDA on {}: only its Ubuntu images are split (their packages are apt's, with release data)",
                stage.base_text,
                crate::releases::cuda_os(stage.effective_base().tag.as_deref())
                    .unwrap_or("another OS")
            ),
        ),
        _ => official(cx, stage, scripts, out),
    }
}

/// On the official python image: the `-slim` variant.
fn official(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let r = &recipes().python;
    let family = official_family(stage, "python", out)?;
    python3_only(stage, out)?;
    let all = analysis::joined(scripts);
    let words = analysis::words(&all);
    let t = strs(&words);
    venv_possible(cx, stage, &all, &t, out)?;
    let (last_run, _) = scripts.last()?;
    let dir = app::app_dir_or_tool(cx, stage, *last_run, out).ok()?;
    let mut runtime = interpreted_runtime(cx, stage, family, None, out)?;
    let (packages, native, loaded) = source_build_libraries(cx, stage, &mut runtime, out)?;
    let venv = &r.venv;
    let tool = ["poetry", "pipenv", "uv"]
        .into_iter()
        .find(|w| t.contains(w))
        .unwrap_or("pip");
    let builder_edits = vec![venv_setup(cx, stage, &t, false)];
    let mut why = match &dir {
        Some(AppFolder::Dir(d)) => {
            format!("the venv {venv} ({tool} installs) and the app folder {d}")
        }
        Some(AppFolder::Root) => {
            format!("the venv {venv} ({tool} installs) and the app's files in /")
        }
        None => format!("the venv {venv} ({tool} installs the program the command runs)"),
    };
    if !packages.is_empty() {
        why.push_str(&format!(
            "; runtime libraries {}",
            named_for(stage, &packages).join(", ")
        ));
    }
    if !native.is_empty() {
        why.push_str(&format!(
            " (built from source on the full image: {})",
            native.join("; ")
        ));
    }
    if !loaded.is_empty() {
        why.push_str(&format!(" (loaded by wheels: {})", loaded.join("; ")));
    }
    let mut plan = Plan {
        ecosystem: "Python",
        interpreted: true,
        runtime_base: runtime.base,
        builder_edits,
        setup: runtime.setup,
        copies: match &dir {
            Some(AppFolder::Dir(d)) => vec![
                copy_from_builder(cx, venv, venv),
                copy_from_builder(cx, d, d),
            ],
            // the effects inventory carries each file copied to `/`, and a
            // tool's configuration files
            Some(AppFolder::Root) | None => vec![copy_from_builder(cx, venv, venv)],
        },
        env: vec![format!("ENV VIRTUAL_ENV={venv} PATH=\"{venv}/bin:$PATH\"")],
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        why,
        ..Plan::default()
    };
    if distroless::preferred(cx) {
        distroless::stays_slim(
            out,
            stage,
            &mut plan,
            "the venv's python links to the builder's /usr/local/bin/python, and distroless python3 has Debian's /usr/bin/python3.13 only: not carried yet",
        );
    }
    Some(plan)
}

/// The runtime's apt packages, with the libraries that packages pip builds
/// from source on the full image link and those wheels load (the runtime's
/// setup updated for them), and the message's words for each; `None` after
/// reporting.
fn source_build_libraries(
    cx: &Context,
    stage: &Stage,
    runtime: &mut Runtime,
    out: &mut Findings,
) -> Option<(Vec<String>, Vec<String>, Vec<String>)> {
    let (mut devs, native) = if runtime.same_base.is_none() {
        python_native::native_dev_packages(cx, stage, out)?
    } else {
        // the same base keeps its libraries, but not those the build packages pulled in
        super::distro_python::loaded_libraries(cx, stage, out)?;
        (Vec::new(), Vec::new())
    };
    // what wheels load and do not bundle, whichever the runtime base
    let (libs, loaded) = python_native::wheel_libraries(cx, stage);
    let what = if libs.is_empty() {
        "pip's source builds"
    } else {
        "pip's packages"
    };
    devs.extend(libs);
    let packages = linked_libraries(cx, stage, &devs, what, runtime, out)?;
    Some((packages, native, loaded))
}

/// `None` (after reporting) unless the base is surely Python 3 (Python 2 has no `venv`).
fn python3_only(stage: &Stage, out: &mut Findings) -> Option<()> {
    if stage
        .effective_base()
        .tag
        .as_deref()
        .is_some_and(|t| t.starts_with('2') || t.contains('$'))
    {
        return skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            format!(
                "cannot tell that {} is Python 3 (Python 2 has no `venv` module)",
                stage.base_text
            ),
        );
    }
    Some(())
}

/// `None` (after reporting) when the packages would not land in the venv:
/// installs of their own (`--user`, `--target`, a venv, pipx, the poetry
/// installer) or a command that installs or runs a package manager.
pub(super) fn venv_possible(
    cx: &Context,
    stage: &Stage,
    all: &str,
    t: &[&str],
    out: &mut Findings,
) -> Option<()> {
    let at = stage.base_span.start;
    if t.contains(&"--user")
        || t.contains(&"--target")
        || t.contains(&"--prefix")
        || t.contains(&"venv")
        || t.contains(&"virtualenv")
    {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "pip installs with --user/--target/--prefix or its own venv: not splitting",
        );
    }
    if t.windows(2).any(|w| w[0] == "pipx" && w[1] == "install")
        || all.contains("install.python-poetry.org")
    {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "a tool is installed outside pip (pipx, the poetry installer): cannot tell where its files go",
        );
    }
    let cmd = final_command(cx, stage);
    let cmd_words = artifacts::final_command_words(cx, stage);
    let ct = strs(&cmd_words);
    if cmd.contains("pip install")
        || ct
            .windows(2)
            .any(|w| matches!(w[0], "poetry" | "pipenv" | "uv") && w[1] == "run")
    {
        return skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            "the command installs packages or runs a package manager at run time",
        );
    }
    Some(())
}

/// The builder's venv set-up, right after its FROM; `system_site`: the
/// venv also sees the base image's packages (`--system-site-packages`).
pub(super) fn venv_setup(cx: &Context, stage: &Stage, t: &[&str], system_site: bool) -> Edit {
    let venv = &recipes().python.venv;
    // VIRTUAL_ENV makes poetry, pipenv and `uv pip` install into the venv;
    // UV_PROJECT_ENVIRONMENT does the same for `uv sync`.
    let uv_env = if t.windows(2).any(|w| w[0] == "uv" && w[1] == "sync") {
        format!(" UV_PROJECT_ENVIRONMENT={venv}")
    } else {
        String::new()
    };
    crate::passes::edits::insert_after(
        cx,
        &cx.doc.instructions[stage.from],
        &format!(
            "# install into a venv the runtime stage can copy (slimfile split-stages)\nRUN python -m venv {}{venv}\nENV VIRTUAL_ENV={venv}{uv_env} PATH=\"{venv}/bin:$PATH\"",
            if system_site {
                "--system-site-packages "
            } else {
                ""
            }
        ),
    )
}

//! ### Distro
//! Python or Node installed from the distribution's packages on a plain
//! `debian`, `ubuntu` or `alpine` base (`apt-get install python3-pip`,
//! `apk add py3-pip`, `apt-get install nodejs npm`, `apk add nodejs npm`),
//! or on an NVIDIA CUDA image, whose OS is Ubuntu (a `-devel` builder runs on
//! the `-runtime` flavor of the same tag; packages are named for the Ubuntu
//! release the tag says, `ubuntu22.04` → jammy).
//! The runtime is the same base and tag, as written, with only the runtime
//! packages installed again (`apt-get install --no-install-recommends` with
//! the lists removed, or `apk add --no-cache`): `python3` or `nodejs`, the
//! runtime libraries of the `-dev` packages, and every other package the
//! build installs that is not a build tool. pip, `python3-venv` and npm stay
//! in the builder (npm comes along when the command runs it), with the
//! compilers and headers.
//!
//! Python: a venv the file makes itself (`python3 -m venv /venv`, every pip
//! install through it) is copied whole; pip into the system interpreter is
//! carried as that release's site-packages folder
//! (`/usr/local/lib/python3.X/dist-packages` and the console scripts in
//! `/usr/local/bin` on Debian and Ubuntu; `/usr/lib/python3.X/site-packages`
//! on Alpine, with the console script the command runs when pip installs a
//! package of that name), named only when the tag names a release whose
//! Python version `transforms/distro-python.toml` knows (`release-unknown`
//! otherwise: `alpine:latest`, `ubuntu`, `debian:testing`). Python 2, pip
//! `--user`/`--target`/`--prefix`, poetry, pipenv, uv and pipx are left alone.
//! Node: the app folder a WORKDIR names, with its `node_modules` as
//! installed (no prune, no static-site detection).
//!
//! The split is made only when it leaves something behind: build packages
//! (compilers, headers, `-dev` packages not removed again), Debian's or
//! Ubuntu's npm (node-gyp and the node-* packages it depends on), or the
//! build-essential and python3-dev that `apt-get install python3-pip`
//! recommends when installed without `--no-install-recommends`; otherwise
//! `nothing-to-gain`. Left alone too: a command that opens a shell
//! (`/bin/bash`: a toolbox image), an interpreter from another package
//! source (NodeSource, a PPA, extra apk repositories) or from no package at
//! all, and a base written with a variable.

use super::families::{BaseFamily, flavor_swap};
use super::{
    Build, Context, Findings, Plan, Reason, Recipe, Runtime, Stage, VariantKind, analysis,
    command_argv, distro_node, distro_python, has_word, named_for, packages, run_time_text,
    runtime_packages, runtime_setup, skip, stage_apt, stage_shell,
};
use crate::shell::{Manager, Script, ShellEnv};

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Distro",
    detects,
    plan,
};

/// The distributions whose Python and Node packages the recipe knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Distro {
    Debian,
    Ubuntu,
    Alpine,
}

impl Distro {
    /// The distribution whose packages the stage's interpreter comes from:
    /// the official `debian`, `ubuntu` or `alpine` image, or an NVIDIA CUDA
    /// image on Ubuntu (see `families.rs`).
    pub(super) fn of(stage: &Stage) -> Option<Distro> {
        BaseFamily::of(stage).os_packages()
    }

    /// The key of the distribution in `transforms/distro-python.toml`.
    pub(super) fn key(self) -> &'static str {
        match self {
            Distro::Debian => "debian",
            Distro::Ubuntu => "ubuntu",
            Distro::Alpine => "alpine",
        }
    }
}

fn detects(build: &Build) -> bool {
    Distro::of(build.stage).is_some() && (pip_installs(&build.all) || distro_node::detects(build))
}

/// True when the scripts install Python packages with pip, run by any path
/// (`pip3 install`, `/venv/bin/pip install`, `python3 -m pip install`).
pub(super) fn pip_installs(all: &str) -> bool {
    analysis::installs_python(all)
        || Script::parse(all, &ShellEnv::default())
            .installs()
            .iter()
            .any(|i| i.manager == Manager::Pip)
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let distro = Distro::of(stage)?;
    let all = analysis::joined(scripts);
    let python = pip_installs(&all);
    let program = command_argv(cx, stage)
        .and_then(|a| a.first().map(|p| crate::shell::basename(p).to_string()));
    let node_command = matches!(
        program.as_deref(),
        Some("node" | "nodejs" | "npm" | "yarn" | "npx")
    );
    // a base written with a variable (`FROM ${BASE}`, a global ARG with a default) is read
    // with its default; the runtime writes it the same way, so both resolve alike
    if let Some(how) = [
        "nodesource",
        "add-apt-repository",
        "sources.list",
        "/etc/apk/repositories",
        "deadsnakes",
    ]
    .into_iter()
    .find(|w| all.contains(w))
    {
        return skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            format!(
                "the build adds a package source or installs the interpreter another way (`{how}`): the runtime would install the distribution's own package, not split yet"
            ),
        );
    }
    if python && !node_command {
        distro_python::plan(cx, stage, scripts, distro, out)
    } else {
        distro_node::plan(cx, stage, scripts, out)
    }
}

/// The packages the stage's RUN scripts install with `apt-get`/`apt` or
/// `apk add`, as written.
pub(super) fn system_packages(all: &str) -> Vec<String> {
    let parsed = Script::parse(all, &ShellEnv::default());
    let mut out: Vec<String> = Vec::new();
    for install in parsed.installs() {
        if matches!(
            install.manager,
            Manager::Apt | Manager::AptGet | Manager::Apk
        ) {
            out.extend(install.packages.iter().map(|p| p.name.clone()));
        }
    }
    out
}

/// True when an apt install of `package` in the scripts omits
/// `--no-install-recommends`: apt then installs its recommended packages too.
pub(super) fn with_recommends(all: &str, package: &str) -> bool {
    let parsed = Script::parse(all, &ShellEnv::default());
    parsed.installs().iter().any(|install| {
        matches!(install.manager, Manager::Apt | Manager::AptGet)
            && install.packages.iter().any(|p| p.name == package)
            && !parsed.commands[install.command]
                .args()
                .iter()
                .any(|w| w.raw == "--no-install-recommends")
    })
}

/// Programs whose output the distro recipes carry (a RUN that also creates
/// users is not replayed in the runtime: it would build again).
pub(super) fn build_programs() -> &'static [String] {
    static PROGRAMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PROGRAMS.get_or_init(|| {
        [
            "pip", "pip3", "python", "python3", "npm", "yarn", "apt-get", "apt", "apk",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect()
    })
}

/// Why a runtime keeps the builder's own base, in the words of the notes,
/// and what it installs there.
pub(super) struct SameBase<'a> {
    /// After the base's name in the `nothing-to-gain` note (`already is the slim variant`).
    pub why_same: String,
    /// In parentheses in the estimate (`already slim`).
    pub short: String,
    /// The distro package of the interpreter, installed in the runtime even
    /// when the original names only its tools (`python3` for `py3-pip`).
    pub interpreter: Option<&'a str>,
    /// Packages the runtime leaves out that are no gain by themselves (pip, npm …).
    pub left_out: &'a [&'a str],
    /// Runtime packages (bookworm names) what the runtime carries loads
    /// (`libgomp1` for lightgbm's wheel), installed with apt.
    pub libraries: Vec<String>,
}

/// Adds the interpreter and the libraries `how` names to the runtime's
/// packages: the distribution's own manager's list (apt on Debian and
/// Ubuntu, apk on Alpine, whose library names are not known: reported).
fn add_runtime_packages(
    stage: &Stage,
    how: &SameBase,
    apk_only: bool,
    apt: &mut Vec<String>,
    apk: &mut Vec<String>,
    out: &mut Findings,
) -> Option<()> {
    if !how.libraries.is_empty() && apk_only && !apk.is_empty() {
        return skip(
            out,
            stage.base_span.start,
            Reason::RuntimeLibraryUnknown,
            format!(
                "the app's packages load {}, and their Alpine names are not known",
                how.libraries.join(", ")
            ),
        );
    }
    for l in &how.libraries {
        if !apt.contains(l) {
            apt.push(l.clone());
        }
    }
    if let Some(i) = how.interpreter {
        let list = if apk_only { apk } else { apt };
        if !list.iter().any(|p| p == i) {
            list.insert(0, i.to_string());
        }
    }
    Some(())
}

/// The runtime on the builder's own base, as written: its apt and apk
/// packages again (runtime libraries for `-dev` ones, build tools and
/// `how.left_out` dropped), provided the split leaves something behind
/// (build packages, or what `other_gain` says); reported and `None` otherwise.
pub(super) fn same_base_runtime(
    cx: &Context,
    stage: &Stage,
    how: &SameBase,
    other_gain: Option<&str>,
    out: &mut Findings,
) -> Option<Runtime> {
    let command = run_time_text(cx, stage);
    let needed = |p: &String| !how.left_out.contains(&p.as_str()) || has_word(&command, p);
    let installed = stage_apt(cx, stage);
    let mut apt: Vec<String> = runtime_packages(&installed, &command)
        .into_iter()
        .filter(needed)
        .collect();
    let at = stage.base_span.start;
    let parsed = stage_shell(cx, stage);
    let mut apk = match packages::apk_runtime_packages(stage, &parsed, &command) {
        Ok(p) => p,
        Err(why) => return skip(out, at, Reason::RuntimeLibraryUnknown, why),
    };
    apk.keep.retain(needed);
    add_runtime_packages(
        stage,
        how,
        installed.is_empty(),
        &mut apt,
        &mut apk.keep,
        out,
    )?;
    let named = named_for(stage, &apt);
    // `None`: the script may remove every build package again (`apt-mark auto`)
    let removed = packages::apt_removed(&parsed);
    let apt_dropped = installed
        .into_iter()
        .filter(|p| !apt.contains(p) && !named.contains(p))
        .filter(|p| removed.as_ref().is_some_and(|r| !r.contains(p)));
    let dropped: Vec<String> = apt_dropped
        .chain(apk.left_behind)
        // a download tool alone is not worth a second stage
        .filter(|p| !matches!(p.as_str(), "curl" | "wget") && !how.left_out.contains(&p.as_str()))
        .collect();
    let mut setup = runtime_setup(stage, &apt);
    setup.extend(packages::apk_install_line(&apk.keep));
    // a development image runs on its runtime flavor: that is the gain
    if let Some(swap) = flavor_swap(cx, stage, VariantKind::Runtime, out).ok()? {
        return Some(Runtime {
            base: swap.base,
            sizes: swap.sizes,
            setup,
            same_base: None,
        });
    }
    let mut left: Vec<String> = Vec::new();
    if !dropped.is_empty() {
        left.push(format!("build packages {}", dropped.join(", ")));
    }
    left.extend(other_gain.map(str::to_string));
    if left.is_empty() {
        return skip(
            out,
            at,
            Reason::NothingToGain,
            format!(
                "{} {}, and a split would leave nothing worth a second stage behind (no compilers, headers or other build packages; no dev dependencies)",
                stage.base_text, how.why_same
            ),
        );
    }
    Some(Runtime {
        base: stage.base_text.clone(),
        sizes: (None, None),
        setup,
        same_base: Some(format!(
            "the base stays {} ({}): the runtime leaves behind the {}",
            stage.base_text,
            how.short,
            left.join(" and the ")
        )),
    })
}

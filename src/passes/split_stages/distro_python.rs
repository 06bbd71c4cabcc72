// The Distro recipe's Python half: python3 from apt/apk, packages from pip
// into a venv the file makes or into the system interpreter. (No `//!`
// docs: the recipe's are in distro.rs.)

use super::distro::{self, Distro, SameBase};
use super::{
    AppFolder, Context, Findings, Keyword, Plan, Reason, Runtime, Stage, analysis, app, artifacts,
    command_argv, copy_from_builder, final_command, release_of, skip, strs,
};
use crate::shell::{Manager, Script, ShellEnv};
use std::collections::HashMap;

const DISTRO_PYTHON_TOML: &str = include_str!("../../../transforms/distro-python.toml");

/// Distribution → release → the Python version of its `python3` package.
fn versions() -> &'static HashMap<String, HashMap<String, String>> {
    static TABLE: std::sync::OnceLock<HashMap<String, HashMap<String, String>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(DISTRO_PYTHON_TOML).unwrap_or_default())
}

/// The Python version of the stage's release, when the tag names a release
/// the table knows.
fn python_version(stage: &Stage, distro: Distro) -> Option<&'static str> {
    let release = match distro {
        Distro::Debian | Distro::Ubuntu => release_of(stage)?.to_string(),
        Distro::Alpine => {
            let tag = stage.effective_base().tag.as_deref()?;
            let mut parts = tag.split(['.', '-']);
            format!("{}.{}", parts.next()?, parts.next()?)
        }
    };
    versions()
        .get(distro.key())?
        .get(&release)
        .map(String::as_str)
}

/// Distro packages that mean Python 2 (or, on old Alpine, may).
const PYTHON2: &[&str] = &[
    "python",
    "python-pip",
    "python-dev",
    "python-virtualenv",
    "python-setuptools",
    "python2",
    "python2.7",
    "python2-dev",
    "python-is-python2",
    "py2-pip",
    "py-pip",
];

/// Distro packages that bring Python 3.
const PYTHON3: &[&str] = &[
    "python3",
    "python3-minimal",
    "python3-full",
    "python3-pip",
    "python3-venv",
    "python3-dev",
    "python3-virtualenv",
    "py3-pip",
    "py3-virtualenv",
];

pub(super) fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    distro: Distro,
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let all = analysis::joined(scripts);
    let packages = distro::system_packages(&all);
    if let Some(p) = packages.iter().find(|p| PYTHON2.contains(&p.as_str())) {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!("the build installs `{p}` (Python 2, or a name that may mean it): not split"),
        );
    }
    if !packages.iter().any(|p| PYTHON3.contains(&p.as_str())) {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "pip runs on {}, but no python3 package is installed from the distribution: cannot tell where Python comes from",
                stage.base_text
            ),
        );
    }
    pip_only(cx, stage, &all, out)?;
    let (last_run, _) = scripts.last()?;
    let folder = app::app_folder_if_any(cx, stage, *last_run, out).ok()?;
    let carried = match venv_of(cx, stage, out)? {
        Some(venv) => Carried {
            paths: vec![venv.clone()],
            said: format!("the venv {venv}"),
        },
        None => system_site(cx, stage, distro, &packages, out)?,
    };
    let libraries = loaded_libraries(cx, stage, out)?;
    let how = SameBase {
        why_same: "is a distribution base: the runtime would be the same base with python3 installed again".to_string(),
        short: "the same distribution base, python3 installed again".to_string(),
        interpreter: Some("python3"),
        left_out: super::lists::distro_python_left_out(),
        libraries,
    };
    let gain = distro::with_recommends(&all, "python3-pip")
        .then_some("build-essential and python3-dev that `apt-get install python3-pip` recommends (installed without --no-install-recommends)");
    let runtime = distro::same_base_runtime(cx, stage, &how, gain, out)?;
    Some(python_plan(cx, folder, carried, runtime))
}

/// The runtime packages pip's wheels load ([`python_native::wheel_libraries`]);
/// `None` (after reporting) when an install's requirements are not at hand.
pub(super) fn loaded_libraries(
    cx: &Context,
    stage: &Stage,
    out: &mut Findings,
) -> Option<Vec<String>> {
    let read = artifacts::python_names(cx, stage);
    if let Some(what) = read.missing.or(read.unreadable) {
        return skip(
            out,
            stage.base_span.start,
            Reason::ContextUnknown,
            format!(
                "pip installs from `{what}`, which slimfile cannot read here: cannot tell which system libraries the packages' wheels load (libgomp1 for LightGBM, libGL for OpenCV …)"
            ),
        );
    }
    Some(super::python_native::wheel_libraries(cx, stage).0)
}

/// What the runtime copies of pip's work, and the words for it.
struct Carried {
    paths: Vec<String>,
    said: String,
}

fn python_plan(
    cx: &Context,
    folder: Option<AppFolder>,
    carried: Carried,
    runtime: Runtime,
) -> Plan {
    let in_app = |p: &str| match &folder {
        Some(AppFolder::Dir(d)) => {
            p == d || p.starts_with(&format!("{}/", d.trim_end_matches('/')))
        }
        _ => false,
    };
    // a venv inside the app folder comes with it
    let mut copies: Vec<String> = carried
        .paths
        .iter()
        .filter(|p| !in_app(p))
        .map(|p| copy_from_builder(cx, p, p))
        .collect();
    let mut why = carried.said;
    match &folder {
        Some(AppFolder::Dir(d)) => {
            copies.push(copy_from_builder(cx, d, d));
            why.push_str(&format!(" and the app folder {d}"));
        }
        // the effects inventory carries each file copied to `/`
        Some(AppFolder::Root) => why.push_str(" and the app's files in /"),
        None => {}
    }
    Plan {
        ecosystem: "Python",
        interpreted: true,
        runtime_base: runtime.base,
        setup: runtime.setup,
        copies,
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        build_programs: distro::build_programs(),
        why,
        ..Plan::default()
    }
}

/// `None` (after reporting) unless every Python install is pip's, into
/// the place pip picks itself, and the command runs no package manager.
fn pip_only(cx: &Context, stage: &Stage, all: &str, out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    let words = analysis::words(all);
    let t = strs(&words);
    if let Some(tool) = ["poetry", "pipenv", "uv", "pipx", "conda", "easy_install"]
        .into_iter()
        .find(|w| t.contains(w))
    {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!("`{tool}` on a distribution's Python is not split yet (pip only)"),
        );
    }
    let parsed = Script::parse(all, &ShellEnv::default());
    if let Some(l) = parsed
        .installs()
        .into_iter()
        .filter(|i| i.manager == Manager::Pip)
        .find_map(|i| i.location)
    {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "pip installs with `{}`: its files go to a place of their own, not carried",
                l.option
            ),
        );
    }
    let cmd = final_command(cx, stage);
    if cmd.contains("pip install") || cmd.contains("pip3 install") {
        return skip(
            out,
            at,
            Reason::ToolchainAtRuntime,
            "the command installs packages at run time",
        );
    }
    Some(())
}

/// The venv the file makes (`python3 -m venv DIR`, `virtualenv DIR`) when
/// every pip install goes into it; `Some(None)` when there is none; `None`
/// after reporting (several venvs, a relative path, a pip outside it).
fn venv_of(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<Option<String>> {
    let at = stage.base_span.start;
    let mut venvs: Vec<String> = Vec::new();
    let mut pips: Vec<(String, bool)> = Vec::new();
    for (n, script) in artifacts::run_shells(cx, stage) {
        let ins = &cx.doc.instructions[n];
        for c in &script.commands {
            if let Some(dir) = venv_made(c) {
                let Some(abs) = c.resolve(&dir) else {
                    return skip(
                        out,
                        at,
                        Reason::ArtifactUnknown,
                        format!(
                            "line {}: a venv in `{dir}`, a folder slimfile cannot resolve",
                            ins.line
                        ),
                    );
                };
                if !venvs.contains(&abs) {
                    venvs.push(abs);
                }
            }
        }
        let activated = analysis::script(cx.text, ins).contains("/bin/activate");
        for install in script.installs() {
            if install.manager != Manager::Pip {
                continue;
            }
            let c = &script.commands[install.command];
            let program = c
                .program_index()
                .and_then(|i| c.words[i].value.clone())
                .map(|p| {
                    if p.contains('/') {
                        c.resolve(&p).unwrap_or(p)
                    } else {
                        p
                    }
                })
                .unwrap_or_default();
            pips.push((program, activated));
        }
    }
    let venv = match venvs.as_slice() {
        [] => return Some(None),
        [v] => v.clone(),
        _ => {
            return skip(
                out,
                at,
                Reason::ArtifactUnknown,
                format!("the build makes several venvs ({})", venvs.join(", ")),
            );
        }
    };
    pips_into(cx, stage, &venv, &pips, out)?;
    Some(Some(venv))
}

/// `None` (after reporting) unless every pip install (`pips`: the program
/// as written, and whether its RUN activates a venv) goes into `venv`: run
/// from its `bin`, with it on an ENV PATH, or activated.
fn pips_into(
    cx: &Context,
    stage: &Stage,
    venv: &str,
    pips: &[(String, bool)],
    out: &mut Findings,
) -> Option<()> {
    let at = stage.base_span.start;
    let bin = format!("{}/bin", venv.trim_end_matches('/'));
    let on_path = stage.instructions.clone().any(|n| {
        let ins = &cx.doc.instructions[n];
        ins.keyword == Keyword::Env
            && crate::model::arg_pairs(ins).iter().any(|(k, v)| {
                k == "PATH" && v.as_deref().is_some_and(|v| v.split(':').any(|p| p == bin))
            })
    });
    let outside = pips.iter().find(|(program, activated)| {
        !program.starts_with(&format!("{bin}/")) && !activated && !on_path
    });
    if let Some((program, _)) = outside {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "the build makes the venv {venv}, but `{program} install` may install outside it (no {bin} on PATH, no activate)"
            ),
        );
    }
    Some(())
}

/// The folder a `python3 -m venv DIR` or `virtualenv DIR` command makes, as written.
fn venv_made(c: &crate::shell::Command) -> Option<String> {
    let program = c.program()?;
    let args: Vec<&str> = c.args().iter().filter_map(|w| w.value.as_deref()).collect();
    let rest: &[&str] = if program == "virtualenv" {
        &args
    } else if program.starts_with("python") {
        let i = args
            .windows(2)
            .position(|w| w == ["-m", "venv"] || w == ["-m", "virtualenv"])?;
        &args[i + 2..]
    } else {
        return None;
    };
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        if matches!(*a, "-p" | "--python" | "--prompt") {
            it.next();
        } else if !a.starts_with('-') {
            return Some(a.to_string());
        }
    }
    None
}

/// What pip installed into the system interpreter: the release's
/// site-packages folder and the console scripts (`None` after reporting
/// when the release, and so the folder, is unknown).
fn system_site(
    cx: &Context,
    stage: &Stage,
    distro: Distro,
    packages: &[String],
    out: &mut Findings,
) -> Option<Carried> {
    let Some(v) = python_version(stage, distro) else {
        return skip(
            out,
            stage.base_span.start,
            Reason::ReleaseUnknown,
            format!(
                "pip installs into the system Python of {}, whose site-packages folder is named by the release's Python version, and the tag names no release transforms/distro-python.toml knows: name it (`debian:bookworm`, `ubuntu:22.04`, `alpine:3.20`) or install into a venv",
                stage.base_text
            ),
        );
    };
    if distro != Distro::Alpine {
        let site = format!("/usr/local/lib/python{v}/dist-packages");
        return Some(Carried {
            paths: vec![site.clone(), "/usr/local/bin".to_string()],
            said: format!(
                "pip's packages in {site} (Python {v}) with its console scripts in /usr/local/bin"
            ),
        });
    }
    let site = format!("/usr/lib/python{v}/site-packages");
    let scripts = alpine_console_scripts(cx, stage, packages, out)?;
    let mut said = format!("pip's packages in {site} (Python {v})");
    if !scripts.is_empty() {
        said.push_str(&format!(" with the console script {}", scripts.join(", ")));
    }
    Some(Carried {
        paths: std::iter::once(site).chain(scripts).collect(),
        said,
    })
}

/// Programs the command may run on Alpine without a copy: the interpreter,
/// the shell and the base's own tools.
const ALPINE_OWN: &[&str] = &["python3", "python", "sh", "ash", "busybox", "env"];

/// The console scripts in /usr/bin the command runs, on Alpine (where pip
/// puts them among the system's programs): the program, or the one after a
/// wrapper the build installs (`tini --`), when pip installs a package of
/// that name; `None` after reporting when the command runs a program that
/// is neither that, a path, the base's own nor an apk package.
fn alpine_console_scripts(
    cx: &Context,
    stage: &Stage,
    packages: &[String],
    out: &mut Findings,
) -> Option<Vec<String>> {
    let at = stage.base_span.start;
    let Some(argv) = command_argv(cx, stage) else {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "pip installs into Alpine's system Python, and slimfile cannot read the command to tell which console script in /usr/bin it runs",
        );
    };
    let normal = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let parsed = Script::parse(
        &analysis::joined(&analysis::run_scripts(cx.text, cx.doc, stage)),
        &ShellEnv::default(),
    );
    let pip_names: Vec<String> = parsed
        .installs()
        .iter()
        .filter(|i| i.manager == Manager::Pip)
        .flat_map(|i| i.packages.iter().map(|p| normal(&p.name)))
        .collect();
    let mut words = argv.iter().map(String::as_str);
    let mut program = words.next().unwrap_or("");
    if packages.iter().any(|p| p == program) && matches!(program, "tini" | "dumb-init" | "su-exec")
    {
        program = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    if program.contains('/') || ALPINE_OWN.contains(&program) || program.starts_with("python3") {
        return Some(Vec::new());
    }
    if pip_names.contains(&normal(program)) {
        return Some(vec![format!("/usr/bin/{program}")]);
    }
    if packages.iter().any(|p| p == program) {
        return Some(Vec::new());
    }
    skip(
        out,
        at,
        Reason::ArtifactUnknown,
        format!(
            "the command runs `{program}`, and pip installs no package of that name: on Alpine pip puts console scripts in /usr/bin among the system's programs, and slimfile cannot tell which file `{program}` is"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_table_reads_and_covers_each_distribution() {
        let table = versions();
        assert_eq!(table["debian"]["bookworm"], "3.11");
        assert_eq!(table["ubuntu"]["jammy"], "3.10");
        assert_eq!(table["alpine"]["3.20"], "3.12");
        // every Debian and Ubuntu key is a release packages.rs reads from tags
        for release in table["debian"].keys().chain(table["ubuntu"].keys()) {
            assert!(
                crate::releases::RELEASES.contains(&release.as_str()),
                "{release} is not a release packages.rs reads from tags"
            );
        }
    }
}

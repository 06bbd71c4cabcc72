//! ### Python packages left in the builder
//! `pip install` in a builder on the official python image writes the
//! builder's site-packages (`/usr/local/lib/pythonX.Y/site-packages`), or
//! `/root/.local` with `--user`; a final stage that copies only the app
//! folder fails with `ModuleNotFoundError`. The repair is split-stages' own
//! layout: a venv at `/opt/venv` made in the builder before the first install
//! and put on PATH, copied into the final stage with PATH set (for `--user`,
//! `/root/.local` copied and its `bin` on PATH). Both stages must be the
//! official python image with the same minor version in their tags (a venv
//! runs only on the interpreter it was made with), else `python-version`.

use super::{Link, root, user_of, warn};
use crate::artifacts;
use crate::edit::{Change, Edit, Findings, Safety};
use crate::passes::Context;
use crate::passes::edits::insert_after;
use crate::reason::Reason;
use crate::recipes::recipes;
use crate::shell::Manager;

/// Where the builder's pip installs go.
#[derive(Debug, PartialEq, Eq)]
enum Installs {
    /// The interpreter's site-packages.
    System,
    /// `--user`: the user base under `$HOME/.local`.
    User,
}

pub(super) fn check(cx: &Context, link: &Link, out: &mut Findings) {
    let builder = link.builder;
    let runtime = link.runtime;
    let base = root(cx, builder);
    if base.effective_base().family() != "python" || runtime.effective_base().family() != "python" {
        return;
    }
    let Some((installs, first)) = pip_installs(cx, builder) else {
        return;
    };
    let command = artifacts::final_command(cx, runtime);
    if command.is_empty() {
        return;
    }
    // the final stage installs for itself, or already carries the packages
    if pip_installs(cx, runtime).is_some() {
        return;
    }
    let site = match python_minor_of(base) {
        Some(v) => format!("/usr/local/lib/python{v}/site-packages"),
        None => "/usr/local/lib/python3/site-packages".to_string(),
    };
    if carries_packages(link, &installs, &site) {
        return;
    }
    let failure = failure_message(link, &installs, &site, &command);
    let at = cx.doc.instructions[link.copies[0].instruction].span.start;
    if let Some(why) = version_mismatch(base, runtime) {
        return warn(out, at, Reason::PythonVersion, format!("{failure}; {why}"));
    }
    if let Some(user) = user_of(cx, builder, first) {
        return warn(
            out,
            at,
            Reason::UserSetup,
            format!("{failure}; the packages are installed as user {user}: not moving them"),
        );
    }
    let (edits, how) = match installs {
        Installs::System => venv_repair(cx, link),
        Installs::User => {
            if let Some(user) = user_of(cx, runtime, runtime.instructions.end) {
                return warn(
                    out,
                    at,
                    Reason::UserSetup,
                    format!(
                        "{failure}; the final stage runs as {user}, whose Python does not read /root/.local"
                    ),
                );
            }
            user_base_repair(cx, link)
        }
    };
    out.change(Change::new(
        Safety::Review,
        format!("{failure}. {how}"),
        edits,
    ));
}

/// The minor Python version in a stage's base tag.
fn python_minor_of(stage: &crate::model::Stage) -> Option<String> {
    python_minor(stage.effective_base().tag.as_deref())
}

/// True when the final stage's copies already carry where the installs went.
fn carries_packages(link: &Link, installs: &Installs, site: &str) -> bool {
    let carried = match installs {
        Installs::System => site,
        Installs::User => "/root/.local",
    };
    let copies_site_packages = *installs == Installs::System
        && link
            .copies
            .iter()
            .flat_map(|c| &c.sources)
            .any(|s| s.starts_with("/usr/local/lib/python"));
    link.carries(carried) || link.carries("/usr/local/lib") || copies_site_packages
}

/// What fails: where pip wrote, what the final stage copies, the command that breaks.
fn failure_message(link: &Link, installs: &Installs, site: &str, command: &str) -> String {
    let copied: Vec<&str> = link
        .copies
        .iter()
        .flat_map(|c| c.sources.iter().map(String::as_str))
        .collect();
    format!(
        "`pip install` in stage {} writes {}, and the final stage copies only {} from it: `{command}` fails with ModuleNotFoundError",
        link.builder.name.as_deref().unwrap_or(&link.from),
        if *installs == Installs::User {
            "/root/.local (--user)".to_string()
        } else {
            format!("the interpreter's site-packages ({site})")
        },
        copied.join(", ")
    )
}

/// Why the packages cannot be carried when the two stages' Python minor versions
/// differ (or either is unknown).
fn version_mismatch(base: &crate::model::Stage, runtime: &crate::model::Stage) -> Option<String> {
    match (python_minor_of(base), python_minor_of(runtime)) {
        (Some(a), Some(b)) if a == b => None,
        (a, b) => Some(format!(
            "{} and {} {}: pin both to the same minor version to carry the packages",
            base.base_text,
            runtime.base_text,
            if a.is_some() && b.is_some() {
                "run different Python versions"
            } else {
                "may not run the same Python version"
            }
        )),
    }
}

/// The builder installs into a venv made before its first install; the final stage
/// copies it and puts it on PATH.
fn venv_repair(cx: &Context, link: &Link) -> (Vec<Edit>, String) {
    let venv = &recipes().python.venv;
    let from = &cx.doc.instructions[link.builder.from];
    let env = format!("ENV VIRTUAL_ENV={venv} PATH=\"{venv}/bin:$PATH\"");
    (
        vec![
            insert_after(
                cx,
                from,
                &format!(
                    "# install into a venv the final stage can copy (slimfile runtime-deps)\nRUN python -m venv {venv}\n{env}"
                ),
            ),
            insert_after(
                cx,
                link.last_copy(cx),
                &format!("{}\n{env}", link.copy_line(cx, venv, venv)),
            ),
        ],
        format!("Install into the venv {venv} in the builder and copy it"),
    )
}

/// `--user` installs: the final stage copies /root/.local and puts its bin on PATH.
fn user_base_repair(cx: &Context, link: &Link) -> (Vec<Edit>, String) {
    (
        vec![insert_after(
            cx,
            link.last_copy(cx),
            &format!(
                "{}\nENV PATH=\"/root/.local/bin:$PATH\"",
                link.copy_line(cx, "/root/.local", "/root/.local")
            ),
        )],
        "Copy /root/.local and put its bin on PATH".to_string(),
    )
}

/// How the stage's pip installs place packages, and the first one's
/// instruction; `None` when it has none that matter (only pip, setuptools
/// or wheel upgrades), makes its own venv, uses another installer, or
/// installs somewhere named (`--target`, `--prefix`, `--root`).
fn pip_installs(cx: &Context, stage: &crate::model::Stage) -> Option<(Installs, usize)> {
    let mut found: Option<(Installs, usize)> = None;
    for (n, script) in artifacts::run_shells(cx, stage) {
        for c in &script.commands {
            let program = c.program().unwrap_or("");
            let module = c
                .words
                .windows(2)
                .find(|w| w[0].value.as_deref() == Some("-m"))
                .and_then(|w| w[1].value.as_deref());
            if matches!(
                program,
                "virtualenv" | "poetry" | "pipenv" | "uv" | "conda" | "pipx"
            ) || matches!(module, Some("venv" | "virtualenv"))
            {
                return None;
            }
        }
        for install in script.installs() {
            if install.manager != Manager::Pip {
                continue;
            }
            let tooling = install.requirement_files.is_empty()
                && !install.packages.is_empty()
                && install
                    .packages
                    .iter()
                    .all(|p| matches!(p.name.as_str(), "pip" | "setuptools" | "wheel"));
            if tooling {
                continue;
            }
            let kind = match install.location.as_ref().map(|l| l.option.as_str()) {
                None => Installs::System,
                Some("--user") => Installs::User,
                Some(_) => return None,
            };
            match &found {
                Some((k, _)) if *k != kind => return None,
                Some(_) => {}
                None => found = Some((kind, n)),
            }
        }
    }
    found
}

/// `3.11` of `3.11`, `3.11.4-slim`, `3.11-slim-bookworm`; `None` for `3`, `slim`, `latest`.
fn python_minor(tag: Option<&str>) -> Option<String> {
    let version = tag?.split('-').next()?;
    let mut parts = version.split('.');
    let major = parts.next().filter(|p| p.parse::<u32>().is_ok())?;
    let minor = parts.next().filter(|p| p.parse::<u32>().is_ok())?;
    Some(format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::python_minor;

    #[test]
    fn minor_versions_from_tags() {
        assert_eq!(python_minor(Some("3.11")).as_deref(), Some("3.11"));
        assert_eq!(python_minor(Some("3.11.4-slim")).as_deref(), Some("3.11"));
        assert_eq!(
            python_minor(Some("3.12-slim-bookworm")).as_deref(),
            Some("3.12")
        );
        assert_eq!(python_minor(Some("3-slim")), None);
        assert_eq!(python_minor(Some("slim")), None);
        assert_eq!(python_minor(None), None);
    }
}

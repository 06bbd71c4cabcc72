// The runtime stage's apt packages: the runtime libraries of the build's
// `-dev` packages, named as the runtime base's release names them. (No `//!`
// docs: shared code, not a recipe; `slimfile explain` prints recipe docs.)

use super::{
    Context, Keyword, Stage, analysis, apt_install_line, artifacts, final_command, named_for,
    recipes,
};
use crate::packages::{self, Lookup};

/// A `-dev` package the build installs whose runtime library neither the
/// hand-written map nor the generated data (`src/packages.rs`) knows in any
/// release, as a note naming it and the releases searched.
pub(super) fn unknown_dev_package(installed: &[String]) -> Option<String> {
    let p = &recipes().packages;
    let dev = installed.iter().find(|&pkg| {
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

/// The runtime stage's first lines: install the runtime packages, named as
/// the base's release names them (users and other effects are the
/// inventory's, see `effects.rs`).
pub(super) fn runtime_setup(stage: &Stage, packages: &[String]) -> Vec<String> {
    apt_install_line(&named_for(stage, packages))
        .into_iter()
        .collect()
}

/// The apt packages the runtime needs for what the stage's RUN `scripts`
/// install and what runs in the container (see [`runtime_packages`]).
pub(super) fn stage_packages(
    cx: &Context,
    stage: &Stage,
    _scripts: &[(usize, String)],
) -> Vec<String> {
    runtime_packages(&stage_apt(cx, stage), &run_time_text(cx, stage))
}

/// What runs in the container: ENTRYPOINT, CMD and the HEALTHCHECK's command.
pub(super) fn run_time_text(cx: &Context, stage: &Stage) -> String {
    let health = artifacts::last_instruction(cx, stage, Keyword::Healthcheck)
        .map(|i| analysis::script(cx.text, i))
        .unwrap_or_default();
    format!("{} {health}", final_command(cx, stage))
}

/// The apt packages the stage's RUNs install, read by the shell model with
/// the ENV and ARG values each RUN starts with ([`analysis::stage_script`]):
/// `$BUILD_DEPS` set by an ENV is its packages; one whose value is unknown
/// stays as written (`$X`), for the caller to refuse.
pub(super) fn stage_apt(cx: &Context, stage: &Stage) -> Vec<String> {
    analysis::apt_packages_of(&stage_shell(cx, stage))
}

/// The stage's RUNs as one script, each read with the ENV and ARG values it
/// starts with ([`analysis::stage_script`]).
pub(super) fn stage_shell(cx: &Context, stage: &Stage) -> crate::shell::Script {
    analysis::stage_script(cx.text, cx.doc, cx.model, stage)
}

/// apt packages the runtime needs of those the build `installed`
/// ([`stage_apt`]): `-dev` packages mapped to their runtime library,
/// build-only tools dropped (unless the command uses them), the rest kept.
pub(super) fn runtime_packages(installed: &[String], command: &str) -> Vec<String> {
    let p = &recipes().packages;
    let mut out: Vec<String> = Vec::new();
    for pkg in installed.iter().cloned() {
        let keep = if let Some(lib) = p.runtime.get(&pkg) {
            Some(lib.clone())
        } else if crate::releases::resolved_later(&pkg)
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

/// What the runtime does with a stage's `apk add` packages.
pub(super) struct ApkRuntime {
    /// Installed again in the runtime: the packages the build keeps, and
    /// the runtime libraries of its `-dev` packages.
    pub keep: Vec<String>,
    /// Left in the builder, and present in the original image (not removed
    /// by an `apk del` of the package or its `--virtual` group).
    pub left_behind: Vec<String>,
}

impl ApkRuntime {
    fn add(list: &mut Vec<String>, name: &str) {
        if !list.iter().any(|o| o == name) {
            list.push(name.to_string());
        }
    }
}

/// The runtime's apk packages for what the stage's RUN scripts (`parsed`)
/// install with `apk add`: build tools dropped (unless `command` uses them),
/// a `--virtual` group's packages left in the builder, a `-dev` package
/// replaced by its runtime libraries (`src/alpine.rs`, named for the
/// stage's Alpine release) unless the original removes it again (`apk del`
/// of it or its group) or keeps it outside the `--virtual` group that holds
/// its build packages, a compiler's runtime libraries added (`g++` →
/// `libstdc++ libgcc`), the rest kept. `Err` names a `-dev` package whose
/// runtime libraries are not known for the release, or a variable.
pub(super) fn apk_runtime_packages(
    stage: &Stage,
    parsed: &crate::shell::Script,
    command: &str,
) -> Result<ApkRuntime, String> {
    use crate::alpine::{self, ApkLookup};
    use crate::shell::Manager;
    let deleted: Vec<String> = parsed
        .commands
        .iter()
        .filter(|c| c.program() == Some("apk"))
        .filter(|c| c.args().first().is_some_and(|w| w.raw == "del"))
        .flat_map(|c| c.args().iter().skip(1).map(|w| w.raw.clone()))
        .collect();
    let release = alpine::release_of(stage.effective_base());
    // a file that puts its build packages in a `--virtual` group keeps the others at run
    // time on purpose: a -dev package among them may be what the program loads (`dlopen`
    // of the unversioned `libpcap.so`), so it stays as it is
    let grouped = parsed.installs().iter().any(|i| {
        i.manager == Manager::Apk
            && parsed.commands[i.command]
                .args()
                .iter()
                .any(|w| matches!(w.raw.as_str(), "-t" | "--virtual"))
    });
    let mut out = ApkRuntime {
        keep: Vec::new(),
        left_behind: Vec::new(),
    };
    for install in parsed.installs() {
        if install.manager != Manager::Apk {
            continue;
        }
        let c = &parsed.commands[install.command];
        if let Some(w) = c.args().iter().find(|w| w.value.is_none()) {
            return Err(format!(
                "apk installs `{}`, a variable: cannot tell which runtime libraries it needs",
                w.raw
            ));
        }
        let group = c
            .args()
            .windows(2)
            .find(|w| matches!(w[0].raw.as_str(), "-t" | "--virtual"))
            .map(|w| w[1].raw.clone());
        let group_deleted = group.as_ref().is_some_and(|g| deleted.contains(g));
        for p in &install.packages {
            let name = p.name.as_str();
            // removed again in the original: neither it nor its libraries stay
            if group_deleted || deleted.iter().any(|d| d == name) {
                continue;
            }
            let build_only = super::lists::apk_build_only(name) || alpine::is_build_only(name);
            if name.ends_with("-dev") && !build_only && grouped && group.is_none() {
                ApkRuntime::add(&mut out.keep, name);
                continue;
            }
            if name.ends_with("-dev") && !build_only {
                match alpine::runtime_packages(name, release, &stage.base_text) {
                    ApkLookup::Libraries(libs) => {
                        for lib in &libs {
                            ApkRuntime::add(&mut out.keep, lib);
                        }
                    }
                    ApkLookup::BuildOnly => {}
                    ApkLookup::Unknown(why) => return Err(why),
                }
                ApkRuntime::add(&mut out.left_behind, name);
                continue;
            }
            let build_tool = build_only && !command.contains(name);
            if group.is_some() || build_tool {
                // what it compiled links its runtime libraries (`g++` → libstdc++)
                for lib in alpine::build_tool_libraries(name) {
                    ApkRuntime::add(&mut out.keep, &lib);
                }
                ApkRuntime::add(&mut out.left_behind, name);
            } else {
                ApkRuntime::add(&mut out.keep, name);
            }
        }
    }
    Ok(out)
}

/// `RUN apk add --no-cache` for the runtime packages, if there are any.
pub(super) fn apk_install_line(packages: &[String]) -> Option<String> {
    (!packages.is_empty()).then(|| format!("RUN apk add --no-cache {}", packages.join(" ")))
}

/// The apt packages the scripts (`parsed`) remove again (`apt-get purge|remove X`);
/// `None` when it may remove any of them (`apt-mark auto`, a variable).
pub(super) fn apt_removed(parsed: &crate::shell::Script) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for c in &parsed.commands {
        if !matches!(c.program(), Some("apt-get" | "apt" | "apt-mark")) {
            continue;
        }
        let words: Vec<&crate::shell::ShellWord> = c.args().iter().collect();
        let action = words.iter().find(|w| !w.raw.starts_with('-'));
        match (c.program(), action.map(|w| w.raw.as_str())) {
            (Some("apt-mark"), Some("auto")) => return None,
            (_, Some("purge" | "remove" | "autoremove")) => {
                for w in words.iter().filter(|w| !w.raw.starts_with('-')).skip(1) {
                    out.push(w.value.clone()?);
                }
            }
            _ => {}
        }
    }
    Some(out)
}

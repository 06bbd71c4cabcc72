// The runtime stage's apt packages: the runtime libraries of the build's
// `-dev` packages, named as the runtime base's release names them. (No `//!`
// docs: shared code, not a recipe; `slimfile explain` prints recipe docs.)

use super::*;
use crate::packages::{self, Lookup};

/// A `-dev` package the build installs whose runtime library neither the
/// hand-written map nor the generated data (`src/packages.rs`) knows in any
/// release, as a note naming it and the releases searched.
pub(super) fn unknown_dev_package(script: &str) -> Option<String> {
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
pub(super) fn runtime_setup(stage: &Stage, packages: &[String]) -> Vec<String> {
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
pub(super) const RELEASES: &[&str] = &[
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
pub(super) fn stage_packages(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Vec<String> {
    runtime_packages(&analysis::joined(scripts), &run_time_text(cx, stage))
}

/// What runs in the container: ENTRYPOINT, CMD and the HEALTHCHECK's command.
pub(super) fn run_time_text(cx: &Context, stage: &Stage) -> String {
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
/// library, build-only tools dropped (unless the command uses them), the rest kept.
pub(super) fn runtime_packages(script: &str, command: &str) -> Vec<String> {
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

/// apk packages that only build things: they stay in the builder.
const APK_BUILD_ONLY: &[&str] = &[
    "build-base",
    "gcc",
    "g++",
    "make",
    "cmake",
    "samurai",
    "musl-dev",
    "libc-dev",
    "linux-headers",
    "pkgconf",
    "pkgconfig",
    "autoconf",
    "automake",
    "libtool",
    "git",
    "binutils",
];

/// What the runtime does with a stage's `apk add` packages.
pub(super) struct ApkRuntime {
    /// Installed again in the runtime.
    pub keep: Vec<String>,
    /// Left in the builder, and present in the original image (not removed
    /// by an `apk del` of the package or its `--virtual` group).
    pub left_behind: Vec<String>,
}

/// The runtime's apk packages for what the stage's RUN scripts (`parsed`) install
/// with `apk add`: build tools dropped (unless `command` uses them), a
/// `--virtual` group dropped (the build's own), the rest kept; `Err` names a
/// `-dev` package or a variable, whose runtime libraries the Alpine naming
/// is not mapped for.
pub(super) fn apk_runtime_packages(
    parsed: &crate::shell::Script,
    command: &str,
) -> Result<ApkRuntime, String> {
    use crate::shell::Manager;
    let deleted: Vec<String> = parsed
        .commands
        .iter()
        .filter(|c| c.program() == Some("apk"))
        .filter(|c| c.args().first().is_some_and(|w| w.raw == "del"))
        .flat_map(|c| c.args().iter().skip(1).map(|w| w.raw.clone()))
        .collect();
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
            let build_tool = APK_BUILD_ONLY.contains(&name) && !command.contains(name);
            if name.ends_with("-dev") && group.is_none() && !APK_BUILD_ONLY.contains(&name) {
                return Err(format!(
                    "apk installs `{name}`: runtime library names of Alpine `-dev` packages are not mapped"
                ));
            }
            let list = if group.is_some() || build_tool || name.ends_with("-dev") {
                if group_deleted || deleted.iter().any(|d| d == name) {
                    continue;
                }
                &mut out.left_behind
            } else {
                &mut out.keep
            };
            if !list.iter().any(|o| o == name) {
                list.push(name.to_string());
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

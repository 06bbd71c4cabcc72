//! Debian and Ubuntu releases of a stage's base, and the runtime packages
//! they name: which release a tag says (`-bookworm`, `debian:12`,
//! `ubuntu:22.04`), the runtime libraries of `-dev` packages named for it
//! (the hand-written map of `transforms/recipes.toml` `[packages]` over the
//! generated data of [`crate::packages`]), the reason to leave a file alone
//! when a name depends on a release the tag does not say, and the `RUN
//! apt-get install` line of a runtime stage. Shared by split-stages and
//! runtime-deps.

use crate::model::Stage;
use crate::packages::{self, Lookup};
use crate::recipes::recipes;

/// The release [`packages::runtime_libraries`] names a stage's packages for:
/// its tag's, else its distribution (`debian` for the official images built
/// on Debian suites, `ubuntu`), else `None`.
fn release_or_distribution(stage: &Stage) -> Option<&'static str> {
    use crate::catalog::{Scheme, catalog};
    let base = stage.effective_base();
    release_of(stage).or_else(|| match base.family().as_str() {
        "ubuntu" => Some("ubuntu"),
        _ => catalog().family(base).and_then(|f| match f.scheme {
            Scheme::Suite | Scheme::Php | Scheme::Debian => Some("debian"),
            // CUDA tags without an OS word are old Ubuntu ones; PyTorch's are Ubuntu
            Scheme::Cuda if cuda_os(base.tag.as_deref()).is_none() => Some("ubuntu"),
            Scheme::Pytorch => Some("ubuntu"),
            _ => None,
        }),
    })
}

/// A `-dev` package split-stages' runtime packages keep as it is: one the hand-written
/// map does not know, whose runtime libraries [`named_for`] looks up in the
/// generated data for the stage's release.
pub(crate) fn resolved_later(package: &str) -> bool {
    package.ends_with("-dev") && !recipes().packages.runtime.contains_key(package)
}

/// `packages` (bookworm names) as the stage's release names them; a `-dev`
/// package split-stages keeps becomes its runtime libraries there
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
pub(crate) const RELEASES: &[&str] = &[
    "wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "trusty", "xenial",
    "bionic", "focal", "jammy", "noble",
];

/// Ubuntu versions and their releases.
const UBUNTU: &[(&str, &str)] = &[
    ("14.04", "trusty"),
    ("16.04", "xenial"),
    ("18.04", "bionic"),
    ("20.04", "focal"),
    ("22.04", "jammy"),
    ("24.04", "noble"),
];

/// The OS word of an NVIDIA CUDA tag (`ubuntu22.04`, `ubi9`, `rockylinux8`,
/// `centos7`), when it has one (old tags have none: Ubuntu then).
pub(crate) fn cuda_os(tag: Option<&str>) -> Option<&str> {
    tag?.split('-').find(|w| {
        [
            "ubuntu",
            "ubi",
            "rockylinux",
            "centos",
            "oraclelinux",
            "opensuse",
            "debian",
        ]
        .iter()
        .any(|os| w.starts_with(os))
    })
}

/// The Debian or Ubuntu release of the stage's base, when the tag names it
/// (`3.11-slim-bookworm`, `debian:12`, `ubuntu:22.04`, the `ubuntu22.04` of a
/// CUDA tag); `None` when the tag leaves it to the image's current default,
/// which moves between releases.
pub(crate) fn release_of(stage: &Stage) -> Option<&'static str> {
    let base = stage.effective_base();
    let tag = base.tag.as_deref().unwrap_or("");
    if let Some(version) = tag.split('-').find_map(|w| w.strip_prefix("ubuntu")) {
        return UBUNTU.iter().find(|(v, _)| *v == version).map(|(_, r)| *r);
    }
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
        "ubuntu" => UBUNTU,
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
    // before buster (and Ubuntu 18.04) the hand-written map's bookworm names may not
    // exist; a name the file installs itself is its release's own
    if let Some(r) = release_of(stage)
        .filter(|r| matches!(*r, "wheezy" | "jessie" | "stretch" | "trusty" | "xenial"))
        && let Some((p, dev)) = packages.iter().find_map(|p| {
            let dev = mapped_from(p)?;
            let renamed = releases.get(p).is_some_and(|m| m.contains_key(r));
            let indexed = matches!(
                packages::indexed_runtime_libraries(dev, Some(r)),
                Lookup::Libraries(libs) if libs.contains(p)
            );
            (!resolved_later(p) && !renamed && !indexed).then_some((p, dev))
        })
    {
        let searched = packages::suites().join(", ");
        return Some(if packages::suites().contains(&r) {
            format!(
                "`{p}`, the runtime library of `{dev}` in bookworm, is not what the {r} package index names for it (transforms/recipes.toml [packages.releases]; transforms/dev-packages.toml, package indexes searched: {searched})"
            )
        } else {
            format!(
                "`{p}`, the runtime library of `{dev}` in bookworm: the package indexes searched ({searched}) do not include {r}, so its name there is unknown (transforms/recipes.toml [packages.releases])"
            )
        });
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

/// The `-dev` package whose runtime library the hand-written map names
/// `package` (`None` for a package the file installs by that name).
fn mapped_from(package: &str) -> Option<&'static str> {
    recipes()
        .packages
        .runtime
        .iter()
        .find(|(_, lib)| *lib == package)
        .map(|(dev, _)| dev.as_str())
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

/// The Debian release of the builder (named by its tag, or fixed for old
/// image versions), for a runtime on the same glibc; `None` when unknown.
pub(crate) fn suite_of(stage: &Stage) -> Option<&'static str> {
    release_of(stage).filter(|r| {
        matches!(
            *r,
            "stretch" | "buster" | "bullseye" | "bookworm" | "trixie"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuda_tags_name_their_os_and_ubuntu_release() {
        assert_eq!(
            cuda_os(Some("12.1.1-cudnn8-devel-ubuntu22.04")),
            Some("ubuntu22.04")
        );
        assert_eq!(
            cuda_os(Some("12.4.1-runtime-rockylinux9")),
            Some("rockylinux9")
        );
        assert_eq!(cuda_os(Some("10.0-cudnn7-devel")), None);
        let release = |text: &str| {
            let d = crate::syntax::parse(text).unwrap();
            let m = crate::model::Model::build(&d);
            release_of(&m.stages[0])
        };
        assert_eq!(
            release("FROM nvidia/cuda:11.8.0-devel-ubuntu22.04\n"),
            Some("jammy")
        );
        assert_eq!(
            release("FROM nvidia/cuda:9.0-cudnn7-devel-ubuntu16.04\n"),
            Some("xenial")
        );
        assert_eq!(release("FROM nvidia/cuda:12.4.1-devel-ubi9\n"), None);
    }
}

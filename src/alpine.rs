//! Alpine's `-dev` apk packages and the runtime packages that hold their
//! shared libraries, from `transforms/alpine-dev.toml` (embedded in the
//! binary, checked against aports' APKBUILDs), and the Alpine release a tag
//! names. Used by split-stages to install a build's runtime libraries in
//! the runtime stage.
//!
//! The rule: `foo-dev` is built by the aport `foo`, whose library stays in
//! `foo` (`zlib-dev` → `zlib`) or moves to `foo-libs` (`sqlite-dev` →
//! `sqlite-libs`); an exception table names the others (`curl-dev` →
//! `libcurl`), per release where the names changed (`openssl-dev` →
//! `libssl3 libcrypto3` from Alpine 3.17 on). A package the data does not
//! list is unknown: nothing is guessed.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::image::ImageRef;

const ALPINE_DEV_TOML: &str = include_str!("../transforms/alpine-dev.toml");

/// An Alpine release, `(major, minor)`: `(3, 20)` for 3.20.
pub type Release = (u32, u32);

/// What an Alpine `-dev` package needs at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApkLookup {
    /// These runtime packages.
    Libraries(Vec<String>),
    /// Nothing: the package only builds (headers, build scripts).
    BuildOnly,
    /// Not known for the release: why, for a note naming the package.
    Unknown(String),
}

/// The data file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AlpineDev {
    build_only: Vec<String>,
    by_rule: Vec<String>,
    libs_subpackage: Vec<String>,
    build_tool_libraries: BTreeMap<String, String>,
    exceptions: BTreeMap<String, Exception>,
}

/// An exception: the same names in every release, or names per first release.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum Exception {
    Everywhere(String),
    FromRelease(BTreeMap<String, String>),
}

fn data() -> &'static AlpineDev {
    static D: OnceLock<AlpineDev> = OnceLock::new();
    D.get_or_init(|| {
        toml::from_str(ALPINE_DEV_TOML)
            .expect("transforms/alpine-dev.toml is valid (checked by tests)")
    })
}

/// `"3.17"` → `(3, 17)`.
fn parse_release(text: &str) -> Option<Release> {
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The Alpine release a base names: `alpine:3.20`, `alpine:3.20.1`,
/// `php:8.3-fpm-alpine3.20`; `None` when the tag leaves it to the image's
/// current default (`alpine`, `alpine:3`, `php:8.3-fpm-alpine`).
///
/// ```
/// use slimfile::alpine::release_of;
/// use slimfile::image::ImageRef;
/// assert_eq!(release_of(&ImageRef::parse("php:8.3-fpm-alpine3.20")), Some((3, 20)));
/// assert_eq!(release_of(&ImageRef::parse("alpine:3.19.1")), Some((3, 19)));
/// assert_eq!(release_of(&ImageRef::parse("php:8.3-fpm-alpine")), None);
/// ```
pub fn release_of(base: &ImageRef) -> Option<Release> {
    let tag = base.tag.as_deref()?;
    if base.family() == "alpine" {
        return parse_release(tag);
    }
    tag.split('-')
        .find_map(|w| w.strip_prefix("alpine").and_then(parse_release))
}

/// Whether the data lists `package` as build-only (`musl-dev`, `linux-headers` …).
pub fn is_build_only(package: &str) -> bool {
    data().build_only.iter().any(|p| p == package)
}

/// The runtime libraries what the build tool `package` compiles links
/// (`g++` → `libstdc++ libgcc`); empty for other packages.
///
/// ```
/// assert_eq!(slimfile::alpine::build_tool_libraries("g++"), ["libstdc++", "libgcc"]);
/// assert!(slimfile::alpine::build_tool_libraries("make").is_empty());
/// ```
pub fn build_tool_libraries(package: &str) -> Vec<String> {
    data()
        .build_tool_libraries
        .get(package)
        .map(|names| names.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The runtime packages a program built against the Alpine `dev_package`
/// needs on `release` (`None`: the tag does not say); `base` names the
/// image for the notes.
///
/// ```
/// use slimfile::alpine::{ApkLookup, runtime_packages};
/// let libs = |v: &[&str]| ApkLookup::Libraries(v.iter().map(|s| s.to_string()).collect());
/// assert_eq!(runtime_packages("zlib-dev", None, "alpine"), libs(&["zlib"]));
/// assert_eq!(runtime_packages("sqlite-dev", None, "alpine"), libs(&["sqlite-libs"]));
/// assert_eq!(runtime_packages("openssl-dev", Some((3, 20)), "alpine:3.20"), libs(&["libssl3", "libcrypto3"]));
/// assert!(matches!(runtime_packages("openssl-dev", None, "alpine"), ApkLookup::Unknown(_)));
/// ```
pub fn runtime_packages(dev_package: &str, release: Option<Release>, base: &str) -> ApkLookup {
    let d = data();
    if is_build_only(dev_package) {
        return ApkLookup::BuildOnly;
    }
    let stem = dev_package.strip_suffix("-dev").unwrap_or(dev_package);
    if d.by_rule.iter().any(|p| p == dev_package) {
        return ApkLookup::Libraries(vec![stem.to_string()]);
    }
    if d.libs_subpackage.iter().any(|p| p == dev_package) {
        return ApkLookup::Libraries(vec![format!("{stem}-libs")]);
    }
    match d.exceptions.get(dev_package) {
        None => ApkLookup::Unknown(format!(
            "apk installs `{dev_package}`, whose runtime library names on Alpine are not known (transforms/alpine-dev.toml)"
        )),
        Some(Exception::Everywhere(names)) => names_of(names),
        Some(Exception::FromRelease(by_release)) => {
            per_release(dev_package, by_release, release, base)
        }
    }
}

fn names_of(names: &str) -> ApkLookup {
    ApkLookup::Libraries(names.split_whitespace().map(str::to_string).collect())
}

/// An exception whose names hold from a release on.
fn per_release(
    dev_package: &str,
    by_release: &BTreeMap<String, String>,
    release: Option<Release>,
    base: &str,
) -> ApkLookup {
    let mut ranges: Vec<(Release, &str)> = by_release
        .iter()
        .filter_map(|(r, names)| Some((parse_release(r)?, names.as_str())))
        .collect();
    ranges.sort();
    let known = ranges
        .iter()
        .map(|((major, minor), names)| format!("{names} from {major}.{minor}"))
        .collect::<Vec<_>>()
        .join(", ");
    let Some(release) = release else {
        return ApkLookup::Unknown(format!(
            "apk installs `{dev_package}`, whose runtime library names depend on the Alpine release ({known}; older releases not checked), and the tag of {base} does not say which release it is: name it in the tag (e.g. `-alpine3.20`, `alpine:3.20`)"
        ));
    };
    match ranges.iter().rev().find(|(from, _)| *from <= release) {
        Some((_, names)) => names_of(names),
        None => ApkLookup::Unknown(format!(
            "apk installs `{dev_package}`, whose runtime library names are known from Alpine {}.{} on ({known}), and {base} is Alpine {}.{}",
            ranges.first().map_or(0, |r| r.0.0),
            ranges.first().map_or(0, |r| r.0.1),
            release.0,
            release.1
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libs(v: &[&str]) -> ApkLookup {
        ApkLookup::Libraries(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn data_loads_and_has_no_package_twice() {
        let d = data();
        let mut all: Vec<&String> = d
            .build_only
            .iter()
            .chain(&d.by_rule)
            .chain(&d.libs_subpackage)
            .chain(d.exceptions.keys())
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "a package listed twice");
        for p in d.by_rule.iter().chain(&d.libs_subpackage) {
            assert!(p.ends_with("-dev"), "{p}");
        }
        for e in d.exceptions.values() {
            if let Exception::FromRelease(m) = e {
                assert!(m.keys().all(|k| parse_release(k).is_some()), "{m:?}");
            }
        }
    }

    #[test]
    fn rule_libs_subpackage_and_exceptions() {
        assert_eq!(runtime_packages("libpng-dev", None, "a"), libs(&["libpng"]));
        assert_eq!(
            runtime_packages("argon2-dev", None, "a"),
            libs(&["argon2-libs"])
        );
        assert_eq!(
            runtime_packages("icu-dev", Some((3, 20)), "a"),
            libs(&["icu-libs", "icu-data-full"])
        );
        assert_eq!(runtime_packages("curl-dev", None, "a"), libs(&["libcurl"]));
        assert_eq!(
            runtime_packages("gmp-dev", Some((3, 20)), "a"),
            libs(&["gmp", "libgmpxx"])
        );
        assert_eq!(
            runtime_packages("musl-dev", None, "a"),
            ApkLookup::BuildOnly
        );
    }

    #[test]
    fn release_dependent_names() {
        assert_eq!(
            runtime_packages("openssl-dev", Some((3, 16)), "a"),
            libs(&["libssl1.1", "libcrypto1.1"])
        );
        assert_eq!(
            runtime_packages("openssl-dev", Some((3, 17)), "a"),
            libs(&["libssl3", "libcrypto3"])
        );
        let ApkLookup::Unknown(old) = runtime_packages("openssl-dev", Some((3, 8)), "alpine:3.8")
        else {
            panic!("Alpine 3.8 is not checked");
        };
        assert!(old.contains("3.9") && old.contains("alpine:3.8"), "{old}");
        let ApkLookup::Unknown(unpinned) = runtime_packages("openssl-dev", None, "php:8-alpine")
        else {
            panic!("an unpinned tag cannot choose");
        };
        assert!(unpinned.contains("php:8-alpine"), "{unpinned}");
        // a single first release: unknown without a release too
        assert!(matches!(
            runtime_packages("mariadb-dev", None, "a"),
            ApkLookup::Unknown(_)
        ));
    }

    #[test]
    fn unlisted_packages_are_unknown_and_named() {
        let ApkLookup::Unknown(why) = runtime_packages("libnosuch-dev", Some((3, 20)), "a") else {
            panic!("not in the data");
        };
        assert!(why.contains("`libnosuch-dev`"), "{why}");
    }

    #[test]
    fn releases_from_tags() {
        let r = |s: &str| release_of(&ImageRef::parse(s));
        assert_eq!(r("alpine:3.20"), Some((3, 20)));
        assert_eq!(r("alpine:3"), None);
        assert_eq!(r("alpine:edge"), None);
        assert_eq!(r("alpine"), None);
        assert_eq!(r("golang:1.22-alpine3.19"), Some((3, 19)));
        assert_eq!(r("php:8.3-fpm-alpine3.20"), Some((3, 20)));
        assert_eq!(r("php:8.3-fpm-alpine"), None);
        assert_eq!(r("node:20-alpine"), None);
    }
}

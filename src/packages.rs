//! Which runtime library packages a `-dev` apt package stands for, per
//! Debian/Ubuntu release: the data `scripts/debian-dev-packages.py` generates
//! from the archives' package indexes (`transforms/dev-packages.toml`,
//! embedded in the binary), under the hand-written map of
//! `transforms/recipes.toml` `[packages]`, which wins.
//!
//! A program built against `libargon2-dev` links `libargon2.so.1`: the
//! runtime stage needs `libargon2-1`. The generated file names, for each
//! `-dev` package of every release it covers, the packages of section `libs`
//! its `Depends` names from the same source package, or says that it needs
//! nothing at run time (headers, build tools such as `dpkg-dev`).

use std::collections::BTreeMap;

use crate::recipes::recipes;

// `SUITES`, `BUILD_ONLY` and `RUNTIME`: transforms/dev-packages.toml, as
// statics written by build.rs (nothing is parsed at run time)
include!(concat!(env!("OUT_DIR"), "/dev_packages.rs"));

/// The value of a generated entry that means "not installable there, or no
/// library known".
const NOT_THERE: &str = "-";

/// What a `-dev` package needs at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// These runtime library packages, named as the release names them.
    Libraries(Vec<String>),
    /// Nothing: the package only builds (headers, a build tool).
    BuildOnly,
    /// Not known for this release.
    Unknown {
        /// The releases whose package indexes were searched.
        searched: Vec<String>,
        /// The package is in some of them, with different runtime names, and
        /// the release is not known.
        names_differ: bool,
    },
}

impl Lookup {
    /// Why a `-dev` package's runtime libraries are unknown, for a note
    /// (`None` when they are known).
    pub fn unknown_note(&self, dev: &str, release: Option<&str>) -> Option<String> {
        let Lookup::Unknown {
            searched,
            names_differ,
        } = self
        else {
            return None;
        };
        let searched = searched.join(", ");
        let in_data = |r: &str| SUITES.contains(&r);
        Some(match release {
            Some(r) if DEBIAN_WITHOUT_INDEX.contains(&r) && *names_differ => format!(
                "`{dev}` has differently named runtime libraries in the Debian releases searched ({searched}), and their package indexes do not include {r}"
            ),
            _ if *names_differ => format!(
                "`{dev}` has differently named runtime libraries in different releases ({searched}), and the tag does not say which release it is: name the release in the tag (e.g. `-bookworm`)"
            ),
            Some(r)
                if !in_data(r)
                    && !DISTRIBUTIONS.contains(&r)
                    && !DEBIAN_WITHOUT_INDEX.contains(&r) =>
            {
                format!(
                    "`{dev}`: the package indexes searched ({searched}) do not include {r}, so its runtime library names there are unknown (transforms/dev-packages.toml)"
                )
            }
            Some(r) if in_data(r) => format!(
                "`{dev}` has no known runtime library in {r} (transforms/recipes.toml [packages.runtime]; transforms/dev-packages.toml, package index searched: {searched})"
            ),
            _ => format!(
                "`{dev}` has no known runtime library (transforms/recipes.toml [packages.runtime]; transforms/dev-packages.toml, package indexes searched: {searched})"
            ),
        })
    }
}

/// The generated runtime libraries of `dev_package` (`RUNTIME` is sorted by name).
fn runtime_entry(dev_package: &str) -> Option<&'static Entry> {
    let at = RUNTIME
        .binary_search_by_key(&dev_package, |(name, _)| name)
        .ok()?;
    Some(&RUNTIME[at].1)
}

/// One `-dev` package's runtime libraries: the same names in every release
/// that has it, or a `default` and the releases that differ.
#[derive(Debug)]
enum Entry {
    Everywhere(&'static str),
    PerRelease(&'static [(&'static str, &'static str)]),
}

impl Entry {
    /// The raw value for `suite`: names separated by spaces, `""` (nothing)
    /// or `-` (not there).
    fn value(&self, suite: &str) -> &'static str {
        let get = |m: &[(&str, &'static str)], key: &str| {
            m.iter().find(|(r, _)| *r == key).map(|(_, v)| *v)
        };
        match self {
            Entry::Everywhere(v) => v,
            Entry::PerRelease(m) => get(m, suite)
                .or_else(|| get(m, "default"))
                .unwrap_or(NOT_THERE),
        }
    }
}

/// The Debian release a release without its own index is judged by the
/// Debian releases of (see [`runtime_libraries`]).
const DEBIAN_WITHOUT_INDEX: &[&str] = &["buster"];

/// Release names that stand for "some release of this distribution" (a base
/// whose tag does not name its release, but whose family is known).
pub const DISTRIBUTIONS: &[&str] = &["debian", "ubuntu"];

/// Debian releases (the others in the data are Ubuntu's).
const DEBIAN: &[&str] = &[
    "wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky",
];

/// The runtime library packages a program built against `dev_package` needs
/// on `release` (`bookworm`, `jammy` …; `debian` or `ubuntu` for some
/// release of that distribution; `None` when nothing is known).
///
/// The hand-written map in `transforms/recipes.toml` wins; then the generated
/// data. A release it has an index of: that release's names. `None`: the
/// names when every release that has the package agrees, else unknown;
/// `debian`, `ubuntu`: the same over that distribution's releases; `buster`,
/// whose index the data lacks, like `debian`. Older releases: unknown.
///
/// ```
/// use slimfile::packages::{Lookup, runtime_libraries};
/// assert_eq!(runtime_libraries("libargon2-dev", Some("bookworm")), Lookup::Libraries(vec!["libargon2-1".into()]));
/// assert_eq!(runtime_libraries("dpkg-dev", None), Lookup::BuildOnly);
/// ```
pub fn runtime_libraries(dev_package: &str, release: Option<&str>) -> Lookup {
    let hand = &recipes().packages;
    if let Some(lib) = hand.runtime.get(dev_package) {
        let renamed = hand.releases.get(lib);
        return match (release, renamed) {
            (_, None) => Lookup::Libraries(vec![lib.clone()]),
            (Some(r), Some(m)) => match m.get(r).map(String::as_str) {
                Some(NOT_THERE) => Lookup::Unknown {
                    searched: vec![r.to_string()],
                    names_differ: false,
                },
                Some(name) => Lookup::Libraries(vec![name.to_string()]),
                None => Lookup::Libraries(vec![lib.clone()]),
            },
            (None, Some(_)) => Lookup::Unknown {
                searched: m_keys(renamed),
                names_differ: true,
            },
        };
    }
    if hand.build_only.iter().any(|p| p == dev_package) {
        return Lookup::BuildOnly;
    }
    generated_lookup(dev_package, release)
}

fn m_keys(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// [`runtime_libraries`] from the generated data alone, without the
/// hand-written map: what the package indexes say.
///
/// ```
/// use slimfile::packages::{Lookup, indexed_runtime_libraries};
/// assert_eq!(indexed_runtime_libraries("libpq-dev", Some("xenial")), Lookup::Libraries(vec!["libpq5".into()]));
/// ```
pub fn indexed_runtime_libraries(dev_package: &str, release: Option<&str>) -> Lookup {
    generated_lookup(dev_package, release)
}

fn generated_lookup(dev_package: &str, release: Option<&str>) -> Lookup {
    let in_data = |r: &str| SUITES.contains(&r);
    let searched: Vec<&str> = match release {
        Some(r) if in_data(r) => SUITES.iter().copied().filter(|s| *s == r).collect(),
        Some(r) if DEBIAN_WITHOUT_INDEX.contains(&r) || r == "debian" => SUITES
            .iter()
            .copied()
            .filter(|s| DEBIAN.contains(s))
            .collect(),
        Some("ubuntu") => SUITES
            .iter()
            .copied()
            .filter(|s| !DEBIAN.contains(s))
            .collect(),
        Some(_) => Vec::new(),
        None => SUITES.to_vec(),
    };
    let unknown = |names_differ| Lookup::Unknown {
        searched: if searched.is_empty() {
            SUITES.iter().map(|s| s.to_string()).collect()
        } else {
            searched.iter().map(|s| s.to_string()).collect()
        },
        names_differ,
    };
    if searched.is_empty() {
        return unknown(false);
    }
    if BUILD_ONLY.contains(&dev_package) {
        return Lookup::BuildOnly;
    }
    let Some(entry) = runtime_entry(dev_package) else {
        return unknown(false);
    };
    let mut values = searched
        .iter()
        .map(|s| entry.value(s))
        .filter(|v| *v != NOT_THERE);
    let Some(first) = values.next() else {
        return unknown(false);
    };
    if values.any(|v| v != first) {
        return unknown(true);
    }
    if first.is_empty() {
        Lookup::BuildOnly
    } else {
        Lookup::Libraries(first.split_whitespace().map(str::to_string).collect())
    }
}

/// Whether the generated data knows `dev_package` in any release (as a
/// build-only package or with runtime libraries).
pub fn is_known(dev_package: &str) -> bool {
    runtime_entry(dev_package).is_some() || BUILD_ONLY.contains(&dev_package)
}

/// The releases whose package indexes the generated data was made from.
pub fn suites() -> &'static [&'static str] {
    SUITES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libs(v: &[&str]) -> Lookup {
        Lookup::Libraries(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn generated_data_loads_and_names_its_suites() {
        assert!(RUNTIME.len() > 1000);
        assert!(SUITES.contains(&"bookworm"));
        assert!(SUITES.contains(&"jammy"));
        // build.rs sorts the list: every name is found by binary search
        assert!(RUNTIME.is_sorted_by(|a, b| a.0 < b.0));
        assert!(
            RUNTIME
                .iter()
                .all(|(name, _)| runtime_entry(name).is_some())
        );
    }

    #[test]
    fn a_release_gets_its_own_names() {
        assert_eq!(
            runtime_libraries("libjemalloc-dev", Some("bookworm")),
            libs(&["libjemalloc2"])
        );
        assert_eq!(
            runtime_libraries("libjemalloc-dev", Some("bionic")),
            libs(&["libjemalloc1"])
        );
        // Ubuntu's libjpeg is libjpeg-turbo8's libjpeg8, Debian's libjpeg62-turbo
        assert_eq!(
            runtime_libraries("libjpeg-dev", Some("jammy")),
            runtime_libraries("libjpeg-turbo8-dev", Some("jammy"))
        );
        assert_ne!(
            runtime_libraries("libjpeg-dev", Some("jammy")),
            runtime_libraries("libjpeg-dev", Some("bookworm"))
        );
    }

    #[test]
    fn old_and_virtual_names_resolve() {
        // a Provides of libmariadb-dev-compat in Debian, a real package in Ubuntu
        assert_eq!(
            runtime_libraries("default-libmysqlclient-dev", Some("bullseye")),
            libs(&["libmariadb3"])
        );
        assert_eq!(
            runtime_libraries("libmysqlclient-dev", Some("focal")),
            libs(&["libmysqlclient21"])
        );
        // libreadline6-dev: provided by libreadline-dev
        assert_eq!(
            runtime_libraries("libreadline6-dev", Some("bullseye")),
            libs(&["libreadline8"])
        );
        assert_eq!(
            runtime_libraries("libpng12-dev", Some("xenial")),
            libs(&["libpng12-0"])
        );
    }

    #[test]
    fn unknown_release_needs_agreement() {
        assert_eq!(
            runtime_libraries("libargon2-dev", None),
            libs(&["libargon2-1"])
        );
        let ssl = generated_lookup("libssl-dev", None);
        assert!(matches!(
            ssl,
            Lookup::Unknown {
                names_differ: true,
                ..
            }
        ));
        let note = ssl.unknown_note("libssl-dev", None).unwrap_or_default();
        assert!(
            note.contains("bookworm") && note.contains("jammy"),
            "{note}"
        );
        // jemalloc: libjemalloc2 in every Debian release, libjemalloc1 in old Ubuntus
        assert!(matches!(
            runtime_libraries("libjemalloc-dev", None),
            Lookup::Unknown { .. }
        ));
        assert_eq!(
            runtime_libraries("libjemalloc-dev", Some("debian")),
            libs(&["libjemalloc2"])
        );
        assert!(matches!(
            runtime_libraries("libjemalloc-dev", Some("ubuntu")),
            Lookup::Unknown { .. }
        ));
    }

    #[test]
    fn absent_packages_and_releases_are_unknown() {
        // not installable on bullseye under that name
        let mysql = runtime_libraries("libmysqlclient-dev", Some("bullseye"));
        let note = mysql
            .unknown_note("libmysqlclient-dev", Some("bullseye"))
            .unwrap_or_default();
        assert!(note.contains("`libmysqlclient-dev`") && note.contains("bullseye"));
        assert!(matches!(
            runtime_libraries("libnosuchthing-dev", None),
            Lookup::Unknown { .. }
        ));
        assert!(matches!(
            runtime_libraries("libargon2-dev", Some("stretch")),
            Lookup::Unknown { .. }
        ));
        // buster: judged by the Debian releases, which agree on libargon2-1
        assert_eq!(
            runtime_libraries("libargon2-dev", Some("buster")),
            libs(&["libargon2-1"])
        );
    }

    #[test]
    fn build_only_means_headers_or_tools() {
        for tool in [
            "dpkg-dev",
            "autotools-dev",
            "nlohmann-json3-dev",
            "libstdc++-12-dev",
        ] {
            assert_eq!(runtime_libraries(tool, None), Lookup::BuildOnly, "{tool}");
        }
        // Fortran's runtime comes from the newest gcc-N source, not libgfortran-12-dev's own
        assert!(matches!(
            runtime_libraries("libgfortran-12-dev", Some("noble")),
            Lookup::Unknown { .. }
        ));
        // a Lua module's -dev ships a shared object: not build-only
        assert_ne!(runtime_libraries("lua-zlib-dev", None), Lookup::BuildOnly);
    }

    #[test]
    fn hand_written_entries_win() {
        assert_eq!(
            runtime_libraries("libssl-dev", Some("bullseye")),
            libs(&["libssl1.1"])
        );
        assert_eq!(
            runtime_libraries("libpq-dev", Some("bookworm")),
            libs(&["libpq5"])
        );
        assert_eq!(runtime_libraries("libc6-dev", None), Lookup::BuildOnly);
        assert_eq!(
            runtime_libraries("dpkg-dev", Some("jammy")),
            Lookup::BuildOnly
        );
    }
}

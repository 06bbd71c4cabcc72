//! ### Shared libraries the copied program links
//! A builder that installs a C library's headers (`libssl-dev`, `libpq-dev`
//! …) builds a program linked against that library: a Rust or `make
//! install` binary, or Python packages compiled from source. A final stage on
//! Debian/Ubuntu or a `-slim` image that copies it and does not install the
//! library fails with `error while loading shared libraries`. The repair
//! installs the runtime packages (`transforms/recipes.toml`
//! `[packages.runtime]`, named for the final stage's release) right after its
//! FROM. A glibc-linked Rust or C binary on a musl or libc-less runtime is
//! reported as `libc-mismatch` (no repair).

use super::{Libc, Link, root, scripts, warn};
use crate::analysis;
use crate::artifacts::{self, Ecosystem};
use crate::edit::{Change, Findings, Safety};
use crate::passes::Context;
use crate::passes::edits::insert_after;
use crate::reason::Reason;
use crate::recipes::recipes;
use crate::releases::{apt_install_line, named_for, release_of, release_problem};

pub(super) fn check(cx: &Context, link: &Link, out: &mut Findings) {
    let builder = link.builder;
    let runtime = link.runtime;
    let at = cx.doc.instructions[link.copies[0].instruction].span.start;
    let Some(what) = linked_program(cx, link) else {
        return;
    };
    let base = root(cx, builder);
    if Libc::of(base) == Libc::Glibc
        && what.native
        && matches!(Libc::of(runtime), Libc::Musl | Libc::None)
    {
        return warn(
            out,
            at,
            Reason::LibcMismatch,
            format!(
                "{} is built on {} (glibc) and {} has {}: it cannot start there (`no such file or directory`); run it on Debian slim or build it for musl",
                what.name,
                base.base_text,
                runtime.base_text,
                Libc::of(runtime).describe()
            ),
        );
    }
    let (needed, headers) = runtime_libraries_of(cx, builder, runtime);
    if needed.is_empty() || !lacks_libraries(runtime) {
        return;
    }
    let have = analysis::apt_packages(&analysis::joined(&scripts(cx, runtime)));
    let named = named_for(runtime, &needed);
    let missing: Vec<String> = named.into_iter().filter(|p| !have.contains(p)).collect();
    if missing.is_empty() {
        return;
    }
    let failure = failure_message(&what, &headers, runtime);
    if let Some(why) = release_problem(runtime, &needed) {
        return warn(
            out,
            at,
            Reason::RuntimeLibraryUnknown,
            format!("{failure}; {why}"),
        );
    }
    if let (Some(a), Some(b)) = (release_of(base), release_of(runtime))
        && a != b
    {
        return warn(
            out,
            at,
            Reason::RuntimeLibraryUnknown,
            format!(
                "{failure}; it is built on {a} and runs on {b}, whose library versions differ: use the same release in both stages"
            ),
        );
    }
    let Some(line) = apt_install_line(&missing) else {
        return;
    };
    let from = &cx.doc.instructions[runtime.from];
    out.change(Change::new(
        Safety::Review,
        format!(
            "{failure}. Install {} in the final stage",
            missing.join(" ")
        ),
        vec![insert_after(cx, from, &line)],
    ));
}

/// The runtime libraries the builder's `-dev` installs link (named for the final
/// stage's release), and those `-dev` packages: the hand-written map first, then
/// the data generated from the package indexes.
fn runtime_libraries_of(
    cx: &Context,
    builder: &crate::model::Stage,
    runtime: &crate::model::Stage,
) -> (Vec<String>, Vec<String>) {
    let map = &recipes().packages.runtime;
    let builder_scripts = analysis::joined(&scripts(cx, builder));
    let mut needed: Vec<String> = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    for p in analysis::apt_packages(&builder_scripts) {
        let libs = match map.get(&p) {
            Some(lib) => vec![lib.clone()],
            None if p.ends_with("-dev") => {
                match crate::packages::runtime_libraries(&p, release_of(runtime)) {
                    crate::packages::Lookup::Libraries(libs) => libs,
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        if libs.is_empty() {
            continue;
        }
        for lib in libs {
            if !needed.contains(&lib) {
                needed.push(lib);
            }
        }
        headers.push(p);
    }
    (needed, headers)
}

/// What fails: the program, the `-dev` packages it was built with, the final base.
fn failure_message(what: &Linked, headers: &[String], runtime: &crate::model::Stage) -> String {
    format!(
        "{} {} the shared libraries of {} (installed in the builder), and {} does not have them: {} with `error while loading shared libraries`",
        what.name,
        if what.native { "needs" } else { "need" },
        headers.join(", "),
        runtime.base_text,
        if what.native {
            "it fails"
        } else {
            "importing them fails"
        }
    )
}

/// A program the final stage copies from the builder that links C libraries.
struct Linked {
    /// For messages: "the Rust binary /app/target/release/app".
    name: String,
    /// A native executable (not Python packages).
    native: bool,
}

/// What the final stage copies that the builder compiled: a Rust or `make
/// install` binary, or Python packages (a venv, site-packages, a user base).
fn linked_program(cx: &Context, link: &Link) -> Option<Linked> {
    let builder = link.builder;
    if let Some(Ok(a)) = artifacts::built(cx, builder)
        && matches!(a.ecosystem, Ecosystem::Rust | Ecosystem::MakeInstall)
        && link.carries(&a.path)
        && !a.path.contains("-musl")
        && !analysis::joined(&scripts(cx, builder)).contains("crt-static")
    {
        return Some(Linked {
            name: format!("the {} build {}", a.ecosystem.name(), a.path),
            native: true,
        });
    }
    let venv = &recipes().python.venv;
    let python = link.copies.iter().flat_map(|c| &c.sources).find(|s| {
        s.starts_with(venv.as_str())
            || s.starts_with("/usr/local/lib/python")
            || s.starts_with("/root/.local")
    })?;
    Some(Linked {
        name: format!("the Python packages in {python}"),
        native: false,
    })
}

/// True for a base that has apt and lacks the usual C libraries: Debian or
/// Ubuntu themselves, or an official image's `-slim` variant (the full
/// language images build on buildpack-deps, which has them).
fn lacks_libraries(stage: &crate::model::Stage) -> bool {
    let base = stage.effective_base();
    let family = base.family();
    let tag = base.tag.as_deref().unwrap_or("");
    Libc::of(stage) == Libc::Glibc
        && !base.to_string().contains("distroless")
        && (matches!(family.as_str(), "debian" | "ubuntu") || tag.contains("slim"))
}

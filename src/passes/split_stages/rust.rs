//! ### Rust
//! `cargo build [--release]` or `cargo install`: the binary (named by `--bin`
//! or Cargo.toml) on the builder's Debian suite, slim, with CA certificates
//! and libssl when Cargo.toml uses TLS crates.

use super::{
    Build, Context, Findings, Plan, Recipe, artifact_or_skip, artifacts, builds_on_alpine, catalog,
    copy_from_builder, official_family, recipes, release_problem, runtime_setup, skip,
    stage_packages, suite_of, toolchain_at_runtime,
};
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Rust",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("cargo", "build") || build.has("cargo", "install")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let r = &recipes().rust;
    if toolchain_at_runtime(cx, stage, &[("cargo", "run")], out) {
        return None;
    }
    let family = official_family(stage, "rust", out)?;
    if builds_on_alpine(stage) {
        return skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            "Rust builds on Alpine (musl) are not split yet",
        );
    }
    let binary = artifact_or_skip(artifacts::rust_binary(cx, stage, scripts), stage, out)?;
    // `cargo install` puts the binary in $CARGO_HOME/bin, which is not on the runtime's PATH
    let dest = if binary.source == "cargo install" {
        format!("/usr/local/bin/{}", binary.path.rsplit('/').next()?)
    } else {
        binary.path.clone()
    };
    let mut packages = stage_packages(cx, stage, scripts);
    let mut why = format!("the binary {dest} ({})", binary.source);
    add_crate_packages(cx, &mut packages, &mut why);
    if let Some(why) = release_problem(stage, &packages) {
        return skip(
            out,
            stage.base_span.start,
            Reason::RuntimeLibraryUnknown,
            why,
        );
    }
    let setup = runtime_setup(stage, &packages);
    let Some(suite) = suite_of(stage) else {
        return skip(
            out,
            stage.base_span.start,
            Reason::ReleaseUnknown,
            format!(
                "the tag of {} does not name its Debian release, and the binary must run on the release it was built on: name the release in the tag (e.g. `-bookworm`)",
                stage.base_text
            ),
        );
    };
    let runtime = r.runtime.replace("{suite}", suite);
    Some(Plan {
        ecosystem: "Rust",
        runtime_base: runtime,
        setup,
        copies: vec![copy_from_builder(cx, &binary.path, &dest)],
        sizes: (
            family.size("full"),
            catalog::catalog()
                .named("debian")
                .and_then(|f| f.size("slim")),
        ),
        why,
        ..Plan::default()
    })
}

/// The runtime packages Cargo.toml's crates need (CA certificates for TLS
/// crates, libssl3 for OpenSSL ones), each said in `why`.
fn add_crate_packages(cx: &Context, packages: &mut Vec<String>, why: &mut String) {
    let r = &recipes().rust;
    let deps = cargo_dependencies(cx);
    for (crates, package) in [
        (&r.tls_crates, "ca-certificates"),
        (&r.openssl_crates, "libssl3"),
    ] {
        if let Some(c) = deps.iter().find(|d| crates.contains(d))
            && !packages.iter().any(|p| p == package)
        {
            packages.push(package.to_string());
            why.push_str(&format!("; {package} for `{c}`"));
        }
    }
}

/// Dependency names in the context's Cargo.toml.
fn cargo_dependencies(cx: &Context) -> Vec<String> {
    let Some(m) = cx
        .read("Cargo.toml")
        .and_then(|s| s.parse::<toml::Table>().ok())
    else {
        return Vec::new();
    };
    m.get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

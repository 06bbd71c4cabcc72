//! The Go recipe's runtime image: scratch for a static binary that needs
//! no shell, else the builder's libc (Alpine, or Debian slim of its
//! release), distroless static with `--prefer distroless`; and the packages
//! it needs.

use super::super::{analysis, catalog, distroless, stage_packages, suite_of};
use super::{
    Context, Findings, Keyword, Linking, Reason, Script, ShellEnv, Stage, builds_on_alpine,
    recipes, skip,
};

/// The runtime image ([`Runtime::choose`]), distroless static instead of
/// scratch with `--prefer distroless`.
pub(super) fn runtime_for(
    cx: &Context,
    stage: &Stage,
    linking: &Linking,
    needs_shell: bool,
    packages: &RuntimePackages,
    why: &mut String,
    out: &mut Findings,
) -> Option<Runtime> {
    let said = why.len();
    let runtime = Runtime::choose(
        stage,
        linking.statically,
        needs_shell,
        builds_on_alpine(stage),
        &packages.apt,
        why,
        out,
    )?;
    if distroless::preferred(cx) && runtime.image == recipes().go.static_runtime {
        why.truncate(said);
        return Some(Runtime::distroless_static(why));
    }
    Some(runtime)
}

/// What an Alpine runtime cannot carry yet: a command that is not the binary
/// (its interpreter cannot be checked) and apk packages (`None` after reporting).
pub(super) fn alpine_runtime_possible(
    runs_other: bool,
    packages: &RuntimePackages,
    at: usize,
    out: &mut Findings,
) -> Option<()> {
    if runs_other {
        return skip(
            out,
            at,
            Reason::NotYet,
            "the command runs something other than the Go binary (a script?) and the builder is Alpine: its interpreter cannot be checked",
        );
    }
    if packages.needs_more {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "the runtime needs Alpine packages ({}): apk installs in the runtime are not planned yet",
                packages.apk.join(", ")
            ),
        );
    }
    Some(())
}

/// Packages the runtime needs (apt) or that only an Alpine runtime could install (apk).
pub(super) struct RuntimePackages {
    pub apt: Vec<String>,
    pub apk: Vec<String>,
    /// One of them is `tzdata`.
    pub tzdata: bool,
    /// One of them is neither `tzdata` nor `ca-certificates`.
    pub needs_more: bool,
}

impl RuntimePackages {
    pub(super) fn of(cx: &Context, stage: &Stage, scripts: &[(usize, String)]) -> RuntimePackages {
        let apt = stage_packages(cx, stage, scripts);
        let apk: Vec<String> = apk_packages(cx, stage)
            .into_iter()
            .filter(|p| !super::super::lists::go_runtime_leaves_out(p) && !p.ends_with("-dev"))
            .collect();
        let tzdata = apt.iter().chain(&apk).any(|p| p == "tzdata");
        let needs_more = apt
            .iter()
            .chain(&apk)
            .any(|p| p != "tzdata" && p != "ca-certificates");
        RuntimePackages {
            apt,
            apk,
            tzdata,
            needs_more,
        }
    }
}

/// The runtime base, its size and the apt packages it installs.
pub(super) struct Runtime {
    pub image: String,
    pub size_mb: Option<f64>,
    pub packages: Vec<String>,
    /// distroless static: CA certificates, time zones and /etc/passwd of its own.
    pub distroless: bool,
}

impl Runtime {
    /// With `--prefer distroless`, instead of scratch: distroless static.
    fn distroless_static(why: &mut String) -> Runtime {
        let image = recipes().go.distroless_runtime.clone();
        why.push_str(" on distroless static (its own CA certificates, time zones and /etc/passwd)");
        Runtime {
            size_mb: catalog::catalog().approx_size_mb(&crate::image::ImageRef::parse(&image)),
            image,
            packages: Vec::new(),
            distroless: true,
        }
    }

    /// scratch for a static binary that needs no shell; otherwise the
    /// builder's libc: Alpine, or Debian slim of the builder's release
    /// (`None` after reporting that the release is unknown).
    fn choose(
        stage: &Stage,
        statically: bool,
        needs_shell: bool,
        musl: bool,
        apt_packages: &[String],
        why: &mut String,
        out: &mut Findings,
    ) -> Option<Runtime> {
        let r = &recipes().go;
        if statically && !needs_shell {
            why.push_str(" and CA certificates on scratch");
            return Some(Runtime {
                image: r.static_runtime.clone(),
                size_mb: Some(0.0),
                packages: Vec::new(),
                distroless: false,
            });
        }
        if musl {
            let version = alpine_version(stage);
            why.push_str(&format!(
                " on alpine:{version}, the builder's libc (musl){}",
                if needs_shell { ", with a shell" } else { "" }
            ));
            return Some(Runtime {
                image: format!("alpine:{version}"),
                size_mb: catalog::catalog()
                    .named("alpine")
                    .and_then(|f| f.size("full")),
                packages: Vec::new(),
                distroless: false,
            });
        }
        why.push_str(if statically {
            " on Debian slim (the command needs a shell)"
        } else {
            " on Debian slim (glibc, as it was built)"
        });
        let Some(suite) = suite_of(stage) else {
            return skip(
                out,
                stage.base_span.start,
                Reason::ReleaseUnknown,
                format!(
                    "the tag of {} does not name its Debian release, and a binary linked against glibc must run on the release it was built on: name the release in the tag (e.g. `-bookworm`)",
                    stage.base_text
                ),
            );
        };
        Some(Runtime {
            image: r.dynamic_runtime.replace("{suite}", suite),
            size_mb: catalog::catalog()
                .named("debian")
                .and_then(|f| f.size("slim")),
            packages: apt_packages.to_vec(),
            distroless: false,
        })
    }
}

/// True when an apk install names `-dev` packages besides musl's and the kernel's headers.
pub(super) fn apk_dev_packages(scripts: &[(usize, String)]) -> bool {
    analysis::joined(scripts)
        .split_whitespace()
        .any(|w| w.ends_with("-dev") && !matches!(w, "musl-dev" | "linux-headers"))
}

/// Packages `apk add` installs in the stage (virtual groups' members included).
fn apk_packages(cx: &Context, stage: &Stage) -> Vec<String> {
    let mut out = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != Keyword::Run {
            continue;
        }
        let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::default());
        for i in script.installs() {
            if i.manager == crate::shell::Manager::Apk {
                out.extend(i.packages.iter().map(|p| p.name.clone()));
            }
        }
    }
    out
}

/// `alpine3.19` in a golang tag → `3.19`; otherwise `3`.
fn alpine_version(stage: &Stage) -> String {
    let tag = stage.effective_base().tag.clone().unwrap_or_default();
    tag.split('-')
        .find_map(|w| w.strip_prefix("alpine").filter(|v| !v.is_empty()))
        .unwrap_or("3")
        .to_string()
}

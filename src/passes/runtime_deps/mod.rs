//! # runtime-deps
//!
//! ## What it does
//! Applies the runtime contract to multi-stage files slimfile did not write:
//! when the final stage copies what a builder stage made, what that program
//! needs at run time must be in the final stage. When it is not, the pass
//! repairs the file the way split-stages would have built it, and says in
//! one line what would have failed when the container starts. Each shape it
//! knows is described below (one file each in `src/passes/runtime_deps/`).
//!
//! Only the final stage is checked, against each stage it copies from.
//! A final stage built on an earlier stage (`FROM builder`) is left alone:
//! it has everything its parent has.
//!
//! ## Why is this bad?
//! These files build fine and fail only when the container starts, in
//! production: `exec /app/server: no such file or directory` (a glibc binary
//! on Alpine), `ModuleNotFoundError` (packages left in the builder's
//! site-packages), `Cannot find module 'express'`, `UnsupportedClassVersionError`,
//! `error while loading shared libraries: libssl.so.3`. The tutorials that
//! teach multi-stage builds carry two of them, and many real files copy them.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! WORKDIR /app
//! COPY . .
//! RUN go build -o myapp
//!
//! FROM alpine:3.19
//! COPY --from=builder /app/myapp /usr/local/bin/myapp
//! CMD ["myapp"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! WORKDIR /app
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o myapp
//!
//! FROM alpine:3.19
//! COPY --from=builder /app/myapp /usr/local/bin/myapp
//! CMD ["myapp"]
//! ```
//!
//! ## Fix safety
//! **review**: the image changes (a flag on the build, a copied folder, a
//! package, a newer runtime tag). When the pass sees the problem but cannot
//! repair it for sure it changes nothing and says why, as a warning: codes
//! `context-unknown` (no build context to check the sources or the package
//! manifest), `python-version` (builder and runtime may not run the same
//! Python minor version), `user-setup` (a non-root user installs or runs),
//! `libc-mismatch` (a glibc binary on a musl or libc-less runtime, no repair),
//! `runtime-library-unknown` (libraries whose names depend on a release
//! slimfile cannot tell), `not-yet` (a shape it recognises but does not
//! repair yet).
//!
//! ## Shapes

mod go;
mod java;
mod libs;
mod node;
mod python;

use super::{Context, Pass};
use crate::artifacts;
use crate::edit::{Findings, Level, Safety};
use crate::model::{RefKind, Stage, Target};
use crate::reason::Reason;
use crate::syntax::{Args, Instruction, Keyword};

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::RuntimeDeps,
    summary: "repair multi-stage files whose final stage cannot run what the builder made (a glibc Go binary on Alpine or scratch, Python packages or node_modules left in the builder, a JRE older than the bytecode, missing shared libraries); warn when unsure",
    safety: Safety::Review,
    doc: crate::pass_doc!("runtime_deps"),
    run,
};

/// One `COPY --from=<builder>` of the final stage.
struct Copy {
    /// Its instruction index.
    instruction: usize,
    /// The absolute paths it copies from the builder.
    sources: Vec<String>,
    /// Where they land in the final stage (absolute).
    dest: String,
}

impl Copy {
    /// True when the copy carries `path` of the builder (the path itself, a
    /// folder that holds it, or the root).
    fn carries(&self, path: &str) -> bool {
        self.sources.iter().any(|s| covers(s, path))
    }

    /// Where `path` of the builder lands in the final stage, when the copy carries it.
    fn lands(&self, path: &str) -> Option<String> {
        let source = self.sources.iter().find(|s| covers(s, path))?;
        let rest = path.strip_prefix(source.as_str()).unwrap_or("");
        let single = self.sources.len() == 1;
        // one source copied onto a file path, or folder contents into a folder
        if rest.is_empty() && single && !self.dest.ends_with('/') {
            return Some(self.dest.clone());
        }
        let into = if rest.is_empty() {
            artifacts::join(&self.dest, shell_basename(source))
        } else {
            artifacts::join(&self.dest, rest.trim_start_matches('/'))
        };
        Some(into)
    }
}

/// True when the folder (or file) `outer` is `inner` or holds it.
fn covers(outer: &str, inner: &str) -> bool {
    outer == "/"
        || inner == outer
        || inner
            .strip_prefix(outer.trim_end_matches('/'))
            .is_some_and(|rest| rest.starts_with('/'))
}

fn shell_basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// The final stage and one stage it copies from: what every shape checks.
struct Link<'a> {
    runtime: &'a Stage,
    builder: &'a Stage,
    /// The final stage's copies from the builder, in order.
    copies: Vec<Copy>,
    /// The `--from=` value as written in the first copy (for new COPY lines).
    from: String,
}

impl Link<'_> {
    /// True when some copy carries `path` of the builder.
    fn carries(&self, path: &str) -> bool {
        self.copies.iter().any(|c| c.carries(path))
    }

    /// The last copy from the builder: new copies go after it.
    fn last_copy<'d>(&self, cx: &'d Context) -> &'d Instruction {
        let n = self
            .copies
            .last()
            .map_or(self.runtime.from, |c| c.instruction);
        &cx.doc.instructions[n]
    }

    /// `COPY --from=<builder> SRC DEST`, quoted for the file.
    fn copy_line(&self, cx: &Context, src: &str, dest: &str) -> String {
        format!(
            "COPY --from={} {}",
            self.from,
            crate::shell::dockerfile_path_list(&[src, dest], cx.doc.escape)
        )
    }
}

fn run(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    if model.stages.len() < 2 {
        return;
    }
    let Some(runtime) = model.stages.last() else {
        return;
    };
    if runtime.base_stage.is_some() {
        return;
    }
    let mut links: Vec<Link> = Vec::new();
    for r in &model.refs {
        if r.kind != RefKind::CopyFrom || r.stage != runtime.index {
            continue;
        }
        let Target::Stage(b) = r.target else {
            continue;
        };
        let Some(copy) = read_copy(cx, runtime, r.instruction) else {
            continue;
        };
        match links.iter_mut().find(|l| l.builder.index == b) {
            Some(l) => l.copies.push(copy),
            None => {
                // a `--from=` value written plainly can be written again as it is
                let plain = r
                    .span
                    .as_ref()
                    .and_then(|s| cx.text.get(s.clone()))
                    .is_some_and(|t| t == r.value && !r.value.contains(['$', '"', '\'']));
                if !plain {
                    continue;
                }
                links.push(Link {
                    runtime,
                    builder: &model.stages[b],
                    copies: vec![copy],
                    from: r.value.clone(),
                });
            }
        }
    }
    for link in &links {
        go::check(cx, link, out);
        python::check(cx, link, out);
        node::check(cx, link, out);
        java::check(cx, link, out);
        libs::check(cx, link, out);
    }
}

/// The sources and destination of a COPY/ADD `--from=` (both forms), made
/// absolute: sources against the builder's root, the destination against
/// the final stage's WORKDIR. `None` for globs, variables and heredocs.
fn read_copy(cx: &Context, stage: &Stage, n: usize) -> Option<Copy> {
    let ins = &cx.doc.instructions[n];
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
        || !ins.heredocs.is_empty()
        || !cx.model.understood(n)
    {
        return None;
    }
    let mut paths: Vec<String> = match &ins.args {
        Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
        Args::Exec(v) => v.clone(),
    };
    if paths.len() < 2 || paths.iter().any(|p| p.contains(['$', '*', '?', '['])) {
        return None;
    }
    let dest = paths.pop()?;
    let workdir = artifacts::workdir_at(cx, stage, n);
    let mut dest_abs = artifacts::join(&workdir, &dest);
    if dest.ends_with('/') || dest == "." || dest == "./" {
        dest_abs.push('/');
    }
    Some(Copy {
        instruction: n,
        sources: paths.iter().map(|p| artifacts::join("/", p)).collect(),
        dest: dest_abs,
    })
}

/// The image a stage ultimately builds on (through `FROM <stage>`).
fn root<'a>(cx: &'a Context, stage: &'a Stage) -> &'a Stage {
    let mut s = stage;
    let mut hops = 0;
    while let Some(b) = s.base_stage {
        if b >= s.index || hops > cx.model.stages.len() {
            break;
        }
        s = &cx.model.stages[b];
        hops += 1;
    }
    s
}

/// The C library a runtime base gives a dynamically linked program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Libc {
    Glibc,
    Musl,
    /// `scratch`, distroless `static`: no C library and no loader at all.
    None,
    Unknown,
}

impl Libc {
    fn of(stage: &Stage) -> Libc {
        let base = stage.effective_base();
        let family = base.family();
        let tag = base.tag.as_deref().unwrap_or("");
        let full = base.to_string();
        if family == "scratch" {
            return Libc::None;
        }
        if full.contains("distroless/static") {
            return Libc::None;
        }
        if family == "alpine" || tag.contains("alpine") {
            return Libc::Musl;
        }
        // the official language images without `-alpine` build on Debian
        let debian_based = matches!(
            family.as_str(),
            "golang"
                | "rust"
                | "python"
                | "node"
                | "ruby"
                | "php"
                | "perl"
                | "gcc"
                | "openjdk"
                | "eclipse-temurin"
                | "maven"
                | "gradle"
                | "buildpack-deps"
                | "haskell"
                | "elixir"
                | "erlang"
                | "swift"
                | "julia"
                | "clojure"
        ) && base.registry.as_deref().is_none_or(|r| r == "docker.io");
        if matches!(family.as_str(), "debian" | "ubuntu")
            || debian_based
            || full.contains("distroless/base")
            || full.contains("distroless/cc")
            || tag.contains("slim")
            || tag.contains("bookworm")
            || tag.contains("bullseye")
            || tag.contains("buster")
            || tag.contains("trixie")
        {
            return Libc::Glibc;
        }
        Libc::Unknown
    }

    fn describe(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::None => "no C library",
            Libc::Unknown => "an unknown C library",
        }
    }
}

/// The RUN scripts of a stage (instruction index, text).
fn scripts(cx: &Context, stage: &Stage) -> Vec<(usize, String)> {
    crate::analysis::run_scripts(cx.text, cx.doc, stage)
}

/// True when the stage has an instruction with this keyword.
fn has_keyword(cx: &Context, stage: &Stage, keyword: Keyword) -> bool {
    stage
        .instructions
        .clone()
        .any(|n| cx.doc.instructions[n].keyword == keyword)
}

/// The USER in effect at the end of the stage, when set (`None`: root).
fn user_of(cx: &Context, stage: &Stage, before: usize) -> Option<String> {
    let mut user = None;
    for n in stage.instructions.start..before.min(stage.instructions.end) {
        let ins = &cx.doc.instructions[n];
        if ins.keyword == Keyword::User {
            user = ins.words().first().map(|w| w.value.clone());
        }
    }
    user.filter(|u| {
        let name = u.split(':').next().unwrap_or("");
        name != "root" && name != "0"
    })
}

/// Reports a problem the pass sees and does not repair.
fn warn(out: &mut Findings, at: usize, code: Reason, message: impl Into<String>) {
    out.note(code, Level::Warning, at, message);
}

//! ### Go onto a musl or libc-less runtime
//! The golang images (Debian) build with cgo on: a binary that uses `net`
//! or `os/user` (any HTTP server or client) is linked against glibc and
//! cannot start on `alpine`, `scratch` or distroless `static` (`exec
//! /app/server: no such file or directory`). When the sources at hand do not
//! need cgo (no file imports "C", go.mod requires no module listed as cgo in
//! `transforms/recipes.toml`), the `go build` that writes the copied binary
//! gets `CGO_ENABLED=0`. When they do, the runtime becomes Debian slim of the
//! builder's release (if the runtime stage runs nothing of its own);
//! otherwise the file is left alone with `libc-mismatch`.

use super::{Libc, Link, has_keyword, root, scripts, warn};
use crate::artifacts;
use crate::artifacts::go_sources::read_sources as go_sources;
use crate::artifacts::{command_start, headers_installed, writing_go_build};
use crate::edit::{Change, Edit, Findings, Safety};
use crate::passes::Context;
use crate::reason::Reason;
use crate::releases::suite_of;
use crate::shell::{Script, ShellEnv};
use crate::syntax::Keyword;

pub(super) fn check(cx: &Context, link: &Link, out: &mut Findings) {
    let builder = link.builder;
    let base = root(cx, builder);
    let image = base.effective_base();
    if image.family() != "golang" || Libc::of(base) == Libc::Musl {
        return;
    }
    let runtime_libc = Libc::of(link.runtime);
    if !matches!(runtime_libc, Libc::Musl | Libc::None) {
        return;
    }
    let scripts = scripts(cx, builder);
    let Ok(binary) = artifacts::go_binary(cx, builder, &scripts) else {
        return;
    };
    if !link.carries(&binary.path) {
        return;
    }
    let ins = &cx.doc.instructions[binary.built_by];
    let wd = artifacts::workdir_at(cx, builder, binary.built_by);
    let shell = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(&wd));
    let Some(go) = writing_go_build(&shell, &binary) else {
        return;
    };
    // the CGO_ENABLED the build sees: its own, the stage's ENV, the base's
    let cgo = go
        .var("CGO_ENABLED")
        .map(str::to_string)
        .or_else(|| artifacts::env_value(cx, builder, "CGO_ENABLED"))
        .or_else(|| artifacts::env_value(cx, base, "CGO_ENABLED"));
    if cgo.as_deref() == Some("0") || links_statically(go) {
        return;
    }
    let failure = failure_message(&binary.path, base, link.runtime, runtime_libc);
    let at = cx.doc.instructions[link.copies[0].instruction].span.start;
    let Some(dir) = cx.build_context else {
        return warn(
            out,
            at,
            Reason::ContextUnknown,
            format!("{failure}; no build context at hand to check that the app needs no cgo"),
        );
    };
    let sources = go_sources(dir);
    if let Some(why) = sources.cut {
        return warn(
            out,
            at,
            Reason::ContextUnknown,
            format!("{failure}; cannot check that the app needs no cgo: {why}"),
        );
    }
    let reason = sources
        .cgo
        .or_else(|| headers_installed(&scripts))
        .or(cgo.map(|v| format!("CGO_ENABLED={v}")));
    if let Some(reason) = reason {
        return glibc_runtime(cx, link, &failure, &reason, out);
    }
    let Some(start) = command_start(go) else {
        return;
    };
    out.change(Change::new(
        Safety::Review,
        format!(
            "{failure}. Build it with CGO_ENABLED=0: no Go file imports \"C\" and go.mod requires no cgo module"
        ),
        vec![Edit::insert(start, "CGO_ENABLED=0 ")],
    ));
}

/// Linked statically by hand (`-extldflags "-static"`).
fn links_statically(go: &crate::shell::Command) -> bool {
    go.words
        .iter()
        .any(|w| w.value.as_deref().is_some_and(|v| v.contains("-static")))
}

/// What may fail: a cgo-built binary on a musl or libc-less runtime.
fn failure_message(
    binary: &str,
    base: &crate::model::Stage,
    runtime: &crate::model::Stage,
    runtime_libc: Libc,
) -> String {
    format!(
        "the Go binary {binary} is built with cgo on ({}, glibc); if it or a dependency uses net or os/user it links glibc, and {} ({}) cannot start it: `exec …: no such file or directory`",
        base.base_text,
        runtime.base_text,
        runtime_libc.describe()
    )
}

/// The app needs cgo: run it on Debian slim of the builder's release, when
/// the runtime stage runs nothing of its own (its RUNs would be for Alpine).
fn glibc_runtime(cx: &Context, link: &Link, failure: &str, reason: &str, out: &mut Findings) {
    let runtime = link.runtime;
    let at = runtime.base_span.start;
    let builder = root(cx, link.builder);
    let written_plainly =
        cx.text.get(runtime.base_span.clone()) == Some(runtime.base_text.as_str());
    let suite = suite_of(builder);
    let own_steps = has_keyword(cx, runtime, Keyword::Run)
        || has_keyword(cx, runtime, Keyword::Shell)
        || has_keyword(cx, runtime, Keyword::Onbuild);
    match suite {
        Some(suite) if written_plainly && !own_steps => {
            let to = format!("debian:{suite}-slim");
            out.change(Change::new(
                Safety::Review,
                format!(
                    "{failure}. The app needs cgo ({reason}): run it on {to}, the builder's glibc"
                ),
                vec![Edit::replace(runtime.base_span.clone(), to)],
            ));
        }
        _ => warn(
            out,
            at,
            Reason::LibcMismatch,
            format!(
                "{failure}. The app needs cgo ({reason}), and {}: build on golang:*-alpine or run on Debian slim",
                if suite.is_none() {
                    format!(
                        "the tag of {} does not name its Debian release",
                        builder.base_text
                    )
                } else {
                    "the runtime stage runs steps of its own".to_string()
                }
            ),
        ),
    }
}

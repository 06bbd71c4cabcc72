//! The Go binary a `go build` writes.

use super::*;
use crate::shell::{Script, ShellEnv, ShellWord};

/// The Go binary of the last `go build`: `-o PATH` resolved against the
/// folder the command runs in (WORKDIR and any `cd` before it), else the
/// package's folder name, the first file's name, or go.mod's module name.
pub fn go_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let workdirs = workdirs(cx, stage);
    for (n, text) in scripts.iter().rev() {
        if !text.contains("go") {
            continue;
        }
        let ins = &cx.doc.instructions[*n];
        let wd = &workdirs[*n - stage.instructions.start];
        let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
        let Some(go) = script.commands.iter().rev().find(|c| {
            c.program() == Some("go")
                && c.args().first().and_then(|w| w.value.as_deref()) == Some("build")
        }) else {
            continue;
        };
        let Some(cwd) = go.cwd.clone() else {
            return unknown(
                Reason::ArtifactUnknown,
                "cannot tell the folder `go build` runs in",
            );
        };
        let (output, packages) = output_and_packages(&go.args()[1..]);
        let (path, source) = binary_path(cx, stage, *n, &cwd, output, &packages)?;
        return Ok(Artifact {
            ecosystem: Ecosystem::Go,
            path,
            built_by: *n,
            source,
        });
    }
    unknown(Reason::ArtifactUnknown, "no `go build` step")
}

/// True when the folder `go build` runs in got the context root (`COPY . .`
/// into the WORKDIR in effect at instruction `n`), so go.mod names its module.
fn cwd_is_context_root(cx: &Context, stage: &Stage, n: usize) -> bool {
    let workdirs = workdirs(cx, stage);
    let wd = &workdirs[n - stage.instructions.start];
    (stage.instructions.start..n).any(|i| {
        let ins = &cx.doc.instructions[i];
        matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            && ins.flag("from").is_none()
            && ins.words().len() == 2
            && matches!(ins.words()[0].value.as_str(), "." | "./")
            && join(
                &workdirs[i - stage.instructions.start],
                &ins.words()[1].value,
            ) == *wd
    })
}

/// `go build`'s arguments: the `-o` value (`Some(None)` when it is not a
/// plain word) and the packages (each `None` when not a plain word).
fn output_and_packages(args: &[ShellWord]) -> (Option<Option<String>>, Vec<Option<String>>) {
    let mut output: Option<Option<String>> = None;
    let mut packages = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let v = w.value.as_deref().unwrap_or("");
        if v == "-o" || v == "--o" {
            output = Some(args.get(i + 1).and_then(|w| w.value.clone()));
            i += 2;
            continue;
        }
        if let Some(o) = v.strip_prefix("-o=").or_else(|| v.strip_prefix("--o=")) {
            output = Some(w.value.as_ref().map(|_| o.to_string()));
        } else if v.starts_with('-') {
            // flags with a separate value
            if GO_FLAGS_WITH_VALUE.contains(&v.trim_start_matches('-')) {
                i += 1;
            }
        } else {
            packages.push(w.value.clone());
        }
        i += 1;
    }
    (output, packages)
}

/// `go build` flags whose value is the next word.
const GO_FLAGS_WITH_VALUE: &[&str] = &[
    "ldflags",
    "gcflags",
    "asmflags",
    "tags",
    "mod",
    "modfile",
    "overlay",
    "p",
    "pgo",
    "buildmode",
    "compiler",
    "gccgoflags",
    "installsuffix",
    "pkgdir",
    "toolexec",
    "C",
];

/// The binary's absolute path and what named it: `-o`, else go.mod's
/// module (building `.` at the context root), the first file's name or the
/// package folder's name.
fn binary_path(
    cx: &Context,
    stage: &Stage,
    n: usize,
    cwd: &str,
    output: Option<Option<String>>,
    packages: &[Option<String>],
) -> Result<(String, String), Unknown> {
    match output {
        Some(Some(o)) if plain(&o) && !o.ends_with('/') => {
            return Ok((join(cwd, &o), "`-o`".to_string()));
        }
        Some(o) => {
            return unknown(
                Reason::ArtifactUnknown,
                format!(
                    "cannot tell the binary's path from `-o {}`",
                    o.as_deref().unwrap_or("…")
                ),
            );
        }
        None => {}
    }
    match packages {
        [] | [Some(_)]
            if packages
                .first()
                .is_none_or(|p| p.as_deref() == Some(".") || p.as_deref() == Some("./")) =>
        {
            match go_module_name(cx) {
                Some(m) if plain(&m) && !m.is_empty() && cwd_is_context_root(cx, stage, n) => {
                    Ok((join(cwd, &m), "go.mod".to_string()))
                }
                _ => unknown(
                    Reason::ArtifactUnknown,
                    "`go build` without `-o`, and no go.mod at hand to name the binary",
                ),
            }
        }
        [Some(p)] if p.ends_with(".go") && plain(p) => {
            let name = p.rsplit('/').next().unwrap_or(p).trim_end_matches(".go");
            Ok((join(cwd, name), "the first file's name".to_string()))
        }
        [Some(p)] if plain(p) && !p.contains("...") => {
            let name = p.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if name.is_empty() || name == "." || name == ".." {
                return unknown(
                    Reason::ArtifactUnknown,
                    format!("cannot name the binary of `go build {p}`"),
                );
            }
            Ok((join(cwd, name), "the package folder's name".to_string()))
        }
        _ => unknown(
            Reason::ArtifactUnknown,
            "`go build` of several packages without `-o`: cannot name the binary",
        ),
    }
}

/// The last element of go.mod's `module` path, when the build context has a go.mod.
fn go_module_name(cx: &Context) -> Option<String> {
    read(cx, "go.mod").and_then(|m| {
        m.lines().find_map(|l| {
            l.strip_prefix("module ").map(|m| {
                m.trim()
                    .trim_matches('"')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
        })
    })
}

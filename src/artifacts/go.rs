//! The Go binary a `go build` writes.

use super::*;
use crate::recipes::recipes;
use crate::shell::{Command as ShellCommand, Script, ShellEnv, ShellWord};

/// The Go binary of the last `go build`: `-o PATH` resolved against the
/// folder the command runs in (WORKDIR and any `cd` before it), else the
/// package's folder name, the first file's name, or go.mod's module name.
pub(crate) fn go_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    go_binary_with(cx, stage, scripts, false)
}

/// [`go_binary`], and also the names it does not infer because only the
/// final command can confirm them ([`name_inferred`]): a `go build` without
/// `-o` or go.mod at hand is named after its folder; without `go build`, the
/// binary of a `go install`. The caller checks that the command runs it.
pub(crate) fn go_binary_inferred(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    go_binary_with(cx, stage, scripts, true)
}

fn go_binary_with(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    infer: bool,
) -> Result<Artifact, Unknown> {
    let workdirs = workdirs(cx, stage);
    if let Some((n, go, cwd)) = last_go_command(cx, stage, scripts, &workdirs, "build")? {
        let (output, packages) = output_and_packages(&go.args()[1..]);
        let (path, source) = binary_path(cx, stage, n, &cwd, output, &packages)?;
        if source == FOLDER_NAME && !infer {
            return unknown(
                Reason::ArtifactUnknown,
                "`go build` without `-o`, and no go.mod at hand to name the binary",
            );
        }
        return Ok(Artifact {
            ecosystem: Ecosystem::Go,
            path,
            built_by: n,
            source,
        });
    }
    if !infer {
        return unknown(Reason::ArtifactUnknown, "no `go build` step");
    }
    go_installed(cx, stage, scripts, &workdirs)
}

/// How [`Artifact::source`] names a binary `go install` wrote.
pub(super) const GO_INSTALL: &str = "`go install`";

/// How [`Artifact::source`] names a binary named after the folder `go build` ran in.
pub(super) const FOLDER_NAME: &str = "the folder's name";

/// True when the binary's name was inferred (`go install`, the folder's
/// name) rather than written: callers accept it only when the command runs
/// that name or path.
pub(crate) fn name_inferred(binary: &Artifact) -> bool {
    binary.ecosystem == Ecosystem::Go
        && (binary.source == GO_INSTALL || binary.source == FOLDER_NAME)
}

/// `build`, `install` … when `c` runs `go SUBCOMMAND`.
pub(super) fn go_subcommand(c: &crate::shell::Command) -> Option<&str> {
    if c.program() != Some("go") {
        return None;
    }
    c.args().first().and_then(|w| w.value.as_deref())
}

/// The binary of the last `go install` of one package, in a stage without
/// `go build`: `$GOBIN/NAME`, else `$GOPATH/bin/NAME` (the golang image's
/// GOPATH is `/go`), NAME being the package path's last element (a major
/// version suffix `/v2` and `@version` left out; go.mod's module for `.`).
fn go_installed(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    workdirs: &[String],
) -> Result<Artifact, Unknown> {
    let Some((n, go, cwd)) = last_go_command(cx, stage, scripts, workdirs, "install")? else {
        return unknown(
            Reason::ArtifactUnknown,
            "no `go build` or `go install` step",
        );
    };
    let var = |name: &str| {
        go.var(name)
            .map(str::to_string)
            .or_else(|| env_value(cx, stage, name))
    };
    if var("GOOS").is_some() || var("GOARCH").is_some() {
        return unknown(
            Reason::ArtifactUnknown,
            "`go install` with GOOS/GOARCH set: a cross-compiled binary lands in a folder of its own",
        );
    }
    let (output, packages) = output_and_packages(&go.args()[1..]);
    if let [Some(p)] = packages.as_slice()
        && p.contains('@')
    {
        return unknown(
            Reason::ArtifactUnknown,
            format!(
                "`go install {p}` builds a downloaded module: its cgo use cannot be checked, and a tool installed this way (a hot-reloader, a debugger) may need the toolchain at run time"
            ),
        );
    }
    if output.is_some() {
        return unknown(
            Reason::ArtifactUnknown,
            "`go install -o`: cannot tell the binary",
        );
    }
    let name = match packages.as_slice() {
        [] => go_module_name(cx)
            .filter(|m| plain(m) && cwd_is_context_root(cx, stage, n))
            .or_else(|| Some(cwd.rsplit('/').next().unwrap_or("").to_string())),
        [Some(p)] if plain(p) && !p.contains("...") && p != "tool" => package_binary_name(p)
            .or_else(|| {
                matches!(p.as_str(), "." | "./")
                    .then(|| cwd.rsplit('/').next().unwrap_or("").to_string())
            }),
        _ => None,
    };
    let Some(name) = name.filter(|n| !n.is_empty() && plain(n)) else {
        return unknown(
            Reason::ArtifactUnknown,
            "`go install` of several packages (`./...`, `tool`) or of a path slimfile cannot read: cannot name the binary",
        );
    };
    let bin = install_dir(stage, var("GOBIN"), var("GOPATH"))?;
    Ok(Artifact {
        ecosystem: Ecosystem::Go,
        path: join(&bin, &name),
        built_by: n,
        source: GO_INSTALL.to_string(),
    })
}

/// Where `go install` puts binaries: `$GOBIN`, else `$GOPATH/bin`, else the golang
/// image's `/go/bin`; `Err` when the value cannot be read or the image is another.
fn install_dir(
    stage: &Stage,
    gobin: Option<String>,
    gopath: Option<String>,
) -> Result<String, Unknown> {
    let bin = match (gobin, gopath) {
        (Some(gobin), _) if gobin.starts_with('/') && plain(&gobin) => gobin,
        (Some(gobin), _) => {
            return unknown(
                Reason::ArtifactUnknown,
                format!("`go install` with GOBIN={gobin}: cannot tell where the binary lands"),
            );
        }
        (None, Some(gopath))
            if gopath.starts_with('/') && plain(&gopath) && !gopath.contains(':') =>
        {
            join(&gopath, "bin")
        }
        (None, Some(gopath)) => {
            return unknown(
                Reason::ArtifactUnknown,
                format!("`go install` with GOPATH={gopath}: cannot tell where the binary lands"),
            );
        }
        (None, None) if family_of(stage).is_some_and(|f| f.name == "golang") => {
            "/go/bin".to_string()
        }
        (None, None) => {
            return unknown(
                Reason::ArtifactUnknown,
                format!(
                    "`go install` on {}, which is not the official golang image: its GOPATH is not known",
                    stage.base_text
                ),
            );
        }
    };
    Ok(bin)
}

/// The last `go SUBCOMMAND` of the stage's RUN scripts, read with the shell
/// model at each RUN's WORKDIR: its instruction index, the command and the
/// folder it runs in; `Err` when that folder cannot be told.
fn last_go_command(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    workdirs: &[String],
    subcommand: &str,
) -> Result<Option<(usize, crate::shell::Command, String)>, Unknown> {
    for (n, text) in scripts.iter().rev() {
        if !text.contains("go") {
            continue;
        }
        let ins = &cx.doc.instructions[*n];
        let wd = &workdirs[*n - stage.instructions.start];
        let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
        let Some(go) = script
            .commands
            .iter()
            .rev()
            .find(|c| go_subcommand(c) == Some(subcommand))
        else {
            continue;
        };
        let Some(cwd) = go.cwd.clone() else {
            return unknown(
                Reason::ArtifactUnknown,
                format!("cannot tell the folder `go {subcommand}` runs in"),
            );
        };
        return Ok(Some((*n, go.clone(), cwd)));
    }
    Ok(None)
}

/// The binary name of package path `p`: its last element, a `@version`
/// and a major version suffix (`/v2`) left out; `None` for `.`.
fn package_binary_name(p: &str) -> Option<String> {
    let path = p.split('@').next().unwrap_or(p).trim_end_matches('/');
    let mut elements: Vec<&str> = path
        .split('/')
        .filter(|e| !e.is_empty() && *e != ".")
        .collect();
    if elements.len() > 1
        && elements.last().is_some_and(|e| {
            e.len() > 1 && e.starts_with('v') && e[1..].chars().all(|c| c.is_ascii_digit())
        })
    {
        elements.pop();
    }
    let last = *elements.last()?;
    (last != "..").then(|| last.to_string())
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
                // no go.mod at hand (GOPATH mode, or a module at the root):
                // named after the folder; callers check that the command runs it
                _ => match cwd.rsplit('/').next() {
                    Some(name) if !name.is_empty() && plain(name) => {
                        Ok((join(cwd, name), FOLDER_NAME.to_string()))
                    }
                    _ => unknown(
                        Reason::ArtifactUnknown,
                        "`go build` without `-o` in `/`, and no go.mod at hand to name the binary",
                    ),
                },
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
            l.strip_prefix("module ")
                .map(|m| package_binary_name(m.trim().trim_matches('"')).unwrap_or_default())
        })
    })
}

/// The `go build` command of the script that writes `binary` (its `-o`, or none).
pub(crate) fn writing_go_build<'s>(
    shell: &'s Script,
    binary: &Artifact,
) -> Option<&'s ShellCommand> {
    shell
        .commands
        .iter()
        .filter(|c| match go_subcommand(c) {
            Some("build") => true,
            Some("install") => binary.source == GO_INSTALL,
            _ => false,
        })
        .find(|c| {
            c.flag_value(&["-o"])
                .and_then(|v| v.value)
                .and_then(|o| c.resolve(&o))
                .is_none_or(|o| o == binary.path)
        })
}

/// A C library's headers the build installs (a `-dev` apt package that is
/// not a build tool): a reason to keep cgo on.
pub(crate) fn headers_installed(scripts: &[(usize, String)]) -> Option<String> {
    analysis::apt_packages(&analysis::joined(scripts))
        .into_iter()
        .find(|p| p.ends_with("-dev") && !recipes().packages.build_only.contains(p))
        .map(|p| format!("the build installs {p}, a C library's headers"))
}

/// Where a command starts, its `VAR=value` prefixes included: where
/// `CGO_ENABLED=0 ` is inserted.
pub(crate) fn command_start(go: &ShellCommand) -> Option<usize> {
    go.assignments
        .first()
        .and_then(|a| a.value.span.as_ref().map(|s| s.start - a.name.len() - 1))
        .or_else(|| {
            go.words
                .first()
                .and_then(|w| w.span.as_ref().map(|s| s.start))
        })
}

//! ### Go
//! `go build` (the output named by `-o`, resolved against the command's own
//! folder after any `cd`, or by the package or module name; with neither
//! `-o` nor go.mod at hand, by its folder, when the command runs that path),
//! or without `go build` a `go install` of one local package
//! (`$GOBIN/NAME`, else `$GOPATH/bin/NAME`, `/go/bin` on the golang image,
//! when the command runs that name or path; never `go install pkg@version`,
//! a downloaded tool whose cgo use cannot be checked): the binary on
//! `scratch` with CA certificates when cgo is off (`CGO_ENABLED=0` set, or
//! set by this pass because neither the sources, `vendor/`, nor the module
//! graph need cgo: `transforms/recipes.toml` lists well-known cgo modules);
//! otherwise on the builder's own libc: Alpine for an Alpine builder (musl),
//! Debian slim of the builder's suite for a Debian one, with CA certificates.
//! With `--prefer distroless` the static binary goes to distroless `static`
//! instead of scratch (its own CA bundle, tzdata and /etc/passwd).
//! A shell-form command without shell syntax becomes exec form on scratch;
//! one that needs a shell (or a HEALTHCHECK) keeps a runtime with a shell.
//! Folders the app reads at run time (`template.ParseGlob("templates/*")`,
//! `http.Dir("static")`, …, or `templates/`, `static/`, … next to the
//! sources) are carried unless `//go:embed` embeds them. Without the build
//! context at hand the file is left alone: cgo and run-time files cannot be
//! checked.

use super::{
    Artifact, Build, Context, Edit, Findings, Keyword, Plan, Recipe, Stage, artifact_or_skip,
    artifacts, builder_size, builds_on_alpine, copy_from_builder, recipes, runtime_setup, skip,
    toolchain_at_runtime,
};
use crate::reason::Reason;
use crate::shell::{Command as ShellCommand, Script, ShellEnv};

mod command;
mod runtime;

use crate::artifacts::go_sources::{Sources, read_sources};
use crate::artifacts::{command_start, headers_installed, writing_go_build};
use command::Command;
use runtime::{RuntimePackages, alpine_runtime_possible, apk_dev_packages, runtime_for};

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Go",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("go", "build") || build.has("go", "install")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let at = stage.base_span.start;
    if toolchain_at_runtime(cx, stage, &[("go", "run")], out) {
        return None;
    }
    let binary = app_binary(cx, stage, scripts, out)?;
    let sources = context_sources(cx, at, out)?;
    let musl = builds_on_alpine(stage);
    let mut why = String::from("the Go binary");
    let linking = linking_of(cx, stage, scripts, &sources, &binary, &mut why, out)?;
    let command = Command::read(cx, stage);
    let runs_other = runs_other_program(cx, stage, &command, &binary);
    let packages = RuntimePackages::of(cx, stage, scripts);
    if musl {
        alpine_runtime_possible(runs_other, &packages, at, out)?;
    }
    let needs_shell =
        command.needs_shell || runs_other || packages.needs_more || has_healthcheck(cx, stage);
    if packages.tzdata {
        why.push_str("; time zones (tzdata)");
    }
    let runtime = runtime_for(cx, stage, &linking, needs_shell, &packages, &mut why, out)?;
    if musl && apk_dev_packages(scripts) && !linking.statically {
        return skip(
            out,
            at,
            Reason::NotYet,
            "a cgo build on Alpine with -dev packages: the Go recipe does not install their runtime libraries (apk) in its Alpine runtime stage yet",
        );
    }
    let mut plan = Plan::new("Go", runtime.image, why);
    plan.builder_edits = linking.builder_edits;
    plan.setup = runtime_setup(stage, &runtime.packages);
    plan.sizes = (builder_size(stage), runtime.size_mb);
    let zoneinfo = packages.tzdata && (runtime.size_mb == Some(0.0) || musl);
    plan.copies = binary_copies(cx, &binary, &command, zoneinfo, !runtime.distroless);
    carry_assets(cx, stage, &sources, &mut plan, out)?;
    if !needs_shell {
        plan.command_rewrites = command.exec_forms;
    }
    if runs_other {
        plan.why
            .push_str("; the command runs a script, so the runtime keeps a shell");
    }
    Some(plan)
}

/// The binary the build writes, when it is the app: a name inferred from
/// the package or folder must be what the command runs (`None` after reporting).
fn app_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Artifact> {
    let binary = artifact_or_skip(
        artifacts::go_binary_inferred(cx, stage, scripts),
        stage,
        out,
    )?;
    if artifacts::name_inferred(&binary) && !command_runs(cx, stage, &binary) {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            format!(
                "the binary's name is inferred ({} → {}), and the command does not run that name or path: cannot tell that it is the app",
                binary.source, binary.path
            ),
        );
    }
    Some(binary)
}

/// How the `go build` that writes the binary links it (its own
/// CGO_ENABLED decides); `None` after reporting that no command writes it.
fn linking_of(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    sources: &Sources,
    binary: &Artifact,
    why: &mut String,
    out: &mut Findings,
) -> Option<Linking> {
    let n = binary.built_by;
    let wd = artifacts::workdir_at(cx, stage, n);
    let shell = Script::of(
        cx.text,
        &cx.doc.instructions[n],
        cx.doc.escape,
        &ShellEnv::at(&wd),
    );
    let Some(go) = writing_go_build(&shell, binary) else {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "cannot tell which `go build` command writes the binary",
        );
    };
    Some(Linking::decide(cx, stage, scripts, sources, go, why))
}

/// True when the stage has a HEALTHCHECK (its command runs in a shell or names tools).
fn has_healthcheck(cx: &Context, stage: &Stage) -> bool {
    stage
        .instructions
        .clone()
        .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck)
}

/// The build context's Go sources, or `None` after reporting why they cannot be read.
fn context_sources(cx: &Context, at: usize, out: &mut Findings) -> Option<Sources> {
    let Some(dir) = cx.build_context else {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            "no build context at hand: cannot check whether the app needs cgo or reads files of its source tree at run time",
        );
    };
    let sources = read_sources(dir);
    if let Some(why) = &sources.cut {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            format!("{why}: cannot check cgo and the files the app reads at run time"),
        );
    }
    Some(sources)
}

/// Whether the binary is linked statically, and the builder edit that makes it so.
struct Linking {
    statically: bool,
    /// `CGO_ENABLED=0 ` inserted before the `go build` command, when set by this pass.
    builder_edits: Vec<Edit>,
}

impl Linking {
    /// Static when `CGO_ENABLED=0` is set, or when nothing needs cgo (then
    /// this pass sets it); says which in `why`.
    fn decide(
        cx: &Context,
        stage: &Stage,
        scripts: &[(usize, String)],
        sources: &Sources,
        go: &ShellCommand,
        why: &mut String,
    ) -> Linking {
        let mut builder_edits = Vec::new();
        let cgo_var = go
            .var("CGO_ENABLED")
            .map(str::to_string)
            .or_else(|| artifacts::env_value(cx, stage, "CGO_ENABLED"));
        let cgo_off = cgo_var.as_deref() == Some("0");
        let cgo_reason = sources
            .cgo
            .clone()
            .or_else(|| headers_installed(scripts))
            .or_else(|| {
                cgo_var
                    .as_deref()
                    .filter(|v| *v != "0")
                    .map(|v| format!("CGO_ENABLED={v}"))
            });
        let statically = if cgo_off {
            true
        } else if let Some(reason) = &cgo_reason {
            why.push_str(&format!(" (cgo stays on: {reason})"));
            false
        } else {
            // set CGO_ENABLED=0 on that go build command
            match command_start(go) {
                Some(s) => {
                    builder_edits.push(Edit::insert(s, "CGO_ENABLED=0 "));
                    why.push_str(
                        " (CGO_ENABLED=0 set: neither the sources nor the modules use cgo)",
                    );
                    true
                }
                None => false,
            }
        };
        Linking {
            statically,
            builder_edits,
        }
    }
}

/// True when the final command's program is the binary: its path, or its
/// name looked up on the PATH.
fn command_runs(cx: &Context, stage: &Stage, binary: &Artifact) -> bool {
    let Some(program) = Command::read(cx, stage).program else {
        return false;
    };
    let name = binary.path.rsplit('/').next().unwrap_or("");
    if program.contains('/') {
        let wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
        artifacts::join(&wd, &program) == binary.path
    } else {
        // a bare name: the binary's folder must be on the PATH the original runs with
        let dir = binary.path.rsplit_once('/').map_or("", |(d, _)| d);
        let golang_bin =
            dir == "/go/bin" && artifacts::family_of(stage).is_some_and(|f| f.name == "golang");
        let on_path =
            artifacts::env_value(cx, stage, "PATH").is_some_and(|p| p.split(':').any(|e| e == dir));
        program == name && (on_default_path(&binary.path) || golang_bin || on_path)
    }
}

/// True when the final command runs something other than the built binary (a script?).
fn runs_other_program(cx: &Context, stage: &Stage, command: &Command, binary: &Artifact) -> bool {
    let binary_name = binary.path.rsplit('/').next().unwrap_or("");
    command.program.as_deref().is_some_and(|p| {
        let abs = artifacts::join(&artifacts::workdir_at(cx, stage, stage.instructions.end), p);
        p.rsplit('/').next() != Some(binary_name) || (p.contains('/') && abs != binary.path)
    })
}

/// The runtime's copies of CA certificates (when `certificates`), time zones
/// (when `zoneinfo`) and the binary.
fn binary_copies(
    cx: &Context,
    binary: &Artifact,
    command: &Command,
    zoneinfo: bool,
    certificates: bool,
) -> Vec<String> {
    let mut copies = Vec::new();
    if certificates {
        copies.push(format!(
            "COPY --from={{builder}} {} /etc/ssl/certs/",
            recipes().go.ca_certificates
        ));
    }
    if zoneinfo {
        copies.push(copy_from_builder(
            cx,
            "/usr/share/zoneinfo",
            "/usr/share/zoneinfo",
        ));
    }
    // a bare command name is looked up on PATH: put the binary where the runtime finds it
    let dest = match command.program.as_deref() {
        Some(p)
            if !p.contains('/')
                && binary.path.rsplit('/').next() == Some(p)
                && !on_default_path(&binary.path) =>
        {
            format!("/usr/local/bin/{p}")
        }
        _ => binary.path.clone(),
    };
    copies.push(copy_from_builder(cx, &binary.path, &dest));
    copies
}

/// Copies the folders the app reads at run time, or reports (`None`) that
/// the build context is not where the app runs.
fn carry_assets(
    cx: &Context,
    stage: &Stage,
    sources: &Sources,
    plan: &mut Plan,
    out: &mut Findings,
) -> Option<()> {
    let workdir = artifacts::workdir_at(cx, stage, stage.instructions.end);
    if !sources.assets.is_empty() && !context_root_at(cx, stage, &workdir) {
        return skip(
            out,
            stage.base_span.start,
            Reason::RuntimeAssets,
            format!(
                "the app reads {} at run time, and the build context is not copied into {workdir}, where it runs",
                sources.assets.join(", ")
            ),
        );
    }
    for asset in &sources.assets {
        let path = artifacts::join(&workdir, asset);
        plan.copies.push(copy_from_builder(cx, &path, &path));
        plan.why.push_str(&format!("; {path} (read at run time)"));
    }
    Some(())
}

/// True when a `COPY . DIR` puts the build context's root at `dir`.
fn context_root_at(cx: &Context, stage: &Stage, dir: &str) -> bool {
    let workdirs = artifacts::workdirs(cx, stage);
    stage.instructions.clone().any(|i| {
        let ins = &cx.doc.instructions[i];
        let w = ins.words();
        matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            && ins.flag("from").is_none()
            && w.len() == 2
            && matches!(w[0].value.as_str(), "." | "./")
            && artifacts::join(&workdirs[i - stage.instructions.start], &w[1].value) == dir
    })
}

/// True when `path`'s folder is on the PATH a container gets by default.
fn on_default_path(path: &str) -> bool {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    matches!(
        dir,
        "/usr/local/sbin" | "/usr/local/bin" | "/usr/sbin" | "/usr/bin" | "/sbin" | "/bin"
    )
}

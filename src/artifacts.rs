//! What a stage builds, and where the result lands: the Go or Rust binary,
//! the Java jar, the .NET publish folder, a static site's output folder, a
//! `make install` prefix. Shared by split-stages (what the new runtime stage
//! copies) and narrow-copy (what a `COPY --from=` of a whole tree can shrink to).
//!
//! Everything is read from the Dockerfile and, when it is at hand, from the
//! manifests of the build context (go.mod, Cargo.toml, pom.xml,
//! settings.gradle, package.json). Nothing from the context is executed.
//! When a path cannot be named for sure the answer is [`Unknown`] with a
//! reason; callers then leave the file alone and say why.

use crate::reason::Reason;
use std::path::Path;

use crate::analysis::{self, tokens};
use crate::catalog;
use crate::context::Context;
use crate::model::Stage;
use crate::syntax::Keyword;

/// The ecosystems with a build recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Go,
    Rust,
    Java,
    DotNet,
    StaticSite,
    MakeInstall,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Go => "Go",
            Ecosystem::Rust => "Rust",
            Ecosystem::Java => "Java",
            Ecosystem::DotNet => ".NET",
            Ecosystem::StaticSite => "Node, static site",
            Ecosystem::MakeInstall => "make install",
        }
    }
}

/// A build output with an absolute path in the building stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub ecosystem: Ecosystem,
    pub path: String,
    /// The RUN instruction that builds it (index into the document).
    pub built_by: usize,
    /// How the path was found, for messages (`-o`, `go.mod`, `Cargo.toml` …).
    pub source: String,
}

/// Why no artifact could be named: a reason code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub code: Reason,
    pub message: String,
}

fn unknown<T>(code: Reason, message: impl Into<String>) -> Result<T, Unknown> {
    Err(Unknown {
        code,
        message: message.into(),
    })
}

/// The artifact of `stage`'s build: `None` when the stage builds nothing a
/// recipe knows, `Err` when it builds something whose output cannot be named.
pub fn built(cx: &Context, stage: &Stage) -> Option<Result<Artifact, Unknown>> {
    let scripts = analysis::run_scripts(cx.text, cx.doc, stage);
    let all = analysis::joined(&scripts);
    let t = tokens(&all);
    let has = |a: &str, b: &str| t.windows(2).any(|w| w[0] == a && w[1] == b);
    if has("go", "build") {
        return Some(go_binary(cx, stage, &scripts));
    }
    if has("cargo", "build") || has("cargo", "install") {
        return Some(rust_binary(cx, stage, &scripts));
    }
    if t.iter().any(|w| is_java_build_tool(w)) {
        return Some(java_jar(cx, stage, &scripts));
    }
    if has("dotnet", "publish") {
        return Some(dotnet_publish(cx, stage, &scripts));
    }
    if let Some(r) = static_site(cx, stage, &scripts) {
        return Some(r);
    }
    if make_installs(&all) {
        return Some(install_prefix(stage, &scripts));
    }
    None
}

pub fn is_java_build_tool(w: &str) -> bool {
    matches!(
        w,
        "mvn" | "./mvnw" | "mvnw" | "gradle" | "./gradlew" | "gradlew"
    )
}

/// True when a script runs `make install` (or `make ... install`, `cmake --install`).
pub fn make_installs(script: &str) -> bool {
    script.split(['\n', ';', '&', '|']).any(|command| {
        let t = tokens(command);
        (t.first() == Some(&"make") && t.contains(&"install"))
            || (t.first() == Some(&"cmake") && t.get(1) == Some(&"--install"))
    })
}

/// WORKDIR in effect before instruction `n` of `stage` (absolute).
///
/// A stage that sets no WORKDIR works in its base image's default folder
/// (golang's `/go`), when `transforms/images.toml` knows it.
pub fn workdir_at(cx: &Context, stage: &Stage, n: usize) -> String {
    let mut dir = crate::image_config::config_of(stage.effective_base())
        .map_or_else(|| "/".to_string(), |c| c.workdir.clone());
    for i in stage.instructions.start..n {
        let ins = &cx.doc.instructions[i];
        if ins.keyword == Keyword::Workdir
            && let Some(w) = ins.words().first()
        {
            dir = join(&dir, &w.value);
        }
    }
    dir
}

/// The WORKDIR in effect before each instruction of `stage` (index 0: its
/// FROM), and after the last one: [`workdir_at`] for all of them in one pass.
pub fn workdirs(cx: &Context, stage: &Stage) -> Vec<String> {
    let mut dir = crate::image_config::config_of(stage.effective_base())
        .map_or_else(|| "/".to_string(), |c| c.workdir.clone());
    let mut out = Vec::with_capacity(stage.instructions.len() + 1);
    for i in stage.instructions.clone() {
        out.push(dir.clone());
        let ins = &cx.doc.instructions[i];
        if ins.keyword == Keyword::Workdir
            && let Some(w) = ins.words().first()
        {
            dir = join(&dir, &w.value);
        }
    }
    out.push(dir);
    out
}

/// `path` resolved against `dir` (absolute paths are kept; `./` dropped).
pub fn join(dir: &str, path: &str) -> String {
    if path.starts_with('/') {
        return normalize(path);
    }
    normalize(&format!("{}/{}", dir.trim_end_matches('/'), path))
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The stage's ENTRYPOINT and CMD as one text (the last of each).
pub fn final_command(cx: &Context, stage: &Stage) -> String {
    let last = |k: Keyword| {
        stage
            .instructions
            .clone()
            .rev()
            .map(|n| &cx.doc.instructions[n])
            .find(|i| i.keyword == k)
            .map(|i| analysis::script(cx.text, i))
            .unwrap_or_default()
    };
    format!("{} {}", last(Keyword::Entrypoint), last(Keyword::Cmd))
        .trim()
        .to_string()
}

/// The value after `flag` (`-o out`, `-o=out`, `--output out`).
pub fn flag_value<'a>(t: &[&'a str], flags: &[&str]) -> Option<&'a str> {
    for (i, w) in t.iter().enumerate() {
        for f in flags {
            if w == f {
                return t.get(i + 1).copied();
            }
            if let Some(v) = w.strip_prefix(f).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        }
    }
    None
}

/// ENV and ARG text of the stage, for `NAME=value` lookups.
pub fn env_value(cx: &Context, stage: &Stage, name: &str) -> Option<String> {
    let mut found = None;
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            for (k, v) in cx.model.pairs(cx.doc, n) {
                if k == name {
                    found = v;
                }
            }
        }
    }
    found
}

fn read(cx: &Context, file: &str) -> Option<String> {
    cx.read(file)
}

/// The last RUN whose script's tokens satisfy `pred`.
fn last_run_with(
    scripts: &[(usize, String)],
    pred: impl Fn(&[&str]) -> bool,
) -> Option<&(usize, String)> {
    scripts.iter().rev().find(|(_, s)| pred(&tokens(s)))
}

fn pair(t: &[&str], a: &str, b: &str) -> bool {
    t.windows(2).any(|w| w[0] == a && w[1] == b)
}

/// `value` must be a plain path: no variables, globs or command substitution.
fn plain(value: &str) -> bool {
    !value.is_empty() && !value.contains(['$', '*', '?', '[', '{', '`'])
}

/// The Go binary of the last `go build`: `-o PATH` resolved against the
/// folder the command runs in (WORKDIR and any `cd` before it), else the
/// package's folder name, the first file's name, or go.mod's module name.
pub fn go_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    use crate::shell::{Script, ShellEnv};
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
        let args = &go.args()[1..];
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
                if matches!(
                    v.trim_start_matches('-'),
                    "ldflags"
                        | "gcflags"
                        | "asmflags"
                        | "tags"
                        | "mod"
                        | "modfile"
                        | "overlay"
                        | "p"
                        | "pgo"
                        | "buildmode"
                        | "compiler"
                        | "gccgoflags"
                        | "installsuffix"
                        | "pkgdir"
                        | "toolexec"
                        | "C"
                ) {
                    i += 1;
                }
            } else {
                packages.push(w.value.clone());
            }
            i += 1;
        }
        let (path, source) = match output {
            Some(Some(o)) if plain(&o) && !o.ends_with('/') => (join(&cwd, &o), "`-o`".to_string()),
            Some(o) => {
                return unknown(
                    Reason::ArtifactUnknown,
                    format!(
                        "cannot tell the binary's path from `-o {}`",
                        o.as_deref().unwrap_or("…")
                    ),
                );
            }
            None => match packages.as_slice() {
                [] | [Some(_)]
                    if packages.first().is_none_or(|p| {
                        p.as_deref() == Some(".") || p.as_deref() == Some("./")
                    }) =>
                {
                    let module = read(cx, "go.mod").and_then(|m| {
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
                    });
                    match module {
                        Some(m)
                            if plain(&m) && !m.is_empty() && cwd_is_context_root(cx, stage, *n) =>
                        {
                            (join(&cwd, &m), "go.mod".to_string())
                        }
                        _ => {
                            return unknown(
                                Reason::ArtifactUnknown,
                                "`go build` without `-o`, and no go.mod at hand to name the binary",
                            );
                        }
                    }
                }
                [Some(p)] if p.ends_with(".go") && plain(p) => {
                    let name = p.rsplit('/').next().unwrap_or(p).trim_end_matches(".go");
                    (join(&cwd, name), "the first file's name".to_string())
                }
                [Some(p)] if plain(p) && !p.contains("...") => {
                    let name = p.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    if name.is_empty() || name == "." || name == ".." {
                        return unknown(
                            Reason::ArtifactUnknown,
                            format!("cannot name the binary of `go build {p}`"),
                        );
                    }
                    (join(&cwd, name), "the package folder's name".to_string())
                }
                _ => {
                    return unknown(
                        Reason::ArtifactUnknown,
                        "`go build` of several packages without `-o`: cannot name the binary",
                    );
                }
            },
        };
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

/// The binary of `cargo build` (`target/<profile>/<bin>`) or `cargo install`
/// (`$CARGO_HOME/bin/<bin>`), named by `--bin` or Cargo.toml.
pub fn rust_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| {
        pair(t, "cargo", "build") || pair(t, "cargo", "install")
    }) else {
        return unknown(Reason::ArtifactUnknown, "no `cargo build` step");
    };
    let t = tokens(script);
    let dir = workdir_at(cx, stage, *n);
    let manifest = read(cx, "Cargo.toml").and_then(|s| s.parse::<toml::Table>().ok());
    let bin = match flag_value(&t, &["--bin"]) {
        Some(b) if plain(b) => b.to_string(),
        Some(b) => return unknown(Reason::ArtifactUnknown, format!("cannot read `--bin {b}`")),
        None => match &manifest {
            Some(m) => match cargo_bin_name(m) {
                Ok(b) => b,
                Err(why) => return unknown(Reason::ArtifactUnknown, why),
            },
            None => {
                return unknown(
                    Reason::ArtifactUnknown,
                    "`cargo build` without `--bin`, and no Cargo.toml at hand to name the binary",
                );
            }
        },
    };
    if pair(&t, "cargo", "install") {
        let root = match flag_value(&t, &["--root"]) {
            Some(r) => join(&dir, r),
            None => env_value(cx, stage, "CARGO_HOME").unwrap_or("/usr/local/cargo".into()),
        };
        if !plain(&root) {
            return unknown(Reason::ArtifactUnknown, "cannot tell cargo's install root");
        }
        return Ok(Artifact {
            ecosystem: Ecosystem::Rust,
            path: join(&root, &format!("bin/{bin}")),
            built_by: *n,
            source: "cargo install".into(),
        });
    }
    let profile = match flag_value(&t, &["--profile"]) {
        Some("dev") => "debug".to_string(),
        Some(p) => p.to_string(),
        None if t.contains(&"--release") || t.contains(&"-r") => "release".into(),
        None => "debug".into(),
    };
    let target_dir = flag_value(&t, &["--target-dir"])
        .map(str::to_string)
        .or_else(|| env_value(cx, stage, "CARGO_TARGET_DIR"))
        .unwrap_or_else(|| "target".into());
    let triple = flag_value(&t, &["--target"]);
    let mut path = join(&dir, &target_dir);
    if let Some(triple) = triple {
        path = join(&path, triple);
    }
    path = join(&path, &format!("{profile}/{bin}"));
    if !plain(&path) {
        return unknown(
            Reason::ArtifactUnknown,
            format!("cannot tell the binary's path ({path})"),
        );
    }
    Ok(Artifact {
        ecosystem: Ecosystem::Rust,
        path,
        built_by: *n,
        source: if flag_value(&t, &["--bin"]).is_some() {
            "`--bin`".into()
        } else {
            "Cargo.toml".into()
        },
    })
}

/// The binary a Cargo.toml builds: its only `[[bin]]`, else the package name.
fn cargo_bin_name(m: &toml::Table) -> Result<String, String> {
    if m.contains_key("workspace") && !m.contains_key("package") {
        return Err("Cargo.toml is a workspace: name the binary with `--bin`".into());
    }
    if let Some(bins) = m.get("bin").and_then(|b| b.as_array()) {
        let names: Vec<&str> = bins
            .iter()
            .filter_map(|b| b.get("name").and_then(|n| n.as_str()))
            .collect();
        return match names.as_slice() {
            [one] => Ok(one.to_string()),
            _ => Err("Cargo.toml declares several binaries: name one with `--bin`".into()),
        };
    }
    m.get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .filter(|n| plain(n))
        .map(str::to_string)
        .ok_or_else(|| "Cargo.toml has no package name".into())
}

/// The jar of a Maven or Gradle build: the jar the command runs, else the
/// one pom.xml (`target/<finalName|artifactId-version>.jar`) or Gradle
/// (`build/libs/<rootProject.name>-<version>.jar`) names.
pub fn java_jar(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| t.iter().any(|w| is_java_build_tool(w)))
    else {
        return unknown(Reason::ArtifactUnknown, "no Maven or Gradle step");
    };
    let t = tokens(script);
    let maven = t.iter().any(|w| w.ends_with("mvn") || w.ends_with("mvnw"));
    let goal = if maven {
        t.iter()
            .any(|w| matches!(*w, "package" | "install" | "verify"))
    } else {
        t.iter().any(|w| {
            matches!(
                *w,
                "build" | "assemble" | "bootJar" | "jar" | "shadowJar" | "installDist"
            )
        })
    };
    if !goal {
        return unknown(
            Reason::ArtifactUnknown,
            "the Maven/Gradle step does not package a jar",
        );
    }
    let dir = workdir_at(cx, stage, *n);
    // The command's jar: resolved against the WORKDIR in effect at the command.
    let command = final_command(cx, stage);
    let ct = tokens(&command);
    if let Some(jar) = ct
        .windows(2)
        .find(|w| w[0] == "-jar")
        .map(|w| w[1])
        .filter(|j| j.ends_with(".jar") && plain(j))
    {
        let at = workdir_at(cx, stage, stage.instructions.end);
        return Ok(Artifact {
            ecosystem: Ecosystem::Java,
            path: join(&at, jar),
            built_by: *n,
            source: "the command's `-jar`".into(),
        });
    }
    let named = if maven { pom_jar(cx) } else { gradle_jar(cx) };
    match named {
        Ok(rel) => Ok(Artifact {
            ecosystem: Ecosystem::Java,
            path: join(&dir, &rel),
            built_by: *n,
            source: if maven {
                "pom.xml"
            } else {
                "Gradle build files"
            }
            .into(),
        }),
        Err(why) => unknown(Reason::ArtifactUnknown, why),
    }
}

fn pom_jar(cx: &Context) -> Result<String, String> {
    let text = read(cx, "pom.xml").ok_or("no pom.xml at hand to name the jar")?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("pom.xml: {e}"))?;
    let project = doc.root_element();
    let child = |name: &str| {
        project
            .children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::trim)
    };
    if project.children().any(|c| c.has_tag_name("modules")) {
        return Err("pom.xml is a multi-module build: cannot tell which jar runs".into());
    }
    if child("packaging").is_some_and(|p| p != "jar") {
        return Err("pom.xml does not package a jar".into());
    }
    let final_name = project
        .children()
        .find(|c| c.has_tag_name("build"))
        .and_then(|b| b.children().find(|c| c.has_tag_name("finalName")))
        .and_then(|f| f.text())
        .map(str::trim);
    let name = match (final_name, child("artifactId"), child("version")) {
        (Some(f), _, _) => f.to_string(),
        (None, Some(a), Some(v)) => format!("{a}-{v}"),
        _ => return Err("pom.xml names no artifactId and version".into()),
    };
    if !plain(&name) {
        return Err(format!("the jar name `{name}` uses properties"));
    }
    Ok(format!("target/{name}.jar"))
}

fn gradle_jar(cx: &Context) -> Result<String, String> {
    let settings = read(cx, "settings.gradle")
        .or_else(|| read(cx, "settings.gradle.kts"))
        .ok_or("no settings.gradle at hand to name the jar")?;
    let build = read(cx, "build.gradle")
        .or_else(|| read(cx, "build.gradle.kts"))
        .ok_or("no build.gradle at hand to name the jar")?;
    let assigned = |text: &str, key: &str| {
        text.lines().find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
            let v = rest.trim_matches(|c| c == '"' || c == '\'');
            (plain(v) && !v.contains(' ')).then(|| v.to_string())
        })
    };
    if settings.contains("include") {
        return Err("settings.gradle includes subprojects: cannot tell which jar runs".into());
    }
    let name = assigned(&settings, "rootProject.name")
        .ok_or("settings.gradle sets no rootProject.name")?;
    let version = assigned(&build, "version").ok_or("build.gradle sets no version")?;
    Ok(format!("build/libs/{name}-{version}.jar"))
}

/// The folder `dotnet publish -o DIR` writes.
pub fn dotnet_publish(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| pair(t, "dotnet", "publish")) else {
        return unknown(Reason::ArtifactUnknown, "no `dotnet publish` step");
    };
    let t = tokens(script);
    match flag_value(&t, &["-o", "--output"]) {
        Some(o) if plain(o) => Ok(Artifact {
            ecosystem: Ecosystem::DotNet,
            path: join(&workdir_at(cx, stage, *n), o),
            built_by: *n,
            source: "`-o`".into(),
        }),
        _ => unknown(
            Reason::ArtifactUnknown,
            "`dotnet publish` without a plain `-o DIR`: cannot tell the publish folder",
        ),
    }
}

/// The output folder of a static front-end build (`npm run build` with a
/// known tool in package.json's `build` script).
pub fn static_site(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Option<Result<Artifact, Unknown>> {
    let (n, _) = last_run_with(scripts, |t| {
        t.windows(2)
            .any(|w| matches!(w[0], "npm" | "yarn" | "pnpm") && matches!(w[1], "build" | "run"))
            && t.contains(&"build")
    })?;
    let pkg: serde_json::Value = serde_json::from_str(&read(cx, "package.json")?).ok()?;
    let script = pkg["scripts"]["build"].as_str()?;
    let tool = script.split_whitespace().next()?;
    let output = crate::recipes::static_output(tool)?;
    Some(Ok(Artifact {
        ecosystem: Ecosystem::StaticSite,
        path: join(&workdir_at(cx, stage, *n), output),
        built_by: *n,
        source: format!("package.json (`{tool}` builds to {output}/)"),
    }))
}

/// The prefix `make install` writes: `--prefix`, `PREFIX=`, `CMAKE_INSTALL_PREFIX`, else /usr/local.
pub fn install_prefix(stage: &Stage, scripts: &[(usize, String)]) -> Result<Artifact, Unknown> {
    let Some((n, _)) = scripts.iter().rev().find(|(_, s)| make_installs(s)) else {
        return unknown(Reason::ArtifactUnknown, "no `make install` step");
    };
    let all = analysis::joined(scripts);
    let t = tokens(&all);
    if t.iter().any(|w| w.starts_with("DESTDIR")) {
        return unknown(
            Reason::ArtifactUnknown,
            "`make install` with DESTDIR: cannot tell the installed tree",
        );
    }
    let prefix = flag_value(&t, &["--prefix"])
        .or_else(|| {
            t.iter().find_map(|w| {
                w.strip_prefix("PREFIX=")
                    .or_else(|| w.strip_prefix("prefix="))
                    .or_else(|| w.strip_prefix("-DCMAKE_INSTALL_PREFIX="))
            })
        })
        .unwrap_or("/usr/local");
    let prefix = normalize(prefix);
    let _ = stage;
    if !plain(&prefix) || !(prefix.starts_with("/usr/local") || prefix.starts_with("/opt/")) {
        return unknown(
            Reason::ArtifactUnknown,
            format!(
                "`make install` into {prefix}: only /usr/local and /opt/… prefixes can be copied whole"
            ),
        );
    }
    Ok(Artifact {
        ecosystem: Ecosystem::MakeInstall,
        path: prefix,
        built_by: *n,
        source: "the install prefix".into(),
    })
}

/// The official catalog family of the stage's base, if any.
pub fn family_of(stage: &Stage) -> Option<&'static catalog::Family> {
    catalog::catalog().family(stage.effective_base())
}

/// Folders in the build context's root that an app commonly reads at run
/// time (templates, static files, migrations …): the first one found.
pub fn runtime_asset_dir(context: &Path) -> Option<String> {
    const DIRS: &[&str] = &[
        "templates",
        "static",
        "public",
        "assets",
        "migrations",
        "config",
        "configs",
        "views",
        "web",
        "locales",
        "data",
    ];
    DIRS.iter()
        .find(|d| context.join(d).is_dir())
        .map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join("/app", "./out"), "/app/out");
        assert_eq!(join("/app/", "../bin/x"), "/bin/x");
        assert_eq!(join("/", "server"), "/server");
        assert_eq!(join("/app", "/usr/local/bin/x"), "/usr/local/bin/x");
    }

    #[test]
    fn flag_values() {
        let t = ["go", "build", "-o=/out/app", "."];
        assert_eq!(flag_value(&t, &["-o"]), Some("/out/app"));
        let t = ["dotnet", "publish", "--output", "out"];
        assert_eq!(flag_value(&t, &["-o", "--output"]), Some("out"));
    }

    #[test]
    fn make_install_forms() {
        assert!(make_installs("./configure && make && make install"));
        assert!(make_installs("make -j4 PREFIX=/opt/x install"));
        assert!(make_installs("cmake --install build"));
        assert!(!make_installs("make && echo install"));
    }

    #[test]
    fn cargo_bin_names() {
        let m: toml::Table = "[package]\nname = \"hello-web\"\n".parse().unwrap();
        assert_eq!(cargo_bin_name(&m).unwrap(), "hello-web");
        let m: toml::Table =
            "[package]\nname = \"x\"\n[[bin]]\nname = \"srv\"\npath = \"src/main.rs\"\n"
                .parse()
                .unwrap();
        assert_eq!(cargo_bin_name(&m).unwrap(), "srv");
        let m: toml::Table = "[workspace]\nmembers = [\"a\"]\n".parse().unwrap();
        assert!(cargo_bin_name(&m).is_err());
    }
}

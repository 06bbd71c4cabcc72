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

use crate::analysis::{self, strs, words};
use crate::catalog;
use crate::context::{BuildContext, Context};
use crate::model::Stage;
use crate::syntax::Keyword;

mod go;
pub(crate) mod go_sources;
mod java;
mod python;
mod rust;

pub(crate) use go::{
    command_start, go_binary, go_binary_inferred, headers_installed, name_inferred,
    writing_go_build,
};
pub(crate) use java::java_jar;
pub(crate) use python::{context_file, python_names};
pub(crate) use rust::rust_binary;

/// The ecosystems with a build recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ecosystem {
    Go,
    Rust,
    Java,
    DotNet,
    StaticSite,
    MakeInstall,
}

impl Ecosystem {
    pub(crate) fn name(self) -> &'static str {
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
pub(crate) struct Artifact {
    pub ecosystem: Ecosystem,
    pub path: String,
    /// The RUN instruction that builds it (index into the document).
    pub built_by: usize,
    /// How the path was found, for messages (`-o`, `go.mod`, `Cargo.toml` …).
    pub source: String,
}

/// Why no artifact could be named: a reason code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
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
pub(crate) fn built(cx: &Context, stage: &Stage) -> Option<Result<Artifact, Unknown>> {
    let scripts = analysis::run_scripts(cx.text, cx.doc, stage);
    let all = analysis::joined(&scripts);
    let w = words(&all);
    let t = strs(&w);
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

pub(crate) fn is_java_build_tool(w: &str) -> bool {
    matches!(
        w,
        "mvn" | "./mvnw" | "mvnw" | "gradle" | "./gradlew" | "gradlew"
    )
}

/// True when a script runs `make install` (or `make ... install`, `cmake --install`).
pub(crate) fn make_installs(script: &str) -> bool {
    analysis::command_words(script).iter().any(|t| {
        let first = t.first().map(String::as_str);
        (first == Some("make") && t.iter().any(|w| w == "install"))
            || (first == Some("cmake") && t.get(1).is_some_and(|w| w == "--install"))
    })
}

/// WORKDIR in effect before instruction `n` of `stage` (absolute).
///
/// A stage that sets no WORKDIR works in its base image's default folder
/// (golang's `/go`), when `transforms/images.toml` knows it.
pub(crate) fn workdir_at(cx: &Context, stage: &Stage, n: usize) -> String {
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

/// Each RUN of `stage` with its instruction index, read by the shell model
/// in the WORKDIR it runs in.
pub(crate) fn run_shells(
    cx: &Context,
    stage: &Stage,
) -> Vec<(usize, std::rc::Rc<crate::shell::Script>)> {
    use crate::shell::{Script, ShellEnv};
    let workdirs = workdirs(cx, stage);
    stage
        .instructions
        .clone()
        .filter(|&n| cx.doc.instructions[n].keyword == Keyword::Run)
        .map(|n| {
            let wd = &workdirs[n - stage.instructions.start];
            let ins = &cx.doc.instructions[n];
            (
                n,
                Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd)),
            )
        })
        .collect()
}

/// The WORKDIR in effect before each instruction of `stage` (index 0: its
/// FROM), and after the last one: [`workdir_at`] for all of them in one pass.
pub(crate) fn workdirs(cx: &Context, stage: &Stage) -> Vec<String> {
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
pub(crate) fn join(dir: &str, path: &str) -> String {
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

/// The stage's last instruction with keyword `k` (its CMD, ENTRYPOINT …).
pub(crate) fn last_instruction<'d>(
    cx: &Context<'d>,
    stage: &Stage,
    k: Keyword,
) -> Option<&'d crate::syntax::Instruction> {
    stage
        .instructions
        .clone()
        .rev()
        .map(|n| &cx.doc.instructions[n])
        .find(|i| i.keyword == k)
}

/// The words of the stage's command: its last ENTRYPOINT's, then its last
/// CMD's, each command's words in order (see [`analysis::instruction_words`]).
pub(crate) fn final_command_words(cx: &Context, stage: &Stage) -> Vec<String> {
    [Keyword::Entrypoint, Keyword::Cmd]
        .into_iter()
        .filter_map(|k| last_instruction(cx, stage, k))
        .flat_map(|ins| analysis::instruction_words(cx.text, ins, cx.doc.escape))
        .flatten()
        .collect()
}

/// The stage's ENTRYPOINT and CMD as one text (the last of each).
pub(crate) fn final_command(cx: &Context, stage: &Stage) -> String {
    let last = |k: Keyword| {
        last_instruction(cx, stage, k)
            .map(|i| analysis::script(cx.text, i))
            .unwrap_or_default()
    };
    format!("{} {}", last(Keyword::Entrypoint), last(Keyword::Cmd))
        .trim()
        .to_string()
}

/// The value after `flag` (`-o out`, `-o=out`, `--output out`).
pub(crate) fn flag_value<'a>(t: &[&'a str], flags: &[&str]) -> Option<&'a str> {
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
pub(crate) fn env_value(cx: &Context, stage: &Stage, name: &str) -> Option<String> {
    env_value_at(cx, stage, stage.instructions.end, name)
}

/// [`env_value`] as it stands before instruction `before` of the stage.
pub(crate) fn env_value_at(
    cx: &Context,
    stage: &Stage,
    before: usize,
    name: &str,
) -> Option<String> {
    let mut found = None;
    for n in stage.instructions.start..before.min(stage.instructions.end) {
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

/// The last RUN whose script's [`words`] satisfy `pred`.
fn last_run_with(
    scripts: &[(usize, String)],
    pred: impl Fn(&[&str]) -> bool,
) -> Option<&(usize, String)> {
    scripts.iter().rev().find(|(_, s)| pred(&strs(&words(s))))
}

fn pair(t: &[&str], a: &str, b: &str) -> bool {
    t.windows(2).any(|w| w[0] == a && w[1] == b)
}

/// `value` must be a plain path: no variables, globs or command substitution.
fn plain(value: &str) -> bool {
    !value.is_empty() && !value.contains(['$', '*', '?', '[', '{', '`'])
}

/// The folder `dotnet publish -o DIR` writes.
pub(crate) fn dotnet_publish(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| pair(t, "dotnet", "publish")) else {
        return unknown(Reason::ArtifactUnknown, "no `dotnet publish` step");
    };
    let w = words(script);
    let t = strs(&w);
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
pub(crate) fn static_site(
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
pub(crate) fn install_prefix(
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, _)) = scripts.iter().rev().find(|(_, s)| make_installs(s)) else {
        return unknown(Reason::ArtifactUnknown, "no `make install` step");
    };
    let all = analysis::joined(scripts);
    let w = words(&all);
    let t = strs(&w);
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
    let _ = stage;
    if !plain(prefix) {
        return unknown(
            Reason::ArtifactUnknown,
            format!("`make install` into `{prefix}`: cannot tell the installed tree"),
        );
    }
    let prefix = normalize(prefix);
    if !(prefix.starts_with("/usr/local") || prefix.starts_with("/opt/")) {
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
pub(crate) fn family_of(stage: &Stage) -> Option<&'static catalog::Family> {
    catalog::catalog().family(stage.effective_base())
}

/// Folders in the build context's root that an app commonly reads at run
/// time (templates, static files, migrations …): the first one found.
pub(crate) fn runtime_asset_dir(context: BuildContext) -> Option<String> {
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
        .find(|d| crate::context::is_dir(context, d))
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
}

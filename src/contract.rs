//! The runtime contract of a Dockerfile's final image, and the check that a
//! rewrite keeps it.
//!
//! The contract is what a deployment relies on: the final stage's ENV,
//! USER, WORKDIR (its effective value, the base image's default included),
//! ENTRYPOINT, CMD, EXPOSE, VOLUME, LABEL, HEALTHCHECK, STOPSIGNAL, SHELL and
//! ONBUILD, computed through `FROM <stage>` inheritance; every file the
//! command names (`./server`, `/app/app.py`, `java -jar /app/app.jar`) that
//! the stages provide; and the programs the command runs (`python`, `node`,
//! `sh` for a shell form) where the base image is known to have them.
//!
//! The engine computes the input's contract once and drops any change whose
//! result would differ (see [`broken`]). The only differences allowed are
//! ones that cannot change what the app sees: a shell-form command without
//! shell syntax written as the same argv in exec form, a new ENV variable the
//! original image did not set, and directories prepended to PATH.

use std::collections::{BTreeMap, BTreeSet};

use crate::artifacts;
use crate::context::Context;
use crate::image_config;
use crate::model::{Model, Stage};
use crate::shell::{Script, ShellEnv};
use crate::syntax::{Args, Document, Instruction, Keyword};
use config::ConfigReading;

/// What the final image promises to whoever runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// `ENV NAME`, `USER`, `WORKDIR`, `CMD`, `EXPOSE`, `LABEL key`, … → value.
    pub config: BTreeMap<String, String>,
    /// Absolute files the command names that the stages provide.
    pub files: BTreeSet<String>,
    /// Programs the command runs that the final image has.
    pub programs: BTreeSet<String>,
    /// Absolute paths the command's arguments or an ENV value name
    /// (`--model /models/m.joblib`, `ENV MODEL_DIR=/models`) that a build
    /// step wrote: a COPY/ADD or a RUN write slimfile can resolve, in the
    /// final stage or a stage it copies from.
    pub written: BTreeSet<String>,
    /// ENV variables the final stage's base image sets (for PATH-style additions).
    base_env: BTreeSet<String>,
    /// The known values of those (`LANG=C.UTF-8`).
    base_env_values: BTreeMap<String, String>,
}

/// Shell builtins: a shell form that starts with one needs only the shell.
const SHELL_BUILTINS: &[&str] = &[
    "cd", "exec", "export", "set", ".", "source", "[", "test", "echo", "printf", "true", "false",
    "eval", "trap", "ulimit", "umask", "wait", ":",
];

/// Interpreters whose first file argument is the program that runs.
const INTERPRETERS: &[&str] = &[
    "python", "python3", "python2", "node", "nodejs", "ruby", "php", "perl", "bash", "sh", "deno",
    "bun", "dotnet",
];

/// The contract of the document's final stage.
pub fn of(text: &str, doc: &Document, model: &Model) -> Option<Contract> {
    let last = model.stages.last()?;
    let cx = context(text, doc, model);
    let chain = chain(model, last.index);
    let root = &model.stages[*chain.first()?];
    let base = image_config::config_of(root.effective_base());
    let workdir = base.map_or_else(|| "/".to_string(), |b| b.workdir.clone());
    let mut reading = ConfigReading::new(workdir);
    for (depth, &s) in chain.iter().enumerate() {
        let stage = &model.stages[s];
        let own = depth + 1 == chain.len();
        for n in stage.instructions.clone().skip(1) {
            reading.apply(&doc.instructions[n], n, own);
        }
    }
    reading.finish(doc);
    let ConfigReading {
        mut config,
        workdir,
        mut entry,
        cmd,
        health,
        ..
    } = reading;
    // the base image's own ENTRYPOINT (distroless java, nodejs) runs with the CMD as its
    // arguments: compare the command they make together, its program by its name
    let base_entry = base_entrypoint(base).filter(|_| entry.is_none());
    if let Some(prefix) = &base_entry {
        config.insert("CMD".into(), command_with_entrypoint(prefix, &cmd));
        entry = Some((String::new(), prefix.clone()));
    }
    let entry_program = base_entry.as_ref().and_then(|e| e.first().cloned());
    let argv: Vec<String> = entry
        .iter()
        .chain(cmd.iter())
        .flat_map(|(_, a)| a.clone())
        .collect();
    let shell_form = [&entry, &cmd]
        .iter()
        .any(|c| c.as_ref().is_some_and(|(f, _)| f.starts_with("shell:")));
    let mut files = BTreeSet::new();
    for f in command_files(&argv, &workdir) {
        if provides(&cx, model, last.index, &f, 0) {
            files.insert(f);
        }
    }
    let wanted = wanted_programs(&argv, health.as_deref(), shell_form);
    let programs = present_programs(&cx, last.index, wanted, &path_dirs(&config), entry_program);
    let written = named_paths(&config, &argv)
        .into_iter()
        .filter(|p| !files.contains(p) && writes(&cx, model, last.index, p, 0))
        .collect();
    Some(Contract {
        config,
        files,
        programs,
        written,
        base_env: base
            .map(|b| b.env.iter().cloned().collect())
            .unwrap_or_default(),
        base_env_values: base.map(|b| b.env_values.clone()).unwrap_or_default(),
    })
}

/// The base image's ENTRYPOINT, its program by its name.
fn base_entrypoint(base: Option<&image_config::ImageConfig>) -> Option<Vec<String>> {
    base.and_then(|b| b.entrypoint.as_ref()).map(|e| {
        let mut argv = e.clone();
        if let Some(first) = argv.first_mut() {
            *first = crate::shell::basename(first).to_string();
        }
        argv
    })
}

/// The CMD's contract form when the base image's ENTRYPOINT `prefix` runs it.
fn command_with_entrypoint(prefix: &[String], cmd: &Option<(String, Vec<String>)>) -> String {
    match cmd {
        Some((form, args)) if form.starts_with("argv:") => {
            let whole: Vec<String> = prefix.iter().chain(args).cloned().collect();
            format!("argv:{whole:?}")
        }
        Some((form, _)) => format!("entrypoint {prefix:?}, {form}"),
        None => format!("argv:{prefix:?}"),
    }
}

/// Of the `wanted` programs, those the final stage `last` has (or may have): the
/// base's ENTRYPOINT program, one its image or a step provides, one on its PATH.
fn present_programs(
    cx: &Context,
    last: usize,
    wanted: Vec<String>,
    path_dirs: &[String],
    entry_program: Option<String>,
) -> BTreeSet<String> {
    let model = cx.model;
    let mut programs = BTreeSet::new();
    for p in wanted {
        let on_path = || {
            path_dirs
                .iter()
                .any(|d| provides(cx, model, last, &artifacts::join(d, &p), 0))
        };
        if entry_program.as_deref() == Some(p.as_str())
            || has_program(cx, model, last, &p) != Some(false)
            || on_path()
        {
            programs.insert(p);
        }
    }
    programs
}

/// The programs the final image must have: the command's and the health
/// check's (those named by path are files, checked apart; builtins need only
/// the shell), and `sh` for a shell-form command.
fn wanted_programs(argv: &[String], health: Option<&[String]>, shell_form: bool) -> Vec<String> {
    let mut wanted: Vec<String> = argv
        .first()
        .filter(|p| !p.contains('/'))
        .map(|p| crate::shell::basename(p).to_string())
        .into_iter()
        .chain(
            health
                .and_then(|h| h.first())
                .filter(|p| !p.contains('/'))
                .map(|p| crate::shell::basename(p).to_string()),
        )
        .filter(|p| !SHELL_BUILTINS.contains(&p.as_str()))
        .collect();
    if shell_form {
        wanted.push("sh".into());
    }
    wanted
}

/// What `after` breaks of `before`, one sentence each (empty: the contract holds).
///
/// ```
/// use slimfile::{contract, model::Model, syntax};
/// let read = |t: &str| {
///     let d = syntax::parse(t).unwrap();
///     let m = Model::build(&d);
///     contract::of(t, &d, &m).unwrap()
/// };
/// let before = read("FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCMD /app/server --port 80\n");
/// let split = "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nFROM scratch\nWORKDIR /app\nCOPY --from=builder /app/server /app/server\nCMD [\"/app/server\", \"--port\", \"80\"]\n";
/// assert!(contract::broken(&before, &read(split)).is_empty());
/// let lost = "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nFROM scratch\nWORKDIR /app\nCMD [\"/app/server\", \"--port\", \"80\"]\n";
/// assert_eq!(contract::broken(&before, &read(lost)), ["the command's file /app/server is not in the final image"]);
/// ```
pub fn broken(before: &Contract, after: &Contract) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in &before.config {
        match after.config.get(k) {
            Some(a) if a == v => {}
            Some(a) if k == "ENV PATH" && a.ends_with(&format!(":{v}")) => {}
            Some(a) => out.push(format!("{k} changes from `{v}` to `{a}`")),
            None => out.push(format!("{k} `{v}` is lost")),
        }
    }
    for (k, a) in &after.config {
        if before.config.contains_key(k) {
            continue;
        }
        let allowed = match k.strip_prefix("ENV ") {
            Some("PATH") => a.ends_with(":$PATH") || a.ends_with(":${PATH}"),
            // a variable the original's base set, set to the same value
            Some(name) if before.base_env_values.get(name) == Some(a) => true,
            Some(name) => !before.base_env.contains(name),
            None => false,
        };
        if !allowed {
            out.push(format!("{k} `{a}` is added"));
        }
    }
    for f in &before.files {
        if !after.files.contains(f) {
            out.push(format!("the command's file {f} is not in the final image"));
        }
    }
    for p in &before.written {
        if !after.written.contains(p) {
            out.push(format!(
                "{p}, which the command or an ENV names and the build writes, is not in the final image"
            ));
        }
    }
    for p in &before.programs {
        if !after.programs.contains(p) {
            out.push(format!(
                "the command runs `{p}`, which the final image does not have"
            ));
        }
    }
    out
}

fn context<'a>(text: &'a str, doc: &'a Document, model: &'a Model) -> Context<'a> {
    static DEFAULT: std::sync::OnceLock<crate::config::Settings> = std::sync::OnceLock::new();
    Context {
        text,
        doc,
        model,
        settings: DEFAULT.get_or_init(crate::config::Settings::default),
        build_context: None,
    }
}

/// The stage and the stages it builds on, root first.
fn chain(model: &Model, stage: usize) -> Vec<usize> {
    let mut out = vec![stage];
    let mut s = &model.stages[stage];
    while let Some(b) = s.base_stage {
        if out.contains(&b) || out.len() > model.stages.len() {
            break;
        }
        out.push(b);
        s = &model.stages[b];
    }
    out.reverse();
    out
}

/// Whitespace folded, as a value to compare.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `ENV a=1 b="x y"` / `ENV a 1` → pairs, values as written (quotes removed).
fn env_pairs(ins: &Instruction) -> Vec<(String, String)> {
    let words = ins.words();
    match words.first() {
        Some(first) if !first.value.contains('=') => {
            let value = words[1..]
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            vec![(first.value.clone(), value)]
        }
        _ => words
            .iter()
            .filter_map(|w| w.value.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// A CMD/ENTRYPOINT as a comparable form and its argv: exec form and a
/// shell form without shell syntax compare as the same argv.
fn command_of(ins: &Instruction) -> (String, Vec<String>) {
    match &ins.args {
        Args::Exec(argv) => (format!("argv:{argv:?}"), argv.clone()),
        Args::Words(_) => {
            let text = ins.rest_text();
            let script = Script::parse(text, &ShellEnv::default());
            let plain = script.commands.len() == 1
                && !script.opaque_parts
                && script.commands[0].redirects.is_empty()
                && script.commands[0].assignments.is_empty()
                && script.commands[0]
                    .words
                    .iter()
                    .all(|w| w.value.is_some() && !w.pattern);
            if plain {
                let argv: Vec<String> = script.commands[0]
                    .words
                    .iter()
                    .filter_map(|w| w.value.clone())
                    .collect();
                (format!("argv:{argv:?}"), argv)
            } else {
                let argv = script
                    .commands
                    .first()
                    .map(|c| c.words.iter().filter_map(|w| w.value.clone()).collect())
                    .unwrap_or_default();
                (format!("shell:{}", squash(text)), argv)
            }
        }
    }
}

/// Files an argv names: a program given by path, the script an interpreter
/// runs, the jar `java -jar` runs; absolute, resolved against `workdir`.
fn command_files(argv: &[String], workdir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = argv.first() else {
        return out;
    };
    if first.contains('/') {
        out.push(artifacts::join(workdir, first));
    }
    let program = crate::shell::basename(first);
    if program == "java" {
        if let Some(i) = argv.iter().position(|a| a == "-jar")
            && let Some(jar) = argv.get(i + 1)
        {
            out.push(artifacts::join(workdir, jar));
        }
    } else if INTERPRETERS.contains(&program) {
        for a in &argv[1..] {
            if matches!(a.as_str(), "-c" | "-m" | "-e" | "--eval") {
                break;
            }
            if a.starts_with('-') {
                continue;
            }
            if a.contains('.') || a.contains('/') {
                out.push(artifacts::join(workdir, a));
            }
            break;
        }
    }
    out.retain(|p| !p.contains(['$', '*', '?']));
    out
}

/// True when `path` is or is under `dir`.
fn under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// True when stage `s` (or a stage it builds on) places `path`.
fn provides(cx: &Context, model: &Model, s: usize, path: &str, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let stage = &model.stages[s];
    let workdirs = artifacts::workdirs(cx, stage);
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let wd = &workdirs[n - stage.instructions.start];
        match ins.keyword {
            Keyword::Copy | Keyword::Add if copy_provides(cx, model, s, ins, wd, path, depth) => {
                return true;
            }
            Keyword::Run if run_provides(cx, ins, wd, path) => return true,
            _ => {}
        }
    }
    match stage.base_stage {
        Some(b) if b != s => provides(cx, model, b, path, depth + 1),
        _ => false,
    }
}

/// True when the COPY/ADD `ins` (at WORKDIR `wd` of stage `s`) places `path`: from
/// the build context or an image (cannot tell: yes), or from a stage that provides it.
fn copy_provides(
    cx: &Context,
    model: &Model,
    s: usize,
    ins: &Instruction,
    wd: &str,
    path: &str,
    depth: usize,
) -> bool {
    let mut parts: Vec<String> = match &ins.args {
        Args::Exec(e) => e.clone(),
        Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
    };
    let Some(dest) = parts.pop() else {
        return false;
    };
    let dest_abs = artifacts::join(wd, &dest);
    let into_dir = dest.ends_with('/') || parts.len() > 1;
    if !under(path, &dest_abs) {
        return false;
    }
    let from = ins.flag("from").and_then(|f| f.value.clone());
    let Some(from) = from else {
        return true; // from the build context
    };
    let crate::model::Target::Stage(k) = model.resolve(s, &from) else {
        return true; // an image or a named context: cannot tell
    };
    let rel = path[dest_abs.len()..].trim_start_matches('/');
    for src in &parts {
        if src.contains(['*', '?', '[', '$']) {
            return true;
        }
        let src_abs = artifacts::join("/", src);
        let candidate = if into_dir {
            let name = src_abs.rsplit('/').next().unwrap_or("");
            // a file lands as DEST/name; a folder's contents land in DEST
            let as_file = artifacts::join(&dest_abs, name);
            if under(path, &as_file)
                && provides(
                    cx,
                    model,
                    k,
                    &artifacts::join(&src_abs, &path[as_file.len()..]),
                    depth + 1,
                )
            {
                return true;
            }
            artifacts::join(&src_abs, rel)
        } else if rel.is_empty() {
            src_abs.clone()
        } else {
            artifacts::join(&src_abs, rel)
        };
        if provides(cx, model, k, &candidate, depth + 1) {
            return true;
        }
    }
    false
}

/// True when the RUN `ins` writes `path`, or may (a package install, a part the shell
/// model cannot read).
fn run_provides(cx: &Context, ins: &Instruction, wd: &str, path: &str) -> bool {
    let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
    // a package manager writes a whole tree (site-packages, node_modules, venv bin/)
    !script.installs().is_empty()
        || script.opaque_parts
        || script.writes_paths().iter().any(|w| match &w.path {
            Some(p) => under(path, p),
            None => true,
        })
}

/// Absolute paths the command's arguments (after the program and its
/// script) and the ENV values name: one path each, no variables or globs.
fn named_paths(config: &BTreeMap<String, String>, argv: &[String]) -> BTreeSet<String> {
    let plain = |p: &str| {
        p.starts_with('/') && p.len() > 1 && !p.contains(['$', '*', '?', ':', ' ', '\'', '"'])
    };
    let env = config
        .iter()
        .filter(|(k, _)| k.starts_with("ENV ") && k.as_str() != "ENV PATH")
        .map(|(_, v)| v.as_str());
    let args = argv
        .iter()
        .skip(1)
        .map(|a| a.split_once('=').map_or(a.as_str(), |(_, v)| v));
    env.chain(args)
        .filter(|p| plain(p))
        .map(|p| {
            let trimmed = p.trim_end_matches('/');
            if trimmed.is_empty() { "/" } else { trimmed }.to_string()
        })
        .filter(|p| p != "/")
        .collect()
}

/// True when a step of stage `s` (or of a stage it builds on or copies
/// from) surely writes `path`, a folder above it or a path under it: a
/// COPY/ADD placing it, or a RUN write the shell model resolves. Package
/// installs and scripts it cannot read do not count: they only may.
fn writes(cx: &Context, model: &Model, s: usize, path: &str, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let related = |a: &str, b: &str| under(a, b) || under(b, a);
    let stage = &model.stages[s];
    let workdirs = artifacts::workdirs(cx, stage);
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let wd = &workdirs[n - stage.instructions.start];
        match ins.keyword {
            Keyword::Copy | Keyword::Add => {
                let mut parts: Vec<String> = match &ins.args {
                    Args::Exec(e) => e.clone(),
                    Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
                };
                let Some(dest) = parts.pop() else { continue };
                let dest_abs = artifacts::join(wd, &dest);
                if !related(path, &dest_abs) {
                    continue;
                }
                let from = ins.flag("from").and_then(|f| f.value.clone());
                let Some(from) = from else { return true };
                let crate::model::Target::Stage(k) = model.resolve(s, &from) else {
                    return true; // an image or a named context: it places the path
                };
                for src in &parts {
                    // the path as it sits in the stage copied from
                    let src_abs = artifacts::join("/", src);
                    let inside = if under(path, &dest_abs) {
                        artifacts::join(&src_abs, path[dest_abs.len()..].trim_start_matches('/'))
                    } else {
                        src_abs.clone()
                    };
                    if src.contains(['*', '?', '[', '$'])
                        || writes(cx, model, k, &inside, depth + 1)
                    {
                        return true;
                    }
                }
            }
            Keyword::Run => {
                let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
                let written = script
                    .writes_paths()
                    .into_iter()
                    .filter_map(|w| w.path)
                    .any(|w| related(path, &w));
                if written {
                    return true;
                }
            }
            _ => {}
        }
    }
    match stage.base_stage {
        Some(b) if b != s => writes(cx, model, b, path, depth + 1),
        _ => false,
    }
}

/// The folders on the final image's PATH: its ENV PATH's literal entries and
/// the default a container gets.
fn path_dirs(config: &BTreeMap<String, String>) -> Vec<String> {
    let mut dirs: Vec<String> = config
        .get("ENV PATH")
        .map(|p| {
            p.split(':')
                .filter(|d| d.starts_with('/') && !d.contains('$'))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    for d in [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ] {
        if !dirs.iter().any(|x| x == d) {
            dirs.push(d.to_string());
        }
    }
    dirs
}

/// Whether the final image has `program`: `Some(true)`/`Some(false)` when
/// the base image's facts say, or a stage installs, copies or places it;
/// `None` when the base image is unknown.
fn has_program(cx: &Context, model: &Model, s: usize, program: &str) -> Option<bool> {
    let chain = chain(model, s);
    let root = &model.stages[*chain.first()?];
    let mut known = image_config::config_of(root.effective_base()).map(|c| c.has_program(program));
    for &k in &chain {
        let stage: &Stage = &model.stages[k];
        let workdirs = artifacts::workdirs(cx, stage);
        for n in stage.instructions.clone() {
            let ins = &cx.doc.instructions[n];
            match ins.keyword {
                Keyword::Run => {
                    let wd = &workdirs[n - stage.instructions.start];
                    let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(wd));
                    let installs = script.installs();
                    if installs.iter().any(|i| {
                        i.global
                            || i.packages
                                .iter()
                                .any(|p| package_provides(&p.name, program))
                    }) {
                        return Some(true);
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    let dest = ins
                        .words()
                        .last()
                        .map(|w| w.value.clone())
                        .unwrap_or_default();
                    if dest.ends_with(&format!("/{program}"))
                        || [
                            "/usr/local/bin",
                            "/usr/bin",
                            "/bin",
                            "/usr/local/sbin",
                            "/usr/sbin",
                        ]
                        .iter()
                        .any(|d| dest.trim_end_matches('/') == *d)
                    {
                        known = Some(
                            known.unwrap_or(false)
                                || provides(cx, model, s, &format!("/usr/local/bin/{program}"), 0)
                                || dest.ends_with(&format!("/{program}")),
                        );
                        if known == Some(true) {
                            return known;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    known
}

/// True when installing `package` gives the program `program`.
fn package_provides(package: &str, program: &str) -> bool {
    package == program
        || matches!(
            (package, program),
            ("nodejs", "node")
                | ("python3", "python")
                | ("python-is-python3", "python")
                | (
                    "openjdk-17-jre"
                        | "openjdk-17-jre-headless"
                        | "default-jre"
                        | "default-jre-headless",
                    "java"
                )
                | ("bash", "sh")
                | ("busybox", "sh")
        )
}

mod config;
#[cfg(test)]
mod tests;

//! # narrow-copy
//!
//! ## What it does
//! Three things about what gets copied, and when:
//!
//! 1. **Artifacts, not trees.** `COPY --from=builder /app /app` (or `/`)
//!    becomes a copy of only what the builder built, when its output is
//!    known: the Go or Rust binary, the jar, the .NET publish folder, the
//!    static site's output folder, the `make install` prefix (see
//!    `src/artifacts.rs`).
//! 2. **Dependency manifests before sources.** In any stage, `COPY . .`
//!    followed by a dependency install (`npm ci`, `npm install`, yarn, pnpm,
//!    `pip install -r FILE`) becomes: copy the manifests, install, copy the
//!    rest. For Go, `COPY go.mod go.sum ./` + `RUN go mod download` is put
//!    before `COPY . .` when a `go build` follows.
//! 3. **Whole build context in a runtime stage.** `COPY . .` in a stage that
//!    also copies from a builder is reported (it cannot be narrowed without
//!    knowing what the app reads at run time), unless a `.dockerignore` is there.
//!
//! ## Why is this bad?
//! Copying a builder's whole folder ships sources, caches and intermediate
//! files next to the one binary that runs. Installing dependencies after
//! `COPY . .` reinstalls them on every source change: the install layer is
//! never reused from the build cache.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! WORKDIR /app
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o server .
//!
//! FROM gcr.io/distroless/static
//! COPY --from=builder /app /app
//! CMD ["/app/server"]
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! WORKDIR /app
//! COPY go.mod go.sum ./
//! RUN go mod download
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o server .
//!
//! FROM gcr.io/distroless/static
//! COPY --from=builder /app/server /app/server
//! CMD ["/app/server"]
//! ```
//!
//! ## Fix safety
//! **review**. Narrowing is refused when the runtime stage's command or RUN
//! steps use other files from the copied tree, or when the build context has
//! folders apps commonly read at run time (templates, static, migrations …)
//! next to a Go or Rust binary. Reordering is refused when the manifests
//! cannot be named for sure (a requirements file with `-r`/`-e`/local paths,
//! `go.mod` with local `replace`s, no build context for pip or Go), when the
//! install is not the first command of the RUN, or when the manifests are
//! already copied first. Reason codes: `artifact-unknown`, `uses-tree`,
//! `runtime-assets`, `whole-context`.

use crate::reason::Reason;
use std::path::Path;

use super::{Context, Pass, line_end};
use crate::analysis::{self, tokens};
use crate::artifacts::{self, Ecosystem};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::{RefKind, Stage, Target};
use crate::syntax::{Args, Instruction, Keyword};

pub static PASS: Pass = Pass {
    id: "narrow-copy",
    summary: "copy built artifacts instead of whole trees; copy dependency manifests and install before the sources; report whole-context copies in runtime stages",
    safety: Safety::Review,
    doc: crate::pass_doc!("narrow_copy"),
    run,
};

const ID: &str = "narrow-copy";

fn run(cx: &Context, out: &mut Findings) {
    for r in &cx.model.refs {
        if r.kind == RefKind::CopyFrom
            && let Target::Stage(source) = r.target
        {
            narrow(cx, r.stage, source, r.instruction, out);
        }
    }
    let mut copies_from_stage = vec![false; cx.model.stages.len()];
    for r in &cx.model.refs {
        if r.kind == RefKind::CopyFrom && matches!(r.target, Target::Stage(_)) {
            copies_from_stage[r.stage] = true;
        }
    }
    for stage in &cx.model.stages {
        manifests_first(cx, stage, out);
        if copies_from_stage[stage.index] {
            whole_context(cx, stage, out);
        }
    }
}

/// `[source, dest]` of a shell-form COPY with exactly one source.
fn source_and_dest(
    ins: &Instruction,
) -> Option<(&crate::syntax::words::Word, &crate::syntax::words::Word)> {
    if !ins.heredocs.is_empty() {
        return None;
    }
    match &ins.args {
        Args::Words(w) if w.len() == 2 => Some((&w[0], &w[1])),
        _ => None,
    }
}

fn narrow(cx: &Context, target: usize, source: usize, n: usize, out: &mut Findings) {
    let ins = &cx.doc.instructions[n];
    if ins.keyword != Keyword::Copy {
        return;
    }
    let Some((src, dest)) = source_and_dest(ins) else {
        return;
    };
    if src.value.contains(['$', '*', '?', '[']) || dest.value.contains('$') {
        return;
    }
    let src_abs = artifacts::join("/", &src.value);
    let from = &cx.model.stages[source];
    let Some(artifact) = built_artifact(cx, from, &src_abs, src.span.start, out) else {
        return;
    };
    let inside = src_abs == "/" || artifact.path.starts_with(&format!("{src_abs}/"));
    if !inside || artifact.path == src_abs {
        return;
    }
    let stage = &cx.model.stages[target];
    let rel = &artifact.path[src_abs.len()..].trim_start_matches('/');
    let dest_abs = artifacts::join(&artifacts::workdir_at(cx, stage, n), &dest.value);
    let mapped_abs = artifacts::join(&dest_abs, rel);
    let mapped = if dest.value.starts_with('/') {
        mapped_abs.clone()
    } else {
        format!(
            "{}/{rel}",
            dest.value.trim_end_matches('/').trim_end_matches("/.")
        )
    };
    let copy = TreeCopy {
        at: src.span.start,
        src_abs: &src_abs,
        dest_abs: &dest_abs,
    };
    if tree_needed(cx, stage, n, &copy, &artifact, &mapped_abs, out) {
        return;
    }
    let edits = vec![
        Edit::replace(src.span.clone(), artifact.path.clone()),
        Edit::replace(dest.span.clone(), mapped.clone()),
    ];
    out.change(Change::new(
        ID,
        Safety::Review,
        format!(
            "copies only the {} artifact {} (named by {}) instead of the whole {src_abs}: sources, caches and intermediate files stay in `{}`",
            artifact.ecosystem.name(),
            artifact.path,
            artifact.source,
            from.name.clone().unwrap_or_else(|| source.to_string()),
        ),
        edits,
    ));
}

/// What the source stage builds, or `None` (with a note when the copy is of
/// a folder the stage works in and its artifact cannot be named).
fn built_artifact(
    cx: &Context,
    from: &Stage,
    src_abs: &str,
    at: usize,
    out: &mut Findings,
) -> Option<artifacts::Artifact> {
    match artifacts::built(cx, from)? {
        Ok(a) => Some(a),
        Err(u) => {
            if is_tree(src_abs, cx, from) {
                out.note(
                    ID,
                    u.code,
                    Level::Info,
                    at,
                    format!("keeps the copy of the whole {src_abs}: {}", u.message),
                );
            }
            None
        }
    }
}

/// A `COPY --from=` of a whole tree: where it is written, what it copies, where to.
struct TreeCopy<'a> {
    at: usize,
    src_abs: &'a str,
    dest_abs: &'a str,
}

/// True (after a note) when the copying stage needs more of the tree than
/// the artifact (at `mapped_abs` once copied): it uses other files from it,
/// or the app may read the build context's asset folders at run time.
fn tree_needed(
    cx: &Context,
    stage: &Stage,
    n: usize,
    copy: &TreeCopy,
    artifact: &artifacts::Artifact,
    mapped_abs: &str,
    out: &mut Findings,
) -> bool {
    let src_abs = copy.src_abs;
    if let Some(other) = other_use(cx, stage, n, copy.dest_abs, mapped_abs) {
        out.note(
            ID,
            Reason::UsesTree,
            Level::Info,
            copy.at,
            format!(
                "keeps the copy of the whole {src_abs}: this stage uses {other} from it, not only the artifact {}",
                artifact.path
            ),
        );
        return true;
    }
    if matches!(artifact.ecosystem, Ecosystem::Go | Ecosystem::Rust)
        && let Some(dir) = cx.build_context.and_then(artifacts::runtime_asset_dir)
    {
        out.note(
            ID,
            Reason::RuntimeAssets,
            Level::Info,
            copy.at,
            format!(
                "keeps the copy of the whole {src_abs}: the build context has `{dir}/`, which the app may read at run time"
            ),
        );
        return true;
    }
    false
}

/// True when `path` is a folder the stage works in (its WORKDIR, a parent of it, or `/`).
fn is_tree(path: &str, cx: &Context, stage: &Stage) -> bool {
    let wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    path == "/" || wd == path || wd.starts_with(&format!("{path}/"))
}

/// A path under `dest` that the stage's command or later RUN steps use,
/// other than the artifact at `mapped`.
fn other_use(cx: &Context, stage: &Stage, n: usize, dest: &str, mapped: &str) -> Option<String> {
    let mut texts: Vec<(String, String)> = Vec::new();
    let final_wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    texts.push((artifacts::final_command(cx, stage), final_wd));
    for i in n + 1..stage.instructions.end {
        let ins = &cx.doc.instructions[i];
        if matches!(ins.keyword, Keyword::Run | Keyword::Healthcheck) {
            texts.push((
                analysis::script(cx.text, ins),
                artifacts::workdir_at(cx, stage, i),
            ));
        }
    }
    for (text, wd) in &texts {
        for t in tokens(text) {
            let t = t.split_once('=').map_or(t, |(_, v)| v);
            if t.starts_with('-') || !(t.contains('/') || t.contains('.')) || t.contains("://") {
                continue;
            }
            let abs = artifacts::join(wd, t);
            let under = abs == dest || abs.starts_with(&format!("{dest}/"));
            let is_artifact = abs == mapped || abs.starts_with(&format!("{mapped}/"));
            if under && !is_artifact {
                return Some(format!("`{t}`"));
            }
        }
    }
    None
}

/// An install step that only needs the dependency manifests.
struct Install {
    /// The manifests to copy first.
    manifests: Vec<String>,
    /// The install command's words (text as written) and how far they reach.
    command: String,
    /// Range of the RUN text to delete: the install and its `&&` (or the whole RUN).
    delete: std::ops::Range<usize>,
    /// True when the whole RUN moves (its leading comments move with it).
    whole: bool,
}

fn manifests_first(cx: &Context, stage: &Stage, out: &mut Findings) {
    let range = stage.instructions.clone();
    for n in range.clone() {
        let Some((copy, dest, next)) = context_copy_then_run(cx, stage, n) else {
            continue;
        };
        let copied_before: Vec<String> = (range.start..n)
            .map(|i| &cx.doc.instructions[i])
            .filter(|i| {
                matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none()
            })
            .flat_map(|i| i.words().iter().map(|w| w.value.clone()))
            .collect();
        let dest_dir = if dest.ends_with('/') {
            dest.to_string()
        } else if dest == "." {
            "./".to_string()
        } else {
            format!("{dest}/")
        };
        let flags = flags_text(cx, copy);
        let at = line_start_with_comments(cx, copy);
        if let Some(install) = install_step(cx, next, out) {
            if install
                .manifests
                .iter()
                .any(|m| copied_before.iter().any(|c| same_file(c, m)))
            {
                continue;
            }
            let copy_first = ManifestCopy {
                at,
                flags: &flags,
                dest_dir: &dest_dir,
            };
            out.change(install_first(cx, next, &install, &copy_first));
        } else if let Some(go_mod) = go_download(cx, next, &copied_before) {
            out.change(Change::new(
                ID,
                Safety::Review,
                format!(
                    "dependency manifests before sources: `go mod download` runs on {} alone, so the module cache layer stays cached until they change (build time; the image is the same size)",
                    go_mod.join(", ")
                ),
                vec![Edit::insert(
                    at,
                    format!("COPY {flags}{} {dest_dir}\nRUN go mod download\n", go_mod.join(" ")),
                )],
            ));
        }
    }
}

/// Instruction `n` when it is a `COPY . <WORKDIR>` of the build context
/// followed by a plain RUN: the copy, its destination as written and the RUN.
fn context_copy_then_run<'d>(
    cx: &'d Context,
    stage: &Stage,
    n: usize,
) -> Option<(&'d Instruction, &'d str, &'d Instruction)> {
    let copy = &cx.doc.instructions[n];
    if !matches!(copy.keyword, Keyword::Copy | Keyword::Add) || copy.flag("from").is_some() {
        return None;
    }
    let (src, dest) = source_and_dest(copy)?;
    if src.value != "." && src.value != "./" {
        return None;
    }
    let next = (n + 1 < stage.instructions.end).then(|| &cx.doc.instructions[n + 1])?;
    if next.keyword != Keyword::Run || !next.heredocs.is_empty() {
        return None;
    }
    let wd = artifacts::workdir_at(cx, stage, n);
    if artifacts::join(&wd, &dest.value) != wd {
        return None;
    }
    Some((copy, dest.value.as_str(), next))
}

/// An instruction's flags as written, each followed by a blank.
fn flags_text(cx: &Context, ins: &Instruction) -> String {
    ins.flags
        .iter()
        .map(|f| format!("{} ", &cx.text[f.span.clone()]))
        .collect()
}

/// Where the manifests' COPY goes (before the context copy and its
/// comments), with the context copy's flags and destination folder.
struct ManifestCopy<'a> {
    at: usize,
    flags: &'a str,
    dest_dir: &'a str,
}

/// The change that copies the manifests and runs the install before the
/// context copy, and removes the install from the RUN after it.
fn install_first(
    cx: &Context,
    run: &Instruction,
    install: &Install,
    copy: &ManifestCopy,
) -> Change {
    let run_flags = flags_text(cx, run);
    let moved_comments = if install.whole {
        cx.text[line_start_with_comments(cx, run)..run.line_start].to_string()
    } else {
        String::new()
    };
    let text = format!(
        "COPY {}{} {}\n{moved_comments}RUN {run_flags}{}\n",
        copy.flags,
        install.manifests.join(" "),
        copy.dest_dir,
        install.command
    );
    let delete = if install.whole {
        line_start_with_comments(cx, run)..line_end(cx.text, run.span.end)
    } else {
        install.delete.clone()
    };
    Change::new(
        ID,
        Safety::Review,
        format!(
            "dependency manifests before sources: `{}` now runs on {} alone, so its layer stays cached until they change (build time; the image is the same size)",
            install.command,
            install.manifests.join(", ")
        ),
        vec![Edit::insert(copy.at, text), Edit::replace(delete, "")],
    )
}

/// True when an earlier COPY source (maybe a glob like `package*.json`) is the manifest.
fn same_file(copied: &str, manifest: &str) -> bool {
    let base = |s: &str| s.rsplit('/').next().unwrap_or("").to_string();
    let (c, m) = (base(copied), base(manifest.trim_end_matches('*')));
    match c.split_once('*') {
        Some((pre, post)) => m.starts_with(pre) && m.ends_with(post),
        None => c == m,
    }
}

/// Start of the instruction's first leading comment line (or its own line).
fn line_start_with_comments(cx: &Context, ins: &Instruction) -> usize {
    if ins.leading_comments.is_empty() {
        return ins.line_start;
    }
    let first = &cx.doc.comments[ins.leading_comments.start];
    // only comment lines directly above, with no blank line in between
    let between = &cx.text[first.span.start..ins.line_start];
    if between.lines().all(|l| l.trim_start().starts_with('#')) {
        first.span.start
    } else {
        ins.line_start
    }
}

/// The RUN's first command when it is a dependency install of a known kind.
fn install_step(cx: &Context, run: &Instruction, out: &mut Findings) -> Option<Install> {
    let Args::Words(words) = &run.args else {
        return None;
    };
    let amp = words.iter().position(|w| w.value == "&&");
    let first = &words[..amp.unwrap_or(words.len())];
    if first
        .iter()
        .any(|w| w.value.contains([';', '|', '>', '<', '$', '`']))
    {
        return None;
    }
    let v: Vec<&str> = first.iter().map(|w| w.value.as_str()).collect();
    let args: Vec<&str> = v
        .iter()
        .skip(2)
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let context = cx.build_context;
    let exists = |f: &str| context.is_some_and(|c| c.join(f).is_file());
    let lock = |name: &str, glob: &str| -> Option<String> {
        match context {
            Some(_) if exists(name) => Some(name.to_string()),
            Some(_) => None,
            None => Some(glob.to_string()),
        }
    };
    let manifests: Vec<String> = match v.as_slice() {
        ["npm", "ci", ..] => {
            vec![
                "package.json".into(),
                lock("package-lock.json", "package-lock.json")?,
            ]
        }
        ["npm", "install" | "i", ..] if args.is_empty() => {
            let mut m = vec!["package.json".to_string()];
            m.extend(lock("package-lock.json", "package-lock.json*"));
            m
        }
        ["yarn"] | ["yarn", "install", ..] if args.is_empty() => {
            let mut m = vec!["package.json".to_string()];
            m.extend(lock("yarn.lock", "yarn.lock*"));
            m
        }
        ["pnpm", "install" | "i", ..] if args.is_empty() => {
            let mut m = vec!["package.json".to_string()];
            m.extend(lock("pnpm-lock.yaml", "pnpm-lock.yaml*"));
            m
        }
        ["pip" | "pip3", "install", ..] => pip_manifests(cx, &v[2..], run, out)?,
        ["python" | "python3", "-m", "pip", "install", ..] => pip_manifests(cx, &v[4..], run, out)?,
        _ => return None,
    };
    if context.is_some() && !manifests.iter().all(|m| m.ends_with('*') || exists(m)) {
        return None;
    }
    let command = first
        .iter()
        .map(|w| cx.text[w.span.clone()].to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let (delete, whole) = match amp {
        Some(i) if i + 1 < words.len() => (first[0].span.start..words[i + 1].span.start, false),
        Some(_) => return None,
        None => (0..0, true),
    };
    Some(Install {
        manifests,
        command,
        delete,
        whole,
    })
}

/// The requirements files of `pip install -r FILE ...` when they can be moved.
fn pip_manifests(
    cx: &Context,
    args: &[&str],
    run: &Instruction,
    out: &mut Findings,
) -> Option<Vec<String>> {
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-r" | "--requirement" => {
                files.push(args.get(i + 1)?.to_string());
                i += 2;
            }
            a if a.starts_with("--") && !a.contains('/') => i += 1,
            _ => return None, // a package, `.`, `-e`, `-c`: needs more than the manifests
        }
    }
    if files.is_empty() || files.iter().any(|f| f.starts_with('/') || f.contains("..")) {
        return None;
    }
    let Some(context) = cx.build_context else {
        out.note(
            ID,
            Reason::ArtifactUnknown,
            Level::Info,
            run.span.start,
            "keeps `pip install -r` after `COPY . .`: no build context at hand to check the requirements file for `-r`, `-e` or local paths",
        );
        return None;
    };
    for f in &files {
        let text = std::fs::read_to_string(context.join(f)).ok()?;
        let local = text.lines().map(str::trim).any(|l| {
            l.starts_with("-r")
                || l.starts_with("-c")
                || l.starts_with("-e")
                || l.starts_with("--requirement")
                || l.starts_with("--constraint")
                || l.starts_with("--editable")
                || l.starts_with('.')
                || l.starts_with('/')
                || l.contains("file:")
        });
        if local {
            out.note(
                ID,
                Reason::ArtifactUnknown,
                Level::Info,
                run.span.start,
                format!("keeps `pip install -r {f}` after `COPY . .`: {f} refers to other files or local paths"),
            );
            return None;
        }
    }
    Some(files)
}

/// go.mod (and go.sum) when a `go build`/`go test` RUN follows `COPY . .`
/// and the context's go.mod has no local replaces.
fn go_download(cx: &Context, run: &Instruction, copied_before: &[String]) -> Option<Vec<String>> {
    let t = tokens(run.rest_text());
    if !t
        .windows(2)
        .any(|w| w[0] == "go" && matches!(w[1], "build" | "test" | "install" | "vet"))
    {
        return None;
    }
    let context: &Path = cx.build_context?;
    let go_mod = std::fs::read_to_string(context.join("go.mod")).ok()?;
    if go_mod.contains("=> ./") || go_mod.contains("=> ../") || context.join("go.work").exists() {
        return None;
    }
    // vendored modules: `go mod download` would fetch what vendor/ already holds (and need the network)
    let vendored = context.join("vendor").is_dir()
        || run.rest_text().contains("-mod=vendor")
        || cx.text.contains("-mod=vendor");
    if vendored {
        return None;
    }
    if copied_before
        .iter()
        .any(|c| c.ends_with("go.mod") || c.starts_with("go."))
    {
        return None;
    }
    let mut files = vec!["go.mod".to_string()];
    if context.join("go.sum").is_file() {
        files.push("go.sum".into());
    }
    Some(files)
}

/// `COPY . .` in a final stage that also copies from another stage (the
/// caller checks that): the whole build context lands in the runtime image.
fn whole_context(cx: &Context, stage: &Stage, out: &mut Findings) {
    if !cx.model.is_leaf(stage.index) {
        return;
    }
    if cx
        .build_context
        .is_some_and(|c| c.join(".dockerignore").is_file())
    {
        return;
    }
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if ins.keyword == Keyword::Copy
            && ins.flag("from").is_none()
            && let Some((src, _)) = source_and_dest(ins)
            && (src.value == "." || src.value == "./")
        {
            out.note(
                ID,
                Reason::WholeContext,
                Level::Info,
                src.span.start,
                "copies the whole build context into the runtime stage: name the files the app needs, or add a .dockerignore",
            );
        }
    }
}

//! # narrow-copy
//!
//! ## What it does
//! Three things about what gets copied, and when:
//!
//! 1. **Artifacts, not trees.** `COPY --from=builder /app /app` (or `/`)
//!    becomes a copy of only what the builder built, when its output is
//!    known: the Go or Rust binary, the jar, the .NET publish folder, the
//!    static site's output folder, the `make install` prefix (see
//!    `src/artifacts/`).
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
//! install is not the first command of the RUN, when the manifests are
//! already copied first, or when the install would leave a RUN that mounts
//! from an image or named build context (the reference would be written
//! twice). Reason codes: `artifact-unknown`, `uses-tree`, `runtime-assets`,
//! `whole-context`, `external-from`.

use crate::reason::Reason;

use super::{Context, Pass, line_end};
use crate::analysis;
use crate::artifacts::{self, Ecosystem};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::{RefKind, Stage, Target};
use crate::syntax::{Args, Instruction, Keyword};

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::NarrowCopy,
    summary: "copy built artifacts instead of whole trees; copy dependency manifests and install before the sources; report whole-context copies in runtime stages",
    safety: Safety::Review,
    doc: crate::pass_doc!("narrow_copy"),
    run,
};

mod manifests;

use manifests::manifests_first;

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
    // the words of the command and of each later RUN or HEALTHCHECK, with
    // the folder they run in
    let mut uses: Vec<(Vec<String>, String)> = Vec::new();
    let final_wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    uses.push((artifacts::final_command_words(cx, stage), final_wd));
    for i in n + 1..stage.instructions.end {
        let ins = &cx.doc.instructions[i];
        if matches!(ins.keyword, Keyword::Run | Keyword::Healthcheck) {
            let words = analysis::instruction_words(cx.text, ins, cx.doc.escape);
            uses.push((
                words.into_iter().flatten().collect(),
                artifacts::workdir_at(cx, stage, i),
            ));
        }
    }
    for (words, wd) in &uses {
        for t in words {
            let t = t.as_str();
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

/// `COPY . .` in a final stage that also copies from another stage (the
/// caller checks that): the whole build context lands in the runtime image.
fn whole_context(cx: &Context, stage: &Stage, out: &mut Findings) {
    if !cx.model.is_leaf(stage.index) {
        return;
    }
    if cx.is_file(".dockerignore") {
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
                Reason::WholeContext,
                Level::Info,
                src.span.start,
                "copies the whole build context into the runtime stage: name the files the app needs, or add a .dockerignore",
            );
        }
    }
}

// Dependency manifests before sources: the install step that only needs
// package.json, requirements.txt, go.mod … moves before `COPY . .`. (No
// `//!` docs: `slimfile explain narrow-copy` prints the pass's own.)

use super::*;

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

pub(super) fn manifests_first(cx: &Context, stage: &Stage, out: &mut Findings) {
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
            if !install.whole && mounts_no_stage(cx, n + 1) {
                out.note(
                    Reason::ExternalFrom,
                    Level::Info,
                    next.span.start,
                    "this RUN mounts from an image or named build context, not a stage: its install is not split into a RUN of its own (the reference would be written twice)",
                );
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

/// True when RUN `n` mounts from something no stage of the file names (an
/// image or a named build context): moving its install into a RUN of its
/// own would write that reference twice, a second dependency the model
/// cannot check.
fn mounts_no_stage(cx: &Context, n: usize) -> bool {
    cx.model.refs.iter().any(|r| {
        r.instruction == n && r.kind == RefKind::MountFrom && !matches!(r.target, Target::Stage(_))
    })
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
    let exists = |f: &str| cx.is_file(f);
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
    if cx.build_context.is_none() {
        out.note(
            Reason::ArtifactUnknown,
            Level::Info,
            run.span.start,
            "keeps `pip install -r` after `COPY . .`: no build context at hand to check the requirements file for `-r`, `-e` or local paths",
        );
        return None;
    }
    for f in &files {
        let text = cx.read(f)?;
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
    let words = analysis::words(run.rest_text());
    if !words
        .windows(2)
        .any(|w| w[0] == "go" && matches!(w[1].as_str(), "build" | "test" | "install" | "vet"))
    {
        return None;
    }
    let go_mod = cx.read("go.mod")?;
    if go_mod.contains("=> ./") || go_mod.contains("=> ../") || cx.exists("go.work") {
        return None;
    }
    // vendored modules: `go mod download` would fetch what vendor/ already holds (and need the network)
    let vendored = cx.is_dir("vendor")
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
    if cx.is_file("go.sum") {
        files.push("go.sum".into());
    }
    Some(files)
}

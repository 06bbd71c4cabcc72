// Where an interpreted app (Node, Python) lives in the stage: the WORKDIR it
// is installed in, or, without one, the COPY/ADD destination that holds the
// file its command names. (No `//!` docs: shared code, not a recipe;
// `slimfile explain` prints recipe docs.)

use super::{Context, Findings, Keyword, Reason, Stage, artifacts, recipes, skip};
use crate::shell::{Script, ShellEnv, basename};
use crate::syntax::{Args, Instruction};

/// The app's place in the stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum AppFolder {
    /// A folder the runtime copies whole.
    Dir(String),
    /// The app's files sit in `/`, each placed by a COPY/ADD of its own
    /// (`COPY server.py /`): the effects inventory carries them one by one.
    Root,
}

impl AppFolder {
    /// The folder, or `/` for files at the root (for messages).
    pub(super) fn shown(&self) -> &str {
        match self {
            AppFolder::Dir(d) => d,
            AppFolder::Root => "/",
        }
    }
}

/// The folder that holds the app: the WORKDIR in effect at the last RUN;
/// without one (`/`), the one COPY/ADD destination that holds the file the
/// command names (`COPY . /app` + `CMD ["python", "/app/main.py"]` → `/app`)
/// or, when it names none, the final WORKDIR. `None` after reporting.
pub(super) fn app_dir(
    cx: &Context,
    stage: &Stage,
    last_run: usize,
    out: &mut Findings,
) -> Option<AppFolder> {
    let dir = artifacts::workdir_at(cx, stage, last_run);
    if dir != "/" {
        return Some(AppFolder::Dir(dir));
    }
    match app_from_copies(cx, stage) {
        Ok(folder) => Some(folder),
        Err(why) => skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            format!("no WORKDIR, and {why}: cannot tell which folder holds the app"),
        ),
    }
}

/// The app folder the runtime copies: the WORKDIR or the COPY destination
/// that holds the app ([`app_dir`]); `Ok(None)` when the stage copies
/// nothing from the build context, or runs a program by name, and works in
/// `/` (a tool installed from the package index). `Err` after reporting.
pub(super) fn app_folder_if_any(
    cx: &Context,
    stage: &Stage,
    last_run: usize,
    out: &mut Findings,
) -> Result<Option<AppFolder>, ()> {
    let copies = stage.instructions.clone().any(|n| {
        let ins = &cx.doc.instructions[n];
        matches!(ins.keyword, Keyword::Copy | Keyword::Add) && ins.flag("from").is_none()
    });
    let final_wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    // a program run by name (a console script, `tini`): the copies are configs, carried one by one
    let by_name = command_argv(cx, stage)
        .and_then(|a| a.first().cloned())
        .is_some_and(|p| !p.contains('/') && !p.starts_with("python") && !p.starts_with("node"));
    let in_root = artifacts::workdir_at(cx, stage, last_run) == "/";
    if in_root && (by_name || (!copies && final_wd == "/")) {
        return Ok(None);
    }
    app_dir(cx, stage, last_run, out).map(Some).ok_or(())
}

/// [`app_dir`], or `Ok(None)` where it cannot tell the folder but the stage
/// works in `/` and runs a program by name or copies nothing from the build
/// context: a tool installed from the package index (its configuration
/// files, if any, are carried one by one). `Err` after reporting.
pub(super) fn app_dir_or_tool(
    cx: &Context,
    stage: &Stage,
    last_run: usize,
    out: &mut Findings,
) -> Result<Option<AppFolder>, ()> {
    if artifacts::workdir_at(cx, stage, last_run) != "/" {
        return app_dir(cx, stage, last_run, out).map(Some).ok_or(());
    }
    match app_from_copies(cx, stage) {
        Ok(folder) => Ok(Some(folder)),
        Err(_) => app_folder_if_any(cx, stage, last_run, out),
    }
}

/// The app folder read from the COPY/ADD destinations and the command, or
/// why it cannot be told.
fn app_from_copies(cx: &Context, stage: &Stage) -> Result<AppFolder, String> {
    let final_wd = artifacts::workdir_at(cx, stage, stage.instructions.end);
    let named = command_argv(cx, stage).and_then(|argv| named_file(&argv, &final_wd));
    let copies = context_copies(cx, stage)?;
    if copies.is_empty() {
        return Err("nothing is copied from the build context".into());
    }
    let (target, what) = match &named {
        Some(p) => (p.clone(), format!("the file the command runs ({p})")),
        None if final_wd != "/" => (final_wd.clone(), format!("the WORKDIR {final_wd}")),
        None => {
            return Err("the command names no file of the app".into());
        }
    };
    let mut folders: Vec<String> = Vec::new();
    let mut exact = false;
    for c in &copies {
        for placed in &c.placed {
            let folder = if named.is_some() {
                if *placed == target {
                    exact = true;
                    Some(parent(placed))
                } else if c.tree && under(&target, placed) {
                    Some(placed.clone())
                } else {
                    None
                }
            } else if under(placed, &target) {
                Some(target.clone())
            } else if c.tree && under(&target, placed) {
                Some(placed.clone())
            } else {
                None
            };
            if let Some(f) = folder
                && !folders.contains(&f)
            {
                folders.push(f);
            }
        }
    }
    let tree_at_root = copies
        .iter()
        .any(|c| c.tree && c.placed.iter().any(|p| p == "/"));
    match folders.as_slice() {
        [] => Err(format!("no COPY/ADD places {what}")),
        [f] if recipes().effects.system_dirs.iter().any(|d| d == f) && f != "/" => Err(format!(
            "{what} is copied into {f}, a system folder slimfile will not copy whole"
        )),
        [f] if f != "/" => Ok(AppFolder::Dir(f.clone())),
        [_] if named.is_some() && exact && !tree_at_root => Ok(AppFolder::Root),
        [_] => Err(format!(
            "{what} lands in `/`, where a whole tree or folder is copied"
        )),
        _ => Err(format!(
            "COPY/ADD lines to {} all hold {what}",
            folders.join(" and ")
        )),
    }
}

/// A COPY/ADD from the build context: the absolute paths it places (each
/// file when it names single files into a folder, else its destination),
/// and whether a source is a tree (`.`, a folder, a glob).
struct ContextCopy {
    placed: Vec<String>,
    tree: bool,
}

/// The stage's COPY/ADD lines from the build context (no `--from`), or why
/// one cannot be read (a variable in a path).
fn context_copies(cx: &Context, stage: &Stage) -> Result<Vec<ContextCopy>, String> {
    let workdirs = artifacts::workdirs(cx, stage);
    let mut out = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        let mut parts = paths_of(ins);
        let Some(dest) = parts.pop() else {
            continue;
        };
        if dest.contains('$') || parts.iter().any(|p| p.contains('$')) {
            return Err(format!(
                "a COPY/ADD path uses a variable (line {})",
                ins.line
            ));
        }
        let dest_abs = artifacts::join(&workdirs[n - stage.instructions.start], &dest);
        let file_like = |src: &String| {
            let name = basename(src.trim_end_matches('/'));
            !src.ends_with('/')
                && !src.contains(['*', '?', '['])
                && name.contains('.')
                && !name.starts_with('.')
        };
        let tree = !ins.heredocs.is_empty() || !parts.iter().all(file_like);
        let into_dir = dest.ends_with('/')
            || matches!(dest.as_str(), "." | "./")
            || dest_abs == "/"
            || parts.len() > 1;
        let placed = if tree || !into_dir {
            vec![dest_abs]
        } else {
            parts
                .iter()
                .map(|src| artifacts::join(&dest_abs, basename(src)))
                .collect()
        };
        out.push(ContextCopy { placed, tree });
    }
    Ok(out)
}

/// The source and destination words of a COPY/ADD (flags left out).
fn paths_of(ins: &Instruction) -> Vec<String> {
    match &ins.args {
        Args::Exec(e) => e.clone(),
        Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
    }
}

/// True when `path` is `dir` or under it (everything is under `/`).
fn under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// The folder of an absolute path (`/` for a file at the root).
fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((d, _)) => d.to_string(),
    }
}

/// The argv the container runs: an exec-form ENTRYPOINT followed by an
/// exec-form CMD, or one plain shell-form command; `None` when it takes a
/// shell to read (operators, variables, `cd …&&`).
pub(super) fn command_argv(cx: &Context, stage: &Stage) -> Option<Vec<String>> {
    let last = |k: Keyword| artifacts::last_instruction(cx, stage, k);
    let argv_of = |ins: &Instruction| -> Option<Vec<String>> {
        match &ins.args {
            Args::Exec(argv) => Some(argv.clone()),
            Args::Words(_) => {
                let script = Script::parse(ins.rest_text(), &ShellEnv::default());
                let [c] = script.commands.as_slice() else {
                    return None;
                };
                let plain = !script.opaque_parts
                    && c.redirects.is_empty()
                    && c.assignments.is_empty()
                    && c.words.iter().all(|w| w.value.is_some() && !w.pattern);
                plain.then(|| c.words.iter().filter_map(|w| w.value.clone()).collect())
            }
        }
    };
    let argv = match (last(Keyword::Entrypoint), last(Keyword::Cmd)) {
        (Some(e), cmd) => {
            let mut argv = argv_of(e)?;
            if let (Args::Exec(_), Some(c)) = (&e.args, cmd)
                && let Args::Exec(rest) = &c.args
            {
                argv.extend(rest.iter().cloned());
            }
            argv
        }
        (None, Some(c)) => argv_of(c)?,
        (None, None) => return None,
    };
    (!argv.is_empty()).then_some(argv)
}

/// The absolute path of the app file a command runs: the script of
/// `python FILE` or `node FILE`, package.json for `npm start`/`npm run X`/
/// `yarn X`, or the program itself when it is a path (`./entrypoint.sh`).
fn named_file(argv: &[String], wd: &str) -> Option<String> {
    let program = argv.first()?;
    let name = basename(program);
    let plain = |p: &str| !p.is_empty() && !p.contains(['$', '*', '?', '[', '`']);
    let script_after = |value_flags: &[&str], no_file: &[&str]| -> Option<String> {
        let mut args = argv[1..].iter();
        while let Some(a) = args.next() {
            if no_file.contains(&a.as_str()) {
                return None;
            }
            if value_flags.contains(&a.as_str()) {
                args.next();
                continue;
            }
            if a.starts_with('-') {
                continue;
            }
            return plain(a).then(|| artifacts::join(wd, a));
        }
        None
    };
    let python = name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if python {
        return script_after(&["-W", "-X", "--check-hash-based-pycs"], &["-m", "-c", "-"]);
    }
    if matches!(name, "node" | "nodejs") {
        return script_after(
            &[
                "-r",
                "--require",
                "--import",
                "--loader",
                "--experimental-loader",
            ],
            &["-e", "--eval", "-p", "--print", "-"],
        );
    }
    let first = argv.get(1).map(String::as_str);
    if matches!(name, "sh" | "bash" | "ash" | "dash") {
        // `sh script.sh` runs the script; `sh -c '…'` names no file
        return first
            .filter(|a| !a.starts_with('-') && plain(a))
            .map(|a| artifacts::join(wd, a));
    }
    let runs_script = match name {
        "npm" => matches!(first, Some("start" | "run" | "run-script")),
        "yarn" | "pnpm" => first.is_some_and(|a| !a.starts_with('-')),
        _ => false,
    };
    if runs_script {
        return Some(artifacts::join(wd, "package.json"));
    }
    (program.contains('/') && plain(program)).then(|| artifacts::join(wd, program))
}

/// [`app_dir`] for the recipes that copy one app folder whole (Ruby, PHP):
/// files placed in `/` one by one are reported and `None`.
pub(super) fn app_folder(
    cx: &Context,
    stage: &Stage,
    last_run: usize,
    out: &mut Findings,
) -> Option<String> {
    match app_dir(cx, stage, last_run, out)? {
        AppFolder::Dir(d) => Some(d),
        AppFolder::Root => skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "no WORKDIR, and the app's files are copied to `/` one by one: this recipe copies one app folder",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn names_the_file_a_command_runs() {
        let f = |w: &[&str], wd: &str| named_file(&argv(w), wd);
        assert_eq!(
            f(&["python", "/app/main.py"], "/"),
            Some("/app/main.py".into())
        );
        assert_eq!(
            f(&["python3.11", "-u", "main.py"], "/srv"),
            Some("/srv/main.py".into())
        );
        assert_eq!(f(&["python", "-m", "app"], "/srv"), None);
        assert_eq!(
            f(&["node", "--max-old-space-size=512", "server.js"], "/a"),
            Some("/a/server.js".into())
        );
        assert_eq!(f(&["node", "-e", "x"], "/a"), None);
        assert_eq!(
            f(&["npm", "start"], "/src"),
            Some("/src/package.json".into())
        );
        assert_eq!(f(&["npm", "install"], "/src"), None);
        assert_eq!(f(&["./run.sh"], "/app"), Some("/app/run.sh".into()));
        assert_eq!(f(&["gunicorn", "app:app"], "/app"), None);
        assert_eq!(f(&["/bin/bash", "-c", "node x.js"], "/app"), None);
        assert_eq!(f(&["sh", "start.sh"], "/app"), Some("/app/start.sh".into()));
    }

    #[test]
    fn parent_folders() {
        assert_eq!(parent("/app/main.py"), "/app");
        assert_eq!(parent("/main.py"), "/");
    }
}

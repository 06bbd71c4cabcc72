//! What a stage's Python installs read: the requirement names of every pip
//! install (the command line, the requirements files it names, the project's
//! manifests), with each file found in the build context through the COPY
//! that placed it (`COPY app/requirements-gpu.txt /app/requirements.txt` +
//! `pip install -r /app/requirements.txt` reads `app/requirements-gpu.txt`).

use super::*;

/// The project manifests an install of the project itself (`pip install .`,
/// poetry, pipenv, uv) reads its dependencies from.
const PYTHON_MANIFESTS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "uv.lock",
    "requirements.txt",
];

/// The names of the Python packages a stage's installs read, PEP
/// 503-normalized.
#[derive(Debug, Default)]
pub(crate) struct PythonNames {
    pub names: Vec<String>,
    /// A requirements file or manifest that is not in the build context.
    pub missing: Option<String>,
    /// What an install reads that slimfile does not (a URL, an sdist).
    pub unreadable: Option<String>,
}

/// Reads the requirement names of every Python install of `stage`'s RUNs,
/// from the build context of `cx`.
pub(crate) fn python_names(cx: &Context, stage: &Stage) -> PythonNames {
    let mut out = PythonNames::default();
    for (n, script) in run_shells(cx, stage) {
        read_installs(cx, stage, n, &script, 0, &mut out);
    }
    out
}

/// The Python installs of one script (and of the `sh -c` scripts it runs).
fn read_installs(
    cx: &Context,
    stage: &Stage,
    n: usize,
    script: &crate::shell::Script,
    depth: usize,
    out: &mut PythonNames,
) {
    let pips: Vec<usize> = script
        .installs()
        .iter()
        .filter(|i| i.manager == crate::shell::Manager::Pip)
        .map(|i| i.command)
        .collect();
    for (k, c) in script.commands.iter().enumerate() {
        let is_shell = matches!(c.program(), Some("sh" | "bash" | "dash" | "ash"));
        if let (true, Some(inner), true) = (
            is_shell,
            c.flag_value(&["-c"]).and_then(|f| f.value),
            depth < 4,
        ) {
            let env = crate::shell::ShellEnv {
                workdir: c.cwd.clone(),
                vars: (*c.env).clone(),
            };
            let nested = crate::shell::Script::parse(&inner, &env);
            read_installs(cx, stage, n, &nested, depth + 1, out);
            continue;
        }
        {
            let words: Vec<&str> = c
                .words
                .iter()
                .map(|w| w.value.as_deref().unwrap_or(&w.raw))
                .collect();
            // pip by any path (`/venv/bin/pip install`), poetry, pipenv, uv
            if !pips.contains(&k) && !analysis::python_installs(&words) {
                continue;
            }
            let read = analysis::pip_sources(&words);
            if let Some(x) = read.unreadable.first() {
                out.unreadable.get_or_insert_with(|| x.clone());
            }
            out.names.extend(read.named);
            for file in read.files {
                // the file a COPY placed where pip reads it, else the path as written
                let placed = c
                    .resolve(&file)
                    .and_then(|abs| context_file(cx, stage, n, &abs));
                let found = placed
                    .and_then(|rel| requirement_file(cx, &rel, 0))
                    .or_else(|| requirement_file(cx, &file, 0));
                match found {
                    Some(names) => out.names.extend(names),
                    None => {
                        out.missing.get_or_insert(file);
                    }
                }
            }
            if read.project {
                let texts: Vec<String> =
                    PYTHON_MANIFESTS.iter().filter_map(|m| cx.read(m)).collect();
                if texts.is_empty() {
                    out.missing
                        .get_or_insert_with(|| "pyproject.toml or setup.py".to_string());
                }
                out.names
                    .extend(texts.iter().flat_map(|t| analysis::requirement_names(t)));
            }
        }
    }
}

/// The requirement names a requirements file (and the files it includes
/// with `-r`) lists; `None` when one of them is not in the build context.
fn requirement_file(cx: &Context, file: &str, depth: usize) -> Option<Vec<String>> {
    let base = file.rsplit('/').next().unwrap_or(file);
    let relative = file.trim_start_matches("./");
    let text = cx.read(relative).or_else(|| cx.read(base))?;
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(inc) = line
            .strip_prefix("-r")
            .or_else(|| line.strip_prefix("--requirement"))
        {
            let inc = inc.trim_start_matches('=').trim();
            if depth > 4 {
                return None;
            }
            names.extend(requirement_file(cx, inc, depth + 1)?);
        } else if !line.starts_with('#') {
            names.extend(analysis::requirement_names(line));
        }
    }
    Some(names)
}

/// The build-context file a COPY/ADD of the stage (before instruction
/// `before`) placed at the absolute path `abs`: the last such copy wins.
pub(crate) fn context_file(
    cx: &Context,
    stage: &Stage,
    before: usize,
    abs: &str,
) -> Option<String> {
    let workdirs = workdirs(cx, stage);
    for k in (stage.instructions.start..before).rev() {
        let ins = &cx.doc.instructions[k];
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        let mut parts: Vec<String> = match &ins.args {
            crate::syntax::Args::Exec(e) => e.clone(),
            crate::syntax::Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
        };
        let Some(dest) = parts.pop() else { continue };
        let dest_abs = join(&workdirs[k - stage.instructions.start], &dest);
        let under =
            abs == dest_abs || abs.starts_with(&format!("{}/", dest_abs.trim_end_matches('/')));
        if !under {
            continue;
        }
        let into_dir =
            dest.ends_with('/') || parts.len() > 1 || matches!(dest.as_str(), "." | "./");
        let rel = abs[dest_abs.len()..].trim_start_matches('/');
        for src in parts.iter().rev() {
            if src.contains(['*', '?', '[', '$']) || src.contains("://") {
                return None;
            }
            let src = src.trim_start_matches("./").trim_end_matches('/');
            let name = crate::shell::basename(src);
            let candidates = [
                (!rel.is_empty()).then(|| join_rel(src, rel)),
                (rel.is_empty() && !into_dir).then(|| src.to_string()),
                (into_dir && rel == name).then(|| src.to_string()),
                (into_dir && !rel.is_empty())
                    .then(|| {
                        rel.strip_prefix(&format!("{name}/"))
                            .map(|r| join_rel(src, r))
                    })
                    .flatten(),
            ];
            if let Some(found) = candidates
                .into_iter()
                .flatten()
                .find(|p| cx.read(p).is_some())
            {
                return Some(found);
            }
        }
        return None;
    }
    None
}

fn join_rel(dir: &str, rel: &str) -> String {
    if dir.is_empty() || dir == "." {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

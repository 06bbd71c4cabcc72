// Which libraries the packages pip builds on the full python image link:
// the requirement names read from what each install reads (its arguments,
// requirements files, the project's manifests in the build context), looked
// up in `transforms/recipes.toml` [python] native_packages. (No `//!` docs:
// a part of the Python recipe, whose docs `slimfile explain` prints.)

use super::*;
use crate::reason::Reason;

/// The project manifests an install of the project itself (`pip install .`,
/// poetry, pipenv, uv) reads its dependencies from.
const MANIFESTS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "uv.lock",
    "requirements.txt",
];

/// The `-dev` packages whose runtime libraries the runtime needs for what
/// the stage's installs build from source, with the words for the message
/// (`libpq-dev for psycopg2`); `None` after a `context-unknown` skip when a
/// file an install reads is not at hand.
pub(super) fn native_dev_packages(
    cx: &Context,
    stage: &Stage,
    all: &str,
    out: &mut Findings,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut names: Vec<String> = Vec::new();
    let mut missing: Option<String> = None;
    for words in analysis::command_words(all) {
        let t: Vec<&str> = words.iter().map(String::as_str).collect();
        if !analysis::python_installs(&t) {
            continue;
        }
        let read = analysis::pip_sources(&t);
        if let Some(x) = read.unreadable.first() {
            return skip(
                out,
                stage.base_span.start,
                Reason::ContextUnknown,
                format!(
                    "pip installs `{x}`, whose requirements slimfile does not read: cannot tell which packages pip builds from source on the full image, and which libraries of it they link"
                ),
            );
        }
        names.extend(read.named);
        for file in read.files {
            match requirement_file(cx, &file, 0) {
                Some(found) => names.extend(found),
                None => missing = missing.or(Some(file)),
            }
        }
        if read.project {
            let texts: Vec<String> = MANIFESTS.iter().filter_map(|m| cx.read(m)).collect();
            if texts.is_empty() {
                missing = missing.or(Some("pyproject.toml or setup.py".to_string()));
            }
            names.extend(texts.iter().flat_map(|t| analysis::requirement_names(t)));
        }
    }
    if let Some(file) = missing {
        return skip(
            out,
            stage.base_span.start,
            Reason::ContextUnknown,
            format!(
                "`{file}` is not in the build context: cannot tell which packages pip builds from source on the full image, and which libraries of it they link"
            ),
        );
    }
    let table = &recipes().python.native_packages;
    let mut devs: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (package, dev) in table {
        if names.iter().any(|n| n == package) {
            why.push(format!("{} for `{package}`", dev.join(", ")));
            for d in dev {
                if !devs.contains(d) {
                    devs.push(d.clone());
                }
            }
        }
    }
    Some((devs, why))
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

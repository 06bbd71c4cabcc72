// Which libraries the packages pip builds on the full python image link:
// the requirement names read from what each install reads (its arguments,
// requirements files, the project's manifests in the build context), looked
// up in `transforms/recipes.toml` [python] native_packages. (No `//!` docs:
// a part of the Python recipe, whose docs `slimfile explain` prints.)

use super::*;
use crate::reason::Reason;

/// pip options that take a value (the value is not a requirement).
const VALUED: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "-c",
    "--constraint",
    "--prefix",
    "--root",
    "-t",
    "--target",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--progress-bar",
    "--timeout",
    "--retries",
    "--cache-dir",
    "--src",
    "--upgrade-strategy",
    "--no-binary",
    "--only-binary",
    "--log",
    "--proxy",
    "--cert",
    "--client-cert",
    "--global-option",
    "--install-option",
    "--config-settings",
    "-C",
    "--python",
    "-p",
];

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
        let read = requirement_sources(&t);
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
            names.extend(texts.iter().flat_map(|t| tokens(t)));
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

/// What one install command reads its requirements from.
#[derive(Debug, Default, PartialEq, Eq)]
struct Sources {
    /// Requirement names on the command line.
    named: Vec<String>,
    /// Requirements files (`-r FILE`).
    files: Vec<String>,
    /// The project itself (`pip install .`, `-e .`, poetry, pipenv, uv sync).
    project: bool,
    /// What slimfile cannot read the requirements of (a URL, a path outside
    /// the build context's files, an sdist).
    unreadable: Vec<String>,
}

fn requirement_sources(t: &[&str]) -> Sources {
    let mut s = Sources::default();
    let Some(at) = t.iter().position(|w| *w == "install" || *w == "sync") else {
        return s;
    };
    let tool_installs_project = t[..at]
        .iter()
        .any(|w| matches!(*w, "poetry" | "pipenv" | "uv"))
        && !t[..at].contains(&"pip");
    if tool_installs_project {
        s.project = true;
    }
    let mut args = t[at + 1..].iter();
    while let Some(w) = args.next() {
        if let Some(f) = w
            .strip_prefix("--requirement=")
            .or_else(|| w.strip_prefix("-r").filter(|f| !f.is_empty()))
        {
            s.files.push(f.to_string());
        } else if matches!(*w, "-r" | "--requirement") {
            if let Some(f) = args.next() {
                s.files.push(f.to_string());
            }
        } else if VALUED.contains(w) {
            args.next();
        } else if matches!(*w, "-e" | "--editable") {
            match args.next() {
                Some(x) if !x.starts_with('.') => s.unreadable.push(x.to_string()),
                _ => s.project = true,
            }
        } else if w.starts_with('-') {
        } else if w.starts_with('.') {
            s.project = true;
        } else if w.ends_with(".whl") || w.contains("wheel") {
            // wheels: built already, nothing for pip to compile
        } else if w.starts_with('/') || w.contains("://") || w.contains('/') {
            s.unreadable.push(w.to_string());
        } else {
            s.named.extend(tokens(w).into_iter().take(1));
        }
    }
    s
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
            names.extend(tokens(line));
        }
    }
    Some(names)
}

/// The words of a text that may name a package, PEP 503-normalized
/// (`uWSGI>=2` → `uwsgi`, `psycopg[c]` → `psycopg`).
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase().replace(['_', '.'], "-"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_an_install_reads() {
        let s = requirement_sources(&[
            "pip",
            "install",
            "--no-cache-dir",
            "-r",
            "req.txt",
            "uWSGI==2.0.8",
            "-i",
            "https://x",
            "psycopg[c]",
        ]);
        assert_eq!(s.files, ["req.txt"]);
        assert_eq!(s.named, ["uwsgi", "psycopg"]);
        assert!(!s.project);
        assert!(requirement_sources(&["pip", "install", "-e", "."]).project);
        assert!(requirement_sources(&["poetry", "install", "--no-root"]).project);
        assert!(!requirement_sources(&["pip", "install", "/wheels/a.whl"]).project);
        assert!(
            requirement_sources(&["pip", "install", "/wheels/*"])
                .unreadable
                .is_empty()
        );
        assert_eq!(
            requirement_sources(&["pip", "install", "git+https://x.org/a.git"]).unreadable,
            ["git+https://x.org/a.git"]
        );
        assert_eq!(
            requirement_sources(&["pip", "install", "-e", "git+https://x.org/a.git#egg=a"])
                .unreadable,
            ["git+https://x.org/a.git#egg=a"]
        );
        assert_eq!(
            requirement_sources(&["pip", "install", "-rreq.txt"]).files,
            ["req.txt"]
        );
    }

    #[test]
    fn names_are_normalized() {
        assert_eq!(
            tokens("psycopg2-binary==2.9; Pillow>=9"),
            ["psycopg2-binary", "2-9", "pillow", "9"]
        );
    }
}

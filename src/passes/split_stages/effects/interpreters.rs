// Python run during the build, and the model download tools: what they
// write is runtime data (a trained model, a downloaded one, NLTK data),
// carried at the same path, or the file is left alone. The code is read by
// `crate::pycode`; a project script is read from the build context.

use super::super::recipes;
use super::{
    Blocker, Context, Effects, Keyword, Reason, Stage, artifacts, blocker, image_config, under,
};
use crate::pycode::{self, Cache, DefaultFolder, Mode, Reading};
use crate::shell::{Command, NOT_PROJECT_MODULES, PythonTarget, Script, WriteKind, python_run};

/// Where a RUN is: its stage, instruction, line and offset.
pub(super) struct RunAt<'a> {
    pub cx: &'a Context<'a>,
    pub stage: &'a Stage,
    pub n: usize,
    pub line: usize,
    pub here: usize,
}

/// Python scripts `setup.py` runs with these commands build or install
/// packages (into site-packages or the build folder).
const SETUP_COMMANDS: &[&str] = &[
    "install",
    "develop",
    "build",
    "build_ext",
    "build_py",
    "bdist_wheel",
    "sdist",
    "egg_info",
];

/// Carries what Python code run by the script writes, and the models the
/// download tools fetch; a write that cannot be told leaves the file alone.
pub(super) fn interpreter_effects(
    at: &RunAt,
    script: &Script,
    covered: &[String],
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let writes = script.writes_paths();
    for (k, c) in script.commands.iter().enumerate() {
        let names_outputs = writes
            .iter()
            .any(|w| w.command == k && w.kind == WriteKind::Output);
        if let Some(run) = python_run(c) {
            let reading = match run.target {
                PythonTarget::Code(Some(code)) => Some(pycode::read(code, Mode::Strict)),
                PythonTarget::Code(None) => {
                    return Err(unknown(at, "`python -c` runs code slimfile cannot read"));
                }
                // `curl …/get-pip.py | python3` installs pip, as `pip install` would
                PythonTarget::Stdin if k > 0 && pipes_get_pip(&script.commands[k - 1]) => None,
                PythonTarget::Stdin => {
                    return Err(unknown(
                        at,
                        "Python reads its program from standard input, which slimfile cannot read",
                    ));
                }
                PythonTarget::Module(m) => module_reading(at, c, m, names_outputs)?,
                PythonTarget::Script(s) => {
                    script_reading(at, c, s, &c.args()[run.args_from..], names_outputs)?
                }
            };
            if let Some(r) = reading {
                let shown = match run.target {
                    PythonTarget::Script(s) => format!("`python {s}`"),
                    PythonTarget::Module(m) => format!("`python -m {m}`"),
                    _ => "`python -c`".to_string(),
                };
                carry_reading(at, c, &shown, &r, names_outputs, covered, fx)?;
            }
        } else if matches!(c.program(), Some("huggingface-cli" | "hf"))
            && c.subcommand() == Some("download")
            && !names_outputs
        {
            // without --local-dir the files go to the cache (--cache-dir is an output option)
            let fetched = Reading {
                caches: vec![pycode::Found {
                    what: pycode::CacheWrite {
                        cache: Cache::HuggingFace,
                        dir: None,
                    },
                    call: format!("{} download", c.program().unwrap_or("hf")),
                    sure: true,
                }],
                ..Reading::default()
            };
            let shown = format!("`{} download`", c.program().unwrap_or("hf"));
            carry_reading(at, c, &shown, &fetched, false, covered, fx)?;
        }
    }
    Ok(())
}

/// True when `c` downloads pip's installer (`get-pip.py`) into a pipe.
fn pipes_get_pip(c: &Command) -> bool {
    c.connector == crate::shell::Connector::Pipe
        && matches!(c.program(), Some("curl" | "wget"))
        && c.args()
            .iter()
            .any(|w| w.raw.trim_matches(['\'', '"']).ends_with("/get-pip.py"))
}

fn unknown(at: &RunAt, what: &str) -> Blocker {
    blocker(
        at.here,
        Reason::EffectUnknown,
        format!(
            "line {}: {what}; it may write files the runtime needs",
            at.line
        ),
    )
}

/// `python -m MODULE`: tools write nothing the runtime needs beyond what
/// their installs say; `nltk.downloader` fills NLTK data; a project module
/// is read like a script it cannot see.
fn module_reading(
    at: &RunAt,
    c: &Command,
    module: &str,
    names_outputs: bool,
) -> Result<Option<Reading>, Blocker> {
    if NOT_PROJECT_MODULES.contains(&module) || module.starts_with("pip.") {
        return Ok(None);
    }
    if matches!(module, "nltk.downloader" | "nltk") {
        let dir = c
            .flag_value(&["-d", "--dir"])
            .and_then(|f| f.value.map(|v| v.to_string()));
        return Ok(Some(Reading {
            caches: vec![pycode::Found {
                what: pycode::CacheWrite {
                    cache: Cache::Nltk,
                    dir,
                },
                call: "python -m nltk.downloader".into(),
                sure: true,
            }],
            ..Reading::default()
        }));
    }
    if names_outputs {
        return Ok(None);
    }
    Err(unknown(
        at,
        &format!(
            "`python -m {module}` runs project code, which names no output (`--out`, `--output-dir`, `--model-dir` …)"
        ),
    ))
}

/// `python FILE`: `setup.py` building or installing is a build step; a
/// project script is read from the build context when it is there. Without
/// its source, the outputs its options name are carried, and a script that
/// names none leaves the file alone.
fn script_reading(
    at: &RunAt,
    c: &Command,
    file: &str,
    args: &[crate::shell::ShellWord],
    names_outputs: bool,
) -> Result<Option<Reading>, Blocker> {
    let first = args.first().and_then(|w| w.value.as_deref());
    let name = crate::shell::basename(file);
    if (name == "setup.py" && first.is_some_and(|a| SETUP_COMMANDS.contains(&a)))
        || name == "get-pip.py"
    {
        return Ok(None);
    }
    let source = c
        .resolve(file)
        .and_then(|abs| artifacts::context_file(at.cx, at.stage, at.n, &abs))
        .and_then(|rel| at.cx.read(&rel));
    match source {
        Some(code) => Ok(Some(pycode::read(&code, Mode::Script))),
        None if names_outputs => Ok(None),
        None => Err(unknown(
            at,
            &format!(
                "`python {file}` runs a project script that slimfile cannot read here and that names no output (`--out`, `--output-dir`, `--model-dir` …)"
            ),
        )),
    }
}

/// Carries the caches and written paths of a reading; refuses what may
/// not run, writes through a variable with no output named on the command
/// line, and code whose writes cannot be told.
fn carry_reading(
    at: &RunAt,
    c: &Command,
    shown: &str,
    r: &Reading,
    names_outputs: bool,
    covered: &[String],
    fx: &mut Effects,
) -> Result<(), Blocker> {
    if let Some(what) = &r.unknown {
        return Err(unknown(
            at,
            &format!("{shown} calls `{what}`, whose writes slimfile cannot tell"),
        ));
    }
    if let (Some(what), false) = (r.unnamed_writes.first(), names_outputs) {
        return Err(unknown(
            at,
            &format!(
                "{shown} writes with `{what}` to a path it computes, and names no output (`--out`, `--output-dir`, `--model-dir` …)"
            ),
        ));
    }
    for found in &r.caches {
        let path = cache_folder(at, c, found.what.cache, found.what.dir.as_deref())?;
        let said = format!("{}, filled on line {}", found.what.cache.name(), at.line);
        carry_path(at, &path, found.sure, &found.call, &said, covered, fx)?;
    }
    for found in &r.writes {
        let Some(path) = c.resolve(&found.what) else {
            return Err(unknown(
                at,
                &format!(
                    "{shown} writes `{}`, a path slimfile cannot resolve",
                    found.what
                ),
            ));
        };
        let said = format!("written on line {}", at.line);
        carry_path(at, &path, found.sure, &found.call, &said, covered, fx)?;
    }
    Ok(())
}

/// Carries `path` unless the runtime copies it already; a write that may
/// not happen (`sure` false) cannot be copied: the copy would fail the build.
fn carry_path(
    at: &RunAt,
    path: &str,
    sure: bool,
    call: &str,
    said: &str,
    covered: &[String],
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    if covered.iter().any(|d| under(path, d)) || fx.carried.iter().any(|d| under(path, d)) {
        return Ok(());
    }
    if r.system_dirs.iter().any(|d| d == path) {
        return Err(unknown(
            at,
            &format!("`{call}` writes the system folder {path}"),
        ));
    }
    if !sure {
        return Err(unknown(
            at,
            &format!(
                "`{call}` writes {path} under a condition slimfile cannot evaluate, so it cannot be copied for sure"
            ),
        ));
    }
    fx.carried.retain(|k| !under(k, path));
    fx.carried.push(path.to_string());
    fx.said.push(format!("{path} ({said})"));
    if let Some(user) = user_at(at).filter(|u| !is_root(u)) {
        // the runtime's copy of a folder is root's: give it back to the user who wrote it
        fx.owners.push((path.to_string(), user.clone()));
    }
    Ok(())
}

/// The folder a cache lives in at this RUN: the folder the call names, or
/// the first of the cache's variables set, or its default under the
/// user's home ([`Cache::location`]).
fn cache_folder(
    at: &RunAt,
    c: &Command,
    cache: Cache,
    named: Option<&str>,
) -> Result<String, Blocker> {
    let unresolved = |folder: &str| {
        unknown(
            at,
            &format!(
                "{} goes to `{folder}`, a folder slimfile cannot resolve",
                cache.name()
            ),
        )
    };
    if let Some(dir) = named {
        return c.resolve(dir).ok_or_else(|| unresolved(dir));
    }
    let place = cache.location();
    for name in place.undecidable_with {
        if variable_at(at, c, name)?.is_some() {
            return Err(unknown(
                at,
                &format!(
                    "{} goes to a folder picked by what exists when it runs (`{name}` is set)",
                    cache.name()
                ),
            ));
        }
    }
    for name in place.variables {
        if let Some(v) = variable_at(at, c, name)? {
            return c.resolve(&v).ok_or_else(|| unresolved(&v));
        }
    }
    let home = || {
        home_at(at).ok_or_else(|| {
            unknown(
                at,
                &format!(
                    "{} goes under the home folder of the user at this RUN, which slimfile cannot tell",
                    cache.name()
                ),
            )
        })
    };
    let folder = match place.default {
        DefaultFolder::XdgCache(name) => match variable_at(at, c, "XDG_CACHE_HOME")? {
            Some(x) => format!("{x}/{name}"),
            None => format!("{}/.cache/{name}", home()?),
        },
        DefaultFolder::Home(path) => format!("{}/{path}", home()?),
        DefaultFolder::Temp(name) => {
            let tmp = variable_at(at, c, "TMPDIR")?.unwrap_or_else(|| "/tmp".into());
            format!("{tmp}/{name}")
        }
    };
    c.resolve(&folder).ok_or_else(|| unresolved(&folder))
}

/// A variable's value for command `c` at this RUN: the command's own
/// (assignments, `export`), else the stage's ENV/ARG before the RUN; an
/// error when its value is not a literal, or the base image sets it.
fn variable_at(at: &RunAt, c: &Command, name: &str) -> Result<Option<String>, Blocker> {
    if let Some(v) = c.var(name) {
        return Ok(Some(v.to_string()));
    }
    let mut found: Option<Option<String>> = None;
    for n in at.stage.instructions.start..at.n {
        let ins = &at.cx.doc.instructions[n];
        if matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            for (k, v) in at.cx.model.pairs(at.cx.doc, n) {
                if k == name {
                    found = Some(v);
                }
            }
        }
    }
    let base_sets = image_config::config_of(at.stage.effective_base()).is_none_or(|b| b.sets(name));
    match found {
        Some(Some(v)) if !v.contains('$') => Ok(Some(v)),
        Some(_) => Err(unknown(
            at,
            &format!("`{name}` has a value slimfile cannot read at this RUN"),
        )),
        None if base_sets => Err(unknown(
            at,
            &format!(
                "`{name}` may be set by {}, with a value slimfile does not know",
                at.stage.base_text
            ),
        )),
        None => Ok(None),
    }
}

/// The user a RUN runs as: the stage's last USER before it, else root
/// (the bases the recipes split run as root).
fn user_at(at: &RunAt) -> Option<String> {
    let mut user = None;
    for n in at.stage.instructions.start..at.n {
        let ins = &at.cx.doc.instructions[n];
        if ins.keyword == Keyword::User {
            user = ins.words().first().map(|w| w.value.clone());
        }
    }
    user
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    matches!(name, "root" | "0")
}

/// The home folder at this RUN: `HOME` when set, `/root` for root, else
/// the home a `useradd`/`adduser` of the stage gives the named user.
fn home_at(at: &RunAt) -> Option<String> {
    for n in (at.stage.instructions.start..at.n).rev() {
        let ins = &at.cx.doc.instructions[n];
        if matches!(ins.keyword, Keyword::Env)
            && let Some((_, v)) = at
                .cx
                .model
                .pairs(at.cx.doc, n)
                .into_iter()
                .rev()
                .find(|(k, _)| k == "HOME")
        {
            return v.filter(|v| v.starts_with('/') && !v.contains('$'));
        }
    }
    let user = user_at(at).unwrap_or_else(|| "root".to_string());
    if is_root(&user) {
        return Some("/root".to_string());
    }
    let name = user.split(':').next().unwrap_or(&user).to_string();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut home = None;
    for (n, script) in artifacts::run_shells(at.cx, at.stage) {
        if n >= at.n {
            break;
        }
        for c in &script.commands {
            if !matches!(c.program(), Some("useradd" | "adduser")) {
                continue;
            }
            let named = c
                .args()
                .iter()
                .rev()
                .find(|w| !w.raw.starts_with('-'))
                .and_then(|w| w.value.as_deref())
                == Some(name.as_str());
            if named {
                home = Some(
                    c.flag_value(&["-d", "--home-dir", "--home", "-h"])
                        .and_then(|f| f.value)
                        .unwrap_or_else(|| format!("/home/{name}")),
                );
            }
        }
    }
    home
}

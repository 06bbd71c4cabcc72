//! The paths known programs write. Table-driven where it can be; every
//! reading is best effort and says so.

use super::install::{Manager, PackageInstall, install_of};
use super::{Command, ShellWord};

/// How a command writes a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// An output option: `go build -o`, `gcc -o`, `curl -o`, `wget -O`, `dotnet publish -o`.
    Output,
    /// `mkdir`.
    Directory,
    /// The destination of `cp`, `install`, `rsync`.
    Copy,
    /// The destination of `mv`.
    Move,
    /// The link made by `ln`.
    Link,
    /// A file named to `tee` or `touch`.
    File,
    /// A `>`, `>>`, `&>` or `>|` redirection.
    Redirect,
    /// `tar -C`/`unzip -d`/`git clone … DIR`: a folder filled.
    Extract,
    /// `useradd`/`adduser`/`groupadd`/`addgroup`/`usermod`/`chpasswd`: the account files.
    Accounts,
    /// `update-ca-certificates`/`update-ca-trust`: the CA bundle.
    Certificates,
    /// `npm install -g`/`yarn global add`/`pnpm add -g`: the global prefix
    /// (`/usr/local` as in the official node images, unless `--prefix` or
    /// `NPM_CONFIG_PREFIX` says otherwise).
    GlobalPackages,
}

/// A path a command writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenPath {
    /// Absolute and normalised; `None` when it cannot be resolved (expansion,
    /// pattern, relative with an unknown folder).
    pub path: Option<String>,
    /// The word as written (or the implied path, such as `/etc/passwd`).
    pub raw: String,
    pub kind: WriteKind,
    /// Index into [`super::Script::commands`].
    pub command: usize,
}

fn push_word(out: &mut Vec<WrittenPath>, c: &Command, n: usize, w: &ShellWord, kind: WriteKind) {
    let path = w.literal().and_then(|p| c.resolve(p));
    out.push(WrittenPath {
        path,
        raw: w.raw.clone(),
        kind,
        command: n,
    });
}

fn push_fixed(out: &mut Vec<WrittenPath>, n: usize, paths: &[&str], kind: WriteKind) {
    for p in paths {
        out.push(WrittenPath {
            path: Some(p.to_string()),
            raw: p.to_string(),
            kind,
            command: n,
        });
    }
}

/// Operands: arguments that are not options, given which options take a value.
fn operands<'c>(args: &'c [ShellWord], valued: &[&str]) -> Vec<&'c ShellWord> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_dashes = false;
    while let Some(w) = args.get(i) {
        i += 1;
        match w.value.as_deref() {
            Some("--") if !after_dashes => after_dashes = true,
            Some(v) if !after_dashes && v.starts_with('-') && v.len() > 1 => {
                if valued.contains(&v) {
                    i += 1;
                }
            }
            _ => out.push(w),
        }
    }
    out
}

/// Paths command `c` (index `n`) writes, appended to `out`.
pub(super) fn writes_of(c: &Command, n: usize, out: &mut Vec<WrittenPath>) {
    for r in &c.redirects {
        if matches!(r.op, ">" | ">>" | "&>" | "&>>" | ">|")
            && let Some(t) = &r.target
            && t.value.as_deref() != Some("/dev/null")
        {
            push_word(out, c, n, t, WriteKind::Redirect);
        }
    }
    let Some(program) = c.program() else {
        return;
    };
    let args = c.args();
    if let Some(names) = output_options(program, args) {
        if let Some(f) = c.flag_value(names) {
            output_of(out, c, n, f.value.as_deref(), f.word);
        }
        return;
    }
    let value_of = |names: &[&str]| c.flag_value(names).map(|f| f.word);
    if script_outputs(c, n, program, args, out) {
        return;
    }
    match program {
        "mkdir" => {
            for w in operands(args, &["-m", "--mode"]) {
                push_word(out, c, n, w, WriteKind::Directory);
            }
        }
        "touch" => {
            for w in operands(args, &["-d", "-r", "-t"]) {
                push_word(out, c, n, w, WriteKind::File);
            }
        }
        "tee" => {
            for w in operands(args, &[]) {
                push_word(out, c, n, w, WriteKind::File);
            }
        }
        "cp" | "mv" | "install" | "rsync" | "ln" => copy_writes(c, n, program, out),
        "tar" => {
            if let Some(d) = value_of(&["-C", "--directory"]) {
                push_word(out, c, n, d, WriteKind::Extract);
            }
        }
        "unzip" => {
            if let Some(d) = value_of(&["-d"]) {
                push_word(out, c, n, d, WriteKind::Extract);
            }
        }
        "git" if matches!(args.first().and_then(|w| w.value.as_deref()), Some("clone")) => {
            git_clone_writes(c, n, out)
        }
        "useradd" | "adduser" | "usermod" | "groupadd" | "addgroup" | "groupmod" | "chpasswd" => {
            account_writes(c, n, program, out)
        }
        "update-ca-certificates" => {
            push_fixed(out, n, &["/etc/ssl/certs"], WriteKind::Certificates);
        }
        "update-ca-trust" => {
            push_fixed(
                out,
                n,
                &["/etc/pki/ca-trust/extracted"],
                WriteKind::Certificates,
            );
        }
        _ => {
            if let Some(i) = install_of(c, n)
                && i.global
            {
                global_package_dirs(c, n, &i, out);
            }
        }
    }
}

/// The outputs a Python script or module's options name, and those of
/// `huggingface-cli download` / `hf download` (`--local-dir`, `--cache-dir`);
/// true when `c` is one of those.
fn script_outputs(
    c: &Command,
    n: usize,
    program: &str,
    args: &[ShellWord],
    out: &mut Vec<WrittenPath>,
) -> bool {
    if let Some(run) = python_run(c) {
        if !matches!(run.target, PythonTarget::Module(m) if NOT_PROJECT_MODULES.contains(&m)) {
            output_flags(c, n, &args[run.args_from..], out);
        }
        return true;
    }
    let download = args.first().and_then(|w| w.value.as_deref()) == Some("download");
    if matches!(program, "huggingface-cli" | "hf") && download {
        output_flags(c, n, args, out);
        return true;
    }
    false
}

/// What `python …` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PythonTarget<'a> {
    /// `python FILE`: the script, as written.
    Script(&'a str),
    /// `python -m MODULE`.
    Module(&'a str),
    /// `python -c CODE`: the code, when it is a literal.
    Code(Option<&'a str>),
    /// Python reading its program from stdin (`python`, `python -`).
    Stdin,
}

/// A command that runs Python: what it runs, and where that target's own
/// arguments start in [`Command::args`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PythonRun<'a> {
    pub target: PythonTarget<'a>,
    pub args_from: usize,
}

/// True when `name` is a Python interpreter's basename (`python`, `python3`, `python3.11`).
pub fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Modules run with `python -m` that are tools, not project code: their
/// writes are read elsewhere (installs, venvs) or land in the build folder.
pub const NOT_PROJECT_MODULES: &[&str] = &[
    "pip",
    "venv",
    "virtualenv",
    "ensurepip",
    "compileall",
    "py_compile",
    "build",
    "wheel",
    "pytest",
    "unittest",
    "mypy",
    "flake8",
    "black",
    "pylint",
    "ruff",
    "isort",
    "pip_audit",
    "pipx",
    "poetry",
    "pipenv",
    "uv",
    "site",
    "sysconfig",
    "platform",
    "json.tool",
    "http.server",
    "spacy",
];

/// What `c` runs when its program is a Python interpreter: the script,
/// module or code after the interpreter's own options.
///
/// ```
/// use slimfile::shell::{Script, ShellEnv, python_run, PythonTarget};
/// let s = Script::parse("python3 -u train.py --out /m; python -m pip install x; python -c 'print(1)'", &ShellEnv::default());
/// let r = python_run(&s.commands[0]).unwrap();
/// assert_eq!((r.target, r.args_from), (PythonTarget::Script("train.py"), 2));
/// assert_eq!(python_run(&s.commands[1]).unwrap().target, PythonTarget::Module("pip"));
/// assert_eq!(python_run(&s.commands[2]).unwrap().target, PythonTarget::Code(Some("print(1)")));
/// ```
pub fn python_run(c: &Command) -> Option<PythonRun<'_>> {
    if !is_python(c.program()?) {
        return None;
    }
    let args = c.args();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_deref();
        match v {
            Some("-c") => {
                let code = args.get(i + 1).and_then(|w| w.literal());
                return Some(PythonRun {
                    target: PythonTarget::Code(code),
                    args_from: i + 2,
                });
            }
            Some("-m") => {
                let module = args.get(i + 1)?.value.as_deref()?;
                return Some(PythonRun {
                    target: PythonTarget::Module(module),
                    args_from: i + 2,
                });
            }
            Some("-") | None => {
                return Some(PythonRun {
                    target: PythonTarget::Stdin,
                    args_from: i + 1,
                });
            }
            Some("-W" | "-X" | "--check-hash-based-pycs") => i += 2,
            Some(o) if o.starts_with('-') => i += 1,
            Some(script) => {
                return Some(PythonRun {
                    target: PythonTarget::Script(script),
                    args_from: i + 1,
                });
            }
        }
    }
    Some(PythonRun {
        target: PythonTarget::Stdin,
        args_from: args.len(),
    })
}

/// True when a script's option names where it writes (`--out`, `-o`,
/// `--output-dir`, `--model_dir`, `--save-path`, `--local-dir` …): the
/// name, dashes and case aside, is one of the output words alone or one of
/// the output prefixes with a folder or file suffix.
fn is_output_option(option: &str) -> bool {
    let name = option
        .trim_start_matches('-')
        .to_ascii_lowercase()
        .replace('_', "-");
    const ALONE: &[&str] = &[
        "o",
        "out",
        "output",
        "outdir",
        "outfile",
        "outpath",
        "dest",
        "destination",
        "save",
        "save-to",
        "export",
        "python-out",
        "grpc-python-out",
        "pyi-out",
    ];
    const PREFIXES: &[&str] = &[
        "out",
        "output",
        "save",
        "export",
        "model",
        "models",
        "checkpoint",
        "ckpt",
        "cache",
        "download",
        "artifact",
        "artifacts",
        "local",
        "target",
        "weights",
    ];
    const SUFFIXES: &[&str] = &["dir", "path", "file", "folder", "root", "output"];
    ALONE.contains(&name.as_str())
        || name
            .split_once('-')
            .is_some_and(|(p, s)| PREFIXES.contains(&p) && SUFFIXES.contains(&s))
}

/// The paths `args` name with output options (`--out x`, `--out=x`), as writes of command `n`.
fn output_flags(c: &Command, n: usize, args: &[ShellWord], out: &mut Vec<WrittenPath>) {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let Some(v) = w.value.as_deref() else {
            continue;
        };
        if !v.starts_with('-') {
            continue;
        }
        if let Some((option, value)) = v.split_once('=') {
            if is_output_option(option) {
                out.push(WrittenPath {
                    path: (!w.pattern).then(|| c.resolve(value)).flatten(),
                    raw: value.to_string(),
                    kind: WriteKind::Output,
                    command: n,
                });
            }
        } else if is_output_option(v)
            && let Some(next) = args.get(i)
            && !next.value.as_deref().is_some_and(|x| x.starts_with('-'))
        {
            i += 1;
            push_word(out, c, n, next, WriteKind::Output);
        }
    }
}

/// The output options of a program that writes the file they name: `go
/// build -o`, `gcc -o`, `curl -o`, `wget -O`, `dotnet publish -o`.
fn output_options(program: &str, args: &[ShellWord]) -> Option<&'static [&'static str]> {
    let sub = args.first().and_then(|w| w.value.as_deref());
    match program {
        "go" if sub == Some("build") => Some(&["-o"]),
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "nvcc" | "rustc" | "upx" | "curl" => {
            Some(&["-o", "--output"])
        }
        "wget" => Some(&["-O", "--output-document"]),
        "dotnet" if matches!(sub, Some("publish" | "build")) => Some(&["-o", "--output"]),
        _ => None,
    }
}

/// `cp`, `mv`, `install`, `rsync`, `ln`: the target (`-t DIR`, or the last operand).
fn copy_writes(c: &Command, n: usize, program: &str, out: &mut Vec<WrittenPath>) {
    let args = c.args();
    let value_of = |names: &[&str]| c.flag_value(names).map(|f| f.word);
    let kind = match program {
        "mv" => WriteKind::Move,
        "ln" => WriteKind::Link,
        _ => WriteKind::Copy,
    };
    let valued: &[&str] = match program {
        "install" => &["-m", "-o", "-g", "--mode", "--owner", "--group", "-S", "-t"],
        "rsync" => &["-e", "--exclude", "--include", "--chown", "--chmod"],
        _ => &["-t", "-S", "--suffix", "--target-directory"],
    };
    if let Some(t) = value_of(&["-t", "--target-directory"]) {
        push_word(out, c, n, t, kind);
    } else if program == "install"
        && args
            .iter()
            .any(|a| matches!(a.value.as_deref(), Some("-d" | "--directory")))
    {
        for w in operands(args, valued) {
            push_word(out, c, n, w, WriteKind::Directory);
        }
    } else {
        let ops = operands(args, valued);
        if ops.len() >= 2
            && let Some(last) = ops.last()
        {
            push_word(out, c, n, last, kind);
        }
    }
}

/// `git clone URL DIR`: the folder.
fn git_clone_writes(c: &Command, n: usize, out: &mut Vec<WrittenPath>) {
    let args = c.args();
    let ops = operands(
        &args[1..],
        &[
            "-b",
            "--branch",
            "--depth",
            "-o",
            "--origin",
            "-c",
            "--config",
            "--reference",
            "--separate-git-dir",
            "-j",
            "--jobs",
            "--filter",
        ],
    );
    if ops.len() >= 2
        && let Some(d) = ops.last()
    {
        push_word(out, c, n, d, WriteKind::Extract);
    }
}

/// `useradd` and friends: the account files, and the home folder they make.
fn account_writes(c: &Command, n: usize, program: &str, out: &mut Vec<WrittenPath>) {
    let args = c.args();
    let value_of = |names: &[&str]| c.flag_value(names).map(|f| f.word);
    let group_only = matches!(program, "groupadd" | "addgroup" | "groupmod");
    let files: &[&str] = if group_only {
        &["/etc/group", "/etc/gshadow"]
    } else {
        &["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"]
    };
    push_fixed(out, n, files, WriteKind::Accounts);
    if let Some(home) = value_of(&["-d", "--home-dir", "-h", "--home"]) {
        push_word(out, c, n, home, WriteKind::Accounts);
    } else if creates_default_home(program, args) {
        // options of useradd/adduser that take a value
        let valued = [
            "-u",
            "-g",
            "-G",
            "-s",
            "-c",
            "-k",
            "-e",
            "-f",
            "-K",
            "-p",
            "-b",
            "-R",
            "-Z",
            "--uid",
            "--gid",
            "--groups",
            "--shell",
            "--comment",
            "--gecos",
            "--ingroup",
        ];
        if let Some(name) = operands(args, &valued).last().and_then(|w| w.literal()) {
            let home = format!("/home/{name}");
            out.push(WrittenPath {
                path: Some(home.clone()),
                raw: home,
                kind: WriteKind::Accounts,
                command: n,
            });
        }
    }
}

/// An output option's value: `-o x` or `--output=x` (the value word, or the option word with `=`).
fn output_of(
    out: &mut Vec<WrittenPath>,
    c: &Command,
    n: usize,
    value: Option<&str>,
    word: &ShellWord,
) {
    let pattern = word.pattern;
    out.push(WrittenPath {
        path: value.filter(|_| !pattern).and_then(|p| c.resolve(p)),
        raw: value.map_or_else(|| word.raw.clone(), str::to_string),
        kind: WriteKind::Output,
        command: n,
    });
}

/// Home folders made by default: `useradd -m`, `adduser` (Debian and
/// busybox) unless told not to.
fn creates_default_home(program: &str, args: &[ShellWord]) -> bool {
    let has = |names: &[&str]| {
        args.iter()
            .any(|a| a.value.as_deref().is_some_and(|v| names.contains(&v)))
    };
    match program {
        "useradd" => has(&["-m", "--create-home"]),
        "adduser" => !has(&["-H", "--no-create-home", "-S", "--system"]),
        _ => false,
    }
}

/// Where a global JavaScript package install writes. npm: the prefix
/// (`--prefix`, `NPM_CONFIG_PREFIX`, else `/usr/local` as in the official node
/// images) `lib/node_modules` and `bin`. pnpm: `PNPM_HOME`. yarn: its global
/// folder depends on the user's home and yarn's version: unknown.
fn global_package_dirs(c: &Command, n: usize, i: &PackageInstall, out: &mut Vec<WrittenPath>) {
    let mut push = |path: Option<String>, raw: String| {
        out.push(WrittenPath {
            path,
            raw,
            kind: WriteKind::GlobalPackages,
            command: n,
        });
    };
    match i.manager {
        Manager::Npm => {
            let prefix = match &i.location {
                Some(l) => l.path.clone(),
                None => Some(
                    c.var("NPM_CONFIG_PREFIX")
                        .or_else(|| c.var("npm_config_prefix"))
                        .map_or_else(|| "/usr/local".to_string(), |p| super::join("/", p)),
                ),
            };
            for sub in ["lib/node_modules", "bin"] {
                push(
                    prefix.as_deref().map(|p| super::join(p, sub)),
                    format!("{}/{sub}", prefix.as_deref().unwrap_or("<npm prefix>")),
                );
            }
        }
        Manager::Pnpm => {
            let home = match &i.location {
                Some(l) => l.path.clone(),
                None => c.var("PNPM_HOME").map(|p| super::join("/", p)),
            };
            let raw = home.clone().unwrap_or_else(|| "$PNPM_HOME".to_string());
            push(home, raw);
        }
        Manager::Yarn => push(None, "<yarn global dir>".to_string()),
        _ => {}
    }
}

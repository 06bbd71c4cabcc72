//! What known programs do: package installs and the paths commands write.
//! Table-driven where it can be; every reading is best effort and says so.

use std::ops::Range;

use super::{Command, ShellWord};

/// A package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    Apt,
    AptGet,
    Apk,
    Dnf,
    Yum,
    Microdnf,
    Zypper,
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Composer,
    Go,
    Cargo,
}

impl Manager {
    /// True for the distribution's system package managers.
    pub fn is_system(self) -> bool {
        use Manager::*;
        matches!(self, Apt | AptGet | Apk | Dnf | Yum | Microdnf | Zypper)
    }
}

/// One package named on an install command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The name without version or extras (`flask` for `flask[async]==3.0`,
    /// `@scope/pkg` for `@scope/pkg@1`, `curl` for `curl=7.88*`).
    pub name: String,
    /// The version constraint as written (`==3.0`, `5`, `7.88*`), if any.
    pub version: Option<String>,
    /// The word's bytes in the original text, when known.
    pub span: Option<Range<usize>>,
}

/// An install location option (`pip --target DIR`, `npm --prefix DIR`, `cargo install --root DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallLocation {
    /// The option as written (`--user`, `--target`, `--prefix`, `--root`, `--install-dir`).
    pub option: String,
    /// Its folder made absolute (`--user`: `$HOME/.local` when `HOME` is
    /// known); `None` when unknown.
    pub path: Option<String>,
}

/// A package install command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInstall {
    pub manager: Manager,
    /// Installs outside the project: system package managers, `npm
    /// -g`/`--global`/`--location=global`, `yarn global add`, `pnpm add -g`,
    /// `composer global`, `gem install`, `go install`, `cargo install`; pip
    /// unless it has an [`InstallLocation`] (`pip install` outside a venv
    /// writes the interpreter's site-packages).
    pub global: bool,
    /// Packages named on the line; empty for a project install (`npm ci`,
    /// `pip install -r requirements.txt`, `composer install`).
    pub packages: Vec<Package>,
    /// Requirement or manifest files read (`pip -r FILE`, `-c FILE`), as written.
    pub requirement_files: Vec<String>,
    /// `--user`, `--target`, `--prefix`, `--root` and the like.
    pub location: Option<InstallLocation>,
    /// Index into [`super::Script::commands`].
    pub command: usize,
}

/// Options of each manager that take the next word as their value.
fn takes_value(manager: Manager, option: &str) -> bool {
    use Manager::*;
    match manager {
        Apt | AptGet => matches!(
            option,
            "-o" | "-t" | "-c" | "--option" | "--target-release" | "--config-file"
        ),
        Apk => matches!(
            option,
            "-t" | "--virtual"
                | "-X"
                | "--repository"
                | "-p"
                | "--root"
                | "--arch"
                | "--cache-dir"
                | "--keys-dir"
                | "--repositories-file"
        ),
        Dnf | Yum | Microdnf => matches!(
            option,
            "-c" | "--config"
                | "--installroot"
                | "--releasever"
                | "--enablerepo"
                | "--disablerepo"
                | "--setopt"
                | "-x"
                | "--exclude"
                | "--repo"
                | "--repofrompath"
        ),
        Zypper => matches!(
            option,
            "-r" | "--repo" | "--from" | "-t" | "--type" | "--root" | "-R"
        ),
        Pip => matches!(
            option,
            "-r" | "--requirement"
                | "-c"
                | "--constraint"
                | "-e"
                | "--editable"
                | "-i"
                | "--index-url"
                | "--extra-index-url"
                | "-f"
                | "--find-links"
                | "-t"
                | "--target"
                | "--prefix"
                | "--root"
                | "--platform"
                | "--python-version"
                | "--implementation"
                | "--abi"
                | "--trusted-host"
                | "--cache-dir"
                | "--progress-bar"
                | "--src"
                | "--upgrade-strategy"
                | "--no-binary"
                | "--only-binary"
                | "-C"
                | "--config-settings"
                | "--global-option"
                | "--log"
                | "--timeout"
                | "--retries"
                | "--proxy"
                | "--cert"
                | "--client-cert"
                | "--exists-action"
                | "--python"
        ),
        Npm | Pnpm => matches!(
            option,
            "--prefix"
                | "--registry"
                | "--cache"
                | "--userconfig"
                | "-C"
                | "--dir"
                | "--filter"
                | "-w"
                | "--workspace"
        ),
        Yarn => matches!(
            option,
            "--cwd"
                | "--registry"
                | "--cache-folder"
                | "--modules-folder"
                | "--network-timeout"
                | "--mutex"
        ),
        Gem => matches!(
            option,
            "-v" | "--version"
                | "-i"
                | "--install-dir"
                | "-n"
                | "--bindir"
                | "-s"
                | "--source"
                | "--platform"
        ),
        Composer => matches!(option, "-d" | "--working-dir"),
        Go => matches!(
            option,
            "-o" | "-tags"
                | "-ldflags"
                | "-gcflags"
                | "-mod"
                | "-modfile"
                | "-p"
                | "-pkgdir"
                | "-toolexec"
                | "-overlay"
        ),
        Cargo => matches!(
            option,
            "--version"
                | "--vers"
                | "--git"
                | "--branch"
                | "--tag"
                | "--rev"
                | "--path"
                | "--root"
                | "--bin"
                | "--example"
                | "--features"
                | "-F"
                | "--target"
                | "--profile"
                | "-j"
                | "--jobs"
                | "--registry"
                | "--index"
                | "--target-dir"
                | "--config"
                | "-Z"
        ),
    }
}

/// The manager a command runs and the index of its first argument after the
/// install subcommand, with the subcommand's own global flag.
fn manager_and_start(c: &Command) -> Option<(Manager, usize, bool)> {
    let p = c.program_index()?;
    let program = c.program()?;
    let args = &c.words[p + 1..];
    let arg = |i: usize| args.get(i).and_then(|w| w.value.as_deref());
    // the first non-option argument (the subcommand), skipping options that take values
    let sub = |m: Manager| -> Option<(usize, &str)> {
        let mut i = 0;
        while let Some(v) = arg(i) {
            if !v.starts_with('-') {
                return Some((i, v));
            }
            i += if takes_value(m, v) { 2 } else { 1 };
        }
        None
    };
    use Manager::*;
    let found = |m: Manager, subs: &[&str]| -> Option<(Manager, usize, bool)> {
        let (i, s) = sub(m)?;
        subs.contains(&s).then_some((m, p + 1 + i + 1, false))
    };
    let base = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match base {
        "apt-get" => found(AptGet, &["install"]),
        "apt" => found(Apt, &["install"]),
        "apk" => found(Apk, &["add"]),
        "dnf" => found(Dnf, &["install"]),
        "yum" => found(Yum, &["install"]),
        "microdnf" => found(Microdnf, &["install"]),
        "zypper" => found(Zypper, &["install", "in"]),
        "pip" => found(Pip, &["install"]),
        "python" if arg(0) == Some("-m") && matches!(arg(1), Some("pip")) => {
            let (i, s) = {
                let mut i = 2;
                while arg(i).is_some_and(|v| v.starts_with('-')) {
                    i += 1;
                }
                (i, arg(i)?)
            };
            (s == "install").then_some((Pip, p + 1 + i + 1, false))
        }
        "npm" => found(
            Npm,
            &[
                "install",
                "i",
                "in",
                "ins",
                "inst",
                "insta",
                "instal",
                "isnt",
                "isntall",
                "add",
                "ci",
                "clean-install",
                "ic",
                "install-clean",
            ],
        ),
        "pnpm" => found(Pnpm, &["add", "install", "i"]),
        "yarn" => match sub(Yarn) {
            None => Some((Yarn, p + 1 + args.len(), false)),
            Some((i, "global")) => {
                let j = i + 1;
                (arg(j) == Some("add")).then_some((Yarn, p + 1 + j + 1, true))
            }
            Some((i, "add" | "install")) => Some((Yarn, p + 1 + i + 1, false)),
            _ => None,
        },
        "gem" => found(Gem, &["install"]),
        "composer" => match sub(Composer) {
            Some((i, "global")) => {
                let j = i + 1;
                matches!(arg(j), Some("require" | "install")).then_some((
                    Composer,
                    p + 1 + j + 1,
                    true,
                ))
            }
            Some((i, "require" | "install")) => Some((Composer, p + 1 + i + 1, false)),
            _ => None,
        },
        "go" => found(Go, &["install", "get"]),
        "cargo" => found(Cargo, &["install"]),
        _ => None,
    }
}

/// The package install `c` runs, if any.
pub(super) fn install_of(c: &Command, n: usize) -> Option<PackageInstall> {
    let (manager, start, mut global) = manager_and_start(c)?;
    use Manager::*;
    global |= manager.is_system() || matches!(manager, Pip | Gem | Go | Cargo);
    let words = &c.words[start.min(c.words.len())..];
    // at most one package a word: allocated once, not doubled on a long install
    let mut packages = Vec::with_capacity(words.len());
    let mut requirement_files = Vec::new();
    let mut location = None;
    let mut i = 0;
    let mut after_dashes = false;
    while let Some(w) = words.get(i) {
        i += 1;
        let Some(v) = w.value.as_deref() else {
            continue;
        };
        if !after_dashes && v == "--" {
            after_dashes = true;
            continue;
        }
        if !after_dashes && v.starts_with('-') && v.len() > 1 {
            let (option, inline) = match v.split_once('=') {
                Some((o, val)) if o.starts_with("--") => (o, Some(val.to_string())),
                _ => (v, None),
            };
            let value = if inline.is_some() {
                inline
            } else if takes_value(manager, option) {
                i += 1;
                words.get(i - 1).and_then(|w| w.value.clone())
            } else {
                None
            };
            match (manager, option) {
                (Npm | Pnpm, "-g" | "--global") => global = true,
                (Npm, "--location") if value.as_deref() == Some("global") => global = true,
                (Pip, "-r" | "--requirement" | "-c" | "--constraint") => {
                    requirement_files.extend(value);
                }
                (Pip, "--user") => {
                    location = Some(InstallLocation {
                        option: option.to_string(),
                        path: c.var("HOME").map(|h| super::join(h, ".local")),
                    });
                }
                (Pip, "-t" | "--target" | "--prefix" | "--root")
                | (Npm | Pnpm, "--prefix")
                | (Gem, "-i" | "--install-dir")
                | (Cargo, "--root") => {
                    location = Some(InstallLocation {
                        option: option.to_string(),
                        path: value.as_deref().and_then(|p| c.resolve(p)),
                    });
                }
                (Gem, "--user-install") => {
                    location = Some(InstallLocation {
                        option: option.to_string(),
                        path: None,
                    });
                }
                (Gem | Cargo, "-v" | "--version" | "--vers") => {
                    if let (Some(last), Some(val)) = (packages.last_mut(), value) {
                        let last: &mut Package = last;
                        last.version = Some(val);
                    }
                }
                _ => {}
            }
            continue;
        }
        if w.pattern && manager != Apt && manager != AptGet {
            continue;
        }
        packages.push(package_of(manager, v, w));
    }
    if matches!(manager, Pip | Gem | Cargo) && location.is_some() {
        global = false;
    }
    Some(PackageInstall {
        manager,
        global,
        packages,
        requirement_files,
        location,
        command: n,
    })
}

/// Splits a package argument into name and version, each manager its own way.
fn package_of(manager: Manager, v: &str, w: &ShellWord) -> Package {
    use Manager::*;
    let split_at = |i: Option<usize>, skip: usize| match i {
        Some(i) if i > 0 => (v[..i].to_string(), Some(v[i + skip..].to_string())),
        _ => (v.to_string(), None),
    };
    let (mut name, version) = match manager {
        Apt | AptGet => split_at(v.find('='), 1),
        Apk => split_at(v.find(['=', '<', '>', '~']), 0),
        Pip => {
            let (n, ver) = split_at(v.find(['=', '<', '>', '~', '!', ';', '@', ' ']), 0);
            (n, ver.map(|s| s.trim().to_string()))
        }
        Npm | Yarn | Pnpm => {
            // `@scope/name@1`: the version is after the last `@` past the first byte
            let first = v.chars().next().map_or(0, char::len_utf8);
            split_at(v[first..].rfind('@').map(|i| i + first), 1)
        }
        Gem => split_at(v.find(':'), 1),
        Composer => split_at(v.find(':'), 1),
        Go | Cargo => split_at(v.find('@'), 1),
        Dnf | Yum | Microdnf | Zypper => (v.to_string(), None),
    };
    if manager == Pip
        && let Some(i) = name.find('[')
    {
        name.truncate(i);
    }
    if matches!(manager, Apt | AptGet)
        && let Some(i) = name.find('/')
    {
        name.truncate(i);
    }
    Package {
        name,
        version,
        span: w.span.clone(),
    }
}

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
    let value_of = |names: &[&str]| c.flag_value(names).map(|f| f.word);
    match program {
        "go" if matches!(args.first().and_then(|w| w.value.as_deref()), Some("build")) => {
            if let Some(f) = c.flag_value(&["-o"]) {
                output_of(out, c, n, f.value.as_deref(), f.word);
            }
        }
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "rustc" | "upx" | "curl" => {
            if let Some(f) = c.flag_value(&["-o", "--output"]) {
                output_of(out, c, n, f.value.as_deref(), f.word);
            }
        }
        "wget" => {
            if let Some(f) = c.flag_value(&["-O", "--output-document"]) {
                output_of(out, c, n, f.value.as_deref(), f.word);
            }
        }
        "dotnet"
            if matches!(
                args.first().and_then(|w| w.value.as_deref()),
                Some("publish" | "build")
            ) =>
        {
            if let Some(f) = c.flag_value(&["-o", "--output"]) {
                output_of(out, c, n, f.value.as_deref(), f.word);
            }
        }
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
        "cp" | "mv" | "install" | "rsync" | "ln" => {
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
        "useradd" | "adduser" | "usermod" | "groupadd" | "addgroup" | "groupmod" | "chpasswd" => {
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

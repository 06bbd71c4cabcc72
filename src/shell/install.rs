//! What package installs a command runs: the manager, the packages, where
//! they go. Table-driven where it can be; every reading is best effort.

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
#[allow(
    clippy::too_many_lines,
    reason = "a flat table: one option list per manager"
)]
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

/// npm's install subcommand and its aliases (npm's own list, typos included).
const NPM_INSTALL: &[&str] = &[
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
];

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
        "npm" => found(Npm, NPM_INSTALL),
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
    let (manager, start, global) = manager_and_start(c)?;
    use Manager::*;
    let words = &c.words[start.min(c.words.len())..];
    let mut install = PackageInstall {
        manager,
        global: global || manager.is_system() || matches!(manager, Pip | Gem | Go | Cargo),
        // at most one package a word: allocated once, not doubled on a long install
        packages: Vec::with_capacity(words.len()),
        requirement_files: Vec::new(),
        location: None,
        command: n,
    };
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
            install.read_option(c, option, value);
            continue;
        }
        if w.pattern && manager != Apt && manager != AptGet {
            continue;
        }
        install.packages.push(package_of(manager, v, w));
    }
    if matches!(manager, Pip | Gem | Cargo) && install.location.is_some() {
        install.global = false;
    }
    Some(install)
}

impl PackageInstall {
    /// What option `option` (with its value) of the install command says.
    fn read_option(&mut self, c: &Command, option: &str, value: Option<String>) {
        use Manager::*;
        let location = |path| {
            Some(InstallLocation {
                option: option.to_string(),
                path,
            })
        };
        match (self.manager, option) {
            (Npm | Pnpm, "-g" | "--global") => self.global = true,
            (Npm, "--location") if value.as_deref() == Some("global") => self.global = true,
            (Pip, "-r" | "--requirement" | "-c" | "--constraint") => {
                self.requirement_files.extend(value);
            }
            (Pip, "--user") => {
                self.location = location(c.var("HOME").map(|h| super::join(h, ".local")));
            }
            (Pip, "-t" | "--target" | "--prefix" | "--root")
            | (Npm | Pnpm, "--prefix")
            | (Gem, "-i" | "--install-dir")
            | (Cargo, "--root") => {
                self.location = location(value.as_deref().and_then(|p| c.resolve(p)));
            }
            (Gem, "--user-install") => self.location = location(None),
            (Gem | Cargo, "-v" | "--version" | "--vers") => {
                if let (Some(last), Some(val)) = (self.packages.last_mut(), value) {
                    last.version = Some(val);
                }
            }
            _ => {}
        }
    }
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

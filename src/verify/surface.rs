//! The attack surface of a built image, read from its filesystem without
//! running anything inside it (so scratch and distroless images are read
//! like any other): the engine creates a container that never starts,
//! exports its flattened filesystem as a tar stream, and [`read_tar`] counts
//! what a scanner would:
//!
//! - `os_packages`: installed packages in the dpkg status file (and the
//!   `status.d` folder distroless images use), or in apk's installed
//!   database; an rpm database is named but not read;
//! - `setuid_files`: regular files with the setuid or setgid bit;
//! - `shells`, `package_managers`, `compilers`: those programs, by name, in
//!   any `bin` or `sbin` folder (`/usr/local/go/bin/go`, `/usr/local/cuda/bin/nvcc`
//!   and `/opt/conda/bin/pip` count too); versioned names count as theirs
//!   (`gcc-12` is gcc, `pip3.12` is pip);
//! - `files`: regular files;
//! - `user`: the user the image's command runs as (its config), `root` when
//!   it sets none.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Stdio;

use super::Engine;

/// What an image carries that an attacker could use, counted as scanners do.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Surface {
    /// Installed packages; `None` when the database is one slimfile does not
    /// read (rpm). An image with no package database has 0.
    pub os_packages: Option<u64>,
    /// The package database found: `dpkg`, `apk`, `rpm` or `none`.
    pub package_db: String,
    pub setuid_files: u64,
    pub shells: Vec<String>,
    pub package_managers: Vec<String>,
    pub compilers: Vec<String>,
    /// The user the command runs as (`root` when the image sets none).
    pub user: String,
    /// Regular files.
    pub files: u64,
    /// The installed packages' names (for the list of removed ones).
    #[serde(skip)]
    pub package_names: BTreeSet<String>,
}

const SHELLS: [&str; 6] = ["sh", "bash", "dash", "ash", "busybox", "zsh"];
const PACKAGE_MANAGERS: [&str; 9] = [
    "apt", "dpkg", "apk", "yum", "dnf", "microdnf", "pip", "npm", "gem",
];
const COMPILERS: [&str; 8] = ["gcc", "cc", "g++", "clang", "go", "rustc", "javac", "nvcc"];

/// The known name `file` is a version of: itself, or itself followed by a
/// version (`gcc-12`, `pip3`, `pip3.12`, `clang-16`, `python3.11` is none).
fn known<'a>(file: &str, names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| {
        file.strip_prefix(n).is_some_and(|rest| {
            rest.is_empty()
                || (rest
                    .trim_start_matches('-')
                    .starts_with(|c: char| c.is_ascii_digit())
                    && rest
                        .trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.'))
        })
    })
}

/// Counts the dpkg stanzas that are installed (`Status: install ok installed`,
/// or no Status line at all, as in distroless's `status.d`), with their names.
fn dpkg_installed(text: &str, names: &mut BTreeSet<String>) {
    for stanza in text.split("\n\n") {
        let field = |name: &str| {
            stanza.lines().find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(str::trim)
            })
        };
        let installed = field("Status").is_none_or(|s| s.ends_with(" installed"));
        if let Some(p) = field("Package").filter(|_| installed) {
            let arch = field("Architecture").unwrap_or("");
            // two architectures of one package are two packages, as dpkg -l lists them
            names.insert(match arch {
                "" | "all" => p.to_string(),
                _ if names.contains(p) => format!("{p}:{arch}"),
                _ => p.to_string(),
            });
        }
    }
}

/// apk's installed database: one `P:` line per package.
fn apk_installed(text: &str, names: &mut BTreeSet<String>) {
    for l in text.lines() {
        if let Some(p) = l.strip_prefix("P:") {
            names.insert(p.trim().to_string());
        }
    }
}

/// Reads the surface (all but `user`) from a tar stream of an image's filesystem.
pub fn read_tar(stream: impl Read) -> std::io::Result<Surface> {
    let mut s = Surface::default();
    let (mut shells, mut managers, mut compilers) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut dbs = BTreeSet::new();
    let mut archive = tar::Archive::new(stream);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let header = entry.header();
        let kind = header.entry_type();
        let mode = header.mode().unwrap_or(0);
        let path = entry.path()?.to_string_lossy().into_owned();
        let path = path.trim_start_matches("./").trim_start_matches('/');
        let path = path.trim_end_matches('/').to_string();
        let regular = kind.is_file() || kind.is_hard_link();
        if regular {
            s.files += 1;
            if mode & 0o6000 != 0 {
                s.setuid_files += 1;
            }
        }
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", &path));
        let in_bin =
            dir == "bin" || dir == "sbin" || dir.ends_with("/bin") || dir.ends_with("/sbin");
        if in_bin && (regular || kind.is_symlink()) {
            if let Some(n) = known(file, &SHELLS) {
                shells.insert(n);
            }
            if let Some(n) = known(file, &PACKAGE_MANAGERS) {
                managers.insert(n);
            }
            if let Some(n) = known(file, &COMPILERS) {
                compilers.insert(n);
            }
            if file == "apt-get" {
                managers.insert("apt");
            }
        }
        let db_file = path == "var/lib/dpkg/status"
            || (dir == "var/lib/dpkg/status.d" && !file.ends_with(".md5sums"))
            || path == "lib/apk/db/installed";
        if regular && db_file {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            let text = String::from_utf8_lossy(&bytes);
            if path.starts_with("lib/apk") {
                dbs.insert("apk");
                apk_installed(&text, &mut s.package_names);
            } else {
                dbs.insert("dpkg");
                dpkg_installed(&text, &mut s.package_names);
            }
        } else if matches!(
            path.as_str(),
            "var/lib/rpm/Packages"
                | "var/lib/rpm/rpmdb.sqlite"
                | "usr/lib/sysimage/rpm/rpmdb.sqlite"
                | "usr/lib/sysimage/rpm/Packages"
        ) {
            dbs.insert("rpm");
        }
    }
    s.package_db = match (dbs.contains("rpm"), dbs.first()) {
        (true, _) => "rpm",
        (false, Some(db)) => db,
        (false, None) => "none",
    }
    .to_string();
    s.os_packages = (s.package_db != "rpm").then_some(s.package_names.len() as u64);
    s.shells = shells.into_iter().map(str::to_string).collect();
    s.package_managers = managers.into_iter().map(str::to_string).collect();
    s.compilers = compilers.into_iter().map(str::to_string).collect();
    Ok(s)
}

/// Whether a config user is root (`""`, `root`, `0`, `0:0`, `root:root` …).
pub fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("");
    name.is_empty() || name == "root" || name == "0"
}

/// The image's config user and its exposed ports.
fn config(engine: &Engine, tag: &str) -> (String, Vec<u16>) {
    let out = engine
        .command()
        .args(["image", "inspect", tag, "--format"])
        .arg("{{.Config.User}}|{{json .Config.ExposedPorts}}")
        .stdin(Stdio::null())
        .output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let (user, ports) = text.split_once('|').unwrap_or((&text, ""));
    let ports = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(ports)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.split('/').next()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let user = if user.is_empty() { "root" } else { user };
    (user.to_string(), ports)
}

/// Reads the surface of a built image: a container is created (never
/// started), its filesystem exported and read, and the container removed.
pub fn read(engine: &Engine, tag: &str, name: &str) -> Result<(Surface, Vec<u16>), String> {
    // a command is given so images with none (scratch) can be created; it never runs
    let created = engine
        .command()
        .args(["create", "--name", name, tag, "/slimfile-surface"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", engine.program))?;
    if !created.status.success() {
        return Err(format!(
            "cannot create a container of {tag}: {}",
            String::from_utf8_lossy(&created.stderr).trim()
        ));
    }
    let result = export(engine, name);
    let _ = engine
        .command()
        .args(["rm", "-f", name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let mut surface = result?;
    let (user, ports) = config(engine, tag);
    surface.user = user;
    Ok((surface, ports))
}

fn export(engine: &Engine, name: &str) -> Result<Surface, String> {
    let mut child = engine
        .command()
        .args(["export", name])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", engine.program))?;
    let mut stdout = child.stdout.take().ok_or("no export stream")?;
    let read = read_tar(&mut stdout);
    // the archive ends before the stream does (Docker pads it to its record
    // size): read the rest, or the engine fails writing into a closed pipe
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    drop(stdout);
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let read = read.map_err(|e| format!("cannot read the exported filesystem: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "export failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(read)
}

/// The packages of `before` that `after` no longer has.
pub fn removed_packages(before: &Surface, after: &Surface) -> Vec<String> {
    before
        .package_names
        .difference(&after.package_names)
        .cloned()
        .collect()
}

/// One line comparing two surfaces: `412 → 0 packages, 7 → 0 setuid, shell
/// removed, compilers removed (gcc, go)`.
pub fn compare(before: &Surface, after: &Surface) -> String {
    let count = |n: Option<u64>| n.map_or("?".to_string(), |n| n.to_string());
    let mut parts = vec![
        format!(
            "{} → {} packages",
            count(before.os_packages),
            count(after.os_packages)
        ),
        format!("{} → {} setuid", before.setuid_files, after.setuid_files),
    ];
    let set = |label: &str, one: &str, a: &[String], b: &[String]| {
        let gone: Vec<_> = a.iter().filter(|x| !b.contains(x)).cloned().collect();
        let new: Vec<_> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
        match (a.is_empty(), b.is_empty(), gone.is_empty(), new.is_empty()) {
            (true, true, ..) => format!("no {label}"),
            (false, true, ..) if a.len() == 1 => format!("{one} removed ({})", a[0]),
            (false, true, ..) => format!("{label} removed ({})", a.join(", ")),
            (_, _, true, true) => format!("{label} kept ({})", b.join(", ")),
            (_, _, false, true) => format!(
                "{label} {} removed, kept ({})",
                gone.join(", "),
                b.join(", ")
            ),
            _ => format!("{label} {} → {}", list(a), list(b)),
        }
    };
    parts.push(set("shells", "shell", &before.shells, &after.shells));
    parts.push(set(
        "compilers",
        "compiler",
        &before.compilers,
        &after.compilers,
    ));
    parts.push(set(
        "package managers",
        "package manager",
        &before.package_managers,
        &after.package_managers,
    ));
    parts.push(format!("{} → {} files", before.files, after.files));
    parts.push(if before.user == after.user {
        format!("user {}", after.user)
    } else {
        format!("user {} → {}", before.user, after.user)
    });
    parts.join(", ")
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// The info note for a runtime that runs as root: `None` when it does not,
/// or when it exposes a port below 1024 (binding it may need root).
pub fn root_note(after: &Surface, ports: &[u16]) -> Option<String> {
    if !is_root(&after.user) || ports.iter().any(|p| *p < 1024) {
        return None;
    }
    Some(
        "the rewritten image runs its command as root; if the command needs no root (the files \
         it writes, no port below 1024), add `USER 65532:65532` before CMD (a suggestion: \
         slimfile never changes the user)"
            .into(),
    )
}

#[cfg(test)]
mod tests;

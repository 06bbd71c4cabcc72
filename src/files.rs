//! Finding Dockerfiles, reading them, and writing them back atomically.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// True for names slimfile treats as Dockerfiles when walking folders.
///
/// The patterns editors and GitHub's language detection use, compared
/// case-insensitively:
/// - `Dockerfile` and `Containerfile`, alone or followed by `.`, `-` or `_`
///   and more (`Dockerfile.prod`, `Dockerfile-dev`, `containerfile_ci`);
/// - `*.dockerfile` and `*.containerfile` (`api.Dockerfile`, `build.containerfile`).
///
/// Never taken, because they are not Dockerfiles even when named like one:
/// - BuildKit's per-Dockerfile ignore files, `*.dockerignore`
///   (`Dockerfile.dockerignore`, `api.Dockerfile.dockerignore`);
/// - a last extension that names another kind of file: documents and data
///   (`.md`, `.txt`, `.rst`, `.adoc`, `.html`, `.json`, `.yml`, `.yaml`,
///   `.toml`, `.xml`, `.sh`, `.ps1`, `.py`, `.lock`, `.log`, `.patch`,
///   `.diff`), templates that only become Dockerfiles once rendered
///   (`.tmpl`, `.tpl`, `.template`, `.j2`, `.jinja`, `.jinja2`, `.erb`,
///   `.mustache`, `.hbs`, `.in`), and leftovers of editors, merges and
///   package managers (`.orig`, `.rej`, `.bak`, `.old`, `.tmp`, `.swp`,
///   `.swo`, `.dpkg-old`, `.dpkg-dist`, `.rpmnew`, `.rpmsave`);
/// - backup and autosave names: ending in `~`, or `#…#`.
///
/// A file named on the command line is processed whatever its name.
///
/// ```
/// use slimfile::files::is_dockerfile_name;
/// for name in [
///     "Dockerfile", "dockerfile", "DOCKERFILE", "Dockerfile.prod", "Dockerfile-dev",
///     "Dockerfile_prod", "api.Dockerfile", "api.dockerfile", "Containerfile",
///     "Containerfile.ci", "build.containerfile",
/// ] {
///     assert!(is_dockerfile_name(name), "{name}");
/// }
/// for name in [
///     "README.md", "Dockerfile.md", "Dockerfile.txt", "Dockerfile.orig", "Dockerfile.swp",
///     ".Dockerfile.swp", "Dockerfile.bak", "Dockerfile~", "#Dockerfile#", "Dockerfile.dockerignore",
///     "api.Dockerfile.dockerignore", "Dockerfile.j2", "Dockerfiles", "DockerfileGenerator.java",
///     ".dockerfile", "docker-compose.yml",
/// ] {
///     assert!(!is_dockerfile_name(name), "{name}");
/// }
/// ```
pub fn is_dockerfile_name(name: &str) -> bool {
    const NOT_DOCKERFILES: &[&str] = &[
        "dockerignore",
        "md",
        "txt",
        "rst",
        "adoc",
        "html",
        "json",
        "yml",
        "yaml",
        "toml",
        "xml",
        "sh",
        "ps1",
        "py",
        "lock",
        "log",
        "patch",
        "diff",
        "tmpl",
        "tpl",
        "template",
        "j2",
        "jinja",
        "jinja2",
        "erb",
        "mustache",
        "hbs",
        "in",
        "orig",
        "rej",
        "bak",
        "old",
        "tmp",
        "swp",
        "swo",
        "dpkg-old",
        "dpkg-dist",
        "rpmnew",
        "rpmsave",
    ];
    let lower = name.to_ascii_lowercase();
    if lower.ends_with('~') || (lower.starts_with('#') && lower.ends_with('#')) {
        return false;
    }
    let by_prefix = ["dockerfile", "containerfile"].iter().any(|base| {
        lower.strip_prefix(base).is_some_and(|after| {
            after.is_empty() || (after.len() > 1 && after.starts_with(['.', '-', '_']))
        })
    });
    let by_extension = [".dockerfile", ".containerfile"]
        .iter()
        .any(|ext| lower.len() > ext.len() && lower.ends_with(ext));
    if !by_prefix && !by_extension {
        return false;
    }
    !lower
        .rsplit_once('.')
        .is_some_and(|(_, last)| NOT_DOCKERFILES.contains(&last))
}

/// Files found, and folders that could not be walked (with the reason).
pub type Discovered = (Vec<PathBuf>, Vec<(PathBuf, String)>);

/// Files to process for `paths`: explicit files as given, folders walked
/// (honouring .gitignore/.ignore, not following symlinks), sorted, deduplicated.
pub fn discover(paths: &[PathBuf], exclude: &[String]) -> Result<Discovered> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in exclude {
        builder.add(
            globset::Glob::new(pattern)
                .with_context(|| format!("invalid --exclude pattern `{pattern}`"))?,
        );
    }
    let excluded = builder.build()?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        // a folder is walked, unless it is named like a Dockerfile: then the
        // user meant a file, and processing it reports "is a directory"
        let named_like_file = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_dockerfile_name);
        if !path.is_dir() || named_like_file {
            found.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .follow_links(false)
            .require_git(false)
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if is_file && is_dockerfile_name(name) && !excluded.is_match(p) {
                        found.push(p.to_path_buf());
                    }
                }
                Err(err) => problems.push((path.clone(), err.to_string())),
            }
        }
    }
    found.sort();
    found.dedup();
    Ok((found, problems))
}

/// Writes `bytes` to `path` atomically: a temp file in the same folder,
/// flushed and synced, then renamed over the original, keeping its mode.
/// A symlink is written through to its target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target =
        fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let meta =
        fs::metadata(&target).with_context(|| format!("cannot stat {}", target.display()))?;
    if meta.permissions().readonly() {
        bail!("file is read-only; not rewriting it");
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".slimfile-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    fs::set_permissions(tmp.path(), meta.permissions())?;
    tmp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    // make the rename itself durable
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// True for the names of [`write_atomic`]'s temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(".slimfile-") && name.ends_with(".tmp")
}

/// Removes temporary files an interrupted run (killed between creating its
/// temp file and the rename) left in `dir`; returns how many.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| e.file_name().to_str().is_some_and(is_temp_name))
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

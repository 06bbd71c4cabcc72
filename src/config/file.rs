//! Configuration files: the closest `slimfile.toml` / `.slimfile.toml`, its
//! values and its `[[overrides]]` (read from disk: the native build only).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{PASS_IDS, Prefer, Settings};
use crate::edit::Safety;
use globset::{Glob, GlobSet, GlobSetBuilder};

/// File names looked for, in each folder from a Dockerfile's up to the repository root.
pub(crate) const CONFIG_NAMES: [&str; 2] = ["slimfile.toml", ".slimfile.toml"];

/// The keys of a `slimfile.toml`. Unknown keys are errors.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    safety: Option<Safety>,
    max_file_bytes: Option<usize>,
    #[serde(default)]
    bases: Bases,
    #[serde(default)]
    overrides: Vec<Override>,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Bases {
    prefer: Option<Prefer>,
    /// `"python:3.12" = "registry.example.com/python:3.12-slim"`
    #[serde(default)]
    map: BTreeMap<String, String>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    paths: Vec<String>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    safety: Option<Safety>,
    prefer: Option<Prefer>,
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The folder override globs are relative to.
    dir: PathBuf,
    file: FileSettings,
    globs: Vec<GlobSet>,
}

/// A configuration file that cannot be used: `PATH:LINE:COL: message`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: error: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let error = |offset: usize, text: &str, message: String| {
            let before = &text[..offset.min(text.len())];
            ConfigError {
                path: shown.clone(),
                line: before.matches('\n').count() + 1,
                column: before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1,
                message,
            }
        };
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: shown.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
        })?;
        let file: FileSettings = toml::from_str(&text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            error(at, &text, e.message().trim().to_string())
        })?;
        // pass ids must exist
        let mut ids: Vec<&String> = file.select.iter().flatten().collect();
        ids.extend(file.ignore.iter().flatten());
        for o in &file.overrides {
            ids.extend(o.select.iter().flatten());
            ids.extend(o.ignore.iter().flatten());
        }
        for id in ids {
            if !PASS_IDS.contains(&id.as_str()) {
                let at = text.find(&format!("\"{id}\"")).unwrap_or(0);
                return Err(error(
                    at,
                    &text,
                    format!("unknown pass `{id}` (known: {})", PASS_IDS.join(", ")),
                ));
            }
        }
        let mut globs = Vec::new();
        for o in &file.overrides {
            let mut b = GlobSetBuilder::new();
            for p in &o.paths {
                let glob = Glob::new(p).map_err(|e| {
                    let at = text.find(&format!("\"{p}\"")).unwrap_or(0);
                    error(at, &text, format!("bad glob `{p}`: {e}"))
                })?;
                b.add(glob);
            }
            globs.push(b.build().map_err(|e| error(0, &text, e.to_string()))?);
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Ok(Config {
            path: path.to_path_buf(),
            dir,
            file,
            globs,
        })
    }

    /// The closest configuration file for a Dockerfile in `dir`: this folder
    /// or a parent, stopping at the repository root (a folder with `.git`).
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        for d in start.ancestors() {
            for name in CONFIG_NAMES {
                let p = d.join(name);
                if p.is_file() {
                    return Some(p);
                }
            }
            if d.join(".git").exists() {
                return None;
            }
        }
        None
    }

    /// `settings` with this file's values, then the overrides matching `file`, applied.
    pub fn apply(&self, settings: &mut Settings, file: &Path) {
        let f = &self.file;
        if let Some(s) = &f.select {
            settings.select = Some(s.clone());
        }
        if let Some(i) = &f.ignore {
            settings.ignore = i.clone();
        }
        if let Some(s) = f.safety {
            settings.safety = s;
        }
        if let Some(m) = f.max_file_bytes {
            settings.max_file_bytes = m;
        }
        if let Some(p) = f.bases.prefer {
            settings.prefer = p;
        }
        settings
            .base_map
            .extend(f.bases.map.iter().map(|(k, v)| (k.clone(), v.clone())));
        let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let dir = abs(&self.dir);
        let target = abs(file);
        let Ok(relative) = target.strip_prefix(&dir) else {
            return;
        };
        for (o, globs) in f.overrides.iter().zip(&self.globs) {
            if !globs.is_match(relative) {
                continue;
            }
            if let Some(s) = &o.select {
                settings.select = Some(s.clone());
            }
            if let Some(i) = &o.ignore {
                settings.ignore.extend(i.iter().cloned());
            }
            if let Some(s) = o.safety {
                settings.safety = s;
            }
            if let Some(p) = o.prefer {
                settings.prefer = p;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("slimfile.toml");
        std::fs::write(&p, text).unwrap();
        Config::load(&p)
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = load("safety = \"safe\"\nselct = [\"slim-base\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("selct"), "{}", e.message);
    }

    #[test]
    fn bad_values_and_unknown_passes() {
        let e = load("safety = \"risky\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("risky"), "{}", e.message);
        let e = load("\n\nignore = [\"slim-bse\"]\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unknown pass `slim-bse`"));
        let e = load("[bases]\nprefer = \"tiny\"\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn overrides_apply_to_matching_paths() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("slimfile.toml");
        std::fs::write(
            &p,
            "safety = \"safe\"\n[bases]\nprefer = \"alpine\"\n[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"split-stages\"]\nsafety = \"unsafe\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("legacy/app")).unwrap();
        let c = Config::load(&p).unwrap();
        let mut s = Settings::default();
        c.apply(&mut s, &dir.path().join("svc/Dockerfile"));
        assert_eq!((s.safety, s.prefer), (Safety::Safe, Prefer::Alpine));
        assert!(s.runs("split-stages"));
        let mut s = Settings::default();
        c.apply(&mut s, &dir.path().join("legacy/app/Dockerfile"));
        assert_eq!(s.safety, Safety::Unsafe);
        assert!(!s.runs("split-stages"));
    }

    #[test]
    fn find_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        std::fs::write(dir.path().join("slimfile.toml"), "").unwrap();
        assert_eq!(Config::find(&repo.join("a/b")), None);
        std::fs::write(repo.join("a/.slimfile.toml"), "").unwrap();
        assert_eq!(
            Config::find(&repo.join("a/b")).map(|p| p.file_name().unwrap().to_owned()),
            Some(".slimfile.toml".into())
        );
    }
}

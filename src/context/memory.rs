//! A build context held in memory (the browser playground's files): the
//! same answers a folder with those files gives, with no file system.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{READ_BYTES, SCAN_BYTES, SCAN_FILES, Scan};

/// A build context held in memory: each file's bytes by its path in the
/// context. Paths are rooted as the gate roots every path (`./go.mod`,
/// `/go.mod` and `go.mod` are one file; `..` stops at the root), folders are
/// the paths' parents, and there are no links.
///
/// ```
/// use slimfile::context::{self, ContextFiles};
/// let mut files = ContextFiles::new();
/// files.insert("./cmd/server/main.go", "package main\n").unwrap();
/// assert!(context::is_dir(&files, "cmd"));
/// assert!(context::exists(&files, "/cmd/server/main.go"));
/// assert!(files.insert("cmd", "a file where a folder is").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ContextFiles {
    /// By rooted path, parts joined with `/` (never empty).
    files: BTreeMap<String, Vec<u8>>,
}

/// A path [`ContextFiles::insert`] cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}`: {reason}")]
pub struct BadPath {
    pub path: String,
    pub reason: &'static str,
}

impl ContextFiles {
    pub fn new() -> ContextFiles {
        ContextFiles::default()
    }

    /// Adds the file at `path` (or replaces its contents). A path that names
    /// the context's root, a folder of other files, or a file's subpath is
    /// refused: a folder on disk could not hold it either.
    pub fn insert(&mut self, path: &str, contents: impl Into<Vec<u8>>) -> Result<(), BadPath> {
        let bad = |reason| {
            Err(BadPath {
                path: path.to_string(),
                reason,
            })
        };
        let key = rooted(path);
        if key.is_empty() {
            return bad("names the build context's root, not a file");
        }
        if self.is_dir(&key) {
            return bad("is a folder of other files");
        }
        if parents(&key).any(|p| self.files.contains_key(p)) {
            return bad("a file cannot hold other files");
        }
        self.files.insert(key, contents.into());
        Ok(())
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub(super) fn read(&self, rel: &str) -> Option<String> {
        let bytes = self.files.get(&rooted(rel))?;
        if bytes.len() as u64 > READ_BYTES {
            return None;
        }
        String::from_utf8(bytes.clone()).ok()
    }

    pub(super) fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(&rooted(rel))
    }

    pub(super) fn is_dir(&self, rel: &str) -> bool {
        let key = rooted(rel);
        if key.is_empty() {
            return true;
        }
        let prefix = format!("{key}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    pub(super) fn exists(&self, rel: &str) -> bool {
        self.is_file(rel) || self.is_dir(rel)
    }

    /// The files under the folder `rel` (or `rel` itself, a file) whose names
    /// end with one of `suffixes`, as the folder walk of the disk gate finds
    /// them: hidden files and folders skipped, `.dockerignore`, `.ignore` and
    /// `.gitignore` rules honoured (a folder's own before its parents', in
    /// that order of kinds), and the same file and byte bounds.
    pub(super) fn scan(&self, rel: &str, suffixes: &[&str]) -> Scan {
        let root = rooted(rel);
        let rules = Rules::of(self);
        let mut out = Scan::default();
        // the walk's first entry is its root
        let mut seen = 1usize;
        let mut bytes = 0u64;
        let mut dirs: BTreeMap<&str, bool> = BTreeMap::new();
        'files: for (key, contents) in &self.files {
            let Some(below) = under(key, &root) else {
                continue;
            };
            // the folders between the walk's root and the file: entries of the walk, once each
            for dir in parents(key).collect::<Vec<_>>().into_iter().rev() {
                if dir.len() <= root.len() {
                    continue;
                }
                match dirs.get(dir) {
                    Some(true) => continue,
                    Some(false) => continue 'files,
                    None => {}
                }
                let walked = !hidden(dir) && !rules.ignores(dir, true);
                dirs.insert(dir, walked);
                if !walked {
                    continue 'files;
                }
                seen += 1;
                if seen > SCAN_FILES {
                    out.cut = Some(format!("more than {SCAN_FILES} files"));
                    break 'files;
                }
            }
            if below {
                if hidden(key) || rules.ignores(key, false) {
                    continue;
                }
                seen += 1;
                if seen > SCAN_FILES {
                    out.cut = Some(format!("more than {SCAN_FILES} files"));
                    break;
                }
            }
            if !suffixes.iter().any(|s| name(key).ends_with(s)) {
                continue;
            }
            bytes += contents.len() as u64;
            if bytes > SCAN_BYTES {
                out.cut = Some(format!("more than {} MB of sources", SCAN_BYTES >> 20));
                break;
            }
            if let Some(text) = self.read(key) {
                out.files.push((PathBuf::from(key), text));
            }
        }
        out
    }
}

/// `rel` read as BuildKit reads a COPY source, and as `Path::components`
/// reads it on disk: the context's root is `/`, `.` and empty parts are
/// dropped, `..` stops at the root. Parts joined with `/`; empty for the root.
///
/// (`shell::join` does the same for absolute paths, but the gate sits beside
/// the shell model, not above it: tests/architecture.rs.)
fn rooted(rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// The folders holding `key`, innermost first (the root, `""`, left out).
fn parents(key: &str) -> impl Iterator<Item = &str> {
    key.char_indices()
        .rev()
        .filter(|&(_, c)| c == '/')
        .map(move |(i, _)| &key[..i])
}

/// `key`'s last part.
fn name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// A walk hides names starting with a dot.
fn hidden(key: &str) -> bool {
    name(key).starts_with('.')
}

/// Whether `key` is in the walk of `root`: `Some(true)` below it,
/// `Some(false)` when it is the root itself (a walk of one file), `None` when
/// outside.
fn under(key: &str, root: &str) -> Option<bool> {
    if root.is_empty() {
        return Some(true);
    }
    if key == root {
        return Some(false);
    }
    key.strip_prefix(root)
        .is_some_and(|rest| rest.starts_with('/'))
        .then_some(true)
}

/// The ignore files of the context, by the folder they sit in; the kinds in
/// the order of precedence of the folder walk (`.dockerignore` is its custom
/// ignore file, above `.ignore`, above `.gitignore`).
struct Rules {
    kinds: [BTreeMap<String, Gitignore>; 3],
}

const IGNORE_FILES: [&str; 3] = [".dockerignore", ".ignore", ".gitignore"];

impl Rules {
    fn of(files: &ContextFiles) -> Rules {
        let mut kinds: [BTreeMap<String, Gitignore>; 3] = Default::default();
        for (key, contents) in &files.files {
            let Some(kind) = IGNORE_FILES.iter().position(|f| *f == name(key)) else {
                continue;
            };
            let dir = parents(key).next().unwrap_or("");
            // matched with paths relative to `dir`: root `.` strips nothing
            let mut builder = GitignoreBuilder::new(".");
            for line in String::from_utf8_lossy(contents).lines() {
                // a bad line is skipped, as the walk skips it
                let _ = builder.add_line(None, line);
            }
            if let Ok(matcher) = builder.build() {
                kinds[kind].insert(dir.to_string(), matcher);
            }
        }
        Rules { kinds }
    }

    /// True when the rules say `key` is ignored: for each kind, the nearest
    /// folder's rule that decides; the first kind that decides wins.
    fn ignores(&self, key: &str, is_dir: bool) -> bool {
        for kind in &self.kinds {
            let folders = parents(key).chain(std::iter::once(""));
            for dir in folders {
                let Some(matcher) = kind.get(dir) else {
                    continue;
                };
                let rel = if dir.is_empty() {
                    key
                } else {
                    &key[dir.len() + 1..]
                };
                match matcher.matched(rel, is_dir) {
                    Match::None => continue,
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> ContextFiles {
        let mut f = ContextFiles::new();
        for (path, text) in list {
            f.insert(path, *text).unwrap();
        }
        f
    }

    fn found(scan: &Scan) -> Vec<String> {
        scan.files
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect()
    }

    #[test]
    fn paths_are_rooted_as_copy_sources() {
        let f = files(&[("./app/go.mod", "module app\n")]);
        for path in [
            "app/go.mod",
            "/app/go.mod",
            "app/./go.mod",
            "../app/go.mod",
            "x/../app/go.mod",
        ] {
            assert_eq!(f.read(path).as_deref(), Some("module app\n"), "{path}");
        }
        assert!(f.is_dir("app") && f.is_dir("/") && f.is_dir("."));
        assert!(!f.is_dir("ap") && !f.is_file("app") && !f.exists("app/go"));
    }

    #[test]
    fn refuses_what_a_folder_cannot_hold() {
        let mut f = files(&[("src/main.go", "")]);
        assert!(f.insert("/", "").is_err());
        assert!(f.insert("src", "").is_err());
        assert!(f.insert("src/main.go/x", "").is_err());
        assert!(f.insert("src/main.go", "package main").is_ok());
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn reads_text_within_the_bound() {
        let mut f = ContextFiles::new();
        f.insert("bad", b"\xff\xfe".to_vec()).unwrap();
        f.insert("at", vec![b' '; READ_BYTES as usize]).unwrap();
        f.insert("over", vec![b' '; READ_BYTES as usize + 1])
            .unwrap();
        assert_eq!(f.read("bad"), None);
        assert_eq!(f.read("at").map(|t| t.len()), Some(READ_BYTES as usize));
        assert_eq!(f.read("over"), None);
    }

    #[test]
    fn a_scan_skips_hidden_and_ignored_files() {
        let f = files(&[
            (".dockerignore", "skip.go\nvendor/\n"),
            (".hidden/a.go", ""),
            ("main.go", ""),
            ("skip.go", ""),
            ("vendor/v.go", ""),
            ("web/.gitignore", "*.go\n!keep.go\n"),
            ("web/keep.go", ""),
            ("web/drop.go", ""),
            ("go.mod", "module app\n"),
        ]);
        assert_eq!(
            found(&super::super::scan(&f, &[".go", "go.mod"])),
            ["go.mod", "main.go", "web/keep.go"]
        );
        assert_eq!(
            found(&super::super::scan_folder(&f, "./web", &[".go"])),
            ["web/keep.go"]
        );
    }

    #[test]
    fn a_scan_stops_at_the_file_bound() {
        let mut f = ContextFiles::new();
        for i in 0..SCAN_FILES + 1 {
            f.insert(&format!("f{i}.go"), "").unwrap();
        }
        let scan = super::super::scan(&f, &[".go"]);
        assert_eq!(scan.cut.as_deref(), Some("more than 5000 files"));
        assert_eq!(scan.files.len(), SCAN_FILES - 1);
    }
}

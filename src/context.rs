//! What a pass sees of one file: its text, syntax, model, settings, and the
//! build context folder, read under bounds.
//!
//! The build context is read only by passes that need it (manifests such as
//! go.mod or package.json, a bounded scan of sources), never executed from,
//! and never walked without limits: a scan honours `.dockerignore` and
//! `.gitignore`, stops after [`SCAN_FILES`] files, [`SCAN_BYTES`] bytes or
//! [`SCAN_TIME`], and says so when it was cut short.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Settings;
use crate::model::Model;
use crate::syntax::Document;

/// Files a context scan looks at, at most.
pub const SCAN_FILES: usize = 5_000;
/// Bytes a context scan reads, at most.
pub const SCAN_BYTES: u64 = 16 * 1024 * 1024;
/// Time a context scan may take, at most.
pub const SCAN_TIME: Duration = Duration::from_millis(300);

/// What a pass sees.
pub struct Context<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
    pub model: &'a Model,
    pub settings: &'a Settings,
    /// The folder of the build context, when it is at hand (file paths, or
    /// stdin with `--stdin-filename`) and a pass that reads it can apply at
    /// the chosen safety level. Passes may read manifests there; they never
    /// execute anything from it.
    pub build_context: Option<&'a Path>,
}

impl Context<'_> {
    /// The text of `file` in the build context (a relative path), if at hand
    /// and within the bound: see [`read`].
    pub fn read(&self, file: &str) -> Option<String> {
        read(self.build_context?, file)
    }

    /// True when `rel` is a file of the build context (false without one).
    pub fn is_file(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|dir| is_file(dir, rel))
    }

    /// True when `rel` is a folder of the build context (false without one).
    pub fn is_dir(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|dir| is_dir(dir, rel))
    }

    /// True when `rel` names anything in the build context (false without one).
    pub fn exists(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|dir| exists(dir, rel))
    }
}

// The one gate to the build context: the passes, the artifacts readers and
// the JIT check read the context only through `read`, `scan` and the three
// questions below (tests/architecture.rs checks it). A file over
// [`READ_BYTES`] is refused as if absent, so a huge or hostile manifest
// costs a `stat`, never its bytes.

/// Bytes a single context file may have to be read, at most.
pub const READ_BYTES: u64 = SCAN_BYTES;

/// The text of `file` (a path relative to the build context `dir`): `None`
/// when it is not a regular file, is not UTF-8, or holds more than
/// [`READ_BYTES`] (checked before reading, and again while reading, so a
/// file that grows in between is cut off, not read whole).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("go.mod"), "module app\n").unwrap();
/// assert_eq!(slimfile::context::read(dir.path(), "go.mod").as_deref(), Some("module app\n"));
/// assert_eq!(slimfile::context::read(dir.path(), "go.sum"), None);
/// ```
pub fn read(dir: &Path, file: &str) -> Option<String> {
    read_path(&inside(dir, file)?)
}

/// Where `rel` is in the build context `dir`, read as BuildKit reads a COPY
/// source: rooted at the context (`/go.mod` is the context's go.mod, `..`
/// stops at its root), and `None` when a symbolic link leads out of it, so no
/// question about the context is ever answered from a file outside it.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("go.mod"), "module app\n").unwrap();
/// let ctx = dir.path().join("ctx");
/// std::fs::create_dir(&ctx).unwrap();
/// std::fs::write(ctx.join("go.mod"), "module inner\n").unwrap();
/// // `..` stops at the context's root, as in BuildKit: this is ctx/go.mod
/// assert_eq!(slimfile::context::read(&ctx, "../go.mod").as_deref(), Some("module inner\n"));
/// assert_eq!(slimfile::context::read(&ctx, "/go.mod").as_deref(), Some("module inner\n"));
/// ```
fn inside(dir: &Path, rel: &str) -> Option<PathBuf> {
    use std::path::Component;
    let mut clean = PathBuf::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(part) => clean.push(part),
            Component::ParentDir => {
                clean.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    let path = dir.join(&clean);
    // a link anywhere on the way may point out of the context
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(root)) if !real.starts_with(&root) => None,
        _ => Some(path),
    }
}

/// [`read`] of a path already in the build context (a scan's file).
fn read_path(path: &Path) -> Option<String> {
    use std::io::Read;
    // by path first: opening a FIFO or a device could block or never end
    if !is_small_file(path) {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() || meta.len() > READ_BYTES {
        return None;
    }
    let mut text = String::new();
    f.take(READ_BYTES + 1).read_to_string(&mut text).ok()?;
    (text.len() as u64 <= READ_BYTES).then_some(text)
}

fn is_small_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= READ_BYTES)
}

/// True when `rel` (relative to the build context `dir`) is a file.
pub fn is_file(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.is_file())
}

/// True when `rel` (relative to the build context `dir`) is a folder.
pub fn is_dir(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.is_dir())
}

/// True when `rel` (relative to the build context `dir`) names anything.
pub fn exists(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.exists())
}

/// Files found by a bounded scan of the build context, and whether it was cut short.
#[derive(Debug, Default)]
pub struct Scan {
    /// Matching files with their contents.
    pub files: Vec<(PathBuf, String)>,
    /// Why the scan stopped early (a limit), if it did.
    pub cut: Option<String>,
}

/// Reads the files under `dir` whose names end with one of `suffixes`,
/// honouring `.dockerignore` and `.gitignore`, within the scan limits.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("main.go"), "package main").unwrap();
/// std::fs::write(dir.path().join(".dockerignore"), "skip.go\n").unwrap();
/// std::fs::write(dir.path().join("skip.go"), "package skip").unwrap();
/// let scan = slimfile::context::scan(dir.path(), &[".go"]);
/// assert_eq!(scan.files.len(), 1);
/// assert!(scan.cut.is_none());
/// ```
pub fn scan(dir: &Path, suffixes: &[&str]) -> Scan {
    let start = Instant::now();
    let mut out = Scan::default();
    let mut seen = 0usize;
    let mut bytes = 0u64;
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .hidden(true)
        .add_custom_ignore_filename(".dockerignore")
        .build();
    for entry in walker.flatten() {
        seen += 1;
        if seen > SCAN_FILES {
            out.cut = Some(format!("more than {SCAN_FILES} files"));
            break;
        }
        if start.elapsed() > SCAN_TIME {
            out.cut = Some(format!("took over {} ms", SCAN_TIME.as_millis()));
            break;
        }
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !entry.file_type().is_some_and(|t| t.is_file())
            || !suffixes.iter().any(|s| name.ends_with(s))
        {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        bytes += meta.len();
        if bytes > SCAN_BYTES {
            out.cut = Some(format!("more than {} MB of sources", SCAN_BYTES >> 20));
            break;
        }
        if let Some(text) = read_path(path) {
            out.files.push((path.to_path_buf(), text));
        }
    }
    out
}

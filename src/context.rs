//! What a pass sees of one file: its text, syntax, model, settings, and the
//! build context, read under bounds.
//!
//! The build context is read only by passes that need it (manifests such as
//! go.mod or package.json, a bounded scan of sources), never executed from,
//! and never walked without limits: a scan honours `.dockerignore` and
//! `.gitignore`, stops after [`SCAN_FILES`] files, [`SCAN_BYTES`] bytes or
//! [`SCAN_TIME`], and says so when it was cut short.
//!
//! It comes from one of two sources, [`BuildContext`]: a folder on disk (the
//! command line, the language server, verify; the `native` feature) or files
//! held in memory ([`ContextFiles`]: the browser playground, which has no
//! file system). Both answer the same questions through the same gate, with
//! the same bounds and the same rooting rules, so a pass cannot tell them
//! apart.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::Settings;
use crate::model::Model;
use crate::syntax::Document;

#[cfg(feature = "native")]
mod disk;
mod memory;

pub use memory::ContextFiles;

/// Files a context scan looks at, at most.
pub const SCAN_FILES: usize = 5_000;
/// Bytes a context scan reads, at most.
pub const SCAN_BYTES: u64 = 16 * 1024 * 1024;
/// Time a context scan of a folder may take, at most (files in memory have
/// no clock to watch: their count and bytes bound them).
pub const SCAN_TIME: Duration = Duration::from_millis(300);

/// Where the build context is read from.
///
/// ```
/// use slimfile::context::{self, BuildContext, ContextFiles};
/// let mut files = ContextFiles::new();
/// files.insert("go.mod", "module app\n");
/// let cx = BuildContext::Files(&files);
/// assert_eq!(context::read(cx, "./go.mod").as_deref(), Some("module app\n"));
/// assert!(context::is_dir(cx, "."));
/// ```
#[derive(Debug, Clone, Copy)]
pub enum BuildContext<'a> {
    /// A folder on disk.
    #[cfg(feature = "native")]
    Dir(&'a std::path::Path),
    /// Files held in memory, by their path in the context.
    Files(&'a ContextFiles),
}

#[cfg(feature = "native")]
impl<'a> From<&'a std::path::Path> for BuildContext<'a> {
    fn from(dir: &'a std::path::Path) -> Self {
        BuildContext::Dir(dir)
    }
}

#[cfg(feature = "native")]
impl<'a> From<&'a PathBuf> for BuildContext<'a> {
    fn from(dir: &'a PathBuf) -> Self {
        BuildContext::Dir(dir)
    }
}

impl<'a> From<&'a ContextFiles> for BuildContext<'a> {
    fn from(files: &'a ContextFiles) -> Self {
        BuildContext::Files(files)
    }
}

/// What a pass sees.
pub struct Context<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
    pub model: &'a Model,
    pub settings: &'a Settings,
    /// The build context, when it is at hand (file paths, stdin with
    /// `--stdin-filename`, or files given to the playground) and a pass that
    /// reads it can apply at the chosen safety level. Passes may read
    /// manifests there; they never execute anything from it.
    pub build_context: Option<BuildContext<'a>>,
}

impl Context<'_> {
    /// The text of `file` in the build context (a relative path), if at hand
    /// and within the bound: see [`read`].
    pub fn read(&self, file: &str) -> Option<String> {
        read(self.build_context?, file)
    }

    /// True when `rel` is a file of the build context (false without one).
    pub fn is_file(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|cx| is_file(cx, rel))
    }

    /// True when `rel` is a folder of the build context (false without one).
    pub fn is_dir(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|cx| is_dir(cx, rel))
    }

    /// True when `rel` names anything in the build context (false without one).
    pub fn exists(&self, rel: &str) -> bool {
        self.build_context.is_some_and(|cx| exists(cx, rel))
    }
}

// The one gate to the build context: the passes, the artifacts readers and
// the JIT check read the context only through `read`, `scan` and the three
// questions below (tests/architecture.rs checks it). A file over
// [`READ_BYTES`] is refused as if absent, so a huge or hostile manifest
// costs a `stat`, never its bytes. Each function takes a [`BuildContext`] or
// anything that becomes one: a folder's `&Path`, or `&ContextFiles`.

/// Bytes a single context file may have to be read, at most.
pub const READ_BYTES: u64 = SCAN_BYTES;

/// The text of `file` (a path relative to the build context): `None` when it
/// is not a regular file, is not UTF-8, or holds more than [`READ_BYTES`].
/// The path is read as BuildKit reads a COPY source: rooted at the context
/// (`/go.mod` is the context's go.mod, `..` stops at its root); on disk, a
/// symbolic link that leads out of the context is not followed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("go.mod"), "module app\n").unwrap();
/// assert_eq!(slimfile::context::read(dir.path(), "go.mod").as_deref(), Some("module app\n"));
/// assert_eq!(slimfile::context::read(dir.path(), "go.sum"), None);
/// ```
pub fn read<'a>(context: impl Into<BuildContext<'a>>, file: &str) -> Option<String> {
    match context.into() {
        #[cfg(feature = "native")]
        BuildContext::Dir(dir) => disk::read(dir, file),
        BuildContext::Files(files) => files.read(file),
    }
}

/// True when `rel` (relative to the build context) is a file.
pub fn is_file<'a>(context: impl Into<BuildContext<'a>>, rel: &str) -> bool {
    match context.into() {
        #[cfg(feature = "native")]
        BuildContext::Dir(dir) => disk::is_file(dir, rel),
        BuildContext::Files(files) => files.is_file(rel),
    }
}

/// True when `rel` (relative to the build context) is a folder.
pub fn is_dir<'a>(context: impl Into<BuildContext<'a>>, rel: &str) -> bool {
    match context.into() {
        #[cfg(feature = "native")]
        BuildContext::Dir(dir) => disk::is_dir(dir, rel),
        BuildContext::Files(files) => files.is_dir(rel),
    }
}

/// True when `rel` (relative to the build context) names anything.
pub fn exists<'a>(context: impl Into<BuildContext<'a>>, rel: &str) -> bool {
    match context.into() {
        #[cfg(feature = "native")]
        BuildContext::Dir(dir) => disk::exists(dir, rel),
        BuildContext::Files(files) => files.exists(rel),
    }
}

/// Files found by a bounded scan of the build context, and whether it was cut short.
#[derive(Debug, Default)]
pub struct Scan {
    /// Matching files with their contents; each path is relative to the
    /// build context's root (`src/main.go`).
    pub files: Vec<(PathBuf, String)>,
    /// Why the scan stopped early (a limit), if it did.
    pub cut: Option<String>,
}

/// Reads the files of the build context whose names end with one of
/// `suffixes`, honouring `.dockerignore` and `.gitignore`, within the scan
/// limits.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("main.go"), "package main").unwrap();
/// std::fs::write(dir.path().join(".dockerignore"), "skip.go\n").unwrap();
/// std::fs::write(dir.path().join("skip.go"), "package skip").unwrap();
/// let scan = slimfile::context::scan(dir.path(), &[".go"]);
/// assert_eq!(scan.files.len(), 1);
/// assert_eq!(scan.files[0].0, std::path::Path::new("main.go"));
/// assert!(scan.cut.is_none());
/// ```
pub fn scan<'a>(context: impl Into<BuildContext<'a>>, suffixes: &[&str]) -> Scan {
    scan_folder(context, "", suffixes)
}

/// [`scan`] of the folder `rel` of the build context only (rooted as
/// [`read`] roots a path); the paths found are still relative to the
/// context's root (`src/app.py`).
pub fn scan_folder<'a>(context: impl Into<BuildContext<'a>>, rel: &str, suffixes: &[&str]) -> Scan {
    match context.into() {
        #[cfg(feature = "native")]
        BuildContext::Dir(dir) => disk::scan(dir, rel, suffixes),
        BuildContext::Files(files) => files.scan(rel, suffixes),
    }
}

//! A build context in a folder on disk (the native build): the gate's
//! answers read from the file system, bounded, never past the folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{READ_BYTES, SCAN_BYTES, SCAN_FILES, SCAN_TIME, Scan};

/// The text of `file` (a path relative to the build context `dir`): `None`
/// when it is not a regular file, is not UTF-8, or holds more than
/// [`READ_BYTES`] (checked before reading, and again while reading, so a
/// file that grows in between is cut off, not read whole).
pub(super) fn read(dir: &Path, file: &str) -> Option<String> {
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

pub(super) fn is_file(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.is_file())
}

pub(super) fn is_dir(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.is_dir())
}

pub(super) fn exists(dir: &Path, rel: &str) -> bool {
    inside(dir, rel).is_some_and(|p| p.exists())
}

/// The files under the folder `rel` of the build context `dir` whose names
/// end with one of `suffixes` (paths relative to `dir`), honouring
/// `.dockerignore` and `.gitignore`, within the scan limits.
pub(super) fn scan(dir: &Path, rel: &str, suffixes: &[&str]) -> Scan {
    let root = if rel.is_empty() {
        dir.to_path_buf()
    } else {
        match inside(dir, rel) {
            Some(root) => root,
            None => return Scan::default(),
        }
    };
    let start = Instant::now();
    let mut out = Scan::default();
    let mut seen = 0usize;
    let mut bytes = 0u64;
    let walker = ignore::WalkBuilder::new(root)
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
            let rel = path.strip_prefix(dir).unwrap_or(path);
            out.files.push((rel.to_path_buf(), text));
        }
    }
    out
}

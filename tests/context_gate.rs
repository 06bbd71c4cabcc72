//! A huge manifest in the build context is refused by the context gate
//! (`slimfile::context::read`, bounded by `READ_BYTES`) wherever a pass reads
//! it: the pass then does what it does with a manifest it cannot read (here
//! planted as a non-UTF-8 file), and the run ends normally.
//!
//! Each case is a golden case copied to a temporary folder (its build
//! context) where the manifest matters: the output with the manifest as it is
//! must differ from the output with it unreadable, so a pass that read the
//! huge manifest past the gate would show.
//!
//! The gate has a second source, files held in memory (the browser playground's build
//! context): `files_in_memory_read_as_the_folder_on_disk` checks they read as the same files on
//! disk for every golden case.

use std::path::Path;
use std::process::Command;

use slimfile::context::READ_BYTES;

struct Plant {
    /// The golden case, under `golden/`.
    case: &'static str,
    /// The manifest made huge, and the pass code that reads it.
    manifest: &'static str,
    /// Its text for this test, when not the case's own.
    text: Option<&'static str>,
    /// Files of the case removed first, if there (so that `manifest` is the one read).
    remove: &'static [&'static str],
}

const PLANTS: &[Plant] = &[
    // split-stages' Node recipe (node.rs)
    Plant {
        case: "split-stages/distroless/distroless-node-20-fallback",
        manifest: "package.json",
        text: None,
        remove: &[],
    },
    // split-stages' PHP recipe (php.rs): config.vendor-dir
    Plant {
        case: "split-stages/php/php-extensions-composer",
        manifest: "composer.json",
        text: Some("{\"config\": {\"vendor-dir\": \"lib\"}}\n"),
        remove: &[],
    },
    // split-stages' Ruby recipe (ruby.rs): Gemfile.lock, else Gemfile
    Plant {
        case: "split-stages/ruby/ruby-rails-pg",
        manifest: "Gemfile.lock",
        text: None,
        remove: &["Gemfile"],
    },
    Plant {
        case: "split-stages/ruby/ruby-sinatra-bundle-config",
        manifest: "Gemfile",
        text: None,
        remove: &["Gemfile.lock"],
    },
    // split-stages' Rust recipe (rust.rs)
    Plant {
        case: "split-stages/rust/rust-cargo-release",
        manifest: "Cargo.toml",
        text: None,
        remove: &[],
    },
    // narrow-copy's manifests (manifests.rs): go.mod, pip's requirements
    Plant {
        case: "narrow-copy/go-app-tree",
        manifest: "go.mod",
        text: None,
        remove: &[],
    },
    Plant {
        case: "pipeline/pip-single-stage",
        manifest: "requirements.txt",
        text: None,
        remove: &[],
    },
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `slimfile rewrite --dry-run --safety unsafe` on the case: exit code and all it printed.
fn rewrite(dockerfile: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .args(["rewrite", "--dry-run", "--safety", "unsafe"])
        .arg(dockerfile)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn a_huge_manifest_is_read_as_unreadable_by_every_pass() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    for plant in PLANTS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("case");
        copy_dir(&golden.join(plant.case), &dir);
        for f in plant.remove {
            let _ = std::fs::remove_file(dir.join(f));
        }
        let manifest = dir.join(plant.manifest);
        if let Some(text) = plant.text {
            std::fs::write(&manifest, text).unwrap();
        }
        let text = std::fs::read_to_string(&manifest).unwrap();
        let dockerfile = dir.join("input.Dockerfile");
        let name = format!("{} ({})", plant.case, plant.manifest);

        let (code, read) = rewrite(&dockerfile);
        assert_eq!(code, Some(0), "{name}: {read}");
        std::fs::write(&manifest, b"\xff\xfe not UTF-8\n").unwrap();
        let (code, unreadable) = rewrite(&dockerfile);
        assert_eq!(code, Some(0), "{name}: {unreadable}");
        assert_ne!(
            read, unreadable,
            "{name}: the manifest does not matter to the case, pick another"
        );

        // the same manifest, padded with blank lines (still valid) past the bound
        let mut huge = text.into_bytes();
        huge.resize(READ_BYTES as usize + 1, b'\n');
        std::fs::write(&manifest, &huge).unwrap();
        let (code, refused) = rewrite(&dockerfile);
        assert_eq!(code, Some(0), "{name}: {refused}");
        assert_eq!(
            refused, unreadable,
            "{name}: a manifest over {READ_BYTES} bytes was read past the context gate"
        );
    }
}

#[test]
fn the_gate_reads_up_to_the_bound_and_refuses_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let at = vec![b' '; READ_BYTES as usize];
    std::fs::write(dir.path().join("at.json"), &at).unwrap();
    std::fs::write(dir.path().join("over.json"), [at.as_slice(), b" "].concat()).unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let read = |f: &str| slimfile::context::read(dir.path(), f);
    assert_eq!(read("at.json").map(|t| t.len()), Some(READ_BYTES as usize));
    assert_eq!(read("over.json"), None);
    assert_eq!(read("folder"), None);
    assert_eq!(read("missing.json"), None);
    assert!(slimfile::context::is_dir(dir.path(), "folder"));
    assert!(!slimfile::context::is_file(dir.path(), "folder"));
    assert!(slimfile::context::exists(dir.path(), "over.json"));
}

/// A link that leads out of the build context is not followed: a question about the context is
/// never answered from a file outside it (the doc example of `context::read` shows `..` and `/`
/// staying at the context's root, as BuildKit reads COPY sources).
#[test]
fn a_link_out_of_the_context_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("package.json"),
        "{\"name\": \"secret\"}",
    )
    .unwrap();
    let ctx = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("package.json"),
        ctx.path().join("package.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), ctx.path().join("dir")).unwrap();
    std::fs::write(ctx.path().join("go.mod"), "module app\n").unwrap();
    std::os::unix::fs::symlink("go.mod", ctx.path().join("link.mod")).unwrap();
    assert_eq!(slimfile::context::read(ctx.path(), "package.json"), None);
    assert_eq!(
        slimfile::context::read(ctx.path(), "dir/package.json"),
        None
    );
    assert!(!slimfile::context::is_dir(ctx.path(), "dir"));
    assert!(!slimfile::context::exists(ctx.path(), "../package.json"));
    // a link that stays inside is read
    assert_eq!(
        slimfile::context::read(ctx.path(), "link.mod").as_deref(),
        Some("module app\n")
    );
}

/// Every file under `dir` (hidden ones included), by its path relative to `dir`.
fn files_of(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir.join(rel))
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().into_string().unwrap();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            files_of(dir, &path, out);
        } else {
            out.push((path, std::fs::read(entry.path()).unwrap()));
        }
    }
}

/// The gate's second source: the same files held in memory (the browser playground's build
/// context) give the same rewrite, messages and diff as the folder on disk, for every golden case
/// (each case's folder is its build context), at the unsafe level so every pass reads it.
#[test]
fn files_in_memory_read_as_the_folder_on_disk() {
    use slimfile::config::Settings;
    use slimfile::context::{BuildContext, ContextFiles};
    use slimfile::edit::Safety;
    use slimfile::engine;
    use slimfile::report::{FileError, dry_run};

    fn cases(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        if dir.join("input.Dockerfile").is_file() {
            out.push(dir.to_path_buf());
        }
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                cases(&entry.path(), out);
            }
        }
    }
    let mut found = Vec::new();
    cases(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("golden"),
        &mut found,
    );
    found.sort();
    assert!(found.len() > 300, "golden cases: {}", found.len());
    let settings = Settings {
        safety: Safety::Unsafe,
        ..Settings::default()
    };
    let shown = |r: Result<engine::Outcome, engine::RewriteError>| match r {
        Ok(outcome) => dry_run("Dockerfile", &outcome),
        Err(e) => FileError::from(e).render("Dockerfile"),
    };
    let mut with_context = 0;
    for case in &found {
        let bytes = std::fs::read(case.join("input.Dockerfile")).unwrap();
        let mut list = Vec::new();
        files_of(case, "", &mut list);
        let mut files = ContextFiles::new();
        for (path, contents) in list {
            files.insert(&path, contents).unwrap();
        }
        let on_disk = shown(engine::rewrite(&bytes, &settings, Some(case)));
        let in_memory = shown(engine::rewrite_with(
            &bytes,
            &settings,
            Some(BuildContext::Files(&files)),
        ));
        assert_eq!(in_memory, on_disk, "{}", case.display());
        let without = shown(engine::rewrite_with(&bytes, &settings, None));
        with_context += usize::from(without != on_disk);
    }
    // the context matters to many of them, or this test would prove little
    assert!(
        with_context > 50,
        "cases whose context matters: {with_context}"
    );
    eprintln!(
        "{} golden cases, {with_context} of them changed by their build context: memory reads as disk",
        found.len()
    );
}

/// go-hello, the README's example and the playground's: its go.mod and main.go in memory give
/// the split the CLI gives from the folder.
#[test]
fn the_go_example_splits_from_files_in_memory() {
    use slimfile::config::Settings;
    use slimfile::context::{BuildContext, ContextFiles};
    use slimfile::engine;

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/go-hello");
    let bytes = std::fs::read(dir.join("Dockerfile")).unwrap();
    let mut files = ContextFiles::new();
    for name in ["go.mod", "main.go"] {
        files
            .insert(name, std::fs::read(dir.join(name)).unwrap())
            .unwrap();
    }
    let settings = Settings::default();
    let on_disk = engine::rewrite(&bytes, &settings, Some(&dir)).unwrap();
    let in_memory =
        engine::rewrite_with(&bytes, &settings, Some(BuildContext::Files(&files))).unwrap();
    assert!(in_memory.output.contains("\nFROM scratch AS runtime\n"));
    assert_eq!(in_memory.output, on_disk.output);
}

/// A scan of files in memory finds what the folder walk finds on disk: hidden files and folders
/// skipped; `.dockerignore`, `.ignore` and `.gitignore` rules, a folder's own before its
/// parents', whitelists, folder-only patterns; a scan of one folder under the parents' rules.
#[test]
fn scans_in_memory_find_what_the_folder_walk_finds() {
    use slimfile::context::{self, ContextFiles};

    let list: &[(&str, &str)] = &[
        (
            ".dockerignore",
            "skip.go\nvendor/\n**/gen_*.go\n!keep/gen_keep.go\n",
        ),
        (".gitignore", "*.tmp.go\nbuild\n"),
        (".hidden/a.go", ""),
        (".env.go", ""),
        ("main.go", "package main"),
        ("skip.go", ""),
        ("a.tmp.go", ""),
        ("build/out.go", ""),
        ("vendor/v.go", ""),
        ("keep/gen_keep.go", ""),
        ("keep/gen_other.go", ""),
        ("web/.gitignore", "*.go\n!keep.go\n"),
        ("web/keep.go", ""),
        ("web/drop.go", ""),
        ("web/deep/x.go", ""),
        ("web/.ignore", "deep/\n"),
        ("cmd/.dockerignore", "!skip.go\n"),
        ("cmd/skip.go", ""),
        ("cmd/tool/main.go", ""),
        ("go.mod", "module app\n"),
    ];
    let disk = tempfile::tempdir().unwrap();
    let mut memory = ContextFiles::new();
    for (path, text) in list {
        let p = disk.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        memory.insert(path, *text).unwrap();
    }
    let found = |scan: context::Scan| {
        assert_eq!(scan.cut, None);
        let mut paths: Vec<String> = scan
            .files
            .into_iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        paths.sort();
        paths
    };
    let suffixes = &[".go", "go.mod"];
    let on_disk = found(context::scan(disk.path(), suffixes));
    assert_eq!(on_disk, found(context::scan(&memory, suffixes)));
    assert!(on_disk.contains(&"main.go".to_string()) && !on_disk.contains(&"skip.go".to_string()));
    for folder in ["web", "./cmd", "/keep", "build", "missing"] {
        assert_eq!(
            found(context::scan_folder(disk.path(), folder, suffixes)),
            found(context::scan_folder(&memory, folder, suffixes)),
            "{folder}"
        );
    }
}

//! A huge manifest in the build context is refused by the context gate
//! (`slimfile::context::read`, bounded by `READ_BYTES`) wherever a pass reads
//! it: the pass then does what it does with a manifest it cannot read (here
//! planted as a non-UTF-8 file), and the run ends normally.
//!
//! Each case is a golden case copied to a temporary folder (its build
//! context) where the manifest matters: the output with the manifest as it is
//! must differ from the output with it unreadable, so a pass that read the
//! huge manifest past the gate would show.

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

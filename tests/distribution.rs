//! Distribution: the ways in besides `cargo install`, each used as a user would.
//!
//! - The **Python wheel** (`pyproject.toml`, maturin `bindings = "bin"`): built once from the
//!   checkout with maturin (a release compile, shared by the tests here through a `OnceLock`),
//!   installed with pip into a fresh venv, then `slimfile` from the venv rewrites an example.
//! - The **pre-commit mirror** (`pre-commit-mirror/`): the real `pre-commit` client installs its
//!   hook from that wheel with pip offline (`PIP_NO_INDEX`, `PIP_ONLY_BINARY=slimfile`), so no
//!   cargo is involved, and the hook fails on a Dockerfile with a pending rewrite.
//! - The **container image** (`Dockerfile`: the static musl binary on scratch): built and run on
//!   a mounted folder with both engines of the container lab (`scripts/container-lab.sh`).
//!
//! maturin and pre-commit come from the venv of `$SLIMFILE_PYTHON` (`scripts/test.sh` sets it up;
//! default `.venv/bin/python`); the lab from `$SLIMFILE_LAB/env.sh`, as in tests/e2e.rs. Without
//! them a test says so and skips; with `CI=true` it fails. The wheel goes to
//! `target/wheel-test/`, venvs and hook repositories to temporary folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const MUSL_TARGET: &str = "x86_64-unknown-linux-musl";

#[path = "common/prerequisites.rs"]
mod prerequisites;
use prerequisites::{missing, root, target_dir};

/// A program of the test venv (`$SLIMFILE_PYTHON`'s folder, default `.venv/bin`).
fn venv_tool(name: &str) -> Option<PathBuf> {
    let python = std::env::var_os("SLIMFILE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/bin/python"));
    let tool = python.parent()?.join(name);
    tool.is_file().then_some(tool)
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

static WHEEL: OnceLock<Option<PathBuf>> = OnceLock::new();

/// The wheel, built once per test run with the venv's maturin (release profile, the usual target
/// folder, so later runs only relink what changed).
fn wheel() -> Option<&'static Path> {
    WHEEL
        .get_or_init(|| {
            let Some(maturin) = venv_tool("maturin") else {
                return missing("maturin is not in the test venv (run scripts/test.sh)");
            };
            let out_dir = target_dir().join("wheel-test/dist");
            let _ = std::fs::remove_dir_all(&out_dir);
            let started = Instant::now();
            run(Command::new(maturin)
                .current_dir(root())
                .args(["build", "--release", "--locked", "--out"])
                .arg(&out_dir)
                .stdout(Stdio::null()));
            let wheels: Vec<PathBuf> = std::fs::read_dir(&out_dir)
                .expect("maturin made the out folder")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "whl"))
                .collect();
            assert_eq!(wheels.len(), 1, "one wheel expected: {wheels:?}");
            let wheel = wheels.into_iter().next().unwrap();
            eprintln!(
                "distribution: built {} ({} bytes) in {:.0?}",
                wheel.display(),
                std::fs::metadata(&wheel).unwrap().len(),
                started.elapsed()
            );
            Some(wheel)
        })
        .as_deref()
}

const GO_HELLO: &str = "examples/go-hello/Dockerfile";

#[test]
fn wheel_installs_with_pip_and_rewrites_an_example() {
    let Some(wheel) = wheel() else { return };
    let name = wheel.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with(&format!("slimfile-{VERSION}-py3-none-")),
        "a binary wheel of this version for any Python 3: {name}"
    );
    let venv = tempfile::tempdir().unwrap();
    run(Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path()));
    let bin = venv.path().join("bin");
    run(Command::new(bin.join("pip"))
        .args(["install", "--quiet", "--no-index"])
        .arg(wheel));

    let meta = run(Command::new(bin.join("python")).args([
        "-c",
        "from importlib.metadata import metadata as m; d = m('slimfile'); \
         print(d['Name'], d['Version'], d['Requires-Python'], sep='|'); print(d['Summary'])",
    ]));
    let meta = String::from_utf8(meta.stdout).unwrap();
    assert!(
        meta.starts_with(&format!("slimfile|{VERSION}|>=3.8\nRewrite Dockerfiles")),
        "wheel metadata: {meta}"
    );

    let slimfile = bin.join("slimfile");
    let version = run(Command::new(&slimfile).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("slimfile {VERSION}")
    );

    let before = std::fs::read(root().join(GO_HELLO)).unwrap();
    let out =
        run(Command::new(&slimfile)
            .current_dir(root())
            .args(["rewrite", "--dry-run", GO_HELLO]));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-FROM golang:1.22\n")
            && diff.contains("+FROM golang:1.22 AS builder\n")
            && diff.contains("+FROM scratch AS runtime\n"),
        "the pip-installed slimfile splits go-hello:\n{diff}"
    );
    assert_eq!(
        std::fs::read(root().join(GO_HELLO)).unwrap(),
        before,
        "--dry-run writes nothing"
    );
}

/// `id:` and `entry:` lines of a hooks file.
fn hook_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| {
            ["- id:", "  entry:", "  files:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn pre_commit_mirror_matches_the_cargo_hooks_and_the_version() {
    let mirror = root().join("pre-commit-mirror");
    let cargo_hooks = hook_lines(&root().join(".pre-commit-hooks.yaml"));
    assert_eq!(cargo_hooks.len(), 6, "two hooks: {cargo_hooks:?}");
    assert_eq!(
        hook_lines(&mirror.join(".pre-commit-hooks.yaml")),
        cargo_hooks,
        "the mirror offers the same hooks as the repository"
    );
    let hooks = std::fs::read_to_string(mirror.join(".pre-commit-hooks.yaml")).unwrap();
    assert_eq!(hooks.matches("  language: python\n").count(), 2);

    let pyproject: toml::Table =
        toml::from_str(&std::fs::read_to_string(mirror.join("pyproject.toml")).unwrap()).unwrap();
    let project = pyproject["project"].as_table().unwrap();
    assert_eq!(project["version"].as_str(), Some(VERSION));
    assert_eq!(
        project["dependencies"].as_array().unwrap(),
        &vec![toml::Value::from(format!("slimfile=={VERSION}"))],
        "the mirror pins this version's wheel"
    );
}

#[test]
fn pre_commit_installs_the_mirror_hook_from_the_wheel_without_cargo() {
    let Some(pre_commit) = venv_tool("pre-commit") else {
        missing::<()>("pre-commit is not in the test venv (run scripts/test.sh)");
        return;
    };
    let Some(wheel) = wheel() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let git = |dir: &Path, args: &[&str]| {
        run(Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .stdout(Stdio::null()));
    };

    // the mirror, as its own repository
    let hook_repo = tmp.path().join("slimfile-pre-commit");
    std::fs::create_dir(&hook_repo).unwrap();
    for f in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
        std::fs::copy(root().join("pre-commit-mirror").join(f), hook_repo.join(f)).unwrap();
    }
    git(&hook_repo, &["init", "-q"]);
    git(&hook_repo, &["add", "."]);
    git(&hook_repo, &["commit", "-q", "-m", "mirror"]);
    let rev = run(Command::new("git")
        .current_dir(&hook_repo)
        .args(["rev-parse", "HEAD"]));
    let rev = String::from_utf8(rev.stdout).unwrap();

    // a project that uses it
    let project = tmp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    for f in ["Dockerfile", "go.mod", "main.go"] {
        std::fs::copy(root().join("examples/go-hello").join(f), project.join(f)).unwrap();
    }
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: slimfile-check\n",
            hook_repo.display(),
            rev.trim()
        ),
    )
    .unwrap();
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);

    // pip offline: the wheel, and the build backend of the mirror's package from virtualenv's
    // bundled wheels; only a wheel of slimfile is allowed, so nothing compiles it
    let embedded = run(Command::new(pre_commit.with_file_name("python")).args([
        "-c",
        "import os, virtualenv.seed.wheels.embed as e; print(os.path.dirname(e.__file__))",
    ]));
    let find_links = format!(
        "{} {}",
        wheel.parent().unwrap().display(),
        String::from_utf8(embedded.stdout).unwrap().trim()
    );
    let started = Instant::now();
    let out = Command::new(&pre_commit)
        .current_dir(&project)
        .args(["run", "--all-files", "--color", "never"])
        .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", find_links)
        .env("PIP_ONLY_BINARY", "slimfile")
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(tmp.path().join("cache/pre-commit.log")).unwrap_or_default();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the check hook fails on go-hello:\n{stdout}\n{}\n{log}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("slimfile (check)") && stdout.contains("Failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+FROM scratch AS runtime"),
        "the hook prints the diff:\n{stdout}"
    );
    eprintln!("distribution: pre-commit hook install + first run: {elapsed:.1?}");
}

// ---- container image ----

/// The lab's environment (`export K=V` lines of `$SLIMFILE_LAB/env.sh`), as in tests/e2e.rs.
fn lab_env() -> Option<BTreeMap<String, String>> {
    let lab = std::env::var("SLIMFILE_LAB").ok()?;
    let text = std::fs::read_to_string(Path::new(&lab).join("env.sh")).ok()?;
    Some(
        text.lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

#[test]
fn image_dockerfile_is_clean_under_check() {
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(root())
        .args(["rewrite", "--check", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "slimfile's own Dockerfile needs no rewrite:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no diff");
}

/// The static binary the image carries, built once (release, musl, the usual target folder).
fn musl_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let started = Instant::now();
        run(
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .current_dir(root())
                .args([
                    "build",
                    "--release",
                    "--locked",
                    "--bin",
                    "slimfile",
                    "--target",
                ])
                .arg(MUSL_TARGET)
                .arg("--target-dir")
                .arg(target_dir()),
        );
        eprintln!(
            "distribution: static binary built in {:.0?}",
            started.elapsed()
        );
        target_dir().join(MUSL_TARGET).join("release/slimfile")
    })
    .clone()
}

#[test]
fn container_image_rewrites_a_mounted_folder_with_both_engines() {
    let Some(env) = lab_env() else {
        missing::<()>(
            "no container lab ($SLIMFILE_LAB/env.sh; run `sudo scripts/container-lab.sh`)",
        );
        return;
    };
    let binary = musl_binary();

    // the build context Dockerfile.dockerignore lets through: the Dockerfile and the binary
    let context = tempfile::tempdir().unwrap();
    for f in ["Dockerfile", "Dockerfile.dockerignore"] {
        std::fs::copy(root().join(f), context.path().join(f)).unwrap();
    }
    let dest = context
        .path()
        .join("target")
        .join(MUSL_TARGET)
        .join("release");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::copy(&binary, dest.join("slimfile")).unwrap();

    // a folder with a single-stage Dockerfile, mounted at /work
    let work = tempfile::tempdir().unwrap();
    for f in ["Dockerfile", "go.mod", "main.go"] {
        std::fs::copy(
            root().join("examples/go-hello").join(f),
            work.path().join(f),
        )
        .unwrap();
    }
    let before = std::fs::read(work.path().join("Dockerfile")).unwrap();

    let docker = env
        .get("SLIMFILE_LAB_DOCKER")
        .cloned()
        .unwrap_or_else(|| "docker".into());
    for (engine, program) in [("podman", "podman".to_string()), ("docker", docker)] {
        let available = Command::new(&program)
            .envs(&env)
            .args(["info"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            missing::<()>(&format!("{engine} of the lab does not answer"));
            continue;
        }
        let tag = format!("localhost/slimfile-dist-test:{VERSION}");
        let started = Instant::now();
        let mut build = Command::new(&program);
        build.envs(&env).args(["build", "-q", "-t", &tag, "-f"]);
        build
            .arg(context.path().join("Dockerfile"))
            .arg(context.path());
        if engine == "docker" {
            build.env("DOCKER_BUILDKIT", "1");
        }
        run(build.stdout(Stdio::null()));
        let size = run(Command::new(&program).envs(&env).args([
            "image",
            "inspect",
            "--format",
            "{{.Size}}",
            &tag,
        ]));

        let out = run(Command::new(&program)
            .envs(&env)
            .args(["run", "--rm", "--network", "none", "-v"])
            .arg(format!("{}:/work", work.path().display()))
            .args([&tag, "rewrite", "--dry-run", "/work"]));
        let diff = String::from_utf8(out.stdout).unwrap();
        assert!(
            diff.contains("--- a/work/Dockerfile")
                && diff.contains("+FROM golang:1.22 AS builder\n")
                && diff.contains("+FROM scratch AS runtime\n"),
            "{engine}: the image prints the split:\n{diff}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(work.path().join("Dockerfile")).unwrap(),
            before,
            "{engine}: --dry-run writes nothing"
        );
        eprintln!(
            "distribution: {engine}: image {} bytes, built and run in {:.1?}",
            String::from_utf8_lossy(&size.stdout).trim(),
            started.elapsed()
        );
        let _ = Command::new(&program)
            .envs(&env)
            .args(["rmi", "-f", &tag])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

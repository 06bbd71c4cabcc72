//! A bulk run over a folder tree: .gitignore, nested configs with overrides,
//! a pragma'd file, a broken file and a hundred good files. The result must be
//! right (changes, skips, one error, exit 2) and identical on every run,
//! whatever the number of threads.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const GOOD: &str = "# service built the old way\nFROM golang:1.22 as build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/svc .\n\nFROM alpine:3.20\nCOPY --from=0 /out/svc /usr/local/bin/svc\nCMD [\"svc\"]\n";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // slim-base is off everywhere; name-stages only under legacy/ (nested config);
    // services 90-99 are limited to the safe level by an override
    write(
        root,
        "slimfile.toml",
        "ignore = [\"slim-base\"]\n\n[[overrides]]\npaths = [\"services/svc-9*/**\"]\nsafety = \"safe\"\n",
    );
    write(
        root,
        "legacy/.slimfile.toml",
        "select = [\"name-stages\"]\n",
    );
    write(root, ".gitignore", "vendor/\n");
    for i in 0..100 {
        write(root, &format!("services/svc-{i:02}/Dockerfile"), GOOD);
    }
    write(
        root,
        "legacy/app/Dockerfile",
        "FROM python:3.11 as app\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
    );
    write(
        root,
        "vendor/thirdparty/Dockerfile",
        "FROM golang:1.22 as b\nFROM scratch\nCOPY --from=0 /x /x\n",
    );
    write(
        root,
        "tools/pinned.Dockerfile",
        "# slimfile: ignore-file\nFROM node:20 as build\nRUN npm ci\n",
    );
    write(
        root,
        "broken/Dockerfile",
        "RUN echo before from\nFROM debian:bookworm\n",
    );
    dir
}

fn run(root: &Path, threads: &str) -> (Option<i32>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(root)
        .env("RAYON_NUM_THREADS", threads)
        .args(["rewrite", "--dry-run", "--format", "json", "."])
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).expect("JSON report"),
    )
}

#[test]
fn bulk_tree_gives_the_right_result_every_time() {
    let dir = tree();
    let (code, report) = run(dir.path(), "2");
    assert_eq!(code, Some(2), "a broken file makes the run exit 2");
    let files = report["files"].as_array().unwrap();
    // 100 services + legacy + pinned + broken; vendor/ is ignored by .gitignore
    assert_eq!(files.len(), 103, "{report:#}");
    assert!(
        files
            .iter()
            .all(|f| !f["path"].as_str().unwrap().contains("vendor"))
    );
    let by_path = |p: &str| {
        files
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    let passes = |f: &serde_json::Value| -> Vec<String> {
        f["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["pass"].as_str().unwrap().to_string())
            .collect()
    };
    // a service: name-stages (AS, --from=0 → build), no slim-base (config)
    let svc = by_path("./services/svc-00/Dockerfile");
    assert_eq!(svc["status"], "changed");
    assert!(passes(svc).iter().all(|p| p == "name-stages"), "{svc:#}");
    assert_eq!(passes(svc).len(), 2, "{svc:#}");
    // override: safe only; name-stages' `as`→`AS` is safe and applies
    let svc9 = by_path("./services/svc-95/Dockerfile");
    assert!(passes(svc9).iter().all(|p| p == "name-stages"));
    // nested config: only name-stages, though slim-base would swap python:3.11
    let legacy = by_path("./legacy/app/Dockerfile");
    assert_eq!(passes(legacy), ["name-stages"], "{legacy:#}");
    assert!(legacy["suggestions"].as_array().unwrap().is_empty());
    // the pragma'd file is skipped with its reason
    let pinned = by_path("./tools/pinned.Dockerfile");
    assert_eq!(pinned["status"], "unchanged");
    assert_eq!(pinned["skipped"], "`# slimfile: ignore-file` pragma");
    // one error, with line and column
    let broken = by_path("./broken/Dockerfile");
    assert_eq!(broken["status"], "error");
    assert_eq!(broken["error"]["position"]["line"], 1);
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["changed"], 101);
    // identical on every run, with one thread or several
    for threads in ["1", "2", "4"] {
        let (c, again) = run(dir.path(), threads);
        assert_eq!(c, Some(2));
        assert_eq!(again, report, "run with {threads} threads differs");
    }
}

#[test]
fn bad_config_is_an_error_naming_file_line_and_key() {
    let dir = tree();
    write(
        dir.path(),
        "legacy/.slimfile.toml",
        "select = [\"name-stages\"]\nsafty = \"safe\"\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(dir.path())
        .args(["rewrite", "--dry-run", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("legacy/.slimfile.toml:2:1: error: unknown field `safty`"),
        "{err}"
    );
    // --isolated ignores configuration files
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(dir.path())
        .args([
            "rewrite",
            "--dry-run",
            "--isolated",
            "--format",
            "json",
            "legacy",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let passes: Vec<&str> = report["files"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pass"].as_str().unwrap())
        .collect();
    assert!(passes.contains(&"slim-base"), "{passes:?}");
}

#[test]
fn cli_flags_override_config() {
    let dir = tree();
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(dir.path())
        .args([
            "rewrite",
            "--dry-run",
            "--format",
            "json",
            "--select",
            "slim-base",
            "legacy/app/Dockerfile",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = report["files"][0]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c["pass"] == "slim-base"),
        "{report:#}"
    );
}

//! End-to-end: every app under `tests/e2e/` is rewritten and proved by
//! `slimfile verify` with podman: the original and the rewrite are built,
//! run with the app's smoke check, and measured. The rewrite must work and be
//! smaller by the app's `min_ratio` (from its `e2e.toml`).
//!
//! Needs podman and the stand-in base images of `scripts/container-lab.sh`
//! (its `env.sh` is read from `$SLIMFILE_LAB`, default
//! `/var/tmp/container-lab`). Without podman the test says so and skips;
//! with `CI=true` it must run. `SLIMFILE_E2E=name,name` runs only those apps.
//! Measured sizes go to `target/e2e/sizes.json` (`scripts/size-table.py`
//! turns them into the README's table).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Text the smoke runs must print.
    expect: Option<String>,
    /// Smoke command instead of the image's own.
    smoke: Option<String>,
    /// original size / rewritten size must reach this.
    min_ratio: Option<f64>,
    /// Seconds per smoke run.
    timeout: Option<u64>,
    /// Verify this hand-written rewrite instead of slimfile's.
    against: Option<String>,
    /// `ok` (default) or `failed`.
    expect_verdict: Option<String>,
    /// An extra command run in the rewritten image.
    check: Option<Check>,
    /// `--safety` for the rewrite (default: review).
    safety: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    command: Vec<String>,
    expect: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The lab's environment (`export K=V` lines of its env.sh).
fn lab_env() -> BTreeMap<String, String> {
    let lab = std::env::var("SLIMFILE_LAB").unwrap_or_else(|_| "/var/tmp/container-lab".into());
    let Ok(text) = std::fs::read_to_string(Path::new(&lab).join("env.sh")) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn podman(env: &BTreeMap<String, String>) -> Command {
    let mut c = Command::new("podman");
    c.envs(env);
    c
}

fn podman_works(env: &BTreeMap<String, String>) -> bool {
    podman(env)
        .args(["image", "exists", "docker.io/library/debian:bookworm"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn e2e_apps_rewrite_build_run_and_shrink() {
    let env = lab_env();
    if !podman_works(&env) {
        let msg = "e2e: podman with the stand-in images is not available (run `sudo scripts/container-lab.sh`)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}; CI=true: the end-to-end suite must run");
        }
        eprintln!("{msg}; skipping");
        return;
    }
    let only: Option<Vec<String>> = std::env::var("SLIMFILE_E2E")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/e2e"))
        .expect("tests/e2e exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("e2e.toml").is_file())
        .filter(|p| {
            only.as_ref().is_none_or(|o| {
                o.iter()
                    .any(|n| p.file_name().is_some_and(|f| f == n.as_str()))
            })
        })
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no e2e apps found");
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let case: Case = toml::from_str(&std::fs::read_to_string(dir.join("e2e.toml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/e2e.toml: {e}"));
        eprintln!("e2e: {name} …");
        match run_case(&env, dir, &case) {
            Ok(Some(row)) => {
                eprintln!(
                    "e2e: {name}: ok, {:.1} MB → {:.1} MB ({:.1}×)",
                    row.1 as f64 / 1e6,
                    row.2 as f64 / 1e6,
                    row.1 as f64 / row.2 as f64
                );
                rows.push(serde_json::json!({
                    "app": name, "before_bytes": row.1, "after_bytes": row.2,
                    "ratio": row.1 as f64 / row.2 as f64, "min_ratio": case.min_ratio,
                    "rewritten_base": row.0,
                }));
            }
            Ok(None) => eprintln!("e2e: {name}: failed as expected"),
            Err(e) => {
                eprintln!("e2e: {name}: FAILED: {e}");
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    if only.is_none() {
        let out = root().join("target/e2e");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(
            out.join("sizes.json"),
            serde_json::to_string_pretty(&rows).unwrap(),
        )
        .unwrap();
    }
    assert!(
        failures.is_empty(),
        "e2e failures:\n{}",
        failures.join("\n")
    );
}

/// Verifies one app; `Ok(Some((runtime base, before, after)))` for a working rewrite,
/// `Ok(None)` for a case that must fail and did.
fn run_case(
    env: &BTreeMap<String, String>,
    dir: &Path,
    case: &Case,
) -> Result<Option<(String, u64, u64)>, String> {
    let dockerfile = dir.join("Dockerfile");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slimfile"));
    cmd.envs(env)
        .arg("verify")
        .arg(&dockerfile)
        .args(["--engine", "podman", "--pull", "never", "--format", "json"])
        .args(["--timeout", &case.timeout.unwrap_or(12).to_string()]);
    if let Some(e) = &case.expect {
        cmd.args(["--expect", e]);
    }
    if let Some(s) = &case.smoke {
        cmd.args(["--smoke", s]);
    }
    if let Some(a) = &case.against {
        cmd.arg("--against").arg(dir.join(a));
    }
    if let Some(s) = &case.safety {
        cmd.args(["--safety", s]);
    }
    if case.check.is_some() {
        cmd.arg("--keep");
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run slimfile: {e}"))?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "no JSON report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let verdict = report["verdict"].as_str().unwrap_or("?");
    let want = case.expect_verdict.as_deref().unwrap_or("ok");
    let code = out.status.code();
    let shown = || serde_json::to_string_pretty(&report).unwrap_or_default();
    if verdict != want {
        return Err(format!(
            "verdict {verdict}, expected {want}: {}\n{}",
            report["reason"],
            shown()
        ));
    }
    if want == "failed" {
        let output = report["rewritten"]["smoke"]["output"]
            .as_str()
            .unwrap_or("");
        if code != Some(1) || output.trim().is_empty() {
            return Err(format!(
                "a failed verification must exit 1 and show the failing run's output; exit {code:?}\n{}",
                shown()
            ));
        }
        return Ok(None);
    }
    if code != Some(0) {
        return Err(format!("verdict ok but exit {code:?}"));
    }
    let before = report["original"]["size_bytes"]
        .as_u64()
        .ok_or("no original size")?;
    let after = report["rewritten"]["size_bytes"]
        .as_u64()
        .ok_or("no rewritten size")?;
    let ratio = before as f64 / after as f64;
    if let Some(min) = case.min_ratio
        && ratio < min
    {
        return Err(format!(
            "only {ratio:.2}× smaller ({before} → {after} bytes), expected ≥ {min}×"
        ));
    }
    if let Some(check) = &case.check {
        let tag = report["rewritten"]["tag"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let run = podman(env)
            .args(["run", "--rm", &tag])
            .args(&check.command)
            .output()
            .map_err(|e| e.to_string())?;
        for t in ["original", "rewritten"] {
            let tag = report[t]["tag"].as_str().unwrap_or_default();
            let _ = podman(env).args(["rmi", "-f", tag]).output();
        }
        let text = String::from_utf8_lossy(&run.stdout);
        if !text.contains(&check.expect) {
            return Err(format!(
                "check {:?} did not print {:?}: {text}",
                check.command, check.expect
            ));
        }
    }
    // the rewritten Dockerfile's final base, for the table
    let rewritten = std::process::Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .args(["rewrite", "--dry-run", "--format", "json"])
        .args(["--safety", case.safety.as_deref().unwrap_or("review")])
        .arg(&dockerfile)
        .output()
        .map_err(|e| e.to_string())?;
    let json: serde_json::Value = serde_json::from_slice(&rewritten.stdout).unwrap_or_default();
    let base = json["files"][0]["image"]["after"]
        .as_str()
        .unwrap_or("")
        .to_string();
    Ok(Some((base, before, after)))
}

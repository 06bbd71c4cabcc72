//! End-to-end: every app under `tests/e2e/` is rewritten and proved by
//! `slimfile verify` with each engine of the lab, podman (Buildah) and Docker
//! Engine (BuildKit): the original and the rewrite are built, run with the
//! app's smoke check, and measured. The rewrite must work and be smaller by
//! the app's `min_ratio` (from its `e2e.toml`).
//!
//! Needs the engines and stand-in base images of `scripts/container-lab.sh`
//! (its `env.sh` is read from `$SLIMFILE_LAB`, default
//! `/var/tmp/container-lab`). Without an engine the test says so and skips
//! it; with `CI=true` both must run. The two engines run side by side (one
//! thread each). `SLIMFILE_E2E=name,name` runs only those apps,
//! `SLIMFILE_E2E_ENGINES=podman` only that engine. Measured sizes go to
//! `target/e2e/sizes.json` (`scripts/size-table.py` turns them into the
//! README's table).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Text the smoke runs must print.
    expect: Option<String>,
    /// `--probe` URL (a server's HTTP check) both images must answer.
    probe: Option<String>,
    /// Smoke command instead of the image's own.
    smoke: Option<String>,
    /// original size / rewritten size must reach this.
    min_ratio: Option<f64>,
    /// Seconds per smoke run.
    timeout: Option<u64>,
    /// Verify this hand-written rewrite instead of slimfile's.
    against: Option<String>,
    /// `ok` (default), `failed` or `repaired`.
    expect_verdict: Option<String>,
    /// An extra command run in the rewritten image.
    check: Option<Check>,
    /// `--safety` for the rewrite (default: review).
    safety: Option<String>,
    /// `--select` for the rewrite: only these passes (default: all).
    select: Option<Vec<String>>,
    /// `--prefer` for the rewrite (default: slim).
    prefer: Option<String>,
    /// What the rewritten image's attack surface must show.
    surface: Option<SurfaceWant>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SurfaceWant {
    /// At most this many OS packages after the rewrite.
    max_packages: Option<u64>,
    /// Fewer OS packages than the original.
    fewer_packages: Option<bool>,
    /// No shell after the rewrite.
    no_shell: Option<bool>,
    /// No compiler after the rewrite.
    no_compiler: Option<bool>,
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

/// An engine the apps are verified with.
#[derive(Debug, Clone)]
struct Engine {
    /// `podman` or `docker`: the label in logs and sizes.json.
    name: &'static str,
    /// The program `slimfile verify --engine` gets.
    program: String,
    /// Extra verify arguments for this engine.
    verify_args: Vec<String>,
    /// The builders its report may name.
    builders: &'static [&'static str],
}

impl Engine {
    fn command(&self, env: &BTreeMap<String, String>) -> Command {
        let mut c = Command::new(&self.program);
        c.envs(env);
        c
    }

    fn has_standins(&self, env: &BTreeMap<String, String>) -> bool {
        self.command(env)
            .args(["image", "inspect", "docker.io/library/debian:bookworm"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

/// The lab's engines: podman, and its Docker Engine (Debian's CLI, whose BuildKit is built in;
/// `--network host`: the lab's dockerd adds no NAT rules).
fn lab_engines(env: &BTreeMap<String, String>) -> Vec<Engine> {
    vec![
        Engine {
            name: "podman",
            program: "podman".into(),
            verify_args: vec!["--pull".into(), "never".into()],
            builders: &["buildah"],
        },
        Engine {
            name: "docker",
            program: env
                .get("SLIMFILE_LAB_DOCKER")
                .cloned()
                .unwrap_or_else(|| "docker".into()),
            verify_args: vec!["--network".into(), "host".into()],
            builders: &["buildkit-native", "buildkit-buildx"],
        },
    ]
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The engines to test with: those of `SLIMFILE_E2E_ENGINES` (default: all), each with its
/// stand-ins; under `CI=true` a missing one is a failure.
fn engines_to_test(env: &BTreeMap<String, String>) -> Vec<Engine> {
    let wanted: Option<Vec<String>> = std::env::var("SLIMFILE_E2E_ENGINES")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());
    let mut ready = Vec::new();
    for engine in lab_engines(env) {
        if wanted
            .as_ref()
            .is_some_and(|w| !w.iter().any(|n| n == engine.name))
        {
            continue;
        }
        if engine.has_standins(env) {
            ready.push(engine);
            continue;
        }
        let msg = format!(
            "e2e: {} with the stand-in images is not available (run `sudo scripts/container-lab.sh`)",
            engine.name
        );
        if ci() {
            panic!("{msg}; CI=true: the end-to-end suite must run with every engine");
        }
        eprintln!("{msg}; skipping it");
    }
    ready
}

fn app_dirs() -> (Vec<PathBuf>, bool) {
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
    (dirs, only.is_none())
}

#[test]
fn e2e_apps_rewrite_build_run_and_shrink() {
    let _one_at_a_time = ENGINES_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
    let env = lab_env();
    let engines = engines_to_test(&env);
    if engines.is_empty() {
        return;
    }
    let (dirs, all_apps) = app_dirs();
    assert!(!dirs.is_empty(), "no e2e apps found");
    let start = std::time::Instant::now();
    // one thread per engine: their builds overlap (they share no storage)
    let results: Vec<(Vec<serde_json::Value>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = engines
            .iter()
            .map(|engine| {
                let env = &env;
                let dirs = &dirs;
                scope.spawn(move || run_engine(env, engine, dirs))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an engine's thread panicked"))
            .collect()
    });
    eprintln!(
        "e2e: {} apps × {} engines in {:.0} s",
        dirs.len(),
        engines.len(),
        start.elapsed().as_secs_f64()
    );
    let rows: Vec<_> = results.iter().flat_map(|(r, _)| r.clone()).collect();
    let failures: Vec<_> = results.iter().flat_map(|(_, f)| f.clone()).collect();
    if all_apps {
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

/// Every app with one engine: the size rows and the failures.
fn run_engine(
    env: &BTreeMap<String, String>,
    engine: &Engine,
    dirs: &[PathBuf],
) -> (Vec<serde_json::Value>, Vec<String>) {
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    let e = engine.name;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let case: Case = toml::from_str(&std::fs::read_to_string(dir.join("e2e.toml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/e2e.toml: {e}"));
        let started = std::time::Instant::now();
        match run_case(env, engine, dir, &case) {
            Ok(Some(row)) => {
                eprintln!(
                    "e2e [{e}]: {name}: ok, {:.1} MB → {:.1} MB ({:.1}×), packages {:?} → {:?} in {:.0} s",
                    row.before as f64 / 1e6,
                    row.after as f64 / 1e6,
                    row.before as f64 / row.after as f64,
                    row.packages.0,
                    row.packages.1,
                    started.elapsed().as_secs_f64()
                );
                rows.push(serde_json::json!({
                    "app": name, "engine": e, "before_bytes": row.before, "after_bytes": row.after,
                    "ratio": row.before as f64 / row.after as f64, "min_ratio": case.min_ratio,
                    "rewritten_base": row.base, "safety": case.safety,
                    "before_packages": row.packages.0, "after_packages": row.packages.1,
                }));
            }
            Ok(None) => eprintln!(
                "e2e [{e}]: {name}: {} as expected",
                case.expect_verdict.as_deref().unwrap_or("?")
            ),
            Err(err) => {
                eprintln!("e2e [{e}]: {name}: FAILED: {err}");
                failures.push(format!("[{e}] {name}: {err}"));
            }
        }
    }
    (rows, failures)
}

/// Verifies one app; `Ok(Some((runtime base, before, after)))` for a working rewrite,
/// `Ok(None)` for a case that must fail (or be repaired) and did.
fn run_case(
    env: &BTreeMap<String, String>,
    engine: &Engine,
    dir: &Path,
    case: &Case,
) -> Result<Option<Row>, String> {
    let dockerfile = dir.join("Dockerfile");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slimfile"));
    cmd.envs(env)
        .arg("verify")
        .arg(&dockerfile)
        .arg("--engine")
        .arg(&engine.program)
        .args(&engine.verify_args)
        .args(["--format", "json"])
        .args(["--timeout", &case.timeout.unwrap_or(12).to_string()]);
    if let Some(e) = &case.expect {
        cmd.args(["--expect", e]);
    }
    if let Some(s) = &case.smoke {
        cmd.args(["--smoke", s]);
    }
    if let Some(p) = &case.probe {
        cmd.args(["--probe", p]);
    }
    if let Some(a) = &case.against {
        cmd.arg("--against").arg(dir.join(a));
    }
    if let Some(s) = &case.safety {
        cmd.args(["--safety", s]);
    }
    if let Some(passes) = &case.select {
        cmd.args(["--select", &passes.join(",")]);
    }
    if let Some(p) = &case.prefer {
        cmd.args(["--prefer", p]);
    }
    // kept for the package cross-check and the extra check; removed below
    cmd.arg("--keep");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run slimfile: {e}"))?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "no JSON report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let result = judge_case(env, engine, dir, case, &report, out.status.code());
    for t in ["original", "rewritten"] {
        if let Some(tag) = report[t]["tag"].as_str().filter(|t| !t.is_empty()) {
            let _ = engine.command(env).args(["rmi", "-f", tag]).output();
        }
    }
    result
}

/// The checks of one verified app (its images are still there).
fn judge_case(
    env: &BTreeMap<String, String>,
    engine: &Engine,
    dir: &Path,
    case: &Case,
    report: &serde_json::Value,
    code: Option<i32>,
) -> Result<Option<Row>, String> {
    let dockerfile = dir.join("Dockerfile");
    let verdict = report["verdict"].as_str().unwrap_or("?");
    let want = case.expect_verdict.as_deref().unwrap_or("ok");
    let shown = || serde_json::to_string_pretty(report).unwrap_or_default();
    if verdict != want {
        return Err(format!(
            "verdict {verdict}, expected {want}: {}\n{}",
            report["reason"],
            shown()
        ));
    }
    let builder = report["builder"].as_str().unwrap_or("?");
    if !engine.builders.contains(&builder) {
        return Err(format!(
            "built with {builder}, expected one of {:?}",
            engine.builders
        ));
    }
    if want == "repaired" {
        let before = report["original"]["smoke"]["output"].as_str().unwrap_or("");
        let after = report["rewritten"]["smoke"]["output"]
            .as_str()
            .unwrap_or("");
        let expect = case.expect.as_deref().unwrap_or_default();
        if code != Some(0) || before.trim().is_empty() || !after.contains(expect) {
            return Err(format!(
                "a repair must exit 0 and show both runs (the original's failure, the rewrite's \
                 expected text); exit {code:?}\n{}",
                shown()
            ));
        }
        return Ok(None);
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
    if case.probe.is_some() {
        for t in ["original", "rewritten"] {
            if report[t]["smoke"]["probe"]["ok"] != true {
                return Err(format!("the {t} image's probe did not pass\n{}", shown()));
            }
        }
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
        let run = engine
            .command(env)
            .args(["run", "--rm", &tag])
            .args(&check.command)
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&run.stdout);
        if !text.contains(&check.expect) {
            return Err(format!(
                "check {:?} did not print {:?}: {text}",
                check.command, check.expect
            ));
        }
    }
    let packages = check_surface(env, engine, case, report)?;
    // the rewritten Dockerfile's final base, for the table
    let rewritten = std::process::Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .args(["rewrite", "--dry-run", "--format", "json"])
        .args(["--safety", case.safety.as_deref().unwrap_or("review")])
        .args(
            case.select
                .as_ref()
                .map(|p| vec!["--select".to_string(), p.join(",")])
                .unwrap_or_default(),
        )
        .args(
            case.prefer
                .as_ref()
                .map(|p| vec!["--prefer".to_string(), p.clone()])
                .unwrap_or_default(),
        )
        .arg(&dockerfile)
        .output()
        .map_err(|e| e.to_string())?;
    let json: serde_json::Value = serde_json::from_slice(&rewritten.stdout).unwrap_or_default();
    let base = json["files"][0]["image"]["after"]
        .as_str()
        .unwrap_or("")
        .to_string();
    Ok(Some(Row {
        base,
        before,
        after,
        packages,
    }))
}

/// A working rewrite's table row.
struct Row {
    /// The rewritten Dockerfile's final base.
    base: String,
    before: u64,
    after: u64,
    /// OS packages before and after.
    packages: (Option<u64>, Option<u64>),
}

/// Both images' attack surfaces are there, the rewritten one shows what the app's
/// `[surface]` asks, and each package count read from the exported filesystem equals what
/// the package manager inside the same image lists (podman only: the images are the same on
/// both engines). Returns the package counts before and after.
fn check_surface(
    env: &BTreeMap<String, String>,
    engine: &Engine,
    case: &Case,
    report: &serde_json::Value,
) -> Result<(Option<u64>, Option<u64>), String> {
    let surface = |t: &str| {
        let s = &report[t]["surface"];
        if s.is_object() {
            Ok(s)
        } else {
            Err(format!(
                "no attack surface for the {t} image: {}",
                report["notes"]
            ))
        }
    };
    let (before, after) = (surface("original")?, surface("rewritten")?);
    let want = case.surface.as_ref();
    let count = |s: &serde_json::Value| s["os_packages"].as_u64();
    let empty = |s: &serde_json::Value, k: &str| s[k].as_array().is_some_and(|a| a.is_empty());
    if let Some(max) = want.and_then(|w| w.max_packages)
        && count(after).is_none_or(|n| n > max)
    {
        return Err(format!(
            "{} packages after the rewrite, expected ≤ {max}",
            after["os_packages"]
        ));
    }
    if want.and_then(|w| w.fewer_packages) == Some(true)
        && !matches!((count(before), count(after)), (Some(a), Some(b)) if b < a)
    {
        return Err(format!(
            "packages {} → {}: expected fewer",
            before["os_packages"], after["os_packages"]
        ));
    }
    if want.and_then(|w| w.no_shell) == Some(true) && !empty(after, "shells") {
        return Err(format!("shells after the rewrite: {}", after["shells"]));
    }
    if want.and_then(|w| w.no_compiler) == Some(true) && !empty(after, "compilers") {
        return Err(format!(
            "compilers after the rewrite: {}",
            after["compilers"]
        ));
    }
    if engine.name == "podman" {
        for (t, s) in [("original", before), ("rewritten", after)] {
            let tag = report[t]["tag"].as_str().unwrap_or_default();
            if let Some(listed) = listed_packages(env, engine, tag, s)
                && count(s) != Some(listed)
            {
                return Err(format!(
                    "the {t} image: {} packages read from its filesystem, {listed} listed by its \
                     package manager",
                    s["os_packages"]
                ));
            }
        }
    }
    Ok((count(before), count(after)))
}

/// What `dpkg-query` (installed: `ii`) or `apk info` lists inside the image, where it has the
/// tool and a shell; `None` where it has not (scratch, distroless).
fn listed_packages(
    env: &BTreeMap<String, String>,
    engine: &Engine,
    tag: &str,
    surface: &serde_json::Value,
) -> Option<u64> {
    let has_shell = surface["shells"]
        .as_array()
        .is_some_and(|a| a.iter().any(|s| s == "sh"));
    let script = match surface["package_db"].as_str()? {
        "dpkg" => {
            "command -v dpkg-query >/dev/null || exit 3; dpkg-query -W -f '${db:Status-Abbrev}\\n' | grep -c '^ii'"
        }
        "apk" => "command -v apk >/dev/null || exit 3; apk info | grep -c .",
        _ => return None,
    };
    if !has_shell {
        return None;
    }
    let out = engine
        .command(env)
        .args(["run", "--rm", "--entrypoint", "sh", tag, "-c", script])
        .output()
        .ok()?;
    if out.status.code() == Some(3) {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// The e2e tests share the engines: one at a time.
static ENGINES_IN_USE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Bulk verify: three apps at once over two engine endpoints (podman, and the lab's Docker
/// Engine addressed by its socket URL), one combined JSON report that matches its schema.
#[test]
fn e2e_bulk_verify_spreads_three_apps_over_two_engines() {
    let _one_at_a_time = ENGINES_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
    let env = lab_env();
    let engines = engines_to_test(&env);
    if engines.len() < 2 {
        eprintln!("e2e bulk: needs both lab engines; skipping");
        return;
    }
    let docker = &engines[1];
    let Some(docker_host) = env.get("DOCKER_HOST") else {
        panic!("the lab's env.sh names no DOCKER_HOST");
    };
    // given unsorted; discovery sorts them, as `rewrite` does
    let apps = ["go-hello", "go-templates", "go-ca-bundle"];
    let mut sorted = apps;
    sorted.sort();
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .envs(&env)
        .arg("verify")
        .args(apps.map(|a| root().join("tests/e2e").join(a).join("Dockerfile")))
        .arg("--hosts")
        .arg(format!("podman,{}@{docker_host}", docker.program))
        .args(["--jobs", "2", "--timeout", "12", "--format", "json"])
        .output()
        .expect("slimfile runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(report["summary"]["files"], 3, "{text}");
    assert_eq!(report["summary"]["ok"], 3, "{text}");
    let files = report["files"].as_array().expect("files");
    for (file, app) in files.iter().zip(sorted) {
        assert!(
            file["path"].as_str().unwrap_or("").contains(app),
            "files come in discovery's (sorted) order: {text}"
        );
        assert!(file["rewritten"]["size_bytes"].as_u64().unwrap_or(0) > 0);
    }
    let builders: std::collections::BTreeSet<_> =
        files.iter().filter_map(|f| f["builder"].as_str()).collect();
    assert!(
        builders.contains("buildah") && builders.iter().any(|b| b.starts_with("buildkit")),
        "both endpoints build: {builders:?}\n{text}"
    );
    assert!(
        files.iter().any(|f| f["engine"]
            .as_str()
            .unwrap_or("")
            .contains(docker_host.as_str())),
        "the docker endpoint is named with its host: {text}"
    );
    if let Ok(python) = std::env::var("SLIMFILE_PYTHON") {
        let doc = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(doc.path(), text.as_bytes()).unwrap();
        let check = Command::new(python)
            .arg(root().join("tests/oracle/validate_schema.py"))
            .arg(root().join("schemas/verify-report.schema.json"))
            .arg(doc.path())
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "the combined report does not match its schema:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

/// A Docker CLI with neither built-in BuildKit nor buildx (Docker's CLI 28 without the plugin)
/// and a Dockerfile that needs BuildKit: exit 2 with the fix, before any build. The engine is a
/// stand-in script that answers `version` with a recorded output; it needs no lab.
#[test]
fn a_legacy_only_docker_and_a_buildkit_dockerfile_exit_2_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let engine = dir.path().join("docker");
    std::fs::write(
        &engine,
        r#"#!/bin/sh
case "$1" in
  version) echo '{"Client":{"Version":"28.2.2","ApiVersion":"1.41","Context":"default"},"Server":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41"}}' ;;
  buildx) echo "docker: unknown command: docker buildx" >&2; exit 1 ;;
  *) echo "unexpected engine call: $*" >&2; exit 99 ;;
esac
"#,
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&engine, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\nCMD [\"true\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .arg("verify")
        .arg(&dockerfile)
        .arg("--engine")
        .arg(&engine)
        .arg("--against")
        .arg(&dockerfile)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}{stderr}");
    assert!(!stderr.contains("unexpected engine call"), "{stderr}");
    for needle in [
        "legacy builder",
        "line 2: RUN --mount",
        "buildx plugin is missing",
        "docker-buildx-plugin",
    ] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
}

/// A remote engine: the test starts a podman API service on a socket of its own and verifies an
/// app through it (`--host unix://…`: podman `--remote --url`), as on a build host.
#[test]
fn e2e_verify_on_a_remote_podman_service() {
    let _one_at_a_time = ENGINES_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
    let env = lab_env();
    let engines = engines_to_test(&env);
    let Some(podman) = engines.iter().find(|e| e.name == "podman") else {
        eprintln!("e2e remote: podman not available; skipping");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("unix://{}", dir.path().join("podman.sock").display());
    let mut service = podman
        .command(&env)
        .args(["system", "service", "--time=0", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("podman system service starts");
    let answers = || {
        podman
            .command(&env)
            .args(["--remote", "--url", &url, "version"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !answers() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .envs(&env)
        .arg("verify")
        .arg(root().join("tests/e2e/go-hello/Dockerfile"))
        .args(["--engine", "podman", "--host", &url, "--pull", "never"])
        .args(["--expect", "GO-E2E-OK", "--format", "json"])
        .output()
        .expect("slimfile runs");
    let _ = service.kill();
    let _ = service.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["verdict"], "ok", "{text}");
    assert!(
        report["engine"].as_str().unwrap_or("").contains(&url),
        "the report names the remote host: {text}"
    );
}

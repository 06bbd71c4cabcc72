//! `slimfile verify`: proves a rewrite by building the original and the
//! rewritten Dockerfile with a real container engine, running both with a
//! smoke command, and measuring their sizes.
//!
//! The verdict is [`Verdict::Ok`] when the rewrite builds, its smoke run
//! matches the original's (same exit status, or both still running at the
//! timeout, and the `--expect` text in its output) and it is not larger;
//! [`Verdict::Repaired`] when the original fails its own smoke check (the
//! `--expect` text missing, or a non-zero exit) and the rewrite passes it;
//! [`Verdict::Failed`] when it misses any of these; [`Verdict::CannotRun`]
//! when there is nothing to compare against (no engine, no BuildKit for a
//! file that needs it, the original does not build or fails its own smoke
//! check and so does the rewrite): then the rewrite is not blamed.
//!
//! It only removes what it made: the two tagged images and its containers.

pub mod bulk;
pub mod engine;
pub mod needs;
pub mod probe;
mod run;
pub mod surface;
mod text;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use engine::{Builder, Engine};
pub use text::render;

/// What to verify and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub engine: Engine,
    pub dockerfile: PathBuf,
    pub context: PathBuf,
    /// The rewritten text to build.
    pub rewritten: String,
    /// Arguments after the image in `run` (empty: the image's own command).
    pub smoke: Vec<String>,
    pub expect: Option<String>,
    pub timeout: Duration,
    /// `--probe`: an HTTP check of a server's published port, for both images.
    pub probe: Option<probe::Probe>,
    pub pull: Option<String>,
    /// `--network` for the builds (`host` where the engine's containers have no NAT).
    pub network: Option<String>,
    pub keep: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The rewrite builds, behaves like the original and is not larger.
    Ok,
    /// The original fails its own smoke check; the rewrite passes it.
    Repaired,
    /// The rewrite breaks something the original did.
    Failed,
    /// Nothing to compare with: the rewrite is not blamed.
    CannotRun,
    /// slimfile leaves the file unchanged: nothing to build (bulk verify).
    Unchanged,
}

impl Verdict {
    /// The name the JSON report uses (`ok`, `repaired`, `failed`, `cannot-run`, `unchanged`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Repaired => "repaired",
            Verdict::Failed => "failed",
            Verdict::CannotRun => "cannot-run",
            Verdict::Unchanged => "unchanged",
        }
    }

    /// 0 ok / repaired, 1 failed, 2 cannot verify.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Ok | Verdict::Repaired | Verdict::Unchanged => 0,
            Verdict::Failed => 1,
            Verdict::CannotRun => 2,
        }
    }
}

/// How a smoke run ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "code")]
pub enum Status {
    Exited(i32),
    /// Still running at the timeout, or when its `--probe` answered (a server): stopped by verify.
    Running,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Exited(c) => write!(f, "exit {c}"),
            Status::Running => write!(f, "running (stopped by verify)"),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Smoke {
    pub status: Status,
    pub seconds: f64,
    /// The last lines of what the container printed.
    pub output: String,
    /// Whether the `--expect` text was in the output (`None` without `--expect`).
    pub expected_found: Option<bool>,
    /// The `--probe` answer (`None` without `--probe`).
    pub probe: Option<probe::ProbeOutcome>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Image {
    pub tag: String,
    pub built: bool,
    pub build_seconds: f64,
    /// The last lines of the build output when the build failed.
    pub build_error: Option<String>,
    pub size_bytes: Option<u64>,
    pub smoke: Option<Smoke>,
    /// The attack surface read from the built image's filesystem (`None`
    /// when it was not built or could not be read).
    pub surface: Option<surface::Surface>,
}

/// One file's verification.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub path: String,
    /// The engine, its version and host (`docker 20.10.24 (engine 20.10.24)`).
    pub engine: String,
    /// The builder both images were built with.
    pub builder: Builder,
    /// [`Builder::describe`] of it.
    pub builder_description: String,
    pub verdict: Verdict,
    pub reason: String,
    pub original: Image,
    pub rewritten: Image,
    /// original size / rewritten size.
    pub ratio: Option<f64>,
    /// The original's packages the rewritten image no longer has.
    pub packages_removed: Vec<String>,
    /// Suggestions for the reviewer, never applied (a runtime that runs as root).
    pub notes: Vec<String>,
}

/// The first engine on PATH that answers `version` (podman, then docker).
pub fn find_engine() -> Option<String> {
    ["podman", "docker"].into_iter().find_map(|e| {
        Command::new(e)
            .arg("version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
            .filter(|s| s.success())
            .map(|_| e.to_string())
    })
}

const TAIL_LINES: usize = 40;

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Builds, runs and measures both images.
pub fn verify(opts: &Options) -> Report {
    let id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    let repo = format!("localhost/slimfile-verify-{id}");
    let mut report = Report {
        path: opts.dockerfile.display().to_string(),
        engine: opts.engine.describe(),
        builder: opts.engine.builder,
        builder_description: opts.engine.builder.describe().to_string(),
        verdict: Verdict::CannotRun,
        reason: String::new(),
        original: Image {
            tag: format!("{repo}:original"),
            ..Image::default()
        },
        rewritten: Image {
            tag: format!("{repo}:rewritten"),
            ..Image::default()
        },
        ratio: None,
        packages_removed: Vec::new(),
        notes: Vec::new(),
    };
    let rewritten_file = match write_temp(&opts.rewritten) {
        Ok(f) => f,
        Err(e) => {
            report.reason = format!("cannot write the rewritten Dockerfile: {e}");
            return report;
        }
    };
    if !opts.engine.builder.is_buildkit() && opts.engine.kind == engine::Kind::Docker {
        let original = std::fs::read_to_string(&opts.dockerfile).unwrap_or_default();
        let mut needs = needs::buildkit_only(&original);
        needs.extend(
            needs::buildkit_only(&opts.rewritten)
                .into_iter()
                .map(|n| format!("rewrite {n}")),
        );
        if !needs.is_empty() {
            report.reason = format!(
                "this Dockerfile needs BuildKit ({}), but {}: {}",
                needs.join(", "),
                opts.engine
                    .no_buildkit
                    .as_deref()
                    .unwrap_or("the engine has only the legacy builder"),
                engine::BUILDKIT_FIX
            );
            return report;
        }
    }
    run_checks(opts, &mut report, rewritten_file.path(), &id);
    if !opts.keep {
        for tag in [&report.original.tag, &report.rewritten.tag] {
            let _ = opts
                .engine
                .command()
                .args(["rmi", "-f", tag])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
    report
}

fn write_temp(text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut f = tempfile::Builder::new()
        .prefix("slimfile-verify-")
        .suffix(".Dockerfile")
        .tempfile()?;
    f.write_all(text.as_bytes())?;
    f.flush()?;
    Ok(f)
}

fn run_checks(opts: &Options, report: &mut Report, rewritten: &Path, id: &str) {
    // podman-remote 4.3 sends a Dockerfile that lies inside the context by its
    // relative name, and the service may read that name from its own working
    // folder (another project's Dockerfile): a remote podman gets a copy from
    // outside the context, as the rewrite is
    let copy = (opts.engine.kind == engine::Kind::Podman && opts.engine.host.is_some())
        .then(|| std::fs::read_to_string(&opts.dockerfile).ok())
        .flatten()
        .and_then(|text| write_temp(&text).ok());
    let original = copy
        .as_ref()
        .map_or(opts.dockerfile.as_path(), |f| f.path());
    build(opts, original, &mut report.original);
    if !report.original.built {
        report.reason = match report
            .original
            .build_error
            .as_deref()
            .and_then(missing_image)
        {
            Some(image) => format!(
                "the original Dockerfile does not build: the image {image} is not on the engine \
                 and cannot be pulled: pull it where there is a registry, or load it \
                 (`podman save {image} | docker load`, `docker save {image} | podman load`)"
            ),
            None => {
                "the original Dockerfile does not build: nothing to compare the rewrite with".into()
            }
        };
        return;
    }
    build(opts, rewritten, &mut report.rewritten);
    if !report.rewritten.built {
        report.verdict = Verdict::Failed;
        report.reason = "the rewritten Dockerfile does not build".into();
        return;
    }
    let ratio = match (report.original.size_bytes, report.rewritten.size_bytes) {
        (Some(a), Some(b)) if b > 0 => Some(a as f64 / b as f64),
        _ => None,
    };
    report.ratio = ratio;
    let before = run::smoke(
        opts,
        &report.original.tag,
        &format!("slimfile-verify-{id}-o"),
    );
    report.original.smoke = Some(before.clone());
    // the rewrite runs even when the original fails its own check: it may repair it
    let after = run::smoke(
        opts,
        &report.rewritten.tag,
        &format!("slimfile-verify-{id}-r"),
    );
    report.rewritten.smoke = Some(after.clone());
    let (verdict, reason) = judge(
        &before,
        &after,
        report.original.size_bytes,
        report.rewritten.size_bytes,
    );
    report.verdict = verdict;
    report.reason = reason;
    read_surfaces(opts, report, id);
}

/// Reads both images' attack surface; a failure to read one is a note, never a verdict.
fn read_surfaces(opts: &Options, report: &mut Report, id: &str) {
    let read = |image: &mut Image, suffix: &str, notes: &mut Vec<String>| {
        let name = format!("slimfile-verify-{id}-{suffix}");
        match surface::read(&opts.engine, &image.tag, &name) {
            Ok((s, ports)) => {
                image.surface = Some(s);
                ports
            }
            Err(e) => {
                notes.push(format!(
                    "the attack surface of {} was not read: {e}",
                    image.tag
                ));
                Vec::new()
            }
        }
    };
    read(&mut report.original, "so", &mut report.notes);
    // the root note is about the rewritten image: its user and its ports
    let ports = read(&mut report.rewritten, "sr", &mut report.notes);
    if let (Some(before), Some(after)) = (&report.original.surface, &report.rewritten.surface) {
        report.packages_removed = surface::removed_packages(before, after);
        report.notes.extend(surface::root_note(after, &ports));
    }
}

/// The image a failed build could not find or pull, from the engine's output
/// (BuildKit, podman and the legacy builder word it differently).
fn missing_image(build_output: &str) -> Option<String> {
    let word_after = |line: &str, marker: &str| {
        line.split_once(marker)
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .map(|w| w.trim_end_matches([':', ',']).to_string())
    };
    // BuildKit: the step that failed is `load metadata for IMAGE`, named again in its summary
    let buildkit_failed = build_output.contains("failed to solve");
    for line in build_output.lines() {
        if let Some((before, _)) = line.split_once(": image not known") {
            return before.rsplit(' ').next().map(str::to_string);
        }
        for marker in ["pull access denied for ", "manifest for "] {
            if let Some(w) = word_after(line, marker) {
                return Some(w);
            }
        }
        if buildkit_failed
            && line.trim_start().starts_with("> [")
            && let Some(w) = word_after(line, "load metadata for ")
        {
            return Some(w);
        }
    }
    None
}

/// Whether a smoke run passes its own check: the expected text (if any) is
/// there and it exited 0 or was still running at the timeout.
fn passes(run: &Smoke) -> bool {
    run.expected_found != Some(false)
        && run.probe.as_ref().is_none_or(|p| p.ok)
        && matches!(run.status, Status::Exited(0) | Status::Running)
}

/// The verdict from the two smoke runs and the two sizes.
pub fn judge(
    before: &Smoke,
    after: &Smoke,
    before_size: Option<u64>,
    after_size: Option<u64>,
) -> (Verdict, String) {
    if !passes(before) && passes(after) {
        return (
            Verdict::Repaired,
            format!(
                "the original fails its own smoke check ({}) and the rewrite passes it: the rewrite repairs the image",
                failure(before)
            ),
        );
    }
    if before.expected_found == Some(false) {
        return (
            Verdict::CannotRun,
            format!(
                "the original image's smoke run does not print the expected text, nor does the rewrite's ({}): fix --smoke/--expect first",
                failure(after)
            ),
        );
    }
    let verdict_failed = |reason: String| (Verdict::Failed, reason);
    if before.probe.as_ref().is_some_and(|p| !p.ok) {
        return (
            Verdict::CannotRun,
            format!(
                "the original image does not answer the probe ({}): fix --probe first",
                before.probe.as_ref().map_or("", |p| p.detail.as_str())
            ),
        );
    }
    if after.expected_found == Some(false) {
        verdict_failed("the rewritten image's smoke run does not print the expected text".into())
    } else if let Some(p) = after.probe.as_ref().filter(|p| !p.ok) {
        verdict_failed(format!(
            "the rewritten image does not answer {} ({})",
            p.url, p.detail
        ))
    } else if after.status != before.status {
        verdict_failed(format!(
            "the smoke runs differ: original {}, rewritten {}",
            before.status, after.status
        ))
    } else if let (Some(a), Some(b)) = (before_size, after_size)
        && b > a
    {
        verdict_failed("the rewritten image is larger than the original".into())
    } else {
        (
            Verdict::Ok,
            "the rewrite builds, passes the smoke check and is not larger".into(),
        )
    }
}

/// Why a smoke run fails its check, in a few words.
fn failure(run: &Smoke) -> String {
    let mut s = run.status.to_string();
    if run.expected_found == Some(false) {
        s.push_str(", expected text not found");
    }
    if let Some(p) = run.probe.as_ref().filter(|p| !p.ok) {
        s.push_str(&format!(", no answer to {} ({})", p.url, p.detail));
    }
    s
}

fn build(opts: &Options, dockerfile: &Path, image: &mut Image) {
    let start = Instant::now();
    let out = opts
        .engine
        .build_command(
            dockerfile,
            &image.tag,
            &opts.context,
            opts.pull.as_deref(),
            opts.network.as_deref(),
        )
        .stdin(Stdio::null())
        .output();
    image.build_seconds = start.elapsed().as_secs_f64();
    match out {
        Ok(o) if o.status.success() => {
            image.built = true;
            image.size_bytes = size(&opts.engine, &image.tag);
        }
        Ok(o) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            image.build_error = Some(tail(&text, TAIL_LINES));
        }
        Err(e) => image.build_error = Some(format!("cannot run {}: {e}", opts.engine.program)),
    }
}

fn size(engine: &Engine, tag: &str) -> Option<u64> {
    let o = engine
        .command()
        .args(["image", "inspect", tag, "--format", "{{.Size}}"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&o.stdout).trim().parse().ok()
}

#[cfg(test)]
mod tests;

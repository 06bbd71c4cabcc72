//! `slimfile verify`: proves a rewrite by building the original and the
//! rewritten Dockerfile with a real container engine, running both with a
//! smoke command, and measuring their sizes.
//!
//! The verdict is [`Verdict::Ok`] when the rewrite builds, its smoke run
//! matches the original's (same exit status, or both still running at the
//! timeout, and the `--expect` text in its output) and it is not larger;
//! [`Verdict::Failed`] when it misses any of these; [`Verdict::CannotRun`]
//! when there is nothing to compare against (no engine, the original does not
//! build or does not pass its own smoke check): then the rewrite is not blamed.
//!
//! It only removes what it made: the two tagged images and its containers.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What to verify and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub engine: String,
    pub dockerfile: PathBuf,
    pub context: PathBuf,
    /// The rewritten text to build.
    pub rewritten: String,
    /// Arguments after the image in `run` (empty: the image's own command).
    pub smoke: Vec<String>,
    pub expect: Option<String>,
    pub timeout: Duration,
    pub pull: Option<String>,
    pub keep: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ok,
    Failed,
    CannotRun,
}

impl Verdict {
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Ok => 0,
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
    /// Still running at the timeout (a server): stopped by verify.
    Running,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Exited(c) => write!(f, "exit {c}"),
            Status::Running => write!(f, "still running at the timeout"),
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
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub path: String,
    pub engine: String,
    pub verdict: Verdict,
    pub reason: String,
    pub original: Image,
    pub rewritten: Image,
    /// original size / rewritten size.
    pub ratio: Option<f64>,
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
        engine: opts.engine.clone(),
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
    };
    let rewritten_file = match write_temp(&opts.rewritten) {
        Ok(f) => f,
        Err(e) => {
            report.reason = format!("cannot write the rewritten Dockerfile: {e}");
            return report;
        }
    };
    run_checks(opts, &mut report, rewritten_file.path(), &id);
    if !opts.keep {
        for tag in [&report.original.tag, &report.rewritten.tag] {
            let _ = Command::new(&opts.engine)
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
    build(opts, &opts.dockerfile, &mut report.original);
    if !report.original.built {
        report.reason =
            "the original Dockerfile does not build: nothing to compare the rewrite with".into();
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
    let before = smoke(
        opts,
        &report.original.tag,
        &format!("slimfile-verify-{id}-o"),
    );
    let before_ok = before.expected_found != Some(false);
    report.original.smoke = Some(before.clone());
    if !before_ok {
        report.reason =
            "the original image's smoke run does not print the expected text: fix --smoke/--expect first".into();
        return;
    }
    let after = smoke(
        opts,
        &report.rewritten.tag,
        &format!("slimfile-verify-{id}-r"),
    );
    report.rewritten.smoke = Some(after.clone());
    report.verdict = Verdict::Failed;
    if after.expected_found == Some(false) {
        report.reason = "the rewritten image's smoke run does not print the expected text".into();
    } else if after.status != before.status {
        report.reason = format!(
            "the smoke runs differ: original {}, rewritten {}",
            before.status, after.status
        );
    } else if let (Some(a), Some(b)) = (report.original.size_bytes, report.rewritten.size_bytes)
        && b > a
    {
        report.reason = "the rewritten image is larger than the original".into();
    } else {
        report.verdict = Verdict::Ok;
        report.reason = "the rewrite builds, passes the smoke check and is not larger".into();
    }
}

fn build(opts: &Options, dockerfile: &Path, image: &mut Image) {
    let start = Instant::now();
    let mut cmd = Command::new(&opts.engine);
    cmd.arg("build")
        .arg("-f")
        .arg(dockerfile)
        .arg("-t")
        .arg(&image.tag);
    if let Some(pull) = &opts.pull {
        cmd.arg(format!("--pull={pull}"));
    }
    cmd.arg(&opts.context);
    let out = cmd.output();
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
        Err(e) => image.build_error = Some(format!("cannot run {}: {e}", opts.engine)),
    }
}

fn size(engine: &str, tag: &str) -> Option<u64> {
    let o = Command::new(engine)
        .args(["image", "inspect", tag, "--format", "{{.Size}}"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&o.stdout).trim().parse().ok()
}

/// Runs the image with the smoke command; stops it at the timeout.
fn smoke(opts: &Options, tag: &str, name: &str) -> Smoke {
    let start = Instant::now();
    let mut cmd = Command::new(&opts.engine);
    cmd.args(["run", "--rm", "--name", name, tag])
        .args(&opts.smoke)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Smoke {
                status: Status::Exited(-1),
                seconds: 0.0,
                output: format!("cannot run {}: {e}", opts.engine),
                expected_found: opts.expect.as_ref().map(|_| false),
            };
        }
    };
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut r| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    })
    .collect();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Status::Exited(s.code().unwrap_or(-1)),
            Ok(None) if start.elapsed() >= opts.timeout => {
                let _ = Command::new(&opts.engine)
                    .args(["rm", "-f", "-t", "2", name])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                break Status::Running;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => break Status::Exited(-1),
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let output: String = readers
        .into_iter()
        .filter_map(|h| h.join().ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let expected_found = opts.expect.as_ref().map(|e| output.contains(e.as_str()));
    Smoke {
        status,
        seconds,
        output: tail(&output, TAIL_LINES),
        expected_found,
    }
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("size unknown".into(), |b| {
        format!("{:.1} MB", b as f64 / 1_000_000.0)
    })
}

/// The human report.
pub fn render(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = format!("{}: verify with {}\n", r.path, r.engine);
    for (label, image) in [("original ", &r.original), ("rewritten", &r.rewritten)] {
        if image.build_seconds == 0.0 {
            continue;
        }
        let _ = write!(s, "  {label}  ");
        if image.built {
            let _ = write!(
                s,
                "built in {:.1} s, {}",
                image.build_seconds,
                mb(image.size_bytes)
            );
        } else {
            let _ = write!(s, "build FAILED after {:.1} s", image.build_seconds);
        }
        if let Some(sm) = &image.smoke {
            let _ = write!(s, ", smoke: {} in {:.1} s", sm.status, sm.seconds);
            match sm.expected_found {
                Some(true) => s.push_str(" (expected text found)"),
                Some(false) => s.push_str(" (expected text NOT found)"),
                None => {}
            }
        }
        s.push('\n');
    }
    if let Some(ratio) = r.ratio {
        let _ = writeln!(
            s,
            "  size       {} → {}: {ratio:.1}× smaller",
            mb(r.original.size_bytes),
            mb(r.rewritten.size_bytes)
        );
    }
    for (label, image) in [("original", &r.original), ("rewritten", &r.rewritten)] {
        if let Some(e) = &image.build_error {
            let _ = writeln!(s, "--- {label} build output (last lines) ---\n{e}");
        }
    }
    if r.verdict == Verdict::Failed
        && let Some(sm) = &r.rewritten.smoke
    {
        let _ = writeln!(
            s,
            "--- rewritten smoke output (last lines) ---\n{}",
            sm.output
        );
    }
    let verdict = match r.verdict {
        Verdict::Ok => "ok",
        Verdict::Failed => "FAILED",
        Verdict::CannotRun => "cannot verify",
    };
    let _ = writeln!(s, "verdict: {verdict}: {}", r.reason);
    s
}

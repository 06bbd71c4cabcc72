//! Bulk verify: many Dockerfiles, `--jobs` builds at once, spread over one or
//! more engine endpoints (`--hosts`), one combined report (text, JSON,
//! Markdown). A file that fails, or cannot even be rewritten, is one line of
//! the report: it never stops the others.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Engine, Image, Options, Report, Verdict, render};

/// An endpoint given to `--hosts`: an engine program, a host URL, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `None`: the `--engine` (or the first engine on PATH).
    pub engine: Option<String>,
    /// `None`: the engine's own default host.
    pub host: Option<String>,
}

/// Reads one `--hosts` entry: `podman`, `/usr/bin/docker`, `tcp://h:2375`
/// (with the `--engine`), or `ENGINE@URL` (`docker@ssh://me@build-1`).
///
/// ```
/// use slimfile::verify::bulk::{parse_endpoint, Endpoint};
/// assert_eq!(parse_endpoint("docker@ssh://me@b1"), Endpoint {
///     engine: Some("docker".into()), host: Some("ssh://me@b1".into()) });
/// assert_eq!(parse_endpoint("tcp://b2:2375").engine, None);
/// ```
pub fn parse_endpoint(entry: &str) -> Endpoint {
    let entry = entry.trim();
    let scheme_at = entry.find("://");
    match (entry.find('@'), scheme_at) {
        // a URL first: `ssh://me@host` keeps its user
        (_, Some(s)) if !entry[..s].contains('@') => Endpoint {
            engine: None,
            host: Some(entry.to_string()),
        },
        (Some(at), _) => Endpoint {
            engine: Some(entry[..at].to_string()),
            host: Some(entry[at + 1..].to_string()).filter(|h| !h.is_empty()),
        },
        (None, _) => Endpoint {
            engine: Some(entry.to_string()),
            host: None,
        },
    }
}

/// One file to verify: its rewrite, or why there is nothing to build.
#[derive(Debug, Clone)]
pub struct Job {
    pub dockerfile: std::path::PathBuf,
    pub context: std::path::PathBuf,
    /// `Ok(rewritten text)`, or `Err((verdict, reason))` for a file not built
    /// (unchanged by slimfile, unreadable, refused by the rewrite).
    pub rewritten: Result<String, (Verdict, String)>,
}

/// What every file shares.
#[derive(Debug, Clone)]
pub struct Common {
    pub smoke: Vec<String>,
    pub expect: Option<String>,
    pub timeout: Duration,
    pub probe: Option<super::probe::Probe>,
    pub pull: Option<String>,
    pub network: Option<String>,
    pub keep: bool,
}

/// The combined report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BulkReport {
    /// The report format's version (`schemas/verify-report.schema.json`).
    pub version: u32,
    /// One entry per file, in the order of the work list (discovery's: sorted).
    pub files: Vec<Report>,
    pub summary: Summary,
}

/// Counts and totals over the files.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub ok: usize,
    pub repaired: usize,
    pub failed: usize,
    pub cannot_run: usize,
    pub unchanged: usize,
    /// Sum of the original sizes of the files with both sizes.
    pub before_bytes: u64,
    /// Sum of the rewritten sizes of the same files.
    pub after_bytes: u64,
    pub seconds: f64,
    /// The endpoints used (engine, version, host, builder).
    pub engines: Vec<String>,
}

impl BulkReport {
    /// 0 when every file is ok, repaired or unchanged; 1 when any rewrite
    /// failed; else 2 when any file could not be verified.
    pub fn exit_code(&self) -> u8 {
        if self.summary.failed > 0 {
            1
        } else if self.summary.cannot_run > 0 {
            2
        } else {
            0
        }
    }
}

fn not_built(job: &Job, engine: &Engine, verdict: Verdict, reason: String) -> Report {
    Report {
        path: job.dockerfile.display().to_string(),
        engine: engine.describe(),
        builder: engine.builder,
        builder_description: engine.builder.describe().to_string(),
        verdict,
        reason,
        original: Image::default(),
        rewritten: Image::default(),
        ratio: None,
        packages_removed: Vec::new(),
        notes: Vec::new(),
    }
}

/// Verifies every job with `jobs` workers; worker `i` builds on endpoint
/// `i % engines.len()`. `progress` is told of each finished file
/// (`done`, `total`, its report).
pub fn run(
    work: &[Job],
    engines: &[Engine],
    jobs: usize,
    common: &Common,
    progress: &(dyn Fn(usize, usize, &Report) + Sync),
) -> BulkReport {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Report>>> = work.iter().map(|_| Mutex::new(None)).collect();
    let workers = jobs.max(1).min(work.len().max(1));
    if !engines.is_empty() {
        std::thread::scope(|scope| {
            for w in 0..workers {
                let engine = &engines[w % engines.len()];
                let (next, done, slots) = (&next, &done, &slots);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(job) = work.get(i) else { break };
                        let report = verify_one(job, engine, common);
                        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                        progress(n, work.len(), &report);
                        if let Ok(mut slot) = slots[i].lock() {
                            *slot = Some(report);
                        }
                    }
                });
            }
        });
    }
    let files: Vec<Report> = slots
        .into_iter()
        .zip(work)
        .map(|(slot, job)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| Report {
                path: job.dockerfile.display().to_string(),
                engine: String::new(),
                builder: super::Builder::Buildah,
                builder_description: String::new(),
                verdict: Verdict::CannotRun,
                reason: "not verified: its worker stopped".into(),
                original: Image::default(),
                rewritten: Image::default(),
                ratio: None,
                packages_removed: Vec::new(),
                notes: Vec::new(),
            })
        })
        .collect();
    let engines = engines
        .iter()
        .map(|e| format!("{}, {}", e.describe(), e.builder.describe()))
        .collect();
    combine(files, start.elapsed().as_secs_f64(), engines)
}

/// The combined report of `files`, verified in `seconds` on `engines`.
pub fn combine(files: Vec<Report>, seconds: f64, engines: Vec<String>) -> BulkReport {
    let mut summary = Summary {
        files: files.len(),
        seconds,
        engines,
        ..Summary::default()
    };
    for r in &files {
        match r.verdict {
            Verdict::Ok => summary.ok += 1,
            Verdict::Repaired => summary.repaired += 1,
            Verdict::Failed => summary.failed += 1,
            Verdict::CannotRun => summary.cannot_run += 1,
            Verdict::Unchanged => summary.unchanged += 1,
        }
        if let (Some(a), Some(b)) = (r.original.size_bytes, r.rewritten.size_bytes) {
            summary.before_bytes += a;
            summary.after_bytes += b;
        }
    }
    BulkReport {
        version: 1,
        files,
        summary,
    }
}

/// One file; a panic in it becomes its report, not the end of the run.
fn verify_one(job: &Job, engine: &Engine, common: &Common) -> Report {
    let rewritten = match &job.rewritten {
        Ok(text) => text.clone(),
        Err((verdict, reason)) => return not_built(job, engine, *verdict, reason.clone()),
    };
    let opts = Options {
        engine: engine.clone(),
        dockerfile: job.dockerfile.clone(),
        context: job.context.clone(),
        rewritten,
        smoke: common.smoke.clone(),
        expect: common.expect.clone(),
        timeout: common.timeout,
        probe: common.probe.clone(),
        pull: common.pull.clone(),
        network: common.network.clone(),
        keep: common.keep,
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| super::verify(&opts))).unwrap_or_else(
        |_| {
            not_built(
                job,
                engine,
                Verdict::CannotRun,
                "internal error while verifying this file (a bug in slimfile: please report it)"
                    .into(),
            )
        },
    )
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("–".into(), |b| format!("{:.1} MB", b as f64 / 1e6))
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Repaired => "repaired",
        Verdict::Failed => "FAILED",
        Verdict::CannotRun => "cannot verify",
        Verdict::Unchanged => "unchanged",
    }
}

fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{} files: {} ok, {} repaired, {} failed, {} not verifiable, {} unchanged in {:.0} s",
        s.files, s.ok, s.repaired, s.failed, s.cannot_run, s.unchanged, s.seconds
    );
    if s.after_bytes > 0 {
        line.push_str(&format!(
            "; {} → {} ({:.1}× smaller)",
            mb(Some(s.before_bytes)),
            mb(Some(s.after_bytes)),
            s.before_bytes as f64 / s.after_bytes as f64
        ));
    }
    line
}

/// The human report: each file's report, then the summary.
pub fn render_text(r: &BulkReport) -> String {
    let mut s = String::new();
    for f in &r.files {
        if matches!(f.verdict, Verdict::Unchanged) || f.original.build_seconds == 0.0 {
            s.push_str(&format!(
                "{}: {}: {}\n",
                f.path,
                verdict_word(f.verdict),
                f.reason
            ));
        } else {
            s.push_str(&render(f));
        }
    }
    s.push_str(&summary_line(&r.summary));
    s.push('\n');
    s
}

/// The attack-surface cells of a file's row: packages, setuid files, shells
/// and compilers, each `before → after` (`–` when a surface is missing).
fn surface_cells(f: &Report) -> [String; 4] {
    let (Some(a), Some(b)) = (&f.original.surface, &f.rewritten.surface) else {
        return ["–".into(), "–".into(), "–".into(), "–".into()];
    };
    let n = |x: Option<u64>| x.map_or("?".into(), |x| x.to_string());
    let names = |v: &[String]| {
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    };
    [
        format!("{} → {}", n(a.os_packages), n(b.os_packages)),
        format!("{} → {}", a.setuid_files, b.setuid_files),
        format!("{} → {}", names(&a.shells), names(&b.shells)),
        format!("{} → {}", names(&a.compilers), names(&b.compilers)),
    ]
}

/// Markdown for a pull-request comment: a table, then the failures' reasons.
pub fn render_markdown(r: &BulkReport) -> String {
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    let mut s = String::from("### slimfile verify\n\n");
    s.push_str("| file | verdict | original | rewritten | smaller by | packages | setuid | shells | compilers | build s (original / rewritten) | engine |\n");
    s.push_str("|---|---|---:|---:|---:|---:|---:|---|---|---:|---|\n");
    for f in &r.files {
        let ratio = f.ratio.map_or("–".into(), |x| format!("{x:.1}×"));
        let builds = if f.original.build_seconds > 0.0 {
            format!(
                "{:.0} / {:.0}",
                f.original.build_seconds, f.rewritten.build_seconds
            )
        } else {
            "–".into()
        };
        let surface = surface_cells(f);
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&f.path),
            verdict_word(f.verdict),
            mb(f.original.size_bytes),
            mb(f.rewritten.size_bytes),
            ratio,
            surface[0],
            surface[1],
            surface[2],
            surface[3],
            builds,
            cell(&f.engine)
        ));
    }
    s.push_str(&format!("\n{}\n", summary_line(&r.summary)));
    let notes: Vec<_> = r
        .files
        .iter()
        .filter(|f| !matches!(f.verdict, Verdict::Ok | Verdict::Unchanged))
        .collect();
    if !notes.is_empty() {
        s.push('\n');
        for f in notes {
            s.push_str(&format!(
                "- `{}` ({}): {}\n",
                cell(&f.path),
                verdict_word(f.verdict),
                cell(&f.reason)
            ));
        }
    }
    let infos: Vec<String> = r
        .files
        .iter()
        .flat_map(|f| {
            let removed = (!f.packages_removed.is_empty()).then(|| {
                format!(
                    "- `{}`: <details><summary>{} packages removed</summary>{}</details>",
                    cell(&f.path),
                    f.packages_removed.len(),
                    cell(&f.packages_removed.join(", "))
                )
            });
            removed.into_iter().chain(
                f.notes
                    .iter()
                    .map(|n| format!("- `{}`: info: {}", cell(&f.path), cell(n))),
            )
        })
        .collect();
    if !infos.is_empty() {
        s.push('\n');
        for line in infos {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_read_engine_host_or_both() {
        assert_eq!(
            parse_endpoint("podman"),
            Endpoint {
                engine: Some("podman".into()),
                host: None
            }
        );
        assert_eq!(
            parse_endpoint("/usr/bin/docker@unix:///tmp/d.sock"),
            Endpoint {
                engine: Some("/usr/bin/docker".into()),
                host: Some("unix:///tmp/d.sock".into())
            }
        );
        assert_eq!(
            parse_endpoint("ssh://me@build-1"),
            Endpoint {
                engine: None,
                host: Some("ssh://me@build-1".into())
            }
        );
    }

    fn engine() -> Engine {
        Engine::from_version_output(
            "podman",
            None,
            r#"{"Client":{"Version":"4.3.1","OsArch":"linux/amd64"}}"#,
            false,
        )
        .unwrap()
    }

    fn common() -> Common {
        Common {
            smoke: vec![],
            expect: None,
            timeout: Duration::from_secs(1),
            probe: None,
            pull: None,
            network: None,
            keep: false,
        }
    }

    #[test]
    fn files_not_built_keep_their_place_and_count() {
        let work: Vec<Job> = ["a/Dockerfile", "b/Dockerfile", "c/Dockerfile"]
            .iter()
            .enumerate()
            .map(|(i, p)| Job {
                dockerfile: p.into(),
                context: ".".into(),
                rewritten: Err(if i == 1 {
                    (Verdict::CannotRun, "cannot read".into())
                } else {
                    (Verdict::Unchanged, "slimfile leaves it unchanged".into())
                }),
            })
            .collect();
        let seen = AtomicUsize::new(0);
        let report = run(
            &work,
            &[engine(), engine()],
            3,
            &common(),
            &|_, total, _| {
                assert_eq!(total, 3);
                seen.fetch_add(1, Ordering::SeqCst);
            },
        );
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        let paths: Vec<_> = report.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a/Dockerfile", "b/Dockerfile", "c/Dockerfile"]);
        assert_eq!(
            (report.summary.unchanged, report.summary.cannot_run),
            (2, 1)
        );
        assert_eq!(report.exit_code(), 2);
        let md = render_markdown(&report);
        assert!(md.contains("| `b/Dockerfile` | cannot verify |"), "{md}");
        assert!(
            md.contains("- `b/Dockerfile` (cannot verify): cannot read"),
            "{md}"
        );
    }
}

//! `slimfile verify`: build the original and the rewritten Dockerfile, run both and compare;
//! one file with its own report, or many spread over the engines of `--hosts`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use slimfile::engine;
use slimfile::files;
use slimfile::report::{self, FileError};

use super::settings::SettingsResolver;
use super::{PassArgs, context_dir};

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Dockerfiles or folders (found as `rewrite` finds them). One file: its report; more, or a
    /// folder: each file verified, one combined report.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Builds at once in a bulk verify (default: one per endpoint of --hosts).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Engine endpoints to spread a bulk verify over (comma-separated): `podman`, `docker`, a
    /// program path, a host URL for --engine, or ENGINE@URL (`docker@ssh://me@build-1`).
    #[arg(long, value_delimiter = ',')]
    pub hosts: Vec<String>,
    /// Skip paths matching this glob when walking folders (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Container engine (`podman`, `docker`, or a path to one); default: the first on PATH that
    /// answers. Its builder is detected once: podman's Buildah; for docker, BuildKit through the
    /// buildx plugin, BuildKit built into CLIs before 23 (DOCKER_BUILDKIT=1), else the legacy builder.
    #[arg(long)]
    pub engine: Option<String>,
    /// Remote engine: `unix://`, `tcp://` or `ssh://` URL (docker `--host`, podman `--remote --url`).
    /// Without it the engine's own DOCKER_HOST / CONTAINER_HOST apply.
    #[arg(long)]
    pub host: Option<String>,
    /// Build context (default: the Dockerfile's folder).
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// Command (and arguments) to run in both images instead of their own command.
    #[arg(long)]
    pub smoke: Option<String>,
    /// Text both smoke runs must print.
    #[arg(long)]
    pub expect: Option<String>,
    /// HTTP check for servers, e.g. `http://:8080/health`: the port is published on the engine
    /// host's loopback and must answer 2xx/3xx within --timeout, for both images.
    #[arg(long)]
    pub probe: Option<String>,
    /// Seconds a smoke run may take; a container still running then counts as "running".
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
    /// Verify this rewritten Dockerfile instead of slimfile's own rewrite.
    #[arg(long)]
    pub against: Option<PathBuf>,
    /// Pull policy for the builds (`never`, `missing`, `always`): podman takes it as is; Docker's
    /// `--pull` is a boolean, so `always` becomes `--pull` and the others Docker's default.
    #[arg(long)]
    pub pull: Option<String>,
    /// Network mode for the builds (`host` when the engine's containers have no NAT, as with a
    /// dockerd started with --iptables=false).
    #[arg(long)]
    pub network: Option<String>,
    /// Keep the two images (tagged localhost/slimfile-verify-*).
    #[arg(long)]
    pub keep: bool,
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
    #[command(flatten)]
    pub passes: PassArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VerifyFormat {
    Text,
    Json,
    /// A table for a pull-request comment (the combined report's shape).
    Markdown,
}

pub(super) fn verify(args: VerifyArgs) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("slimfile: error: {msg}");
        ExitCode::from(2)
    };
    let bulk = args.paths.len() > 1
        || args.paths.iter().any(|p| p.is_dir())
        || !args.hosts.is_empty()
        || args.format == VerifyFormat::Markdown;
    if bulk {
        return verify_bulk(&args);
    }
    let path = &args.paths[0];
    let mut resolver = match SettingsResolver::new(&args.passes) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let name = path.display().to_string();
    let context = args
        .context
        .clone()
        .unwrap_or_else(|| context_dir(path).to_path_buf());
    let rewritten = match &args.against {
        Some(other) => match std::fs::read_to_string(other) {
            Ok(t) => t,
            Err(e) => return fail(format!("{}: cannot read: {e}", other.display())),
        },
        None => match verify_rewrite(&mut resolver, path, &context, true) {
            Ok(text) => text,
            Err((slimfile::verify::Verdict::Unchanged, reason)) => {
                println!("{name}: nothing to verify: {reason}");
                return ExitCode::SUCCESS;
            }
            Err((_, reason)) => {
                eprintln!("{reason}");
                return ExitCode::from(2);
            }
        },
    };
    let Some(engine_name) = args.engine.clone().or_else(slimfile::verify::find_engine) else {
        return fail(NO_ENGINE.into());
    };
    let engine = match slimfile::verify::Engine::detect(&engine_name, args.host.as_deref()) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let common = match verify_common(&args) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let opts = slimfile::verify::Options {
        engine,
        dockerfile: path.clone(),
        context,
        rewritten,
        smoke: common.smoke,
        expect: common.expect,
        timeout: common.timeout,
        probe: common.probe,
        pull: common.pull,
        network: common.network,
        keep: common.keep,
    };
    let report = slimfile::verify::verify(&opts);
    match args.format {
        VerifyFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        VerifyFormat::Text => print!("{}", slimfile::verify::render(&report)),
        VerifyFormat::Markdown => {
            let engine = format!("{}, {}", report.engine, report.builder_description);
            let seconds = report.original.build_seconds + report.rewritten.build_seconds;
            let combined =
                slimfile::verify::bulk::combine(vec![report.clone()], seconds, vec![engine]);
            print!("{}", slimfile::verify::bulk::render_markdown(&combined))
        }
    }
    ExitCode::from(report.verdict.exit_code())
}

const NO_ENGINE: &str =
    "no container engine: neither podman nor docker answers on PATH (see scripts/container-lab.sh)";

/// slimfile's rewrite of one file for verify, or why there is nothing to build.
fn verify_rewrite(
    resolver: &mut SettingsResolver,
    path: &Path,
    context: &Path,
    show_messages: bool,
) -> Result<String, (slimfile::verify::Verdict, String)> {
    use slimfile::verify::Verdict;
    let name = path.display().to_string();
    let settings = resolver
        .for_file(path)
        .map_err(|e| (Verdict::CannotRun, e))?;
    let bytes = std::fs::read(path)
        .map_err(|e| (Verdict::CannotRun, format!("{name}: cannot read: {e}")))?;
    match engine::rewrite(&bytes, &settings, Some(context)) {
        Ok(o) if !o.changed() => Err((
            Verdict::Unchanged,
            "slimfile leaves this file unchanged".into(),
        )),
        Ok(o) => {
            if show_messages {
                eprint!("{}", report::render_messages(&name, &o));
            }
            Ok(String::from_utf8_lossy(&o.source.encode(&o.output)).into_owned())
        }
        Err(e) => Err((Verdict::CannotRun, FileError::from(e).render(&name))),
    }
}

/// The verify options every file shares.
fn verify_common(args: &VerifyArgs) -> Result<slimfile::verify::bulk::Common, String> {
    let smoke = match args.smoke.as_deref().map(shlex::split) {
        None => Vec::new(),
        Some(Some(words)) => words,
        Some(None) => return Err("--smoke: unbalanced quotes".into()),
    };
    Ok(slimfile::verify::bulk::Common {
        smoke,
        expect: args.expect.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        probe: args
            .probe
            .as_deref()
            .map(slimfile::verify::probe::parse)
            .transpose()?,
        pull: args.pull.clone(),
        network: args.network.clone(),
        keep: args.keep,
    })
}

/// `slimfile verify` over many files: discovery, rewrites, then the builds
/// spread over the endpoints of `--hosts`.
fn verify_bulk(args: &VerifyArgs) -> ExitCode {
    use slimfile::verify::bulk;
    let fail = |msg: String| {
        eprintln!("slimfile: error: {msg}");
        ExitCode::from(2)
    };
    if args.against.is_some() || args.context.is_some() {
        return fail("--against and --context take one Dockerfile, not a bulk verify".into());
    }
    let common = match verify_common(args) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let (paths, walk_problems) = match files::discover(&args.paths, &args.exclude) {
        Ok(found) => found,
        Err(e) => return fail(format!("{e:#}")),
    };
    for (p, e) in &walk_problems {
        eprintln!("slimfile: warning: {}: {e}", p.display());
    }
    let mut resolver = match SettingsResolver::new(&args.passes) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let work: Vec<bulk::Job> = paths
        .iter()
        .map(|p| {
            let context = context_dir(p).to_path_buf();
            bulk::Job {
                dockerfile: p.clone(),
                rewritten: verify_rewrite(&mut resolver, p, &context, false),
                context,
            }
        })
        .collect();
    let engines = match bulk_engines(args) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let jobs = args.jobs.unwrap_or(engines.len()).max(1);
    let bar = bulk_progress_bar(work.len());
    let progress = |done: usize, total: usize, r: &slimfile::verify::Report| {
        let line = format!(
            "[{done}/{total}] {}: {} ({})",
            r.path,
            r.verdict.as_str(),
            r.engine
        );
        match &bar {
            Some(b) => {
                b.println(line);
                b.inc(1);
            }
            None => eprintln!("{line}"),
        }
    };
    let combined = bulk::run(&work, &engines, jobs, &common, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match args.format {
        VerifyFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&combined).unwrap_or_default()
        ),
        VerifyFormat::Text => print!("{}", bulk::render_text(&combined)),
        VerifyFormat::Markdown => print!("{}", bulk::render_markdown(&combined)),
    }
    ExitCode::from(combined.exit_code())
}

/// One detected engine per endpoint of `--hosts` (or the one of `--engine`/`--host`).
fn bulk_engines(args: &VerifyArgs) -> Result<Vec<slimfile::verify::Engine>, String> {
    use slimfile::verify::bulk;
    let endpoints: Vec<bulk::Endpoint> = if args.hosts.is_empty() {
        vec![bulk::Endpoint {
            engine: args.engine.clone(),
            host: args.host.clone(),
        }]
    } else {
        args.hosts.iter().map(|h| bulk::parse_endpoint(h)).collect()
    };
    let mut engines = Vec::new();
    for ep in &endpoints {
        let Some(program) = ep
            .engine
            .clone()
            .or_else(|| args.engine.clone())
            .or_else(slimfile::verify::find_engine)
        else {
            return Err(NO_ENGINE.into());
        };
        engines.push(slimfile::verify::Engine::detect(
            &program,
            ep.host.as_deref(),
        )?);
    }
    Ok(engines)
}

/// A bar on a terminal (each finished file printed above it); `None` means plain lines.
fn bulk_progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} verified [{bar:30}] {elapsed}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

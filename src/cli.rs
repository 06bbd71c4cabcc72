//! The command line: argument parsing and the `rewrite`, `passes`, `explain` commands.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::config::{Config, Prefer, Settings};
use crate::docs;
use crate::edit::Safety;
use crate::engine;
use crate::files;
use crate::passes;
use crate::report::{self, FileError, FileResult, Summary};

#[derive(Debug, Parser)]
#[command(
    name = "slimfile",
    version,
    about = "Rewrite Dockerfiles into lean multi-stage builds, with a reviewable diff."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Rewrite Dockerfiles in place (or show the diff with --dry-run, or fail with --check).
    Rewrite(RewriteArgs),
    /// Prove a rewrite: build the original and the rewritten Dockerfile, run both, compare sizes.
    Verify(Box<VerifyArgs>),
    /// List the passes with their safety level.
    Passes {
        /// Print the README's pass table (Markdown) instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a pass's documentation, a split recipe's, or what a reason code means.
    Explain {
        /// A pass id (as `slimfile passes` lists them), a split recipe (`go`,
        /// `python`, …) or a reason code (`artifact-unknown`, or
        /// `split-stages/artifact-unknown` as reports write it).
        topic: String,
    },
    /// Run the language server on standard input and output (diagnostics, code actions, formatting).
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

#[derive(Debug, Args)]
pub(crate) struct RewriteArgs {
    /// Files or folders; `-` reads standard input and writes the result to standard output.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff instead of writing files.
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,
    /// Like --dry-run, and exit 1 when any file would change.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub passes: PassArgs,
    /// The path to report (and whose folder is the build context) for standard input.
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Skip paths matching this glob when walking folders (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Which passes run and how far they go (shared by `rewrite` and `verify`).
#[derive(Debug, Args)]
pub struct PassArgs {
    /// Highest safety level to apply; riskier changes are listed as suggestions.
    #[arg(long, value_parser = parse_safety)]
    pub safety: Option<Safety>,
    /// Run only these passes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Do not run these passes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Runtime base variant slim-base prefers.
    #[arg(long, value_enum)]
    pub prefer: Option<Prefer>,
    /// Use this configuration file for every Dockerfile (no search).
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files: defaults and command-line flags only.
    #[arg(long)]
    pub isolated: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
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
pub enum VerifyFormat {
    Text,
    Json,
    /// A table for a pull-request comment (the combined report's shape).
    Markdown,
}

fn parse_safety(s: &str) -> Result<Safety, String> {
    s.parse()
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Passes { markdown } => {
            if markdown {
                print!("{}", docs::pass_table());
            } else {
                print!("{}", docs::pass_lines());
            }
            ExitCode::SUCCESS
        }
        Command::Explain { topic } => match docs::explain(&topic) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "slimfile: error: nothing to explain for `{topic}` (known {})",
                    docs::topics()
                );
                ExitCode::from(2)
            }
        },
        Command::Rewrite(args) => rewrite(args),
        Command::Verify(args) => verify(*args),
        Command::Lsp => crate::lsp::main(),
    }
}

/// Settings per Dockerfile: defaults, then the closest configuration file
/// (or `--config`) with its matching overrides, then command-line flags.
struct SettingsResolver<'a> {
    args: &'a PassArgs,
    explicit: Option<Config>,
    by_dir: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    loaded: std::collections::HashMap<PathBuf, Config>,
}

impl<'a> SettingsResolver<'a> {
    fn new(args: &'a PassArgs) -> Result<Self, String> {
        for id in args.select.iter().flatten().chain(&args.ignore) {
            if passes::find(id).is_none() {
                return Err(format!("unknown pass `{id}` (see `slimfile passes`)"));
            }
        }
        let explicit = match &args.config {
            Some(p) => Some(Config::load(p).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(SettingsResolver {
            args,
            explicit,
            by_dir: Default::default(),
            loaded: Default::default(),
        })
    }

    /// Settings for the Dockerfile at `path` (a bare name is in the current folder).
    fn for_file(&mut self, path: &Path) -> Result<Settings, String> {
        let mut s = Settings::default();
        if let Some(c) = &self.explicit {
            c.apply(&mut s, path);
        } else if !self.args.isolated {
            let dir = context_dir(path).to_path_buf();
            let found = self
                .by_dir
                .entry(dir.clone())
                .or_insert_with(|| Config::find(&dir))
                .clone();
            if let Some(cfg_path) = found {
                if !self.loaded.contains_key(&cfg_path) {
                    let c = Config::load(&cfg_path).map_err(|e| e.to_string())?;
                    self.loaded.insert(cfg_path.clone(), c);
                }
                self.loaded[&cfg_path].apply(&mut s, path);
            }
        }
        let a = self.args;
        if let Some(safety) = a.safety {
            s.safety = safety;
        }
        if let Some(prefer) = a.prefer {
            s.prefer = prefer;
        }
        if a.select.is_some() {
            s.select = a.select.clone();
        }
        if !a.ignore.is_empty() {
            s.ignore = a.ignore.clone();
        }
        Ok(s)
    }
}

fn rewrite(args: RewriteArgs) -> ExitCode {
    let fail = |e: String| {
        eprintln!("slimfile: error: {e}");
        ExitCode::from(2)
    };
    let mut resolver = match SettingsResolver::new(&args.passes) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            return fail("`-` (standard input) cannot be combined with other paths".into());
        }
        let at = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("Dockerfile"));
        let settings = match resolver.for_file(&at) {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        return rewrite_stdin(&args, &settings);
    }
    let (paths, walk_problems) = match files::discover(&args.paths, &args.exclude) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("slimfile: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let mut settings = Vec::with_capacity(paths.len());
    for p in &paths {
        match resolver.for_file(p) {
            Ok(s) => settings.push(s),
            Err(e) => return fail(e),
        }
    }
    let write = !(args.dry_run || args.check);
    if write {
        // temp files of an interrupted earlier run, next to the files we may write
        let dirs: std::collections::BTreeSet<PathBuf> = paths
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        for d in dirs {
            files::remove_stale_temps(&d);
        }
    }
    let bar = progress_bar(&args, paths.len());
    let mut results: Vec<FileResult> = paths
        .par_iter()
        .zip(&settings)
        .map(|(p, s)| {
            let r = process_file(p, s, write);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    results.extend(walk_problems.into_iter().map(|(p, e)| FileResult {
        path: p.display().to_string(),
        outcome: Err(FileError::new(e)),
        written: false,
    }));
    results.sort_by(|a, b| a.path.cmp(&b.path));
    emit(&args, &results)
}

/// A progress bar on stderr for long runs on a terminal; hidden otherwise
/// (piped output, machine formats, --quiet, a few dozen files or fewer).
fn progress_bar(args: &RewriteArgs, files: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if args.quiet || args.format != Format::Text || files <= 30 || !std::io::stderr().is_terminal()
    {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} Dockerfiles [{bar:30}] {per_sec} {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn process_file(path: &Path, settings: &Settings, write: bool) -> FileResult {
    let display = path.display().to_string();
    let outcome = (|| {
        if path.is_dir() {
            return Err(FileError::new("is a directory, not a Dockerfile"));
        }
        let bytes = std::fs::read(path).map_err(|e| FileError::new(format!("cannot read: {e}")))?;
        engine::rewrite(&bytes, settings, Some(context_dir(path))).map_err(FileError::from)
    })();
    let mut written = false;
    let outcome = match outcome {
        Ok(o) if write && o.changed() => {
            match files::write_atomic(path, &o.source.encode(&o.output)) {
                Ok(()) => {
                    written = true;
                    Ok(o)
                }
                Err(e) => Err(FileError::new(format!("{e:#}"))),
            }
        }
        other => other,
    };
    FileResult {
        path: display,
        outcome,
        written,
    }
}

fn emit(args: &RewriteArgs, results: &[FileResult]) -> ExitCode {
    let dry = args.dry_run || args.check;
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match args.format {
        Format::Json => {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report::json(results)).unwrap_or_default()
            );
        }
        Format::Sarif => {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report::sarif(results, dry)).unwrap_or_default()
            );
        }
        Format::Github => {
            let _ = write!(stdout, "{}", report::github(results, dry));
        }
        Format::Text => {
            for r in results {
                match &r.outcome {
                    Err(e) => {
                        let _ = writeln!(stderr, "{}", e.render(&r.path));
                    }
                    Ok(o) if dry => {
                        let _ = write!(stdout, "{}", report::dry_run(&r.path, o));
                    }
                    Ok(o) => {
                        if r.written {
                            let est = o
                                .estimated_bytes_saved()
                                .map(|b| format!(", ~{} saved", report::human_bytes(b)))
                                .unwrap_or_default();
                            let _ = writeln!(
                                stdout,
                                "{}: rewritten ({} change{}{est})",
                                r.path,
                                o.applied.len(),
                                if o.applied.len() == 1 { "" } else { "s" }
                            );
                        }
                        for n in o
                            .notes
                            .iter()
                            .filter(|n| n.item.level == crate::edit::Level::Error)
                        {
                            let _ = writeln!(
                                stderr,
                                "{}:{}: {} error[{}]: {}",
                                r.path, n.position, n.item.pass, n.item.code, n.item.message
                            );
                        }
                    }
                }
            }
            if !args.quiet {
                let _ = writeln!(stderr, "{}", Summary::of(results).render(dry));
            }
        }
    }
    exit_code(args.check, results)
}

fn exit_code(check: bool, results: &[FileResult]) -> ExitCode {
    if results.iter().any(|r| r.outcome.is_err()) {
        return ExitCode::from(2);
    }
    let dirty = results.iter().any(|r| {
        r.outcome
            .as_ref()
            .is_ok_and(|o| o.changed() || o.has_errors())
    });
    ExitCode::from(if check && dirty { 1 } else { 0 })
}

fn rewrite_stdin(args: &RewriteArgs, settings: &Settings) -> ExitCode {
    let name = args
        .stdin_filename
        .as_ref()
        .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("{name}: error: cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let context = args.stdin_filename.as_deref().map(context_dir);
    let outcome = match engine::rewrite(&bytes, settings, context) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}", FileError::from(e).render(&name));
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if args.format != Format::Text {
        let result = FileResult {
            path: name,
            outcome: Ok(outcome),
            written: false,
        };
        let results = std::slice::from_ref(&result);
        let dry = args.dry_run || args.check;
        let _ = match args.format {
            Format::Sarif => writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report::sarif(results, dry)).unwrap_or_default()
            ),
            Format::Github => write!(stdout, "{}", report::github(results, dry)),
            _ => writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report::json(results)).unwrap_or_default()
            ),
        };
        return exit_code(args.check, results);
    }
    if args.dry_run || args.check {
        let _ = write!(stdout, "{}", report::dry_run(&name, &outcome));
    } else {
        let _ = stdout.write_all(&outcome.source.encode(&outcome.output));
        let _ = stdout.flush();
        if !args.quiet {
            let _ = write!(
                std::io::stderr(),
                "{}",
                report::render_messages(&name, &outcome)
            );
        }
    }
    let result = FileResult {
        path: name,
        outcome: Ok(outcome),
        written: false,
    };
    exit_code(args.check, std::slice::from_ref(&result))
}

fn verify(args: VerifyArgs) -> ExitCode {
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
            Err((crate::verify::Verdict::Unchanged, reason)) => {
                println!("{name}: nothing to verify: {reason}");
                return ExitCode::SUCCESS;
            }
            Err((_, reason)) => {
                eprintln!("{reason}");
                return ExitCode::from(2);
            }
        },
    };
    let Some(engine_name) = args.engine.clone().or_else(crate::verify::find_engine) else {
        return fail(NO_ENGINE.into());
    };
    let engine = match crate::verify::Engine::detect(&engine_name, args.host.as_deref()) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let common = match verify_common(&args) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let opts = crate::verify::Options {
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
    let report = crate::verify::verify(&opts);
    match args.format {
        VerifyFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        VerifyFormat::Text | VerifyFormat::Markdown => {
            print!("{}", crate::verify::render(&report))
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
) -> Result<String, (crate::verify::Verdict, String)> {
    use crate::verify::Verdict;
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
fn verify_common(args: &VerifyArgs) -> Result<crate::verify::bulk::Common, String> {
    let smoke = match args.smoke.as_deref().map(shlex::split) {
        None => Vec::new(),
        Some(Some(words)) => words,
        Some(None) => return Err("--smoke: unbalanced quotes".into()),
    };
    Ok(crate::verify::bulk::Common {
        smoke,
        expect: args.expect.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        probe: args
            .probe
            .as_deref()
            .map(crate::verify::probe::parse)
            .transpose()?,
        pull: args.pull.clone(),
        network: args.network.clone(),
        keep: args.keep,
    })
}

/// `slimfile verify` over many files: discovery, rewrites, then the builds
/// spread over the endpoints of `--hosts`.
fn verify_bulk(args: &VerifyArgs) -> ExitCode {
    use crate::verify::bulk;
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
            .or_else(crate::verify::find_engine)
        else {
            return fail(NO_ENGINE.into());
        };
        match crate::verify::Engine::detect(&program, ep.host.as_deref()) {
            Ok(e) => engines.push(e),
            Err(e) => return fail(e),
        }
    }
    let jobs = args.jobs.unwrap_or(engines.len()).max(1);
    // a bar on a terminal (each finished file printed above it), plain lines otherwise
    let bar = {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(work.len() as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} verified [{bar:30}] {elapsed}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            Some(bar)
        } else {
            None
        }
    };
    let progress = |done: usize, total: usize, r: &crate::verify::Report| {
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

/// The build context of a Dockerfile: its folder (`.` for a bare file name).
fn context_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

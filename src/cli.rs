//! The command line: argument parsing and the `rewrite`, `passes`, `explain` commands.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::config::{Prefer, Settings};
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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rewrite Dockerfiles in place (or show the diff with --dry-run, or fail with --check).
    Rewrite(RewriteArgs),
    /// List the passes with their safety level.
    Passes,
    /// Print a pass's documentation.
    Explain {
        /// A pass id, as `slimfile passes` lists them.
        pass: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RewriteArgs {
    /// Files or folders; `-` reads standard input and writes the result to standard output.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff instead of writing files.
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,
    /// Like --dry-run, and exit 1 when any file would change.
    #[arg(long)]
    pub check: bool,
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
        Command::Passes => {
            for p in passes::ALL {
                println!("{:<14} {:<7} {}", p.id, p.safety.to_string(), p.summary);
            }
            ExitCode::SUCCESS
        }
        Command::Explain { pass } => match passes::find(&pass) {
            Some(p) => {
                print!("{}", p.doc);
                ExitCode::SUCCESS
            }
            None => {
                let known: Vec<_> = passes::ALL.iter().map(|p| p.id).collect();
                eprintln!(
                    "slimfile: error: unknown pass `{pass}` (known: {})",
                    known.join(", ")
                );
                ExitCode::from(2)
            }
        },
        Command::Rewrite(args) => rewrite(args),
    }
}

fn settings_for(args: &RewriteArgs) -> Result<Settings, String> {
    let mut s = Settings::default();
    if let Some(safety) = args.safety {
        s.safety = safety;
    }
    if let Some(prefer) = args.prefer {
        s.prefer = prefer;
    }
    for id in args.select.iter().flatten().chain(&args.ignore) {
        if passes::find(id).is_none() {
            return Err(format!("unknown pass `{id}` (see `slimfile passes`)"));
        }
    }
    s.select = args.select.clone();
    s.ignore = args.ignore.clone();
    Ok(s)
}

fn rewrite(args: RewriteArgs) -> ExitCode {
    let settings = match settings_for(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("slimfile: error: {e}");
            return ExitCode::from(2);
        }
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            eprintln!("slimfile: error: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
        }
        return rewrite_stdin(&args, &settings);
    }
    let (paths, walk_problems) = match files::discover(&args.paths, &args.exclude) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("slimfile: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let write = !(args.dry_run || args.check);
    let mut results: Vec<FileResult> = paths
        .par_iter()
        .map(|p| process_file(p, &settings, write))
        .collect();
    results.extend(walk_problems.into_iter().map(|(p, e)| FileResult {
        path: p.display().to_string(),
        outcome: Err(FileError::new(e)),
        written: false,
    }));
    results.sort_by(|a, b| a.path.cmp(&b.path));
    emit(&args, &results)
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
    if args.format == Format::Json {
        let result = FileResult {
            path: name,
            outcome: Ok(outcome),
            written: false,
        };
        let json = report::json(std::slice::from_ref(&result));
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return exit_code(args.check, std::slice::from_ref(&result));
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

/// The build context of a Dockerfile: its folder (`.` for a bare file name).
fn context_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

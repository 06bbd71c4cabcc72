//! `slimfile rewrite`: files and folders rewritten in place, shown as a diff (`--dry-run`) or
//! checked (`--check`), or one Dockerfile read from standard input; the output formats.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use slimfile::config::Settings;
use slimfile::engine;
use slimfile::files;
use slimfile::report::{self, FileError, FileResult, Summary};

use super::settings::SettingsResolver;
use super::{PassArgs, context_dir};

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

pub(super) fn rewrite(args: RewriteArgs) -> ExitCode {
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
    // a dry run's text report is rendered by the thread that rewrote the
    // file, so only printing is left for the end
    let render = args.format == Format::Text && (args.dry_run || args.check);
    let mut results: Vec<(FileResult, Option<String>)> = paths
        .par_iter()
        .zip(&settings)
        .map(|(p, s)| {
            let r = process_file(p, s, write);
            let text = match &r.outcome {
                Ok(o) if render => Some(report::dry_run(&r.path, o)),
                _ => None,
            };
            bar.inc(1);
            (r, text)
        })
        .collect();
    bar.finish_and_clear();
    results.extend(walk_problems.into_iter().map(|(p, e)| {
        let r = FileResult {
            path: p.display().to_string(),
            outcome: Err(FileError::new(e)),
            written: false,
        };
        (r, None)
    }));
    results.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (results, rendered): (Vec<FileResult>, Vec<Option<String>>) = results.into_iter().unzip();
    emit(&args, &results, &rendered)
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

/// Prints the report; `rendered` holds each file's dry-run text when it was
/// rendered already (same order as `results`).
fn emit(args: &RewriteArgs, results: &[FileResult], rendered: &[Option<String>]) -> ExitCode {
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
            for (r, text) in results.iter().zip(rendered) {
                match &r.outcome {
                    Err(e) => {
                        let _ = writeln!(stderr, "{}", e.render(&r.path));
                    }
                    Ok(o) if dry => match text {
                        Some(text) => {
                            let _ = write!(stdout, "{text}");
                        }
                        None => {
                            let _ = write!(stdout, "{}", report::dry_run(&r.path, o));
                        }
                    },
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
                            .filter(|n| n.item.level == slimfile::edit::Level::Error)
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

//! The command line: argument parsing and dispatch to the subcommands.
//!
//! Here: the top-level parser ([`Cli`], [`Command`]), the pass flags `rewrite` and `verify`
//! share ([`PassArgs`]) and [`main`]. Each subcommand with work of its own lives beside it:
//! `rewrite` (files, standard input, output formats), `verify` (one file or a bulk run), and
//! `settings` (defaults, configuration files and flags per Dockerfile).

mod rewrite;
mod settings;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use slimfile::config::Prefer;
use slimfile::docs;
use slimfile::edit::Safety;

use rewrite::RewriteArgs;
use verify::VerifyArgs;

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

/// `--prefer`: the command line's names for [`Prefer`] (the library has no clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PreferArg {
    /// Debian slim, JRE and ASP.NET runtime variants (the default).
    Slim,
    /// Alpine variants (musl, apk: unsafe).
    Alpine,
    /// Google's distroless images (no shell, no package manager) where the
    /// runtime needs neither: `static` for a static Go binary, `javaN` for a
    /// jar run with `java -jar`, `nodejsN` for `node script.js`; elsewhere slim,
    /// with a `distroless-unfit` note saying why.
    Distroless,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Prefer {
        match p {
            PreferArg::Slim => Prefer::Slim,
            PreferArg::Alpine => Prefer::Alpine,
            PreferArg::Distroless => Prefer::Distroless,
        }
    }
}

/// Which passes run and how far they go (shared by `rewrite` and `verify`).
#[derive(Debug, Args)]
pub(crate) struct PassArgs {
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
    pub prefer: Option<PreferArg>,
    /// Use this configuration file for every Dockerfile (no search).
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files: defaults and command-line flags only.
    #[arg(long)]
    pub isolated: bool,
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
        Command::Rewrite(args) => rewrite::rewrite(args),
        Command::Verify(args) => verify::verify(*args),
        Command::Lsp => slimfile::lsp::main(),
    }
}

fn context_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

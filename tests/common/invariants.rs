//! What every rewrite must satisfy, whatever the input: shared by the
//! property tests (`tests/properties.rs`), the fuzz regression replay
//! (`tests/fuzz_regressions.rs`) and both fuzz targets (`fuzz/`) through
//! `#[path]`, so they all judge an outcome the same way.
//!
//! - an internal error (`RewriteError::Internal`: no fixpoint, a change that
//!   conflicts with itself, output that does not parse) is always a failure;
//! - a refusal (decode or syntax error) is fine, and carries a position inside
//!   the input (except "too large", which has none);
//! - an unchanged file comes out byte for byte;
//! - the output re-reads (decodes and parses) and is a fixpoint: rewriting it
//!   again changes nothing and raises no error;
//! - the output has no more dangling stage references (`--from=` naming no
//!   stage, or an index that is not an earlier stage) and no more duplicate
//!   stage names than the input: BuildKit fails on both.

#![allow(dead_code)]

use slimfile::config::Settings;
use slimfile::engine::{self, RewriteError};
use slimfile::model::{Model, Target};
use slimfile::source::DecodeError;

/// How an input that satisfied every property came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Refused as not UTF-8, binary or too large.
    Undecodable,
    /// Refused as a Dockerfile BuildKit does not accept.
    SyntaxRefused,
    Unchanged,
    Changed,
}

/// Rewrites `input` and checks every property; `Err` says which one broke.
pub fn check(input: &[u8], settings: &Settings) -> Result<Verdict, String> {
    let out = match engine::rewrite(input, settings, None) {
        Ok(out) => out,
        Err(RewriteError::Internal(message)) => return Err(format!("internal error: {message}")),
        Err(e) => {
            let lines = input.split(|&b| b == b'\n').count();
            return match e.position() {
                Some(p) if p.line >= 1 && p.column >= 1 && p.line <= lines => Ok(match e {
                    RewriteError::Syntax { .. } => Verdict::SyntaxRefused,
                    _ => Verdict::Undecodable,
                }),
                None if matches!(e, RewriteError::Decode(DecodeError::TooLarge { .. })) => {
                    Ok(Verdict::Undecodable)
                }
                p => Err(format!("refusal `{e}` has no position in the input: {p:?}")),
            };
        }
    };
    let bytes = out.source.encode(&out.output);
    if !out.changed() && bytes != input {
        return Err("unchanged, but the output bytes differ from the input".into());
    }
    let output_doc = match slimfile::syntax::parse(&out.output) {
        Ok(doc) => doc,
        Err(e) => return Err(format!("output does not parse: {}", e.message)),
    };
    if out.changed()
        && let Ok(input_doc) = slimfile::syntax::parse(&out.source.text)
    {
        let before = broken_stage_graph(&Model::build(&input_doc));
        let after = broken_stage_graph(&Model::build(&output_doc));
        if after.0.len() > before.0.len() || after.1.len() > before.1.len() {
            return Err(format!(
                "the rewrite breaks the stage graph: dangling references {:?} → {:?}, duplicate stage names {:?} → {:?}\n--- output\n{}",
                before.0, after.0, before.1, after.1, out.output
            ));
        }
    }
    match engine::rewrite(&bytes, settings, None) {
        Ok(again) if again.changed() => Err(format!(
            "not a fixpoint: the second rewrite changes it again:\n--- first output\n{}\n--- second output\n{}",
            out.output, again.output
        )),
        Ok(_) => Ok(if out.changed() {
            Verdict::Changed
        } else {
            Verdict::Unchanged
        }),
        Err(e) => Err(format!("output does not re-read: {e}")),
    }
}

/// What BuildKit refuses in a stage graph: references that name no stage
/// (bare names that are not images, indexes that are not earlier stages), and
/// stage names used twice (case-insensitive).
fn broken_stage_graph(model: &Model) -> (Vec<String>, Vec<String>) {
    let dangling = model
        .refs
        .iter()
        .filter(|r| matches!(r.target, Target::Unresolved | Target::BadIndex))
        .map(|r| r.value.clone())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let duplicates = model
        .stages
        .iter()
        .filter_map(|s| s.name.as_ref())
        .map(|n| n.to_lowercase())
        .filter(|n| !seen.insert(n.clone()))
        .collect();
    (dangling, duplicates)
}

/// The settings the fuzz targets and the regression replay use: every pass,
/// every change applied.
pub fn all_changes() -> Settings {
    Settings {
        safety: slimfile::edit::Safety::Unsafe,
        ..Settings::default()
    }
}

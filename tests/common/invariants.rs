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
//!   again changes nothing and raises no error.

#![allow(dead_code)]

use slimfile::config::Settings;
use slimfile::engine::{self, RewriteError};
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
    if let Err(e) = slimfile::syntax::parse(&out.output) {
        return Err(format!("output does not parse: {}", e.message));
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

/// The settings the fuzz targets and the regression replay use: every pass,
/// every change applied.
pub fn all_changes() -> Settings {
    Settings {
        safety: slimfile::edit::Safety::Unsafe,
        ..Settings::default()
    }
}

//! From a word as lexed to a [`ShellWord`]: quotes removed, known
//! variables expanded, its span in the original text.

use std::collections::BTreeMap;

use super::lex::{Piece, RawWord, is_name};
use super::{Assignment, Origin, ShellWord};

/// The value of `word` with known variables expanded; `extra` are earlier
/// prefix assignments of the same command (`None`: value unknown).
fn resolve(
    word: &RawWord,
    env: &BTreeMap<String, String>,
    extra: &[(String, Option<String>)],
) -> Option<String> {
    let mut s = String::new();
    for p in &word.pieces {
        match p {
            Piece::Lit(l) => s.push_str(l),
            Piece::Var(name) => {
                let v = match extra.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => v.as_deref()?,
                    None => env.get(name)?,
                };
                s.push_str(v);
            }
            Piece::Dynamic => return None,
        }
    }
    Some(s)
}

/// `NAME=` at the start of a word's raw text: the name length.
pub(super) fn assignment_name_len(raw: &str) -> Option<usize> {
    let eq = raw.find('=')?;
    is_name(&raw[..eq]).then_some(eq)
}

pub(super) fn word_of(
    src: &str,
    origin: Origin<'_>,
    w: &RawWord,
    env: &BTreeMap<String, String>,
    extra: &[(String, Option<String>)],
) -> ShellWord {
    ShellWord {
        value: resolve(w, env, extra),
        raw: src.get(w.range.clone()).unwrap_or("").to_string(),
        span: origin.exact(w.range.clone()),
        quoted: w.quoted,
        pattern: w.glob,
    }
}

pub(super) fn assignment_of(
    src: &str,
    origin: Origin<'_>,
    w: &RawWord,
    env: &BTreeMap<String, String>,
    extra: &[(String, Option<String>)],
) -> Assignment {
    let raw = src.get(w.range.clone()).unwrap_or("");
    let len = assignment_name_len(raw).unwrap_or(0);
    let name = raw[..len].to_string();
    let value_range = w.range.start + len + 1..w.range.end;
    let whole = resolve(w, env, extra);
    Assignment {
        name,
        value: ShellWord {
            value: whole.and_then(|v| v.get(len + 1..).map(str::to_string)),
            raw: src.get(value_range.clone()).unwrap_or("").to_string(),
            span: origin.exact(value_range),
            quoted: w.quoted,
            pattern: w.glob,
        },
    }
}

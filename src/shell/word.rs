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
    if let [Piece::Lit(l)] = word.pieces.as_slice() {
        return Some(l.clone()); // most words: one literal
    }
    let mut s = String::new();
    for p in &word.pieces {
        match p {
            Piece::Lit(l) => s.push_str(l),
            Piece::Var(name) | Piece::UnquotedVar(name) => {
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

/// Pushes the fields `w` expands to as a command word onto `out`: the shell splits the value
/// of an unquoted expansion at blanks (`$PKGS` holding `gcc make` is two
/// words; `"$PKGS"` stays one), and an unquoted expansion of an empty value
/// adds no word. Most words are one field, returned as [`word_of`] reads
/// them. The fields of a word split into several (or none) keep the word's
/// `raw` and have no `span`: their bytes are not their own. A glob character
/// in a split value makes its field a pattern. A word whose value is unknown
/// stays one word with `value: None`; so does one with an unquoted
/// expansion while the script or the Dockerfile sets `IFS` (the split is
/// then unknown).
pub(super) fn fields_of(
    src: &str,
    origin: Origin<'_>,
    w: &RawWord,
    env: &BTreeMap<String, String>,
    out: &mut Vec<ShellWord>,
) {
    let mut word = word_of(src, origin, w, env, &[]);
    let splits = w.pieces.iter().any(|p| matches!(p, Piece::UnquotedVar(_)));
    if word.value.is_none() || !splits {
        out.push(word);
        return;
    }
    if env.contains_key("IFS") {
        word.value = None;
        out.push(word);
        return;
    }
    let mut fields = split_fields(w, env);
    if fields.len() == 1 {
        let (value, pattern) = fields.remove(0);
        word.value = Some(value);
        word.pattern |= pattern;
        out.push(word);
        return;
    }
    out.extend(fields.into_iter().map(|(value, pattern)| ShellWord {
        value: Some(value),
        raw: word.raw.clone(),
        span: None,
        quoted: word.quoted,
        pattern: word.pattern || pattern,
    }));
}

/// Field splitting with the default `IFS` (space, tab, newline): each field
/// with whether a glob character came from a split value. Every variable of
/// `w` is known (the caller checked that the word resolves).
fn split_fields(w: &RawWord, env: &BTreeMap<String, String>) -> Vec<(String, bool)> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    // the current field exists even when empty (a quoted part is in it)
    let mut keep = false;
    let mut glob = false;
    for p in &w.pieces {
        match p {
            Piece::Lit(l) => {
                cur.push_str(l);
                keep = true;
            }
            Piece::Var(name) => {
                cur.push_str(env.get(name).map_or("", String::as_str));
                keep = true;
            }
            Piece::UnquotedVar(name) => {
                for ch in env.get(name).map_or("", String::as_str).chars() {
                    if matches!(ch, ' ' | '\t' | '\n') {
                        if keep || !cur.is_empty() {
                            fields.push((std::mem::take(&mut cur), glob));
                        }
                        keep = false;
                        glob = false;
                    } else {
                        glob |= matches!(ch, '*' | '?' | '[');
                        cur.push(ch);
                        keep = true;
                    }
                }
            }
            Piece::Dynamic => {}
        }
    }
    if keep || !cur.is_empty() || (fields.is_empty() && w.quoted) {
        fields.push((cur, glob));
    }
    fields
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

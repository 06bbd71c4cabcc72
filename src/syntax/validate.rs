//! The checks BuildKit makes on each instruction before any build step runs,
//! so that a file BuildKit refuses is an error here, never rewritten.
//!
//! Two layers of moby/buildkit, read (not copied) from its sources:
//! - the parser, `frontend/dockerfile/parser/line_parsers.go`: ENV and LABEL
//!   name/value forms (`parseNameVal`), JSON arrays of non-strings
//!   (`parseJSON`); these apply to ONBUILD triggers too (`parseSubCommand`).
//! - the instruction parser, `frontend/dockerfile/instructions/parse.go`
//!   (with the flag rules of `bflag.go` and the RUN flags of
//!   `commands_run*.go`): argument counts, FROM's `AS name`, HEALTHCHECK
//!   forms and durations, ONBUILD triggers, unknown, duplicate and malformed
//!   flags. BuildKit runs it on every instruction of every stage before it
//!   builds anything.
//!
//! Not checked (they need build arguments, the build context or the mount
//! grammar): `--mount`/`--network`/`--security`/`--device` values, EXPOSE
//! port syntax, `--from` targets.

use super::words::{JsonArray, buildkit_fields, json_array};
use super::{Keyword, Logical, Parts, SyntaxError, err, read_parts};

/// The type of a flag, as `bflag.go` declares it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    /// `--link`, `--link=true|false`.
    Bool,
    /// `--from=x`, once.
    Text,
    /// `--exclude=x`, any number of times.
    Texts,
}

/// The flags each instruction declares (BuildKit's current release);
/// `None` for STOPSIGNAL, whose parser never reads its flags.
fn declared_flags(keyword: Keyword) -> Option<&'static [(&'static str, FlagKind)]> {
    use FlagKind::*;
    Some(match keyword {
        Keyword::From => &[("platform", Text)],
        Keyword::Copy => &[
            ("chown", Text),
            ("from", Text),
            ("chmod", Text),
            ("link", Bool),
            ("exclude", Texts),
            ("parents", Bool),
        ],
        Keyword::Add => &[
            ("chown", Text),
            ("chmod", Text),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Text),
            ("unpack", Bool),
            ("exclude", Texts),
        ],
        Keyword::Run => &[
            ("mount", Texts),
            ("network", Text),
            ("security", Text),
            ("device", Texts),
        ],
        Keyword::Healthcheck => &[
            ("interval", Text),
            ("timeout", Text),
            ("start-period", Text),
            ("start-interval", Text),
            ("retries", Text),
        ],
        Keyword::Stopsignal => return None,
        _ => &[],
    })
}

/// Checks one instruction (`trigger`: an ONBUILD trigger, which BuildKit
/// only parses, so only the parser's checks apply).
pub(crate) fn instruction(
    keyword: Keyword,
    logical: &Logical,
    parts: &Parts,
    escape: char,
    trigger: bool,
) -> Result<(), SyntaxError> {
    let text = &logical.text;
    let rest_start = parts.rest_start;
    let rest = text[rest_start..].trim();
    let kw = keyword.as_str();
    let at = |i: usize| logical.original_offset(i);
    // where to point when the arguments are missing or wrong as a whole
    let args_at = if rest.is_empty() {
        at(0)
    } else {
        at(rest_start)
    };
    let words = &parts.words[parts.used.min(parts.words.len())..];

    // --- parser (line_parsers.go)
    match keyword {
        Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Run
        | Keyword::Shell
        | Keyword::Add
        | Keyword::Copy
        | Keyword::Volume => not_strings(rest, args_at)?,
        Keyword::Healthcheck => {
            if let Some((_, command_start)) = health_type(rest) {
                not_strings(rest.get(command_start..).unwrap_or(""), args_at)?;
            }
        }
        Keyword::Env | Keyword::Label => {
            if let Some(first) = words.first() {
                let raw = |w: &super::Word| &text[w.logical.clone()];
                if !raw(first).contains('=') {
                    // legacy `ENV name value`: two fields at least
                    if buildkit_fields(text, rest_start).len() < 2 {
                        return Err(err(
                            at(first.logical.start),
                            format!("{kw} must have two arguments"),
                        ));
                    }
                } else {
                    for w in words {
                        if !raw(w).contains('=') {
                            return Err(err(
                                at(w.logical.start),
                                format!(
                                    "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                                    raw(w)
                                ),
                            ));
                        }
                        if !trigger && raw(w).starts_with('=') {
                            return Err(err(
                                at(w.logical.start),
                                format!("{kw} names can not be blank"),
                            ));
                        }
                    }
                }
            } else if !trigger {
                return Err(err(args_at, format!("{kw} requires at least one argument")));
            }
        }
        Keyword::Onbuild => {
            if let Some(first) = words.first()
                && let Some(sub) = Keyword::parse(&text[first.logical.clone()])
            {
                let sub_parts = read_parts(logical, first.logical.end, sub, escape);
                instruction(sub, logical, &sub_parts, escape, true)?;
            }
        }
        _ => {}
    }
    if trigger {
        return Ok(());
    }

    // --- instruction parser (parse.go, bflag.go)
    let health_none = keyword == Keyword::Healthcheck
        && health_type(rest).is_some_and(|(t, _)| t.eq_ignore_ascii_case(b"NONE"));
    if !health_none {
        check_flags(keyword, parts)?;
    }
    let fields = || buildkit_fields(text, rest_start);
    match keyword {
        Keyword::From => {
            let fields = fields();
            match fields.as_slice() {
                [_, as_word, name] if text[as_word.clone()].eq_ignore_ascii_case("as") => {
                    let raw = &text[name.clone()];
                    if !is_stage_name(&raw.to_lowercase()) {
                        return Err(err(
                            at(name.start),
                            format!(
                                "invalid name for build stage: {raw:?}, name can't start with a number or contain symbols"
                            ),
                        ));
                    }
                }
                [base] => {
                    let raw = &text[base.clone()];
                    let blank = words.first().is_some_and(|w| w.value.is_empty());
                    if blank && !raw.contains('$') {
                        return Err(err(
                            at(base.start),
                            format!("base name ({raw}) should not be blank"),
                        ));
                    }
                }
                _ => {
                    let read: Vec<&str> = fields.iter().map(|f| &text[f.clone()]).collect();
                    return Err(err(
                        args_at,
                        format!(
                            "FROM requires either one or three arguments (`<image> [AS <name>]`); BuildKit reads {}: {read:?}",
                            read.len()
                        ),
                    ));
                }
            }
        }
        Keyword::Copy | Keyword::Add => {
            let (count, destination) = match json_array(rest) {
                JsonArray::Strings(elements) => (elements.len(), elements.last().cloned()),
                _ => {
                    let fields = fields();
                    let last = fields.last().map(|f| text[f.clone()].to_string());
                    (fields.len(), last)
                }
            };
            if count < 2 {
                return Err(err(
                    args_at,
                    format!(
                        "{kw} requires at least two arguments, but only one was provided. Destination could not be determined"
                    ),
                ));
            }
            if destination.as_deref().is_some_and(is_heredoc_word) {
                return Err(err(
                    args_at,
                    format!("{kw} cannot accept a heredoc as a destination"),
                ));
            }
        }
        Keyword::Shell => match json_array(rest) {
            JsonArray::Strings(e) if !e.is_empty() => {}
            JsonArray::Strings(_) => {
                return Err(err(args_at, "SHELL requires at least one argument"));
            }
            _ if rest.is_empty() => {
                return Err(err(args_at, "SHELL requires at least one argument"));
            }
            _ => {
                return Err(err(
                    args_at,
                    "SHELL requires the arguments to be in JSON form",
                ));
            }
        },
        Keyword::Arg => {
            if words.is_empty() {
                return Err(err(args_at, "ARG requires at least one argument"));
            }
            if let Some(w) = words
                .iter()
                .find(|w| text[w.logical.clone()].starts_with('='))
            {
                return Err(err(at(w.logical.start), "ARG names can not be blank"));
            }
        }
        Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
            if rest.is_empty() {
                return Err(err(args_at, format!("{kw} requires exactly one argument")));
            }
        }
        Keyword::Expose => {
            if fields().is_empty() {
                return Err(err(args_at, "EXPOSE requires at least one argument"));
            }
        }
        Keyword::Volume => match json_array(rest) {
            JsonArray::Strings(e) if e.is_empty() => {
                return Err(err(args_at, "VOLUME requires at least one argument"));
            }
            JsonArray::Strings(e) if e.iter().any(|v| v.trim().is_empty()) => {
                return Err(err(args_at, "VOLUME specified can not be an empty string"));
            }
            JsonArray::Strings(_) => {}
            _ if fields().is_empty() => {
                return Err(err(args_at, "VOLUME requires at least one argument"));
            }
            _ => {}
        },
        Keyword::Healthcheck => healthcheck(rest, parts, args_at)?,
        Keyword::Onbuild => {
            let Some(first) = words.first() else {
                return Err(err(args_at, "ONBUILD requires at least one argument"));
            };
            let trigger = text[first.logical.clone()].to_ascii_uppercase();
            match trigger.as_str() {
                "ONBUILD" => {
                    return Err(err(
                        at(first.logical.start),
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                    ));
                }
                "FROM" | "MAINTAINER" => {
                    return Err(err(
                        at(first.logical.start),
                        format!("{trigger} isn't allowed as an ONBUILD trigger"),
                    ));
                }
                _ => {}
            }
        }
        Keyword::Env | Keyword::Label | Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {}
    }
    Ok(())
}

/// `["a", 1]`: a JSON array with a non-string element.
fn not_strings(rest: &str, offset: usize) -> Result<(), SyntaxError> {
    if json_array(rest) == JsonArray::NotStrings {
        return Err(err(
            offset,
            "when using JSON array syntax, arrays must be comprised of strings only",
        ));
    }
    Ok(())
}

/// HEALTHCHECK's type word (its bytes) and where its command starts. BuildKit's
/// `parseHealthConfig` looks at single bytes, so the bytes 0x85 and 0xA0 (of a
/// multi-byte character) end the type word too.
fn health_type(rest: &str) -> Option<(&[u8], usize)> {
    let bytes = rest.as_bytes();
    let is_space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ' | 0x85 | 0xA0);
    let sep = bytes
        .iter()
        .position(|&b| is_space(b))
        .unwrap_or(bytes.len());
    if sep == 0 {
        return None;
    }
    let next = bytes[sep..]
        .iter()
        .position(|&b| !is_space(b))
        .map_or(bytes.len(), |n| sep + n);
    Some((&bytes[..sep], next))
}

fn healthcheck(rest: &str, parts: &Parts, args_at: usize) -> Result<(), SyntaxError> {
    let Some((kind, command_start)) = health_type(rest) else {
        return Err(err(args_at, "HEALTHCHECK requires at least one argument"));
    };
    let command = rest.get(command_start..);
    let command_args = match command.map(json_array) {
        Some(JsonArray::Strings(e)) => e.len(),
        _ => usize::from(command_start < rest.len()),
    };
    if kind.eq_ignore_ascii_case(b"NONE") {
        if command_args != 0 {
            return Err(err(args_at, "HEALTHCHECK NONE takes no arguments"));
        }
        return Ok(());
    }
    if !kind.eq_ignore_ascii_case(b"CMD") {
        return Err(err(
            args_at,
            format!(
                "Unknown type {:?} in HEALTHCHECK (try CMD)",
                String::from_utf8_lossy(kind).to_uppercase()
            ),
        ));
    }
    if command_args == 0 {
        return Err(err(args_at, "Missing command after HEALTHCHECK CMD"));
    }
    for flag in &parts.flags {
        let Some((name, value)) = flag.word.split_once('=') else {
            continue;
        };
        let at = flag.span.start;
        match name {
            "--interval" | "--timeout" | "--start-period" | "--start-interval" => {
                if value.is_empty() {
                    continue;
                }
                match go_duration_nanos(value) {
                    None => {
                        return Err(err(at, format!("time: invalid duration {value:?}")));
                    }
                    Some(d) if d != 0 && d < 1_000_000 => {
                        return Err(err(
                            at,
                            format!("Interval {:?} cannot be less than 1ms", &name[2..]),
                        ));
                    }
                    Some(_) => {}
                }
            }
            "--retries" if !value.is_empty() => match go_parse_i32(value) {
                None => {
                    return Err(err(
                        at,
                        format!("strconv.ParseInt: parsing {value:?}: invalid syntax"),
                    ));
                }
                Some(r) if r < 0 => {
                    return Err(err(at, format!("--retries cannot be negative ({r})")));
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// `bflag.go`'s `Parse`: every flag declared, not repeated (unless it may
/// be), with a value when it takes one, `true`/`false` for a boolean.
fn check_flags(keyword: Keyword, parts: &Parts) -> Result<(), SyntaxError> {
    let Some(declared) = declared_flags(keyword) else {
        return Ok(());
    };
    let mut seen: Vec<&str> = Vec::new();
    for flag in &parts.flags {
        let (name, value) = match flag.word.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (flag.word.as_str(), None),
        };
        let bare = name.strip_prefix("--").unwrap_or(name);
        let at = flag.span.start;
        let Some(&(_, kind)) = declared.iter().find(|(n, _)| *n == bare) else {
            return Err(err(at, format!("unknown flag: {name}")));
        };
        if kind != FlagKind::Texts && seen.contains(&bare) {
            return Err(err(at, format!("duplicate flag specified: {name}")));
        }
        seen.push(bare);
        match (kind, value) {
            (FlagKind::Bool, Some("")) | (FlagKind::Text | FlagKind::Texts, None) => {
                return Err(err(at, format!("missing a value on flag: {name}")));
            }
            (FlagKind::Bool, Some(v))
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                return Err(err(
                    at,
                    format!("expecting boolean value for flag {name}, not: {v}"),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// BuildKit's stage name rule, `^[a-z][a-z0-9-_.]*$`, on the lowercased name.
fn is_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// A word BuildKit's `ParseHeredoc` takes for a heredoc (`<<EOF`, `2<<-EOF`).
fn is_heredoc_word(word: &str) -> bool {
    let after_digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(after) = after_digits.strip_prefix("<<") else {
        return false;
    };
    let name = after.strip_prefix('-').unwrap_or(after).trim_start();
    !name.is_empty() && !name.contains('<')
}

/// Go's `time.ParseDuration`, in nanoseconds (`None` when Go refuses it).
fn go_duration_nanos(s: &str) -> Option<i128> {
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = number
            .parse()
            .ok()
            .or_else(|| format!("0{number}").parse().ok())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return None;
    }
    let nanos = total as i128;
    Some(if negative { -nanos } else { nanos })
}

/// Go's `strconv.ParseInt(s, 10, 32)`.
fn go_parse_i32(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok().map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names() {
        assert!(is_stage_name("build-1.x_y"));
        assert!(!is_stage_name("1build"));
        assert!(!is_stage_name("bü"));
        assert!(!is_stage_name(""));
    }

    #[test]
    fn durations_like_go() {
        assert_eq!(go_duration_nanos("30s"), Some(30_000_000_000));
        assert_eq!(go_duration_nanos("1m30s"), Some(90_000_000_000));
        assert_eq!(go_duration_nanos("1.5h"), Some(5_400_000_000_000));
        assert_eq!(go_duration_nanos(".5s"), Some(500_000_000));
        assert_eq!(go_duration_nanos("0"), Some(0));
        assert_eq!(go_duration_nanos("-1s"), Some(-1_000_000_000));
        assert_eq!(go_duration_nanos("30"), None);
        assert_eq!(go_duration_nanos("s"), None);
        assert_eq!(go_duration_nanos("5 s"), None);
        assert_eq!(go_duration_nanos("1d"), None);
    }

    #[test]
    fn heredoc_words() {
        assert!(is_heredoc_word("<<EOF"));
        assert!(is_heredoc_word("2<<-EOF"));
        assert!(!is_heredoc_word("<<"));
        assert!(!is_heredoc_word("/dst"));
    }

    #[test]
    fn ints_like_go() {
        assert_eq!(go_parse_i32("+3"), Some(3));
        assert_eq!(go_parse_i32("-3"), Some(-3));
        assert_eq!(go_parse_i32("3x"), None);
        assert_eq!(go_parse_i32("99999999999"), None);
    }
}

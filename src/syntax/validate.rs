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

mod flags;

use super::words::{JsonArray, buildkit_fields, json_array};
use super::{Keyword, Logical, Parts, SyntaxError, err, read_parts};
use flags::check_flags;

/// One instruction's text as the checks read it.
struct Checked<'a> {
    keyword: Keyword,
    logical: &'a Logical,
    /// The logical line's text.
    text: &'a str,
    /// Where the arguments start in `text`.
    rest_start: usize,
    /// The arguments, trimmed.
    rest: &'a str,
    /// The words after the flags.
    words: &'a [super::Word],
    /// Where to point when the arguments are missing or wrong as a whole.
    args_at: usize,
}

impl Checked<'_> {
    /// The offset in the original text of `i` in the logical line.
    fn at(&self, i: usize) -> usize {
        self.logical.original_offset(i)
    }

    /// The words as BuildKit's instruction parser splits the arguments.
    fn fields(&self) -> Vec<std::ops::Range<usize>> {
        buildkit_fields(self.text, self.rest_start)
    }

    /// A word as written.
    fn raw(&self, word: &super::Word) -> &str {
        &self.text[word.logical.clone()]
    }
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
    let c = Checked {
        keyword,
        logical,
        text,
        rest_start,
        rest,
        words: &parts.words[parts.used.min(parts.words.len())..],
        args_at: if rest.is_empty() {
            logical.original_offset(0)
        } else {
            logical.original_offset(rest_start)
        },
    };
    parser_checks(&c, escape, trigger)?;
    if trigger {
        return Ok(());
    }
    // --- instruction parser (parse.go, bflag.go)
    let health_none = keyword == Keyword::Healthcheck
        && health_type(rest).is_some_and(|(t, _)| t.eq_ignore_ascii_case(b"NONE"));
    if !health_none {
        check_flags(keyword, parts)?;
    }
    match keyword {
        Keyword::From => from(&c),
        Keyword::Copy | Keyword::Add => copy_or_add(&c),
        Keyword::Shell => shell(&c),
        Keyword::Arg => arg(&c),
        Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
            if rest.is_empty() {
                return Err(err(
                    c.args_at,
                    format!("{} requires exactly one argument", keyword.as_str()),
                ));
            }
            Ok(())
        }
        Keyword::Expose => {
            if c.fields().is_empty() {
                return Err(err(c.args_at, "EXPOSE requires at least one argument"));
            }
            Ok(())
        }
        Keyword::Volume => volume(&c),
        Keyword::Healthcheck => healthcheck(rest, parts, c.args_at),
        Keyword::Onbuild => onbuild(&c),
        Keyword::Env | Keyword::Label | Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => Ok(()),
    }
}

/// The parser's checks (line_parsers.go), which ONBUILD triggers get too.
fn parser_checks(c: &Checked, escape: char, trigger: bool) -> Result<(), SyntaxError> {
    match c.keyword {
        Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Run
        | Keyword::Shell
        | Keyword::Add
        | Keyword::Copy
        | Keyword::Volume => not_strings(c.rest, c.args_at)?,
        Keyword::Healthcheck => {
            if let Some((_, command_start)) = health_type(c.rest) {
                not_strings(c.rest.get(command_start..).unwrap_or(""), c.args_at)?;
            }
        }
        Keyword::Env | Keyword::Label => name_values(c, trigger)?,
        Keyword::Onbuild => {
            if let Some(first) = c.words.first()
                && let Some(sub) = Keyword::parse(c.raw(first))
            {
                let sub_parts = read_parts(c.logical, first.logical.end, sub, escape);
                instruction(sub, c.logical, &sub_parts, escape, true)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// ENV and LABEL: `name=value` pairs, or the legacy `name value` (parseNameVal).
fn name_values(c: &Checked, trigger: bool) -> Result<(), SyntaxError> {
    let kw = c.keyword.as_str();
    let Some(first) = c.words.first() else {
        if !trigger {
            return Err(err(
                c.args_at,
                format!("{kw} requires at least one argument"),
            ));
        }
        return Ok(());
    };
    if !c.raw(first).contains('=') {
        // legacy `ENV name value`: two fields at least
        if c.fields().len() < 2 {
            return Err(err(
                c.at(first.logical.start),
                format!("{kw} must have two arguments"),
            ));
        }
        return Ok(());
    }
    for w in c.words {
        if !c.raw(w).contains('=') {
            return Err(err(
                c.at(w.logical.start),
                format!(
                    "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                    c.raw(w)
                ),
            ));
        }
        if !trigger && c.raw(w).starts_with('=') {
            return Err(err(
                c.at(w.logical.start),
                format!("{kw} names can not be blank"),
            ));
        }
    }
    Ok(())
}

/// FROM: `<image> [AS <name>]`, a valid stage name, a base that is not blank.
fn from(c: &Checked) -> Result<(), SyntaxError> {
    let text = c.text;
    let fields = c.fields();
    match fields.as_slice() {
        [_, as_word, name] if text[as_word.clone()].eq_ignore_ascii_case("as") => {
            let raw = &text[name.clone()];
            if !is_stage_name(&raw.to_lowercase()) {
                return Err(err(
                    c.at(name.start),
                    format!(
                        "invalid name for build stage: {raw:?}, name can't start with a number or contain symbols"
                    ),
                ));
            }
        }
        [base] => {
            let raw = &text[base.clone()];
            let blank = c.words.first().is_some_and(|w| w.value.is_empty());
            if blank && !raw.contains('$') {
                return Err(err(
                    c.at(base.start),
                    format!("base name ({raw}) should not be blank"),
                ));
            }
        }
        _ => {
            let read: Vec<&str> = fields.iter().map(|f| &text[f.clone()]).collect();
            return Err(err(
                c.args_at,
                format!(
                    "FROM requires either one or three arguments (`<image> [AS <name>]`); BuildKit reads {}: {read:?}",
                    read.len()
                ),
            ));
        }
    }
    Ok(())
}

/// COPY and ADD: a source and a destination at least, no heredoc as the destination.
fn copy_or_add(c: &Checked) -> Result<(), SyntaxError> {
    let kw = c.keyword.as_str();
    let (count, destination) = match json_array(c.rest) {
        JsonArray::Strings(elements) => (elements.len(), elements.last().cloned()),
        _ => {
            let fields = c.fields();
            let last = fields.last().map(|f| c.text[f.clone()].to_string());
            (fields.len(), last)
        }
    };
    if count < 2 {
        return Err(err(
            c.args_at,
            format!(
                "{kw} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
        ));
    }
    if destination.as_deref().is_some_and(is_heredoc_word) {
        return Err(err(
            c.args_at,
            format!("{kw} cannot accept a heredoc as a destination"),
        ));
    }
    Ok(())
}

/// SHELL: a non-empty JSON array.
fn shell(c: &Checked) -> Result<(), SyntaxError> {
    match json_array(c.rest) {
        JsonArray::Strings(e) if !e.is_empty() => Ok(()),
        JsonArray::Strings(_) => Err(err(c.args_at, "SHELL requires at least one argument")),
        _ if c.rest.is_empty() => Err(err(c.args_at, "SHELL requires at least one argument")),
        _ => Err(err(
            c.args_at,
            "SHELL requires the arguments to be in JSON form",
        )),
    }
}

/// ARG: at least one name, none blank.
fn arg(c: &Checked) -> Result<(), SyntaxError> {
    if c.words.is_empty() {
        return Err(err(c.args_at, "ARG requires at least one argument"));
    }
    if let Some(w) = c.words.iter().find(|w| c.raw(w).starts_with('=')) {
        return Err(err(c.at(w.logical.start), "ARG names can not be blank"));
    }
    Ok(())
}

/// VOLUME: at least one path, no empty one.
fn volume(c: &Checked) -> Result<(), SyntaxError> {
    match json_array(c.rest) {
        JsonArray::Strings(e) if e.is_empty() => {
            Err(err(c.args_at, "VOLUME requires at least one argument"))
        }
        JsonArray::Strings(e) if e.iter().any(|v| v.trim().is_empty()) => Err(err(
            c.args_at,
            "VOLUME specified can not be an empty string",
        )),
        JsonArray::Strings(_) => Ok(()),
        _ if c.fields().is_empty() => Err(err(c.args_at, "VOLUME requires at least one argument")),
        _ => Ok(()),
    }
}

/// ONBUILD: a trigger, and not one BuildKit refuses.
fn onbuild(c: &Checked) -> Result<(), SyntaxError> {
    let Some(first) = c.words.first() else {
        return Err(err(c.args_at, "ONBUILD requires at least one argument"));
    };
    let trigger = c.raw(first).to_ascii_uppercase();
    match trigger.as_str() {
        "ONBUILD" => Err(err(
            c.at(first.logical.start),
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        )),
        "FROM" | "MAINTAINER" => Err(err(
            c.at(first.logical.start),
            format!("{trigger} isn't allowed as an ONBUILD trigger"),
        )),
        _ => Ok(()),
    }
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

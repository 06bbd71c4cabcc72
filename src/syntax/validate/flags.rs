//! The flags each instruction declares and `bflag.go`'s rules for them: every flag
//! declared, not repeated (unless it may be), with a value when it takes one.

use crate::syntax::{Keyword, Parts, SyntaxError, err};

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

/// `bflag.go`'s `Parse`: every flag declared, not repeated (unless it may
/// be), with a value when it takes one, `true`/`false` for a boolean.
pub(super) fn check_flags(keyword: Keyword, parts: &Parts) -> Result<(), SyntaxError> {
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

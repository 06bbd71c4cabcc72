//! Changes, edits, safety levels and notes: what passes propose.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::pass_id::PassId;

/// How sure a pass is that a change keeps the image working (like ruff's fix applicability).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// The built image is the same thing for the app (names, casing).
    Safe,
    /// The image changes in a way the model says the app does not notice.
    Review,
    /// May break (libc change, guessed artifact, package-manager translation).
    Unsafe,
}

impl fmt::Display for Safety {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Safety::Safe => "safe",
            Safety::Review => "review",
            Safety::Unsafe => "unsafe",
        })
    }
}

impl FromStr for Safety {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "safe" => Ok(Safety::Safe),
            "review" => Ok(Safety::Review),
            "unsafe" => Ok(Safety::Unsafe),
            other => Err(format!(
                "unknown safety level `{other}` (expected safe, review or unsafe)"
            )),
        }
    }
}

/// Replace `range` of the text with `replacement` (an insertion when the range is empty).
///
/// Replacements use `\n`; the engine writes the file's own line ending.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }

    /// Two edits conflict when their ranges overlap, both insert at the same
    /// point, or one inserts at either end of the other's replaced range: an
    /// insertion that touches replaced text may belong to it (a command
    /// appended to a RUN another pass moves away), and which one it belongs
    /// to cannot be told from offsets, so the later change waits a round.
    pub fn conflicts(&self, other: &Edit) -> bool {
        self.overlaps(other) || self.touches(other)
    }

    /// The edits of one change overlap when their ranges share bytes or
    /// both insert at one point; unlike [`Edit::conflicts`], an insertion
    /// at the end of replaced text is fine: the pass that made both knows
    /// what it meant.
    pub fn overlaps(&self, other: &Edit) -> bool {
        let (a, b) = (&self.range, &other.range);
        if a.is_empty() || b.is_empty() {
            return a.start == b.start
                || (a.start > b.start && a.start < b.end)
                || (b.start > a.start && b.start < a.end);
        }
        a.start < b.end && b.start < a.end
    }

    /// One is an insertion at either end of the other's replaced range.
    fn touches(&self, other: &Edit) -> bool {
        let (a, b) = (&self.range, &other.range);
        let at_end = |at: usize, r: &Range<usize>| at == r.start || at == r.end;
        match (a.is_empty(), b.is_empty()) {
            (true, false) => at_end(a.start, b),
            (false, true) => at_end(b.start, a),
            _ => false,
        }
    }
}

/// A proposed change: one or more edits that stand or fall together.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// The pass that proposed it (set by the [`Findings`] it is given to).
    pub pass: PassId,
    pub message: String,
    pub safety: Safety,
    /// Estimated compressed bytes the final image loses; `None` when unknown.
    pub estimated_bytes_saved: Option<i64>,
    pub edits: Vec<Edit>,
    /// Parts of the final image's runtime contract the change knowingly
    /// alters (`CMD`, `EXPOSE`, …): allowed only for an unsafe change, and
    /// named in its message. See [`crate::contract`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declares: Vec<&'static str>,
}

impl Change {
    /// A change; the pass that proposes it is the one whose [`Findings`] take it.
    pub fn new(safety: Safety, message: impl Into<String>, edits: Vec<Edit>) -> Change {
        Change {
            pass: PassId::Model,
            message: message.into(),
            safety,
            estimated_bytes_saved: None,
            edits,
            declares: Vec::new(),
        }
    }

    /// The change knowingly alters these parts of the runtime contract.
    pub fn declaring(mut self, parts: &[&'static str]) -> Change {
        self.declares = parts.to_vec();
        self
    }

    pub fn with_estimate(mut self, bytes: Option<i64>) -> Change {
        self.estimated_bytes_saved = bytes;
        self
    }

    /// Offset of the first edit (where the change is reported).
    pub fn offset(&self) -> usize {
        self.edits.iter().map(|e| e.range.start).min().unwrap_or(0)
    }
}

/// How serious a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Why a pass left something alone.
    Info,
    Warning,
    /// The file is wrong as it stands (e.g. a `--from=` naming no stage).
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// A message without an edit: a skip with its reason, or a problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub pass: PassId,
    /// Why: its stable code (e.g. `digest-pinned`) is what reports show.
    pub code: crate::reason::Reason,
    pub level: Level,
    pub message: String,
    pub offset: usize,
}

/// What a pass returns for one document: a sink bound to the pass's id, so
/// every change and note it takes is the pass's ([`Findings::for_pass`]).
#[derive(Debug, Default)]
pub struct Findings {
    /// The pass whose findings these are ([`PassId::Model`] for the engine's own).
    pass: PassId,
    pub changes: Vec<Change>,
    pub notes: Vec<Note>,
}

impl Findings {
    /// An empty sink for `pass`.
    pub fn for_pass(pass: PassId) -> Findings {
        Findings {
            pass,
            ..Findings::default()
        }
    }

    /// Takes a change as this sink's pass's.
    pub fn change(&mut self, mut change: Change) {
        change.pass = self.pass;
        self.changes.push(change);
    }

    /// A note of this sink's pass.
    pub fn note(
        &mut self,
        code: crate::reason::Reason,
        level: Level,
        offset: usize,
        message: impl Into<String>,
    ) {
        self.notes.push(Note {
            pass: self.pass,
            code,
            level,
            message: message.into(),
            offset,
        });
    }
}

/// Applies non-conflicting edits to `text`, writing `line_ending` for every `\n` in replacements.
pub fn apply(text: &str, edits: &[&Edit], line_ending: &str) -> String {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.range.start]);
        let normalized = e.replacement.replace("\r\n", "\n");
        if line_ending == "\n" {
            out.push_str(&normalized);
        } else {
            out.push_str(&normalized.replace('\n', line_ending));
        }
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `~368 MB` (decimal megabytes, as registries report compressed sizes).
pub fn human_bytes(bytes: i64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb.abs() >= 1000.0 {
        format!("{:.1} GB", mb / 1000.0)
    } else if mb.abs() >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts() {
        let a = Edit::replace(2..5, "x");
        assert!(a.conflicts(&Edit::replace(4..6, "y")));
        assert!(!a.conflicts(&Edit::replace(5..6, "y")));
        assert!(a.conflicts(&Edit::insert(3, "y")));
        // An insertion touching either end of replaced text may belong to it.
        assert!(a.conflicts(&Edit::insert(5, "y")));
        assert!(a.conflicts(&Edit::insert(2, "y")));
        assert!(Edit::insert(5, "y").conflicts(&a));
        assert!(!a.conflicts(&Edit::insert(6, "y")));
        assert!(!a.conflicts(&Edit::insert(1, "y")));
        assert!(Edit::insert(5, "a").conflicts(&Edit::insert(5, "b")));
    }

    #[test]
    fn apply_keeps_crlf() {
        let text = "FROM a\r\nRUN b\r\n";
        let e = Edit::insert(8, "# note\nCOPY x y\n");
        assert_eq!(
            apply(text, &[&e], "\r\n"),
            "FROM a\r\n# note\r\nCOPY x y\r\nRUN b\r\n"
        );
    }
}

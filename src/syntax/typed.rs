//! The bridge to dockerfile-parser: its typed reading of one instruction.
//!
//! The crate reads a cleaned copy of each instruction: continuation lines
//! already joined, comment and empty lines inside them dropped, heredoc bodies
//! left out, and the leading flags of COPY/ADD/RUN removed (the crate would
//! take `--link` as a source path and leave `--mount` in the shell text; the
//! front end has read them already). Every span the crate returns is mapped
//! back to the original text with [`Typed::original`].
//!
//! Where the crate still refuses an instruction (`ENV X=`, legacy `LABEL k v
//! w`, a bare `HEALTHCHECK`, quotes in a FROM reference, …) the error is
//! returned; callers fall back to the front end's own words or leave the
//! instruction alone and say so.

use std::ops::Range;

use super::{Args, Instruction, Keyword, Logical};

/// dockerfile-parser's reading of one instruction, with spans mapped back.
///
/// The text the crate read is a few runs (the keyword, a space, the body
/// from the logical line, a newline), so the map back to the original text
/// is a handful of runs, not one offset per byte.
#[derive(Debug, Clone)]
pub struct Typed<'a> {
    pub instruction: dockerfile_parser::Instruction,
    /// The instruction's logical line, through which body offsets map back.
    logical: &'a Logical,
    /// `(start in the crate's text, what it maps to)` of each run, sorted by start.
    runs: Vec<(usize, Run)>,
    /// Length of the crate's text.
    len: usize,
}

/// Where a run of the crate's text comes from.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// Every byte maps to this original offset (a keyword or separator slimfile wrote).
    Fixed(usize),
    /// Byte `k` of the run is logical offset `start + k`.
    Logical(usize),
}

impl Typed<'_> {
    /// Original offset of byte `i` of the crate's text (past the end: its last byte's).
    fn origin(&self, i: usize) -> usize {
        let i = i.min(self.len.saturating_sub(1));
        let at = self.runs.partition_point(|&(start, _)| start <= i);
        match at.checked_sub(1).and_then(|k| self.runs.get(k)) {
            Some(&(_, Run::Fixed(o))) => o,
            Some(&(start, Run::Logical(l))) => self.logical.original_offset(l + (i - start)),
            None => 0,
        }
    }

    /// Original byte range of a span the crate returned.
    pub fn original(&self, span: dockerfile_parser::Span) -> Range<usize> {
        if span.end <= span.start {
            return self.origin(span.start)..self.origin(span.start);
        }
        self.origin(span.start)..self.origin(span.end - 1) + 1
    }
}

/// Reads `instruction` with dockerfile-parser.
pub fn read(instruction: &Instruction) -> Result<Typed<'_>, String> {
    let logical = &instruction.logical;
    let kw_end = instruction
        .logical
        .text
        .find(char::is_whitespace)
        .unwrap_or(logical.text.len());
    let body_start = match instruction.keyword {
        Keyword::Copy | Keyword::Add | Keyword::Run => instruction.rest_start,
        _ => instruction.args_start,
    };
    let mut text = String::with_capacity(logical.text.len() + 2);
    let mut runs = Vec::with_capacity(4);
    if instruction.keyword == Keyword::Add {
        // The crate has no ADD rule (it comes back as `Misc`); ADD's sources
        // and destination have COPY's grammar, so the crate's COPY rule reads them.
        runs.push((text.len(), Run::Fixed(logical.original_offset(0))));
        text.push_str("COPY");
    } else {
        runs.push((text.len(), Run::Logical(0)));
        text.push_str(&logical.text[..kw_end]);
    }
    runs.push((text.len(), Run::Fixed(logical.original_offset(kw_end))));
    text.push(' ');
    runs.push((text.len(), Run::Logical(body_start)));
    text.push_str(&logical.text[body_start..]);
    runs.push((
        text.len(),
        Run::Fixed(logical.original_offset(logical.text.len())),
    ));
    text.push('\n');

    let parsed =
        dockerfile_parser::Dockerfile::parse(&text).map_err(|e| first_line(&e.to_string()))?;
    let mut all = parsed.instructions.into_iter();
    match (all.next(), all.next()) {
        (Some(typed), None) => {
            // The crate's catch-all `Misc` rule swallows instructions its own rule rejects.
            let expected_misc = !matches!(
                instruction.keyword,
                Keyword::From
                    | Keyword::Arg
                    | Keyword::Label
                    | Keyword::Run
                    | Keyword::Entrypoint
                    | Keyword::Cmd
                    | Keyword::Copy
                    | Keyword::Add
                    | Keyword::Env
            );
            if matches!(typed, dockerfile_parser::Instruction::Misc(_)) && !expected_misc {
                return Err(format!(
                    "dockerfile-parser cannot read this {}",
                    instruction.keyword.as_str()
                ));
            }
            Ok(Typed {
                instruction: typed,
                logical,
                len: text.len(),
                runs,
            })
        }
        _ => Err("dockerfile-parser did not read exactly one instruction".to_string()),
    }
}

/// What the model reads from one instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// `FROM image [AS alias]` (flags apart).
    From {
        image: String,
        alias: Option<String>,
    },
    /// COPY or ADD: sources and destination (flags apart).
    Copy {
        sources: Vec<String>,
        destination: String,
    },
    /// ENV, ARG or LABEL: keys and values (`ARG name` has no value).
    Pairs(Vec<(String, Option<String>)>),
    /// CMD or ENTRYPOINT: exec (JSON) form or shell form, and its words
    /// (exec form: the elements; shell form: the command text as one).
    Command { exec: bool, words: Vec<String> },
}

/// Who produced a [`Read`]'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    /// dockerfile-parser read the instruction and agrees with the front end.
    Crate,
    /// The crate refused it; the values are the front end's own words.
    FrontEnd,
}

/// The model's reading of one instruction and where it came from.
#[derive(Debug, Clone)]
pub struct Read {
    pub reading: Reading,
    pub by: ReadBy,
    /// The instruction's form (`shell`, `exec`, `json`, `heredoc`,
    /// `key=value`, `legacy`, `name`, `plain`, `flags`, `variable`), for coverage figures.
    pub form: &'static str,
    /// The crate's error when it refused the instruction.
    pub refusal: Option<String>,
    /// What differs when the crate and the front end read different values:
    /// the instruction is then not understood, and passes leave it alone.
    pub disagreement: Option<String>,
}

impl Read {
    /// False when the crate and the front end disagree about this instruction.
    pub fn understood(&self) -> bool {
        self.disagreement.is_none()
    }
}

/// The model's reading of `instruction`: dockerfile-parser's typed values
/// when it reads the instruction, compared with the front end's; the front
/// end's words when the crate refuses. `None` for the keywords the model does
/// not read this way (RUN, WORKDIR, USER, …).
///
/// ```
/// use slimfile::syntax::{parse, typed::{read_values, ReadBy, Reading}};
/// let doc = parse("FROM a\nCOPY --chown=1 src/ /app/\nADD [\"x y\", \"/d/\"]\n").unwrap();
/// let copy = read_values(&doc.instructions[1]).unwrap();
/// assert_eq!(copy.by, ReadBy::Crate);
/// assert_eq!(copy.reading, Reading::Copy { sources: vec!["src/".into()], destination: "/app/".into() });
/// let add = read_values(&doc.instructions[2]).unwrap();
/// assert_eq!(add.by, ReadBy::FrontEnd); // the crate refuses JSON-form COPY/ADD
/// assert!(add.understood());
/// ```
pub fn read_values(instruction: &Instruction) -> Option<Read> {
    let (front, form) = front_end_reading(instruction)?;
    let (by, refusal, disagreement) = match read(instruction) {
        Err(e) => (ReadBy::FrontEnd, Some(e), None),
        Ok(typed) => match crate_reading(&typed.instruction) {
            None => (
                ReadBy::FrontEnd,
                Some(format!(
                    "dockerfile-parser read this {} as another instruction",
                    instruction.keyword.as_str()
                )),
                None,
            ),
            Some(theirs) if theirs == front => (ReadBy::Crate, None, None),
            Some(theirs) => (
                ReadBy::FrontEnd,
                None,
                Some(format!(
                    "dockerfile-parser reads {theirs:?}, the front end {front:?}"
                )),
            ),
        },
    };
    Some(Read {
        reading: front,
        by,
        form,
        refusal,
        disagreement,
    })
}

/// The crate's values, in the model's terms.
fn crate_reading(typed: &dockerfile_parser::Instruction) -> Option<Reading> {
    use dockerfile_parser::{Instruction as T, ShellOrExecExpr};
    let command = |expr: &ShellOrExecExpr| match expr {
        ShellOrExecExpr::Exec(a) => Reading::Command {
            exec: true,
            words: a.elements.iter().map(|e| e.content.clone()).collect(),
        },
        ShellOrExecExpr::Shell(b) => Reading::Command {
            exec: false,
            words: vec![b.to_string().trim().to_string()],
        },
    };
    Some(match typed {
        T::From(f) => Reading::From {
            image: f.image.content.clone(),
            alias: f.alias.as_ref().map(|a| a.content.clone()),
        },
        T::Copy(c) => Reading::Copy {
            sources: c.sources.iter().map(|s| s.content.clone()).collect(),
            destination: c.destination.content.clone(),
        },
        T::Env(e) => Reading::Pairs(
            e.vars
                .iter()
                .map(|v| (v.key.content.clone(), Some(v.value.to_string())))
                .collect(),
        ),
        T::Arg(a) => Reading::Pairs(vec![(
            a.name.content.clone(),
            a.value.as_ref().map(|v| v.content.clone()),
        )]),
        T::Label(l) => Reading::Pairs(
            l.labels
                .iter()
                .map(|l| (l.name.content.clone(), Some(l.value.content.clone())))
                .collect(),
        ),
        T::Cmd(c) => command(&c.expr),
        T::Entrypoint(e) => command(&e.expr),
        _ => return None,
    })
}

/// The front end's own reading, and the instruction's form.
/// True for the instructions [`read_values`] reads (the others have no values it knows).
pub fn has_values(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::From
            | Keyword::Copy
            | Keyword::Add
            | Keyword::Arg
            | Keyword::Env
            | Keyword::Label
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

fn front_end_reading(ins: &Instruction) -> Option<(Reading, &'static str)> {
    let words: Vec<&str> = ins.words().iter().map(|w| w.value.as_str()).collect();
    Some(match ins.keyword {
        Keyword::From => from_reading(ins, &words),
        Keyword::Copy | Keyword::Add => copy_reading(ins),
        Keyword::Arg => arg_reading(&words),
        Keyword::Env | Keyword::Label => pairs_reading(ins, &words),
        Keyword::Cmd | Keyword::Entrypoint => match &ins.args {
            Args::Exec(e) => (
                Reading::Command {
                    exec: true,
                    words: e.clone(),
                },
                "exec",
            ),
            Args::Words(_) => (
                Reading::Command {
                    exec: false,
                    words: vec![ins.rest_text().trim().to_string()],
                },
                "shell",
            ),
        },
        _ => return None,
    })
}

/// `FROM image [AS name]` as the front end reads it.
fn from_reading(ins: &Instruction, words: &[&str]) -> (Reading, &'static str) {
    let alias =
        (words.len() >= 3 && words[1].eq_ignore_ascii_case("as")).then(|| words[2].to_string());
    let image = words.first().copied().unwrap_or_default().to_string();
    let form = if !ins.flags.is_empty() {
        "flags"
    } else if image.contains('$') {
        "variable"
    } else {
        "plain"
    };
    (Reading::From { image, alias }, form)
}

/// COPY/ADD sources and destination as the front end reads them.
fn copy_reading(ins: &Instruction) -> (Reading, &'static str) {
    let (all, form): (Vec<String>, _) = match &ins.args {
        Args::Exec(e) => (e.clone(), "json"),
        // a heredoc marker (`<<"EOF"`) is no path: its raw text is compared
        Args::Words(w) => (
            w.iter()
                .map(|w| {
                    let raw = &ins.logical.text[w.logical.clone()];
                    if raw.contains("<<") && ins.heredocs.iter().any(|h| h.marker == w.span) {
                        raw.to_string()
                    } else {
                        w.value.clone()
                    }
                })
                .collect(),
            if ins.heredocs.is_empty() {
                "shell"
            } else {
                "heredoc"
            },
        ),
    };
    let (destination, sources) = match all.split_last() {
        Some((d, s)) => (d.clone(), s.to_vec()),
        None => (String::new(), Vec::new()),
    };
    (
        Reading::Copy {
            sources,
            destination,
        },
        form,
    )
}

/// `ARG name[=value] …` as the front end reads it.
fn arg_reading(words: &[&str]) -> (Reading, &'static str) {
    (
        Reading::Pairs(
            words
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w.to_string(), None),
                })
                .collect(),
        ),
        if words.iter().all(|w| w.contains('=')) {
            "key=value"
        } else {
            "name"
        },
    )
}

/// ENV/LABEL pairs as the front end reads them (`k=v …` or legacy `k v w`).
fn pairs_reading(ins: &Instruction, words: &[&str]) -> (Reading, &'static str) {
    if words.first().is_some_and(|w| w.contains('=')) {
        let pairs = words
            .iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w.to_string(), None),
            })
            .collect();
        (Reading::Pairs(pairs), "key=value")
    } else {
        // legacy `ENV key value words`: the rest of the line is the
        // value, its quotes removed when BuildKit expands it
        // (whitespace inside the value kept as written)
        let key = words.first().copied().unwrap_or_default().to_string();
        let all = ins.words();
        let value = match (all.get(1), all.last()) {
            (Some(first), Some(last)) if all.len() > 1 => {
                let raw = &ins.logical.text[first.logical.start..last.logical.end];
                if raw.contains(['"', '\'', '\\', '`']) {
                    words[1..].join(" ")
                } else {
                    raw.to_string()
                }
            }
            _ => String::new(),
        };
        (Reading::Pairs(vec![(key, Some(value))]), "legacy")
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("parse error")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::syntax::parse;

    use super::*;

    /// `has_values`, which the model asks before reading, names exactly the
    /// instructions the front end has values for.
    #[test]
    fn has_values_matches_the_readings() {
        let src = "FROM a AS b\nRUN x\nCMD x\nLABEL a=b\nMAINTAINER m\nEXPOSE 80\nENV a=b\n\
                   ADD a b\nCOPY a b\nENTRYPOINT x\nVOLUME /v\nUSER u\nWORKDIR /w\nARG a\n\
                   ONBUILD RUN x\nSTOPSIGNAL 9\nHEALTHCHECK NONE\nSHELL [\"sh\"]\n";
        let doc = parse(src).unwrap();
        assert_eq!(doc.instructions.len(), 18, "one of each keyword");
        for ins in &doc.instructions {
            assert_eq!(
                has_values(ins.keyword),
                front_end_reading(ins).is_some(),
                "{:?}",
                ins.keyword
            );
        }
    }

    #[test]
    fn copy_without_link_flag() {
        let src = "FROM a\nCOPY --link --from=build \\\n    /out/app /usr/bin/\n";
        let doc = parse(src).unwrap();
        let t = read(&doc.instructions[1]).unwrap();
        let dockerfile_parser::Instruction::Copy(c) = &t.instruction else {
            panic!("not copy")
        };
        assert_eq!(c.sources.len(), 1);
        assert_eq!(&src[t.original(c.sources[0].span)], "/out/app");
        assert_eq!(&src[t.original(c.destination.span)], "/usr/bin/");
    }

    #[test]
    fn add_spans_map_back_across_continuations() {
        let src = "FROM a\nADD --chown=1 \\\n  # note\n  one.tar \\\n  /opt/\n";
        let doc = parse(src).unwrap();
        let t = read(&doc.instructions[1]).unwrap();
        let dockerfile_parser::Instruction::Copy(c) = &t.instruction else {
            panic!("not copy")
        };
        assert_eq!(&src[t.original(c.sources[0].span)], "one.tar");
        assert_eq!(&src[t.original(c.destination.span)], "/opt/");
        // the keyword the crate read (COPY for ADD) maps to the keyword's start
        let whole = t.original(c.span);
        assert_eq!(whole.start, src.find("ADD").unwrap());
    }

    #[test]
    fn refusals_are_errors_not_panics() {
        let doc = parse("FROM a\nENV X=\nFROM \"python:3\"\n").unwrap();
        assert!(read(&doc.instructions[1]).is_err());
        assert!(read(&doc.instructions[2]).is_err());
    }
}

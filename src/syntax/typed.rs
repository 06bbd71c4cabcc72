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

use super::{Instruction, Keyword};

/// dockerfile-parser's reading of one instruction, with spans mapped back.
#[derive(Debug, Clone)]
pub struct Typed {
    pub instruction: dockerfile_parser::Instruction,
    /// Original offset of each byte of the text the crate read.
    origin: Vec<usize>,
}

impl Typed {
    /// Original byte range of a span the crate returned.
    pub fn original(&self, span: dockerfile_parser::Span) -> Range<usize> {
        let at = |i: usize| {
            self.origin
                .get(i)
                .copied()
                .unwrap_or_else(|| self.origin.last().copied().unwrap_or(0))
        };
        if span.end <= span.start {
            return at(span.start)..at(span.start);
        }
        at(span.start)..at(span.end - 1) + 1
    }
}

/// Reads `instruction` with dockerfile-parser.
pub fn read(instruction: &Instruction) -> Result<Typed, String> {
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
    let mut origin = Vec::with_capacity(logical.text.len() + 2);
    text.push_str(&logical.text[..kw_end]);
    origin.extend((0..kw_end).map(|i| logical.original_offset(i)));
    text.push(' ');
    origin.push(logical.original_offset(kw_end));
    text.push_str(&logical.text[body_start..]);
    origin.extend((body_start..logical.text.len()).map(|i| logical.original_offset(i)));
    text.push('\n');
    origin.push(logical.original_offset(logical.text.len()));

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
                origin,
            })
        }
        _ => Err("dockerfile-parser did not read exactly one instruction".to_string()),
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
    fn refusals_are_errors_not_panics() {
        let doc = parse("FROM a\nENV X=\nFROM \"python:3\"\n").unwrap();
        assert!(read(&doc.instructions[1]).is_err());
        assert!(read(&doc.instructions[2]).is_err());
    }
}

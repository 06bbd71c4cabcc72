//! Reading one instruction: its lines joined, its keyword, flags, words or
//! JSON array, and its heredocs.

use std::ops::Range;

use super::words::{self, Separator};
use super::{
    Args, Comment, Flag, Heredoc, Instruction, Keyword, Line, Logical, SyntaxError, Word,
    continuation_at, err, trim_start_offset, validate,
};

/// An instruction's physical lines joined into its logical line.
struct Joined {
    logical: Logical,
    /// Index of the first line after the instruction's lines.
    next: usize,
    /// End of the instruction's last line.
    last_end: usize,
    /// The file ends inside the continuation.
    continues_at_eof: bool,
}

/// Joins the lines from `first` through its continuations; comment and empty
/// lines inside them are skipped (comments recorded in `comments`).
fn join_continuations(
    text: &str,
    lines: &[Line],
    first: usize,
    escape: char,
    comments: &mut Vec<Comment>,
) -> Joined {
    let line = lines[first];
    let content_start = line.start + trim_start_offset(&text[line.start..line.end]);
    let mut logical = Logical::default();
    let mut i = first;
    let mut piece_start = content_start;
    let mut last_end;
    let mut continues_at_eof = false;
    loop {
        let l = lines[i];
        last_end = l.end;
        i += 1;
        match continuation_at(text, l, escape) {
            None => {
                logical.push(text, piece_start..l.end);
                break;
            }
            Some(esc) => {
                logical.push(text, piece_start..esc);
                // skip comment and empty lines inside the continuation
                while let Some(next) = lines.get(i) {
                    let c = &text[next.start..next.end];
                    let t = c.trim_start();
                    if t.starts_with('#') {
                        comments.push(Comment {
                            span: next.start..next.end,
                            text: t.trim_start_matches('#').trim().to_string(),
                        });
                        i += 1;
                    } else if t.is_empty() {
                        i += 1;
                    } else {
                        break;
                    }
                }
                match lines.get(i) {
                    Some(next) => piece_start = next.start,
                    None => {
                        // continuation at end of file: the instruction ends
                        continues_at_eof = true;
                        break;
                    }
                }
            }
        }
    }
    logical.shrink_to_fit();
    Joined {
        logical,
        next: i,
        last_end,
        continues_at_eof,
    }
}

pub(super) fn read_instruction(
    text: &str,
    lines: &[Line],
    first: usize,
    escape: char,
    comments: &mut Vec<Comment>,
    leading_comments: Range<usize>,
) -> Result<(Instruction, usize), SyntaxError> {
    let line = lines[first];
    let Joined {
        logical,
        next: mut i,
        mut last_end,
        continues_at_eof,
    } = join_continuations(text, lines, first, escape, comments);
    let ltext = &logical.text;
    let (keyword, kw_len, keyword_span) = keyword_of(&logical)?;
    let args_start = kw_len + trim_start_offset(&ltext[kw_len..]);
    let parts = read_parts(&logical, args_start, keyword, escape);
    let rest_start = parts.rest_start;
    let rest = &ltext[rest_start..];
    let json_capable = !matches!(
        keyword,
        Keyword::From | Keyword::Arg | Keyword::Env | Keyword::Label
    );
    let args = match json_capable
        .then(|| words::parse_json_array(rest))
        .flatten()
    {
        Some(elements) => Args::Exec(elements),
        None => Args::Words(Vec::new()),
    };
    validate::instruction(keyword, &logical, &parts, escape, false)?;
    let Parts {
        words: mut all_words,
        flags,
        used,
        ..
    } = parts;
    let args = match args {
        Args::Words(_) => {
            // the words after the flags, moved (not copied) out of all the words
            all_words.drain(..used);
            all_words.shrink_to_fit();
            Args::Words(all_words)
        }
        exec => exec,
    };
    let mut heredocs = Vec::new();
    for w in heredoc_words(&args, keyword, &logical, escape) {
        if let Some((heredoc, end)) = read_heredoc(text, lines, &mut i, &logical, w)? {
            heredocs.push(heredoc);
            last_end = end;
        }
    }

    let instruction = Instruction {
        keyword,
        keyword_span: keyword_span.clone(),
        line_start: line.start,
        span: keyword_span.start..last_end,
        // physical lines split at every `\n`: the index is the line number - 1
        line: first + 1,
        logical,
        args_start,
        rest_start,
        flags,
        args,
        heredocs,
        leading_comments,
        continues_at_eof,
    };
    Ok((instruction, i))
}

/// The instruction's keyword, its length in the logical line and its span.
/// BuildKit trims the joined line of Unicode spaces, then cuts the keyword
/// at the first `[\t\v\f\r ]`: `FROM\u{a0}node` is one (unknown) word.
fn keyword_of(logical: &Logical) -> Result<(Keyword, usize, Range<usize>), SyntaxError> {
    let ltext = &logical.text;
    let line_end = ltext.trim_end().len();
    let kw_len = ltext[..line_end]
        .find(|c| Separator::Ascii.is_separator(c))
        .unwrap_or(line_end);
    let kw_word = &ltext[..kw_len];
    let keyword_span = logical.original_range(0..kw_len);
    match Keyword::parse(kw_word) {
        Some(keyword) => Ok((keyword, kw_len, keyword_span)),
        None => Err(err(
            keyword_span.start,
            format!("unknown instruction: {kw_word}"),
        )),
    }
}

/// The words that may hold heredoc markers: RUN, COPY and ADD in shell
/// form, and the same as an ONBUILD trigger.
fn heredoc_words<'w>(
    args: &'w Args,
    keyword: Keyword,
    logical: &Logical,
    escape: char,
) -> &'w [Word] {
    match (args, keyword) {
        (Args::Words(ws), k) if k.can_contain_heredoc() => ws,
        (Args::Words(ws), Keyword::Onbuild) => match ws.first() {
            Some(trigger)
                if Keyword::parse(&trigger.value).is_some_and(Keyword::can_contain_heredoc) =>
            {
                let sub = read_parts(logical, trigger.logical.end, Keyword::Run, escape);
                let sub_rest = &logical.text[sub.rest_start..];
                if words::parse_json_array(sub_rest).is_some() {
                    &[]
                } else {
                    &ws[1..]
                }
            }
            _ => &[],
        },
        _ => &[],
    }
}

/// The heredoc word `w` starts (`None` when it is no marker): its body from
/// line `*i` on, up to its terminator line, and the terminator's end;
/// `*i` moves past the terminator.
fn read_heredoc(
    text: &str,
    lines: &[Line],
    i: &mut usize,
    logical: &Logical,
    w: &Word,
) -> Result<Option<(Heredoc, usize)>, SyntaxError> {
    let raw = &logical.text[w.logical.clone()];
    let Some((strip_tabs, delimiter, quoted)) = heredoc_marker(raw, &w.value) else {
        return Ok(None);
    };
    if unbalanced_quotes(raw) {
        return Err(err(
            w.span.start,
            format!("unterminated quote in the heredoc delimiter `{raw}`"),
        ));
    }
    let body_start = lines.get(*i).map_or(text.len(), |l| l.start);
    while let Some(l) = lines.get(*i) {
        *i += 1;
        let mut candidate = &text[l.start..l.end];
        if strip_tabs {
            candidate = candidate.trim_start_matches('\t');
        }
        if candidate == delimiter {
            let heredoc = Heredoc {
                delimiter,
                strip_tabs,
                quoted,
                marker: w.span.clone(),
                body: body_start..l.start,
            };
            return Ok(Some((heredoc, l.end)));
        }
    }
    Err(err(
        w.span.start,
        format!("unterminated heredoc: no line `{delimiter}` closes it"),
    ))
}

/// An instruction's arguments read into words, with its leading flags taken.
pub(crate) struct Parts {
    /// Every word after the keyword, flags included.
    pub(crate) words: Vec<Word>,
    pub(crate) flags: Vec<Flag>,
    /// How many of `words` the flags (and a closing `--`) used.
    pub(crate) used: usize,
    /// Logical offset where the arguments after the flags start.
    pub(crate) rest_start: usize,
}

/// Reads `logical[from..]` as the arguments of `keyword`: BuildKit takes
/// leading `--flags` from every instruction (an instruction that has no such
/// flag then refuses it), and splits words per [`Separator`] rules.
pub(crate) fn read_parts(logical: &Logical, from: usize, keyword: Keyword, escape: char) -> Parts {
    let from = from + trim_start_offset(&logical.text[from..]);
    let separator = match keyword {
        Keyword::Env | Keyword::Label | Keyword::Arg => Separator::Unicode,
        _ => Separator::Ascii,
    };
    let words = words::split_words_by(logical, from, escape, separator);
    let (flags, used) = words::take_flags(logical, &words);
    let rest_start = words
        .get(used)
        .map_or(logical.text.len(), |w| w.logical.start);
    Parts {
        words,
        flags,
        used,
        rest_start,
    }
}

/// True when a quote opened in `raw` is not closed (BuildKit's shell lexer
/// refuses such a heredoc delimiter).
fn unbalanced_quotes(raw: &str) -> bool {
    let mut quote: Option<char> = None;
    for c in raw.chars() {
        match quote {
            None if c == '"' || c == '\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    quote.is_some()
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`: (strip tabs, delimiter, quoted).
fn heredoc_marker(raw: &str, value: &str) -> Option<(bool, String, bool)> {
    let digits = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let after = raw[digits..].strip_prefix("<<")?;
    let (strip_tabs, name_raw) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if name_raw.is_empty() || name_raw.contains('<') {
        return None;
    }
    let quoted = name_raw.contains(['"', '\'']);
    let vdigits = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let name = value[vdigits..].strip_prefix("<<")?;
    let name = if strip_tabs {
        name.strip_prefix('-')?
    } else {
        name
    };
    if name.is_empty() {
        return None;
    }
    Some((strip_tabs, name.to_string(), quoted))
}

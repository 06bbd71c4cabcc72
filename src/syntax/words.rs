//! Words, flags and JSON arrays inside one instruction, with spans.
//!
//! BuildKit joins an instruction's physical lines into one logical line
//! (continuation escapes and the comment or empty lines between them
//! removed). [`Logical`] is that line plus, for every byte, the offset it came
//! from in the original text, so anything read from the logical line can be
//! pointed back at the exact original bytes.

use std::ops::Range;

/// One instruction's logical line and its map back to the original text.
#[derive(Debug, Clone, Default)]
pub struct Logical {
    pub text: String,
    /// `map[i]` is the original offset of logical byte `i`; `map[text.len()]`
    /// is the original offset just past the last byte.
    map: Vec<usize>,
}

impl Logical {
    /// Appends `original[range]` to the logical line.
    pub fn push(&mut self, original: &str, range: Range<usize>) {
        if self.map.last().is_some() {
            self.map.pop();
        }
        self.text.push_str(&original[range.clone()]);
        self.map.extend(range.clone());
        self.map.push(range.end);
    }

    /// Original offset of logical offset `i`.
    pub fn original_offset(&self, i: usize) -> usize {
        self.map
            .get(i)
            .copied()
            .or_else(|| self.map.last().copied())
            .unwrap_or(0)
    }

    /// Original byte range covering logical range `r` (continuations inside it included).
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let at = self.original_offset(r.start);
            return at..at;
        }
        self.original_offset(r.start)..self.original_offset(r.end - 1) + 1
    }

    /// True when logical range `r` is one unbroken run of original bytes.
    pub fn is_contiguous(&self, r: Range<usize>) -> bool {
        let o = self.original_range(r.clone());
        o.len() == r.len()
    }
}

/// A whitespace-separated word of an instruction, quotes and escapes removed in `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    /// Range in the logical line.
    pub logical: Range<usize>,
    /// Range in the original text.
    pub span: Range<usize>,
}

/// Splits `text[from..]` into words the way BuildKit's whitespace-delimited
/// parser does: quotes group, the escape character escapes, quotes and escapes
/// are removed from the value.
pub fn split_words(logical: &Logical, from: usize, escape: char) -> Vec<Word> {
    let text = &logical.text;
    let mut words = Vec::new();
    let mut chars = text[from..]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .peekable();
    loop {
        while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut value = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            end = i + c.len_utf8();
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (q, c) if c == escape && q != Some('\'') => {
                    if let Some((j, next)) = chars.next() {
                        end = j + next.len_utf8();
                        value.push(next);
                    } else {
                        value.push(c);
                    }
                }
                (_, c) => value.push(c),
            }
        }
        words.push(Word {
            value,
            logical: start..end,
            span: logical.original_range(start..end),
        });
    }
    words
}

/// A `--name[=value]` flag before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    /// `None` for a valueless flag such as `--link`.
    pub value: Option<String>,
    /// The whole flag in the original text.
    pub span: Range<usize>,
    /// The value in the original text (after `=`), when there is one and it is
    /// unquoted and on one line, so it can be replaced in place.
    pub value_span: Option<Range<usize>>,
}

/// Reads the flags at the start of `words`; returns them and the number of words they used.
pub fn take_flags(logical: &Logical, words: &[Word]) -> (Vec<Flag>, usize) {
    let mut flags = Vec::new();
    for w in words {
        let raw = &logical.text[w.logical.clone()];
        if !raw.starts_with("--") || raw == "--" {
            break;
        }
        let (name, value, value_span) = match w.value.split_once('=') {
            Some((n, v)) => {
                let name_raw_len = raw.find('=').unwrap_or(raw.len());
                let vr = w.logical.start + name_raw_len + 1..w.logical.end;
                let plain = &logical.text[vr.clone()] == v && logical.is_contiguous(vr.clone());
                (
                    n[2..].to_string(),
                    Some(v.to_string()),
                    plain.then(|| logical.original_range(vr)),
                )
            }
            None => (w.value[2..].to_string(), None, None),
        };
        flags.push(Flag {
            name: name.to_ascii_lowercase(),
            value,
            span: w.span.clone(),
            value_span,
        });
    }
    let n = flags.len();
    (flags, n)
}

/// Parses `text` as a JSON array of strings (exec form), as BuildKit does.
pub fn parse_json_array(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if !t.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(t).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical(s: &str) -> Logical {
        let mut l = Logical::default();
        l.push(s, 0..s.len());
        l
    }

    #[test]
    fn words_keep_quotes_out_of_values() {
        let l = logical(r#"COPY "a b" c\ d 'e\f' /x"#);
        let w: Vec<_> = split_words(&l, 4, '\\')
            .into_iter()
            .map(|w| w.value)
            .collect();
        assert_eq!(w, ["a b", "c d", r"e\f", "/x"]);
    }

    #[test]
    fn words_map_back_across_pieces() {
        let orig = "COPY a \\\n  b /c";
        let mut l = Logical::default();
        l.push(orig, 0..7);
        l.push(orig, 9..orig.len());
        let w = split_words(&l, 4, '\\');
        assert_eq!(w[1].value, "b");
        assert_eq!(&orig[w[1].span.clone()], "b");
    }

    #[test]
    fn flags_with_and_without_values() {
        let l = logical("COPY --link --from=build --chmod=755 a b");
        let w = split_words(&l, 4, '\\');
        let (flags, n) = take_flags(&l, &w);
        assert_eq!(n, 3);
        assert_eq!(flags[0].name, "link");
        assert_eq!(flags[0].value, None);
        assert_eq!(flags[1].value.as_deref(), Some("build"));
        assert_eq!(&l.text[flags[1].value_span.clone().unwrap()], "build");
    }

    #[test]
    fn json_array_or_not() {
        assert_eq!(
            parse_json_array(r#" ["a b", "/d/"] "#),
            Some(vec!["a b".into(), "/d/".into()])
        );
        assert_eq!(parse_json_array(r#"["a"] # comment"#), None);
        assert_eq!(parse_json_array("a b"), None);
    }
}

//! Words, flags and JSON arrays inside one instruction, with spans.
//!
//! BuildKit joins an instruction's physical lines into one logical line
//! (continuation escapes and the comment or empty lines between them
//! removed). [`Logical`] is that line plus, for every byte, the offset it came
//! from in the original text, so anything read from the logical line can be
//! pointed back at the exact original bytes.

use std::ops::Range;

/// One instruction's logical line and its map back to the original text.
///
/// The map is stored as pieces (one per run of original bytes the line was
/// joined from), not one offset per byte: a lookup is a binary search over the
/// pieces, and a 100,000-line continuation costs 100,000 pieces, not ten
/// million offsets.
///
/// ```
/// use slimfile::syntax::Logical;
/// let original = "RUN a \\\n  b";
/// let mut line = Logical::default();
/// line.push(original, 0..6);
/// line.push(original, 8..original.len());
/// assert_eq!(line.text, "RUN a   b");
/// assert_eq!(line.original_offset(6), 8);
/// assert_eq!(line.original_range(4..9), 4..11);
/// assert!(!line.is_contiguous(4..9));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Logical {
    pub text: String,
    /// `(logical start, original start)` of each run of bytes, sorted by
    /// logical start; a run ends where the next one starts (the last at
    /// `text.len()`). Empty runs are not stored.
    pieces: Vec<(usize, usize)>,
    /// The original offset just past the last byte pushed.
    end: usize,
}

impl Logical {
    /// Appends `original[range]` to the logical line.
    pub fn push(&mut self, original: &str, range: Range<usize>) {
        if !range.is_empty() {
            let logical_start = self.text.len();
            // a run that continues the previous one in the original text extends it
            let continues = self
                .pieces
                .last()
                .is_some_and(|&(l, o)| o + (logical_start - l) == range.start);
            if !continues {
                self.pieces.push((logical_start, range.start));
            }
            self.text.push_str(&original[range.clone()]);
        }
        self.end = range.end;
    }

    /// Original offset of logical offset `i` (past the end: just past the last byte).
    pub fn original_offset(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.end;
        }
        if let [(l, o)] = self.pieces[..] {
            // one run (a line without continuations): no search
            return if l <= i { o + (i - l) } else { self.end };
        }
        let at = self.pieces.partition_point(|&(l, _)| l <= i);
        match at.checked_sub(1).and_then(|k| self.pieces.get(k)) {
            Some(&(l, o)) => o + (i - l),
            None => self.end,
        }
    }

    /// Original byte range covering logical range `r` (continuations inside it included).
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let at = self.original_offset(r.start);
            return at..at;
        }
        self.original_offset(r.start)..self.original_offset(r.end - 1) + 1
    }

    /// [`Logical::original_range`] for ranges asked in increasing order:
    /// `piece` (start at 0) remembers where the last one started, so a line
    /// of many pieces is walked once rather than searched for every range.
    pub(crate) fn original_range_after(&self, r: Range<usize>, piece: &mut usize) -> Range<usize> {
        if self.pieces.len() < 8 || r.is_empty() {
            return self.original_range(r);
        }
        let offset = |i: usize, k: &mut usize| {
            if i >= self.text.len() {
                return self.end;
            }
            while *k + 1 < self.pieces.len() && self.pieces[*k + 1].0 <= i {
                *k += 1;
            }
            let (l, o) = self.pieces[*k];
            if l <= i { o + (i - l) } else { self.end }
        };
        let start = offset(r.start, piece);
        let mut k = *piece;
        start..offset(r.end - 1, &mut k) + 1
    }

    /// True when logical range `r` is one unbroken run of original bytes.
    pub fn is_contiguous(&self, r: Range<usize>) -> bool {
        let o = self.original_range(r.clone());
        o.len() == r.len()
    }

    /// Releases the spare capacity left by joining pieces.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.pieces.shrink_to_fit();
    }

    /// How many runs of original bytes the line was joined from.
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
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

/// Which characters separate words, as BuildKit's parser decides per instruction.
///
/// Go's `unicode.IsSpace` (the Unicode White_Space property, like Rust's
/// [`char::is_whitespace`]) splits the name=value words of ENV, LABEL and ARG;
/// everything else is split by the regular expression `[\t\v\f\r ]+`, so a
/// no-break space (U+00A0) or any other Unicode space is part of a word there.
/// In both cases the instruction's arguments are first trimmed of Unicode
/// spaces at both ends (Go's `strings.TrimSpace`).
///
/// ```
/// use slimfile::syntax::words::Separator;
/// assert!(Separator::Ascii.is_separator('\t'));
/// assert!(!Separator::Ascii.is_separator('\u{a0}'));
/// assert!(Separator::Unicode.is_separator('\u{a0}'));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// Space, tab, CR, vertical tab, form feed (and LF, which a logical line never holds).
    Ascii,
    /// Every Unicode White_Space character.
    Unicode,
}

impl Separator {
    /// True when `c` separates words.
    pub fn is_separator(self, c: char) -> bool {
        match self {
            Separator::Ascii => matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{b}' | '\u{c}'),
            Separator::Unicode => c.is_whitespace(),
        }
    }
}

/// Splits `text[from..]` into words the way BuildKit's whitespace-delimited
/// parser does: quotes group, the escape character escapes, quotes and escapes
/// are removed from the value. Words are separated by any Unicode space (see
/// [`split_words_by`] for BuildKit's per-instruction rule).
pub fn split_words(logical: &Logical, from: usize, escape: char) -> Vec<Word> {
    split_words_by(logical, from, escape, Separator::Unicode)
}

/// [`split_words`] with the given word separator; Unicode spaces at the end
/// of the line are trimmed, as BuildKit trims an instruction's arguments.
pub fn split_words_by(
    logical: &Logical,
    from: usize,
    escape: char,
    separator: Separator,
) -> Vec<Word> {
    let text = &logical.text;
    let to = text.trim_end().len().max(from);
    if escape.is_ascii() && text[from..to].is_ascii() {
        return split_ascii(logical, from..to, escape as u8);
    }
    split_chars(logical, from..to, escape, separator)
}

/// [`split_words_by`] character by character (any text).
fn split_chars(
    logical: &Logical,
    range: Range<usize>,
    escape: char,
    separator: Separator,
) -> Vec<Word> {
    let text = &logical.text;
    let (from, to) = (range.start, range.end);
    // as many words as starts of a run of non-separators: an upper bound
    // (quotes join some), so the list is allocated once
    let mut starts = 0;
    let mut in_word = false;
    for c in text[from..to].chars() {
        let word_char = !separator.is_separator(c);
        starts += usize::from(word_char && !in_word);
        in_word = word_char;
    }
    let mut words = Vec::with_capacity(starts);
    let mut pos = from;
    loop {
        while let Some(c) = text[pos..to].chars().next() {
            if !(c.is_whitespace() && (words.is_empty() || separator.is_separator(c))) {
                break;
            }
            pos += c.len_utf8();
        }
        if pos >= to {
            break;
        }
        let start = pos;
        // most words have no quote or escape: their value is their text
        let plain = text[start..to]
            .char_indices()
            .find(|&(_, c)| separator.is_separator(c) || c == '\'' || c == '"' || c == escape)
            .map_or(to, |(i, _)| start + i);
        let mut value = text[start..plain].to_string();
        let mut end = plain;
        let mut chars = text[plain..to]
            .char_indices()
            .map(|(i, c)| (i + plain, c))
            .peekable();
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && separator.is_separator(c) {
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
        pos = chars.peek().map_or(to, |&(i, _)| i);
        words.push(Word {
            value,
            logical: start..end,
            span: logical.original_range(start..end),
        });
    }
    words
}

/// [`split_words_by`] of an ASCII range with an ASCII escape character, byte
/// by byte: the same words (both separators are `[\t\n\v\f\r ]` on ASCII
/// text, and every byte is a character), without decoding characters.
fn split_ascii(logical: &Logical, range: Range<usize>, escape: u8) -> Vec<Word> {
    let text = logical.text.as_bytes();
    let (mut pos, to) = (range.start, range.end);
    let separator = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
    // as many words as starts of a run of non-separators: an upper bound
    // (quotes join some), so the list is allocated once
    let mut starts = 0;
    let mut in_word = false;
    for &b in &text[pos..to] {
        let word_char = !separator(b);
        starts += usize::from(word_char && !in_word);
        in_word = word_char;
    }
    let mut words = Vec::with_capacity(starts);
    // words come in order: the piece the last one started in is where to look next
    let mut piece = 0;
    loop {
        while pos < to && separator(text[pos]) {
            pos += 1;
        }
        if pos >= to {
            break;
        }
        let start = pos;
        // most words have no quote or escape: their value is their text
        let mut i = start;
        while i < to
            && !(separator(text[i]) || matches!(text[i], b'\'' | b'"') || text[i] == escape)
        {
            i += 1;
        }
        let mut value = logical.text[start..i].to_string();
        let mut end = i;
        let mut quote: Option<u8> = None;
        while i < to {
            let c = text[i];
            if quote.is_none() && separator(c) {
                break;
            }
            i += 1;
            end = i;
            match (quote, c) {
                (None, b'\'' | b'"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (q, c) if c == escape && q != Some(b'\'') => {
                    if i < to {
                        value.push(char::from(text[i]));
                        i += 1;
                        end = i;
                    } else {
                        value.push(char::from(c));
                    }
                }
                (_, c) => value.push(char::from(c)),
            }
        }
        pos = i;
        let span = logical.original_range_after(start..end, &mut piece);
        words.push(Word {
            value,
            logical: start..end,
            span,
        });
    }
    words
}

/// `text[from..]` split the way BuildKit splits FROM, COPY, ADD, EXPOSE and
/// VOLUME arguments before any quote is read: trimmed of Unicode spaces, then
/// cut at every run of `[\t\v\f\r ]`. Quotes and escapes do not group here, so
/// `"a b"` is two fields. Returns logical ranges.
pub fn buildkit_fields(text: &str, from: usize) -> Vec<Range<usize>> {
    let region = &text[from.min(text.len())..];
    let lead = region.len() - region.trim_start().len();
    let body = region.trim();
    let base = from + lead;
    let mut fields = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in body.char_indices() {
        if Separator::Ascii.is_separator(c) {
            if let Some(s) = start.take() {
                fields.push(base + s..base + i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        fields.push(base + s..base + body.len());
    }
    fields
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
    /// The flag as BuildKit reads it (`--from=build`): quotes and escapes
    /// removed, the name's case kept (BuildKit's flag names are case-sensitive).
    pub word: String,
}

/// Reads the flags at the start of `words`; returns them and the number of
/// words they used. A lone `--` ends the flags and is used up, as BuildKit's
/// `extractBuilderFlags` does (`RUN -- echo` runs `echo`).
pub fn take_flags(logical: &Logical, words: &[Word]) -> (Vec<Flag>, usize) {
    let mut flags = Vec::new();
    let mut used = 0;
    for w in words {
        let raw = &logical.text[w.logical.clone()];
        if raw == "--" {
            used += 1;
            break;
        }
        if !raw.starts_with("--") {
            break;
        }
        used += 1;
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
            word: w.value.clone(),
        });
    }
    // most instructions have one flag or none: no room kept for four
    flags.shrink_to_fit();
    (flags, used)
}

/// Parses `text` as a JSON array of strings (exec form), as BuildKit does.
pub fn parse_json_array(text: &str) -> Option<Vec<String>> {
    match json_array(text) {
        JsonArray::Strings(elements) => Some(elements),
        JsonArray::NotStrings | JsonArray::NotJson => None,
    }
}

/// How BuildKit reads an argument text that may be a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonArray {
    /// A JSON array of strings: exec form.
    Strings(Vec<String>),
    /// A well-formed JSON array with an element that is not a string
    /// (`["a", 1]`, `["a", ["b"]]`, `["a", null]`): BuildKit refuses the file.
    NotStrings,
    /// Not a JSON array at all: BuildKit reads it as shell (or word) form.
    NotJson,
}

/// Reads `text` (the arguments after the flags) as BuildKit's `parseJSON` does:
/// trimmed of Unicode spaces, it must start with `[` and be exactly one JSON
/// value (trailing text makes it shell form).
///
/// ```
/// use slimfile::syntax::words::{json_array, JsonArray};
/// assert_eq!(json_array(r#"["a", "b"]"#), JsonArray::Strings(vec!["a".into(), "b".into()]));
/// assert_eq!(json_array(r#"["a", 1]"#), JsonArray::NotStrings);
/// assert_eq!(json_array(r#"["a"] && b"#), JsonArray::NotJson);
/// ```
pub fn json_array(text: &str) -> JsonArray {
    let t = text.trim();
    if !t.starts_with('[') {
        return JsonArray::NotJson;
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(t) {
        Err(_) => JsonArray::NotJson,
        Ok(values) => {
            let mut strings = Vec::with_capacity(values.len());
            for v in values {
                match v {
                    serde_json::Value::String(s) => strings.push(s),
                    _ => return JsonArray::NotStrings,
                }
            }
            JsonArray::Strings(strings)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical(s: &str) -> Logical {
        let mut l = Logical::default();
        l.push(s, 0..s.len());
        l
    }

    /// Every string of up to five bytes over quotes, escapes, separators
    /// and a letter: the byte reading gives the character reading's words.
    #[test]
    fn ascii_words_match_the_character_reading() {
        let alphabet = [b'a', b' ', b'"', b'\'', b'\\', b'`', b'\t', 0x0b, b'='];
        let mut n = 0;
        for len in 0..=5u32 {
            for mut code in 0..alphabet.len().pow(len) {
                let mut bytes = b"X ".to_vec();
                for _ in 0..len {
                    bytes.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                let text = String::from_utf8(bytes).unwrap();
                let l = logical(&text);
                let to = text.trim_end().len().max(2);
                for escape in ['\\', '`'] {
                    for separator in [Separator::Ascii, Separator::Unicode] {
                        assert_eq!(
                            split_ascii(&l, 2..to, escape as u8),
                            split_chars(&l, 2..to, escape, separator),
                            "{text:?} escape {escape:?}"
                        );
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 200_000);
    }

    /// A line of many pieces (a long continuation): ranges asked in order
    /// map as the search maps them.
    #[test]
    fn ranges_in_order_map_as_searched() {
        let original = (0..40).map(|i| format!("w{i} \\\n")).collect::<String>();
        let mut l = Logical::default();
        let mut at = 0;
        for line in original.split_inclusive('\n') {
            l.push(&original, at..at + line.len() - 2);
            at += line.len();
        }
        assert!(l.piece_count() >= 8);
        let words = split_words(&l, 0, '\\');
        assert_eq!(words.len(), 40);
        let mut piece = 0;
        for w in &words {
            assert_eq!(
                l.original_range_after(w.logical.clone(), &mut piece),
                l.original_range(w.logical.clone())
            );
            assert_eq!(w.span, l.original_range(w.logical.clone()));
        }
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

//! Byte offsets ↔ LSP positions, and text edits on a document.
//!
//! The protocol counts lines split at `\n`, `\r\n` or `\r`, and characters
//! in UTF-16 code units (the default position encoding, the one every client
//! supports). slimfile counts bytes of UTF-8. Everything that crosses the
//! boundary goes through [`LineIndex`].

use std::ops::Range;

use lsp_types::{Position, TextDocumentContentChangeEvent};

/// The line starts of one text, for offset ↔ position conversions.
///
/// ```
/// use slimfile::lsp::text::LineIndex;
/// let text = "FROM é\r\nRUN 🦀 x\n";
/// let index = LineIndex::new(text);
/// let at = text.find('x').unwrap();
/// let position = index.position(at);
/// // `RUN `, then the crab: two UTF-16 code units, then a space
/// assert_eq!((position.line, position.character), (1, 7));
/// assert_eq!(index.offset(position), at);
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line's content starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`; `\n`, `\r\n` and a lone `\r` end a line, as the protocol says.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts }
    }

    /// The end of line `line`'s content (its line ending excluded).
    fn content_end(&self, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return self.text.len();
        };
        let before = &self.text.as_bytes()[..next];
        if before.ends_with(b"\r\n") {
            next - 2
        } else {
            next - 1
        }
    }

    /// The LSP position of byte `offset` (clamped to the text, and to the
    /// start of the character it falls in).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        // inside a `\r\n`: the end of the line's content
        let end = offset.min(self.content_end(line).max(start));
        let character: usize = self.text[start..end].chars().map(char::len_utf16).sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of `position`: a line past the end is the end of the
    /// text, a character past the line's end is the end of its content, and a
    /// position inside a surrogate pair is the start of its character.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.content_end(line).max(start);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: Range<usize>) -> lsp_types::Range {
        lsp_types::Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }
}

/// Applies one `didChange` content change to `text`: the whole text when it
/// has no range, else the replacement of its range.
///
/// ```
/// use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
/// let mut text = String::from("FROM a\r\nRUN é b\r\n");
/// let change = TextDocumentContentChangeEvent {
///     range: Some(Range::new(Position::new(1, 6), Position::new(1, 7))),
///     range_length: None,
///     text: "c".into(),
/// };
/// slimfile::lsp::text::apply_change(&mut text, &change);
/// assert_eq!(text, "FROM a\r\nRUN é c\r\n");
/// ```
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => text.clone_from(&change.text),
        Some(range) => {
            let index = LineIndex::new(text);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    /// Every char boundary round-trips: offset → position → offset.
    fn round_trips(text: &str) {
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let p = index.position(offset);
            // a `\r\n` has two offsets for one position: the `\n` maps to the `\r`
            let expected = if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                offset - 1
            } else {
                offset
            };
            assert_eq!(index.offset(p), expected, "{text:?} at {offset}: {p:?}");
        }
    }

    #[test]
    fn ascii_lines_with_lf() {
        let text = "FROM a\nRUN b\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), at(0, 0));
        assert_eq!(index.position(5), at(0, 5));
        assert_eq!(index.position(7), at(1, 0));
        assert_eq!(index.position(text.len()), at(2, 0));
        round_trips(text);
    }

    #[test]
    fn crlf_counts_as_one_line_ending() {
        let text = "FROM a\r\nRUN b\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(6), at(0, 6), "the \\r ends line 0");
        assert_eq!(
            index.position(7),
            at(0, 6),
            "inside \\r\\n: end of the content"
        );
        assert_eq!(index.position(8), at(1, 0));
        assert_eq!(index.offset(at(1, 0)), 8);
        assert_eq!(
            index.offset(at(0, 99)),
            6,
            "past the end: before the \\r\\n"
        );
        round_trips(text);
    }

    #[test]
    fn a_lone_cr_ends_a_line_too() {
        let text = "FROM a\rRUN b";
        let index = LineIndex::new(text);
        assert_eq!(index.position(7), at(1, 0));
        assert_eq!(index.offset(at(1, 3)), 10);
        round_trips(text);
    }

    #[test]
    fn non_ascii_counts_utf16_code_units() {
        // é: 2 bytes, 1 unit; 中: 3 bytes, 1 unit; 🦀: 4 bytes, 2 units
        let text = "LABEL a=é中🦀 b\n";
        let index = LineIndex::new(text);
        let b = text.find(" b").unwrap();
        assert_eq!(index.position(b), at(0, 8 + 1 + 1 + 2));
        assert_eq!(index.offset(at(0, 12)), b);
        // inside the crab's surrogate pair: the start of the crab
        let crab = text.find('🦀').unwrap();
        assert_eq!(index.offset(at(0, 11)), crab);
        // an offset inside a character: that character's start
        assert_eq!(index.position(crab + 2), index.position(crab));
        round_trips(text);
    }

    #[test]
    fn a_bom_is_one_code_unit_on_line_zero() {
        let text = "\u{feff}FROM a\r\nRUN b\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(3), at(0, 1), "the BOM is 3 bytes, 1 unit");
        assert_eq!(index.offset(at(0, 1)), 3);
        assert_eq!(index.position(text.find("RUN").unwrap()), at(1, 0));
        round_trips(text);
    }

    #[test]
    fn past_the_end() {
        let text = "FROM a";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(at(7, 0)), text.len());
        assert_eq!(index.position(999), at(0, 6));
        assert_eq!(LineIndex::new("").position(0), at(0, 0));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut text = String::from("FROM a\r\nRUN 🦀 b\r\n");
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(at(l1, c1), at(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        // replace `b` (after the two-unit crab), then join the lines
        apply_change(&mut text, &change(1, 7, 1, 8, "c"));
        assert_eq!(text, "FROM a\r\nRUN 🦀 c\r\n");
        apply_change(&mut text, &change(0, 6, 1, 0, " "));
        assert_eq!(text, "FROM a RUN 🦀 c\r\n");
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "FROM b\n".into(),
            },
        );
        assert_eq!(text, "FROM b\n");
    }
}

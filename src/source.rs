//! Decoding a Dockerfile's bytes into text we can edit losslessly.
//!
//! The UTF-8 byte order mark is kept aside (and written back on output), the
//! dominant line ending is recorded so inserted lines match the file, and
//! inputs we must not touch (binary, non-UTF-8, oversized) are refused with a
//! position.

use std::fmt;

/// The largest file slimfile reads by default (bytes). Real Dockerfiles are a
/// few kilobytes; anything this large is almost certainly not one.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Line ending used for lines slimfile inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// The dominant line ending of `text` (LF when there is no line break or a tie).
    pub fn detect(text: &str) -> LineEnding {
        let lf = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let crlf = memchr::memmem::find_iter(text.as_bytes(), b"\r\n").count();
        if crlf * 2 > lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }
}

/// A decoded Dockerfile: UTF-8 text without its byte order mark.
///
/// All byte offsets used elsewhere in slimfile are offsets into [`Source::text`].
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    pub bom: bool,
    pub line_ending: LineEnding,
}

/// Why a file's bytes cannot be read as a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("file is {size} bytes, larger than the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("binary file (contains a NUL byte), not a Dockerfile")]
    Binary { pos: Position },
    #[error("not valid UTF-8 (byte 0x{byte:02x}); slimfile reads UTF-8 Dockerfiles only")]
    NotUtf8 { pos: Position, byte: u8 },
}

impl DecodeError {
    pub fn position(&self) -> Option<Position> {
        match self {
            DecodeError::TooLarge { .. } => None,
            DecodeError::Binary { pos } | DecodeError::NotUtf8 { pos, .. } => Some(*pos),
        }
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

impl Position {
    /// Position of byte `offset` in `bytes` (which need not be valid UTF-8).
    pub fn of_byte(bytes: &[u8], offset: usize) -> Position {
        let offset = offset.min(bytes.len());
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Position { line, column }
    }
}

/// The line starts of a text, for many offset → [`Position`] lookups
/// (each one a binary search, not a scan from the top).
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(bytes: &'a [u8]) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { bytes, starts }
    }

    /// Same as [`Position::of_byte`].
    ///
    /// ```
    /// use slimfile::source::{LineIndex, Position};
    /// let text = "FROM a\nRUN é x\n".as_bytes();
    /// let index = LineIndex::new(text);
    /// for offset in 0..=text.len() {
    ///     assert_eq!(index.position(offset), Position::of_byte(text, offset));
    /// }
    /// ```
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&self.bytes[start..offset])
            .chars()
            .count()
            + 1;
        Position { line, column }
    }
}

impl Source {
    /// Decodes `bytes`, refusing binary, non-UTF-8 and oversized input.
    ///
    /// ```
    /// let src = slimfile::source::Source::decode(b"\xEF\xBB\xBFFROM scratch\r\n", usize::MAX).unwrap();
    /// assert!(src.bom);
    /// assert_eq!(src.text, "FROM scratch\r\n");
    /// assert_eq!(src.encode(&src.text), b"\xEF\xBB\xBFFROM scratch\r\n");
    /// ```
    pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<Source, DecodeError> {
        if bytes.len() > max_bytes {
            return Err(DecodeError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        if let Some(nul) = memchr::memchr(0, bytes) {
            return Err(DecodeError::Binary {
                pos: Position::of_byte(bytes, nul),
            });
        }
        let (bom, body) = match bytes.strip_prefix(UTF8_BOM) {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let text = match std::str::from_utf8(body) {
            Ok(t) => t.to_owned(),
            Err(e) => {
                let at = e.valid_up_to();
                return Err(DecodeError::NotUtf8 {
                    pos: Position::of_byte(body, at),
                    byte: body[at],
                });
            }
        };
        let line_ending = LineEnding::detect(&text);
        Ok(Source {
            text,
            bom,
            line_ending,
        })
    }

    /// Bytes to write for `text` (a rewrite of this source): the BOM goes back in front.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(UTF8_BOM);
        }
        out.extend_from_slice(text.as_bytes());
        out
    }

    /// 1-based position of byte `offset` in the text.
    pub fn position(&self, offset: usize) -> Position {
        Position::of_byte(self.text.as_bytes(), offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_with_position() {
        let err = Source::decode(b"FROM a\nRUN \0x", usize::MAX).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Binary {
                pos: Position { line: 2, column: 5 }
            }
        );
    }

    #[test]
    fn refuses_latin1_with_position() {
        let err = Source::decode(b"FROM a\nLABEL x=caf\xe9\n", usize::MAX).unwrap_err();
        assert_eq!(
            err.position(),
            Some(Position {
                line: 2,
                column: 12
            })
        );
    }

    #[test]
    fn refuses_too_large() {
        assert!(matches!(
            Source::decode(b"FROM a\n", 3),
            Err(DecodeError::TooLarge { .. })
        ));
    }

    #[test]
    fn detects_crlf() {
        assert_eq!(LineEnding::detect("a\r\nb\r\nc\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\nb\r\nc\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("a"), LineEnding::Lf);
    }
}

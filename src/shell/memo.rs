//! The shell model's memo: a RUN is read by many questions (what it
//! installs, compiles, writes; by several passes and the contract), each
//! reading the same text with the same environment. The memo keeps each
//! reading for the file being rewritten, so the text is parsed once, and
//! hands out shared readings ([`Rc`]), so a question costs a lookup.
//!
//! A reading is a pure function of its key (the text, where it sits, the
//! environment), so the memo never changes an answer: a lookup hashes the
//! borrowed key and compares it whole with what is kept, so nothing is
//! allocated to ask and a hash collision is a miss, never a wrong reading.
//! It lives per thread and is emptied at the start of each file
//! ([`start_file`]). Once it holds [`LIMIT`] readings, or readings of
//! [`BYTES`] of text, it keeps no more for that file (a file with more RUNs
//! than that reads the rest as they come), so memory stays bounded and a
//! large file costs no more per RUN than a small one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::rc::Rc;

use super::parse::Lexed;
use super::{Script, ShellEnv};

/// Readings kept at most per file; past it nothing more is kept.
pub const LIMIT: usize = 4096;

/// Texts longer than this are read again rather than kept: a RUN continued
/// over thousands of lines is read once or twice, and keeping it would hold
/// a second copy of a large file. A whole stage's RUNs joined (which several
/// questions read) stays under it in real files (the largest of 7,366 is
/// 78 KB in all).
pub const MAX_TEXT: usize = 64 * 1024;

/// Text kept at most per file, over all readings (what they hold grows with it).
pub const BYTES: usize = 512 * 1024;

/// What a reading depends on, borrowed: the text read (a script, or an
/// instruction's whole text), where it sits in the file (the instruction's
/// offset, or `usize::MAX` for a standalone script), the escape character
/// and the environment.
pub(super) struct Key<'a> {
    pub text: &'a str,
    pub at: usize,
    pub escape: char,
    pub env: &'a ShellEnv,
}

/// A kept reading with the key it was read for.
struct Kept {
    text: Box<str>,
    at: usize,
    escape: char,
    env: ShellEnv,
    script: Rc<Script>,
}

impl Kept {
    fn is(&self, key: &Key) -> bool {
        self.at == key.at
            && self.escape == key.escape
            && *self.text == *key.text
            && self.env.workdir == key.env.workdir
            && self.env.vars == key.env.vars
    }
}

type Hashes = foldhash::fast::RandomState;

/// Readings by the text they were read from.
type TextMap<T> = HashMap<Box<str>, Rc<T>, Hashes>;

#[derive(Default)]
struct Memo {
    /// True once [`LIMIT`] readings or [`BYTES`] of text are kept: nothing
    /// more is, until the next file.
    full: bool,
    kept: usize,
    bytes: usize,
    /// Readings by the hash of their key (equal hashes share a list).
    scripts: HashMap<u64, Vec<Kept>, Hashes>,
    lines: TextMap<Vec<Vec<String>>>,
    tokens: TextMap<Lexed>,
    /// The last few whole scripts' command words, whatever their length
    /// (see [`script_words`]), most recent last.
    recent: Vec<(Box<str>, ScriptWords)>,
}

/// A script's command words, one list per line.
pub(crate) type ScriptWords = Rc<Vec<Rc<Vec<Vec<String>>>>>;

/// Whole scripts [`script_words`] keeps: a stage's RUNs joined is asked
/// about by several questions in a row (compile steps, pip, make install …).
const RECENT: usize = 2;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Empties the memo for a new file (the engine does at the start of each file).
pub fn start_file() {
    MEMO.with(|m| *m.borrow_mut() = Memo::default());
}

/// True while the memo keeps new readings for the file at hand (a full memo
/// still answers what it holds, but a key is not worth building for it).
pub(super) fn on() -> bool {
    MEMO.with(|m| !m.borrow().full)
}

/// The script read for `key`, computed by `read` the first time.
pub(super) fn script(key: &Key, read: impl FnOnce() -> Script) -> Rc<Script> {
    let hash = MEMO.with(|m| {
        let m = m.borrow();
        let hash = m.scripts.hasher().hash_one(key);
        let kept = m
            .scripts
            .get(&hash)
            .and_then(|l| l.iter().find(|k| k.is(key)));
        kept.map(|k| Rc::clone(&k.script)).ok_or(hash)
    });
    let hash = match hash {
        Ok(hit) => return hit,
        Err(hash) => hash,
    };
    let script = Rc::new(read());
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.keeps(key.text.len()) {
            m.scripts.entry(hash).or_default().push(Kept {
                text: key.text.into(),
                at: key.at,
                escape: key.escape,
                env: key.env.clone(),
                script: Rc::clone(&script),
            });
        }
    });
    script
}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.text.hash(h);
        self.at.hash(h);
        self.escape.hash(h);
        self.env.workdir.hash(h);
        self.env.vars.hash(h);
    }
}

/// The command words of one line, computed by `read` the first time.
pub(crate) fn line_words(
    line: &str,
    read: impl FnOnce() -> Vec<Vec<String>>,
) -> Rc<Vec<Vec<String>>> {
    by_text(line, |m| &mut m.lines, read)
}

/// What `read` gives for `text`, from the memo's map that `map` picks:
/// computed (outside any borrow of the memo, since reading may ask it
/// again) and kept the first time.
fn by_text<T>(
    text: &str,
    map: fn(&mut Memo) -> &mut TextMap<T>,
    read: impl FnOnce() -> T,
) -> Rc<T> {
    if let Some(kept) = MEMO.with(|m| map(&mut m.borrow_mut()).get(text).cloned()) {
        return kept;
    }
    let value = Rc::new(read());
    if text.len() <= MAX_TEXT {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.keeps(text.len()) {
                map(&mut m).insert(text.into(), Rc::clone(&value));
            }
        });
    }
    value
}

/// The command words of a whole script, computed by `read` unless one of
/// the last [`RECENT`] scripts asked about had the same text. Only once the
/// memo is full (a large file): a large file's stage would otherwise be read
/// again line by line for every question. Kept whatever their length (a
/// copy of the text each, and lists the line memo shares).
pub(crate) fn script_words(text: &str, read: impl FnOnce() -> ScriptWords) -> ScriptWords {
    if on() {
        // the line memo still keeps lines: reading a script is a lookup per line
        return read();
    }
    let hit = MEMO.with(|m| {
        let m = m.borrow();
        let kept = m.recent.iter().rev().find(|(t, _)| **t == *text)?;
        Some(Rc::clone(&kept.1))
    });
    if let Some(words) = hit {
        return words;
    }
    let words = read();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.recent.len() == RECENT {
            m.recent.remove(0);
        }
        m.recent.push((text.into(), Rc::clone(&words)));
    });
    words
}

/// The tokens of `text`, lexed by `lex` the first time.
pub(super) fn tokens(text: &str, lex: impl FnOnce() -> Lexed) -> Rc<Lexed> {
    by_text(text, |m| &mut m.tokens, lex)
}

impl Memo {
    /// Whether one more reading, of `len` bytes of text, may be kept (and
    /// counts it); marks the memo full when not.
    fn keeps(&mut self, len: usize) -> bool {
        self.full |= self.kept >= LIMIT || self.bytes + len > BYTES;
        if !self.full {
            self.kept += 1;
            self.bytes += len;
        }
        !self.full
    }
}

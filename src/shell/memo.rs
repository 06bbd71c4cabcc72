//! The shell model's memo: a RUN is read by many questions (what it
//! installs, compiles, writes; by several passes and the contract), each
//! reading the same text with the same environment. The memo keeps each
//! reading for the file being rewritten, so the text is parsed once.
//!
//! A reading is a pure function of its key (the text, where it sits, the
//! environment), so the memo never changes an answer. It lives per thread and
//! is emptied at the start of each file ([`start_file`]). Once it holds
//! [`LIMIT`] readings it keeps no more for that file (a file with more RUNs
//! than that reads the rest as they come), so memory stays bounded and a
//! large file costs no more per RUN than a small one.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::Script;

/// Readings kept at most per file; past it nothing more is kept.
pub const LIMIT: usize = 4096;

/// Texts longer than this are read again rather than kept: hashing and
/// cloning a long script (a whole stage's RUNs joined, a RUN continued over
/// thousands of lines) costs about what reading it does, and keeping it
/// would hold a second copy of a large file.
pub const MAX_TEXT: usize = 4096;

/// What a reading depends on besides its text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    /// The text read (a script, or an instruction's whole text).
    pub text: String,
    /// Where the text sits in the file (the instruction's offset), or
    /// `usize::MAX` for a standalone script.
    pub at: usize,
    pub escape: char,
    pub workdir: Option<String>,
    pub vars: BTreeMap<String, String>,
}

#[derive(Default)]
struct Memo {
    /// True once [`LIMIT`] readings are kept: nothing more is, until the next file.
    full: bool,
    scripts: HashMap<Key, Rc<Script>>,
    lines: HashMap<String, Rc<Vec<Vec<String>>>>,
}

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
pub(super) fn script(key: Key, read: impl FnOnce() -> Script) -> Rc<Script> {
    if let Some(s) = MEMO.with(|m| m.borrow().scripts.get(&key).cloned()) {
        return s;
    }
    let s = Rc::new(read());
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.keeps() {
            m.scripts.insert(key, Rc::clone(&s));
        }
    });
    s
}

/// The command words of one line, computed by `read` the first time.
pub(crate) fn line_words(
    line: &str,
    read: impl FnOnce() -> Vec<Vec<String>>,
) -> Rc<Vec<Vec<String>>> {
    if let Some(w) = MEMO.with(|m| m.borrow().lines.get(line).cloned()) {
        return w;
    }
    let w = Rc::new(read());
    if line.len() <= MAX_TEXT {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.keeps() {
                m.lines.insert(line.to_string(), Rc::clone(&w));
            }
        });
    }
    w
}

impl Memo {
    /// Whether one more reading may be kept; marks the memo full when not.
    fn keeps(&mut self) -> bool {
        self.full |= self.scripts.len() + self.lines.len() >= LIMIT;
        !self.full
    }
}

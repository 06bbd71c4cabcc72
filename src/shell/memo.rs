//! The shell model's memo: a RUN is read by many questions (what it
//! installs, compiles, writes; by several passes and the contract), each
//! reading the same text with the same environment. The memo keeps each
//! reading for the file being rewritten, so the text is parsed once.
//!
//! A reading is a pure function of its key (the text, where it sits, the
//! environment), so the memo never changes an answer. It lives per thread,
//! is emptied at the start of each file ([`clear`]) and by itself when it
//! grows past [`LIMIT`] entries, so memory stays bounded.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::Script;

/// Entries kept at most; past it the memo starts over.
pub const LIMIT: usize = 20_000;

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
    scripts: HashMap<Key, Rc<Script>>,
    lines: HashMap<String, Rc<Vec<Vec<String>>>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Empties the memo (the engine does at the start of each file).
pub fn clear() {
    MEMO.with(|m| *m.borrow_mut() = Memo::default());
}

/// The script read for `key`, computed by `read` the first time.
pub(super) fn script(key: Key, read: impl FnOnce() -> Script) -> Rc<Script> {
    if let Some(s) = MEMO.with(|m| m.borrow().scripts.get(&key).cloned()) {
        return s;
    }
    let s = Rc::new(read());
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.scripts.len() >= LIMIT {
            m.scripts.clear();
        }
        m.scripts.insert(key, Rc::clone(&s));
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
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.lines.len() >= LIMIT {
            m.lines.clear();
        }
        m.lines.insert(line.to_string(), Rc::clone(&w));
    });
    w
}

//! Unit tests of the shell model, by topic; the helpers every topic uses are here.

mod forms;
mod installs;
mod reading;
mod robustness;
mod words;

use super::*;
use crate::syntax;

/// The script of the first RUN in `text`, with every span checked.
fn run(text: &str, env: &ShellEnv) -> std::rc::Rc<Script> {
    nth_run(text, 0, env)
}

fn nth_run(text: &str, n: usize, env: &ShellEnv) -> std::rc::Rc<Script> {
    let doc = syntax::parse(text).unwrap();
    let ins = doc
        .instructions
        .iter()
        .filter(|i| i.keyword == syntax::Keyword::Run)
        .nth(n)
        .unwrap();
    let s = Script::of(text, ins, doc.escape, env);
    check_spans(text, &s);
    s
}

fn check_spans(text: &str, s: &Script) {
    for c in &s.commands {
        assert!(c.span.start <= c.span.end && c.span.end <= text.len());
        let words = c
            .words
            .iter()
            .chain(c.assignments.iter().map(|a| &a.value))
            .chain(c.redirects.iter().filter_map(|r| r.target.as_ref()));
        for w in words {
            if let Some(span) = &w.span {
                assert_eq!(&text[span.clone()], w.raw, "span of {w:?}");
                assert!(
                    c.span.start <= span.start && span.end <= c.span.end,
                    "{w:?} in {c:?}"
                );
            }
        }
    }
    if let Some(at) = s.append_point() {
        assert!(text.is_char_boundary(at));
    }
}

fn values(c: &Command) -> Vec<&str> {
    c.words
        .iter()
        .map(|w| w.value.as_deref().unwrap_or("?"))
        .collect()
}

fn programs(s: &Script) -> Vec<&str> {
    s.commands
        .iter()
        .map(|c| c.program().unwrap_or("-"))
        .collect()
}

//! Questions about one command: the program it runs, its options, its folder.

use std::ops::Range;

use super::{Command, ShellWord, lex};

/// The wrappers [`Command::program`] looks through, and how many words each of
/// their options takes.
fn wrapper_option_takes_value(wrapper: &str, option: &str) -> bool {
    match wrapper {
        "sudo" => matches!(
            option,
            "-u" | "-g" | "-C" | "-D" | "-p" | "-r" | "-t" | "-U" | "-h"
        ),
        "env" => matches!(option, "-u" | "-C" | "-S"),
        "exec" => option == "-a",
        "nice" => option == "-n",
        _ => false,
    }
}

/// Index in `words` of the program actually run, looking through `sudo`,
/// `env X=y`, `exec`, `nohup`, `time`, `nice`, `command`: read once when
/// the command is read, kept as [`Command::program_index`].
pub(super) fn program_index_of(words: &[ShellWord]) -> Option<usize> {
    let mut i = 0;
    loop {
        let w = words.get(i)?;
        let name = basename(w.value.as_deref()?);
        if !matches!(
            name,
            "sudo" | "env" | "exec" | "nohup" | "time" | "nice" | "command"
        ) {
            return Some(i);
        }
        if name == "command"
            && matches!(
                words.get(i + 1).and_then(|w| w.value.as_deref()),
                Some("-v" | "-V")
            )
        {
            return Some(i);
        }
        let wrapper = i;
        i += 1;
        while let Some(v) = words.get(i).and_then(|w| w.value.as_deref()) {
            if v == "--" {
                i += 1;
                break;
            }
            let is_env_pair =
                name == "env" && v.split_once('=').is_some_and(|(k, _)| lex::is_name(k));
            let is_option = v.starts_with('-') && v.len() > 1;
            if !is_option && !is_env_pair {
                break;
            }
            if wrapper_option_takes_value(name, v) {
                i += 1;
            }
            i += 1;
        }
        if i >= words.len() {
            // `env` or `time` alone: the wrapper is the program
            return Some(wrapper);
        }
    }
}

impl Command {
    /// Index in [`Command::words`] of the program actually run, looking
    /// through `sudo`, `env X=y`, `exec`, `nohup`, `time`, `nice`, `command`.
    pub fn program_index(&self) -> Option<usize> {
        self.program
    }

    /// Basename of the program run (`/usr/bin/apt-get` → `apt-get`), looking
    /// through wrappers; `None` for an assignment-only command or an argv0
    /// that is an unresolved expansion.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let s = Script::parse("sudo -E env DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y curl", &ShellEnv::default());
    /// assert_eq!(s.commands[0].program(), Some("apt-get"));
    /// ```
    pub fn program(&self) -> Option<&str> {
        let i = self.program_index()?;
        self.words[i].value.as_deref().map(basename)
    }

    /// The program's first argument that is not an option (`build` in
    /// `go build -o x`, `ci` in `npm ci`); options before it are assumed to
    /// take no value.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let s = Script::parse("CGO_ENABLED=0 go build -o /app .", &ShellEnv::default());
    /// assert_eq!(s.commands[0].subcommand(), Some("build"));
    /// ```
    pub fn subcommand(&self) -> Option<&str> {
        self.args()
            .iter()
            .map(|w| w.value.as_deref())
            .find(|v| !v.is_some_and(|v| v.starts_with('-')))
            .flatten()
    }

    /// The words after the program.
    pub fn args(&self) -> &[ShellWord] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// The value of the first option among `names`: `-o out`, `-o=out`,
    /// `--output out`, `--output=out`. Stops at `--`. The attached form
    /// `-oout` is not read: Go's single-dash long flags (`-overlay=…`) would
    /// be mistaken for it.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let s = Script::parse("go build -ldflags='-s -w' --output=bin/app ./cmd/x", &ShellEnv::default());
    /// let v = s.commands[0].flag_value(&["-o", "--output"]).unwrap();
    /// assert_eq!(v.value.as_deref(), Some("bin/app"));
    /// assert_eq!(v.span, Some(35..42));
    /// ```
    pub fn flag_value(&self, names: &[&str]) -> Option<FlagValue<'_>> {
        let args = self.args();
        for (i, w) in args.iter().enumerate() {
            let Some(v) = w.value.as_deref() else {
                continue;
            };
            if v == "--" {
                return None;
            }
            for &name in names {
                if v == name {
                    let next = args.get(i + 1)?;
                    return Some(FlagValue {
                        value: next.value.clone(),
                        word: next,
                        span: next.span.clone(),
                    });
                }
                let inline = v.strip_prefix(name).and_then(|r| r.strip_prefix('='));
                if let Some(value) = inline {
                    // the value's own bytes, when the word is written plainly
                    let span = w
                        .span
                        .clone()
                        .filter(|_| !w.quoted && w.raw.ends_with(value))
                        .map(|s| s.end - value.len()..s.end);
                    return Some(FlagValue {
                        value: Some(value.to_string()),
                        word: w,
                        span,
                    });
                }
            }
        }
        None
    }

    /// The value a variable has for this command (its own prefixes first).
    pub fn var(&self, name: &str) -> Option<&str> {
        if let Some(a) = self.assignments.iter().rev().find(|a| a.name == name) {
            return a.value.value.as_deref();
        }
        self.env.get(name).map(String::as_str)
    }

    /// `path` made absolute against the command's folder; `None` when the
    /// path is relative and the folder unknown.
    ///
    /// ```
    /// use slimfile::shell::{Script, ShellEnv};
    /// let s = Script::parse("cd cmd/server && go build -o ../../bin/server", &ShellEnv::at("/src"));
    /// assert_eq!(s.commands[1].resolve("../../bin/server").as_deref(), Some("/src/bin/server"));
    /// let lost = Script::parse("cd $DIR && make", &ShellEnv::at("/src"));
    /// assert_eq!(lost.commands[1].resolve("out"), None);
    /// assert_eq!(lost.commands[1].resolve("/abs//x/.").as_deref(), Some("/abs/x"));
    /// ```
    pub fn resolve(&self, path: &str) -> Option<String> {
        if path.starts_with('/') {
            return Some(join("/", path));
        }
        self.cwd.as_deref().map(|d| join(d, path))
    }
}

/// The value of an option, from [`Command::flag_value`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue<'a> {
    /// `None` when the value holds an unresolved expansion.
    pub value: Option<String>,
    /// The word holding the value (the option's own word for `--output=x`).
    pub word: &'a ShellWord,
    /// The value's bytes in the original text, when known.
    pub span: Option<Range<usize>>,
}

/// The last component of a path (`/usr/bin/pip3` → `pip3`).
pub fn basename(path: &str) -> &str {
    // a byte loop: words are short, and a searcher's set-up costs more than the search
    match path.bytes().rposition(|b| b == b'/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// `path` resolved against absolute `dir`, `.`/`..`/empty components removed.
///
/// ```
/// assert_eq!(slimfile::shell::join("/src/cmd", "../../bin/./x"), "/bin/x");
/// assert_eq!(slimfile::shell::join("/src", "/etc//ssl/"), "/etc/ssl");
/// ```
pub fn join(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let whole = if path.starts_with('/') { "" } else { dir };
    for p in whole.split('/').chain(path.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    let mut out = String::with_capacity(path.len() + dir.len() + 1);
    for p in &parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

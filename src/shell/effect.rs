//! What a command does to the shell's state: `cd`, `pushd`/`popd`,
//! `export`/`unset`, assignments; and the commands that run a script the
//! model does not read (`eval`, `sh -c`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::parse::State;
use super::word::assignment_name_len;
use super::{Command, ShellWord, is_posix_shell, join};

/// What a command does to the shell's state (folder, variables), and
/// why the script is opaque when it runs one we do not read.
pub(super) fn effect(c: &Command, s: &mut State) -> Option<&'static str> {
    if c.words.is_empty() {
        let env = Arc::make_mut(&mut s.env);
        for a in &c.assignments {
            set_var(env, &a.name, a.value.value.as_deref());
        }
        return None;
    }
    let i = c.program_index()?;
    let program = c.program().unwrap_or("");
    let args = &c.words[i + 1..];
    match program {
        "export" | "readonly" | "declare" | "typeset" | "local" => {
            let env = Arc::make_mut(&mut s.env);
            for w in args {
                let raw = w.raw.as_str();
                if let Some(len) = assignment_name_len(raw) {
                    let value = w.value.as_deref().and_then(|v| v.get(len + 1..));
                    set_var(env, &raw[..len], value);
                }
            }
        }
        "unset" => {
            let env = Arc::make_mut(&mut s.env);
            for w in args {
                if let Some(v) = w.value.as_deref() {
                    env.remove(v);
                }
            }
        }
        "cd" => change_dir(s, args, c),
        "pushd" => {
            s.dir_stack.push(s.cwd.clone());
            if args
                .iter()
                .all(|a| a.value.as_deref().is_some_and(|v| v.starts_with('-')))
            {
                s.cwd = None; // swaps with the stack top, or an option we do not read
            } else {
                change_dir(s, args, c);
            }
        }
        "popd" => {
            s.oldpwd = s.cwd.clone();
            s.cwd = s.dir_stack.pop().flatten();
        }
        "eval" => return Some("eval"),
        p if is_posix_shell(p) && c.flag_value(&["-c"]).is_some() => {
            return Some("nested shell script (sh -c)");
        }
        p if is_posix_shell(p)
            && args.iter().any(|a| {
                a.value
                    .as_deref()
                    .is_some_and(|v| v.starts_with('-') && v.contains('c') && !v.starts_with("--"))
            }) =>
        {
            return Some("nested shell script (sh -c)");
        }
        _ => {}
    }
    None
}

fn set_var(env: &mut BTreeMap<String, String>, name: &str, value: Option<&str>) {
    match value {
        Some(v) => {
            env.insert(name.to_string(), v.to_string());
        }
        None => {
            env.remove(name);
        }
    }
}

/// `cd [-L|-P] [dir]`.
fn change_dir(s: &mut State, args: &[ShellWord], c: &Command) {
    let target = args
        .iter()
        .find(|a| !matches!(a.value.as_deref(), Some("-L" | "-P" | "-e" | "-@" | "--")));
    let new = match target {
        None => c.var("HOME").map(|h| join("/", h)),
        Some(w) => match w.literal() {
            Some("-") => s.oldpwd.clone(),
            Some(v) if v.starts_with('/') => Some(join("/", v)),
            Some(v) => s.cwd.as_deref().map(|d| join(d, v)),
            None => None,
        },
    };
    s.oldpwd = s.cwd.take();
    s.cwd = new;
}

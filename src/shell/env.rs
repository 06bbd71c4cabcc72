//! What a RUN starts with: the WORKDIR and the variables the Dockerfile set.

use std::collections::BTreeMap;

use super::{join, lex};
use crate::syntax::Instruction;

/// What is known before the RUN starts: the WORKDIR in effect and the
/// ENV/ARG values (and any other variable the caller knows, such as `HOME`).
///
/// ```
/// let env = slimfile::shell::ShellEnv::at("/app").with_var("GOOS", "linux");
/// assert_eq!(env.workdir.as_deref(), Some("/app"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ShellEnv {
    /// Absolute WORKDIR; `None` when unknown.
    pub workdir: Option<String>,
    /// Variables with known values.
    pub vars: BTreeMap<String, String>,
}

impl ShellEnv {
    /// An environment with WORKDIR `dir` (made absolute against `/`) and no variables.
    pub fn at(dir: &str) -> ShellEnv {
        ShellEnv {
            workdir: Some(join("/", dir)),
            vars: BTreeMap::new(),
        }
    }

    /// The same environment with one more known variable.
    pub fn with_var(mut self, name: &str, value: &str) -> ShellEnv {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }

    /// The environment a RUN at instruction `n` of `stage` starts in:
    /// `base` (what the base image provides: `ShellEnv::at("/")` for an image
    /// without WORKDIR, the earlier stage's environment for `FROM stage`)
    /// with the stage's WORKDIR, ENV and ARG instructions before `n` applied.
    /// A redeclared global `ARG NAME` takes the default from `global_args`
    /// ([`crate::model::Model::global_args`]). ARG defaults count as known
    /// values, as everywhere in slimfile: a `--build-arg` can change them.
    ///
    /// ```
    /// use slimfile::shell::ShellEnv;
    /// let text = "ARG V=1.2\nFROM golang\nARG V\nENV APP=/opt/app-$V\nWORKDIR $APP\nWORKDIR src\nRUN make\n";
    /// let doc = slimfile::syntax::parse(text).unwrap();
    /// let model = slimfile::model::Model::build(&doc);
    /// let env = ShellEnv::before(&doc, &model.global_args, &model.stages[0], 6, ShellEnv::at("/go"));
    /// assert_eq!(env.workdir.as_deref(), Some("/opt/app-1.2/src"));
    /// assert_eq!(env.vars["APP"], "/opt/app-1.2");
    /// ```
    pub fn before(
        doc: &crate::syntax::Document,
        global_args: &std::collections::HashMap<String, Option<String>>,
        stage: &crate::model::Stage,
        n: usize,
        base: ShellEnv,
    ) -> ShellEnv {
        let mut env = base;
        let end = n.min(stage.instructions.end).min(doc.instructions.len());
        for ins in &doc.instructions[stage.instructions.start.min(end)..end] {
            env.apply(ins, global_args);
        }
        env
    }

    /// Applies one WORKDIR, ENV or ARG instruction (others change nothing).
    /// Values are expanded with `$NAME`/`${NAME}` of the known variables; a
    /// value that cannot be expanded makes the variable (or WORKDIR) unknown.
    pub fn apply(
        &mut self,
        ins: &Instruction,
        global_args: &std::collections::HashMap<String, Option<String>>,
    ) {
        use crate::syntax::Keyword;
        match ins.keyword {
            Keyword::Workdir => {
                let dir = ins
                    .words()
                    .first()
                    .and_then(|w| expand(&w.value, &self.vars));
                self.workdir = match (dir, self.workdir.take()) {
                    (Some(d), _) if d.starts_with('/') => Some(join("/", &d)),
                    (Some(d), Some(cur)) => Some(join(&cur, &d)),
                    _ => None,
                };
            }
            Keyword::Env => {
                let words = ins.words();
                let legacy = words.first().is_some_and(|w| !w.value.contains('='));
                if legacy {
                    // `ENV NAME value with spaces` (runs of blanks read as one)
                    let name = words[0].value.clone();
                    let value: Vec<&str> = words[1..].iter().map(|w| w.value.as_str()).collect();
                    let value = expand(&value.join(" "), &self.vars);
                    self.set(&name, value);
                } else {
                    for w in words {
                        if let Some((k, v)) = w.value.split_once('=') {
                            let v = expand(v, &self.vars);
                            self.set(k, v);
                        }
                    }
                }
            }
            Keyword::Arg => {
                for w in ins.words() {
                    match w.value.split_once('=') {
                        Some((k, v)) => {
                            let v = expand(v, &self.vars);
                            self.set(k, v);
                        }
                        None => {
                            let default = global_args.get(&w.value).cloned().flatten();
                            if !self.vars.contains_key(&w.value) || default.is_some() {
                                self.set(&w.value, default);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn set(&mut self, name: &str, value: Option<String>) {
        match value {
            Some(v) => {
                self.vars.insert(name.to_string(), v);
            }
            None => {
                self.vars.remove(name);
            }
        }
    }
}

/// `$NAME` and `${NAME}` in a Dockerfile value expanded from `vars`; `None`
/// when a variable is unknown or another form (`${X:-y}`) is used.
fn expand(value: &str, vars: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            (&braced[..close], close + 2)
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], len)
        };
        if !lex::is_name(name) {
            return None;
        }
        out.push_str(vars.get(name)?);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Some(out)
}

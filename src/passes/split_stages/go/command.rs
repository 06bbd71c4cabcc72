//! The Go recipe's reading of the final command (CMD/ENTRYPOINT): whether
//! it needs a shell, and exec forms for shell forms that need none.

use crate::model::Stage;
use crate::passes::Context;
use crate::shell::{Script, ShellEnv};
use crate::syntax::Keyword;

/// The final command: whether it needs a shell, and exec forms for shell
/// forms that need none.
pub(super) struct Command {
    pub program: Option<String>,
    pub needs_shell: bool,
    /// (instruction index, exec-form replacement) for CMD/ENTRYPOINT.
    pub exec_forms: Vec<(usize, String)>,
}

impl Command {
    pub(super) fn read(cx: &Context, stage: &Stage) -> Command {
        let mut c = Command {
            program: None,
            needs_shell: false,
            exec_forms: Vec::new(),
        };
        for kw in [Keyword::Entrypoint, Keyword::Cmd] {
            let Some(n) = stage
                .instructions
                .clone()
                .rev()
                .find(|&n| cx.doc.instructions[n].keyword == kw)
            else {
                continue;
            };
            let ins = &cx.doc.instructions[n];
            match &ins.args {
                crate::syntax::Args::Exec(argv) => {
                    let p = argv.first().map(|a| crate::shell::basename(a).to_string());
                    if p.as_deref()
                        .is_some_and(|p| matches!(p, "sh" | "bash" | "ash" | "dash"))
                    {
                        c.needs_shell = true;
                    }
                    if kw == Keyword::Entrypoint || c.program.is_none() {
                        c.program = argv.first().cloned();
                    }
                }
                crate::syntax::Args::Words(_) if kw == Keyword::Entrypoint => {
                    // a shell-form ENTRYPOINT ignores CMD and run arguments: keep it, and a shell
                    c.needs_shell = true;
                }
                crate::syntax::Args::Words(_) => {
                    let script = Script::parse(ins.rest_text(), &ShellEnv::default());
                    let plain = script.commands.len() == 1
                        && !script.opaque_parts
                        && script.commands[0].redirects.is_empty()
                        && script.commands[0].assignments.is_empty()
                        && script.commands[0]
                            .words
                            .iter()
                            .all(|w| w.value.is_some() && !w.pattern);
                    if !plain {
                        c.needs_shell = true;
                        continue;
                    }
                    let argv: Vec<String> = script.commands[0]
                        .words
                        .iter()
                        .filter_map(|w| w.value.clone())
                        .collect();
                    if kw == Keyword::Entrypoint || c.program.is_none() {
                        c.program = argv.first().cloned();
                    }
                    let has_entrypoint = stage
                        .instructions
                        .clone()
                        .any(|i| cx.doc.instructions[i].keyword == Keyword::Entrypoint);
                    if has_entrypoint {
                        c.needs_shell = true;
                        continue;
                    }
                    let json = format!(
                        "[{}]",
                        argv.iter()
                            .map(|a| serde_json::to_string(a).unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    c.exec_forms
                        .push((n, format!("{} {json}", ins.keyword.as_str())));
                }
            }
        }
        c
    }
}

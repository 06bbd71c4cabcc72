//! The image configuration (ENV, LABEL, USER, WORKDIR, EXPOSE, VOLUME,
//! ENTRYPOINT, CMD, HEALTHCHECK, …) a chain of stages sets.

use std::collections::{BTreeMap, BTreeSet};

use super::{command_of, env_pairs, squash};
use crate::artifacts;
use crate::shell::{Script, ShellEnv};
use crate::syntax::{Args, Document, Instruction, Keyword};

/// The image configuration a chain of stages sets, read instruction by
/// instruction (a stage's base stages first).
pub(super) struct ConfigReading {
    pub(super) config: BTreeMap<String, String>,
    pub(super) workdir: String,
    /// ENTRYPOINT and CMD: their form as compared and their argv.
    pub(super) entry: Option<(String, Vec<String>)>,
    pub(super) cmd: Option<(String, Vec<String>)>,
    cmd_index: Option<usize>,
    onbuild: Vec<String>,
    /// The HEALTHCHECK CMD's argv.
    pub(super) health: Option<Vec<String>>,
}

impl ConfigReading {
    pub(super) fn new(workdir: String) -> ConfigReading {
        let mut config = BTreeMap::new();
        config.insert("WORKDIR".to_string(), workdir.clone());
        ConfigReading {
            config,
            workdir,
            entry: None,
            cmd: None,
            cmd_index: None,
            onbuild: Vec::new(),
            health: None,
        }
    }

    /// Applies instruction `n`; `own` when it is in the final stage itself.
    pub(super) fn apply(&mut self, ins: &Instruction, n: usize, own: bool) {
        let config = &mut self.config;
        let rest = squash(ins.rest_text());
        match ins.keyword {
            Keyword::Env => {
                for (k, v) in env_pairs(ins) {
                    config.insert(format!("ENV {k}"), v);
                }
            }
            Keyword::Label => {
                for (k, v) in env_pairs(ins) {
                    config.insert(format!("LABEL {k}"), v);
                }
            }
            Keyword::Maintainer => {
                config.insert("MAINTAINER".into(), rest);
            }
            Keyword::User => {
                config.insert("USER".into(), rest);
            }
            Keyword::Workdir => {
                if let Some(w) = ins.words().first() {
                    self.workdir = artifacts::join(&self.workdir, &w.value);
                    config.insert("WORKDIR".into(), self.workdir.clone());
                }
            }
            Keyword::Expose => {
                let ports = ins.words().iter().map(|w| {
                    let p = w.value.strip_suffix("/tcp").unwrap_or(&w.value);
                    p.to_string()
                });
                merge_set(config, "EXPOSE", ports);
            }
            Keyword::Volume => {
                let volumes: Vec<String> = match &ins.args {
                    Args::Exec(e) => e.clone(),
                    Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
                };
                merge_set(config, "VOLUME", volumes.into_iter());
            }
            Keyword::Healthcheck => {
                config.insert("HEALTHCHECK".into(), squash(ins.args_text()));
                self.health = health_argv(ins);
            }
            Keyword::Stopsignal | Keyword::Shell => {
                config.insert(ins.keyword.as_str().to_string(), squash(ins.args_text()));
            }
            Keyword::Onbuild if own => self.onbuild.push(squash(ins.args_text())),
            Keyword::Entrypoint => {
                // a shell-form ENTRYPOINT ignores CMD and run arguments: never the same as exec form
                let (form, argv) = command_of(ins);
                let form = match &ins.args {
                    Args::Words(_) => format!("shell:{}", squash(ins.rest_text())),
                    Args::Exec(_) => form,
                };
                self.entry = Some((form, argv));
                // an ENTRYPOINT resets a CMD inherited from the base
                if !own || self.cmd.as_ref().is_some_and(|_| !own) {
                    self.cmd = None;
                }
            }
            Keyword::Cmd => {
                self.cmd = Some(command_of(ins));
                self.cmd_index = Some(n);
            }
            _ => {}
        }
    }

    /// ENTRYPOINT, CMD and ONBUILD into the configuration, once every instruction is read.
    pub(super) fn finish(&mut self, doc: &Document) {
        if let Some((form, _)) = &self.entry {
            self.config.insert("ENTRYPOINT".into(), form.clone());
        }
        if let Some((form, _)) = &self.cmd {
            self.config.insert("CMD".into(), form.clone());
        }
        // with an ENTRYPOINT, a shell-form CMD is passed as `/bin/sh -c …`: compare as written
        if self.entry.is_some()
            && let Some(n) = self.cmd_index
            && matches!(doc.instructions[n].args, Args::Words(_))
        {
            self.config.insert(
                "CMD".into(),
                format!("shell:{}", squash(doc.instructions[n].rest_text())),
            );
        }
        if !self.onbuild.is_empty() {
            self.config
                .insert("ONBUILD".into(), self.onbuild.join("\n"));
        }
    }
}

/// Adds `items` to the space-separated set under `key` (EXPOSE, VOLUME).
fn merge_set(
    config: &mut BTreeMap<String, String>,
    key: &str,
    items: impl Iterator<Item = String>,
) {
    let mut set: BTreeSet<String> = config
        .get(key)
        .map(|e| e.split(' ').map(String::from).collect())
        .unwrap_or_default();
    set.extend(items);
    config.insert(key.into(), set.into_iter().collect::<Vec<_>>().join(" "));
}

/// The argv of a `HEALTHCHECK CMD …` (exec form, or the shell form's first
/// command); `None` for `HEALTHCHECK NONE` and a check without CMD.
fn health_argv(ins: &Instruction) -> Option<Vec<String>> {
    let text = ins.rest_text().trim_start();
    match text.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("CMD ") => {
            let rest = text[4..].trim_start();
            Some(match crate::syntax::words::parse_json_array(rest) {
                Some(argv) => argv,
                None => Script::parse(rest, &ShellEnv::default())
                    .commands
                    .first()
                    .map(|c| c.words.iter().filter_map(|w| w.value.clone()).collect())
                    .unwrap_or_default(),
            })
        }
        _ => None,
    }
}

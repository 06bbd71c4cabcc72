//! Where composer puts what it installs, for the PHP recipe. The runtime
//! gets the app folder, so composer's `vendor/` (and its bin folder) must be
//! known to land in it: every composer command is read with the shell model
//! (its folder, subcommand and options), the build context's composer.json
//! files are read for `config.vendor-dir` and `config.bin-dir`, and the ENV,
//! ARG and RUN text (heredoc bodies included) for the variables that move
//! them or pick another composer.json. Anything else leaves the stage alone,
//! named.

use super::super::{Context, Findings, Keyword, Stage, artifacts, skip};
use crate::reason::Reason;
use crate::shell::{Command, basename};
use crate::syntax::typed::Reading;

/// Variables that move composer's files (`COMPOSER_VENDOR_DIR`,
/// `COMPOSER_BIN_DIR`) or make it read another file than composer.json
/// (`COMPOSER`).
const MOVING: &[&str] = &["COMPOSER_VENDOR_DIR", "COMPOSER_BIN_DIR", "COMPOSER"];

/// composer.json settings that put composer's files elsewhere.
const MOVING_CONFIG: &[&str] = &["vendor-dir", "bin-dir"];

/// `None` (after reporting) unless every composer command of the stage runs
/// inside `dir`, the app folder the runtime gets, with composer's files
/// where composer puts them by default. `script` is the stage's RUN text
/// (heredoc bodies included), `t` its command words. A stage that never
/// runs composer passes.
pub(super) fn installs_into(
    cx: &Context,
    stage: &Stage,
    dir: &str,
    script: &str,
    t: &[&str],
    out: &mut Findings,
) -> Option<()> {
    let at = stage.base_span.start;
    if let Some(name) = moving_variable(cx, stage, script) {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "the stage sets {name}: composer's files may land outside the app folder {dir}"
            ),
        );
    }
    let mut found = false;
    for (_, run) in artifacts::run_shells(cx, stage) {
        for c in &run.commands {
            let Some(i) = composer_word(c) else {
                continue;
            };
            found = true;
            if let Some(why) = command_moves(c, i, dir) {
                return skip(out, at, Reason::ArtifactUnknown, why);
            }
        }
    }
    // a word holding a whole command (`su app -c "composer install"`) names it too
    let named = t.iter().any(|w| w.split_whitespace().any(is_composer));
    if !found {
        if named {
            return skip(
                out,
                at,
                Reason::ArtifactUnknown,
                "composer runs where the shell model cannot follow it (another shell, a script it cannot read): cannot tell where vendor/ lands",
            );
        }
        return Some(());
    }
    composer_json(cx, stage, out)
}

/// True when `word` runs composer: `composer`, `composer.phar`, or a path to either.
pub(super) fn is_composer(word: &str) -> bool {
    matches!(basename(word), "composer" | "composer.phar")
}

/// The index of the composer word of `c`: its program (`composer`, a path
/// to it, `composer.phar`), or the script a `php` command runs.
fn composer_word(c: &Command) -> Option<usize> {
    let is = |i: usize| c.words[i].value.as_deref().is_some_and(is_composer);
    let p = c.program_index()?;
    if is(p) {
        return Some(p);
    }
    let program = c.program()?;
    let php = program
        .strip_prefix("php")
        .is_some_and(|v| v.chars().all(|ch| ch.is_ascii_digit() || ch == '.'));
    if php {
        return (p + 1..c.words.len()).find(|&i| is(i));
    }
    None
}

/// Why the composer command `c` (composer's word at `i`) may put files
/// outside `dir`, if it may.
fn command_moves(c: &Command, i: usize, dir: &str) -> Option<String> {
    let args: Vec<&str> = c.words[i + 1..]
        .iter()
        .map(|w| w.value.as_deref().unwrap_or(&w.raw))
        .collect();
    // `--working-dir=…`, `-d …` and short options run together (`-nd/opt`)
    let elsewhere = args.iter().any(|a| {
        a.starts_with("--working-dir")
            || (a.starts_with('-')
                && !a.starts_with("--")
                && a[1..]
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .any(|ch| ch == 'd'))
    });
    if elsewhere {
        return Some(format!(
            "composer runs in a folder of its own (`{}`): cannot tell that vendor/ lands in the app folder {dir}",
            args.join(" ")
        ));
    }
    let sub = args.iter().find(|a| !a.starts_with('-')).copied();
    match sub {
        Some("global") => {
            return Some(
                "`composer global` installs into composer's home, outside the app folder: cannot tell what the runtime needs"
                    .to_string(),
            );
        }
        Some("create-project") => {
            return Some(format!(
                "`composer create-project` makes a project of its own: cannot tell that it lands in the app folder {dir}"
            ));
        }
        Some("config") if args.iter().any(|a| MOVING_CONFIG.contains(a)) => {
            return Some(format!(
                "`composer config` sets where composer's files go: cannot tell that they land in the app folder {dir}"
            ));
        }
        _ => {}
    }
    match c.cwd.as_deref() {
        Some(cwd) if inside(cwd, dir) => None,
        Some(cwd) => Some(format!(
            "composer runs in {cwd}, outside the app folder {dir}: its vendor/ would stay in the builder"
        )),
        None => Some(format!(
            "composer runs in a folder the shell model cannot follow: cannot tell that vendor/ lands in the app folder {dir}"
        )),
    }
}

/// True when `path` is `dir` or inside it (both absolute and normalized).
fn inside(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || dir.is_empty() || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// The first variable of [`MOVING`] the stage sets: a key of an ENV or ARG,
/// or a name set in its RUN text (`export COMPOSER_VENDOR_DIR=…`,
/// `COMPOSER=x.json composer install`).
fn moving_variable(cx: &Context, stage: &Stage, script: &str) -> Option<&'static str> {
    let in_instructions = stage.instructions.clone().find_map(|n| {
        let ins = &cx.doc.instructions[n];
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            return None;
        }
        let pairs = crate::model::arg_pairs(ins);
        MOVING
            .iter()
            .find(|name| pairs.iter().any(|(k, _)| k == *name))
            .copied()
    });
    in_instructions.or_else(|| MOVING.iter().find(|name| sets(script, name)).copied())
}

/// True when `text` names the variable `name` followed by `=` (or a blank,
/// as `export NAME` or `ENV NAME value` may): `COMPOSER_HOME` is not
/// `COMPOSER`.
fn sets(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && matches!(after, Some('=' | ' ' | '\t'))
    })
}

/// `None` (after reporting) unless the context's composer.json reads as
/// JSON and no composer.json of the context, nor a COPY that puts another
/// file in its place, moves composer's files.
fn composer_json(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<()> {
    let at = stage.base_span.start;
    let Some(text) = cx.read("composer.json") else {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            "no composer.json readable at the build context's root: cannot tell where composer puts vendor/ (config.vendor-dir)",
        );
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            "composer.json is not valid JSON: cannot tell where composer puts vendor/ (config.vendor-dir)",
        );
    };
    if let Some(key) = moving_config(&json) {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            format!(
                "composer.json sets config.{key}: composer's files land outside the app folder"
            ),
        );
    }
    // a folder copied into the app folder may bring a composer.json of its own
    if let Some(context) = cx.build_context {
        let scan = crate::context::scan(context, &["composer.json"]);
        for (path, text) in &scan.files {
            let own = path.file_name().is_some_and(|n| n == "composer.json")
                && !path.components().any(|c| c.as_os_str() == "vendor");
            let json = serde_json::from_str::<serde_json::Value>(text);
            if let (true, Ok(json)) = (own, json)
                && let Some(key) = moving_config(&json)
            {
                return skip(
                    out,
                    at,
                    Reason::ArtifactUnknown,
                    format!(
                        "{} sets config.{key}: composer's files may land outside the app folder",
                        path.display()
                    ),
                );
            }
        }
        if let Some(cut) = &scan.cut {
            return skip(
                out,
                at,
                Reason::ContextUnknown,
                format!(
                    "the build context was not read whole ({cut}): cannot tell whether a composer.json in it moves vendor/"
                ),
            );
        }
    }
    // `COPY composer.prod.json composer.json`: composer reads that file
    for n in stage.instructions.clone() {
        let renamed = match cx.model.reading(n).map(|r| &r.reading) {
            Some(Reading::Copy {
                sources,
                destination,
            }) if basename(destination.trim_end_matches('/')) == "composer.json" => sources
                .iter()
                .find(|s| basename(s.trim_end_matches('/')) != "composer.json"),
            _ => None,
        };
        if let Some(source) = renamed {
            return skip(
                out,
                at,
                Reason::ArtifactUnknown,
                format!(
                    "a COPY puts {source} in place as composer.json: cannot tell where composer puts vendor/"
                ),
            );
        }
    }
    Some(())
}

/// The first of [`MOVING_CONFIG`] a composer.json sets.
fn moving_config(json: &serde_json::Value) -> Option<&'static str> {
    MOVING_CONFIG
        .iter()
        .find(|k| !json["config"][**k].is_null())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_the_app_folder() {
        assert!(inside("/app", "/app"));
        assert!(inside("/app/sub", "/app/"));
        assert!(!inside("/application", "/app"));
        assert!(!inside("/opt/deps", "/app"));
        assert!(inside("/anything", "/"));
    }

    #[test]
    fn setting_a_variable_is_not_naming_another() {
        assert!(sets("COMPOSER=prod.json composer install", "COMPOSER"));
        assert!(sets(
            "export COMPOSER_VENDOR_DIR=/opt/v",
            "COMPOSER_VENDOR_DIR"
        ));
        assert!(!sets("COMPOSER_HOME=/tmp composer install", "COMPOSER"));
        assert!(!sets("MY_COMPOSER=x", "COMPOSER"));
    }
}

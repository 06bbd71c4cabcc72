//! Which distroless image can run a stage's command: Google's distroless
//! images have no shell and start their language runtime (`java -jar`,
//! `node`) from their ENTRYPOINT, so a stage fits only when its command is
//! an exec-form CMD that starts with that program, and it has no
//! HEALTHCHECK and no ENTRYPOINT of its own. Shared by split-stages and
//! slim-base (`--prefer distroless`).

use crate::context::Context;
use crate::model::Stage;
use crate::syntax::{Args, Keyword};

/// A distroless runtime a recipe may use instead of its slim one.
pub(crate) struct Choice {
    /// `gcr.io/distroless/java21-debian13`.
    pub image: String,
    /// The final CMD in the form the image's ENTRYPOINT takes (instruction index, text).
    pub command_rewrite: Option<(usize, String)>,
}

/// The distroless image `name` (a catalog family) for a stage whose command the
/// image's ENTRYPOINT (`java -jar`, `node`) starts: the CMD loses those words.
/// `Err(why)` when the stage cannot run there: a HEALTHCHECK (distroless has
/// no shell or tools for it), an ENTRYPOINT of its own, a CMD that is shell
/// form or does not start with `program`. (A named USER is carried by the
/// effects inventory: /etc/passwd and /etc/group from the builder.)
pub(crate) fn language_runtime(
    cx: &Context,
    stage: &Stage,
    name: &str,
    program: &[&str],
) -> Result<Choice, String> {
    let mut last_cmd = None;
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        match ins.keyword {
            Keyword::Healthcheck => {
                return Err(format!(
                    "line {}: a HEALTHCHECK needs a shell or tools, and distroless has neither",
                    ins.line
                ));
            }
            Keyword::Entrypoint => {
                return Err(format!(
                    "line {}: the stage sets its own ENTRYPOINT, and {name}'s is `{}`",
                    ins.line,
                    program.join(" ")
                ));
            }
            Keyword::Cmd => last_cmd = Some(n),
            _ => {}
        }
    }
    let Some(n) = last_cmd else {
        return Err("the stage has no CMD for the image's ENTRYPOINT to run".into());
    };
    let ins = &cx.doc.instructions[n];
    let Args::Exec(argv) = &ins.args else {
        return Err(format!(
            "line {}: a shell-form CMD needs /bin/sh, which distroless does not have",
            ins.line
        ));
    };
    let starts = argv.len() > program.len()
        && argv
            .iter()
            .zip(program)
            .all(|(a, p)| crate::shell::basename(a) == *p || a == p);
    if !starts {
        return Err(format!(
            "line {}: the CMD does not start with `{}`, the ENTRYPOINT of {name}",
            ins.line,
            program.join(" ")
        ));
    }
    let rest: Vec<String> = argv[program.len()..]
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_default())
        .collect();
    Ok(Choice {
        image: name.to_string(),
        command_rewrite: Some((n, format!("CMD [{}]", rest.join(", ")))),
    })
}

/// The leading digits of `text` (`21` of `21-jre`), if any.
pub(crate) fn leading_version(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

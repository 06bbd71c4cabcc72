//! ### `--prefer distroless` (Go, Java, Node)
//! The runtime goes to Google's distroless image instead of scratch or the
//! slim one: `static` for a static Go binary, `javaN` for a jar run with
//! `java -jar`, `nodejsN` for `node script.js`. Their ENTRYPOINT (`java
//! -jar`, `node`) runs before the CMD, so the CMD keeps only the rest. The
//! runtime stays on slim, with `distroless-unfit` in the message, when it
//! needs what distroless lacks: a shell (a shell-form CMD, a HEALTHCHECK, a
//! RUN replayed in the runtime), an ENTRYPOINT of its own, a version
//! distroless does not publish, a Python venv. The tag is `:latest`
//! (distroless publishes no version tags): pin its digest.

use super::*;
use crate::config::Prefer;
use crate::syntax::Args;

/// True when the run prefers distroless runtimes.
pub(super) fn preferred(cx: &Context) -> bool {
    cx.settings.prefer == Prefer::Distroless
}

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

/// Notes that the runtime stays on slim, and why (in the split's message too:
/// notes of the round that splits are not reported).
pub(super) fn stays_slim(out: &mut Findings, stage: &Stage, plan: &mut Plan, why: &str) {
    plan.why.push_str(&format!(
        "; not distroless ({}): {why}",
        Reason::DistrolessUnfit.code()
    ));
    let base = &plan.runtime_base;
    out.note(
        ID,
        Reason::DistrolessUnfit,
        Level::Info,
        stage.base_span.start,
        format!("--prefer distroless: the runtime stays on {base}: {why}"),
    );
}

/// The slim runtime a distroless plan falls back to.
pub(in crate::passes) struct Fallback {
    pub base: String,
    pub size_mb: Option<f64>,
    pub why: String,
    /// The CMD the distroless plan rewrote (instruction index).
    pub rewritten: Option<usize>,
}

/// With `--prefer distroless`, moves a slim plan to the distroless image
/// `name` (a catalog family) whose ENTRYPOINT is `program`, keeping the slim
/// runtime as its fallback; or notes why it stays on slim. `missing` says
/// why when the catalog has no such image (a version distroless does not
/// publish).
pub(super) fn offer(
    cx: &Context,
    stage: &Stage,
    plan: &mut Plan,
    name: Option<String>,
    program: &[&str],
    missing: &str,
    out: &mut Findings,
) {
    if !preferred(cx) {
        return;
    }
    if plan.same_base.is_some() {
        // the split keeps the builder's own (already lean) base; not weighed against distroless yet
        stays_slim(
            out,
            stage,
            plan,
            "the base already is the lean variant, and the runtime keeps it",
        );
        return;
    }
    let Some(family) = name.as_deref().and_then(|n| catalog::catalog().named(n)) else {
        stays_slim(out, stage, plan, missing);
        return;
    };
    match language_runtime(cx, stage, &family.name, program) {
        Ok(mut choice) => {
            choice.image.push_str(":latest");
            plan.slim_fallback = Some(Fallback {
                base: std::mem::replace(&mut plan.runtime_base, choice.image),
                size_mb: std::mem::replace(&mut plan.sizes.1, family.size("full")),
                why: plan.why.clone(),
                rewritten: choice.command_rewrite.as_ref().map(|(n, _)| *n),
            });
            plan.command_rewrites.extend(choice.command_rewrite);
            plan.why.push_str(&format!(
                "; on distroless (no shell, no package manager), whose ENTRYPOINT is `{}`: the CMD keeps the rest of the command",
                program.join(" ")
            ));
        }
        Err(why) => stays_slim(out, stage, plan, &why),
    }
}

/// The leading digits of `text` (`21` of `21-jre`), if any.
pub(crate) fn leading_version(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

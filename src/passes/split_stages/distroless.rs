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

use super::{Context, Findings, Level, Plan, Reason, Stage, catalog};
use crate::config::Prefer;
use crate::distroless::language_runtime;

/// True when the run prefers distroless runtimes.
pub(super) fn preferred(cx: &Context) -> bool {
    cx.settings.prefer == Prefer::Distroless
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

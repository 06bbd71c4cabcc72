// The shared ending of every recipe: carry the effects into the plan and
// write the runtime stage. (No `//!` docs: shared code, not a recipe;
// `slimfile explain` prints recipe docs.)

use super::{Change, Context, Edit, Keyword, Plan, Safety, Stage, effects, human_bytes};

/// Why the file cannot take an appended stage: it ends inside a continuation.
pub(super) fn unterminated(cx: &Context, stage: &Stage) -> Option<String> {
    let last = cx
        .doc
        .instructions
        .get(stage.instructions.end.checked_sub(1)?)?;
    last.continues_at_eof.then(|| {
        format!(
            "the file ends inside a continuation (line {} ends with `{}`): finish that instruction first",
            last.line, cx.doc.escape
        )
    })
}

/// `COPY --from={builder} SRC DEST`, quoted for the file (JSON form when a
/// path has blanks, quotes or the escape character).
pub(super) fn copy_from_builder(cx: &Context, src: &str, dest: &str) -> String {
    format!(
        "COPY --from={{builder}} {}",
        crate::shell::dockerfile_path_list(&[src, dest], cx.doc.escape)
    )
}

/// Adds the carried effects to the plan.
pub(super) fn carry(cx: &Context, plan: &mut Plan, fx: effects::Effects) {
    plan.workdir = fx.workdir;
    plan.replays = fx.setup;
    for path in &fx.carried {
        plan.copies.push(copy_from_builder(cx, path, path));
    }
    for (path, owner) in &fx.owners {
        let source = |c: &String| effects::copy_source(c).is_some_and(|s| s == *path);
        if let Some(i) = plan.copies.iter().position(source) {
            let c = plan.copies[i].replacen(
                "--from={builder}",
                &format!("--from={{builder}} --chown={owner}"),
                1,
            );
            if plan.replays.is_empty() {
                plan.copies[i] = c;
            } else {
                // after the replayed steps: they may create the owner
                plan.copies.remove(i);
                plan.after.insert(0, c);
            }
        }
    }
    if !fx.said.is_empty() {
        plan.why
            .push_str(&format!("; carried: {}", fx.said.join(", ")));
    }
}

/// The shared ending of every recipe: name the builder, append the runtime
/// stage (its set-up, the carried instructions, the copies, the command).
pub(super) fn split_change(cx: &Context, stage: &Stage, plan: Plan) -> Change {
    let replaces_command = plan.replace_command.is_some();
    let builder = stage.name.clone().unwrap_or_else(|| "builder".to_string());
    let mut edits = plan.builder_edits;
    if stage.name.is_none() {
        edits.push(Edit::insert(stage.base_span.end, " AS builder"));
    }
    let mut lines = vec![
        String::new(),
        format!(
            "# runtime stage added by slimfile split-stages ({}): only what the app needs to run",
            plan.ecosystem
        ),
        format!("FROM {} AS runtime", plan.runtime_base),
    ];
    if plan.runtime_base.starts_with("gcr.io/distroless/") {
        // distroless tags name no versions (latest, nonroot, debug): only a digest pins one
        lines.insert(
            2,
            "# distroless publishes no version tags: pin its digest for reproducible builds\n# hadolint ignore=DL3007".to_string(),
        );
    }
    // the order of the original: its working folder and variables first, then what is
    // installed and copied, then the replayed steps (they may use both), then the command
    if let Some(wd) = &plan.workdir {
        lines.push(format!("WORKDIR {wd}"));
    }
    let keeps_command = plan.replace_command.is_none();
    let (carried, tail) = carried_instructions(cx, stage, &plan.command_rewrites, keeps_command);
    lines.extend(plan.env);
    lines.extend(carried);
    lines.extend(plan.setup);
    lines.extend(plan.copies.iter().map(|c| c.replace("{builder}", &builder)));
    lines.extend(plan.replays);
    lines.extend(plan.after.iter().map(|c| c.replace("{builder}", &builder)));
    match plan.replace_command {
        Some(cmds) => lines.extend(cmds),
        None => lines.extend(tail),
    }
    append_at_end(cx, &mut edits, lines.join("\n") + "\n");
    let (saved, estimate) = match plan.same_base {
        Some(words) => (None, words),
        None => estimate(plan.sizes),
    };
    // a recipe that replaces the command changes what the image does: unsafe, and it says so
    let (safety, declares): (Safety, &[&'static str]) = if replaces_command {
        (
            Safety::Unsafe,
            &[
                "CMD",
                "ENTRYPOINT",
                "EXPOSE",
                "HEALTHCHECK",
                "USER",
                "the command",
            ],
        )
    } else {
        (Safety::Review, &[])
    };
    Change::new(
        safety,
        format!(
            "split into `{builder}` and a `runtime` stage on {}: {}; {estimate}",
            plan.runtime_base, plan.why
        ),
        edits,
    )
    .with_estimate(saved)
    .declaring(declares)
}

/// The original's instructions the runtime keeps, as written (or as
/// rewritten by the plan's `rewrites`): the configuration carried in place,
/// and the command-shaping ones that go last (`tail`; only when the runtime
/// `keeps_command`).
fn carried_instructions(
    cx: &Context,
    stage: &Stage,
    rewrites: &[(usize, String)],
    keeps_command: bool,
) -> (Vec<String>, Vec<String>) {
    let mut carried = Vec::new();
    let mut tail = Vec::new();
    for n in stage.instructions.clone().skip(1) {
        let ins = &cx.doc.instructions[n];
        let written = match rewrites.iter().find(|(i, _)| *i == n) {
            Some((_, text)) => text.clone(),
            None => cx.text[ins.span.clone()].to_string(),
        };
        match ins.keyword {
            Keyword::Arg
            | Keyword::Env
            | Keyword::Workdir
            | Keyword::Label
            | Keyword::Maintainer
            | Keyword::Volume
            | Keyword::Stopsignal => carried.push(written),
            Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::User
            | Keyword::Entrypoint
            | Keyword::Cmd
            | Keyword::Shell
                if keeps_command =>
            {
                tail.push(written);
            }
            _ => {}
        }
    }
    (carried, tail)
}

/// Appends `text` at the end of the file in one insert; builder edits at
/// the very end (no final newline) go first in it.
fn append_at_end(cx: &Context, edits: &mut Vec<Edit>, text: String) {
    let end = cx.text.len();
    let mut append = String::new();
    edits.retain(|e| {
        let at_end = e.range == (end..end);
        if at_end {
            append.push_str(&e.replacement);
        }
        !at_end
    });
    if !cx.text.ends_with('\n') {
        append.push('\n');
    }
    append.push_str(&text);
    edits.push(Edit::insert(end, append));
}

/// Bytes saved by the base images alone (builder − runtime), and the message's words for it.
fn estimate(sizes: (Option<f64>, Option<f64>)) -> (Option<i64>, String) {
    let saved = match sizes {
        // the same base image (PHP): the saving is what only the builder installs
        (Some(a), Some(b)) if a == b => {
            return (
                None,
                "the base image stays: the saving is what only the builder installs (not estimated)"
                    .to_string(),
            );
        }
        (Some(a), Some(b)) => Some(((a - b) * 1_000_000.0).round() as i64),
        _ => None,
    };
    let words = saved.map_or(
        "saving unknown (no catalog figure for a base)".to_string(),
        |b| {
            format!(
                "~{} smaller, compressed, by base images alone",
                human_bytes(b)
            )
        },
    );
    (saved, words)
}

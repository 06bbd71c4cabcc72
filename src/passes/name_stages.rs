//! # name-stages
//!
//! ## What it does
//! Names every unnamed stage that another stage refers to or that is not the
//! last one, by its role: `builder` for a stage others copy from, otherwise
//! the base image's name (`golang`, `node`, …; `node-stage` when the file
//! uses `node` as an image, so the new name never shadows an image).
//! Rewrites `COPY --from=N` index references to those names, writes the `AS`
//! keyword in upper case, and reports `--from=` references that name no
//! stage. When exactly one stage name is a near match (`--from=builder` with
//! a stage called `build`), the reference is no official image name and has
//! no registry, path, tag or digest, the reference is corrected, and the
//! message says so.
//!
//! ## Why is this bad?
//! `--from=0` breaks silently when someone inserts a stage above it, and an
//! index says nothing to the reader. BuildKit warns about `as` in lower case
//! (FromAsCasing). A `--from=` that is a typo of a stage name is taken as an
//! image name: the build fails pulling an image that does not exist, far
//! from the typo.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22 as build
//! FROM node:20
//! RUN npm ci
//! FROM scratch
//! COPY --from=0 /out/app /app
//! COPY --from=builder /out/cli /cli
//! ```
//!
//! Use instead:
//! ```dockerfile
//! FROM golang:1.22 AS build
//! FROM node:20 AS node-stage
//! RUN npm ci
//! FROM scratch
//! COPY --from=build /out/app /app
//! COPY --from=build /out/cli /cli
//! ```
//!
//! ## Fix safety
//! Naming stages, rewriting index references and `as` → `AS` are **safe**:
//! the built image is the same. A name slimfile picks never equals a
//! reference that any FROM, `--from=` or mount `from=` of the file resolves
//! to as an image or named build context (ARG defaults expanded, compared
//! case-insensitively, full reference and bare name): BuildKit looks stage
//! names up first, so such a name would change what that line builds on.
//! Correcting a dangling reference to its only near match is **review**: it
//! repairs a build that fails today, and a person should confirm the intent.
//! A bare `--from=name` that is no stage (`--from=busybox`, `--from=bash`
//! next to a stage `base`) is valid: BuildKit pulls it as an image or takes a
//! named build context (`docker build --build-context name=…`); it gets an
//! info note and is left alone. An index that is not an earlier stage, a
//! `--from=` naming its own stage, or a quoted reference is reported and
//! left alone; a mount's `from=N` is an image name for BuildKit (mounts take
//! no index) and gets a warning.

use crate::reason::Reason;
use std::collections::HashSet;

use super::{Context, Pass};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::image::{self, ImageRef};
use crate::model::{RefKind, Stage, StageRef, Target};

pub(crate) static PASS: Pass = Pass {
    id: crate::pass_id::PassId::NameStages,
    summary: "name stages by role (never after an image a later FROM or --from uses), --from=N → names, as → AS; fix a --from= typo (review) when exactly one stage name is close and it is no official image; report other dangling --from",
    safety: Safety::Safe,
    doc: crate::pass_doc!("name_stages"),
    run,
};

fn run(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let mut taken: HashSet<String> = model
        .stages
        .iter()
        .filter_map(|s| s.name.as_ref())
        .map(|n| n.to_ascii_lowercase())
        .collect();
    taken.extend(["scratch".to_string(), "context".to_string()]);

    for stage in &model.stages {
        fix_as_casing(cx, stage, out);
        let refs: Vec<&StageRef> = model.refs_to(stage.index).collect();
        match &stage.name {
            Some(written) => refer_by_name(cx, stage, written, &refs, out),
            None => name_stage(cx, stage, &refs, &mut taken, out),
        }
    }
    report_wrong_refs(cx, out);
}

/// A named stage: its index references (`--from=0`) → its name.
fn refer_by_name(
    cx: &Context,
    stage: &Stage,
    written: &str,
    refs: &[&StageRef],
    out: &mut Findings,
) {
    let model = cx.model;
    let Some(name) = stage.usable_name(cx.text) else {
        if refs.iter().any(|r| r.is_index()) {
            out.note(
                Reason::NameUnusable,
                Level::Info,
                stage.name_span.as_ref().map_or(stage.base_span.start, |s| s.start),
                format!(
                    "stage {} is named `{written}`, which is not a valid stage name as written; not writing it into --from=",
                    stage.index
                ),
            );
        }
        return;
    };
    // index references to a named stage → the name
    for r in refs.iter().filter(|r| r.is_index()) {
        // another stage of the same name wins the lookup
        if model.resolve(r.stage, name) != Target::Stage(stage.index) {
            out.note(
                Reason::NameAmbiguous,
                Level::Warning,
                r.span.as_ref().map_or(stage.base_span.start, |s| s.start),
                format!(
                    "--from={} stays: the name `{name}` of stage {} resolves to another stage of the same name",
                    r.value, stage.index
                ),
            );
            continue;
        }
        if let Some(span) = &r.span {
            out.change(Change::new(
                Safety::Safe,
                format!(
                    "--from={} → --from={name}: refer to stage {} by its name",
                    r.value, stage.index
                ),
                vec![Edit::replace(span.clone(), name.to_string())],
            ));
        }
    }
}

/// An unnamed stage that is referred to or not the last: named by role
/// (a name not `taken`), its references rewritten.
fn name_stage(
    cx: &Context,
    stage: &Stage,
    refs: &[&StageRef],
    taken: &mut HashSet<String>,
    out: &mut Findings,
) {
    let model = cx.model;
    let last = stage.index + 1 == model.stages.len();
    if refs.is_empty() && last {
        return;
    }
    let from = &cx.doc.instructions[stage.from];
    // Quotes or escapes in the reference: text inserted after the
    // word can land inside an unclosed quote and become part of it.
    if cx.text.get(stage.base_span.clone()) != Some(stage.base_text.as_str()) {
        out.note(
            Reason::FromUnreadable,
            Level::Info,
            stage.base_span.start,
            "this FROM's reference has quotes or escapes; not naming it",
        );
        return;
    }
    if from.words().len() != 1 {
        out.note(
            Reason::FromUnreadable,
            Level::Info,
            stage.base_span.start,
            "this FROM has extra words; not naming it",
        );
        return;
    }
    let name = pick_name(stage, !refs.is_empty(), |c| {
        taken.contains(c) || model.is_image_reference(c)
    });
    taken.insert(name.clone());
    let mut edits = vec![Edit::insert(stage.base_span.end, format!(" AS {name}"))];
    let mut quoted = false;
    for r in refs {
        match &r.span {
            Some(span) => edits.push(Edit::replace(span.clone(), name.clone())),
            None => quoted = true,
        }
    }
    if quoted {
        out.note(
            Reason::QuotedRef,
            Level::Info,
            stage.base_span.start,
            format!(
                "stage {} is referenced in a quoted --from=; not naming it",
                stage.index
            ),
        );
        return;
    }
    let why = if refs.is_empty() {
        "it is not the last stage"
    } else {
        "other stages refer to it"
    };
    let message = if refs.is_empty() {
        format!("name stage {} `{name}`: {why}", stage.index)
    } else {
        format!(
            "name stage {} `{name}` and use the name in {} --from reference(s): {why}",
            stage.index,
            refs.len()
        )
    };
    out.change(Change::new(Safety::Safe, message, edits));
}

/// `--from=` references to the stage they are in, to no earlier stage, or to no stage at all.
fn report_wrong_refs(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    for r in model.refs.iter() {
        match r.target {
            Target::Unresolved => unresolved(cx, r, out),
            Target::SelfStage => {
                let at = r
                    .span
                    .as_ref()
                    .map_or(cx.doc.instructions[r.instruction].span.start, |s| s.start);
                out.note(
                    Reason::SelfRef,
                    Level::Error,
                    at,
                    format!(
                        "--from={} names the stage it is in: BuildKit reports a circular dependency",
                        r.value
                    ),
                );
            }
            Target::BadIndex => {
                let at = r
                    .span
                    .as_ref()
                    .map_or(cx.doc.instructions[r.instruction].span.start, |s| s.start);
                out.note(
                    Reason::BadIndex,
                    Level::Error,
                    at,
                    format!("--from={} is not the index of an earlier stage", r.value),
                );
            }
            _ => {}
        }
    }
}

fn fix_as_casing(cx: &Context, stage: &Stage, out: &mut Findings) {
    if let Some(span) = &stage.as_span
        && &cx.text[span.clone()] != "AS"
    {
        out.change(Change::new(
            Safety::Safe,
            format!(
                "`{}` → `AS`: keyword casing (BuildKit check FromAsCasing)",
                &cx.text[span.clone()]
            ),
            vec![Edit::replace(span.clone(), "AS")],
        ));
    }
}

/// A `--from=` / mount `from=` that names no stage: an image or a named
/// build context, which BuildKit accepts. Corrected only when it is surely a
/// typo of a stage name (one near stage name, not an official image, no
/// registry, path, tag or digest); otherwise reported at info level.
fn unresolved(cx: &Context, r: &StageRef, out: &mut Findings) {
    let at = r
        .span
        .as_ref()
        .map_or(cx.doc.instructions[r.instruction].span.start, |s| s.start);
    if r.kind == RefKind::MountFrom && r.value.bytes().all(|b| b.is_ascii_digit()) {
        out.note(
            Reason::MountIndex,
            Level::Warning,
            at,
            format!(
                "from={} in a --mount is not a stage index for BuildKit (only COPY --from takes one): it names an image `{}`; write the stage's name",
                r.value, r.value
            ),
        );
        return;
    }
    let near: Vec<&str> = cx
        .model
        .stages
        .iter()
        .filter(|s| s.index != r.stage)
        .filter(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| cx.model.resolve(r.stage, n) == Target::Stage(s.index))
        })
        .filter_map(|s| s.usable_name(cx.text))
        .filter(|n| is_near(n, &r.value))
        .collect();
    let official = image::is_official_image(&r.value);
    let image_syntax = ImageRef::parse(&r.value).has_image_syntax();
    match (near.as_slice(), &r.span) {
        ([name], Some(span)) if !official && !image_syntax => out.change(Change::new(
            Safety::Review,
            format!("--from={} names no stage; changed to --from={name}, the only stage with a similar name", r.value),
            vec![Edit::replace(span.clone(), name.to_string())],
        )),
        _ => {
            let hint = match (near.len(), official) {
                (0, _) => String::new(),
                (_, true) => format!(
                    "; `{}` is an official image, so it is not taken for a typo of {}",
                    r.value,
                    quoted_list(&near)
                ),
                (1, false) => format!(" (did you mean `{}`?)", near[0]),
                _ => format!(" (several stages are similar: {})", quoted_list(&near)),
            };
            out.note(
                Reason::ExternalFrom,
                Level::Info,
                at,
                format!(
                    "--from={} names no stage: BuildKit pulls it as the image `{}`, or takes a named build context passed with `--build-context {}=…`{hint}",
                    r.value, r.value, r.value
                ),
            );
        }
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `build`/`builder`, `bulid`/`build`: one is a prefix of the other, or they
/// are at most two edits apart.
fn is_near(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if a == b {
        return false;
    }
    let shorter = a.len().min(b.len());
    if shorter >= 3 && (a.starts_with(&b) || b.starts_with(&a)) {
        return true;
    }
    shorter >= 4 && levenshtein(&a, &b) <= 2
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A name for `stage` that `taken` refuses: taken by another stage, or a
/// reference the file uses as an image (the new name would shadow it).
fn pick_name(stage: &Stage, referenced: bool, taken: impl Fn(&str) -> bool) -> String {
    let slug = base_slug(stage);
    let candidates: Vec<String> = if referenced {
        vec!["builder".to_string(), format!("{slug}-builder")]
    } else {
        vec![slug.clone(), format!("{slug}-stage")]
    };
    for c in &candidates {
        if !taken(c) {
            return c.clone();
        }
    }
    let stem = candidates.last().cloned().unwrap_or(slug);
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or(stem)
}

/// A valid stage name from the base image: `docker.io/library/golang:1.22` → `golang`.
fn base_slug(stage: &Stage) -> String {
    let repo = stage.base.repository.rsplit('/').next().unwrap_or("");
    let slug: String = repo
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if slug.starts_with(|c: char| c.is_ascii_lowercase()) && !slug.contains('$') {
        slug
    } else {
        format!("stage-{}", stage.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names() {
        assert!(is_near("build", "builder"));
        assert!(is_near("builder", "bulider"));
        assert!(!is_near("app", "api"));
        assert!(!is_near("build", "build"));
        assert!(!is_near("web", "runtime"));
    }
}

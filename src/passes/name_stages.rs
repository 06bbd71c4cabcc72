//! # name-stages
//!
//! ## What it does
//! Names every unnamed stage that another stage refers to or that is not the
//! last one, by its role: `builder` for a stage others copy from, otherwise
//! the base image's name (`golang`, `node`, …). Rewrites `COPY --from=N` and
//! `RUN --mount=from=N` index references to those names, writes the `AS`
//! keyword in upper case, and reports `--from=` references that name no
//! stage. When exactly one stage name is a near match (`--from=builder` with
//! a stage called `build`) the reference is corrected, and the message says so.
//!
//! ## Why is this bad?
//! `--from=0` breaks silently when someone inserts a stage above it, and an
//! index says nothing to the reader. BuildKit warns about `as` in lower case
//! (FromAsCasing). A `--from=` that names no stage is taken as an image name:
//! the build fails pulling an image that does not exist, far from the typo.
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
//! FROM node:20 AS node
//! RUN npm ci
//! FROM scratch
//! COPY --from=build /out/app /app
//! COPY --from=build /out/cli /cli
//! ```
//!
//! ## Fix safety
//! Naming stages, rewriting index references and `as` → `AS` are **safe**:
//! the built image is the same. Correcting a dangling reference to its only
//! near match is **review**: it repairs a build that fails today, and a
//! person should confirm the intent. A `--from=` with no near match, an
//! index that is not an earlier stage, or a quoted reference is reported and
//! left alone. `--from=` an external image (`--from=nginx:1.27`) is left alone.

use std::collections::HashSet;

use super::{Context, Pass};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::{Stage, StageRef, Target};

pub static PASS: Pass = Pass {
    id: "name-stages",
    summary: "name stages by role, --from=N → names, as → AS, fix or report dangling --from",
    safety: Safety::Safe,
    doc: crate::pass_doc!("name_stages"),
    run,
};

const ID: &str = "name-stages";

fn run(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let mut taken: HashSet<String> = model
        .stages
        .iter()
        .filter_map(|s| s.name.as_ref())
        .map(|n| n.to_ascii_lowercase())
        .collect();
    taken.extend(["scratch".to_string(), "context".to_string()]);
    // image-like names used with --from must not become stage names
    taken.extend(
        model
            .refs
            .iter()
            .filter(|r| r.target == Target::Unresolved)
            .map(|r| r.value.to_ascii_lowercase()),
    );

    for stage in &model.stages {
        fix_as_casing(cx, stage, out);
        let refs: Vec<&StageRef> = model.refs_to(stage.index).collect();
        match &stage.name {
            Some(name) => {
                // index references to a named stage → the name
                for r in refs.iter().filter(|r| r.is_index()) {
                    if let Some(span) = &r.span {
                        out.change(Change::new(
                            ID,
                            Safety::Safe,
                            format!(
                                "--from={} → --from={name}: refer to stage {} by its name",
                                r.value, stage.index
                            ),
                            vec![Edit::replace(span.clone(), name.clone())],
                        ));
                    }
                }
            }
            None => {
                let last = stage.index + 1 == model.stages.len();
                if refs.is_empty() && last {
                    continue;
                }
                let from = &cx.doc.instructions[stage.from];
                if from.words().len() != 1 {
                    out.note(
                        ID,
                        "from-unreadable",
                        Level::Info,
                        stage.base_span.start,
                        "this FROM has extra words; not naming it",
                    );
                    continue;
                }
                let name = pick_name(stage, !refs.is_empty(), &taken);
                taken.insert(name.clone());
                let mut edits = vec![Edit::insert(stage.base_span.end, format!(" AS {name}"))];
                let mut quoted = false;
                for r in &refs {
                    match &r.span {
                        Some(span) => edits.push(Edit::replace(span.clone(), name.clone())),
                        None => quoted = true,
                    }
                }
                if quoted {
                    out.note(
                        ID,
                        "quoted-ref",
                        Level::Info,
                        stage.base_span.start,
                        format!(
                            "stage {} is referenced in a quoted --from=; not naming it",
                            stage.index
                        ),
                    );
                    continue;
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
                out.change(Change::new(ID, Safety::Safe, message, edits));
            }
        }
    }

    for r in model.refs.iter() {
        match r.target {
            Target::Unresolved => dangling(cx, r, out),
            Target::BadIndex => {
                let at = r
                    .span
                    .as_ref()
                    .map_or(cx.doc.instructions[r.instruction].span.start, |s| s.start);
                out.note(
                    ID,
                    "bad-index",
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
            ID,
            Safety::Safe,
            format!(
                "`{}` → `AS`: keyword casing (BuildKit check FromAsCasing)",
                &cx.text[span.clone()]
            ),
            vec![Edit::replace(span.clone(), "AS")],
        ));
    }
}

fn dangling(cx: &Context, r: &StageRef, out: &mut Findings) {
    let at = r
        .span
        .as_ref()
        .map_or(cx.doc.instructions[r.instruction].span.start, |s| s.start);
    let near: Vec<&String> = cx
        .model
        .stages
        .iter()
        .filter(|s| s.index != r.stage)
        .filter_map(|s| s.name.as_ref())
        .filter(|n| is_near(n, &r.value))
        .collect();
    match (near.as_slice(), &r.span) {
        ([name], Some(span)) => out.change(Change::new(
            ID,
            Safety::Review,
            format!("--from={} names no stage; changed to --from={name}, the only stage with a similar name", r.value),
            vec![Edit::replace(span.clone(), name.to_string())],
        )),
        _ => {
            let hint = match near.len() {
                0 => String::new(),
                1 => format!(" (did you mean `{}`?)", near[0]),
                _ => format!(" (several stages are similar: {})", near.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")),
            };
            out.note(
                ID,
                "dangling-ref",
                Level::Error,
                at,
                format!("--from={} names no stage, so BuildKit will try to pull an image called `{}`{hint}", r.value, r.value),
            );
        }
    }
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

fn pick_name(stage: &Stage, referenced: bool, taken: &HashSet<String>) -> String {
    let slug = base_slug(stage);
    let candidates: Vec<String> = if referenced {
        vec!["builder".to_string(), format!("{slug}-builder")]
    } else {
        vec![slug.clone()]
    };
    for c in &candidates {
        if !taken.contains(c) {
            return c.clone();
        }
    }
    let stem = candidates.last().cloned().unwrap_or(slug);
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|c| !taken.contains(c))
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

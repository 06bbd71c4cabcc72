// `--prefer distroless`: the swap of a Java or Node runtime stage's base to Google's
// distroless image, when the stage needs nothing distroless lacks (a shell, other users).

use crate::catalog::{self, VariantKind};
use crate::distroless::{language_runtime, leading_version};
use crate::edit::{Change, Edit, Findings, Level, Safety};
use crate::model::Stage;
use crate::passes::Context;
use crate::reason::Reason;

/// With `--prefer distroless`: the swap to the distroless image of a Java or
/// Node runtime stage (its CMD without the words the image's ENTRYPOINT
/// supplies), or `None` after a note saying why the slim variant it is.
pub(super) fn swap(
    cx: &Context,
    stage: &Stage,
    family: &catalog::Family,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Change> {
    let at = stage.base_span.start;
    let mut unfit = |why: String| {
        out.note(
            Reason::DistrolessUnfit,
            Level::Info,
            at,
            format!(
                "--prefer distroless: {} does not go to distroless: {why}",
                stage.base_text
            ),
        );
        None
    };
    let (name, program) = match image_for(family, stage.base.tag.as_deref()) {
        Ok(Some(image)) => image,
        Ok(None) => return None,
        Err(why) => return unfit(why),
    };
    if let Some(why) = unfit_stage(cx, stage, &name, scripts) {
        return unfit(why);
    }
    let choice = match language_runtime(cx, stage, &name, program) {
        Ok(c) => c,
        Err(why) => return unfit(why),
    };
    // distroless lives on gcr.io: a Docker Hub mirror prefix does not carry over
    let image = format!("{name}:latest");
    let from = &cx.doc.instructions[stage.from];
    let mut edits = vec![
        Edit::insert(
            from.span.start,
            "# distroless publishes no version tags: pin its digest for reproducible builds\n# hadolint ignore=DL3007\n",
        ),
        Edit::replace(stage.base_span.clone(), image.clone()),
    ];
    if let Some((n, text)) = choice.command_rewrite {
        edits.push(Edit::replace(cx.doc.instructions[n].span.clone(), text));
    }
    Some(Change::new(
        Safety::Unsafe,
        format!(
            "{} → {image} (size unknown): distroless, no shell and no package manager; its ENTRYPOINT is `{}`, so the CMD keeps the rest of the command; test the app",
            stage.base_text,
            program.join(" ")
        ),
        edits,
    ))
}

/// The distroless image (without tag) of the family at `tag`, with the words of its
/// ENTRYPOINT; `Ok(None)` for a family distroless has nothing for, `Err` saying why
/// the version cannot be told (or why Python stays on slim).
fn image_for(
    family: &catalog::Family,
    tag: Option<&str>,
) -> Result<Option<(String, &'static [&'static str])>, String> {
    match family.name.as_str() {
        "eclipse-temurin" | "openjdk" | "maven" | "gradle" => {
            // the JRE's version (maven, gradle tags name it after the tool's), or the tag's
            let jre = family.variant(tag, VariantKind::Slim).ok();
            let version = match &jre {
                Some(v) => leading_version(&v.tag),
                None if matches!(family.name.as_str(), "eclipse-temurin" | "openjdk") => {
                    tag.and_then(leading_version)
                }
                None => None,
            };
            match version {
                Some(v) => Ok(Some((
                    format!("gcr.io/distroless/java{v}-debian13"),
                    &["java", "-jar"],
                ))),
                None => Err("cannot tell the Java version from the tag".into()),
            }
        }
        "node" => match tag.and_then(leading_version) {
            Some(v) => Ok(Some((
                format!("gcr.io/distroless/nodejs{v}-debian13"),
                &["node"],
            ))),
            None => Err("cannot tell the Node version from the tag".into()),
        },
        "python" => Err(
            "a venv or site-packages made for the official image runs /usr/local/bin/python, which distroless python3 does not have".into(),
        ),
        _ => Ok(None),
    }
}

/// Why the stage cannot run on the distroless image `name`: an ARG-set tag, an image
/// distroless does not publish, a RUN step (no shell), a USER it does not have.
fn unfit_stage(
    cx: &Context,
    stage: &Stage,
    name: &str,
    scripts: &[(usize, String)],
) -> Option<String> {
    if stage.base_text.contains('$') {
        return Some("the tag is set by an ARG".into());
    }
    if catalog::catalog().named(name).is_none() {
        return Some(format!(
            "distroless publishes no {}",
            name.trim_start_matches("gcr.io/distroless/")
        ));
    }
    if let Some((n, _)) = scripts.first() {
        return Some(format!(
            "line {} is a RUN step, and distroless has no shell",
            cx.doc.instructions[*n].line
        ));
    }
    unknown_user(cx, stage)
}

/// Why a USER of the stage would not resolve on distroless (which has only
/// root, nonroot and nobody), if one would not.
fn unknown_user(cx: &Context, stage: &Stage) -> Option<String> {
    stage.instructions.clone().find_map(|n| {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != crate::syntax::Keyword::User {
            return None;
        }
        let value = ins.rest_text().trim();
        let user = value.split(':').next().unwrap_or("");
        let known = matches!(user, "root" | "nonroot" | "nobody")
            || (!user.is_empty() && user.chars().all(|c| c.is_ascii_digit()));
        (!known).then(|| {
            format!(
                "line {}: USER {value}, and distroless has only root, nonroot and nobody in /etc/passwd",
                ins.line
            )
        })
    })
}

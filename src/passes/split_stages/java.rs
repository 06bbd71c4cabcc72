//! ### Java
//! Maven or Gradle: the jar the command runs with `java -jar` (named by the
//! command, pom.xml or the Gradle build files) on an eclipse-temurin JRE of
//! the same Java version. With `--prefer distroless`: distroless `javaN`
//! (17, 21, 25) when the CMD is exec-form `java -jar …` (the image's
//! ENTRYPOINT; the CMD keeps the rest) and the runtime needs no shell.

use super::{
    Artifact, Build, Context, Findings, Plan, Recipe, Stage, artifact_or_skip, artifacts,
    builder_size, catalog, copy_from_builder, distroless, runtime_setup, skip, stage_packages,
    strs, toolchain_at_runtime, variant_of,
};
use crate::reason::Reason;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Java",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.words.iter().any(|w| artifacts::is_java_build_tool(w))
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let runtime_tools = [
        ("mvn", "spring-boot:run"),
        ("./mvnw", "spring-boot:run"),
        ("gradle", "bootRun"),
        ("./gradlew", "bootRun"),
        ("gradle", "run"),
        ("./gradlew", "run"),
    ];
    if toolchain_at_runtime(cx, stage, &runtime_tools, out) {
        return None;
    }
    let family = java_family(stage, out)?;
    let jar = artifact_or_skip(artifacts::java_jar(cx, stage, scripts), stage, out)?;
    command_runs_jar(cx, stage, &jar, out)?;
    let runtime = variant_of(cx, stage, family, out)?;
    let setup = runtime_setup(stage, &stage_packages(cx, stage, scripts));
    let mut plan = Plan {
        ecosystem: "Java",
        runtime_base: runtime,
        setup,
        copies: vec![copy_from_builder(cx, &jar.path, &jar.path)],
        sizes: (builder_size(stage), family.size("jre")),
        why: format!("the jar {} ({}) on a JRE", jar.path, jar.source),
        ..Plan::default()
    };
    offer_distroless(cx, stage, &mut plan, out);
    Some(plan)
}

/// The builder's image family, one with a JRE variant (`None` after reporting).
fn java_family(stage: &Stage, out: &mut Findings) -> Option<&'static catalog::Family> {
    match artifacts::family_of(stage) {
        Some(f)
            if matches!(
                f.name.as_str(),
                "maven" | "gradle" | "eclipse-temurin" | "openjdk"
            ) =>
        {
            Some(f)
        }
        _ => skip(
            out,
            stage.base_span.start,
            Reason::NotYet,
            "Java builds on a base other than maven, gradle, eclipse-temurin or openjdk are not split yet",
        ),
    }
}

/// `None` (after reporting) unless the command runs the jar with `java -jar`.
fn command_runs_jar(cx: &Context, stage: &Stage, jar: &Artifact, out: &mut Findings) -> Option<()> {
    let cmd = artifacts::final_command_words(cx, stage);
    let ct = strs(&cmd);
    let runs_jar = ct.windows(2).any(|w| {
        w[0] == "-jar"
            && (artifacts::join(
                &artifacts::workdir_at(cx, stage, stage.instructions.end),
                w[1],
            ) == jar.path
                || w[1].contains('*'))
    });
    if !runs_jar {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            format!(
                "the command does not run the jar with `java -jar` ({}): it may need the classes or sources",
                jar.path
            ),
        );
    }
    Some(())
}

/// With `--prefer distroless`: distroless `javaN` of the JRE's Java version.
fn offer_distroless(cx: &Context, stage: &Stage, plan: &mut Plan, out: &mut Findings) {
    let version = plan
        .runtime_base
        .rsplit(':')
        .next()
        .and_then(crate::distroless::leading_version)
        .map(str::to_string);
    let missing = match &version {
        Some(v) => {
            format!("distroless publishes no Java {v} image (java17, java21, java25 on debian13)")
        }
        None => "cannot tell the Java version of the JRE".to_string(),
    };
    let name = version.map(|v| format!("gcr.io/distroless/java{v}-debian13"));
    distroless::offer(cx, stage, plan, name, &["java", "-jar"], &missing, out);
}

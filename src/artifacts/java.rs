//! The jar a Maven or Gradle build writes.

use super::*;

/// The jar of a Maven or Gradle build: the jar the command runs, else the
/// one pom.xml (`target/<finalName|artifactId-version>.jar`) or Gradle
/// (`build/libs/<rootProject.name>-<version>.jar`) names.
pub(crate) fn java_jar(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| t.iter().any(|w| is_java_build_tool(w)))
    else {
        return unknown(Reason::ArtifactUnknown, "no Maven or Gradle step");
    };
    let w = words(script);
    let t = strs(&w);
    let maven = t.iter().any(|w| w.ends_with("mvn") || w.ends_with("mvnw"));
    let goal = if maven {
        t.iter()
            .any(|w| matches!(*w, "package" | "install" | "verify"))
    } else {
        t.iter().any(|w| {
            matches!(
                *w,
                "build" | "assemble" | "bootJar" | "jar" | "shadowJar" | "installDist"
            )
        })
    };
    if !goal {
        return unknown(
            Reason::ArtifactUnknown,
            "the Maven/Gradle step does not package a jar",
        );
    }
    let dir = workdir_at(cx, stage, *n);
    // The command's jar: resolved against the WORKDIR in effect at the command.
    let command = final_command_words(cx, stage);
    let ct = strs(&command);
    if let Some(jar) = ct
        .windows(2)
        .find(|w| w[0] == "-jar")
        .map(|w| w[1])
        .filter(|j| j.ends_with(".jar") && plain(j))
    {
        let at = workdir_at(cx, stage, stage.instructions.end);
        return Ok(Artifact {
            ecosystem: Ecosystem::Java,
            path: join(&at, jar),
            built_by: *n,
            source: "the command's `-jar`".into(),
        });
    }
    let named = if maven { pom_jar(cx) } else { gradle_jar(cx) };
    match named {
        Ok(rel) => Ok(Artifact {
            ecosystem: Ecosystem::Java,
            path: join(&dir, &rel),
            built_by: *n,
            source: if maven {
                "pom.xml"
            } else {
                "Gradle build files"
            }
            .into(),
        }),
        Err(why) => unknown(Reason::ArtifactUnknown, why),
    }
}

fn pom_jar(cx: &Context) -> Result<String, String> {
    let text = read(cx, "pom.xml").ok_or("no pom.xml at hand to name the jar")?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("pom.xml: {e}"))?;
    let project = doc.root_element();
    let child = |name: &str| {
        project
            .children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::trim)
    };
    if project.children().any(|c| c.has_tag_name("modules")) {
        return Err("pom.xml is a multi-module build: cannot tell which jar runs".into());
    }
    if child("packaging").is_some_and(|p| p != "jar") {
        return Err("pom.xml does not package a jar".into());
    }
    let final_name = project
        .children()
        .find(|c| c.has_tag_name("build"))
        .and_then(|b| b.children().find(|c| c.has_tag_name("finalName")))
        .and_then(|f| f.text())
        .map(str::trim);
    let name = match (final_name, child("artifactId"), child("version")) {
        (Some(f), _, _) => f.to_string(),
        (None, Some(a), Some(v)) => format!("{a}-{v}"),
        _ => return Err("pom.xml names no artifactId and version".into()),
    };
    if !plain(&name) {
        return Err(format!("the jar name `{name}` uses properties"));
    }
    Ok(format!("target/{name}.jar"))
}

fn gradle_jar(cx: &Context) -> Result<String, String> {
    let settings = read(cx, "settings.gradle")
        .or_else(|| read(cx, "settings.gradle.kts"))
        .ok_or("no settings.gradle at hand to name the jar")?;
    let build = read(cx, "build.gradle")
        .or_else(|| read(cx, "build.gradle.kts"))
        .ok_or("no build.gradle at hand to name the jar")?;
    let assigned = |text: &str, key: &str| {
        text.lines().find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
            let v = rest.trim_matches(|c| c == '"' || c == '\'');
            (plain(v) && !v.contains(' ')).then(|| v.to_string())
        })
    };
    if settings.contains("include") {
        return Err("settings.gradle includes subprojects: cannot tell which jar runs".into());
    }
    let name = assigned(&settings, "rootProject.name")
        .ok_or("settings.gradle sets no rootProject.name")?;
    let version = assigned(&build, "version").ok_or("build.gradle sets no version")?;
    Ok(format!("build/libs/{name}-{version}.jar"))
}
